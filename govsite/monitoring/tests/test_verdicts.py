"""Verdicts that are right first (issue 13 item 1): veto (1) counts first-level 通知公告/政策文件 columns only,
placeholder columns are 空白栏目 and one-page columns are not, links that never resolve are broken with their
reason in Chinese — on crawled sites (the site model) and hosted sites (the page tree)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from govsite.content.models import UpdateClass
from govsite.content.tests.builders import add_article, add_column
from govsite.monitoring.checks import broken_links, columns
from govsite.monitoring.contract import Severity, SiteScan
from govsite.monitoring.crawler import scan_site
from govsite.monitoring.engine import run_checks
from govsite.monitoring.hosted import freshness_findings
from govsite.monitoring.sitemodel import is_placeholder_text, site_model
from govsite.monitoring.tests.test_sitemodel import SITE, page
from govsite.testing.fakesite import LinkSpec, SiteSpec, closed_port

AS_OF = date(2026, 11, 29)
OLD = "2025-01-10"  # older than both limits (news 14 days, notice 183 days)
FRESH = "2026-11-28"


def checks(findings, code: str) -> list:  # noqa: ANN001
    return [f for f in findings if f.check == code]


# -- (1) veto (1) counts first-level 通知公告/政策文件 columns only --------------------------------------------


def nav_doc(main: str, links: list[tuple[str, str]]) -> str:
    nav = "".join(f'<li><a href="{href}">{name}</a></li>' for name, href in links)
    return (f"<!DOCTYPE html><html><body><header class='site-header'><nav class='site-nav'><ul>"
            f"<li><a href='/'>首页</a></li>{nav}</ul></nav></header><main class='site-main'>{main}</main></body></html>")


def listing(title: str, href: str, items: list[tuple[str, str]], nav: list[tuple[str, str]], sub: str = "") -> str:
    lis = "".join(
        f'<li class="article-item"><a href="{href}a{n}/">{t}</a><time datetime="{d}T09:00:00+08:00">{d}</time></li>'
        for n, (t, d) in enumerate(items)
    )
    return nav_doc(f'<div class="column-page"><h1 class="page-title">{title}</h1>{sub}'
                   f'<section class="column-articles"><ul class="article-list">{lis}</ul></section></div>', nav)


def sub_nav(links: list[tuple[str, str]]) -> str:
    return ('<nav class="subcolumns"><ul>'
            + "".join(f'<li><a href="{href}">{name}</a></li>' for name, href in links) + "</ul></nav>")


def crawled_scan(first_level: list[str], sub_columns: dict[str, list[str]]) -> SiteScan:
    """A crawled site: the navigation names `first_level` notice columns (each stale), and each listed one
    has the stale sub-columns `sub_columns[name]` in its listing's sub-column navigation."""
    nav = [("要闻动态", "/yw/")] + [(name, f"/c{n}/") for n, name in enumerate(first_level)]
    pages = [page("/", nav_doc("<p>欢迎</p>", nav), home=True),
             page("/yw/", listing("要闻动态", "/yw/", [("自治区召开常务会议", FRESH)], nav))]
    for n, name in enumerate(first_level):
        subs = [(sub, f"/c{n}/s{m}/") for m, sub in enumerate(sub_columns.get(name, []))]
        body = listing(name, f"/c{n}/", [("关于做好年度工作的通知", OLD)], nav, sub=sub_nav(subs) if subs else "")
        pages.append(page(f"/c{n}/", body))
        for sub, href in subs:
            pages.append(page(href, listing(sub, href, [(f"{sub}第一号文件", OLD)], nav)))
    return SiteScan(site_url=SITE, as_of=AS_OF, pages=pages)


def test_crawled_sub_columns_of_notice_columns_are_stale_but_not_in_veto_one() -> None:
    scan = crawled_scan(["通知公告", "政策文件"], {"政策文件": ["政府文件", "办公厅文件", "政策解读", "规范性文件", "部门文件"]})
    model = site_model(scan)
    levels = {c.name: c.first_level for c in model.columns}
    assert levels["通知公告"] and levels["政策文件"] and not levels["政府文件"] and not levels["部门文件"]
    found = columns.check.run(scan)
    stale = {f.column for f in checks(found, "stale_column")}
    assert stale == {"通知公告", "政策文件", "政府文件", "办公厅文件", "政策解读", "规范性文件", "部门文件"}
    assert checks(found, "column_veto") == []  # 2 first-level notice columns, 7 stale in all (< 10)


def test_crawled_five_stale_first_level_notice_columns_are_veto_one() -> None:
    scan = crawled_scan(["通知公告", "政策文件", "政府文件", "政策解读", "规范性文件"], {})
    (veto,) = checks(columns.check.run(scan), "column_veto")
    assert veto.severity == Severity.VETO
    assert veto.detail.startswith("栏目不更新：动态要闻类和通知公告/政策文件类栏目未按时更新共 5 个")


def local(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


def demo_portal(home, *, first_level: int, sub_columns: int):  # noqa: ANN001, ANN201
    """A portal shaped like the demo's (govsite/demo/data.py): 要闻动态 with its news sub-columns (fresh),
    通知公告, 政策文件 with 政府文件/办公厅文件/政策解读 …, and `first_level` - 2 further first-level notice columns;
    every notice column's newest item is old. Sub-columns are split between 通知公告 and 政策文件."""
    news = add_column(home, "要闻动态", slug="yw")
    for n, title in enumerate(("政务要闻", "部门动态", "地方动态")):
        sub = add_column(news, title, slug=f"yw{n}")
        add_article(sub, f"{title}：自治区召开会议", published_at=local(2026, 11, 27, 9, 0))
    parents = [add_column(home, "通知公告", slug="tzgg", update_class=UpdateClass.NOTICE),
               add_column(home, "政策文件", slug="zcwj", update_class=UpdateClass.NOTICE)]
    for n in range(first_level - 2):
        parents.append(add_column(home, f"公示公告{n}", slug=f"gs{n}", update_class=UpdateClass.NOTICE))
    for parent in parents:
        add_article(parent, f"{parent.title}：关于年度工作的通知", published_at=local(2025, 1, 10, 9, 0))
    for n in range(sub_columns):
        sub = add_column(parents[n % 2], f"政策文件子栏目{n}", slug=f"sub{n}", update_class=UpdateClass.NOTICE)
        add_article(sub, f"第{n}号文件", published_at=local(2025, 1, 12, 9, 0))


def test_hosted_demo_portal_with_stale_notice_sub_columns_is_not_vetoed(mini_region):  # noqa: ANN001
    website = mini_region.site_a
    demo_portal(website.wagtail_site.root_page.specific, first_level=2, sub_columns=6)
    findings = freshness_findings(website, AS_OF)
    stale = {f.column for f in checks(findings, "stale_column")}
    assert {f"政策文件子栏目{n}" for n in range(6)} | {"通知公告", "政策文件"} == stale  # each its own deduction
    assert checks(findings, "column_veto") == []


def test_hosted_as_many_stale_first_level_notice_columns_are_vetoed(mini_region):  # noqa: ANN001
    website = mini_region.site_a
    demo_portal(website.wagtail_site.root_page.specific, first_level=6, sub_columns=0)  # 6, as the 6 sub-columns
    (veto,) = checks(freshness_findings(website, AS_OF), "column_veto")
    assert veto.severity == Severity.VETO
    assert veto.detail.startswith("栏目不更新：动态要闻类和通知公告/政策文件类栏目未按时更新共 6 个")
    assert "公示公告3" in veto.detail


# -- (2) 空白栏目: placeholders and empty lists; one-page columns are neither blank nor stale -----------------

PLACEHOLDERS = ["暂无信息", "暂无内容", "暂无数据", "正在建设中", "信息更新中", "内容更新中", "敬请期待",
                "该栏目正在建设中，敬请期待！", "暂无相关信息。"]
ONE_PAGE = ("某某市人民政府办公室是市政府的办事机构，负责协助市政府领导处理市政府日常工作，"
            "组织起草以市政府名义发布的公文，督促检查市政府各部门和各县区政府对市政府公文的贯彻落实情况。") * 2


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_placeholder_texts(text: str) -> None:
    assert is_placeholder_text(text)


@pytest.mark.parametrize("text", ["通知公告", "暂无信息的栏目应当及时补充内容，各单位要高度重视网站建设工作并落实责任", ""])
def test_texts_that_are_not_placeholders(text: str) -> None:
    assert not is_placeholder_text(text)


def column_scan(name: str, href: str, body: str) -> SiteScan:
    nav = [(name, href)]
    return SiteScan(site_url=SITE, as_of=AS_OF, pages=[
        page("/", nav_doc("<p>欢迎</p>", nav), home=True),
        page(href, nav_doc(f'<div class="column-page"><h1 class="page-title">{name}</h1>{body}</div>', nav)),
    ])


INTRO = "本栏目发布本级政府及其部门的有关信息，内容包括工作部署、政策措施和办理结果等，欢迎社会公众查阅并提出意见建议。"


@pytest.mark.parametrize("text", PLACEHOLDERS)
@pytest.mark.parametrize(("name", "href", "intro"), [
    # a list column with a long 栏目说明 above its (empty) listing
    pytest.param("通知公告", "/tzgg/", INTRO * 4, id="list"),
    # a one-page column whose page says 正在建设中 below a short introduction
    pytest.param("机构概况", "/jggk/", INTRO, id="one-page"),
    pytest.param("在线访谈", "/zxft/", INTRO, id="interaction"),
])
def test_crawled_listing_showing_a_placeholder_is_blank(name: str, href: str, intro: str, text: str) -> None:
    scan = column_scan(name, href, f'<p class="column-description">{intro}</p>'
                                   f'<section class="column-articles"><ul class="list"></ul><div class="empty">{text}</div>'
                                   f"</section>")
    found = columns.check.run(scan)
    assert [(f.check, f.column) for f in found] == [("blank_column", name)]


def test_crawled_empty_list_is_blank() -> None:
    scan = column_scan("工作动态", "/gzdt/", '<section class="column-articles"><ul class="list"></ul></section>')
    assert [(f.check, f.column) for f in columns.check.run(scan)] == [("blank_column", "工作动态")]


@pytest.mark.parametrize(("name", "href"), [("机构概况", "/jggk/"), ("领导简介", "/ldjj/"), ("政府信息公开指南", "/zn/")])
def test_crawled_one_page_column_with_real_text_is_neither_blank_nor_stale(name: str, href: str) -> None:
    scan = column_scan(name, href, f"<div class='article-body'><p>{ONE_PAGE}</p></div>")
    assert columns.check.run(scan) == []


def test_crawled_one_page_column_mentioning_a_placeholder_word_in_prose_is_not_blank() -> None:
    prose = ONE_PAGE + "本机构暂无下属事业单位，相关信息以正式公布为准，如有变动将及时更新。"
    scan = column_scan("机构概况", "/jggk/", f"<div class='article-body'><p>{prose}</p></div>")
    assert columns.check.run(scan) == []


def test_crawled_demo_like_site_keeps_its_one_blank_column() -> None:
    from govsite.monitoring.tests.test_sitemodel import demo_like_scan

    findings = run_checks(demo_like_scan(), only={"columns"})
    assert [(f.check, f.column) for f in findings] == [("blank_column", "征集调查")]


@pytest.fixture
def hosted(mini_region):  # noqa: ANN001, ANN201
    website = mini_region.site_a
    return website, website.wagtail_site.root_page.specific


def set_text(column, *, body: str = "", description: str = "") -> None:  # noqa: ANN001
    column.body = body
    column.description = description
    column.save_revision().publish()


@pytest.mark.parametrize("text", ["暂无信息", "正在建设中", "该栏目正在建设中，敬请期待！", "内容更新中"])
@pytest.mark.parametrize("update_class", [UpdateClass.NEWS, UpdateClass.NOTICE, UpdateClass.STATIC, UpdateClass.SERVICE])
def test_hosted_column_whose_only_text_is_a_placeholder_is_blank(hosted, text: str, update_class: str) -> None:  # noqa: ANN001
    website, home = hosted
    column = add_column(home, "栏目甲", slug="jia", update_class=update_class)
    set_text(column, body=f"<p>{text}</p>")
    found = [(f.check, f.column) for f in freshness_findings(website, AS_OF) if f.check != "homepage_stale"]
    assert found == [("blank_column", "栏目甲")]


def test_hosted_column_whose_description_is_a_placeholder_is_blank(hosted) -> None:  # noqa: ANN001
    website, home = hosted
    column = add_column(home, "机构职能", slug="jgzn", update_class=UpdateClass.STATIC)
    set_text(column, description="正在建设中")
    assert [f.column for f in checks(freshness_findings(website, AS_OF), "blank_column")] == ["机构职能"]


def test_hosted_empty_list_column_is_blank_and_placeholder_with_items_is_not(hosted) -> None:  # noqa: ANN001
    website, home = hosted
    add_column(home, "工作动态", slug="gzdt")
    notices = add_column(home, "通知公告", slug="tzgg", update_class=UpdateClass.NOTICE)
    set_text(notices, body="<p>暂无信息</p>")
    add_article(notices, "关于开展安全检查的通知", published_at=local(2026, 11, 20, 9, 0))
    assert [f.column for f in checks(freshness_findings(website, AS_OF), "blank_column")] == ["工作动态"]


@pytest.mark.parametrize("update_class", [UpdateClass.NEWS, UpdateClass.NOTICE, UpdateClass.STATIC])
@pytest.mark.parametrize("title", ["机构概况", "领导简介"])
def test_hosted_one_page_column_with_real_text_is_neither_blank_nor_stale(hosted, title: str, update_class: str) -> None:  # noqa: ANN001
    website, home = hosted
    column = add_column(home, title, slug="about", update_class=update_class)
    set_text(column, body=f"<p>{ONE_PAGE}</p>", description="暂无信息")
    found = freshness_findings(website, AS_OF)
    assert [f for f in found if f.check in ("blank_column", "stale_column", "column_veto")] == []


# -- (3) links that never resolve are broken, with the reason in Chinese -------------------------------------


def test_redirect_loop_too_many_redirects_and_a_dead_redirect_target_are_broken_links(serve_site) -> None:  # noqa: ANN001
    dead = f"http://127.0.0.1:{closed_port()}/new.html"  # a host that refuses connections
    site = serve_site(SiteSpec(
        links=[LinkSpec("/loop", text="循环链接"), LinkSpec("/chain", text="链条链接"), LinkSpec("/moved", text="迁移链接"),
               LinkSpec("/ok.html", text="正常链接")],
        hostile={"/loop": "redirect_loop", "/chain": "redirect_chain"},
        redirects={"/moved": dead, "/ok.html": "{self}/"},
    ))
    scan = scan_site(site.url + "/", as_of=AS_OF, retries=0, connect_timeout=2, read_timeout=3, total_timeout=5,
                     max_redirects=5, allow_private=True, private_hosts=[dead])
    found = {f.target.removeprefix(site.url): f for f in broken_links.check.run(scan)}
    assert (found["/loop"].check, found["/loop"].status) == ("broken_link", "重定向循环")
    assert found["/chain"].status == "重定向次数过多"
    assert found["/moved"].status == "重定向目标无法访问"
    for path, reason in (("/loop", "重定向循环"), ("/chain", "重定向次数过多"), ("/moved", "重定向目标无法访问")):
        assert reason in found[path].detail and found[path].severity == Severity.DEDUCTION
    assert "/ok.html" not in found  # a redirect that resolves is no broken link
