"""网站监测 crawler: fetch one government website into a `SiteScan` for the monitoring checks.

`crawl_site` fetches the homepage (首页), walks internal HTML pages breadth-first within page and depth
limits, extracts every 链接 (a, img, script, link, iframe, frame, area), flags hidden ones (暗链 signal),
checks each distinct target once (HEAD, then GET) and pulls the text out of internal 附件 so the checks can
read them. Sites are untrusted and often broken: every failure becomes data on the scan (an error name on
the page or link status), never an exception, and every request and the whole scan are time-bounded.
"""

from __future__ import annotations

import asyncio
import codecs
import re
import socket
import ssl
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import aiohttp
from lxml import etree

from .checks._html import CHROME_TAGS, is_chrome
from .contract import FetchedPage, Link, LinkStatus, SiteScan
from .hostmap import AddressPolicy, AddressRefused, monitor_connector

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
# Tags whose target may be a page of the site (followed by the crawl); the rest are resources.
PAGE_TAGS = frozenset({"a", "iframe", "frame", "area"})
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

# Memory bounds (item 14 of issue 10: 200 pages of 4 MB took 2.7 GB). A page body over MAX_PAGE_BYTES is not
# read further nor parsed (页面过大, error `too_large`); what a parsed page keeps is capped per page, and all
# pages of a scan together keep at most MAX_KEPT_CHARS, after which a page keeps only SMALL_KEEP_CHARS of each.
MAX_PAGE_BYTES = 2_000_000
MAX_ATTACHMENT_BYTES = 5_000_000
MAX_TEXT_CHARS = 500_000  # the page's source, which the checks parse again
MAX_CONTENT_CHARS = 200_000  # its visible text (the content check reads 200,000 characters at most)
MAX_KEPT_CHARS = 40_000_000
SMALL_KEEP_CHARS = 20_000
MAX_PAGE_LINKS = 5_000
MAX_LINK_TEXT = 200
LINK_CHECK_READ = 1024

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


@dataclass
class CrawlOptions:
    """Limits of one crawl; the defaults suit a county portal of a few hundred pages."""

    max_pages: int = 200
    max_depth: int | None = None  # None: the whole site up to max_pages (pagination never counts as depth)
    check_links: bool = True
    per_host_concurrency: int = 4
    per_host_rate: float | None = None
    connect_timeout: float = 5
    read_timeout: float = 10
    total_timeout: float = 15
    max_page_bytes: int = MAX_PAGE_BYTES
    max_attachment_bytes: int = MAX_ATTACHMENT_BYTES
    max_redirects: int = 10
    retries: int = 2
    backoff: float = 0.5
    user_agent: str = "GovSite-Monitor/0.1"
    scan_timeout: float = 600
    max_attachments: int = 20
    max_links: int = 5000
    max_text_chars: int = MAX_TEXT_CHARS
    max_content_chars: int = MAX_CONTENT_CHARS
    max_kept_chars: int = MAX_KEPT_CHARS
    max_page_links: int = MAX_PAGE_LINKS
    max_connections: int = 32
    # 监测抓取安全: the site's own host may be on a private network (its registry entry allows it), and so may
    # these other registered homepages; everything else private, loopback or metadata is refused.
    allow_private: bool = False
    private_hosts: tuple[str, ...] = ()


@dataclass
class _Response:
    """What one fetch produced, before it becomes a FetchedPage or a LinkStatus."""

    url: str
    final_url: str = ""
    status: int | None = None
    error: str = ""
    content_type: str = ""
    charset: str = ""
    body: bytes = b""
    elapsed: float = 0.0
    tls_expires_at: datetime | None = None
    offsite: bool = False  # the last redirect left the site: status only, body not read


class _HostLimiter:
    """Per-host politeness: at most N requests in flight and, optionally, at most R request starts a second."""

    def __init__(self, concurrency: int, rate: float | None) -> None:
        self.semaphore = asyncio.Semaphore(max(1, concurrency))
        self.interval = 1.0 / rate if rate else 0.0
        self.next_start = 0.0
        self.lock = asyncio.Lock()

    async def __aenter__(self) -> None:
        await self.semaphore.acquire()
        if self.interval:
            async with self.lock:
                now = time.monotonic()
                wait = self.next_start - now
                self.next_start = max(now, self.next_start) + self.interval
            if wait > 0:
                await asyncio.sleep(wait)

    async def __aexit__(self, *exc: object) -> None:
        self.semaphore.release()


class _RetryableStatus(Exception):
    pass


@dataclass
class _Crawl:
    """State of one site crawl; methods do the fetching, `scan` collects the results."""

    scan: SiteScan
    options: CrawlOptions
    session: aiohttp.ClientSession
    site_hosts: set[str] = field(default_factory=set)
    limiters: dict[str, _HostLimiter] = field(default_factory=dict)
    seen_pages: set[str] = field(default_factory=set)
    resolver: _Resolver = field(default_factory=lambda: _Resolver())
    chrome_pool: dict[str, str] = field(default_factory=dict)
    kept_chars: int = 0  # characters of text the scan's pages keep, for `max_kept_chars`
    # Caps the whole scan: a page with links to hundreds of external hosts must not open hundreds of sockets.
    overall: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(32))

    # -- fetching --------------------------------------------------------------------------------------

    def limiter(self, url: str) -> _HostLimiter:
        # URLs here are normalised (scheme://host[:port]/path…): the host is the text up to the next slash.
        host = url.partition("://")[2].split("/", 1)[0]
        if host not in self.limiters:
            self.limiters[host] = _HostLimiter(self.options.per_host_concurrency, self.options.per_host_rate)
        return self.limiters[host]

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        max_bytes: int | None = None,
        want_cert: bool = False,
        cap: int | None = None,
        site_only: bool = False,
        home: bool = False,
    ) -> _Response:
        """Fetch with manual redirects, retries for connect errors and 5xx; never raises.

        `max_bytes` reads at most that much of a link probe's body (no error when there is more); a page or
        attachment is read up to `cap` (default `max_page_bytes`) and is `too_large` beyond it. With
        `site_only`, a response that redirected off the site is its status only: its body is not read.
        """
        opts = self.options
        result = _Response(url=url)
        started = time.monotonic()
        for attempt in range(opts.retries + 1):
            try:
                async with self.limiter(url), self.overall, asyncio.timeout(opts.total_timeout):
                    result = await self._fetch_once(url, method, max_bytes, want_cert, cap, site_only, home)
                if result.status is not None and result.status >= 500:
                    raise _RetryableStatus
            except _RetryableStatus:
                pass
            except TimeoutError:
                result = _Response(url=url, error="timeout")
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 — a hostile server can raise anything; it is data
                result = _Response(url=url, error=error_name(exc))
            retryable = result.error in {"connect_error", "dns_error"} or (result.status or 0) >= 500
            if not retryable or attempt == opts.retries:
                break
            await asyncio.sleep(opts.backoff * 2**attempt)
        result.elapsed = time.monotonic() - started
        return result

    async def _fetch_once(
        self,
        url: str,
        method: str,
        max_bytes: int | None,
        want_cert: bool,
        cap: int | None = None,
        site_only: bool = False,
        home: bool = False,
    ) -> _Response:
        opts = self.options
        limit = (opts.max_page_bytes if cap is None else cap) if max_bytes is None else max_bytes
        timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=opts.connect_timeout, sock_read=opts.read_timeout
        )
        visited = [url]
        current = url
        while True:
            async with self.session.request(method, current, allow_redirects=False, timeout=timeout) as resp:
                if resp.status in (301, 302, 303, 307, 308) and "Location" in resp.headers:
                    target = normalise_url(resp.headers["Location"], current)
                    if target is None:
                        return _Response(
                            url=url, final_url=current, status=resp.status, error="protocol_error"
                        )
                    if target in visited:
                        return _Response(url=url, final_url=target, status=resp.status, error="redirect_loop")
                    if len(visited) > opts.max_redirects:
                        return _Response(
                            url=url, final_url=target, status=resp.status, error="too_many_redirects"
                        )
                    visited.append(target)
                    current = target
                    if resp.status == 303:
                        method = "GET"
                    continue
                result = _Response(
                    url=url,
                    final_url=current,
                    status=resp.status,
                    content_type=resp.content_type or "",
                    charset=resp.charset or "",
                )
                if want_cert and current.startswith("https:") and resp.connection is not None:
                    result.tls_expires_at = _cert_expiry(resp.connection.transport)
                if site_only and not self.is_own(urlsplit(current).netloc, home=home):
                    # Redirected off the site: the link's status is reported, the foreign page is not read.
                    result.offsite = True
                    return result
                if method == "HEAD" or limit <= 0:
                    return result
                if resp.content_length is not None and resp.content_length > limit and max_bytes is None:
                    resp.close()  # drop the connection rather than drain a body we will not read
                    result.error = "too_large"
                    return result
                body = bytearray()
                async for chunk in resp.content.iter_chunked(64 * 1024):
                    body += chunk
                    if len(body) > limit:
                        resp.close()
                        if max_bytes is None:  # a page or attachment over the cap, not a link probe
                            result.error = "too_large"
                            return result
                        break
                result.body = bytes(body)
                return result

    def is_own(self, netloc: str, *, home: bool = False) -> bool:
        """A host of the site; for the homepage also a move within the site's domain (to or from www., to
        another name under it), which makes that host the site's too."""
        if netloc in self.site_hosts:
            return True
        return home and any(_moves_within_site(host, netloc) for host in self.site_hosts)

    def keep(self, text: str, cap: int) -> str:
        """`text` cut to `cap` characters, or to SMALL_KEEP_CHARS once the scan has kept `max_kept_chars`."""
        if self.kept_chars >= self.options.max_kept_chars:
            cap = min(cap, SMALL_KEEP_CHARS)
        kept = text[:cap]
        self.kept_chars += len(kept)
        return kept

    # -- crawling --------------------------------------------------------------------------------------

    async def run(self) -> None:
        opts = self.options
        home = normalise_url(self.scan.site_url, self.scan.site_url) or self.scan.site_url
        self.site_hosts.add(urlsplit(home).netloc)
        self.seen_pages.add(home)
        # Pages waiting per depth, shallowest first. Pagination (下一页, index_1.html, page_2.html) of a
        # column listing stays at its listing's depth: a column paginated over 500 pages is one level deep.
        levels: dict[int, list[str]] = {0: [home]}
        first = True
        while self.scan.pages_fetched < opts.max_pages:
            depth = min((d for d, urls in levels.items() if urls), default=None)
            if depth is None:
                break
            budget = opts.max_pages - self.scan.pages_fetched
            frontier = levels.pop(depth)
            batch, rest = frontier[:budget], frontier[budget:]
            if rest:
                levels[depth] = rest
            pages = await asyncio.gather(*(self.fetch_page(u, depth, home=first) for u in batch))
            if first:
                # Columns the registry lists are fetched first, whether or not a link leads to them.
                for hint in self.scan.columns.values():
                    target = normalise_url(str(hint.get("url") or ""), home)
                    if target is not None and target not in self.seen_pages:
                        self.seen_pages.add(target)
                        levels.setdefault(1, []).append(target)
            for page in pages:
                self.scan.pages.append(page)
                self.scan.pages_fetched += 1
                follow = opts.max_depth is None or depth < opts.max_depth
                for link in page.links:
                    if not self._is_page_candidate(link) or link.target in self.seen_pages:
                        continue
                    if depth > 0 and is_pagination(link):
                        self.seen_pages.add(link.target)
                        levels.setdefault(depth, []).append(link.target)
                    elif follow:
                        self.seen_pages.add(link.target)
                        levels.setdefault(depth + 1, []).append(link.target)
            first = False
        await self.fetch_attachments()
        if opts.check_links:
            await self.check_links()

    def _is_page_candidate(self, link: Link) -> bool:
        if not link.internal or link.attachment or link.tag not in PAGE_TAGS:
            return False
        return _extension(link.target) not in STATIC_EXTENSIONS

    async def fetch_page(self, url: str, depth: int, *, home: bool = False) -> FetchedPage:
        is_home = home
        response = await self.fetch(url, want_cert=is_home, site_only=True, home=is_home)
        page = FetchedPage(
            url=url,
            final_url=response.final_url or url,
            status=response.status,
            error=response.error,
            content_type=response.content_type,
            depth=depth,
            is_homepage=is_home,
            elapsed=response.elapsed,
            fetched_at=datetime.now(UTC),
            tls_expires_at=response.tls_expires_at,
        )
        if response.offsite:
            page.error = "offsite_redirect"  # reported as a link that works, never crawled as the site
            return page
        if is_home and response.final_url:
            # A homepage that redirects to www. or https: moves the site; its links are still internal.
            self.site_hosts.add(urlsplit(response.final_url).netloc)
        if response.body and (not response.content_type or response.content_type in HTML_TYPES):
            text, encoding, error = decode_body(response.body, response.charset)
            page.encoding = encoding
            page.error = page.error or error
            source: str | bytes = text
            if encoding == "utf-8" and "\ufffd" not in text and not response.body.startswith(codecs.BOM_UTF8):
                # Decoded cleanly: the parser may read the bytes as they came. Not otherwise: what libxml2
                # makes of invalid UTF-8 has changed between its versions; Python's replacement has not.
                source = response.body
            links, texts = read_html_page(source, page.final_url, self.site_hosts, self.resolver)
            del source, response  # the body is done with: only what is kept below stays
            links.extend(script_pagination(text, page.final_url, self.site_hosts))
            page.links = _capped_links(links, self.options.max_page_links)
            page.text = self.keep(text, self.options.max_text_chars)
            del text
            cap = self.options.max_content_chars
            page.content_text = self.keep(texts.content, cap)
            page.chrome_texts = self._pooled_chrome(texts.chrome, cap)
        elif response.body and response.content_type.startswith("text/"):
            text, encoding, error = decode_body(response.body, response.charset)
            page.text, page.encoding = self.keep(text, self.options.max_text_chars), encoding
        return page

    def _pooled_chrome(self, texts: tuple[str, ...], cap: int) -> tuple[str, ...]:
        """The chrome texts of a page, `cap` characters in all; the same header and footer on every page is
        one string in memory for all of them (charged once)."""
        kept: list[str] = []
        room = cap
        for text in texts:
            if room <= 0:
                break
            key = text[:room]
            pooled = self.chrome_pool.get(key)
            if pooled is None:
                pooled = self.chrome_pool[key] = self.keep(key, room)
            kept.append(pooled)
            room -= len(pooled)
        return tuple(kept)

    def _all_links(self) -> dict[str, Link]:
        targets: dict[str, Link] = {}
        for page in self.scan.pages:
            for link in page.links:
                targets.setdefault(link.target, link)
        return targets

    async def fetch_attachments(self) -> None:
        """Download internal 附件 (capped in number and size) and keep their text for the checks."""
        targets = [link for link in self._all_links().values() if link.internal and link.attachment]
        targets = targets[: self.options.max_attachments]
        if not targets:
            return
        depth_of = {p.url: p.depth for p in self.scan.pages}

        async def one(link: Link) -> None:
            response = await self.fetch(link.target, cap=self.options.max_attachment_bytes, site_only=True)
            self.scan.link_status[link.target] = LinkStatus(link.target, response.status, response.error)
            self.scan.links_checked += 1
            if response.offsite or response.error or response.status != 200 or not response.body:
                return
            body, response.body = response.body, b""
            text = await asyncio.to_thread(_attachment_text, body, link.target, self.options.max_attachment_bytes)
            del body
            if text is None:
                return
            self.scan.pages.append(
                FetchedPage(
                    url=link.target,
                    final_url=response.final_url,
                    status=response.status,
                    content_type=response.content_type,
                    encoding="",
                    text=self.keep(text, self.options.max_text_chars),
                    depth=depth_of.get(link.source, 0) + 1,
                    elapsed=response.elapsed,
                    fetched_at=datetime.now(UTC),
                )
            )

        await asyncio.gather(*(one(link) for link in targets))

    async def check_links(self) -> None:
        """Check every distinct link target once; targets already fetched as pages reuse that result."""
        for page in self.scan.pages:
            for url in {page.url, page.final_url}:
                if (
                    url
                    and url not in self.scan.link_status
                    and not page.content_type.startswith("application/")
                ):
                    # A page that decoded badly was still reachable: not a broken link.
                    error = "" if page.error == "decode_error" else page.error
                    self.scan.link_status[url] = LinkStatus(url, page.status, error)
        pending = [t for t in self._all_links() if t not in self.scan.link_status][: self.options.max_links]

        async def one(target: str) -> None:
            self.scan.link_status[target] = await self.check_link(target)
            self.scan.links_checked += 1

        await asyncio.gather(*(one(t) for t in pending))

    async def check_link(self, target: str) -> LinkStatus:
        head = await self.fetch(target, method="HEAD", max_bytes=0)
        # Many government servers refuse or mishandle HEAD; a GET with a tiny read settles it.
        refused = head.status in (400, 403, 404, 405, 501) or head.error in {"protocol_error", "tls_error"}
        if not refused:
            return LinkStatus(target, head.status, head.error)
        get = await self.fetch(target, max_bytes=LINK_CHECK_READ)
        return LinkStatus(target, get.status, get.error)


# -- public API -------------------------------------------------------------------------------------------


async def crawl_site(
    url: str,
    *,
    max_pages: int = 200,
    max_depth: int | None = None,
    as_of: date | None = None,
    check_links: bool = True,
    per_host_concurrency: int = 4,
    per_host_rate: float | None = None,
    connect_timeout: float = 5,
    read_timeout: float = 10,
    total_timeout: float = 15,
    max_page_bytes: int = MAX_PAGE_BYTES,
    max_redirects: int = 10,
    retries: int = 2,
    backoff: float = 0.5,
    user_agent: str = "GovSite-Monitor/0.1",
    scan_timeout: float = 600,
    max_attachments: int = 20,
    max_links: int = 5000,
    max_connections: int = 32,
    columns: dict[str, dict[str, Any]] | None = None,
    allow_private: bool = False,
    private_hosts: Iterable[str] = (),
    **limits: Any,
) -> SiteScan:
    """网站监测: crawl one site into a `SiteScan`. Never raises for anything the site does; bounded in time.

    When `scan_timeout` runs out the scan returns with what it has (pages fetched so far); `scan.deadline`
    is when the scan's time ends, for the checks that follow (`engine.run_checks`). `allow_private`: the
    site's registry entry lets it be on a private network (`Website.allow_private_network`); then its own
    host may resolve to a private or loopback address, as may `private_hosts` (other registered homepages
    that allow it). Nothing else private, and no cloud metadata address, is ever contacted. `limits`: other
    `CrawlOptions` fields (max_text_chars, max_kept_chars, max_page_links …).
    """
    options = CrawlOptions(
        max_pages=max_pages,
        max_depth=max_depth,
        check_links=check_links,
        per_host_concurrency=per_host_concurrency,
        per_host_rate=per_host_rate,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        total_timeout=total_timeout,
        max_page_bytes=max_page_bytes,
        max_redirects=max_redirects,
        retries=retries,
        backoff=backoff,
        user_agent=user_agent,
        scan_timeout=scan_timeout,
        max_attachments=max_attachments,
        max_links=max_links,
        max_connections=max_connections,
        allow_private=allow_private,
        private_hosts=tuple(private_hosts),
        **limits,
    )
    scan = SiteScan(site_url=url, as_of=as_of or date.today(), columns=dict(columns or {}))
    started = time.monotonic()
    scan.deadline = started + scan_timeout
    policy = AddressPolicy.allowing([*options.private_hosts, *([url] if allow_private else [])])
    connector = monitor_connector(policy, limit=0, limit_per_host=0, ttl_dns_cache=300)
    try:
        async with aiohttp.ClientSession(
            connector=connector,
            headers={"User-Agent": user_agent},
            auto_decompress=True,
            cookie_jar=aiohttp.DummyCookieJar(),
        ) as session:
            crawl = _Crawl(
                scan=scan,
                options=options,
                session=session,
                overall=asyncio.Semaphore(max(1, max_connections)),
            )
            try:
                async with asyncio.timeout(scan_timeout):
                    await crawl.run()
            except TimeoutError:
                scan.complete = False  # the overall deadline: keep what was gathered, say it is partial
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # noqa: BLE001 — a bug or oddity must not lose the other sites of a run
        if scan.homepage is None:
            scan.pages.append(
                FetchedPage(url=url, final_url=url, status=None, error=error_name(exc), is_homepage=True)
            )
    if scan.homepage is None:
        scan.pages.insert(
            0, FetchedPage(url=url, final_url=url, status=None, error="timeout", is_homepage=True)
        )
    # Every distinct link target with a known status counts, whether it was fetched as a page or checked alone.
    scan.links_checked = max(scan.links_checked, len(scan.link_status))
    scan.elapsed = time.monotonic() - started
    return scan


def scan_site(url: str, **kwargs: Any) -> SiteScan:
    """Synchronous 网站监测 of one site (for commands and tasks): `asyncio.run(crawl_site(url, **kwargs))`."""
    return asyncio.run(crawl_site(url, **kwargs))


async def crawl_many(urls: Iterable[str], *, concurrency: int = 8, **kwargs: Any) -> AsyncIterator[SiteScan]:
    """Crawl many sites, at most `concurrency` at once, yielding each `SiteScan` as it completes.

    Yield order is completion order (use `scan.site_url`). Only `concurrency` scans are held at a time, so
    a region of hundreds of sites stays within memory when the consumer drops each scan after use.
    """
    iterator = iter(urls)
    running: set[asyncio.Task[SiteScan]] = set()

    def start_next() -> bool:
        url = next(iterator, None)
        if url is None:
            return False
        running.add(asyncio.create_task(crawl_site(url, **kwargs)))
        return True

    try:
        while len(running) < concurrency and start_next():
            pass
        while running:
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                running.discard(task)
                start_next()
                yield task.result()
                del task
    finally:
        for task in running:
            task.cancel()
        if running:
            await asyncio.gather(*running, return_exceptions=True)


# -- helpers ----------------------------------------------------------------------------------------------


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


_PAGER_TEXT = frozenset({"上一页", "下一页", "上页", "下页", "尾页", "末页", "前一页", "后一页", "首页"})
_PAGER_TARGET = re.compile(
    r"(?:[_/-](?:page|index|list)[_-]?\d+\.s?html?$|[?&](?:page|pageno|pageindex|p|currpage)=\d+$)", re.I
)
_PAGE_NUMBER = re.compile(r"^\[?(?:第)?\d{1,5}(?:页)?\]?$")


def is_pagination(link: Link) -> bool:
    """A link of a listing's pagination (下一页, 尾页, 2, 第3页, index_1.html, page_2.html, ?page=3)."""
    text = "".join(link.text.split())
    return text in _PAGER_TEXT or bool(_PAGE_NUMBER.match(text)) or bool(_PAGER_TARGET.search(link.target))


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
def _extension(url: str) -> str:
    path = urlsplit(url).path.lower()
    last = path.rsplit("/", 1)[-1]
    return "." + last.rsplit(".", 1)[-1] if "." in last else ""


def _moves_within_site(site_netloc: str, netloc: str) -> bool:
    """A homepage redirect that keeps the site: to or from www., or to a name under the site's domain
    (www.shifan.gov.cn → shifan.gov.cn, portal.shifan.gov.cn); ports aside."""
    site = site_netloc.rsplit(":", 1)[0] if not site_netloc.endswith("]") else site_netloc
    host = netloc.rsplit(":", 1)[0] if not netloc.endswith("]") else netloc
    base = site.removeprefix("www.")
    if host in (site, base, f"www.{base}"):
        return True
    return base.count(".") >= 2 and host.endswith("." + base)


def _capped_links(links: list[Link], cap: int) -> list[Link]:
    """At most `cap` links of a page in document order, and the hidden ones after them (暗链 sit anywhere)."""
    if len(links) <= cap:
        return links
    return links[:cap] + [link for link in links[cap:] if link.hidden][:cap]


def is_attachment(url: str) -> bool:
    """附件: judged by the extension of the URL path."""
    return _extension(url) in ATTACHMENT_EXTENSIONS


def _style_hides(style: str) -> bool:
    if _HIDDEN_STYLE.search(style):
        return True
    if _ABSOLUTE.search(style):
        return any(int(m.group(1)) >= OFFSCREEN_PX for m in _NEGATIVE_OFFSET.finditer(style))
    return any(
        m.group(0).lower().startswith("text-indent") and int(m.group(1)) >= OFFSCREEN_PX
        for m in _NEGATIVE_OFFSET.finditer(style)
    )


class _Resolver:
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


# What keeps a link off the string-join fast path (see _Resolver._fast).
_UNPLAIN = re.compile(r"[\x00-\x20\\]|(?:^|/)\.\.?(?:[/?#]|$)")
_MISSING: Any = object()


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
    html: str, page_url: str, site_hosts: set[str], resolver: _Resolver | None = None
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
    return _links_of(root, page_url, site_hosts, resolver or _Resolver(), hidden)


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
    html: str | bytes, page_url: str, site_hosts: set[str], resolver: _Resolver | None = None
) -> tuple[list[Link], PageText]:
    """(links, text) of a page from one parse: the checks then need not parse it again for text. `html` as
    text, or as bytes known to be clean UTF-8."""
    root = _parse_html(html)
    if root is None:
        return [], PageText("", ())
    hidden, chrome = _marked_elements(root)
    links = _links_of(root, page_url, site_hosts, resolver or _Resolver(), hidden)
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


def _links_of(root: Any, page_url: str, site_hosts: set[str], resolver: _Resolver, hidden: set[Any]) -> list[Link]:
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
                netloc in site_hosts,
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


def _attachment_text(data: bytes, url: str, max_bytes: int) -> str | None:
    """Text of an attachment via the compliance extractor; None when it cannot be read (old .doc …)."""
    try:
        # Lazily: govsite.checks is a Django app package; the crawler must import without Django set up.
        from govsite.checks.files import FileCheckError, extract
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


def _cert_expiry(transport: Any) -> datetime | None:
    """Certificate notAfter of a verified TLS connection (only verified peers expose the parsed cert)."""
    try:
        cert = transport.get_extra_info("peercert") if transport else None
        if cert and cert.get("notAfter"):
            return datetime.fromtimestamp(ssl.cert_time_to_seconds(cert["notAfter"]), UTC)
    except (ValueError, AttributeError, KeyError):
        pass
    return None


def error_name(exc: BaseException) -> str:
    """The contract's error name for a fetch exception."""
    if isinstance(exc, TimeoutError | aiohttp.ServerTimeoutError):
        return "timeout"
    if isinstance(exc, aiohttp.TooManyRedirects):
        return "too_many_redirects"
    if isinstance(exc, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError | ssl.SSLError):
        return "tls_error"
    if isinstance(exc, aiohttp.ClientConnectorError) and isinstance(exc.os_error, AddressRefused):
        return "private_address"  # 监测抓取安全: an address the monitor may not connect to
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return "dns_error"
    if isinstance(exc, aiohttp.ClientConnectorError):
        if isinstance(exc.os_error, socket.gaierror):
            return "dns_error"
        return "connect_error"
    if isinstance(exc, aiohttp.InvalidURL | ValueError):
        return "invalid_url"
    if isinstance(exc, UnicodeError):
        return "decode_error"
    return "protocol_error"
