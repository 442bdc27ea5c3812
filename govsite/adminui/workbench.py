"""工作台: each role's admin home page shows its own work (Wagtail homepage panels, scoped through access.py).

- 编辑: my drafts, pages returned to me (退回修改, with the reviewer's comment), pages of mine under review;
- 审核人员 (and anyone who may approve): pages waiting for my step, with links to review and to 内容检查,
  overdue after `REVIEW_OVERDUE`;
- 网站管理员: my site — its columns, staff, recent publications and its latest monitoring verdict;
- 监管人员 / 平台管理员: monitoring of the sites below me — verdicts, counts, sites never or long not scanned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import GroupApprovalTask, Page, TaskState, WorkflowState

from govsite.content.access import pages_visible_to
from govsite.core.access import is_supervisor, role_codes
from govsite.core.models import Role, RoleAssignment
from govsite.registry.access import websites_staffed_by, websites_visible_to

if TYPE_CHECKING:
    from django.http import HttpRequest

REVIEW_OVERDUE = timedelta(days=2)  # 审核 waiting longer than this is shown as 逾期
SCAN_OVERDUE = timedelta(days=7)  # a site not scanned for this long is shown as 逾期未监测
LIST_LIMIT = 10


def _page_ids(pages: Any) -> Any:
    from django.db.models import CharField
    from django.db.models.functions import Cast

    return pages.annotate(pk_text=Cast("pk", CharField())).values("pk_text")


class EditorPanel(Component):
    """我的草稿与退回: what an editor still has to do."""

    name = "govsite_editor"
    order = 50
    template_name = "adminui/workbench/editor.html"

    def __init__(self, user: Any) -> None:
        self.user = user

    def get_context_data(self, parent_context: dict | None = None) -> dict:
        scope = pages_visible_to(self.user)
        workflow_states = WorkflowState.objects.filter(object_id__in=_page_ids(scope))
        returned_states = list(
            workflow_states.filter(status=WorkflowState.STATUS_NEEDS_CHANGES, requested_by=self.user)
            .select_related("current_task_state__finished_by").order_by("-current_task_state__finished_at")[:LIST_LIMIT]
        )
        returned_pages = {p.pk: p for p in Page.objects.filter(pk__in=[int(s.object_id) for s in returned_states])}
        returned = [{"page": returned_pages[int(s.object_id)], "state": s.current_task_state}
                    for s in returned_states if int(s.object_id) in returned_pages]
        in_review_ids = workflow_states.filter(status__in=(WorkflowState.STATUS_IN_PROGRESS,
                                                           WorkflowState.STATUS_NEEDS_CHANGES))
        mine = scope.filter(Q(owner=self.user) | Q(latest_revision__user=self.user))
        drafts = list(
            mine.filter(Q(live=False) | Q(has_unpublished_changes=True))
            .exclude(pk__in=[int(i) for i in in_review_ids.values_list("object_id", flat=True)])
            .exclude(depth__lte=2).order_by("-latest_revision_created_at")[:LIST_LIMIT]
        )
        in_review = list(
            Page.objects.filter(pk__in=[int(i) for i in workflow_states.filter(
                status=WorkflowState.STATUS_IN_PROGRESS, requested_by=self.user).values_list("object_id", flat=True)])
            .order_by("-latest_revision_created_at")[:LIST_LIMIT]
        )
        return {"drafts": drafts, "returned": returned, "in_review": in_review}


class ReviewerPanel(Component):
    """待我审核: pages whose current step the user may act on, oldest first, overdue marked."""

    name = "govsite_reviewer"
    order = 40
    template_name = "adminui/workbench/reviewer.html"

    def __init__(self, user: Any) -> None:
        self.user = user

    def get_context_data(self, parent_context: dict | None = None) -> dict:
        from govsite.checks.approval import ReviewLevelTask, SecrecyReviewTask
        from govsite.checks.workflow import ComplianceCheckTask

        scope_ids = _page_ids(pages_visible_to(self.user))
        states = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS,
                                          workflow_state__object_id__in=scope_ids)
        groups = self.user.groups.all()
        approval = states.filter(
            Q(task__in=GroupApprovalTask.objects.filter(groups__in=groups))
            | Q(task__in=ReviewLevelTask.objects.filter(groups__in=groups))
            | Q(task__in=SecrecyReviewTask.objects.filter(groups__in=groups)))
        if self.user.is_superuser:  # 保密审查 is its own reviewers' alone, whatever the superuser flag says
            approval = approval | states.filter(
                Q(task__in=GroupApprovalTask.objects.all()) | Q(task__in=ReviewLevelTask.objects.all()))
        checks = list(ComplianceCheckTask.objects.all())
        waiting_checks = states.none()
        for check in checks:  # pages held by 自动内容检查 that this user may pass (override, approve)
            waiting_checks = waiting_checks | check.get_task_states_user_can_moderate(self.user)
        chosen = (approval | states.filter(pk__in=waiting_checks.values("pk"))).distinct()
        chosen = list(chosen.select_related("task", "workflow_state__requested_by").order_by("started_at")[:50])
        pages = {p.pk: p for p in Page.objects.filter(
            pk__in=[int(s.workflow_state.object_id) for s in chosen]).specific()}
        now = timezone.now()
        rows = []
        for state in chosen:
            page = pages.get(int(state.workflow_state.object_id))
            if page is None:
                continue
            rows.append({"page": page, "state": state, "task": state.task,
                         "actions": state.task.specific.get_actions(page, self.user),
                         "is_check": state.task_id in {c.pk for c in checks},
                         "submitter": state.workflow_state.requested_by,
                         "overdue": now - state.started_at > REVIEW_OVERDUE})
        return {"rows": rows, "overdue_count": sum(1 for r in rows if r["overdue"]),
                "overdue_days": REVIEW_OVERDUE.days}


@dataclass
class SiteSummary:
    website: Any
    columns: list
    staff: list
    recent: list
    run: Any


class SiteAdminPanel(Component):
    """本站概况: a site administrator's site at a glance."""

    name = "govsite_site_admin"
    order = 35
    template_name = "adminui/workbench/site_admin.html"

    def __init__(self, user: Any, websites: list) -> None:
        self.user = user
        self.websites = websites

    def get_context_data(self, parent_context: dict | None = None) -> dict:
        from govsite.content.models import ArticlePage, ColumnPage
        from govsite.monitoring.models import ScanRun

        sites = []
        for website in self.websites:
            home = website.wagtail_site.root_page
            columns = [{"column": c, "latest": c.latest_published_at()}
                       for c in ColumnPage.objects.child_of(home).order_by("path")]
            staff = [(a.user, a.role.name) for a in RoleAssignment.objects.filter(
                website=website, role__in=(Role.SITE_ADMIN, Role.EDITOR, Role.REVIEWER)).select_related("user", "role")
                .order_by("role", "user__username")]
            recent = list(ArticlePage.objects.descendant_of(home).live().order_by("-last_published_at")[:5])
            run = ScanRun.objects.filter(website=website).order_by("-started_at", "-id").first()
            sites.append(SiteSummary(website, columns, staff, recent, run))
        return {"sites": sites}


class SupervisorPanel(Component):
    """监测概况: the latest monitoring of every site below the supervisor, and what is overdue."""

    name = "govsite_supervisor"
    order = 30
    template_name = "adminui/workbench/supervisor.html"

    def __init__(self, user: Any) -> None:
        self.user = user

    def get_context_data(self, parent_context: dict | None = None) -> dict:
        from govsite.monitoring.models import RunStatus, Verdict
        from govsite.monitoring.services import SCANNED_STATUSES, latest_runs

        # The sites the monitor watches (运行, 整改中), as the monitoring dashboard counts them: a site still
        # 筹建 has nothing to scan and is not "never scanned".
        websites = websites_visible_to(self.user).filter(status__in=SCANNED_STATUSES)
        runs = {run.website_id: run for run in latest_runs(self.user) if run.website_id}
        now = timezone.now()
        failing, never, stale, passing = [], [], [], 0
        for website in websites.order_by("site_code"):
            run = runs.get(website.pk)
            if run is None:
                never.append(website)
                continue
            if now - run.started_at > SCAN_OVERDUE:
                stale.append((website, run))
            if run.status == RunStatus.DONE and run.verdict == Verdict.WOULD_FAIL:
                failing.append((website, run))
            elif run.status == RunStatus.DONE:
                passing += 1
        return {
            "site_count": websites.count(), "scanned": len(runs), "passing": passing,
            "failing": failing[:LIST_LIMIT], "failing_count": len(failing),
            "never": never[:LIST_LIMIT], "never_count": len(never),
            "stale": stale[:LIST_LIMIT], "stale_count": len(stale), "stale_days": SCAN_OVERDUE.days,
        }


class DisclosurePanel(Component):
    """主动公开时限 and 信息报送: catalogue items due soon or overdue in the user's scope, submissions to decide."""

    name = "govsite_disclosure"
    order = 45
    template_name = "adminui/workbench/disclosure.html"

    def __init__(self, user: Any, rows: list, inbox_count: int) -> None:
        self.user, self.rows, self.inbox_count = user, rows, inbox_count

    def get_context_data(self, parent_context: dict | None = None) -> dict:
        return {"rows": self.rows[:LIST_LIMIT], "row_count": len(self.rows), "inbox_count": self.inbox_count}


def _disclosure_panel(user: Any) -> DisclosurePanel | None:
    from govsite.content.disclosure import ClockStatus, attention_rows
    from govsite.library.access import inbox
    from govsite.library.models import SubmissionStatus

    rows = [row for row in attention_rows(user) if row.status in (ClockStatus.OVERDUE, ClockStatus.DUE_SOON)]
    inbox_count = inbox(user).filter(status=SubmissionStatus.PENDING).count()
    return DisclosurePanel(user, rows, inbox_count) if rows or inbox_count else None


class TicketsPanel(Component):
    """整改工单: open rectification tickets the user may see (their own site's, or their subtree's), soonest first."""

    name = "govsite_tickets"
    order = 25
    template_name = "adminui/workbench/tickets.html"

    def __init__(self, tickets: list, open_count: int, overdue_count: int, today: Any) -> None:
        self.tickets, self.open_count, self.overdue_count, self.today = tickets, open_count, overdue_count, today

    def get_context_data(self, parent_context: dict | None = None) -> dict:
        return {"tickets": self.tickets, "open_count": self.open_count, "overdue_count": self.overdue_count,
                "today": self.today}


def _tickets_panel(user: Any) -> TicketsPanel | None:
    from govsite.supervision.tickets import OPEN_STATES, visible_tickets

    today = timezone.localdate()
    open_tickets = visible_tickets(user, today=today).filter(state__in=OPEN_STATES)
    count = open_tickets.count()
    if not count:
        return None
    overdue = open_tickets.filter(deadline__lt=today).count()
    return TicketsPanel(list(open_tickets.order_by("deadline", "pk")[:LIST_LIMIT]), count, overdue, today)


def panels_for(request: HttpRequest) -> list[Component]:
    """The 工作台 panels of the requesting user's roles."""
    user = request.user
    panels: list[Component] = []
    if is_supervisor(user):
        panels.append(SupervisorPanel(user))
    staffed = list(websites_staffed_by(user).filter(wagtail_site__isnull=False).select_related("wagtail_site"))
    if staffed and not user.is_superuser and not is_supervisor(user):
        panels.append(SiteAdminPanel(user, staffed))
    roles = role_codes(user)
    if user.is_superuser or roles & {Role.REVIEWER, Role.SITE_ADMIN, Role.SECRECY_REVIEWER}:
        panels.append(ReviewerPanel(user))
    if roles & {Role.EDITOR, Role.REVIEWER, Role.SITE_ADMIN}:
        panels.append(EditorPanel(user))
    disclosure = _disclosure_panel(user)
    if disclosure is not None:
        panels.append(disclosure)
    tickets = _tickets_panel(user)
    if tickets is not None:
        panels.append(tickets)
    return panels

