"""网站监测 operations: scan a registered website and record the run, probe availability, list runs in scope.

A run is created as `running` first (so a dead worker leaves a trace), then its findings and `done` are
written in one transaction: a crash mid-way never leaves a half-recorded run. While it runs, a heartbeat
thread stamps it every `GOVSITE_SCAN_HEARTBEAT_SECONDS`; a run whose worker is gone (silent for four
heartbeats, or its process no longer exists on this machine) is marked 中断 (`interrupt_orphaned_runs`) and
no longer blocks a new scan of the site. A run still `running` after `STALE_RUN_AFTER` (a worker alive but
stuck) is marked failed (stale) the next time the site is scheduled, and scanned again.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

import aiohttp
from django.conf import settings
from django.db import connections, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from govsite.checks.redact import redact_text
from govsite.registry.access import websites_visible_to
from govsite.registry.models import Website, WebsiteStatus

from .contract import MonitorFinding, Severity, SiteScan
from .crawler import scan_site
from .engine import run_checks
from .evidence import capture_screenshots, screenshots_enabled
from .fetch import error_name
from .hostmap import AddressPolicy, monitor_connector
from .models import AvailabilityProbe, RunStatus, ScanFinding, ScanRun, Verdict
from .rules import DEFAULT_RULES, MonitorRules

if TYPE_CHECKING:
    from govsite.core.access import AnyUser

# Only sites that are up (运行) or being fixed (整改) are monitored; 筹建/关停/下线/已整合 are not.
SCANNED_STATUSES = (WebsiteStatus.RUNNING, WebsiteStatus.RECTIFYING)
STALE_RUN_AFTER = timedelta(hours=2)
PROBE_TIMEOUT = 15.0
# Probes needed in the window before the availability ratio is judged (20 a day are expected).
MIN_PROBES = 20
FINDING_BATCH = 500
# A run whose heartbeat is older than this many heartbeat intervals has lost its worker.
LEASE_HEARTBEATS = 4
INTERRUPTED_ERROR = "中断：执行监测的工作进程已停止，将重新监测。"

logger = logging.getLogger(__name__)


class NotScannable(ValueError):
    """The website is not in a monitored state (only 运行 and 整改 sites are scanned)."""


def scannable_websites() -> QuerySet[Website]:
    """Registry entries the monitor scans and probes: status 运行 or 整改."""
    return Website.objects.filter(status__in=SCANNED_STATUSES)


def expire_stale_runs(website: Website | None = None, *, now: datetime | None = None) -> int:
    """Mark runs left `running` longer than `STALE_RUN_AFTER` (a dead worker) as failed; return how many."""
    now = now or timezone.now()
    runs = ScanRun.objects.filter(status=RunStatus.RUNNING, started_at__lt=now - STALE_RUN_AFTER)
    if website is not None:
        runs = runs.filter(website=website)
    return runs.update(status=RunStatus.FAILED, finished_at=now, error="stale: 超时未完成（工作进程可能已中断）")


# -- 中断 (interrupted) runs: a heartbeat while a run lives, and what a dead worker leaves behind ------------


def heartbeat_interval() -> float:
    return float(getattr(settings, "GOVSITE_SCAN_HEARTBEAT_SECONDS", 30))


def scan_lease() -> timedelta:
    """How long a run may stay silent before its worker counts as gone."""
    return timedelta(seconds=heartbeat_interval() * LEASE_HEARTBEATS)


def this_worker() -> str:
    """This process as a run's `worker`: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_gone(worker: str) -> bool:
    """Whether `worker` ("host:pid") was a process of this machine that no longer exists."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists, under another user
        return False
    return False


def live_runs_q(now: datetime) -> Q:
    """Runs that are `running` and heard from within the lease (or, before their first heartbeat, started within it)."""
    fresh = now - scan_lease()
    return Q(status=RunStatus.RUNNING) & (
        Q(heartbeat_at__gte=fresh) | Q(heartbeat_at__isnull=True, started_at__gte=fresh)
    )


def interrupt_orphaned_runs(website: Website | None = None, *, now: datetime | None = None) -> int:
    """Mark 中断 the `running` runs whose worker is gone; return how many.

    Gone: no heartbeat within the lease (any machine), or a process of this machine that no longer exists
    (found at once, e.g. when a restarted worker takes the killed one's task again)."""
    now = now or timezone.now()
    running = ScanRun.objects.filter(status=RunStatus.RUNNING)
    if website is not None:
        running = running.filter(website=website)
    gone = set(running.exclude(live_runs_q(now)).values_list("pk", flat=True))
    local = running.filter(worker__startswith=f"{socket.gethostname()}:").values_list("pk", "worker")
    gone.update(pk for pk, worker in local if _process_gone(worker))
    if not gone:
        return 0
    return ScanRun.objects.filter(pk__in=gone, status=RunStatus.RUNNING).update(
        status=RunStatus.INTERRUPTED, finished_at=now, verdict="", error=INTERRUPTED_ERROR
    )


@contextmanager
def heartbeat(run: ScanRun) -> Iterator[None]:
    """Stamp `run.heartbeat_at` from a thread every heartbeat interval while the block runs."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(heartbeat_interval()):
                try:
                    ScanRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(heartbeat_at=timezone.now())
                except Exception:  # noqa: BLE001 — a missed beat is retried; the scan goes on
                    logger.warning("heartbeat of scan run %s failed", run.pk, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=beat, name=f"scan-heartbeat-{run.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def run_of_task(task_id: str) -> ScanRun | None:
    """The latest run started by the Celery task `task_id` (a task given again after its worker died)."""
    return ScanRun.objects.filter(task_id=task_id).order_by("-id").first() if task_id else None


SCANNED = "monitoring.scan"


def do_scan_website(
    website: Website,
    *,
    by: Any,
    as_of: date | None = None,
    max_pages: int = 200,
    rules: MonitorRules | None = None,
    task_id: str = "",
    **crawl_options: Any,
) -> ScanRun:
    """网站监测 of one registered site: crawl, run the checks (plus hosted-site checks), record atomically,
    and write the run to the audit log under its actor.

    `by` is `core.access.SYSTEM` for the schedule, the worker and `govsite monitor run`; a person scans only
    a site they supervise (people normally ask through 立即检测, `do_request_scan`, which queues the task).
    Never raises for what the site or a check does: the run comes back `failed` with the error instead.
    """
    from govsite.core.access import is_system, require_actor
    from govsite.core.services import record_audit

    require_actor(by)
    if not is_system(by):
        check_request_scan(by, website.pk)
    if website.status not in SCANNED_STATUSES:
        raise NotScannable(f"网站 {website.site_code} 状态为“{website.get_status_display()}”，不在监测范围内。")
    rules = rules or DEFAULT_RULES
    as_of = as_of or timezone.localdate()
    interrupt_orphaned_runs(website)
    expire_stale_runs(website)
    run = ScanRun.objects.create(
        website=website, as_of=as_of, task_id=task_id or "", worker=this_worker(), heartbeat_at=timezone.now()
    )
    with heartbeat(run):
        _scan_into(run, website, as_of, max_pages, rules, crawl_options)
    if run.status == RunStatus.DONE and run.veto_count and screenshots_enabled():
        # 截图证据 of the veto findings, once the run and its findings are committed (monitoring/evidence.py).
        transaction.on_commit(partial(capture_screenshots, run), robust=True)
    record_audit(by, SCANNED, website, result="success" if run.status == RunStatus.DONE else "failure",
                 run=run.pk, as_of=as_of.isoformat(), status=run.status, verdict=run.verdict,
                 site_code=website.site_code)
    return run


def _scan_into(
    run: ScanRun, website: Website, as_of: date, max_pages: int, rules: MonitorRules, crawl_options: dict
) -> None:
    try:
        columns = {
            column.name: {"url": column.url, "update_class": column.update_class}
            for column in website.monitored_columns.all()
        }  # 栏目校正 in the registry replaces discovery from the homepage navigation
        crawl_options.setdefault("max_page_bytes", settings.GOVSITE_MONITOR_MAX_PAGE_BYTES)
        scan = scan_site(
            website.homepage_url,
            as_of=as_of,
            max_pages=max_pages,
            columns=columns,
            allow_private=website.allow_private_network,
            private_hosts=private_network_sites(),
            **crawl_options,
        )
        scan.as_of = as_of
        findings = run_checks(scan, rules)  # within the scan's time limit (超时 for what was not checked)
        if website.wagtail_site_id is not None:
            from .hosted import hosted_findings, merge_findings

            findings = merge_findings(findings, hosted_findings(website, scan, as_of, rules))
        findings.extend(availability_findings(website, as_of=as_of, rules=rules))
        record_run(run, scan, findings)
    except Exception as exc:  # noqa: BLE001 — one site's failure must not stop a region's run
        fail_run(run, exc)


def private_network_sites() -> list[str]:
    """监测抓取安全: homepages of the registry entries an admin allowed on a private network
    (`Website.allow_private_network`): the only private or loopback hosts a scan may contact."""
    return list(Website.objects.filter(allow_private_network=True).values_list("homepage_url", flat=True))


def record_run(run: ScanRun, scan: SiteScan, findings: list[MonitorFinding]) -> ScanRun:
    """Write the findings and mark the run done in ONE transaction (all or nothing)."""
    counts = Counter(f.severity for f in findings)
    vetoes = sorted({f.check for f in findings if f.severity == Severity.VETO})
    now = timezone.now()
    with transaction.atomic():
        ScanFinding.objects.bulk_create(
            [
                ScanFinding(
                    run=run,
                    check_name=f.check,
                    severity=f.severity,
                    url=f.url,
                    target=f.target,
                    status=f.status,
                    on_homepage=f.on_homepage,
                    column=f.column,
                    latest=f.latest,
                    detail=f.detail,
                    # Evidence is shown and exported: personal data in it is kept masked (个人信息脱敏).
                    excerpt=redact_text(f.excerpt) if f.excerpt else "",
                    pages=list(f.pages),
                    found_at=now,
                )
                for f in findings
            ],
            batch_size=FINDING_BATCH,
        )
        run.status = RunStatus.DONE
        run.finished_at = now
        run.pages_fetched = scan.pages_fetched
        run.links_checked = scan.links_checked
        run.elapsed = round(scan.elapsed, 3)
        run.complete = scan.complete
        run.veto_items = vetoes
        run.verdict = Verdict.WOULD_FAIL if vetoes else Verdict.WOULD_PASS
        run.veto_count = counts[Severity.VETO]
        run.deduction_count = counts[Severity.DEDUCTION]
        run.warn_count = counts[Severity.WARN]
        run.info_count = counts[Severity.INFO]
        run.error = ""
        run.save()
    return run


def fail_run(run: ScanRun, exc: BaseException) -> ScanRun:
    """Mark a run failed; whatever the failed attempt wrote was rolled back with its transaction."""
    run.status = RunStatus.FAILED
    run.finished_at = timezone.now()
    run.error = f"{type(exc).__name__}: {exc}"[:2000]
    run.verdict = ""
    ScanRun.objects.filter(pk=run.pk).update(
        status=run.status, finished_at=run.finished_at, error=run.error, verdict=""
    )
    return run


# -- availability (可用性监测) ----------------------------------------------------------------------------


async def _probe(url: str, timeout: float, policy: AddressPolicy | None = None) -> tuple[int | None, str, float]:
    started = time.monotonic()
    try:
        async with asyncio.timeout(timeout):
            async with (
                aiohttp.ClientSession(
                    connector=monitor_connector(policy),
                    headers={"User-Agent": "GovSite-Monitor/0.1"},
                    cookie_jar=aiohttp.DummyCookieJar(),
                ) as session,
                session.get(url, allow_redirects=True, max_redirects=10) as response,
            ):
                await response.content.read(64 * 1024)
                return response.status, "", time.monotonic() - started
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # noqa: BLE001 — every failure is a data point, not an error
        return None, error_name(exc), time.monotonic() - started


def do_probe_website(website: Website, *, timeout: float = PROBE_TIMEOUT) -> AvailabilityProbe:
    """可用性探测: one GET of the homepage within `timeout` seconds; ok = a 2xx/3xx answer in time."""
    probed_at = timezone.now()
    policy = AddressPolicy.allowing([website.homepage_url] if website.allow_private_network else [])
    status, error, elapsed = asyncio.run(_probe(website.homepage_url, timeout, policy))
    ok = status is not None and 200 <= status < 400 and elapsed <= timeout
    if status is not None and not ok and not error:
        error = f"http_{status}"
    return AvailabilityProbe.objects.create(
        website=website, probed_at=probed_at, ok=ok, status=status, error=error[:64], elapsed=round(elapsed, 3)
    )


def _window_end(as_of: date | datetime | None) -> datetime:
    if as_of is None:
        return timezone.now()
    if isinstance(as_of, datetime):
        return as_of
    start_of_next_day = datetime.combine(as_of + timedelta(days=1), datetime.min.time())
    return timezone.make_aware(start_of_next_day)


def availability(
    website: Website, *, days: int = 7, as_of: date | datetime | None = None
) -> tuple[int, int, float]:
    """(probes, failures, failure ratio) over the `days` up to the end of `as_of` (default: now)."""
    end = _window_end(as_of)
    probes = AvailabilityProbe.objects.filter(
        website=website, probed_at__gt=end - timedelta(days=days), probed_at__lte=end
    )
    total = probes.count()
    failures = probes.filter(ok=False).count()
    return total, failures, (failures / total if total else 0.0)


def availability_findings(
    website: Website,
    *,
    as_of: date | datetime | None = None,
    rules: MonitorRules = DEFAULT_RULES,
    days: int = 7,
    min_probes: int = MIN_PROBES,
) -> list[MonitorFinding]:
    """站点无法访问: veto at a 7-day failure ratio ≥ 5 %, warning at ≥ the warn ratio; silent on too few probes."""
    total, failures, ratio = availability(website, days=days, as_of=as_of)
    if total < min_probes:
        return []
    # Integer comparison: 5 of 100 is exactly 5 %, whatever float rounding says.
    if failures * 10_000 >= round(rules.availability_veto_ratio * 10_000) * total:
        severity, label = Severity.VETO, "站点无法访问"
    elif failures * 10_000 >= round(rules.availability_warn_ratio * 10_000) * total:
        severity, label = Severity.WARN, "站点访问不稳定"
    else:
        return []
    return [
        MonitorFinding(
            check="availability",
            severity=severity,
            url=website.homepage_url,
            on_homepage=True,
            status=f"{failures}/{total}",
            detail=f"{label}：近 {days} 天首页探测 {total} 次，失败 {failures} 次（{ratio:.1%}）",
        )
    ]


# -- listings -------------------------------------------------------------------------------------------


def latest_runs(user: AnyUser) -> QuerySet[ScanRun]:
    """The latest scan run of every website the user may see (一级管一级), newest first."""
    newest = ScanRun.objects.filter(website=OuterRef("pk")).order_by("-started_at", "-id").values("pk")[:1]
    ids = websites_visible_to(user).annotate(latest_run=Subquery(newest)).values("latest_run")
    return ScanRun.objects.filter(pk__in=ids).select_related("website").order_by("-started_at", "-id")


def done_run_for(website: Website, as_of: date) -> ScanRun | None:
    """Today's finished run of a site, if any (tasks are idempotent per website and day)."""
    return ScanRun.objects.filter(website=website, as_of=as_of, status=RunStatus.DONE).order_by("-id").first()


def running_run_for(website: Website, as_of: date) -> ScanRun | None:
    """A run of the site still in progress (its worker alive, not stale), if any."""
    now = timezone.now()
    return (
        ScanRun.objects.filter(live_runs_q(now), website=website, as_of=as_of, started_at__gte=now - STALE_RUN_AFTER)
        .order_by("-id")
        .first()
    )


# -- 立即检测 (scan now) ------------------------------------------------------------------------------------

SCAN_REQUESTED = "monitoring.scan_requested"
QUEUED = "queued"
RUNNING = "running"


def check_request_scan(actor: AnyUser, website_pk: int | None = None) -> list[Website]:
    """Which sites a 立即检测 by `actor` covers: one site (`website_pk`) or every monitored site they supervise.

    Only supervisors (监管人员, and platform admins) may ask; a site outside their subtree answers 404, as if
    it did not exist; a site that is not monitored (筹建、关停 …) is refused with the reason.
    """
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from govsite.core.access import is_supervisor
    from govsite.registry.access import access_website, websites_supervised_by

    if not is_supervisor(actor):
        raise PermissionDenied("只有监管人员可以发起立即检测。")
    supervised = websites_supervised_by(actor)
    if website_pk is None:
        return list(supervised.filter(status__in=SCANNED_STATUSES).order_by("site_code"))
    website = access_website(actor, pk=website_pk)
    if not supervised.filter(pk=website.pk).exists():
        raise Http404("网站不存在或无权访问。")
    if website.status not in SCANNED_STATUSES:
        raise NotScannable(f"网站 {website.site_code} 状态为“{website.get_status_display()}”，不在监测范围内。")
    return [website]


def do_request_scan(actor: AnyUser, websites: list[Website], *, request: Any = None) -> int:
    """立即检测: queue a fresh scan of each site (even if today's is done), audited; returns how many.

    The tasks are sent after the transaction commits, so a request that fails leaves nothing queued.
    """
    from govsite.core.services import record_audit

    with transaction.atomic():
        for website in websites:
            record_audit(actor, SCAN_REQUESTED, website, request=request, site_code=website.site_code)
        ids = [website.pk for website in websites]
        transaction.on_commit(lambda: [_queue_scan(pk) for pk in ids])
    return len(ids)


SCAN_TASK = "govsite.monitoring.tasks.scan_website_task"


def _queue_scan(website_id: int) -> None:
    """Queue a forced scan of one site. Sent by the task's name, the message `scan_website_task.delay` would
    send: this module does not import tasks.py, which imports it (no import loop)."""
    from celery import current_app

    current_app.send_task(SCAN_TASK, args=(website_id, None, True))


def scan_states(websites: list[Website]) -> dict[int, str]:
    """Per site: `queued` (立即检测 asked, not started), `running` (a run in progress) or absent (idle)."""
    from django.db.models import Max

    from govsite.core.models import AuditLog

    ids = [website.pk for website in websites]
    if not ids:
        return {}
    asked = dict(
        AuditLog.objects.filter(
            event=SCAN_REQUESTED, object_type=Website._meta.label, object_id__in=[str(pk) for pk in ids]
        )
        .values_list("object_id")
        .annotate(last=Max("timestamp"))
    )
    newest = ScanRun.objects.filter(website=OuterRef("pk")).order_by("-started_at", "-id")
    latest = {
        row["pk"]: row
        for row in Website.objects.filter(pk__in=ids)
        .annotate(
            run_status=Subquery(newest.values("status")[:1]),
            run_started=Subquery(newest.values("started_at")[:1]),
            run_heartbeat=Subquery(newest.values("heartbeat_at")[:1]),
        )
        .values("pk", "run_status", "run_started", "run_heartbeat")
    }
    now = timezone.now()
    fresh_after, heard_after = now - STALE_RUN_AFTER, now - scan_lease()
    states: dict[int, str] = {}
    for pk in ids:
        run = latest.get(pk, {})
        started = run.get("run_started")
        heard = run.get("run_heartbeat") or started
        if run.get("run_status") == RunStatus.RUNNING and started and started >= fresh_after and heard >= heard_after:
            states[pk] = RUNNING
        elif (last := asked.get(str(pk))) is not None and (started is None or last > started):
            states[pk] = QUEUED
    return states
