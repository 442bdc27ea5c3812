"""Article text for the demo sites, composed from templates and a vocabulary of government work.

Each writer takes a random generator, the voice of the site (who speaks, about which places) and the
publication time, and returns a title, a summary, a source and an HTML body. The vocabulary is generic
government language; people and places are the invented ones of `data.py`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .data import GIVEN_NAMES, SURNAMES

CN_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Topic:
    domain: str
    name: str
    measures: tuple[str, ...]
    goal: str = ""  # with {n}: a target figure


# The department that leads each topic, by words of its name ("a|b": the first that exists at that level);
# topics not listed go to a department of the same domain.
TOPIC_LEADS = {
    "edu": "教育", "health": "卫生健康", "transport": "交通运输", "land": "自然资源", "hr": "人力资源",
    "finance": "财政", "agri": "农业农村", "civil": "民政", "market": "市场监督", "culture": "文化",
    "大气污染防治": "生态环境", "河湖长制": "水利", "草原生态保护修复": "林业和草原", "重点项目建设": "发展和改革",
    "中小企业发展": "工业和信息化|发展和改革", "城镇老旧小区改造": "住房和城乡建设", "优化营商环境": "发展和改革",
    "政务公开": "办公", "数字政府建设": "数据", "“高效办成一件事”": "数据", "安全生产治本攻坚": "应急管理",
    "森林草原防灭火": "应急管理", "防汛抗旱": "水利",
}


TOPICS: tuple[Topic, ...] = (
    Topic("edu", "义务教育优质均衡发展", (
        "推进城乡义务教育一体化发展", "实施薄弱学校改造提升工程", "深化集团化办学和城乡学校结对帮扶",
        "落实“双减”政策，提升课后服务质量", "完善控辍保学动态监测机制", "加强乡村教师队伍建设"),
        "到年底，{n}%以上的县（市、区）达到义务教育优质均衡发展标准"),
    Topic("edu", "学前教育普及普惠", (
        "新建和改扩建一批公办幼儿园", "规范普惠性民办幼儿园认定和扶持", "落实学前教育资助政策",
        "开展幼儿园保育教育质量评估", "配齐配足幼儿园教职工"), "学前三年毛入园率达到{n}%"),
    Topic("edu", "职业教育产教融合", (
        "推动职业院校与龙头企业共建产业学院", "扩大订单式人才培养规模", "建设一批高水平专业群",
        "健全“双师型”教师培养培训体系", "支持职业院校面向社会开展技能培训"), "职业院校毕业生就业率保持在{n}%以上"),
    Topic("edu", "中小学教师队伍建设", (
        "实施乡村教师支持计划", "落实中小学教师工资待遇保障长效机制", "开展教师全员培训",
        "推进“县管校聘”管理改革", "加强师德师风建设")),
    Topic("health", "基层医疗卫生服务能力提升", (
        "推进乡镇卫生院和村卫生室标准化建设", "加强全科医生培养使用", "做实家庭医生签约服务",
        "实施县级医院综合能力提升工程", "完善远程医疗服务网络"), "县域内就诊率达到{n}%"),
    Topic("health", "紧密型县域医共体建设", (
        "统一医共体内人员、财务和药品耗材管理", "推动检查检验结果互认", "建立双向转诊绿色通道",
        "完善医保总额付费和考核机制", "推动优质医疗资源向乡村下沉")),
    Topic("health", "传染病防控", (
        "强化发热门诊和哨点医院监测预警", "落实“早发现、早报告、早隔离、早治疗”要求", "做好重点人群疫苗接种",
        "深入开展爱国卫生运动和病媒生物防制", "做好防控物资储备")),
    Topic("health", "全民健康素养提升", (
        "开展健康知识进机关、进社区、进学校活动", "推广“三减三健”健康生活方式", "加强慢性病早期筛查和规范管理",
        "建设一批健康促进示范单位"), "居民健康素养水平达到{n}%"),
    Topic("eco", "大气污染防治", (
        "推进燃煤锅炉淘汰和清洁取暖改造", "加强工业企业无组织排放治理", "开展建筑工地扬尘专项整治",
        "强化重污染天气应急应对", "加强机动车排放检验监管"), "空气质量优良天数比例达到{n}%"),
    Topic("eco", "河湖长制", (
        "落实各级河湖长巡河巡湖责任", "开展河湖“清四乱”专项行动", "加强入河排污口排查整治",
        "推进重点河湖生态保护修复", "完善河湖管护长效机制")),
    Topic("eco", "草原生态保护修复", (
        "落实禁牧和草畜平衡制度", "实施退化草原人工种草生态修复", "加强草原有害生物防治",
        "严厉打击非法开垦草原行为", "推进草原承包经营权确权登记"), "草原综合植被盖度达到{n}%"),
    Topic("transport", "农村公路建设", (
        "推进农村公路提档升级", "实施危桥改造和安全生命防护工程", "深化“四好农村路”示范创建",
        "完善县乡村三级物流配送体系", "落实农村公路管养责任"), "新改建农村公路{n}公里"),
    Topic("transport", "冬季道路运输安全", (
        "加强冰雪路段巡查和除雪保通", "严查客运车辆超员、疲劳驾驶等违法行为", "做好节假日运输组织",
        "加强“两客一危”车辆动态监控", "储备应急运输运力")),
    Topic("land", "耕地保护", (
        "严格落实耕地保护目标责任制", "坚决遏制耕地“非农化”、严格管控“非粮化”", "开展耕地卫片执法检查",
        "推进补充耕地项目建设", "落实耕地占补平衡"), "耕地保有量不低于{n}万亩"),
    Topic("land", "国土空间规划实施", (
        "加快县级国土空间总体规划编制审批", "有序推进村庄规划编制", "落实“三区三线”管控要求",
        "建设国土空间基础信息平台")),
    Topic("hr", "高校毕业生就业", (
        "开展“百日千万”招聘专项行动", "拓宽基层就业和公益性岗位渠道", "落实一次性扩岗补助政策",
        "对困难毕业生开展“一对一”帮扶", "举办线上线下专场招聘会"), "城镇新增就业{n}万人"),
    Topic("hr", "根治欠薪", (
        "落实工程建设领域农民工工资专用账户和实名制管理", "开展欠薪线索动态清零行动", "畅通欠薪投诉举报渠道",
        "依法打击拒不支付劳动报酬违法犯罪行为")),
    Topic("hr", "职业技能提升", (
        "实施职业技能提升行动", "推行企业新型学徒制", "开展职业技能等级认定", "举办职业技能竞赛"),
        "开展补贴性职业技能培训{n}万人次"),
    Topic("finance", "预算绩效管理", (
        "全面实施预算绩效管理", "推进重大政策和项目事前绩效评估", "强化绩效目标审核和运行监控",
        "加强绩效评价结果应用", "推动绩效信息公开")),
    Topic("finance", "惠民惠农财政补贴资金“一卡通”管理", (
        "规范补贴资金发放流程", "建立补贴项目清单制度", "推进“一卡通”管理平台建设", "开展专项治理和监督检查")),
    Topic("agri", "高标准农田建设", (
        "统筹整合涉农资金", "推进田、水、林、路、电综合配套", "加强工程建设质量监管", "落实建后管护责任",
        "推广高效节水灌溉技术"), "新建和改造提升高标准农田{n}万亩"),
    Topic("agri", "春耕备耕", (
        "做好种子、化肥、农药等农资储备供应", "组织农技人员下沉一线指导", "加强农机检修和驾驶人员培训",
        "加强农资市场监管", "落实粮食生产扶持政策"), "粮食播种面积稳定在{n}万亩以上"),
    Topic("agri", "畜牧业高质量发展", (
        "推进规模化标准化养殖", "加强重大动物疫病防控", "发展饲草料产业", "培育畜产品加工龙头企业",
        "推进畜禽粪污资源化利用")),
    Topic("agri", "农村人居环境整治", (
        "推进农村户用厕所改造", "加强农村生活垃圾收运处置", "开展村庄清洁行动", "推进农村生活污水治理"),
        "农村卫生厕所普及率达到{n}%"),
    Topic("industry", "重点项目建设", (
        "建立重点项目包联推进机制", "加快项目审批和要素保障", "开展项目建设攻坚行动", "强化项目谋划储备",
        "定期调度通报项目进展"), "完成固定资产投资{n}亿元"),
    Topic("industry", "中小企业发展", (
        "落实减税降费政策", "开展“专精特新”企业培育", "缓解中小企业融资难融资贵问题", "清理拖欠中小企业账款",
        "优化涉企服务")),
    Topic("industry", "城镇老旧小区改造", (
        "加快水电气暖等基础设施改造", "完善养老托育等配套服务设施", "推进加装电梯和无障碍设施建设",
        "建立长效管理机制"), "改造城镇老旧小区{n}个"),
    Topic("gov", "优化营商环境", (
        "深化“放管服”改革", "推行涉企经营许可事项清单管理", "推进政务服务“一网通办”", "规范涉企行政执法检查",
        "建立企业诉求快速响应机制")),
    Topic("gov", "政务公开", (
        "加强政策文件集中统一公开", "做好重要政策解读和回应关切", "规范依申请公开办理",
        "推进基层政务公开标准化规范化", "加强政府网站和政务新媒体管理")),
    Topic("gov", "数字政府建设", (
        "推进政务数据共享开放", "建设一体化政务服务平台", "推进政府网站集约化建设", "加强政务信息系统整合",
        "提升数据安全保障能力")),
    Topic("gov", "“高效办成一件事”", (
        "梳理公布重点事项清单", "推行“一表申请、一套材料、一次办结”", "打通部门业务系统",
        "推进线上线下融合办理"), "重点事项平均办理时限压减{n}%"),
    Topic("safety", "安全生产治本攻坚", (
        "开展重大事故隐患专项排查整治", "压实企业安全生产主体责任", "加强危险化学品、矿山、消防等重点领域监管",
        "推进安全生产标准化建设", "加强应急救援队伍建设")),
    Topic("safety", "森林草原防灭火", (
        "落实防火责任制", "加强重点时段野外火源管控", "开展防火宣传进村入户", "加强扑火队伍和物资装备建设",
        "完善监测预警体系")),
    Topic("safety", "防汛抗旱", (
        "落实防汛行政责任人", "开展汛前隐患排查", "修订完善应急预案", "加强雨情水情监测预报", "做好抢险物资储备")),
    Topic("civil", "养老服务体系建设", (
        "建设县乡村三级养老服务网络", "发展社区嵌入式养老服务", "推进特困人员供养服务设施改造",
        "落实高龄津贴和养老服务补贴", "加强养老机构安全管理"), "新增养老床位{n}张"),
    Topic("civil", "社会救助", (
        "完善低保标准动态调整机制", "加强低收入人口动态监测", "落实临时救助制度", "推进“物质+服务”救助方式")),
    Topic("market", "食品安全", (
        "落实食品安全“两个责任”", "开展校园食品安全专项检查", "加强农村集体聚餐监管", "推进“明厨亮灶”建设",
        "强化食品安全抽检监测"), "食品抽检合格率保持在{n}%以上"),
    Topic("market", "质量强区建设", (
        "实施质量提升行动", "推进标准化建设", "加强计量和检验检测能力建设", "开展质量品牌培育")),
    Topic("culture", "文化和旅游融合发展", (
        "打造精品旅游线路", "推进A级旅游景区提质升级", "举办特色文化旅游节庆活动", "加强文物保护利用",
        "提升旅游公共服务水平"), "接待游客{n}万人次"),
)

GOAL_RANGES = {"%": (85, 98), "公里": (300, 1500), "万亩": (20, 300), "万人次": (80, 2500), "万人": (3, 30),
               "亿元": (120, 900), "个": (60, 600), "张": (800, 5000)}

IMPORTANCE = (
    "{topic}事关人民群众切身利益，是推动高质量发展的重要内容。",
    "做好{topic}工作，对于保障和改善民生、促进经济社会持续健康发展具有重要意义。",
    "{topic}是今年{here}确定的重点工作之一，社会关注度高，群众期盼强烈。",
    "当前{topic}工作已进入攻坚阶段，必须以更大力度、更实举措推动各项任务落实。",
)
REQUIREMENTS = (
    "各地各部门要切实提高思想认识，压紧压实工作责任，确保各项任务落地见效。",
    "要坚持问题导向和目标导向，聚焦短板弱项，拿出务实管用的举措。",
    "要加强统筹协调和督促检查，建立工作台账，定期调度通报进展情况。",
    "要坚持以人民为中心，把群众满意作为检验工作成效的根本标准。",
    "要加强宣传引导，及时回应社会关切，营造良好氛围。",
    "要严格落实属地责任、部门监管责任和单位主体责任，形成工作合力。",
)
_BUILDING = "项目现场机械轰鸣、车辆往来，施工人员正抢抓工期加紧作业。"
_SERVING = "工作人员正在有序开展各项工作，前来办事的群众络绎不绝。"
_FINISHED = "新建成的设施已投入使用，周边群众纷纷点赞。"
PLACES = {"产业园区": _BUILDING, "工业园区": _BUILDING, "物流园": _BUILDING, "高标准农田项目区": _BUILDING,
          "政务服务中心": _SERVING, "社区服务中心": _SERVING, "人民医院": _SERVING, "乡镇卫生院": _SERVING,
          "养老服务中心": _SERVING, "中心学校": _FINISHED, "农业示范基地": _FINISHED, "易地搬迁安置区": _FINISHED,
          "水源地保护区": _FINISHED}
ACTIONS = ("多措并举推进", "扎实推进", "全力抓好", "创新方式推进", "以“小切口”推动", "持续深化")
RESULTS = ("取得阶段性成效", "跑出“加速度”", "迈出新步伐", "见行见效", "群众获得感持续增强")


@dataclass(frozen=True)
class Voice:
    """Who speaks on a site and about what."""

    site_name: str
    unit: str  # 主办单位: 示范自治区人民政府 / 青岚市人民政府 / 示范自治区教育厅
    region: str  # 示范自治区 / 青岚市 / 白桦地区
    here: str  # 自治区 / 市 / 地区: how the region calls itself
    gov: str  # 自治区人民政府 / 市人民政府 / 地区行政公署
    office: str  # 自治区人民政府办公厅 / 市人民政府办公室 / 地区行政公署办公室
    doc_prefix: str  # 示政 / 青政 / 白行署 / 示教
    head_title: str
    head: str
    deputies: tuple[tuple[str, str], ...]  # (title, name)
    subregions: tuple[str, ...]
    addressee: str  # 各地（州、市）人民政府（行政公署），自治区人民政府各部门：
    departments: tuple[tuple[str, str], ...]  # (domain, name)
    mailbox: str
    domains: tuple[str, ...]
    is_department: bool
    newspaper: str
    local_news: str
    gov_docs: str
    office_docs: str
    special_title: str
    phone_prefix: str
    whole: str  # 全区 / 全市 / 全地区
    sub_term: str  # 各地（市） / 各县（市、区）
    domain: str  # shifan.gov.cn

    @property
    def office_full(self) -> str:
        """自治区人民政府办公厅 → 示范自治区人民政府办公厅; 地区行政公署办公室 → 白桦地区行政公署办公室."""
        return self.region + self.office.removeprefix(self.here)

    def title_fields(self) -> dict[str, str]:
        return {"mailbox": self.mailbox, "local_news": self.local_news, "gov_docs": self.gov_docs,
                "office_docs": self.office_docs, "special_title": self.special_title}

    def topics(self) -> list[Topic]:
        if not self.is_department:
            return list(TOPICS)
        return [t for t in TOPICS if t.domain in self.domains] or list(TOPICS)

    def department_for(self, topic: Topic, rng: random.Random) -> str:
        leads = (TOPIC_LEADS.get(topic.name) or TOPIC_LEADS.get(topic.domain, "")).split("|")
        matching = next(([name for _, name in self.departments if lead and lead in name] for lead in leads
                         if any(lead and lead in name for _, name in self.departments)), [])
        matching = matching or [name for domain, name in self.departments if domain == topic.domain]
        return rng.choice(matching or [name for _, name in self.departments] or [self.unit])


@dataclass(frozen=True)
class Article:
    title: str
    summary: str
    source: str
    body: str


# --- HTML helpers -------------------------------------------------------------------------------------------

def p(text: str) -> str:
    return f"<p>{text}</p>"


def strong(text: str) -> str:
    return f"<p><strong>{text}</strong></p>"


def ul(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def ol(items: Sequence[str]) -> str:
    return "<ol>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>"


def table(headers: Sequence[str] | None, rows: Sequence[Sequence[str]]) -> str:
    head = "<thead><tr>" + "".join(f"<th>{h}</th>" for h in headers) + "</tr></thead>" if headers else ""
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table>{head}<tbody>{body}</tbody></table>"


def field_table(rows: Sequence[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return f"<table><tbody>{body}</tbody></table>"


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def md(d: date) -> str:
    return f"{d.month}月{d.day}日"


def cn_number(n: int) -> str:
    return CN_NUMERALS[n - 1] if 1 <= n <= 10 else str(n)


def inner_quotes(text: str) -> str:
    """Quotation marks inside a quotation become single ones."""
    return text.replace("“", "‘").replace("”", "’")


def numbered(items: Sequence[str]) -> list[str]:
    return [f"{cn_number(i + 1)}、{item}" for i, item in enumerate(items)]


def goal_text(topic: Topic, rng: random.Random) -> str:
    if not topic.goal:
        return ""
    for unit, (low, high) in GOAL_RANGES.items():
        if topic.goal.split("{n}")[1].startswith(unit):
            return topic.goal.format(n=rng.randint(low, high))
    return topic.goal.format(n=rng.randint(10, 90))


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def summary_of(body_first: str) -> str:
    text = body_first.replace("<p>", "").replace("</p>", "")
    return text if len(text) <= 120 else text[:118] + "……"


def _measures(topic: Topic, rng: random.Random, k: int) -> list[str]:
    return rng.sample(topic.measures, min(k, len(topic.measures)))


def _achievement(topic: Topic, rng: random.Random, here: str) -> str:
    templates = (
        "今年以来，{here}累计投入资金{money}亿元，实施{topic}相关项目{n}个，完成年度计划的{pct}%。",
        "截至目前，{here}{topic}各项任务有序推进，{n}项重点任务已完成{done}项。",
        "今年前{months}个月，{here}{topic}主要指标均好于预期，群众满意度达到{pct}%。",
    )
    n = rng.randint(12, 160)
    return rng.choice(templates).format(
        here=here, topic=topic.name, money=round(rng.uniform(0.8, 36), 1), n=n, pct=rng.randint(72, 99),
        done=round(n * rng.uniform(0.6, 0.95)), months=rng.randint(3, 10))


# --- writers ------------------------------------------------------------------------------------------------

def gov_news(rng: random.Random, v: Voice, when: datetime) -> Article:
    topic, other = rng.sample(v.topics(), 2)
    d = when.date()
    deputy_title, deputy = rng.choice(v.deputies)
    sub = rng.choice(v.subregions)
    kind = rng.randrange(4)
    if kind == 0:
        n = d.timetuple().tm_yday // 9 + 1
        title = f"{v.head}主持召开{v.gov}第{n}次常务会议"
        paras = [
            f"{md(d)}，{v.here}{v.head_title}{v.head}主持召开{v.gov}第{n}次常务会议，研究部署{topic.name}、{other.name}等工作。",
            "会议指出，" + rng.choice(IMPORTANCE).format(topic=topic.name, here=v.region),
            f"会议强调，要{'，'.join(_measures(topic, rng, 3))}。" + rng.choice(REQUIREMENTS),
            f"会议审议并原则通过了《{v.region}{other.name}实施方案》，要求有关部门按程序印发实施。",
            "会议还研究了其他事项。",
        ]
    elif kind == 1:
        place_a, place_b = rng.sample(list(PLACES), 2)
        title = f"{v.head}在{sub}调研{topic.name}工作"
        paras = [
            f"{md(d)}，{v.here}{v.head_title}{v.head}深入{sub}{place_a}、{place_b}等地，调研{topic.name}工作。",
            f"调研中，{v.head}详细了解项目进展、资金使用和群众受益情况，与基层干部群众深入交流。",
            f"{v.head}指出，" + rng.choice(IMPORTANCE).format(topic=topic.name, here=v.region),
            f"{v.head}强调，要{'，'.join(_measures(topic, rng, 3))}，" + rng.choice(REQUIREMENTS),
            f"{v.here}有关部门负责同志参加调研。",
        ]
    elif kind == 2:
        title = f"{v.region}{topic.name}工作推进会召开"
        paras = [
            f"{md(d)}，{v.region}{topic.name}工作推进会召开。{v.here}{deputy_title}{deputy}出席会议并讲话。",
            f"会议通报了今年以来{v.whole}{topic.name}工作进展情况。" + _achievement(topic, rng, v.whole),
            f"{sub}和{v.department_for(topic, rng)}作交流发言。",
            "会议要求：",
            ol([m + "。" for m in _measures(topic, rng, 4)]),
            rng.choice(REQUIREMENTS),
        ]
    else:
        title = f"{v.region}举行{topic.name}新闻发布会"
        goal = goal_text(topic, rng)
        paras = [
            f"{md(d)}，{v.office_full}举行新闻发布会，介绍{v.region}{topic.name}有关情况，并回答记者提问。",
            _achievement(topic, rng, v.whole),
            f"据介绍，下一步{v.region}将{'，'.join(_measures(topic, rng, 3))}" + (f"，力争{goal}。" if goal else "。"),
            f"{v.department_for(topic, rng)}、{v.department_for(other, rng)}负责同志出席发布会。",
        ]
    body = "".join(x if x.startswith("<") else p(x) for x in paras)
    return Article(title, summary_of(p(paras[0])), rng.choice((v.newspaper, v.office_full)), body)


def dept_news(rng: random.Random, v: Voice, when: datetime) -> Article:
    topic = rng.choice(v.topics())
    dept = v.department_for(topic, rng)
    d = when.date()
    sub = rng.choice(v.subregions)
    templates = (
        f"{dept}召开{d.year}年{topic.name}工作推进会",
        f"{dept}部署开展{topic.name}专项行动",
        f"{dept}举办{topic.name}业务培训班",
        f"{dept}赴{sub}督导{topic.name}工作",
    )
    kind = rng.randrange(len(templates))
    title = templates[kind]
    first = {
        0: f"{md(d)}，{dept}召开{d.year}年{topic.name}工作推进会，总结前一阶段工作，安排部署下一步重点任务。",
        1: f"近日，{dept}印发通知，在{v.whole}范围内部署开展{topic.name}专项行动，行动时间持续至年底。",
        2: f"{md(d)}至{md(d + timedelta(days=2))}，{dept}举办{topic.name}业务培训班，"
           f"{v.sub_term}业务骨干{rng.randint(60, 220)}人参加培训。",
        3: f"{md(d)}，{dept}督导组赴{sub}，采取查阅资料、实地察看、座谈交流等方式，督导{topic.name}工作。",
    }[kind]
    paras = [
        first,
        _achievement(topic, rng, v.whole),
        "重点做好以下工作：",
        ul([m + "。" for m in _measures(topic, rng, 3)]),
        rng.choice(REQUIREMENTS),
    ]
    body = "".join(x if x.startswith("<") else p(x) for x in paras)
    return Article(title, summary_of(p(first)), dept, body)


def unit_news(rng: random.Random, v: Voice, when: datetime) -> Article:
    """工作动态 of a department site: the department itself speaks."""
    topic = rng.choice(v.topics())
    d = when.date()
    sub = rng.choice(v.subregions)
    deputy_title, deputy = rng.choice(v.deputies)
    short = v.unit.removeprefix(v.region)
    templates = (
        (f"{v.here}{short}召开{d.year}年{topic.name}工作会议",
         f"{md(d)}，{v.here}{short}召开{d.year}年{topic.name}工作会议。{v.head_title}{v.head}出席会议并讲话。",
         "会议指出"),
        (f"{v.head}带队赴{sub}调研{topic.name}工作",
         f"{md(d)}，{v.here}{short}{v.head_title}{v.head}带队赴{sub}，调研{topic.name}工作。", f"{v.head}指出"),
        (f"{v.whole}{topic.name}现场推进会在{sub}召开",
         f"{md(d)}，{v.whole}{topic.name}现场推进会在{sub}召开，{deputy_title}{deputy}出席会议。", "会议指出"),
        (f"{v.here}{short}举办{topic.name}专题培训",
         f"{md(d)}，{v.here}{short}举办{topic.name}专题培训，系统内{rng.randint(80, 300)}名干部参加。", "培训强调"),
    )
    title, first, said = rng.choice(templates)
    paras = [
        first,
        f"{said}，" + rng.choice(IMPORTANCE).format(topic=topic.name, here=v.region),
        _achievement(topic, rng, v.whole),
        f"下一步，要{'，'.join(_measures(topic, rng, 3))}。" + rng.choice(REQUIREMENTS),
    ]
    body = "".join(p(x) for x in paras)
    return Article(title, summary_of(p(first)), v.unit, body)


def local_news(rng: random.Random, v: Voice, when: datetime, topics: Sequence[Topic] | None = None) -> Article:
    topic = rng.choice(list(topics) if topics else v.topics())
    sub = rng.choice(v.subregions)
    d = when.date()
    title = rng.choice((
        f"{sub}：{rng.choice(ACTIONS)}{topic.name}",
        f"{sub}{topic.name}{rng.choice(RESULTS)}",
        f"{sub}以“{rng.choice(('三个一', '四到位', '五个一批', '六项机制'))}”推动{topic.name}落地见效",
    ))
    place = rng.choice(list(PLACES))
    paras = [
        f"今年以来，{sub}把{topic.name}作为重点工作，{'，'.join(_measures(topic, rng, 2))}，各项工作取得积极进展。",
        f"{md(d)}，记者在{sub}{place}看到，{PLACES[place]}",
        _achievement(topic, rng, sub),
        f"“下一步，我们将{inner_quotes(rng.choice(topic.measures))}，让群众有更多获得感。”{sub}有关负责人表示。",
    ]
    body = "".join(p(x) for x in paras)
    source = f"{sub}融媒体中心" if sub.endswith(("县", "区", "市")) and v.here != "自治区" else v.newspaper
    return Article(title, summary_of(p(paras[0])), source, body)


HOLIDAYS = ((1, 1, "元旦"), (2, 10, "春节"), (4, 4, "清明节"), (5, 1, "劳动节"), (6, 10, "端午节"),
            (9, 20, "中秋节"), (10, 1, "国庆节"))


def notice(rng: random.Random, v: Voice, when: datetime) -> Article:
    d = when.date()
    topic = rng.choice(v.topics())
    issuer = v.office_full if not v.is_department else v.unit
    kinds = ["inspection", "holiday", "consult", "website"] if not v.is_department else ["inspection", "holiday",
                                                                                            "consult"]
    if d.month == 1 and d.day <= 31:
        kinds += ["annual"] * 3
    kind = rng.choice(kinds)
    if kind == "inspection":
        title = f"关于开展{d.year}年{topic.name}专项检查的通知"
        start = d + timedelta(days=rng.randint(5, 15))
        paras = [
            p(v.addressee),
            p(f"为深入推进{topic.name}工作，及时发现和解决存在的问题，经研究，决定于{cn_date(start)}至"
              f"{cn_date(start + timedelta(days=rng.randint(20, 45)))}开展专项检查。现将有关事项通知如下："),
            strong("一、检查内容"),
            ul([m + "情况。" for m in _measures(topic, rng, 4)]),
            strong("二、方法步骤"),
            p("检查分自查自纠、重点抽查和整改落实三个阶段进行。各单位要对照检查内容认真开展自查，"
              f"于{cn_date(start + timedelta(days=10))}前报送自查报告。"),
            strong("三、工作要求"),
            p(rng.choice(REQUIREMENTS) + "对检查发现的问题，要建立台账、限期整改、逐项销号。"),
            p(f"联系电话：{v.phone_prefix}-{rng.randint(2000000, 8999999)}"),
            p(issuer), p(cn_date(d)),
        ]
    elif kind == "holiday":
        month, day, name = next(((m, dd, n) for m, dd, n in HOLIDAYS if (m, dd) >= (d.month, d.day)), HOLIDAYS[0])
        year = d.year if (month, day) >= (d.month, d.day) else d.year + 1
        title = f"关于做好{year}年{name}期间值班值守工作的通知"
        paras = [
            p(v.addressee),
            p(f"{name}将至，为确保节日期间各项工作正常运转，及时妥善处置各类突发事件，现就有关事项通知如下："),
            ol(["严格落实领导干部带班和工作人员24小时值班制度，值班人员要坚守岗位，保持通信畅通。",
                "加强安全生产、森林草原防火、道路交通、食品安全等重点领域隐患排查，坚决防范各类事故发生。",
                "做好节日期间市场供应和价格监测，保障群众生活必需品供应充足、价格基本稳定。",
                "严格执行信息报送制度，遇有重大突发事件，要第一时间报告并妥善处置，不得迟报、漏报、瞒报。"]),
            p(f"请于{md(d + timedelta(days=3))}前将值班安排表报{issuer}值班室。"),
            p(issuer), p(cn_date(d)),
        ]
    elif kind == "consult":
        doc = f"《{v.region}{topic.name}实施方案（征求意见稿）》"
        title = f"关于公开征求{doc}意见的公告"
        end = d + timedelta(days=30)
        paras = [
            p(f"为提高政策制定的科学性和透明度，现将{doc}全文公布，向社会公开征求意见。"
              f"公众可在{cn_date(end)}前，通过以下方式提出意见建议："),
            ul([f"电子邮件：zqyj@{v.domain}（邮件主题请注明“{topic.name}意见”）",
                f"信函：寄至{issuer}（信封上请注明“征求意见”字样）",
                "登录本网站“互动交流—征集调查”栏目在线提交"]),
            p("感谢您的参与和支持！"),
            p(issuer), p(cn_date(d)),
        ]
    elif kind == "website":
        quarter = (d.month - 1) // 3 or 4
        year = d.year if quarter != 4 else d.year - 1
        checked = rng.randint(60, 180)
        passed = checked - rng.randint(0, 6)
        title = f"关于{year}年第{cn_number(quarter)}季度政府网站和政务新媒体检查情况的通报"
        paras = [
            p(v.addressee),
            p(f"按照政府网站和政务新媒体管理有关要求，{v.office_full}对{v.region}政府网站和政务新媒体开展了"
              f"第{cn_number(quarter)}季度检查。现将有关情况通报如下："),
            strong("一、总体情况"),
            table(("类别", "检查数量", "合格数量", "合格率"), (
                ("政府网站", str(checked), str(passed), f"{passed * 100 // checked}%"),
                ("政务新媒体", str(checked * 2), str(checked * 2 - 5), f"{(checked * 2 - 5) * 100 // (checked * 2)}%"),
            )),
            strong("二、存在的主要问题"),
            ul(["个别网站首页长期不更新，部分栏目超过规定时限未更新。", "部分网站存在空白栏目和错链、断链问题。",
                "部分网站互动交流栏目留言答复不及时。", "个别政务新媒体存在“僵尸”“睡眠”账号问题。"]),
            strong("三、有关要求"),
            p("各地各部门要对照问题清单逐项整改，于通报印发之日起15个工作日内将整改情况报送。" + rng.choice(REQUIREMENTS)),
            p(v.office_full), p(cn_date(d)),
        ]
    else:
        year = d.year - 1
        title = rng.choice((f"{v.site_name}{year}年政府网站工作年度报表",
                            f"{v.unit}{year}年政府信息公开工作年度报告"))
        paras = [
            p(f"根据有关规定，现公开{title.removeprefix(v.site_name).removeprefix(v.unit)}。"),
            table(("项目", "数量"), (
                ("主动公开政府信息（条）", str(rng.randint(1800, 9800))),
                ("发布政策解读材料（篇）", str(rng.randint(30, 160))),
                ("收到依申请公开（件）", str(rng.randint(20, 300))),
                ("网站留言办结（件）", str(rng.randint(100, 900))),
                ("在线访谈（期）", str(rng.randint(3, 12))),
            )),
            p("本报告所列数据的统计期限自" + f"{year}年1月1日起至{year}年12月31日止。"),
            p(issuer), p(cn_date(d)),
        ]
    summary = summary_of(paras[1] if paras[0] == p(v.addressee) else paras[0])
    return Article(title, summary, issuer, "".join(paras))


def _doc_meta(v: Voice, issuer: str, number: str, written: date, published: date, topic: Topic) -> str:
    return field_table((
        ("发文机关", issuer), ("发文字号", number), ("成文日期", cn_date(written)), ("发布日期", cn_date(published)),
        ("主题分类", topic.name), ("有效性", "有效"),
    ))


def _policy_doc(rng: random.Random, v: Voice, when: datetime, issuer: str, prefix: str) -> Article:
    d = when.date()
    topic = rng.choice(v.topics())
    written = d - timedelta(days=rng.randint(2, 10))
    number = f"{prefix}〔{d.year}〕{d.timetuple().tm_yday // 5 + rng.randint(1, 3)}号"
    kind = rng.randrange(3)
    doc_title = {0: f"{v.region}{topic.name}实施方案", 1: f"{v.region}{topic.name}三年行动计划",
                 2: f"关于进一步做好{topic.name}工作的若干措施"}[kind]
    title = f"{issuer}关于印发《{doc_title}》的通知"
    goal = goal_text(topic, rng)
    measures = _measures(topic, rng, 5)
    paras = [
        _doc_meta(v, issuer, number, written, d, topic),
        p(v.addressee),
        p(f"现将《{doc_title}》印发给你们，请结合实际，认真贯彻落实。"),
        p(issuer), p(cn_date(written)), p("（此件公开发布）"),
        f"<h2>{doc_title}</h2>",
        p(f"为深入推进{topic.name}工作，结合{v.region}实际，制定本{doc_title[-2:] if kind < 2 else '措施'}。"),
        strong("一、总体要求"),
        p("坚持以人民为中心的发展思想，坚持问题导向、系统观念，统筹发展和安全，"
          f"着力补短板、强弱项、提质效，推动{topic.name}工作取得新成效。"),
    ]
    if goal:
        paras += [strong("二、主要目标"), p(f"到{d.year + (2 if kind == 1 else 0)}年底，{goal}。")]
    paras += [
        strong(f"{'三' if goal else '二'}、重点任务"),
        ol([f"{m}。" for m in measures]),
        strong(f"{'四' if goal else '三'}、保障措施"),
        p("（一）加强组织领导。各级各有关部门要把此项工作列入重要议事日程，明确责任分工，细化工作措施。"),
        p("（二）强化要素保障。统筹用好各类资金，加强人才、用地等要素保障。"),
        p("（三）严格督促检查。将落实情况纳入年度绩效考核，定期通报进展情况。"),
    ]
    return Article(title, f"{number}。现将《{doc_title}》印发给你们，请结合实际，认真贯彻落实。", issuer, "".join(paras))


def gov_doc(rng: random.Random, v: Voice, when: datetime) -> Article:
    return _policy_doc(rng, v, when, v.unit, f"{v.doc_prefix}发")


def office_doc(rng: random.Random, v: Voice, when: datetime) -> Article:
    return _policy_doc(rng, v, when, v.office_full, f"{v.doc_prefix}办发")


def unit_doc(rng: random.Random, v: Voice, when: datetime) -> Article:
    return _policy_doc(rng, v, when, v.unit, f"{v.doc_prefix}发")


def interpretation(rng: random.Random, v: Voice, when: datetime) -> Article:
    topic = rng.choice(v.topics())
    doc = f"《{v.region}{topic.name}实施方案》"
    dept = v.department_for(topic, rng) if not v.is_department else v.unit
    title = rng.choice((f"{doc}政策解读", f"{dept}负责人就{doc}答记者问", f"图文解读：{doc}"))
    goal = goal_text(topic, rng)
    paras = [
        p(f"近日，{v.unit}印发{doc}（以下简称《方案》）。为便于社会公众理解，现就《方案》有关内容解读如下。"),
        strong("一、出台背景"),
        p(rng.choice(IMPORTANCE).format(topic=topic.name, here=v.region)
          + "制定《方案》，是贯彻落实上级决策部署、回应群众关切的具体举措。"),
        strong("二、主要目标"),
        p(f"《方案》提出，{goal}。" if goal else f"《方案》提出，用两到三年时间，使{topic.name}工作机制更加健全、成效更加明显。"),
        strong("三、重点任务"),
        p("《方案》明确了以下重点任务："),
        ul([f"{m}。" for m in _measures(topic, rng, 4)]),
        strong("四、如何抓好落实"),
        p(f"{dept}将会同有关部门建立工作推进机制，加强跟踪问效，及时总结推广好经验好做法。"),
        p(f"解读机关：{dept}　　联系电话：{v.phone_prefix}-{rng.randint(2000000, 8999999)}"),
    ]
    return Article(title, summary_of(paras[0]), dept, "".join(paras))


POSTS = ("办公室主任", "副局长", "副主任", "总工程师", "调研员", "副处长")
MAJORS = {
    "综合管理": ("汉语言文学", "行政管理", "法学", "新闻学"),
    "专业技术": ("土木工程", "环境工程", "农学", "临床医学"),
    "信息技术": ("计算机科学与技术", "软件工程", "网络工程"),
    "财务会计": ("会计学", "财务管理", "审计学"),
}
UNIVERSITIES = ("示范大学", "示范师范大学", "示范农业大学", "示范医科大学", "青岚学院")


def personnel(rng: random.Random, v: Voice, when: datetime) -> Article:
    d = when.date()
    kind = rng.randrange(3)
    if kind == 0:
        title = f"{v.unit}所属事业单位{d.year}年公开招聘工作人员公告"
        rows = []
        for i in range(rng.randint(3, 6)):
            category = rng.choice(list(MAJORS))
            rows.append((f"{d.year % 100:02d}{i + 1:03d}", category, str(rng.randint(1, 4)),
                         rng.choice(("本科及以上", "本科及以上（学士学位）", "研究生")),
                         "、".join(rng.sample(MAJORS[category], 2))))
        start = d + timedelta(days=rng.randint(5, 12))
        paras = [
            p(f"根据事业单位公开招聘有关规定，经研究，{v.unit}所属事业单位面向社会公开招聘工作人员"
              f"{sum(int(r[2]) for r in rows)}名。现将有关事项公告如下："),
            strong("一、招聘岗位"),
            table(("岗位代码", "岗位类别", "招聘人数", "学历要求", "专业要求"), rows),
            strong("二、报名时间和方式"),
            p(f"报名时间：{cn_date(start)}至{cn_date(start + timedelta(days=6))}。报名采取网上报名方式进行。"),
            strong("三、考试和考察"),
            p("考试分笔试和面试两个环节，笔试和面试成绩按各占50%的比例合成总成绩。根据总成绩从高分到低分确定考察人选。"),
            p(f"咨询电话：{v.phone_prefix}-{rng.randint(2000000, 8999999)}（工作日）"),
        ]
    elif kind == 1:
        names = [person(rng) for _ in range(rng.randint(2, 4))]
        title = f"{v.unit}关于{names[0]}等同志职务任免的通知"
        paras = [
            p(f"经{d.year}年{d.month}月{max(1, d.day - 3)}日{'政府常务会议' if not v.is_department else '党组会议'}研究决定："),
            p("任命：" + "；".join(f"{n}为{v.region}{rng.choice(POSTS)}" for n in names[:-1]) + "。"),
            p(f"免去：{names[-1]}的{v.region}{rng.choice(POSTS)}职务。"),
            p(v.unit), p(cn_date(d)),
        ]
    else:
        names = [person(rng) for _ in range(rng.randint(2, 4))]
        title = f"{d.year}年{v.unit}拟录用公务员（参照管理人员）公示"
        paras = [
            p(f"根据{d.year}年度公务员招录工作安排，经笔试、面试、体检和考察，确定以下人员为拟录用人员，现予以公示。"),
            table(("姓名", "性别", "准考证号", "毕业院校", "拟录用职位"),
                  [(n, rng.choice(("男", "女")), f"{rng.randint(10**9, 10**10 - 1)}", rng.choice(UNIVERSITIES),
                    rng.choice(("综合管理岗", "法制审核岗", "财务管理岗"))) for n in names]),
            p(f"公示期为5个工作日（{md(d)}至{md(d + timedelta(days=7))}）。公示期间，如有问题可通过来信、来电等方式反映。"),
            p(f"监督电话：{v.phone_prefix}-{rng.randint(2000000, 8999999)}"),
        ]
    return Article(title, summary_of(paras[0]), v.unit, "".join(paras))


def plan(rng: random.Random, v: Voice, when: datetime) -> Article:
    d = when.date()
    topic = rng.choice(v.topics())
    kind = rng.randrange(3)
    five_year = (f"{v.region}“十五五”{topic.name}规划（2026—2030年）" if d.year >= 2026
                 else f"{v.region}“十四五”{topic.name}规划实施情况中期评估报告")
    title = {0: f"{v.region}{d.year}年{topic.name}工作要点", 1: five_year,
             2: f"{v.unit}{d.year}年重点工作任务分解方案"}[kind]
    goal = goal_text(topic, rng)
    paras = [
        p(f"为扎实推进{topic.name}工作，结合{v.region}实际，制定本{'要点' if kind == 0 else '规划' if kind == 1 else '方案'}。"),
        strong("一、指导思想"),
        p("坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念，坚持以人民为中心，推动各项工作高质量发展。"),
        strong("二、主要目标"),
        p(goal + "。" if goal else f"{topic.name}工作机制更加健全，重点任务全面完成，群众满意度持续提升。"),
        strong("三、重点任务"),
        table(("序号", "任务内容", "牵头单位", "完成时限"),
              [(str(i + 1), m, v.department_for(topic, rng) if not v.is_department else v.unit,
                f"{d.year}年{rng.choice((6, 9, 12))}月底前") for i, m in enumerate(_measures(topic, rng, 4))]),
        strong("四、保障措施"),
        p("各责任单位要明确分管领导和具体责任人，制定推进计划，每季度末报送工作进展情况。"),
    ]
    return Article(title, summary_of(paras[0]), v.unit, "".join(paras))


STATIC_ITEMS = ("主要职责", "内设机构", "领导信息", "联系方式")
GOVERNMENT_DUTIES = (
    "执行本级人民代表大会及其常务委员会的决议，以及上级国家行政机关的决定和命令，规定行政措施，发布决定和命令。",
    "领导所属各工作部门和下级人民政府的工作。",
    "编制和执行国民经济和社会发展规划纲要、计划和预算，管理本行政区域内的经济、教育、科学、文化、卫生、体育、"
    "城乡建设等事业和生态环境保护、自然资源、财政、民政、社会保障等行政工作。",
    "保护社会主义的全民所有的财产和劳动群众集体所有的财产，保护公民私人所有的合法财产，维护社会秩序，保障公民的"
    "人身权利、民主权利和其他权利。",
    "保障各少数民族的权利和尊重少数民族的风俗习惯。",
    "推进政务公开，提供便捷高效的政务服务。",
    "办理上级国家行政机关交办的其他事项。",
)


def static(rng: random.Random, v: Voice, when: datetime, index: int = 0) -> Article:
    item = STATIC_ITEMS[index % len(STATIC_ITEMS)]
    title = f"{v.unit}{item}" if index < len(STATIC_ITEMS) else f"{v.unit}{item}（{when.year}年更新）"
    if item == "主要职责" and v.is_department:
        duties = ["贯彻执行党和国家的方针政策和法律法规，拟订并组织实施有关政策措施。"]
        duties += [f"负责{t.name}工作，{t.measures[0]}，{t.measures[1]}。" for t in v.topics()[:4]]
        duties += ["负责本领域政务公开、政务服务和安全生产有关工作。", "完成上级交办的其他任务。"]
        body = p(f"{v.unit}的主要职责是：") + ol(duties)
    elif item == "主要职责":
        body = p(f"{v.unit}是{v.region}的行政机关，依法行使下列职权：") + ol(GOVERNMENT_DUTIES)
    elif item == "内设机构":
        offices = ["办公室", "政策法规处", "规划财务处", "人事处", "政务服务处"] if v.is_department else [
            "办公室（厅）", "督查室", "政务公开办公室", "政务服务管理办公室", "信访局"]
        body = p(f"{v.unit}设下列内设机构：") + ul(offices) + p("机关党委负责机关和所属单位的党群工作。")
    elif item == "领导信息":
        rows = [(v.head, f"{v.head_title}", "主持全面工作。")]
        rows += [(name, title_, "负责" + "、".join(t.name for t in rng.sample(v.topics(), 2)) + "等方面工作。")
                 for title_, name in v.deputies]
        body = table(("姓名", "职务", "工作分工"), rows)
    else:
        body = field_table((
            ("办公地址", f"{v.region}{rng.choice(('政通路', '建设大街', '迎宾大道'))}{rng.randint(1, 200)}号"),
            ("邮政编码", f"99{rng.randint(1000, 9999)}"),
            ("办公电话", f"{v.phone_prefix}-{rng.randint(2000000, 8999999)}"),
            ("办公时间", "工作日 上午9:30—13:30，下午16:00—19:30（北京时间）"),
        ))
    return Article(title, f"{v.unit}{item}。", v.unit, body)


MAIL_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("edu", "孩子随迁到{sub}上小学需要准备哪些材料",
     "进城务工人员随迁子女申请就读义务教育学校，一般需提供户口簿、居住证或居住登记证明、监护人就业证明等材料，"
     "由居住地教育行政部门统筹安排入学。具体材料清单以当地教育部门当年发布的招生工作公告为准。"),
    ("edu", "{sub}学校课后服务收费是否合理",
     "课后服务坚持家长自愿原则，收费标准由发展改革、教育部门按成本补偿、非营利原则核定并向社会公示。"
     "经核查，该校收费标准符合规定，学校已进一步做好政策宣传和家长沟通工作。"),
    ("health", "异地就医如何办理备案",
     "参保人员可通过国家医保服务平台或当地医保经办窗口办理异地就医备案。备案成功后，在开通直接结算的定点医疗机构就医时，"
     "可直接结算医疗费用。"),
    ("health", "{sub}乡镇卫生院能否开通医保报销",
     "经卫生健康和医疗保障部门核实，该卫生院已纳入医保定点管理，门诊和住院费用均可按规定直接结算。"),
    ("hr", "灵活就业人员如何参加职工养老保险",
     "在本地就业的灵活就业人员，可持身份证到参保地社会保险经办机构或通过线上渠道办理参保登记，"
     "按规定的缴费基数自主选择缴费档次。"),
    ("hr", "反映{sub}某工地拖欠农民工工资问题",
     "接到来信后，人力资源和社会保障部门立即会同住建部门进行调查核实，督促施工企业制定支付计划。"
     "目前，涉及的工资已全部支付到位。"),
    ("transport", "{sub}至{sub2}的客运班线能否增加班次",
     "交通运输部门已对该线路客流情况进行调查，决定在节假日和周末增开班次，具体时刻以客运站公告为准。"),
    ("land", "农村宅基地确权登记办理进度如何查询",
     "群众可持身份证到所在乡镇自然资源所或不动产登记窗口查询办理进度，也可拨打不动产登记咨询电话查询。"),
    ("civil", "高龄津贴的申领条件是什么",
     "具有本地户籍、年满80周岁的老年人可申领高龄津贴。申请人或其家属可向户籍所在地社区（村）提出申请，"
     "经乡镇（街道）审核、民政部门审批后按月发放。"),
    ("market", "{sub}小区楼下餐馆油烟扰民问题",
     "市场监管部门会同生态环境部门进行了现场检查，责令该餐馆限期安装油烟净化设施并定期清洗。"
     "目前整改已完成，将持续跟踪监管。"),
    ("agri", "今年耕地地力保护补贴什么时候发放",
     "耕地地力保护补贴资金已下达，正在按程序核实面积，核实完毕后将通过惠民惠农财政补贴资金“一卡通”发放到户。"),
    ("eco", "反映{sub}河道有垃圾堆放问题",
     "接件后，属地河长办立即组织人员进行清理，并将该河段纳入日常巡河重点，防止问题反弹。"),
    ("gov", "企业开办能否全程网上办理",
     "目前企业开办已实现“一网通办”，营业执照、公章刻制、发票申领、社保登记等事项可通过政务服务网一次申请、"
     "并联办理，一般1个工作日内办结。"),
    ("culture", "{sub}景区门票对老年人有无优惠",
     "按照有关规定，景区对65周岁以上老年人实行门票减免，凭有效身份证件即可享受优惠。"),
)


def _pick_question(rng: random.Random, v: Voice, *, questions_only: bool = False) -> tuple[str, str, str]:
    """A letter for the mailbox, or (questions_only) a question for 政务咨询: complaints are not questions."""
    domains = set(v.domains) if v.is_department else None
    pool = [q for q in MAIL_QUESTIONS if not (questions_only and q[1].startswith("反映"))]
    pool = [q for q in pool if domains is None or q[0] in domains] or pool
    domain, question, answer = rng.choice(pool)
    sub, sub2 = (rng.sample(v.subregions, 2) if len(v.subregions) > 1 else (v.subregions[0], v.region))
    return domain, question.format(sub=sub, sub2=sub2), answer


def _answering_department(v: Voice, domain: str, rng: random.Random) -> str:
    if v.is_department:
        return v.unit
    return v.department_for(next(t for t in TOPICS if t.domain == domain), rng)


def mailbox(rng: random.Random, v: Voice, when: datetime) -> Article:
    d = when.date()
    domain, question, answer = _pick_question(rng, v)
    dept = _answering_department(v, domain, rng)
    asked = d - timedelta(days=rng.randint(2, 9))
    title = f"关于{question}的回复"
    body = field_table((
        ("来信人", rng.choice(("林", "苏", "韩", "沈", "顾")) + "**"),
        ("来信时间", cn_date(asked)),
        ("来信内容", f"您好！想咨询一下{question}，希望有关部门给予答复，谢谢。"),
        ("办理单位", dept),
        ("答复时间", cn_date(d)),
    )) + p("来信人您好：") + p(f"您通过“{v.mailbox}”反映的问题收悉。现答复如下：") + p(answer) + p(
        "感谢您对我们工作的关心和支持！") + p(dept)
    return Article(title, f"来信人反映{question}，{dept}已办理答复。", dept, body)


def consult(rng: random.Random, v: Voice, when: datetime) -> Article:
    domain, question, answer = _pick_question(rng, v, questions_only=True)
    dept = _answering_department(v, domain, rng)
    title = question + "？"
    body = p(f"<strong>问：</strong>{question}？") + p(f"<strong>答：</strong>{answer}") + p(
        f"答复单位：{dept}　　答复时间：{cn_date(when.date())}")
    return Article(title, answer[:100], dept, body)


def interview(rng: random.Random, v: Voice, when: datetime) -> Article:
    topic = rng.choice(v.topics())
    dept = v.department_for(topic, rng) if not v.is_department else v.unit
    guest = person(rng)
    title = f"{dept}负责人做客在线访谈：聚焦{topic.name}"
    measures = _measures(topic, rng, 3)
    body = field_table((
        ("访谈时间", f"{cn_date(when.date())} 10:00"),
        ("访谈嘉宾", f"{dept}副职负责人 {guest}"),
        ("访谈主题", topic.name),
    )) + "".join((
        p(f"<strong>主持人：</strong>请您介绍一下今年{v.whole}{topic.name}工作的总体情况。"),
        p(f"<strong>{guest}：</strong>" + _achievement(topic, rng, v.whole)),
        p("<strong>主持人：</strong>群众比较关心的是，下一步还有哪些具体举措？"),
        p(f"<strong>{guest}：</strong>下一步，我们将重点做好三方面工作：一是{measures[0]}；二是{measures[1]}；"
          f"三是{measures[-1]}。"),
        p("<strong>主持人：</strong>感谢您做客在线访谈！网友在访谈中提出的问题，我们将转交有关部门办理答复。"),
    ))
    return Article(title, f"{dept}负责人{guest}做客在线访谈，介绍{topic.name}工作情况并回答网友提问。", v.unit, body)


def survey(rng: random.Random, v: Voice, when: datetime) -> Article:
    topic = rng.choice(v.topics())
    d = when.date()
    doc = f"《{v.region}{topic.name}三年行动计划（征求意见稿）》"
    if rng.random() < 0.5:
        title = f"{doc}公开征求意见"
        body = p(f"为广泛听取社会各界意见建议，现将{doc}向社会公开征求意见。") + field_table((
            ("征集时间", f"{cn_date(d)}至{cn_date(d + timedelta(days=30))}"),
            ("征集单位", v.department_for(topic, rng) if not v.is_department else v.unit),
            ("参与方式", "在本栏目页面下方留言，或通过信函寄送意见"),
        )) + p("请在意见中注明真实姓名和联系方式，以便进一步沟通。")
    else:
        received = rng.randint(6, 80)
        adopted = rng.randint(1, max(1, received // 3))
        title = f"{doc}意见征集情况反馈"
        body = p(f"{doc}于近期向社会公开征求意见，共收到意见建议{received}条，经认真研究，采纳{adopted}条。") + ul([
            f"关于{m}的建议，已在修改稿中予以吸收。" for m in _measures(topic, rng, 2)
        ]) + p("对未采纳的意见建议，主要原因是超出本文件调整范围或已有相关规定。感谢社会各界的关心和支持！")
    return Article(title, summary_of(body.split("</p>")[0] + "</p>"), v.unit, body)


@dataclass(frozen=True)
class ServiceItem:
    name: str
    domain: str
    basis: str
    conditions: str
    materials: tuple[str, ...]
    limit: str


SERVICE_ITEMS: tuple[ServiceItem, ...] = (
    ServiceItem("社会保障卡申领", "hr", "《中华人民共和国社会保险法》", "参加本地社会保险的人员。",
                ("居民身份证原件", "近期免冠证件照片（可现场采集）"), "即时办结"),
    ServiceItem("城乡居民基本养老保险参保登记", "hr", "《中华人民共和国社会保险法》",
                "年满16周岁（不含在校学生），非国家机关和事业单位工作人员及不属于职工基本养老保险覆盖范围的城乡居民。",
                ("居民身份证或户口簿", "《城乡居民基本养老保险参保登记表》"), "即时办结"),
    ServiceItem("失业保险金申领", "hr", "《失业保险条例》", "非因本人意愿中断就业、已办理失业登记并有求职要求，且缴费满一年。",
                ("居民身份证", "解除或终止劳动关系证明", "本人银行账户信息"), "5个工作日"),
    ServiceItem("义务教育阶段学生转学", "edu", "《中华人民共和国义务教育法》", "因户籍迁移、监护人工作调动等原因需转学的学生。",
                ("转学申请表", "户口簿", "转入学校接收证明"), "10个工作日"),
    ServiceItem("教师资格认定", "edu", "《教师资格条例》", "具备规定学历、普通话水平达标并通过教师资格考试的人员。",
                ("居民身份证", "学历证书", "普通话水平测试等级证书", "体检合格证明"), "20个工作日"),
    ServiceItem("医师执业注册", "health", "《中华人民共和国医师法》", "取得医师资格，拟在医疗、预防、保健机构执业的人员。",
                ("医师执业注册申请审核表", "医师资格证书", "健康证明", "拟执业机构的聘用证明"), "20个工作日"),
    ServiceItem("生育登记服务", "health", "《中华人民共和国人口与计划生育法》", "夫妻双方或一方为本地户籍，或在本地居住的。",
                ("夫妻双方居民身份证", "结婚证"), "即时办结"),
    ServiceItem("道路运输经营许可", "transport", "《中华人民共和国道路运输条例》", "有与经营业务相适应并经检测合格的车辆和驾驶人员。",
                ("道路运输经营申请表", "营业执照", "车辆技术等级评定材料", "安全生产管理制度文本"), "20个工作日"),
    ServiceItem("食品经营许可", "market", "《中华人民共和国食品安全法》", "具有与经营的食品品种、数量相适应的经营场所和设备设施。",
                ("食品经营许可申请书", "营业执照复印件", "经营场所平面图", "食品安全管理制度"), "10个工作日"),
    ServiceItem("建设用地规划许可证核发", "land", "《中华人民共和国城乡规划法》", "以划拨或出让方式取得国有土地使用权的建设项目。",
                ("建设用地规划许可申请表", "项目批准、核准或备案文件", "土地出让合同或划拨决定书"), "10个工作日"),
    ServiceItem("高龄津贴申领", "civil", "本地区高龄津贴发放管理办法", "具有本地户籍、年满80周岁的老年人。",
                ("居民身份证", "户口簿", "本人银行账户信息"), "15个工作日"),
    ServiceItem("排污许可证核发", "eco", "《排污许可管理条例》", "纳入固定污染源排污许可分类管理名录的排污单位。",
                ("排污许可证申请表", "自行监测方案", "守法承诺书"), "20个工作日"),
    ServiceItem("个体工商户登记", "market", "《促进个体工商户发展条例》", "有经营能力的公民。",
                ("经营者身份证件", "经营场所使用证明"), "即时办结"),
    ServiceItem("农机购置与应用补贴申领", "agri", "农机购置与应用补贴实施方案", "购买列入补贴范围的农业机械的农户和农业经营组织。",
                ("补贴申请表", "购机发票", "居民身份证或营业执照"), "30个工作日"),
)


def service_guide(rng: random.Random, v: Voice, when: datetime, index: int = 0) -> Article:
    pool = [s for s in SERVICE_ITEMS if s.domain in v.domains] if v.is_department else list(SERVICE_ITEMS)
    pool = pool or list(SERVICE_ITEMS)
    item = pool[index % len(pool)]
    dept = _answering_department(v, item.domain, rng)
    title = f"{item.name}办事指南" if index < len(pool) else f"{item.name}办事指南（{when.year}年修订）"
    body = field_table((
        ("事项名称", item.name),
        ("实施主体", dept),
        ("设定依据", item.basis),
        ("申请条件", item.conditions),
        ("办理材料", "<br>".join(f"{i + 1}. {m}" for i, m in enumerate(item.materials))),
        ("办理地点", f"{v.region}政务服务中心{rng.randint(1, 3)}楼{rng.randint(1, 40)}号窗口"),
        ("办理时间", "工作日 上午9:30—13:30，下午16:00—19:30（北京时间）"),
        ("承诺时限", item.limit),
        ("收费标准", "不收费"),
        ("咨询电话", f"{v.phone_prefix}-{rng.randint(2000000, 8999999)}"),
        ("办理流程", "申请 → 受理 → 审核 → 决定 → 办结（送达）"),
    )) + p("可通过政务服务网在线申请，也可到办理地点现场办理。")
    return Article(title, f"{item.name}的设定依据、申请条件、办理材料、办理地点和时限。", dept, body)


def _special(rng: random.Random, v: Voice, when: datetime, names: Sequence[str]) -> Article:
    topics = [t for t in TOPICS if t.name in names] or v.topics()
    return local_news(rng, v, when, topics)


def special_business(rng: random.Random, v: Voice, when: datetime) -> Article:
    return _special(rng, v, when, ("优化营商环境", "“高效办成一件事”", "中小企业发展"))


def special_rural(rng: random.Random, v: Voice, when: datetime) -> Article:
    return _special(rng, v, when, ("高标准农田建设", "农村人居环境整治", "畜牧业高质量发展", "农村公路建设"))


def special_unit(rng: random.Random, v: Voice, when: datetime) -> Article:
    return unit_news(rng, v, when)


Writer = Callable[..., Article]

WRITERS: dict[str, Writer] = {
    "gov_news": gov_news, "dept_news": dept_news, "unit_news": unit_news, "local_news": local_news,
    "notice": notice, "gov_doc": gov_doc, "office_doc": office_doc, "unit_doc": unit_doc,
    "interpretation": interpretation, "personnel": personnel, "plan": plan, "static": static,
    "mailbox": mailbox, "consult": consult, "interview": interview, "survey": survey,
    "service_guide": service_guide, "special_business": special_business, "special_rural": special_rural,
    "special_unit": special_unit,
}
# Writers whose n-th item is a fixed one (机构职能 items, 办事指南 by service), so they take the index.
INDEXED_WRITERS = {"static", "service_guide"}


def write(writer: str, rng: random.Random, voice: Voice, when: datetime, index: int) -> Article:
    if writer in INDEXED_WRITERS:
        return WRITERS[writer](rng, voice, when, index)
    return WRITERS[writer](rng, voice, when)
