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

from .contract import FetchedPage, MonitorFinding, Severity, SiteScan
from .html import check_deadline, out_of_time, page_cache
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
    "page_size",
)

# What each check module looks at, in Chinese, for the 超时 finding that names the checks not run.
CHECK_MODULE_LABELS: dict[str, str] = {
    "unreachable": "网站可访问性",
    "homepage_freshness": "首页更新",
    "columns": "栏目更新",
    "broken_links": "链接可用性",
    "soft_404": "错误页面",
    "footer": "页脚信息",
    "article_meta": "网页元数据",
    "content": "内容正确性",
    "tampering_signals": "网页篡改迹象",
    "certificate": "HTTPS 证书",
    "interaction": "互动回应",
    "page_size": "页面大小",
}

_SEVERITY_ORDER = {Severity.VETO: 0, Severity.DEDUCTION: 1, Severity.WARN: 2, Severity.INFO: 3}


@cache
def all_checks() -> tuple:
    return tuple(importlib.import_module(f"govsite.monitoring.checks.{name}").check for name in CHECK_MODULES)


def run_checks(
    scan: SiteScan, rules: MonitorRules | None = None, only: set[str] | None = None, deadline: float | None = None
) -> list[MonitorFinding]:
    """All findings of `scan`, veto items first. `only` limits the run to some check (module) names.

    The checks count toward the scan's time limit: past `deadline` (default `scan.deadline`, a
    `time.monotonic()` value the crawler set) no further check starts, a check that reads page after page
    stops (`html.out_of_time`), and one 超时 finding names what was not checked; the scan is then
    not complete.
    """
    rules = rules or DEFAULT_RULES
    deadline = scan.deadline if deadline is None else deadline
    findings: list[MonitorFinding] = []
    unchecked: list[str] = []
    # The checks share each page's parse instead of parsing it once each.
    with page_cache(), check_deadline(deadline):
        for check in all_checks():
            if only is not None and check.name not in only:
                continue
            if out_of_time():
                unchecked.append(check.name)
                continue
            found = check.run(scan, rules)
            findings.extend(found)
            if out_of_time():
                unchecked.append(check.name)  # it may have stopped before its last page
    if unchecked:
        scan.complete = False
        names = "、".join(CHECK_MODULE_LABELS.get(name, name) for name in unchecked)
        findings.append(
            MonitorFinding(
                check="checks_timeout",
                severity=Severity.WARN,
                url=scan.site_url,
                detail=f"超时：扫描时限已到，以下检查未进行或未完成：{names}",
                status="超时",
                on_homepage=True,
            )
        )
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
