"""整改: rectification tickets to closure.

A failing site of a campaign (SITE ticket) and each confirmed finding (FINDING ticket) go to the site's unit
with a deadline in working days (`core.workdays.add_workdays`). The site's 网站管理员 answers what was done,
with evidence (state 待复核), which queues a forced re-scan. Every finished, complete monitor run re-checks
the site's open tickets (`recheck_after_scan`, called by `signals.after_run`): a FINDING ticket closes when
the run no longer reports its code at its place, a SITE ticket when the run's findings score 合格. A
supervisor of the site may instead close a ticket by accepting a written reason, and records 约谈/问责.
Tickets past their deadline are escalated (督办) to the next level up once (`escalate_overdue`, daily task).
The registry status follows: a site with an open SITE ticket is 整改, and goes back to 运行 when none is left.

Every service takes `by=` (a user or `core.access.SYSTEM`), checks scope through `access.py` and writes the
audit log.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from govsite.core.access import SYSTEM, is_platform_admin, is_system, require_actor
from govsite.core.findings import finding_label
from govsite.core.models import Unit
from govsite.core.services import record_audit
from govsite.core.validators import check_text
from govsite.core.workdays import add_workdays, workdays_between
from govsite.registry.access import access_website, websites_supervised_by
from govsite.registry.models import Website, WebsiteStatus

from .access import (
    access_campaign,
    access_ticket,
    may_answer_ticket,
    may_supervise_ticket,
    tickets_visible_to,
)
from .models import (
    ActionKind,
    Campaign,
    CampaignFinding,
    FindingState,
    Ticket,
    TicketAction,
    TicketAnswer,
    TicketKind,
    TicketState,
)
from .uploads import file_problem

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from govsite.core.access import AnyUser
    from govsite.monitoring.models import ScanRun

log = logging.getLogger(__name__)

OPEN_STATES = (TicketState.OPEN, TicketState.ANSWERED)
MAX_TEXT = 5000
MAX_WORKDAYS = 120
EXCERPT_CHARS = 500

# Audit events written here.
ISSUED = "supervision.ticket.issue"
ANSWERED = "supervision.ticket.answer"
CLOSED = "supervision.ticket.close"
RECHECK_FAILED = "supervision.ticket.recheck_failed"
ESCALATED = "supervision.ticket.escalate"
ACTION = "supervision.ticket.action"

# -- small helpers --------------------------------------------------------------------------------------------


def _person(by: AnyUser) -> Any:
    """The user to store in a `…_by` column (None for the system)."""
    return by if getattr(by, "is_authenticated", False) else None


def place_of(finding: Any) -> str:
    """Where a finding is, as a ticket names it: its link target (a dead link is itself, wherever it is listed),
    else its column, else its page URL. The re-scan looks for the same code at the same place."""
    return (finding.target or finding.column or finding.url or "").strip()


def _text(errors: dict[str, list[str]], field: str, value: Any, label: str, *, required: bool = True,
          limit: int = MAX_TEXT, multiline: bool = True) -> str:
    value = value.strip() if isinstance(value, str) else ""
    if required and not value:
        errors.setdefault(field, []).append(_("请填写%(label)s。") % {"label": label})
    elif len(value) > limit:
        errors.setdefault(field, []).append(
            _("%(label)s不能超过 %(limit)d 个字。") % {"label": label, "limit": limit})
    else:
        message = check_text(value, multiline=multiline)
        if message:
            errors.setdefault(field, []).append(f"{label}{message}")
    return value


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update(of=("self",)).select_related("website", "unit").get(pk=ticket.pk)


def _require_open(ticket: Ticket) -> None:
    if not ticket.is_open:
        raise ValidationError(_("该整改工单已办结。"))


# -- the registry status follows the tickets --------------------------------------------------------------------


def _enter_rectifying(website: Website, ticket: Ticket) -> None:
    """A running site with an open SITE ticket goes to 整改 (never raises: a refusal is logged)."""
    from govsite.registry.services import do_change_status

    website.refresh_from_db(fields=["status"])
    if website.status != WebsiteStatus.RUNNING:
        return
    try:
        with transaction.atomic():
            do_change_status(website, WebsiteStatus.RECTIFYING, by=SYSTEM,
                             reason=_("整改工单 #%(id)s：%(title)s") % {"id": ticket.pk, "title": ticket.title})
    except (ValidationError, PermissionDenied, Http404) as exc:
        log.warning("网站 %s 未能转为整改：%s", website.site_code, exc)


def _leave_rectifying(website: Website, why: str) -> None:
    """A site in 整改 with no open SITE ticket left goes back to 运行; if the registry refuses (运行 needs a
    passed 安全检测), it stays 整改 and the refusal is logged."""
    from govsite.registry.services import do_change_status

    website.refresh_from_db(fields=["status"])
    if website.status != WebsiteStatus.RECTIFYING:
        return
    if Ticket.objects.filter(website=website, kind=TicketKind.SITE, state__in=OPEN_STATES).exists():
        return
    try:
        with transaction.atomic():
            do_change_status(website, WebsiteStatus.RUNNING, by=SYSTEM, reason=why)
    except (ValidationError, PermissionDenied, Http404) as exc:
        log.warning("网站 %s 整改工单均已办结，但未能恢复运行：%s", website.site_code, exc)


# -- issuing --------------------------------------------------------------------------------------------------


def _site_description(campaign: Campaign, entry: Any) -> str:
    names = {item.get("code"): item.get("name") for item in _indicators(campaign.indicator_set.definition)}
    parts = [_("该网站在“%(campaign)s”中经检查不合格。") % {"campaign": campaign.name}]
    if entry.vetoes:
        vetoes = "、".join(str(names.get(code) or code) for code in entry.vetoes)
        parts.append(_("单项否决指标：%(vetoes)s。") % {"vetoes": vetoes})
    elif entry.score is not None:
        parts.append(_("得分：%(score)s。") % {"score": entry.score})
    parts.append(_("请在整改期限内完成整改并填报整改情况；复查合格后自动办结。"))
    return "".join(parts)


def _indicators(definition: Any) -> list[dict[str, Any]]:
    """Every indicator dict of a set's definition, at any depth (for their names)."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "code" in node and "name" in node:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(definition)
    return found


def _finding_title(website: Website, finding: CampaignFinding) -> str:
    """“网站：问题（栏目）”, so two tickets of one kind on one site read apart; a link or page by its address."""
    where = place_of(finding)
    title = _("%(site)s：%(problem)s") % {"site": website.name, "problem": finding_label(finding.code)}
    return f"{title}（{where}）" if where and where != website.homepage_url else title


def _finding_description(finding: CampaignFinding) -> str:
    text = finding.detail.strip()
    excerpt = (finding.excerpt or "").strip()
    if excerpt:
        if len(excerpt) > EXCERPT_CHARS:
            excerpt = excerpt[:EXCERPT_CHARS] + "…"
        text += "\n" + _("证据摘录：%(excerpt)s") % {"excerpt": excerpt}
    if finding.url:
        text += "\n" + _("页面地址：%(url)s") % {"url": finding.url}
    return text


def do_issue_tickets(campaign: Campaign, *, by: AnyUser, today: datetime.date | None = None,
                     request: HttpRequest | None = None) -> list[Ticket]:
    """Turn a campaign's failing sites and confirmed findings into tickets; the tickets created.

    Idempotent: a site already holding this campaign's SITE ticket, or a finding already holding its ticket,
    gets no second one. The deadline is `campaign.rectify_workdays` working days after `today`.
    """
    require_actor(by)
    campaign = access_campaign(by, campaign.pk)
    today = today or timezone.localdate()
    deadline = add_workdays(today, campaign.rectify_workdays)
    created: list[Ticket] = []
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()  # one issuer at a time
        failing = campaign.sites.filter(verdict="fail").select_related("website__owner_unit")
        has_site_ticket = set(Ticket.objects.filter(campaign=campaign, kind=TicketKind.SITE)
                              .values_list("website_id", flat=True))
        for entry in failing:
            website = entry.website
            if website.pk in has_site_ticket:
                continue
            ticket = Ticket.objects.create(
                kind=TicketKind.SITE, website=website, unit=website.owner_unit, campaign=campaign,
                place=website.homepage_url, title=_("%(site)s抽查不合格整改") % {"site": website.name},
                description=_site_description(campaign, entry), deadline=deadline, created_by=_person(by),
            )
            created.append(ticket)
        findings = (CampaignFinding.objects.filter(site__campaign=campaign, state=FindingState.CONFIRMED)
                    .exclude(tickets__isnull=False).select_related("site__website__owner_unit"))
        for finding in findings:
            website = finding.site.website
            ticket = Ticket.objects.create(
                kind=TicketKind.FINDING, website=website, unit=website.owner_unit, campaign=campaign,
                finding=finding, code=finding.code, place=place_of(finding),
                title=_finding_title(website, finding)[:300],
                description=_finding_description(finding), deadline=deadline, created_by=_person(by),
            )
            created.append(ticket)
        for ticket in created:
            record_audit(by, ISSUED, ticket, request=request, campaign=campaign.pk, website=ticket.website_id,
                         kind=ticket.kind, code=ticket.code, deadline=ticket.deadline.isoformat())
        for ticket in created:
            if ticket.kind == TicketKind.SITE:
                _enter_rectifying(ticket.website, ticket)
    return created


def do_open_ticket(website: Website, *, by: AnyUser, title: str, description: str, workdays: int,
                   code: str = "", place: str = "", today: datetime.date | None = None,
                   request: HttpRequest | None = None) -> Ticket:
    """A supervisor's own ticket outside a campaign. With a finding `code` it is a FINDING ticket (closed when a
    re-scan no longer finds the code at `place`, anywhere on the site when `place` is empty); without, a
    SITE ticket (closed when a re-scan scores 合格; the site goes to 整改)."""
    require_actor(by)
    if not is_system(by):
        website = access_website(by, pk=website.pk)
        if not websites_supervised_by(by).filter(pk=website.pk).exists():
            raise PermissionDenied(_("只有该网站的监管人员可以下发整改工单。"))
    errors: dict[str, list[str]] = {}
    title = _text(errors, "title", title, _("标题"), limit=300, multiline=False)
    description = _text(errors, "description", description, _("整改要求"))
    code = _text(errors, "code", code, _("问题类型"), required=False, limit=64, multiline=False)
    place = _text(errors, "place", place, _("问题位置"), required=False, limit=2000, multiline=False)
    try:
        workdays = int(workdays)
    except (TypeError, ValueError):
        workdays = 0
    if not 1 <= workdays <= MAX_WORKDAYS:
        errors.setdefault("workdays", []).append(
            _("整改期限须为 1 至 %(max)d 个工作日。") % {"max": MAX_WORKDAYS})
    if errors:
        raise ValidationError(errors)
    today = today or timezone.localdate()
    with transaction.atomic():
        ticket = Ticket.objects.create(
            kind=TicketKind.FINDING if code else TicketKind.SITE, website=website, unit=website.owner_unit,
            code=code, place=place or ("" if code else website.homepage_url), title=title,
            description=description, deadline=add_workdays(today, workdays), created_by=_person(by),
        )
        record_audit(by, ISSUED, ticket, request=request, website=website.pk, kind=ticket.kind, code=code,
                     deadline=ticket.deadline.isoformat())
        if ticket.kind == TicketKind.SITE:
            _enter_rectifying(website, ticket)
    return ticket


# -- answering ------------------------------------------------------------------------------------------------


def do_answer_ticket(ticket: Ticket, *, by: AnyUser, text: str, evidence: UploadedFile | None = None,
                     request: HttpRequest | None = None) -> TicketAnswer:
    """整改情况 by the site's 网站管理员: what was done, with optional evidence; the ticket waits for 复核 and a
    forced re-scan of the site is queued (by the system, after commit)."""
    from govsite.monitoring.services import SCANNED_STATUSES, do_request_scan

    require_actor(by)
    ticket = access_ticket(by, ticket.pk)
    if not may_answer_ticket(by, ticket):
        raise PermissionDenied(_("只有该网站的网站管理员可以填报整改情况。"))
    _require_open(ticket)
    errors: dict[str, list[str]] = {}
    text = _text(errors, "text", text, _("整改情况"))
    problem = file_problem(evidence)
    if problem:
        errors.setdefault("evidence", []).append(problem)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ticket = _locked(ticket)
        _require_open(ticket)
        answer = TicketAnswer(ticket=ticket, text=text, answered_by=_person(by))
        if evidence is not None:
            answer.evidence.save(evidence.name, evidence, save=False)
        answer.save()
        ticket.state = TicketState.ANSWERED
        ticket.save(update_fields=["state"])
        record_audit(by, ANSWERED, ticket, request=request, answer=answer.pk, evidence=bool(answer.evidence))
        if ticket.website.status in SCANNED_STATUSES:
            do_request_scan(SYSTEM, [ticket.website])  # 复查: audited as the system, queued after commit
    return answer


# -- closing --------------------------------------------------------------------------------------------------


def _still_found(ticket: Ticket, findings: list[Any]) -> bool:
    """Whether a run's findings still report a FINDING ticket's problem (same code, same place)."""
    for finding in findings:
        code = getattr(finding, "check_name", None) or getattr(finding, "code", "")
        if code != ticket.code:
            continue
        if not ticket.place:
            return True
        places = {(finding.column or "").strip(), (finding.target or "").strip(), (finding.url or "").strip()}
        if ticket.place in places or place_of(finding) == ticket.place:
            return True
    return False


def _site_passes(ticket: Ticket, findings: list[Any], website: Website) -> bool:
    from .predictions import score_findings
    from .scoring import PASS

    definition = ticket.campaign.indicator_set.definition if ticket.campaign_id else None
    return score_findings(findings, website, definition).verdict == PASS


def _recheck_failed(ticket: Ticket, run: ScanRun) -> None:
    """A run still finds the ticket's problem: recorded as its latest check (shown to the unit); an answered
    ticket whose answer came before that run goes back to 待整改."""
    ticket.last_check_run = run
    ticket.save(update_fields=["last_check_run"])
    if ticket.state != TicketState.ANSWERED:
        return
    last = ticket.answers.order_by("-answered_at").values_list("answered_at", flat=True).first()
    if last is None or last >= run.started_at:
        return
    ticket.state = TicketState.OPEN
    ticket.save(update_fields=["state"])
    record_audit(SYSTEM, RECHECK_FAILED, ticket, run=run.pk, website=ticket.website_id)


def recheck_after_scan(run: ScanRun) -> int:
    """Close the site's open tickets whose problem the finished run no longer finds; the number closed.

    Only a complete, finished run counts, and only for tickets issued before it started. An answered ticket
    the run (started after the answer) still finds goes back to 待整改 (复查未通过)."""
    from govsite.monitoring.models import RunStatus

    if run.status != RunStatus.DONE or not run.complete:
        return 0
    website = run.website
    closed = 0
    with transaction.atomic():
        tickets = list(Ticket.objects.select_for_update(of=("self",))
                       .filter(website=website, state__in=OPEN_STATES, created_at__lt=run.started_at)
                       .select_related("campaign__indicator_set"))
        if not tickets:
            return 0
        findings = list(run.findings.all())
        now = timezone.now()
        for ticket in tickets:
            if ticket.kind == TicketKind.FINDING:
                gone = not _still_found(ticket, findings)
            else:
                gone = _site_passes(ticket, findings, website)
            if not gone:
                _recheck_failed(ticket, run)
                continue
            ticket.state = TicketState.CLOSED
            ticket.closed_at = now
            ticket.closed_by = None
            ticket.close_run = run
            ticket.close_reason = _("复查未发现该问题（监测记录 #%(id)s）") % {"id": run.pk}
            ticket.save(update_fields=["state", "closed_at", "closed_by", "close_run", "close_reason"])
            record_audit(SYSTEM, CLOSED, ticket, how="rescan", run=run.pk, website=website.pk)
            closed += 1
        if closed:
            _leave_rectifying(website, _("整改工单已经复查办结（监测记录 #%(id)s）") % {"id": run.pk})
    return closed


def do_accept_reason(ticket: Ticket, *, by: AnyUser, reason: str, request: HttpRequest | None = None) -> Ticket:
    """采纳说明并办结: a supervisor of the site closes the ticket on a written reason."""
    require_actor(by)
    ticket = access_ticket(by, ticket.pk) if not is_system(by) else ticket
    if not may_supervise_ticket(by, ticket):
        raise PermissionDenied(_("只有该网站的监管人员可以采纳说明并办结。"))
    _require_open(ticket)
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, _("办结说明"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ticket = _locked(ticket)
        _require_open(ticket)
        ticket.state = TicketState.CLOSED
        ticket.closed_at = timezone.now()
        ticket.closed_by = _person(by)
        ticket.close_reason = reason
        ticket.save(update_fields=["state", "closed_at", "closed_by", "close_reason"])
        record_audit(by, CLOSED, ticket, request=request, how="reason", website=ticket.website_id)
        _leave_rectifying(ticket.website, _("整改工单 #%(id)s 已采纳说明办结") % {"id": ticket.pk})
    return ticket


# -- 约谈 / 问责 ----------------------------------------------------------------------------------------------


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def do_record_action(ticket: Ticket, *, by: AnyUser, kind: str, persons: str, held_on: Any, outcome: str,
                     document: UploadedFile | None = None, request: HttpRequest | None = None) -> TicketAction:
    """约谈/问责记录 (who, when, outcome, document) on a ticket, by a supervisor of the site."""
    require_actor(by)
    ticket = access_ticket(by, ticket.pk) if not is_system(by) else ticket
    if not may_supervise_ticket(by, ticket):
        raise PermissionDenied(_("只有该网站的监管人员可以记录约谈或问责。"))
    errors: dict[str, list[str]] = {}
    if kind not in ActionKind.values:
        errors.setdefault("kind", []).append(_("请选择约谈或问责。"))
    persons = _text(errors, "persons", persons, _("对象"), limit=300, multiline=False)
    outcome = _text(errors, "outcome", outcome, _("结果"))
    day = _as_date(held_on)
    if day is None:
        errors.setdefault("held_on", []).append(_("请填写正确的日期（年-月-日）。"))
    elif day > timezone.localdate():
        errors.setdefault("held_on", []).append(_("日期不能晚于今天。"))
    problem = file_problem(document)
    if problem:
        errors.setdefault("document", []).append(problem)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = TicketAction(ticket=ticket, kind=kind, persons=persons, held_on=day, outcome=outcome,
                              recorded_by=_person(by))
        if document is not None:
            action.document.save(document.name, document, save=False)
        action.save()
        record_audit(by, ACTION, ticket, request=request, action=action.pk, kind=kind,
                     held_on=day.isoformat(), document=bool(action.document))
    return action


# -- escalation -----------------------------------------------------------------------------------------------


def escalation_unit(website: Website) -> Unit:
    """督办单位: the level above the site's supervising unit (itself at the top)."""
    unit = website.supervising_unit
    return unit.parent if unit.parent_id else unit


def escalate_overdue(today: datetime.date | None = None, *, by: AnyUser = SYSTEM) -> int:
    """督办: every open ticket past its deadline and not yet escalated goes to the next level up; how many."""
    require_actor(by)
    today = today or timezone.localdate()
    tickets = Ticket.objects.filter(state__in=OPEN_STATES, deadline__lt=today, escalated_at__isnull=True)
    if not is_system(by) and not is_platform_admin(by):
        tickets = tickets.filter(website__in=websites_supervised_by(by))
    count = 0
    with transaction.atomic():
        for ticket in tickets.select_for_update(of=("self",)).select_related("website__supervising_unit__parent"):
            ticket.escalated_to = escalation_unit(ticket.website)
            ticket.escalated_at = timezone.now()
            ticket.save(update_fields=["escalated_to", "escalated_at"])
            record_audit(by, ESCALATED, ticket, to_unit=ticket.escalated_to_id, deadline=ticket.deadline.isoformat(),
                         website=ticket.website_id)
            count += 1
    return count


# -- selectors ------------------------------------------------------------------------------------------------


def visible_tickets(user: AnyUser, state: str | None = None, overdue: bool | None = None,
                    escalated: bool | None = None, today: datetime.date | None = None) -> QuerySet[Ticket]:
    """The tickets a user may see, filtered by state, 逾期 (open and past the deadline) and 督办."""
    today = today or timezone.localdate()
    tickets = tickets_visible_to(user).select_related("website", "unit", "escalated_to", "campaign")
    if state:
        tickets = tickets.filter(state=state)
    if overdue is True:
        tickets = tickets.filter(state__in=OPEN_STATES, deadline__lt=today)
    elif overdue is False:
        tickets = tickets.exclude(state__in=OPEN_STATES, deadline__lt=today)
    if escalated is True:
        tickets = tickets.filter(escalated_at__isnull=False)
    elif escalated is False:
        tickets = tickets.filter(escalated_at__isnull=True)
    return tickets


def overdue_tickets(user: AnyUser, today: datetime.date | None = None) -> QuerySet[Ticket]:
    return visible_tickets(user, overdue=True, today=today)


def overdue_workdays(ticket: Ticket, today: datetime.date | None = None) -> int:
    """Working days past the deadline (0 when not overdue; at least 1 once the deadline has passed)."""
    today = today or timezone.localdate()
    if not ticket.is_overdue(today):
        return 0
    return max(1, workdays_between(ticket.deadline, today))


AGE_BUCKETS = (
    ("not_due", "未到期"),
    ("late_1_5", "逾期 1–5 个工作日"),
    ("late_6_15", "逾期 6–15 个工作日"),
    ("late_over_15", "逾期 15 个工作日以上"),
)


@dataclass
class AgeBucket:
    key: str
    label: str
    count: int


def open_tickets_by_age(user: AnyUser, today: datetime.date | None = None) -> list[AgeBucket]:
    """Open tickets by how late they are, in working days (the dashboard's 整改 panel)."""
    today = today or timezone.localdate()
    counts = dict.fromkeys((key for key, _label in AGE_BUCKETS), 0)
    for ticket in visible_tickets(user, today=today).filter(state__in=OPEN_STATES).select_related(None).only("deadline", "state"):
        late = overdue_workdays(ticket, today)
        key = ("not_due" if late == 0 else "late_1_5" if late <= 5 else "late_6_15" if late <= 15
               else "late_over_15")
        counts[key] += 1
    return [AgeBucket(key, _(label), counts[key]) for key, label in AGE_BUCKETS]


@dataclass
class UnitTickets:
    unit: Unit
    open: int
    overdue: int


def worst_units(user: AnyUser, limit: int = 10, today: datetime.date | None = None) -> list[UnitTickets]:
    """Units with the most overdue, then open, tickets among those the user sees."""
    today = today or timezone.localdate()
    ids = visible_tickets(user, today=today).filter(state__in=OPEN_STATES).values("pk")
    rows = (Ticket.objects.filter(pk__in=ids).values("unit")
            .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today)))
            .order_by("-overdue", "-open", "unit")[:limit])
    units = Unit.objects.in_bulk([row["unit"] for row in rows])
    return [UnitTickets(units[row["unit"]], row["open"], row["overdue"]) for row in rows]


def ticket_counts(tickets: Iterable[Ticket]) -> dict[str, int]:
    """How many tickets in each state (for headings)."""
    counts = dict.fromkeys(TicketState.values, 0)
    for ticket in tickets:
        counts[ticket.state] += 1
    return counts
