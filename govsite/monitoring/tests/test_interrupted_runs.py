"""中断 runs (任务可靠性): a scan whose worker died does not stay `running` and does not block a new scan."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from datetime import date, timedelta

import pytest
from django.utils import timezone

from govsite.monitoring.models import RunStatus, ScanRun
from govsite.monitoring.services import (
    RUNNING,
    heartbeat,
    interrupt_orphaned_runs,
    running_run_for,
    scan_lease,
    scan_states,
)
from govsite.monitoring.tasks import scan_website_task
from govsite.testing import build_mini_region

AS_OF = date(2026, 11, 26)


@pytest.fixture
def region(db):  # noqa: ANN001, ANN201
    # Not hosted: offline, the registered hosts are refused at once, so a scan is quick (unreachable).
    return build_mini_region(hosted=False)


def dead_process() -> str:
    """The `worker` of a process of this machine that has ended (as a killed worker has)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return f"{socket.gethostname()}:{process.pid}"


def test_a_run_whose_worker_process_is_gone_is_interrupted_and_the_site_scanned_again(region) -> None:
    orphan = ScanRun.objects.create(
        website=region.site_a, as_of=AS_OF, worker=dead_process(), heartbeat_at=timezone.now()
    )
    assert running_run_for(region.site_a, AS_OF) == orphan  # its heartbeat alone still looks fresh
    run_id = scan_website_task(region.site_a.pk, AS_OF.isoformat())  # the daily scan, not forced
    orphan.refresh_from_db()
    assert orphan.status == RunStatus.INTERRUPTED and orphan.get_status_display() == "中断"
    assert orphan.finished_at is not None and "工作进程已停止" in orphan.error
    assert run_id != orphan.pk and ScanRun.objects.get(pk=run_id).status == RunStatus.DONE


def test_a_run_silent_for_longer_than_the_lease_is_interrupted_on_any_machine(region) -> None:
    now = timezone.now()
    silent = ScanRun.objects.create(website=region.site_a, as_of=AS_OF, worker="other-host:4242",
                                    heartbeat_at=now - scan_lease() - timedelta(seconds=1))
    alive = ScanRun.objects.create(website=region.site_b, as_of=AS_OF, worker="other-host:4243", heartbeat_at=now)
    # A run from before heartbeats (none recorded) counts from its start.
    never_beat = ScanRun.objects.create(website=region.site_a1, as_of=AS_OF, started_at=now - timedelta(minutes=30))
    assert scan_states([region.site_a, region.site_b, region.site_a1]) == {region.site_b.pk: RUNNING}
    assert interrupt_orphaned_runs() == 2
    for run in (silent, alive, never_beat):
        run.refresh_from_db()
    assert (silent.status, alive.status, never_beat.status) == (
        RunStatus.INTERRUPTED, RunStatus.RUNNING, RunStatus.INTERRUPTED
    )
    # A live run of another worker still keeps the daily scan from starting a second one.
    assert scan_website_task(region.site_b.pk, AS_OF.isoformat()) == alive.pk


def test_a_task_given_again_after_it_finished_returns_its_run(region) -> None:
    first = scan_website_task.apply((region.site_a.pk, AS_OF.isoformat(), True), task_id="task-1").get()
    again = scan_website_task.apply((region.site_a.pk, AS_OF.isoformat(), True), task_id="task-1").get()
    assert again == first and ScanRun.objects.filter(website=region.site_a).count() == 1
    assert ScanRun.objects.get(pk=first).task_id == "task-1"


def test_a_task_given_again_after_its_worker_died_scans_again(region) -> None:
    orphan = ScanRun.objects.create(website=region.site_a, as_of=AS_OF, task_id="task-2", worker=dead_process(),
                                    heartbeat_at=timezone.now())
    run_id = scan_website_task.apply((region.site_a.pk, AS_OF.isoformat(), True), task_id="task-2").get()
    orphan.refresh_from_db()
    assert orphan.status == RunStatus.INTERRUPTED
    assert ScanRun.objects.get(pk=run_id).status == RunStatus.DONE


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_long_scan_keeps_its_run_alive_by_its_heartbeat(settings) -> None:
    settings.GOVSITE_SCAN_HEARTBEAT_SECONDS = 0.5
    region = build_mini_region(hosted=False)
    started = timezone.now() - timedelta(hours=1)
    run = ScanRun.objects.create(website=region.site_a, as_of=AS_OF, started_at=started, heartbeat_at=started)
    with heartbeat(run):
        deadline = time.monotonic() + 30
        while ScanRun.objects.get(pk=run.pk).heartbeat_at == started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert interrupt_orphaned_runs() == 0
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING and run.heartbeat_at > started
