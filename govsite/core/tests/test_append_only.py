"""The append-only base (只能追加的记录) that the audit log and the compliance checks' history share."""

from __future__ import annotations

import pytest
from django.apps import apps

from govsite.core.append_only import AppendOnlyError, AppendOnlyModel
from govsite.core.models import AuditLog
from govsite.core.services import record_audit


def _append_only_models() -> list[type[AppendOnlyModel]]:
    return [m for m in apps.get_models() if issubclass(m, AppendOnlyModel)]


def test_the_evidence_records_are_append_only():
    labels = {m._meta.label for m in _append_only_models()}
    assert {"core.AuditLog", "checks.LexiconChange", "checks.PageCheckRun", "checks.FindingOverride"} <= labels


@pytest.mark.parametrize("model", _append_only_models(), ids=lambda m: m._meta.label)
def test_no_queryset_update_or_delete(model):
    # Refused before any SQL is built, so no rows are needed.
    with pytest.raises(AppendOnlyError, match="只能追加，不能修改"):
        model.objects.all().update(pk=1)
    with pytest.raises(AppendOnlyError, match="只能追加，不能删除"):
        model.objects.all().delete()


@pytest.mark.parametrize("model", _append_only_models(), ids=lambda m: m._meta.label)
def test_a_stored_instance_is_neither_saved_again_nor_deleted(model):
    stored = model()
    stored._state.adding = False  # as fetched from the database
    with pytest.raises(AppendOnlyError, match="只能追加，不能修改"):
        stored.save()
    with pytest.raises(AppendOnlyError, match="只能追加，不能删除"):
        stored.delete()


def test_refusals_are_permission_errors_in_the_models_own_words():
    assert issubclass(AppendOnlyError, PermissionError)
    with pytest.raises(PermissionError, match="^审计日志只能追加，不能删除；过期日志由归档任务处理。$"):
        AuditLog.objects.filter(pk=1).delete()


@pytest.mark.django_db
def test_a_new_record_is_appended_and_then_frozen():
    entry = record_audit(None, "auth.login_failed")
    assert AuditLog.objects.filter(pk=entry.pk).exists()
    entry.username = "x"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditLog.objects.get(pk=entry.pk).username == ""
