"""订阅与站点地图: RSS 2.0 per column and sitemap.xml per hosted site, each for the requesting site only.

- ``/rss/<column id>/``: the column's latest ``FEED_SIZE`` live public 信息 (its sub-columns' too, as the column
  page lists them), newest first by 发布时间. A column id of another site, a draft, a restricted column or
  not a column at all answers 404 on this host. The column page's ``<head>`` links it
  (``<link rel="alternate" type="application/rss+xml">``).
- ``/sitemap.xml``: Wagtail's sitemap of the site the Host names (``core.middleware.HostedSiteMiddleware``),
  live public pages with ``lastmod``.
"""

from __future__ import annotations

from datetime import datetime
from html import unescape

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page, Site
from wagtail.rich_text import expand_db_html

from .models import ArticlePage, ColumnPage

FEED_SIZE = 20
DESCRIPTION_CHARS = 200


def column_for_request(request: HttpRequest, column_id: int) -> ColumnPage:
    """A live public column of the site the request is for, or 404."""
    site: Site | None = Site.find_for_request(request)
    if site is None or not 0 < column_id < 2**63:  # an id no database holds is no column either
        raise Http404("没有在此域名下托管的网站。")
    column = (
        ColumnPage.objects.descendant_of(site.root_page).live().public().filter(pk=column_id).first()
    )
    if column is None:
        raise Http404("栏目不存在。")
    return column


def item_text(article: ArticlePage, length: int = DESCRIPTION_CHARS) -> str:
    """摘要, or else the start of the body as plain text."""
    if article.summary:
        return article.summary
    body = getattr(article, "body", "")
    html = body if isinstance(body, str) else str(body)  # a StreamField renders to HTML
    text = " ".join(unescape(strip_tags(expand_db_html(html))).split())
    return Truncator(text).chars(length)


def feed_url(column: Page) -> str:
    return f"/rss/{column.pk}/"


class ColumnFeed(Feed):
    """栏目订阅 (RSS 2.0)."""

    feed_type = Rss201rev2Feed

    def get_object(self, request: HttpRequest, column_id: int) -> ColumnPage:  # type: ignore[override]
        self.request = request
        return column_for_request(request, column_id)

    def title(self, column: ColumnPage) -> str:
        site = column.get_site()
        return f"{column.title} - {site.site_name or site.root_page.title}" if site else column.title

    def link(self, column: ColumnPage) -> str:
        return column.get_full_url(self.request)

    def feed_url(self, column: ColumnPage) -> str:
        return self.request.build_absolute_uri(feed_url(column))

    def description(self, column: ColumnPage) -> str:
        return column.description or column.title

    def items(self, column: ColumnPage) -> list[ArticlePage]:
        return list(column.latest_articles().filter(published_at__lte=timezone.now())[:FEED_SIZE])

    def item_title(self, article: ArticlePage) -> str:
        return article.title

    def item_link(self, article: ArticlePage) -> str:
        return article.get_full_url(self.request)

    def item_guid(self, article: ArticlePage) -> str:
        return article.get_full_url(self.request)

    item_guid_is_permalink = True

    def item_description(self, article: ArticlePage) -> str:
        return item_text(article)

    def item_pubdate(self, article: ArticlePage) -> datetime:
        return article.published_at

    def item_author_name(self, article: ArticlePage) -> str:
        return getattr(article, "source", "") or ""


column_feed = ColumnFeed()
