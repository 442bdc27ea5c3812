"""数据备份与恢复 (backup and restore): the database and the uploaded media in one tar archive.

Each database is copied with its own tool: SQLite's online backup API (a consistent copy while the site
runs) and PostgreSQL's ``pg_dump -Fc`` inside an exported snapshot, so that the row counts in the manifest
describe exactly the rows in the dump. Restore uses the same tools the other way (``Connection.backup`` into
the live database; ``pg_restore --clean``), so every row comes back as it was, including the audit log
with its hash chain.

Archive layout::

    manifest.json        time, engine, migration state, row counts per table, SHA-256 of each member
    database.sqlite3     (SQLite)  or  database.pgdump  (PostgreSQL, custom format)
    media/...            every file under MEDIA_ROOT
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is for the operator (in Chinese)."""


@dataclass
class RestoreReport:
    manifest: dict
    tables: int
    rows: int
    media_files: int


def _quiet(_: str) -> None:
    pass


def engine_name() -> str:
    """'sqlite' or 'postgresql' for the default database."""
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"不支持的数据库类型：{vendor}（仅支持 SQLite 和 PostgreSQL）。")
    return vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _state_of(cursor, tables: list[str]) -> tuple[dict[str, int], list[list[str]]]:  # noqa: ANN001
    """Row counts per table and applied migrations, read through `cursor` (one consistent view)."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    migrations: list[list[str]] = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [list(row) for row in cursor.fetchall()]
    return counts, migrations


def current_migrations() -> list[list[str]]:
    """The migrations applied to the live database, as [app, name] pairs in order."""
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return []
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [list(row) for row in cursor.fetchall()]


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump / pg_restore from Django's settings."""
    params = connection.get_connection_params()
    args = []
    env = dict(os.environ)
    for option, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if params.get(key):
            args += [option, str(params[key])]
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    args += ["--dbname", str(params.get("dbname") or connection.settings_dict["NAME"])]
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        proc = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"找不到 {command[0]}：请安装与数据库服务器版本一致的 PostgreSQL 客户端工具。") from exc
    if proc.returncode != 0:
        raise BackupError(f"{what}失败（{command[0]} 退出码 {proc.returncode}）：{proc.stderr.strip()[-2000:]}")


def _dump_sqlite(target: Path) -> tuple[dict[str, int], list[list[str]]]:
    connection.ensure_connection()
    source = connection.connection
    copy = sqlite3.connect(target)
    try:
        # The online backup API copies a consistent snapshot while other connections keep writing.
        source.backup(copy, pages=1024)
        tables = [row[0] for row in copy.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return _state_of(copy.cursor(), tables)
    finally:
        copy.close()


def _dump_postgresql(target: Path) -> tuple[dict[str, int], list[list[str]]]:
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    args, env = _pg_env()
    # One snapshot for the counts and for pg_dump: the manifest describes exactly what the dump holds.
    with psycopg.connect(**{k: v for k, v in params.items() if k in
                            {"dbname", "user", "password", "host", "port", "sslmode", "options"}}) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction(), conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            tables = [row[0] for row in cursor.fetchall()]
            state = _state_of(cursor, tables)
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                  "--file", str(target), *args], env, "数据库导出")
    return state


def _media_files() -> list[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found.append((path, MEDIA_PREFIX + path.relative_to(root).as_posix()))
    return found


def create_backup(output_dir: Path | str, *, progress: Progress = _quiet) -> Path:
    """Write one backup archive into ``output_dir`` and return its path (全量备份)."""
    output = Path(output_dir)
    output.mkdir(parents=True, exist_ok=True)
    engine = engine_name()
    started = timezone.now()
    stamp = timezone.localtime(started).strftime("%Y%m%d-%H%M%S")
    final = output / f"govsite-backup-{stamp}-{engine}.tar"
    serial = 1
    while final.exists():  # two backups within one second
        serial += 1
        final = output / f"govsite-backup-{stamp}-{serial}-{engine}.tar"
    with tempfile.TemporaryDirectory(prefix="govsite-backup-") as work:
        dump = Path(work) / ("database.sqlite3" if engine == "sqlite" else "database.pgdump")
        progress(f"正在导出数据库（{engine}）……")
        counts, migrations = _dump_sqlite(dump) if engine == "sqlite" else _dump_postgresql(dump)
        progress(f"数据库已导出：{len(counts)} 张表，{sum(counts.values())} 行。")
        members: list[tuple[Path, str]] = [(dump, dump.name)]
        media = _media_files()
        members += media
        checksums = {}
        for index, (path, name) in enumerate(members, 1):
            checksums[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
            if index % 200 == 0:
                progress(f"正在计算校验值：{index}/{len(members)}")
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": started.isoformat(),
            "engine": engine,
            "database_file": dump.name,
            "migrations": migrations,
            "row_counts": counts,
            "media_files": len(media),
            "members": checksums,
        }
        partial = final.with_suffix(".tar.partial")
        # A backup holds personal data and password hashes: readable by its owner only.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(started.timestamp())
            tar.addfile(info, io.BytesIO(data))
            for index, (path, name) in enumerate(members, 1):
                tar.add(path, arcname=name, recursive=False)
                if index == 1 or index % 200 == 0 or index == len(members):
                    progress(f"正在写入归档：{index}/{len(members)} 个文件")
        partial.replace(final)
    progress(f"备份完成：{final}")
    return final


def read_manifest(archive: Path | str) -> dict:
    try:
        with tarfile.open(archive, mode="r:") as tar:
            member = tar.getmember(MANIFEST)
            return json.loads(tar.extractfile(member).read())
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError) as exc:
        raise BackupError(f"无法读取备份文件 {archive}：不是 GovSite 备份归档或已损坏（{exc}）。") from exc


def _safe_member(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def _extract_verified(archive: Path, manifest: dict, into: Path, progress: Progress) -> None:
    """Unpack every member listed in the manifest and check its SHA-256; nothing else is accepted."""
    expected = manifest.get("members") or {}
    seen = set()
    with tarfile.open(archive, mode="r:") as tar:
        for member in tar:
            if member.name == MANIFEST:
                continue
            if member.name not in expected or not member.isfile() or not _safe_member(member.name):
                raise BackupError(f"备份归档含有清单之外的成员“{member.name}”，拒绝恢复。")
            target = into / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with tar.extractfile(member) as source, target.open("wb") as sink:
                for block in iter(lambda: source.read(CHUNK), b""):
                    digest.update(block)
                    sink.write(block)
            if digest.hexdigest() != expected[member.name]["sha256"]:
                raise BackupError(f"备份归档中“{member.name}”的 SHA-256 校验值不符，文件已损坏或被篡改，拒绝恢复。")
            seen.add(member.name)
            if len(seen) % 200 == 0:
                progress(f"正在校验：{len(seen)}/{len(expected)} 个文件")
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"备份归档缺少清单中的文件：{'、'.join(missing[:5])}，拒绝恢复。")


def check_restorable(manifest: dict, *, allow_migration_mismatch: bool = False) -> None:
    """Refuse a restore onto another engine or onto a database at another migration state."""
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"备份格式版本 {manifest.get('format')} 不受支持（当前为 {FORMAT_VERSION}）。")
    engine = engine_name()
    if manifest.get("engine") != engine:
        raise BackupError(
            f"数据库类型不一致：备份来自 {manifest.get('engine')}，当前数据库是 {engine}。"
            "数据库自身格式的备份只能恢复到同类数据库；更换数据库请先在原类型上恢复，再用 dumpdata/loaddata 迁移。"
        )
    if allow_migration_mismatch:
        return
    ours = {tuple(pair) for pair in current_migrations()}
    theirs = {tuple(pair) for pair in manifest.get("migrations") or []}
    if ours and ours != theirs:
        only_backup = sorted(theirs - ours)
        only_here = sorted(ours - theirs)
        detail = []
        if only_here:
            detail.append("当前数据库多出 " + "、".join(f"{a}.{n}" for a, n in only_here[:5]))
        if only_backup:
            detail.append("备份多出 " + "、".join(f"{a}.{n}" for a, n in only_backup[:5]))
        raise BackupError(
            "数据库迁移状态与备份不一致（" + "；".join(detail) + "），拒绝恢复。"
            "确认要恢复请加 --allow-migration-mismatch，恢复后运行 govsite migrate。"
        )


def _restore_sqlite(dump: Path) -> None:
    connection.close()
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection, pages=1024)
    finally:
        source.close()


def _restore_postgresql(dump: Path, manifest: dict) -> None:
    args, env = _pg_env()
    connection.close()
    with connection.cursor() as cursor:
        # Tables the backup does not know (from later migrations) would survive --clean and break migrate.
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        extra = [row[0] for row in cursor.fetchall() if row[0] not in manifest["row_counts"]]
        for table in extra:
            cursor.execute(f"DROP TABLE IF EXISTS {_quote(table)} CASCADE")
    connection.close()
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", *args, str(dump)], env, "数据库恢复")


def _restore_media(unpacked: Path) -> int:
    root = Path(settings.MEDIA_ROOT)
    source = unpacked / MEDIA_PREFIX.rstrip("/")
    root.mkdir(parents=True, exist_ok=True)
    # Files uploaded after the backup belong to rows that no longer exist: the media is restored as it was.
    for child in list(root.iterdir()):
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    count = 0
    if source.is_dir():
        for path in source.rglob("*"):
            if path.is_file():
                target = root / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(path, target)
                count += 1
    return count


def verify_restored(manifest: dict) -> tuple[int, int]:
    """Compare the live database's row counts with the manifest; return (tables, rows)."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts, _ = _state_of(cursor, [t for t in tables if t in manifest["row_counts"]])
    wrong = [t for t, n in manifest["row_counts"].items() if counts.get(t) != n]
    if wrong:
        raise BackupError(f"恢复后行数与备份清单不符：{'、'.join(wrong[:5])}。")
    return len(counts), sum(counts.values())


def restore_backup(archive: Path | str, *, allow_migration_mismatch: bool = False,
                   progress: Progress = _quiet) -> RestoreReport:
    """Replace the database and MEDIA_ROOT with the archive's content (全量恢复). Stop web and workers first."""
    archive = Path(archive)
    manifest = read_manifest(archive)
    check_restorable(manifest, allow_migration_mismatch=allow_migration_mismatch)
    progress(f"备份时间 {manifest['created_at']}，数据库 {manifest['engine']}，"
             f"{len(manifest['row_counts'])} 张表，{manifest['media_files']} 个媒体文件。")
    parent = Path(settings.MEDIA_ROOT).parent
    parent.mkdir(parents=True, exist_ok=True)
    # Unpack beside MEDIA_ROOT so that media files are moved into place, not copied across file systems.
    with tempfile.TemporaryDirectory(prefix=".govsite-restore-", dir=parent) as work:
        unpacked = Path(work)
        progress("正在校验备份归档（SHA-256）……")
        _extract_verified(archive, manifest, unpacked, progress)
        dump = unpacked / manifest["database_file"]
        progress("正在恢复数据库……")
        if manifest["engine"] == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump, manifest)
        progress("正在恢复媒体文件……")
        media = _restore_media(unpacked)
    tables, rows = verify_restored(manifest)
    progress(f"恢复完成：{tables} 张表，{rows} 行，{media} 个媒体文件。")
    return RestoreReport(manifest=manifest, tables=tables, rows=rows, media_files=media)


def prune_backups(directory: Path | str, keep: int) -> list[Path]:
    """保留策略: delete all but the newest ``keep`` archives in ``directory``; 0 keeps everything."""
    if keep <= 0:
        return []
    archives = sorted(Path(directory).glob("govsite-backup-*.tar"), key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
    removed = archives[keep:]
    for old in removed:
        old.unlink()
    return removed
