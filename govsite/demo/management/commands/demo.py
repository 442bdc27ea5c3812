"""`govsite demo`: build the demo region 示范自治区 with its registry, hosted sites and demo accounts."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsite.accounts.services import DEMO_TOTP_SECRET
from govsite.demo.data import DEFAULT_SEED, DEMO_PASSWORD
from govsite.demo.plan import PlanError
from govsite.demo.services import DemoResult, dev_port, do_build_demo

DEFAULT_REGISTRY_SIZE = 240
DEFAULT_ARTICLES_PER_COLUMN = 6
# Wagtail logs every page it creates and the task runner every index update: thousands of lines.
NOISY_LOGGERS = ("wagtail", "django_tasks", "modelsearch")


@contextmanager
def quiet_loggers(names: tuple[str, ...]) -> Iterator[None]:
    saved = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


class Command(BaseCommand):
    help = (
        "建立示范自治区演示数据：行政区划、机构、全区政府网站基本信息库、托管站点的栏目和信息、演示账号。"
        "可重复运行，已有数据不会重复创建。仅用于开发和演示环境。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--registry-size", type=int, default=DEFAULT_REGISTRY_SIZE,
            help=f"网站基本信息库的网站总数（默认 {DEFAULT_REGISTRY_SIZE}；1952 重现 2015 年登记、1775 个下线整合、176 个运行的规模）。",
        )
        parser.add_argument(
            "--articles-per-column", type=int, default=DEFAULT_ARTICLES_PER_COLUMN,
            help=f"每个栏目的基准信息条数（默认 {DEFAULT_ARTICLES_PER_COLUMN}，动态类栏目多些、规划类少些）。",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）。")
        parser.add_argument("--quiet", action="store_true", help="不输出任何信息（同 --verbosity 0）。")

    def handle(self, *args: object, **options: object) -> None:
        if not settings.GOVSITE_ALLOW_DEMO:
            raise CommandError(
                "演示数据会创建密码公开的演示账号，当前配置不允许加载。"
                "仅在开发或演示环境使用（设置 GOVSITE_ALLOW_DEMO=1 或使用 govsite.settings.dev）。"
            )
        verbosity = 0 if options["quiet"] else int(options["verbosity"])  # type: ignore[call-overload]
        per_column = int(options["articles_per_column"])  # type: ignore[call-overload]
        if per_column < 1:
            raise CommandError("--articles-per-column 至少为 1。")

        def progress(message: str) -> None:
            self.stderr.write(message)

        try:
            with quiet_loggers(NOISY_LOGGERS if verbosity < 3 else ()):
                result = do_build_demo(
                    registry_size=int(options["registry_size"]),  # type: ignore[call-overload]
                    articles_per_column=per_column,
                    seed=int(options["seed"]),  # type: ignore[call-overload]
                    progress=progress if verbosity >= 1 else None,
                )
        except PlanError as error:
            raise CommandError(str(error)) from error
        if verbosity >= 1:
            self.print_summary(result, int(options["seed"]))  # type: ignore[call-overload]

    def print_summary(self, result: DemoResult, seed: int) -> None:
        out = self.stdout.write
        created, totals = result.created, result.totals
        if result.foreign_sites:
            self.stderr.write(self.style.WARNING(
                f"注意：数据库中另有 {result.foreign_sites} 个网站不在本次规划内（可能来自以其他 --registry-size 或 "
                "--seed 运行的演示），未作改动。如需按本次参数重建，请删除 var/ 后重新 migrate。"))
        statuses = " · ".join(f"{label} {count}" for label, count in result.statuses.items() if count)
        out(self.style.SUCCESS(f"示范自治区演示数据已就绪（种子 {seed}，用时 {result.seconds:.1f} 秒）。"))
        out(f"  行政区划 {totals['regions']} 个 · 机构 {totals['units']} 个"
            f"（本次新建 {created['regions']} / {created['units']}）")
        out(f"  网站基本信息库 {totals['websites']} 个：{statuses}（本次新建 {created['websites']}）")
        out(f"  托管站点 {totals['hosted']} 个 · 栏目 {totals['columns']} 个 · 信息 {totals['articles']} 条"
            f"（本次新建栏目 {created['columns']}、信息 {created['articles']}）")
        out("托管站点（make run 之后访问）：")
        for name, url, note in result.hosted:
            out(f"  {url:<34} {name}：{note}")
        out(f"  管理后台：http://127.0.0.1:{dev_port()}/admin/")
        out(self.style.WARNING("演示账号（仅供本地演示，切勿在生产环境使用）："))
        for username, description, _ in result.accounts:
            out(f"  {username:<20} {description}")
        kept = [username for username, _, new in result.accounts if not new]
        out(f"  统一密码：{DEMO_PASSWORD}" + ("（本次之前已存在的账号未改动密码）" if kept else ""))
        out(f"  两步验证：手机令牌密钥 {DEMO_TOTP_SECRET}（在身份验证器应用中手动添加），"
            "或运行 govsite demo-totp 账号 显示当前验证码")
