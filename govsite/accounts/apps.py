from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """登录安全: two-factor login, lockout, password rules and sessions (等保三级 身份鉴别)."""

    name = "govsite.accounts"
    label = "accounts"
    verbose_name = "登录安全"

    def ready(self) -> None:
        from . import signals  # noqa: F401
