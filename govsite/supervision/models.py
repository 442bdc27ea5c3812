"""监管 records: indicator sets (指标体系, versioned), daily predicted scores, spot-check campaigns (抽查) with
their sampled sites and findings, notices (通报) and rectification tickets (整改) with 约谈/问责 records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govsite.core.models import Region, Unit
from govsite.registry.models import Website


class IndicatorSet(models.Model):
    """指标体系: one version of a set of indicators with their points (JSON, see indicator_sets.py). A supervisor
    edits a set by saving a new version; a campaign keeps the version it used. Versions are never changed."""

    name = models.CharField(_("名称"), max_length=200)
    version = models.PositiveIntegerField(_("版本"))
    definition = models.JSONField(_("指标定义"))
    note = models.TextField(_("修订说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修订人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("修订时间"), default=timezone.now)

    class Meta:
        verbose_name = _("指标体系")
        verbose_name_plural = _("指标体系")
        ordering = ["name", "-version"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="unique_indicator_set_version")]

    def __str__(self) -> str:
        return f"{self.name}（第 {self.version} 版）"


class SiteScore(models.Model):
    """每日预测得分: the score and verdict a site would get from one monitor run, under the newest set."""

    website = models.ForeignKey(Website, verbose_name=_("网站"), on_delete=models.CASCADE, related_name="scores")
    run = models.OneToOneField("monitoring.ScanRun", verbose_name=_("监测记录"), on_delete=models.CASCADE,
                               related_name="score")
    as_of = models.DateField(_("评估日期"))
    indicator_set = models.ForeignKey(IndicatorSet, verbose_name=_("指标体系"), on_delete=models.PROTECT,
                                      related_name="+")
    verdict = models.CharField(_("结论"), max_length=8)  # scoring.PASS / FAIL
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    vetoes = models.JSONField(_("单项否决指标"), default=list, blank=True)
    deductions = models.JSONField(_("各指标扣分"), default=dict, blank=True)

    class Meta:
        verbose_name = _("预测得分")
        verbose_name_plural = _("预测得分")
        ordering = ["website", "-as_of", "-id"]
        indexes = [models.Index(fields=["website", "as_of"])]

    def __str__(self) -> str:
        return f"{self.website} {self.as_of}"


class CampaignStatus(models.TextChoices):
    SCANNING = "scanning", _("检测中")
    REVIEWING = "reviewing", _("核查中")
    FINISHED = "finished", _("已完成")


class Campaign(models.Model):
    """抽查活动: a supervisor's spot check of a sample of the sites in their subtree, for one period."""

    name = models.CharField(_("名称"), max_length=200)
    unit = models.ForeignKey(Unit, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="campaigns")
    region = models.ForeignKey(Region, verbose_name=_("抽查范围"), on_delete=models.PROTECT, related_name="campaigns")
    period_start = models.DateField(_("抽查期间起"))
    period_end = models.DateField(_("抽查期间止"))
    as_of = models.DateField(_("评估日期"))
    ratio = models.DecimalField(_("抽查比例"), max_digits=4, decimal_places=3)
    seed = models.BigIntegerField(_("随机种子"))
    strata = models.JSONField(_("分层"), default=list, blank=True)  # [{"key", "label", "population", "sampled"}]
    indicator_set = models.ForeignKey(IndicatorSet, verbose_name=_("指标体系"), on_delete=models.PROTECT,
                                      related_name="campaigns")
    rectify_workdays = models.PositiveSmallIntegerField(_("整改期限（工作日）"), default=15)
    status = models.CharField(_("状态"), max_length=16, choices=CampaignStatus.choices,
                              default=CampaignStatus.SCANNING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("抽查活动")
        verbose_name_plural = _("抽查活动")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ScanState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    SCANNING = "scanning", _("检测中")
    DONE = "done", _("已检测")
    FAILED = "failed", _("检测失败")


class CampaignSite(models.Model):
    """抽查网站: one sampled site of a campaign, its stratum, its scan and its score under the campaign's set."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("抽查活动"), on_delete=models.CASCADE, related_name="sites")
    website = models.ForeignKey(Website, verbose_name=_("网站"), on_delete=models.PROTECT,
                                related_name="campaign_entries")
    stratum = models.CharField(_("分层"), max_length=64)
    run = models.ForeignKey("monitoring.ScanRun", verbose_name=_("监测记录"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    scan_state = models.CharField(_("检测状态"), max_length=16, choices=ScanState.choices, default=ScanState.QUEUED)
    scan_error = models.TextField(_("检测失败原因"), blank=True)
    provides_services = models.BooleanField(_("有对外服务职能"), default=True)
    bonus_points = models.DecimalField(_("加分"), max_digits=5, decimal_places=2, default=0)
    bonus_reason = models.TextField(_("加分理由"), blank=True)
    verdict = models.CharField(_("结论"), max_length=8, blank=True)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    vetoes = models.JSONField(_("单项否决指标"), default=list, blank=True)
    deductions = models.JSONField(_("各指标扣分"), default=dict, blank=True)

    class Meta:
        verbose_name = _("抽查网站")
        verbose_name_plural = _("抽查网站")
        ordering = ["campaign", "website__site_code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "website"], name="unique_campaign_site")]

    def __str__(self) -> str:
        return f"{self.campaign} {self.website}"


class FindingSource(models.TextChoices):
    MONITOR = "monitor", _("网站监测")
    INSPECTION = "inspection", _("人工检查")


class FindingState(models.TextChoices):
    PENDING = "pending", _("待核实")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已排除")


class CampaignFinding(models.Model):
    """抽查发现的问题: a monitor finding taken into a campaign, or one an inspector recorded, with its evidence;
    only confirmed findings count in the campaign's score."""

    site = models.ForeignKey(CampaignSite, verbose_name=_("抽查网站"), on_delete=models.CASCADE,
                             related_name="findings")
    source = models.CharField(_("来源"), max_length=16, choices=FindingSource.choices)
    scan_finding = models.ForeignKey("monitoring.ScanFinding", verbose_name=_("监测发现"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    code = models.CharField(_("问题类型"), max_length=64)
    indicator = models.CharField(_("指标"), max_length=64)
    url = models.TextField(_("页面地址"), blank=True)
    column = models.CharField(_("栏目"), max_length=200, blank=True)
    target = models.TextField(_("链接地址"), blank=True)
    detail = models.TextField(_("问题描述"))
    excerpt = models.TextField(_("证据摘录"), blank=True)
    evidence = models.FileField(_("证据文件"), upload_to="supervision/evidence/", blank=True)
    points = models.DecimalField(_("扣分"), max_digits=5, decimal_places=2, null=True, blank=True)
    found_at = models.DateTimeField(_("发现时间"), default=timezone.now)
    state = models.CharField(_("核实状态"), max_length=16, choices=FindingState.choices,
                             default=FindingState.PENDING)
    reason = models.TextField(_("核实意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核实人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("抽查发现的问题")
        verbose_name_plural = _("抽查发现的问题")
        ordering = ["site", "id"]
        indexes = [models.Index(fields=["site", "state"])]

    def __str__(self) -> str:
        return f"{self.code} {self.url}"


class NoticeTemplate(models.Model):
    """通报模板: the title, 文号 pattern and body paragraphs of a unit's notices, with placeholders."""

    unit = models.OneToOneField(Unit, verbose_name=_("单位"), on_delete=models.CASCADE,
                                related_name="notice_template")
    title = models.CharField(_("标题"), max_length=300)
    document_number = models.CharField(_("文号"), max_length=100)
    body = models.TextField(_("正文"))
    issuer = models.CharField(_("发文机关署名"), max_length=200)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("通报模板")
        verbose_name_plural = _("通报模板")

    def __str__(self) -> str:
        return f"{self.unit} {self.title}"


class Notice(models.Model):
    """通报: generated from a finished campaign, as .docx with an .xlsx annex (附件)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("抽查活动"), on_delete=models.CASCADE,
                                 related_name="notices")
    title = models.CharField(_("标题"), max_length=300)
    document_number = models.CharField(_("文号"), max_length=100)
    docx = models.FileField(_("通报正文"), upload_to="supervision/notices/")
    xlsx = models.FileField(_("通报附件"), upload_to="supervision/notices/")
    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("公开页面"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class TicketKind(models.TextChoices):
    SITE = "site", _("网站整改")  # a failing site as a whole: closed when a re-scan passes
    FINDING = "finding", _("问题整改")  # one confirmed finding: closed when a re-scan no longer finds it


class TicketState(models.TextChoices):
    OPEN = "open", _("待整改")
    ANSWERED = "answered", _("待复核")
    CLOSED = "closed", _("已办结")


class Ticket(models.Model):
    """整改工单: a failing site or a confirmed finding sent to the site's unit, with a deadline in working days.
    Closed by a clean re-scan, or by a supervisor accepting a written reason; escalated when overdue."""

    kind = models.CharField(_("类型"), max_length=16, choices=TicketKind.choices)
    website = models.ForeignKey(Website, verbose_name=_("网站"), on_delete=models.PROTECT, related_name="tickets")
    unit = models.ForeignKey(Unit, verbose_name=_("整改单位"), on_delete=models.PROTECT, related_name="tickets")
    campaign = models.ForeignKey(Campaign, verbose_name=_("抽查活动"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="tickets")
    finding = models.ForeignKey(CampaignFinding, verbose_name=_("问题"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="tickets")
    code = models.CharField(_("问题类型"), max_length=64, blank=True)
    place = models.TextField(_("问题位置"), blank=True)  # column, link target or URL the re-scan looks for
    title = models.CharField(_("标题"), max_length=300)
    description = models.TextField(_("整改要求"))
    deadline = models.DateField(_("整改期限"))
    state = models.CharField(_("状态"), max_length=16, choices=TicketState.choices, default=TicketState.OPEN)
    escalated_to = models.ForeignKey(Unit, verbose_name=_("督办单位"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="escalated_tickets")
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("下发人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("下发时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办结确认人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    close_run = models.ForeignKey("monitoring.ScanRun", verbose_name=_("复查记录"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    close_reason = models.TextField(_("办结说明"), blank=True)
    # 最近复查: the latest complete run that looked at the ticket and still found its problem.
    last_check_run = models.ForeignKey("monitoring.ScanRun", verbose_name=_("最近复查"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("整改工单")
        verbose_name_plural = _("整改工单")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["state", "deadline"]), models.Index(fields=["website", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state != TicketState.CLOSED

    def is_overdue(self, today: object = None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.deadline < today  # type: ignore[operator]


class TicketAnswer(models.Model):
    """整改情况: what the unit did, with evidence."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("整改工单"), on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("整改情况"))
    evidence = models.FileField(_("证明材料"), upload_to="supervision/answers/", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("填报时间"), default=timezone.now)

    class Meta:
        verbose_name = _("整改情况")
        verbose_name_plural = _("整改情况")
        ordering = ["ticket", "answered_at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket} {self.answered_at:%Y-%m-%d}"


class ActionKind(models.TextChoices):
    INTERVIEW = "interview", _("约谈")
    ACCOUNTABILITY = "accountability", _("问责")


class TicketAction(models.Model):
    """约谈/问责记录: who, when, outcome and the document, attached to a ticket."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("整改工单"), on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("类型"), max_length=16, choices=ActionKind.choices)
    persons = models.CharField(_("对象"), max_length=300)
    held_on = models.DateField(_("日期"))
    outcome = models.TextField(_("结果"))
    document = models.FileField(_("文书"), upload_to="supervision/actions/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("约谈问责记录")
        verbose_name_plural = _("约谈问责记录")
        ordering = ["ticket", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"
