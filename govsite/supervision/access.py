"""Who may see and do what in 监管 (一级管一级), on `core.access` and `registry.access`. Invisible objects answer 404.

- Campaigns (抽查), their sites, findings and notices: supervisors of the organising unit's subtree (the unit
  that ran it and every level above it), platform admins. A supervisor below the organiser does not see the
  campaign; its units see their tickets.
- Tickets (整改): whoever may read the site (its own staff, its supervisors, an evaluator assigned to it), and
  the unit a ticket was escalated to. Answering: the site's 网站管理员 (or a platform admin). Accepting a reason,
  约谈/问责: a supervisor of the site.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from govsite.core.access import SYSTEM, is_platform_admin, is_system, site_roles, subtree_q, supervised_units
from govsite.core.models import Role, Unit
from govsite.registry.access import websites_supervised_by, websites_visible_to

from .models import Campaign, CampaignFinding, CampaignSite, Notice, Ticket

if TYPE_CHECKING:
    from govsite.core.access import AnyUser
    from govsite.registry.models import Website


def campaigns_visible_to(user: AnyUser) -> QuerySet[Campaign]:
    """Campaigns organised by a unit in the user's supervised subtrees (all for platform admins and SYSTEM)."""
    if is_system(user) or is_platform_admin(user):
        return Campaign.objects.all()
    units = supervised_units(user)
    return Campaign.objects.filter(subtree_q(units, "unit")) if units else Campaign.objects.none()


def access_campaign(user: AnyUser, pk: int | str) -> Campaign:
    try:
        return campaigns_visible_to(user).get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404("抽查活动不存在或无权访问。") from None


def access_campaign_site(user: AnyUser, pk: int | str) -> CampaignSite:
    try:
        return CampaignSite.objects.select_related("campaign", "website").get(
            pk=pk, campaign__in=campaigns_visible_to(user))
    except (CampaignSite.DoesNotExist, ValueError, TypeError):
        raise Http404("抽查网站不存在或无权访问。") from None


def access_campaign_finding(user: AnyUser, pk: int | str) -> CampaignFinding:
    try:
        return CampaignFinding.objects.select_related("site__campaign", "site__website").get(
            pk=pk, site__campaign__in=campaigns_visible_to(user))
    except (CampaignFinding.DoesNotExist, ValueError, TypeError):
        raise Http404("问题不存在或无权访问。") from None


def access_notice(user: AnyUser, pk: int | str) -> Notice:
    try:
        return Notice.objects.select_related("campaign").get(pk=pk, campaign__in=campaigns_visible_to(user))
    except (Notice.DoesNotExist, ValueError, TypeError):
        raise Http404("通报不存在或无权访问。") from None


def units_may_organise(user: AnyUser) -> QuerySet[Unit]:
    """Units a user may organise a campaign for: their supervised units (every government, for platform admins)."""
    if is_system(user) or is_platform_admin(user):
        return Unit.objects.filter(kind=Unit.Kind.GOVERNMENT)
    return Unit.objects.filter(pk__in=[u.pk for u in supervised_units(user)])


def may_run_campaigns(user: AnyUser) -> bool:
    return is_system(user) or is_platform_admin(user) or bool(supervised_units(user))


def tickets_visible_to(user: AnyUser) -> QuerySet[Ticket]:
    """Tickets of sites the user may read, and tickets escalated to a unit the user supervises."""
    if is_system(user) or is_platform_admin(user):
        return Ticket.objects.all()
    units = supervised_units(user)
    escalated = subtree_q(units, "escalated_to") if units else Q(pk__in=[])
    return Ticket.objects.filter(Q(website__in=websites_visible_to(user)) | escalated).distinct()


def access_ticket(user: AnyUser, pk: int | str) -> Ticket:
    try:
        return tickets_visible_to(user).select_related("website", "unit").get(pk=pk)
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise Http404("整改工单不存在或无权访问。") from None


def may_answer_ticket(user: AnyUser, ticket: Ticket) -> bool:
    """整改情况 is filled in by the site's 网站管理员 (or a platform admin)."""
    return is_platform_admin(user) or Role.SITE_ADMIN in site_roles(user, ticket.website)


def may_supervise_ticket(user: AnyUser, ticket: Ticket) -> bool:
    """Accepting a reason, 约谈 and 问责: a supervisor of the site (the system for automatic steps)."""
    return user is SYSTEM or websites_supervised_by(user).filter(pk=ticket.website_id).exists()


def require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def sites_in_scope(user: AnyUser) -> QuerySet[Website]:
    """Registry entries a supervisor may sample (their subtree)."""
    return websites_supervised_by(user)
