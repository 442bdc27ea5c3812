"""Background work of 监管: one task per sampled site of a campaign (抽查检测); 督办 of overdue tickets."""

from __future__ import annotations

from celery import shared_task

from .models import CampaignSite

# -- 抽查: one scan per sampled site -----------------------------------------------------------------------


@shared_task(max_retries=None)
def scan_campaign_site_task(site_id: int) -> str | None:
    """Scan one sampled site (idempotent: a site already done is not scanned again); its scan state."""
    from .campaigns import scan_campaign_site

    site = CampaignSite.objects.filter(pk=site_id).first()
    if site is None:
        return None
    return scan_campaign_site(site).scan_state


# -- 整改: 督办 of overdue tickets ----------------------------------------------------------------------------


@shared_task
def escalate_overdue_tickets() -> int:
    """Daily: open tickets past their deadline go to the next level up (督办); returns how many."""
    from govsite.core.access import SYSTEM

    from .tickets import escalate_overdue

    return escalate_overdue(by=SYSTEM)
