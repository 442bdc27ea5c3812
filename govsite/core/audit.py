"""审计日志的哈希链: append, verify and archive the tamper-evident audit log.

Each entry stores `hash = SHA-256(canonical content + prev_hash)`, where `prev_hash` is the hash of the
entry before it (`GENESIS_HASH` for the first). Changing any covered field of an entry breaks its own hash;
deleting an entry breaks the link of the entry after it; deleting the newest entries leaves the chain head
(`AuditChainHead`) pointing past the end. `govsite audit verify` walks the chain and names the first break.

Appends are serialised by locking the chain-head row (`select_for_update`) inside the caller's transaction:
on PostgreSQL the lock is held until that transaction commits, so the next writer reads the committed head;
on SQLite every write transaction already holds the database's write lock (`transaction_mode=IMMEDIATE` in
settings). `seq` is unique, so two writers that somehow read the same head cannot both commit.

Archiving (`archive_before`) writes the oldest entries to a gzip file of JSON lines, sealed with the
SHA-256 of its lines, records it in `AuditArchive` (with the last archived hash, where the table's chain
goes on) and only then removes those entries from the table.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import gzip
import hashlib
import ipaddress
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from .models import AuditArchive, AuditChainHead, AuditLog

GENESIS_HASH = "0" * 64
# The request being served (set by core.middleware.AuditRequestMiddleware), and how many entries it wrote.
_request: contextvars.ContextVar[Any] = contextvars.ContextVar("govsite_audit_request", default=None)
_written: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("govsite_audit_written", default=None)
MIN_RETENTION_DAYS = 184  # 网络安全法: network logs kept no less than six months
ARCHIVE_FORMAT = "govsite-audit-archive"
ARCHIVE_VERSION = 1

# The fields the hash covers, in this order (user_id is left out: deleting an account nulls it).
CHAINED_FIELDS = ("seq", "timestamp", "username", "event", "object_type", "object_id", "object_repr",
                  "result", "source_ip", "detail", "prev_hash")
FIELD_LIMITS = {"username": 150, "event": 64, "object_type": 64, "object_id": 64, "object_repr": 255,
                "result": 16}


# --- canonical content ------------------------------------------------------------------------------------

def _clean_text(value: str) -> str:
    # PostgreSQL stores neither NUL nor lone surrogates; what is stored must be what was hashed.
    return value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")


def _canonical_json_value(value: Any) -> Any:
    """JSON data in the one shape both databases give back (jsonb turns 1e20 into an integer)."""
    if isinstance(value, dict):
        return {_clean_text(str(key)): _canonical_json_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical_json_value(item) for item in value]
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        return _clean_text(value)
    return value


def normalise_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """Detail as it will read back from the database: JSON types only, strings storable."""
    return _canonical_json_value(json.loads(json.dumps(detail, cls=DjangoJSONEncoder, default=str)))


def normalise_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    return clean_ipv6_address(str(address)) if address.version == 6 else str(address)


def _timestamp_text(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_content(fields: dict[str, Any]) -> bytes:
    """The bytes an entry's hash covers: its chained fields as compact, key-sorted JSON."""
    content = {name: fields[name] for name in CHAINED_FIELDS}
    content["timestamp"] = _timestamp_text(content["timestamp"])
    content["detail"] = _canonical_json_value(content["detail"] or {})
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def entry_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_content(fields)).hexdigest()


def fields_of(entry: AuditLog) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in CHAINED_FIELDS}


# --- the request being served ----------------------------------------------------------------------------

def current_request() -> Any:
    """The HTTP request this thread is serving, or None (a task, a command)."""
    return _request.get()


def serving(request: Any) -> tuple[contextvars.Token, contextvars.Token]:
    return _request.set(request), _written.set([0])


def done_serving(tokens: tuple[contextvars.Token, contextvars.Token]) -> int:
    """Stop serving; returns how many entries the request wrote."""
    written = _written.get()
    _request.reset(tokens[0])
    _written.reset(tokens[1])
    return written[0] if written else 0


# --- append -----------------------------------------------------------------------------------------------

def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # A new database (or one emptied by a test's flush): the chain starts here. If entries remained
        # without a head, the next append collides with an existing seq and fails instead of forking.
        anchor_seq, anchor_hash = _last_archived()
        AuditChainHead.objects.get_or_create(pk=1, defaults={"seq": anchor_seq, "hash": anchor_hash})
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def append_entry(*, user_id: int | None, username: str, event: str, object_type: str = "",
                 object_id: str = "", object_repr: str = "", result: str = "success",
                 source_ip: str | None = None, detail: dict[str, Any] | None = None) -> AuditLog:
    """Append one entry at the end of the chain, inside the caller's transaction (or its own)."""
    values = {"username": username, "event": event, "object_type": object_type, "object_id": object_id,
              "object_repr": object_repr, "result": result}
    values = {name: _clean_text(str(value or ""))[:FIELD_LIMITS[name]] for name, value in values.items()}
    with transaction.atomic():
        head = _locked_head()
        entry = AuditLog(
            seq=head.seq + 1,
            timestamp=timezone.now(),  # taken under the lock, so time never runs backwards along the chain
            user_id=user_id,
            source_ip=normalise_ip(source_ip),
            detail=normalise_detail(detail or {}),
            prev_hash=head.hash,
            **values,
        )
        entry.hash = entry_hash(fields_of(entry))
        entry.save(force_insert=True)
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    written = _written.get()
    if written is not None:
        written[0] += 1
    return entry


def _last_archived() -> tuple[int, str]:
    archive = AuditArchive.objects.order_by("-last_seq").first()
    return (archive.last_seq, archive.last_hash) if archive else (0, GENESIS_HASH)


# --- verify -----------------------------------------------------------------------------------------------

@dataclass
class Break:
    """The first place the chain does not hold."""

    seq: int | None
    entry_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"第 {self.seq} 条（id={self.entry_id}）" if self.seq is not None else "链尾"
        return f"{where}：{self.reason}"


@dataclass
class VerifyResult:
    checked: int
    last_seq: int
    last_hash: str
    broken: Break | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _walk(entries: Iterable[dict[str, Any]], anchor_seq: int, anchor_hash: str,
          progress: Callable[[int], None] | None = None) -> VerifyResult:
    expected_seq, expected_prev, checked = anchor_seq + 1, anchor_hash, 0
    for fields in entries:
        seq, entry_id = fields["seq"], fields.get("id")
        if seq != expected_seq:
            return VerifyResult(checked, expected_seq - 1, expected_prev, Break(
                seq, entry_id, f"序号不连续：应为 {expected_seq}，缺少 {expected_seq}–{seq - 1}（条目被删除）"))
        if fields["prev_hash"] != expected_prev:
            return VerifyResult(checked, expected_seq - 1, expected_prev, Break(
                seq, entry_id, "前一条哈希不符（前面的条目被删除或替换）"))
        if entry_hash(fields) != fields["hash"]:
            return VerifyResult(checked, expected_seq - 1, expected_prev, Break(
                seq, entry_id, "内容与哈希不符（条目被修改）"))
        expected_seq, expected_prev, checked = seq + 1, fields["hash"], checked + 1
        if progress and checked % 1000 == 0:
            progress(checked)
    return VerifyResult(checked, expected_seq - 1, expected_prev)


def _table_rows(batch: int = 2000) -> Iterator[dict[str, Any]]:
    # Keyset pages over seq: constant memory on a large table, and no long-lived server cursor.
    last = None
    names = ("id", "hash", *CHAINED_FIELDS)
    while True:
        rows = models.QuerySet(AuditLog).order_by("seq")
        if last is not None:
            rows = rows.filter(seq__gt=last)
        page = list(rows.values(*names)[:batch])
        if not page:
            return
        yield from page
        last = page[-1]["seq"]


def verify_chain(progress: Callable[[int, int], None] | None = None) -> VerifyResult:
    """Walk the table's chain from the last archive's anchor to the chain head."""
    total = AuditLog.objects.count()
    archives = list(AuditArchive.objects.order_by("last_seq"))
    anchor_seq, anchor_hash = 0, GENESIS_HASH
    for archive in archives:
        if archive.first_seq != anchor_seq + 1 or archive.anchor_hash != anchor_hash:
            return VerifyResult(0, anchor_seq, anchor_hash, Break(
                archive.first_seq, None, f"归档记录 {archive.file_name} 与前一份归档不衔接"))
        anchor_seq, anchor_hash = archive.last_seq, archive.last_hash
    result = _walk(_table_rows(), anchor_seq, anchor_hash,
                   (lambda done: progress(done, total)) if progress else None)
    if not result.ok:
        return result
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        if result.checked:
            result.broken = Break(None, None, "链头记录缺失")
        return result
    if (head.seq, head.hash) != (result.last_seq, result.last_hash):
        result.broken = Break(None, None, f"链头指向第 {head.seq} 条，表中只到第 {result.last_seq} 条"
                                          "（最新的条目被删除或替换）")
    return result


# --- archive ----------------------------------------------------------------------------------------------

class ArchiveRefused(Exception):
    """The archive cannot be made (nothing old enough, or a date inside the retention period)."""


def retention_days() -> int:
    return max(int(getattr(settings, "GOVSITE_AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)), MIN_RETENTION_DAYS)


def archive_dir() -> Path:
    return Path(getattr(settings, "GOVSITE_AUDIT_ARCHIVE_DIR", settings.VAR_DIR / "audit-archive"))


def _entry_record(fields: dict[str, Any]) -> dict[str, Any]:
    record = dict(fields)
    record["timestamp"] = _timestamp_text(record["timestamp"])
    return record


def _record_fields(record: dict[str, Any]) -> dict[str, Any]:
    fields = dict(record)
    fields["timestamp"] = dt.datetime.strptime(record["timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    return fields


def _line(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8") + b"\n"


def archive_before(before: dt.datetime, *, now: dt.datetime | None = None,
                   directory: Path | None = None) -> AuditArchive:
    """归档: move the entries older than `before` (never younger than the retention period) to a file.

    Only a prefix of the chain is archived (up to the first entry at or after `before`), so the table keeps
    one unbroken chain whose first entry links to the archive's last hash.
    """
    now = now or timezone.now()
    limit = now - dt.timedelta(days=retention_days())
    if before > limit:
        raise ArchiveRefused(f"审计日志至少保留 {retention_days()} 天：只能归档 "
                             f"{timezone.localtime(limit):%Y-%m-%d %H:%M} 之前的条目。")
    first_young = models.QuerySet(AuditLog).filter(timestamp__gte=before).order_by("seq").values_list(
        "seq", flat=True).first()
    rows = models.QuerySet(AuditLog).order_by("seq")
    if first_young is not None:
        rows = rows.filter(seq__lt=first_young)
    anchor_seq, anchor_hash = _last_archived()
    if not rows.exists():
        raise ArchiveRefused("没有早于该日期的审计日志可归档。")

    directory = directory or archive_dir()
    directory.mkdir(parents=True, exist_ok=True)
    names = ("id", "user_id", "hash", *CHAINED_FIELDS)
    digest = hashlib.sha256()
    count, last_seq, last_hash = 0, anchor_seq, anchor_hash
    stamp = timezone.localtime(now).strftime("%Y%m%d%H%M%S")
    temporary = directory / f".audit-{stamp}.jsonl.gz.part"
    with open(temporary, "wb") as raw_file, gzip.GzipFile(fileobj=raw_file, mode="wb") as out:
        header = _line({"type": ARCHIVE_FORMAT, "version": ARCHIVE_VERSION, "anchor_seq": anchor_seq,
                        "anchor_hash": anchor_hash, "before": _timestamp_text(before),
                        "created_at": _timestamp_text(now)})
        out.write(header)
        digest.update(header)
        expected_seq, expected_prev = anchor_seq + 1, anchor_hash
        for fields in rows.values(*names).iterator(chunk_size=2000):
            # Archive only a chain that holds: a broken one is evidence and stays in the table.
            if (fields["seq"] != expected_seq or fields["prev_hash"] != expected_prev
                    or entry_hash(fields) != fields["hash"]):
                out.close()
                raw_file.close()
                temporary.unlink()
                raise ArchiveRefused(f"第 {fields['seq']} 条校验不通过，拒绝归档；请先运行 govsite audit verify。")
            line = _line({"type": "entry", **_entry_record(fields)})
            out.write(line)
            digest.update(line)
            count, last_seq, last_hash = count + 1, fields["seq"], fields["hash"]
            expected_seq, expected_prev = last_seq + 1, last_hash
        seal = {"type": "seal", "count": count, "first_seq": anchor_seq + 1, "last_seq": last_seq,
                "last_hash": last_hash, "content_sha256": digest.hexdigest()}
        out.write(_line(seal))
        out.close()
        raw_file.flush()
        os.fsync(raw_file.fileno())
    final = directory / f"audit-{anchor_seq + 1:012d}-{last_seq:012d}-{stamp}.jsonl.gz"
    os.replace(temporary, final)
    file_sha256 = hashlib.sha256(final.read_bytes()).hexdigest()
    checked = verify_archive(final)  # read back what was written before anything leaves the table
    if not checked.ok or checked.last_seq != last_seq:
        raise ArchiveRefused(f"归档文件写入后校验失败：{checked.broken}")

    with transaction.atomic():
        _locked_head()  # one archiver at a time, and never interleaved with a head reset
        if _last_archived() != (anchor_seq, anchor_hash):
            raise ArchiveRefused("另一个归档任务刚刚完成，请重新运行。")
        archive = AuditArchive.objects.create(
            file_name=final.name, file_sha256=file_sha256, first_seq=anchor_seq + 1, last_seq=last_seq,
            anchor_hash=anchor_hash, last_hash=last_hash, count=count, before=before, created_at=now)
        # The dedicated removal path: AuditLog's own QuerySet refuses delete().
        removed, _ = models.QuerySet(AuditLog).filter(seq__gte=anchor_seq + 1, seq__lte=last_seq).delete()
        if removed != count:
            raise ArchiveRefused("归档期间审计日志发生了变化，已撤销。")
    return archive


def _read_archive(path: Path) -> Iterator[tuple[bytes, dict[str, Any]]]:
    with gzip.open(path, "rb") as stream:
        for raw in stream:
            yield raw, json.loads(raw)


def verify_archive(path: Path, progress: Callable[[int], None] | None = None) -> VerifyResult:
    """Check an archive file: its seal, every entry's hash and link, and the archive record if one exists."""
    digest = hashlib.sha256()
    try:
        lines = _read_archive(path)
        raw, header = next(lines)
        if header.get("type") != ARCHIVE_FORMAT:
            return VerifyResult(0, 0, GENESIS_HASH, Break(None, None, "不是审计日志归档文件"))
        digest.update(raw)
        seal: dict[str, Any] | None = None

        def entries() -> Iterator[dict[str, Any]]:
            nonlocal seal
            for raw, record in lines:
                if record.get("type") == "seal":
                    seal = record
                    return
                digest.update(raw)
                yield _record_fields({k: v for k, v in record.items() if k != "type"})

        result = _walk(entries(), header["anchor_seq"], header["anchor_hash"], progress)
    except (OSError, EOFError, ValueError, KeyError, StopIteration) as exc:
        return VerifyResult(0, 0, GENESIS_HASH, Break(None, None, f"归档文件无法读取：{exc}"))
    if not result.ok:
        return result
    if seal is None:
        result.broken = Break(None, None, "归档文件缺少封存记录（文件不完整）")
    elif seal["content_sha256"] != digest.hexdigest() or seal["count"] != result.checked \
            or seal["last_hash"] != result.last_hash or seal["last_seq"] != result.last_seq:
        result.broken = Break(None, None, "封存记录与文件内容不符")
    else:
        record = AuditArchive.objects.filter(last_seq=result.last_seq).first()
        if record is not None and (record.last_hash != result.last_hash
                                   or record.file_sha256 != hashlib.sha256(path.read_bytes()).hexdigest()):
            result.broken = Break(None, None, f"与数据库中的归档记录 {record.file_name} 不符")
    return result
