"""Append-only records (只能追加的记录): written once, never changed or deleted through the ORM.

The audit log, the lexicon's change history, check runs and reviewers' overrides are evidence; a later edit
would make them worthless. `AppendOnlyModel` refuses an update or delete of a stored row, on the instance
and on its queryset alike; what really must go (archived audit entries, `core/audit.py`) is removed with a
plain `models.QuerySet(Model)` that states it does so on purpose. Raw SQL is not stopped here: the audit
chain's hashes catch that.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(PermissionError):
    """A change or deletion of an append-only record was attempted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(str(self.model.append_only_change_message))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(str(self.model.append_only_delete_message))


class AppendOnlyModel(models.Model):
    """A record written once and never changed or deleted. Subclasses may name themselves in the messages."""

    append_only_change_message: ClassVar[Any] = _("该记录只能追加，不能修改。")
    append_only_delete_message: ClassVar[Any] = _("该记录只能追加，不能删除。")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # `_state.adding`, not `pk`: a row given its key before the first save is still new.
        if not self._state.adding:
            raise AppendOnlyError(str(self.append_only_change_message))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(str(self.append_only_delete_message))
