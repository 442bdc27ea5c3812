"""HTML helpers of 网站监测: parsing, page chrome, visible text, list items, URLs; shared by the crawler's
decoding, the site model (站点模型) and the checks, and so no check itself (it lives outside `checks/`).

Government pages repeat their navigation (导航), header and footer (页脚) on every page, so most checks look
at the *content* part only: `content_root` drops the page chrome before items and dates are read.
"""

from __future__ import annotations

import copy
import re
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

from .contract import FetchedPage

_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_TOKEN_SPLIT_RE = re.compile(r"[\s_\-]+")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
ATTACHMENT_RE = re.compile(r"\.(?:docx?|xlsx?|pptx?|pdf|zip|rar|7z|wps|et|ofd|txt|csv)(?:$|[?#])", re.I)

_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "head")
# class/id tokens of navigation and page chrome (tokens, so that "topnews" or "stop" are not chrome).
_NAV_TOKENS = {"nav", "navbar", "menu", "daohang", "dh", "lanmu", "column", "columns"}
_CHROME_TOKENS = _NAV_TOKENS | {
    "header", "head", "footer", "foot", "top", "topbar", "bottom", "copyright", "crumb", "breadcrumb",
    "position", "location", "banner", "logo",
}  # fmt: skip
_CHROME_PREFIXES = ("nav", "menu", "header", "footer", "foot", "copyright", "breadcrumb")


def is_html(page: FetchedPage) -> bool:
    """True for a page whose text is HTML (attachments carry extracted plain text)."""
    if page.content_type:
        return "html" in page.content_type.lower()
    head = page.text[:2000].lower()
    return "<html" in head or "<body" in head or "<div" in head


def is_ok(page: FetchedPage) -> bool:
    """A page that answered with content (2xx) and no error."""
    return not page.error and page.status is not None and 200 <= page.status < 300


class _Parsed:
    """One page's tree and what the checks derive from it, kept while a scan's checks run."""

    __slots__ = ("root", "content", "content_text")

    def __init__(self, root: lxml.html.HtmlElement | None) -> None:
        self.root = root
        self.content: lxml.html.HtmlElement | None = None
        self.content_text: str | None = None


class PageCache:
    """Parsed pages shared by the checks of one scan (`with page_cache():`, set up by `run_checks`).

    Every check reads the same pages; without this each page was parsed about four times. Trees take
    several times the memory of their source, so the most recently used trees are kept up to `max_chars`
    of source text in all (a few hundred ordinary pages): a site of ordinary size is parsed once, a huge
    one stays within bounds. Visible text is small and kept for every page.
    """

    def __init__(self, max_chars: int = 3_000_000) -> None:
        self.max_chars = max_chars
        self.chars = 0
        self.trees: OrderedDict[str, _Parsed] = OrderedDict()
        self.by_root: dict[int, _Parsed] = {}
        self.visible: dict[str, str] = {}

    def parsed(self, text: str) -> _Parsed:
        entry = self.trees.get(text)
        if entry is not None:
            self.trees.move_to_end(text)
            return entry
        entry = _Parsed(_parse(text))
        self.trees[text] = entry
        self.chars += len(text)
        if entry.root is not None:
            self.by_root[id(entry.root)] = entry
        while self.chars > self.max_chars and len(self.trees) > 1:
            old_text, old = self.trees.popitem(last=False)
            self.chars -= len(old_text)
            if old.root is not None:
                self.by_root.pop(id(old.root), None)
        return entry


_CACHE: ContextVar[PageCache | None] = ContextVar("govsite_monitor_page_cache", default=None)


@contextmanager
def page_cache(max_chars: int = 3_000_000) -> Iterator[PageCache]:
    """Share parsed pages among the checks run inside the block."""
    cache = PageCache(max_chars)
    token = _CACHE.set(cache)
    try:
        yield cache
    finally:
        _CACHE.reset(token)


_DEADLINE: ContextVar[float | None] = ContextVar("govsite_monitor_check_deadline", default=None)


@contextmanager
def check_deadline(deadline: float | None) -> Iterator[None]:
    """The scan's deadline (`time.monotonic()`) for the checks run inside the block (`engine.run_checks`)."""
    token = _DEADLINE.set(deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def out_of_time() -> bool:
    """Past the scan's deadline: a check that reads page after page stops (the engine reports 超时)."""
    deadline = _DEADLINE.get()
    return deadline is not None and time.monotonic() >= deadline


# As the crawler's: without huge_tree libxml2 drops what is nested deeper than 256 elements.
_PARSER = lxml.html.HTMLParser(huge_tree=True)


def _parse(text: str) -> lxml.html.HtmlElement | None:
    text = _XML_DECL_RE.sub("", text or "")
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def parse(text: str) -> lxml.html.HtmlElement | None:
    """The document tree, or None for text lxml cannot read (empty bodies). Treat it as read-only: inside
    `page_cache()` the same tree is handed to every check."""
    cache = _CACHE.get()
    if cache is None:
        return _parse(text)
    return cache.parsed(text).root


def _tokens(element: lxml.html.HtmlElement) -> tuple[str, ...]:
    return _class_id_tokens(element.get("class"), element.get("id"))


@lru_cache(maxsize=8192)
def _class_id_tokens(class_: str | None, id_: str | None) -> tuple[str, ...]:
    """Lower-case tokens of a class and an id (memoised: a site's pages repeat the same few values)."""
    value = f"{class_ or ''} {id_ or ''}".lower()
    return tuple(token for token in _TOKEN_SPLIT_RE.split(value) if token)


def is_nav(element: lxml.html.HtmlElement) -> bool:
    """导航: a `nav` element or one whose class/id says nav/menu/daohang."""
    if not isinstance(element.tag, str):
        return False
    if element.tag == "nav":
        return True
    return any(token in _NAV_TOKENS or token.startswith(("nav", "menu")) for token in _tokens(element))


# Elements that are page chrome by their tag alone, whatever their class or id.
CHROME_TAGS = frozenset({"nav", "header", "footer"})


def is_chrome(element: lxml.html.HtmlElement) -> bool:
    """Page chrome: navigation, header, footer, breadcrumb — repeated on every page of a site."""
    tag = element.tag
    if not isinstance(tag, str):
        return False
    return _is_chrome(tag, element.get("class"), element.get("id"))


@lru_cache(maxsize=8192)
def _is_chrome(tag: str, class_: str | None, id_: str | None) -> bool:
    """Memoised as a whole: the crawler asks for every element with a class or an id."""
    if tag in CHROME_TAGS:
        return True
    return any(
        token in _CHROME_TOKENS or token.startswith(_CHROME_PREFIXES) for token in _class_id_tokens(class_, id_)
    )


def content_root(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of the document without chrome and invisible elements (the original is left intact)."""
    cache = _CACHE.get()
    entry = cache.by_root.get(id(root)) if cache is not None else None
    if entry is not None and entry.root is root:
        if entry.content is None:
            entry.content = _content_root(root)
        return entry.content
    return _content_root(root)


_CHROME_CANDIDATES = etree.XPath(
    ".//*[@class or @id or self::nav or self::header or self::footer or self::script or self::style"
    " or self::noscript or self::template or self::head] | .//comment() | .//processing-instruction()"
)


def _content_root(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    body = root.find("body")
    tree = copy.deepcopy(body if body is not None else root)
    # Only elements with a class/id or a telling tag can be chrome: test those, not every element.
    for element in _CHROME_CANDIDATES(tree):
        if element.getparent() is None:
            continue
        if not isinstance(element.tag, str) or element.tag in _INVISIBLE_TAGS or is_chrome(element):
            element.drop_tree()
    return tree


def content_text(root: lxml.html.HtmlElement) -> str:
    """Visible text of `content_root(root)`, shared among checks inside `page_cache()`."""
    cache = _CACHE.get()
    entry = cache.by_root.get(id(root)) if cache is not None else None
    if entry is not None and entry.root is root:
        if entry.content_text is None:
            entry.content_text = text_of(content_root(root))
        return entry.content_text
    return text_of(content_root(root))


_VISIBLE_TEXT = etree.XPath(
    ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"
)


def text_of(element: lxml.html.HtmlElement) -> str:
    """Visible text of an element, whitespace collapsed."""
    return " ".join(" ".join(_VISIBLE_TEXT(element)).split())  # collapses what `\s+` matches, faster


def body_text(root: etree._Element) -> str:
    """Visible text of a parsed document's body (of the whole document when it has no body)."""
    body = root.find("body")
    return text_of(body if body is not None else root)


def visible_text(page: FetchedPage) -> str:
    """The text a reader sees: tags stripped for HTML, the extracted text as it is for attachments.

    For a page the crawler split into content and chrome, the two joined: the same words as the page
    shows, with the chrome's moved to the end (what reads it counts its length or searches short pages).
    """
    if not is_html(page):
        return page.text
    if page.content_text is not None:
        return " ".join(text for text in (page.content_text, *page.chrome_texts) if text)
    cache = _CACHE.get()
    if cache is not None and page.text in cache.visible:
        return cache.visible[page.text]
    root = parse(page.text)
    text = "" if root is None else body_text(root)
    if cache is not None:
        cache.visible[page.text] = text
    return text


def visible_length(page: FetchedPage) -> int:
    """`len(visible_text(page))`, without joining the texts of a page the crawler split (most pages are
    judged by their length first, and most are then left alone)."""
    if is_html(page) and page.content_text is not None:
        parts = [len(text) for text in (page.content_text, *page.chrome_texts) if text]
        return sum(parts) + max(0, len(parts) - 1)
    return len(visible_text(page))


def list_items(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The list items of a page's content: `li`, `tr`, `dd`, and the parent of a link outside those.

    The last covers lists written as `<div class="item"><a>标题</a><span>2026-11-20</span></div>`.
    """
    return list(iter_list_items(root))


def iter_list_items(root: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """`list_items` one at a time, in the same order (for callers that may stop early)."""
    seen: set[int] = set()
    for element in root.iter("li", "tr", "dd"):
        seen.add(id(element))
        yield element
    for link in root.iter("a"):
        if any(ancestor.tag in ("li", "tr", "dd") for ancestor in link.iterancestors()):
            continue
        parent = link.getparent()
        if parent is None or id(parent) in seen or parent is root:
            continue
        if len(text_of(parent)) <= 200:
            seen.add(id(parent))
            yield parent


def item_links(root: lxml.html.HtmlElement, min_chars: int = 5) -> int:
    """How many items carry a link with title-like text (short labels such as 更多 or 下一页 are not items)."""
    count = 0
    for item in list_items(root):
        if any(len(text_of(link)) >= min_chars for link in item.iter("a")):
            count += 1
    return count


def absolute(base: str, href: str) -> str:
    """An absolute URL without fragment, or "" for javascript:, mailto: and empty links."""
    href = (href or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return ""
    if _PLAIN_ROOTED_RE.fullmatch(href) and "//" not in href and "/." not in href:
        # `/ywdt/12.html`, the commonest link: urljoin would give the base's scheme and host and this very
        # path (no dot segments, query, fragment or parameters to resolve), only slower.
        parts = urlsplit(base)  # memoised by urllib
        if parts.scheme in ("http", "https") and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}{href}"
    return urldefrag(urljoin(base, href))[0]


# A path from the site's root with nothing urljoin changes: no `//`, no `?`, `#`, `;`, spaces or dot segments.
_PLAIN_ROOTED_RE = re.compile(r"/[A-Za-z0-9_\-.~%/]*")


@lru_cache(maxsize=16384)
def host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


@lru_cache(maxsize=16384)
def same_site(url: str, site_url: str) -> bool:
    """Same host, or a sub-domain of the site's domain (xxgk.x.gov.cn belongs to www.x.gov.cn)."""
    target, site = host(url), host(site_url)
    if not target or not site:
        return False
    base = site.removeprefix("www.")
    return target == site or target == base or target.endswith("." + base)


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


_INDEX_PAGE_RE = re.compile(r"/index\.(?:s?html?|jsp|php|aspx?)$", re.I)


@lru_cache(maxsize=65536)
def normalise_url(url: str) -> str:
    """A URL for comparison: no fragment, no trailing slash or index page (memoised: a scan compares the
    same addresses again and again)."""
    url = urldefrag(url)[0]
    url = _INDEX_PAGE_RE.sub("/", url)
    return url.rstrip("/")
