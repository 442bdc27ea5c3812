"""政府信息公开目录: browsing by 主题分类, 发布机构, 年份 and 体裁 with counts, the catalogue columns, downloads, and
bad query parameters answered without an error."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection

from govsite.content.models import ArticlePage, ColumnPage, keeping_original_published_at
from govsite.testing import with_disclosure_columns

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # a site with its disclosure tree


def _item(column, title, *, topic, genre, organ, year, body="<p>正文。</p>"):  # noqa: ANN001, ANN202
    item = column.add_child(instance=ArticlePage(
        title=title, slug=f"i{ArticlePage.objects.count() + 1}", topic=topic, genre=genre, issuing_organ=organ,
        written_date=datetime.date(year, 3, 1), body=body, live=False,
        published_at=timezone.make_aware(datetime.datetime(year, 3, 2, 9, 0))))
    with keeping_original_published_at():  # an older item, as the migration import would bring it
        item.save_revision().publish()
    return item


@pytest.fixture
def catalogue(mini_region):  # noqa: ANN001, ANN201
    with_disclosure_columns(mini_region.site_a)
    root = ColumnPage.objects.child_of(mini_region.site_a.wagtail_site.root_page).get(slug="xxgk")
    budget = ColumnPage.objects.descendant_of(root).get(slug="czyjs")
    stats = ColumnPage.objects.descendant_of(root).get(slug="tjxx")
    collection = Collection.objects.get(name=mini_region.site_a.site_code)
    document = get_document_model().objects.create(
        title="预算表", file=ContentFile(b"budget", name="budget.xlsx"), collection=collection)
    _item(budget, "甲市2025年预算", topic="03", genre="report", organ="甲市财政局", year=2025,
          body=[("attachment", {"document": document, "title": "甲市2025年预算表"})])
    _item(budget, "甲市2024年决算", topic="03", genre="report", organ="甲市财政局", year=2024)
    _item(stats, "甲市统计公报", topic="02", genre="bulletin", organ="甲市统计局", year=2025)
    return root


def test_facets_count_and_filter(catalogue, client) -> None:
    url = catalogue.url + "mulu/"
    page = client.get(url, HTTP_HOST="www.jia.gov.cn").content.decode()
    assert "财政、金融、审计（2）" in page and "甲市统计局（1）" in page and "2025（2）" in page
    assert "索引号" in page and "成文日期" in page and "发布机构" in page
    chosen = client.get(url + "?topic=03&year=2025", HTTP_HOST="www.jia.gov.cn").content.decode()
    assert "甲市2025年预算" in chosen and "甲市2024年决算" not in chosen and "甲市统计公报" not in chosen
    assert "甲市2025年预算表" in chosen and "/documents/" in chosen  # the download
    by_organ = client.get(url + "?organ=甲市统计局", HTTP_HOST="www.jia.gov.cn").content.decode()
    assert "甲市统计公报" in by_organ and "甲市2025年预算" not in by_organ


def test_a_category_column_browses_its_own_items(catalogue, client) -> None:
    stats = ColumnPage.objects.descendant_of(catalogue).get(slug="tjxx")
    page = client.get(stats.url + "mulu/", HTTP_HOST="www.jia.gov.cn").content.decode()
    assert "甲市统计公报" in page and "甲市2025年预算" not in page


@pytest.mark.parametrize("query", ["?topic=zz", "?year=abc", "?year=99999999999999999999", "?page=x",
                                   "?organ=" + "机" * 500, "?genre=%00", "?page=999"])
def test_bad_parameters_are_ignored(catalogue, client, query) -> None:  # noqa: ANN001
    response = client.get(catalogue.url + "mulu/" + query, HTTP_HOST="www.jia.gov.cn")
    assert response.status_code == 200


def test_pages_of_a_filtered_list_keep_the_filter_and_are_not_followed_by_crawlers(catalogue, client,  # noqa: ANN001
                                                                                 monkeypatch) -> None:
    from govsite.content import catalogue_browse

    monkeypatch.setattr(catalogue_browse, "PAGE_SIZE", 1)
    url = catalogue.url + "mulu/"
    plain = client.get(url, HTTP_HOST="www.jia.gov.cn").content.decode()
    assert 'href="?page=2" rel="next"' in plain and "共 3 条，第 1/3 页" in plain
    chosen = client.get(url + "?topic=03", HTTP_HOST="www.jia.gov.cn").content.decode()
    # The filter stays in the link; the combination is not for crawlers (our monitor included).
    assert 'href="?topic=03&amp;page=2" rel="next nofollow"' in chosen and "共 2 条，第 1/2 页" in chosen
    assert 'href="?topic=02" rel="nofollow"' in chosen
    second = client.get(url + "?topic=03&page=2", HTTP_HOST="www.jia.gov.cn").content.decode()
    assert "甲市2024年决算" in second and "甲市2025年预算" not in second
