"""Builds the labelled corpus of real-shaped government documents (标注语料) under this directory.

    .venv/bin/python -m govsite.checks.tests.corpus.build      (needs LibreOffice for .doc/.xls/.rtf)

Every document is written here from invented content in the shape real public documents of a region take:
拟录用/拟聘用人员名单 with 准考证号, 职位表 with the recruiting unit's contact number on every row, 成绩公示,
通知公告, 统计公报, 行政处罚决定书, 政府信息公开年报, 采购结果公告, 补贴公示 (some leaking full ID numbers and
recipients' mobiles, some masked), 咨询电话一览表, and documents with planted leaks and 密级 markings. Names,
numbers and units are made up; ID numbers that label a leak carry a valid GB 11643 check character.

`labels.json` keeps, per file, its type, whether it may be published as it is, and the blocking findings
a correct check must report (`leaks`: kind and value). The files are committed, so tests need no LibreOffice;
the .doc/.xls/.rtf files are LibreOffice conversions of .docx/.xlsx written by this script, and .wps/.et
are those .doc/.xls files under WPS Office's names (WPS writes its .wps/.et in the same binary formats).
"""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261129

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

COUNTIES = ["650102", "650103", "650104", "650105", "650106", "650109", "650121", "650202", "650203",
            "650402", "650421", "650502", "652301", "652302", "652323", "654002", "654003", "652801"]
COUNTY_NAMES = ["天山区", "沙依巴克区", "新市区", "水磨沟区", "头屯河区", "米东区", "乌鲁木齐县", "独山子区",
                "克拉玛依区", "高昌区", "鄯善县", "伊州区", "昌吉市", "阜康市", "呼图壁县", "伊宁市", "奎屯市",
                "库尔勒市"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力鹏飞宇浩然欣怡子轩梓涵雨婷嘉诚志国海燕春梅"
SCHOOLS = ["新疆大学", "新疆师范大学", "新疆农业大学", "新疆财经大学", "石河子大学", "西北大学", "兰州大学",
           "陕西师范大学", "中国人民大学", "四川大学", "喀什大学", "昌吉学院"]
MAJORS = ["法学", "汉语言文学", "会计学", "计算机科学与技术", "行政管理", "临床医学", "土木工程", "农学", "财务管理"]
UNITS = ["自治区发展和改革委员会", "乌鲁木齐市财政局", "天山区人民政府办公室", "沙依巴克区市场监督管理局",
         "米东区农业农村局", "昌吉市人力资源和社会保障局", "伊宁市住房和城乡建设局", "库尔勒市自然资源局",
         "克拉玛依区司法局", "高昌区民政局", "奎屯市统计局", "阜康市应急管理局", "鄯善县教育局", "呼图壁县卫生健康委员会"]
HOSPITALS = ["天山区人民医院", "米东区第一中学", "昌吉市疾病预防控制中心", "伊宁市第三小学", "库尔勒市社会福利院",
             "高昌区农业技术推广站", "奎屯市妇幼保健院", "水磨沟区图书馆"]
POSTS = ["综合管理", "财务会计", "法律事务", "信息技术", "文秘", "行政执法", "统计分析", "基层工作"]
VILLAGES = ["红星村", "团结村", "光明社区", "幸福村", "东风村", "前进村", "和平社区", "新华村", "胜利村", "友谊社区"]
COMPANIES = ["新疆天和商贸有限公司", "乌鲁木齐恒信建筑工程有限公司", "昌吉市瑞丰农业科技有限公司",
             "伊宁市金源食品有限责任公司", "库尔勒市安达物流有限公司", "克拉玛依市博远石油技术服务有限公司",
             "新疆华泰环保科技有限公司", "哈密市鑫盛矿业有限公司", "奎屯市万家福超市有限公司"]
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                   "156", "157", "158", "159", "177", "180", "181", "182", "183", "186", "187", "188", "189",
                   "191", "199"]


def id_number(rng: random.Random, *, year_from: int = 1955, year_to: int = 2005) -> str:
    body = f"{rng.choice(COUNTIES)}{rng.randint(year_from, year_to)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body += f"{rng.randint(0, 999):03d}"
    return body + ID_CHECK[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def masked_id(number: str) -> str:
    return number[:6] + "********" + number[14:]


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99999999):08d}"


def landline(rng: random.Random) -> str:
    return rng.choice(["0991-", "0990-", "0994-", "0999-", "0996-"]) + f"{rng.randint(2, 8)}{rng.randint(0, 999999):06d}"


def uscc(rng: random.Random) -> str:
    first17 = "91" + rng.choice(COUNTIES) + "MA" + "".join(rng.choice(USCC_ALPHABET[:-5]) for _ in range(7))
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def ticket15(rng: random.Random, site: str, year: int) -> str:
    """15-digit 准考证号: 考区 (a county code) + year + 考场 + 座位 + 3 digits; most read as an old ID number."""
    return f"{site}{year % 100:02d}{rng.randint(1, 12):02d}{rng.randint(1, 30):02d}{rng.randint(0, 999):03d}"


def ticket11(rng: random.Random) -> str:
    """11-digit 准考证号 of a 事业单位 exam: 1 + 考区 + 考场 + 座位; many fall in mobile ranges."""
    return f"1{rng.choice('3456789')}{rng.randint(0, 9)}{rng.randint(1, 40):02d}{rng.randint(1, 99):02d}{rng.randint(0, 9999):04d}"


@dataclass
class Doc:
    """One document: a title, paragraphs, tables (rows of cells), and the expected blocking findings."""

    file: str
    type: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    after: list[str] = field(default_factory=list)  # paragraphs after the tables
    header: str | None = None  # page header (docx)
    leaks: list[dict[str, str]] = field(default_factory=list)
    note: str = ""

    def leak(self, kind: str, value: str) -> str:
        self.leaks.append({"kind": kind, "value": value})
        return value


# -- document shapes -----------------------------------------------------------------------------------------


def candidate_list(rng: random.Random, file: str) -> Doc:
    unit = rng.choice(UNITS)
    year = rng.choice([2023, 2024, 2025])
    site = rng.choice(COUNTIES)
    doc = Doc(file, "candidate_list", f"{unit}{year}年考试录用公务员拟录用人员名单公示")
    doc.paragraphs = [
        f"根据《公务员法》和《公务员录用规定》等法律法规，经笔试、面试、体检和考察等程序，确定{rng.randint(6, 30)}名"
        f"同志为{unit}{year}年考试录用公务员拟录用人员，现予以公示。公示期为{year}年7月{rng.randint(1, 20)}日至"
        f"{year}年7月{rng.randint(21, 28)}日（5个工作日）。",
        "公示期间，如对拟录用人员有问题反映，可通过电话、信函、来访等方式向招录机关反映。",
    ]
    rows = [["序号", "职位名称", "职位代码", "姓名", "性别", "准考证号", "学历", "毕业院校", "备注"]]
    for n in range(1, rng.randint(12, 30)):
        rows.append([str(n), rng.choice(POSTS), f"{rng.randint(10, 99)}{rng.randint(100000, 999999)}", name(rng),
                     rng.choice("男女"), ticket15(rng, site, year), rng.choice(["本科", "硕士研究生", "大学本科"]),
                     rng.choice(SCHOOLS), ""])
    doc.tables = [rows]
    doc.after = [f"监督电话：{landline(rng)}", f"通讯地址：乌鲁木齐市{rng.choice(COUNTY_NAMES)}人民路{rng.randint(1, 300)}号",
                 f"{unit}", f"{year}年7月{rng.randint(1, 20)}日"]
    return doc


def hire_list(rng: random.Random, file: str) -> Doc:
    year = rng.choice([2023, 2024, 2025])
    region = rng.choice(COUNTY_NAMES)
    doc = Doc(file, "hire_list", f"{region}{year}年事业单位公开招聘工作人员拟聘用人员名单")
    doc.paragraphs = [f"根据{region}{year}年事业单位公开招聘工作人员公告，经笔试、面试、资格复审、体检和考察，"
                      "现将拟聘用人员名单予以公示，公示期7个工作日。"]
    rows = [["序号", "招聘单位", "岗位代码", "姓名", "性别", "出生年月", "学历", "准考证号", "笔试成绩", "面试成绩"]]
    for n in range(1, rng.randint(10, 26)):
        rows.append([str(n), rng.choice(HOSPITALS), f"{year % 100}{rng.randint(1000, 9999)}", name(rng),
                     rng.choice("男女"), f"{rng.randint(1988, 2002)}.{rng.randint(1, 12):02d}",
                     rng.choice(["本科", "硕士", "大专"]), ticket11(rng), f"{rng.uniform(55, 90):.1f}",
                     f"{rng.uniform(70, 92):.2f}"])
    doc.tables = [rows]
    doc.after = [f"公示期间如有异议，请向{region}人力资源和社会保障局反映。", f"联系电话：{landline(rng)}"]
    return doc


def position_table(rng: random.Random, file: str) -> Doc:
    year = rng.choice([2024, 2025, 2026])
    doc = Doc(file, "position_table", f"{year}年{rng.choice(COUNTY_NAMES)}事业单位公开招聘工作人员岗位表")
    doc.paragraphs = ["附件1"]
    header = ["序号", "主管部门", "招聘单位", "岗位名称", "岗位代码", "招聘人数", "学历要求", "专业要求", "其他条件",
              "咨询电话" if rng.random() < 0.5 else "联系电话"]
    rows = [header]
    n = 0
    for unit in rng.sample(HOSPITALS + UNITS, rng.randint(3, 6)):
        contact = mobile(rng) if rng.random() < 0.7 else landline(rng)
        for _ in range(rng.randint(1, 5)):
            n += 1
            rows.append([str(n), rng.choice(UNITS), unit, rng.choice(POSTS), f"{year % 100}{n:04d}",
                         str(rng.randint(1, 3)), "本科及以上", rng.choice(MAJORS),
                         rng.choice(["", "限高校毕业生", "具有2年以上工作经历", "35周岁以下"]), contact])
    doc.tables = [rows]
    return doc


def score_list(rng: random.Random, file: str) -> Doc:
    year = rng.choice([2024, 2025])
    site = rng.choice(COUNTIES)
    eleven = rng.random() < 0.5
    doc = Doc(file, "score_list", f"{year}年{rng.choice(COUNTY_NAMES)}公开招聘工作人员笔试成绩及进入面试人员名单")
    doc.paragraphs = ["现将笔试成绩公布如下，进入面试人员须于规定时间内携带身份证原件、准考证参加资格复审。"]
    rows = [["准考证号", "姓名", "报考岗位", "笔试成绩", "排名", "是否进入面试"]]
    for n in range(1, rng.randint(15, 35)):
        rows.append([ticket11(rng) if eleven else ticket15(rng, site, year), name(rng), rng.choice(POSTS),
                     f"{rng.uniform(50, 95):.1f}", str(n), "是" if n < 10 else "否"])
    doc.tables = [rows]
    doc.after = [f"准考证号为{rows[-1][0]}的考生因故缺考，不进入面试。", f"咨询电话：{landline(rng)}"]
    return doc


def notice(rng: random.Random, file: str) -> Doc:
    unit = rng.choice(UNITS)
    person = rng.choice(SURNAMES) + rng.choice(["老师", "同志", "科长", "女士", "先生"])
    number = mobile(rng)
    topic = rng.choice(["开展2025年度安全生产大检查", "做好春节期间值班值守工作", "组织开展政务公开培训",
                        "申报2025年度农业产业化项目", "开展城乡居民医疗保险集中参保"])
    doc = Doc(file, "notice", f"关于{topic}的通知")
    doc.paragraphs = [
        "各县（市、区）人民政府，各有关单位：",
        f"为深入贯彻落实上级有关要求，经研究，决定{topic}。现将有关事项通知如下：",
        "一、工作目标。坚持以人民为中心的发展思想，压实工作责任，确保各项工作落到实处。",
        f"二、时间安排。{rng.randint(2025, 2026)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日前完成自查，"
        "并将自查报告报送至指定邮箱。",
        "三、工作要求。各单位要高度重视，明确专人负责，按时报送有关材料。",
        rng.choice([
            f"联系人：{person}，联系电话：{number}，{landline(rng)}。",
            f"咨询电话：{number}（{person}）",
            f"联系人及电话：{person} {number}",
            f"报名咨询电话：{landline(rng)}、{number}",
            f"联系人：{person} {number}",
        ]),
        f"附件：{topic}工作方案",
    ]
    doc.after = [unit, f"{rng.randint(2025, 2026)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"]
    return doc


def bulletin(rng: random.Random, file: str) -> Doc:
    region = rng.choice(COUNTY_NAMES)
    year = rng.choice([2023, 2024, 2025])
    doc = Doc(file, "bulletin", f"{region}{year}年国民经济和社会发展统计公报")
    doc.paragraphs = [
        f"{year}年，全{region[-1]}上下坚持稳中求进工作总基调，经济运行总体平稳。",
        f"初步核算，全年地区生产总值{rng.randint(100, 999)}.{rng.randint(1, 9)}亿元，比上年增长{rng.uniform(3, 8):.1f}%。",
        f"年末全{region[-1]}户籍人口{rng.randint(100000, 990000)}人，常住人口{rng.randint(100000, 990000)}人。",
        f"全年城镇新增就业{rng.randint(1000, 9999)}人，城镇调查失业率{rng.uniform(3, 6):.1f}%。",
        f"全年完成固定资产投资{rng.randint(1000000, 9999999)}万元，其中工业投资{rng.randint(100000, 999999)}万元。",
        f"社会消费品零售总额{rng.randint(10000000000, 19999999999)}元。",
        f"统计执法检查立案编号：{rng.choice(COUNTIES)}{year}{rng.randint(10, 99)}0{rng.randint(10, 99)}。",
        "注：本公报部分数据为初步统计数，地区生产总值及其增长速度按不变价格计算。",
        f"资料来源：{region}统计局，咨询电话：{landline(rng)}。",
    ]
    rows = [["指标", "单位", "绝对数", "比上年增长（%）"]]
    for label in ["地区生产总值", "第一产业", "第二产业", "第三产业", "一般公共预算收入", "进出口总额"]:
        rows.append([label, "万元", str(rng.randint(100000, 99999999)), f"{rng.uniform(-3, 12):.1f}"])
    doc.tables = [rows]
    return doc


def penalty(rng: random.Random, file: str, *, leak: bool) -> Doc:
    company = rng.choice(COMPANIES)
    code = uscc(rng)
    spaced = rng.random() < 0.5
    written = " ".join([code[:2], code[2:8], code[8:17], code[17]]) if spaced else code
    boss = name(rng)
    doc = Doc(file, "penalty", f"行政处罚决定书（{rng.choice(COUNTY_NAMES)}市监处罚〔{rng.randint(2024, 2025)}〕{rng.randint(1, 300)}号）")
    paragraphs = [
        f"当事人：{company}",
        f"统一社会信用代码：{written}",
        f"住所：乌鲁木齐市{rng.choice(COUNTY_NAMES)}{rng.choice(['北京路', '人民路', '新华南路'])}{rng.randint(1, 500)}号",
        f"法定代表人：{boss}",
    ]
    if leak:
        paragraphs.append(f"法定代表人身份证号码：{doc.leak('id_card', id_number(rng))}")
    paragraphs += [
        f"{rng.randint(2024, 2025)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日，本局执法人员对当事人经营场所进行检查，"
        "发现当事人销售的预包装食品超过保质期。",
        "上述事实，有现场笔录、询问笔录、产品标签照片等证据证实。",
        "当事人的上述行为违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定。依据《中华人民共和国食品安全法》"
        f"第一百二十四条第一款的规定，本局决定：没收违法所得{rng.randint(100, 9999)}元，罚款{rng.randint(5000, 50000)}元。",
        f"当事人应当自收到本决定书之日起十五日内，将罚款缴至指定银行（开户行：中国农业银行乌鲁木齐分行，账号："
        f"30-{rng.randint(100000, 999999)}0400{rng.randint(10000, 99999)}）。",
        "如不服本处罚决定，可以在收到本决定书之日起六十日内申请行政复议，或者六个月内依法向人民法院提起行政诉讼。",
        f"联系电话：{landline(rng)}",
    ]
    doc.paragraphs = paragraphs
    doc.after = [f"{rng.choice(COUNTY_NAMES)}市场监督管理局", f"{rng.randint(2024, 2025)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"]
    return doc


def annual_report(rng: random.Random, file: str) -> Doc:
    unit = rng.choice(UNITS)
    year = rng.choice([2023, 2024, 2025])
    doc = Doc(file, "annual_report", f"{unit}{year}年政府信息公开工作年度报告")
    doc.paragraphs = [
        "本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。",
        "一、总体情况",
        f"{year}年，本机关主动公开政府信息{rng.randint(100, 900)}条，其中通知公告{rng.randint(50, 200)}条。",
        "二、主动公开政府信息情况",
    ]
    rows = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", "0", "0", "0"], ["行政规范性文件", str(rng.randint(0, 9)), str(rng.randint(0, 3)), str(rng.randint(5, 30))]]
    rows2 = [["本年新收政府信息公开申请数量", str(rng.randint(1, 40))], ["上年结转政府信息公开申请数量", str(rng.randint(0, 5))],
             ["行政复议（维持）", str(rng.randint(0, 3))], ["行政诉讼（纠正）", "0"]]
    doc.tables = [rows, rows2]
    doc.after = ["五、存在的主要问题及改进情况", "部分栏目更新不够及时，下一步将加强内容保障。",
                 f"政府信息公开工作机构联系电话：{landline(rng)}，传真：{landline(rng)}。"]
    return doc


def procurement(rng: random.Random, file: str) -> Doc:
    company = rng.choice(COMPANIES)
    agent = rng.choice(["新疆正信招标代理有限公司", "新疆中天项目管理咨询有限公司"])
    doc = Doc(file, "procurement", f"{rng.choice(UNITS)}办公设备采购项目中标（成交）结果公告")
    code = uscc(rng)
    doc.paragraphs = [
        f"一、项目编号：XJZC-{rng.randint(2024, 2025)}-{rng.randint(100, 999)}",
        "二、项目名称：办公设备采购项目",
        f"三、中标（成交）信息：供应商名称：{company}；统一社会信用代码：{code}；"
        f"中标金额：{rng.randint(10, 500)}.{rng.randint(10, 99)}万元。",
        "四、公告期限：自本公告发布之日起1个工作日。",
        f"五、采购人名称：{rng.choice(UNITS)}，联系电话：{landline(rng)}",
        f"采购代理机构：{agent}，联系人：{rng.choice(SURNAMES)}工，联系方式：{mobile(rng)}",
        f"项目联系人：{rng.choice(SURNAMES)}女士  电话：{landline(rng)}",
    ]
    return doc


def subsidy(rng: random.Random, file: str, *, leak: bool, phones: bool = False, fullwidth: bool = False,
            cards: bool = False, old_ids: bool = False) -> Doc:
    village = rng.choice(COUNTY_NAMES) + rng.choice(["乡", "镇"])
    program = rng.choice(["耕地地力保护补贴", "城乡居民最低生活保障", "临时救助", "高龄津贴", "农村危房改造补助"])
    doc = Doc(file, "subsidy", f"{village}{rng.choice([2024, 2025])}年{program}发放情况公示")
    doc.paragraphs = [f"根据有关政策规定，经村（社区）评议、乡（镇）审核，现将{program}发放情况予以公示，"
                      "公示期7天，如有异议请向乡（镇）人民政府反映。"]
    header = ["序号", "村（社区）", "户主姓名", "身份证号码", "人口数", "补贴金额（元）"]
    if phones:
        header.append("联系电话")
    if cards:
        header.append("银行卡号")
    rows = [header]
    for n in range(1, rng.randint(8, 20)):
        number = id_number(rng)
        if old_ids:  # a list kept since before 1999: 15-digit numbers
            number = number[:6] + number[8:17]
        if leak:
            shown = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")) if fullwidth else number
            doc.leak("id_card", shown)
        else:
            shown = masked_id(number)
        row = [str(n), rng.choice(VILLAGES), name(rng), shown, str(rng.randint(1, 6)), str(rng.randint(300, 8000))]
        if phones:
            row.append(doc.leak("mobile", mobile(rng)) if leak else mobile(rng)[:3] + "****" + mobile(rng)[-4:])
        if cards:
            card = luhn("622848" + f"{rng.randint(0, 10**12 - 1):012d}")
            row.append(doc.leak("bank_card", card) if leak else card[:4] + "**********" + card[-4:])
        rows.append(row)
    doc.tables = [rows]
    doc.after = [f"监督电话：{landline(rng)}", f"{village}人民政府"]
    return doc


def luhn(partial: str) -> str:
    for digit in "0123456789":
        number = partial + digit
        total = 0
        for i, ch in enumerate(reversed(number)):
            value = int(ch) * (2 if i % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return number
    raise AssertionError(partial)


def contact_directory(rng: random.Random, file: str) -> Doc:
    doc = Doc(file, "contact_directory", f"{rng.choice([2025, 2026])}年城乡居民医疗保险参保咨询电话一览表")
    rows = [["序号", "县（市、区）", "经办机构", "咨询电话", "办公地址"]]
    for n, county in enumerate(rng.sample(COUNTY_NAMES, rng.randint(6, 12)), start=1):
        rows.append([str(n), county, f"{county}医疗保障局", rng.choice([mobile(rng), landline(rng)]),
                     f"{county}{rng.choice(['人民路', '建设路', '解放路'])}{rng.randint(1, 300)}号"])
    doc.tables = [rows]
    return doc


def planted(rng: random.Random, file: str, variant: int) -> Doc:
    unit = rng.choice(UNITS)
    if variant == 0:
        doc = Doc(file, "secret", f"{unit}关于加强重点时段安全防范工作的通知", header="机密★1年")
        doc.leak("secret_marking", "机密★1年")
        doc.paragraphs = ["各处室、直属单位：", "为做好重点时段安全防范工作，现就有关事项通知如下。",
                          "一、加强值班值守，严格落实领导带班制度。"]
    elif variant == 1:
        doc = Doc(file, "secret", "关于做好有关维稳工作的通报")
        doc.paragraphs = [doc.leak("secret_marking", "绝密★启用前"), "各县（市、区）：",
                          "近期，个别地区发生了群体性事件，现将有关情况通报如下。"]
    elif variant == 2:
        doc = Doc(file, "secret", f"{unit}内部工作简报（第{rng.randint(1, 30)}期）")
        doc.paragraphs = [doc.leak("secret_marking", "内部资料 注意保存"), "本期要目：",
                          "一、重点工作推进情况", "二、下一步工作安排"]
    elif variant == 3:
        doc = Doc(file, "secret", "关于调整部分干部任职的通知")
        doc.paragraphs = [f"秘密★{rng.randint(1, 10)}年", "各有关单位：", "经研究决定，对部分干部任职作如下调整。"]
        doc.leak("secret_marking", doc.paragraphs[0])
    elif variant == 4:
        doc = Doc(file, "leak", f"关于{name(rng)}同志违纪问题的处理通报")
        person = name(rng)
        doc.paragraphs = ["各单位：", f"经查，{person}（男，汉族，身份证号：{doc.leak('id_card', id_number(rng))}）"
                          "在任职期间违反工作纪律，现予以通报。", "各单位要引以为戒。"]
    elif variant == 5:
        doc = Doc(file, "leak", "关于对群众来信反映问题的答复")
        doc.paragraphs = [f"来信人{name(rng)}（手机号码：{doc.leak('mobile', mobile(rng))}，住址：{rng.choice(VILLAGES)}"
                          f"{rng.randint(1, 9)}组{rng.randint(1, 99)}号）：",
                          "您反映的问题已收悉，经调查核实，现答复如下。", "如对答复不满意，可在收到答复之日起30日内申请复查。"]
    elif variant == 6:
        doc = Doc(file, "leak", "关于发放2025年度见义勇为奖励金的公示")
        rows = [["姓名", "性别", "身份证号", "手机号", "奖励金额"]]
        for _ in range(rng.randint(3, 6)):
            rows.append([name(rng), rng.choice("男女"), doc.leak("id_card", id_number(rng)),
                         doc.leak("mobile", mobile(rng)), "5000"])
        doc.paragraphs = ["经评审，拟对以下人员给予奖励，现予以公示。"]
        doc.tables = [rows]
    elif variant == 8:
        doc = Doc(file, "leak", "2025年社区志愿服务先进个人名单")
        rows = [["序号", "姓名", "性别", "所在单位", "联系方式"]]
        for n in range(1, rng.randint(5, 9)):
            rows.append([str(n), name(rng), rng.choice("男女"), rng.choice(HOSPITALS), doc.leak("mobile", mobile(rng))])
        doc.paragraphs = ["经各社区推荐、街道审核，评选出以下先进个人："]
        doc.tables = [rows]
    else:
        doc = Doc(file, "leak", "关于公布2025年度法律援助受援人名单的通知")
        doc.paragraphs = ["受援人名单如下："]
        for _ in range(rng.randint(3, 6)):
            doc.paragraphs.append(f"{name(rng)}，身份证号{doc.leak('id_card', id_number(rng))}，"
                                  f"联系电话{doc.leak('mobile', mobile(rng))}")
    return doc


# -- writers -------------------------------------------------------------------------------------------------


def write_txt(doc: Doc, path: Path, rng: random.Random) -> None:
    sep = rng.choice(["\t", "  ", "    "])
    lines = [doc.title, ""] + ([doc.header] if doc.header else []) + doc.paragraphs
    for table in doc.tables:
        lines += [sep.join(cell or "-" for cell in row) for row in table]
    lines += doc.after
    encoding = rng.choice(["utf-8", "gb18030"])
    path.write_bytes("\r\n".join(lines).encode(encoding))


def write_html(doc: Doc, path: Path, rng: random.Random) -> None:
    import html

    parts = [f"<h1>{html.escape(doc.title)}</h1>"]
    if doc.header:
        parts.append(f"<p class=\"mj\">{html.escape(doc.header)}</p>")
    parts += [f"<p>{html.escape(p)}</p>" for p in doc.paragraphs]
    for table in doc.tables:
        head, *body = table
        parts.append("<table border=\"1\"><thead><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in head)
                     + "</tr></thead><tbody>")
        parts += ["<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in body]
        parts.append("</tbody></table>")
    parts += [f"<p style=\"text-align:right\">{html.escape(p)}</p>" for p in doc.after]
    gbk = rng.random() < 0.3
    charset = "gb2312" if gbk else "utf-8"
    page = (f"<!DOCTYPE html>\n<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\">"
            f"<title>{html.escape(doc.title)}</title></head>\n<body><div class=\"article\">\n"
            + "\n".join(parts) + "\n</div></body></html>\n")
    path.write_bytes(page.encode("gb18030" if gbk else "utf-8"))


def write_docx(doc: Doc, path: Path, rng: random.Random) -> None:
    import docx

    document = docx.Document()
    document.add_heading(doc.title, level=1)
    for text in doc.paragraphs:
        document.add_paragraph(text)
    for rows in doc.tables:
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    for text in doc.after:
        document.add_paragraph(text)
    if doc.header is not None:
        document.sections[0].header.paragraphs[0].text = doc.header
    document.save(path)


def write_xlsx(doc: Doc, path: Path, rng: random.Random) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1" if rng.random() < 0.5 else doc.type
    if doc.header:
        sheet.append([doc.header])
    sheet.append([doc.title])
    for text in doc.paragraphs:
        sheet.append([text])
    for rows in doc.tables:
        for row in rows:
            # Numbers typed as numbers, as people enter them (phone numbers too); long ones stay text.
            sheet.append([int(c) if c.isdigit() and len(c) <= 11 and not c.startswith("0") else c for c in row])
    for text in doc.after:
        sheet.append([text])
    workbook.save(path)


def write_pdf(doc: Doc, path: Path, rng: random.Random) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    size = landscape(A4)
    pdf = canvas.Canvas(str(path), pagesize=size)
    lines: list[tuple[str, list[str]]] = [("p", [doc.header])] if doc.header else []
    lines += [("p", [doc.title])] + [("p", [p]) for p in doc.paragraphs]
    for table in doc.tables:
        lines += [("row", row) for row in table]
    lines += [("p", [p]) for p in doc.after]
    y = size[1] - 40
    widths: list[float] = []
    for table in doc.tables:
        columns = max(len(r) for r in table)
        widths = [max(len(r[c]) if c < len(r) else 0 for r in table) * 8 + 14 for c in range(columns)]
    font = 7
    pdf.setFont("STSong-Light", font)
    for kind, cells in lines:
        if y < 40:
            pdf.showPage()
            pdf.setFont("STSong-Light", font)
            y = size[1] - 40
        if kind == "p":
            text = cells[0]
            while text:
                pdf.drawString(30, y, text[:95])
                text = text[95:]
                y -= 12
        else:
            x = 30.0
            for c, cell in enumerate(cells):
                pdf.drawString(x, y, cell)
                x += widths[c] if c < len(widths) else 60
            y -= 12
    pdf.showPage()
    pdf.save()


WRITERS = {"txt": write_txt, "html": write_html, "docx": write_docx, "xlsx": write_xlsx, "pdf": write_pdf}
# Formats made by LibreOffice from a format written above: target → (source format, LibreOffice filter).
CONVERTED = {"doc": ("docx", "doc:MS Word 97"), "xls": ("xlsx", "xls:MS Excel 97"),
             "rtf": ("docx", "rtf:Rich Text Format"), "wps": ("docx", "doc:MS Word 97"),
             "et": ("xlsx", "xls:MS Excel 97")}


def plan(rng: random.Random) -> list[tuple[Doc, str]]:
    """Every document of the corpus with its format."""
    items: list[tuple[Doc, str]] = []
    counter = iter(range(1, 1000))

    def add(builder, fmt: str, **options) -> Doc:  # noqa: ANN001
        number = next(counter)
        doc = builder(rng, f"{number:03d}", **options)
        doc.file = f"{number:03d}-{doc.type}.{fmt}"
        items.append((doc, fmt))
        return doc

    for fmt in ["docx", "docx", "xlsx", "xlsx", "xls", "xls", "doc", "doc", "html", "pdf", "txt", "rtf"]:
        add(candidate_list, fmt)
    for fmt in ["xlsx", "xls", "docx", "doc", "html", "txt", "pdf", "et"]:
        add(hire_list, fmt)
    for fmt in ["xlsx", "xlsx", "xlsx", "xls", "xls", "docx", "doc", "html", "txt", "wps", "pdf"]:
        add(position_table, fmt)
    for fmt in ["xlsx", "xls", "html", "pdf", "docx", "txt"]:
        add(score_list, fmt)
    for fmt in ["docx", "doc", "html", "html", "txt", "txt", "pdf", "rtf"]:
        add(notice, fmt)
    for fmt in ["html", "html", "docx", "pdf", "txt"]:
        add(bulletin, fmt)
    for fmt, leak in [("docx", False), ("docx", True), ("html", False), ("html", False), ("pdf", False),
                      ("doc", True), ("txt", False)]:
        add(penalty, fmt, leak=leak)
    for fmt in ["html", "docx", "pdf", "xlsx"]:
        add(annual_report, fmt)
    for fmt in ["html", "html", "docx", "txt", "pdf"]:
        add(procurement, fmt)
    for fmt, options in [
        ("xlsx", {"leak": True, "phones": True}), ("xlsx", {"leak": False, "phones": True}),
        ("xlsx", {"leak": True, "cards": True}), ("xls", {"leak": True}), ("xls", {"leak": False}),
        ("docx", {"leak": True, "fullwidth": True}), ("docx", {"leak": False}), ("doc", {"leak": True, "phones": True}),
        ("html", {"leak": False, "cards": True}), ("txt", {"leak": True}), ("pdf", {"leak": False}),
        ("et", {"leak": True}), ("xlsx", {"leak": True, "old_ids": True}),
    ]:
        add(subsidy, fmt, **options)
    for fmt in ["xlsx", "html", "docx", "pdf"]:
        add(contact_directory, fmt)
    for variant, fmt in enumerate(["docx", "txt", "doc", "pdf", "html", "txt", "xlsx", "docx", "docx"]):
        add(planted, fmt, variant=variant)
    return items


def build(directory: Path = HERE) -> None:
    rng = random.Random(SEED)
    items = plan(rng)
    for old in directory.iterdir():
        if old.is_file() and old.name[:3].isdigit():
            old.unlink()
    labels: list[dict] = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        conversions: dict[str, list[tuple[Path, Doc, str]]] = {}
        for doc, fmt in items:
            if fmt in WRITERS:
                WRITERS[fmt](doc, directory / doc.file, rng)
            else:
                source_fmt, target = CONVERTED[fmt]
                source = work / f"{Path(doc.file).stem}.{source_fmt}"
                WRITERS[source_fmt](doc, source, rng)
                conversions.setdefault(target, []).append((source, doc, fmt))
        for target, sources in conversions.items():
            out = work / target.split(":")[0].replace(" ", "")
            out.mkdir(exist_ok=True)
            subprocess.run(["soffice", "--headless", "--convert-to", target, "--outdir", str(out),
                            *[str(s) for s, _, _ in sources]], check=True, capture_output=True, timeout=600)
            for source, doc, _fmt in sources:
                made = out / f"{source.stem}.{target.split(':')[0]}"
                shutil.copyfile(made, directory / doc.file)
        for doc, fmt in items:
            labels.append({"file": doc.file, "type": doc.type, "format": fmt, "publishable": not doc.leaks,
                           "leaks": doc.leaks})
        # Archives one level deep: a candidate list with its position table; a leaking list with its notice.
        first = {kind: next(i for i, (d, _) in enumerate(items) if d.type == kind)
                 for kind in ("candidate_list", "position_table", "score_list", "notice", "subsidy")}
        for number, members, leaky in [
            (len(items) + 1, [first["candidate_list"], first["position_table"] + 1], False),
            (len(items) + 2, [first["subsidy"], first["notice"]], True),
            (len(items) + 3, [first["score_list"] + 1, first["notice"] + 1], False),
        ]:
            name = f"{number:03d}-archive.zip"
            buffer = io.BytesIO()
            leaks: list[dict] = []
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for index in members:
                    doc, fmt = items[index]
                    member = f"附件{members.index(index) + 1}：{doc.title[:20]}.{fmt}"
                    archive.writestr(member, (directory / doc.file).read_bytes())
                    leaks += doc.leaks
            (directory / name).write_bytes(buffer.getvalue())
            assert bool(leaks) == leaky, (name, leaks)
            labels.append({"file": name, "type": "archive", "format": "zip", "publishable": not leaks, "leaks": leaks})
    (directory / "labels.json").write_text(
        json.dumps({"seed": SEED, "documents": labels}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(labels)} documents written to {directory}")


if __name__ == "__main__":
    build()
