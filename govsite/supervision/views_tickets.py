"""Admin pages of 整改工单 (/admin/supervision/tickets/…): the list, one ticket with its answers, 约谈/问责 records
and close information, the forms of those allowed to act, and the download of evidence and documents.

Scope only through ``access.py`` (an invisible ticket answers 404); the changes go through ``tickets.py``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from govsite.core.admin_helpers import add_service_errors
from govsite.core.findings import finding_label

from . import tickets as services
from .access import access_ticket, may_answer_ticket, may_supervise_ticket
from .models import ActionKind, Ticket, TicketState
from .uploads import file_response

PAGE_SIZE = 50

STATE_CHOICES = [("", gettext_lazy("全部状态")), *TicketState.choices]
OVERDUE_CHOICES = [("", gettext_lazy("全部")), ("1", gettext_lazy("已逾期")), ("0", gettext_lazy("未逾期"))]
ESCALATED_CHOICES = [("", gettext_lazy("全部")), ("1", gettext_lazy("已督办")), ("0", gettext_lazy("未督办"))]


class TicketFilterForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("状态"), required=False, choices=STATE_CHOICES)
    overdue = forms.ChoiceField(label=gettext_lazy("逾期"), required=False, choices=OVERDUE_CHOICES)
    escalated = forms.ChoiceField(label=gettext_lazy("督办"), required=False, choices=ESCALATED_CHOICES)
    campaign = forms.IntegerField(label=gettext_lazy("抽查活动"), required=False, widget=forms.HiddenInput, min_value=1)

    def filters(self) -> dict[str, Any]:
        """What was asked for; an invalid form filters nothing."""
        data = self.cleaned_data if self.is_valid() else {}
        flag = {"1": True, "0": False}
        return {"state": data.get("state") or None, "overdue": flag.get(data.get("overdue") or ""),
                "escalated": flag.get(data.get("escalated") or "")}


class AnswerForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("整改情况"), widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=services.MAX_TEXT)
    evidence = forms.FileField(label=gettext_lazy("证明材料"), required=False,
                               help_text=gettext_lazy("PNG、JPG、PDF、DOCX 或 XLSX，不超过 10 MB。"))


class AcceptForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("办结说明"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=services.MAX_TEXT)


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=ActionKind.choices)
    persons = forms.CharField(label=gettext_lazy("对象"), max_length=300,
                              help_text=gettext_lazy("被约谈或被问责的单位、人员。"))
    held_on = forms.DateField(label=gettext_lazy("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    outcome = forms.CharField(label=gettext_lazy("结果"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=services.MAX_TEXT)
    document = forms.FileField(label=gettext_lazy("文书"), required=False,
                               help_text=gettext_lazy("PNG、JPG、PDF、DOCX 或 XLSX，不超过 10 MB。"))


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> TemplateResponse:
    context.setdefault("header_icon", "tasks")
    return TemplateResponse(request, f"supervision/{template}", context, status=status)


def _querystring(request: HttpRequest, *drop: str) -> str:
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


def _row(ticket: Ticket, today: Any) -> dict[str, Any]:
    return {"ticket": ticket, "overdue": services.overdue_workdays(ticket, today)}


@require_GET
def ticket_list(request: HttpRequest) -> HttpResponse:
    """整改工单: the tickets the user may see, with deadline and 逾期 marks, filtered."""
    form = TicketFilterForm(request.GET or None)
    today = timezone.localdate()
    tickets = services.visible_tickets(request.user, today=today, **form.filters())
    campaign_id = form.cleaned_data.get("campaign") if form.is_bound and form.is_valid() else None
    if campaign_id:
        tickets = tickets.filter(campaign_id=campaign_id)  # within what the user sees anyway
    page = Paginator(tickets.order_by("deadline", "id"), PAGE_SIZE).get_page(request.GET.get("p"))
    return _render(request, "tickets.html", {
        "page_title": _("整改工单"),
        "filters": form,
        "page": page,
        "rows": [_row(ticket, today) for ticket in page.object_list],
        "total": page.paginator.count,
        "ages": services.open_tickets_by_age(request.user, today),
        "querystring": _querystring(request, "p"),
    })


def _detail(request: HttpRequest, ticket: Ticket, *, answer_form: AnswerForm | None = None,
            accept_form: AcceptForm | None = None, action_form: ActionForm | None = None,
            status: int = 200) -> TemplateResponse:
    user = request.user
    can_answer = ticket.is_open and may_answer_ticket(user, ticket)
    can_supervise = may_supervise_ticket(user, ticket)
    today = timezone.localdate()
    return _render(request, "ticket.html", {
        "page_title": ticket.title,
        "ticket": ticket,
        "overdue": services.overdue_workdays(ticket, today),
        "finding": ticket.finding,
        "code_label": finding_label(ticket.code) if ticket.code else "",
        "answers": ticket.answers.select_related("answered_by"),
        "actions": ticket.actions.select_related("recorded_by"),
        "answer_form": (answer_form or AnswerForm()) if can_answer else None,
        "accept_form": (accept_form or AcceptForm()) if can_supervise and ticket.is_open else None,
        "action_form": (action_form or ActionForm(initial={"held_on": today})) if can_supervise else None,
    }, status=status)


@require_GET
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One ticket: the problem, evidence, deadline, answers, 约谈/问责 records and how it was closed."""
    return _detail(request, access_ticket(request.user, pk))


def _act(request: HttpRequest, pk: int, form_class: type[forms.Form], form_name: str, allowed: Any,
         refusal: str, perform: Any, done: str) -> HttpResponse:
    ticket = access_ticket(request.user, pk)
    if not allowed(request.user, ticket):
        raise PermissionDenied(refusal)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            perform(ticket, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("supervision:ticket", pk=ticket.pk)
    messages.error(request, _("提交未成功，请按提示修改后重试。"))
    ticket.refresh_from_db()
    return _detail(request, ticket, **{form_name: form})


@require_POST
def ticket_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """整改情况 with evidence, by the site's 网站管理员."""
    return _act(
        request, pk, AnswerForm, "answer_form", may_answer_ticket, _("只有该网站的网站管理员可以填报整改情况。"),
        lambda ticket, data: services.do_answer_ticket(ticket, by=request.user, text=data["text"],
                                                       evidence=data.get("evidence"), request=request),
        _("整改情况已提交，系统将重新检测该网站，复查通过后自动办结。"))


@require_POST
def ticket_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """采纳说明并办结, by a supervisor of the site."""
    return _act(
        request, pk, AcceptForm, "accept_form", may_supervise_ticket, _("只有该网站的监管人员可以采纳说明并办结。"),
        lambda ticket, data: services.do_accept_reason(ticket, by=request.user, reason=data["reason"],
                                                       request=request),
        _("已采纳说明，工单办结。"))


@require_POST
def ticket_action(request: HttpRequest, pk: int) -> HttpResponse:
    """约谈/问责记录, by a supervisor of the site."""
    return _act(
        request, pk, ActionForm, "action_form", may_supervise_ticket, _("只有该网站的监管人员可以记录约谈或问责。"),
        lambda ticket, data: services.do_record_action(
            ticket, by=request.user, kind=data["kind"], persons=data["persons"], held_on=data["held_on"],
            outcome=data["outcome"], document=data.get("document"), request=request),
        _("约谈/问责记录已保存。"))


@require_GET
def ticket_file(request: HttpRequest, pk: int, kind: str, item: int) -> HttpResponse:
    """An answer's evidence, an action's document or the finding's evidence, for those who may see the ticket
    (404 otherwise)."""
    ticket = access_ticket(request.user, pk)
    if kind == "answer":
        found = ticket.answers.filter(pk=item).first()
        stored = found.evidence if found else None
    elif kind == "action":
        found = ticket.actions.filter(pk=item).first()
        stored = found.document if found else None
    elif kind == "finding" and ticket.finding_id == item:
        stored = ticket.finding.evidence  # the campaign's evidence of the problem
    else:
        stored = None
    return file_response(stored)


urlpatterns = [
    path("tickets/", ticket_list, name="tickets"),
    path("tickets/<int:pk>/", ticket_detail, name="ticket"),
    path("tickets/<int:pk>/answer/", ticket_answer, name="ticket_answer"),
    path("tickets/<int:pk>/accept/", ticket_accept, name="ticket_accept"),
    path("tickets/<int:pk>/action/", ticket_action, name="ticket_action"),
    path("tickets/<int:pk>/file/<str:kind>/<int:item>/", ticket_file, name="ticket_file"),
]
