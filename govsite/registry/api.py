"""REST endpoints of the 网站基本信息库 (/api/v1/registry/…), scoped like the admin through access.py."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from govsite.api_input import BoundedPageNumberPagination, SiteCode
from govsite.registry.access import access_website, websites_visible_to

from . import services
from .models import StatusChange, Website, WebsiteKind, WebsiteStatus

router = Router(tags=["网站基本信息库"])


class WebsiteOut(Schema):
    site_code: str
    name: str
    kind: str
    kind_display: str = Field(..., alias="get_kind_display")
    status: str
    status_display: str = Field(..., alias="get_status_display")
    homepage_url: str
    owner_unit: str = Field(..., alias="owner_unit.name")
    supervising_unit: str = Field(..., alias="supervising_unit.name")
    icp_number: str
    police_record_number: str
    party_gov_mark: str
    merged_into: str | None = Field(None, alias="merged_into.site_code")
    updated_at: datetime.datetime


class StatusChangeIn(Schema):
    to_status: str
    reason: str = ""
    document_number: str = ""
    merged_into: str | None = Field(None, description="整合至的网站标识码（仅整合时填写）")


class StatusChangeOut(Schema):
    site_code: str = Field(..., alias="website.site_code")
    from_status: str
    to_status: str
    reason: str
    document_number: str
    merged_into: str | None = Field(None, alias="merged_into.site_code")
    changed_at: datetime.datetime
    changed_by: str | None = Field(None, alias="changed_by.username")


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def _website(request: HttpRequest, site_code: SiteCode, *, for_change: bool = False) -> Website:
    try:
        return access_website(request.auth, site_code=site_code, for_change=for_change)
    except Http404:
        raise HttpError(404, _("网站不存在或无权访问。")) from None
    except PermissionDenied:
        raise HttpError(403, _("无权修改该网站的登记信息。")) from None


@router.get("/websites", response=list[WebsiteOut], summary="网站列表（仅本人可见范围）")
@paginate(BoundedPageNumberPagination, page_size=50)
def list_websites(
    request: HttpRequest, status: WebsiteStatus | None = None, kind: WebsiteKind | None = None
) -> QuerySet[Website]:
    websites = websites_visible_to(request.auth).select_related("owner_unit", "supervising_unit", "merged_into")
    if status:
        websites = websites.filter(status=status)
    if kind:
        websites = websites.filter(kind=kind)
    return websites.order_by("site_code")


@router.get("/websites/{site_code}", response=WebsiteOut, summary="网站登记信息")
def get_website(request: HttpRequest, site_code: SiteCode) -> Website:
    return _website(request, site_code)


@router.post(
    "/websites/{site_code}/status",
    response={200: StatusChangeOut, 422: ErrorOut},
    summary="变更网站状态",
)
def change_status(request: HttpRequest, site_code: SiteCode, payload: StatusChangeIn) -> StatusChange | JsonResponse:
    website = _website(request, site_code, for_change=True)
    try:
        change = services.do_change_status(
            website,
            payload.to_status,
            by=request.auth,
            request=request,
            reason=payload.reason,
            document_number=payload.document_number,
            merged_into=payload.merged_into or None,
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        detail = "；".join(m for messages in errors.values() for m in messages)
        # A plain response rather than ninja's (status, body) tuple, which newer ninja versions deprecate.
        return JsonResponse({"detail": detail, "errors": errors}, status=422, json_dumps_params={"ensure_ascii": False})
    return StatusChange.objects.select_related("website", "merged_into", "changed_by").get(pk=change.pk)


class ColumnIO(Schema):
    name: str
    url: str
    update_class: str = Field("", description="news/notice/plan/static/interaction/service/special/none，留空按名称判断")


@router.get("/websites/{site_code}/columns", response=list[ColumnIO], summary="监测栏目（栏目校正）")
def list_columns(request: HttpRequest, site_code: SiteCode) -> QuerySet:
    return _website(request, site_code).monitored_columns.all()


@router.put(
    "/websites/{site_code}/columns",
    response={200: list[ColumnIO], 422: ErrorOut},
    summary="替换监测栏目（空列表则恢复自动识别）",
)
def replace_columns(request: HttpRequest, site_code: SiteCode, payload: list[ColumnIO]) -> list | JsonResponse:
    website = _website(request, site_code, for_change=True)
    try:
        return services.do_set_website_columns(
            website, [column.dict() for column in payload], by=request.auth, request=request
        )
    except ValidationError as exc:
        errors = exc.message_dict
        detail = "；".join(m for messages in errors.values() for m in messages)
        return JsonResponse({"detail": detail, "errors": errors}, status=422, json_dumps_params={"ensure_ascii": False})
