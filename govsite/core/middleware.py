"""Which hosted site a request is for: its Host names a hosted site or the platform, or it answers 404;
in development also http://<label>.localhost:8000/ for every hosted site without DNS entries."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port, validate_host
from wagtail.models import Site


class LocalhostSiteAliasMiddleware:
    """Map `<label>.localhost` to the hosted site whose hostname's first distinct label or 网站标识码 is label.

    Wagtail caches the site it found on the request; setting that cache is all it takes. Used in dev only.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        host = request.get_host().split(":")[0]
        if host.endswith(".localhost"):
            label = host[: -len(".localhost")]
            site = (
                Site.objects.filter(registry_entry__site_code=label).first()
                or Site.objects.filter(hostname__startswith=f"www.{label}.").first()
                or Site.objects.filter(hostname__startswith=f"{label}.").first()
            )
            if site is not None:
                request._wagtail_site = site
        return self.get_response(request)


LOCALHOST_ALIAS_MIDDLEWARE = "govsite.core.middleware.LocalhostSiteAliasMiddleware"


def localhost_label(hostname: str) -> str:
    """The label a hosted site answers to under `make run` (<label>.localhost): its hostname's first label
    after a leading www (www.qinglan.gov.cn → qinglan), as the alias middleware looks it up."""
    labels = hostname.split(".")
    return labels[1] if labels[0] == "www" and len(labels) > 2 else labels[0]


def localhost_alias_url(url: str, request: HttpRequest | None) -> str:
    """In development, a hosted site's full URL as `make run` serves it: the default site at the request's own
    127.0.0.1/localhost address, another at <label>.localhost (the inverse of the alias middleware), so a link
    to another site (统一检索) opens on the machine instead of at its production name. Unchanged elsewhere."""
    if request is None or LOCALHOST_ALIAS_MIDDLEWARE not in settings.MIDDLEWARE:
        return url
    host, port = split_domain_port(request.get_host())
    if host not in ("127.0.0.1", "localhost") and not host.endswith(".localhost"):
        return url
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if not parts.netloc:
        return url
    site = Site.objects.filter(hostname=parts.hostname).first()
    if site is None:
        return url
    local = "127.0.0.1" if site.is_default_site else f"{localhost_label(site.hostname)}.localhost"
    return urlunsplit(("http", f"{local}:{port}" if port else local, parts.path, parts.query, parts.fragment))


def is_platform_host(host: str) -> bool:
    """The platform's own hosts (admin, API, and the default site's fallback): ``GOVSITE_PLATFORM_HOSTS``,
    matched as Django matches ``ALLOWED_HOSTS`` (``.example.gov.cn`` covers its subdomains)."""
    return validate_host(host, settings.GOVSITE_PLATFORM_HOSTS)


def site_for_host(host: str, port: int | str | None) -> Site | None:
    """The hosted site a hostname names (the one on the same port first), or None."""
    sites = list(Site.objects.filter(hostname=host).select_related("root_page"))
    return next((s for s in sites if str(s.port) == str(port)), sites[0] if sites else None)


class HostedSiteMiddleware:
    """答复已知主机: a request is for a hosted site's own hostname or for one of the platform's own hosts.

    Wagtail's ``Site.find_for_request`` falls back to the default site (the provincial portal) for any Host,
    so every name pointed at the server, mistyped or hostile, would show the portal under it. Here a hosted
    site's hostname selects that site, a platform host gets the admin, the API and the default site, and any
    other host answers 404 before a view runs. Wagtail reads the choice from ``request._wagtail_site``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(request, "_wagtail_site", None) is None:  # the dev alias above may have chosen already
            host, _port = split_domain_port(request.get_host())
            site = site_for_host(host, request.get_port())
            if site is None:
                if not is_platform_host(host):
                    request._wagtail_site = None  # the 404 page must not take the portal's identity either
                    raise Http404("没有在此域名下托管的网站。")
                site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
            request._wagtail_site = site
        return self.get_response(request)


class AuditRequestMiddleware:
    """Every admin action leaves an audit entry (审计日志), and entries written while serving carry the request.

    While a request is served, `core.audit.current_request()` returns it, so signal handlers with no request
    argument (publishing, permission changes, Wagtail's log entries) record the actor and the client address.
    Afterwards, a non-GET request to the admin or the API by a signed-in user that wrote no entry of its own
    (a view that neither logs through Wagtail nor calls `record_audit`) is recorded as `admin.request` with
    its path, the URL's name and arguments, and its status; 4xx/5xx answers count as failures. Requests
    that did write entries are not recorded twice. Reading (GET) is not an action, except where a view says
    so itself (the audit viewer and the exports do).
    """

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
    PREFIXES = ("/admin/", "/api/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .audit import done_serving, serving

        tokens = serving(request)
        try:
            response = self.get_response(request)
        finally:
            written = done_serving(tokens)
        if not written and request.method not in self.SAFE_METHODS and request.path_info.startswith(self.PREFIXES):
            self._record(request, response)
        return response

    @staticmethod
    def _refused(response: HttpResponse) -> bool:
        """4xx/5xx, or sent to the login page (Wagtail's answer to a user without admin access)."""
        from django.shortcuts import resolve_url

        if response.status_code >= 400:
            return True
        location = response.get("Location", "") if response.status_code in (301, 302, 303, 307, 308) else ""
        return bool(location) and location.split("?")[0].endswith(resolve_url(settings.LOGIN_URL))

    def _record(self, request: HttpRequest, response: HttpResponse) -> None:
        from django.urls import Resolver404, resolve

        from .services import record_audit

        user = getattr(request, "user", None)
        if not getattr(user, "is_authenticated", False):
            return
        try:
            match = resolve(request.path_info)
            url_name, arguments = match.view_name, {k: str(v) for k, v in match.kwargs.items()}
        except Resolver404:
            url_name, arguments = "", {}
        record_audit(user, "admin.request", None, result="failure" if self._refused(response) else "success",
                     request=request, method=request.method, path=request.path_info[:500], url_name=url_name,
                     arguments=arguments, status=response.status_code)
