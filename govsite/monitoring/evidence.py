"""截图证据: a screenshot of each veto finding's page, taken with headless Chromium when the run records it.

A 单项否决 finding keeps its evidence — URL, time, excerpt — and a PNG of the page as the monitor saw it then
(`ScanFinding.screenshot`, under ``monitoring/evidence/<random>/``, core/storage.py). `capture_screenshots(run)`
shoots at most `MAX_SHOTS` veto findings of a run, one page each (1280×900, the first screen, 15 s), and never
raises: a page that fails leaves no screenshot and a warning in the log.

The browser goes where the monitor goes and nowhere else:
- names resolve as the monitor's host map says (`hostmap.py`), through Chromium's ``--host-resolver-rules``,
  so loopback demo and test sites are shot at the registered URL with the registered Host;
- every request the page makes passes the monitor's address policy (监测抓取安全) first: a host outside the
  host map in offline mode, or one that resolves to a private, loopback or metadata address not allowed for
  the scan, is aborted (a scanned page cannot make the browser fetch an intranet address). The check looks
  the name up before Chromium does, so a DNS server that answers differently the second time is not pinned
  out as in the crawler's connector.

Settings: ``GOVSITE_MONITOR_SCREENSHOTS`` (on by default, off in the tests that do not ask for it) and
``GOVSITE_CHROMIUM`` (the Chromium executable, default /usr/bin/chromium).
"""

from __future__ import annotations

import asyncio
import logging
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile

from .contract import Severity
from .hostmap import AddressPolicy, load_host_map, numeric_address, offline

if TYPE_CHECKING:
    from .models import ScanRun

logger = logging.getLogger(__name__)

VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000  # per page
MAX_SHOTS = 10  # veto findings shot per run
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Shot:
    finding_id: int
    url: str


def screenshots_enabled() -> bool:
    return bool(getattr(settings, "GOVSITE_MONITOR_SCREENSHOTS", True))


def resolver_rules(host_map: dict[str, tuple[str, int]]) -> str:
    """Chromium's ``--host-resolver-rules`` for a host map: each mapped name to its loopback address and port
    (the URL and Host header stay the registered ones, like the crawler's connector)."""
    return ",".join(f"MAP {host} {address}:{port}" for host, (address, port) in sorted(host_map.items()))


def capture_screenshots(run: ScanRun) -> int:
    """Screenshot the pages of the run's veto findings (at most `MAX_SHOTS`); the number stored. Never raises."""
    try:
        return _capture(run)
    except Exception:  # noqa: BLE001 — evidence is extra: a failure must not touch the recorded run
        logger.warning("监测截图失败：监测记录 %s", run.pk, exc_info=True)
        return 0


def _capture(run: ScanRun) -> int:
    from govsite.registry.models import Website

    findings = list(
        run.findings.filter(severity=Severity.VETO, screenshot="").exclude(url="").order_by("id")[:MAX_SHOTS]
    )
    shots = [Shot(f.pk, f.url) for f in findings if urlsplit(f.url).scheme in ("http", "https")]
    if not shots:
        return 0
    website = run.website
    # The scan's own policy (services.private_network_sites): registry entries allowed on a private network.
    private = list(Website.objects.filter(allow_private_network=True).values_list("homepage_url", flat=True))
    private += [website.homepage_url] if website.allow_private_network else []
    guard = RequestGuard(load_host_map(), AddressPolicy.allowing(private), offline())
    # Playwright runs in an event loop of its own: no database access happens inside it.
    images = asyncio.run(_shoot(shots, guard))
    stored = 0
    by_id = {f.pk: f for f in findings}
    for finding_id, png in images.items():
        finding = by_id[finding_id]
        finding.screenshot.save(f"finding-{finding_id}.png", ContentFile(png), save=False)
        type(finding).objects.filter(pk=finding_id).update(screenshot=finding.screenshot.name)
        stored += 1
    return stored


class RequestGuard:
    """The monitor's address policy for the browser's requests (see the module docstring)."""

    def __init__(self, host_map: dict[str, tuple[str, int]], policy: AddressPolicy, offline_mode: bool) -> None:
        self.host_map = host_map
        self.policy = policy
        self.offline = offline_mode

    async def refusal(self, url: str) -> str:
        """Why the browser may not request `url` ("" when it may)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return "" if parts.scheme in ("data", "blob", "about") else f"scheme {parts.scheme}"
        host = (parts.hostname or "").lower().rstrip(".")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return "invalid port"
        mapped = self.host_map.get(host)
        if mapped is not None:
            return ""  # a registered name the host map puts on loopback, as the crawler connects to it
        if host == "localhost" or host.endswith(".localhost"):
            addresses = [numeric_address("127.0.0.1")]
        elif (literal := numeric_address(host)) is not None:
            addresses = [literal]
        elif self.offline:
            return f"{host} not in the host map (offline)"
        else:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except OSError:
                return f"{host} does not resolve"
            addresses = [numeric_address(info[4][0]) for info in infos]
        for address in addresses:
            if address is None:
                return f"{host}: unreadable address"
            why = self.policy.refusal(host, port, address)
            if why:
                return why
        return ""


async def _shoot(shots: list[Shot], guard: RequestGuard) -> dict[int, bytes]:
    from playwright.async_api import async_playwright

    executable = getattr(settings, "GOVSITE_CHROMIUM", DEFAULT_CHROMIUM)
    args = [*CHROMIUM_ARGS]
    rules = resolver_rules(guard.host_map)
    if rules:
        args.append(f"--host-resolver-rules={rules}")
    images: dict[int, bytes] = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=args, headless=True)
        try:
            context = await browser.new_context(
                viewport=VIEWPORT, ignore_https_errors=True, service_workers="block", java_script_enabled=True,
                user_agent="GovSite-Monitor/0.1 (截图证据)",
            )

            async def route(request_route: Any) -> None:
                why = await guard.refusal(request_route.request.url)
                if why:
                    logger.info("监测截图：拒绝请求 %s（%s）", request_route.request.url, why)
                    await request_route.abort("blockedbyclient")
                else:
                    await request_route.continue_()

            await context.route("**/*", route)
            for shot in shots:
                page = await context.new_page()
                try:
                    page.set_default_timeout(TIMEOUT_MS)
                    await page.goto(shot.url, timeout=TIMEOUT_MS, wait_until="load")
                    images[shot.finding_id] = await page.screenshot(full_page=False, type="png", timeout=TIMEOUT_MS)
                except Exception as exc:  # noqa: BLE001 — one page that fails leaves no screenshot
                    logger.warning("监测截图失败：%s（%s）", shot.url, exc)
                finally:
                    await page.close()
            await context.close()
        finally:
            await browser.close()
    return images
