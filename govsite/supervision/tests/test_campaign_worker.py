"""A campaign's scans on a real Celery worker: one task per site, queued after commit; 检测中 → 核查中."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker

from govsite.celery import app
from govsite.core.access import SYSTEM
from govsite.supervision.campaigns import do_create_campaign, do_start_scans, progress
from govsite.supervision.models import CampaignStatus, ScanState
from govsite.testing.fakesite import ColumnSpec, SiteSpec

from .campaign_data import AS_OF, sampled_region


@pytest.mark.slow
# Transactional: the worker thread must see committed rows (see govsite/core/tests/test_celery.py).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_scans_run_on_a_worker_and_the_campaign_moves_to_review(redis_broker, serve_site) -> None:  # noqa: ANN001
    region = sampled_region()
    region.county_dept.owned_websites.update(status="suspended")
    fake = serve_site(SiteSpec(name="甲一县人民政府", homepage_dates=[AS_OF - timedelta(days=1)],
                               columns=[ColumnSpec("政务要闻", "zwyw", item_dates=[AS_OF - timedelta(days=40)])]))
    website = region.site_a1
    website.homepage_url = fake.url + "/"
    website.allow_private_network = True
    website.save(update_fields=["homepage_url", "allow_private_network"])
    campaign = do_create_campaign(by=SYSTEM, region=region.county_a1, period_start=AS_OF, period_end=AS_OF,
                                  as_of=AS_OF, ratio="0.5", seed=1)
    assert progress(campaign).queued == 1
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
        assert do_start_scans(campaign, by=SYSTEM) == 1  # autocommit: queued at once
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            campaign.refresh_from_db()
            if campaign.status != CampaignStatus.SCANNING:
                break
            time.sleep(0.5)
    assert campaign.status == CampaignStatus.REVIEWING
    site = campaign.sites.get()
    assert site.scan_state == ScanState.DONE and site.run is not None
    assert site.findings.filter(code="stale_column").exists()
    assert progress(campaign).done == 1


def test_the_queued_task_name_is_the_task() -> None:
    from govsite.supervision.campaigns import SCAN_TASK
    from govsite.supervision.tasks import scan_campaign_site_task

    assert scan_campaign_site_task.name == SCAN_TASK
