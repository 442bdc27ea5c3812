"""Background work of 监管: one task per sampled site of a campaign (抽查检测)."""

from __future__ import annotations

from celery import shared_task

from .models import CampaignSite


@shared_task(max_retries=None)
def scan_campaign_site_task(site_id: int) -> str | None:
    """Scan one sampled site (idempotent: a site already done is not scanned again); its scan state."""
    from .campaigns import scan_campaign_site

    site = CampaignSite.objects.filter(pk=site_id).first()
    if site is None:
        return None
    return scan_campaign_site(site).scan_state
