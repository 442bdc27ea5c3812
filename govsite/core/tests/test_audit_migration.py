"""The hash-chain migration numbers and links the entries written before it, so verify accepts them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from govsite.core.audit import verify_chain
from govsite.core.models import AuditLog


@pytest.mark.slow  # migrates back and forth
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_entries_are_chained_in_the_order_they_were_written():
    executor = MigrationExecutor(connection)
    # Back to core 0002 unapplies what depends on it in other apps too (roles, accounts…): forward again
    # to every app's leaf, or the tests after this one would find tables missing.
    before, after = [("core", "0002_initial")], executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    try:
        OldAuditLog = executor.loader.project_state(before).apps.get_model("core", "AuditLog")
        now = timezone.now()
        # Written out of id order on purpose: the chain follows time, then id.
        OldAuditLog.objects.create(username="b", event="website.update", detail={"x": 1})
        OldAuditLog.objects.create(username="a", event="auth.login", source_ip="192.0.2.1")
        OldAuditLog.objects.filter(username="a").update(timestamp=now - dt.timedelta(days=3))
        OldAuditLog.objects.filter(username="b").update(timestamp=now - dt.timedelta(days=1))
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    assert list(AuditLog.objects.order_by("seq").values_list("seq", "username")) == [(1, "a"), (2, "b")]
    result = verify_chain()
    assert result.ok and result.checked == 2
