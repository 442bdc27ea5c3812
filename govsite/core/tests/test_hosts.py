"""Which site answers: a hosted site at its own hostname, the platform (admin, API, default portal) at its own
hosts, and nothing — 404 — at any other Host, instead of Wagtail's fallback to the provincial portal."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from wagtail.documents.models import Document
from wagtail.models import Collection

from govsite.core.middleware import is_platform_host
from govsite.testing import make_user

pytestmark = pytest.mark.django_db

UNKNOWN = "www.not-hosted.gov.cn"


def get(path: str, host: str, client: Client | None = None):  # noqa: ANN201
    return (client or Client()).get(path, HTTP_HOST=host)


def title_of(response) -> str:  # noqa: ANN001
    html = response.content.decode()
    return html[html.index("<title>") + 7: html.index("</title>")]


def test_a_hosted_sites_hostname_serves_that_site(mini_region) -> None:
    for website in (mini_region.portal, mini_region.site_a, mini_region.site_b):
        response = get("/", website.wagtail_site.hostname)
        assert response.status_code == 200
        assert website.name in title_of(response)


def test_a_hosted_hostname_with_another_port_still_serves_that_site(mini_region) -> None:
    """The monitor reaches demo sites at 127.0.0.1:<port> with the site's Host header."""
    response = get("/", f"{mini_region.site_a.wagtail_site.hostname}:8601")
    assert response.status_code == 200
    assert mini_region.site_a.name in title_of(response)


@pytest.mark.parametrize("path", ["/", "/admin/login/", "/api/v1/docs", "/documents/1/a.pdf", "/no-such-page/"])
def test_an_unknown_host_answers_404_for_everything(mini_region, path: str) -> None:
    response = get(path, UNKNOWN)
    assert response.status_code == 404
    assert mini_region.portal.name.encode() not in response.content


def test_an_unknown_subdomain_of_a_hosted_site_is_unknown_too(mini_region) -> None:
    assert get("/", "foo." + mini_region.site_a.wagtail_site.hostname).status_code == 404


def test_the_platform_host_serves_the_admin_the_api_and_the_default_portal(mini_region) -> None:
    assert get("/admin/login/", "testserver").status_code == 200
    assert get("/api/v1/content/pages", "testserver").status_code == 401  # the API answers, asking for a login
    response = get("/", "testserver")
    assert response.status_code == 200
    assert mini_region.portal.name in title_of(response)


def test_the_admin_also_answers_at_a_hosted_sites_own_hostname(mini_region) -> None:
    assert get("/admin/login/", mini_region.site_a.wagtail_site.hostname).status_code == 200


@override_settings(GOVSITE_PLATFORM_HOSTS=["admin.shifan.gov.cn", ".platform.shifan.gov.cn"])
def test_platform_hosts_come_from_the_setting_with_subdomain_patterns(mini_region) -> None:
    assert is_platform_host("admin.shifan.gov.cn") and is_platform_host("a.platform.shifan.gov.cn")
    assert not is_platform_host("testserver")
    assert get("/admin/login/", "admin.shifan.gov.cn").status_code == 200
    assert get("/admin/login/", "testserver").status_code == 404


def test_a_document_is_served_on_known_hosts_and_not_on_unknown_ones(mini_region) -> None:
    collection = Collection.objects.get(name=mini_region.portal.site_code)
    document = Document.objects.create(title="通知", collection=collection,
                                       file=ContentFile(b"%PDF-1.4 test", name="tongzhi.pdf"))
    client = Client()
    client.force_login(make_user(is_superuser=True, is_staff=True))
    path = document.url
    assert get(path, "testserver", client).status_code == 200
    assert get(path, mini_region.portal.wagtail_site.hostname, client).status_code == 200
    assert get(path, UNKNOWN, client).status_code == 404


def test_static_files_are_served_on_the_platform_and_hosted_hosts(mini_region) -> None:
    """WhiteNoise runs before the host check: the same public files on every host the platform serves."""
    target = Path(settings.STATIC_ROOT) / "govsite-host-test.css"
    target.write_text("body{}")
    try:
        for host in ("testserver", mini_region.site_a.wagtail_site.hostname):
            response = Client().get("/static/govsite-host-test.css", HTTP_HOST=host)  # a new client: a fresh scan
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == b"body{}"
    finally:
        target.unlink()


@pytest.mark.slow  # starts `govsite shell` in a subprocess
def test_the_dev_settings_keep_make_runs_addresses() -> None:
    """`make run` prints the portal at 127.0.0.1 and the other sites at <code>.localhost."""
    import subprocess
    import sys

    code = ("from django.conf import settings as s; "
            "print(s.GOVSITE_PLATFORM_HOSTS, [m.rsplit('.', 1)[1] for m in s.MIDDLEWARE[:4]])")
    proc = subprocess.run([sys.executable, "-m", "govsite", "shell", "-c", code], capture_output=True, text=True,
                          env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "govsite.settings.dev"},
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "'127.0.0.1'" in proc.stdout and "'localhost'" in proc.stdout
    # The page cache is outermost (a hit skips everything, keyed by the Host as sent); the alias comes before
    # the middleware that picks the site by Host.
    assert "['PageCacheMiddleware', 'LocalhostSiteAliasMiddleware', 'SecurityMiddleware', 'WhiteNoiseMiddleware']" \
        in proc.stdout


def test_dev_aliases_name_hosted_sites_by_label_or_code_and_nothing_else(mini_region) -> None:
    """As `make run` serves them: http://<label or 网站标识码>.localhost:8000/; other .localhost names 404."""
    dev_middleware = [settings.MIDDLEWARE[0], "govsite.core.middleware.LocalhostSiteAliasMiddleware",
                      *settings.MIDDLEWARE[1:]]
    with override_settings(MIDDLEWARE=dev_middleware):
        for host, website in (("jia.localhost:8000", mini_region.site_a),
                              (f"{mini_region.site_b.site_code}.localhost:8000", mini_region.site_b),
                              ("127.0.0.1:8000", mini_region.portal), ("localhost:8000", mini_region.portal)):
            response = get("/", host)
            assert response.status_code == 200, host
            assert website.name in title_of(response), host
        assert get("/", "nosuch.localhost:8000").status_code == 404
