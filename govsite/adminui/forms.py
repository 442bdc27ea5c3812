"""Wagtail's login form with a Chinese password label: Wagtail declares the field without a label, so
Django showed the English name of the field ("Password")."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs["placeholder"] = _("请输入%(name)s") % {
            "name": self.username_field.verbose_name
        }
