"""Content API: the pages of hosted sites, scoped to what the user may manage or supervise."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from govsite.api_input import BoundedLimitOffsetPagination, SiteCode
from govsite.content.access import access_page, pages_visible_to
from govsite.registry.access import access_website

from .models import ArticlePage

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
