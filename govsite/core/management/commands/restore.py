"""`govsite restore FILE`: put the database and media back as they were in a backup (数据恢复)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsite.core.backup import BackupError, read_manifest, restore_backup
from govsite.core.services import record_audit


class Command(BaseCommand):
    help = (
        "从备份归档全量恢复数据库和媒体文件。会覆盖当前的全部数据：先停止网站和后台任务进程。"
        "数据库类型或迁移状态与备份不一致时拒绝恢复。"
    )
    # The database may be one the code does not match yet (an older backup); checks come after migrate.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="备份归档（govsite backup 生成的 .tar 文件）")
        parser.add_argument("--allow-migration-mismatch", action="store_true",
                            help="迁移状态不一致也恢复（恢复后须运行 govsite migrate）")
        parser.add_argument("--yes", "--noinput", "--no-input", action="store_true", dest="yes",
                            help="不再询问，直接覆盖当前数据")

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = options["verbosity"]
        try:
            manifest = read_manifest(options["file"])
            if not options["yes"]:
                answer = input(f"将用 {manifest.get('created_at')} 的备份覆盖当前全部数据，输入“恢复”确认：")
                if answer.strip() != "恢复":
                    raise CommandError("已取消，未做任何修改。")
            report = restore_backup(options["file"], progress=self._progress,
                                    allow_migration_mismatch=options["allow_migration_mismatch"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        # Appended after the restored rows, so the audit chain of the backup continues with this entry.
        record_audit(None, "backup.restore", backup_created_at=manifest.get("created_at"),
                     tables=report.tables, rows=report.rows, media_files=report.media_files)
        self.stdout.write(f"已恢复：{report.tables} 张表，{report.rows} 行，{report.media_files} 个媒体文件。")
        if options["allow_migration_mismatch"]:
            self.stdout.write("请运行 govsite migrate，使数据库结构与当前代码一致。")

    def _progress(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stderr.write(message)
