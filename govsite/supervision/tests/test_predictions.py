"""每日预测得分: every finished monitor run is scored under the newest indicator set and shown with a trend."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from govsite.core.access import SYSTEM
from govsite.core.models import Role
from govsite.monitoring.services import do_scan_website
from govsite.supervision.indicator_sets import DEFAULT_SET_NAME, default_definition
from govsite.supervision.models import IndicatorSet, SiteScore
from govsite.testing import build_mini_region, client_for, give_role, make_user
from govsite.testing.fakesite import ColumnSpec, LinkSpec, SiteSpec

AS_OF = date(2026, 11, 26)


def days_ago(*days: int) -> list[date]:
    return [AS_OF - timedelta(days=d) for d in days]


def one_broken_link() -> SiteSpec:
    return SiteSpec(
        name="甲市人民政府",
        homepage_dates=days_ago(1, 3),
        columns=[ColumnSpec("政务要闻", "zwyw", item_dates=days_ago(1, 4)),
                 ColumnSpec("通知公告", "tzgg", item_dates=days_ago(2, 9))],
        links=[LinkSpec(href="/gone.html", on="/", text="失效链接")],
    )


@pytest.fixture
def region(db):  # noqa: ANN001, ANN201
    return build_mini_region(hosted=False)


def point_at(website, url: str) -> None:  # noqa: ANN001
    website.homepage_url = url
    website.allow_private_network = True
    website.save(update_fields=["homepage_url", "allow_private_network"])


@pytest.mark.slow  # two real scans of a loopback site
def test_a_finished_run_is_scored_and_a_new_set_version_scores_the_next_run(  # noqa: ANN201
    region, serve_site, django_capture_on_commit_callbacks  # noqa: ANN001
):
    site = serve_site(one_broken_link())
    point_at(region.site_a, site.url + "/")
    with django_capture_on_commit_callbacks(execute=True):
        run = do_scan_website(region.site_a, by=SYSTEM, as_of=AS_OF, max_pages=30)
    first = SiteScore.objects.get(run=run)
    assert first.verdict == "pass" and first.indicator_set.version == 1
    assert Decimal(first.deductions["deduction.availability"]) == Decimal("0.5")
    assert first.score == Decimal(100) - sum(Decimal(v) for v in first.deductions.values())

    edited = default_definition()
    edited["findings"]["broken_link"]["points"] = 3
    IndicatorSet.objects.create(name=DEFAULT_SET_NAME, version=2, definition=edited)
    with django_capture_on_commit_callbacks(execute=True):
        again = do_scan_website(region.site_a, by=SYSTEM, as_of=AS_OF + timedelta(days=1), max_pages=30)
    second = SiteScore.objects.get(run=again)
    assert second.indicator_set.version == 2 and Decimal(second.deductions["deduction.availability"]) == 3
    first.refresh_from_db()
    assert first.indicator_set.version == 1, "an earlier prediction keeps the version it was scored with"

    supervisor = make_user("sup_a")
    give_role(supervisor, Role.SUPERVISOR, unit=region.gov_a)
    page = client_for(supervisor).get(f"/admin/monitoring/site/{region.site_a.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "data-predicted-score" in html and "预测得分趋势" in html
    assert f"{second.score} 分（合格）" in html
