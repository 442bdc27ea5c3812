"""公共页面缓存 (public page cache): a published page's HTML served from Django's cache, as fast as a static file.

Chinese 站群 publish static HTML; this does the same without a publishing step. `PageCacheMiddleware` is the
outermost middleware: an anonymous GET/HEAD (no session cookie) whose entry is in the cache is answered from
there before URL resolving, Wagtail's page lookup, the session and every other middleware; everything else
goes through the stack and, when Wagtail served a live public page, the answer is stored on the way out.

- Keys: scheme + Host + path (+ the query only for the parameters in ``CACHEABLE_PARAMS``, e.g. ``page=``) +
  the 长者模式 cookie (the HTML marks it). A Host names one site (``core.middleware.HostedSiteMiddleware``);
  each entry also carries its site's id and the generations it was rendered under.
- Invalidation (失效): each site has a generation number in the cache (the time of its last change, in ns),
  and the platform one more. An entry counts only while both generations are those it was rendered under,
  so a change makes every page of the site stale at once (a column shows its children, the home page its
  columns). Page publish/unpublish/save/move/delete and `SiteAppearance` bump their site; the registry entry
  (`Website`, the footer facts) bumps its site; `Site` and `Unit` (主办单位 names) bump the platform. Bumps
  happen after the transaction commits, and the generations are read before rendering, so a page rendered
  while a change commits is stored under the old generation and never served.
- Never cached: logged-in users (anyone with a session cookie: staff see the userbar and drafts), previews
  (not served through Wagtail's `serve`), pages with view restrictions, non-200 answers, answers that set a
  cookie or touched the session or the CSRF token, or that say ``private``/``no-store``/``no-cache``.
- Each process re-reads the generations at most every ``GOVSITE_PAGE_CACHE_RECHECK`` seconds (default 1) and
  keeps the bodies it served last, so a hit is answered without a round trip to Redis: a change is seen at
  once by the process that made it and within that second by the others.
- Headers: ``ETag`` (hash of the body), ``Last-Modified`` (the generation's time), 304 on ``If-None-Match`` /
  ``If-Modified-Since``, ``Cache-Control: public, max-age=GOVSITE_PAGE_CACHE_MAX_AGE``, ``Vary: Cookie``.
- A front nginx may keep a stored page ``X-Accel-Expires`` seconds (the recheck interval) and revalidate it
  with its ETag (``proxy_cache_revalidate on``): then a hit costs Python nothing at all (bench/pages.py).
- CSP: the site-colour ``<style>`` carries a per-response nonce; a nonce repeated to every visitor is no
  nonce, so a stored page drops it and its policy allows that style by its SHA-256 hash instead.

With several processes the cache must be shared (Redis, ``CACHE_URL``); locmem suits one process (dev).
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

if TYPE_CHECKING:
    from wagtail.models import Page, Site

CACHEABLE_PARAMS = frozenset({"page"})
GEN_PREFIX = "govsite:pc:gen:"
PLATFORM_GEN = GEN_PREFIX + "platform"
ENTRY_PREFIX = "govsite:pc:page:"
REQUEST_MARK = "_govsite_pagecache"
# Headers that belong to one answer, not to the page.
_NOT_STORED = frozenset({"content-length", "date", "set-cookie", "etag", "last-modified", "cache-control", "vary"})
_NO_CACHE_DIRECTIVES = re.compile(r"\b(private|no-store|no-cache)\b", re.IGNORECASE)
_NONCE_IN_POLICY = re.compile(r"'nonce-([A-Za-z0-9+/=_-]+)'")
_DIGITS = re.compile(r"[0-9]{1,7}")


@dataclass(frozen=True)
class CachedPage:
    """One stored page: body and headers as the full stack produced them, with what validates it."""

    site_id: int
    generations: tuple[int, int]
    body: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str
    last_modified: str


def enabled() -> bool:
    return getattr(settings, "GOVSITE_PAGE_CACHE", True)


def _site_gen_key(site_id: int) -> str:
    return f"{GEN_PREFIX}{site_id}"


# ---------------------------------------------------------------------------------------------------------
# Generations
# ---------------------------------------------------------------------------------------------------------

def current_generations(site_id: int) -> tuple[int, int]:
    """(site generation, platform generation); missing ones (first use, evicted) start now."""
    keys = [_site_gen_key(site_id), PLATFORM_GEN]
    found = cache.get_many(keys)
    if len(found) < 2:
        now = time.time_ns()
        for key in keys:
            if key not in found:
                cache.add(key, now, timeout=None)  # another process may have won: read what is there
        found = cache.get_many(keys)
    return found.get(keys[0], 0), found.get(keys[1], 0)


def _bump(keys: Iterable[str]) -> None:
    # Distinct nanosecond times: a later change never brings back a value an entry was stored under.
    now = time.time_ns()
    cache.set_many({key: now for key in keys}, timeout=None)
    _seen_generations.clear()


# site id → (generations, monotonic time read): a process re-reads them from the shared cache at most every
# GOVSITE_PAGE_CACHE_RECHECK seconds, so a hit costs no round trip to Redis; a change made in this process
# is seen at once, one made in another process within that time.
_seen_generations: dict[int, tuple[tuple[int, int], float]] = {}


def _generations_of(site_id: int) -> tuple[int | None, int | None]:
    now = time.monotonic()
    seen = _seen_generations.get(site_id)
    if seen is not None and now - seen[1] < getattr(settings, "GOVSITE_PAGE_CACHE_RECHECK", 1.0):
        return seen[0]
    keys = [_site_gen_key(site_id), PLATFORM_GEN]
    found = cache.get_many(keys)
    generations = (found.get(keys[0]), found.get(keys[1]))
    if None not in generations:
        _seen_generations[site_id] = (generations, now)  # type: ignore[assignment]
    return generations


def _bump_now_and_after_commit(key: str) -> None:
    # Now, so this transaction's own requests (and tests) see the change; again after commit, because a page
    # another process rendered in between read the old rows under the new generation.
    _bump([key])
    transaction.on_commit(lambda: _bump([key]))


def invalidate_site(site_id: int | None) -> None:
    """Make every stored page of one site stale (now and once the current transaction commits)."""
    if site_id is not None:
        _bump_now_and_after_commit(_site_gen_key(site_id))


def invalidate_all() -> None:
    """Make every stored page of every site stale (hostnames, units)."""
    _bump_now_and_after_commit(PLATFORM_GEN)


def sites_of_path(path: str) -> list[int]:
    """The Wagtail sites whose tree holds the page at this treebeard path."""
    from wagtail.models import Site

    ancestor_paths = [path[:i] for i in range(4, len(path) + 1, 4)]
    return list(Site.objects.filter(root_page__path__in=ancestor_paths).values_list("pk", flat=True))


def invalidate_page(page: Page) -> None:
    for site_id in sites_of_path(page.path):
        invalidate_site(site_id)


# ---------------------------------------------------------------------------------------------------------
# Keys, storing, reading
# ---------------------------------------------------------------------------------------------------------

def cacheable_query(request: HttpRequest) -> str | None:
    """The query string as part of a key: '' or 'page=N'; None when the query holds anything else."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return ""
    params = request.GET
    if set(params) - CACHEABLE_PARAMS or any(len(params.getlist(name)) > 1 for name in params):
        return None
    value = params.get("page", "")
    return f"page={value}" if _DIGITS.fullmatch(value) else None


def entry_key(request: HttpRequest, query: str) -> str:
    elder = request.COOKIES.get("govsite_elder") == "1"
    return _key(request.scheme, request.get_host(), request.path, query, elder)


def _key(scheme: str, host: str, path: str, query: str, elder: bool) -> str:
    raw = f"{scheme}|{host}|{path}|{query}|{int(elder)}"
    return ENTRY_PREFIX + hashlib.blake2b(raw.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _csp_hash(content: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(content).digest()).decode() + "'"


def _without_nonce(body: bytes, policy: str) -> tuple[bytes, str] | None:
    """The body without its CSP nonce and the policy allowing its nonce'd elements by hash; None if not possible."""
    match = _NONCE_IN_POLICY.search(policy)
    if match is None:
        return body, policy
    nonce = match.group(1)
    attribute = f' nonce="{nonce}"'.encode()
    hashes: dict[str, list[str]] = {"style": [], "script": []}
    element = re.compile(rb"<(style|script)\b([^>]*)>(.*?)</\1>", re.DOTALL | re.IGNORECASE)
    for found in element.finditer(body):
        if attribute in found.group(2):
            hashes[found.group(1).decode().lower()].append(_csp_hash(found.group(3)))
    body = body.replace(attribute, b"")
    if nonce.encode() in body:  # used somewhere we cannot turn into a hash
        return None
    directives = []
    for directive in policy.split(";"):
        name = directive.strip().split(" ", 1)[0].lower()
        kind = "script" if name.startswith("script") else "style" if name.startswith("style") else ""
        replacement = " ".join(hashes[kind]) if kind else ""
        directives.append(re.sub(r"\s*'nonce-[^']+'", (" " + replacement) if replacement else "", directive))
    return body, ";".join(directives)


def _validators(body: bytes, generations: tuple[int, int]) -> tuple[str, str]:
    etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    return etag, http_date(math.ceil(max(generations) / 1e9))


def storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether an answer the full stack produced may be stored for every anonymous visitor."""
    if getattr(request, REQUEST_MARK, None) is None or request.method != "GET":
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if _NO_CACHE_DIRECTIVES.search(response.get("Cache-Control", "")):
        return False
    session = getattr(request, "session", None)
    if session is not None and getattr(session, "accessed", False):
        return False
    # A page that asked for the CSRF token holds a per-visitor token: never shared.
    return not (request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or "CSRF_COOKIE" in request.META)


def store(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Store the answer (if it is a storable public page) and give it the validators; returns what to send."""
    site_id, generations = getattr(request, REQUEST_MARK)
    body, policy = response.content, response.get("Content-Security-Policy", "")
    rewritten = _without_nonce(body, policy)
    if rewritten is None:
        return response
    body, policy = rewritten
    headers = [(k, v) for k, v in response.items() if k.lower() not in _NOT_STORED]
    if policy:
        headers = [(k, policy if k.lower() == "content-security-policy" else v) for k, v in headers]
    etag, last_modified = _validators(body, generations)
    page = CachedPage(site_id, generations, body, tuple(headers), etag, last_modified)
    query = cacheable_query(request)
    if query is None:
        return response
    cache.set(entry_key(request, query), page, timeout=getattr(settings, "GOVSITE_PAGE_CACHE_TIMEOUT", 86400))
    return answer(request, page)


def answer(request: HttpRequest, page: CachedPage) -> HttpResponse:
    """The response for a stored page: 200 with the body, or 304 when the client's copy is this one."""
    response = HttpResponse(page.body)
    for name, value in page.headers:
        response[name] = value
    response["ETag"] = page.etag
    response["Last-Modified"] = page.last_modified
    response["Cache-Control"] = f"public, max-age={getattr(settings, 'GOVSITE_PAGE_CACHE_MAX_AGE', 60)}"
    response["Vary"] = "Cookie"  # the 长者模式 cookie changes the HTML
    response["X-Accel-Expires"] = str(proxy_seconds())
    conditional = get_conditional_response(request, etag=page.etag, last_modified=_parse_date(page.last_modified),
                                           response=response)
    return conditional if conditional is not None else response


def proxy_seconds() -> int:
    """How long an nginx in front may keep a cached page (``X-Accel-Expires``, which nginx does not pass on):
    as long as a process keeps its generations, so the front proxy adds no staleness of its own."""
    return max(1, math.ceil(getattr(settings, "GOVSITE_PAGE_CACHE_RECHECK", 1.0)))


def _parse_date(value: str) -> int | None:
    from django.utils.http import parse_http_date_safe

    return parse_http_date_safe(value)


class _LocalCopies:
    """Each process keeps the bodies it served last, so a hit asks the shared cache only for two small numbers."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self.items: OrderedDict[str, CachedPage] = OrderedDict()

    def get(self, key: str) -> CachedPage | None:
        page = self.items.get(key)
        if page is not None:
            self.items.move_to_end(key)
        return page

    def put(self, key: str, page: CachedPage) -> None:
        self.items[key] = page
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)

    def drop(self, key: str) -> None:
        self.items.pop(key, None)


local_copies = _LocalCopies()


def lookup(request: HttpRequest) -> CachedPage | None:
    """The stored page for this request if it is still current."""
    query = cacheable_query(request)
    if query is None:
        return None
    return lookup_key(entry_key(request, query))


def lookup_key(key: str) -> CachedPage | None:
    page = local_copies.get(key)
    if page is not None and _current(page):
        return page
    local_copies.drop(key)
    page = cache.get(key)
    if isinstance(page, CachedPage) and _current(page):
        local_copies.put(key, page)
        return page
    return None


def _current(page: CachedPage) -> bool:
    return _generations_of(page.site_id) == page.generations


# ---------------------------------------------------------------------------------------------------------
# Request side
# ---------------------------------------------------------------------------------------------------------

def may_use_cache(request: HttpRequest) -> bool:
    """Anonymous GET/HEAD of a public path, outside the admin, the API, documents and static files."""
    if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    path = request.path_info
    if path.startswith(_excluded_prefixes()):
        return False
    return not (settings.SECURE_SSL_REDIRECT and not request.is_secure())  # the redirect comes first


def _excluded_prefixes() -> tuple[str, ...]:
    return ("/admin/", "/api/", "/documents/", settings.STATIC_URL or "/static/", settings.MEDIA_URL or "/media/")


def mark_cacheable(page: Page, request: HttpRequest, serve_args: Any, serve_kwargs: Any) -> None:
    """Wagtail ``before_serve_page`` hook: a live public page served to an anonymous GET may be stored.

    The generations are read here, before rendering: a change committed while the page renders makes
    the stored entry stale at once."""
    if not enabled() or not may_use_cache(request) or getattr(request, "is_preview", False):
        return
    site: Site | None = getattr(request, "_wagtail_site", None)
    if site is None or not page.live or page.get_view_restrictions().exists():
        return
    setattr(request, REQUEST_MARK, (site.pk, current_generations(site.pk)))


class PageCacheMiddleware:
    """公共页面缓存: answer anonymous visitors from the cache before anything else runs (see module doc)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if enabled() and may_use_cache(request):
            try:
                page = lookup(request)
            except Exception:  # noqa: BLE001 — a bad Host (DisallowedHost) or cache outage: the stack decides
                page = None
            if page is not None:
                return answer(request, page)
        response = self.get_response(request)
        if storable(request, response):
            response = store(request, response)  # type: ignore[arg-type]
        return response


# ---------------------------------------------------------------------------------------------------------
# Invalidation signals
# ---------------------------------------------------------------------------------------------------------

def _page_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page) and instance.path:
        invalidate_page(instance)


def _page_signal(sender: Any, instance: Any, **kwargs: Any) -> None:
    _page_changed(sender, instance)


def _page_moved(sender: Any, instance: Any, parent_page_before: Any = None, parent_page_after: Any = None,
                **kwargs: Any) -> None:
    for parent in (parent_page_before, parent_page_after):
        if parent is not None:
            invalidate_page(parent)
    _page_changed(sender, instance)


def _appearance_changed(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    # `SiteAppearance.for_site` creates the default row while a page renders: nothing shown changes.
    if not created:
        invalidate_site(instance.site_id)


def _website_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    invalidate_site(instance.wagtail_site_id)


def _platform_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    invalidate_all()


def install() -> None:
    """Connect the invalidation signals and the serve hook (called from ``ContentConfig.ready``)."""
    from django.db.models.signals import post_delete, post_save, pre_delete
    from wagtail import hooks
    from wagtail.models import Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from govsite.core.models import Unit
    from govsite.registry.models import Website

    from .models import SiteAppearance

    # Any page model (multi-table subclasses send with their own class): saves of live pages, drafts
    # included, are rare enough that invalidating on every one is the simple safe choice.
    post_save.connect(_page_changed, dispatch_uid="pagecache.page_saved")
    pre_delete.connect(_page_changed, dispatch_uid="pagecache.page_deleted")
    page_published.connect(_page_signal, dispatch_uid="pagecache.page_published")
    page_unpublished.connect(_page_signal, dispatch_uid="pagecache.page_unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="pagecache.page_moved")
    for model, handler in ((SiteAppearance, _appearance_changed), (Website, _website_changed),
                           (Site, _platform_changed), (Unit, _platform_changed)):
        post_save.connect(handler, sender=model, dispatch_uid=f"pagecache.{model.__name__}.save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"pagecache.{model.__name__}.delete")
    hooks.register("before_serve_page", mark_cacheable)


# ---------------------------------------------------------------------------------------------------------
# The same answers one step earlier, before Django builds a request (govsite/wsgi.py)
# ---------------------------------------------------------------------------------------------------------

_SIMPLE_QUERY = re.compile(r"(?:page=[0-9]{1,7})?")
_wsgi_headers: dict[int, list[tuple[str, str]]] = {}


def _headers_for_wsgi(page: CachedPage) -> list[tuple[str, str]]:
    headers = _wsgi_headers.get(id(page))
    if headers is None:
        if len(_wsgi_headers) > 2 * local_copies.size:
            _wsgi_headers.clear()
        max_age = getattr(settings, "GOVSITE_PAGE_CACHE_MAX_AGE", 60)
        headers = [*page.headers, ("ETag", page.etag), ("Last-Modified", page.last_modified),
                   ("Cache-Control", f"public, max-age={max_age}"), ("Vary", "Cookie"),
                   ("X-Accel-Expires", str(proxy_seconds()))]
        _wsgi_headers[id(page)] = headers
    return headers


def _wsgi_key(environ: dict[str, Any]) -> str | None:
    """The entry key of a plain anonymous GET/HEAD as `entry_key` computes it; None for anything less plain,
    which Django then handles (and `PageCacheMiddleware` may still answer from the cache)."""
    from django.http import parse_cookie
    from django.http.request import split_domain_port, validate_host

    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("SCRIPT_NAME"):
        return None
    path, query, host = environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), environ.get("HTTP_HOST", "")
    if not path.isascii() or "%" in path or not _SIMPLE_QUERY.fullmatch(query) or not host:
        return None
    if settings.USE_X_FORWARDED_HOST or path.startswith(_excluded_prefixes()):
        return None
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    scheme = environ.get("wsgi.url_scheme", "http")
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    if proxy_header:
        header, secure_value = proxy_header
        scheme = "https" if environ.get(header) == secure_value else "http"
    if settings.SECURE_SSL_REDIRECT and scheme != "https":
        return None
    cookies = parse_cookie(environ.get("HTTP_COOKIE", "")) if environ.get("HTTP_COOKIE") else {}
    if settings.SESSION_COOKIE_NAME in cookies:
        return None
    return _key(scheme, host, path, query, cookies.get("govsite_elder") == "1")


def _not_modified(environ: dict[str, Any], page: CachedPage) -> bool:
    from django.utils.http import parse_etags, parse_http_date_safe

    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        etags = parse_etags(if_none_match)
        return "*" in etags or page.etag in etags or page.etag in [e.removeprefix("W/") for e in etags]
    since = parse_http_date_safe(environ.get("HTTP_IF_MODIFIED_SINCE", "") or "")
    modified = parse_http_date_safe(page.last_modified)
    return since is not None and modified is not None and modified <= since


def wsgi_fast_path(application: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """Wrap the WSGI application: a cached public page is sent before Django builds a request at all.

    No middleware, no URL resolving, no request signals: the answer is the stored bytes and headers, exactly
    what `PageCacheMiddleware.answer` would send. Anything it is not sure of goes to Django unchanged."""

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if enabled():
            try:
                key = _wsgi_key(environ)
                page = lookup_key(key) if key is not None else None
            except Exception:  # noqa: BLE001 — a cache outage: Django answers as without the cache
                page = None
            if page is not None:
                headers = _headers_for_wsgi(page)
                if _not_modified(environ, page):
                    start_response("304 Not Modified", [h for h in headers if h[0].lower() != "content-type"])
                    return [b""]
                start_response("200 OK", [*headers, ("Content-Length", str(len(page.body)))])
                return [b"" if environ["REQUEST_METHOD"] == "HEAD" else page.body]
        return application(environ, start_response)

    return serve
