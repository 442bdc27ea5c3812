"""审计日志 hash chain: every change made behind the application's back is found by `govsite audit verify`."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.test import override_settings
from django.utils import timezone

from govsite.core.audit import (
    GENESIS_HASH,
    ArchiveRefused,
    archive_before,
    verify_archive,
    verify_chain,
)
from govsite.core.models import AuditArchive, AuditChainHead, AuditLog
from govsite.core.services import record_audit
from govsite.testing import make_user

pytestmark = pytest.mark.django_db


def _entries(count: int, **detail) -> list[AuditLog]:
    return [record_audit(None, "test.event", None, n=n, **detail) for n in range(count)]


def _verify_command(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


def test_each_entry_links_to_the_one_before():
    first, second, third = _entries(3)
    assert first.prev_hash == GENESIS_HASH
    assert (second.prev_hash, third.prev_hash) == (first.hash, second.hash)
    assert [first.seq + 1, first.seq + 2] == [second.seq, third.seq]
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (third.seq, third.hash)
    assert verify_chain().ok


def test_verify_accepts_what_the_databases_give_back():
    # Values each database normalises its own way: jsonb numbers and key order, IPv6 spelling, NUL, surrogates,
    # over-long text. What is stored must hash to what was hashed.
    user = make_user("张三")
    request = type("R", (), {"META": {"REMOTE_ADDR": "2001:DB8:0:0::1"}})()
    record_audit(user, "test.event", user, request=request, big=1e20, half=0.5, whole=3.0, nested={"b": [1, {"a": None}]},
                 nul="a\x00b", surrogate="x\ud800y", when=dt.date(2026, 1, 2), tuple=(1, 2), text="长" * 400)
    record_audit(None, "x" * 100, None, result="y" * 40)
    entry = AuditLog.objects.get(event="test.event")
    assert entry.source_ip == "2001:db8::1"
    result = verify_chain()
    assert result.ok, result.broken
    code, output = _verify_command()
    assert code == 0 and "审计日志完好" in output


def test_verify_names_an_entry_changed_in_raw_sql():
    entries = _entries(5)
    victim = entries[2]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditLog._meta.db_table} SET username = %s WHERE id = %s", ["someone_else", victim.pk])
    result = verify_chain()
    assert result.broken.seq == victim.seq
    assert "被修改" in result.broken.reason
    code, output = _verify_command()
    assert code == 1
    assert f"第 {victim.seq} 条（id={victim.pk}）" in output and "被修改" in output


def test_verify_finds_a_changed_detail_and_a_rehashed_entry():
    entries = _entries(4)
    with connection.cursor() as cursor:
        # A forger who recomputes the changed entry's own hash still breaks the link of the entry after it.
        cursor.execute(f"UPDATE {AuditLog._meta.db_table} SET result = 'failure', hash = %s WHERE id = %s",
                       ["f" * 64, entries[1].pk])
    result = verify_chain()
    assert result.broken.seq == entries[1].seq


def test_verify_names_the_entry_after_one_deleted_in_raw_sql():
    entries = _entries(5)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditLog._meta.db_table} WHERE id = %s", [entries[1].pk])
    result = verify_chain()
    assert result.broken.seq == entries[2].seq
    assert "被删除" in result.broken.reason
    code, output = _verify_command()
    assert code == 1 and f"第 {entries[2].seq} 条" in output and "被删除" in output


def test_verify_finds_the_newest_entries_deleted_in_raw_sql():
    entries = _entries(3)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditLog._meta.db_table} WHERE id = %s", [entries[-1].pk])
    result = verify_chain()
    assert not result.ok
    assert "链头" in str(result.broken)


def test_the_nightly_task_writes_a_break_into_the_log_for_the_auditor():
    from govsite.core.tasks import verify_audit_chain_task

    entries = _entries(3)
    assert verify_audit_chain_task() == {"ok": True, "checked": 3, "broken": ""}
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditLog._meta.db_table} SET event = 'x' WHERE id = %s", [entries[0].pk])
    outcome = verify_audit_chain_task()
    assert not outcome["ok"] and f"第 {entries[0].seq} 条" in outcome["broken"]
    alarm = AuditLog.objects.get(event="audit.verify")
    assert alarm.result == "failure" and "被修改" in alarm.detail["broken"]


def test_the_orm_refuses_to_change_or_delete_entries():
    entry = _entries(1)[0]
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=entry.pk).update(username="x")
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=entry.pk).delete()
    entry.username = "x"
    with pytest.raises(PermissionError):
        entry.save()


def test_an_entry_rolled_back_with_its_operation_leaves_the_chain_whole():
    _entries(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        record_audit(None, "test.rolled_back", None)
        raise RuntimeError
    _entries(1)
    assert verify_chain().ok
    assert not AuditLog.objects.filter(event="test.rolled_back").exists()


def test_verify_prints_progress(monkeypatch):
    _entries(1001)
    code, output = _verify_command()
    assert code == 0
    assert "已校验 1000/1001 条" in output


# --- concurrent writers ---------------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    """Threads with their own connections append at once; each entry in its own transaction, as in requests."""
    if connection.vendor == "sqlite":
        # The test database is SQLite in memory, one connection that threads cannot share; SQLite deployments
        # serialise writers with IMMEDIATE transactions on a file. The concurrent case runs on PostgreSQL.
        threads, per_thread = 1, 40
    else:
        threads, per_thread = 6, 25
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def writer(number: int) -> None:
        try:
            start.wait()
            for n in range(per_thread):
                with transaction.atomic():
                    record_audit(None, "test.concurrent", None, thread=number, n=n)
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=writer, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors, errors
    assert AuditLog.objects.filter(event="test.concurrent").count() == threads * per_thread
    result = verify_chain()
    assert result.ok, result.broken
    assert result.checked == AuditLog.objects.count()


# --- archive --------------------------------------------------------------------------------------------------

def _age_entries(days: int) -> None:
    """Make every entry so old by rewriting the whole chain, as if written then (tests only)."""
    from govsite.core.audit import entry_hash, fields_of

    previous = GENESIS_HASH
    with connection.cursor() as cursor:
        for entry in AuditLog.objects.order_by("seq"):
            entry.timestamp = entry.timestamp - dt.timedelta(days=days)
            entry.prev_hash = previous
            entry.hash = entry_hash(fields_of(entry))
            previous = entry.hash
            cursor.execute(f"UPDATE {AuditLog._meta.db_table} SET timestamp = %s, prev_hash = %s, hash = %s "
                           "WHERE id = %s", [entry.timestamp, entry.prev_hash, entry.hash, entry.pk])
    AuditChainHead.objects.filter(pk=1).update(hash=previous)


def test_archive_moves_old_entries_to_a_sealed_file_and_verify_still_accepts(tmp_path: Path):
    old = _entries(5)
    _age_entries(200)
    young = _entries(3)
    now = timezone.now()
    archive = archive_before(now - dt.timedelta(days=190), directory=tmp_path)
    assert (archive.first_seq, archive.last_seq, archive.count) == (old[0].seq, old[-1].seq, 5)
    assert list(AuditLog.objects.order_by("seq").values_list("seq", flat=True)) == [e.seq for e in young]
    assert verify_chain().ok
    path = tmp_path / archive.file_name
    assert verify_archive(path).ok
    code, output = _verify_command("--archive", str(path))
    assert code == 0 and "归档文件完好" in output
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        lines = [json.loads(line) for line in stream]
    assert lines[0]["type"] == "govsite-audit-archive" and lines[-1]["type"] == "seal"
    assert [line["seq"] for line in lines[1:-1]] == [e.seq for e in old]
    # The chain goes on after the archive; a second archive continues from the first.
    more = _entries(2)
    assert verify_chain().ok and more[0].prev_hash == young[-1].hash


def test_a_changed_archive_file_fails_verification(tmp_path: Path):
    _entries(3)
    _age_entries(200)
    archive = archive_before(timezone.now() - dt.timedelta(days=190), directory=tmp_path)
    path = tmp_path / archive.file_name
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        lines = stream.read().splitlines()
    lines[2] = lines[2].replace("test.event", "test.other")
    forged = tmp_path / "forged.jsonl.gz"
    with gzip.open(forged, "wt", encoding="utf-8") as stream:
        stream.write("\n".join(lines) + "\n")
    result = verify_archive(forged)
    assert not result.ok and result.broken.seq == archive.first_seq + 1
    code, output = _verify_command("--archive", str(forged))
    assert code == 1 and "校验失败" in output


def test_archiving_an_entry_deleted_from_the_table_is_found_by_verify(tmp_path: Path):
    entries = _entries(4)
    _age_entries(200)
    archive_before(timezone.now() - dt.timedelta(days=190), directory=tmp_path)
    later = _entries(2)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditLog._meta.db_table} WHERE id = %s", [later[0].pk])
    result = verify_chain()
    assert result.broken.seq == later[1].seq
    assert entries  # the archived ones are no longer in the table and not part of the break


def test_entries_younger_than_the_retention_period_are_never_archived(tmp_path: Path):
    _entries(3)
    with pytest.raises(ArchiveRefused, match="至少保留 184 天"):
        archive_before(timezone.now() - dt.timedelta(days=100), directory=tmp_path)
    with pytest.raises(ArchiveRefused, match="没有早于该日期"):
        archive_before(timezone.now() - dt.timedelta(days=184), directory=tmp_path)
    assert AuditLog.objects.count() == 3 and not AuditArchive.objects.exists()
    with override_settings(GOVSITE_AUDIT_RETENTION_DAYS=30), pytest.raises(ArchiveRefused, match="184"):
        archive_before(timezone.now() - dt.timedelta(days=60), directory=tmp_path)


def test_archive_command_refuses_a_date_inside_retention(tmp_path: Path):
    _entries(2)
    with override_settings(GOVSITE_AUDIT_ARCHIVE_DIR=tmp_path), pytest.raises(CommandError, match="至少保留"):
        call_command("audit", "archive", "--before", timezone.localdate().isoformat())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("audit", "archive", "--before", "2026-13-01")


def test_archive_command_archives_and_is_audited(tmp_path: Path):
    _entries(3)
    _age_entries(400)
    out = io.StringIO()
    with override_settings(GOVSITE_AUDIT_ARCHIVE_DIR=tmp_path):
        call_command("audit", "archive", "--before", (timezone.localdate() - dt.timedelta(days=300)).isoformat(),
                     stdout=out)
    assert "已归档 3 条" in out.getvalue()
    assert list(AuditLog.objects.values_list("event", flat=True)) == ["audit.archive"]
    assert verify_chain().ok
    assert len(list(tmp_path.glob("audit-*.jsonl.gz"))) == 1


def test_a_retention_below_184_days_is_a_configuration_error():
    from govsite.core.checks import check_audit_retention

    with override_settings(GOVSITE_AUDIT_RETENTION_DAYS=183):
        assert [e.id for e in check_audit_retention(None)] == ["govsite.E040"]
    with override_settings(GOVSITE_AUDIT_RETENTION_DAYS=184):
        assert check_audit_retention(None) == []
