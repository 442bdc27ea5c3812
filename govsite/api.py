"""The REST API (django-ninja, OpenAPI at /api/v1/docs). Each app adds its router here."""

from ninja import NinjaAPI
from ninja.security import django_auth

from govsite.api_input import InputParser

api = NinjaAPI(
    title="GovSite API",
    version="1",
    description="政府网站集约化平台 + 监管平台 接口。所有接口按用户的管理范围（一级管一级）过滤。",
    auth=django_auth,
    urls_namespace="api",
    parser=InputParser(),
)

from govsite.adminui.api_errors import install as install_chinese_errors  # noqa: E402

install_chinese_errors(api)  # django-ninja's own errors are English

from govsite.content.api import router as content_router  # noqa: E402

api.add_router("/content/", content_router)

from govsite.registry.api import router as registry_router  # noqa: E402

api.add_router("/registry/", registry_router)
