"""公共页面缓存: cached public pages, their invalidation, validators and what is never cached."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from govsite.content import pagecache
from govsite.content.models import SiteAppearance
from govsite.content.tests.builders import add_article, add_column
from govsite.testing import client_for, make_user

pytestmark = pytest.mark.slow  # each test builds a region with hosted sites and renders pages (3–8 s here)

PORTAL_HOST = "www.sf.gov.cn"
SITE_B_HOST = "www.yi.gov.cn"


@pytest.fixture(autouse=True)
def page_cache_on(settings):  # noqa: ANN001, ANN201
    settings.GOVSITE_PAGE_CACHE = True
    cache.clear()
    pagecache.local_copies.items.clear()
    pagecache._seen_generations.clear()
    yield
    cache.clear()
    pagecache.local_copies.items.clear()
    pagecache._seen_generations.clear()


@pytest.fixture
def portal(mini_region):  # noqa: ANN001, ANN201
    home = mini_region.portal.wagtail_site.root_page.specific
    column = add_column(home, "要闻动态", slug="news")
    article = add_article(column, "常务会议召开", body="<p>会议研究部署工作。</p>", slug="meeting")
    return {"region": mini_region, "home": home, "column": column, "article": article}


def url(page) -> str:  # noqa: ANN001
    return page.get_url_parts()[2]


def fetch(client, path: str, host: str = PORTAL_HOST, **extra):  # noqa: ANN001, ANN201
    """GET with the number of database queries it took (0: answered from the cache)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST=host, **extra)
    return response, len(queries)


def test_second_anonymous_visit_is_answered_from_the_cache_without_the_database(client, portal) -> None:
    first, first_queries = fetch(client, url(portal["article"]))
    second, second_queries = fetch(client, url(portal["article"]))
    assert first.status_code == second.status_code == 200
    assert first_queries > 0 and second_queries == 0
    assert second.content == first.content and "常务会议召开" in second.content.decode()
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"].startswith("public, max-age=")
    assert second["Vary"] == "Cookie"
    assert second["X-Content-Type-Options"] == "nosniff"  # the security headers are kept


def test_public_pages_set_no_cookie_and_never_touch_the_session(client, portal) -> None:
    for path in (url(portal["home"]), url(portal["column"]), url(portal["article"])):
        response = client.get(path, HTTP_HOST=PORTAL_HOST)
        assert response.status_code == 200
        assert not response.cookies
        assert "Set-Cookie" not in response
        session = getattr(response.wsgi_request, "session", None)
        assert session is None or not session.accessed, path


@pytest.mark.parametrize("change", ["publish", "unpublish", "move", "delete", "registry", "appearance", "unit"])
def test_a_change_of_the_site_makes_its_cached_pages_stale(client, portal, change) -> None:
    column, article = portal["column"], portal["article"]
    fetch(client, url(column))
    fetch(client, url(article))
    assert fetch(client, url(column))[1] == 0
    website = portal["region"].portal
    expected = None
    if change == "publish":
        add_article(column, "新发布的信息", slug="fresh")
        expected = "新发布的信息"
    elif change == "unpublish":
        other = add_article(column, "将撤下的信息", slug="withdrawn")
        fetch(client, url(column))
        other.unpublish()
        assert "将撤下的信息" not in fetch(client, url(column))[0].content.decode()
        return
    elif change == "move":
        target = add_column(portal["home"], "通知公告", slug="notices")
        fetch(client, url(target))
        article.move(target, pos="last-child")
        response, queries = fetch(client, url(target))
        assert queries > 0 and "常务会议召开" in response.content.decode()
        return
    elif change == "delete":
        article.delete()
        response, _ = fetch(client, url(column))
        assert "常务会议召开" not in response.content.decode()
        return
    elif change == "registry":
        website.contact_phone = "0991-1234567"
        website.save()
        expected = "0991-1234567"
    elif change == "appearance":
        appearance = SiteAppearance.for_site(website.wagtail_site)
        appearance.footer_text = "本站支持IPv6访问"
        appearance.save()
        expected = "本站支持IPv6访问"
    elif change == "unit":
        website.owner_unit.name = "示范自治区人民政府办公厅"
        website.owner_unit.save()
        expected = "示范自治区人民政府办公厅"
    response, queries = fetch(client, url(column))
    assert queries > 0
    assert expected in response.content.decode()


def test_a_change_on_one_site_leaves_the_other_sites_cached(client, portal) -> None:
    site_b_home = portal["region"].site_b.wagtail_site.root_page.specific
    fetch(client, "/", host=SITE_B_HOST)
    add_article(portal["column"], "只在门户发布", slug="portal-only")
    assert fetch(client, "/", host=SITE_B_HOST)[1] == 0
    assert site_b_home.live


def test_two_sites_with_the_same_path_never_share_an_entry(client, portal) -> None:
    site_b_home = portal["region"].site_b.wagtail_site.root_page.specific
    column_b = add_column(site_b_home, "乙市要闻", slug="news")
    add_article(column_b, "乙市政府常务会议", slug="meeting")
    assert url(portal["column"]) == url(column_b) == "/news/"
    portal_page, _ = fetch(client, "/news/meeting/")
    site_b_page, queries = fetch(client, "/news/meeting/", host=SITE_B_HOST)
    assert queries > 0
    assert "乙市政府常务会议" in site_b_page.content.decode()
    assert "常务会议召开" not in site_b_page.content.decode()
    again, queries = fetch(client, "/news/meeting/", host=SITE_B_HOST)
    assert queries == 0 and again.content == site_b_page.content
    assert fetch(client, "/news/meeting/")[0].content == portal_page.content


def test_if_none_match_and_if_modified_since_answer_304(client, portal) -> None:
    first, _ = fetch(client, url(portal["article"]))
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag == '"' + hashlib.blake2b(first.content, digest_size=16).hexdigest() + '"'
    by_etag, queries = fetch(client, url(portal["article"]), HTTP_IF_NONE_MATCH=etag)
    assert by_etag.status_code == 304 and queries == 0 and not by_etag.content
    by_date, _ = fetch(client, url(portal["article"]), HTTP_IF_MODIFIED_SINCE=last_modified)
    assert by_date.status_code == 304
    stale, _ = fetch(client, url(portal["article"]), HTTP_IF_NONE_MATCH='"something-else"')
    assert stale.status_code == 200
    add_article(portal["column"], "又一条信息", slug="another")  # the article's own HTML stays the same
    unchanged, queries = fetch(client, url(portal["article"]), HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and queries > 0
    website = portal["region"].portal
    website.contact_phone = "0991-7654321"  # the footer changes
    website.save()
    after_change, _ = fetch(client, url(portal["article"]), HTTP_IF_NONE_MATCH=etag)
    assert after_change.status_code == 200 and after_change["ETag"] != etag


def test_head_is_answered_from_the_cache(client, portal) -> None:
    fetch(client, url(portal["article"]))
    with CaptureQueriesContext(connection) as queries:
        response = client.head(url(portal["article"]), HTTP_HOST=PORTAL_HOST)
    assert response.status_code == 200 and len(queries) == 0 and response["ETag"]


def test_cached_page_allows_its_style_by_hash_instead_of_a_shared_nonce(client, portal) -> None:
    fetch(client, url(portal["article"]))
    response, _ = fetch(client, url(portal["article"]))
    body = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "nonce" not in policy and "nonce=" not in body
    style = re.search(r"<style>(.*?)</style>", body, re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy


def test_elder_mode_cookie_gets_its_own_entry(client, portal) -> None:
    plain, _ = fetch(client, url(portal["article"]))
    client.cookies["govsite_elder"] = "1"
    elder, queries = fetch(client, url(portal["article"]))
    assert queries > 0 and 'class="elder"' in elder.content.decode()
    assert 'class="elder"' not in plain.content.decode()


def test_only_known_query_parameters_are_cached(client, portal) -> None:
    fetch(client, url(portal["column"]) + "?page=1")
    assert fetch(client, url(portal["column"]) + "?page=1")[1] == 0
    fetch(client, url(portal["column"]) + "?utm_source=x")
    assert fetch(client, url(portal["column"]) + "?utm_source=x")[1] > 0
    assert fetch(client, url(portal["column"]) + "?page=abc")[0].status_code == 200


def test_logged_in_staff_are_never_served_or_stored_from_the_cache(client, portal) -> None:
    region = portal["region"]
    from govsite.core.models import Role
    from govsite.testing import give_role

    editor = make_user("portal_editor")
    give_role(editor, Role.EDITOR, website=region.portal)
    staff = client_for(editor)
    fetch(client, url(portal["article"]))  # anonymous: stored
    response, queries = fetch(staff, url(portal["article"]))
    assert response.status_code == 200 and queries > 0
    assert "public" not in response.get("Cache-Control", "")
    cache.clear()
    pagecache.local_copies.items.clear()
    fetch(staff, url(portal["article"]))
    assert fetch(client, url(portal["article"]))[1] > 0  # the staff visit stored nothing


def test_preview_is_not_cached(client, portal) -> None:
    admin = make_user("platform_root", is_superuser=True, is_staff=True)
    staff = client_for(admin)
    article = portal["article"]
    article.title = "草稿标题"
    article.save_revision()
    response = staff.get(f"/admin/pages/{article.pk}/edit/preview/", HTTP_HOST="testserver")
    assert "public" not in response.get("Cache-Control", "")
    public, _ = fetch(client, url(article))
    assert "草稿标题" not in public.content.decode()


def test_private_page_is_not_cached(client, portal) -> None:
    PageViewRestriction.objects.create(page=portal["column"], restriction_type=PageViewRestriction.PASSWORD,
                                       password="secret-2026")
    first, _ = fetch(client, url(portal["article"]))
    second, queries = fetch(client, url(portal["article"]))
    assert queries > 0
    assert "常务会议召开" not in second.content.decode()
    assert "public" not in second.get("Cache-Control", "")


def test_a_change_made_by_another_process_is_seen_after_the_recheck_interval(client, portal, settings) -> None:
    fetch(client, url(portal["article"]))
    assert fetch(client, url(portal["article"]))[1] == 0
    site_id = portal["region"].portal.wagtail_site_id
    cache.set(pagecache._site_gen_key(site_id), 1, timeout=None)  # what another process's publish writes
    assert fetch(client, url(portal["article"]))[1] == 0  # within the interval this process keeps its copy
    settings.GOVSITE_PAGE_CACHE_RECHECK = 0
    assert fetch(client, url(portal["article"]))[1] > 0


def _wsgi(path: str, **extra):  # noqa: ANN003, ANN202
    """Call the wrapped WSGI application as gunicorn does: (status, headers, body, database queries)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    application = pagecache.wsgi_fast_path(WSGIHandler())
    environ = dict(RequestFactory().get(path, HTTP_HOST=PORTAL_HOST, **extra).environ)
    answer: dict = {}

    def start_response(status: str, headers: list) -> None:
        answer["status"], answer["headers"] = status, dict(headers)

    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # As Django's test client does: a request must not close the test's connection, which holds the test's
    # transaction (on PostgreSQL the next query would find it closed).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with CaptureQueriesContext(connection) as queries:
            body = b"".join(application(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body, len(queries)


def test_wsgi_fast_path_sends_the_stored_page_before_django_builds_a_request(client, portal) -> None:
    stored, _ = fetch(client, url(portal["article"]))
    status, headers, body, queries = _wsgi(url(portal["article"]))
    assert status == "200 OK" and queries == 0
    assert body == stored.content
    assert headers["ETag"] == stored["ETag"] and headers["Content-Length"] == str(len(body))
    assert headers["Content-Security-Policy"] == stored["Content-Security-Policy"]
    assert headers["X-Accel-Expires"] == "1" and headers["Vary"] == "Cookie"
    status, _, body, _ = _wsgi(url(portal["article"]), HTTP_IF_NONE_MATCH=stored["ETag"])
    assert status.startswith("304") and body == b""


def test_wsgi_fast_path_leaves_sessions_and_other_queries_to_django(client, portal) -> None:
    from django.core.signals import request_started

    fetch(client, url(portal["article"]))
    started: list[int] = []

    def count(**kwargs) -> None:  # noqa: ANN003
        started.append(1)

    # Django's own request cycle runs for a visitor with a session (the query log cannot show it: Django
    # resets it when a request starts).
    request_started.connect(count)
    try:
        _wsgi(url(portal["article"]))
        assert started == []  # the fast path
        _wsgi(url(portal["article"]), HTTP_COOKIE="sessionid=abc")
    finally:
        request_started.disconnect(count)
    assert started == [1]
    status, *_ = _wsgi(url(portal["article"]) + "?utm_source=x")
    assert status == "200 OK"
    status, headers, *_ = _wsgi("/no-such-page/")
    assert status.startswith("404") and "ETag" not in headers
