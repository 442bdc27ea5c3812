"""抓取 fetching for the 网站监测 crawler: one aiohttp session's requests, within a crawl's limits.

`Fetcher.fetch` follows redirects by hand (loops, too many hops, a move off the site), retries connect
errors and 5xx with backoff, caps what it reads (页面过大 beyond the cap), limits requests per host and in
all, and never raises: a hostile or broken server becomes an error name on the response. Every connection
goes through `hostmap.monitor_connector` (监测抓取安全: the address policy on every hop).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from .contract import LinkStatus
from .hostmap import AddressRefused, OutsideRequestRefused
from .links import normalise_url

MAX_PAGE_BYTES = 2_000_000
MAX_ATTACHMENT_BYTES = 5_000_000
LINK_CHECK_READ = 1024


@dataclass
class FetchOptions:
    """How requests are made: per-host politeness, timeouts, size caps, redirects, retries, the address policy."""

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
    max_connections: int = 32
    # 监测抓取安全: the site's own host may be on a private network (its registry entry allows it), and so may
    # these other registered homepages; everything else private, loopback or metadata is refused.
    allow_private: bool = False
    private_hosts: tuple[str, ...] = ()


@dataclass
class Response:
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


class HostLimiter:
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
class Fetcher:
    """The requests of one site crawl: its session, per-host limiters and the hosts that are the site's."""

    options: FetchOptions
    session: aiohttp.ClientSession
    site_hosts: set[str] = field(default_factory=set)
    limiters: dict[str, HostLimiter] = field(default_factory=dict)
    # Caps the whole scan: a page with links to hundreds of external hosts must not open hundreds of sockets.
    overall: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(32))

    def limiter(self, url: str) -> HostLimiter:
        # URLs here are normalised (scheme://host[:port]/path…): the host is the text up to the next slash.
        host = url.partition("://")[2].split("/", 1)[0]
        if host not in self.limiters:
            self.limiters[host] = HostLimiter(self.options.per_host_concurrency, self.options.per_host_rate)
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
    ) -> Response:
        """Fetch with manual redirects, retries for connect errors and 5xx; never raises.

        `max_bytes` reads at most that much of a link probe's body (no error when there is more); a page or
        attachment is read up to `cap` (default `max_page_bytes`) and is `too_large` beyond it. With
        `site_only`, a response that redirected off the site is its status only: its body is not read.
        """
        opts = self.options
        result = Response(url=url)
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
                result = Response(url=url, error="timeout")
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 — a hostile server can raise anything; it is data
                result = Response(url=url, error=error_name(exc))
            retryable = result.error in {"connect_error", "dns_error", "redirect_unreachable"} or (result.status or 0) >= 500
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
    ) -> Response:
        opts = self.options
        limit = (opts.max_page_bytes if cap is None else cap) if max_bytes is None else max_bytes
        timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=opts.connect_timeout, sock_read=opts.read_timeout
        )
        visited = [url]
        current = url
        last_redirect: int | None = None
        while True:
            try:
                result = await self._fetch_hop(method, current, timeout, url, visited, want_cert, site_only, home,
                                               limit, max_bytes)
            except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
                if (last_redirect is None or error_name(exc) not in _UNREACHABLE_ERRORS
                        or isinstance(getattr(exc, "os_error", None), OutsideRequestRefused)):
                    raise  # not a redirect, another failure, or a host offline mode does not contact at all
                # Redirected to a host that does not answer (refused, no such name, no connection): the link
                # never resolves, whatever the first host said (重定向目标无法访问).
                return Response(url=url, final_url=current, status=last_redirect, error="redirect_unreachable")
            if isinstance(result, Response):
                return result
            last_redirect, current, method = result

    async def _fetch_hop(
        self,
        method: str,
        current: str,
        timeout: aiohttp.ClientTimeout,
        url: str,
        visited: list[str],
        want_cert: bool,
        site_only: bool,
        home: bool,
        limit: int,
        max_bytes: int | None,
    ) -> Response | tuple[int, str, str]:
        """One request of a fetch: the final Response, or (redirect status, next URL, next method)."""
        opts = self.options
        async with self.session.request(method, current, allow_redirects=False, timeout=timeout) as resp:
            if resp.status in (301, 302, 303, 307, 308) and "Location" in resp.headers:
                target = normalise_url(resp.headers["Location"], current)
                if target is None:
                    return Response(
                        url=url, final_url=current, status=resp.status, error="protocol_error"
                    )
                if target in visited:
                    return Response(url=url, final_url=target, status=resp.status, error="redirect_loop")
                if len(visited) > opts.max_redirects:
                    return Response(
                        url=url, final_url=target, status=resp.status, error="too_many_redirects"
                    )
                visited.append(target)
                return resp.status, target, "GET" if resp.status == 303 else method
            result = Response(
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

    async def check_link(self, target: str) -> LinkStatus:
        """The status of one 链接 target: HEAD, then a GET of a few bytes when the server refuses HEAD."""
        head = await self.fetch(target, method="HEAD", max_bytes=0)
        # Many government servers refuse or mishandle HEAD; a GET with a tiny read settles it.
        refused = head.status in (400, 403, 404, 405, 501) or head.error in {"protocol_error", "tls_error"}
        if not refused:
            return LinkStatus(target, head.status, head.error)
        get = await self.fetch(target, max_bytes=LINK_CHECK_READ)
        return LinkStatus(target, get.status, get.error)


def _moves_within_site(site_netloc: str, netloc: str) -> bool:
    """A homepage redirect that keeps the site: to or from www., or to a name under the site's domain
    (www.shifan.gov.cn → shifan.gov.cn, portal.shifan.gov.cn); ports aside."""
    site = site_netloc.rsplit(":", 1)[0] if not site_netloc.endswith("]") else site_netloc
    host = netloc.rsplit(":", 1)[0] if not netloc.endswith("]") else netloc
    base = site.removeprefix("www.")
    if host in (site, base, f"www.{base}"):
        return True
    return base.count(".") >= 2 and host.endswith("." + base)


def _cert_expiry(transport: Any) -> datetime | None:
    """Certificate notAfter of a verified TLS connection (only verified peers expose the parsed cert)."""
    try:
        cert = transport.get_extra_info("peercert") if transport else None
        if cert and cert.get("notAfter"):
            return datetime.fromtimestamp(ssl.cert_time_to_seconds(cert["notAfter"]), UTC)
    except (ValueError, AttributeError, KeyError):
        pass
    return None


# Connection errors of a redirect target that make the redirect 重定向目标无法访问 (`redirect_unreachable`);
# a refused private address (监测抓取安全) keeps its own name.
_UNREACHABLE_ERRORS = frozenset({"connect_error", "dns_error", "timeout"})


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
