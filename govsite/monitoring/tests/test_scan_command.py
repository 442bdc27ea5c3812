"""`govsite monitor scan` against fake government sites on the loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta

import pytest

from govsite.testing.fakesite import ColumnSpec, LinkSpec, SiteSpec

pytestmark = pytest.mark.slow  # runs `govsite monitor scan` in a subprocess

AS_OF = date(2026, 11, 26)


def scan(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="govsite.settings.test")
    return subprocess.run([sys.executable, "-m", "govsite", "monitor", "scan", *args], env=env,
                          capture_output=True, text=True, timeout=timeout)


def days_ago(*days: int) -> list[date]:
    return [AS_OF - timedelta(days=d) for d in days]


def troubled_site() -> SiteSpec:
    """A county portal with a stale news column, a blank column, a broken link and a leaked ID number."""
    return SiteSpec(
        name="示范县人民政府",
        homepage_dates=days_ago(20, 25, 40),
        columns=[
            ColumnSpec("政务要闻", "zwyw", item_dates=days_ago(30, 45, 60), date_format="cn"),
            ColumnSpec("通知公告", "tzgg", item_dates=days_ago(3, 10), date_format="slash"),
            ColumnSpec("人事信息", "rsxx", empty=True),
        ],
        links=[LinkSpec(href="/no-such-page.html", on="/", text="失效链接")],
        leaked_id_number="11010519491231002X",
    )


def test_scan_prints_one_json_object_per_finding_and_a_summary(serve_site) -> None:  # noqa: ANN001
    site = serve_site(troubled_site())
    result = scan(site.url + "/", "--allow-private", "--as-of", AS_OF.isoformat(), "--format", "json", "--max-pages", "50")
    assert result.returncode == 1, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    *findings, last = lines
    summary = last["summary"]
    assert summary["pages_fetched"] > 3 and summary["links_checked"] > 0 and summary["elapsed_seconds"] > 0
    for finding in findings:
        assert {"check", "url", "target", "status", "on_homepage", "column", "latest", "detail"} <= finding.keys()
    by_check = {}
    for finding in findings:
        by_check.setdefault(finding["check"], []).append(finding)
    assert by_check["homepage_stale"][0]["latest"] == (AS_OF - timedelta(days=20)).isoformat()
    stale = [f for f in by_check["stale_column"] if f["column"] == "政务要闻"]
    assert stale and stale[0]["latest"] == (AS_OF - timedelta(days=30)).isoformat()
    assert not [f for f in by_check.get("stale_column", []) if f["column"] == "通知公告"]
    assert [f for f in by_check["blank_column"] if f["column"] == "人事信息"]
    broken = [f for f in by_check["broken_link"] if f["target"].endswith("/no-such-page.html")]
    assert broken and broken[0]["status"] == "404" and broken[0]["on_homepage"] is True
    assert "11010519491231002X" not in result.stdout  # evidence is masked
    assert by_check["personal_data"]
    assert summary["verdict"] == "fail" and "homepage_stale" in summary["veto_items"]
    assert summary["verdict_label"] == "不合格" and summary["score"] is None, "a veto item is not scored"
    assert {"indicator": "veto.homepage_stale", "label": "首页不更新"} in summary["vetoes"]
    assert all(set(entry) == {"label", "points"} for entry in summary["deductions"].values())


def test_as_of_moves_the_freshness_judgement(serve_site) -> None:  # noqa: ANN001
    site = serve_site(troubled_site())
    earlier = (AS_OF - timedelta(days=15)).isoformat()
    result = scan(site.url + "/", "--allow-private", "--as-of", earlier, "--format", "json")
    checks = {json.loads(line).get("check") for line in result.stdout.splitlines()}
    assert "homepage_stale" not in checks


def test_text_report_is_chinese(serve_site) -> None:  # noqa: ANN001
    site = serve_site(troubled_site())
    result = scan(site.url + "/", "--allow-private", "--as-of", AS_OF.isoformat())
    assert result.returncode == 1
    assert "单项否决" in result.stdout and "共抓取页面" in result.stdout


def test_a_hostile_homepage_ends_in_a_finding_within_the_time_limit(serve_site) -> None:  # noqa: ANN001
    site = serve_site(SiteSpec(hostile={"/": "drip"}))
    # A hang, not a speed: the drip would last a minute; the scan's own timeouts end it long before the
    # child's 50 s (subprocess.TimeoutExpired fails the test).
    result = scan(site.url + "/", "--allow-private", "--format", "json", "--timeout", "20", timeout=50)
    findings = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(f.get("check") == "unreachable" for f in findings[:-1])


def test_bad_usage_exits_2_with_a_chinese_message() -> None:
    result = scan("ftp://example.gov.cn/")
    assert result.returncode == 2 and "网址无效" in result.stderr
    result = scan("http://127.0.0.1:9/", "--as-of", "2026-13-01")
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr


def test_a_site_without_veto_items_gets_a_score_and_its_deductions_per_indicator(serve_site) -> None:  # noqa: ANN001
    site = serve_site(SiteSpec(
        name="示范县人民政府",
        homepage_dates=days_ago(1, 2),
        columns=[ColumnSpec("政务要闻", "zwyw", item_dates=days_ago(1, 3)),
                 ColumnSpec("通知公告", "tzgg", item_dates=days_ago(2, 10))],
        links=[LinkSpec(href="/no-such-page.html", on="/", text="失效链接")],
    ))
    result = scan(site.url + "/", "--allow-private", "--as-of", AS_OF.isoformat(), "--format", "json")
    summary = json.loads(result.stdout.splitlines()[-1])["summary"]
    assert summary["verdict"] == "pass" and summary["verdict_label"] == "合格", summary
    assert summary["deductions"]["deduction.availability"] == {"label": "网站可用性", "points": 0.5}
    assert summary["score"] == 100 - sum(entry["points"] for entry in summary["deductions"].values())
