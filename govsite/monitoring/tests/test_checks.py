"""Monitoring checks on hand-built scans: each national veto and deduction item, at its boundaries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from govsite.monitoring.checks import (
    article_meta,
    broken_links,
    certificate,
    columns,
    content,
    footer,
    homepage_freshness,
    interaction,
    soft_404,
    tampering_signals,
    unreachable,
)
from govsite.monitoring.contract import FetchedPage, Link, LinkStatus, MonitorFinding, Severity, SiteScan
from govsite.monitoring.engine import CHECK_MODULES, run_checks
from govsite.monitoring.rules import DEFAULT_RULES, classify_column, normalise_update_class

AS_OF = date(2026, 11, 20)
SITE = "https://www.example.gov.cn/"
FOOTER = """<div class="footer">
  <a href="https://bszs.conac.cn/sitename?method=show&id=1"><img src="/images/red.png" alt="党政机关"></a>
  <a href="https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteName.action?sitecode=3301000001">我为政府网站找错</a>
  <p>主办单位：某某市人民政府办公室　网站标识码：3301000001</p>
  <p><a href="https://beian.miit.gov.cn/">浙ICP备12345678号-1</a>
     <a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=33010002000001">浙公网安备 33010002000001号</a></p>
</div>"""
NAV_COLUMNS = [("工作动态", "/col/gzdt/"), ("通知公告", "/col/tzgg/"), ("机构概况", "/col/jggk/")]


def nav(items: list[tuple[str, str]] = NAV_COLUMNS) -> str:
    links = "".join(f'<li><a href="{href}">{name}</a></li>' for name, href in items)
    return f'<div class="nav"><ul><li><a href="/">首页</a></li>{links}</ul></div>'


def document(body: str, *, head: str = "", with_nav: bool = True, with_footer: bool = True) -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>"
        f"{nav() if with_nav else ''}<div class='main'>{body}</div>{FOOTER if with_footer else ''}</body></html>"
    )


def list_body(items: list[tuple[str, str]]) -> str:
    rows = "".join(
        f'<li><a href="/art/{n}.html">{title}</a><span>{day}</span></li>'
        for n, (title, day) in enumerate(items)
    )
    return f'<ul class="list">{rows}</ul>'


def page(path: str, html: str, *, status: int | None = 200, homepage: bool = False, **kwargs) -> FetchedPage:
    url = SITE.rstrip("/") + path
    return FetchedPage(
        url=url,
        final_url=url,
        status=status,
        content_type="text/html; charset=utf-8",
        text=html,
        depth=0 if homepage else 1,
        is_homepage=homepage,
        **kwargs,
    )


def homepage(body: str | None = None, **kwargs) -> FetchedPage:
    body = body if body is not None else list_body([("市政府召开常务会议", "2026-11-18")])
    return page("/", document(body), homepage=True, **kwargs)


def days_ago(days: int) -> str:
    return (AS_OF - timedelta(days=days)).isoformat()


def fresh_list(days: int = 1) -> str:
    return document(list_body([("关于做好冬季安全生产工作的通知", days_ago(days))]))


def scan_of(*pages: FetchedPage, **kwargs) -> SiteScan:
    return SiteScan(site_url=SITE, as_of=AS_OF, pages=list(pages), **kwargs)


def checks_named(findings: list[MonitorFinding], name: str) -> list[MonitorFinding]:
    return [f for f in findings if f.check == name]


# ——— rules ———


@pytest.mark.parametrize(
    ("name", "update_class"),
    [
        ("工作动态", "news"),
        ("政务要闻", "news"),
        ("图片新闻", "news"),
        ("通知公告", "notice"),
        ("政策文件", "notice"),
        ("公示公告", "notice"),
        ("人事信息", "plan"),
        ("招聘公告", "plan"),
        ("规划计划", "plan"),
        ("机构概况", "static"),
        ("领导信息", "static"),
        ("互动交流", "interaction"),
        ("书记信箱", "interaction"),
        ("办事服务", "service"),
        ("专题专栏", "special"),
        ("English", None),
        ("无障碍", None),
    ],
)
def test_column_update_class_from_name(name: str, update_class: str | None) -> None:
    assert classify_column(name) == update_class


def test_registry_update_class_accepts_english_and_chinese() -> None:
    assert normalise_update_class("notice") == "notice"
    assert normalise_update_class("动态要闻") == "news"
    assert normalise_update_class("") is None


# ——— homepage freshness (首页不更新) ———


def test_homepage_updated_within_14_days_passes() -> None:
    scan = scan_of(homepage(list_body([("会议", days_ago(14)), ("旧闻", days_ago(40))])))
    assert homepage_freshness.check.run(scan) == []


def test_homepage_not_updated_for_15_days_is_veto_with_latest_date() -> None:
    scan = scan_of(homepage(list_body([("市政府召开常务会议", days_ago(15))])))
    (finding,) = homepage_freshness.check.run(scan)
    assert (finding.check, finding.severity, finding.latest) == (
        "homepage_stale",
        Severity.VETO,
        days_ago(15),
    )
    assert finding.on_homepage


def test_homepage_items_without_dates_count_as_not_updated() -> None:
    body = '<div class="top">今天是2026年11月20日</div>' + list_body(
        [("没有日期的信息一", ""), ("没有日期的信息二", "")]
    )
    (finding,) = homepage_freshness.check.run(scan_of(homepage(body)))
    assert (finding.check, finding.severity, finding.latest) == ("homepage_stale", Severity.VETO, "")
    assert "无日期" in finding.detail


def test_navigation_only_homepage_is_judged_by_second_level_pages() -> None:
    scan = scan_of(homepage("<p>欢迎访问</p>"), page("/col/gzdt/", fresh_list(3)))
    assert homepage_freshness.check.run(scan) == []
    stale = scan_of(homepage("<p>欢迎访问</p>"), page("/col/gzdt/", fresh_list(30)))
    (finding,) = homepage_freshness.check.run(stale)
    assert finding.latest == days_ago(30)


def test_homepage_freshness_is_silent_when_homepage_is_unreachable() -> None:
    assert homepage_freshness.check.run(scan_of(homepage(status=503))) == []


# ——— columns (栏目不更新, 空白栏目) ———


def test_columns_discovered_from_homepage_navigation() -> None:
    items = [
        ("工作动态", "/col/gzdt/"),
        ("通知公告", "/col/tzgg/index.html"),
        ("中国政府网", "https://www.gov.cn/"),
        ("资料下载", "/files/guide.pdf"),
        ("信息公开", "https://xxgk.example.gov.cn/col/xxgk/"),
        ("English", "/en/"),
    ]
    html = f"<html><body>{nav(items)}<div class='main'>正文</div></body></html>"
    found = columns.discover_columns(page("/", html, homepage=True), SITE)
    assert [(c.name, c.url, c.update_class) for c in found] == [
        ("工作动态", "https://www.example.gov.cn/col/gzdt/", "news"),
        ("通知公告", "https://www.example.gov.cn/col/tzgg/index.html", "notice"),
        ("信息公开", "https://xxgk.example.gov.cn/col/xxgk/", None),
    ]


STATIC = document(
    "<h1>机构概况</h1><p>某某市人民政府办公室是市政府的办事机构，负责协助市政府领导处理日常工作。</p>"
)


def site_scan(news: str, notice: str | None, static: str | None = STATIC) -> SiteScan:
    """The homepage with its three navigation columns; None leaves a column page out of the scan."""
    pages = [homepage(), page("/col/gzdt/", news)]
    pages += [page("/col/tzgg/", notice)] if notice is not None else []
    pages += [page("/col/jggk/", static)] if static is not None else []
    return scan_of(*pages)


def test_fresh_columns_give_no_findings() -> None:
    assert columns.check.run(site_scan(fresh_list(3), fresh_list(100))) == []


def test_stale_columns_per_update_class_limit() -> None:
    # news: 14 days; notice: 183 days, here exactly at the limit
    (finding,) = columns.check.run(site_scan(fresh_list(15), fresh_list(183)))
    assert (finding.check, finding.severity, finding.column) == (
        "stale_column",
        Severity.DEDUCTION,
        "工作动态",
    )
    assert finding.latest == days_ago(15)
    assert "14 天" in finding.detail


def test_column_with_undated_items_is_stale() -> None:
    undated = document(list_body([("关于开展某某专项行动的通知", "")]))
    (finding,) = columns.check.run(site_scan(fresh_list(), undated))
    assert (finding.check, finding.column, finding.latest) == ("stale_column", "通知公告", "")


@pytest.mark.parametrize("placeholder", ["暂无信息", "暂无内容", "暂无数据", "信息正在更新"])
def test_column_saying_no_information_is_blank(placeholder: str) -> None:
    (finding,) = columns.check.run(site_scan(document(f"<p>{placeholder}</p>"), fresh_list()))
    assert (finding.check, finding.severity, finding.column) == (
        "blank_column",
        Severity.DEDUCTION,
        "工作动态",
    )


def test_static_column_without_text_is_blank() -> None:
    found = columns.check.run(site_scan(fresh_list(), fresh_list(), document("<h1></h1>")))
    assert [(f.check, f.column) for f in found] == [("blank_column", "机构概况")]


def test_column_page_not_in_scan_is_reported_not_counted() -> None:
    (finding,) = columns.check.run(site_scan(fresh_list(), None))
    assert (finding.check, finding.severity, finding.column) == (
        "unreachable_column",
        Severity.WARN,
        "通知公告",
    )
    broken = site_scan(fresh_list(), fresh_list())
    broken.pages[2] = page("/col/tzgg/", "", status=404)
    (finding,) = columns.check.run(broken)
    assert (finding.check, finding.severity, finding.status) == (
        "unreachable_column",
        Severity.DEDUCTION,
        "404",
    )


def registry_scan(spec: dict[str, tuple[str, str]]) -> SiteScan:
    """A scan whose registry lists the columns: name → (update class, page html)."""
    hints = {
        name: {"url": f"{SITE}col/{n}/", "update_class": cls}
        for n, (name, (cls, _)) in enumerate(spec.items())
    }
    pages = [page(f"/col/{n}/", html) for n, (_, html) in enumerate(spec.values())]
    return scan_of(homepage(), *pages, columns=hints)


def vetoes(scan: SiteScan) -> list[str]:
    return [f.detail for f in columns.check.run(scan) if f.check == "column_veto"]


BLANK = document("<p>暂无信息</p>")
STALE = document(list_body([("旧的信息标题内容", "2024-01-01")]))


@pytest.mark.parametrize(("count", "veto"), [(4, False), (5, True)])
def test_blank_column_veto_at_five(count: int, veto: bool) -> None:
    scan = registry_scan({f"专题{n}": ("special", BLANK) for n in range(count)})
    assert len(checks_named(columns.check.run(scan), "blank_column")) == count
    found = vetoes(scan)
    assert bool(found) is veto
    if veto:
        assert found == ["栏目不更新：空白栏目共 5 个（≥5）：专题0、专题1、专题2、专题3、专题4"]


@pytest.mark.parametrize(("count", "veto"), [(9, False), (10, True)])
def test_should_update_stale_veto_at_ten(count: int, veto: bool) -> None:
    scan = registry_scan({f"规划计划{n}": ("plan", STALE) for n in range(count)})
    assert len(checks_named(columns.check.run(scan), "stale_column")) == count
    found = vetoes(scan)
    assert bool(found) is veto
    if veto:
        assert "应更新但长期未更新的栏目共 10 个" in found[0]


def test_blank_columns_count_as_should_update() -> None:
    spec = {f"规划计划{n}": ("plan", STALE) for n in range(6)} | {
        f"专题{n}": ("special", BLANK) for n in range(4)
    }
    (found,) = vetoes(registry_scan(spec))
    assert "应更新但长期未更新的栏目共 10 个" in found


@pytest.mark.parametrize(("news", "notice", "veto"), [(2, 2, False), (3, 2, True), (0, 5, True)])
def test_news_and_notice_stale_veto_at_five(news: int, notice: int, veto: bool) -> None:
    spec = {f"工作动态{n}": ("news", STALE) for n in range(news)} | {
        f"通知公告{n}": ("notice", STALE) for n in range(notice)
    }
    found = vetoes(registry_scan(spec))
    assert bool(found) is veto
    if veto:
        assert found[0].startswith(
            f"栏目不更新：动态要闻类和通知公告/政策文件类栏目未按时更新共 {news + notice} 个"
        )


def test_veto_thresholds_are_configurable() -> None:
    scan = registry_scan({f"专题{n}": ("special", BLANK) for n in range(3)})
    assert vetoes(scan) == []
    assert (
        len(
            [
                f
                for f in columns.check.run(scan, replace(DEFAULT_RULES, blank_column_veto=3))
                if f.check == "column_veto"
            ]
        )
        == 1
    )


def test_registry_columns_override_discovery() -> None:
    # The navigation lists 工作动态 and 通知公告 (not fetched); the registry lists only 部门动态, blank.
    scan = scan_of(
        homepage(),
        page("/bmdt/", BLANK),
        columns={"部门动态": {"url": f"{SITE}bmdt/"}},
    )
    (finding,) = columns.check.run(scan)
    assert (finding.check, finding.column) == ("blank_column", "部门动态")


# ——— broken links (链接可用性) ———


def test_broken_links_split_homepage_and_other_pages_once_each() -> None:
    home = homepage(
        links=[
            Link(source=SITE, target=f"{SITE}gone.html", tag="a", text="失效链接"),
            Link(source=SITE, target=f"{SITE}gone.html", tag="a", text="失效链接"),
            Link(source=SITE, target=f"{SITE}ok.html", tag="a"),
            Link(source=SITE, target=f"{SITE}unchecked.html", tag="a"),
        ]
    )
    other_url = f"{SITE}col/gzdt/"
    other = page(
        "/col/gzdt/",
        fresh_list(),
        links=[
            Link(source=other_url, target=f"{SITE}files/form.docx", tag="a", text="申请表", attachment=True)
        ],
    )
    scan = scan_of(
        home,
        other,
        link_status={
            f"{SITE}gone.html": LinkStatus(f"{SITE}gone.html", 404),
            f"{SITE}ok.html": LinkStatus(f"{SITE}ok.html", 200),
            f"{SITE}files/form.docx": LinkStatus(f"{SITE}files/form.docx", None, "timeout"),
        },
    )
    found = broken_links.check.run(scan)
    assert [(f.check, f.url, f.target, f.status, f.on_homepage) for f in found] == [
        ("broken_link", SITE, f"{SITE}gone.html", "404", True),
        ("broken_link", other_url, f"{SITE}files/form.docx", "访问超时", False),
    ]
    assert all(f.severity == Severity.DEDUCTION for f in found)
    assert "附件无法下载" in found[1].detail


# ——— soft 404 ———


def test_soft_404_page_and_probe() -> None:
    missing = page(
        "/gone.html", document("<p>对不起，您访问的页面不存在！</p>", with_nav=False, with_footer=False)
    )
    probe = page("/__govsite_probe_8f3a/", document("<p>欢迎</p>"))
    story = page(
        "/art/1.html", document("<p>" + "某某网站升级后，旧地址返回 404 的问题已解决。" * 40 + "</p>")
    )
    found = soft_404.check.run(scan_of(homepage(), missing, probe, story))
    assert [(f.check, f.severity, f.url) for f in found] == [
        ("soft_404", Severity.WARN, missing.url),
        ("soft_404", Severity.WARN, probe.url),
    ]
    assert "页面不存在" in found[0].excerpt


# ——— footer (页脚) ———


def test_complete_footer_passes() -> None:
    assert footer.check.run(scan_of(homepage(), page("/col/gzdt/", fresh_list()))) == []


def test_missing_and_malformed_footer_items_are_named() -> None:
    broken = (
        FOOTER.replace("浙ICP备12345678号-1", "备案信息")
        .replace("3301000001</p>", "33010001</p>")
        .replace('alt="党政机关"', 'alt="标识"')
        .replace("bszs.conac.cn", "example.org")
    )
    html = document(list_body([("信息", days_ago(1))]), with_footer=False).replace(
        "</body>", broken + "</body>"
    )
    found = footer.check.run(scan_of(page("/", html, homepage=True)))
    assert all(f.check == "missing_footer_item" and f.severity == Severity.DEDUCTION for f in found)
    assert [f.detail for f in found] == [
        "页脚缺少党政机关网站标识",
        "页脚网站标识码格式不正确：“33010001”（应为10位数字或bm加8位数字）",
        "页脚缺少ICP备案号",
    ]
    assert all(f.on_homepage for f in found)


def test_footer_accepts_bm_site_code_and_reports_each_missing_item() -> None:
    html = document("<p>正文</p>", with_footer=False)
    found = footer.check.run(scan_of(page("/", html, homepage=True)))
    assert len(found) == 6
    assert (
        footer.check.run(scan_of(page("/", document("x").replace("3301000001", "bm12345678"), homepage=True)))
        == []
    )


# ——— article meta (文章页元数据) ———

META = "".join(
    f'<meta name="{name}" content="{value}">'
    for name, value in [
        ("SiteName", "某某市人民政府"),
        ("SiteDomain", "www.example.gov.cn"),
        ("siteidcode", "3301000001"),
        ("ColumnName", "工作动态"),
        ("ArticleTitle", "市政府召开常务会议"),
        ("PubDate", "2026-11-18 09:30"),
    ]
)


def test_article_meta_tags() -> None:
    good = page("/art/2026/11/18/art_1_1.html", document("<h1>标题</h1>", head=META))
    partial = page(
        "/col/gzdt/t20261118_123.html",
        document("<h1>标题</h1>", head=META.replace("PubDate", "Other").replace("ColumnName", "X")),
    )
    by_content = page("/news/view", document("<p>2026-11-18</p><p>" + "正文内容。" * 80 + "</p>"))
    listing = page("/col/gzdt/", fresh_list())
    found = article_meta.check.run(scan_of(homepage(), good, partial, by_content, listing))
    assert [(f.check, f.severity, f.url) for f in found] == [
        ("missing_meta_tag", Severity.WARN, partial.url),
        ("missing_meta_tag", Severity.WARN, by_content.url),
    ]
    assert found[0].detail == "文章页缺少元数据：ColumnName、PubDate"


# ——— content (内容正确性) ———


def test_content_findings_with_masked_excerpt_once_per_site() -> None:
    text = "<p>经审核，申请人张三（身份证号11010519491231002X，电话13812345678）符合条件，特此公示。</p>"
    article = page("/art/1.html", document(text))
    again = page("/art/2.html", document(text))
    spam = page("/art/3.html", document("<p>代开发票，联系微信。</p><p>机密★长期</p>"))
    found = content.check.run(scan_of(homepage(), article, again, spam))
    ids = [f for f in found if f.check == "personal_data" and f.severity == Severity.VETO]
    (id_finding,) = ids
    assert "110105********002X" in id_finding.excerpt
    assert "11010519491231002X" not in id_finding.excerpt
    assert "138****5678" in id_finding.excerpt  # every identifier in the excerpt is masked
    assert "共 2 个页面" in id_finding.detail
    (mobile,) = [f for f in found if f.check == "personal_data" and f.severity == Severity.WARN]
    assert "13812345678" not in mobile.excerpt
    assert {(f.check, f.severity) for f in found if f.url == spam.url} == {
        ("sensitive_word", Severity.VETO),
        ("secret_marking", Severity.VETO),
    }


def test_a_number_the_engine_only_doubts_is_no_veto() -> None:
    # An unlabelled 15-digit number may be an exam ticket (准考证号); the engine marks it `warn`, and the
    # monitor must not turn that doubt into a 内容不合格 veto. The same number after 身份证号 stays one.
    doubtful = page("/art/1.html", document("<p>档案 110105491231002 已归档。</p>"))
    labelled = page("/art/2.html", document("<p>户主王五，身份证号110105500101003，已登记。</p>"))
    found = content.check.run(scan_of(homepage(), doubtful, labelled))
    personal = {(f.url, f.severity) for f in found if f.check == "personal_data"}
    assert (labelled.url, Severity.VETO) in personal
    assert (doubtful.url, Severity.VETO) not in personal


def test_content_checks_attachment_text() -> None:
    attachment = FetchedPage(
        url=f"{SITE}files/list.pdf",
        final_url=f"{SITE}files/list.pdf",
        status=200,
        content_type="application/pdf",
        text="序号 姓名 身份证号\n1 张三 11010519491231002X",
    )
    (finding,) = content.check.run(scan_of(attachment))
    assert (finding.check, finding.url) == ("personal_data", attachment.url)


# ——— tampering signals (暗链) ———


def test_hidden_external_link_is_veto_and_unknown_script_warns() -> None:
    home = homepage(
        links=[
            Link(
                source=SITE,
                target="http://casino.example.com/",
                tag="a",
                text="在线娱乐",
                internal=False,
                hidden=True,
            ),
            Link(source=SITE, target=f"{SITE}hidden.html", tag="a", hidden=True),
            Link(source=SITE, target="https://www.gov.cn/", tag="a", internal=False),
            Link(source=SITE, target="https://cdn.evil.example/x.js", tag="script", internal=False),
            Link(source=SITE, target="https://hm.baidu.com/hm.js?1", tag="script", internal=False),
            Link(
                source=SITE, target="https://dcs.conac.cn/js/33/000/0000/60.js", tag="script", internal=False
            ),
        ]
    )
    found = tampering_signals.check.run(scan_of(home))
    assert [(f.check, f.severity, f.target) for f in found] == [
        ("hidden_link", Severity.VETO, "http://casino.example.com/"),
        ("external_script", Severity.WARN, "https://cdn.evil.example/x.js"),
    ]
    assert "疑似暗链" in found[0].detail


# ——— certificate and reachability ———


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (60, None),
        (30, ("certificate_expiring", Severity.WARN)),
        (-1, ("certificate_expired", Severity.DEDUCTION)),
    ],
)
def test_certificate_expiry(days: int, expected: tuple[str, str] | None) -> None:
    expires = datetime.combine(AS_OF + timedelta(days=days), datetime.min.time())
    found = certificate.check.run(scan_of(homepage(tls_expires_at=expires)))
    assert [(f.check, f.severity) for f in found] == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("status", "error", "reported"),
    [(200, "", ""), (None, "timeout", "timeout"), (503, "", "503"), (404, "", "404")],
)
def test_unreachable_homepage_is_veto(status: int | None, error: str, reported: str) -> None:
    found = unreachable.check.run(scan_of(homepage(status=status, error=error)))
    assert [(f.check, f.severity, f.status) for f in found] == (
        [("unreachable", Severity.VETO, reported)] if reported else []
    )


def test_scan_without_homepage_is_unreachable() -> None:
    (finding,) = unreachable.check.run(scan_of())
    assert finding.check == "unreachable"


# ——— engine ———


def test_engine_runs_every_check_vetoes_first() -> None:
    scan = scan_of(
        homepage(list_body([("旧闻标题", days_ago(30))])),
        page("/col/gzdt/", fresh_list()),
        page("/col/tzgg/", fresh_list()),
        page("/col/jggk/", STATIC),
    )
    found = run_checks(scan)
    # Both veto items, in module order: the homepage is stale and links no consultation channel.
    assert [f.check for f in found] == ["homepage_stale", "no_consultation_channel"]
    assert run_checks(scan, only={"unreachable"}) == []
    assert len(CHECK_MODULES) == 12 and "page_size" in CHECK_MODULES  # 页面过大 (issue 10)


def test_engine_sorts_veto_before_warnings() -> None:
    scan = scan_of(page("/gone", document("<p>页面不存在</p>"), homepage=True))
    severities = [f.severity for f in run_checks(scan)]
    assert severities == sorted(
        severities, key=[Severity.VETO, Severity.DEDUCTION, Severity.WARN, Severity.INFO].index
    )
    assert Severity.VETO in severities


def pages_of(scan: SiteScan) -> list[FetchedPage]:
    return [p for p in scan.pages if p.content_text is not None]


def test_shared_page_cache_changes_no_finding_and_stays_bounded(serve_site) -> None:  # noqa: ANN001
    from govsite.monitoring import html as _html
    from govsite.monitoring.crawler import scan_site
    from govsite.monitoring.engine import all_checks
    from govsite.testing.fakesite import region_of_sites

    spec = region_of_sites(1, 60, 7)[0]
    scan = scan_site(serve_site(spec).url + "/", as_of=date(2026, 11, 26), max_pages=60, allow_private=True)
    cached = run_checks(scan)
    uncached = []
    for check in all_checks():  # the same checks outside page_cache(): every page parsed afresh
        uncached.extend(check.run(scan, DEFAULT_RULES))
    assert sorted(map(repr, cached)) == sorted(map(repr, uncached))
    assert any(f.check == "broken_link" for f in cached)
    # The text the crawler split from its own parse has the words the checks would derive themselves
    # (the chrome's moved to the end), and the checks find the same with either.
    assert len(pages_of(scan)) >= 20
    unsplit = [replace(p, content_text=None, chrome_texts=()) for p in scan.pages]
    assert any(p.chrome_texts for p in pages_of(scan))
    assert all(
        sorted(_html.visible_text(split).split()) == sorted(_html.visible_text(whole).split())
        for split, whole in zip(scan.pages, unsplit, strict=True)
        if split.content_text is not None
    )
    rederived = run_checks(replace(scan, pages=unsplit))
    assert sorted(map(repr, rederived)) == sorted(map(repr, cached))

    cache = _html.PageCache(max_chars=3000)
    pages = [p for p in scan.pages if p.text]
    for page in pages:
        cache.parsed(page.text)
    assert cache.chars <= 3000 + max(len(p.text) for p in pages)
    assert len(cache.trees) < len(pages) and len(cache.by_root) == len(cache.trees)


# ——— 互动回应 ———


def channel_link(text: str, path: str) -> Link:
    return Link(source=SITE, target=SITE.rstrip("/") + path, tag="a", text=text)


def mailbox_list(rows: list[tuple[str, str]]) -> str:
    items = "".join(f"<li><span>关于供暖的咨询</span><span>{day}</span><span>{state}</span></li>" for day, state in rows)
    return document(f"<h2>领导信箱</h2><ul>{items}</ul>")


@pytest.mark.parametrize(
    ("label", "is_channel"),
    [
        ("领导信箱", True), ("市长信箱", True), ("在线咨询", True), ("我要写信", True), ("建言献策", True),
        ("政民互动", True), ("网上信访", False), ("纪检监察举报", False), ("在线访谈", False),
        ("征集调查", False), ("政务要闻", False), ("", False),
    ],
)  # fmt: skip
def test_consultation_channels_are_named_and_petitions_and_reports_are_not(label: str, is_channel: bool) -> None:
    assert interaction.is_channel_label(label) is is_channel


def test_a_site_without_a_consultation_channel_fails_and_one_with_a_live_channel_passes() -> None:
    bare = scan_of(homepage(links=[channel_link("网上信访", "/xf/"), channel_link("政务要闻", "/zwyw/")]))
    (finding,) = interaction.check.run(bare)
    assert (finding.check, finding.severity, finding.on_homepage) == ("no_consultation_channel", Severity.VETO, True)
    live = scan_of(
        homepage(links=[channel_link("领导信箱", "/ldxx/")]),
        page("/ldxx/", mailbox_list([(days_ago(3), "已回复")])),
    )
    assert interaction.check.run(live) == []


def test_a_channel_whose_page_is_broken_is_not_effective() -> None:
    scan = scan_of(
        homepage(links=[channel_link("在线咨询", "/zx/")]),
        link_status={SITE + "zx/": LinkStatus(SITE + "zx/", 404)},
    )
    (finding,) = interaction.check.run(scan)
    assert finding.check == "no_consultation_channel" and finding.status == "404" and "无法访问" in finding.detail


def test_messages_unanswered_for_more_than_three_months_within_the_year_are_vetoes() -> None:
    rows = [
        (days_ago(120), "未回复"),  # veto: 120 days, unanswered
        (days_ago(200), "办理中"),  # veto
        (days_ago(120), "已回复"),  # answered
        (days_ago(30), "未回复"),  # not yet three months
        (days_ago(400), "未回复"),  # older than the one-year window
        (days_ago(93), "待答复"),  # veto: just over 92 days
    ]
    scan = scan_of(homepage(links=[channel_link("领导信箱", "/ldxx/")]), page("/ldxx/", mailbox_list(rows)))
    found = interaction.check.run(scan)
    assert [(f.check, f.latest) for f in found] == [
        ("unanswered_message", days_ago(120)), ("unanswered_message", days_ago(200)),
        ("unanswered_message", days_ago(93)),
    ]  # fmt: skip
    assert all(f.severity == Severity.VETO and f.column == "领导信箱" and "未答复" in f.detail for f in found)
    relaxed = interaction.check.run(scan, replace(DEFAULT_RULES, unanswered_message_days=150))
    assert [f.latest for f in relaxed] == [days_ago(200)]


def test_a_registry_interaction_column_counts_as_a_channel() -> None:
    scan = scan_of(
        homepage(),
        page("/hd/", mailbox_list([])),
        columns={"政民互动": {"url": SITE + "hd/", "update_class": "interaction"}},
    )
    assert interaction.check.run(scan) == []


def test_an_unreachable_site_is_not_also_reported_as_lacking_a_channel() -> None:
    assert interaction.check.run(scan_of(homepage(status=None, error="timeout"))) == []


def test_crawled_sites_channels_and_unanswered_messages(serve_site) -> None:  # noqa: ANN001
    from govsite.monitoring.crawler import scan_site
    from govsite.testing.fakesite import MailboxSpec, SiteSpec

    old = AS_OF - timedelta(days=130)
    spec = SiteSpec(homepage_dates=[AS_OF], mailbox=MailboxSpec(messages=[(old, False), (old, True)]))
    found = run_checks(scan_site(serve_site(spec).url + "/", as_of=AS_OF, max_pages=20, allow_private=True))
    (unanswered,) = checks_named(found, "unanswered_message")
    assert unanswered.latest == old.isoformat() and unanswered.url.endswith("/ldxx/")
    assert not checks_named(found, "no_consultation_channel")
    gone = SiteSpec(homepage_dates=[AS_OF], mailbox=MailboxSpec(missing=True))
    found = run_checks(scan_site(serve_site(gone).url + "/", as_of=AS_OF, max_pages=20, allow_private=True))
    (channel,) = checks_named(found, "no_consultation_channel")
    assert channel.status == "404"


def test_chrome_text_is_checked_once_per_site_and_counted_on_every_page() -> None:
    from govsite.monitoring.decode import read_html_page

    def crawled(path: str, body: str, footer: str) -> FetchedPage:
        html = (f'<html><body><div class="nav"><a href="/">首页</a></div><div class="article">{body}</div>'
                f'<div class="footer">{footer}</div></body></html>')
        links, text = read_html_page(html, SITE.rstrip("/") + path, {"www.example.gov.cn"})
        return page(path, html, links=links, content_text=text.content, chrome_texts=text.chrome)

    footer = "主办单位：示范市人民政府 联系人手机 13812345678"
    pages = [crawled(f"/a/{i}.html", f"第{i}篇正文，内容正常。", footer) for i in range(5)]
    pages.append(crawled("/a/5.html", "正文里有身份证号 11010519491231002X。", footer))
    pages.append(crawled("/a/6.html", "正文。", footer + " 网络赌博"))  # one page's footer was changed
    assert pages[0].chrome_texts == ("首页", footer) and pages[0].content_text == "第0篇正文，内容正常。"
    found = content.check.run(scan_of(*pages))
    by_url = {(f.check, f.url.rsplit("/", 1)[-1]): f for f in found}
    footer_mobile = by_url[("personal_data", "0.html")]  # the footer's mobile number, first seen on page 0
    assert "138****5678" in footer_mobile.excerpt and "共 7 个页面" in footer_mobile.detail
    assert by_url[("personal_data", "5.html")].severity == Severity.VETO  # the ID number in one page's content
    assert by_url[("sensitive_word", "6.html")]  # the changed footer is new text: checked
    # The same findings, pages and details as checking every page's whole text (only excerpts differ).
    whole = content.check.run(scan_of(*[replace(p, content_text=None, chrome_texts=()) for p in pages]))
    assert sorted((f.check, f.severity, f.url, f.detail) for f in whole) == sorted(
        (f.check, f.severity, f.url, f.detail) for f in found
    )
