"""The site model (站点模型) and the verdicts judged on it: `<time>` dates, 更多 blocks, sub-columns, navigation
shapes, 无法判定 instead of vetoes, one finding per broken target with its pages, outside links 未检查 when
the machine is offline, and pagination that does not count as crawl depth."""

from __future__ import annotations

from datetime import date

from govsite.monitoring.checks import broken_links, columns, footer, homepage_freshness
from govsite.monitoring.contract import FetchedPage, Link, LinkStatus, Severity, SiteScan
from govsite.monitoring.crawler import is_pagination, scan_site
from govsite.monitoring.decode import script_pagination
from govsite.monitoring.engine import run_checks
from govsite.monitoring.sitemodel import discover_columns, is_navigation, site_model, tokens
from govsite.testing.fakesite import ColumnSpec, SiteSpec

AS_OF = date(2026, 11, 29)
SITE = "https://www.shifan.gov.cn/"


def page(path: str, html: str, *, status: int | None = 200, error: str = "", home: bool = False,
         links: list[Link] | None = None) -> FetchedPage:
    url = SITE.rstrip("/") + path
    return FetchedPage(url=url, final_url=url, status=status, error=error, content_type="text/html",
                       text=html, depth=0 if home else 1, is_homepage=home, links=links or [])


FOOTER = """<footer class="site-footer"><div class="footer-marks">
<a href="https://bszs.conac.cn/sitename?method=show&amp;id=1"><img src="/m.svg" alt="党政机关网站标识"></a>
<a href="https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode=9900000001">我为政府网站找错</a></div>
<p><span>主办单位：示范自治区人民政府</span></p><p><span>网站标识码：9900000001</span>
<span>ICP备案号：<a href="https://beian.miit.gov.cn/">示ICP备10320551号</a></span>
<span>公安机关备案号：<a href="http://www.beian.gov.cn/">示公网安备 99010202143091号</a></span></p></footer>"""

NAV = """<header class="site-header"><p class="topbar-welcome">今天是2026年11月29日</p>
<nav class="site-nav" aria-label="主导航"><ul class="site-nav-list"><li><a href="/">首页</a></li>
<li><a href="/yw/">要闻动态</a></li><li><a href="/tzgg/">通知公告</a></li><li><a href="/jgzn/">机构职能</a></li>
</ul></nav></header>"""


def block(title: str, href: str, items: list[tuple[str, str]]) -> str:
    lis = "".join(
        f'<li class="article-item"><a class="article-link" href="{href}a{n}/">{t}</a>'
        f'<time class="article-date" datetime="{d}T10:00:00+08:00">{d}</time></li>'
        for n, (t, d) in enumerate(items)
    )
    return (f'<section class="column-block"><div class="column-block-head"><h2 class="column-block-title">{title}</h2>'
            f'<a class="more-link" href="{href}">更多<span class="visually-hidden">{title}</span></a></div>'
            f'<ul class="article-list">{lis}</ul></section>')


def doc(main: str) -> str:
    return f"<!DOCTYPE html><html><body>{NAV}<main class='site-main'>{main}</main>{FOOTER}</body></html>"


def listing(title: str, href: str, items: list[tuple[str, str]], sub: str = "") -> str:
    lis = "".join(
        f'<li class="article-item"><a href="{href}a{n}/">{t}</a><time datetime="{d}T09:00:00+08:00">{d}</time></li>'
        for n, (t, d) in enumerate(items)
    ) or '<p class="empty">暂无信息</p>'
    return doc(f'<div class="column-page"><h1 class="page-title">{title}</h1>{sub}'
               f'<section class="column-articles"><ul class="article-list">{lis}</ul>'
               f'<nav class="pagination"><ul><li><a href="?page=2">2</a></li><li><a href="?page=2">下一页</a></li>'
               f'</ul></nav></section></div>')


HOME = doc(
    block("要闻动态", "/yw/", [("自治区召开常务会议部署冬季安全生产", "2026-11-28")])
    + block("通知公告", "/tzgg/", [("关于开展安全生产专项检查的通知", "2026-10-01")])
    + block("政务公开专栏", "/zwgk/", [("政府信息公开工作年度报告", "2026-01-20")])
)


def demo_like_scan() -> SiteScan:
    sub = ('<nav class="subcolumns"><ul><li><a href="/jgzn/ldzc/">领导之窗</a></li>'
           '<li><a href="/jgzn/zjdc/">征集调查</a></li></ul></nav>')
    pages = [
        page("/", HOME, home=True),
        page("/yw/", listing("要闻动态", "/yw/", [("自治区召开常务会议部署冬季安全生产", "2026-11-28")])),
        page("/tzgg/", listing("通知公告", "/tzgg/", [("关于开展安全生产专项检查的通知", "2026-10-01")])),
        page("/jgzn/", doc('<div class="column-page"><h1>机构职能</h1><p>' + "负责自治区人民政府日常工作的办事机构。" * 3
                           + f"</p>{sub}</div>")),
        page("/zwgk/", listing("政务公开专栏", "/zwgk/", [("政府信息公开工作年度报告", "2026-01-20")])),
        page("/jgzn/ldzc/", doc("<div class='column-page'><ul><li><a href='/ld/1/'>姬立新</a> 自治区人民政府主席</li>"
                                "<li><a href='/ld/2/'>王建国</a> 自治区人民政府副主席</li></ul></div>")),
        page("/jgzn/zjdc/", listing("征集调查", "/jgzn/zjdc/", [])),
    ]
    return SiteScan(site_url=SITE, as_of=AS_OF, pages=pages)


def test_time_elements_date_the_homepage_items_and_no_veto_follows() -> None:
    scan = demo_like_scan()
    model = site_model(scan)
    assert model.homepage_latest == date(2026, 11, 28)  # <time datetime>, not the header's 今天是
    assert homepage_freshness.check.run(scan) == []


def test_columns_come_from_navigation_and_more_blocks_not_from_more_labels() -> None:
    model = site_model(demo_like_scan())
    found = [(c.name, c.url.removeprefix(SITE.rstrip("/")), c.update_class, c.source) for c in model.columns]
    assert found == [
        ("要闻动态", "/yw/", "news", "nav"),
        ("通知公告", "/tzgg/", "notice", "nav"),
        ("机构职能", "/jgzn/", "static", "nav"),
        ("领导之窗", "/jgzn/ldzc/", "static", "sub"),  # the sub-column list of a column's listing
        ("征集调查", "/jgzn/zjdc/", "interaction", "sub"),
        ("政务公开专栏", "/zwgk/", "special", "more"),  # a homepage block led to by its 更多 link
    ]
    assert not any(name.startswith("更多") for name, *_ in found)


def test_demo_like_site_has_exactly_its_one_blank_column() -> None:
    findings = run_checks(demo_like_scan(), only={"homepage_freshness", "columns", "footer", "broken_links"})
    judged = [(f.check, f.column) for f in findings if f.severity in (Severity.VETO, Severity.DEDUCTION)]
    assert judged == [("blank_column", "征集调查")]


def test_footer_facts_read_any_province_abbreviation() -> None:
    model = site_model(demo_like_scan())
    facts = model.footers[0]
    assert (facts.site_code, facts.icp, facts.owner) == ("9900000001", "示ICP备10320551号", "示范自治区人民政府")
    assert facts.police and facts.conac_mark and facts.fix_entry
    assert footer.check.run(demo_like_scan()) == []


def test_navigation_only_homepage_whose_second_level_pages_failed_cannot_be_judged() -> None:
    home = page("/", doc("<p>欢迎访问</p>"), home=True)
    failed = page("/yw/", "", status=None, error="timeout")
    scan = SiteScan(site_url=SITE, as_of=AS_OF, pages=[home, failed])
    (finding,) = homepage_freshness.check.run(scan)
    assert (finding.check, finding.severity, finding.status) == ("cannot_judge", Severity.WARN, "无法判定")
    assert "无法判定" in finding.detail and "未能抓取" in finding.detail
    judged = run_checks(scan, only={"homepage_freshness", "columns"})
    assert not any(f.severity == Severity.VETO for f in judged)
    assert {f.status for f in judged} == {"无法判定"}


def test_column_listing_without_answer_is_cannot_judge_and_an_http_error_is_unreachable() -> None:
    scan = demo_like_scan()
    scan.pages[1] = page("/yw/", "", status=None, error="connect_error")
    scan.pages[2] = page("/tzgg/", "", status=404)
    found = {f.column: (f.check, f.severity) for f in columns.check.run(scan)}
    assert found["要闻动态"] == ("unreachable_column", Severity.WARN)
    assert found["通知公告"] == ("unreachable_column", Severity.DEDUCTION)


def test_each_broken_target_is_one_finding_with_every_page() -> None:
    gone = f"{SITE}gone.html"
    pages = [page("/", HOME, home=True, links=[Link(SITE, gone, "a", "失效")])]
    for n in range(5):
        url = f"{SITE}p{n}.html"
        pages.append(page(f"/p{n}.html", doc("<p>正文</p>"), links=[Link(url, gone, "a", "失效")]))
    scan = SiteScan(site_url=SITE, as_of=AS_OF, pages=pages, link_status={gone: LinkStatus(gone, 404)})
    (finding,) = broken_links.check.run(scan)
    assert finding.target == gone and finding.on_homepage and finding.url == SITE
    assert finding.pages == (SITE, *(f"{SITE}p{n}.html" for n in range(5)))
    assert finding.as_dict()["pages"][0] == SITE


def _external_scan(results: dict[str, LinkStatus]) -> SiteScan:
    links = [Link(SITE, target, "a", "外链", internal=False) for target in results]
    return SiteScan(site_url=SITE, as_of=AS_OF, pages=[page("/", HOME, home=True, links=links)],
                    link_status=results)


def test_outside_links_are_not_checked_when_no_outside_host_is_reachable() -> None:
    offline = _external_scan({
        "https://beian.miit.gov.cn/": LinkStatus("https://beian.miit.gov.cn/", None, "dns_error"),
        "https://bszs.conac.cn/x": LinkStatus("https://bszs.conac.cn/x", None, "dns_error"),
        "http://www.beian.gov.cn/": LinkStatus("http://www.beian.gov.cn/", None, "connect_error"),
    })
    (finding,) = broken_links.check.run(offline)
    assert (finding.check, finding.severity, finding.status) == ("external_links_unchecked", Severity.INFO, "未检查")
    assert "3 个外部链接未检查" in finding.detail
    # One outside host answers: the machine is online, and the others are broken.
    online = _external_scan({
        "https://beian.miit.gov.cn/": LinkStatus("https://beian.miit.gov.cn/", 200),
        "https://bszs.conac.cn/x": LinkStatus("https://bszs.conac.cn/x", None, "dns_error"),
        "http://www.beian.gov.cn/": LinkStatus("http://www.beian.gov.cn/", None, "connect_error"),
    })
    assert sorted(f.target for f in broken_links.check.run(online)) == ["http://www.beian.gov.cn/",
                                                                         "https://bszs.conac.cn/x"]
    # A closed port on this machine is a real answer, not a sign of being offline.
    local = _external_scan({
        "http://127.0.0.1:9/a": LinkStatus("http://127.0.0.1:9/a", None, "connect_error"),
        "http://127.0.0.1:9/b": LinkStatus("http://127.0.0.1:9/b", None, "connect_error"),
    })
    assert [f.check for f in broken_links.check.run(local)] == ["broken_link", "broken_link"]


def test_navigation_shapes_of_real_templates() -> None:
    assert tokens("mainNav", None) == ("mainnav", "main", "nav")
    for attrs in ('class="mainNav"', 'id="topNav"', 'class="navBar"', 'class="nav_list"', 'class="menu"',
                  'id="daohang"', 'role="navigation"', 'class="lanmu"'):
        root = _tree(f"<div {attrs}><a href='/a/'>工作动态</a></div>")
        assert is_navigation(root.find(".//div")), attrs
    for attrs in ('class="pagination"', 'class="column-block"', 'class="unavailable"', 'class="breadcrumb"'):
        root = _tree(f"<div {attrs}><a href='/a/'>工作动态</a></div>")
        assert not is_navigation(root.find(".//div")), attrs


def _tree(html: str):  # noqa: ANN202
    import lxml.html

    return lxml.html.document_fromstring(f"<html><body>{html}</body></html>")


def test_leaders_names_and_article_titles_in_navigation_are_not_columns() -> None:
    html = ("<html><body><div class='mainNav'><a href='/gzdt/'>工作动态</a><a href='/ldzc/'>领导之窗</a>"
            "<a href='/ld/wang/'>王建国</a><a href='/ld/li/'>李红梅</a>"
            "<a href='/art/2026/11/28/art_1_1.html'>全市召开会议</a><a href='/tzgg/'>更多</a>"
            "<a href='/gzdt/index_1.html'>下一页</a></div></body></html>")
    home = page("/", html, home=True)
    assert [c.name for c in discover_columns(home, SITE)] == ["工作动态", "领导之窗"]


def test_pagination_links_and_script_pagination() -> None:
    def link(text: str, target: str) -> Link:
        return Link(f"{SITE}gzdt/", target, "a", text)

    assert is_pagination(link("下一页", f"{SITE}gzdt/x.html"))
    assert is_pagination(link("3", f"{SITE}gzdt/x.html"))
    assert is_pagination(link("", f"{SITE}gzdt/index_7.html"))
    assert is_pagination(link("", f"{SITE}gzdt/page_2.html"))
    assert not is_pagination(link("关于印发2026年工作要点的通知", f"{SITE}gzdt/t20261128_1.html"))
    html = '<script>createPageHTML(4, 0, "index", "html");</script>'
    found = script_pagination(html, f"{SITE}gzdt/", {"www.shifan.gov.cn"})
    assert [x.target for x in found] == [f"{SITE}gzdt/index_{n}.html" for n in (1, 2, 3)]
    assert all(x.internal for x in found)


def test_pagination_does_not_count_as_depth(serve_site) -> None:  # noqa: ANN001
    # 120 items over 12 pages of 下一页: at depth limit 1 the whole listing is read, and every article at 2.
    spec = SiteSpec(columns=[ColumnSpec("通知公告", "tzgg", [AS_OF] * 120, per_page=10)], mailbox=None)
    site = serve_site(spec)
    shallow = scan_site(site.url, max_pages=1000, max_depth=1, as_of=AS_OF, check_links=False, allow_private=True)
    listing = {p.url for p in shallow.pages if "/tzgg/index_" in p.url}
    assert len(listing) == 11 and {p.depth for p in shallow.pages if p.url in listing} == {1}
    whole = scan_site(site.url, max_pages=1000, as_of=AS_OF, check_links=False, allow_private=True)  # no depth limit by default
    assert len(whole.pages) >= len(shallow.pages) + 120


def test_consultation_channel_whose_page_gave_no_answer_cannot_be_judged() -> None:
    from govsite.monitoring.checks import interaction

    mailbox = f"{SITE}ldxx/"
    home = page("/", HOME, home=True, links=[Link(SITE, mailbox, "a", "领导信箱")])
    for failure in (page("/ldxx/", "", status=None, error="timeout"), None):
        scan = SiteScan(site_url=SITE, as_of=AS_OF, pages=[home] + ([failure] if failure else []))
        (finding,) = interaction.check.run(scan)
        assert (finding.check, finding.severity, finding.status) == ("cannot_judge", Severity.WARN, "无法判定")
    dead = SiteScan(site_url=SITE, as_of=AS_OF, pages=[home, page("/ldxx/", "", status=404)])
    (finding,) = interaction.check.run(dead)
    assert (finding.check, finding.severity) == ("no_consultation_channel", Severity.VETO)


def test_page_wrappers_and_bottom_blocks_are_content_and_a_gateway_link_is_not_an_item() -> None:
    from govsite.monitoring.sitemodel import is_footer, is_pager

    wrapper = _tree("<div id='page'><ul>" + "<li><a href='/a/'>市政府召开常务会议研究部署工作</a> 2026-11-20</li>" * 12
                    + "</ul></div>").find(".//div")
    assert not is_pager(wrapper)
    assert is_pager(_tree("<div class='page'><a href='/x/index_1.html'>下一页</a></div>").find(".//div"))
    assert not is_footer(_tree("<div class='index-bottom'><ul></ul></div>").find(".//div"))
    assert is_footer(_tree("<div class='bottom'>版权所有</div>").find(".//div"))
    gateway = page("/", doc("<div id='enter'><a href='/yw/'>进入主站</a></div>"), home=True)
    fresh = page("/yw/", listing("要闻动态", "/yw/", [("自治区召开常务会议部署冬季安全生产", "2026-11-28")]))
    scan = SiteScan(site_url=SITE, as_of=AS_OF, pages=[gateway, fresh])
    assert not site_model(scan).homepage_has_items
    assert homepage_freshness.check.run(scan) == []  # judged by the fresh second-level page
