"""Hosted sites (平台托管网站): freshness read from the page tree, and tamper detection (篡改检测, 暗链, 挂马)."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from django.test import Client
from django.utils import timezone

from govsite.content.models import UpdateClass
from govsite.content.tests.builders import add_article, add_column
from govsite.core.access import SYSTEM
from govsite.monitoring.contract import Severity
from govsite.monitoring.crawler import scan_site
from govsite.monitoring.hosted import freshness_findings, page_path, tamper_findings
from govsite.monitoring.models import RunStatus
from govsite.monitoring.services import do_scan_website
from govsite.testing.fakesite import SiteSpec, closed_port

AS_OF = date(2026, 11, 26)
INJECTED = (
    '<div style="display:none"><a href="http://127.0.0.1:9/casino.html">澳门线上赌场</a></div>'
    '<script src="http://127.0.0.1:9/miner.js"></script>'
)


def local(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def hosted_a(mini_region):  # noqa: ANN001, ANN201
    """甲市's hosted site: a news column last updated 2026-10-27, a fresh notice column, an empty one."""
    website = mini_region.site_a
    home = website.wagtail_site.root_page.specific
    news = add_column(home, "政务要闻", slug="news")
    add_article(news, "甲市召开常务会议", published_at=local(2026, 10, 27, 9, 30))
    add_article(news, "甲市春耕生产", published_at=local(2026, 10, 1, 9, 30))
    notices = add_column(home, "通知公告", slug="notices", update_class=UpdateClass.NOTICE)
    add_article(notices, "关于开展政府网站自查的通知", published_at=local(2026, 11, 20, 10, 0))
    empty = add_column(home, "人事信息", slug="personnel", update_class=UpdateClass.PLAN)
    return {"website": website, "home": home, "news": news, "notices": notices, "empty": empty}


def test_stale_and_blank_columns_are_read_from_the_database(hosted_a):  # noqa: ANN001
    findings = freshness_findings(hosted_a["website"], AS_OF)
    by_check = {(f.check, f.column): f for f in findings}
    stale = by_check[("stale_column", "政务要闻")]
    assert stale.latest == "2026-10-27" and stale.severity == Severity.DEDUCTION
    assert stale.url == "https://www.jia.gov.cn/news/"
    assert ("blank_column", "人事信息") in by_check
    assert ("stale_column", "通知公告") not in by_check
    assert not any(f.check == "homepage_stale" for f in findings)  # the notice of 2026-11-20 is on the homepage
    assert not any(f.check == "column_veto" for f in findings)


def test_an_interaction_column_with_nothing_published_is_blank_and_a_static_one_is_not(hosted_a):  # noqa: ANN001
    add_column(hosted_a["home"], "征集调查", slug="survey", update_class=UpdateClass.INTERACTION)
    add_column(hosted_a["home"], "机构概况", slug="about", update_class=UpdateClass.STATIC)
    blank = {f.column for f in freshness_findings(hosted_a["website"], AS_OF) if f.check == "blank_column"}
    assert blank == {"人事信息", "征集调查"}


def test_homepage_stale_when_no_shown_column_has_a_recent_item(hosted_a):  # noqa: ANN001
    [finding] = [f for f in freshness_findings(hosted_a["website"], date(2026, 12, 20)) if f.check == "homepage_stale"]
    assert finding.severity == Severity.VETO and finding.latest == "2026-11-20" and finding.on_homepage


def test_hosted_scan_replaces_crawled_freshness_with_the_database(hosted_a):  # noqa: ANN001
    website = hosted_a["website"]
    website.homepage_url = f"http://127.0.0.1:{closed_port()}/"
    website.save(update_fields=["homepage_url"])
    run = do_scan_website(website, by=SYSTEM, as_of=AS_OF, max_pages=5, retries=0)
    assert run.status == RunStatus.DONE
    stale = run.findings.get(check_name="stale_column")
    assert (stale.column, stale.latest) == ("政务要闻", "2026-10-27")
    assert run.findings.filter(check_name="unreachable").exists()


# -- tamper detection ---------------------------------------------------------------------------------------


def rendered(website, page) -> str:  # noqa: ANN001
    site = website.wagtail_site
    response = Client().get(page_path(page, site), HTTP_HOST=site.hostname, secure=site.port == 443)
    assert response.status_code == 200
    return response.content.decode()


def serve_copy(serve_site, hosted_a, *, home_html: str, news_html: str):  # noqa: ANN001, ANN201
    site = serve_site(SiteSpec(extra_pages={"/": home_html, "/news/": news_html}))
    website = hosted_a["website"]
    website.homepage_url = site.url + "/"
    website.save(update_fields=["homepage_url"])
    return scan_site(website.homepage_url, as_of=AS_OF, max_pages=10, check_links=False, retries=0,
                     allow_private=True)


def test_an_unmodified_copy_has_no_tamper_finding(hosted_a, serve_site):  # noqa: ANN001
    website = hosted_a["website"]
    scan = serve_copy(
        serve_site, hosted_a, home_html=rendered(website, hosted_a["home"]), news_html=rendered(website, hosted_a["news"])
    )
    assert scan.homepage is not None and scan.homepage.status == 200
    assert tamper_findings(website, scan) == []


def test_injected_hidden_link_and_script_are_veto_items(hosted_a, serve_site):  # noqa: ANN001
    website = hosted_a["website"]
    home_html = rendered(website, hosted_a["home"]).replace("</body>", INJECTED + "</body>")
    scan = serve_copy(serve_site, hosted_a, home_html=home_html, news_html=rendered(website, hosted_a["news"]))
    findings = tamper_findings(website, scan)
    assert {(f.check, f.target) for f in findings} == {
        ("tampered_link", "http://127.0.0.1:9/casino.html"),
        ("injected_script", "http://127.0.0.1:9/miner.js"),
    }
    assert all(f.severity == Severity.VETO and f.on_homepage for f in findings)
    link = next(f for f in findings if f.check == "tampered_link")
    assert "澳门线上赌场" in link.excerpt


def test_inline_script_injection_is_found(hosted_a, serve_site):  # noqa: ANN001
    website = hosted_a["website"]
    news_html = rendered(website, hosted_a["news"]).replace(
        "</body>", "<script>document.write('<iframe src=//127.0.0.1:9/x width=0></iframe>')</script></body>"
    )
    scan = serve_copy(serve_site, hosted_a, home_html=rendered(website, hosted_a["home"]), news_html=news_html)
    [finding] = tamper_findings(website, scan)
    assert finding.check == "injected_script" and finding.url.endswith("/news/") and "document.write" in finding.excerpt


def test_defaced_page_is_content_tampered(hosted_a, serve_site):  # noqa: ANN001
    website = hosted_a["website"]
    news_html = rendered(website, hosted_a["news"])
    defaced = re.sub(
        r"<body[^>]*>.*</body>",
        "<body><h1>本站已被黑客攻破</h1><p>Hacked by nobody — 管理员请联系我们赎回数据。</p></body>",
        news_html,
        flags=re.S,
    )
    scan = serve_copy(serve_site, hosted_a, home_html=rendered(website, hosted_a["home"]), news_html=defaced)
    [finding] = [f for f in tamper_findings(website, scan) if f.check == "content_tampered"]
    assert finding.severity == Severity.VETO and finding.url.endswith("/news/")
    assert "黑客" in finding.excerpt
