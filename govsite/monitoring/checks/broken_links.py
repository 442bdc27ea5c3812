"""链接可用性 (broken links): every link of the scanned pages whose target answered ≥ 400 or not at all.

Reported per source page and target once, with `on_homepage` so that homepage and other pages are counted
separately (§9 item 16). Attachments that cannot be downloaded (附件无法下载) are said so in the detail:
办事 guides must offer downloadable forms.
"""

from __future__ import annotations

from ..contract import Link, MonitorFinding, Severity, SiteScan
from ..rules import DEFAULT_RULES, MonitorRules


def _failure(scan: SiteScan, link: Link) -> str:
    """The status or error of a broken link target, "" when it works or was not checked."""
    result = scan.link_status.get(link.target)
    if result is not None:
        status, error = result.status, result.error
    else:
        page = scan.page(link.target)  # a crawled page is a checked link too
        if page is None:
            return ""
        status, error = page.status, page.error
    if status is not None and status >= 400:
        return str(status)
    if status is None and error:
        return error
    return ""


class BrokenLinksCheck:
    name = "broken_links"

    def run(self, scan: SiteScan, rules: MonitorRules = DEFAULT_RULES) -> list[MonitorFinding]:
        homepage = scan.homepage
        home_urls = {homepage.url, homepage.final_url} if homepage else set()
        findings: list[MonitorFinding] = []
        seen: set[tuple[str, str]] = set()
        for page in scan.pages:
            for link in page.links:
                key = (link.source, link.target)
                if key in seen:
                    continue
                seen.add(key)
                status = _failure(scan, link)
                if not status:
                    continue
                on_homepage = link.source in home_urls
                what = "附件无法下载" if link.attachment else "链接无法访问"
                where = "首页" if on_homepage else "页面"
                label = f"“{link.text}”" if link.text else ""
                findings.append(
                    MonitorFinding(
                        check="broken_link",
                        severity=Severity.DEDUCTION,
                        url=link.source,
                        detail=f"{where}{what}：{label}{link.target}（{status}）",
                        target=link.target,
                        status=status,
                        on_homepage=on_homepage,
                    )
                )
        return findings


check = BrokenLinksCheck()
