"""The monitoring engine (网站监测): runs every check over one site's scan and returns sorted findings.

Like the compliance engine (govsite/checks/engine.py): one module per check under
govsite/monitoring/checks/; adding a national indicator is adding a module and a name here. Checks never
fetch; the crawler has put everything into the `SiteScan`. No Django here, so the CLI can run it anywhere.
"""

from __future__ import annotations

import gc
import importlib
from datetime import date
from functools import cache

from .checks._html import page_cache
from .contract import FetchedPage, MonitorFinding, Severity, SiteScan
from .rules import DEFAULT_RULES, MonitorRules

CHECK_MODULES: tuple[str, ...] = (
    "unreachable",
    "homepage_freshness",
    "columns",
    "broken_links",
    "soft_404",
    "footer",
    "article_meta",
    "content",
    "tampering_signals",
    "certificate",
    "interaction",
)

_SEVERITY_ORDER = {Severity.VETO: 0, Severity.DEDUCTION: 1, Severity.WARN: 2, Severity.INFO: 3}


@cache
def all_checks() -> tuple:
    return tuple(importlib.import_module(f"govsite.monitoring.checks.{name}").check for name in CHECK_MODULES)


def run_checks(
    scan: SiteScan, rules: MonitorRules | None = None, only: set[str] | None = None
) -> list[MonitorFinding]:
    """All findings of `scan`, veto items first. `only` limits the run to some check (module) names."""
    rules = rules or DEFAULT_RULES
    findings: list[MonitorFinding] = []
    with page_cache():  # the checks share each page's parse instead of parsing it once each
        for check in all_checks():
            if only is None or check.name in only:
                findings.extend(check.run(scan, rules))
    # Stable sort: within a severity, findings keep the order their check reported them in.
    findings.sort(key=lambda f: _SEVERITY_ORDER.get(f.severity, 9))
    return findings


def prepare_process() -> None:
    """Make a scanning process ready before its first scan (a Celery worker process, `monitor run`).

    Builds what the checks build once per process (the compliance word lists and automata) by running them
    on one made-up page, nothing fetched, then freezes everything alive so far out of the cyclic garbage
    collector's sight (`gc.freeze`): a scan makes and drops hundreds of thousands of objects (pages,
    links), and every full collection would otherwise walk all of Django, jieba and the word lists too,
    which live as long as the process (measured: about 5 % of a region scan's time, `bench/monitor.py`).
    """
    page = FetchedPage(
        url="http://127.0.0.1/",
        final_url="http://127.0.0.1/",
        status=200,
        content_type="text/html",
        text="<html><body><p>预热 2026-11-20</p></body></html>",
        is_homepage=True,
    )
    run_checks(SiteScan(site_url="http://127.0.0.1/", as_of=date.today(), pages=[page]))
    gc.collect()  # what is garbage already need not be frozen
    gc.freeze()
