"""Celery application. Tasks live in each app's ``tasks.py`` and are found by autodiscovery."""

import logging
import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings.production")

app = Celery("govsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def prepare_worker_process(**_kwargs: object) -> None:
    """Each worker process readies the monitoring checks before its first task (see prepare_process).
    A failure here must not keep the worker from its other tasks: the first scan would then build the
    word lists itself (and report what is wrong with them)."""
    try:
        from govsite.monitoring.engine import prepare_process

        prepare_process()
    except Exception:  # noqa: BLE001 — logged; the worker still serves
        logging.getLogger(__name__).exception("prepare_process failed in a worker process")
