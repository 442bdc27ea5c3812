"""govsite content import FILE.jsonl --site CODE --column SLUG [--skip-bad]: 迁移导入 (content/importer.py).

Prints a progress line on stderr, then what was imported; each bad or refused line with its number. Without
--skip-bad a file with any bad line imports nothing (exit status 1). Acts as SYSTEM (系统).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from govsite.content.importer import ImportRefused, do_import
from govsite.core.access import SYSTEM

USAGE = "用法：govsite content import 文件.jsonl --site 网站标识码 --column 栏目标识 [--skip-bad]"


class Command(BaseCommand):
    help = "迁移导入：govsite content import 文件.jsonl --site 网站标识码 --column 栏目标识 [--skip-bad]"

    def add_arguments(self, parser: Any) -> None:
        # Checked in handle(), so that every mistake is answered in Chinese.
        parser.add_argument("action", nargs="?", help="import")
        parser.add_argument("file", nargs="?", help="JSON Lines 文件，每行一条信息")
        parser.add_argument("--site", default="", help="目标网站的网站标识码")
        parser.add_argument("--column", default="", help="目标栏目的标识（slug），或 上级/下级")
        parser.add_argument("--skip-bad", action="store_true", help="跳过有问题的行，导入其余各行")

    def handle(self, *args: Any, action: str | None = None, file: str | None = None, site: str = "",
               column: str = "", skip_bad: bool = False, **options: Any) -> None:
        if action != "import" or not file or not site or not column:
            raise CommandError(USAGE)
        shown = {"percent": -1}

        def progress(done: int, total: int) -> None:
            percent = done * 100 // total if total else 100
            if percent != shown["percent"]:
                shown["percent"] = percent
                self.stderr.write(f"\r导入进度：{percent:3d}%（{done}/{total}）", ending="")
                if done == total:
                    self.stderr.write("")

        try:
            report = do_import(file, site_code=site, column_slug=column, skip_bad=skip_bad, by=SYSTEM,
                               progress=progress)
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        for number, reason in report.problems:
            self.stderr.write(f"第 {number} 行：{reason}")
        if not report.committed:
            raise CommandError(f"文件中有 {len(report.problems)} 行有问题，未导入任何信息。"
                               "请改正后重新导入，或加 --skip-bad 跳过这些行。")
        skipped = f"，跳过有问题的行 {len(report.problems)} 行" if report.problems else ""
        self.stdout.write(f"导入 {report.imported} 条信息，已导入过的 {report.already} 条未重复导入{skipped}。"
                          "原发布时间已保留，已记入审计日志。")
