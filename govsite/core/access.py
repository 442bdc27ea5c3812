"""Scope primitives (一级管一级): who holds which role over which scope. Domain apps build their own
`access.py` on these (`registry.access` for websites, `content.access` for pages); core imports no domain app.

Roles are data (`RoleDefinition`): each has a scope kind and capabilities. Rules:
- a role with the `scope.all` capability (平台管理员, 系统管理员) or the Django superuser flag sees and manages
  every object; the audit log is not among them (`may_read_audit`: 审计管理员 only);
- a role over a unit subtree (监管人员) covers every website whose 主办单位 is at or below the unit; a role over
  a unit covers that unit's own websites only;
- a role over a website (网站管理员, 编辑, 审核人员) or over assigned websites (第三方评估人员, read-only) covers
  those websites;
- the anonymous submitter holds no account: a case is reached by its query code (`case_access_by_query_code`).
Objects the user may not see answer 404, never 403, so that their existence does not leak.

Every operation names its actor. Tasks and commands act as `SYSTEM` (系统), never as "no user": services refuse
`None`, and the audit log records the system actor as such.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Capability, Role, RoleAssignment, RoleDefinition, ScopeKind, Unit

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from .models import Region

    AnyUser = AbstractBaseUser | AnonymousUser


class SystemActor:
    """系统: the actor of scheduled tasks, management commands and migrations. Not a user account: it holds
    no role, opens no admin page, and is written to the audit log as "system"."""

    username = "system"
    display_name = "系统"
    pk = None
    id = None
    is_authenticated = False  # never passes a login check or a request-level permission test
    is_active = True
    is_superuser = False
    is_staff = False
    is_system = True

    def get_username(self) -> str:
        return self.username

    def __str__(self) -> str:
        return self.display_name

    def __repr__(self) -> str:
        return "<SYSTEM>"


SYSTEM = SystemActor()


def is_system(actor: Any) -> bool:
    return actor is SYSTEM


def require_actor(actor: Any) -> Any:
    """Services call this first: an operation without an actor is a programming error, not the system."""
    if actor is None:
        raise ValueError("操作必须指明执行者：用户，或计划任务和命令使用的 core.access.SYSTEM。")
    return actor


def _assignments(user: AnyUser) -> list[RoleAssignment]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_govsite_role_cache", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("unit", "role"))
        user._govsite_role_cache = cached
    return cached


def assignments_of(user: AnyUser) -> list[RoleAssignment]:
    """The role assignments of an active, logged-in user (cached on the user object for the request)."""
    return _assignments(user)


def forget_cached_roles(user: AnyUser) -> None:
    """Drop the per-request role cache (after roles of this user object changed)."""
    if hasattr(user, "_govsite_role_cache"):
        del user._govsite_role_cache


def role_codes(user: AnyUser) -> set[str]:
    """The codes of every role the user holds, over any scope."""
    return {a.role_id for a in _assignments(user)}


def has_capability(user: AnyUser, capability: str) -> bool:
    """Whether any of the user's roles grants this capability (over some scope)."""
    return any(a.role.grants(capability) for a in _assignments(user))


def role_name(code: str) -> str:
    """The Chinese name of a role code (the code itself for an unknown one)."""
    return RoleDefinition.objects.filter(code=code).values_list("name", flat=True).first() or code


def is_platform_admin(user: AnyUser) -> bool:
    """平台管理员/系统管理员 (or the superuser flag): every object of every site, for operations."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser) or has_capability(user, Capability.SCOPE_ALL)


def supervised_units(user: AnyUser) -> list[Unit]:
    """Units whose whole subtree the user's roles cover (监管范围)."""
    return [a.unit for a in _assignments(user)
            if a.role.scope_kind == ScopeKind.UNIT_SUBTREE and a.unit is not None]


def held_units(user: AnyUser) -> list[Unit]:
    """Units the user's roles cover without their subordinate units (scope kind 本机构)."""
    return [a.unit for a in _assignments(user) if a.role.scope_kind == ScopeKind.UNIT and a.unit is not None]


def is_supervisor(user: AnyUser) -> bool:
    return is_platform_admin(user) or bool(supervised_units(user))


def subtree_q(nodes: Iterable[Unit | Region], field: str = "") -> Q:
    """Objects in the subtrees of `nodes` (units or regions, materialised paths): through the foreign key
    `field` to such a node, or, without `field`, the nodes of the same tree themselves."""
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    q = Q(pk__in=[])
    for node in nodes:
        q |= Q(**{lookup: node.path})
    return q


def unit_scope_q(user: AnyUser, field: str) -> Q:
    """Objects whose `field` (a Unit) lies within the user's unit scopes: subtrees and single units."""
    return subtree_q(supervised_units(user), field) | Q(**{f"{field}__in": [u.pk for u in held_units(user)]})


def website_ids(user: AnyUser, *, capability: str | None = None) -> list[int]:
    """Websites the user holds a role on directly (own site, or assigned to an evaluator)."""
    return [a.website_id for a in _assignments(user)
            if a.website_id is not None and (capability is None or a.role.grants(capability))]


def units_visible_to(user: AnyUser) -> QuerySet[Unit]:
    """Units a user may pick in registry forms: their supervised subtrees (all, for platform admins)."""
    if is_platform_admin(user):
        return Unit.objects.all()
    units, single = supervised_units(user), held_units(user)
    if not units and not single:
        return Unit.objects.none()
    return Unit.objects.filter(Q(pk__in=[u.pk for u in single]) | subtree_q(units))


def access_unit(user: AnyUser, unit_id: int) -> Unit:
    try:
        return units_visible_to(user).get(pk=unit_id)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404("机构不存在或无权访问。") from None


def site_roles(user: AnyUser, website: Any) -> set[str]:
    """The roles the user holds on this website itself (site admin, editor, reviewer, evaluator)."""
    return {a.role_id for a in _assignments(user) if a.website_id == website.pk}


def may_read_audit(user: AnyUser) -> bool:
    """审计管理员: only an active user holding the audit_admin role reads and exports the audit log.

    The superuser flag does not grant it (三权分立: the system administrator cannot read the audit log).
    """
    return any(a.role_id == Role.AUDIT_ADMIN for a in _assignments(user))


def case_access_by_query_code(cases: QuerySet, query_code: str, *, field: str = "query_code") -> Model:
    """The one case (信件, 依申请公开申请…) an anonymous submitter follows by its query code (查询码).

    Contract for the case apps: `cases` is the public queryset of that case model, `field` holds a random
    code of at least 12 characters given to the submitter. The code is compared in constant time after the
    lookup, and anything but one exact match answers 404, so a guess learns nothing.
    """
    code = (query_code or "").strip()
    if len(code) < 12 or not code.isascii() or not code.isalnum():
        raise Http404("查询码不正确。")
    found = list(cases.filter(**{field: code})[:2])
    if len(found) != 1 or not hmac.compare_digest(str(getattr(found[0], field)), code):
        raise Http404("查询码不正确。")
    return found[0]
