"""Background work of 监管."""

from __future__ import annotations

from celery import shared_task

# -- 整改: 督办 of overdue tickets ----------------------------------------------------------------------------


@shared_task
def escalate_overdue_tickets() -> int:
    """Daily: open tickets past their deadline go to the next level up (督办); returns how many."""
    from govsite.core.access import SYSTEM

    from .tickets import escalate_overdue

    return escalate_overdue(by=SYSTEM)
