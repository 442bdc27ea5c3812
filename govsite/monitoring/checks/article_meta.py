"""文章页元数据 (article page `<meta>` tags, §9 item 7): SiteName, SiteDomain, SiteIDCode, ColumnName,
ArticleTitle, PubDate. Names are compared case-insensitively, a tag with empty content counts as missing;
one warning per page lists what is missing.

An article page (文章页) is recognised by its URL (…/art/…, t20261120_123.html, content_123.html, detail…)
or, failing that, by its content: a text of at least 300 characters, a date, and not a list (fewer than
five dated items).
"""

from __future__ import annotations

import re

from ..contract import FetchedPage, MonitorFinding, Severity, SiteScan
from ..dates import dates_in, has_dated_items
from ..html import content_text, is_html, is_ok, parse, visible_length
from ..rules import DEFAULT_RULES, MonitorRules

REQUIRED_META: tuple[str, ...] = (
    "SiteName",
    "SiteDomain",
    "SiteIDCode",
    "ColumnName",
    "ArticleTitle",
    "PubDate",
)
_ARTICLE_URL_RE = re.compile(
    r"/art/|/t\d{8}_\d+\.s?html?|/content_\d+|/\d{6}/t\d+|/(?:detail|article|show|view)[/_.\-?]",
    re.I,
)
_MIN_ARTICLE_CHARS = 300
_MAX_LIST_ITEMS = 5


def is_article(page: FetchedPage, as_of) -> bool:
    """文章页: by URL pattern, or a long dated text that is not a list."""
    if page.is_homepage:
        return False
    if _ARTICLE_URL_RE.search(page.final_url or page.url):
        return True
    # The content is part of the visible text: a short page cannot be an article, whatever its chrome.
    if visible_length(page) < _MIN_ARTICLE_CHARS:
        return False
    if page.content_text is not None:
        text = page.content_text  # the crawler split off the chrome already
    else:
        root = parse(page.text)
        if root is None:
            return False
        text = content_text(root)
    return (
        len(text) >= _MIN_ARTICLE_CHARS
        and bool(dates_in(text, as_of))
        and not has_dated_items(page.text, as_of, _MAX_LIST_ITEMS)
    )


class ArticleMetaCheck:
    name = "article_meta"
    codes = ("missing_meta_tag",)  # the finding codes it reports (core.findings)

    def run(self, scan: SiteScan, rules: MonitorRules = DEFAULT_RULES) -> list[MonitorFinding]:
        findings = []
        for page in scan.pages:
            if not (is_ok(page) and is_html(page)) or not is_article(page, scan.as_of):
                continue
            root = parse(page.text)
            if root is None:
                continue
            present = {
                (meta.get("name") or "").strip().lower()
                for meta in root.iter("meta")
                if (meta.get("content") or "").strip()
            }
            missing = [name for name in REQUIRED_META if name.lower() not in present]
            if missing:
                findings.append(
                    MonitorFinding(
                        check="missing_meta_tag",
                        severity=Severity.WARN,
                        url=page.url,
                        detail=f"文章页缺少元数据：{'、'.join(missing)}",
                    )
                )
        return findings


check = ArticleMetaCheck()
