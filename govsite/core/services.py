"""Core operations: audit records and role assignment (角色分配)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .access import forget_cached_roles
from .audit import append_entry
from .models import AuditLog, Role, RoleAssignment, Unit
from .net import client_ip

# Two-character surnames, so that 姓名 splits into 姓 and 名 (the admin shows names in 姓名 order).
COMPOUND_SURNAMES = frozenset({"欧阳", "司徒", "上官", "诸葛", "司马", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙"})

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser
    from django.db.models import Model
    from django.http import HttpRequest

    from govsite.registry.models import Website


def record_audit(
    user: AbstractUser | None,
    event: str,
    obj: Model | None = None,
    *,
    result: str = "success",
    request: HttpRequest | None = None,
    **detail: Any,
) -> AuditLog:
    """Append one entry to the audit log (审计日志), at the end of its hash chain (core/audit.py)."""
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return append_entry(
        user_id=user.pk if authenticated else None,
        username=user.get_username() if authenticated else "",
        event=event,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj) if obj is not None else "",
        result=result,
        source_ip=client_ip(request),
        detail=detail,
    )


@transaction.atomic
def do_assign_role(
    user: AbstractUser,
    role: str,
    *,
    unit: Unit | None = None,
    website: Website | None = None,
    by: AbstractUser | None = None,
    request: HttpRequest | None = None,
) -> RoleAssignment:
    """Give a user a role over a scope; idempotent."""
    assignment = RoleAssignment(user=user, role=Role(role), unit=unit, website=website)
    assignment.full_clean(validate_unique=False, validate_constraints=False)
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit, website=website)
    if created:
        record_audit(by, "role.assign", assignment, request=request, role=role)
    forget_cached_roles(user)
    return assignment


@transaction.atomic
def do_revoke_role(assignment: RoleAssignment, *, by: AbstractUser | None = None,
                   request: HttpRequest | None = None) -> None:
    record_audit(by, "role.revoke", assignment, request=request, role=assignment.role)
    user = assignment.user
    assignment.delete()
    forget_cached_roles(user)


# --- 本站人员: a site administrator's staff (编辑, 审核人员) -------------------------------------------------

STAFF_ROLES = (Role.EDITOR, Role.REVIEWER)


def site_staff(website: Website) -> list[tuple[AbstractUser, list[str]]]:
    """The users holding a role on this website, with those roles (网站管理员 included, for the list)."""
    rows: dict[int, tuple[AbstractUser, list[str]]] = {}
    assignments = RoleAssignment.objects.filter(website=website).select_related("user").order_by(
        "user__last_name", "user__first_name", "user__username")
    for assignment in assignments:
        if assignment.role == Role.EVALUATOR:
            continue
        rows.setdefault(assignment.user_id, (assignment.user, []))[1].append(assignment.role)
    return list(rows.values())


@transaction.atomic
def do_add_site_staff(website: Website, *, username: str, full_name: str, password: str, role: str,
                      by: AbstractUser, request: HttpRequest | None = None) -> AbstractUser:
    """A site administrator adds an editor or reviewer to their own site: a new account with that one role.

    Only new accounts: an existing account may belong to another site, whose staff this administrator
    must not touch (and must not learn of beyond "the name is taken").
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from govsite.registry.access import websites_staffed_by

    if not websites_staffed_by(by).filter(pk=website.pk).exists():
        raise PermissionDenied("无权管理该网站的人员。")
    if role not in STAFF_ROLES:
        raise ValidationError({"role": "网站管理员只能添加编辑或审核人员。"})
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
    from govsite.registry.access import websites_staffed_by

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
                 roles=[a.role for a in assignments])
