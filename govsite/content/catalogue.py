"""政府信息公开目录 (catalogue) data: 主题分类, 体裁, 有效性, 解读形式, and the 索引号 pattern.

Data the national rules define is data here, read by the models' choices, the templates, the import and
the catalogue browsing. Codes are stable (stored in the database and in import files); labels may be reworded.
The theme list is the State Council's 国务院公文主题分类 as used by www.gov.cn's 政府信息公开目录 (first level).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# 主题分类: (code, label). Codes follow the order of the gov.cn list; 其他 is 99 so that new themes fit before it.
TOPICS: list[tuple[str, str]] = [
    ("01", "综合政务"),
    ("02", "国民经济管理、国有资产监管"),
    ("03", "财政、金融、审计"),
    ("04", "国土资源、能源"),
    ("05", "农业、林业、水利"),
    ("06", "工业、交通"),
    ("07", "商贸、海关、旅游"),
    ("08", "市场监管、安全生产监管"),
    ("09", "城乡建设、环境保护"),
    ("10", "科技、教育"),
    ("11", "文化、广电、新闻出版"),
    ("12", "卫生、体育"),
    ("13", "人口与计划生育、妇女儿童工作"),
    ("14", "劳动、人事、监察"),
    ("15", "公安、安全、司法"),
    ("16", "民政、扶贫、救灾"),
    ("17", "民族、宗教"),
    ("18", "对外事务"),
    ("19", "港澳台侨工作"),
    ("20", "国防"),
    ("99", "其他"),
]
TOPIC_LABELS: dict[str, str] = dict(TOPICS)

# 体裁 (公文文种 and the common rule forms): (code, label).
GENRES: list[tuple[str, str]] = [
    ("order", "命令（令）"),
    ("decision", "决定"),
    ("announcement", "公告"),
    ("public_notice", "通告"),
    ("opinion", "意见"),
    ("notice", "通知"),
    ("bulletin", "通报"),
    ("report", "报告"),
    ("request", "请示"),
    ("reply", "批复"),
    ("letter", "函"),
    ("minutes", "纪要"),
    ("rules", "规定、办法、细则"),
    ("plan", "规划、计划、方案"),
    ("other", "其他"),
]
GENRE_LABELS: dict[str, str] = dict(GENRES)

# 有效性 of a policy document (§1.5 文件资料, §9 item 9).
VALID, AMENDED, REPEALED, EXPIRED = "valid", "amended", "repealed", "expired"
VALIDITY: list[tuple[str, str]] = [
    (VALID, "有效"),
    (AMENDED, "已修改"),
    (REPEALED, "已废止"),
    (EXPIRED, "已失效"),
]
VALIDITY_LABELS: dict[str, str] = dict(VALIDITY)
# What the replacing document did to this one, for the reverse link (本文件废止/修改了 …).
VALIDITY_VERBS: dict[str, str] = {AMENDED: "修改", REPEALED: "废止", EXPIRED: "替代"}

# 解读形式 (§1.6: 文字、图表图解、音频、视频).
FORM_TEXT, FORM_GRAPHIC, FORM_AUDIO, FORM_VIDEO = "text", "graphic", "audio", "video"
INTERPRETATION_FORMS: list[tuple[str, str]] = [
    (FORM_TEXT, "文字解读"),
    (FORM_GRAPHIC, "图解"),
    (FORM_AUDIO, "音频解读"),
    (FORM_VIDEO, "视频解读"),
]

INDEX_NUMBER_HELP = _("格式：机构代码或统一社会信用代码/年份-五位序号，如 11441700007280420Y/2026-00001；发布时自动生成。")


def topic_code(value: str) -> str | None:
    """The 主题分类 code for a code or a label (as an import file may give either); None if unknown."""
    value = (value or "").strip()
    if value in TOPIC_LABELS:
        return value
    folded = value.replace("/", "、").replace("，", "、").replace(",", "、").replace(" ", "")
    for code, label in TOPICS:
        if folded == label:
            return code
    return None


# 索引号 (§9 item 27): <机构代码或统一社会信用代码>/<年份>-<五位序号>, e.g. 11441700007280420Y/2021-00050.
INDEX_NUMBER_PATTERN = r"^[0-9A-Za-z]{6,32}/\d{4}-\d{5,}$"


def organ_code_for_page(page) -> str | None:  # noqa: ANN001
    """The organ code of an item's 索引号: the 统一社会信用代码 of the site's 主办单位 when the registry has it,
    else the site's 网站标识码 (unique in the registry, so numbers of two sites never collide)."""
    from .access import website_for_page

    website = website_for_page(page) if getattr(page, "path", "") else None
    if website is None:
        return None
    credit_code = (website.owner_unit.credit_code or "").strip().upper()
    return credit_code or website.site_code

