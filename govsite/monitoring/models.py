"""Stored 网站监测 results: scan runs (监测记录) with their findings, and availability probes (可用性探测)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govsite.registry.models import Website


class RunStatus(models.TextChoices):
    """监测状态 of one scan run."""

    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    # Its worker stopped mid-scan (killed, machine restarted); the site is scanned again.
    INTERRUPTED = "interrupted", _("中断")


class Verdict(models.TextChoices):
    """抽查预判: whether a spot check would fail the site on a veto item (单项否决)."""

    WOULD_PASS = "would_pass", _("未发现单项否决问题")
    WOULD_FAIL = "would_fail", _("可能不合格")


class ScanRun(models.Model):
    """监测记录: one scan of one website. Its findings are written together with `status=done`, never apart."""

    website = models.ForeignKey(Website, verbose_name=_("网站"), on_delete=models.CASCADE, related_name="scan_runs")
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    as_of = models.DateField(_("评估日期"))
    pages_fetched = models.PositiveIntegerField(_("抓取页面数"), default=0)
    links_checked = models.PositiveIntegerField(_("检查链接数"), default=0)
    elapsed = models.FloatField(_("用时（秒）"), default=0.0)
    complete = models.BooleanField(_("扫描完整"), default=True)
    verdict = models.CharField(_("结论"), max_length=16, choices=Verdict.choices, blank=True)
    veto_items = models.JSONField(_("单项否决项"), default=list, blank=True)
    veto_count = models.PositiveIntegerField(_("单项否决问题数"), default=0)
    deduction_count = models.PositiveIntegerField(_("扣分问题数"), default=0)
    warn_count = models.PositiveIntegerField(_("提示数"), default=0)
    info_count = models.PositiveIntegerField(_("信息数"), default=0)
    error = models.TextField(_("失败原因"), blank=True)
    # Who runs it, and a heartbeat while it runs: a run whose worker is gone is 中断, not left `running`.
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True, db_index=True)
    worker = models.CharField(_("工作进程"), max_length=255, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)

    class Meta:
        verbose_name = _("监测记录")
        verbose_name_plural = _("监测记录")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["website", "as_of", "status"]),
            models.Index(fields=["website", "-started_at"]),
            models.Index(fields=["status", "started_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.website.site_code} {self.as_of:%Y-%m-%d} {self.get_status_display()}"

    @property
    def veto_labels(self) -> list[str]:
        """The veto items (单项否决项) in Chinese."""
        from .labels import check_label

        return [check_label(code) for code in self.veto_items]

    @property
    def findings_total(self) -> int:
        return self.veto_count + self.deduction_count + self.warn_count + self.info_count


class ScanFinding(models.Model):
    """监测发现的问题: one `MonitorFinding` of a run (its `check` stored as `check_name`), with its evidence (证据) and when it was found."""

    run = models.ForeignKey(ScanRun, verbose_name=_("监测记录"), on_delete=models.CASCADE, related_name="findings")
    # Not `check`: that name would hide Django's Model.check() (models.E020).
    check_name = models.CharField(_("检查项"), max_length=64)
    severity = models.CharField(_("严重程度"), max_length=16)
    url = models.TextField(_("页面地址"))
    target = models.TextField(_("链接地址"), blank=True)
    status = models.CharField(_("状态"), max_length=64, blank=True)
    on_homepage = models.BooleanField(_("位于首页"), default=False)
    column = models.CharField(_("栏目"), max_length=200, blank=True)
    latest = models.CharField(_("最近更新"), max_length=10, blank=True)
    detail = models.TextField(_("说明"))
    excerpt = models.TextField(_("证据"), blank=True)
    # Every page a broken link target appears on: one finding per target, counted once.
    pages = models.JSONField(_("出现页面"), default=list, blank=True)
    found_at = models.DateTimeField(_("发现时间"))
    # 截图证据: a veto finding's page as headless Chromium showed it at detection time (monitoring/evidence.py).
    # Stored under a random directory (core/storage.py), served only through the access-checked view.
    screenshot = models.FileField(_("截图"), upload_to="monitoring/evidence/", blank=True, max_length=300)

    class Meta:
        verbose_name = _("监测发现的问题")
        verbose_name_plural = _("监测发现的问题")
        ordering = ["run", "id"]
        indexes = [models.Index(fields=["run", "severity"]), models.Index(fields=["check_name"])]

    def __str__(self) -> str:
        return f"{self.check_name} {self.url}"


class AvailabilityProbe(models.Model):
    """可用性探测: one GET of a website's homepage (15 s limit); 20 a day make the 7-day failure ratio."""

    website = models.ForeignKey(Website, verbose_name=_("网站"), on_delete=models.CASCADE, related_name="probes")
    probed_at = models.DateTimeField(_("探测时间"), default=timezone.now)
    ok = models.BooleanField(_("可访问"))
    status = models.PositiveSmallIntegerField(_("HTTP 状态"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=64, blank=True)
    elapsed = models.FloatField(_("用时（秒）"), default=0.0)

    class Meta:
        verbose_name = _("可用性探测")
        verbose_name_plural = _("可用性探测")
        ordering = ["-probed_at", "-id"]
        indexes = [models.Index(fields=["website", "probed_at"])]

    def __str__(self) -> str:
        return f"{self.website.site_code} {self.probed_at:%Y-%m-%d %H:%M} {'ok' if self.ok else self.error or self.status}"
