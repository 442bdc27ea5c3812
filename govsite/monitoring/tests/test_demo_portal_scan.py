"""The monitor's verdicts on the demo region's hosted sites as the crawler sees them (issue 9, item 3).

`govsite demo` is built in the test database and served by Django's live server on 127.0.0.1; each hosted
site is reached through a small loopback proxy that sets its Host header (how the real server tells sites
apart). Name resolution is refused for every name but loopback, so nothing leaves the machine and the
footer's outside links (beian.miit.gov.cn …) meet a machine that cannot reach outside, as in the demo.
The crawl-only verdicts (homepage, columns, footer, links; no database reading of hosted pages) must equal
the defects the demo planted (`demo.data.HOSTED_SITES[*].faults`), site by site.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp
import pytest
from aiohttp import web
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from govsite.content.models import ColumnPage
from govsite.demo import data
from govsite.monitoring.crawler import scan_site
from govsite.monitoring.engine import run_checks
from govsite.monitoring.rules import DEFAULT_RULES, NEWS, NOTICE
from govsite.registry.models import Website

pytestmark = pytest.mark.slow  # builds the demo region and scans it over a live server

CHECKS = {"homepage_freshness", "columns", "footer", "broken_links"}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@contextmanager
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Refuse to resolve any name but loopback: no DNS query, no connection leaves the machine."""
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in LOOPBACK:
            raise socket.gaierror(socket.EAI_NONAME, "loopback only (test)")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield


@contextmanager
def host_proxies(upstream: str, hosts: list[str]) -> Iterator[dict[str, str]]:
    """One loopback port per host name, forwarding to `upstream` with that Host header: {host: url}."""
    loop = asyncio.new_event_loop()
    urls: dict[str, str] = {}
    ready = threading.Event()
    runners: list[web.AppRunner] = []
    sessions: list[aiohttp.ClientSession] = []

    async def start() -> None:
        session = aiohttp.ClientSession(auto_decompress=False)
        sessions.append(session)
        for host in hosts:
            async def handle(request: web.Request, host: str = host) -> web.Response:
                async with session.request(request.method, f"{upstream}{request.rel_url}", headers={"Host": host},
                                           allow_redirects=False) as response:
                    body = await response.read()
                    keep = {k: v for k, v in response.headers.items() if k.lower() in ("content-type", "location")}
                    return web.Response(status=response.status, body=body, headers=keep)

            app = web.Application()
            app.router.add_route("*", "/{tail:.*}", handle)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            runners.append(runner)
            urls[host] = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/"  # noqa: SLF001
        ready.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()), loop.run_forever()), daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield urls
    finally:
        async def stop() -> None:
            for runner in runners:
                await runner.cleanup()
            for session in sessions:
                await session.close()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def planted(website: Website) -> set[tuple[str, str]]:
    """The (check, column) defects the demo planted on a hosted site, with the column veto they add up to."""
    site = website.wagtail_site
    host = website.host
    key = "portal" if site.is_default_site else (host.split(".")[1] if host.startswith("www.") else host.split(".")[0])
    (spec,) = [h for h in data.HOSTED_SITES if h.key == key]
    root = site.root_page
    expected: set[tuple[str, str]] = set()
    blank = stale = overdue = 0
    for slug, fault in spec.faults.items():
        column = ColumnPage.objects.descendant_of(root).get(slug=slug)
        if fault == data.EMPTY:
            expected.add(("blank_column", column.title))
            blank += 1
        else:
            expected.add(("stale_column", column.title))
            stale += 1
            overdue += column.update_class in (NEWS, NOTICE)
    rules = DEFAULT_RULES
    if blank >= rules.blank_column_veto or overdue >= rules.stale_veto_count or \
            blank + stale >= rules.should_update_stale_veto:
        expected.add(("column_veto", ""))
    return expected


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_crawled_verdicts_on_the_demo_sites_equal_the_planted_defects(live_server, monkeypatch) -> None:  # noqa: ANN001
    call_command("demo", registry_size=30, articles_per_column=4, verbosity=0)
    websites = list(Website.objects.filter(wagtail_site__isnull=False).select_related("wagtail_site"))
    assert len(websites) == len(data.HOSTED_SITES)
    as_of = timezone.localdate()
    results = {}
    with loopback_only(monkeypatch), host_proxies(live_server.url, [w.wagtail_site.hostname for w in websites]) as urls:
        for website in websites:
            # One request at a time on SQLite: the live server's threads share the test's one in-memory
            # connection (Django's arrangement), and concurrent queries on it can deadlock inside SQLite.
            scan = scan_site(urls[website.wagtail_site.hostname], max_pages=400, as_of=as_of, retries=0,
                             allow_private=True, per_host_concurrency=1 if connection.vendor == "sqlite" else 4)
            findings = run_checks(scan, only=CHECKS)
            results[website.host] = (scan, findings)
    for website in websites:
        scan, findings = results[website.host]
        judged = {(f.check, f.column) for f in findings if f.severity in ("veto", "deduction")}
        assert judged == planted(website), (website.host, [f.detail for f in findings])
        # No verdict the evidence cannot support, and the outside links are 未检查, not broken.
        assert not [f for f in findings if f.check == "cannot_judge" or f.check == "unreachable_column"]
        (unchecked,) = [f for f in findings if f.check == "external_links_unchecked"]
        assert unchecked.status == "未检查" and not [f for f in findings if f.check == "broken_link"]
        assert scan.pages_fetched > 20 and scan.complete
