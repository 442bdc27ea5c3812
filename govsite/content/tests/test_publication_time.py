"""发布时间 in the future is refused (an article dated 2099 would stay on top of its column and make it look
fresh); publishing later is 定时发布 (上线日期/时间). Page dates outside 1900–2100 are refused, not a 500."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govsite.content.models import ArticlePage, ColumnPage
from govsite.content.tests.builders import add_article, body_form_data
from govsite.testing import with_site_staff

pytestmark = pytest.mark.django_db

BODY = json.dumps({"blocks": [{"key": "a1b2c", "type": "unstyled", "text": "正文。", "depth": 0,
                               "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}, ensure_ascii=False)


@pytest.fixture
def site(mini_region):  # noqa: ANN001, ANN201
    return with_site_staff(mini_region)


def editor_form(site, **values: str):  # noqa: ANN001, ANN201
    """The page editor's form for a new article in 通知公告, as the editor submits it."""
    form_class = ArticlePage.get_edit_handler().get_form_class()
    data = {"title": "关于开展自查的通知", "slug": "notice-1", "published_at": "", "source": "", "summary": "",
            **body_form_data("<p>正文。</p>"), "go_live_at": "", "expire_at": "", "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0", "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000"}
    data.update(values)
    return form_class(data, instance=ArticlePage(), parent_page=site.column, for_user=site.editor)


def minutes(delta: timedelta) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%d %H:%M")


def test_the_editor_may_not_set_a_future_publication_time(site) -> None:  # noqa: ANN001
    form = editor_form(site, published_at="2099-01-01 08:00")
    assert not form.is_valid()
    [message] = form.errors["published_at"]
    assert message.startswith("发布时间不能晚于当前时间") and "上线日期/时间" in message


def test_the_current_or_a_past_publication_time_is_accepted(site) -> None:  # noqa: ANN001
    assert editor_form(site, published_at=minutes(timedelta(0))).is_valid()
    assert editor_form(site, published_at="2020-05-01 09:30").is_valid()


def test_scheduled_publishing_allows_a_publication_time_up_to_the_go_live_time(site) -> None:  # noqa: ANN001
    go_live = minutes(timedelta(days=3))
    assert editor_form(site, published_at=go_live, go_live_at=go_live).is_valid()
    form = editor_form(site, published_at=minutes(timedelta(days=4)), go_live_at=go_live)
    assert not form.is_valid()
    assert form.errors["published_at"][0].startswith("发布时间不能晚于定时发布的上线时间")


@pytest.mark.parametrize("field", ["published_at", "go_live_at", "expire_at"])
@pytest.mark.parametrize("value", ["0001-01-01 00:00", "1000-01-01 00:00", "9999-12-31 23:59"])
def test_dates_outside_1900_to_2100_are_refused_with_a_chinese_message(site, field: str, value: str) -> None:  # noqa: ANN001
    form = editor_form(site, **{"published_at": "2020-05-01 09:30", field: value})
    assert not form.is_valid()
    assert "日期应在 1900 年至 2100 年之间。" in form.errors[field]


@pytest.mark.parametrize("value", ["0000-01-01 00:00", "99999-01-01 00:00", "2026-13-40 25:61"])
def test_impossible_dates_are_a_form_error(site, value: str) -> None:  # noqa: ANN001
    form = editor_form(site, published_at=value)
    assert not form.is_valid() and form.errors["published_at"]


def test_the_model_refuses_a_future_publication_time_on_any_path(site) -> None:  # noqa: ANN001
    article = ArticlePage(title="将来的信息", slug="future", published_at=timezone.now() + timedelta(days=30),
                          body="<p>正文。</p>")
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert "发布时间不能晚于当前时间" in caught.value.message_dict["published_at"][0]
    draft = site.column.add_child(instance=ArticlePage(title="草稿", slug="draft", body="<p>正文。</p>",
                                                       published_at=timezone.now() + timedelta(days=30), live=False))
    with pytest.raises(ValidationError):
        draft.save_revision().publish()  # a script or the API publishing it directly
    assert not ArticlePage.objects.get(pk=draft.pk).live


def test_a_scheduled_article_goes_live_with_its_publication_time(site) -> None:  # noqa: ANN001
    """定时发布: once the go-live time has come the revision publishes, the publication time then being past."""
    when = timezone.now() - timedelta(minutes=5)
    article = add_article(site.column, "按时发布的信息", published_at=when)
    assert article.live and article.published_at == when.replace(second=0, microsecond=0)


def test_the_column_freshness_ignores_articles_dated_in_the_future(site) -> None:  # noqa: ANN001
    old = add_article(site.column, "旧信息", published_at=timezone.now() - timedelta(days=100))
    future = add_article(site.column, "另一条", published_at=timezone.now() - timedelta(days=1))
    ArticlePage.objects.filter(pk=future.pk).update(published_at=timezone.make_aware(timezone.datetime(2099, 1, 1)))
    column = ColumnPage.objects.get(pk=site.column.pk)
    assert column.latest_published_at() == ArticlePage.objects.get(pk=old.pk).published_at
    assert column.has_future_dated_articles()


def test_rich_text_with_a_lone_surrogate_is_a_form_error_not_a_failed_save(site) -> None:  # noqa: ANN001
    body = BODY.replace("正文。", "\\ud800正文")
    form = editor_form(site, published_at="2020-05-01 09:30", **{"body-0-value": body})
    assert not form.is_valid()
    assert form.errors["body"] == ["含有空字符或无效的字符编码，请删除后重新输入。"]
