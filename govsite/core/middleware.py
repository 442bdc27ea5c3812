"""Development helper: reach every hosted site at http://<label>.localhost:8000/ without DNS entries."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
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
