"""评分: a site's score and verdict under an indicator set (指标体系), national-rules.md §2.2.

Pure arithmetic over findings, no database: the daily prediction of the monitor, a campaign's scores and the
CLI all call `score_site`. The rules, in the order they apply:

1. Any finding that counts toward a 单项否决 indicator ⇒ 不合格; no further scoring (`score` is None).
2. Each deduction finding takes its points from its 扣分 indicator; an indicator never loses more than its
   maximum (caps per indicator).
3. 不重复扣分: a column already deducted (for being blank, not updated, unreachable …) is not deducted again under
   another indicator or by another finding; the same problem reported twice (same code and place) counts once.
4. A site without external service functions (无对外服务职能): 办事服务 is not checked; the rest are out of 75
   and the result is × 4/3.
5. < 60 ⇒ 不合格. A portal whose deduction part is > 80 adds its bonus (加分指标, at most 30); final = both parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

PASS = "pass"
FAIL = "fail"
VERDICT_LABELS = {PASS: "合格", FAIL: "不合格"}

TWO_PLACES = Decimal("0.01")


class Scorable(Protocol):
    """What scoring reads of a finding (monitor or inspection): its code, where it is and, optionally, points
    an inspector set instead of the set's default."""

    code: str
    url: str
    column: str
    target: str
    points: Decimal | float | None


@dataclass(frozen=True)
class FindingInput:
    """A plain finding to score (the monitor's `MonitorFinding`s and stored findings are turned into these)."""

    code: str
    url: str = ""
    column: str = ""
    target: str = ""
    points: Decimal | float | None = None


@dataclass(frozen=True)
class NotCounted:
    """A finding that took no points, and why (shown next to the score)."""

    code: str
    place: str
    reason: str


@dataclass
class ScoreResult:
    """The outcome: verdict, score (None when vetoed), the deduction per indicator (capped) and the parts."""

    verdict: str
    score: Decimal | None
    vetoes: list[str] = field(default_factory=list)  # veto indicator codes, in set order
    deductions: dict[str, Decimal] = field(default_factory=dict)  # indicator code → points taken (capped)
    uncapped: dict[str, Decimal] = field(default_factory=dict)  # indicator code → points before the cap
    deduction_score: Decimal | None = None  # part 2 (after × 4/3 when applied)
    bonus: Decimal = Decimal(0)  # part 3 as counted
    scaled: bool = False  # × 4/3 applied
    not_counted: list[NotCounted] = field(default_factory=list)

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    def as_dict(self) -> dict[str, Any]:
        """JSON-able (the CLI's summary line, stored predictions)."""
        return {
            "verdict": self.verdict,
            "verdict_label": self.verdict_label,
            "score": _num(self.score),
            "vetoes": list(self.vetoes),
            "deductions": {code: _num(points) for code, points in self.deductions.items()},
            "deduction_score": _num(self.deduction_score),
            "bonus": _num(self.bonus),
            "scaled": self.scaled,
        }


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def indicator_table(definition: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """code → indicator entry of a set, in the set's order."""
    return {entry["code"]: entry for entry in definition.get("indicators", [])}


def indicator_of(definition: Mapping[str, Any], code: str) -> str | None:
    """The indicator a finding code counts toward under this set, or None (a finding that scores nothing)."""
    entry = definition.get("findings", {}).get(code)
    return entry["indicator"] if entry else None


def _place(finding: Scorable) -> str:
    return finding.column or finding.target or finding.url


def score_site(
    findings: Iterable[Scorable],
    definition: Mapping[str, Any],
    *,
    is_portal: bool = False,
    provides_services: bool = True,
    bonus_points: Decimal | float = 0,
) -> ScoreResult:
    """Score one site under `definition` (an indicator set's JSON). `bonus_points` are the inspectors' 加分,
    counted only for portals whose deduction part is above the set's bonus threshold."""
    indicators = indicator_table(definition)
    mapping = definition.get("findings", {})
    service = definition.get("service_indicator", "")
    vetoes: list[str] = []
    uncapped: dict[str, Decimal] = {}
    not_counted: list[NotCounted] = []
    seen_columns: dict[str, str] = {}  # column → indicator it was deducted under
    seen_problems: set[tuple[str, str]] = set()

    for finding in findings:
        entry = mapping.get(finding.code)
        place = _place(finding)
        if entry is None or entry["indicator"] not in indicators:
            continue  # counts toward no indicator of this set (a hint, 无法判定 …)
        code = entry["indicator"]
        indicator = indicators[code]
        if indicator["kind"] == "veto":
            if code not in vetoes:
                vetoes.append(code)
            continue
        if indicator["kind"] != "deduction":
            continue
        if code == service and not provides_services:
            not_counted.append(NotCounted(finding.code, place, "无对外服务职能，办事服务指标不检查"))
            continue
        if (finding.code, place) in seen_problems:
            not_counted.append(NotCounted(finding.code, place, "同一问题已扣分"))
            continue
        seen_problems.add((finding.code, place))
        if finding.column:
            earlier = seen_columns.get(finding.column)
            if earlier is not None:
                label = indicators[earlier]["label"]
                not_counted.append(NotCounted(finding.code, place, f"该栏目已在“{label}”指标扣分，不重复扣分"))
                continue
            seen_columns[finding.column] = code
        points = _dec(finding.points if finding.points is not None else entry.get("points", 0))
        uncapped[code] = uncapped.get(code, Decimal(0)) + points

    ordered_vetoes = [code for code in indicators if code in vetoes]
    deductions = {
        code: min(points, _dec(indicators[code]["max"] or 0)) for code, points in uncapped.items()
    }
    deductions = {code: deductions[code] for code in indicators if code in deductions}
    if ordered_vetoes:
        return ScoreResult(FAIL, None, ordered_vetoes, deductions, uncapped, not_counted=not_counted)

    total = _dec(definition.get("deduction_total", 100))
    scaled = not provides_services and bool(service) and service in indicators
    if scaled:
        base = total - _dec(indicators[service]["max"] or 0)
        part2 = _round((base - sum(deductions.values(), Decimal(0))) * total / base)
    else:
        part2 = _round(total - sum(deductions.values(), Decimal(0)))
    part2 = max(part2, Decimal(0))
    bonus = Decimal(0)
    if is_portal and part2 > _dec(definition.get("bonus_threshold", 80)):
        bonus = min(max(_dec(bonus_points), Decimal(0)), _dec(definition.get("bonus_total", 30)))
    score = part2 + bonus
    verdict = FAIL if part2 < _dec(definition.get("pass_mark", 60)) else PASS
    return ScoreResult(verdict, score, [], deductions, uncapped, part2, bonus, scaled, not_counted)


def validate_definition(definition: Any) -> list[str]:
    """What is wrong with a set a supervisor saved, in Chinese (empty when it is usable)."""
    errors: list[str] = []
    if not isinstance(definition, dict):
        return ["指标体系格式不正确。"]
    indicators = definition.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        return ["指标体系没有指标。"]
    codes = set()
    deduction_sum = Decimal(0)
    for entry in indicators:
        if not isinstance(entry, dict) or not entry.get("code") or entry.get("kind") not in ("veto", "deduction", "bonus"):
            errors.append("指标项格式不正确。")
            continue
        codes.add(entry["code"])
        if entry["kind"] != "veto":
            try:
                points = _dec(entry.get("max"))
            except Exception:  # noqa: BLE001 — any unreadable value is the same message
                errors.append(f"指标“{entry.get('label', entry['code'])}”的分值不是数字。")
                continue
            if points < 0:
                errors.append(f"指标“{entry.get('label', entry['code'])}”的分值不能为负数。")
            if entry["kind"] == "deduction":
                deduction_sum += points
    try:
        total = _dec(definition.get("deduction_total", 100))
    except Exception:  # noqa: BLE001
        return [*errors, "扣分指标总分不是数字。"]
    if deduction_sum != total:
        errors.append(f"扣分指标分值之和为 {deduction_sum}，应等于扣分指标总分 {total}。")
    for code, entry in (definition.get("findings") or {}).items():
        if not isinstance(entry, dict) or entry.get("indicator") not in codes:
            errors.append(f"问题类型“{code}”对应的指标不存在。")
            continue
        try:
            if _dec(entry.get("points", 0)) < 0:
                errors.append(f"问题类型“{code}”的扣分不能为负数。")
        except Exception:  # noqa: BLE001
            errors.append(f"问题类型“{code}”的扣分不是数字。")
    return errors
