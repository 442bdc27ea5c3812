"""Scope primitives (一级管一级): who holds which role over which scope. Domain apps build their own
`access.py` on these (`registry.access` for websites, `content.access` for pages); core imports no domain app.

Rules:
- a platform administrator (or Django superuser) sees and manages everything;
- a supervisor sees and manages every website whose 主办单位 is at or below the supervisor's unit;
- a third-party evaluator sees (read-only) the websites assigned to them;
- site administrators, editors and reviewers see only their own website; only supervisors and platform
  administrators change the registry.
Objects the user may not see answer 404, never 403, so that their existence does not leak.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Role, RoleAssignment, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser


def _assignments(user: AnyUser) -> list[RoleAssignment]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_govsite_role_cache", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("unit"))
        user._govsite_role_cache = cached
    return cached


def forget_cached_roles(user: AnyUser) -> None:
    """Drop the per-request role cache (after roles of this user object changed)."""
    if hasattr(user, "_govsite_role_cache"):
        del user._govsite_role_cache


def is_platform_admin(user: AnyUser) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser) or any(a.role == Role.PLATFORM_ADMIN for a in _assignments(user))


def supervised_units(user: AnyUser) -> list[Unit]:
    return [a.unit for a in _assignments(user) if a.role == Role.SUPERVISOR and a.unit is not None]


def is_supervisor(user: AnyUser) -> bool:
    return is_platform_admin(user) or bool(supervised_units(user))


def subtree_q(units: list[Unit], field: str) -> Q:
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(**{f"{field}__path__startswith": unit.path})
    return q


def units_visible_to(user: AnyUser) -> QuerySet[Unit]:
    """Units a user may pick in registry forms: their supervised subtrees (all, for platform admins)."""
    if is_platform_admin(user):
        return Unit.objects.all()
    units = supervised_units(user)
    if not units:
        return Unit.objects.none()
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(path__startswith=unit.path)
    return Unit.objects.filter(q)


def access_unit(user: AnyUser, unit_id: int) -> Unit:
    try:
        return units_visible_to(user).get(pk=unit_id)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404("机构不存在或无权访问。") from None


def site_roles(user: AnyUser, website: Any) -> set[str]:
    """The roles the user holds on this website itself (site admin, editor, reviewer, evaluator)."""
    return {a.role for a in _assignments(user) if a.website_id == website.pk}


def may_read_audit(user: AnyUser) -> bool:
    """审计管理员: only an active user holding the audit_admin role reads and exports the audit log.

    The superuser flag does not grant it (三权分立: the system administrator cannot read the audit log).
    """
    return any(a.role == "audit_admin" for a in _assignments(user))
