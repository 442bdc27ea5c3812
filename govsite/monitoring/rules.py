"""Monitoring thresholds (监测规则) as data: national rules §2 and §9 items 10–17, all configurable.

`MonitorRules()` holds the national defaults; a region or a campaign overrides a field with
`dataclasses.replace(DEFAULT_RULES, homepage_stale_days=7)`. Thresholds marked (*) in the reference are
not nationally confirmed, which is why none of them is a constant in a check.

Column update classes (栏目更新类别), keyed by English identifier:

    news         动态/要闻               must show a new item within 14 days
    notice       通知公告/政策文件        183 days (6 months, 一级栏目)
    plan         人事/规划计划            365 days
    static       机构职能/概况 (静态)     not timed
    interaction  互动交流                 not timed here (reply times are another check)
    service      办事服务                 not timed
    special      专题专栏 (历史)          not timed
    none         不计                     a registry correction: not judged at all (NOT_COUNTED)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Column update classes (栏目更新类别): one table in core, which hosted columns and the registry read too.
from govsite.core.update_classes import (  # noqa: F401 — re-exported for the checks
    INTERACTION,
    NEWS,
    NOT_COUNTED,
    NOTICE,
    PLAN,
    SERVICE,
    SPECIAL,
    STATIC,
    UPDATE_CLASS_LABELS,
    UPDATE_CLASS_MAX_AGE_DAYS,
    UPDATE_CLASSES,
)

# Keywords of column names, tried in this order; the first class with a keyword in the name wins.
# 人事/规划 comes before 通知公告 so that 招聘公告 and 人事公告 are personnel columns (a one-year window,
# the more specific reading); 动态 comes first of all so that 招聘动态 or 机构动态 are news columns.
COLUMN_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (NEWS, ("动态", "要闻", "新闻", "工作动态", "部门动态", "政务要闻", "图片新闻")),
    (PLAN, ("人事", "任免", "招聘", "录用", "规划", "计划", "总结")),
    (NOTICE, ("通知公告", "公告", "公示", "政策文件", "政策法规", "文件", "政策解读", "解读", "政策", "通报", "公报")),
    (INTERACTION, ("互动", "信箱", "咨询", "留言", "访谈", "征集")),
    (SERVICE, ("办事", "服务", "指南")),
    (SPECIAL, ("专题", "专栏")),
    (STATIC, ("机构", "职能", "概况", "简介", "领导")),
)


def classify_column(name: str) -> str | None:
    """The update class (栏目更新类别) of a column from its name; None when the name says nothing (not counted)."""
    name = "".join(name.split())
    for update_class, keywords in COLUMN_KEYWORDS:
        if any(keyword in name for keyword in keywords):
            return update_class
    return None


def normalise_update_class(value: Any) -> str | None:
    """A registry's update class, given in English (`news`) or Chinese (`动态要闻`), as an identifier."""
    if not value:
        return None
    value = str(value).strip()
    if value in UPDATE_CLASSES:
        return value
    for key, label in UPDATE_CLASS_LABELS.items():
        if value == label or value in label.split("/"):
            return key
    return classify_column(value)


@dataclass(frozen=True)
class MonitorRules:
    """The thresholds one monitoring run applies (national defaults; §2.1, §2.2, §9 items 10–16)."""

    # 首页不更新: no new dated item on the homepage for more than this many days ⇒ veto.
    homepage_stale_days: int = 14
    # 栏目不更新: the longest gap allowed per update class.
    update_class_limits: dict[str, int] = field(
        default_factory=lambda: {code: days for code, days in UPDATE_CLASS_MAX_AGE_DAYS.items() if days is not None})
    # Veto (1): overdue 动态要闻 + 通知公告/政策文件 columns together at least this many.
    stale_veto_count: int = 5
    # Veto (2): 应更新但长期未更新 columns (stale of any timed class, plus blank columns) at least this many.
    should_update_stale_veto: int = 10
    # Veto (3): 空白栏目 at least this many.
    blank_column_veto: int = 5
    # 站点无法访问 over the 7-day probe window (needs stored probes; used by the later availability job).
    availability_veto_ratio: float = 0.05
    availability_warn_ratio: float = 0.03
    # TLS certificate: warn this many days before it expires.
    certificate_warn_days: int = 30
    # Hosts whose scripts may be embedded in a homepage (suffix match); others are an injected-code signal.
    script_allow_hosts: tuple[str, ...] = ("gov.cn", "conac.cn", "hm.baidu.com")
    # Content check: at most this many characters of each page's text are checked.
    content_max_chars: int = 200_000
    # 互动回应差: a consultation message unanswered longer than this (3 months), counted within this window.
    unanswered_message_days: int = 92
    unanswered_window_days: int = 365
    # Footer check: the homepage plus this many other pages.
    footer_sample_pages: int = 3
    # The compliance lexicon (govsite.checks.lexicon.Lexicon); None = the shipped defaults.
    lexicon: Any = None


DEFAULT_RULES = MonitorRules()
