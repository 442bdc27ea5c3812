"""The fake government website generator (模拟政府网站) serves what its spec says, over real HTTP."""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable
from datetime import date

import pytest

from govsite.testing.fakesite import (
    DEFAULT_FOOTER,
    AttachmentSpec,
    ColumnSpec,
    FakeSite,
    LinkSpec,
    SiteSpec,
    format_date,
    region_of_sites,
    serve,
)

Serve = Callable[[SiteSpec], FakeSite]
DAY = date(2026, 11, 20)


def get(site: FakeSite, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=5)
    try:
        conn.request(method, path)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def test_columns_paginate_and_link_their_articles(serve_site: Serve) -> None:
    site = serve_site(
        SiteSpec(columns=[ColumnSpec("通知公告", "tzgg", [DAY] * 25, per_page=10, date_format="cn")])
    )
    status, _, home = get(site, "/")
    assert status == 200 and 'href="/tzgg/"' in home.decode()
    first = get(site, "/tzgg/")[2].decode()
    assert first.count("<li>") == 10 and "2026年11月20日" in first and 'href="/tzgg/index_1.html"' in first
    last = get(site, "/tzgg/index_2.html")[2].decode()
    assert last.count("<li>") == 5 and "下一页" not in last
    assert get(site, "/tzgg/24.html")[0] == 200 and get(site, "/tzgg/25.html")[0] == 404


def test_empty_column_says_no_information(serve_site: Serve) -> None:
    site = serve_site(SiteSpec(columns=[ColumnSpec("人事信息", "rsxx", [DAY], empty=True)]))
    body = get(site, "/rsxx/")[2].decode()
    assert "暂无信息" in body and "<li>" not in body


def test_undated_items_have_no_date(serve_site: Serve) -> None:
    site = serve_site(SiteSpec(homepage_dates=[None, DAY], homepage_date_format="dot"))
    body = get(site, "/")[2].decode()
    assert body.count('class="date"') == 1 and "2026.11.20" in body
    assert "发布时间" not in get(site, "/home/0.html")[2].decode()


def test_gbk_site_serves_gbk_bytes_with_or_without_charset(serve_site: Serve) -> None:
    with_header = serve_site(SiteSpec(encoding="gbk"))
    bare = serve_site(SiteSpec(encoding="gbk", charset_in_header=False, charset_in_meta=False))
    _, headers, body = get(with_header, "/")
    assert "charset=gbk" in headers["content-type"] and "示范市人民政府" in body.decode("gbk")
    _, headers, body = get(bare, "/")
    assert "charset" not in headers["content-type"] and b"charset" not in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_footer_and_article_meta_follow_the_spec(serve_site: Serve) -> None:
    full = serve_site(SiteSpec(columns=[ColumnSpec("要闻", "yw", [DAY])]))
    bare = serve_site(
        SiteSpec(
            columns=[ColumnSpec("要闻", "yw", [DAY])],
            article_meta=False,
            footer={"主办单位": "示范市人民政府办公室"},
        )
    )
    article = get(full, "/yw/0.html")[2].decode()
    assert all(value in article for value in DEFAULT_FOOTER.values())
    assert '<meta name="SiteIDCode" content="1101000001">' in article
    assert '<meta name="PubDate" content="2026-11-20 09:00">' in article
    stripped = get(bare, "/yw/0.html")[2].decode()
    assert "SiteIDCode" not in stripped and "网站标识码" not in stripped and "主办单位" in stripped


def test_links_attachments_and_hidden_blocks_are_placed(serve_site: Serve) -> None:
    site = serve_site(
        SiteSpec(
            links=[LinkSpec("{closed}/bocai", hidden=True, text="博彩"), LinkSpec("/logo.png", tag="img")],
            attachments=[AttachmentSpec("/f/a.pdf"), AttachmentSpec("/f/b.xls", missing=True)],
        )
    )
    home = get(site, "/")[2].decode()
    assert '<div style="display:none"><a href="http://127.0.0.1:' in home
    assert '<img src="/logo.png"' in home and 'href="/f/a.pdf"' in home and 'href="/f/b.xls"' in home
    assert get(site, "/f/a.pdf")[2].startswith(b"%PDF") and get(site, "/f/b.xls")[0] == 404


def test_leaked_id_number_is_in_the_first_article(serve_site: Serve) -> None:
    site = serve_site(
        SiteSpec(columns=[ColumnSpec("公示", "gs", [DAY, DAY])], leaked_id_number="11010519491231002X")
    )
    assert "11010519491231002X" in get(site, "/gs/0.html")[2].decode()
    assert "11010519491231002X" not in get(site, "/gs/1.html")[2].decode()


def test_soft_404_and_head(serve_site: Serve) -> None:
    soft = serve_site(SiteSpec(soft_404=True))
    status, _, body = get(soft, "/nothing/here")
    assert status == 200 and "页面不存在" in body.decode()
    status, headers, body = get(soft, "/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0


def test_hostile_redirects_point_where_they_should(serve_site: Serve) -> None:
    site = serve_site(SiteSpec(hostile={"/loop": "redirect_loop", "/chain": "redirect_chain"}))
    assert get(site, "/loop")[1]["location"] == "/loop/b"
    assert get(site, "/loop/b")[1]["location"] == "/loop"
    assert get(site, "/chain")[1]["location"] == "/chain/1"
    assert get(site, "/chain/7")[1]["location"] == "/chain/8"


def test_several_sites_run_at_once_and_stop_cleanly() -> None:
    started = time.monotonic()
    with serve(SiteSpec(name="甲"), SiteSpec(name="乙", hostile={"/drip": "drip"})) as (a, b):
        assert a.port != b.port
        assert "甲" in get(a, "/")[2].decode() and "乙" in get(b, "/")[2].decode()
        conn = http.client.HTTPConnection("127.0.0.1", b.port, timeout=5)
        conn.request("GET", "/drip")  # left dripping: stop() must still return promptly
        resp = conn.getresponse()
    resp.close()
    conn.close()
    assert time.monotonic() - started < 30  # a hang, not a speed: stop() drops the dripping connection
    with pytest.raises(ConnectionRefusedError):
        get(a, "/")


def test_region_of_sites_is_deterministic_and_sized() -> None:
    specs = region_of_sites(5, 100, seed=7)
    again = region_of_sites(5, 100, seed=7)
    assert len(specs) == 5 and specs == again
    for spec in specs:
        articles = sum(len(c.item_dates) for c in spec.columns)
        assert 80 <= articles + len(spec.columns) + 1 <= 100
        assert all(link.href.startswith(("/", "{closed}")) for link in spec.links)
    assert region_of_sites(5, 100, seed=8) != specs
    assert format_date(DAY, "short") == "[11-20]"
