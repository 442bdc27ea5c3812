"""A publication time in the future already stored (2099) does not make a hosted column fresh."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from govsite.content.models import ArticlePage, ColumnPage, UpdateClass
from govsite.content.tests.builders import add_article, add_column
from govsite.monitoring.hosted import freshness_findings

AS_OF = date(2026, 11, 26)


def local(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


def dated(article: ArticlePage, when: datetime) -> None:
    # Stored before the rule existed (or by raw SQL): the model would refuse it today.
    ArticlePage.objects.filter(pk=article.pk).update(published_at=when)


@pytest.fixture
def hosted(mini_region):  # noqa: ANN001, ANN201
    website = mini_region.site_a
    home = website.wagtail_site.root_page.specific
    news = add_column(home, "政务要闻", slug="news")
    add_article(news, "甲市召开常务会议", published_at=local(2026, 10, 1, 9, 30))
    hidden = add_article(news, "置顶的信息", published_at=local(2026, 10, 2, 9, 30))
    dated(hidden, local(2099, 1, 1, 8, 0))
    only_future = add_column(home, "通知公告", slug="notices", update_class=UpdateClass.NOTICE)
    dated(add_article(only_future, "将来的通知", published_at=local(2026, 10, 2, 9, 30)), local(2099, 1, 1, 8, 0))
    return website


def test_a_2099_article_does_not_make_its_column_fresh(hosted) -> None:  # noqa: ANN001
    findings = {(f.check, f.column): f for f in freshness_findings(hosted, AS_OF)}
    stale = findings[("stale_column", "政务要闻")]
    assert stale.latest == "2026-10-01"  # the newest date not after the day of the scan


def test_a_column_with_only_future_dated_articles_is_stale_not_blank(hosted) -> None:  # noqa: ANN001
    findings = {(f.check, f.column): f for f in freshness_findings(hosted, AS_OF)}
    assert ("blank_column", "通知公告") not in findings
    assert "只有发布时间晚于检测日的信息" in findings[("stale_column", "通知公告")].detail


def test_the_homepage_is_not_fresh_because_of_a_2099_article(hosted) -> None:  # noqa: ANN001
    assert any(f.check == "homepage_stale" for f in freshness_findings(hosted, AS_OF))


def test_an_article_of_the_day_of_the_scan_counts(hosted) -> None:  # noqa: ANN001
    news = ColumnPage.objects.descendant_of(hosted.wagtail_site.root_page).get(title="政务要闻")
    add_article(news, "今天的信息", published_at=local(2026, 11, 26, 23, 59))
    findings = {(f.check, f.column) for f in freshness_findings(hosted, AS_OF)}
    assert ("stale_column", "政务要闻") not in findings
