"""Public pages of hosted sites: the footer and meta tags the national rules require (§1.11, §9 items 6–8)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from govsite.content.models import ArticlePage, ColumnPage, SiteAppearance
from govsite.content.tests.builders import add_article, add_column, body_form_data
from govsite.testing import make_user

PORTAL_HOST = "www.sf.gov.cn"
SITE_B_HOST = "www.yi.gov.cn"
ARTICLE_BODY = "<p>第一段正文。</p><ul><li>要点一</li><li>要点二</li></ul><p>第二段正文&amp;说明。</p>"


class _Tags(HTMLParser):
    """Collects <meta name=…>, <a href>, and the resource URLs (<link>, <script>, <img>) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.resources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and "name" in values:
            self.meta[values["name"]] = values.get("content", "")
        elif tag == "a":
            self.links.append(values)
        if tag in {"link", "script", "img"}:
            self.resources.append(values.get("href") or values.get("src") or "")


def parse(response) -> _Tags:  # noqa: ANN001
    parser = _Tags()
    parser.feed(response.content.decode())
    return parser


def path_of(page) -> str:  # noqa: ANN001
    return page.get_url_parts()[2]


def get(client, page_or_path, host: str = PORTAL_HOST, **extra):  # noqa: ANN001, ANN201
    path = page_or_path if isinstance(page_or_path, str) else path_of(page_or_path)
    return client.get(path, HTTP_HOST=host, **extra)


@pytest.fixture
def portal(mini_region):  # noqa: ANN001, ANN201
    """The portal with contact data, a column and two articles, one of them at a known time."""
    website = mini_region.portal
    website.contact_email = "webmaster@sf.gov.cn"
    website.address = "示范市人民大道1号"
    website.save()
    appearance = SiteAppearance.for_site(website.wagtail_site)
    appearance.footer_text = "建议使用1366×768以上分辨率浏览本网站"
    appearance.save()
    home = website.wagtail_site.root_page.specific
    column = add_column(home, "要闻动态", slug="news", keywords="要闻,政务动态", description="政务要闻")
    article = add_article(
        column,
        "自治区人民政府召开常务会议",
        published_at=datetime(2026, 3, 5, 1, 30, tzinfo=UTC),  # 09:30 in Asia/Shanghai
        body=ARTICLE_BODY,
        source="自治区人民政府办公厅",
        summary="会议研究部署优化营商环境工作。",
    )
    older = add_article(column, "全区春季农业生产工作会议召开", published_at=datetime(2026, 3, 1, 2, 0, tzinfo=UTC))
    return {"website": website, "home": home, "column": column, "article": article, "older": older}


def assert_footer_shows(html: str, website) -> None:  # noqa: ANN001
    assert f"网站标识码：{website.site_code}" in html
    assert f"主办单位：{website.owner_unit.name}" in html
    assert f'href="https://bszs.conac.cn/sitename?method=show&amp;id={website.party_gov_mark}"' in html
    assert "党政机关网站标识" in html
    assert (
        f'href="https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode={website.site_code}"'
        in html
    )
    assert "我为政府网站找错" in html
    assert f'<a href="https://beian.miit.gov.cn/">{website.icp_number}</a>' in html
    record_code = re.sub(r"\D", "", website.police_record_number)
    assert (
        f'<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={record_code}">'
        f"{website.police_record_number}</a>"
    ) in html
    assert "联系方式" in html
    assert website.contact_phone in html


@pytest.mark.parametrize("which", ["home", "column", "article"])
def test_footer_carries_registry_identifiers_on_every_kind_of_page(client, portal, which) -> None:
    response = get(client, portal[which])
    assert response.status_code == 200
    html = response.content.decode()
    website = portal["website"]
    assert_footer_shows(html, website)
    assert f'<a href="mailto:{website.contact_email}">{website.contact_email}</a>' in html
    assert f"地址：{website.address}" in html
    assert "建议使用1366×768以上分辨率浏览本网站" in html


def test_footer_police_record_link_uses_only_the_digits_of_the_number(client, portal) -> None:
    website = portal["website"]
    website.police_record_number = "京公网安备 11010502030143号"
    website.save()
    html = get(client, "/").content.decode()
    assert "registerSystemInfo?recordcode=11010502030143\"" in html


def test_each_site_footer_shows_its_own_registry_entry(client, mini_region) -> None:
    site_b = mini_region.site_b
    site_b.icp_number = "示ICP备22222222号"
    site_b.police_record_number = "示公网安备 99020002000002号"
    site_b.party_gov_mark = "9902000001"
    site_b.save()

    html = get(client, "/", host=SITE_B_HOST).content.decode()

    assert_footer_shows(html, site_b)
    assert "网站标识码：9902000001" in html
    assert "主办单位：乙市人民政府" in html
    portal = mini_region.portal
    assert portal.site_code not in html
    assert portal.owner_unit.name not in html.replace(site_b.owner_unit.name, "")
    assert portal.icp_number not in html
    assert "<title>乙市人民政府网</title>" in html


def test_article_page_emits_the_meta_tags_with_stored_values(client, portal) -> None:
    meta = parse(get(client, portal["article"])).meta
    assert meta["SiteName"] == "示范自治区人民政府网"
    assert meta["SiteDomain"] == "www.sf.gov.cn"
    assert meta["SiteIDCode"] == "9900000001"
    assert meta["ColumnName"] == "要闻动态"
    assert meta["ColumnKeywords"] == "要闻,政务动态"
    assert meta["ArticleTitle"] == "自治区人民政府召开常务会议"
    assert meta["PubDate"] == "2026-03-05 09:30"
    assert meta["ContentSource"] == "自治区人民政府办公厅"
    assert meta["description"] == "会议研究部署优化营商环境工作。"


def test_article_description_falls_back_to_body_text(client, portal) -> None:
    article = add_article(portal["column"], "无摘要的信息", body=ARTICLE_BODY)
    assert parse(get(client, article)).meta["description"] == "第一段正文。 要点一 要点二 第二段正文&说明。"


def test_article_page_shows_publication_time_to_the_minute_in_local_time(client, portal) -> None:
    # 23:30 UTC on 4 March is 07:30 on 5 March in Asia/Shanghai: the page shows the local date and time.
    article = add_article(
        portal["column"], "跨日发布的信息", published_at=datetime(2026, 3, 4, 23, 30, tzinfo=UTC), body=ARTICLE_BODY
    )
    html = get(client, article).content.decode()
    assert re.search(r"发布时间：<time datetime=\"2026-03-05T07:30:00\+08:00\">2026-03-05 07:30</time>", html)
    assert "来源：" not in html  # no source stored: nothing invented
    assert "<li>要点一</li>" in html
    assert '<nav class="breadcrumb" aria-label="当前位置">' in html


def test_column_lists_articles_newest_first_with_dates(client, portal) -> None:
    html = get(client, portal["column"]).content.decode()
    newer = html.index("自治区人民政府召开常务会议")
    older = html.index("全区春季农业生产工作会议召开")
    assert newer < older
    assert ">2026-03-05</time>" in html
    assert ">2026-03-01</time>" in html
    assert "暂无信息" not in html


def test_empty_column_says_no_information(client, portal) -> None:
    empty = add_column(portal["home"], "政策解读", slug="interpretation")
    html = get(client, empty).content.decode()
    assert '<p class="empty">暂无信息</p>' in html


def test_column_shows_its_sub_columns(client, portal) -> None:
    add_column(portal["column"], "部门动态", slug="departments", show_in_menus=False)
    html = get(client, portal["column"]).content.decode()
    assert "下级栏目" in html
    assert ">部门动态</a>" in html


def test_column_pagination_has_accessible_labels(client, portal, monkeypatch) -> None:
    monkeypatch.setattr(ColumnPage, "page_size", 1)
    html = get(client, path_of(portal["column"]) + "?page=2").content.decode()
    assert '<nav class="pagination" aria-label="分页">' in html
    assert 'aria-current="page" aria-label="第 2 页，当前页"' in html
    assert 'aria-label="第 1 页"' in html
    assert 'rel="prev">上一页</a>' in html
    assert "共 2 条，第 2/2 页" in html


def test_home_page_lists_columns_with_latest_dated_articles(client, portal) -> None:
    add_column(portal["home"], "通知公告", slug="notices")
    response = get(client, "/")
    html = response.content.decode()
    assert '<nav class="site-nav" aria-label="主导航">' in html
    assert '<a href="/news/">要闻动态</a>' in html
    assert 'id="column-' in html and ">要闻动态</h2>" in html
    assert ">2026-03-05</time>" in html
    assert "暂无信息" in html  # 通知公告 has no articles yet


def test_column_hidden_from_menu_is_not_in_navigation(client, portal) -> None:
    add_column(portal["home"], "内部栏目", slug="internal", show_in_menus=False, show_on_homepage=False)
    html = get(client, "/").content.decode()
    assert "内部栏目" not in html


def test_base_template_basics(client, portal) -> None:
    response = get(client, portal["article"], HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    # Chinese content keeps a Chinese lang attribute whatever the browser asks for.
    assert html.startswith('<!DOCTYPE html>\n<html lang="zh-Hans">')
    assert '<a class="skip-link" href="#main">跳转到主要内容</a>' in html
    assert '<main id="main"' in html
    assert "target=" not in html
    tags = parse(response)
    assert all(url.startswith("/") and not url.startswith("//") for url in tags.resources), tags.resources


def test_site_colours_become_css_custom_properties(client, portal) -> None:
    appearance = SiteAppearance.for_site(portal["website"].wagtail_site)
    appearance.primary_colour = "#0B5394"
    appearance.save()
    html = get(client, "/").content.decode()
    assert "--colour-primary:#0b5394;--colour-accent:#1f3a68;" in html


def test_unreadable_colour_saved_past_the_form_falls_back_to_default(client, portal) -> None:
    appearance = SiteAppearance.for_site(portal["website"].wagtail_site)
    appearance.primary_colour = "#ffff00"  # 1.07:1 against white
    appearance.accent_colour = "};</sty"  # not a colour; fits the 7-character column
    appearance.save()
    html = get(client, "/").content.decode()
    assert "--colour-primary:#9b1c1c;--colour-accent:#1f3a68;" in html


def test_elder_mode_cookie_renders_large_text_class(client, portal) -> None:
    client.cookies["govsite_elder"] = "1"
    html = get(client, "/").content.decode()
    assert '<html lang="zh-Hans" class="elder">' in html
    assert 'aria-pressed="true"' in html


def test_not_found_page_is_chinese_and_keeps_the_footer(client, portal) -> None:
    response = get(client, "/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面未找到" in html
    assert_footer_shows(html, portal["website"])


def test_server_error_page_needs_no_database() -> None:
    # No django_db mark: any query while rendering would raise here.
    html = render_to_string("500.html")
    assert '<html lang="zh-Hans">' in html
    assert "服务暂时不可用" in html


def test_published_at_cannot_change_after_publishing(portal) -> None:
    article = ArticlePage.objects.get(pk=portal["article"].pk)
    article.published_at = article.published_at - timedelta(days=30)
    with pytest.raises(ValidationError):
        article.save()
    assert ArticlePage.objects.get(pk=article.pk).published_at_display == "2026-03-05 09:30"


def _edit_form(client, article):  # noqa: ANN001, ANN201
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(body_form_data(article.body))  # the StreamField's inputs are built by the browser's script
    return url, data


def test_admin_edit_form_shows_the_publication_time_read_only_and_ignores_a_posted_one(client, portal) -> None:
    client.force_login(make_user(is_superuser=True, is_staff=True))
    article = portal["article"]
    url, data = _edit_form(client, article)
    assert "published_at" not in data  # no input: the system sets it
    page = client.get(url).content.decode()
    assert "发布时间" in page and "2026-03-05 09:30" in page  # shown, read-only
    data["published_at"] = "2026-02-01 08:00"
    data["action-submit"] = "action-submit"

    response = client.post(url, data)

    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=article.pk).published_at_display == "2026-03-05 09:30"


def test_admin_edit_form_accepts_an_unchanged_publication_time(client, portal) -> None:
    admin = make_user(is_superuser=True, is_staff=True)
    client.force_login(admin)
    article = portal["article"]
    url, data = _edit_form(client, article)
    data["title"] = "自治区人民政府召开第五次常务会议"
    data["action-submit"] = "action-submit"  # issue 9: published through the site's workflow, not 发布

    response = client.post(url, data)

    assert response.status_code == 302
    task_state = ArticlePage.objects.get(pk=article.pk).current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, admin, "approve")
    # 保密审查 is the site's own 保密审查员's (issue 12), not the superuser's.
    task_state = ArticlePage.objects.get(pk=article.pk).current_workflow_state.current_task_state
    secrecy = make_user("secrecy_portal")
    secrecy.groups.add(*task_state.task.specific.groups.all())
    task_state.task.specific.on_action(task_state, secrecy, "approve")
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.title == "自治区人民政府召开第五次常务会议"
    assert article.published_at_display == "2026-03-05 09:30"


def test_admin_edit_form_accepts_an_article_whose_stored_time_has_seconds(client, portal) -> None:
    client.force_login(make_user(is_superuser=True, is_staff=True))
    article = add_article(portal["column"], "带秒的发布时间", published_at=datetime(2026, 3, 5, 1, 30, 42, tzinfo=UTC))
    url, data = _edit_form(client, article)
    data["title"] = "修改后的标题"
    data["action-publish"] = "action-publish"

    response = client.post(url, data)

    assert response.status_code == 302
