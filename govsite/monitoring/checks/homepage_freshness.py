"""首页不更新 (homepage not updated): veto when the homepage shows no new dated item for 14 days.

Judged on the site model (`sitemodel.site_model`): the newest dated item of the homepage's content
(navigation, header and footer excluded, so a "今天是…" date in the header does not count; `<time datetime>`
read first). Items without a date count as not updated: a homepage whose items carry no date at all is
stale. A navigation-only homepage (no items at all) is judged by the second-level pages of the scan
(depth 1), as §2.1 says; when none of those could be fetched the evidence cannot support a veto, and the
verdict is 无法判定 with the reason (a warning), never a veto.
"""

from __future__ import annotations

from datetime import date

from ..contract import MonitorFinding, Severity, SiteScan
from ..html import is_html, is_ok, parse
from ..rules import DEFAULT_RULES, MonitorRules
from ..sitemodel import content_of, read_items, site_model


class HomepageFreshnessCheck:
    name = "homepage_freshness"
    codes = ("homepage_stale", "cannot_judge")  # the finding codes it reports (core.findings)

    def run(self, scan: SiteScan, rules: MonitorRules = DEFAULT_RULES) -> list[MonitorFinding]:
        model = site_model(scan, rules.footer_sample_pages)
        homepage = model.homepage
        if homepage is None or not is_ok(homepage):
            return []  # the unreachable check reports it; no second veto for the same cause
        if model.homepage_has_items:
            return homepage_stale(homepage.url, model.homepage_latest, scan.as_of, rules)
        second = [p for p in model.second_level if is_ok(p) and is_html(p)]
        if not second:
            tried = len(model.second_level)
            reason = (
                f"首页为导航页，其 {tried} 个二级页面均未能抓取" if tried else "首页为导航页，未抓取到任何二级页面"
            )
            return [cannot_judge(homepage.url, f"首页不更新无法判定：{reason}，无法据此判断首页更新情况")]
        latest = max((d for d in (_newest(p, scan.as_of) for p in second) if d is not None), default=None)
        return homepage_stale(homepage.url, latest, scan.as_of, rules, where="首页为导航页，二级栏目页")


def _newest(page, as_of: date) -> date | None:  # noqa: ANN001
    root = parse(page.text)
    if root is None:
        return None
    items = read_items(content_of(root), page.final_url or page.url, as_of)
    return max((i.date for i in items if i.date is not None), default=None)


def cannot_judge(url: str, detail: str, *, column: str = "", on_homepage: bool = True) -> MonitorFinding:
    """无法判定: the evidence of the scan cannot support a verdict; a warning that says why, never a veto."""
    return MonitorFinding(
        check="cannot_judge",
        severity=Severity.WARN,
        url=url,
        detail=detail,
        on_homepage=on_homepage,
        column=column,
        status="无法判定",
    )


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
