"""The monitor's host map (monitoring/hostmap.py): registered names reached on loopback, nothing else offline.

Real servers on 127.0.0.1: fake government sites and a small server that echoes the Host header it got.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from aiohttp import web
from django.test import override_settings

from govsite.monitoring import hostmap
from govsite.monitoring.crawler import scan_site
from govsite.monitoring.services import do_probe_website
from govsite.testing.fakesite import ColumnSpec, FakeSite, LinkSpec, SiteSpec

DAY = date(2026, 11, 20)
FAST = {"connect_timeout": 2, "read_timeout": 2, "total_timeout": 3, "retries": 0, "scan_timeout": 30,
        "allow_private": True}


@pytest.fixture(autouse=True)
def fresh_counters() -> None:
    hostmap.DNS_LOOKUPS.clear()
    hostmap.REFUSED.clear()


@pytest.fixture
def host_echo() -> Iterator[int]:
    """A server on a free loopback port whose page says which Host header it was asked for."""
    ready = threading.Event()
    state: dict = {}

    async def handle(request: web.Request) -> web.Response:
        return web.Response(text=f"<html><body><p id=host>{request.host}</p></body></html>", content_type="text/html")

    def run() -> None:
        loop = asyncio.new_event_loop()
        app = web.Application()
        app.router.add_get("/{tail:.*}", handle)
        runner = web.AppRunner(app)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        state.update(loop=loop, runner=runner, port=runner.addresses[0][1])
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)
    yield state["port"]
    state["loop"].call_soon_threadsafe(state["loop"].stop)
    thread.join(10)


def small_site(links: list[LinkSpec] | None = None) -> SiteSpec:
    return SiteSpec(
        name="示范市人民政府",
        homepage_dates=[DAY],
        columns=[ColumnSpec("通知公告", "tzgg", item_dates=[DAY, DAY])],
        links=links or [],
    )


def test_a_mapped_host_is_reached_on_loopback_under_its_own_name(serve_site: Callable[[SiteSpec], FakeSite]) -> None:
    site = serve_site(small_site())
    with override_settings(GOVSITE_MONITOR_HOST_MAP={"www.demo.gov.cn": f"127.0.0.1:{site.port}"}):
        scan = scan_site("http://www.demo.gov.cn/", as_of=DAY, **FAST)
    assert scan.homepage is not None and scan.homepage.status == 200
    assert {p.url for p in scan.pages if p.status == 200} >= {
        "http://www.demo.gov.cn/", "http://www.demo.gov.cn/tzgg/", "http://www.demo.gov.cn/tzgg/0.html"}
    assert site.hits[("GET", "/tzgg/0.html")] == 1
    assert hostmap.DNS_LOOKUPS == {} and hostmap.REFUSED == {}


def test_the_host_header_is_the_registered_name(host_echo: int) -> None:
    with override_settings(GOVSITE_MONITOR_HOST_MAP={"www.demo.gov.cn": f"127.0.0.1:{host_echo}"}):
        scan = scan_site("http://www.demo.gov.cn/", as_of=DAY, **FAST)
    assert scan.homepage is not None
    assert "<p id=host>www.demo.gov.cn</p>" in scan.homepage.text


def test_offline_an_unmapped_host_and_an_outside_address_are_refused_without_dns(
    serve_site: Callable[[SiteSpec], FakeSite],
) -> None:
    site = serve_site(small_site([
        LinkSpec("http://www.outside-example.gov.cn/page.html", text="外部网站"),
        LinkSpec("http://192.0.2.7/x.html", text="外部地址"),
    ]))
    with override_settings(GOVSITE_MONITOR_HOST_MAP={"www.demo.gov.cn": f"127.0.0.1:{site.port}"},
                           GOVSITE_MONITOR_OFFLINE=True):
        scan = scan_site("http://www.demo.gov.cn/", as_of=DAY, **FAST)
    assert scan.link_status["http://www.outside-example.gov.cn/page.html"].error == "dns_error"
    assert scan.link_status["http://192.0.2.7/x.html"].status is None
    assert set(hostmap.REFUSED) == {"www.outside-example.gov.cn", "192.0.2.7"}
    assert hostmap.DNS_LOOKUPS == {}


def test_a_localhost_name_is_loopback_without_a_map(serve_site: Callable[[SiteSpec], FakeSite]) -> None:
    site = serve_site(small_site())
    with override_settings(GOVSITE_MONITOR_HOST_MAP=None, GOVSITE_MONITOR_OFFLINE=True):
        scan = scan_site(f"http://9901000001.localhost:{site.port}/", as_of=DAY, **FAST)
    assert scan.homepage is not None and scan.homepage.status == 200
    assert scan.pages_fetched > 2
    assert hostmap.DNS_LOOKUPS == {} and hostmap.REFUSED == {}


def test_the_map_is_read_from_its_file_at_each_scan(tmp_path, serve_site) -> None:  # noqa: ANN001
    path = tmp_path / "monitor-hosts.json"
    with override_settings(GOVSITE_MONITOR_HOST_MAP=str(path), GOVSITE_MONITOR_OFFLINE=True):
        assert hostmap.load_host_map() == {}
        before = scan_site("http://www.demo.gov.cn/", as_of=DAY, **FAST)
        site = serve_site(small_site())
        path.write_text(json.dumps({"WWW.Demo.gov.cn.": f"127.0.0.1:{site.port}"}), encoding="utf-8")
        after = scan_site("http://www.demo.gov.cn/", as_of=DAY, **FAST)
    assert before.homepage is not None and before.homepage.error == "dns_error"
    assert after.homepage is not None and after.homepage.status == 200


@pytest.mark.django_db
def test_the_availability_probe_uses_the_map(mini_region, serve_site) -> None:  # noqa: ANN001
    site = serve_site(small_site())
    website = mini_region.site_a  # registered as https://www.jia.gov.cn/
    website.homepage_url = "http://www.jia.gov.cn/"
    website.allow_private_network = True  # mapped to loopback
    with override_settings(GOVSITE_MONITOR_HOST_MAP={"www.jia.gov.cn": f"127.0.0.1:{site.port}"},
                           GOVSITE_MONITOR_OFFLINE=True):
        ok = do_probe_website(website, timeout=5)
        refused = do_probe_website(mini_region.site_b, timeout=5)
    assert ok.ok and ok.status == 200
    assert not refused.ok and refused.error == "dns_error"
    assert hostmap.DNS_LOOKUPS == {} and set(hostmap.REFUSED) == {"www.yi.gov.cn"}
