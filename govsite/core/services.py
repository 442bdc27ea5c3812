"""Core operations: audit records and role assignment (角色分配)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .access import SYSTEM, _assignments, forget_cached_roles, is_system, require_actor
from .audit import append_entry
from .models import (
    GOVERNING_CAPABILITIES,
    SEPARATED_ADMIN_ROLES,
    AuditLog,
    Capability,
    Role,
    RoleAssignment,
    RoleDefinition,
    ScopeKind,
    Unit,
)
from .net import client_ip

# Two-character surnames, so that 姓名 splits into 姓 and 名 (the admin shows names in 姓名 order).
COMPOUND_SURNAMES = frozenset({"欧阳", "司徒", "上官", "诸葛", "司马", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙"})

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser
    from django.db.models import Model
    from django.http import HttpRequest

    from .access import SystemActor

    Actor = AbstractUser | SystemActor


def record_audit(
    user: AbstractUser | SystemActor | None,
    event: str,
    obj: Model | None = None,
    *,
    result: str = "success",
    request: HttpRequest | None = None,
    **detail: Any,
) -> AuditLog:
    """Append one entry to the audit log (审计日志), at the end of its hash chain (core/audit.py). `user` may be
    `core.access.SYSTEM` (系统): the entry then names "system" as its actor; `None` stays for an anonymous
    visitor (e.g. a failed login)."""
    authenticated = user is not None and getattr(user, "is_authenticated", False) and not is_system(user)
    if is_system(user):
        detail.setdefault("actor", "system")
    return append_entry(
        user_id=user.pk if authenticated else None,
        username=user.get_username() if authenticated or is_system(user) else "",
        event=event,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj) if obj is not None else "",
        result=result,
        source_ip=client_ip(request),
        detail=detail,
    )


# --- 角色分配: who may give whom which role over which scope ---------------------------------------------------

def _target_unit(unit: Unit | None, website: Any) -> Unit | None:
    return unit if unit is not None else (website.owner_unit if website is not None else None)


def assignment_covers(held: RoleAssignment, role: RoleDefinition, unit: Unit | None, website: Any) -> bool:
    """Whether an assignment the assigner holds covers the scope of a new assignment (never a wider one)."""
    kind = held.role.scope_kind
    if kind == ScopeKind.PLATFORM:
        return True
    target = _target_unit(unit, website)
    if kind == ScopeKind.UNIT_SUBTREE:
        return target is not None and held.unit is not None and target.path.startswith(held.unit.path)
    if kind == ScopeKind.UNIT:
        return (target is not None and target.pk == held.unit_id
                and role.scope_kind != ScopeKind.UNIT_SUBTREE)
    if kind == ScopeKind.WEBSITE:
        return website is not None and website.pk == held.website_id
    return False  # assigned websites (评估) and query codes carry no authority over others


def authority_of(actor: Any) -> list[RoleAssignment]:
    """The actor's assignments that carry the right to assign roles; a superuser acts as 平台管理员."""
    held = [a for a in _assignments(actor) if a.role.grants(Capability.ROLES_ASSIGN)]
    if getattr(actor, "is_superuser", False) and getattr(actor, "is_active", False):
        held.append(RoleAssignment(user=actor, role=RoleDefinition.objects.get(code=Role.PLATFORM_ADMIN)))
    return held


def assignable_roles_for(actor: Any) -> list[RoleDefinition]:
    """The roles this actor may assign somewhere within their scope (for the role-assignment page)."""
    codes: set[str] = set()
    for held in authority_of(actor):
        codes.update(held.role.assignable_roles.values_list("code", flat=True))
    return list(RoleDefinition.objects.filter(code__in=codes))


def check_assign_role(actor: Any, user: AbstractUser, role: RoleDefinition, *, unit: Unit | None,
                      website: Any) -> None:
    """Refuse an assignment the actor may not make: no authority over that scope, a role with a capability
    the actor lacks (越权), to oneself, or a second of the three separated administrator roles (三权分立)."""
    assignment = RoleAssignment(user=user, role=role, unit=unit, website=website)
    assignment.clean()
    if not is_system(actor):
        if not getattr(actor, "is_authenticated", False) or not actor.is_active:
            raise PermissionDenied("无权分配角色。")
        if user.pk == actor.pk:
            raise PermissionDenied("不能给自己分配角色。")
    if role.code in SEPARATED_ADMIN_ROLES:
        others = RoleAssignment.objects.filter(user=user, role__in=SEPARATED_ADMIN_ROLES).exclude(role=role)
        if others.exists():
            raise ValidationError("三权分立：系统管理员、安全管理员、审计管理员不能由同一人兼任。")
    if is_system(actor):
        return
    covering = [held for held in authority_of(actor) if assignment_covers(held, role, unit, website)
                and held.role.assignable_roles.filter(code=role.code).exists()]
    if not covering:
        raise PermissionDenied("无权在该范围内分配该角色。")
    # Power over people and the platform is given only by someone who holds it over that scope; the 安全管理员
    # appoints the other two separated administrators (三权分立) without holding their powers, as the data says.
    held_capabilities = {c for held in covering for c in held.role.capabilities}
    appoints = any(held.role.grants(Capability.SECURITY_POLICY) for held in covering)
    governing = set(role.capabilities) & GOVERNING_CAPABILITIES
    if not governing <= held_capabilities and not appoints:
        raise PermissionDenied("不能分配权限超过自己的角色。")


def _role(role: str | RoleDefinition) -> RoleDefinition:
    if isinstance(role, RoleDefinition):
        return role
    try:
        return RoleDefinition.objects.get(code=role)
    except RoleDefinition.DoesNotExist:
        raise ValidationError({"role": "角色不存在。"}) from None


@transaction.atomic
def do_assign_role(
    user: AbstractUser,
    role: str | RoleDefinition,
    *,
    unit: Unit | None = None,
    website: Any = None,
    by: Actor,
    request: HttpRequest | None = None,
) -> RoleAssignment:
    """分配角色: give a user a role over a scope; idempotent. The actor must be allowed to (see
    `check_assign_role`); tasks, commands and the demo pass `SYSTEM`."""
    require_actor(by)
    definition = _role(role)
    check_assign_role(by, user, definition, unit=unit, website=website)
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=definition, unit=unit,
                                                               website=website)
    if created:
        record_audit(by, "role.assign", assignment, request=request, role=definition.code,
                     assignee=user.get_username(), unit=unit.pk if unit else None,
                     website=website.pk if website is not None else None)
    forget_cached_roles(user)
    return assignment


def check_revoke_role(actor: Any, assignment: RoleAssignment) -> None:
    if is_system(actor):
        return
    if not getattr(actor, "is_authenticated", False) or assignment.user_id == actor.pk:
        raise PermissionDenied("不能撤销自己的角色。")
    if not any(assignment_covers(held, assignment.role, assignment.unit, assignment.website)
               and held.role.assignable_roles.filter(code=assignment.role_id).exists()
               for held in authority_of(actor)):
        raise PermissionDenied("无权撤销该角色。")


@transaction.atomic
def do_revoke_role(assignment: RoleAssignment, *, by: Actor, request: HttpRequest | None = None) -> None:
    """撤销角色."""
    require_actor(by)
    check_revoke_role(by, assignment)
    record_audit(by, "role.revoke", assignment, request=request, role=assignment.role_id,
                 assignee=assignment.user.get_username())
    user = assignment.user
    assignment.delete()
    forget_cached_roles(user)


__all__ = ["SYSTEM", "COMPOUND_SURNAMES", "record_audit", "do_assign_role", "do_revoke_role",
           "check_assign_role", "assignable_roles_for", "assignment_covers", "client_ip"]
