"""统一信息资源库 and 信息报送: an item (信息) is stored once, in its own site's page tree, and placed into columns of
other sites by reference.

A `Submission` (信息报送) is an item of site A offered to a column of site B. B's staff accept (采用) or decline
(不采用, with a reason). An accepted submission is a placement (采用): the item shows in B's column listing and at
an address on B's site, rendered from the original each time, so editing, re-publishing or unpublishing the
original changes every placement at once.

No import of `content.models` here (content's `ColumnPage` reads placements through `library.placements`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    ACCEPTED = "accepted", _("已采用")
    DECLINED = "declined", _("未采用")


class Submission(models.Model):
    """信息报送: an item of one site offered to (and, once accepted, placed in) a column of another site."""

    item = models.ForeignKey("content.ArticlePage", verbose_name=_("报送信息"), on_delete=models.CASCADE,
                             related_name="submissions")
    source_website = models.ForeignKey("registry.Website", verbose_name=_("报送网站"), on_delete=models.CASCADE,
                                       related_name="submissions_sent")
    target_website = models.ForeignKey("registry.Website", verbose_name=_("接收网站"), on_delete=models.CASCADE,
                                       related_name="submissions_received")
    target_column = models.ForeignKey("content.ColumnPage", verbose_name=_("接收栏目"), on_delete=models.CASCADE,
                                      related_name="placements")
    note = models.CharField(_("报送说明"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.PENDING, db_index=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decline_reason = models.CharField(_("不采用理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("信息报送")
        verbose_name_plural = _("信息报送")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            # One open or accepted offer of an item per receiving column: a declined one may be offered again.
            models.UniqueConstraint(fields=["item", "target_column"], condition=~Q(status="declined"),
                                    name="library_one_open_submission_per_column"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.target_column_id}（{self.get_status_display()}）"
