"""编辑冲突: two people edit the same page; the second save is refused with a message instead of silently
replacing the first, and the second person's text stays in the form."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from govsite.content.models import ArticlePage, ColumnPage
from govsite.content.tests.builders import body_form_data
from govsite.core.models import Role
from govsite.testing import client_for, give_role, make_user, with_site_staff


@pytest.fixture
def site(mini_region):  # noqa: ANN001, ANN201
    region = with_site_staff(mini_region)
    region.editor.first_name, region.editor.last_name = "砚秋", "岑"
    region.editor.save()
    region.editor_2 = make_user("editor_a2", first_name="明", last_name="林")
    give_role(region.editor_2, Role.EDITOR, website=region.site_a)
    article = region.column.add_child(instance=ArticlePage(title="关于开展安全检查的通知", slug="notice-1",
                                                           body="<p>原文。</p>", live=False))
    article.save_revision(user=region.editor)
    region.article = ArticlePage.objects.get(pk=article.pk)
    return region


def edit_url(page) -> str:  # noqa: ANN001
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def editor_form(html: bytes, page=None) -> dict[str, list[str]]:  # noqa: ANN001
    """The fields of the page editor's form as the browser would submit them (no button pressed: 保存草稿);
    an item's body blocks as the StreamField's script builds them from the page's latest version."""
    (form,) = [form for form in lxml.html.fromstring(html).forms if form.get("id") == "page-edit-form"]
    fields: dict[str, list[str]] = {}
    for name, value in form.form_values():
        fields.setdefault(name, []).append(value)
    if page is not None:
        body = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object().body
        fields.update({name: [value] for name, value in body_form_data(body).items()})
    return fields


def latest_title(page) -> str:  # noqa: ANN001
    return ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object().title


def messages_of(response) -> list[str]:  # noqa: ANN001
    return [str(message) for message in response.wsgi_request._messages]


def test_the_second_save_of_the_same_page_is_refused_and_keeps_its_text(site) -> None:
    first, second = client_for(site.editor), client_for(site.editor_2)
    first_form = editor_form(first.get(edit_url(site.article)).content, site.article)
    second_form = editor_form(second.get(edit_url(site.article)).content, site.article)
    assert first_form["loaded_revision_id"] == [str(site.article.latest_revision_id)]

    first_form["title"] = ["关于开展安全检查的通知（岑砚秋修改）"]
    saved = first.post(edit_url(site.article), first_form)
    assert saved.status_code == 302 and latest_title(site.article) == "关于开展安全检查的通知（岑砚秋修改）"

    second_form["title"] = ["关于开展安全检查的通知（林明修改）"]
    refused = second.post(edit_url(site.article), second_form)
    assert refused.status_code == 200
    assert latest_title(site.article) == "关于开展安全检查的通知（岑砚秋修改）"  # the first save stands
    (message,) = [m for m in messages_of(refused) if "保存了新的版本" in m]
    revision = ArticlePage.objects.get(pk=site.article.pk).latest_revision
    assert "岑砚秋" in message
    assert timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M") in message
    kept = editor_form(refused.content, site.article)
    assert kept["title"] == ["关于开展安全检查的通知（林明修改）"]  # the second person's text is not lost

    # Having seen the message, saving again replaces the newer version on purpose.
    again = second.post(edit_url(site.article), kept)
    assert again.status_code == 302 and latest_title(site.article) == "关于开展安全检查的通知（林明修改）"


def test_one_person_saving_twice_is_not_a_conflict(site) -> None:
    client = client_for(site.editor)
    for title in ("第一次修改", "第二次修改"):
        form = editor_form(client.get(edit_url(site.article)).content, site.article)
        form["title"] = [title]
        assert client.post(edit_url(site.article), form).status_code == 302
    assert latest_title(site.article) == "第二次修改"


def test_submitting_for_review_from_an_old_version_is_refused_too(site) -> None:
    first, second = client_for(site.editor), client_for(site.editor_2)
    second_form = editor_form(second.get(edit_url(site.article)).content, site.article)
    first_form = editor_form(first.get(edit_url(site.article)).content, site.article)
    first_form["title"] = ["先保存的标题"]
    assert first.post(edit_url(site.article), first_form).status_code == 302
    second_form["title"] = ["后提交的标题"]
    refused = second.post(edit_url(site.article), {**second_form, "action-submit": ["提交审核"]})
    assert refused.status_code == 200 and any("保存了新的版本" in m for m in messages_of(refused))
    assert latest_title(site.article) == "先保存的标题"


def test_two_site_admins_editing_the_same_column_conflict_too(site) -> None:
    admins = []
    for username in ("admin_a1", "admin_a2"):
        admin = make_user(username)
        give_role(admin, Role.SITE_ADMIN, website=site.site_a)
        admins.append(client_for(admin))
    url = edit_url(site.column)
    forms = [editor_form(client.get(url).content) for client in admins]
    forms[0]["description"], forms[1]["description"] = ["先保存的说明"], ["后保存的说明"]
    assert admins[0].post(url, forms[0]).status_code == 302
    refused = admins[1].post(url, forms[1])
    assert refused.status_code == 200 and any("保存了新的版本" in m for m in messages_of(refused))
    assert ColumnPage.objects.get(pk=site.column.pk).get_latest_revision_as_object().description == "先保存的说明"
