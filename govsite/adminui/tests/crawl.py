"""Reads an admin page the way a user sees it and lists the English left in it (test helper)."""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html

# Latin words a Chinese admin may show: names, standards and file formats, not sentences.
ALLOWED_WORDS = {
    "govsite", "url", "urls", "api", "id", "excel", "icp", "pdf", "xlsx", "xls", "csv", "docx", "doc", "html",
    "http", "https", "json", "ip", "ipv", "ipv6", "dns", "openapi", "svg", "png", "jpg", "jpeg", "gif",
    "webp", "zip", "txt", "wps", "et", "rtf", "www", "gov", "cn", "email", "e-mail", "utc", "tls", "ssl", "cms",
    "kb", "mb", "gb", "am", "pm", "ok", "js", "javascript", "ie", "seo", "rss", "ico", "avif", "heic",
    # key caps of keyboard shortcuts, and a language named in itself so that its readers find it
    "esc", "ctrl", "shift", "alt", "cmd", "enter", "tab", "english",
    "utf", "tsv",
    "yyyy-mm-dd", "yyyy", "mm", "dd", "hh", "ss",  # date format notation in help texts
    # the keywords of the 词库 import format (处理方式 block / warn), typed by users into their files
    "block", "warn",
}
# Attributes whose text a user reads or hears.
TEXT_ATTRIBUTES = ("placeholder", "title", "aria-label", "aria-description", "alt", "data-w-tooltip-content-value")
# kbd: key caps of shortcuts; iframe: its text is a fallback no browser shows
SKIP_TAGS = {"script", "style", "textarea", "code", "pre", "kbd", "iframe"}
JSON_TEXT_KEYS = {"label", "title", "text", "help_text", "helpText", "placeholder", "heading", "description"}
WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*[A-Za-z]|[A-Za-z]")
# Data, not interface: addresses, paths, identifiers, e-mail, dates and codes.
DATA = re.compile(
    r"\S+@\S+|[a-z]+://\S+|(?<!\w)/[\w./%?=&-]*|[\w-]+(?:\.[\w-]+)+|[\w-]*[_\d][\w-]*|%\(\w+\)s|\{\w+\}"
)


@dataclass
class Finding:
    url: str
    where: str
    text: str
    words: list[str]


def latin_words(text: str, allowed: set[str]) -> list[str]:
    """The words of text that are English interface text: Latin words not allowed and not data."""
    stripped = DATA.sub(" ", text)
    return [word for word in WORD.findall(stripped) if word.lower() not in allowed]


def _json_texts(value: object) -> Iterable[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in JSON_TEXT_KEYS and isinstance(item, str):
                yield item
            else:
                yield from _json_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_texts(item)


def _unseen(element) -> bool:  # noqa: ANN001
    """Text nobody sees: skipped tags and elements with the hidden attribute."""
    return isinstance(element.tag, str) and (element.tag.lower() in SKIP_TAGS or element.get("hidden") is not None)


def page_texts(html: str) -> Iterable[tuple[str, str]]:
    """(where, text) for every piece of text a user of the page sees or hears."""
    root = lxml.html.fromstring(html)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "script":
            if (element.get("type") or "") == "application/json" and element.text:
                try:
                    data = json.loads(element.text)
                except ValueError:
                    continue
                for text in _json_texts(data):
                    yield f"script#{element.get('id', '')}", text
            continue
        for attribute in TEXT_ATTRIBUTES:
            if element.get(attribute):
                yield f"{tag}[{attribute}]", element.get(attribute)
        if tag == "input" and (element.get("type") or "").lower() in {"submit", "button", "reset"}:
            if element.get("value"):
                yield f"{tag}[value]", element.get("value")
        if _unseen(element) or any(_unseen(ancestor) for ancestor in element.iterancestors()):
            continue
        for text in (element.text, *(child.tail for child in element)):
            if text and text.strip():
                yield tag, " ".join(text.split())


def english_in(url: str, html: str, allowed: set[str]) -> list[Finding]:
    findings = []
    title = " ".join((lxml.html.fromstring(html).findtext(".//title") or "").split())
    if not title or title.startswith("-"):
        findings.append(Finding(url, "title", title, ["（页面标题为空）"]))
    for where, text in page_texts(html):
        if words := latin_words(text, allowed):
            findings.append(Finding(url, where, text[:160], words))
    return findings


def _json_urls(value: object) -> Iterable[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "url" and isinstance(item, str):
                yield item
            else:
                yield from _json_urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_urls(item)


def links(url: str, html: str) -> list[str]:
    """Same-site admin links of a page, including the sidebar menu's (rendered from JSON by JavaScript)."""
    root = lxml.html.fromstring(html)
    found = []
    hrefs = list(root.xpath("//a/@href"))
    for script in root.xpath('//script[@type="application/json"]'):
        try:
            hrefs.extend(_json_urls(json.loads(script.text or "null")))
        except ValueError:
            continue
    for href in hrefs:
        target = urlsplit(urljoin(url, href))
        if target.netloc in ("", "testserver") and target.path.startswith("/admin/"):
            found.append(target.path)
    return found


def pattern(path: str) -> str:
    """Pages that differ only by object ids share one pattern; one of each is enough to read."""
    return re.sub(r"/\d+(?=/)", "/<id>", path)


@dataclass
class Crawl:
    visited: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    seen_texts: set[tuple[str, str]] = field(default_factory=set)


def crawl(
    get: Callable[[str], tuple[int, str, str]],
    start: Iterable[str],
    allowed: set[str],
    skip: Callable[[str], bool],
    max_pages: int,
) -> Crawl:
    """Breadth-first over same-site /admin/ links, one page per pattern, at most max_pages pages."""
    result = Crawl()
    queue = deque(start)
    seen_patterns: set[str] = set()
    while queue and len(result.visited) < max_pages:
        path = queue.popleft()
        if pattern(path) in seen_patterns or skip(path):
            continue
        seen_patterns.add(pattern(path))
        status, content_type, html = get(path)
        if status != 200 or "text/html" not in content_type:
            continue
        result.visited.append(path)
        for finding in english_in(path, html, allowed):
            if (finding.where, finding.text) not in result.seen_texts:
                result.seen_texts.add((finding.where, finding.text))
                result.findings.append(finding)
        queue.extend(links(path, html))
    return result
