"""索引号 (§9 item 27): <机构代码或统一社会信用代码>/<年份>-<五位序号>, given once when a catalogue item goes
live, unique on the platform, numbered per organ and year."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction

from govsite.content.catalogue import INDEX_NUMBER_PATTERN
from govsite.content.models import ArticlePage, PolicyDocumentPage, next_index_number
from govsite.content.tests.builders import add_article, add_item
from govsite.testing import with_site_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(mini_region):  # noqa: ANN001, ANN201
    return with_site_staff(mini_region)


def policy(site, title: str, when: datetime | None = None) -> PolicyDocumentPage:  # noqa: ANN001
    return add_item(site.column, PolicyDocumentPage, title, published_at=when, interpretation_exemption="内部管理文件")


def test_two_policy_documents_of_the_same_year_get_consecutive_numbers(site) -> None:  # noqa: ANN001
    first = policy(site, "第一份文件", datetime(2026, 3, 1, 2, tzinfo=UTC))
    second = policy(site, "第二份文件", datetime(2026, 3, 2, 2, tzinfo=UTC))
    code = site.site_a.site_code
    assert first.index_number == f"{code}/2026-00001"
    assert second.index_number == f"{code}/2026-00002"
    assert re.match(INDEX_NUMBER_PATTERN, first.index_number)


def test_a_new_year_starts_again_at_one(site) -> None:  # noqa: ANN001
    policy(site, "去年的文件", datetime(2025, 12, 1, 2, tzinfo=UTC))
    this_year = policy(site, "今年的文件", datetime(2026, 1, 5, 2, tzinfo=UTC))
    assert this_year.index_number.endswith("/2026-00001")


def test_the_owner_units_credit_code_is_the_organ_code_when_known(site) -> None:  # noqa: ANN001
    unit = site.site_a.owner_unit
    unit.credit_code = "11450000MB1234567X"
    unit.save()
    item = policy(site, "有信用代码的文件", datetime(2026, 4, 1, 2, tzinfo=UTC))
    assert item.index_number == "11450000MB1234567X/2026-00001"


def test_an_item_with_a_topic_is_numbered_and_a_plain_news_item_is_not(site) -> None:  # noqa: ANN001
    news = add_article(site.column, "一般动态")
    catalogued = add_item(site.column, ArticlePage, "财政预算公开", topic="03")
    assert news.index_number is None
    assert catalogued.index_number and catalogued.index_number.startswith(site.site_a.site_code + "/")


def test_a_draft_has_no_number_and_republishing_keeps_it(site) -> None:  # noqa: ANN001
    draft = site.column.add_child(instance=PolicyDocumentPage(title="草稿文件", slug="draft-policy", body="<p>正文</p>",
                                                              live=False, interpretation_exemption="无"))
    assert PolicyDocumentPage.objects.get(pk=draft.pk).index_number is None
    draft.save_revision().publish()
    number = PolicyDocumentPage.objects.get(pk=draft.pk).index_number
    assert number
    page = PolicyDocumentPage.objects.get(pk=draft.pk)
    page.title = "草稿文件（修订）"
    page.save_revision().publish()
    assert PolicyDocumentPage.objects.get(pk=draft.pk).index_number == number


def test_the_database_refuses_a_second_item_with_the_same_number(site) -> None:  # noqa: ANN001
    first = policy(site, "甲文件")
    second = policy(site, "乙文件")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticlePage.objects.filter(pk=second.pk).update(index_number=first.index_number)


def test_a_number_already_taken_by_an_imported_item_is_skipped(site) -> None:  # noqa: ANN001
    code = site.site_a.site_code
    imported = policy(site, "迁移来的文件", datetime(2026, 2, 1, 2, tzinfo=UTC))
    ArticlePage.objects.filter(pk=imported.pk).update(index_number=f"{code}/2026-00002")
    assert next_index_number(code, 2026) == f"{code}/2026-00003"
