"""Background 网站监测: one Celery task per site, so workers on several machines share a region's scan.

Tasks are acknowledged late (settings), so a task of a crashed worker is delivered again; each task is
idempotent per (website, as_of): a finished run of the day, or one still in progress, is not repeated. The
run a dead worker left `running` is marked 中断 first (services.interrupt_orphaned_runs), so it blocks nothing.
"""

from __future__ import annotations

import zlib
from datetime import date

from celery import Task, shared_task
from django.utils import timezone

from govsite.core.access import SYSTEM
from govsite.registry.models import Website

from .models import RunStatus
from .services import (
    NotScannable,
    do_probe_website,
    do_scan_website,
    done_run_for,
    expire_stale_runs,
    interrupt_orphaned_runs,
    run_of_task,
    running_run_for,
    scan_lease,
    scannable_websites,
)

# Probes of a region are spread over this many seconds (per-site offset) rather than all at once.
PROBE_SPREAD_SECONDS = 3600


def probe_offset(site_code: str, spread: int = PROBE_SPREAD_SECONDS) -> int:
    """A stable per-site delay in seconds; crc32, because Python's str hash changes between processes."""
    return zlib.crc32(site_code.encode()) % spread


@shared_task(bind=True, max_retries=None)
def scan_website_task(
    self: Task, website_id: int, as_of: str | None = None, force: bool = False, max_pages: int = 200
) -> int | None:
    """网站监测 of one site; returns the id of the run (the existing one when today's is done or running)."""
    website = Website.objects.filter(pk=website_id).first()
    if website is None:
        return None
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    interrupt_orphaned_runs(website)
    task_id = self.request.id or ""
    earlier = run_of_task(task_id)
    if earlier is not None and earlier.status in (RunStatus.DONE, RunStatus.FAILED):
        return earlier.pk  # this task ran to its end; its message was given again before the ack
    if earlier is not None and earlier.status == RunStatus.RUNNING:
        # The same task still runs on a living worker (a broker gave it again early): look again later, so
        # that it is done here if that worker dies.
        raise self.retry(countdown=scan_lease().total_seconds())
    if not force:
        existing = done_run_for(website, day) or running_run_for(website, day)
        if existing is not None:
            return existing.pk
    try:
        return do_scan_website(website, by=SYSTEM, as_of=day, max_pages=max_pages, task_id=task_id).pk
    except NotScannable:
        return None


@shared_task
def schedule_region_scan(as_of: str | None = None) -> int:
    """The daily full scan: one `scan_website_task` per monitored site; returns how many were enqueued."""
    interrupt_orphaned_runs()
    expire_stale_runs()
    ids = list(scannable_websites().values_list("pk", flat=True))
    for website_id in ids:
        scan_website_task.delay(website_id, as_of)
    return len(ids)


@shared_task
def probe_website_task(website_id: int) -> bool | None:
    """可用性探测 of one site; returns whether the homepage answered."""
    website = scannable_websites().filter(pk=website_id).first()
    return do_probe_website(website).ok if website is not None else None


@shared_task
def probe_all_task(spread: int = PROBE_SPREAD_SECONDS) -> int:
    """Enqueue one probe per monitored site, each delayed by its own offset within `spread` seconds."""
    sites = list(scannable_websites().values_list("pk", "site_code"))
    for website_id, site_code in sites:
        probe_website_task.apply_async((website_id,), countdown=probe_offset(site_code, spread) if spread else 0)
    return len(sites)
