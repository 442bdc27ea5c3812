"""A finished monitor run is scored (每日预测得分) and re-checks the site's open rectification tickets."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from govsite.monitoring.models import RunStatus, ScanRun

log = logging.getLogger(__name__)


@receiver(post_save, sender=ScanRun, dispatch_uid="supervision.run_finished")
def run_finished(sender: Any, instance: ScanRun, **kwargs: Any) -> None:
    if instance.status != RunStatus.DONE:
        return
    run_id = instance.pk
    transaction.on_commit(lambda: after_run(run_id))


def after_run(run_id: int) -> None:
    """Prediction first, then tickets; neither may break the scan that triggered it."""
    from . import predictions, tickets

    run = ScanRun.objects.select_related("website").filter(pk=run_id, status=RunStatus.DONE).first()
    if run is None:
        return
    try:
        predictions.record_prediction(run)
    except Exception:  # a scoring error must not lose the run; it is logged and the next run scores again
        log.exception("预测得分失败：监测记录 %s", run_id)
    try:
        tickets.recheck_after_scan(run)
    except Exception:
        log.exception("整改复查失败：监测记录 %s", run_id)
