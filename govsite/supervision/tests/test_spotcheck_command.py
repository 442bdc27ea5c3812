"""`govsite spotcheck create|show` with one real loopback scan; errors in Chinese."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from govsite.supervision.models import Campaign, ScanState
from govsite.testing.fakesite import ColumnSpec, SiteSpec

from .campaign_data import AS_OF, sampled_region

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("spotcheck", *args, stdout=out)
    return out.getvalue()


def test_create_scans_the_sample_and_show_prints_json(serve_site) -> None:  # noqa: ANN001
    region = sampled_region()
    fake = serve_site(SiteSpec(name="甲一县人民政府", homepage_dates=[AS_OF - timedelta(days=1)],
                               columns=[ColumnSpec("政务要闻", "zwyw", item_dates=[AS_OF - timedelta(days=2)])]))
    # Only the county portal is running: the county's department sites are closed for this test.
    region.county_dept.owned_websites.update(status="suspended")
    website = region.site_a1
    website.homepage_url = fake.url + "/"
    website.allow_private_network = True
    website.save(update_fields=["homepage_url", "allow_private_network"])

    out = run("create", "--region", "990102", "--ratio", "0.34", "--seed", "7", "--as-of", AS_OF.isoformat(),
              "--max-pages", "20")
    campaign = Campaign.objects.get()
    assert f"[1/1] {website.site_code} {website.name}" in out and "结论：" in out
    assert f"抽查编号：{campaign.pk}" in out and "合格率" in out
    site = campaign.sites.get()
    assert site.scan_state == ScanState.DONE and site.run is not None and site.verdict

    data = json.loads(run("show", str(campaign.pk), "--format", "json"))
    assert data["id"] == campaign.pk and data["region"]["code"] == "990102"
    assert data["ratio"] == 0.34 and data["seed"] == 7 and data["as_of"] == AS_OF.isoformat()
    assert data["indicator_set"]["version"] == campaign.indicator_set.version
    assert data["status"] == "reviewing"
    assert data["strata"] == [{"key": "county:portal", "label": "县级·政府门户网站", "population": 1, "sampled": 1}]
    [row] = data["sites"]
    assert row["site_code"] == website.site_code and row["stratum"] == "county:portal"
    assert row["verdict"] == site.verdict and set(row["findings"]) == {"pending", "confirmed", "rejected"}
    assert row["findings"]["pending"] == site.findings.count()
    assert data["pass_rate"] == (100.0 if site.verdict == "pass" else 0.0)
    assert [g["label"] for g in data["by_prefecture"]] == ["甲市"] and data["by_type"][0]["total"] == 1

    assert [row["id"] for row in data["history"]] == [campaign.pk]

    run("create", "--region", "990102", "--ratio", "1", "--seed", "8", "--as-of", "2026-11-27", "--no-scan")
    later = Campaign.objects.exclude(pk=campaign.pk).get()
    history = json.loads(run("show", str(later.pk), "--format", "json"))["history"]
    assert [(row["id"], row["pass_rate"]) for row in history] == [(campaign.pk, data["pass_rate"]), (later.pk, None)]
    text = run("show", str(later.pk))
    assert "合格率：—" in text and "历次抽查合格率：2026-11-26" in text and website.site_code in text


def test_no_scan_only_samples() -> None:
    sampled_region()
    out = run("create", "--region", "990000", "--ratio", "0.34", "--seed", "1", "--as-of", "2026-11-26", "--no-scan")
    campaign = Campaign.objects.get()
    assert "未检测" in out and campaign.sites.count() == 11
    assert set(campaign.sites.values_list("scan_state", flat=True)) == {ScanState.QUEUED}


@pytest.mark.parametrize(("args", "message"), [
    (["--region", "123456", "--ratio", "0.3", "--seed", "1"], "没有行政区划代码为 123456"),
    (["--region", "990000", "--ratio", "1.2", "--seed", "1"], "抽查比例应大于 0 且不超过 1"),
    (["--region", "990000", "--ratio", "abc", "--seed", "1"], "抽查比例应为数字"),
    (["--region", "990000", "--ratio", "0.3", "--seed", "x"], "随机种子应为整数"),
    (["--region", "990000", "--ratio", "0.3", "--seed", "1", "--as-of", "2026-13-01"], "--as-of 应为日期"),
])
def test_bad_input_is_a_chinese_command_error(args, message) -> None:  # noqa: ANN001
    sampled_region()
    with pytest.raises(CommandError, match=message):
        run("create", *args)
    assert not Campaign.objects.exists()


def test_show_unknown_campaign() -> None:
    with pytest.raises(CommandError, match="没有编号为 999 的抽查"):
        run("show", "999")
