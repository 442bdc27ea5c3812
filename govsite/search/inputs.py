"""检索参数: a search request's parameters read into a query and filters, with a Chinese message for each bad one.

Shared by the results page and the API, so both refuse the same input the same way (never a 500).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from wagtail.models import Page

from govsite.content.models import ColumnPage
from govsite.core.validators import check_text

from .segment import query_tokens
from .selectors import SearchFilters, SiteEntry, item_models, topic_choices

MAX_QUERY_CHARS = 100
MAX_PAGE = 1000  # 10,000 results are far more than anyone reads; a deeper page is refused, not computed


@dataclass
class SearchRequest:
    """A search as asked: the words, the filters, the page, and what was wrong with them."""

    query: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    page: int = 1
    errors: list[str] = field(default_factory=list)


def parse_query(raw: str | None) -> tuple[str, str | None]:
    """(query, message): the query stripped, or a message why it cannot be searched."""
    query = (raw or "").strip()
    if not query:
        return "", None
    if len(query) > MAX_QUERY_CHARS:
        return "", _("检索词过长，请不超过 %(n)s 个字。") % {"n": MAX_QUERY_CHARS}
    problem = check_text(query)
    if problem:
        return "", _("检索词%(problem)s") % {"problem": problem}
    if not query_tokens(query):
        return "", _("检索词中没有可检索的字词，请输入中文、字母或数字。")
    return query, None


def parse_page(raw: str | None) -> tuple[int, str | None]:
    if raw in (None, ""):
        return 1, None
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        return 1, _("页码无效：请使用 1 至 %(n)s 之间的整数。") % {"n": MAX_PAGE}
    return int(raw), None


def _parse_date(raw: str, label: str, errors: list[str]) -> date | None:
    try:
        return date.fromisoformat(raw) if raw.isascii() and len(raw) == 10 else None
    except ValueError:
        pass
    errors.append(_("%(label)s格式应为“年-月-日”（如 2026-03-05）。") % {"label": label})
    return None


def parse_search(params: dict, sites: list[SiteEntry], *, cross_site: bool) -> SearchRequest:
    """Read q, site, column, type, topic, from, to and page from request parameters."""
    request = SearchRequest()
    errors = request.errors
    request.query, problem = parse_query(params.get("q"))
    if problem:
        errors.append(problem)
    request.page, problem = parse_page(params.get("page"))
    if problem:
        errors.append(problem)
    filters = request.filters

    site_code = (params.get("site") or "").strip()
    if site_code:
        filters.site = next((s for s in sites if s.site_code == site_code), None)
        if filters.site is None:
            errors.append(_("所选网站不存在或不在检索范围内。"))
    elif not cross_site and sites:
        filters.site = sites[0]

    column = (params.get("column") or "").strip()
    if column:
        scope = [filters.site] if filters.site else sites
        found = None
        if column.isascii() and column.isdigit() and len(column) < 12:
            found = ColumnPage.objects.live().public().filter(pk=int(column)).first()
        if found is None or not any(found.path.startswith(s.root_path) for s in scope):
            errors.append(_("所选栏目不存在。"))
        else:
            filters.column = found

    kind = (params.get("type") or "").strip()
    if kind:
        filters.model = item_models().get(kind)
        if filters.model is None:
            errors.append(_("所选信息类型无效。"))

    topic = (params.get("topic") or "").strip()
    if topic:
        if topic in dict(topic_choices()):
            filters.topic = topic
        else:
            errors.append(_("所选主题分类无效。"))

    for key, label, attr in (("from", _("起始日期"), "date_from"), ("to", _("截止日期"), "date_to")):
        raw = (params.get(key) or "").strip()
        if raw:
            setattr(filters, attr, _parse_date(raw, label, errors))
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors.append(_("起始日期不能晚于截止日期。"))
    return request


def columns_for(site: SiteEntry | None) -> list[Page]:
    """The columns a visitor may narrow a site's search to (the first two levels under its home page)."""
    if site is None:
        return []
    root_depth = len(site.root_path) // 4
    return list(
        ColumnPage.objects.live().public()
        .filter(path__startswith=site.root_path, depth__lte=root_depth + 2)
        .order_by("path")
        .only("id", "title", "depth", "path")
    )
