"""The REST API (django-ninja, OpenAPI at /api/v1/docs). Each app adds its router here."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import NinjaAPI
from ninja.security import django_auth

from govsite.api_input import InputParser


def docs_for_staff(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The OpenAPI description and Swagger UI: staff only unless GOVSITE_API_DOCS_PUBLIC (development).

    Read at request time, so one process serves what its settings say. Anonymous visitors go to the admin
    login; a signed-in user without admin access gets 403.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not getattr(settings, "GOVSITE_API_DOCS_PUBLIC", False):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
            if not request.user.has_perm("wagtailadmin.access_admin"):
                return HttpResponse("仅限后台工作人员查看接口文档。", status=403,
                                    content_type="text/plain; charset=utf-8")
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="GovSite API",
    version="1",
    description="政府网站集约化平台 + 监管平台 接口。所有接口按用户的管理范围（一级管一级）过滤。",
    auth=django_auth,
    urls_namespace="api",
    docs_decorator=docs_for_staff,
    parser=InputParser(),
)

from govsite.adminui.api_errors import install as install_chinese_errors  # noqa: E402

install_chinese_errors(api)  # django-ninja's own errors are English

from govsite.content.api import router as content_router  # noqa: E402

api.add_router("/content/", content_router)

from govsite.registry.api import router as registry_router  # noqa: E402

api.add_router("/registry/", registry_router)

from govsite.search.api import router as search_router  # noqa: E402

api.add_router("/search", search_router)
