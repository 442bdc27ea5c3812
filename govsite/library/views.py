"""信息报送 admin pages (/admin/library/…): 收件箱 and 报送箱, a form to submit one of one's own items to a column of
a 上级网站, and a submission's page where the receiving site's staff accept or decline it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages

from govsite.content.models import ArticlePage, ColumnPage
from govsite.core.admin_helpers import add_service_errors
from govsite.registry.models import Website

from . import services
from .access import access_submission, inbox, outbox, receiving_websites, staff_websites
from .models import SubmissionStatus

LIST_LIMIT = 100


def _root_q(websites: list[Website]) -> list[str]:
    return [w.wagtail_site.root_page.path for w in websites if w.wagtail_site_id]


def _items_of(user) -> list[ArticlePage]:  # noqa: ANN001
    items = []
    for path in _root_q(list(staff_websites(user).select_related("wagtail_site__root_page"))):
        items += list(ArticlePage.objects.filter(path__startswith=path, live=True).order_by("-published_at")[:50])
    return items


def _target_columns(user) -> list[tuple[int, str]]:  # noqa: ANN001
    choices = []
    targets: dict[int, Website] = {}
    for source in staff_websites(user).select_related("owner_unit"):
        for target in receiving_websites(source).select_related("wagtail_site__root_page"):
            targets[target.pk] = target
    for target in sorted(targets.values(), key=lambda w: w.site_code):
        root = target.wagtail_site.root_page
        for column in ColumnPage.objects.descendant_of(root).order_by("path"):
            choices.append((column.pk, f"{target.name} › {column.title}"))
    return choices


class SubmitForm(forms.Form):
    item = forms.TypedChoiceField(label=_("报送信息"), coerce=int)
    column = forms.TypedChoiceField(label=_("接收栏目"), coerce=int)
    note = forms.CharField(label=_("报送说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, user, *args, **kwargs) -> None:  # noqa: ANN001
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(i.pk, i.title) for i in _items_of(user)]
        self.fields["column"].choices = _target_columns(user)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("不采用理由"), max_length=services.DECLINE_REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}))


def index(request: HttpRequest) -> HttpResponse:
    if not staff_websites(request.user).exists():
        raise PermissionDenied
    related = ("item", "source_website", "target_website", "target_column")
    return TemplateResponse(request, "library/index.html", {
        "page_title": _("信息报送"), "header_icon": "doc-full",
        "inbox": inbox(request.user).select_related(*related)[:LIST_LIMIT],
        "outbox": outbox(request.user).select_related(*related)[:LIST_LIMIT],
    })


def submit(request: HttpRequest) -> HttpResponse:
    if not staff_websites(request.user).exists():
        raise PermissionDenied
    form = SubmitForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = ArticlePage.objects.get(pk=form.cleaned_data["item"])
        column = ColumnPage.objects.get(pk=form.cleaned_data["column"])
        try:
            services.do_submit_item(item, column, by=request.user, note=form.cleaned_data["note"])
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, _("已报送“%(title)s”。") % {"title": item.title})
            return redirect("library:index")
    return TemplateResponse(request, "library/submit.html", {
        "page_title": _("报送信息"), "header_icon": "doc-full", "form": form})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = access_submission(request.user, pk)
    may_decide = (submission.status == SubmissionStatus.PENDING
                  and staff_websites(request.user).filter(pk=submission.target_website_id).exists())
    decline_form = DeclineForm(request.POST or None) if may_decide else None
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "accept":
                services.do_accept_submission(submission, by=request.user)
                messages.success(request, _("已采用。"))
                return redirect("library:index")
            if decline_form.is_valid():
                services.do_decline_submission(submission, by=request.user, reason=decline_form.cleaned_data["reason"])
                messages.success(request, _("已退回（不采用）。"))
                return redirect("library:index")
        except ValidationError as exc:
            add_service_errors(decline_form, exc)
    return TemplateResponse(request, "library/detail.html", {
        "page_title": _("报送详情"), "header_icon": "doc-full", "submission": submission,
        "may_decide": may_decide, "decline_form": decline_form})
