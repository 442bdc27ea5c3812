"""The 网站监测 result pages: dashboard, site, run, chart and Excel exports, all scoped by 一级管一级."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from govsite.core.models import AuditLog, Role
from govsite.monitoring.models import RunStatus, ScanFinding, ScanRun, Verdict
from govsite.testing import client_for, give_role, make_user

pytestmark = pytest.mark.django_db


def make_run(website, *, days_ago: int = 0, vetoes: tuple[str, ...] = (), deductions: int = 0,  # noqa: ANN001
             veto_count: int | None = None, status: str = RunStatus.DONE, findings: tuple = ()) -> ScanRun:
    now = timezone.now() - timedelta(days=days_ago)
    done = status == RunStatus.DONE
    run = ScanRun.objects.create(
        website=website, started_at=now, finished_at=now, status=status,
        as_of=timezone.localdate() - timedelta(days=days_ago),
        verdict=(Verdict.WOULD_FAIL if vetoes else Verdict.WOULD_PASS) if done else "",
        veto_items=sorted(vetoes), veto_count=len(vetoes) if veto_count is None else veto_count,
        deduction_count=deductions,
    )
    for check_name, severity, extra in findings:
        ScanFinding.objects.create(run=run, check_name=check_name, severity=severity, found_at=now,
                                   url=extra.get("url", website.homepage_url), detail=extra.get("detail", "说明"),
                                   excerpt=extra.get("excerpt", ""), target=extra.get("target", ""))
    return run


@pytest.fixture
def results(mini_region):  # noqa: ANN001, ANN201
    r = mini_region
    r.run_a = make_run(r.site_a, vetoes=("homepage_stale", "hidden_link"), deductions=3, findings=(
        ("homepage_stale", "veto", {"detail": "首页 45 天未更新"}),
        ("hidden_link", "veto", {"excerpt": "<a style=display:none>博彩</a>", "target": "https://bad.example/"}),
        ("broken_link", "deduction", {"target": "javascript:alert(1)"}),
    ))
    r.run_a_yesterday = make_run(r.site_a, days_ago=1, vetoes=("unreachable",))
    r.run_a1 = make_run(r.site_a1, deductions=1, findings=(("stale_column", "deduction", {}),))
    # A later failed attempt does not replace the latest finished run.
    make_run(r.site_a1, status=RunStatus.FAILED)
    r.run_b = make_run(r.site_b, vetoes=("personal_data",), veto_count=5, deductions=7,
                       findings=(("personal_data", "veto", {"excerpt": "身份证号 1101**********1234"}),))
    r.sup_a = make_user("sup_a")
    give_role(r.sup_a, Role.SUPERVISOR, unit=r.gov_a)
    r.editor_a = make_user("editor_a")
    give_role(r.editor_a, Role.EDITOR, website=r.site_a)
    return r



def url(name: str, *args: object) -> str:
    return reverse(f"monitoring:{name}", args=args)


def listed_codes(response) -> set[str]:  # noqa: ANN001
    return {row.website.site_code for row in response.context["rows"]}


def workbook_rows(response) -> list[tuple]:  # noqa: ANN001
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


def test_supervisor_dashboard_lists_own_subtree_only(results) -> None:  # noqa: ANN001
    response = client_for(results.sup_a).get(url("dashboard"))
    assert response.status_code == 200
    assert listed_codes(response) == {results.site_a.site_code, results.site_a1.site_code}
    assert response.context["summary"] == {"sites": 2, "would_fail": 1, "would_pass": 1, "not_scanned": 0}
    html = response.content.decode()
    assert "乙市人民政府网" not in html
    assert "将不合格" in html and "将合格" in html
    assert "暗链、首页长期不更新" in html


def test_dashboard_chart_counts_only_visible_sites(results) -> None:  # noqa: ANN001
    html = client_for(results.sup_a).get(url("dashboard")).content.decode()
    assert 'role="img"' in html and "<title" in html and "<desc" in html
    # Today 甲市 fails (1 site) with 2 veto + 3 deduction, 甲一县 passes with 1 deduction: 6 problems;
    # yesterday 甲市 failed with 1 veto. 乙市's 5 + 7 are not counted.
    assert "预判不合格网站数：最近一天 1，最高 1，合计 2" in html
    assert "单项否决及扣分问题数：最近一天 6，最高 6，合计 7" in html
    assert 'class="w-sr-only"' in html  # the data-table fallback
    assert "<script" not in html.split('data-chart="dashboard-trend"')[1].split("</figure>")[0]


def test_dashboard_filters_by_verdict_search_and_unit(results) -> None:  # noqa: ANN001
    client = client_for(results.sup_a)
    assert listed_codes(client.get(url("dashboard"), {"verdict": "would_pass"})) == {results.site_a1.site_code}
    assert listed_codes(client.get(url("dashboard"), {"verdict": "would_fail"})) == {results.site_a.site_code}
    assert listed_codes(client.get(url("dashboard"), {"q": "甲一县"})) == {results.site_a1.site_code}
    assert listed_codes(client.get(url("dashboard"), {"unit": results.gov_a1.pk})) == {results.site_a1.site_code}
    # A unit outside the supervisor's subtree is not a valid choice: the filter is ignored, scope stays.
    assert listed_codes(client.get(url("dashboard"), {"unit": results.gov_b.pk})) == {
        results.site_a.site_code, results.site_a1.site_code}


def test_platform_admin_sees_unscanned_sites_as_not_monitored(results) -> None:  # noqa: ANN001
    admin = make_user("admin", is_superuser=True, is_staff=True)
    response = client_for(admin).get(url("dashboard"), {"verdict": "not_scanned"})
    assert listed_codes(response) == {results.portal.site_code}
    assert "未监测" in response.content.decode()
    assert response.context["summary"]["sites"] == 4


def test_editor_sees_only_own_site(results) -> None:  # noqa: ANN001
    client = client_for(results.editor_a)
    response = client.get(url("dashboard"))
    assert response.status_code == 200
    assert listed_codes(response) == {results.site_a.site_code}
    assert client.get(url("site", results.site_a1.pk)).status_code == 404
    assert client.get(url("run", results.run_a1.pk)).status_code == 404


def test_supervisor_cannot_open_other_prefecture_site_or_run(results) -> None:  # noqa: ANN001
    client = client_for(results.sup_a)
    assert client.get(url("site", results.site_b.pk)).status_code == 404
    assert client.get(url("run", results.run_b.pk)).status_code == 404
    assert client.get(url("run_export", results.run_b.pk)).status_code == 404
    assert client.get(url("run", 999999)).status_code == 404


def test_site_page_shows_latest_findings_history_and_chart(results) -> None:  # noqa: ANN001
    response = client_for(results.sup_a).get(url("site", results.site_a.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "将不合格：暗链、首页长期不更新" in html
    assert [g.check for g in response.context["groups"]] == ["hidden_link", "homepage_stale", "broken_link"]
    assert "首页 45 天未更新" in html
    assert "&lt;a style=display:none&gt;博彩&lt;/a&gt;" in html  # evidence shown escaped
    assert 'href="https://bad.example/"' in html
    assert 'href="javascript:' not in html
    assert response.context["runs"].paginator.count == 2
    assert 'data-chart="site-trend"' in html and "单项否决问题数：最近一天 2，最高 2，合计 3" in html


def test_run_page_lists_every_finding_of_the_run(results) -> None:  # noqa: ANN001
    response = client_for(results.sup_a).get(url("run", results.run_a1.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "将合格" in html and "栏目更新不及时" in html


def test_dashboard_export_matches_visible_rows(results) -> None:  # noqa: ANN001
    response = client_for(results.sup_a).get(url("export"))
    assert response.status_code == 200
    rows = workbook_rows(response)
    assert rows[0][:6] == ("网站标识码", "网站名称", "主办单位", "网站状态", "预判结论", "单项否决项")
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == {results.site_a.site_code, results.site_a1.site_code}
    assert by_code[results.site_a.site_code][4:8] == ("将不合格", "暗链、首页长期不更新", 2, 3)
    assert by_code[results.site_a1.site_code][4] == "将合格"
    assert AuditLog.objects.filter(event="monitoring.export", user=results.sup_a).exists()


def test_dashboard_export_applies_filters(results) -> None:  # noqa: ANN001
    response = client_for(results.sup_a).get(url("export"), {"verdict": "would_fail"})
    assert [row[0] for row in workbook_rows(response)[1:]] == [results.site_a.site_code]


def test_run_export_has_one_row_per_finding(results) -> None:  # noqa: ANN001
    response = client_for(results.sup_a).get(url("run_export", results.run_a.pk))
    rows = workbook_rows(response)
    assert rows[0][3:6] == ("检查项", "严重程度", "页面地址")
    assert sorted(row[3] for row in rows[1:]) == sorted(["首页长期不更新", "暗链", "链接不可用"])
    assert {row[4] for row in rows[1:]} == {"单项否决", "扣分"}


def test_anonymous_is_sent_to_login(results) -> None:  # noqa: ANN001
    for target in (url("dashboard"), url("site", results.site_a.pk), url("run", results.run_a.pk), url("export")):
        response = Client().get(target)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_roles_get_the_monitoring_permission(results) -> None:  # noqa: ANN001
    assert results.sup_a.has_perm("monitoring.view_scanrun")
    assert results.editor_a.has_perm("monitoring.view_scanrun")
    assert not make_user("nobody").has_perm("monitoring.view_scanrun")
