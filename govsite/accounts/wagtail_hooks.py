"""The admin's way into 账号安全 (each user) and 登录锁定 (who may unlock)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .lockout_views import lockouts, may_unlock


@hooks.register("register_account_menu_item")
def account_security_item(request: HttpRequest) -> dict:
    return {"url": reverse("accounts:security"), "label": _("账号安全"),
            "help_text": _("手机令牌、安全密钥（硬件密钥）和恢复码。")}


@hooks.register("register_admin_urls")
def lockout_urls() -> list:
    return [path("login-lockouts/", lockouts, name="accounts_lockouts")]


class LockoutMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return may_unlock(request.user)


@hooks.register("register_settings_menu_item")
def lockout_menu_item() -> MenuItem:
    return LockoutMenuItem(_("登录锁定"), reverse_lazy("accounts_lockouts"), name="login-lockouts",
                           icon_name="lock", order=900)
