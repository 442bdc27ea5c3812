"""The background export writes what the user may see, and nothing else, under MEDIA_ROOT/exports/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from govsite.registry.tasks import export_registry_task
from govsite.testing import build_mini_region

from . import supervisor_of

pytestmark = pytest.mark.django_db


def test_the_export_task_writes_the_users_visible_sites_to_media_exports(db) -> None:  # noqa: ANN001
    region = build_mini_region(hosted=False)
    user = supervisor_of(region.gov_a)

    path = Path(export_registry_task(user.pk))

    assert path.parent == Path(settings.MEDIA_ROOT) / "exports"
    assert path.suffix == ".xlsx"
    ws = load_workbook(path).active
    assert {row[0] for row in ws.iter_rows(min_row=2, values_only=True)} == {"9901000001", "9901020001"}
    path.unlink()
