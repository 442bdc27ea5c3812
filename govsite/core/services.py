"""Core operations: audit records and role assignment (角色分配)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from .access import forget_cached_roles
from .models import AuditLog, Role, RoleAssignment, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser
    from django.db.models import Model
    from django.http import HttpRequest

    from govsite.registry.models import Website


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record_audit(
    user: AbstractUser | None,
    event: str,
    obj: Model | None = None,
    *,
    result: str = "success",
    request: HttpRequest | None = None,
    **detail: Any,
) -> AuditLog:
    """Append one entry to the audit log (审计日志)."""
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditLog.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        event=event,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
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
