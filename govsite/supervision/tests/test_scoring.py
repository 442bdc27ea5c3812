"""The scoring arithmetic of the 2019 检查指标 (national-rules.md §2.2), on the shipped set and on edited sets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govsite.supervision.indicator_sets import default_definition
from govsite.supervision.scoring import FAIL, PASS, FindingInput, score_site, validate_definition

D = Decimal


def f(code: str, **kw: object) -> FindingInput:
    return FindingInput(code=code, **kw)  # type: ignore[arg-type]


def test_the_shipped_set_is_100_deduction_and_30_bonus_points_with_unconfirmed_points_marked() -> None:
    definition = default_definition()
    assert validate_definition(definition) == []
    deduction = [i for i in definition["indicators"] if i["kind"] == "deduction"]
    assert sum(i["max"] for i in deduction) == 100
    assert {i["label"] for i in deduction} >= {"日常更新", "概况信息", "数据发布", "互动交流", "功能设计", "办事服务"}
    assert not any(i["confirmed"] for i in deduction), "the split of the 100 points is not published"
    assert [i["max"] for i in definition["indicators"] if i["kind"] == "bonus"] == [30]
    assert all(entry["confirmed"] is False for entry in definition["findings"].values())


def test_no_findings_is_100_and_pass() -> None:
    result = score_site([], default_definition())
    assert (result.verdict, result.score, result.deductions) == (PASS, D(100), {})


def test_any_veto_fails_without_scoring() -> None:
    result = score_site([f("hidden_link", url="https://a/"), f("broken_link", target="https://a/x")],
                        default_definition())
    assert result.verdict == FAIL and result.score is None
    assert result.vetoes == ["veto.security_attack"]


def test_deductions_within_one_indicator_never_exceed_its_points() -> None:
    definition = default_definition()
    links = [f("broken_link", target=f"https://a/{i}") for i in range(100)]  # 100 × 0.5 = 50 > 10
    result = score_site(links, definition)
    assert result.uncapped["deduction.availability"] == D(50)
    assert result.deductions["deduction.availability"] == D(10)
    assert result.score == D(90) and result.verdict == PASS


def test_below_60_fails_and_60_passes() -> None:
    definition = default_definition()
    definition["findings"]["manual_interaction"]["points"] = 15
    definition["findings"]["manual_daily_update"]["points"] = 20
    definition["findings"]["manual_data_release"]["points"] = 5
    base = [f("manual_interaction", url="u1"), f("manual_daily_update", url="u2"), f("manual_data_release", url="u3")]
    at_60 = score_site(base, definition)
    assert at_60.score == D(60) and at_60.verdict == PASS
    below = score_site([*base, f("missing_meta_tag", url="u4")], definition)
    assert below.score == D("59.5") and below.verdict == FAIL


def test_the_bonus_counts_only_for_portals_above_80() -> None:
    definition = default_definition()
    clean = score_site([], definition, is_portal=True, bonus_points=12)
    assert (clean.deduction_score, clean.bonus, clean.score) == (D(100), D(12), D(112))
    assert score_site([], definition, is_portal=False, bonus_points=12).score == D(100)
    capped = score_site([], definition, is_portal=True, bonus_points=45)
    assert capped.bonus == D(30)
    definition["findings"]["manual_daily_update"]["points"] = 20
    at_80 = score_site([f("manual_daily_update", url="x")], definition, is_portal=True, bonus_points=12)
    assert at_80.deduction_score == D(80) and at_80.bonus == 0, "80 itself does not unlock the bonus (> 80)"


def test_sites_without_service_functions_are_out_of_75_times_four_thirds() -> None:
    definition = default_definition()
    findings = [f("manual_guide_elements", url="guide"), f("manual_basic_info", url="about")]  # 2 + 2
    with_services = score_site(findings, definition)
    assert with_services.score == D(96)
    without = score_site(findings, definition, provides_services=False)
    # 办事服务 is not checked: (75 − 2) × 4/3 = 97.33
    assert without.scaled and without.score == D("97.33")
    assert "deduction.service" not in without.deductions
    assert [n.code for n in without.not_counted] == ["manual_guide_elements"]
    assert score_site([], definition, provides_services=False).score == D(100)


def test_a_column_already_deducted_is_not_deducted_again() -> None:
    definition = default_definition()
    findings = [
        f("blank_column", column="机构职能", url="https://a/jgzn/"),
        f("stale_column", column="机构职能", url="https://a/jgzn/"),  # same column, same indicator
        f("manual_basic_info", column="机构职能", url="https://a/jgzn/"),  # same column, another indicator
        f("stale_column", column="通知公告", url="https://a/tzgg/"),
        f("stale_column", column="通知公告", url="https://a/tzgg/"),  # the same problem twice
    ]
    result = score_site(findings, definition)
    assert result.deductions == {"deduction.daily_update": D(4)}
    reasons = [n.reason for n in result.not_counted]
    assert len(reasons) == 3 and any("日常更新" in r and "不重复扣分" in r for r in reasons)
    assert result.score == D(96)


def test_an_inspectors_points_replace_the_default() -> None:
    result = score_site([f("manual_guide_elements", url="g", points=D("7.5"))], default_definition())
    assert result.deductions == {"deduction.service": D("7.5")}


def test_findings_that_count_toward_nothing_take_no_points() -> None:
    result = score_site([f("cannot_judge", url="x"), f("typo", url="y"), f("external_script", url="z")],
                        default_definition())
    assert result.score == D(100)


def test_an_edited_set_changes_the_score_and_the_old_version_does_not() -> None:
    old = default_definition()
    new = default_definition()
    new["findings"]["stale_column"]["points"] = 5
    findings = [f("stale_column", column="要闻")]
    assert score_site(findings, old).score == D(98)
    assert score_site(findings, new).score == D(95)


@pytest.mark.parametrize("change, message", [
    (lambda d: d["indicators"][11].update(max=50), "应等于扣分指标总分"),
    (lambda d: d["findings"].update(x={"indicator": "nope", "points": 1}), "对应的指标不存在"),
    (lambda d: d["indicators"][12].update(max="abc"), "不是数字"),
    (lambda d: d["findings"]["stale_column"].update(points=-1), "不能为负数"),
])
def test_a_broken_set_is_refused_in_chinese(change, message) -> None:  # noqa: ANN001
    definition = default_definition()
    change(definition)
    errors = validate_definition(definition)
    assert errors and any(message in e for e in errors), errors


def test_the_shipped_set_reads_the_indicator_registry() -> None:
    from govsite.core.findings import FINDING_KIND_TABLE, INDICATOR_TABLE, VETO

    definition = default_definition()
    assert [(i["code"], i["label"], i["kind"]) for i in definition["indicators"]] == [
        (i.code, i.label, i.kind) for i in INDICATOR_TABLE]
    for kind in FINDING_KIND_TABLE:
        entry = definition["findings"].get(kind.code)
        if VETO in kind.severities.values():
            assert entry == {"indicator": kind.indicator, "points": 0, "confirmed": False}, kind.code
        elif "deduction" in kind.severities.values():
            assert entry and entry["indicator"].startswith("deduction.") and entry["points"] > 0, kind.code
