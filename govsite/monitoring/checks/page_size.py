"""页面过大 (page too large): pages whose body went over the crawler's byte cap.

The crawler stops reading such a body at the cap and parses nothing of it (error `too_large`), which keeps a
scan's memory bounded whatever a site serves; this check says which pages were left unread, so that what
the other checks could not see is on the record. One finding for the site, listing every such page.
"""

from __future__ import annotations

from ..contract import MonitorFinding, Severity, SiteScan
from ..rules import DEFAULT_RULES, MonitorRules


class PageSizeCheck:
    name = "page_size"
    codes = ("page_too_large",)  # the finding codes it reports (core.findings)

    def run(self, scan: SiteScan, rules: MonitorRules = DEFAULT_RULES) -> list[MonitorFinding]:
        pages = [p for p in scan.pages if p.error == "too_large"]
        if not pages:
            return []
        homepage = any(p.is_homepage for p in pages)
        where = "（含首页）" if homepage else ""
        return [
            MonitorFinding(
                check="page_too_large",
                severity=Severity.WARN,
                url=pages[0].url,
                detail=f"页面过大：{len(pages)} 个页面{where}超过抓取大小上限，未读取全文，未作内容检查",
                status="too_large",
                on_homepage=homepage,
                pages=tuple(p.url for p in pages),
            )
        ]


check = PageSizeCheck()
