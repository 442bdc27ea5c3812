"""What writes the audit log without being asked (审计日志的自动记录).

- Logins, failed logins and logouts: Django's auth signals, from every login path.
- Publishing: Wagtail's `page_published` / `page_unpublished`, whichever path published (approval, schedule).
- Every admin action Wagtail itself logs (create, edit, delete, move, copy, lock, workflow steps, users and
  groups): each `ModelLogEntry` / `PageLogEntry` is mirrored into the chain as it is written, under its
  Wagtail action code.
- Permission changes: group membership, group and user permissions, page and collection permissions of
  groups, and the superuser / staff / active flags, whichever view, command or role sync changed them.
- The rest: `core.middleware.AuditRequestMiddleware` records any non-GET admin or API request that left no
  entry of its own (see there).

Handlers that have no user argument take the actor and address from the request being served
(`audit.current_request`), or record no actor (a task or command).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.models import GroupCollectionPermission, GroupPagePermission, ModelLogEntry, PageLogEntry
from wagtail.signals import page_published, page_unpublished

from .audit import append_entry, current_request
from .net import client_ip
from .services import record_audit

User = get_user_model()

# Publishing is recorded from Wagtail's signals (every path); its log entries for it would say it twice.
NOT_MIRRORED = frozenset({"wagtail.publish", "wagtail.unpublish"})
WATCHED_USER_FLAGS = ("is_superuser", "is_staff", "is_active")


def _actor() -> Any:
    request = current_request()
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


# --- 登录 / 退出 --------------------------------------------------------------------------------------------

@receiver(user_logged_in, dispatch_uid="govsite_audit_login")
def _logged_in(sender, request, user, **kwargs) -> None:  # noqa: ANN001
    record_audit(user, "auth.login", user, request=request)


@receiver(user_login_failed, dispatch_uid="govsite_audit_login_failed")
def _login_failed(sender, credentials: dict, request=None, **kwargs) -> None:  # noqa: ANN001
    # Django has already masked the password in `credentials`. The name tried is kept as the entry's
    # user name, whether or not such an account exists; no account is linked.
    tried = str(credentials.get("username") or credentials.get(User.USERNAME_FIELD) or "")
    known = User._default_manager.filter(**{User.USERNAME_FIELD: tried}).only("pk").first() if tried else None
    append_entry(user_id=known.pk if known else None, username=tried, event="auth.login_failed",
                 result="failure", source_ip=client_ip(request or current_request()),
                 detail={"account_exists": known is not None})


@receiver(user_logged_out, dispatch_uid="govsite_audit_logout")
def _logged_out(sender, request, user, **kwargs) -> None:  # noqa: ANN001
    if user is not None:
        record_audit(user, "auth.logout", user, request=request)


# --- 发布 / 撤销发布 ----------------------------------------------------------------------------------------

@receiver(page_published, dispatch_uid="govsite_audit_publish")
def _page_published(sender, instance, revision=None, **kwargs) -> None:  # noqa: ANN001
    actor = _actor() or (revision.user if revision is not None and revision.user_id else None)
    record_audit(actor, "page.publish", instance, request=current_request(),
                 revision=revision.pk if revision is not None else None, url_path=instance.url_path,
                 by_request=current_request() is not None)


@receiver(page_unpublished, dispatch_uid="govsite_audit_unpublish")
def _page_unpublished(sender, instance, **kwargs) -> None:  # noqa: ANN001
    record_audit(_actor(), "page.unpublish", instance, request=current_request(), url_path=instance.url_path,
                 by_request=current_request() is not None)


def _label(content_type: Any) -> str:
    """The model's label ("checks.LexiconEntry"), as record_audit writes it."""
    if content_type is None:
        return ""
    model = content_type.model_class()
    return model._meta.label if model is not None else f"{content_type.app_label}.{content_type.model}"


# --- Wagtail's own log entries, mirrored --------------------------------------------------------------------

@receiver(post_save, sender=ModelLogEntry, dispatch_uid="govsite_audit_mirror_model_log")
@receiver(post_save, sender=PageLogEntry, dispatch_uid="govsite_audit_mirror_page_log")
def _mirror_log_entry(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:  # noqa: ANN001
    if not created or raw or instance.action in NOT_MIRRORED:
        return
    user = instance.user if instance.user_id else _actor()
    content_type = instance.content_type
    append_entry(
        user_id=user.pk if user else None,
        username=user.get_username() if user else "",
        event=instance.action,
        object_type=_label(content_type),
        object_id=str(getattr(instance, "object_id", "") or getattr(instance, "page_id", "") or ""),
        object_repr=instance.label,
        source_ip=client_ip(current_request()),
        detail={"wagtail_log": str(instance.uuid or ""), "data": instance.data or {},
                "revision": instance.revision_id, "content_changed": instance.content_changed,
                "deleted": instance.deleted},
    )


# --- 权限变更 -----------------------------------------------------------------------------------------------

def _names(model: type, pks: set | None) -> list[str]:
    if not pks:
        return []
    if model is Permission:
        rows = Permission.objects.filter(pk__in=pks).select_related("content_type")
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in rows)
    if model is Group:
        return sorted(Group.objects.filter(pk__in=pks).values_list("name", flat=True))
    return sorted(User._default_manager.filter(pk__in=pks).values_list(User.USERNAME_FIELD, flat=True))


M2M_ACTIONS = {"post_add": "add", "post_remove": "remove", "pre_clear": "clear"}

# Inside `permission_changes_as_one_entry` the permission hooks collect here instead of writing an entry each.
_collected: ContextVar[list[dict] | None] = ContextVar("govsite_audit_collected_permissions", default=None)


@contextmanager
def permission_changes_as_one_entry(event: str, obj: Any) -> Iterator[None]:
    """Write the permission changes made inside as ONE audit entry listing them all: a newly provisioned
    site's groups are some 130 permission rows that say one thing, and one entry a row made every
    provisioning (and every test building a region) twice as slow. Nothing is written if the block fails."""
    changes: list[dict] = []
    token = _collected.set(changes)
    try:
        yield
    finally:
        _collected.reset(token)
    if changes:
        record_audit(_actor(), event, obj, request=current_request(), count=len(changes), changes=changes[:1000])


def _collect(change: dict) -> bool:
    collected = _collected.get()
    if collected is None:
        return False
    collected.append(change)
    return True


def _m2m_audit(event: str, instance: Any, action: str, model: type, pk_set: set | None, reverse: bool,
               forward: str) -> None:
    if action not in M2M_ACTIONS:
        return
    if action != "pre_clear" and not pk_set:
        return  # Django signals an add or remove of nothing (everything was already there): no change to record
    if action == "pre_clear":
        # After the clear the names are gone: read them now (a reverse clear names its own side).
        pk_set = set(getattr(instance, forward).values_list("pk", flat=True)) if not reverse else set()
    if _collect({"event": event, "on": str(instance)[:100], "action": M2M_ACTIONS[action],
                 "related": _names(model, pk_set)}):
        return
    record_audit(_actor(), event, instance, request=current_request(), action=M2M_ACTIONS[action],
                 related=_names(model, pk_set), reverse=reverse)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="govsite_audit_user_groups")
def _user_groups(sender, instance, action: str, reverse: bool, model, pk_set, **kwargs) -> None:  # noqa: ANN001
    _m2m_audit("permission.user_groups", instance, action, model, pk_set, reverse, "groups")


@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="govsite_audit_user_permissions")
def _user_permissions(sender, instance, action: str, reverse: bool, model, pk_set, **kwargs) -> None:  # noqa: ANN001
    _m2m_audit("permission.user_permissions", instance, action, model, pk_set, reverse, "user_permissions")


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="govsite_audit_group_permissions")
def _group_permissions(sender, instance, action: str, reverse: bool, model, pk_set, **kwargs) -> None:  # noqa: ANN001
    _m2m_audit("permission.group_permissions", instance, action, model, pk_set, reverse, "permissions")


def _object_permission_changed(event: str, instance: Any, action: str) -> None:
    target = getattr(instance, "page", None) or getattr(instance, "collection", None)
    permission = f"{instance.permission.content_type.app_label}.{instance.permission.codename}"
    if _collect({"event": event, "group": instance.group.name, "action": action, "permission": permission,
                 "target": str(target)[:100]}):
        return
    record_audit(_actor(), event, instance.group, request=current_request(), action=action,
                 permission=f"{instance.permission.content_type.app_label}.{instance.permission.codename}",
                 target=str(target)[:200], target_id=getattr(target, "pk", None))


@receiver(post_save, sender=GroupPagePermission, dispatch_uid="govsite_audit_page_permission_add")
@receiver(post_save, sender=GroupCollectionPermission, dispatch_uid="govsite_audit_collection_permission_add")
def _object_permission_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:  # noqa: ANN001
    if not raw:
        event = "permission.page" if sender is GroupPagePermission else "permission.collection"
        _object_permission_changed(event, instance, "add" if created else "change")


@receiver(post_delete, sender=GroupPagePermission, dispatch_uid="govsite_audit_page_permission_remove")
@receiver(post_delete, sender=GroupCollectionPermission, dispatch_uid="govsite_audit_collection_permission_remove")
def _object_permission_deleted(sender, instance, **kwargs) -> None:  # noqa: ANN001
    event = "permission.page" if sender is GroupPagePermission else "permission.collection"
    _object_permission_changed(event, instance, "remove")


@receiver(pre_save, sender=User, dispatch_uid="govsite_audit_user_flags_before")
def _user_flags_before(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:  # noqa: ANN001
    if raw or instance.pk is None or (update_fields is not None and not set(update_fields) & set(WATCHED_USER_FLAGS)):
        return
    old = User._default_manager.filter(pk=instance.pk).values(*WATCHED_USER_FLAGS).first()
    instance._govsite_audit_flags = old


@receiver(post_save, sender=User, dispatch_uid="govsite_audit_user_flags_after")
def _user_flags_after(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:  # noqa: ANN001
    if raw:
        return
    old = getattr(instance, "_govsite_audit_flags", None)
    instance._govsite_audit_flags = None
    if old is None and not created:
        return  # a save that did not touch the flags (e.g. last_login)
    before = old or {flag: False for flag in WATCHED_USER_FLAGS}
    changed = {flag: getattr(instance, flag) for flag in WATCHED_USER_FLAGS
               if getattr(instance, flag) != before[flag] and (old is not None or getattr(instance, flag))}
    if created:
        record_audit(_actor(), "user.create", instance, request=current_request(), **changed)
    elif changed:
        record_audit(_actor(), "permission.user_flags", instance, request=current_request(), **changed)
