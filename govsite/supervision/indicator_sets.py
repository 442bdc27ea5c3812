"""The 2019 检查指标 as the default indicator set (指标体系), as data.

A set is a JSON-able dict (stored in `IndicatorSet.definition`, one row per version); `scoring.py` reads it.
What national-rules.md §2.2 confirms is marked `"confirmed": True`: the three parts, 扣分指标 = 100 and
加分指标 = 30 points, any veto ⇒ 不合格, < 60 ⇒ 不合格, > 80 unlocks the bonus, deductions within one indicator
never exceed its points, ×4/3 for departments without external service functions (办事服务 not checked, out
of 75) and no double deduction. The split of the 100 points over the deduction indicators and the points per
finding are **not** published (§2.2 "UNCONFIRMED"): they ship as defaults marked `"confirmed": False`, shown as
（默认值，未经官方确认）in the admin, for supervisors to replace with their province's own table by saving a
new version.
"""

from __future__ import annotations

import copy
from typing import Any

from govsite.core.findings import FINDING_KIND_TABLE, INDICATOR_TABLE, INDICATORS, VETO

DEFAULT_SET_NAME = "政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）"

# The indicators are the registry's (core/findings.py INDICATOR_TABLE: codes, labels, kinds). Their points:
# 扣分指标 100 in all and 加分指标 30 are confirmed; the split of the 100 is a default (unconfirmed; 办事服务 ≈ 25 [I]).
_POINTS: dict[str, tuple[float, bool]] = {
    "deduction.availability": (10, False),
    "deduction.daily_update": (20, False),
    "deduction.basic_info": (10, False),
    "deduction.data_release": (10, False),
    "deduction.interaction": (15, False),
    "deduction.function_design": (10, False),
    "deduction.service": (25, False),
    "bonus.portal": (30, True),
}
_INDICATORS: tuple[tuple[str, str, str, float | None, bool], ...] = tuple(
    (i.code, i.label, i.kind, *(_POINTS.get(i.code, (None, True)))) for i in INDICATOR_TABLE
)


# Veto findings come from the indicator registry (core/findings.py): every kind whose severity is 单项否决 counts
# toward the registry's veto indicator, with no points (any one makes the site 不合格).
def _registry_vetoes() -> tuple[tuple[str, str, float], ...]:
    return tuple(
        (kind.code, kind.indicator, 0)
        for kind in FINDING_KIND_TABLE
        if kind.indicator and VETO in kind.severities.values() and INDICATORS[kind.indicator].kind == "veto"
    )


# Deduction findings: the registry names the rule a finding serves (a stale column feeds the 栏目不更新 veto
# count); as one finding it takes points from a 扣分 indicator. The points are defaults (unconfirmed).
_DEDUCTIONS: tuple[tuple[str, str, float], ...] = (
    # monitor
    ("stale_column", "deduction.daily_update", 2),
    ("blank_column", "deduction.daily_update", 2),
    ("unreachable_column", "deduction.availability", 1),
    ("broken_link", "deduction.availability", 0.5),
    ("soft_404", "deduction.availability", 0.5),
    ("missing_footer_item", "deduction.function_design", 1),
    ("missing_meta_tag", "deduction.function_design", 0.5),
    ("certificate_expired", "deduction.function_design", 2),
    # inspection (人工检查)
    ("manual_guide_elements", "deduction.service", 2),
    ("manual_basic_info", "deduction.basic_info", 2),
    ("manual_daily_update", "deduction.daily_update", 2),
    ("manual_data_release", "deduction.data_release", 2),
    ("manual_interaction", "deduction.interaction", 3),
    ("manual_function_design", "deduction.function_design", 1),
    ("manual_availability", "deduction.availability", 1),
)
_FINDINGS = _registry_vetoes() + _DEDUCTIONS

DEFAULT_DEFINITION: dict[str, Any] = {
    "name": DEFAULT_SET_NAME,
    "deduction_total": 100,
    "bonus_total": 30,
    "pass_mark": 60,  # < 60 ⇒ 不合格
    "bonus_threshold": 80,  # > 80 ⇒ 加分指标 counted
    "service_indicator": "deduction.service",  # not checked for sites without service functions (×4/3)
    "indicators": [
        {"code": code, "label": label, "kind": kind, "max": points, "confirmed": confirmed}
        for code, label, kind, points, confirmed in _INDICATORS
    ],
    "findings": {
        code: {"indicator": indicator, "points": points, "confirmed": False}
        for code, indicator, points in _FINDINGS
    },
}


def default_definition() -> dict[str, Any]:
    """A fresh copy of the shipped 2019 set (callers may change it before saving a new version)."""
    return copy.deepcopy(DEFAULT_DEFINITION)
