"""网站监测 crawler against real fake sites on 127.0.0.1: decoding, 链接, 附件, 暗链 and hostile servers.

No mocks: every test crawls a real HTTP server on loopback. There is no pytest-timeout plugin, so a test that
could hang guards itself with a bound far from its timeouts (a hang, not a speed: the hostile endpoints hold
for 60 s, the timeouts under test are a few seconds, so a loaded machine does not make it fail). How fast the
crawler is belongs in bench/monitor.py.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import date
from urllib.parse import urlsplit

import pytest

from govsite.monitoring.contract import SiteScan
from govsite.monitoring.crawler import crawl_many, scan_site
from govsite.monitoring.decode import decode_body, extract_links, read_html_page
from govsite.monitoring.links import normalise_url
from govsite.testing.fakesite import (
    ALL_HOSTILE,
    DATE_FORMATS,
    AttachmentSpec,
    ColumnSpec,
    FakeSite,
    LinkSpec,
    SiteSpec,
    closed_port,
    format_date,
)

Serve = Callable[[SiteSpec], FakeSite]
DAY = date(2026, 11, 20)
# Short timeouts so hostile endpoints settle in a second or two; no retries unless a test wants them.
FAST = {"retries": 0, "connect_timeout": 1, "read_timeout": 2, "total_timeout": 2, "as_of": DAY, "allow_private": True}


HANG_SECONDS = 30  # well under the hostile endpoints' 60 s, well over every timeout the tests set


def timed_scan(url: str, **kwargs: object) -> SiteScan:
    """A scan that must end: one that outlived its timeouts would wait on a 60-second endpoint."""
    started = time.monotonic()
    scan = scan_site(url, **{**FAST, **kwargs})
    elapsed = time.monotonic() - started
    assert elapsed < HANG_SECONDS, f"scan of {url} took {elapsed:.1f}s: a timeout was not honoured"
    return scan


def all_links(scan: SiteScan) -> list:
    return [link for page in scan.pages for link in page.links]


# -- decoding -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("in_header", "in_meta"), [(True, True), (True, False), (False, True), (False, False)]
)
def test_gbk_page_is_decoded_from_header_meta_or_bytes(
    serve_site: Serve, in_header: bool, in_meta: bool
) -> None:
    site = serve_site(
        SiteSpec(
            name="示范县人民政府",
            encoding="gbk",
            charset_in_header=in_header,
            charset_in_meta=in_meta,
            homepage_dates=[DAY],
        )
    )
    scan = timed_scan(site.url, max_pages=1)
    home = scan.homepage
    assert home is not None and home.status == 200 and not home.error
    assert home.encoding == "gb18030"
    assert "示范县人民政府" in home.text and "要闻动态" in home.text


def test_declared_utf8_serving_gbk_is_still_decoded(serve_site: Serve) -> None:
    site = serve_site(SiteSpec(hostile={"/wrong": "wrong_charset"}))
    home = timed_scan(site.url + "/wrong").homepage
    assert home is not None and home.encoding == "gb18030" and "通知公告 2026年11月20日" in home.text


def test_invalid_bytes_do_not_crash_the_crawl(serve_site: Serve) -> None:
    site = serve_site(SiteSpec(hostile={"/bad": "bad_bytes"}))
    home = timed_scan(site.url + "/bad").homepage
    assert home is not None and home.status == 200 and "正常文字" in home.text


def test_decode_body_treats_gb2312_as_gb18030() -> None:
    # 镕 is outside GB2312 but inside GBK/GB18030: sites that declare gb2312 use it anyway.
    text, encoding, error = decode_body("朱镕基".encode("gbk"), "gb2312")
    assert (text, encoding, error) == ("朱镕基", "gb18030", "")


# -- dates, links, crawl limits -----------------------------------------------------------------------


def test_every_list_date_format_appears_in_fetched_text(serve_site: Serve) -> None:
    columns = [
        ColumnSpec(f"栏目{fmt}", f"c{i}", [DAY], date_format=fmt) for i, fmt in enumerate(DATE_FORMATS)
    ]
    site = serve_site(SiteSpec(columns=columns))
    scan = timed_scan(site.url, max_depth=1)
    texts = {page.url.removeprefix(site.url): page.text for page in scan.pages}
    for i, fmt in enumerate(DATE_FORMATS):
        assert format_date(DAY, fmt) in texts[f"/c{i}/"], fmt
    assert {"2026-11-20", "2026/11/20", "2026年11月20日", "[11-20]", "2026.11.20"} == {
        format_date(DAY, fmt) for fmt in DATE_FORMATS
    }


def test_links_are_extracted_from_every_tag_type(serve_site: Serve) -> None:
    tags = ["a", "img", "script", "link", "iframe", "frame", "area"]
    site = serve_site(SiteSpec(links=[LinkSpec(f"/res/{tag}.html", tag=tag) for tag in tags]))
    scan = timed_scan(site.url, max_depth=0)
    found = {(link.tag, link.target) for link in scan.homepage.links}
    for tag in tags:
        assert (tag, f"{site.url}/res/{tag}.html") in found


def test_relative_links_resolve_against_page_and_base_href() -> None:
    html = """<html><head></head><body>
      <a href="../up.html">up</a><a href="./same.html">same</a><a href="plain.html?x=1#top">q</a>
      <a href="//127.0.0.1:9/proto.html">proto</a><a href="mailto:a@b.cn">m</a><a href="javascript:void(0)">j</a>
      <a href="#top">frag</a><a href=" HTTP://127.0.0.1:80/Case.html ">abs</a></body></html>"""
    links = extract_links(html, "http://127.0.0.1/dir/sub/page.html", {"127.0.0.1"})
    assert [link.target for link in links] == [
        "http://127.0.0.1/dir/up.html",
        "http://127.0.0.1/dir/sub/same.html",
        "http://127.0.0.1/dir/sub/plain.html?x=1",
        "http://127.0.0.1:9/proto.html",
        "http://127.0.0.1/Case.html",
    ]
    assert [link.internal for link in links] == [True, True, True, False, True]
    based = extract_links(
        '<base href="/other/"><a href="x.pdf">附件</a>', "http://127.0.0.1/a/b.html", {"127.0.0.1"}
    )
    assert based[0].target == "http://127.0.0.1/other/x.pdf" and based[0].attachment


def test_normalise_url_drops_fragment_default_port_and_lowercases_host() -> None:
    assert normalise_url("HTTPS://WWW.Example.GOV.cn:443#x", "http://a/") == "https://www.example.gov.cn/"
    assert normalise_url("http://127.0.0.1:8080/a?b=1#c", "http://a/") == "http://127.0.0.1:8080/a?b=1"


def test_same_page_under_different_spellings_is_fetched_once(serve_site: Serve) -> None:
    hrefs = ["/page.html", "/page.html#top", "{self}/page.html", "page.html", "/dir/../page.html"]
    site = serve_site(
        SiteSpec(links=[LinkSpec(h) for h in hrefs], extra_pages={"/page.html": "<html>p</html>"})
    )
    scan = timed_scan(site.url)
    assert [p.url for p in scan.pages].count(f"{site.url}/page.html") == 1
    assert site.hits[("GET", "/page.html")] == 1
    assert site.hits[("HEAD", "/page.html")] == 0  # its link status comes from the fetch


def test_depth_and_page_limits_bound_the_crawl(serve_site: Serve) -> None:
    site = serve_site(SiteSpec(columns=[ColumnSpec("通知公告", "tzgg", [DAY] * 30, per_page=10)], mailbox=None))
    shallow = timed_scan(site.url, max_depth=1)
    assert max(p.depth for p in shallow.pages) == 1
    # Pagination (下一页) stays at its listing's depth: the whole listing is read at depth 1, no article.
    assert {p.url for p in shallow.pages} == {
        f"{site.url}/", f"{site.url}/tzgg/", f"{site.url}/tzgg/index_1.html", f"{site.url}/tzgg/index_2.html"
    }
    deep = timed_scan(site.url, max_depth=2)
    assert {p.depth for p in deep.pages if p.url.endswith("index_2.html")} == {1}
    assert len(deep.pages) > len(shallow.pages)  # the articles at depth 2
    unlimited = timed_scan(site.url)  # no depth limit by default
    assert {p.url for p in unlimited.pages} >= {p.url for p in deep.pages}
    capped = timed_scan(site.url, max_pages=5)
    assert capped.pages_fetched == 5 and len([p for p in capped.pages if p.content_type == "text/html"]) == 5


# -- link checking ------------------------------------------------------------------------------------


def test_broken_links_and_missing_attachments_are_reported_with_status(serve_site: Serve) -> None:
    other = serve_site(SiteSpec(name="兄弟单位"))
    site = serve_site(
        SiteSpec(
            links=[
                LinkSpec("/gone.html"),
                LinkSpec("{closed}/ext.html"),
                LinkSpec(other.url + "/"),
                LinkSpec(other.url + "/missing.html"),
                LinkSpec("/logo.png", tag="img"),
            ],
            attachments=[AttachmentSpec("/files/ok.txt"), AttachmentSpec("/files/lost.xls", missing=True)],
        )
    )
    # The other site is a registry entry allowed on a private network too; the closed port is nobody's.
    scan = timed_scan(site.url, private_hosts=[other.url + "/"])
    status = {target.removeprefix(site.url): (s.status, s.error) for target, s in scan.link_status.items()}
    assert status["/gone.html"] == (404, "")
    assert status["/logo.png"] == (404, "")
    assert status["/files/lost.xls"] == (404, "")
    assert status["/files/ok.txt"] == (200, "")
    assert scan.link_status[other.url + "/"].status == 200
    assert scan.link_status[other.url + "/missing.html"].status == 404
    closed = [s for t, s in scan.link_status.items() if t.endswith("/ext.html")]
    assert closed and closed[0].status is None and closed[0].error == "private_address"
    assert other.hits[("GET", "/")] == 0  # external pages are checked, not crawled
    assert scan.links_checked >= 6


def test_head_refused_falls_back_to_get(serve_site: Serve) -> None:
    site = serve_site(SiteSpec(links=[LinkSpec("/nohead", tag="img")], hostile={"/nohead": "head_405"}))
    scan = timed_scan(site.url)
    assert scan.link_status[f"{site.url}/nohead"].status == 200
    assert site.hits[("HEAD", "/nohead")] == 1 and site.hits[("GET", "/nohead")] == 1


def test_server_errors_are_retried_then_reported(serve_site: Serve) -> None:
    site = serve_site(SiteSpec(hostile={"/err": "server_error"}))
    scan = timed_scan(site.url + "/err", retries=2, backoff=0.05)
    assert scan.homepage.status == 500
    assert site.hits[("GET", "/err")] == 3


def test_unreachable_homepage_is_data_not_an_exception() -> None:
    scan = timed_scan(f"http://127.0.0.1:{closed_port()}/")
    assert (
        scan.homepage is not None and scan.homepage.error == "connect_error" and scan.homepage.status is None
    )


def test_attachment_text_is_kept_as_a_page(serve_site: Serve) -> None:
    site = serve_site(
        SiteSpec(
            attachments=[
                AttachmentSpec("/files/a.docx", text="关于印发工作要点的通知"),
                AttachmentSpec("/files/b.pdf"),
                AttachmentSpec("/files/c.xls"),  # old Excel: the extractor refuses it, the crawl carries on
            ]
        )
    )
    scan = timed_scan(site.url)
    by_url = {p.url.removeprefix(site.url): p for p in scan.pages}
    assert "关于印发工作要点的通知" in by_url["/files/a.docx"].text
    assert by_url["/files/a.docx"].content_type.endswith("wordprocessingml.document")
    assert "Attachment text" in by_url["/files/b.pdf"].text
    assert "/files/c.xls" not in by_url and scan.link_status[f"{site.url}/files/c.xls"].status == 200


def test_leaked_id_number_reaches_the_article_text(serve_site: Serve) -> None:
    site = serve_site(
        SiteSpec(columns=[ColumnSpec("通知公告", "tzgg", [DAY])], leaked_id_number="11010519491231002X")
    )
    scan = timed_scan(site.url)
    assert "11010519491231002X" in scan.page(f"{site.url}/tzgg/0.html").text


def test_soft_404_answers_200_and_is_simply_crawled(serve_site: Serve) -> None:
    site = serve_site(SiteSpec(soft_404=True, links=[LinkSpec("/no/such/page.html")]))
    scan = timed_scan(site.url)
    page = scan.page(f"{site.url}/no/such/page.html")
    assert page is not None and page.status == 200 and "页面不存在" in page.text


# -- 暗链 --------------------------------------------------------------------------------------------------


def test_hidden_links_are_flagged(serve_site: Serve) -> None:
    gambling = f"http://127.0.0.1:{closed_port()}/bocai"
    site = serve_site(
        SiteSpec(links=[LinkSpec(gambling, hidden=True, text="澳门博彩"), LinkSpec("/shown.html")])
    )
    scan = timed_scan(site.url)
    flags = {link.target: link.hidden for link in scan.homepage.links}
    assert flags[gambling] is True and flags[f"{site.url}/shown.html"] is False


@pytest.mark.parametrize(
    "wrapper",
    [
        '<div style="visibility: hidden">{}</div>',
        '<p style="font-size:0px">{}</p>',
        '<div style="position:absolute; left:-9999px; top:0">{}</div>',
        '<div style="text-indent:-5000px">{}</div>',
        "<section hidden>{}</section>",
        '<div style="DISPLAY : NONE"><span><b>{}</b></span></div>',
    ],
)
def test_hidden_link_styles(wrapper: str) -> None:
    html = "<html><body>" + wrapper.format('<a href="/x">赌</a>') + '<a href="/y">ok</a></body></html>'
    links = extract_links(html, "http://127.0.0.1/", {"127.0.0.1"})
    assert [link.hidden for link in links] == [True, False]


def test_visible_positioned_links_are_not_hidden() -> None:
    html = '<div style="position:absolute; left:-10px; font-size:12px"><a href="/x">x</a></div>'
    assert extract_links(html, "http://127.0.0.1/", {"127.0.0.1"})[0].hidden is False


# -- hostile servers ------------------------------------------------------------------------------------


def test_redirect_loop_is_an_error_not_a_hang(serve_site: Serve) -> None:
    site = serve_site(SiteSpec(hostile={"/loop": "redirect_loop"}))
    home = timed_scan(site.url + "/loop").homepage
    assert home.error == "redirect_loop"


def test_endless_redirect_chain_stops_at_max_redirects(serve_site: Serve) -> None:
    site = serve_site(SiteSpec(hostile={"/chain": "redirect_chain"}))
    home = timed_scan(site.url + "/chain", max_redirects=5).homepage
    assert home.error == "too_many_redirects"
    assert sum(n for (method, path), n in site.hits.items() if path.startswith("/chain")) == 6


@pytest.mark.parametrize("kind", ["drip", "slow_first_byte"])
def test_slow_servers_time_out_within_total_timeout(serve_site: Serve, kind: str) -> None:
    site = serve_site(SiteSpec(hostile={"/slow": kind}))
    home = timed_scan(site.url + "/slow", read_timeout=25, total_timeout=2).homepage
    assert home.error == "timeout" and home.elapsed < 15  # the 2-second total, not the 25-second read timeout


@pytest.mark.parametrize("kind", ["huge", "huge_declared"])
def test_huge_page_is_too_large_quickly(serve_site: Serve, kind: str) -> None:
    site = serve_site(SiteSpec(hostile={"/huge": kind}))
    home = timed_scan(site.url + "/huge", max_page_bytes=2_000_000).homepage
    assert home.error == "too_large" and home.text == ""


def test_connection_closed_mid_response_is_an_error(serve_site: Serve) -> None:
    site = serve_site(SiteSpec(hostile={"/cut": "close_mid"}))
    home = timed_scan(site.url + "/cut").homepage
    assert home.status is None and home.error == "protocol_error"


def test_hostile_links_are_checked_without_hanging(serve_site: Serve) -> None:
    site = serve_site(SiteSpec(links=[LinkSpec(path) for path in ALL_HOSTILE], hostile=ALL_HOSTILE))
    scan = timed_scan(site.url, max_page_bytes=1_000_000)
    errors = {t.removeprefix(site.url): s.error for t, s in scan.link_status.items()}
    assert errors["/hostile/drip"] == "timeout"
    assert errors["/hostile/redirect_loop"] == "redirect_loop"
    assert errors["/hostile/huge"] == "too_large"
    assert errors["/hostile/close_mid"] == "protocol_error"


def test_scan_timeout_returns_what_was_gathered(serve_site: Serve) -> None:
    site = serve_site(SiteSpec(links=[LinkSpec("/hostile/drip")], hostile=ALL_HOSTILE))
    scan = timed_scan(site.url, total_timeout=25, read_timeout=25, scan_timeout=1)
    assert scan.homepage is not None and scan.homepage.status == 200
    assert scan.elapsed < 15  # the 1-second scan timeout, not the 25-second read of the dripping link


# -- many sites -------------------------------------------------------------------------------------------


def test_crawl_many_scans_several_sites_concurrently(serve_site: Serve, fake_server) -> None:  # noqa: ANN001
    sites = [serve_site(SiteSpec(name=f"部门{i}", hostile={"/slow": "slow_first_byte"})) for i in range(4)]
    urls = [site.url + "/slow" for site in sites]

    async def collect() -> list[SiteScan]:
        return [scan async for scan in crawl_many(urls, concurrency=4, **{**FAST, "read_timeout": 5})]

    scans = asyncio.run(asyncio.wait_for(collect(), HANG_SECONDS))
    assert sorted(scan.site_url for scan in scans) == sorted(urls)
    assert all(scan.homepage.error == "timeout" for scan in scans)
    assert fake_server.peak_in_flight == 4  # the four slow homepages were open at once, not one after another


def test_crawl_many_bounds_the_sites_in_flight(serve_site: Serve) -> None:
    sites = [serve_site(SiteSpec(name=f"部门{i}", homepage_dates=[DAY])) for i in range(5)]

    async def collect() -> list[str]:
        return [scan.site_url async for scan in crawl_many([s.url for s in sites], concurrency=2, **FAST)]

    assert sorted(asyncio.run(asyncio.wait_for(collect(), 20))) == sorted(s.url for s in sites)


def test_per_host_rate_spaces_requests(serve_site: Serve) -> None:
    site = serve_site(SiteSpec(homepage_dates=[DAY] * 9, mailbox=None))
    scan = timed_scan(site.url, per_host_rate=20, check_links=False)
    assert scan.pages_fetched == 10
    assert scan.elapsed >= 9 / 20 * 0.9  # ten request starts at 20 per second


def test_memoised_link_resolution_agrees_with_normalise_url_across_pages() -> None:
    from govsite.monitoring.links import LinkResolver

    bases = [
        "http://127.0.0.1:8080/",
        "http://127.0.0.1:8080/a/b/page.html?x=1/2",
        "http://127.0.0.1:8080/a/c/",
        "https://www.x.gov.cn/a/b/other.html",
        "http://127.0.0.1:8080/a/b/",
        "HTTP://WWW.X.GOV.CN:80/A/B/page.html",
        "https://www.x.gov.cn:443",
    ]
    hrefs = [
        "x.html", "../x.html", "./x.html", "/x.html", "//cdn.example.cn/y.js", "?page=2", "", "#top",
        " x.html", "HTTP://Other.GOV.cn:80/z", "http:rel.html", "mailto:a@b.cn", "javascript:void(0)",
        "a/../../b.html", "x.html#frag", "/a/./b/../c.html?q=1#f", "\tx.html", "/a:b/c.html", "a:b/c.html",
        "/a/b c.html", "x.html\u3000", "\u3000x.html", "/a\\b.html", ".", "..", "/..", "a/.", "x.html?a=../b",
        "/中文/页面.html", "/x.html?q=1#f#g", "/a/b/", "x/", "h.html", "Https://www.x.gov.cn/",
    ]  # fmt: skip
    resolver = LinkResolver()
    for _ in range(2):  # the second round is answered from the memo, and must still be right
        for base in bases:
            contexts = resolver.page(base)
            for href in hrefs:
                expected = normalise_url(href, base)
                resolved = resolver.resolve(href, contexts)
                assert (resolved[0] if resolved else None) == expected, (href, base)


def test_hidden_links_are_found_whatever_the_case_of_the_attribute() -> None:
    html = '<html><body><DIV STYLE="DISPLAY:NONE"><a href="/bet.html">博彩</a></DIV><a href="/ok.html">正常</a></body></html>'
    found, _text = read_html_page(html, "http://127.0.0.1/", {"127.0.0.1"})  # the crawler's path
    assert {link.target.rsplit("/", 1)[-1]: link.hidden for link in found} == {"bet.html": True, "ok.html": False}
    plain = '<html><body><a href="/ok.html">正常</a></body></html>'
    assert [link.hidden for link in read_html_page(plain, "http://127.0.0.1/", {"127.0.0.1"})[0]] == [False]


def test_internal_nofollow_links_are_not_followed_but_outside_ones_are_kept() -> None:
    # A catalogue's filter links (目录筛选) say rel="nofollow": crawling every combination would fetch the same
    # items thousands of times. An outside nofollow link is still a link (暗链 and broken-link checks).
    html = (
        '<html><body><a href="/mulu/?topic=a" rel="nofollow">主题</a><a href="/mulu/?year=2026" rel="NoFollow noopener">'
        '2026</a><a href="/mulu/">目录</a><a href="http://bet.example.com/" rel="nofollow">外链</a>'
        '<a href="/x.html" rel="nofollowing">其他</a></body></html>'
    )
    found, _text = read_html_page(html, "http://127.0.0.1/", {"127.0.0.1"})
    assert [link.target for link in found] == [
        "http://127.0.0.1/mulu/", "http://bet.example.com/", "http://127.0.0.1/x.html"]


def test_links_nested_deeper_than_libxml2s_default_limit_are_still_found() -> None:
    from govsite.monitoring.html import parse

    html = "<html><body>" + "<div>" * 1000 + '<a href="/deep.html">深层链接</a>' + "</div>" * 1000 + "</body></html>"
    found, text = read_html_page(html, "http://127.0.0.1/", {"127.0.0.1"})
    assert [link.target for link in found] == ["http://127.0.0.1/deep.html"] and text.content == "深层链接"
    assert len(list(parse(html).iter("a"))) == 1  # the checks' parser too


@pytest.mark.parametrize(
    "html",
    [
        '<html><head><meta charset="gbk"></head><body><div class="nav"><a href="/a.html">栏目</a></div>'
        "<p>正文&nbsp;内容 &amp; 更多</p><div class=footer>版权所有</div></body></html>",
        '<?xml version="1.0" encoding="gb2312"?><html><body><p>声明了别的编码</p><a href="b.html">链接</a></body></html>',
        '<p>没有 html 与 body<a href="/c.html" style="display:none">隐藏</a></p>',
        "<html><body><table><tr><td>未闭合<td>单元格</table><a href=//example.org/d>外链</a>",
    ],
)
def test_a_utf8_body_read_as_bytes_gives_what_its_decoded_text_gives(html: str) -> None:
    # The crawler hands clean UTF-8 bodies to the parser as bytes, whatever charset the page declares.
    as_text = read_html_page(html, "http://127.0.0.1/x/p.html", {"127.0.0.1"})
    as_bytes = read_html_page(html.encode(), "http://127.0.0.1/x/p.html", {"127.0.0.1"})
    assert as_bytes == as_text and as_text[1].content


def test_a_page_whose_bytes_are_not_clean_utf8_is_read_as_its_decoded_text(serve_site: Serve) -> None:
    site = serve_site(SiteSpec(hostile={"/bad.html": "bad_bytes"}))  # declared utf-8, holds invalid bytes
    (page,) = scan_site(site.url + "/bad.html", as_of=date(2026, 11, 26), max_pages=1, allow_private=True).pages
    assert page.encoding == "utf-8" and "\ufffd" in page.text and page.error == "decode_error"
    _links, text = read_html_page(page.text, page.final_url, {urlsplit(site.url).netloc})
    assert page.content_text == text.content and page.content_text.startswith("正常文字\ufffd")


def test_page_text_takes_each_outermost_chrome_once_and_nothing_invisible() -> None:
    html = (
        '<html><head><title class="header">标题</title><style>.a{}</style></head><body>'
        '<div class="header">页头<nav><a href="/">首页</a></nav></div>'  # nav inside the header: one chrome text
        '<noscript><div class="footer">请启用脚本</div></noscript>'  # invisible, chrome or not
        "<p>正文<span id=\"breadcrumb\">当前位置</span>继续</p><script>var x = '脚本';</script>"
        "<footer>版权所有</footer></body></html>"
    )
    _links, text = read_html_page(html, "http://127.0.0.1/", {"127.0.0.1"})
    assert text.chrome == ("页头 首页", "当前位置", "版权所有")
    assert text.content == "正文 继续"  # the text either side of an emptied chrome element stays two pieces
