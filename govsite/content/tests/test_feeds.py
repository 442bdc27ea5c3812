"""订阅与站点地图: RSS per column and sitemap.xml per site, valid XML, live public items of the requesting site only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.utils import timezone
from lxml import etree
from wagtail.models import PageViewRestriction

from govsite.content.models import ArticlePage
from govsite.content.tests.builders import add_article, add_column

PORTAL_HOST = "www.sf.gov.cn"
SITE_B_HOST = "www.yi.gov.cn"
pytestmark = pytest.mark.slow  # the fixture publishes 25 pages

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def sites(mini_region):  # noqa: ANN001, ANN201
    home = mini_region.portal.wagtail_site.root_page.specific
    column = add_column(home, "要闻动态", slug="news")
    for n in range(22):
        add_article(column, f"门户信息{n:02d}", slug=f"item-{n}",
                    published_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=n),
                    body=f"<p>第{n}条正文，<b>加粗</b>内容。</p>" + "说明" * 200)
    summary = add_article(column, "带摘要的信息", slug="with-summary", summary="这是摘要。",
                          published_at=datetime(2026, 2, 1, tzinfo=UTC))
    draft = column.add_child(instance=ArticlePage(title="未发布草稿", slug="draft", live=False,
                                                  published_at=timezone.now(), body="<p>草稿</p>"))
    home_b = mini_region.site_b.wagtail_site.root_page.specific
    column_b = add_column(home_b, "乙市要闻", slug="news")
    add_article(column_b, "乙市信息", slug="b-item")
    return {"region": mini_region, "column": column, "column_b": column_b, "summary": summary, "draft": draft}


def rss(client, column_id: int, host: str = PORTAL_HOST):  # noqa: ANN001, ANN201
    response = client.get(f"/rss/{column_id}/", HTTP_HOST=host)
    return response, (etree.fromstring(response.content) if response.status_code == 200 else None)


def test_column_feed_is_rss_2_with_the_latest_20_items_and_their_required_elements(client, sites) -> None:
    response, root = rss(client, sites["column"].pk)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required)
    assert channel.findtext("link") == f"https://{PORTAL_HOST}/news/"
    items = channel.findall("item")
    assert len(items) == 20
    titles = [item.findtext("title") for item in items]
    assert titles[0] == "带摘要的信息" and titles[1] == "门户信息21"  # newest first by 发布时间
    assert "未发布草稿" not in titles
    dates = [parsedate_to_datetime(item.findtext("pubDate")) for item in items]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == datetime(2026, 2, 1, tzinfo=UTC)
    for item in items:
        assert item.findtext("link").startswith(f"https://{PORTAL_HOST}/news/")
        assert item.findtext("guid") == item.findtext("link")
        assert item.findtext("description")
    assert items[0].findtext("description") == "这是摘要。"
    body_description = items[1].findtext("description")
    assert body_description.startswith("第21条正文，加粗内容。") and "<" not in body_description
    assert len(body_description) <= 200


def test_feed_answers_only_for_a_column_of_the_requesting_site(client, sites) -> None:
    assert rss(client, sites["column_b"].pk)[0].status_code == 404  # site B's column on the portal's host
    response, root = rss(client, sites["column_b"].pk, host=SITE_B_HOST)
    assert [item.findtext("title") for item in root.find("channel").findall("item")] == ["乙市信息"]
    assert rss(client, sites["summary"].pk)[0].status_code == 404  # an article is not a column
    assert client.get("/rss/99999999999999999999/", HTTP_HOST=PORTAL_HOST).status_code == 404


def test_feed_of_a_restricted_column_is_not_served(client, sites) -> None:
    PageViewRestriction.objects.create(page=sites["column"], restriction_type=PageViewRestriction.PASSWORD,
                                       password="secret-2026")
    assert rss(client, sites["column"].pk)[0].status_code == 404


def test_column_page_links_its_feed_in_the_head(client, sites) -> None:
    html = client.get("/news/", HTTP_HOST=PORTAL_HOST).content.decode()
    head = html.split("</head>")[0]
    assert f'<link rel="alternate" type="application/rss+xml" title="要闻动态" href="/rss/{sites["column"].pk}/">' in head


def sitemap(client, host: str):  # noqa: ANN001, ANN201
    response = client.get("/sitemap.xml", HTTP_HOST=host)
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    return {u.findtext("s:loc", namespaces=SITEMAP_NS): u.findtext("s:lastmod", namespaces=SITEMAP_NS)
            for u in root.findall("s:url", SITEMAP_NS)}


def test_sitemap_lists_the_live_public_pages_of_the_requesting_site_only(client, sites) -> None:
    portal = sitemap(client, PORTAL_HOST)
    site_b = sitemap(client, SITE_B_HOST)
    assert f"https://{PORTAL_HOST}/news/item-0/" in portal and f"https://{PORTAL_HOST}/" in portal
    assert f"https://{PORTAL_HOST}/news/draft/" not in portal
    assert all(url.startswith(f"https://{PORTAL_HOST}/") for url in portal)
    assert set(site_b) == {f"https://{SITE_B_HOST}/", f"https://{SITE_B_HOST}/news/", f"https://{SITE_B_HOST}/news/b-item/"}
    assert all(lastmod for lastmod in portal.values())
