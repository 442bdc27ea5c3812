"""Celery application. Tasks live in each app's ``tasks.py`` and are found by autodiscovery."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings.production")

app = Celery("govsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def prepare_worker_process(**_kwargs: object) -> None:
    """Each worker process readies the monitoring checks before its first task (see prepare_process)."""
    from govsite.monitoring.engine import prepare_process

    prepare_process()
