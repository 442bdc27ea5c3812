"""`govsite demo-totp [账号]`: the current two-step code of a demo account (demo mode only)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from govsite.accounts.services import current_totp_code


class Command(BaseCommand):
    help = "显示演示账号手机令牌的当前验证码（仅演示环境）。"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("username", nargs="?", default="admin", help="账号，默认 admin")

    def handle(self, *args, username: str, **options) -> None:
        if not settings.GOVSITE_ALLOW_DEMO:
            raise CommandError("只有演示环境（GOVSITE_ALLOW_DEMO）才能显示验证码。")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有账号 {username}。")
        code = current_totp_code(user)
        if code is None:
            raise CommandError(f"账号 {username} 没有绑定手机令牌。")
        self.stdout.write(f"{username} 当前验证码：{code}（30 秒内有效，每个验证码只能用一次）")
