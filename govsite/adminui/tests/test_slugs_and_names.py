"""Readable pinyin slugs for Chinese titles, 姓名 order, Chinese permission names, the interface language."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow

from govsite.adminui.middleware import language_for
from govsite.adminui.names import full_name
from govsite.adminui.permissions import translate_permission_names
from govsite.adminui.slugs import pinyin_slug
from govsite.content.models import ArticlePage
from govsite.content.tests.builders import add_column
from govsite.testing import make_user

LONG_TITLE = "关于开展2025年安全生产检查的通知"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("要闻动态", "yaowen-dongtai"),
        ("重庆银行", "chongqing-yinhang"),  # 重 in a word is chong, not zhong
        ("2025年工作报告", "2025-nian-gongzuo-baogao"),
        (LONG_TITLE, "gykz-2025-naqscjcdtz"),
        ("政府信息公开年报", "zfxxgknb"),
        ("GovSite 介绍", "govsite-jieshao"),
        ("！！！", ""),
    ],
)
def test_pinyin_slug(title: str, slug: str) -> None:
    assert pinyin_slug(title) == slug


def test_pinyin_slug_is_short_for_a_long_title() -> None:
    assert len(pinyin_slug("关于印发" + "示范自治区" * 30 + "实施方案的通知")) <= 50


def _article(column, title: str, slug: str = "") -> ArticlePage:  # noqa: ANN001
    return column.add_child(instance=ArticlePage(title=title, slug=slug, published_at=timezone.now(), body="<p>正文。</p>"))


@pytest.mark.django_db
def test_new_page_gets_a_pinyin_slug_deduplicated_among_siblings(mini_region) -> None:  # noqa: ANN001
    column = add_column(mini_region.portal.wagtail_site.root_page, "通知公告", slug="tzgg")
    first = _article(column, LONG_TITLE)
    unicode_slug = _article(column, LONG_TITLE, slug="关于开展2025年安全生产检查的通知")  # as Wagtail's JS fills it
    typed = _article(column, "另一条通知", slug="notice-2")
    assert (first.slug, unicode_slug.slug, typed.slug) == ("gykz-2025-naqscjcdtz", "gykz-2025-naqscjcdtz-2", "notice-2")
    assert first.url_path.endswith("/tzgg/gykz-2025-naqscjcdtz/")


@pytest.mark.django_db
def test_published_page_keeps_its_address(mini_region) -> None:  # noqa: ANN001
    column = add_column(mini_region.portal.wagtail_site.root_page, "通知公告", slug="tzgg")
    article = _article(column, "旧通知", slug="x")
    # an address that was already public before GovSite
    ArticlePage.objects.filter(pk=article.pk).update(slug="旧通知", live=True, first_published_at=timezone.now())
    article.refresh_from_db()
    article.title = "旧通知（修订）"
    article.save()
    article.refresh_from_db()
    assert article.slug == "旧通知"


def test_chinese_name_is_written_family_name_first_without_space() -> None:
    assert full_name("砚秋", "岑") == "岑砚秋"
    assert full_name("Ada", "Lovelace") == "Ada Lovelace"
    assert full_name("", "岑") == "岑"


@pytest.mark.django_db
def test_user_full_name_everywhere_is_in_chinese_order(client) -> None:  # noqa: ANN001
    admin = make_user(is_superuser=True, is_staff=True, first_name="砚秋", last_name="岑")
    assert admin.get_full_name() == "岑砚秋"
    client.force_login(admin)
    html = client.get(reverse("wagtailusers_users:index")).content.decode()
    assert "岑砚秋" in html and "砚秋 岑" not in html


@pytest.mark.django_db
def test_permissions_groups_and_default_workflow_have_chinese_names() -> None:
    assert Permission.objects.get(codename="add_page").name == "可添加页面"
    assert Permission.objects.get(codename="bulk_delete_page").name != "Delete pages with children"
    assert not Permission.objects.filter(name__startswith="Can ").exists()
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert translate_permission_names() == 0  # already Chinese after migrate


def test_interface_language_ignores_the_browser_but_honours_an_explicit_choice(rf) -> None:  # noqa: ANN001
    assert language_for(rf.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")) == "zh-hans"
    chosen = rf.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    chosen.COOKIES["django_language"] = "en"
    assert language_for(chosen) == "en"
    unknown = rf.get("/")
    unknown.COOKIES["django_language"] = "xx"
    assert language_for(unknown) == "zh-hans"


@pytest.mark.django_db
def test_sidebar_greets_the_user_by_full_chinese_name(client) -> None:  # noqa: ANN001
    client.force_login(make_user(is_superuser=True, is_staff=True, first_name="砚秋", last_name="岑"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '"name": "\\u5c91\\u781a\\u79cb"' in html or '"name": "岑砚秋"' in html


@pytest.mark.django_db
def test_validation_errors_of_an_empty_page_form_are_chinese(mini_region, client) -> None:  # noqa: ANN001
    from govsite.adminui.tests.crawl import ALLOWED_WORDS, english_in

    column = add_column(mini_region.portal.wagtail_site.root_page, "通知公告", slug="tzgg")
    client.force_login(make_user(is_superuser=True, is_staff=True))
    url = reverse("wagtailadmin_pages:add", args=["content", "articlepage", column.pk])
    response = client.post(url, {"title": "", "slug": "bad slug!"}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200 and "页面未能创建" in html and "必需字段" in html
    assert english_in(url, html, set(ALLOWED_WORDS) | {"tzgg"}) == []
