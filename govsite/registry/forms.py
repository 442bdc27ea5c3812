"""Admin forms of the 网站基本信息库. They only collect input; the rules live in services.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from govsite.core.access import units_visible_to
from govsite.core.models import Unit
from govsite.core.unit_tree import UnitTreeChoiceField
from govsite.registry.access import websites_visible_to

from .access import units_for_filter
from .models import ALLOWED_TRANSITIONS, SecurityTest, Website, WebsiteKind, WebsiteStatus
from .services import EDITABLE_FIELDS, UNIT_FIELDS

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class WebsiteForm(forms.ModelForm):
    """登记/修改网站: unit choices are limited to the units the user manages."""

    homepage_url = forms.URLField(label=_("首页网址"), max_length=300, assume_scheme="https")

    class Meta:
        model = Website
        fields = EDITABLE_FIELDS
        field_classes = {f: UnitTreeChoiceField for f in UNIT_FIELDS}
        widgets = {"last_assessment_date": AdminDateInput}

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = Q(pk__in=units_visible_to(user).values("pk"))
        for name in UNIT_FIELDS:
            current = getattr(self.instance, f"{name}_id", None)
            # Keep an existing value selectable even if a platform administrator set it outside this scope.
            scope = allowed | Q(pk=current) if current else allowed
            self.fields[name].queryset = Unit.objects.filter(scope).select_related("region")
        self.fields["supervising_unit"].required = False
        self.fields["supervising_unit"].help_text = _("不填则与主办单位相同。")

    def _post_clean(self) -> None:
        # Model validation (formats, uniqueness, national rules) runs once, in the service, with full context.
        pass

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}
        data["supervising_unit"] = data["supervising_unit"] or data["owner_unit"]
        return data


class WebsiteFilterForm(forms.Form):
    q = forms.CharField(label=_("名称或标识码"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部状态")), *WebsiteStatus.choices])
    kind = forms.ChoiceField(label=_("网站类型"), required=False, choices=[("", _("全部类型")), *WebsiteKind.choices])
    unit = UnitTreeChoiceField(label=_("主办单位（含下级）"), required=False, queryset=Unit.objects.none(),
                               empty_label=_("全部单位"))

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for_filter(user)

    def filter(self, queryset: Any) -> Any:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(Q(name__icontains=data["q"]) | Q(site_code__icontains=data["q"]))
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["unit"]:
            queryset = queryset.filter(owner_unit__path__startswith=data["unit"].path)
        return queryset


class StatusChangeForm(forms.Form):
    """变更状态: only the transitions allowed from the current status are offered."""

    to_status = forms.ChoiceField(label=_("新状态"))
    reason = forms.CharField(label=_("变更理由"), widget=forms.Textarea(attrs={"rows": 3}))
    document_number = forms.CharField(label=_("文号"), required=False, max_length=100)
    merged_into = forms.ModelChoiceField(
        label=_("整合至"), required=False, queryset=Website.objects.none(),
        help_text=_("仅在变更为“已整合”时填写，须为运行中的网站。"),
    )

    def __init__(self, *args: Any, website: Website, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(WebsiteStatus.choices)
        self.fields["to_status"].choices = [(s, labels[s]) for s in ALLOWED_TRANSITIONS[website.status]]
        self.fields["merged_into"].queryset = (
            websites_visible_to(user).filter(status=WebsiteStatus.RUNNING).exclude(pk=website.pk)
        )


class SecurityTestForm(forms.ModelForm):
    """登记安全检测."""

    passed = forms.TypedChoiceField(
        label=_("检测结论"),
        choices=[("1", _("通过")), ("0", _("未通过"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = SecurityTest
        fields = ("tested_on", "tester", "report_number", "passed", "notes")
        widgets = {"tested_on": AdminDateInput, "notes": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self) -> None:
        pass  # the service validates and saves


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        help_text=_("按导出文件的表头填写；任何一行有错时整个文件都不导入。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class ColumnsForm(forms.Form):
    """栏目校正: the monitored columns of a website, one per line."""

    columns = forms.CharField(
        label=_("监测栏目"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "placeholder": "政务要闻 | https://www.example.gov.cn/zwyw/ | 动态要闻"}),
        help_text=_(
            "每行一个栏目：栏目名称 | 栏目地址 | 更新类别。更新类别可填 动态要闻、通知公告、政策文件、人事、规划计划、"
            "静态、互动、服务、专题 或 不计，留空则按栏目名称判断。登记后监测只检查这里列出的栏目；"
            "全部清空则恢复为从首页导航自动识别。"
        ),
    )
