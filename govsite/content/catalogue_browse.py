"""政府信息公开目录: browsing a 政府信息公开 column's catalogue by 主题分类, 发布机构, 年份 and 体裁 (§4.2, §9 item 26):
facets with counts, a list with 索引号/标题/发布机构/成文日期/发布日期 and each item's attachments to download.

Served at `<column>/mulu/` (a route of `ColumnPage`); query parameters `topic`, `organ`, `year`, `genre`, `page`.
Unknown values are ignored, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.http import urlencode

from .catalogue import GENRE_LABELS, TOPIC_LABELS

if TYPE_CHECKING:
    from .models import ArticlePage, ColumnPage

PAGE_SIZE = 20
FACETS = ("topic", "organ", "year", "genre")


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    url: str
    selected: bool


def _chosen(request: HttpRequest) -> dict[str, str]:
    chosen = {}
    topic = request.GET.get("topic", "")
    if topic in TOPIC_LABELS:
        chosen["topic"] = topic
    genre = request.GET.get("genre", "")
    if genre in GENRE_LABELS:
        chosen["genre"] = genre
    organ = request.GET.get("organ", "").strip()
    if organ and len(organ) <= 100 and organ.isprintable():
        chosen["organ"] = organ
    year = request.GET.get("year", "")
    if year.isascii() and year.isdigit() and 1949 <= int(year) <= 2200:
        chosen["year"] = year
    return chosen


def _filter(items: QuerySet, chosen: dict[str, str]) -> QuerySet:
    lookups = {"topic": "topic", "genre": "genre", "organ": "issuing_organ", "year": "pub_year"}
    return items.filter(**{lookups[key]: (int(value) if key == "year" else value) for key, value in chosen.items()})


def catalogue_items(column: ColumnPage) -> QuerySet[ArticlePage]:
    """The column's public items (sub-columns included), with their publication year."""
    # By name: content.models serves this module's route, so it is not imported here.
    article_model = apps.get_model("content", "ArticlePage")
    return (article_model.objects.filter(path__startswith=column.path, depth__gt=column.depth).live().public()
            .annotate(pub_year=ExtractYear("published_at")))


def _facet(items: QuerySet, key: str, chosen: dict[str, str]) -> list[FacetValue]:
    field = {"topic": "topic", "genre": "genre", "organ": "issuing_organ", "year": "pub_year"}[key]
    # Counts within the other chosen facets, so each count says what choosing it would show.
    others = {k: v for k, v in chosen.items() if k != key}
    rows = _filter(items, others).exclude(**{field: ""} if key != "year" else {}).values(field).annotate(
        n=Count("pk")).order_by(f"-{field}" if key == "year" else field)
    labels = {"topic": TOPIC_LABELS, "genre": GENRE_LABELS}.get(key, {})
    facet = []
    for row in rows:
        value = str(row[field])
        query = {**others, key: value}
        facet.append(FacetValue(value, labels.get(value, value), row["n"], "?" + urlencode(query),
                                chosen.get(key) == value))
    return facet


def _attachments(item: ArticlePage) -> list[dict[str, Any]]:
    found = []
    for block in getattr(item.body, "__iter__", lambda: iter(()))():
        if getattr(block, "block_type", "") == "attachment" and block.value.get("document"):
            document = block.value["document"]
            found.append({"title": block.value.get("title") or document.title, "url": document.url,
                          "kind": (document.file_extension or "").upper()})
    return found


def serve_catalogue(column: ColumnPage, request: HttpRequest) -> TemplateResponse:
    items = catalogue_items(column)
    chosen = _chosen(request)
    facets = {key: _facet(items, key, chosen) for key in FACETS}
    listing = _filter(items, chosen).order_by("-published_at", "-pk")
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"item": item, "attachments": _attachments(item)} for item in page.object_list]
    context = column.get_context(request)
    context.update({"page": column, "facets": facets, "rows": rows, "results": page, "chosen": chosen,
                    "topic_labels": TOPIC_LABELS, "genre_labels": GENRE_LABELS})
    return TemplateResponse(request, "content/catalogue_browse.html", context)
