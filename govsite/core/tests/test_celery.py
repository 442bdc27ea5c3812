"""Background work runs through a real worker on a real Redis broker."""

from __future__ import annotations

import openpyxl
import pytest
from celery.contrib.testing.worker import start_worker

from govsite.celery import app
from govsite.core.models import Role
from govsite.testing import build_mini_region, give_role, make_user


# Transactional (the worker thread must see committed rows); serialized_rollback restores the data that
# migrations create (Wagtail root page, permissions), which an earlier transactional test may have flushed.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_registry_export_runs_on_a_worker_and_respects_scope(redis_broker):
    from govsite.registry.tasks import export_registry_task

    region = build_mini_region(hosted=False)
    supervisor = make_user("celery_sup")
    give_role(supervisor, Role.SUPERVISOR, unit=region.gov_a)
    assert app.conf.broker_url.startswith("redis://")
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
        result = export_registry_task.delay(supervisor.pk)
        path = result.get(timeout=60)
    assert result.successful()
    sheet = openpyxl.load_workbook(path).active
    header = [cell.value for cell in sheet[1]]
    code_column = header.index("网站标识码")
    codes = {row[code_column] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert codes == {region.site_a.site_code, region.site_a1.site_code}
