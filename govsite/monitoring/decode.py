"""解码 decoding for the 网站监测 crawler: a fetched body into text, 链接 and the text the checks read.

`decode_body` finds a page's charset (BOM, HTTP header, `<meta>`, then utf-8, gb18030 and detection:
Chinese sites often declare utf-8 and serve GBK); `read_html_page` parses a page once into its links
(a, img, script, link, iframe, frame, area; hidden ones flagged as a 暗链 signal) and its visible text,
split into content and chrome (导航, 页头, 页脚); `script_pagination` adds the pages a TRS listing writes by
script; `attachment_text` pulls the text out of an 附件 through the shared file-text extractor.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from .contract import Link
from .html import CHROME_TAGS, is_chrome
from .links import LinkResolver, is_attachment, normalise_url

LINK_ATTRIBUTES = (
    ("a", "href"),
    ("img", "src"),
    ("script", "src"),
    ("link", "href"),
    ("iframe", "src"),
    ("frame", "src"),
    ("area", "href"),
)
HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_LINK_TEXT = 200

_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.0+)?(?:px|pt|em|rem|%)?\s*(?:;|$|!)",
    re.I,
)
_ABSOLUTE = re.compile(r"position\s*:\s*absolute", re.I)
_NEGATIVE_OFFSET = re.compile(r"(?:left|top|right|bottom|text-indent)\s*:\s*-(\d+)", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# A link hidden by an off-screen offset of at least this many pixels (暗链 are typically at -9999px).
OFFSCREEN_PX = 500


_CREATE_PAGE_RE = re.compile(
    r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([\w.-]+)[\"']\s*,\s*[\"'](\w+)[\"']"
)
MAX_SCRIPT_PAGES = 10_000


def script_pagination(html: str, page_url: str, site_hosts: set[str]) -> list[Link]:
    """分页 written by script: TRS WCM listings call `createPageHTML(总页数, 当前页, "index", "html")`, which
    writes links to index.html, index_1.html … index_{n-1}.html. Those pages exist although no `<a>` is in
    the HTML, so they are links of the page (checked and crawled like the rest)."""
    if "createPageHTML" not in html:
        return []
    links: list[Link] = []
    for match in _CREATE_PAGE_RE.finditer(html):
        count, stem, ext = min(int(match.group(1)), MAX_SCRIPT_PAGES), match.group(3), match.group(4)
        for n in range(1, count):
            target = normalise_url(f"{stem}_{n}.{ext}", page_url)
            if target is not None:
                internal = urlsplit(target).netloc in site_hosts
                links.append(Link(source=page_url, target=target, tag="a", text=f"第{n + 1}页", internal=internal))
    return links


def _style_hides(style: str) -> bool:
    if _HIDDEN_STYLE.search(style):
        return True
    if _ABSOLUTE.search(style):
        return any(int(m.group(1)) >= OFFSCREEN_PX for m in _NEGATIVE_OFFSET.finditer(style))
    return any(
        m.group(0).lower().startswith("text-indent") and int(m.group(1)) >= OFFSCREEN_PX
        for m in _NEGATIVE_OFFSET.finditer(style)
    )


def _marked_elements(root: Any) -> tuple[set[Any], list[Any]]:
    """What the crawler reads off attributes, in one pass over the elements: the link elements inside an
    element styled out of sight (display:none, off-screen … — 暗链 signal), and the body's elements that
    `is_chrome` recognises (导航, 页头, 页脚 …), in document order.

    One Python pass over the elements: an XPath with attribute predicates costs several times more here.
    """
    hidden: set[Any] = set()
    chrome: list[Any] = []
    body = root.find("body")
    in_body = body is None
    for element in root.iter(etree.Element):
        if element is body:
            in_body = True
            continue
        names = element.keys()  # most elements have no attributes, and most others only href or src
        if "style" in names or "hidden" in names:
            style = element.get("style")
            if element.get("hidden") is not None or (style and _style_hides(style)):
                hidden.update(element.iter(*_LINK_TAGS))
        if in_body and ("class" in names or "id" in names or element.tag in CHROME_TAGS) and is_chrome(element):
            chrome.append(element)
    return hidden, chrome


_LINK_TAGS = tuple(dict.fromkeys(tag for tag, _ in LINK_ATTRIBUTES))
_SRC_TAGS = frozenset({"img", "script", "iframe", "frame"})


def extract_links(
    html: str, page_url: str, site_hosts: set[str], resolver: LinkResolver | None = None
) -> list[Link]:
    """链接 of a page from a[href], img[src], script[src], link[href], iframe/frame[src], area[href].

    Tolerant of broken markup; `<base href>` is honoured; each link is flagged internal (same host as the
    site), attachment (by extension) and hidden (the element or an ancestor is styled out of sight — 暗链).
    Pass one `resolver` for all pages of a crawl to share its memo.
    """
    root = _parse_html(html)
    if root is None:
        return []
    hidden, _chrome = _marked_elements(root)
    return _links_of(root, page_url, site_hosts, resolver or LinkResolver(), hidden)


# lxml.html's parser without its element-class lookup: the crawler needs no HtmlElement methods, and the
# lookup is a Python call for every element the crawler touches.
# huge_tree: libxml2 otherwise drops everything nested deeper than 256 elements, which would let a page
# hide links and text from the monitor (2048 with it; the page-size cap bounds the rest).
_PARSER = etree.HTMLParser(huge_tree=True)


# For a body already known to be clean UTF-8: parsed as it came, with any declared charset overridden.
_UTF8_PARSER = etree.HTMLParser(huge_tree=True, encoding="utf-8")


def _parse_html(html: str | bytes) -> Any:
    """The tree of a page, None for one lxml cannot read. Bytes must be clean UTF-8 (the caller decoded
    them): libxml2 then reads them as they are instead of Python's text converted back to UTF-8."""
    if isinstance(html, bytes):
        parser = _UTF8_PARSER
    else:
        html = _XML_DECLARATION.sub("", html, count=1)
        parser = _PARSER
    if not html.strip():
        return None
    try:
        return etree.fromstring(html, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


@dataclass(slots=True)
class PageText:
    """The text of an HTML page as the checks read it, split into the page's own content and its chrome
    (导航, 页头, 页脚 …), which repeats on every page of a site and so need be checked once. Together they
    are the page's visible text: the same words, with the chrome's moved to the end."""

    content: str
    chrome: tuple[str, ...]


def read_html_page(
    html: str | bytes, page_url: str, site_hosts: set[str], resolver: LinkResolver | None = None
) -> tuple[list[Link], PageText]:
    """(links, text) of a page from one parse: the checks then need not parse it again for text. `html` as
    text, or as bytes known to be clean UTF-8."""
    root = _parse_html(html)
    if root is None:
        return [], PageText("", ())
    hidden, chrome = _marked_elements(root)
    links = _links_of(root, page_url, site_hosts, resolver or LinkResolver(), hidden)
    return links, _page_text(root, chrome)


# Text nodes as plain strings (lxml's default "smart" strings each keep a reference to their parent).
_TEXT_NODES = etree.XPath(".//text()", smart_strings=False)


def _page_text(root: Any, chrome_candidates: list[Any]) -> PageText:
    """The page's visible text split into content and chrome, reading each text node once.

    This tree is the crawler's own and done with, so invisible elements are emptied first, then each
    outermost chrome element's text is taken and the element emptied, and what is left is the content;
    emptied rather than removed, so that the text on either side stays two pieces, as it is there.
    """
    body = root.find("body")
    body = body if body is not None else root
    for element in list(body.iter("script", "style", "noscript", "template")):
        element.clear(keep_tail=True)
    texts = []
    taken: set[Any] = set()
    for element in chrome_candidates:
        if not _outermost(element, body, taken):
            continue
        taken.add(element)
        text = _joined(_TEXT_NODES(element))
        if text:
            texts.append(text)
        element.clear(keep_tail=True)
    return PageText(_joined(_TEXT_NODES(body)), tuple(texts))


def _outermost(element: Any, body: Any, taken: set[Any]) -> bool:
    """Still inside `body` (not in an invisible element emptied before) and inside none of `taken`."""
    for ancestor in element.iterancestors():
        if ancestor is body:
            return True
        if ancestor in taken:
            return False
    return False


def _joined(pieces: Iterable[str]) -> str:
    """Pieces of text joined by one space, whitespace runs collapsed (split/join: several times faster than
    a regex on long CJK text; the same whitespace as `\\s`)."""
    return " ".join(" ".join(pieces).split())


def _links_of(root: Any, page_url: str, site_hosts: set[str], resolver: LinkResolver, hidden: set[Any]) -> list[Link]:
    base = page_url
    base_el = root.find(".//base[@href]")
    if base_el is not None:
        base = normalise_url(base_el.get("href", ""), page_url) or page_url
    contexts = resolver.page(base)
    resolve = resolver.resolve
    links: list[Link] = []
    seen: set[tuple[str, str]] = set()
    for el in root.iter(*_LINK_TAGS):
        tag = el.tag
        href = el.get("src") if tag in _SRC_TAGS else el.get("href")
        if not href:
            continue
        resolved = resolve(href, contexts)
        if resolved is None:
            continue
        target, netloc = resolved
        if (tag, target) in seen:
            continue
        internal = netloc in site_hosts
        if internal and tag == "a" and "nofollow" in (el.get("rel") or "").lower().split():
            # The site asks not to follow it (a catalogue's filter combinations, 目录筛选): a crawl through
            # every combination would fetch the same items thousands of times. Outside links are kept (暗链).
            continue
        seen.add((tag, target))
        if tag == "a":
            text = el.text if len(el) == 0 else "".join(el.itertext())  # most anchors are plain text
            text = (text or "").strip() or el.get("title") or el.get("alt") or ""
        elif tag == "area":
            text = el.get("title") or el.get("alt") or ""
        else:
            text = el.get("alt") or el.get("title") or ""
        links.append(
            Link(
                page_url,
                target,
                tag,
                _label(text) if text else "",
                internal,
                is_attachment(target),
                el in hidden,
            )
        )
    return links


@lru_cache(maxsize=65_536)
def _label(text: str) -> str:
    """Link text with whitespace collapsed, at most MAX_LINK_TEXT characters (navigation labels repeat)."""
    return " ".join(text.split())[:MAX_LINK_TEXT]


_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "x-gbk", "gb_2312-80", "csgb2312", "euc-cn", "hz-gb-2312"}


def _codec(name: str) -> str | None:
    """A Python codec for a declared charset; the GB family reads as gb18030 (their superset)."""
    name = (name or "").strip().strip("\"'").lower()
    if not name:
        return None
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return "gb18030" if codec in {"gbk", "gb2312"} else codec


def decode_body(body: bytes, header_charset: str = "") -> tuple[str, str, str]:
    """Decode a page: BOM, HTTP charset, `<meta>` charset, utf-8, gb18030, then charset_normalizer.

    Returns (text, encoding, error). A declared charset that does not fit the bytes is skipped, because
    Chinese sites often declare utf-8 and serve GBK. Nothing decodes cleanly → replacement characters
    and error `decode_error` only when they make up a noticeable share of the text.
    """
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", "replace"), "utf-8", ""
    meta = _META_CHARSET.search(body[:4096])
    candidates = [
        _codec(header_charset),
        _codec(meta.group(1).decode("ascii", "ignore")) if meta else None,
        "utf-8",
        "gb18030",
    ]
    tried: list[str] = []
    for codec in candidates:
        if not codec or codec in tried:
            continue
        tried.append(codec)
        try:
            return body.decode(codec), codec, ""
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        import charset_normalizer

        best = charset_normalizer.from_bytes(body[:200_000]).best()
        if best is not None and best.encoding:
            codec = _codec(best.encoding) or best.encoding
            return body.decode(codec, "replace"), codec, ""
    except Exception:  # noqa: BLE001 — detection is a best effort; fall back to replacement
        pass
    fallback = tried[0] if tried else "utf-8"
    text = body.decode(fallback, "replace")
    share = text.count("\ufffd") / max(1, len(text))
    return text, fallback, "decode_error" if share > 0.05 else ""


def attachment_text(data: bytes, url: str, max_bytes: int) -> str | None:
    """Text of an 附件 via the shared file-text extractor; None when it cannot be read (old .doc …)."""
    try:
        # Lazily: the extractor's parsers (python-docx, openpyxl, pypdf …) load only when an attachment comes.
        from govsite.core.filetext import FileCheckError, extract
    except Exception:  # noqa: BLE001 — no extractor available (e.g. a stand-alone benchmark)
        return None
    filename = urlsplit(url).path.rsplit("/", 1)[-1] or "attachment"
    try:
        segments = extract(data, filename=filename, max_bytes=max_bytes)
    except FileCheckError:
        return None
    except Exception:  # noqa: BLE001 — third-party parsers raise anything on hostile files
        return None
    return "\n".join(s.text for s in segments)
