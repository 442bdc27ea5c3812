"""`govsite backup [--output DIR]`: one archive with the database and the uploaded media (数据备份)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsite.core.backup import BackupError, create_backup, prune_backups
from govsite.core.services import record_audit


class Command(BaseCommand):
    help = (
        "全量备份：数据库（SQLite 在线备份 / PostgreSQL pg_dump）和媒体文件写入一个 tar 归档，"
        "附清单（时间、数据库类型、迁移状态、各表行数、每个文件的 SHA-256）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default="", help="备份目录（默认 GOVSITE_BACKUP_DIR，即 var/backups）")
        parser.add_argument("--keep", type=int, default=None,
                            help="只保留最新的 N 份备份，更早的删除（默认 GOVSITE_BACKUP_KEEP；0 为不删除）")

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = options["verbosity"]
        output = Path(options["output"] or settings.GOVSITE_BACKUP_DIR)
        keep = options["keep"] if options["keep"] is not None else settings.GOVSITE_BACKUP_KEEP
        try:
            archive = create_backup(output, progress=self._progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        record_audit(None, "backup.create", archive=archive.name, size=archive.stat().st_size)
        for old in prune_backups(output, keep):
            self._progress(f"已删除超出保留份数的旧备份：{old.name}")
        self.stdout.write(str(archive))

    def _progress(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stderr.write(message)
