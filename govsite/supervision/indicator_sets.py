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

DEFAULT_SET_NAME = "政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）"

# code → (label, kind, max points or None for a veto item, confirmed?)
_INDICATORS: tuple[tuple[str, str, str, float | None, bool], ...] = (
    ("veto.serious_incident", "安全、泄密事故等严重问题", "veto", None, True),
    ("veto.serious_wording", "严重表述错误", "veto", None, True),
    ("veto.state_secret", "泄露国家秘密", "veto", None, True),
    ("veto.harmful_content", "发布或链接反动、暴力、色情内容", "veto", None, True),
    ("veto.security_attack", "安全攻击（挂马、内容被篡改等）", "veto", None, True),
    ("veto.falsification", "弄虚作假", "veto", None, True),
    ("veto.unreachable", "站点无法访问", "veto", None, True),
    ("veto.homepage_stale", "首页不更新", "veto", None, True),
    ("veto.columns_stale", "栏目不更新", "veto", None, True),
    ("veto.poor_response", "互动回应差", "veto", None, True),
    ("veto.service_unusable", "服务不实用", "veto", None, True),
    # 扣分指标, 100 points in all (confirmed); the split is a default (unconfirmed), 办事服务 ≈ 25 [I].
    ("deduction.availability", "网站可用性", "deduction", 10, False),
    ("deduction.daily_update", "日常更新", "deduction", 20, False),
    ("deduction.basic_info", "概况信息", "deduction", 10, False),
    ("deduction.data_release", "数据发布", "deduction", 10, False),
    ("deduction.interaction", "互动交流", "deduction", 15, False),
    ("deduction.function_design", "功能设计", "deduction", 10, False),
    ("deduction.service", "办事服务", "deduction", 25, False),
    # 加分指标, 30 points for portals (confirmed); awarded by inspectors.
    ("bonus.portal", "门户网站加分项", "bonus", 30, True),
)

# finding code → (indicator, points per finding); the points are defaults (unconfirmed). Veto findings carry
# no points: any one makes the site 不合格.
_FINDINGS: tuple[tuple[str, str, float], ...] = (
    # monitor
    ("unreachable", "veto.unreachable", 0),
    ("availability", "veto.unreachable", 0),
    ("homepage_stale", "veto.homepage_stale", 0),
    ("column_veto", "veto.columns_stale", 0),
    ("personal_data", "veto.serious_incident", 0),
    ("secret_marking", "veto.state_secret", 0),
    ("sensitive_word", "veto.harmful_content", 0),
    ("protected_term", "veto.serious_wording", 0),
    ("hidden_link", "veto.security_attack", 0),
    ("tampered_link", "veto.security_attack", 0),
    ("injected_script", "veto.security_attack", 0),
    ("content_tampered", "veto.security_attack", 0),
    ("no_consultation_channel", "veto.poor_response", 0),
    ("unanswered_message", "veto.poor_response", 0),
    ("stale_column", "deduction.daily_update", 2),
    ("blank_column", "deduction.daily_update", 2),
    ("unreachable_column", "deduction.availability", 1),
    ("broken_link", "deduction.availability", 0.5),
    ("soft_404", "deduction.availability", 0.5),
    ("missing_footer_item", "deduction.function_design", 1),
    ("missing_meta_tag", "deduction.function_design", 0.5),
    ("certificate_expired", "deduction.function_design", 2),
    # inspection (人工检查)
    ("manual_serious_wording", "veto.serious_wording", 0),
    ("manual_false_content", "veto.falsification", 0),
    ("manual_security_incident", "veto.serious_incident", 0),
    ("manual_no_service", "veto.service_unusable", 0),
    ("manual_guide_elements", "deduction.service", 2),
    ("manual_basic_info", "deduction.basic_info", 2),
    ("manual_daily_update", "deduction.daily_update", 2),
    ("manual_data_release", "deduction.data_release", 2),
    ("manual_interaction", "deduction.interaction", 3),
    ("manual_function_design", "deduction.function_design", 1),
    ("manual_availability", "deduction.availability", 1),
)

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
