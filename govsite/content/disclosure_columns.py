"""政府信息公开栏目: the uniform structure of every hosted site's 政府信息公开 column (data only, no models).

平台通知 61号 asks for "统一名称、统一格式": the column is named 政府信息公开 on every site and holds
政府信息公开指南, 政府信息公开制度, 法定主动公开内容 (the categories of 条例 Art 20, and for city and county
governments those of Art 21) and 政府信息公开年报. Slugs are fixed ASCII (xxgk, xxgkzn, …) so every site's
addresses look alike and never depend on a title. `content/disclosure_site.py` builds the tree from this table.

指南 and 制度 are single-page information columns (单页栏目): their text is the column's own `body`, which
counts as content for the empty-column rule (§9 item 14), so they need no article under them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from govsite.core import update_classes


class ColumnKind(models.TextChoices):
    """栏目类型: an ordinary column, or a part of the uniform 政府信息公开 structure."""

    ORDINARY = "ordinary", _("普通栏目")
    OGI = "ogi", _("政府信息公开")
    OGI_GUIDE = "ogi_guide", _("政府信息公开指南")
    OGI_RULES = "ogi_rules", _("政府信息公开制度")
    OGI_STATUTORY = "ogi_statutory", _("法定主动公开内容")
    OGI_CATEGORY = "ogi_category", _("法定主动公开内容类目")
    OGI_REPORT = "ogi_report", _("政府信息公开年报")


# The kinds whose items are catalogue items (目录): counted by the proactive-disclosure clock and browsed.
OGI_KINDS = frozenset(k for k in ColumnKind.values if k != ColumnKind.ORDINARY)
# Columns whose own body is their content (单页栏目).
SINGLE_PAGE_KINDS = frozenset({ColumnKind.OGI_GUIDE, ColumnKind.OGI_RULES})
# The uniform structure's fixed names: site admins cannot rename or delete these columns.
FIXED_NAME_KINDS = frozenset({ColumnKind.OGI, ColumnKind.OGI_GUIDE, ColumnKind.OGI_RULES,
                              ColumnKind.OGI_STATUTORY, ColumnKind.OGI_REPORT})

ROOT_SLUG = "xxgk"
ROOT_TITLE = "政府信息公开"


@dataclass(frozen=True)
class ColumnSpec:
    """One column of the uniform structure: slug (stable), title, kind, update class, 说明, and sub-columns."""

    slug: str
    title: str
    kind: str
    update_class: str = update_classes.NOTICE
    description: str = ""
    children: tuple[ColumnSpec, ...] = ()


def _category(slug: str, title: str, description: str, update_class: str = update_classes.NOTICE) -> ColumnSpec:
    return ColumnSpec(slug, title, ColumnKind.OGI_CATEGORY, update_class, description)


# 条例 Art 20 (1)–(14), in the order of the article.
ART20_CATEGORIES: tuple[ColumnSpec, ...] = (
    _category("fgwj", "法规文件", "行政法规、规章和规范性文件"),
    _category("jgzn", "机构职能", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
              update_classes.STATIC),
    _category("ghxx", "规划信息", "国民经济和社会发展规划、专项规划、区域规划及相关政策", update_classes.PLAN),
    _category("tjxx", "统计信息", "国民经济和社会发展统计信息"),
    _category("xzxk", "行政许可", "行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果"),
    _category("xzcfqz", "行政处罚和行政强制", "行政处罚、行政强制的依据、条件、程序以及有一定社会影响的行政处罚决定"),
    _category("czyjs", "财政预决算", "财政预算、决算", update_classes.PLAN),
    _category("sfxm", "收费项目", "行政事业性收费项目及其依据、标准"),
    _category("zfcg", "政府采购", "政府集中采购项目的目录、标准及实施情况"),
    _category("zdjsxm", "重大建设项目", "重大建设项目的批准和实施情况"),
    _category("mszc", "民生政策", "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况"),
    _category("yjgl", "应急管理", "突发公共事件的应急预案、预警信息及应对情况"),
    _category("jdjc", "监督检查", "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"),
    _category("gwyzk", "公务员招考", "公务员招考的职位、名额、报考条件等事项以及录用结果", update_classes.PLAN),
)

# 条例 Art 21: what 设区的市级、县级人民政府 add.
ART21_CATEGORIES: tuple[ColumnSpec, ...] = (
    _category("szjs", "市政建设", "市政建设方面的政府信息"),
    _category("ggfw", "公共服务", "公共服务方面的政府信息"),
    _category("gysy", "公益事业", "公益事业方面的政府信息"),
    _category("tdzs", "土地征收", "土地征收方面的政府信息"),
    _category("fwzs", "房屋征收", "房屋征收方面的政府信息"),
    _category("zagl", "治安管理", "治安管理方面的政府信息"),
    _category("shjz", "社会救助", "社会救助方面的政府信息"),
)


def structure(*, city_or_county_government: bool = False) -> ColumnSpec:
    """The 政府信息公开 column with its parts; Art 21 categories for a city's or county's government."""
    categories = ART20_CATEGORIES + (ART21_CATEGORIES if city_or_county_government else ())
    return ColumnSpec(ROOT_SLUG, ROOT_TITLE, ColumnKind.OGI, update_classes.NOTICE,
                      "本机关主动公开的政府信息，按统一格式提供检索、查阅和下载。", children=(
        ColumnSpec("xxgkzn", "政府信息公开指南", ColumnKind.OGI_GUIDE, update_classes.STATIC,
                   "信息的分类、编排体系、获取方式，政府信息公开工作机构的名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式"),
        ColumnSpec("xxgkzd", "政府信息公开制度", ColumnKind.OGI_RULES, update_classes.STATIC,
                   "本机关政府信息公开工作制度"),
        ColumnSpec("fdzdgknr", "法定主动公开内容", ColumnKind.OGI_STATUTORY, update_classes.NOTICE,
                   "《中华人民共和国政府信息公开条例》第二十条、第二十一条规定应当主动公开的政府信息",
                   children=categories),
        ColumnSpec("xxgknb", "政府信息公开年报", ColumnKind.OGI_REPORT, update_classes.PLAN,
                   "本机关政府信息公开工作年度报告"),
    ))
