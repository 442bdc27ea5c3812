"""审计日志 viewer and export, for the 审计管理员 only (`access.may_read_audit`); both are audited themselves."""

from __future__ import annotations

import csv
import datetime as dt
import io
import ipaddress
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .access import may_read_audit
from .audit_labels import EVENT_LABELS, RESULT_LABELS, event_label, result_label
from .models import AuditLog
from .services import record_audit

PAGE_SIZE = 50
# An export larger than this is refused with a message: narrow the time range (an .xlsx sheet holds 1,048,576).
EXPORT_MAX_ROWS = 200_000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ("序号", "时间", "用户名", "事件", "事件代码", "结果", "来源 IP", "对象类型", "对象标识", "对象", "详情", "哈希")
# Text starting with these is a formula to Excel and to spreadsheet programs opening a CSV.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    user = forms.CharField(label=_("用户名"), required=False, max_length=150)
    event = forms.ChoiceField(label=_("事件"), required=False)
    result = forms.ChoiceField(label=_("结果"), required=False,
                               choices=[("", _("全部"))] + [(k, v) for k, v in RESULT_LABELS.items()])
    ip = forms.CharField(label=_("来源 IP"), required=False, max_length=64,
                         help_text=_("一个地址或网段，如 10.1.2.3 或 10.1.0.0/16"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recorded = set(AuditLog.objects.order_by().values_list("event", flat=True).distinct())
        codes = sorted(recorded | set(EVENT_LABELS), key=lambda code: (code.startswith("wagtail."), code))
        self.fields["event"].choices = [("", _("全部"))] + [(code, f"{event_label(code)}") for code in codes]

    def clean_ip(self) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
        value = self.cleaned_data["ip"].strip()
        if not value:
            return None
        try:
            return ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise forms.ValidationError(_("请输入 IP 地址或网段，如 10.1.2.3 或 10.1.0.0/16。")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data

    def filter(self, entries: QuerySet[AuditLog]) -> QuerySet[AuditLog]:
        if not self.is_bound or not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["date_from"]:
            entries = entries.filter(timestamp__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            entries = entries.filter(timestamp__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
        if data["user"].strip():
            entries = entries.filter(username__icontains=data["user"].strip())
        if data["event"]:
            entries = entries.filter(event=data["event"])
        if data["result"]:
            entries = entries.filter(result=data["result"])
        if data["ip"] is not None:
            network = data["ip"]
            if network.num_addresses == 1:
                entries = entries.filter(source_ip=str(network.network_address))
            else:
                # A network: compare as text on both databases by listing the stored addresses in it.
                stored = entries.exclude(source_ip=None).order_by().values_list("source_ip", flat=True).distinct()
                entries = entries.filter(source_ip__in=[a for a in stored if ipaddress.ip_address(a) in network])
        return entries

    def summary(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: str(value) for key, value in self.cleaned_data.items() if value not in (None, "")}


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _require_auditor(request: HttpRequest) -> None:
    if not may_read_audit(request.user):
        raise Http404("页面不存在。")


def _detail_text(detail: Any) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else ""


def _row(entry: AuditLog) -> list[Any]:
    return [entry.seq, f"{timezone.localtime(entry.timestamp):%Y-%m-%d %H:%M:%S}", entry.username,
            event_label(entry.event), entry.event, result_label(entry.result), entry.source_ip or "",
            entry.object_type, entry.object_id, entry.object_repr, _detail_text(entry.detail), entry.hash]


def _safe(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


@require_GET
def audit_index(request: HttpRequest) -> HttpResponse:
    """审计日志: filters (time range, user, event, result, IP), newest first, 50 a page."""
    _require_auditor(request)
    filters = AuditFilterForm(request.GET or None)
    entries = filters.filter(AuditLog.objects.all())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("p"))
    record_audit(request.user, "audit.view", None, request=request, filters=filters.summary(), page=page.number)
    query = request.GET.copy()
    query.pop("p", None)
    rows = [{"entry": entry, "event_label": event_label(entry.event), "result_label": result_label(entry.result),
             "detail": _detail_text(entry.detail)} for entry in page.object_list]
    return TemplateResponse(request, "core/audit_index.html", {
        "page_title": _("审计日志"), "header_icon": "history", "filters": filters, "page": page, "rows": rows,
        "total": page.paginator.count, "querystring": query.urlencode(),
    })


@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    """导出审计日志 as .xlsx (default) or CSV (`?format=csv`), with the viewer's filters."""
    _require_auditor(request)
    filters = AuditFilterForm(request.GET or None)
    if filters.is_bound and not filters.is_valid():
        return HttpResponse("筛选条件有误：" + "；".join(
            str(message) for messages in filters.errors.values() for message in messages),
            status=400, content_type="text/plain; charset=utf-8")
    kind = "csv" if request.GET.get("format") == "csv" else "xlsx"
    entries = filters.filter(AuditLog.objects.all()).order_by("seq")
    count = entries.count()
    if count > EXPORT_MAX_ROWS:
        return HttpResponse(f"符合条件的条目有 {count} 条，超过一次导出的上限 {EXPORT_MAX_ROWS} 条，请缩小时间范围。",
                            status=400, content_type="text/plain; charset=utf-8")
    record_audit(request.user, "audit.export", None, request=request, format=kind, count=count,
                 filters=filters.summary())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    rows = (_row(entry) for entry in entries.iterator(chunk_size=2000))
    if kind == "csv":
        response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
        return response
    response = HttpResponse(_xlsx(rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.xlsx"'
    return response


def _csv_lines(rows: Iterable[list[Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: Iterable[Any]) -> bytes:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue().encode("utf-8")

    yield "\ufeff".encode()  # Excel reads a UTF-8 CSV as such only with the byte-order mark
    yield line(HEADERS)
    for row in rows:
        yield line(_safe(value) for value in row)


def _xlsx(rows: Iterable[list[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("审计日志")
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append([_safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
