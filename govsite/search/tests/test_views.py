"""检索结果页 and 检索接口: one site's search, the portal's 统一检索, the API's shape, and bad input never a 500."""

from __future__ import annotations

import pytest
from django.utils import timezone

from govsite.search.inputs import MAX_QUERY_CHARS
from govsite.search.tests.conftest import PORTAL, SITE_A, SITE_B
from govsite.search.views import search_view

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # the region fixture provisions three sites


def page(client, host: str, **params):  # noqa: ANN001, ANN201, ANN003
    return client.get("/search/", params, HTTP_HOST=host)


def test_a_site_search_page_lists_its_own_items_with_snippet_date_and_site(client, region) -> None:  # noqa: ANN001
    response = page(client, SITE_A, q="网站")
    html = response.content.decode()
    assert response.status_code == 200
    assert "站内检索" in html and "共找到 1 条结果" in html
    assert "甲市召开工作会议" in html and "乙市推进政府网站集约化" not in html
    assert "<mark>网站</mark>" in html
    assert f'>{timezone.localtime(region.intensive.published_at):%Y-%m-%d}</time>' in html
    assert "甲市人民政府网" in html
    assert 'role="search"' in html and 'for="search-q"' in html


def test_the_portal_searches_every_site_and_filters_by_site(client, region) -> None:  # noqa: ANN001
    html = page(client, PORTAL, q="网站").content.decode()
    assert "统一检索" in html and "共找到 2 条结果" in html
    assert "甲市召开工作会议" in html and "乙市推进政府网站集约化" in html
    html = page(client, PORTAL, q="网站", site=region.site_b.site_code).content.decode()
    assert "共找到 1 条结果" in html and "甲市召开工作会议" not in html
    # 乙市's site filter does not reach into 甲市 from 乙市's own search either
    html = page(client, SITE_B, q="网站", site=region.site_a.site_code).content.decode()
    assert "甲市召开工作会议" not in html and "所选网站不存在或不在检索范围内" in html


def test_under_make_run_other_sites_results_open_on_this_machine(client, region, settings) -> None:  # noqa: ANN001
    # The portal at 127.0.0.1 links 乙市's item at yi.localhost (the dev alias), not at its production name.
    settings.MIDDLEWARE = [settings.MIDDLEWARE[0], "govsite.core.middleware.LocalhostSiteAliasMiddleware",
                           *settings.MIDDLEWARE[1:]]
    html = page(client, "127.0.0.1:8000", q="网站").content.decode()
    assert 'href="http://yi.localhost:8000/news/' in html and "www.yi.gov.cn" not in html
    # Outside development the production address stays.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("LocalhostSiteAliasMiddleware")]
    assert '.yi.gov.cn/news/' in page(client, PORTAL, q="网站").content.decode()


def test_the_search_page_touches_no_session(rf, region) -> None:  # noqa: ANN001
    # A request without session or user: reading either would raise AttributeError. (Whether middleware
    # reads them on public pages is the page cache's concern, content/pagecache.py.)
    request = rf.get("/search/", {"q": "网站"}, HTTP_HOST=SITE_A)
    response = search_view(request)
    response.render()
    assert response.status_code == 200 and "甲市召开工作会议" in response.content.decode()
    assert not hasattr(request, "session") and not hasattr(request, "user")


@pytest.mark.parametrize(("params", "message"), [
    ({"q": "网" * (MAX_QUERY_CHARS + 1)}, "检索词过长"),
    ({"q": "网站\x00"}, "控制字符"),
    ({"q": "，。！"}, "没有可检索的字词"),
    ({"q": "网站", "page": "abc"}, "页码无效"),
    ({"q": "网站", "page": "99999999999999999999"}, "页码无效"),
    ({"q": "网站", "page": "7"}, "页码超出范围"),
    ({"q": "网站", "type": "nosuchtype"}, "所选信息类型无效"),
    ({"q": "网站", "column": "x1"}, "所选栏目不存在"),
    ({"q": "网站", "topic": "bogus"}, "所选主题分类无效"),
    ({"q": "网站", "from": "2026-13-01"}, "起始日期格式"),
    ({"q": "网站", "from": "2026-03-05", "to": "2026-03-01"}, "起始日期不能晚于截止日期"),
])
def test_bad_input_gets_a_chinese_message_not_an_error_page(client, region, params, message) -> None:  # noqa: ANN001
    response = page(client, SITE_A, **params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_column_of_another_site_is_refused(client, region) -> None:  # noqa: ANN001
    response = page(client, SITE_A, q="网站", column=str(region.news_b.pk))
    assert response.status_code == 400 and "所选栏目不存在" in response.content.decode()


def test_every_hosted_page_has_the_search_box(client, region) -> None:  # noqa: ANN001
    html = client.get("/", HTTP_HOST=SITE_A).content.decode()
    assert 'role="search"' in html and 'action="/search/"' in html
    assert 'for="site-search-q"' in html and 'id="site-search-q"' in html


def test_api_answers_the_public_with_the_agreed_shape(client, region) -> None:  # noqa: ANN001
    response = client.get("/api/v1/search", {"q": "网站"})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 2
    assert set(data["results"][0]) == {"title", "url", "site", "published_at", "snippet"}
    first = data["results"][0]
    assert first["title"] == "甲市召开工作会议" or first["title"] == "乙市推进政府网站集约化"
    assert "<mark>网站</mark>" in "".join(r["snippet"] for r in data["results"])
    assert first["url"].startswith("http")
    only_b = client.get("/api/v1/search", {"q": "网站", "site": region.site_b.site_code}).json()
    assert only_b["total"] == 1 and only_b["results"][0]["site"] == "乙市人民政府网"
    assert client.get("/api/v1/search", {"q": "网站", "page": 2}).json() == {"total": 2, "total_exact": True, "results": []}


@pytest.mark.parametrize(("params", "status"), [
    ({}, 422),
    ({"q": "网站\x00"}, 422),
    ({"q": "网" * (MAX_QUERY_CHARS + 1)}, 422),
    ({"q": "。。"}, 422),
    ({"q": "网站", "page": "0"}, 422),
    ({"q": "网站", "page": "99999999999999999999"}, 422),
    ({"q": "网站", "site": "abc"}, 422),
    ({"q": "网站", "site": "9999999999"}, 404),
])
def test_api_bad_input_is_refused_in_chinese(client, region, params, status) -> None:  # noqa: ANN001
    response = client.get("/api/v1/search", params)
    assert response.status_code == status
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.content.decode("unicode_escape", "ignore") +
               response.content.decode())
