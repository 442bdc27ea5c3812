"""信息接口 (/api/v1/content/items): public items without login, drafts only for their site's staff, bad input in Chinese."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from govsite.content.models import ArticlePage
from govsite.content.tests.builders import add_article, add_column
from govsite.core.models import Role
from govsite.testing import client_for, give_role, make_user

pytestmark = pytest.mark.slow  # a region with four hosted sites and published pages per test


@pytest.fixture
def world(mini_region):  # noqa: ANN001, ANN201
    home_a = mini_region.site_a.wagtail_site.root_page.specific
    column_a = add_column(home_a, "通知公告", slug="notices")
    live = add_article(column_a, "甲市公开信息", slug="open", body="<p>公开<b>正文</b>。</p>", source="甲市政府办",
                       summary="公开摘要", published_at=datetime(2026, 3, 1, 2, 0, tzinfo=UTC))
    pending = live.get_latest_revision_as_object()
    pending.body = "<p>甲市待审修改</p>"
    pending.save_revision()
    draft = column_a.add_child(instance=ArticlePage(title="甲市草稿信息", slug="draft", live=False,
                                                    published_at=timezone.now(), body="<p>甲市草稿正文</p>"))
    draft.save_revision()
    home_b = mini_region.site_b.wagtail_site.root_page.specific
    column_b = add_column(home_b, "乙市要闻", slug="news")
    live_b = add_article(column_b, "乙市公开信息", slug="open")
    editor_a = make_user("items_editor_a")
    give_role(editor_a, Role.EDITOR, website=mini_region.site_a)
    supervisor = make_user("items_supervisor")
    give_role(supervisor, Role.SUPERVISOR, unit=mini_region.gov_a)
    return {"region": mini_region, "column_a": column_a, "live": live, "draft": draft, "live_b": live_b,
            "column_b": column_b, "editor_a": editor_a, "supervisor": supervisor}


def test_anonymous_lists_public_items_of_every_site_without_login(client, world) -> None:
    response = client.get("/api/v1/content/items")
    assert response.status_code == 200
    titles = {item["title"] for item in response.json()["items"]}
    assert {"甲市公开信息", "乙市公开信息"} <= titles
    assert "甲市草稿信息" not in titles
    assert "甲市待审修改" not in response.content.decode()


def test_items_filter_by_site_and_column(client, world) -> None:
    region = world["region"]
    by_site = client.get(f"/api/v1/content/items?site_code={region.site_b.site_code}").json()
    assert [item["title"] for item in by_site["items"]] == ["乙市公开信息"]
    assert by_site["items"][0]["site"] == {"site_code": region.site_b.site_code, "name": "乙市人民政府网"}
    by_column = client.get(f"/api/v1/content/items?column_id={world['column_a'].pk}").json()
    assert [item["title"] for item in by_column["items"]] == ["甲市公开信息"]
    assert by_column["items"][0]["column"]["title"] == "通知公告"


def test_item_detail_has_its_metadata_and_published_body(client, world) -> None:
    live = world["live"]
    data = client.get(f"/api/v1/content/items/{live.pk}").json()
    assert data["title"] == "甲市公开信息" and data["url"] == "https://www.jia.gov.cn/notices/open/"
    assert data["site"]["site_code"] == world["region"].site_a.site_code
    assert data["column"]["id"] == world["column_a"].pk
    assert data["published_at"].startswith("2026-03-01T02:00")
    assert data["source"] == "甲市政府办" and data["summary"] == "公开摘要"
    assert "<p>公开<b>正文</b>。</p>" in data["body_html"] and data["body_text"] == "公开正文。"
    assert data["draft"] is False and data["has_unpublished_changes"] is True
    assert data["interpretations"] == [] and data["replaced_by"] is None
    for name in ("index_number", "topic", "genre", "issuing_organ", "written_date", "doc_number", "validity"):
        assert name in data


def test_anonymous_gets_no_draft_and_no_restricted_item(client, world) -> None:
    assert client.get(f"/api/v1/content/items/{world['draft'].pk}").status_code == 404
    assert client.get(f"/api/v1/content/items/{world['draft'].pk}?draft=true").status_code == 404
    assert client.get(f"/api/v1/content/items/{world['live'].pk}?draft=true").status_code == 404
    PageViewRestriction.objects.create(page=world["column_a"], restriction_type=PageViewRestriction.PASSWORD,
                                       password="secret-2026")
    assert client.get(f"/api/v1/content/items/{world['live'].pk}").status_code == 404
    assert "甲市公开信息" not in client.get("/api/v1/content/items").content.decode()


def test_staff_of_the_site_read_its_drafts_and_pending_changes(world) -> None:
    editor = client_for(world["editor_a"])
    drafts = editor.get("/api/v1/content/items?draft=true").json()
    titles = {item["title"] for item in drafts["items"]}
    assert titles == {"甲市公开信息", "甲市草稿信息"}
    assert all(item["draft"] for item in drafts["items"])
    pending = editor.get(f"/api/v1/content/items/{world['live'].pk}?draft=true").json()
    assert "<p>甲市待审修改</p>" in pending["body_html"]
    draft = editor.get(f"/api/v1/content/items/{world['draft'].pk}?draft=true").json()
    assert draft["body_text"] == "甲市草稿正文" and draft["live"] is False


def test_staff_of_one_site_get_no_draft_of_another(world) -> None:
    editor = client_for(world["editor_a"])
    assert editor.get(f"/api/v1/content/items/{world['live_b'].pk}?draft=true").status_code == 404
    listing = editor.get(f"/api/v1/content/items?draft=true&site_code={world['region'].site_b.site_code}").json()
    assert listing["items"] == []
    assert editor.get(f"/api/v1/content/items/{world['live_b'].pk}").json()["title"] == "乙市公开信息"


def test_supervisor_sees_only_published_bodies(world) -> None:
    supervisor = client_for(world["supervisor"])
    assert supervisor.get(f"/api/v1/content/items/{world['live'].pk}?draft=true").status_code == 404
    assert supervisor.get(f"/api/v1/content/items/{world['draft'].pk}").status_code == 404
    published = supervisor.get(f"/api/v1/content/items/{world['live'].pk}").json()
    assert "<p>公开<b>正文</b>。</p>" in published["body_html"]
    assert supervisor.get("/api/v1/content/items?draft=true").json()["items"] == []


@pytest.mark.parametrize("query", [
    "/api/v1/content/items?site_code=abc",
    "/api/v1/content/items?column_id=99999999999999999999",
    "/api/v1/content/items?column_id=-1",
    "/api/v1/content/items?limit=0",
    "/api/v1/content/items?offset=99999999999999999999",
    "/api/v1/content/items?draft=maybe",
    "/api/v1/content/items?site_code=%00",
])
def test_bad_list_input_is_a_chinese_422(client, world, query) -> None:
    response = client.get(query)
    assert response.status_code == 422
    message = str(response.json()["detail"])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


@pytest.mark.parametrize("path", ["99999999999999999999", "0", "-5"])
def test_out_of_range_item_ids_are_404_in_chinese(client, world, path) -> None:
    response = client.get(f"/api/v1/content/items/{path}")
    assert response.status_code in (404, 422)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.json()["detail"]))


def test_unknown_site_code_is_404_in_chinese(client, world) -> None:
    response = client.get("/api/v1/content/items?site_code=9999999999")
    assert response.status_code == 404 and response.json()["detail"]
