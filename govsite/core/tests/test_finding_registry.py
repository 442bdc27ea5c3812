"""The indicator registry (core/findings.py) is the one table of finding codes and labels: every code a
detector or a monitor check can report is in it, and every place that prints a code prints its label."""

from __future__ import annotations

import ast
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

import govsite
from govsite.checks import engine as check_engine
from govsite.checks.contract import Finding
from govsite.checks.management.commands.check_text import format_report
from govsite.checks.page_guard import blocked_message
from govsite.checks.pagecheck import PageFinding
from govsite.core.findings import (
    COMPLIANCE,
    COMPLIANCE_SEVERITY_WORDS,
    FINDING_KIND_TABLE,
    FINDING_KINDS,
    INDICATOR_TABLE,
    INDICATORS,
    INSPECTION,
    MONITOR,
    SEVERITIES,
    SEVERITY_TABLE,
    finding_kinds,
    finding_label,
    indicator_of,
    parse_compliance_severity,
    severity_label,
)
from govsite.core.update_classes import UPDATE_CLASS_LABELS, UPDATE_CLASS_MAX_AGE_DAYS, UPDATE_CLASSES
from govsite.monitoring import engine as monitor_engine
from govsite.monitoring import hosted, labels, rules, xlsx
from govsite.monitoring.checks import content as content_check
from govsite.monitoring.contract import MonitorFinding, SiteScan
from govsite.monitoring.management.commands.monitor import Command as MonitorCommand

GOVSITE = Path(govsite.__file__).parent


def _literal_codes(path: Path, keyword: str) -> set[str]:
    """Every string literal passed as `keyword=` in the module (Finding(kind=…), MonitorFinding(check=…))."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.value.value for node in ast.walk(tree)
            if isinstance(node, ast.keyword) and node.arg == keyword and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)}


def _sources(package: str) -> list[Path]:
    return [p for p in (GOVSITE / package).rglob("*.py") if "tests" not in p.relative_to(GOVSITE).parts]


# --- the table itself -------------------------------------------------------------------------------------

def test_every_code_has_one_label_a_severity_a_rule_and_a_known_indicator() -> None:
    assert len(FINDING_KINDS) == len(FINDING_KIND_TABLE), "a code appears twice"
    for kind in FINDING_KIND_TABLE:
        assert kind.code and kind.label.strip(), kind
        assert kind.severities and kind.sources <= {COMPLIANCE, MONITOR, INSPECTION}, kind
        for source, severity in kind.severities.items():
            assert source in SEVERITIES[severity].sources, f"{kind.code}: {severity} is no {source} severity"
        assert "§" in kind.rule, f"{kind.code} names no national rule"
        assert not kind.indicator or kind.indicator in INDICATORS, kind


def test_labels_are_unique_so_no_two_codes_read_alike() -> None:
    labels = [kind.label for kind in FINDING_KIND_TABLE]
    assert len(set(labels)) == len(labels), sorted(label for label in labels if labels.count(label) > 1)
    words = [severity.label for severity in SEVERITY_TABLE]
    assert len(set(words)) == len(words)
    names = [indicator.label for indicator in INDICATOR_TABLE]
    assert len(set(names)) == len(names)


def test_indicators_are_national_items_with_stable_codes() -> None:
    assert len(INDICATORS) == len(INDICATOR_TABLE)
    for indicator in INDICATOR_TABLE:
        assert indicator.code.startswith(f"{indicator.kind}."), indicator
        assert "§" in indicator.rule and indicator.label
        assert not indicator.parent or INDICATORS[indicator.parent].kind == indicator.kind
    vetoes = {i.label for i in INDICATOR_TABLE if i.kind == "veto"}
    assert {"站点无法访问", "首页不更新", "栏目不更新", "严重表述错误", "互动回应差"} <= vetoes


def test_one_word_per_severity() -> None:
    assert {code: severity_label(code) for code in SEVERITIES} == {
        "block": "阻止发布", "warn": "提示", "veto": "单项否决", "deduction": "扣分", "info": "信息"}
    assert severity_label("unknown") == "unknown" and finding_label("unknown") == "unknown"


def test_old_severity_words_are_still_accepted_as_input() -> None:
    for word in ("block", "阻止发布", "阻断", "BLOCK", " 禁止 "):
        assert parse_compliance_severity(word) == "block"
    for word in ("warn", "提示", "警告"):
        assert parse_compliance_severity(word) == "warn"
    assert parse_compliance_severity("fatal") is None and parse_compliance_severity("") is None
    assert set(COMPLIANCE_SEVERITY_WORDS.values()) == {"block", "warn"}


def test_indicator_of_a_finding() -> None:
    assert indicator_of("homepage_stale").label == "首页不更新"
    assert indicator_of("protected_term").label == "严重表述错误"
    assert indicator_of("cannot_judge") is None


# --- every code an engine can report is in it ------------------------------------------------------------

def test_every_detector_kind_is_a_compliance_code() -> None:
    compliance = {kind.code for kind in finding_kinds(COMPLIANCE)}
    names = {detector.name for detector in check_engine.all_detectors()}
    assert names == set(check_engine.DETECTOR_MODULES)
    literal = set().union(*(_literal_codes(path, "kind") for path in _sources("checks")))
    assert literal >= {"document_unreadable", "foreign_media"}  # the walker finds what the page check emits
    assert names | literal <= compliance, (names | literal) - compliance


def test_every_monitor_check_declares_its_codes_and_they_are_monitor_codes() -> None:
    monitor = {kind.code for kind in finding_kinds(MONITOR)}
    declared: set[str] = set()
    for check in monitor_engine.all_checks():
        module = GOVSITE / "monitoring" / "checks" / f"{check.name}.py"
        codes = set(check.codes)
        assert codes, f"{check.name} declares no codes"
        assert _literal_codes(module, "check") <= codes, f"{check.name} reports a code it does not declare"
        declared |= codes
    assert _literal_codes(GOVSITE / "monitoring" / "hosted.py", "check") <= set(hosted.CODES)
    declared |= set(hosted.CODES)
    literal = set().union(*(_literal_codes(path, "check") for path in _sources("monitoring")))
    assert {"availability", "checks_timeout"} <= literal
    assert declared | literal <= monitor, (declared | literal) - monitor
    # Nothing in the registry claims to come from the monitor that no check reports.
    assert monitor <= declared | literal, monitor - (declared | literal)


def test_content_check_reports_detector_kinds_under_declared_codes() -> None:
    for name in check_engine.DETECTOR_MODULES:
        for severity in ("block", "warn"):
            classified = content_check._classify(name, severity)
            if classified is not None:
                assert classified[0] in content_check.check.codes, (name, classified)


# --- every place that prints a code prints its label -----------------------------------------------------

@pytest.mark.parametrize("kind", finding_kinds(COMPLIANCE), ids=lambda k: k.code)
def test_compliance_outputs_print_the_registry_label(kind) -> None:  # noqa: ANN001
    severity = kind.severity(COMPLIANCE)
    finding = Finding(kind=kind.code, severity=severity, start=0, end=2, text="示例", rule="规则")
    report = format_report("示例.txt", [finding])  # govsite check-text
    assert f"类型：{finding_label(kind.code)}（{kind.code}）" in report
    assert f"严重程度：{severity_label(severity)}" in report
    located = PageFinding(finding, "body", "正文", 1)  # 内容检查 page, stored runs, admin messages
    assert located.kind_label == finding_label(kind.code) == str(kind.label)
    assert located.severity_label == severity_label(severity)
    assert located.as_record()["kind_label"] == finding_label(kind.code)
    assert f"{finding_label(kind.code)}“" in blocked_message([located])  # publish guard, 提交审核, bulk publish


def test_check_text_summary_uses_the_severity_words() -> None:
    findings = [Finding(kind="id_card", severity="block", start=0, end=1, text="x", rule="r"),
                Finding(kind="typo", severity="warn", start=0, end=1, text="x", rule="r")]
    assert "阻止发布 1 处，提示 1 处" in format_report("-", findings)


def test_monitor_labels_are_the_registry_labels() -> None:
    for kind in finding_kinds(MONITOR):
        assert labels.check_label(kind.code) == finding_label(kind.code) == str(labels.CHECK_LABELS[kind.code])
    for code, word in labels.SEVERITY_LABELS.items():
        assert str(word) == labels.severity_label(code) == severity_label(code)
    assert set(labels.SEVERITY_LABELS) == {"veto", "deduction", "warn", "info"}


@pytest.mark.django_db  # the summary line scores under the newest indicator set, read from the database
def test_monitor_cli_prints_labels() -> None:
    kinds = finding_kinds(MONITOR)
    findings = [MonitorFinding(check=k.code, severity=k.severity(MONITOR), url="https://www.jia.gov.cn/", detail="说明")
                for k in kinds]
    command = MonitorCommand(stdout=io.StringIO())
    command._print_text(findings, SiteScan(site_url="https://www.jia.gov.cn/", as_of=date(2025, 6, 30)))
    out = command.stdout.getvalue()
    for kind in kinds:
        assert f"[{severity_label(kind.severity(MONITOR))}] {finding_label(kind.code)}（{kind.code}）" in out
    assert f"单项否决：{finding_label('availability')}" in out
    assert "预测得分：不合格（单项否决，不计分）" in out


class _Row:
    def __init__(self, code: str, severity: str) -> None:
        self.check_name, self.severity = code, severity
        self.url = self.target = self.status = self.column = self.latest = self.detail = self.excerpt = ""
        self.on_homepage, self.found_at, self.pages = False, None, []


class _Run:
    class website:  # noqa: N801 — shaped like a Website for the export
        site_code, name = "4500000001", "甲市人民政府网"

    as_of = date(2025, 6, 30)


def test_findings_export_prints_labels() -> None:
    kinds = finding_kinds(MONITOR)
    data = xlsx.export_findings(_Run(), [_Row(k.code, k.severity(MONITOR)) for k in kinds])
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))[1:]
    assert [(row[3], row[4]) for row in rows] == [
        (finding_label(k.code), severity_label(k.severity(MONITOR))) for k in kinds]


# --- column update classes: one table ---------------------------------------------------------------------

def test_update_classes_have_one_source() -> None:
    from govsite.content.models import UPDATE_CLASS_MAX_AGE_DAYS as hosted_limits
    from govsite.registry.models import COLUMN_UPDATE_CLASS_CHOICES, NOT_COUNTED, UpdateClass

    assert UPDATE_CLASSES == ("news", "notice", "plan", "static", "interaction", "service", "special")
    assert [(code, str(label)) for code, label in UpdateClass.choices] == list(UPDATE_CLASS_LABELS.items())
    assert [code for code, _label in COLUMN_UPDATE_CLASS_CHOICES] == [*UPDATE_CLASSES, NOT_COUNTED]
    assert rules.UPDATE_CLASS_LABELS is UPDATE_CLASS_LABELS and rules.UPDATE_CLASSES is UPDATE_CLASSES
    assert hosted_limits is UPDATE_CLASS_MAX_AGE_DAYS
    assert rules.DEFAULT_RULES.update_class_limits == {"news": 14, "notice": 183, "plan": 365}
