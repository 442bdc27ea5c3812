"""Background jobs of the 网站基本信息库."""

from __future__ import annotations

import uuid
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from govsite.core.services import record_audit
from govsite.registry.access import websites_visible_to

from . import xlsx


@shared_task
def export_registry_task(user_id: int) -> str:
    """导出 in the background: write the sites ``user_id`` may see to MEDIA_ROOT/exports/; return the path."""
    user = get_user_model().objects.get(pk=user_id)
    websites = websites_visible_to(user)
    content = xlsx.export(websites)
    directory = Path(settings.MEDIA_ROOT) / "exports"
    directory.mkdir(parents=True, exist_ok=True)
    # Unguessable name: the file holds contact data of a user's whole scope.
    path = directory / f"registry-{timezone.localtime():%Y%m%d-%H%M%S}-{uuid.uuid4().hex}.xlsx"
    partial = path.with_suffix(".part")
    partial.write_bytes(content)
    partial.replace(path)  # readers never see a half-written file
    record_audit(user, "registry.export", None, count=websites.count(), file=path.name)
    return str(path)
