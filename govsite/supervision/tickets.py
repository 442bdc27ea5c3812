"""整改: rectification tickets to closure (filled in by the tickets work)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from govsite.monitoring.models import ScanRun


def recheck_after_scan(run: ScanRun) -> int:
    """Close the site's open tickets whose problem the finished run no longer finds; the number closed."""
    return 0


def do_issue_tickets(campaign, *, by) -> list:  # noqa: ANN001 — stub until the tickets work lands
    """Turn a finished campaign's failing sites and confirmed findings into tickets; the tickets created."""
    return []
