"""Hooks that put 网站监管 (/admin/supervision/…) into the Wagtail admin."""

from __future__ import annotations

from django.urls import include, path
from wagtail import hooks

from . import views_campaigns, views_dashboard, views_indicators, views_notices, views_tickets

urlpatterns = [
    *views_dashboard.urlpatterns,
    *views_campaigns.urlpatterns,
    *views_notices.urlpatterns,
    *views_tickets.urlpatterns,
    *views_indicators.urlpatterns,
]


@hooks.register("register_admin_urls")
def register_supervision_urls() -> list:
    return [path("supervision/", include((urlpatterns, "supervision"), namespace="supervision"))]
