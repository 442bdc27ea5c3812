"""公众检索: what a public search finds, with its filters, ranking and snippets (views and API share this).

Scope, by construction: only ``ArticlePage`` items (信息, every item type is a subclass) that are live and
public (no view restriction), under the home page of a hosted website whose registry state is public
(运行 or 整改). A hosted site's own search is that site alone; the portal's 统一检索 is every such site, with
an optional site filter. Nothing here reads a session or a user: the public search is the same for all.

Filters (筛选): site, column (栏目: the column's descendants), type (the item's page model), 主题分类 (``topic``,
applied when the item model has that field) and a date range on ``published_at``. A filter on a field the
model does not declare as an ``index.FilterField`` is applied through a primary-key subquery, so Wagtail's
search accepts it; a model that adds ``index.FilterField("topic")`` to its ``search_fields`` (the hook for
主题分类, see ``FILTER_HOOK_FIELDS``) gets the plain filter, which an Elasticsearch/OpenSearch backend needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.search.backends import get_search_backend

from govsite.content.models import ArticlePage
from govsite.core.middleware import localhost_alias_url
from govsite.registry.models import Website, WebsiteStatus

from .backend import COUNT_LIMIT, _field_values
from .segment import query_tokens

# Registry states in which a site is open to the public (筹建, 关停, 下线 and 已整合 sites are not searched).
PUBLIC_STATUSES = (WebsiteStatus.RUNNING, WebsiteStatus.RECTIFYING)
# Fields the search filters on besides Page's own; a model listing them as index.FilterField is filtered
# directly (the types app adds ``index.FilterField("topic")`` with the field), otherwise through a subquery.
FILTER_HOOK_FIELDS = ("published_at", "topic")
SNIPPET_CHARS = 120
PAGE_SIZE = 10


@dataclass(frozen=True)
class SiteEntry:
    """A searchable hosted site: its registry code and name, and its page tree."""

    site_code: str
    name: str
    root_path: str
    site_id: int


@dataclass
class SearchFilters:
    """筛选条件 of one search (all optional)."""

    site: SiteEntry | None = None
    column: Page | None = None
    model: type[ArticlePage] | None = None
    topic: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class Hit:
    """One search result as the page and the API show it."""

    title: str
    url: str
    site: str
    site_code: str
    published_at: datetime | None
    snippet: SafeString
    page: ArticlePage = field(repr=False)


def searchable_sites(*, only: Site | None = None) -> list[SiteEntry]:
    """The hosted sites whose pages the public may search (one, when ``only`` is the request's site)."""
    websites = Website.objects.filter(wagtail_site__isnull=False, status__in=PUBLIC_STATUSES)
    if only is not None:
        websites = websites.filter(wagtail_site=only)
    return [
        SiteEntry(w.site_code, w.name, w.wagtail_site.root_page.path, w.wagtail_site_id)
        for w in websites.select_related("wagtail_site__root_page").order_by("site_code")
    ]


def item_models() -> dict[str, type[ArticlePage]]:
    """Item types (信息类型) by model name: ArticlePage and every page model built on it."""
    models: dict[str, type[ArticlePage]] = {}
    pending = [ArticlePage]
    while pending:
        model = pending.pop(0)
        if not model._meta.abstract and not model._meta.proxy:
            models.setdefault(model._meta.model_name, model)
        pending.extend(model.__subclasses__())
    return models


def topic_choices() -> list[tuple[str, str]]:
    """主题分类 choices, if the item model has a ``topic`` field (empty otherwise)."""
    try:
        topic = ArticlePage._meta.get_field("topic")
    except FieldDoesNotExist:
        return []
    return [(str(value), str(label)) for value, label in (topic.flatchoices or [])]


def _filter(queryset: QuerySet, model: type, **lookups: object) -> QuerySet:
    """Apply lookups on fields of ``model``: directly if they are FilterFields, else via the primary key."""
    filterable = {f.field_name for f in model.get_filterable_search_fields()}
    if all(key.split("__")[0] in filterable for key in lookups):
        return queryset.filter(**lookups)
    return queryset.filter(pk__in=model.objects.filter(**lookups).values("pk"))


def _restricted() -> Q:
    """Pages under a view restriction (Wagtail's ``public()``, in two small queries: Wagtail's one join lets
    SQLite scan every page when the restriction table is empty, 10 ms at 100,000 pages)."""
    restricted = Page.objects.filter(pk__in=list(PageViewRestriction.objects.values_list("page_id", flat=True)))
    q = Q(pk__in=[])
    for path in restricted.values_list("path", flat=True):
        q |= Q(path__startswith=path)
    return q


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def candidates(sites: list[SiteEntry], filters: SearchFilters) -> QuerySet[ArticlePage]:
    """Live public items of these sites, narrowed by the filters (before the text query)."""
    if filters.site is not None:
        sites = [s for s in sites if s.site_code == filters.site.site_code]
    model = filters.model or ArticlePage
    queryset = model.objects.live().exclude(_restricted())
    if not sites:
        return queryset.none()
    paths = [s.root_path for s in sites]
    if filters.column is not None:
        paths = [filters.column.path] if any(filters.column.path.startswith(p) for p in paths) else []
        if not paths:
            return queryset.none()
    within = Q(path__startswith=paths[0])
    for path in paths[1:]:
        within |= Q(path__startswith=path)
    queryset = queryset.filter(within)
    if filters.date_from:
        queryset = _filter(queryset, model, published_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        queryset = _filter(queryset, model, published_at__lt=_day_start(filters.date_to) + timezone.timedelta(days=1))
    if filters.topic:
        queryset = _filter(queryset, model, topic=filters.topic)
    return queryset


def search(query: str, sites: list[SiteEntry], filters: SearchFilters | None = None):  # noqa: ANN201
    """Wagtail search results (lazy, sliceable, ``count()``): title hits first, then newer first."""
    return get_search_backend().search(query, candidates(sites, filters or SearchFilters()))


def shown_total(results: object) -> tuple[int, bool]:
    """(total, exact) to show: the count, or COUNT_LIMIT and False when there are more than COUNT_LIMIT results
    (the search backend stops counting there; results of other backends are always exact)."""
    total = results.count()
    if getattr(results, "count_is_exact", True):
        return total, True
    return COUNT_LIMIT, False


def snippet(text: str, tokens: list[str], length: int = SNIPPET_CHARS) -> SafeString:
    """A window of the text around the first match, HTML-escaped, every matched word in <mark>."""
    text = re.sub(r"\s+", " ", text).strip()
    words = sorted({t for t in tokens if t}, key=len, reverse=True)
    if not words:
        return escape(text[:length])
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    first = pattern.search(text)
    start = 0 if first is None else max(0, first.start() - length // 4)
    window = text[start:start + length]
    parts, last = [], 0
    for match in pattern.finditer(window):
        parts += [escape(window[last:match.start()]), "<mark>", escape(match.group()), "</mark>"]
        last = match.end()
    parts.append(escape(window[last:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308  (every piece escaped above)


def body_text(page: ArticlePage) -> str:
    """The searchable text of an item other than its title (summary and body), tags stripped."""
    parts = []
    for search_field in page.get_search_fields():
        for current, text in _field_values(page, search_field):
            if getattr(current, "field_name", "") != "title" and type(current).__name__ == "SearchField":
                parts.append(text)
    return " ".join(parts)


def hits(results: list[ArticlePage], query: str, sites: list[SiteEntry], request=None,  # noqa: ANN001
         *, absolute: bool = True) -> list[Hit]:
    """Results shaped for display: URL, site name, date, snippet. The results page links its own site's pages
    by path (they then work under whatever address the site is reached at, the demo's 127.0.0.1 too) and
    other sites' by their full address; the API gives full addresses."""
    tokens = query_tokens(query)
    by_path = sorted(sites, key=lambda s: len(s.root_path), reverse=True)
    out = []
    for page in results:
        entry = next((s for s in by_path if page.path.startswith(s.root_path)), None)
        title = page.title
        out.append(Hit(
            title=title,
            url=localhost_alias_url((page.get_full_url(request) if absolute else page.get_url(request)) or page.url,
                                    request),
            site=entry.name if entry else "",
            site_code=entry.site_code if entry else "",
            published_at=page.published_at,
            snippet=snippet(body_text(page), tokens),
            page=page,
        ))
    return out
