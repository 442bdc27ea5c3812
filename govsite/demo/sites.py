"""The demo's registry entries that are not hosted on the platform, served on loopback for 网站监测.

Real regions register many sites the platform does not host; the monitor must reach them too. In the demo
each running non-hosted entry is a fake government site (testing/fakesite.py) made from its registry
entry — its name, 主办单位, 网站标识码, ICP and 公安 numbers in the footer, fresh columns, an answered
mailbox — plus the defects `data.SERVED_SITE_DEFECTS` plants in it. `serve_demo_sites` starts them and
returns the host map (registered host → loopback address) that keeps the monitor on this machine.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.db.models import QuerySet

from govsite.monitoring.services import scannable_websites
from govsite.registry.models import Website
from govsite.testing.fakesite import (
    ColumnSpec,
    FakeSiteServer,
    LinkSpec,
    MailboxSpec,
    SiteSpec,
    closed_port,
)

from . import data

# (column name, path, update class, days between items, age of the newest item in days: low, high)
_COLUMNS: tuple[tuple[str, str, str, int, tuple[int, int]], ...] = (
    ("工作动态", "gzdt", "news", 3, (0, 4)),
    ("通知公告", "tzgg", "notice", 12, (2, 20)),
    ("政策文件", "zcwj", "notice", 20, (5, 40)),
    ("政策解读", "zcjd", "notice", 25, (5, 60)),
    ("人事信息", "rsxx", "plan", 45, (10, 120)),
    ("规划计划", "ghjh", "plan", 60, (20, 150)),
)
ITEMS_PER_COLUMN = 8
STALE_DAYS = 200


def served_websites() -> QuerySet[Website]:
    """Registry entries the demo serves itself: monitored (运行/整改) and not hosted on the platform."""
    return scannable_websites().filter(wagtail_site__isnull=True, site_code__startswith="99").order_by("site_code")


def host_of(website: Website) -> str:
    return (urlsplit(website.homepage_url).hostname or "").lower()


def defects_of(website: Website) -> tuple[str, ...]:
    return data.SERVED_SITE_DEFECTS.get(website.site_code, ())


def site_spec(website: Website, *, as_of: date) -> SiteSpec:
    """A fake site for one registry entry, with its planted defects; the same entry and day give the same site."""
    rng = random.Random(f"{data.DEFAULT_SEED}:served:{website.site_code}")
    defects = defects_of(website)
    columns = []
    for name, path, _update_class, step, (low, high) in _COLUMNS:
        newest = STALE_DAYS if name == "通知公告" and data.STALE_COLUMN in defects else rng.randint(low, high)
        empty = name == "政策解读" and data.BLANK_COLUMN in defects
        dates = [as_of - timedelta(days=newest + i * step + rng.randint(0, step // 2)) for i in range(ITEMS_PER_COLUMN)]
        columns.append(ColumnSpec(name, path, item_dates=dates, empty=empty, per_page=5))
    footer = {
        "主办单位": website.owner_unit.name,
        "网站标识码": website.site_code,
        "ICP备案号": website.icp_number,
        "公安机关备案号": website.police_record_number,
        "联系方式": website.contact_phone,
        "党政机关网站标识": "党政机关",
        "我为政府网站找错": "我为政府网站找错",
    }
    if data.NO_SITE_CODE in defects:
        del footer["网站标识码"]
    links = []
    if data.BROKEN_LINK in defects:
        links.append(LinkSpec(data.BROKEN_LINK_PATH, on="/", text="关于做好2019年度政务公开工作的通知"))
    mailbox = MailboxSpec(
        name="领导信箱",
        messages=[(as_of - timedelta(days=3 + 9 * i), True) for i in range(6)],
    )
    return SiteSpec(
        name=website.name,
        homepage_dates=[as_of - timedelta(days=rng.randint(0, 3) + 2 * i) for i in range(8)],
        columns=columns,
        links=links,
        footer=footer,
        leaked_id_number=data.LEAKED_ID if data.LEAKED_ID_NUMBER in defects else "",
        mailbox=mailbox,
    )


@dataclass
class ServedRegion:
    """The running fake-site server and the host map of every demo site (hosted ones at the web server)."""

    server: FakeSiteServer
    host_map: dict[str, str]

    def stop(self) -> None:
        self.server.stop()

    def write(self, path: Path) -> None:
        """Write the host map where the monitor reads it (GOVSITE_MONITOR_HOST_MAP), atomically."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.host_map, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)


def serve_demo_sites(web_address: str, *, as_of: date) -> ServedRegion:
    """Serve every non-hosted monitored demo site on loopback and map all demo hosts.

    `web_address` ("127.0.0.1:8000") is where the platform serves its hosted sites; they are reached there
    under their registered host names. A site planted as unreachable is mapped to a port nobody listens on.
    """
    server = FakeSiteServer().start()
    host_map: dict[str, str] = {}
    # Served on loopback, so the monitor may connect to them there (监测抓取安全); a demo loaded before the
    # flag existed gets it here.
    scannable_websites().filter(site_code__startswith="99", allow_private_network=False).update(
        allow_private_network=True
    )
    for website in scannable_websites().filter(wagtail_site__isnull=False, site_code__startswith="99"):
        host_map[host_of(website)] = web_address
    for website in served_websites().select_related("owner_unit"):
        if data.UNREACHABLE in defects_of(website):
            host_map[host_of(website)] = f"127.0.0.1:{closed_port()}"
            continue
        site = server.add(site_spec(website, as_of=as_of))
        host_map[host_of(website)] = f"127.0.0.1:{site.port}"
    return ServedRegion(server, host_map)
