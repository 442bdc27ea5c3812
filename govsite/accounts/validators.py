"""口令规则 (等保三级 身份鉴别 a): character classes, history and the demo password.

Django calls `validate` wherever a password is chosen through a form and `password_changed` whenever a
user with a new password is saved, so the history is written on every path (admin, forced change,
createsuperuser, demo).
"""

from __future__ import annotations

import string

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: The published password of `govsite demo` accounts; accepted only where settings say demo mode.
from .demo import DEMO_PASSWORD  # noqa: F401 (read here by tests and the demo data)


def character_classes(password: str) -> int:
    """How many of the four classes (大写字母、小写字母、数字、特殊字符) the password uses."""
    return sum(
        [
            any(c in string.ascii_uppercase for c in password),
            any(c in string.ascii_lowercase for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a Chinese message (Django 5.2's zh_Hans catalogue lacks its new msgid)."""

    def get_error_message(self) -> str:
        return _("口令太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("口令至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}


class CharacterClassValidator:
    """At least `min_classes` of upper case, lower case, digits and other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:  # noqa: ANN001
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _("口令须包含大写字母、小写字母、数字、特殊字符中的至少 %(count)d 类。") % {"count": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("口令须包含大写字母、小写字母、数字、特殊字符中的至少 %(count)d 类。") % {"count": self.min_classes}


class PasswordHistoryValidator:
    """No reuse of the last `count` passwords; records each new password in the history."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def validate(self, password: str, user=None) -> None:  # noqa: ANN001
        if user is None or not getattr(user, "pk", None):
            return
        from .models import PasswordHistory

        # the current password counts too (an account created with a hash has no history entry yet)
        recent = [user.password, *PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count]]
        if any(encoded and check_password(password, encoded) for encoded in recent):
            raise ValidationError(
                _("不能使用最近 %(count)d 次用过的口令。") % {"count": self.count}, code="password_reused"
            )

    def password_changed(self, password: str, user=None) -> None:  # noqa: ANN001
        if user is None or not getattr(user, "pk", None):
            return
        from .services import record_password_change

        record_password_change(user)

    def get_help_text(self) -> str:
        return _("不能使用最近 %(count)d 次用过的口令。") % {"count": self.count}


class DemoPasswordValidator:
    """The demo password only in demo mode (GOVSITE_ALLOW_DEMO): it is published in the README."""

    def validate(self, password: str, user=None) -> None:  # noqa: ANN001
        if password == DEMO_PASSWORD and not settings.GOVSITE_ALLOW_DEMO:
            raise ValidationError(_("演示口令已公开，只能在演示环境中使用，请另设口令。"), code="password_demo")

    def get_help_text(self) -> str:
        return _("不能使用公开的演示口令。")
