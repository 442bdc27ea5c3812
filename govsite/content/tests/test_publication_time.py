"""发布时间 is set by the system (§9 item 8; 伪造发稿日期 is a veto): the minute an item first goes live, by any
path (publishing, the workflow's end, scheduled publishing), never typed by the editor and never changed
afterwards. Only the migration import keeps an original date (`keeping_original_published_at`), and even
then not a time still to come. Page dates outside 1900–2100 are refused, not a 500."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from govsite.content.models import ArticlePage, ColumnPage, keeping_original_published_at
from govsite.content.tests.builders import add_article, body_form_data
from govsite.testing import with_site_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(mini_region):  # noqa: ANN001, ANN201
    return with_site_staff(mini_region)


def editor_form(site, instance=None, **values: str):  # noqa: ANN001, ANN201
    """The page editor's form for an article in 通知公告, as the editor submits it."""
    form_class = ArticlePage.get_edit_handler().get_form_class()
    data = {"title": "关于开展自查的通知", "slug": "notice-1", "source": "", "summary": "",
            **body_form_data("<p>正文。</p>"), "go_live_at": "", "expire_at": "", "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0", "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000"}
    data.update(values)
    return form_class(data, instance=instance or ArticlePage(), parent_page=site.column, for_user=site.editor)


def minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def draft(site, **fields) -> ArticlePage:  # noqa: ANN001, ANN003
    return site.column.add_child(instance=ArticlePage(title="草稿", slug=f"draft-{ArticlePage.objects.count()}",
                                                      body="<p>正文。</p>", live=False, **fields))


def test_the_editor_form_has_no_publication_time_to_type(site) -> None:  # noqa: ANN001
    form = editor_form(site, published_at="2020-05-01 09:30")
    assert "published_at" not in form.fields
    assert form.is_valid()
    assert "published_at" not in form.cleaned_data


def test_publishing_sets_the_minute_the_item_goes_live(site) -> None:  # noqa: ANN001
    typed = datetime(2020, 5, 1, 1, 30, tzinfo=UTC)  # a back-dated time set by a script or an old form
    page = draft(site, published_at=typed)
    before = minute(timezone.now())
    page.save_revision().publish()
    stored = ArticlePage.objects.get(pk=page.pk).published_at
    assert before <= stored <= minute(timezone.now()) and stored != typed


def test_a_future_time_typed_anywhere_is_replaced_by_the_time_of_publishing(site) -> None:  # noqa: ANN001
    page = draft(site, published_at=timezone.now() + timedelta(days=30))
    page.save_revision().publish()
    assert ArticlePage.objects.get(pk=page.pk).published_at <= timezone.now()


def test_scheduled_publishing_records_the_time_the_worker_publishes(site) -> None:  # noqa: ANN001
    """定时发布: the revision goes live when the worker runs `publish_scheduled`; that minute is the 发布时间."""
    page = draft(site)
    revision = page.save_revision(approved_go_live_at=timezone.now() + timedelta(minutes=1))
    ArticlePage.objects.filter(pk=page.pk).update(go_live_at=timezone.now() - timedelta(minutes=5))
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=5)  # the go-live time has come
    revision.save(update_fields=["approved_go_live_at"])
    before = minute(timezone.now())
    call_command("publish_scheduled")
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live and before <= page.published_at <= minute(timezone.now())


def test_the_publication_time_never_changes_after_publication(site) -> None:  # noqa: ANN001
    page = draft(site)
    page.save_revision().publish()
    published = ArticlePage.objects.get(pk=page.pk)
    original = published.published_at
    published.published_at = original - timedelta(days=10)
    with pytest.raises(ValidationError) as caught:
        published.full_clean()
    assert "信息发布后，发布时间不可修改" in caught.value.message_dict["published_at"][0]
    with pytest.raises(ValidationError):
        published.save()  # a script saving directly
    assert ArticlePage.objects.get(pk=page.pk).published_at == original


def test_republishing_an_edit_keeps_the_first_publication_time(site) -> None:  # noqa: ANN001
    page = draft(site)
    old_revision = page.save_revision()  # saved before publication, carrying the draft's placeholder time
    old_revision.publish()
    original = ArticlePage.objects.get(pk=page.pk).published_at
    editing = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert editing.published_at == original
    editing.title = "草稿（修订）"
    editing.save_revision().publish()
    old_revision.publish()  # reverting to a revision from before publication changes nothing either
    assert ArticlePage.objects.get(pk=page.pk).published_at == original


def test_the_migration_import_keeps_an_original_past_time_but_never_a_future_one(site) -> None:  # noqa: ANN001
    original = datetime(2019, 7, 1, 2, 15, tzinfo=UTC)
    page = draft(site, published_at=original)
    with keeping_original_published_at():
        page.save_revision().publish()
    assert ArticlePage.objects.get(pk=page.pk).published_at == original
    future = draft(site, published_at=timezone.now() + timedelta(days=3))
    with pytest.raises(ValidationError), keeping_original_published_at():
        future.save_revision().publish()
    assert not ArticlePage.objects.get(pk=future.pk).live


@pytest.mark.parametrize("field", ["go_live_at", "expire_at"])
@pytest.mark.parametrize("value", ["0001-01-01 00:00", "1000-01-01 00:00", "9999-12-31 23:59"])
def test_dates_outside_1900_to_2100_are_refused_with_a_chinese_message(site, field: str, value: str) -> None:  # noqa: ANN001
    form = editor_form(site, **{field: value})
    assert not form.is_valid()
    assert "日期应在 1900 年至 2100 年之间。" in form.errors[field]


@pytest.mark.parametrize("value", ["0000-01-01 00:00", "99999-01-01 00:00", "2026-13-40 25:61"])
def test_impossible_dates_are_a_form_error(site, value: str) -> None:  # noqa: ANN001
    form = editor_form(site, go_live_at=value)
    assert not form.is_valid() and form.errors["go_live_at"]


def test_the_column_freshness_ignores_articles_dated_in_the_future(site) -> None:  # noqa: ANN001
    old = add_article(site.column, "旧信息", published_at=timezone.now() - timedelta(days=100))
    future = add_article(site.column, "另一条", published_at=timezone.now() - timedelta(days=1))
    ArticlePage.objects.filter(pk=future.pk).update(published_at=timezone.make_aware(timezone.datetime(2099, 1, 1)))
    column = ColumnPage.objects.get(pk=site.column.pk)
    assert column.latest_published_at() == ArticlePage.objects.get(pk=old.pk).published_at
    assert column.has_future_dated_articles()


def test_rich_text_with_a_lone_surrogate_is_a_form_error_not_a_failed_save(site) -> None:  # noqa: ANN001
    body = json.dumps({"blocks": [{"key": "a1b2c", "type": "unstyled", "text": "正文。", "depth": 0,
                                   "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}},
                      ensure_ascii=False).replace("正文。", "\\ud800正文")
    form = editor_form(site, **{"body-0-value": body})
    assert not form.is_valid()
    assert form.errors["body"] == ["含有空字符或无效的字符编码，请删除后重新输入。"]
