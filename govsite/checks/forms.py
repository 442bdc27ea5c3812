"""Admin forms of 词库管理 and 内容检查. They only collect input; the rules live in access.py and wordlists.py."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from govsite.core.models import Region

from .access import lexicon_regions_manageable_by, lexicon_regions_visible_to
from .contract import Severity
from .models import EntryKind, LexiconEntry
from .wordlists import IMPORT_MAX_BYTES

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.name}（{obj.code}）"




def _regions(queryset: QuerySet[Region]) -> QuerySet[Region]:
    return queryset.order_by("path")


class LexiconEntryForm(forms.Form):
    """新增/修改词库条目. Region and kind are chosen when adding and fixed afterwards."""

    region = RegionChoiceField(label=_("适用行政区划"), queryset=Region.objects.none(),
                               help_text=_("条目适用于该行政区划及其下级行政区划的网站。"))
    kind = forms.ChoiceField(label=_("类型"), choices=EntryKind.choices)
    term = forms.CharField(label=_("词语"), max_length=100, help_text=_("易错词填写错误写法。"))
    category = forms.CharField(label=_("分类"), max_length=50, required=False,
                               help_text=_("如 政治、色情、赌博、领导姓名职务、单位全称。"))
    severity = forms.ChoiceField(label=_("处理方式"), initial=Severity.BLOCK,
                                 choices=[(Severity.BLOCK, _("阻止发布")), (Severity.WARN, _("提示"))],
                                 help_text=_("仅对敏感词有效。"))
    suggestion = forms.CharField(label=_("正确写法"), max_length=100, required=False, help_text=_("仅对易错词有效。"))
    note = forms.CharField(label=_("修改说明"), max_length=300, required=False)

    def __init__(self, *args: Any, user: AbstractBaseUser, entry: LexiconEntry | None = None, **kwargs: Any) -> None:
        if entry is not None:
            kwargs.setdefault("initial", {
                "region": entry.region_id, "kind": entry.kind, "term": entry.term, "category": entry.category,
                "severity": entry.severity, "suggestion": entry.suggestion,
            })
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.fields["region"].queryset = _regions(lexicon_regions_manageable_by(user))
        if entry is not None:
            # Kind and region identify the list an entry belongs to; moving it means deactivating and adding.
            del self.fields["region"]
            del self.fields["kind"]


class LexiconFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *EntryKind.choices])
    region = RegionChoiceField(label=_("行政区划"), required=False, queryset=Region.objects.none(),
                               empty_label=_("全部行政区划"))
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("active", _("启用")), ("inactive", _("已停用")), ("all", _("全部"))])
    q = forms.CharField(label=_("词语"), required=False)

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions(lexicon_regions_visible_to(user))

    def filter(self, entries: QuerySet[LexiconEntry]) -> QuerySet[LexiconEntry]:
        if not self.is_bound:
            return entries.filter(active=True)
        if not self.is_valid():
            return entries.none()
        data = self.cleaned_data
        if data.get("kind"):
            entries = entries.filter(kind=data["kind"])
        if data.get("region"):
            entries = entries.filter(region=data["region"])
        status = data.get("status") or "active"
        if status != "all":
            entries = entries.filter(active=status == "active")
        if data.get("q"):
            entries = entries.filter(term__icontains=data["q"].strip())
        return entries


class DeactivateForm(forms.Form):
    note = forms.CharField(label=_("停用原因"), max_length=300, required=False)


class LexiconImportForm(forms.Form):
    """导入词库: a UTF-8 text file, one entry per line."""

    region = RegionChoiceField(label=_("适用行政区划"), queryset=Region.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=EntryKind.choices)
    file = forms.FileField(
        label=_("文本文件（.txt）"),
        help_text=_("每行一条。敏感词：词语,分类,处理方式（block 阻止发布 / warn 提示）；规范表述：词语,分类；"
                    "易错词：错误写法,正确写法。以 # 开头的行和空行忽略。"),
    )

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions(lexicon_regions_manageable_by(user))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".txt", ".csv"):
            raise ValidationError(_("请上传 .txt 文本文件。"))
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(_("文件过大，请分批导入。"))
        return upload


class OverrideForm(forms.Form):
    """人工放行: one blocking finding, with the reviewer's reason."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reason = forms.CharField(label=_("放行理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
                             help_text=_("例如：公开的是单位办公电话，不是个人信息。"))

    def clean_reason(self) -> str:
        reason = (self.cleaned_data.get("reason") or "").strip()
        if not reason:
            raise ValidationError(_("请填写放行理由。"))
        return reason
