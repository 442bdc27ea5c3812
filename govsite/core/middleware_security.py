"""安全加固 (等保三级) response headers that Django and django-csp do not set by themselves."""

from __future__ import annotations

from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """`Cache-Control: no-store` on admin and API responses.

    Admin pages and API answers carry unpublished drafts and personal data; no shared proxy and no
    browser cache may keep them after the user has logged out. Public pages keep their own caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "GOVSITE_NO_STORE_PATHS", ("/admin/", "/api/")))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(self.prefixes):
            patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        return response


class PathCSPMiddleware(CSPMiddleware):
    """Content-Security-Policy chosen by where the response comes from (django-csp 4).

    Public pages get the strict policy in ``CONTENT_SECURITY_POLICY`` (no inline script; the site's colour
    `<style>` carries a nonce). Wagtail's admin renders inline `<script>` with per-field ids (date pickers,
    inline panels) and inline styles, so it gets ``GOVSITE_CSP_ADMIN`` with 'unsafe-inline' and still no
    foreign source; JSON API answers get ``GOVSITE_CSP_API`` (nothing may load); the Swagger UI page is
    served from local static files under ``GOVSITE_CSP_API_DOCS``. A view's own csp decorator still wins.
    """

    def get_policy_parts(self, request: HttpRequest, response: HttpResponseBase,
                         report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts
        path = request.path_info
        for prefix, setting_name in (
            (getattr(settings, "GOVSITE_API_DOCS_PREFIX", "/api/v1/docs"), "GOVSITE_CSP_API_DOCS"),
            ("/api/", "GOVSITE_CSP_API"),
            ("/admin/", "GOVSITE_CSP_ADMIN"),
        ):
            directives = getattr(settings, setting_name, None)
            if path.startswith(prefix) and directives:
                parts.config = directives
                break
        return parts
