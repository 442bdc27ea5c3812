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
