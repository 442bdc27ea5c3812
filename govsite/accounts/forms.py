"""Forms of the login steps, labels and errors in Chinese."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("验证码"),
        max_length=32,
        help_text=_("手机令牌上的 6 位数字，或一个未用过的恢复码。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True,
                                      "placeholder": _("请输入验证码")}),
        error_messages={"required": _("请输入验证码。")},
    )


class ForcedPasswordChangeForm(PasswordChangeForm):
    """Django's password change (old password, new twice, every validator) with Chinese labels."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("当前口令")
        self.fields["new_password1"].label = _("新口令")
        self.fields["new_password2"].label = _("再次输入新口令")
