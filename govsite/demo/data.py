"""Material for the demo region (示范自治区): place names, departments, column layouts, name pools.

Everything here is invented. Division codes start with 99, which no real division uses; host names are
pinyin of invented names. Real division codes of townships have 9 digits; the model keeps 6, so the demo
puts a prefecture's townships in the otherwise unused county slots 40–79 of that prefecture.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# One definition of the demo password: accounts refuses it outside the demo.
from govsite.accounts.demo import DEMO_PASSWORD  # noqa: F401

REGION_CODE = "990000"
REGION_NAME = "示范自治区"
REGION_PINYIN = "shifan"
REGION_DOC_PREFIX = "示"
AREA_CODE = "0990"
DEFAULT_SEED = 1952

# The proportions of the 2017 report: of 1952 sites registered in 2015, 1775 went offline or were merged
# into another site, 176 still ran and one was in some other state.
REPORT_TOTAL = 1952
REPORT_RUNNING = 176
REPORT_OTHER = 1


@dataclass(frozen=True)
class PrefectureData:
    """地级行政区: 市 (人民政府, 市长) or 地区 (行政公署, 专员)."""

    name: str
    pinyin: str
    kind: str  # "市" or "地区"
    counties: tuple[tuple[str, str, str], ...]  # (stem, pinyin, suffix 区/县/市)

    @property
    def doc_char(self) -> str:
        return self.name[0]


PREFECTURES: tuple[PrefectureData, ...] = (
    PrefectureData("青岚市", "qinglan", "市", (
        ("岚川", "lanchuan", "区"), ("澄湖", "chenghu", "区"), ("石窑", "shiyao", "县"),
        ("柳原", "liuyuan", "县"), ("雁鸣", "yanming", "县"), ("穗原", "suiyuan", "市"))),
    PrefectureData("雁泽市", "yanze", "市", (
        ("泽北", "zebei", "区"), ("芦汀", "luting", "区"), ("苇湖", "weihu", "县"),
        ("鸥滩", "outan", "县"), ("沙岚", "shalan", "县"))),
    PrefectureData("松漪市", "songyi", "市", (
        ("漪桥", "yiqiao", "区"), ("松阴", "songyin", "县"), ("枫岭", "fengling", "县"),
        ("翠岚", "cuilan", "县"))),
    PrefectureData("金穗市", "jinsui", "市", (
        ("穗丰", "suifeng", "区"), ("麦川", "maichuan", "县"), ("粟原", "suyuan", "县"))),
    PrefectureData("白桦地区", "baihua", "地区", (
        ("桦岭", "hualing", "市"), ("雪松", "xuesong", "县"), ("冷泉", "lengquan", "县"),
        ("鹤汀", "heting", "县"), ("桦源", "huayuan", "县"))),
    PrefectureData("云岫市", "yunxiu", "市", (("岫峰", "xiufeng", "区"), ("云湾", "yunwan", "县"))),
    PrefectureData("星湖地区", "xinghu", "地区", (
        ("星原", "xingyuan", "市"), ("望湖", "wanghu", "县"), ("沙星", "shaxing", "县"),
        ("野湖", "yehu", "县"))),
    PrefectureData("鹿鸣市", "luming", "市", (
        ("鹿川", "luchuan", "区"), ("鸣泉", "mingquan", "县"), ("角原", "jiaoyuan", "县"))),
    PrefectureData("砾原地区", "liyuan", "地区", (
        ("砾滩", "litan", "市"), ("戈泉", "gequan", "县"), ("碛原", "qiyuan", "县"),
        ("红砾", "hongli", "县"), ("风垭", "fengya", "县"), ("驿滩", "yitan", "县"))),
    PrefectureData("驼铃市", "tuoling", "市", (
        ("驼城", "tuocheng", "区"), ("铃泉", "lingquan", "县"), ("驼峰", "tuofeng", "县"),
        ("沙驿", "shayi", "县"))),
    PrefectureData("霁川市", "jichuan", "市", (
        ("霁北", "jibei", "区"), ("川原", "chuanyuan", "县"), ("晴岭", "qingling", "县"))),
    PrefectureData("雪岭地区", "xueling", "地区", (
        ("雪原", "xueyuan", "市"), ("冰泉", "bingquan", "县"), ("岭北", "lingbei", "县"),
        ("松雪", "songxue", "县"), ("白岭", "bailing", "县"))),
    PrefectureData("棠溪市", "tangxi", "市", (("棠城", "tangcheng", "区"), ("梨溪", "lixi", "县"))),
    PrefectureData("苇泉市", "weiquan", "市", (
        ("苇城", "weicheng", "区"), ("泉北", "quanbei", "区"), ("芦原", "luyuan", "县"),
        ("蒲滩", "putan", "县"))),
)

# Township stems (乡镇名); a county takes 3–6 of them, so names repeat across counties as real ones do.
TOWNSHIP_STEMS: tuple[tuple[str, str, str], ...] = (
    ("清泉", "qingquan", "镇"), ("红柳", "hongliu", "乡"), ("沙枣", "shazao", "乡"), ("胡杨", "huyang", "镇"),
    ("草湖", "caohu", "乡"), ("东滩", "dongtan", "镇"), ("西坪", "xiping", "乡"), ("南岗", "nangang", "镇"),
    ("北梁", "beiliang", "乡"), ("双井", "shuangjing", "镇"), ("三道", "sandao", "乡"), ("五星", "wuxing", "镇"),
    ("团结", "tuanjie", "乡"), ("新丰", "xinfeng", "镇"), ("永宁", "yongning", "镇"), ("长乐", "changle", "乡"),
    ("和顺", "heshun", "镇"), ("丰收", "fengshou", "乡"), ("石门", "shimen", "镇"), ("柳泉", "liuquan", "乡"),
    ("榆树", "yushu", "镇"), ("梧桐", "wutong", "乡"), ("马场", "machang", "镇"), ("泉水", "quanshui", "乡"),
    ("大湾", "dawan", "镇"), ("高台", "gaotai", "乡"), ("白杨", "baiyang", "镇"), ("青松", "qingsong", "乡"),
    ("红星", "hongxing", "镇"), ("向阳", "xiangyang", "乡"), ("前进", "qianjin", "镇"), ("光明", "guangming", "乡"),
)


@dataclass(frozen=True)
class DepartmentData:
    """A department at one level: name suffix, host label, topic domains it speaks for."""

    suffix: str
    label: str
    domains: tuple[str, ...] = ()
    head_title: str = "局长"
    subsites: tuple[tuple[str, str], ...] = ()  # historical secondary sites: (name, host label)


# 自治区政府组成部门和直属机构. The first one is the government's own office (主管单位 of its sites).
REGIONAL_DEPARTMENTS: tuple[DepartmentData, ...] = (
    DepartmentData("人民政府办公厅", "bgt", ("gov",), "秘书长"),
    DepartmentData("教育厅", "jyt", ("edu",), "厅长", (("招生考试信息网", "zsks"), ("学生资助网", "xszz"))),
    DepartmentData("卫生健康委员会", "wjw", ("health",), "主任", (("卫生监督信息网", "wsjd"),)),
    DepartmentData("财政厅", "czt", ("finance",), "厅长", (("政府采购网", "zfcg"),)),
    DepartmentData("生态环境厅", "sthjt", ("eco",), "厅长", (("环境监测信息网", "hjjc"),)),
    DepartmentData("交通运输厅", "jtyst", ("transport",), "厅长", (("公路信息网", "glxx"),)),
    DepartmentData("自然资源厅", "zrzyt", ("land",), "厅长", (("地质环境信息网", "dzhj"),)),
    DepartmentData("人力资源和社会保障厅", "rst", ("hr",), "厅长", (("就业网", "jyw"), ("社会保险网", "sbw"))),
    DepartmentData("发展和改革委员会", "fgw", ("gov", "industry"), "主任", (("价格信息网", "jgxx"),)),
    DepartmentData("科学技术厅", "kjt", ("industry",), "厅长", (("科技信息网", "kjxx"),)),
    DepartmentData("工业和信息化厅", "gxt", ("industry",), "厅长", (("中小企业服务网", "zxqy"),)),
    DepartmentData("民族事务委员会", "mzw", ("ethnic",), "主任"),
    DepartmentData("公安厅", "gat", ("safety",), "厅长", (("交通安全信息网", "jtaq"),)),
    DepartmentData("民政厅", "mzt", ("civil",), "厅长", (("社会组织网", "shzz"),)),
    DepartmentData("司法厅", "sft", ("gov",), "厅长", (("法律服务网", "flfw"),)),
    DepartmentData("住房和城乡建设厅", "zjt", ("industry",), "厅长", (("建设工程信息网", "jsgc"),)),
    DepartmentData("水利厅", "slt", ("eco",), "厅长", (("防汛抗旱信息网", "fxkh"),)),
    DepartmentData("农业农村厅", "nynct", ("agri",), "厅长", (("农业信息网", "nyxx"), ("农机化信息网", "njh"))),
    DepartmentData("商务厅", "swt", ("industry",), "厅长", (("招商网", "zsw"),)),
    DepartmentData("文化和旅游厅", "whlyt", ("culture",), "厅长", (("旅游政务网", "lyzw"),)),
    DepartmentData("应急管理厅", "yjglt", ("safety",), "厅长"),
    DepartmentData("审计厅", "sjt", ("finance",), "厅长"),
    DepartmentData("市场监督管理局", "scjgj", ("market",), "局长", (("食品安全信息网", "spaq"),)),
    DepartmentData("统计局", "tjj", ("gov",), "局长", (("统计信息网", "tjxx"),)),
    DepartmentData("医疗保障局", "ybj", ("health",), "局长"),
    DepartmentData("林业和草原局", "lcj", ("eco",), "局长", (("森林草原防火网", "slfh"),)),
    DepartmentData("数据局", "sjj", ("gov",), "局长"),
)
# The department whose site is being built (筹建) in the demo: a new agency.
PLANNING_DEPARTMENT_LABEL = "sjj"

PREFECTURE_DEPARTMENTS: tuple[DepartmentData, ...] = (
    DepartmentData("办公室", "bgs", ("gov",), "秘书长"),
    DepartmentData("发展和改革委员会", "fgw", ("gov", "industry"), "主任"),
    DepartmentData("教育局", "jyj", ("edu",)),
    DepartmentData("财政局", "czj", ("finance",)),
    DepartmentData("人力资源和社会保障局", "rsj", ("hr",)),
    DepartmentData("自然资源局", "zrzyj", ("land",)),
    DepartmentData("生态环境局", "sthjj", ("eco",)),
    DepartmentData("住房和城乡建设局", "zjj", ("industry",)),
    DepartmentData("交通运输局", "jtysj", ("transport",)),
    DepartmentData("农业农村局", "nyncj", ("agri",)),
    DepartmentData("卫生健康委员会", "wjw", ("health",), "主任"),
    DepartmentData("市场监督管理局", "scjgj", ("market",)),
    DepartmentData("文化体育广播电视和旅游局", "wtglj", ("culture",)),
    DepartmentData("应急管理局", "yjglj", ("safety",)),
    DepartmentData("民政局", "mzj", ("civil",)),
    DepartmentData("水利局", "slj", ("eco",)),
)

COUNTY_DEPARTMENTS: tuple[DepartmentData, ...] = (
    DepartmentData("人民政府办公室", "bgs", ("gov",), "主任"),
    *PREFECTURE_DEPARTMENTS[1:],
    DepartmentData("林业和草原局", "lcj", ("eco",)),
    DepartmentData("统计局", "tjj", ("gov",)),
)

# Secondary and special-topic sites a government used to run besides its portal (all gone by now):
# (name suffix, host label, chance that it was merged into a running site rather than closed).
GOVERNMENT_SIDE_SITES: tuple[tuple[str, str, float], ...] = (
    ("政府信息公开网", "xxgk", 1.0),
    ("政务服务网", "zwfw", 1.0),
    ("人才网", "rcw", 0.5),
    ("招商引资网", "zsyz", 0.5),
    ("旅游网", "lyw", 0.5),
    ("农业信息网", "nyxx", 0.5),
    ("第四次全国经济普查专题网", "jjpc", 0.0),
    ("第三次全国国土调查专题网", "gtdc", 0.0),
    ("脱贫攻坚专题网", "tpgj", 0.2),
    ("创建全国文明城市专题网", "wmcj", 0.0),
    ("安全生产月专题网", "aqsc", 0.0),
    ("全民健身网", "qmjs", 0.3),
    ("防汛抗旱信息网", "fxkh", 0.3),
)

SECURITY_TESTERS = ("示范自治区网络与信息安全测评中心", "示范信安检测技术有限公司")

STREETS = ("政通路", "建设大街", "新华路", "文化路", "团结路", "迎宾大道", "光明路", "友谊路", "和平街", "北京路")

OFFLINE_REASONS = (
    "网站长期未更新，经检查存在多项单项否决问题，按规定予以永久下线。",
    "主办单位人员和经费无法保障网站正常运行，经批准永久下线。",
    "主办单位机构改革后撤并，网站随之关停，历史信息已归档。",
    "网站安全防护不达标，整改后仍未通过安全检测，予以永久下线。",
)
MERGE_REASONS = (
    "按照政府网站集约化建设要求，该网站不再单独运行，内容已整合迁移至{target}（{code}）。",
    "根据全区政府网站整合工作部署，该网站整合至{target}（{code}），原网址已设置跳转。",
)
MERGE_RULE_REASON = "{rule}，相关信息发布和政务服务功能已整合至{target}（{code}），原网址已设置跳转。"

# Invented personal names: uncommon surname + given-name pairs. Used for officials in articles,
# registry contact persons and demo accounts. No real person is meant.
SURNAMES = ("苏", "林", "韩", "沈", "顾", "乔", "岑", "宁", "甘", "闻", "简", "祁", "邵", "卢", "詹", "莫",
            "靳", "尹", "蓝", "童", "凌", "葛", "柏", "裴", "郁", "阮", "荀", "姬", "欧阳", "司徒")
GIVEN_NAMES = ("望川", "知远", "叙白", "清禾", "砚秋", "景舟", "晏平", "书衡", "思齐", "辰安", "维岳", "冠群",
               "亦舟", "若愚", "嘉木", "慕白", "承泽", "怀远", "一帆", "明远", "和畅", "秉文", "建章", "立新",
               "雪莲", "玉兰", "春华", "晓岚", "文静", "秀禾", "静姝", "婉清", "蔚然", "今朝", "远山", "青岩")


@dataclass(frozen=True)
class ColumnSpec:
    """栏目 of a hosted site. Titles may use the site voice's fields ({mailbox}, {gov_docs} …)."""

    slug: str
    title: str
    update_class: str
    writer: str | None = None  # article generator in texts.py; None: a container with sub-columns
    description: str = ""
    keywords: str = ""
    on_homepage: bool = True
    children: tuple[ColumnSpec, ...] = field(default_factory=tuple)


PORTAL_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("yw", "要闻动态", "news", None, "本级政府重要会议、活动和工作动态。", "要闻,动态", children=(
        ColumnSpec("zwyw", "政务要闻", "news", "gov_news", "政府重要会议、重要活动、重要决策。", "政务要闻"),
        ColumnSpec("bmdt", "部门动态", "news", "dept_news", "政府各部门工作动态。", "部门动态"),
        ColumnSpec("dfdt", "{local_news}", "news", "local_news", "下级政府工作动态。", "地方动态"),
    )),
    ColumnSpec("tzgg", "通知公告", "notice", "notice", "通知、公告、通报。", "通知公告"),
    ColumnSpec("zcwj", "政策文件", "notice", None, "本级政府及其办公机构制发的规范性文件和政策解读。", "政策文件",
               children=(
        ColumnSpec("zfwj", "{gov_docs}", "notice", "gov_doc", "本级政府文件。", "政府文件"),
        ColumnSpec("bgwj", "{office_docs}", "notice", "office_doc", "政府办公机构文件。", "办公厅文件"),
        ColumnSpec("zcjd", "政策解读", "notice", "interpretation", "重要政策文件的解读材料。", "政策解读"),
    )),
    ColumnSpec("rsxx", "人事信息", "plan", "personnel", "公务员考录、事业单位招聘、干部任免。", "人事信息"),
    ColumnSpec("ghjh", "规划计划", "plan", "plan", "发展规划、年度计划和工作要点。", "规划计划"),
    ColumnSpec("jgzn", "机构职能", "static", "static", "机构设置、主要职责、联系方式。", "机构职能", on_homepage=False),
    ColumnSpec("hdjl", "互动交流", "interaction", None, "领导信箱、政务咨询、在线访谈、征集调查。", "互动交流",
               children=(
        ColumnSpec("ldxx", "{mailbox}", "interaction", "mailbox", "群众来信选登及办理答复。", "领导信箱"),
        ColumnSpec("zwzx", "政务咨询", "interaction", "consult", "政务咨询问题的答复。", "政务咨询"),
        ColumnSpec("zxft", "在线访谈", "interaction", "interview", "部门负责人在线访谈。", "在线访谈"),
        ColumnSpec("zjdc", "征集调查", "interaction", "survey", "意见征集和调查结果反馈。", "征集调查"),
    )),
    ColumnSpec("bsfw", "办事服务", "service", "service_guide", "政务服务事项办事指南。", "办事服务,办事指南"),
    ColumnSpec("ztzl", "专题专栏", "special", None, "重点工作专题。", "专题专栏", on_homepage=False, children=(
        ColumnSpec("yhyshj", "优化营商环境", "special", "special_business", "优化营商环境专题。", "营商环境"),
        ColumnSpec("xczx", "乡村振兴", "special", "special_rural", "全面推进乡村振兴专题。", "乡村振兴"),
    )),
)

DEPARTMENT_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("gzdt", "工作动态", "news", "unit_news", "本部门工作动态。", "工作动态"),
    ColumnSpec("tzgg", "通知公告", "notice", "notice", "通知、公告。", "通知公告"),
    ColumnSpec("zcwj", "政策文件", "notice", None, "本部门规范性文件和政策解读。", "政策文件", children=(
        ColumnSpec("wjfb", "文件发布", "notice", "unit_doc", "本部门制发的文件。", "文件发布"),
        ColumnSpec("zcjd", "政策解读", "notice", "interpretation", "政策解读材料。", "政策解读"),
    )),
    ColumnSpec("rsxx", "人事信息", "plan", "personnel", "招聘公告和干部任免。", "人事信息"),
    ColumnSpec("ghjh", "规划计划", "plan", "plan", "发展规划和年度计划。", "规划计划"),
    ColumnSpec("jgzn", "机构职能", "static", "static", "主要职责、内设机构、联系方式。", "机构职能", on_homepage=False),
    ColumnSpec("hdjl", "互动交流", "interaction", None, "信箱和政务咨询。", "互动交流", children=(
        ColumnSpec("ldxx", "{mailbox}", "interaction", "mailbox", "来信选登及办理答复。", "领导信箱"),
        ColumnSpec("zwzx", "政务咨询", "interaction", "consult", "政务咨询问题的答复。", "政务咨询"),
    )),
    ColumnSpec("bsfw", "办事服务", "service", "service_guide", "本部门政务服务事项办事指南。", "办事指南"),
    ColumnSpec("ztzl", "专题专栏", "special", None, "重点工作专题。", "专题", on_homepage=False, children=(
        ColumnSpec("zt1", "{special_title}", "special", "special_unit", "重点工作专题。", "专题"),
    )),
)

# How many items a column gets relative to --articles-per-column, the age of its newest item
# (days, drawn from the range) and how far back its items reach, by update class.
CLASS_PROFILES: dict[str, tuple[float, tuple[float, float], int]] = {
    "news": (1.5, (0.0, 3.0), 150),
    "notice": (1.0, (3.0, 30.0), 420),
    "plan": (0.5, (15.0, 150.0), 520),
    "static": (0.5, (200.0, 480.0), 540),
    "interaction": (1.0, (1.0, 20.0), 360),
    "service": (0.8, (20.0, 200.0), 520),
    "special": (0.8, (3.0, 45.0), 360),
}
OLDEST_DAYS = 540  # about 18 months

EMPTY = "empty"


@dataclass(frozen=True)
class HostedSiteData:
    """One hosted site of the demo: which registry entry, which layout, which columns go wrong."""

    key: str  # "portal" or a prefecture pinyin or a department label
    level: str  # "region", "prefecture", "department"
    prefecture: int | None = None  # index into PREFECTURES
    department: str | None = None  # label in REGIONAL_DEPARTMENTS
    # Column slug → EMPTY (no item ever) or the age in days of the column's newest item (stale on purpose).
    faults: dict[str, str | int] = field(default_factory=dict)
    label: str = ""  # short description for the summary
    # Department sites only: 文号 prefix, the addressee line of its documents, its special-topic column.
    doc_prefix: str = ""
    addressee: str = ""
    special_title: str = ""


HOSTED_SITES: tuple[HostedSiteData, ...] = (
    HostedSiteData("portal", "region", faults={"zjdc": EMPTY}, label="自治区门户，基本合格（1 个空白栏目）"),
    HostedSiteData("qinglan", "prefecture", prefecture=0, faults={"ghjh": 420}, label="规划计划超过一年未更新"),
    HostedSiteData("yanze", "prefecture", prefecture=1,
                   faults={"bmdt": 40, "tzgg": 243, "zjdc": EMPTY, "rsxx": EMPTY},
                   label="部门动态 40 天、通知公告 8 个月未更新，2 个空白栏目"),
    HostedSiteData("baihua", "prefecture", prefecture=4,
                   faults={"bmdt": 52, "dfdt": 95, "tzgg": 200, "zcjd": 300, "zxft": EMPTY, "zjdc": EMPTY,
                           "rsxx": EMPTY, "ghjh": EMPTY, "yhyshj": EMPTY},
                   label="4 个栏目超期未更新，5 个空白栏目（单项否决）"),
    HostedSiteData("jyt", "department", department="jyt", label="部门网站，合格", doc_prefix="示教",
                   addressee="各地（市）教育局，厅机关各处室、直属各单位：", special_title="“双减”工作专栏"),
    HostedSiteData("wjw", "department", department="wjw", faults={"gzdt": 16}, label="工作动态 16 天未更新",
                   doc_prefix="示卫健", addressee="各地（市）卫生健康委员会，委机关各处室、直属各单位：",
                   special_title="全民健康素养提升专题"),
)


@dataclass(frozen=True)
class AccountData:
    username: str
    full_name: str
    role: str  # a RoleDefinition code (core.models.Role)
    scope: tuple[str, ...] = ()  # hosted-site keys, or "gov:<region code>" for a supervisor


ACCOUNTS: tuple[AccountData, ...] = (
    AccountData("admin", "平台管理员", "platform_admin"),
    # 三权分立: users, sites and configuration; security policy and roles; the audit log.
    AccountData("sysadmin", "石正衡", "system_admin"),
    AccountData("secadmin", "安守拙", "security_admin"),
    AccountData("auditor", "于明鉴", "audit_admin"),
    AccountData("supervisor", "沈叙白", "supervisor", ("gov:990000",)),
    AccountData("qinglan_supervisor", "顾清禾", "supervisor", ("gov:990100",)),
    AccountData("portal_admin", "乔景舟", "site_admin", ("portal",)),
    AccountData("portal_editor", "岑砚秋", "editor", ("portal",)),
    AccountData("portal_reviewer", "宁晏平", "reviewer", ("portal",)),
    AccountData("portal_secrecy", "秦守正", "secrecy_reviewer", ("portal",)),
    AccountData("qinglan_admin", "甘书衡", "site_admin", ("qinglan",)),
    AccountData("qinglan_editor", "闻思齐", "editor", ("qinglan",)),
    AccountData("qinglan_reviewer", "简辰安", "reviewer", ("qinglan",)),
    AccountData("qinglan_secrecy", "柯慎言", "secrecy_reviewer", ("qinglan",)),
    AccountData("evaluator", "祁维岳", "evaluator", ("portal", "yanze")),
)


# Registry entries NOT hosted on the platform that `make run` serves on loopback (demo/sites.py), by 网站标识码,
# with what is wrong with each on purpose; every other running non-hosted site is served without defects.
# Each defect is one kind below; the monitor must find exactly these (demo/tests/test_demo_monitoring.py).
BROKEN_LINK = "broken_link"  # the homepage links to a page that answers 404
STALE_COLUMN = "stale_column"  # 通知公告 not updated for 200 days (limit: 183)
BLANK_COLUMN = "blank_column"  # 政策解读 has never had an item (暂无信息)
NO_SITE_CODE = "no_site_code"  # the footer and the article <meta> lack the 网站标识码
LEAKED_ID_NUMBER = "leaked_id_number"  # an article carries a resident's ID number (个人信息泄露)
UNREACHABLE = "unreachable"  # nothing answers at the site's address

SERVED_SITE_DEFECTS: dict[str, tuple[str, ...]] = {
    "9903000001": (BROKEN_LINK,),  # 松漪市人民政府网
    "9904000001": (STALE_COLUMN,),  # 金穗市人民政府网
    "9906000001": (BLANK_COLUMN,),  # 云岫市人民政府网
    "9907000001": (NO_SITE_CODE,),  # 星湖地区行政公署网
    "9908000001": (LEAKED_ID_NUMBER,),  # 鹿鸣市人民政府网
    "9909000001": (UNREACHABLE,),  # 砾原地区行政公署网
}
# The target of the planted broken link, and the ID number leaked (valid check digit, invented person).
BROKEN_LINK_PATH = "/zwgk/2019/tzgg-0317.html"
LEAKED_ID = "110105198803157714"
