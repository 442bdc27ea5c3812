"""指标体系 pages (/admin/supervision/indicators/…): every version of every set, one version in full, and the
form that saves an edited set as a new version (top-level supervisors and platform admins)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from govsite.core.findings import finding_label

from .access import may_run_campaigns
from .models import IndicatorSet
from .scoring import indicator_table
from .services import EDITABLE_KEYS, apply_changes, do_save_indicator_set, may_edit_indicator_sets

KIND_LABELS = {"veto": "单项否决", "deduction": "扣分指标", "bonus": "加分指标"}


def _gate(request: HttpRequest) -> None:
    if not may_run_campaigns(request.user):
        raise PermissionDenied


def _set(pk: int) -> IndicatorSet:
    try:
        return IndicatorSet.objects.get(pk=pk)
    except IndicatorSet.DoesNotExist:
        raise Http404(_("指标体系不存在。")) from None


def _rows(definition: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    indicators = [
        {**entry, "kind_label": _(KIND_LABELS.get(entry["kind"], entry["kind"]))}
        for entry in definition.get("indicators", [])
    ]
    labels = {code: entry.get("label", code) for code, entry in indicator_table(definition).items()}
    findings = [
        {"code": code, "label": finding_label(code), "indicator": labels.get(entry["indicator"], entry["indicator"]),
         "points": entry.get("points", 0), "veto": indicator_table(definition).get(entry["indicator"], {}).get("kind")
         == "veto"}
        for code, entry in definition.get("findings", {}).items()
    ]
    return indicators, findings


@require_GET
def indicator_sets(request: HttpRequest) -> HttpResponse:
    _gate(request)
    return TemplateResponse(request, "supervision/indicator_sets.html", {
        "page_title": _("指标体系"), "header_icon": "list-ol",
        "sets": IndicatorSet.objects.select_related("created_by").order_by("name", "-version"),
        "may_edit": may_edit_indicator_sets(request.user),
    })


@require_GET
def indicator_set(request: HttpRequest, pk: int) -> HttpResponse:
    _gate(request)
    item = _set(pk)
    indicators, findings = _rows(item.definition)
    newest = IndicatorSet.objects.filter(name=item.name).order_by("-version").first()
    return TemplateResponse(request, "supervision/indicator_set.html", {
        "page_title": str(item), "header_icon": "list-ol", "item": item, "definition": item.definition,
        "indicators": indicators, "findings": findings, "is_newest": newest == item,
        "may_edit": may_edit_indicator_sets(request.user),
    })


@require_http_methods(["GET", "POST"])
def indicator_set_new(request: HttpRequest, pk: int) -> HttpResponse:
    """修订: the form starts from version `pk`; saving makes the next version of that set."""
    _gate(request)
    if not may_edit_indicator_sets(request.user):
        raise PermissionDenied
    base = _set(pk)
    indicators, findings = _rows(base.definition)
    errors: list[str] = []
    values = request.POST if request.method == "POST" else None
    if values is not None:
        try:
            definition = apply_changes(
                base.definition,
                indicator_points={e["code"]: values.get(f"max:{e['code']}", e["max"]) for e in indicators
                                  if e["kind"] != "veto"},
                finding_points={f["code"]: values.get(f"points:{f['code']}", f["points"]) for f in findings
                                if not f["veto"]},
                settings={key: values.get(key, base.definition.get(key)) for key in EDITABLE_KEYS},
            )
            created = do_save_indicator_set(base, by=request.user, definition=definition,
                                            note=values.get("note", ""), request=request)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("已保存为第 %(version)d 版。") % {"version": created.version})
            return redirect("supervision:indicator_set", created.pk)
    typed = values or {}
    for entry in indicators:
        entry["value"] = typed.get(f"max:{entry['code']}", entry["max"])
    for entry in findings:
        entry["value"] = typed.get(f"points:{entry['code']}", entry["points"])
    return TemplateResponse(request, "supervision/indicator_set_form.html", {
        "page_title": _("修订指标体系"), "header_icon": "list-ol", "base": base, "definition": base.definition,
        "indicators": indicators, "findings": findings, "errors": errors, "note": typed.get("note", ""),
        "settings": {key: typed.get(key, base.definition.get(key)) for key in EDITABLE_KEYS},
    }, status=400 if errors else 200)


urlpatterns = [
    path("indicators/", indicator_sets, name="indicator_sets"),
    path("indicators/<int:pk>/", indicator_set, name="indicator_set"),
    path("indicators/<int:pk>/new/", indicator_set_new, name="indicator_set_new"),
]
