"""采用 (placements): what a receiving column shows of other sites' items, and where on its own site.

Read by `content.models.ColumnPage` (listing and the placement route); imports no content module, so the
dependency stays one-way (library → content for services and views; content → this module only).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse

from .models import Submission, SubmissionStatus

PLACEMENT_ROUTE = "placement"


def placed_item_ids(column: Any) -> QuerySet:
    """The ids of items placed (accepted) into this column, as a subquery."""
    return Submission.objects.filter(target_column_id=column.pk, status=SubmissionStatus.ACCEPTED).values("item_id")


def mark_placed(column: Any, items: list) -> list:
    """Give each item placed into `column` (not one of its own descendants) the address it has on the column's
    site (`placement_url`), so a listing links there rather than to the source site."""
    foreign = [item for item in items if not item.path.startswith(column.path)]
    if not foreign:
        return items
    by_item = dict(Submission.objects.filter(
        target_column_id=column.pk, status=SubmissionStatus.ACCEPTED, item_id__in=[i.pk for i in foreign],
    ).values_list("item_id", "pk"))
    for item in foreign:
        if item.pk in by_item:
            item.placement_url = placement_url(column, by_item[item.pk])
    return items


def placement_url(column: Any, submission_id: int) -> str:
    return column.url + column.reverse_subpage(PLACEMENT_ROUTE, args=[submission_id])


def serve_placement(column: Any, request: HttpRequest, submission_id: int) -> TemplateResponse:
    """The placed item on the receiving site: rendered from the original, with its source (来源：XX网站).

    404 unless the submission is accepted into this very column and the original is live and public."""
    submission = (Submission.objects.filter(pk=submission_id, target_column_id=column.pk,
                                            status=SubmissionStatus.ACCEPTED)
                  .select_related("source_website").first())
    if submission is None:
        raise Http404("信息不存在。")
    from wagtail.models import Page

    original = Page.objects.filter(pk=submission.item_id).live().public().first()
    if original is None:
        raise Http404("信息不存在。")
    item = original.specific
    context = column.get_context(request)
    context.update({"page": column, "item": item, "submission": submission,
                    "source_website": submission.source_website, "canonical_url": item.full_url})
    return TemplateResponse(request, "library/placed_item.html", context)
