"""Stored data of the compliance checks: the regions' word lists (词库), check runs and reviewers' overrides."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govsite.core.append_only import AppendOnlyModel

from .contract import Severity


class EntryKind(models.TextChoices):
    SENSITIVE_WORD = "sensitive_word", _("敏感词")
    PROTECTED_TERM = "protected_term", _("规范表述")
    TYPO = "typo", _("易错词")


class LexiconEntry(models.Model):
    """词库条目: one sensitive word, protected term or typo pair that a region's supervisors maintain.

    An entry applies to the sites of its region and of every region below it, on top of the shipped defaults
    and of the entries of the regions above.
    """

    kind = models.CharField(_("类型"), max_length=20, choices=EntryKind.choices)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("适用行政区划"), on_delete=models.PROTECT, related_name="lexicon_entries"
    )
    term = models.CharField(_("词语"), max_length=100, help_text=_("易错词填写错误写法。"))
    category = models.CharField(_("分类"), max_length=50, blank=True)
    severity = models.CharField(
        _("处理方式"), max_length=8, default=Severity.BLOCK,
        choices=[(Severity.BLOCK, _("阻止发布")), (Severity.WARN, _("提示"))],
        help_text=_("仅对敏感词有效：阻止发布，或仅提示审核人员。"),
    )
    suggestion = models.CharField(_("正确写法"), max_length=100, blank=True, help_text=_("仅对易错词有效。"))
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("创建人"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True, db_index=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("修改人"),
    )

    class Meta:
        verbose_name = _("词库条目")
        verbose_name_plural = _("词库条目")
        ordering = ["kind", "term"]
        permissions = [("import_lexiconentry", _("可以导入词库"))]
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "term"], name="unique_lexicon_term_per_region"),
        ]

    def __str__(self) -> str:
        if self.kind == EntryKind.TYPO:
            return f"{self.term} → {self.suggestion}"
        return self.term

    def snapshot(self) -> dict:
        """The values the history keeps (版本记录)."""
        return {
            "kind": self.kind,
            "region": self.region_id,
            "term": self.term,
            "category": self.category,
            "severity": self.severity,
            "suggestion": self.suggestion,
            "active": self.active,
        }


class LexiconChange(AppendOnlyModel):
    """词库修改记录: one change of an entry with its values before and after. Append-only."""

    class Action(models.TextChoices):
        ADD = "add", _("新增")
        CHANGE = "change", _("修改")
        DEACTIVATE = "deactivate", _("停用")
        IMPORT = "import", _("导入")

    entry = models.ForeignKey(LexiconEntry, on_delete=models.PROTECT, related_name="changes")
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    old_values = models.JSONField(_("修改前"), null=True, blank=True)
    new_values = models.JSONField(_("修改后"), null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("操作人"))
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("词库修改记录")
        verbose_name_plural = _("词库修改记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.entry}"


class PageCheckRun(AppendOnlyModel):
    """页面检查记录: the findings of one check of a page revision (texts and linked documents)."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="check_runs")
    revision = models.ForeignKey("wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    task_state = models.ForeignKey("wagtailcore.TaskState", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("检查时间"), auto_now_add=True, db_index=True)
    content_hash = models.CharField(max_length=64, blank=True)
    lexicon_version = models.CharField(max_length=100, blank=True)
    # Each item: a Finding as dict (matched text masked) plus field, field_label, paragraph and fingerprint.
    findings = models.JSONField(_("检查发现"), default=list, blank=True)
    has_block = models.BooleanField(_("含“阻止发布”问题"), default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")

    class Meta:
        verbose_name = _("页面检查记录")
        verbose_name_plural = _("页面检查记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.page_id} · {self.created_at:%Y-%m-%d %H:%M}"


class FindingOverride(AppendOnlyModel):
    """人工放行: a reviewer's written decision that one blocking finding on a page may be published."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="finding_overrides")
    fingerprint = models.CharField(max_length=64, help_text="sha256 of kind, text, rule and field")
    kind = models.CharField(_("问题类型"), max_length=50)
    rule = models.CharField(_("规则"), max_length=255)
    field = models.CharField(_("位置"), max_length=100)
    text_display = models.CharField(_("内容"), max_length=255, help_text=_("个人信息已遮盖。"))
    reason = models.TextField(_("放行理由"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("审核人员"))
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("人工放行记录")
        verbose_name_plural = _("人工放行记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["page", "fingerprint"], name="unique_override_per_finding"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="override_reason_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.page_id} · {self.kind} · {self.text_display}"

