"""每日预测得分: every finished monitor run is scored under the newest version of the default indicator set, so
each site shows a daily predicted score and verdict with a trend (`SiteScore`)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from .indicator_sets import DEFAULT_SET_NAME, default_definition
from .models import IndicatorSet, SiteScore
from .scoring import FindingInput, ScoreResult, score_site

if TYPE_CHECKING:
    from govsite.monitoring.models import ScanRun
    from govsite.registry.models import Website


def current_set(name: str = DEFAULT_SET_NAME) -> IndicatorSet:
    """The newest version of a set; the shipped 2019 set is created when missing (a fresh database)."""
    found = IndicatorSet.objects.filter(name=name).order_by("-version").first()
    if found is not None:
        return found
    if name != DEFAULT_SET_NAME:
        raise IndicatorSet.DoesNotExist(name)
    with transaction.atomic():
        found, _created = IndicatorSet.objects.get_or_create(
            name=name, version=1, defaults={"definition": default_definition(), "note": "系统预置（2019 年检查指标）"})
    return found


def finding_inputs(findings: Iterable[Any]) -> list[FindingInput]:
    """Monitor findings (`MonitorFinding` with `.check`, or stored `ScanFinding` with `.check_name`) to score."""
    return [
        FindingInput(code=getattr(f, "check_name", None) or f.check, url=f.url or "", column=f.column or "",
                     target=f.target or "")
        for f in findings
    ]


def score_findings(findings: Iterable[Any], website: Website | None = None,
                   definition: dict[str, Any] | None = None) -> ScoreResult:
    """Score monitor findings of one site under `definition` (the newest default set without it)."""
    definition = definition if definition is not None else current_set().definition
    is_portal = website is not None and website.kind == "portal"
    provides = website.provides_services if website is not None else True
    return score_site(finding_inputs(findings), definition, is_portal=is_portal, provides_services=provides)


def record_prediction(run: ScanRun) -> SiteScore:
    """Score a finished run and store it (idempotent: a run has one prediction)."""
    indicator_set = current_set()
    result = score_findings(run.findings.all(), run.website, indicator_set.definition)
    score, _created = SiteScore.objects.update_or_create(
        run=run,
        defaults={
            "website": run.website, "as_of": run.as_of, "indicator_set": indicator_set,
            "verdict": result.verdict, "score": result.score, "vetoes": result.vetoes,
            "deductions": {code: str(points) for code, points in result.deductions.items()},
        },
    )
    return score


def score_trend(website: Website, *, days: int = 30) -> list[tuple[Any, Decimal | None, str]]:
    """(date, score, verdict) of the last `days` days with a prediction, the day's latest run winning."""
    rows: dict[Any, tuple[Decimal | None, str]] = {}
    for item in SiteScore.objects.filter(website=website).order_by("as_of", "run__started_at", "id")[: days * 4]:
        rows[item.as_of] = (item.score, item.verdict)
    return [(day, score, verdict) for day, (score, verdict) in sorted(rows.items())][-days:]
