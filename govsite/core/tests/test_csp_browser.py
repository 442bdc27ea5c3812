"""安全加固: under the Content-Security-Policy headers the public pages, Wagtail's admin and the API docs work
in a real browser with no CSP violation and no request off this origin; and the admin's 'unsafe-inline' is
needed (the public policy on the admin is violated), so the admin policy is the tightest that works."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from govsite.content.tests.builders import build_demo_content
from govsite.content.tests.test_accessibility import DESKTOP, chromium
from govsite.testing import browser_login, build_mini_region

pytestmark = pytest.mark.browser
live_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "Csp-test-pass-2026!"


class Watch:
    """CSP violations reported by the browser and requests that leave the live server's origin."""

    def __init__(self, page, origin: str) -> None:  # noqa: ANN001
        self.violations: list[str] = []
        self.foreign: list[str] = []
        page.on("console", self._console)
        page.on("request", lambda request: None if request.url.startswith((origin, "data:", "blob:"))
                else self.foreign.append(request.url))

    def _console(self, message) -> None:  # noqa: ANN001
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.violations.append(message.text)


def _content() -> dict:
    region = build_mini_region(hosted=True)
    content = build_demo_content(region.portal, articles_per_column=2)
    get_user_model().objects.create_user("cspadmin", password=PASSWORD, is_superuser=True, is_staff=True)
    return content


def _login(context, base: str):  # noqa: ANN001, ANN202
    page = context.new_page()
    browser_login(page, base, "cspadmin", PASSWORD)  # password, then the second step
    return page


def _visit(page, url: str) -> None:  # noqa: ANN001
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert "Content-Security-Policy" in {k.title() for k in response.headers} or \
        "content-security-policy" in response.headers, url
    page.wait_for_load_state("networkidle")


@live_db
def test_public_admin_and_api_docs_work_under_the_policy(live_server) -> None:
    content = _content()
    article, home = content["article"], content["home"]
    base = live_server.url
    public = [base + "/", base + content["news"].get_url_parts()[2], base + article.get_url_parts()[2]]
    admin = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[home.pk]),
        reverse("wagtailadmin_pages:edit", args=[article.pk]),  # date-time widgets, Draftail, tabs
        reverse("wagtailadmin_pages:edit", args=[home.pk]),
        reverse("wagtailadmin_pages:add", args=["content", "articlepage", content["news"].pk]),
        reverse("wagtaildocs:index"),
        reverse("wagtaildocs:add_multiple"),
        reverse("wagtailimages:index"),
        reverse("wagtailimages:add_multiple"),
        reverse("wagtailusers_users:index"),
        reverse("registry:index"),
        reverse("monitoring:dashboard"),
        reverse("wagtailadmin_reports:page_types_usage"),
    ]
    with chromium() as browser:
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        page = context.new_page()
        watch = Watch(page, base)
        for url in public:
            _visit(page, url)
        # The site colours arrive through the nonce'd <style>: the custom property is set.
        assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--colour-primary')")

        page = _login(context, base)
        admin_watch = Watch(page, base)
        for path in admin:
            _visit(page, base + path)
        # Inline scripts ran: the page editor's tabs respond and Draftail is editable.
        page.goto(base + reverse("wagtailadmin_pages:edit", args=[article.pk]))
        page.wait_for_selector(".Draftail-Editor [contenteditable=true]")

        page.goto(base + reverse("api:openapi-view"))
        page.wait_for_selector(".swagger-ui .info .title")
        assert "GovSite API" in page.inner_text(".swagger-ui .info .title")
        page.wait_for_selector(".opblock-tag")  # the OpenAPI JSON loaded and rendered

    assert watch.violations == [] and watch.foreign == []
    assert admin_watch.violations == [], "\n".join(admin_watch.violations[:10])
    assert admin_watch.foreign == []


@live_db
def test_the_admin_needs_inline_scripts_so_the_public_policy_would_break_it(live_server, settings) -> None:
    """Why the admin policy keeps 'unsafe-inline': Wagtail's widgets write inline <script> per field."""
    content = _content()
    settings.GOVSITE_CSP_ADMIN = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    with chromium() as browser:
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        page = _login(context, live_server.url)
        watch = Watch(page, live_server.url)
        page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[content["article"].pk]))
        page.wait_for_load_state("networkidle")
    assert any("script-src" in text for text in watch.violations), watch.violations
