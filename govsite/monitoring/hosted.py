"""Monitoring of sites hosted on the platform (平台托管网站): freshness from the database and 防篡改 (tamper) checks.

For a hosted site the platform knows exactly what was published, so:

- 栏目不更新 / 空白栏目 / 首页不更新 are read from the page tree (`ColumnPage.latest_published_at()` and
  `update_class`), with the same thresholds and finding names as the crawl checks (stale_column,
  blank_column, homepage_stale, column_veto); they replace the crawl-derived ones (`merge_findings`).
- 篡改检测 (national rules §9 item 22): every crawled page whose path is a live page of the site is rendered
  in-process by the platform and compared with what the public URL served. Links and scripts served but not
  published are 暗链 (`tampered_link`) and 挂马 (`injected_script`); text that differs materially is
  defacement (`content_tampered`). All three are veto items (单项否决), with the served evidence.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from difflib import SequenceMatcher
from html import unescape as html_unescape
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import lxml.html
from django.test import Client
from django.utils import timezone
from django.utils.html import strip_tags
from lxml import etree

from .checks.columns import Column, ColumnsCheck
from .checks.homepage_freshness import homepage_stale
from .contract import MonitorFinding, Severity, SiteScan
from .rules import DEFAULT_RULES, INTERACTION, NEWS, NOTICE, PLAN, SPECIAL, UPDATE_CLASS_LABELS, MonitorRules
from .sitemodel import PLACEHOLDER_RE, is_placeholder_text

if TYPE_CHECKING:
    from wagtail.models import Page, Site

    from govsite.registry.models import Website


# The finding codes the database checks report (each in the registry, govsite.core.findings).
CODES: tuple[str, ...] = ("stale_column", "blank_column", "tampered_link", "injected_script", "content_tampered")
# Crawl findings that the database answers exactly for a hosted site.
REPLACED_BY_HOSTED = frozenset({"stale_column", "blank_column", "homepage_stale", "column_veto", "cannot_judge"})
# Columns that list dated items: having none at all is a 空白栏目. An 互动 column (征集调查, 在线访谈) with
# nothing ever published is as blank to a reader as an empty news column; the crawled check says so too.
LIST_CLASSES = frozenset({NEWS, NOTICE, PLAN, SPECIAL, INTERACTION})
# Visible text at least this similar (difflib ratio) counts as the same page.
TEXT_SIMILARITY_MIN = 0.9
# Texts are compared up to this length: a defacement shows long before, and SequenceMatcher is quadratic.
TEXT_COMPARE_CHARS = 20_000
EXCERPT_CHARS = 300
# Characters (letters, digits, CJK; placeholders not counted) of a column's own text that make it a one-page
# information column (机构概况, 领导简介) rather than an empty one.
ONE_PAGE_TEXT_MIN_CHARS = 20
_LINK_TAGS = (("a", "href"), ("iframe", "src"), ("frame", "src"), ("area", "href"))


def hosted_findings(
    website: Website, scan: SiteScan, as_of: date | None = None, rules: MonitorRules = DEFAULT_RULES
) -> list[MonitorFinding]:
    """Findings only the platform can make for a hosted site: DB freshness and tamper detection."""
    as_of = as_of or scan.as_of
    return freshness_findings(website, as_of, rules) + tamper_findings(website, scan)


def merge_findings(crawled: list[MonitorFinding], hosted: list[MonitorFinding]) -> list[MonitorFinding]:
    """The crawl findings without the freshness ones the database replaces, then the hosted findings."""
    return [f for f in crawled if f.check not in REPLACED_BY_HOSTED] + hosted


# -- freshness from the page tree ----------------------------------------------------------------------


def page_path(page: Page, site: Site) -> str:
    """The public path of a page relative to its site root (`/news/`), as the public URL serves it."""
    root_path = site.root_page.url_path
    return "/" + page.url_path[len(root_path) :] if page.url_path.startswith(root_path) else page.url_path


def _public_url(website: Website, page: Page) -> str:
    return urljoin(website.homepage_url, page_path(page, website.wagtail_site))


def _local_date(value) -> date | None:  # noqa: ANN001 — an aware datetime or None
    return timezone.localtime(value).date() if value is not None else None


def _end_of(as_of: date) -> datetime:
    """The last moment of the day ``as_of`` in local time: publication times after it are in the future
    (a stored 2099 date proves nothing about an update and must not make a column fresh)."""
    return timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min)) - timedelta(microseconds=1)


def freshness_findings(
    website: Website, as_of: date, rules: MonitorRules = DEFAULT_RULES
) -> list[MonitorFinding]:
    """栏目不更新, 空白栏目 and 首页不更新 of a hosted site, from what is published (live and public)."""
    from govsite.content.models import ColumnPage

    site = website.wagtail_site
    if site is None:
        return []
    home = site.root_page
    findings: list[MonitorFinding] = []
    stale: list[Column] = []
    blank: list[str] = []
    columns = ColumnPage.objects.descendant_of(home).live().public().order_by("path")
    up_to = _end_of(as_of)
    for column in columns:
        url = _public_url(website, column)
        # 一级栏目: a child of the home page; a column under a column is a sub-column (veto (1) counts only
        # first-level 通知公告/政策文件 columns, national rules §2.2).
        source = "nav" if column.depth == home.depth + 1 else "sub"
        latest = _local_date(column.latest_published_at(as_of=up_to))
        if latest is None and column.has_future_dated_articles(as_of=up_to):
            limit = rules.update_class_limits.get(column.update_class)
            if limit is not None:
                stale.append(Column(column.title, url, column.update_class, source=source))
                label = UPDATE_CLASS_LABELS.get(column.update_class, column.update_class)
                findings.append(
                    MonitorFinding(
                        check="stale_column",
                        severity=Severity.DEDUCTION,
                        url=url,
                        detail=f"栏目不更新：{label}类栏目“{column.title}”只有发布时间晚于检测日的信息，不计为更新",
                        column=column.title,
                    )
                )
            continue
        if latest is None:
            # A column that shows only a placeholder (栏目正文 or 栏目说明 saying 暂无信息, 正在建设中 …) is blank
            # whatever its class; a one-page column (机构概况, 政府信息公开指南, 制度) whose own text is its
            # content is neither blank nor stale.
            shown = _shown_text(column)
            if shown == ShownText.TEXT:
                continue
            if shown == ShownText.PLACEHOLDER or (column.update_class in LIST_CLASSES and not column.has_content()):
                blank.append(column.title)
                findings.append(
                    MonitorFinding(
                        check="blank_column",
                        severity=Severity.DEDUCTION,
                        url=url,
                        detail=f"空白栏目：栏目“{column.title}”没有内容",
                        column=column.title,
                    )
                )
            continue
        limit = rules.update_class_limits.get(column.update_class)
        if limit is None or (as_of - latest).days <= limit:
            continue
        stale.append(Column(column.title, url, column.update_class, source=source))
        label = UPDATE_CLASS_LABELS.get(column.update_class, column.update_class)
        findings.append(
            MonitorFinding(
                check="stale_column",
                severity=Severity.DEDUCTION,
                url=url,
                detail=f"栏目不更新：{label}类栏目“{column.title}”最新信息发布于 {latest}，超过 {limit} 天未更新",
                column=column.title,
                latest=latest.isoformat(),
            )
        )
    scan = SiteScan(site_url=website.homepage_url, as_of=as_of)
    findings.extend(ColumnsCheck()._vetoes(scan, rules, stale, blank))  # noqa: SLF001 — same veto rules
    findings.extend(_homepage_freshness(website, home, as_of, rules))
    return findings


class ShownText:
    """What a hosted column without items shows of its own: nothing, only a placeholder, or real text."""

    NONE = "none"
    PLACEHOLDER = "placeholder"
    TEXT = "text"


def _plain(value: str) -> str:
    return " ".join(html_unescape(strip_tags(value or "")).split())


def _shown_text(column) -> str:  # noqa: ANN001 — a ColumnPage
    """Whether a column without items shows real text (a one-page column), only a placeholder, or nothing.

    Its own text is the 栏目正文 (body); without one, the 栏目说明 (description) is what its page shows. A
    column with published items or a sub-column with real text is not judged by its own text here."""
    from govsite.content.models import ColumnPage

    body = _plain(str(column.body))
    text = body or _plain(column.description)
    if body and _real_chars(body) >= ONE_PAGE_TEXT_MIN_CHARS:
        return ShownText.TEXT
    if text and is_placeholder_text(text):
        if column.latest_articles().exists():
            return ShownText.NONE
        below = ColumnPage.objects.descendant_of(column).live().public().exclude(body="")
        if any(_real_chars(_plain(str(c.body))) >= ONE_PAGE_TEXT_MIN_CHARS for c in below):
            return ShownText.NONE
        return ShownText.PLACEHOLDER
    return ShownText.NONE


def _real_chars(text: str) -> int:
    return sum(1 for ch in PLACEHOLDER_RE.sub("", text) if ch.isalnum())


def _homepage_freshness(website: Website, home: Page, as_of: date, rules: MonitorRules) -> list[MonitorFinding]:
    """首页不更新: the newest article of the columns the homepage shows."""
    from govsite.content.models import ColumnPage

    shown = ColumnPage.objects.child_of(home).live().public().filter(show_on_homepage=True)
    up_to = _end_of(as_of)
    latest = max((d for d in (_local_date(c.latest_published_at(as_of=up_to)) for c in shown) if d), default=None)
    return homepage_stale(website.homepage_url, latest, as_of, rules)


# -- tamper detection (篡改检测) --------------------------------------------------------------------------


@dataclass
class PageContent:
    """What a page shows: its visible text, link targets (with anchor text) and scripts (src or inline hash)."""

    text: str = ""
    links: dict[str, str] = field(default_factory=dict)  # absolute target → anchor text
    scripts: dict[str, str] = field(default_factory=dict)  # absolute src or "inline:<hash>" → evidence


def _collapse(value: str) -> str:
    return " ".join(value.split())


def page_content(html: str, base_url: str) -> PageContent:
    """Visible text, link targets and scripts of an HTML page; relative URLs resolved against `base_url`."""
    content = PageContent()
    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return content
    for tag, attribute in _LINK_TAGS:
        for element in root.iter(tag):
            href = (element.get(attribute) or "").strip()
            if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
                continue
            target = urljoin(base_url, href).split("#", 1)[0]
            content.links.setdefault(target, _collapse(element.text_content())[:200])
    for element in root.iter("script"):
        src = (element.get("src") or "").strip()
        if src:
            content.scripts.setdefault(urljoin(base_url, src), etree.tostring(element, encoding="unicode")[:200])
        else:
            code = _collapse(element.text or "")
            if code:
                digest = hashlib.sha256(code.encode()).hexdigest()[:16]
                content.scripts.setdefault(f"inline:{digest}", code[:EXCERPT_CHARS])
    for element in root.iter("script", "style", "noscript", "template"):
        element.drop_tree()
    for comment in root.iter(etree.Comment):
        comment.drop_tree()
    content.text = _collapse(root.text_content())
    return content


def _published_pages(site: Site) -> dict[str, Page]:
    """Live, public pages of a hosted site by their public path."""
    from wagtail.models import Page

    pages = Page.objects.descendant_of(site.root_page, inclusive=True).live().public()
    return {page_path(page, site): page for page in pages}


def render_published(site: Site, path: str, query: str = "") -> str | None:
    """The platform's own rendering of a path of a hosted site (in-process); None when it does not render."""
    client = Client()
    try:
        response = client.get(
            f"{path}?{query}" if query else path,
            HTTP_HOST=site.hostname,
            secure=site.port == 443,
        )
    except Exception:  # noqa: BLE001 — one page that fails to render must not stop the site's scan
        return None
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return None
    charset = response.charset or "utf-8"
    return response.content.decode(charset, errors="replace")


def _normal_path(path: str) -> str:
    if path.endswith(("/index.html", "/index.htm")):
        path = path.rsplit("/", 1)[0] + "/"
    return path if path.endswith("/") else path + "/"


def tamper_findings(website: Website, scan: SiteScan) -> list[MonitorFinding]:
    """篡改检测: compare each crawled page of the hosted site with the platform's rendering of it."""
    site = website.wagtail_site
    if site is None:
        return []
    published = _published_pages(site)
    host = urlsplit(scan.site_url).netloc.lower()
    findings: list[MonitorFinding] = []
    seen: set[str] = set()
    for fetched in scan.pages:
        if fetched.status is None or not 200 <= fetched.status < 300 or "html" not in fetched.content_type:
            continue
        served_url = fetched.final_url or fetched.url
        parts = urlsplit(served_url)
        if parts.netloc.lower() != host:
            continue
        path = _normal_path(parts.path or "/")
        key = f"{path}?{parts.query}"
        if path not in published or key in seen:
            continue
        seen.add(key)
        expected_html = render_published(site, path, parts.query)
        if expected_html is None:
            continue
        findings.extend(compare_page(served_url, fetched.text, expected_html, on_homepage=fetched.is_homepage))
    return findings


def compare_page(url: str, served_html: str, expected_html: str, *, on_homepage: bool = False) -> list[MonitorFinding]:
    """Findings for one page: links and scripts served but not published, and materially different text."""
    served = page_content(served_html, url)
    expected = page_content(expected_html, url)
    findings: list[MonitorFinding] = []
    for target, text in served.links.items():
        if target not in expected.links:
            findings.append(
                MonitorFinding(
                    check="tampered_link",
                    severity=Severity.VETO,
                    url=url,
                    target=target,
                    on_homepage=on_homepage,
                    detail="页面被篡改（暗链）：公开访问的页面含有平台未发布的链接",
                    excerpt=f"{text} → {target}"[:EXCERPT_CHARS],
                )
            )
    for key, evidence in served.scripts.items():
        if key not in expected.scripts:
            findings.append(
                MonitorFinding(
                    check="injected_script",
                    severity=Severity.VETO,
                    url=url,
                    target="" if key.startswith("inline:") else key,
                    on_homepage=on_homepage,
                    detail="页面被篡改（挂马）：公开访问的页面含有平台未发布的脚本",
                    excerpt=evidence,
                )
            )
    if served.text != expected.text:
        a, b = expected.text[:TEXT_COMPARE_CHARS], served.text[:TEXT_COMPARE_CHARS]
        ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
        if ratio < TEXT_SIMILARITY_MIN:
            findings.append(
                MonitorFinding(
                    check="content_tampered",
                    severity=Severity.VETO,
                    url=url,
                    on_homepage=on_homepage,
                    status=f"similarity={ratio:.2f}",
                    detail=f"页面被篡改：公开访问的页面文字与平台发布的内容不一致（相似度 {ratio:.0%}）",
                    excerpt=_first_difference(a, b),
                )
            )
    return findings


def _first_difference(expected: str, served: str) -> str:
    """The served text around the first place it departs from the published text (evidence)."""
    matcher = SequenceMatcher(None, expected, served, autojunk=False)
    for op, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if op in ("replace", "insert"):
            return served[max(0, j1 - 20) : min(len(served), j2 + 20)][:EXCERPT_CHARS]
    return served[:EXCERPT_CHARS]
