"""指标体系 versions: supervisors of the top level edit a set by saving a new version (never changing one)."""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from govsite.core.access import is_platform_admin, is_system, require_actor, supervised_units
from govsite.core.services import record_audit

from .models import IndicatorSet
from .scoring import validate_definition

EDITABLE_KEYS = ("pass_mark", "bonus_threshold")


def may_edit_indicator_sets(user: Any) -> bool:
    """The region's indicator sets are the top level's: platform admins and supervisors of a unit without a
    parent (自治区人民政府办公厅). Lower levels read them."""
    return is_system(user) or is_platform_admin(user) or any(unit.parent_id is None for unit in supervised_units(user))


def apply_changes(base: dict[str, Any], *, indicator_points: dict[str, Any], finding_points: dict[str, Any],
                  settings: dict[str, Any]) -> dict[str, Any]:
    """A copy of `base` with new maxima, per-finding points and pass/bonus marks (values as typed)."""
    definition = copy.deepcopy(base)
    for entry in definition["indicators"]:
        if entry["kind"] != "veto" and entry["code"] in indicator_points:
            entry["max"] = _number(indicator_points[entry["code"]], entry.get("label", entry["code"]))
            entry["confirmed"] = False
    for code, value in finding_points.items():
        if code in definition["findings"]:
            definition["findings"][code]["points"] = _number(value, code)
    for key in EDITABLE_KEYS:
        if key in settings:
            definition[key] = _number(settings[key], key)
    return definition


def _number(value: Any, name: str) -> float:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("“%(name)s”的分值“%(value)s”不是数字。") % {"name": name, "value": value}) from None
    if not number.is_finite():
        raise ValidationError(_("“%(name)s”的分值不是数字。") % {"name": name})
    return float(number)


def do_save_indicator_set(
    base: IndicatorSet, *, by: Any, definition: dict[str, Any], note: str, request: HttpRequest | None = None
) -> IndicatorSet:
    """Save `definition` as the next version of `base`'s set. Refused in Chinese when it does not add up."""
    require_actor(by)
    if not may_edit_indicator_sets(by):
        raise PermissionDenied(_("只有自治区级监管人员可以修订指标体系。"))
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("请填写修订说明。"))
    if len(note) > 2000:
        raise ValidationError(_("修订说明不能超过 2000 字。"))
    errors = validate_definition(definition)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the set's versions (FOR UPDATE cannot go with an aggregate); the unique constraint backs it up.
        versions = IndicatorSet.objects.select_for_update().filter(name=base.name).values_list("version", flat=True)
        latest = max(versions, default=0)
        created = IndicatorSet.objects.create(name=base.name, version=latest + 1, definition=definition, note=note,
                                              created_by=None if is_system(by) else by)
        record_audit(by, "supervision.indicator_set", created, request=request, name=created.name,
                     version=created.version, based_on=base.version)
    return created
