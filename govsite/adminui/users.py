"""Wagtail's user admin without the way to superuser rights (三权分立).

Wagtail's user forms offer 管理员 (`is_superuser`) to anyone who may change users, and a list of groups to
tick. Here neither is offered: nobody grants superuser rights through the admin (the first account is made
at the server with `govsite createsuperuser`), and group membership follows role assignments only (角色分配,
`core.services.do_assign_role`, scoped and audited). Accounts holding superuser rights are changed only by
a superuser.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users

from govsite.core.services import record_audit

LOCKED_FIELDS = ("is_superuser", "groups")


class _NoEscalation:
    """Neither field is on the form, so Django's ModelForm neither reads nor writes them, whatever is posted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in LOCKED_FIELDS:
            self.fields.pop(name, None)


class GovsiteUserCreationForm(_NoEscalation, UserCreationForm):
    pass


class GovsiteUserEditForm(_NoEscalation, UserEditForm):
    pass


class CreateView(users.CreateView):
    def save_instance(self) -> Any:
        instance = super().save_instance()
        record_audit(self.request.user, "user.create", instance, request=self.request)
        return instance


class EditView(users.EditView):
    def get_object(self, queryset: Any = None) -> Any:
        obj = super().get_object(queryset)
        if obj.is_superuser and not self.request.user.is_superuser:
            raise PermissionDenied("只有超级用户可以修改超级用户的账号。")
        return obj

    def save_instance(self) -> Any:
        instance = super().save_instance()
        record_audit(self.request.user, "user.change", instance, request=self.request,
                     fields=sorted(self.form.changed_data))
        return instance


class UserViewSet(users.UserViewSet):
    add_view_class = CreateView
    edit_view_class = EditView

    def get_form_class(self, for_update: bool = False) -> type:
        return GovsiteUserEditForm if for_update else GovsiteUserCreationForm
