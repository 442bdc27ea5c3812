"""本站人员: a site administrator's staff (编辑, 审核人员, 保密审查员), added and deactivated through role assignments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from govsite.core.access import require_actor
from govsite.core.models import Role, RoleAssignment
from govsite.core.services import COMPOUND_SURNAMES, do_assign_role, do_revoke_role, record_audit

from .access import websites_staffed_by
from .models import Website

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser
    from django.http import HttpRequest

STAFF_ROLES = (Role.EDITOR, Role.REVIEWER, Role.SECRECY_REVIEWER)


def site_staff(website: Website) -> list[tuple[AbstractUser, list[str]]]:
    """The users holding a role on this website, with those role codes (网站管理员 included, for the list)."""
    rows: dict[int, tuple[AbstractUser, list[str]]] = {}
    assignments = RoleAssignment.objects.filter(website=website).select_related("user").order_by(
        "user__last_name", "user__first_name", "user__username")
    for assignment in assignments:
        if assignment.role_id == Role.EVALUATOR:
            continue
        rows.setdefault(assignment.user_id, (assignment.user, []))[1].append(assignment.role_id)
    return list(rows.values())


@transaction.atomic
def do_add_site_staff(website: Website, *, username: str, full_name: str, password: str, role: str,
                      by: AbstractUser, request: HttpRequest | None = None) -> AbstractUser:
    """A site administrator adds an editor or reviewer to their own site: a new account with that one role.

    Only new accounts: an existing account may belong to another site, whose staff this administrator
    must not touch (and must not learn of beyond "the name is taken").
    """
    require_actor(by)
    if not websites_staffed_by(by).filter(pk=website.pk).exists():
        raise PermissionDenied("无权管理该网站的人员。")
    if role not in STAFF_ROLES:
        raise ValidationError({"role": "网站管理员只能添加编辑、审核人员或保密审查员。"})
    user_model = get_user_model()
    username = username.strip()
    if not username:
        raise ValidationError({"username": "请填写用户名。"})
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "该用户名已被使用，请换一个。"})
    full_name = full_name.strip()
    if not full_name:
        raise ValidationError({"full_name": "请填写姓名。"})
    user = user_model(username=username)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    surname_length = 2 if full_name[:2] in COMPOUND_SURNAMES else 1
    user.last_name, user.first_name = full_name[:surname_length], full_name[surname_length:]
    user.set_password(password)
    user.save()
    do_assign_role(user, role, website=website, by=by, request=request)
    record_audit(by, "staff.add", user, request=request, website=website.site_code, role=role)
    return user


@transaction.atomic
def do_deactivate_site_staff(website: Website, user: AbstractUser, *, by: AbstractUser,
                             request: HttpRequest | None = None) -> None:
    """停用: take the user's editor/reviewer roles on this site away; an account left with no role is disabled."""
    require_actor(by)
    if not websites_staffed_by(by).filter(pk=website.pk).exists():
        raise PermissionDenied("无权管理该网站的人员。")
    assignments = list(RoleAssignment.objects.filter(user=user, website=website, role__in=STAFF_ROLES))
    if not assignments or user.pk == by.pk:
        raise PermissionDenied("只能停用本网站的编辑和审核人员。")
    for assignment in assignments:
        do_revoke_role(assignment, by=by, request=request)
    if not RoleAssignment.objects.filter(user=user).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
    record_audit(by, "staff.deactivate", user, request=request, website=website.site_code,
                 roles=[a.role_id for a in assignments])
