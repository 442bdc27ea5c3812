"""Background work of the checks app: 定时发布 — approved revisions whose time has come go live, checked
by the publication guard first (`management/commands/publish_scheduled.py`), every minute."""

from __future__ import annotations

from io import StringIO

from celery import shared_task
from django.core.management import call_command


@shared_task(ignore_result=True)
def publish_scheduled_task() -> str:
    """Run `publish_scheduled` once; the beat sends it every minute, so an approved revision scheduled for
    10:30 is public within a minute of 10:30 (the rules show publication times to the minute)."""
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue()
