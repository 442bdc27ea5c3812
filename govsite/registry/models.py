"""全区政府网站基本信息库: every government website of the region, hosted on the platform or not."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from govsite.core import update_classes
from govsite.core.models import Unit
from govsite.core.update_classes import UPDATE_CLASS_TABLE

# ASCII digits only: `\d` would also take full-width ０-９ and other scripts' digits.
SITE_CODE_PATTERN = r"^([0-9]{10}|bm[0-9]{8})\Z"


class WebsiteKind(models.TextChoices):
    """网站类型."""

    PORTAL = "portal", _("政府门户网站")
    DEPARTMENT = "department", _("部门网站")


class WebsiteStatus(models.TextChoices):
    """网站状态 (lifecycle)."""

    PLANNING = "planning", _("筹建")
    RUNNING = "running", _("运行")
    RECTIFYING = "rectifying", _("整改")
    SUSPENDED = "suspended", _("临时关停")
    OFFLINE = "offline", _("永久下线")
    MERGED = "merged", _("已整合")


# States in which a site is still one of the unit's sites (counts for one-site-per-unit, domain rules).
ACTIVE_STATUSES = (WebsiteStatus.PLANNING, WebsiteStatus.RUNNING, WebsiteStatus.RECTIFYING, WebsiteStatus.SUSPENDED)

# The lifecycle graph: 筹建 → 运行 ⇄ 整改/临时关停 → 永久下线, or 已整合 into another site.
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    WebsiteStatus.PLANNING: (WebsiteStatus.RUNNING, WebsiteStatus.OFFLINE),
    WebsiteStatus.RUNNING: (
        WebsiteStatus.RECTIFYING,
        WebsiteStatus.SUSPENDED,
        WebsiteStatus.OFFLINE,
        WebsiteStatus.MERGED,
    ),
    WebsiteStatus.RECTIFYING: (
        WebsiteStatus.RUNNING,
        WebsiteStatus.SUSPENDED,
        WebsiteStatus.OFFLINE,
        WebsiteStatus.MERGED,
    ),
    WebsiteStatus.SUSPENDED: (
        WebsiteStatus.RUNNING,
        WebsiteStatus.RECTIFYING,
        WebsiteStatus.OFFLINE,
        WebsiteStatus.MERGED,
    ),
    WebsiteStatus.OFFLINE: (),
    WebsiteStatus.MERGED: (),
}


class ProtectionLevel(models.IntegerChoices):
    """网络安全等级保护级别."""

    LEVEL_1 = 1, _("第一级")
    LEVEL_2 = 2, _("第二级")
    LEVEL_3 = 3, _("第三级")
    LEVEL_4 = 4, _("第四级")


class AssessmentResult(models.TextChoices):
    """等级测评结论."""

    GOOD = "good", _("优")
    FAIR = "fair", _("良")
    MEDIUM = "medium", _("中")
    POOR = "poor", _("差")


class Website(models.Model):
    """政府网站: one entry of the registry, keyed by its 网站标识码."""

    site_code = models.CharField(
        _("网站标识码"),
        max_length=10,
        unique=True,
        validators=[RegexValidator(SITE_CODE_PATTERN, _("网站标识码应为 10 位数字，或 bm 加 8 位数字。"))],
    )
    name = models.CharField(_("网站名称"), max_length=200)
    kind = models.CharField(_("网站类型"), max_length=16, choices=WebsiteKind.choices)
    supervising_unit = models.ForeignKey(
        Unit, verbose_name=_("主管单位"), on_delete=models.PROTECT, related_name="supervised_websites"
    )
    owner_unit = models.ForeignKey(Unit, verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="owned_websites")
    operator_unit = models.ForeignKey(
        Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="operated_websites", null=True, blank=True
    )
    homepage_url = models.URLField(_("首页网址"), max_length=300)
    icp_number = models.CharField(_("ICP备案号"), max_length=64, blank=True)
    police_record_number = models.CharField(_("公安机关备案号"), max_length=64, blank=True)
    party_gov_mark = models.CharField(_("党政机关网站标识编号"), max_length=64, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=64, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    protection_level = models.PositiveSmallIntegerField(
        _("等保级别"), choices=ProtectionLevel.choices, null=True, blank=True
    )
    last_assessment_date = models.DateField(_("最近等级测评日期"), null=True, blank=True)
    last_assessment_result = models.CharField(
        _("最近等级测评结论"), max_length=16, choices=AssessmentResult.choices, blank=True
    )
    status = models.CharField(_("状态"), max_length=16, choices=WebsiteStatus.choices, default=WebsiteStatus.PLANNING)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("整合至"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged_sites"
    )
    exception_document = models.CharField(
        _("例外审批文号"),
        max_length=100,
        blank=True,
        help_text=_("一个单位开设多个网站，或乡镇、县级部门开设网站时，须填写批准文号。"),
    )
    exception_reason = models.CharField(_("例外审批理由"), max_length=300, blank=True)
    wagtail_site = models.OneToOneField(
        "wagtailcore.Site",
        verbose_name=_("平台托管站点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registry_entry",
    )
    allow_private_network = models.BooleanField(
        _("允许监测内网地址"),
        default=False,
        help_text=_(
            "仅平台管理员设置：网站部署在内网（或为演示、测试网站）时勾选，网站监测方可连接其内网或本机地址。"
            "未勾选时，监测不连接任何内网、本机或云平台元数据地址。"
        ),
    )
    provides_services = models.BooleanField(
        _("有对外服务职能"),
        default=True,
        help_text=_("无对外服务职能的部门网站，抽查时不检查办事服务指标，扣分指标得分按 75 分折算（×4/3）。"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("政府网站")
        verbose_name_plural = _("政府网站")
        ordering = ["site_code"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["owner_unit", "status"])]
        permissions = [
            ("import_website", _("可导入网站信息")),
            ("change_website_status", _("可变更网站状态")),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.site_code}）"

    @property
    def is_hosted(self) -> bool:
        return self.wagtail_site_id is not None

    @property
    def is_local(self) -> bool:
        """Local sites carry a division code in their identifier; State Council departments use bm…"""
        return not self.site_code.startswith("bm")

    @property
    def host(self) -> str:
        from urllib.parse import urlsplit

        return (urlsplit(self.homepage_url).hostname or "").lower()


class StatusChange(models.Model):
    """状态变更记录: every lifecycle transition, who made it, when, why and under which document."""

    website = models.ForeignKey(Website, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("原状态"), max_length=16, choices=WebsiteStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=WebsiteStatus.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(_("变更时间"), auto_now_add=True)
    reason = models.TextField(_("变更理由"))
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    merged_into = models.ForeignKey(
        Website, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("整合至")
    )

    class Meta:
        verbose_name = _("状态变更记录")
        verbose_name_plural = _("状态变更记录")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.website.site_code}: {self.from_status or '—'} → {self.to_status}"


class SecurityTest(models.Model):
    """安全检测记录: a site may not go live (运行) without a passed one."""

    website = models.ForeignKey(Website, on_delete=models.CASCADE, related_name="security_tests")
    tested_on = models.DateField(_("检测日期"))
    tester = models.CharField(_("检测机构"), max_length=200)
    report_number = models.CharField(_("报告编号"), max_length=100, blank=True)
    passed = models.BooleanField(_("是否通过"))
    notes = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("安全检测记录")
        verbose_name_plural = _("安全检测记录")
        ordering = ["-tested_on", "-id"]

    def __str__(self) -> str:
        return f"{self.website.site_code} {self.tested_on:%Y-%m-%d} {'通过' if self.passed else '未通过'}"


# 栏目更新类别: the table is govsite/core/update_classes.py (§9 item 12); hosted columns
# (`content.ColumnPage`) and registry column corrections (`WebsiteColumn`) both use these choices.
UpdateClass = models.TextChoices(
    "UpdateClass", [(row.code.upper(), (row.code, _(row.label))) for row in UPDATE_CLASS_TABLE])
# A registry correction may also say 不计: the monitor does not judge the column at all.
NOT_COUNTED = update_classes.NOT_COUNTED
COLUMN_UPDATE_CLASS_CHOICES: list[tuple[str, str]] = update_classes.column_update_class_choices()


class WebsiteColumn(models.Model):
    """监测栏目（栏目校正）: a column of a website as the registry records it for monitoring.

    When a website has any, the monitor judges these columns instead of the ones it discovers from the
    homepage navigation, and fetches their pages even if no link leads there. An empty update class means
    "by the name" (动态 → 动态要闻 …); 不计 keeps a column out of the freshness and blank-column counts.
    """

    website = models.ForeignKey(Website, on_delete=models.CASCADE, related_name="monitored_columns")
    position = models.PositiveIntegerField(_("顺序"), default=0)
    name = models.CharField(_("栏目名称"), max_length=50)
    url = models.URLField(_("栏目地址"), max_length=500)
    update_class = models.CharField(
        _("更新类别"), max_length=20, blank=True, choices=COLUMN_UPDATE_CLASS_CHOICES,
        help_text=_("留空则按栏目名称判断"),
    )

    class Meta:
        verbose_name = _("监测栏目")
        verbose_name_plural = _("监测栏目")
        ordering = ["website", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["website", "name"], name="unique_column_name_per_website")]

    def __str__(self) -> str:
        return f"{self.website.site_code} {self.name}"
