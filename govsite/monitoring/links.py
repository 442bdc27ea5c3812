"""链接 addresses for the 网站监测 crawler: normalised URLs, extensions, 附件, and a memoised resolver.

Fetching (redirect targets), decoding (the links of a page) and crawling (which links to follow) all need
the same answer to "what URL is this, and is it an attachment"; this module gives it once.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

ATTACHMENT_EXTENSIONS = frozenset(
    {
        ".doc",
        ".docx",
        ".xls",
        ".xlsx",
        ".pdf",
        ".zip",
        ".rar",
        ".7z",
        ".wps",
        ".et",
        ".txt",
        ".csv",
        ".ppt",
        ".pptx",
    }
)
# Internal links that are never HTML pages: checked as links, not crawled.
STATIC_EXTENSIONS = frozenset(
    {
        ".jpg",
        ".jpeg",
        ".png",
        ".gif",
        ".bmp",
        ".webp",
        ".svg",
        ".ico",
        ".css",
        ".js",
        ".mp3",
        ".mp4",
        ".avi",
        ".flv",
        ".swf",
        ".woff",
        ".woff2",
        ".ttf",
        ".eot",
        ".xml",
        ".json",
    }
)


def normalise_url(href: str, base: str) -> str | None:
    """Absolute URL for de-duplication: resolved, lower-case scheme and host, no default port, no fragment.

    None for what is not an http(s) link (mailto:, javascript:, tel:, data:) or cannot be parsed.
    """
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    try:
        parts = urlsplit(urljoin(base, href))
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            return None
        host = parts.hostname.lower()
        port = parts.port
    except ValueError:
        return None
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, parts.query, ""))



@lru_cache(maxsize=65_536)
def url_extension(url: str) -> str:
    """The extension of the URL path's last segment, lower-case with its dot ('' for none)."""
    path = urlsplit(url).path.lower()
    last = path.rsplit("/", 1)[-1]
    return "." + last.rsplit(".", 1)[-1] if "." in last else ""


def is_attachment(url: str) -> bool:
    """附件: judged by the extension of the URL path."""
    return url_extension(url) in ATTACHMENT_EXTENSIONS


class LinkResolver:
    """`normalise_url` for every link of one page, memoised across pages.

    What a relative link resolves to depends on only part of the page URL: nothing for an absolute link,
    the origin for `/path` and `//host`, the directory for `a/b.html`, the whole URL for `?q`. Keying the
    memo by that part lets the navigation, header and footer links that every page of a site repeats be
    resolved once per site instead of once per page — the crawler's hottest path.
    """

    _MAX = 100_000

    def __init__(self) -> None:
        self.absolute: dict[str, tuple[str, str] | None] = {}
        self.memos: dict[str, dict[str, tuple[str, str] | None]] = {}
        self.origins: dict[str, tuple[str, str]] = {}  # origin as written → (normalised origin, host[:port])
        self.size = 0

    def page(self, base: str) -> tuple[Any, ...]:
        """What resolving the links of a page at `base` needs: the memos of the three contexts a relative
        link can depend on (origin, directory, whole URL), `base`, and the normalised origin, directory and
        host[:port] for the fast path."""
        scheme, sep, rest = base.partition("://")
        netloc, slash, tail = rest.partition("/")
        if sep and slash and not any(c in netloc for c in "?#@\\") and not any(c.isspace() for c in base):
            path = "/" + tail.split("?", 1)[0].split("#", 1)[0]  # a plain URL, as the crawler's are
        else:
            parts = urlsplit(base)
            scheme, netloc, path = parts.scheme, parts.netloc, parts.path
        origin = f"{scheme}://{netloc}"
        directory = origin + path.rsplit("/", 1)[0] + "/"
        normal = self.origins.get(origin)
        if normal is None:
            target = normalise_url("/", origin + "/") or origin + "/"
            normal = self.origins[origin] = (target[:-1], urlsplit(target).netloc)
        memos = self.memos
        return (
            memos.setdefault(origin, {}),
            memos.setdefault(directory, {}),
            memos.setdefault("?" + base, {}),
            base,
            normal[0],
            normal[0] + (path or "/").rsplit("/", 1)[0] + "/",
            normal[1],
        )

    def resolve(self, href: str, page: tuple[Any, ...]) -> tuple[str, str] | None:
        """(normalised URL, its host[:port]) or None, as `normalise_url(href, base)` would give."""
        first = href[:1]
        if first == "/":
            memo = page[0]
        elif first in ("h", "H") and href[:8].lower().startswith(("http://", "https://")):
            memo = self.absolute
        elif first and first not in ("?", "#") and not first.isspace():
            memo = page[1]
        else:
            memo = page[2]
        value = memo.get(href, _MISSING)
        if value is _MISSING:
            value = self._fast(href, memo, page)
            if value is _MISSING:
                target = normalise_url(href, page[3])
                value = (target, urlsplit(target).netloc) if target is not None else None
            memo[href] = value
            self.size += 1
            if self.size >= self._MAX:  # a huge site: start afresh rather than grow without bound
                self.absolute, self.memos, self.size = {}, {}, 0
        return value

    @staticmethod
    def _fast(href: str, memo: dict, page: tuple[Any, ...]) -> tuple[str, str] | Any:
        """A plain path link (`/a/b.html?x`, `b.html`) joined by string operations; _MISSING for anything
        urljoin must see: `//host`, dot segments, a colon in a relative link, spaces, controls, backslashes."""
        if _UNPLAIN.search(href) or href[-1:].isspace():
            return _MISSING
        if memo is page[0] and not href.startswith("//"):
            return (page[4] + href.split("#", 1)[0], page[6])
        if memo is page[1] and ":" not in href:
            return (page[5] + href.split("#", 1)[0], page[6])
        return _MISSING


# What keeps a link off the string-join fast path (see LinkResolver._fast).
_UNPLAIN = re.compile(r"[\x00-\x20\\]|(?:^|/)\.\.?(?:[/?#]|$)")
_MISSING: Any = object()
