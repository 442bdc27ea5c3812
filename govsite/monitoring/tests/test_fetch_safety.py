"""监测抓取安全 and bounded scans (issue 10 items 4 and 14): the monitor fetches only what it should, and a
hostile site can make it neither reach the machine's own services or cloud metadata, nor eat its memory.

Real HTTP servers on loopback: a hostile registered site whose pages link and redirect to another loopback
port, to 169.254.169.254, to a name that resolves to loopback, to ``[::ffff:127.0.0.1]`` and to numeric host
forms; a "victim" server on loopback that must never be asked anything; a site serving 200 pages of 4 MB.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date

import pytest
from aiohttp.abc import AbstractResolver
from django.test import override_settings

from govsite.monitoring import hostmap
from govsite.monitoring.contract import FetchedPage, Severity, SiteScan
from govsite.monitoring.crawler import SMALL_KEEP_CHARS, scan_site
from govsite.monitoring.engine import CHECK_MODULES, run_checks
from govsite.monitoring.hostmap import METADATA, PRIVATE, PUBLIC, AddressPolicy, address_kind, numeric_address
from govsite.testing.fakesite import ColumnSpec, FakeSite, LinkSpec, SiteSpec

Serve = Callable[[SiteSpec], FakeSite]
DAY = date(2026, 11, 20)
FAST = {"connect_timeout": 2, "read_timeout": 5, "total_timeout": 5, "retries": 0, "scan_timeout": 120, "as_of": DAY}
HOSTILE = "www.hostile.gov.cn"
REBIND = "intranet.hostile.gov.cn"  # a name of the hostile site's own domain, resolving to loopback


@pytest.fixture(autouse=True)
def fresh_counters() -> None:
    hostmap.DNS_LOOKUPS.clear()
    hostmap.REFUSED.clear()
    hostmap.BLOCKED.clear()


# -- which addresses ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", PRIVATE),
        ("127.8.9.10", PRIVATE),
        ("10.1.2.3", PRIVATE),
        ("172.16.0.1", PRIVATE),
        ("192.168.1.1", PRIVATE),
        ("169.254.1.1", PRIVATE),
        ("100.64.0.1", PRIVATE),  # CGNAT
        ("224.0.0.1", PRIVATE),  # multicast
        ("0.0.0.0", PRIVATE),
        ("255.255.255.255", PRIVATE),
        ("::1", PRIVATE),
        ("::", PRIVATE),
        ("fe80::1", PRIVATE),
        ("fc00::1", PRIVATE),
        ("ff02::1", PRIVATE),
        ("::ffff:127.0.0.1", PRIVATE),  # IPv4-mapped
        ("::ffff:10.0.0.1", PRIVATE),
        ("64:ff9b::7f00:1", PRIVATE),  # NAT64 of 127.0.0.1
        ("2002:7f00:1::", PRIVATE),  # 6to4 of 127.0.0.1
        ("::127.0.0.1", PRIVATE),  # IPv4-compatible
        ("169.254.169.254", METADATA),
        ("::ffff:169.254.169.254", METADATA),
        ("fd00:ec2::254", METADATA),
        ("100.100.100.200", METADATA),
        ("8.8.8.8", PUBLIC),
        ("202.96.134.133", PUBLIC),
        ("2400:3200::1", PUBLIC),
        ("::ffff:8.8.8.8", PUBLIC),
    ],
)
def test_address_kinds(address: str, kind: str) -> None:
    assert address_kind(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0251.0376.0251.0376", "169.254.169.254"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
        ("0", "0.0.0.0"),
        ("www.shifan.gov.cn", None),
        ("1.example", None),
    ],
)
def test_numeric_host_forms_are_read_as_their_address(host: str, address: str | None) -> None:
    result = numeric_address(host)
    assert (str(result) if result is not None else None) == address


def test_metadata_is_refused_even_for_an_entry_allowed_on_a_private_network() -> None:
    policy = AddressPolicy.allowing(["http://169.254.169.254/", "http://intranet.shifan.gov.cn/"])
    assert "元数据" in policy.refusal("169.254.169.254", 80, ipaddress.ip_address("169.254.169.254"))
    assert policy.refusal("intranet.shifan.gov.cn", 80, ipaddress.ip_address("10.0.0.8")) == ""
    assert policy.refusal("intranet.shifan.gov.cn", 443, ipaddress.ip_address("10.0.0.8")) == ""
    # Another port of the same host is another service: not the registered site.
    assert policy.refusal("intranet.shifan.gov.cn", 6379, ipaddress.ip_address("10.0.0.8")) != ""
    assert policy.refusal("other.shifan.gov.cn", 80, ipaddress.ip_address("10.0.0.8")) != ""
    assert AddressPolicy().refusal("www.gov.cn", 443, ipaddress.ip_address("8.8.8.8")) == ""


class ScriptedDNS(AbstractResolver):
    """A DNS server that answers each lookup of a name with the next list of addresses it was given (a
    rebinding attacker answers a public address first and loopback next)."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.asked = 0

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET) -> list:
        self.asked += 1
        addresses = self.answers.pop(0)
        return [
            {"hostname": host, "host": a, "port": port, "family": socket.AF_INET6 if ":" in a else socket.AF_INET,
             "proto": 0, "flags": 0}
            for a in addresses
        ]

    async def close(self) -> None:
        pass


def test_resolved_addresses_are_checked_and_only_the_allowed_ones_are_connected_to() -> None:
    resolver = hostmap.HostMapResolver({}, refuse_unmapped=False, policy=AddressPolicy())
    resolver._dns = ScriptedDNS(["93.184.215.14", "127.0.0.1", "169.254.169.254"], ["127.0.0.1"], ["::ffff:10.0.0.1"])

    first = asyncio.run(resolver.resolve("www.rebind.gov.cn", 80))
    # Only the public address goes to the connector, which connects to exactly what it is handed (pinned).
    assert [answer["host"] for answer in first] == ["93.184.215.14"]
    with pytest.raises(hostmap.AddressRefused):
        asyncio.run(resolver.resolve("www.rebind.gov.cn", 80))  # the rebinding answer
    with pytest.raises(hostmap.AddressRefused):
        asyncio.run(resolver.resolve("www.rebind.gov.cn", 80))
    assert resolver.blocked["www.rebind.gov.cn"] == 2


# -- a hostile site on loopback -----------------------------------------------------------------------------


def hostile_targets(victim: FakeSite) -> dict[str, str]:
    """Where the hostile site's pages link and redirect: all of them private, loopback or metadata."""
    port = victim.port
    return {
        "another_loopback_port": f"http://127.0.0.1:{port}/secret",
        "metadata": "http://169.254.169.254/latest/meta-data/",
        "metadata_v6": "http://[fd00:ec2::254]/latest/meta-data/",
        "name_resolving_to_loopback": f"http://{REBIND}/admin",
        "ipv4_mapped_ipv6": f"http://[::ffff:127.0.0.1]:{port}/v6",
        "ipv6_loopback": f"http://[::1]:{port}/v6lo",
        "decimal": f"http://2130706433:{port}/decimal",
        "hex": f"http://0x7f.1:{port}/hex",
        "octal": f"http://0177.0.0.1:{port}/octal",
        "unspecified": f"http://0.0.0.0:{port}/zero",
    }


@pytest.fixture
def hostile(serve_site: Serve) -> dict:
    victim = serve_site(SiteSpec(name="本机内部服务"))
    targets = hostile_targets(victim)
    spec = SiteSpec(
        name="恶意网站",
        homepage_dates=[DAY],
        columns=[ColumnSpec("通知公告", "tzgg", item_dates=[DAY])],
        links=[LinkSpec(url, text=f"链接{name}") for name, url in targets.items()]
        + [LinkSpec(f"/go/{name}", text=f"跳转{name}") for name in targets]
        + [LinkSpec(url, tag="img", text=name) for name, url in targets.items()],
        redirects={f"/go/{name}": url for name, url in targets.items()},
    )
    site = serve_site(spec)
    host_map = {HOSTILE: f"127.0.0.1:{site.port}", REBIND: f"127.0.0.1:{victim.port}"}
    return {"site": site, "victim": victim, "targets": targets, "host_map": host_map}


def test_a_registry_entry_without_the_flag_is_refused(hostile: dict) -> None:
    with override_settings(GOVSITE_MONITOR_HOST_MAP=hostile["host_map"], GOVSITE_MONITOR_OFFLINE=False):
        scan = scan_site(f"http://{HOSTILE}/", **FAST)
    assert scan.homepage is not None and scan.homepage.status is None
    assert scan.homepage.error == "private_address"
    assert sum(hostile["site"].hits.values()) == 0
    assert hostmap.BLOCKED[HOSTILE] >= 1 and hostmap.DNS_LOOKUPS == {}


def test_with_the_flag_the_site_is_scanned_but_nothing_private_it_points_to(hostile: dict) -> None:
    # Offline mode off: what turns these away must be the address policy, and DNS is still never asked.
    with override_settings(GOVSITE_MONITOR_HOST_MAP=hostile["host_map"], GOVSITE_MONITOR_OFFLINE=False):
        scan = scan_site(f"http://{HOSTILE}/", allow_private=True, **FAST)
    site, victim, targets = hostile["site"], hostile["victim"], hostile["targets"]
    assert scan.homepage is not None and scan.homepage.status == 200
    assert site.hits[("GET", "/tzgg/0.html")] == 1  # the site itself is crawled
    assert sum(victim.hits.values()) == 0  # nothing reached the loopback service, by any path
    linked = {t: s for t, s in scan.link_status.items() if "/go/" not in t and HOSTILE not in t}
    assert len(linked) == len(targets)
    for target, status in linked.items():
        assert (status.status, status.error) == (None, "private_address"), target
    redirected = {p.url.rsplit("/", 1)[-1]: p for p in scan.pages if "/go/" in p.url}
    assert set(redirected) == set(targets)
    for name, page in redirected.items():
        assert (page.status, page.error, page.text) == (None, "private_address", ""), name
        assert site.hits[("GET", f"/go/{name}")] == 1  # the redirect was asked for; its target was not
    assert hostmap.DNS_LOOKUPS == {}
    assert {"127.0.0.1", "169.254.169.254", REBIND} <= set(hostmap.BLOCKED)
    # Reported as links nobody can open (a reader cannot reach them either), never fetched.
    found = run_checks(scan)
    broken = {f.target for f in found if f.check == "broken_link"}
    assert set(linked) <= broken


def test_in_offline_mode_too_the_flagged_site_reaches_only_itself(hostile: dict) -> None:
    with override_settings(GOVSITE_MONITOR_HOST_MAP=hostile["host_map"], GOVSITE_MONITOR_OFFLINE=True):
        scan = scan_site(f"http://{HOSTILE}/", allow_private=True, **FAST)
    assert scan.homepage is not None and scan.homepage.status == 200
    assert sum(hostile["victim"].hits.values()) == 0
    assert all(s.status is None for t, s in scan.link_status.items() if t in hostile["targets"].values())


def test_another_entry_allowed_on_a_private_network_is_reachable_as_a_link(hostile: dict, serve_site: Serve) -> None:
    victim = hostile["victim"]
    with override_settings(GOVSITE_MONITOR_HOST_MAP=hostile["host_map"], GOVSITE_MONITOR_OFFLINE=False):
        scan = scan_site(f"http://{HOSTILE}/", allow_private=True, private_hosts=[f"http://{REBIND}/"], **FAST)
    assert scan.link_status[f"http://{REBIND}/admin"].status == 404  # checked: that entry allows it
    assert set(victim.hits) <= {("HEAD", "/admin"), ("GET", "/admin")}
    # The same service under its loopback address is still nobody's registered site.
    assert scan.link_status[hostile["targets"]["another_loopback_port"]].error == "private_address"


def test_a_redirect_off_the_site_reports_the_link_and_reads_nothing_of_the_other_site(serve_site: Serve) -> None:
    other = serve_site(SiteSpec(
        name="其他网站",
        homepage_dates=[DAY],
        columns=[ColumnSpec("通知公告", "tzgg", item_dates=[DAY])],
        leaked_id_number="11010519491231002X",
    ))
    site = serve_site(SiteSpec(
        name="本站",
        homepage_dates=[DAY],
        links=[LinkSpec("/go/away", text="跳转")],
        redirects={"/go/away": "http://www.other.gov.cn/tzgg/0.html"},
    ))
    host_map = {"www.site.gov.cn": f"127.0.0.1:{site.port}", "www.other.gov.cn": f"127.0.0.1:{other.port}"}
    with override_settings(GOVSITE_MONITOR_HOST_MAP=host_map):
        scan = scan_site("http://www.site.gov.cn/", allow_private=True, private_hosts=["http://www.other.gov.cn/"],
                         **FAST)
    [away] = [p for p in scan.pages if p.url.endswith("/go/away")]
    assert away.final_url == "http://www.other.gov.cn/tzgg/0.html"
    assert (away.status, away.error, away.text, away.links) == (200, "offsite_redirect", "", [])
    assert not any(p.url.startswith("http://www.other.gov.cn") or p.text and "其他网站" in p.text for p in scan.pages)
    # Its status was asked once; none of its pages were crawled (not the homepage, not its links).
    assert set(other.hits) == {("GET", "/tzgg/0.html")}
    found = run_checks(scan)
    assert not any(f.check == "personal_data" for f in found)  # the other site's leak is not this site's
    assert not any("www.other.gov.cn" in f.url or "其他网站" in f.excerpt for f in found)
    assert not any(f.check == "broken_link" and f.target.endswith("/go/away") for f in found)


def test_a_homepage_redirected_to_another_site_is_not_scanned_as_the_site(serve_site: Serve) -> None:
    other = serve_site(SiteSpec(name="其他网站", homepage_dates=[DAY], leaked_id_number="11010519491231002X",
                                columns=[ColumnSpec("通知公告", "tzgg", item_dates=[DAY])]))
    site = serve_site(SiteSpec(redirects={"/": "http://www.other.gov.cn/"}))
    host_map = {"www.site.gov.cn": f"127.0.0.1:{site.port}", "www.other.gov.cn": f"127.0.0.1:{other.port}"}
    with override_settings(GOVSITE_MONITOR_HOST_MAP=host_map):
        scan = scan_site("http://www.site.gov.cn/", allow_private=True, private_hosts=["http://www.other.gov.cn/"],
                         **FAST)
    assert scan.homepage is not None and scan.homepage.error == "offsite_redirect"
    assert scan.pages_fetched == 1 and set(other.hits) == {("GET", "/")}
    found = run_checks(scan)
    assert [f.check for f in found if f.severity == Severity.VETO] == []
    assert any(f.check == "cannot_judge" and "其他网站" in f.detail for f in found)


def test_a_homepage_moving_to_www_stays_the_site(serve_site: Serve) -> None:
    site = serve_site(SiteSpec(homepage_dates=[DAY], redirects={"/": "http://www.site.gov.cn/index.html"},
                               extra_pages={"/index.html": "<html><body><a href='/about.html'>关于</a></body></html>"}))
    host_map = {"site.gov.cn": f"127.0.0.1:{site.port}", "www.site.gov.cn": f"127.0.0.1:{site.port}"}
    with override_settings(GOVSITE_MONITOR_HOST_MAP=host_map):
        scan = scan_site("http://site.gov.cn/", allow_private=True, private_hosts=["http://www.site.gov.cn/"],
                         **FAST)
    assert scan.homepage is not None and (scan.homepage.status, scan.homepage.error) == (200, "")
    assert site.hits[("GET", "/about.html")] == 1


@pytest.mark.django_db
def test_the_availability_probe_follows_no_redirect_to_a_private_address(mini_region, hostile) -> None:  # noqa: ANN001
    website = mini_region.site_a
    website.homepage_url = f"http://{HOSTILE}/go/another_loopback_port"
    website.allow_private_network = True
    with override_settings(GOVSITE_MONITOR_HOST_MAP=hostile["host_map"], GOVSITE_MONITOR_OFFLINE=False):
        from govsite.monitoring.services import do_probe_website

        probe = do_probe_website(website, timeout=10)
        website.allow_private_network = False
        refused = do_probe_website(website, timeout=10)
    assert not probe.ok and probe.error == "private_address"
    assert hostile["site"].hits[("GET", "/go/another_loopback_port")] == 1
    assert not refused.ok and refused.error == "private_address"
    assert hostile["site"].hits[("GET", "/go/another_loopback_port")] == 1  # the second never connected
    assert sum(hostile["victim"].hits.values()) == 0


# -- memory and time --------------------------------------------------------------------------------------------

MEMORY_CEILING_MB = 600
_CHILD = """
import json, os, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))  # a backstop: a runaway scan fails, not the machine
os.environ["DJANGO_SETTINGS_MODULE"] = "govsite.settings.test"
import django
django.setup()
from govsite.monitoring.crawler import scan_site
from govsite.monitoring.engine import run_checks
scan = scan_site(sys.argv[1], allow_private=True, max_pages=250, retries=0, read_timeout=30, total_timeout=60)
findings = run_checks(scan)
# VmHWM, this address space's own peak; ru_maxrss would carry over the (larger) pytest process's peak
# from before the exec.
with open("/proc/self/status") as status:
    peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({
    "maxrss_mb": peak_kb // 1024,
    "pages": scan.pages_fetched,
    "too_large": sum(p.error == "too_large" for p in scan.pages),
    "parsed": sum(bool(p.text) for p in scan.pages if "/big/" in p.url),
    "checks": sorted({f.check for f in findings}),
}))
"""


@pytest.mark.slow
def test_memory_stays_bounded_on_200_pages_of_4_mb(serve_site: Serve) -> None:
    """The scan runs in its own process, whose peak resident memory is read at the end: 200 pages of 4 MB
    (chunked, no Content-Length) took 2.7 GB before pages over the cap were left unread (页面过大)."""
    site = serve_site(SiteSpec(homepage_dates=[DAY], big_pages=200, big_page_bytes=4 * 1024 * 1024))
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="govsite.settings.test")
    child = subprocess.run([sys.executable, "-c", _CHILD, site.url + "/"], env=env, capture_output=True, text=True,
                           timeout=900)
    assert child.returncode == 0, child.stderr[-3000:]
    result = json.loads(child.stdout.strip().splitlines()[-1])
    assert result["pages"] >= 201
    assert result["too_large"] == 200 and result["parsed"] == 0
    assert "page_too_large" in result["checks"]
    assert result["maxrss_mb"] < MEMORY_CEILING_MB, result


def test_what_pages_keep_is_capped_per_page_and_per_scan(serve_site: Serve) -> None:
    """Pages under the byte cap are parsed, but each keeps at most its caps and the scan as a whole at most
    `max_kept_chars` (then SMALL_KEEP_CHARS a text): memory does not grow with max_pages."""
    site = serve_site(SiteSpec(homepage_dates=[DAY], big_pages=30, big_page_bytes=300_000))
    caps = {"max_text_chars": 100_000, "max_content_chars": 50_000, "max_kept_chars": 1_000_000}
    scan = scan_site(site.url + "/", allow_private=True, **FAST, **caps)
    big = [p for p in scan.pages if "/big/" in p.url]
    assert len(big) == 30 and all(p.error == "" and p.status == 200 for p in big)
    assert all(len(p.text) <= 100_000 and len(p.content_text or "") <= 50_000 for p in big)
    kept = sum(len(p.text) + len(p.content_text or "") + sum(map(len, p.chrome_texts)) for p in scan.pages)
    assert kept <= 1_000_000 + 150_000 + 3 * SMALL_KEEP_CHARS * len(scan.pages)
    assert sum(len(p.text) <= SMALL_KEEP_CHARS for p in big) >= 20  # the later pages kept only a little
    assert all(p.links for p in big)  # links are still read from the whole page


def test_checks_count_toward_the_scan_time_limit() -> None:
    page = FetchedPage(url="http://127.0.0.1/", final_url="http://127.0.0.1/", status=200,
                       content_type="text/html", text="<html><body><p>公民身份号码 11010519491231002X</p></body></html>",
                       is_homepage=True)
    scan = SiteScan(site_url="http://127.0.0.1/", as_of=DAY, pages=[page])
    assert any(f.check == "personal_data" for f in run_checks(scan)) and scan.complete

    scan.deadline = time.monotonic() - 1  # the crawl used up the scan's time
    found = run_checks(scan)
    assert [f.check for f in found] == ["checks_timeout"]
    assert found[0].status == "超时" and "内容正确性" in found[0].detail and "首页更新" in found[0].detail
    assert not scan.complete


def test_a_check_reading_page_after_page_stops_at_the_deadline() -> None:
    pages = [
        FetchedPage(url=f"http://127.0.0.1/{i}.html", final_url=f"http://127.0.0.1/{i}.html", status=200,
                    content_type="text/html", text=f"<html><body><p>第{i}页 公民身份号码 11010519491231002X</p></body></html>")
        for i in range(3)
    ]
    scan = SiteScan(site_url="http://127.0.0.1/", as_of=DAY, pages=pages)
    from govsite.monitoring import html as _html
    from govsite.monitoring.checks.content import check as content

    with _html.check_deadline(time.monotonic() - 1):
        assert content.run(scan) == []
    assert len(CHECK_MODULES) == len(set(CHECK_MODULES))


@pytest.mark.django_db
def test_a_run_records_the_checks_it_had_no_time_for(mini_region) -> None:  # noqa: ANN001
    from govsite.monitoring.models import ScanRun
    from govsite.monitoring.services import record_run

    page = FetchedPage(url="http://127.0.0.1/", final_url="http://127.0.0.1/", status=200,
                       content_type="text/html", text="<html><body>首页</body></html>", is_homepage=True)
    scan = SiteScan(site_url="http://127.0.0.1/", as_of=DAY, pages=[page], deadline=time.monotonic() - 1)
    run = record_run(ScanRun.objects.create(website=mini_region.site_a, as_of=DAY), scan, run_checks(scan))
    run.refresh_from_db()
    assert run.complete is False
    assert list(run.findings.values_list("check_name", "status")) == [("checks_timeout", "超时")]
