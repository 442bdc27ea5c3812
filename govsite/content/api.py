"""Content API: the pages of hosted sites, scoped to what the user may manage or supervise, and the read API
for items (信息接口, ``/api/v1/content/items``): public items without login, drafts for their site's staff."""

from datetime import date, datetime
from html import unescape
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.html import strip_tags
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from govsite.api_input import BoundedLimitOffsetPagination, SiteCode
from govsite.content.access import access_page, pages_visible_to, pages_with_drafts_visible_to
from govsite.registry.access import access_website
from govsite.registry.models import Website

from .models import ArticlePage, ColumnPage

router = Router(tags=["内容"])


class PageOut(Schema):
    id: int
    title: str
    type: str
    live: bool
    url_path: str
    parent_id: int | None
    published_at: datetime | None = None

    @staticmethod
    def resolve_type(obj) -> str:  # noqa: ANN001
        return obj.specific_class._meta.model_name if obj.specific_class else "page"

    @staticmethod
    def resolve_parent_id(obj) -> int | None:  # noqa: ANN001
        parent = obj.get_parent()
        return parent.pk if parent else None

    @staticmethod
    def resolve_published_at(obj) -> datetime | None:  # noqa: ANN001
        specific = obj.specific
        return specific.published_at if isinstance(specific, ArticlePage) else None


class ArticleOut(PageOut):
    body: str
    source: str
    summary: str

    @staticmethod
    def resolve_body(obj) -> str:  # noqa: ANN001
        return str(obj.body)  # 正文 blocks rendered as the public page shows them (HTML)


@router.get("/pages", response=list[PageOut], summary="页面列表（仅限管理范围内的网站）")
@paginate(BoundedLimitOffsetPagination)
def list_pages(request: HttpRequest, site_code: SiteCode | None = None, live: bool | None = None):  # noqa: ANN201
    pages = pages_visible_to(request.user)
    if site_code:
        website = access_website(request.user, site_code=site_code)
        pages = pages.filter(path__startswith=website.wagtail_site.root_page.path) if website.wagtail_site else (
            pages.none())
    if live is not None:
        pages = pages.filter(live=live)
    return pages.order_by("path")


@router.get("/pages/{page_id}", response=ArticleOut | PageOut, summary="页面详情")
def get_page(request: HttpRequest, page_id: int):  # noqa: ANN201
    page = access_page(request.user, page_id).specific
    return page


# ---------------------------------------------------------------------------------------------------------
# 信息接口 (read API for items): public items without login, drafts for their own site's staff.
# ---------------------------------------------------------------------------------------------------------

MAX_ID = 2**63 - 1
CATALOGUE_FIELDS = ("index_number", "topic", "genre", "issuing_organ", "written_date", "doc_number", "validity")


class SiteRef(Schema):
    site_code: str | None = None
    name: str


class PageRef(Schema):
    id: int
    title: str
    url: str | None = None


class ItemSummaryOut(Schema):
    id: int
    title: str
    type: str
    url: str | None = None
    site: SiteRef | None = None
    column: PageRef | None = None
    published_at: datetime | None = None
    live: bool
    draft: bool = Field(False, description="是否为草稿（最新未发布版本）")
    source: str = ""
    summary: str = ""
    index_number: str | None = None
    topic: str | None = None
    genre: str | None = None
    issuing_organ: str | None = None
    written_date: date | None = None
    doc_number: str | None = None
    validity: str | None = None


class ItemOut(ItemSummaryOut):
    author: str = ""
    body_html: str
    body_text: str
    has_unpublished_changes: bool
    replaced_by: PageRef | None = None
    interpretations: list[PageRef] = []


def _published_items(user: Any) -> QuerySet[ArticlePage]:
    """Live items a user may read: every public one, and the restricted ones of the sites in their scope."""
    public = ArticlePage.objects.live().public().values("pk")
    q = Q(pk__in=public)
    if getattr(user, "is_authenticated", False):
        q |= Q(pk__in=pages_visible_to(user).filter(live=True).values("pk"))
    return ArticlePage.objects.live().filter(q)


def _draft_items(user: Any) -> QuerySet[ArticlePage]:
    """Items whose latest version (draft) a user may read: those of the sites they are staff of."""
    if not getattr(user, "is_authenticated", False):
        return ArticlePage.objects.none()
    return ArticlePage.objects.filter(pk__in=pages_with_drafts_visible_to(user).values("pk"))


class _Sites:
    """The hosted sites by root path, read once per request, to name each item's site."""

    def __init__(self) -> None:
        from wagtail.models import Site

        websites = {w.wagtail_site_id: w for w in Website.objects.filter(wagtail_site__isnull=False)}
        self.roots = []
        for site in Site.objects.select_related("root_page"):
            website = websites.get(site.pk)
            name = website.name if website else (site.site_name or site.root_page.title)
            self.roots.append((site.root_page.path, SiteRef(site_code=website.site_code if website else None,
                                                            name=name)))
        self.roots.sort(key=lambda pair: -len(pair[0]))

    def of(self, page: Page) -> SiteRef | None:
        return next((ref for path, ref in self.roots if page.path.startswith(path)), None)


def _ref(page: Page | None, request: HttpRequest) -> PageRef | None:
    return PageRef(id=page.pk, title=page.title, url=page.get_full_url(request)) if page is not None else None


def _body_html(page: ArticlePage) -> str:
    body = getattr(page, "body", "")
    if body is None:
        return ""
    return expand_db_html(body) if isinstance(body, str) else str(body)  # a StreamField renders itself


def _summary(page: ArticlePage, request: HttpRequest, sites: _Sites, *, draft: bool) -> dict[str, Any]:
    parent = page.get_parent()
    column = parent if parent is not None and parent.specific_class is not None and issubclass(
        parent.specific_class, ColumnPage) else None
    data: dict[str, Any] = {
        "id": page.pk, "title": page.title, "type": page._meta.model_name, "url": page.get_full_url(request),
        "site": sites.of(page), "column": _ref(column, request), "published_at": page.published_at,
        "live": page.live, "draft": draft, "source": getattr(page, "source", "") or "",
        "summary": getattr(page, "summary", "") or "",
    }
    for name in CATALOGUE_FIELDS:  # catalogue metadata where the item type has it (政策文件 and others)
        value = getattr(page, name, None)
        data[name] = value if value not in ("",) else None
    return data


def _detail(page: ArticlePage, request: HttpRequest, *, draft: bool) -> dict[str, Any]:
    data = _summary(page, request, _Sites(), draft=draft)
    html = _body_html(page)
    data.update(
        author=getattr(page, "author", "") or "",
        body_html=html,
        body_text=" ".join(unescape(strip_tags(html)).split()),
        has_unpublished_changes=page.has_unpublished_changes,
    )
    replaced_by = getattr(page, "replaced_by", None)
    data["replaced_by"] = _ref(replaced_by, request) if replaced_by is not None and replaced_by.live else None
    interpretations = getattr(page, "interpretations", None)
    data["interpretations"] = (
        [_ref(p, request) for p in interpretations.filter(live=True).order_by("pk")] if interpretations is not None
        else []
    )
    return data


def _bounded_id(value: int) -> int:
    if not 0 < value <= MAX_ID:
        raise Http404("信息不存在或无权访问。")
    return value


@router.get("/items", response=list[ItemSummaryOut], auth=None,
            summary="信息列表（公开信息无需登录；draft=true 时为本网站工作人员的草稿）")
@paginate(BoundedLimitOffsetPagination)
def list_items(request: HttpRequest, site_code: SiteCode | None = None,  # noqa: ANN201
               column_id: int | None = Query(None, ge=1, le=MAX_ID), draft: bool = False):
    items = _draft_items(request.user) if draft else _published_items(request.user)
    if site_code:
        website = Website.objects.filter(site_code=site_code, wagtail_site__isnull=False).select_related(
            "wagtail_site__root_page").first()
        if website is None:
            raise Http404("网站不存在或未在本平台托管。")
        items = items.filter(path__startswith=website.wagtail_site.root_page.path)
    if column_id is not None:
        column = Page.objects.filter(pk=column_id).only("path").first()
        items = items.filter(path__startswith=column.path).exclude(pk=column.pk) if column else items.none()
    items = items.order_by("-published_at", "-id")
    sites = _Sites()

    class _Rows:
        """Paginated lazily: only the page of rows asked for is made specific and serialised."""

        def __init__(self, queryset: QuerySet[ArticlePage]) -> None:
            self.queryset = queryset

        def count(self) -> int:
            return self.queryset.count()

        def __len__(self) -> int:
            return self.count()

        def __getitem__(self, bounds: slice) -> list[dict[str, Any]]:
            rows = list(self.queryset[bounds].specific())
            if draft:
                rows = [row.get_latest_revision_as_object() for row in rows]
            return [_summary(row, request, sites, draft=draft) for row in rows]

    return _Rows(items)


@router.get("/items/{item_id}", response=ItemOut, auth=None,
            summary="信息详情（公开信息无需登录；draft=true 时为最新草稿，仅限本网站工作人员）")
def get_item(request: HttpRequest, item_id: int, draft: bool = False):  # noqa: ANN201
    item_id = _bounded_id(item_id)
    if draft:
        page = access_page(request.user, item_id, draft=True).specific
        if not isinstance(page, ArticlePage):
            raise Http404("信息不存在或无权访问。")
        return _detail(page.get_latest_revision_as_object(), request, draft=True)
    page = _published_items(request.user).filter(pk=item_id).first()
    if page is None:
        raise Http404("信息不存在或无权访问。")
    return _detail(page.specific, request, draft=False)
