"""软404 (soft 404): a page that answers 200 but says the page does not exist.

Such pages hide broken links from link checkers. Two signals: a short page whose text says 页面不存在 /
404 / 找不到该页面; and a 200 answer to a random probe URL (`/__govsite_probe_…`) if the crawler fetched one.
"""

from __future__ import annotations

import re

from ..contract import MonitorFinding, Severity, SiteScan
from ..html import is_html, visible_length, visible_text
from ..rules import DEFAULT_RULES, MonitorRules

PROBE_MARK = "/__govsite_probe_"
_NOT_FOUND_RE = re.compile(
    r"页面不存在|您访问的页面不存在|找不到(?:该|您要的|您访问的)?页面|页面(?:未找到|已删除|找不到)|"
    r"\b404\b|not\s+found",
    re.I,
)
# Real pages that merely mention "404" in a story are long; error pages are a few lines.
_MAX_ERROR_PAGE_CHARS = 600


class Soft404Check:
    name = "soft_404"
    codes = ("soft_404",)  # the finding codes it reports (core.findings)

    def run(self, scan: SiteScan, rules: MonitorRules = DEFAULT_RULES) -> list[MonitorFinding]:
        findings = []
        for page in scan.pages:
            if page.status != 200 or not is_html(page):
                continue
            if PROBE_MARK in page.url:
                detail = "不存在的地址返回了 200 状态码（应返回 404）"
                excerpt = ""
            else:
                if visible_length(page) > _MAX_ERROR_PAGE_CHARS:
                    continue
                text = visible_text(page)
                match = _NOT_FOUND_RE.search(text)
                if match is None:
                    continue
                detail = "页面提示不存在，但返回了 200 状态码（软404）"
                excerpt = text[max(0, match.start() - 15) : match.end() + 15]
            findings.append(
                MonitorFinding(
                    check="soft_404",
                    severity=Severity.WARN,
                    url=page.url,
                    detail=detail,
                    status="200",
                    on_homepage=page.is_homepage,
                    excerpt=excerpt,
                )
            )
        return findings


check = Soft404Check()
