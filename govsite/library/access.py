"""Who sees which 信息报送: the staff of the sending site (报送箱) and of the receiving site (收件箱), and platform
administrators. Nobody else, supervisors included: a submission is work between two sites' staff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from govsite.content.access import websites_drafted_by
from govsite.registry.models import Website

from .models import Submission

if TYPE_CHECKING:
    from govsite.core.access import AnyUser


def staff_websites(user: AnyUser) -> QuerySet[Website]:
    """The hosted sites this user works on (网站管理员, 编辑, 审核人员; every site for platform admins)."""
    return websites_drafted_by(user)


def submissions_visible_to(user: AnyUser) -> QuerySet[Submission]:
    sites = staff_websites(user).values("pk")
    return Submission.objects.filter(Q(source_website__in=sites) | Q(target_website__in=sites))


def outbox(user: AnyUser) -> QuerySet[Submission]:
    """报送箱: what the user's sites sent."""
    return Submission.objects.filter(source_website__in=staff_websites(user).values("pk"))


def inbox(user: AnyUser) -> QuerySet[Submission]:
    """收件箱: what was sent to the user's sites."""
    return Submission.objects.filter(target_website__in=staff_websites(user).values("pk"))


def access_submission(user: AnyUser, pk: int | str) -> Submission:
    try:
        return submissions_visible_to(user).select_related(
            "source_website", "target_website", "target_column", "item").get(pk=pk)
    except (Submission.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("报送记录不存在或无权访问。") from None


def receiving_websites(source: Website) -> QuerySet[Website]:
    """上级网站: the hosted sites a site may submit to — those whose 主办单位 is an ancestor of its own (a county
    site to its prefecture's and the province's portals, a department site to its government's)."""
    path = source.owner_unit.path
    ancestor_paths = [path[: i + 1] for i, ch in enumerate(path) if ch == "/" and 0 < i < len(path) - 1]
    return Website.objects.filter(wagtail_site__isnull=False, owner_unit__path__in=ancestor_paths).exclude(
        pk=source.pk)
