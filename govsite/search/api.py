"""检索接口: ``GET /api/v1/search?q=&site=&page=`` — public, no login, the same scope as the public search.

Every hosted site open to the public (统一检索), or one by its 网站标识码; ten results a page, pages bounded.
``total`` is exact when ``total_exact``; otherwise there are more than ``total`` results (a very common word
is counted no further, see ``backend.COUNT_LIMIT``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError

from govsite.api_input import SiteCode

from .inputs import MAX_PAGE, parse_query
from .selectors import PAGE_SIZE, SearchFilters, hits, search, searchable_sites, shown_total

router = Router(tags=["检索"])


class HitOut(Schema):
    title: str
    url: str
    site: str
    published_at: datetime | None
    snippet: str


class SearchOut(Schema):
    total: int
    total_exact: bool = Field(description="false: more than ``total`` results (counted up to 1,000)")
    results: list[HitOut]


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"type": "value_error", "loc": ["query", field], "msg": message}])


@router.get("", response=SearchOut, auth=None, summary="全文检索（公开，无需登录）")
def search_items(
    request: HttpRequest,
    q: Annotated[str, Query(..., max_length=200, description="检索词")],
    site: Annotated[SiteCode | None, Query(description="网站标识码（不填为全部网站）")] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="页码")] = 1,
) -> dict:
    query, problem = parse_query(q)
    if problem or not query:
        raise _invalid("q", problem or "请输入检索词。")
    sites = searchable_sites()
    filters = SearchFilters()
    if site:
        filters.site = next((s for s in sites if s.site_code == site), None)
        if filters.site is None:
            raise HttpError(404, "该网站不存在或不在检索范围内。")
    results = search(query, sites, filters)
    start = (page - 1) * PAGE_SIZE
    found = hits(list(results[start:start + PAGE_SIZE]), query, sites, request)
    total, exact = shown_total(results)
    return {
        "total": total,
        "total_exact": exact,
        "results": [
            {"title": h.title, "url": h.url, "site": h.site, "published_at": h.published_at, "snippet": str(h.snippet)}
            for h in found
        ],
    }
