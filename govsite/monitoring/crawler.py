"""网站监测 crawler: crawl one government website into a `SiteScan` for the monitoring checks.

`crawl_site` fetches the homepage (首页), walks internal HTML pages breadth-first within page and depth
limits (pagination never counts as depth), checks each distinct 链接 target once and keeps the text of
internal 附件 so the checks can read them. Requests are `fetch.Fetcher`'s (limits, timeouts, size caps,
redirects, the address policy); turning bodies into text and links is `decode`'s. Sites are untrusted and
often broken: every failure becomes data on the scan (an error name on the page or link status), never an
exception, and every request and the whole scan are time-bounded. Nothing here judges a page: that is the
site model's and the checks' (`sitemodel`, `checks/`), which the crawler does not import.
"""

from __future__ import annotations

import asyncio
import codecs
import re
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from .contract import FetchedPage, Link, LinkStatus, SiteScan
from .decode import HTML_TYPES, attachment_text, decode_body, read_html_page, script_pagination
from .fetch import MAX_PAGE_BYTES, Fetcher, FetchOptions, error_name
from .hostmap import AddressPolicy, monitor_connector
from .links import STATIC_EXTENSIONS, LinkResolver, normalise_url, url_extension

# Tags whose target may be a page of the site (followed by the crawl); the rest are resources.
PAGE_TAGS = frozenset({"a", "iframe", "frame", "area"})

# Memory bounds (item 14 of issue 10: 200 pages of 4 MB took 2.7 GB). A page body over `max_page_bytes` is not
# read further nor parsed (页面过大, error `too_large`, in `fetch`); what a parsed page keeps is capped per page,
# and all pages of a scan together keep at most MAX_KEPT_CHARS, after which a page keeps only SMALL_KEEP_CHARS
# of each.
MAX_TEXT_CHARS = 500_000  # the page's source, which the checks parse again
MAX_CONTENT_CHARS = 200_000  # its visible text (the content check reads 200,000 characters at most)
MAX_KEPT_CHARS = 40_000_000
SMALL_KEEP_CHARS = 20_000
MAX_PAGE_LINKS = 5_000


@dataclass
class CrawlOptions(FetchOptions):
    """Limits of one crawl; the defaults suit a county portal of a few hundred pages."""

    max_pages: int = 200
    max_depth: int | None = None  # None: the whole site up to max_pages (pagination never counts as depth)
    check_links: bool = True
    scan_timeout: float = 600
    max_attachments: int = 20
    max_links: int = 5000
    max_text_chars: int = MAX_TEXT_CHARS
    max_content_chars: int = MAX_CONTENT_CHARS
    max_kept_chars: int = MAX_KEPT_CHARS
    max_page_links: int = MAX_PAGE_LINKS


@dataclass
class _Crawl:
    """State of one site crawl: what to fetch next and what was kept; `scan` collects the results."""

    scan: SiteScan
    options: CrawlOptions
    fetcher: Fetcher
    seen_pages: set[str] = field(default_factory=set)
    resolver: LinkResolver = field(default_factory=LinkResolver)
    chrome_pool: dict[str, str] = field(default_factory=dict)
    kept_chars: int = 0  # characters of text the scan's pages keep, for `max_kept_chars`

    @property
    def site_hosts(self) -> set[str]:
        return self.fetcher.site_hosts

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
        return url_extension(link.target) not in STATIC_EXTENSIONS

    async def fetch_page(self, url: str, depth: int, *, home: bool = False) -> FetchedPage:
        is_home = home
        response = await self.fetcher.fetch(url, want_cert=is_home, site_only=True, home=is_home)
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
            response = await self.fetcher.fetch(link.target, cap=self.options.max_attachment_bytes, site_only=True)
            self.scan.link_status[link.target] = LinkStatus(link.target, response.status, response.error)
            self.scan.links_checked += 1
            if response.offsite or response.error or response.status != 200 or not response.body:
                return
            body, response.body = response.body, b""
            text = await asyncio.to_thread(attachment_text, body, link.target, self.options.max_attachment_bytes)
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
            self.scan.link_status[target] = await self.fetcher.check_link(target)
            self.scan.links_checked += 1

        await asyncio.gather(*(one(t) for t in pending))


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
            fetcher = Fetcher(
                options=options, session=session, overall=asyncio.Semaphore(max(1, max_connections))
            )
            crawl = _Crawl(scan=scan, options=options, fetcher=fetcher)
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


# -- helpers -----------------------------------------------------------------------------------------------


_PAGER_TEXT = frozenset({"上一页", "下一页", "上页", "下页", "尾页", "末页", "前一页", "后一页", "首页"})
_PAGER_TARGET = re.compile(
    r"(?:[_/-](?:page|index|list)[_-]?\d+\.s?html?$|[?&](?:page|pageno|pageindex|p|currpage)=\d+$)", re.I
)
_PAGE_NUMBER = re.compile(r"^\[?(?:第)?\d{1,5}(?:页)?\]?$")


def is_pagination(link: Link) -> bool:
    """A link of a listing's pagination (下一页, 尾页, 2, 第3页, index_1.html, page_2.html, ?page=3)."""
    text = "".join(link.text.split())
    return text in _PAGER_TEXT or bool(_PAGE_NUMBER.match(text)) or bool(_PAGER_TARGET.search(link.target))


def _capped_links(links: list[Link], cap: int) -> list[Link]:
    """At most `cap` links of a page in document order, and the hidden ones after them (暗链 sit anywhere)."""
    if len(links) <= cap:
        return links
    return links[:cap] + [link for link in links[cap:] if link.hidden][:cap]
