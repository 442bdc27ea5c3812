"""抽查 admin pages (/admin/supervision/campaigns/…): list, create, one campaign with its progress and results,
one sampled site with its findings (确认/排除), 人工检查 findings with evidence and 加分.

Who: `access.may_run_campaigns` (supervisors, platform admins); a campaign, site or finding outside the user's
scope answers 404 (`access.py`). Every change goes through `campaigns.py` (scope, validation, audit).
"""

from __future__ import annotations

import random
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govsite.core.admin_helpers import add_service_errors
from govsite.core.findings import finding_label

from . import access, campaigns, scoring
from .models import CampaignFinding, CampaignStatus, FindingSource, FindingState, IndicatorSet, ScanState
from .predictions import current_set
from .sampling import stratum_label
from .summary import campaign_summary, pass_rate_history
from .uploads import file_response


def _gate(request: HttpRequest) -> None:
    if not access.may_run_campaigns(request.user):
        raise Http404(_("页面不存在。"))


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> TemplateResponse:
    context.setdefault("header_icon", "list-ul")
    return TemplateResponse(request, f"supervision/{template}", context)


def _error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# -- forms --------------------------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    """An HTML date input: its value must be ISO (YYYY-MM-DD) whatever the locale's date format."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        depth = max(obj.path.count("/") - 2, 0)
        return f"{'　' * depth}{obj.name}（{obj.code}）"


class CampaignForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=200, required=False,
                           help_text=gettext_lazy("不填则为“地区＋政府网站抽查＋评估日期”"))
    region = RegionChoiceField(label=gettext_lazy("抽查范围"), queryset=None,
                               empty_label=gettext_lazy("请选择地区"))
    period_start = forms.DateField(label=gettext_lazy("抽查期间起"), widget=DateInput)
    period_end = forms.DateField(label=gettext_lazy("抽查期间止"), widget=DateInput)
    as_of = forms.DateField(label=gettext_lazy("评估日期"), widget=DateInput,
                            help_text=gettext_lazy("按该日期判断网站是否更新"))
    ratio = forms.CharField(label=gettext_lazy("抽查比例"), initial="0.34",
                            help_text=gettext_lazy("大于 0 且不超过 1；门户网站全部抽查，其余各层按比例向上取整"))
    seed = forms.CharField(label=gettext_lazy("随机种子"),
                           help_text=gettext_lazy("相同的网站、比例和种子抽中相同的网站，便于复核"))
    indicator_set = forms.ModelChoiceField(label=gettext_lazy("指标体系"), queryset=IndicatorSet.objects.all(),
                                           empty_label=None)
    rectify_workdays = forms.IntegerField(label=gettext_lazy("整改期限（工作日）"), initial=15, min_value=1,
                                          max_value=365)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from govsite.core.models import Region

        # 乡镇 have no sites of their own (national rules): a campaign covers a province, prefecture or county.
        self.fields["region"].queryset = Region.objects.filter(
            pk__in=[r.pk for r in campaigns.region_choices(user)]).exclude(
            level=Region.Level.TOWNSHIP).order_by("path")
        today = timezone.localdate()
        self.fields["period_start"].initial = today.replace(day=1)
        self.fields["period_end"].initial = today
        self.fields["as_of"].initial = today
        self.fields["seed"].initial = random.SystemRandom().randrange(1, 10**6)
        self.fields["indicator_set"].initial = current_set().pk
        self.fields["indicator_set"].label_from_instance = str


class DecisionForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("核实意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ManualFindingForm(forms.Form):
    code = forms.ChoiceField(label=gettext_lazy("问题类型"))
    detail = forms.CharField(label=gettext_lazy("问题描述"), widget=forms.Textarea(attrs={"rows": 3}))
    url = forms.CharField(label=gettext_lazy("页面地址"), required=False)
    column = forms.CharField(label=gettext_lazy("栏目"), required=False)
    points = forms.CharField(label=gettext_lazy("扣分"), required=False,
                             help_text=gettext_lazy("不填则按指标体系的默认分值；单项否决类不扣分"))
    excerpt = forms.CharField(label=gettext_lazy("证据摘录"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=gettext_lazy("证据文件"), required=False,
                               help_text=gettext_lazy("PNG、JPG 截图，PDF 或 DOCX 文档，不超过 10 MB"))

    def __init__(self, *args: Any, definition: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(code, finding_label(code)) for code in campaigns.manual_codes(definition)]


class BonusForm(forms.Form):
    points = forms.CharField(label=gettext_lazy("加分"))
    reason = forms.CharField(label=gettext_lazy("加分理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


# -- pages --------------------------------------------------------------------------------------------------


@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    """抽查活动: every visible campaign with its status, progress and 合格率."""
    _gate(request)
    rows = [(campaign, campaign_summary(campaign))
            for campaign in access.campaigns_visible_to(request.user).select_related("region", "unit",
                                                                                      "indicator_set")[:200]]
    return _render(request, "campaigns.html", {"page_title": _("网站抽查"), "rows": rows})


@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    """新建抽查: sample now, then queue the scans."""
    _gate(request)
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaigns.do_create_campaign(
                by=request.user, region=data["region"], name=data["name"], period_start=data["period_start"],
                period_end=data["period_end"], as_of=data["as_of"], ratio=data["ratio"], seed=data["seed"],
                indicator_set=data["indicator_set"], rectify_workdays=data["rectify_workdays"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            queued = campaigns.do_start_scans(campaign, by=request.user)
            messages.success(request, _("已创建抽查“%(name)s”，抽中 %(n)d 个网站，正在检测。") % {
                "name": campaign.name, "n": queued})
            return redirect("supervision:campaign", campaign.pk)
    return _render(request, "campaign_create.html", {"page_title": _("新建抽查"), "form": form})


@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One campaign: progress (reloads while 检测中), strata, sites with verdict and score, 合格率."""
    _gate(request)
    campaign = access.access_campaign(request.user, pk)
    summary = campaign_summary(campaign)
    pending = dict(CampaignFinding.objects.filter(site__campaign=campaign, state=FindingState.PENDING)
                   .values_list("site").annotate(n=Count("id")).order_by())
    strata = [{**row, "label": row.get("label") or stratum_label(row["key"])} for row in campaign.strata]
    return _render(request, "campaign.html", {
        "page_title": campaign.name,
        "campaign": campaign,
        "summary": summary,
        "progress": campaigns.progress(campaign),
        "strata": strata,
        "history": pass_rate_history(
            access.campaigns_visible_to(request.user).filter(region=campaign.region).select_related("region")[:50]),
        "site_rows": [(result, pending.get(result.entry.pk, 0)) for result in summary.sites],
        "finish_problems": campaigns.finish_problems(campaign) if campaign.status != CampaignStatus.FINISHED else [],
        "is_open": campaign.status != CampaignStatus.FINISHED,
        "scanning": campaign.status == CampaignStatus.SCANNING,
        "ScanState": ScanState,
    })


@require_POST
def campaign_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """重新检测: queue the sites not scanned yet or whose scan failed."""
    _gate(request)
    campaign = access.access_campaign(request.user, pk)
    try:
        queued = campaigns.do_start_scans(campaign, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        if queued:
            messages.success(request, _("已安排检测 %(n)d 个网站。") % {"n": queued})
        else:
            messages.info(request, _("没有需要检测的网站。"))
    return redirect("supervision:campaign", campaign.pk)


@require_POST
def campaign_finish(request: HttpRequest, pk: int) -> HttpResponse:
    """完成抽查 (then 整改 tickets are issued)."""
    _gate(request)
    campaign = access.access_campaign(request.user, pk)
    try:
        campaigns.do_finish_campaign(campaign, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("抽查已完成。"))
    return redirect("supervision:campaign", campaign.pk)


def _site_context(request: HttpRequest, site: Any, **forms_: Any) -> dict[str, Any]:
    campaign = site.campaign
    definition = campaign.indicator_set.definition
    indicators = scoring.indicator_table(definition)
    scores = campaigns.site_scores(site)
    findings = list(site.findings.select_related("scan_finding", "decided_by").order_by("state", "id"))
    rows = []
    for finding in findings:
        screenshot = getattr(finding.scan_finding, "screenshot", None) if finding.scan_finding_id else None
        rows.append({
            "finding": finding,
            "label": finding_label(finding.code),
            "indicator": indicators.get(finding.indicator, {}).get("label", finding.indicator),
            "veto": indicators.get(finding.indicator, {}).get("kind") == "veto",
            "screenshot": bool(screenshot),
        })
    deductions = [
        {"code": code, "label": entry.get("label", code), "max": entry.get("max"),
         "points": scores.confirmed.deductions.get(code), "predicted": scores.predicted.deductions.get(code)}
        for code, entry in indicators.items() if entry.get("kind") == "deduction"
    ]
    veto_labels = [indicators.get(code, {}).get("label", code) for code in scores.confirmed.vetoes]
    return {
        "page_title": site.website.name,
        "campaign": campaign,
        "site": site,
        "website": site.website,
        "scores": scores,
        "verdict_label": scoring.VERDICT_LABELS.get(site.verdict, _("未评定")),
        "predicted_label": scoring.VERDICT_LABELS[scores.predicted.verdict],
        "veto_labels": veto_labels,
        "rows": rows,
        "deductions": deductions,
        "not_counted": scores.confirmed.not_counted,
        "is_open": campaign.status != CampaignStatus.FINISHED,
        "is_portal": site.website.kind == "portal",
        "manual_form": forms_.get("manual_form") or ManualFindingForm(definition=definition),
        "bonus_form": forms_.get("bonus_form") or BonusForm(initial={"points": site.bonus_points,
                                                                      "reason": site.bonus_reason}),
        "FindingState": FindingState,
        "FindingSource": FindingSource,
    }


@require_GET
def campaign_site(request: HttpRequest, pk: int) -> HttpResponse:
    """One sampled site: its findings to confirm or reject, 人工检查, 加分, deductions per indicator."""
    _gate(request)
    site = access.access_campaign_site(request.user, pk)
    return _render(request, "campaign_site.html", _site_context(request, site))


@require_POST
def finding_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """确认 or 排除 one finding (排除 needs a reason)."""
    _gate(request)
    finding = access.access_campaign_finding(request.user, pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    confirm = request.POST.get("decision") == "confirm"
    try:
        campaigns.do_decide_finding(finding, by=request.user, confirm=confirm,
                                    reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("已确认该问题。") if confirm else _("已排除该问题。"))
    return redirect(reverse("supervision:campaign_site", args=[finding.site_id]) + f"#finding-{finding.pk}")


@require_POST
def site_manual_finding(request: HttpRequest, pk: int) -> HttpResponse:
    """人工检查: record a finding with its evidence (confirmed at once)."""
    _gate(request)
    site = access.access_campaign_site(request.user, pk)
    form = ManualFindingForm(request.POST, request.FILES, definition=site.campaign.indicator_set.definition)
    if form.is_valid():
        data = form.cleaned_data
        try:
            campaigns.do_add_manual_finding(site, by=request.user, code=data["code"], detail=data["detail"],
                                            url=data["url"], column=data["column"], points=data["points"],
                                            excerpt=data["excerpt"], evidence=data["evidence"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已记录人工检查发现的问题。"))
            return redirect("supervision:campaign_site", site.pk)
    messages.error(request, _("人工检查的问题未能记录，请按提示修改。"))
    return _render(request, "campaign_site.html", _site_context(request, site, manual_form=form))


@require_POST
def site_bonus(request: HttpRequest, pk: int) -> HttpResponse:
    """加分 of a portal."""
    _gate(request)
    site = access.access_campaign_site(request.user, pk)
    form = BonusForm(request.POST)
    if form.is_valid():
        try:
            campaigns.do_set_bonus(site, by=request.user, points=form.cleaned_data["points"],
                                   reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存加分。"))
            return redirect("supervision:campaign_site", site.pk)
    messages.error(request, _("加分未能保存，请按提示修改。"))
    return _render(request, "campaign_site.html", _site_context(request, site, bonus_form=form))


def _file_response(field: Any) -> FileResponse:
    # Inline: evidence is an image or a document checked by its content (uploads.py), shown in the browser.
    return file_response(field, attachment=False)


@require_GET
def finding_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """An inspector's evidence file, for those who may see the campaign."""
    _gate(request)
    finding = access.access_campaign_finding(request.user, pk)
    return _file_response(finding.evidence)


@require_GET
def finding_screenshot(request: HttpRequest, pk: int) -> HttpResponse:
    """The monitor's screenshot of a finding (when the monitor stored one)."""
    _gate(request)
    finding = access.access_campaign_finding(request.user, pk)
    return _file_response(getattr(finding.scan_finding, "screenshot", None) if finding.scan_finding_id else None)


urlpatterns = [
    path("campaigns/", campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/scan/", campaign_scan, name="campaign_scan"),
    path("campaigns/<int:pk>/finish/", campaign_finish, name="campaign_finish"),
    path("campaigns/sites/<int:pk>/", campaign_site, name="campaign_site"),
    path("campaigns/sites/<int:pk>/manual/", site_manual_finding, name="campaign_site_manual"),
    path("campaigns/sites/<int:pk>/bonus/", site_bonus, name="campaign_site_bonus"),
    path("campaigns/findings/<int:pk>/decide/", finding_decide, name="campaign_finding_decide"),
    path("campaigns/findings/<int:pk>/evidence/", finding_evidence, name="campaign_finding_evidence"),
    path("campaigns/findings/<int:pk>/screenshot/", finding_screenshot, name="campaign_finding_screenshot"),
]
