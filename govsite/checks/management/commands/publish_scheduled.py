"""Wagtail's `publish_scheduled`, with the publication guard applied before the run (定时发布前检查).

Wagtail publishes every due revision in one loop; a revision refused by the page models' save guard would
raise there, stop the run and, being still due, stop every later run too. So the due revisions of guarded
pages are checked first: a revision with unresolved blocking findings is taken off the schedule (its
`approved_go_live_at` cleared) and the refusal is audited; the rest then go live as Wagtail does it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import Revision

from govsite.checks.page_guard import PublishGuardMixin, unresolved_findings
from govsite.core.access import SYSTEM
from govsite.core.services import record_audit


class Command(WagtailCommand):
    help = "发布到期的定时发布版本；存在未处理的“阻止发布”问题的版本不发布，并取消其定时。"

    def handle(self, *args: Any, **options: Any) -> None:
        if not options.get("dryrun"):
            self.hold_back_blocked()
        super().handle(*args, **options)

    def hold_back_blocked(self) -> None:
        due = Revision.objects.filter(approved_go_live_at__lt=timezone.now()).order_by("approved_go_live_at")
        for revision in due:
            page = revision.as_object()
            if not isinstance(page, PublishGuardMixin):
                continue
            blocking = unresolved_findings(page)
            if not blocking:
                continue
            with transaction.atomic():
                Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
                record_audit(SYSTEM, "checks.publish_refused", page, result="refused", path="scheduled",
                             revision=revision.pk,
                             findings=[{"kind": f.finding.kind, "where": f.where, "text": f.display_text}
                                       for f in blocking[:20]])
            self.stderr.write(f"未发布“{page.title}”（页面 {page.pk}）：存在 {len(blocking)} 处未处理的“阻止发布”问题，已取消定时发布。")
