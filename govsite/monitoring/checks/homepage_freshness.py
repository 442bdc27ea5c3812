"""首页不更新 (homepage not updated): veto when the homepage shows no new dated item for 14 days.

The newest dated list item of the homepage content counts (navigation, header and footer excluded, so a
"今天是…" date in the header does not count). Items without a date count as not updated: a homepage whose
items carry no date at all is stale. A navigation-only homepage (no list items at all) is judged by the
second-level pages of the scan (depth 1), as §2.1 says.
"""

from __future__ import annotations

from datetime import date

from ..contract import FetchedPage, MonitorFinding, Severity, SiteScan
from ..dates import newest_item_date
from ..rules import DEFAULT_RULES, MonitorRules
from ._html import content_root, is_html, is_ok, item_links, parse


def _is_navigation_only(page: FetchedPage) -> bool:
    root = parse(page.text)
    return root is None or item_links(content_root(root)) == 0


def _newest(pages: list[FetchedPage], as_of: date) -> date | None:
    dates = [newest_item_date(page.text, as_of) for page in pages if is_ok(page) and is_html(page)]
    return max((d for d in dates if d is not None), default=None)


class HomepageFreshnessCheck:
    name = "homepage_freshness"

    def run(self, scan: SiteScan, rules: MonitorRules = DEFAULT_RULES) -> list[MonitorFinding]:
        homepage = scan.homepage
        if homepage is None or not is_ok(homepage):
            return []  # the unreachable check reports it; no second veto for the same cause
        latest = newest_item_date(homepage.text, scan.as_of)
        where = "首页"
        if latest is None and _is_navigation_only(homepage):
            latest = _newest([p for p in scan.pages if p.depth == 1 and not p.is_homepage], scan.as_of)
            where = "首页为导航页，二级栏目页"
        return homepage_stale(homepage.url, latest, scan.as_of, rules, where=where)


def homepage_stale(
    url: str, latest: date | None, as_of: date, rules: MonitorRules, *, where: str = "首页"
) -> list[MonitorFinding]:
    """首页不更新 (veto) when the newest dated item `where` is older than the limit, or there is none; for
    crawled sites and for hosted sites, whose newest item is read from the database."""
    limit = rules.homepage_stale_days
    if latest is None:
        detail = f"首页不更新：{where}没有带发布日期的信息（无日期的信息视为未更新）"
    elif (as_of - latest).days > limit:
        detail = f"首页不更新：{where}最新信息发布于 {latest}，已超过 {limit} 天未更新"
    else:
        return []
    return [
        MonitorFinding(
            check="homepage_stale",
            severity=Severity.VETO,
            url=url,
            detail=detail,
            on_homepage=True,
            latest=latest.isoformat() if latest else "",
        )
    ]


check = HomepageFreshnessCheck()
