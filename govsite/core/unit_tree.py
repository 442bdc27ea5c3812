"""机构树选择: units offered as a searchable tree wherever a form picks a unit (registry and monitoring filters,
registry forms).

A plain ``<select>``, server-rendered in tree order with each unit indented under its parent, so it works
and is keyboard-accessible without any script; a labelled search box above it (shown by a small script,
``static/govsite/unit-tree-select.js``) narrows the options as one types, by name, short name, division
or pinyin (全拼 or 首字母), keeping the matches' parents for context. The choices are whatever queryset the
form gives, which the forms take from ``registry.access.units_for_filter``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin

from .models import Unit

if TYPE_CHECKING:
    pass

INDENT = "\u3000"  # an ideographic space per level: it lines up under Chinese names and is not read aloud


@lru_cache(maxsize=20000)
def _pinyin(text: str) -> str:
    full = lazy_pinyin(text, errors="ignore")
    initials = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")
    return f"{''.join(full)} {''.join(initials)}"


def search_text(unit: Unit) -> str:
    """What the search box matches: names, division, and their pinyin (lower-case)."""
    words = [unit.name, unit.short_name, unit.region.name]
    return " ".join([*filter(None, words), _pinyin(unit.name), _pinyin(unit.short_name or "")]).lower()


def tree_order(units: list[Unit]) -> list[tuple[Unit, int, int | None]]:
    """Units in depth-first order with their depth and parent *within the given set* (a supervisor's
    subtree starts at depth 0 even though it sits deep in the region)."""
    by_id = {unit.pk: unit for unit in units}

    def ancestors(unit: Unit) -> list[int]:
        ids = [int(part) for part in unit.path.strip("/").split("/") if part]
        return [pk for pk in ids[:-1] if pk in by_id]

    def key(unit: Unit) -> list[int]:
        return [int(part) for part in unit.path.strip("/").split("/") if part]

    ordered = sorted(units, key=key)  # a path's numbers sort parents before children, siblings by creation
    return [(unit, len(ancestors(unit)), (ancestors(unit) or [None])[-1]) for unit in ordered]


class _TreeIterator(ModelChoiceIterator):
    def __iter__(self):  # noqa: ANN204
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        units = list(self.queryset.select_related("region"))
        names = [unit.name for unit in units]
        repeated = {name for name in names if names.count(name) > 1}
        for unit, depth, parent in tree_order(units):
            unit.tree_depth, unit.tree_parent = depth, parent
            label = f"{unit.name}（{unit.region.name}）" if unit.name in repeated else unit.name
            yield (self.choice(unit)[0], INDENT * depth + label)


class UnitTreeSelect(forms.Select):
    """A ``<select>`` whose options carry their depth, parent and search text, with a search box above it."""

    template_name = "govsite/widgets/unit_tree_select.html"
    option_template_name = "django/forms/widgets/select_option.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.search_label = _("输入名称或拼音筛选单位")

    def create_option(self, name: str, value: Any, label: Any, selected: bool, index: int,
                      subindex: int | None = None, attrs: dict[str, Any] | None = None) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        unit = getattr(value, "instance", None)
        if isinstance(unit, Unit):
            option["attrs"].update({
                "data-depth": unit.tree_depth,
                "data-parent": "" if unit.tree_parent is None else unit.tree_parent,
                "data-search": search_text(unit),
            })
        return option

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["search_label"] = self.search_label
        context["widget"]["attrs"].setdefault("style", "width:100%;box-sizing:border-box")
        return context


class UnitTreeChoiceField(forms.ModelChoiceField):
    """A unit picked from the tree of the units the queryset allows."""

    iterator = _TreeIterator
    widget = UnitTreeSelect

    def label_from_instance(self, obj: Unit) -> str:
        return obj.name
