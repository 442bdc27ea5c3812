"""网站监测 of the demo region, end to end and offline: what `govsite monitor run` finds right after
`govsite demo` is exactly what the demo planted, site by site, and no request leaves the machine.

The region is served as `make run` serves it: the hosted sites by the platform itself (a live WSGI server
on loopback, reached under their registered host names through the host map), the non-hosted running
sites by the demo's fake-site server with the defects of `data.SERVED_SITE_DEFECTS`. The monitor runs as
the real command. Planted defects are read from the demo's data, never restated here.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from io import StringIO

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections, transaction
from django.test.testcases import LiveServerThread
from django.utils import timezone

from govsite.content.models import ColumnPage
from govsite.demo import data
from govsite.demo.sites import host_of, serve_demo_sites
from govsite.monitoring import hostmap
from govsite.monitoring.models import RunStatus, ScanRun
from govsite.monitoring.rules import DEFAULT_RULES
from govsite.registry.models import Website

# 13 running sites: the 6 hosted ones, the 6 with planted defects and one served without any.
SIZE = 145
PER_COLUMN = 2
# Hosts the demo's own pages link to off the machine (footer: ICP/公安 record lookups, 党政机关网站标识,
# 我为政府网站找错). Offline, the monitor refuses them without asking DNS.
OUTSIDE_HOSTS = {"beian.miit.gov.cn", "www.beian.gov.cn", "bszs.conac.cn", "zfwzzc.www.gov.cn"}


class _KeepConnectionServer(ThreadedWSGIServer):
    def _close_connections(self) -> None:
        """Django closes the connections after each request; this one holds the test's transaction."""


class _SharedConnectionServer(LiveServerThread):
    """Django's live server, sharing the test's connection and transaction, left open when it stops."""

    server_class = _KeepConnectionServer

    def run(self) -> None:
        for alias, conn in (self.connections_override or {}).items():
            connections[alias] = conn
        try:
            self.httpd = self._create_server(connections_override=self.connections_override)
            self.port = self.httpd.server_address[1]
            app, lock = self.static_handler(WSGIHandler()), threading.Lock()

            def one_at_a_time(environ, start_response):  # noqa: ANN001, ANN202
                # One connection, one transaction: requests must not use it at the same time.
                with lock:
                    # Again at each request: the hosted checks' django.test.Client reconnects them after its own.
                    request_started.disconnect(close_old_connections)
                    request_finished.disconnect(close_old_connections)
                    return app(environ, start_response)

            self.httpd.set_app(one_at_a_time)
            self.is_ready.set()
            self.httpd.serve_forever()
        except Exception as exc:  # noqa: BLE001 — reported to the fixture through `error`
            self.error = exc
            self.is_ready.set()


@pytest.fixture(scope="module")
def scanned_region(django_db_setup, django_db_blocker) -> Iterator[dict]:  # noqa: ANN001
    """Build the demo, serve it on loopback, run `govsite monitor run` once; rolled back at the end."""
    looked_up: list[str] = []
    real_getaddrinfo = socket.getaddrinfo

    def recording_getaddrinfo(host, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        looked_up.append(str(host))
        return real_getaddrinfo(host, *args, **kwargs)

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", registry_size=SIZE, articles_per_column=PER_COLUMN, verbosity=0)
        conn = connections["default"]
        conn.inc_thread_sharing()
        # As Django's test client does: a request must not close the connection that holds the transaction.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        web = _SharedConnectionServer("127.0.0.1", StaticFilesHandler, connections_override={"default": conn})
        web.daemon = True
        web.start()
        web.is_ready.wait()
        assert web.error is None, web.error
        region = serve_demo_sites(f"127.0.0.1:{web.port}", as_of=timezone.localdate())
        hostmap.DNS_LOOKUPS.clear()
        hostmap.REFUSED.clear()
        from django.conf import settings

        saved = settings.GOVSITE_MONITOR_HOST_MAP, settings.GOVSITE_MONITOR_OFFLINE
        settings.GOVSITE_MONITOR_HOST_MAP, settings.GOVSITE_MONITOR_OFFLINE = region.host_map, True
        socket.getaddrinfo = recording_getaddrinfo
        out = StringIO()
        try:
            call_command("monitor", "run", stdout=out)
        finally:
            socket.getaddrinfo = real_getaddrinfo
            settings.GOVSITE_MONITOR_HOST_MAP, settings.GOVSITE_MONITOR_OFFLINE = saved
            region.stop()
            web.terminate()
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
            conn.dec_thread_sharing()
        runs = {run.website.site_code: run for run in ScanRun.objects.select_related("website")}
        found = {code: _found(run) for code, run in runs.items()}
        yield {
            "runs": runs,
            "found": found,
            "host_map": region.host_map,
            "dns_lookups": dict(hostmap.DNS_LOOKUPS),
            "refused": dict(hostmap.REFUSED),
            "getaddrinfo": looked_up,
            "output": out.getvalue(),
        }
        transaction.set_rollback(True)


def _subject(finding) -> str:  # noqa: ANN001
    """What a finding is about, as the demo's data names it: a column, a link target, a footer item."""
    if finding.check_name in ("stale_column", "blank_column", "unreachable_column"):
        return finding.column
    if finding.check_name == "broken_link":
        return finding.target
    if finding.check_name == "missing_footer_item":
        return finding.detail.removeprefix("页脚缺少").removesuffix("”入口").lstrip("“")
    if finding.check_name in ("personal_data", "unreachable", "column_veto", "homepage_stale"):
        return ""
    return finding.target or finding.column


def _found(run: ScanRun) -> set[tuple[str, str]]:
    return {(f.check_name, _subject(f)) for f in run.findings.all()}


def planted(website: Website) -> set[tuple[str, str]]:
    """The defects the demo planted in one site, as (check, subject), from the demo's own data."""
    expected: set[tuple[str, str]] = set()
    hosted = next((h for h in data.HOSTED_SITES if _hosted_code(h) == website.site_code), None)
    if hosted is not None:
        root = website.wagtail_site.root_page
        blank = 0
        for slug, fault in hosted.faults.items():
            title = ColumnPage.objects.descendant_of(root).get(slug=slug).title
            if fault == data.EMPTY:
                blank += 1
                expected.add(("blank_column", title))
            else:
                expected.add(("stale_column", title))
        if blank >= DEFAULT_RULES.blank_column_veto:
            expected.add(("column_veto", ""))
        # Its footer links the four outside record lookups; offline they are reported as not checked.
        expected.add(("external_links_unchecked", ""))
        return expected
    defects = {
        data.BROKEN_LINK: ("broken_link", f"http://{host_of(website)}{data.BROKEN_LINK_PATH}"),
        data.STALE_COLUMN: ("stale_column", "通知公告"),
        data.BLANK_COLUMN: ("blank_column", "政策解读"),
        data.NO_SITE_CODE: ("missing_footer_item", "网站标识码"),
        data.LEAKED_ID_NUMBER: ("personal_data", ""),
        data.UNREACHABLE: ("unreachable", ""),
    }
    return {defects[kind] for kind in data.SERVED_SITE_DEFECTS.get(website.site_code, ())}


def _hosted_code(hosted: data.HostedSiteData) -> str:
    from govsite.demo.plan import active_slots, plan_geography

    return next(slot.code for slot in active_slots(plan_geography()) if slot.hosted == hosted)


pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # builds the demo region and scans it

SITE_CODES = [
    "9900000001", "9900000002", "9900000003", "9901000001", "9902000001", "9905000001",
    "9903000001", "9904000001", "9906000001", "9907000001", "9908000001", "9909000001", "9910000001",
]


def test_every_monitored_demo_site_was_scanned_on_loopback(scanned_region: dict) -> None:
    monitored = set(Website.objects.filter(status__in=("running", "rectifying")).values_list("site_code", flat=True))
    assert monitored == set(SITE_CODES)
    assert set(scanned_region["runs"]) == monitored
    assert all(run.status == RunStatus.DONE for run in scanned_region["runs"].values())
    for code, run in scanned_region["runs"].items():
        address = scanned_region["host_map"][host_of(run.website)]
        assert address.startswith("127.0.0.1:"), (code, address)
        reached = (data.UNREACHABLE not in data.SERVED_SITE_DEFECTS.get(code, ()))
        assert (run.pages_fetched > 10) == reached, (code, run.pages_fetched)


def test_no_request_left_the_machine(scanned_region: dict) -> None:
    assert scanned_region["dns_lookups"] == {}
    outside = [h for h in scanned_region["getaddrinfo"] if h not in ("127.0.0.1", "localhost", "::1")]
    assert outside == []
    # The outside hosts the demo's pages link to were turned away before any lookup, and nothing else was.
    assert set(scanned_region["refused"]) == OUTSIDE_HOSTS


@pytest.mark.parametrize("site_code", SITE_CODES)
def test_findings_equal_planted_defects(scanned_region: dict, site_code: str) -> None:
    run = scanned_region["runs"][site_code]
    assert scanned_region["found"][site_code] == planted(run.website)
