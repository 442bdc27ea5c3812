"""Recorded 网站监测 runs, availability probes (可用性探测), `monitor run`, scoping and the Celery worker."""

from __future__ import annotations

import ast
import json
from datetime import date, datetime, timedelta
from io import BytesIO, StringIO

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from govsite.celery import app
from govsite.core.access import SYSTEM
from govsite.core.models import Role
from govsite.monitoring.contract import MonitorFinding, Severity, SiteScan
from govsite.monitoring.models import AvailabilityProbe, RunStatus, ScanFinding, ScanRun, Verdict
from govsite.monitoring.rules import DEFAULT_RULES, MonitorRules
from govsite.monitoring.services import (
    NotScannable,
    availability,
    availability_findings,
    do_probe_website,
    do_scan_website,
    expire_stale_runs,
    latest_runs,
    record_run,
)
from govsite.registry.models import WebsiteStatus
from govsite.testing import build_mini_region, give_role, make_user
from govsite.testing.fakesite import ColumnSpec, SiteSpec, closed_port

AS_OF = date(2026, 11, 26)


def days_ago(*days: int) -> list[date]:
    return [AS_OF - timedelta(days=d) for d in days]


def stale_news_site() -> SiteSpec:
    """A fresh homepage, a news column 30 days old (栏目不更新) and a fresh notice column."""
    return SiteSpec(
        name="甲市人民政府",
        homepage_dates=days_ago(1, 3),
        columns=[
            ColumnSpec("政务要闻", "zwyw", item_dates=days_ago(30, 45)),
            ColumnSpec("通知公告", "tzgg", item_dates=days_ago(2, 9)),
        ],
    )


@pytest.fixture
def region(db):  # noqa: ANN001, ANN201
    """The mini region with its sites not hosted (monitored from outside, like most registry entries)."""
    return build_mini_region(hosted=False)


def point_at(website, url: str) -> None:  # noqa: ANN001
    """Register the site at a loopback URL, allowed on a private network as an admin would for it."""
    website.homepage_url = url
    website.allow_private_network = True
    website.save(update_fields=["homepage_url", "allow_private_network"])


def test_scan_records_run_and_findings_together(region, serve_site):  # noqa: ANN001
    site = serve_site(stale_news_site())
    point_at(region.site_a, site.url + "/")
    run = do_scan_website(region.site_a, by=SYSTEM, as_of=AS_OF, max_pages=30)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.finished_at is not None and run.as_of == AS_OF
    assert run.pages_fetched > 3 and run.complete
    findings = list(run.findings.all())
    stale = [f for f in findings if f.check_name == "stale_column"]
    assert [(f.column, f.latest) for f in stale] == [("政务要闻", days_ago(30)[0].isoformat())]
    assert run.deduction_count == sum(f.severity == Severity.DEDUCTION for f in findings)
    assert run.findings_total == len(findings)
    assert run.verdict == (Verdict.WOULD_FAIL if run.veto_items else Verdict.WOULD_PASS)


def test_a_scan_names_its_actor_in_the_audit_log_and_refuses_none_and_unsupervised_users(  # noqa: ANN201
    region, serve_site  # noqa: ANN001
):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from govsite.core.models import AuditLog

    site = serve_site(stale_news_site())
    point_at(region.site_a, site.url + "/")
    run = do_scan_website(region.site_a, by=SYSTEM, as_of=AS_OF, max_pages=5)
    entry = AuditLog.objects.get(event="monitoring.scan")
    assert entry.username == "system" and entry.object_id == str(region.site_a.pk)
    assert entry.detail["run"] == run.pk and entry.detail["status"] == RunStatus.DONE
    with pytest.raises(ValueError):
        do_scan_website(region.site_a, by=None, as_of=AS_OF, max_pages=5)
    editor = make_user("editor_scan")
    give_role(editor, Role.EDITOR, website=region.site_a)
    with pytest.raises((PermissionDenied, Http404)):
        do_scan_website(region.site_a, by=editor, as_of=AS_OF, max_pages=5)
    assert ScanRun.objects.filter(website=region.site_a).count() == 1  # the refused ones wrote no run


def test_a_check_that_crashes_fails_the_run_and_records_no_finding(region, serve_site):  # noqa: ANN001
    site = serve_site(stale_news_site())
    point_at(region.site_a, site.url + "/")
    broken = MonitorRules(update_class_limits=None)  # the columns check cannot read its limits
    run = do_scan_website(region.site_a, by=SYSTEM, as_of=AS_OF, max_pages=30, rules=broken)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error.startswith("AttributeError")
    assert run.verdict == "" and not ScanFinding.objects.filter(run=run).exists()


def test_recording_is_all_or_nothing(region):  # noqa: ANN001
    run = ScanRun.objects.create(website=region.site_a, as_of=AS_OF)
    good = MonitorFinding(check="broken_link", severity=Severity.DEDUCTION, url="https://www.jia.gov.cn/", detail="x")
    bad = MonitorFinding(check="broken_link", severity=None, url="https://www.jia.gov.cn/", detail="y")  # type: ignore[arg-type]
    scan = SiteScan(site_url="https://www.jia.gov.cn/", as_of=AS_OF)
    with pytest.raises(IntegrityError):
        record_run(run, scan, [good] * 600 + [bad])  # the bad row is in the second batch
    assert not ScanFinding.objects.filter(run=run).exists()
    assert ScanRun.objects.get(pk=run.pk).status == RunStatus.RUNNING


def test_a_broken_target_is_recorded_once_with_every_page_and_exported(region):  # noqa: ANN001
    from openpyxl import load_workbook

    from govsite.monitoring.xlsx import export_findings

    run = ScanRun.objects.create(website=region.site_a, as_of=AS_OF)
    pages = ("https://www.jia.gov.cn/", "https://www.jia.gov.cn/a.html", "https://www.jia.gov.cn/b.html")
    finding = MonitorFinding(check="broken_link", severity=Severity.DEDUCTION, url=pages[0], detail="链接无法访问",
                             target="https://www.jia.gov.cn/gone.html", status="404", pages=pages)
    record_run(run, SiteScan(site_url=pages[0], as_of=AS_OF), [finding])
    (stored,) = ScanFinding.objects.filter(run=run)
    assert stored.pages == list(pages) and run.findings_total == 1
    sheet = load_workbook(BytesIO(export_findings(run, [stored]))).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert row[header.index("出现页面")].split("\n") == list(pages)


def test_a_run_left_running_by_a_dead_worker_is_marked_failed_after_the_timeout(region):  # noqa: ANN001
    dead = ScanRun.objects.create(website=region.site_a, as_of=AS_OF, started_at=timezone.now() - timedelta(hours=3))
    fresh = ScanRun.objects.create(website=region.site_b, as_of=AS_OF)
    assert expire_stale_runs() == 1
    dead.refresh_from_db()
    fresh.refresh_from_db()
    assert dead.status == RunStatus.FAILED and dead.error.startswith("stale")
    assert fresh.status == RunStatus.RUNNING


def test_offline_and_merged_sites_are_not_scanned(region, serve_site):  # noqa: ANN001
    site = serve_site(stale_news_site())
    for website in (region.portal, region.site_a, region.site_a1, region.site_b):
        point_at(website, site.url + "/")
    region.site_b.status = WebsiteStatus.OFFLINE
    region.site_b.save(update_fields=["status"])
    region.site_a1.status = WebsiteStatus.RECTIFYING
    region.site_a1.save(update_fields=["status"])
    with pytest.raises(NotScannable):
        do_scan_website(region.site_b, by=SYSTEM, as_of=AS_OF)
    out = StringIO()
    call_command("monitor", "run", "--as-of", AS_OF.isoformat(), "--max-pages", "20", stdout=out)
    assert region.site_b.site_code not in out.getvalue()
    assert set(ScanRun.objects.values_list("website__site_code", flat=True)) == {
        region.portal.site_code,
        region.site_a.site_code,
        region.site_a1.site_code,
    }
    assert "共扫描 3 个网站。" in out.getvalue()


def test_monitor_run_one_site_prints_progress_and_verdict(region, serve_site):  # noqa: ANN001
    site = serve_site(
        SiteSpec(homepage_dates=days_ago(40, 50), columns=[ColumnSpec("政务要闻", "zwyw", item_dates=days_ago(2))])
    )
    point_at(region.site_a, site.url + "/")
    out = StringIO()
    call_command(
        "monitor", "run", "--site", region.site_a.site_code, "--as-of", AS_OF.isoformat(), "--max-pages", "20",
        stdout=out,
    )
    text = out.getvalue()
    assert f"[1/1] {region.site_a.site_code} 甲市人民政府网" in text
    assert "结论：可能不合格（单项否决：首页长期不更新）" in text  # the verdict in words, not check codes
    run = ScanRun.objects.get()
    assert run.website == region.site_a and run.veto_items == ["homepage_stale"]


def test_monitor_run_says_when_the_site_is_not_monitored(region):  # noqa: ANN001
    region.site_b.status = WebsiteStatus.MERGED
    region.site_b.save(update_fields=["status"])
    out = StringIO()
    call_command("monitor", "run", "--site", region.site_b.site_code, stdout=out)
    assert "跳过" in out.getvalue() and not ScanRun.objects.exists()


# -- availability ---------------------------------------------------------------------------------------


def add_probes(website, total: int, failures: int, *, end=None) -> None:  # noqa: ANN001
    end = end or timezone.now()
    step = timedelta(days=7) / (total + 1)
    AvailabilityProbe.objects.bulk_create(
        AvailabilityProbe(website=website, probed_at=end - step * (i + 1), ok=i >= failures, status=200)
        for i in range(total)
    )


def test_availability_ratio_counts_the_last_seven_days_only(region):  # noqa: ANN001
    add_probes(region.site_a, 140, 7)
    AvailabilityProbe.objects.create(
        website=region.site_a, probed_at=timezone.now() - timedelta(days=8), ok=False, error="timeout"
    )
    assert availability(region.site_a) == (140, 7, 0.05)
    assert availability(region.site_b) == (0, 0, 0.0)


def test_availability_veto_at_exactly_five_percent(region):  # noqa: ANN001
    add_probes(region.site_a, 100, 5)
    [finding] = availability_findings(region.site_a)
    assert finding.check == "availability" and finding.severity == Severity.VETO and finding.status == "5/100"


def test_availability_just_under_five_percent_is_a_warning(region):  # noqa: ANN001
    add_probes(region.site_a, 1000, 49)
    [finding] = availability_findings(region.site_a)
    assert finding.severity == Severity.WARN
    add_probes(region.site_b, 100, 2)
    assert availability_findings(region.site_b) == []


def test_too_few_probes_are_not_judged(region):  # noqa: ANN001
    add_probes(region.site_a, 19, 19)
    assert availability_findings(region.site_a) == []


def test_probe_of_a_live_site_and_of_a_closed_port(region, serve_site):  # noqa: ANN001
    site = serve_site(stale_news_site())
    point_at(region.site_a, site.url + "/")
    point_at(region.site_b, f"http://127.0.0.1:{closed_port()}/")
    up = do_probe_website(region.site_a)
    down = do_probe_website(region.site_b)
    assert up.ok and up.status == 200 and up.error == "" and up.elapsed < 15
    assert not down.ok and down.status is None and down.error
    assert AvailabilityProbe.objects.filter(website=region.site_b, ok=False).count() == 1


def test_probe_of_a_server_error_is_a_failure(region, serve_site):  # noqa: ANN001
    site = serve_site(SiteSpec(hostile={"/": "server_error"}))
    point_at(region.site_a, site.url + "/")
    probe = do_probe_website(region.site_a)
    assert not probe.ok and probe.status == 500 and probe.error == "http_500"


def test_availability_veto_is_part_of_the_recorded_run(region):  # noqa: ANN001
    point_at(region.site_a, f"http://127.0.0.1:{closed_port()}/")
    add_probes(region.site_a, 40, 4, end=timezone.now())
    run = do_scan_website(region.site_a, by=SYSTEM, max_pages=5, retries=0)
    assert run.status == RunStatus.DONE
    assert "availability" in run.veto_items
    assert run.findings.filter(check_name="availability", severity=Severity.VETO).exists()


# -- scope ------------------------------------------------------------------------------------------------


def test_latest_runs_are_scoped_to_the_supervisors_subtree(region):  # noqa: ANN001
    old = ScanRun.objects.create(website=region.site_a, as_of=AS_OF - timedelta(days=1),
                                 started_at=timezone.now() - timedelta(days=1))
    newest = ScanRun.objects.create(website=region.site_a, as_of=AS_OF)
    county = ScanRun.objects.create(website=region.site_a1, as_of=AS_OF)
    ScanRun.objects.create(website=region.site_b, as_of=AS_OF)
    ScanRun.objects.create(website=region.portal, as_of=AS_OF)
    supervisor = make_user("monitor_sup")
    give_role(supervisor, Role.SUPERVISOR, unit=region.gov_a)
    runs = list(latest_runs(supervisor))
    assert {r.pk for r in runs} == {newest.pk, county.pk}
    assert old.pk not in {r.pk for r in runs}
    assert len(latest_runs(make_user("nobody"))) == 0
    admin = make_user("monitor_admin", is_superuser=True)
    assert len(latest_runs(admin)) == 4


def test_default_rules_match_the_national_thresholds() -> None:
    assert DEFAULT_RULES.availability_veto_ratio == 0.05
    assert settings.CELERY_BEAT_SCHEDULE["monitoring-probe-all"]["schedule"] == 72 * 60


# -- the worker ---------------------------------------------------------------------------------------------


# Transactional: the worker thread must see committed rows (see govsite/core/tests/test_celery.py).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_scan_task_runs_on_a_worker_once_per_site_and_day(redis_broker, serve_site):  # noqa: ANN001
    from govsite.monitoring.tasks import scan_website_task

    region = build_mini_region(hosted=False)
    site = serve_site(stale_news_site())
    point_at(region.site_a, site.url + "/")
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
        first = scan_website_task.delay(region.site_a.pk, AS_OF.isoformat(), False, 30).get(timeout=120)
        again = scan_website_task.delay(region.site_a.pk, AS_OF.isoformat(), False, 30).get(timeout=60)
    run = ScanRun.objects.get(pk=first)
    assert run.status == RunStatus.DONE and run.website_id == region.site_a.pk
    assert again == first and ScanRun.objects.count() == 1
    assert run.findings.filter(check_name="stale_column", column="政务要闻").exists()


# -- the beat tasks: what they put on the real Redis queue ----------------------------------------------------


def queued(client: redis.Redis) -> list[tuple[str, tuple, datetime | None]]:
    """(task name, args, eta) of every message waiting in Celery's default queue."""
    messages = [json.loads(raw) for raw in client.lrange("celery", 0, -1)]
    return [
        (
            m["headers"]["task"],
            ast.literal_eval(m["headers"]["argsrepr"]),
            datetime.fromisoformat(m["headers"]["eta"]) if m["headers"].get("eta") else None,
        )
        for m in messages
    ]


def test_daily_scan_enqueues_one_task_per_monitored_site(region, redis_broker):  # noqa: ANN001
    from govsite.monitoring.tasks import schedule_region_scan

    region.site_b.status = WebsiteStatus.OFFLINE
    region.site_b.save(update_fields=["status"])
    enqueued = schedule_region_scan(AS_OF.isoformat())
    messages = queued(redis_broker)
    assert enqueued == len(messages) == 3
    assert {name for name, _, _ in messages} == {"govsite.monitoring.tasks.scan_website_task"}
    assert sorted(args[0] for _, args, _ in messages) == sorted(
        [region.portal.pk, region.site_a.pk, region.site_a1.pk]
    )
    assert {args[1] for _, args, _ in messages} == {AS_OF.isoformat()}


def test_probes_are_spread_over_the_hour_at_a_stable_offset_per_site(region, redis_broker):  # noqa: ANN001
    from govsite.monitoring.tasks import probe_all_task, probe_offset

    before = timezone.now()
    assert probe_all_task(3600) == 4
    messages = queued(redis_broker)
    assert {name for name, _, _ in messages} == {"govsite.monitoring.tasks.probe_website_task"}
    by_site = {args[0]: eta for _, args, eta in messages}
    sites = {w.pk: w.site_code for w in (region.portal, region.site_a, region.site_a1, region.site_b)}
    assert set(by_site) == set(sites)
    for pk, eta in by_site.items():
        offset = (eta - before).total_seconds()
        assert abs(offset - probe_offset(sites[pk])) < 30  # its own offset, not all at once
        assert 0 <= offset < 3600 + 30
    assert len({eta.replace(microsecond=0) for eta in by_site.values()}) > 1
    redis_broker.flushdb()
    probe_all_task(0)  # no spread: every probe now
    assert all(eta is None for _, _, eta in queued(redis_broker))


def test_registry_columns_replace_discovery_and_reach_unlinked_columns(region, serve_site):  # noqa: ANN001
    from govsite.registry.models import WebsiteColumn

    spec = stale_news_site()
    spec.columns.append(ColumnSpec("工作动态", "gzdt", item_dates=days_ago(40, 50), in_nav=False))
    site = serve_site(spec)
    point_at(region.site_a, site.url + "/")

    def stale_columns() -> set[str]:
        run = do_scan_website(region.site_a, by=SYSTEM, as_of=AS_OF, max_pages=40)
        assert run.status == RunStatus.DONE, run.error
        return set(run.findings.filter(check_name="stale_column").values_list("column", flat=True))

    assert stale_columns() == {"政务要闻"}  # discovered from the navigation; 工作动态 is linked from nowhere
    WebsiteColumn.objects.create(website=region.site_a, position=0, name="工作动态", url=site.url + "/gzdt/")
    WebsiteColumn.objects.create(website=region.site_a, position=1, name="政务要闻", url=site.url + "/zwyw/",
                                 update_class="none")
    WebsiteColumn.objects.create(website=region.site_a, position=2, name="通知公告", url=site.url + "/tzgg/")
    # 工作动态 is fetched because the registry lists it and judged as news by its name; 政务要闻 is 不计.
    assert stale_columns() == {"工作动态"}


def test_a_worker_process_builds_the_word_lists_and_freezes_them_before_its_first_task() -> None:
    import gc

    from celery.signals import worker_process_init

    from govsite.checks.defaults import default_lexicon

    default_lexicon.cache_clear()
    gc.unfreeze()
    try:
        worker_process_init.send(sender=None)  # what a prefork worker process sends when it starts
        assert default_lexicon.cache_info().currsize == 1  # built, not left for the first scan
        assert gc.get_freeze_count() > 10_000  # Django, jieba and the word lists out of the collector's sight
    finally:
        gc.unfreeze()


def test_evidence_keeps_personal_data_masked(region):  # noqa: ANN001
    """A 留言 quoted as evidence shows a citizen's mobile number masked (个人信息脱敏), on screen and in exports."""
    run = ScanRun.objects.create(website=region.site_a, as_of=AS_OF)
    finding = MonitorFinding(check="interaction", severity=Severity.DEDUCTION, url="https://www.jia.gov.cn/ly/",
                             detail="留言超过三个月未答复", excerpt="张先生 13812345678 反映路灯不亮")
    record_run(run, SiteScan(site_url="https://www.jia.gov.cn/", as_of=AS_OF), [finding])
    (stored,) = ScanFinding.objects.filter(run=run)
    assert stored.excerpt == "张先生 138****5678 反映路灯不亮"
