"""`govsite audit verify|archive`: check the audit log's hash chain, and archive entries past retention (审计日志)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "审计日志。verify：校验哈希链（或用 --archive 校验归档文件），发现断裂时以非零退出码结束并指出第一处；"
        "archive --before 日期：把该日期之前（且早于保留期）的条目写入封存的归档文件后从数据库移除。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="校验审计日志哈希链")
        verify.add_argument("--archive", action="append", default=[], metavar="FILE",
                            help="校验归档文件（可重复），而不是数据库中的日志")
        archive = sub.add_parser("archive", help="归档早于某日期的审计日志")
        archive.add_argument("--before", required=True, metavar="YYYY-MM-DD",
                             help="归档该日期（北京时间零点）之前的条目；不得晚于保留期起点")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "archive":
            self._archive(options["before"])
        elif options["archive"]:
            for name in options["archive"]:
                self._verify_archive(Path(name))
        else:
            self._verify()

    def _progress(self, done: int, total: int | None = None) -> None:
        self.stdout.write(f"已校验 {done}" + (f"/{total}" if total is not None else "") + " 条……")

    def _verify(self) -> None:
        from govsite.core.audit import verify_chain

        self.stdout.write("正在校验审计日志哈希链……")
        result = verify_chain(progress=self._progress)
        if not result.ok:
            raise CommandError(f"审计日志哈希链断裂，第一处：{result.broken}（此前 {result.checked} 条完好）",
                               returncode=1)
        self.stdout.write(self.style.SUCCESS(
            f"审计日志完好：共 {result.checked} 条，链尾第 {result.last_seq} 条，哈希 {result.last_hash}"))

    def _verify_archive(self, path: Path) -> None:
        from govsite.core.audit import verify_archive

        if not path.is_file():
            raise CommandError(f"归档文件不存在：{path}", returncode=2)
        self.stdout.write(f"正在校验归档文件 {path}……")
        result = verify_archive(path, progress=self._progress)
        if not result.ok:
            raise CommandError(f"归档文件 {path.name} 校验失败，第一处：{result.broken}", returncode=1)
        self.stdout.write(self.style.SUCCESS(
            f"归档文件完好：共 {result.checked} 条，截止第 {result.last_seq} 条，哈希 {result.last_hash}"))

    def _archive(self, before_text: str) -> None:
        from govsite.core.audit import ArchiveRefused, archive_before, archive_dir
        from govsite.core.services import record_audit

        try:
            day = dt.date.fromisoformat(before_text)
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{before_text}", returncode=2) from None
        before = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        try:
            archive = archive_before(before)
        except ArchiveRefused as exc:
            raise CommandError(str(exc), returncode=1) from None
        record_audit(None, "audit.archive", archive, file=archive.file_name, first_seq=archive.first_seq,
                     last_seq=archive.last_seq, count=archive.count)
        self.stdout.write(self.style.SUCCESS(
            f"已归档 {archive.count} 条（第 {archive.first_seq}–{archive.last_seq} 条）到 "
            f"{archive_dir() / archive.file_name}，并已从数据库移除。"))
