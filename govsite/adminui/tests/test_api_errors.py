"""The REST API says its errors in Chinese and keeps django-ninja's JSON shape."""

import pytest
from django.test import Client

from govsite.registry.models import Website
from govsite.testing import make_user

pytestmark = pytest.mark.django_db


def test_anonymous_request_is_told_to_log_in_in_chinese(mini_region, client) -> None:  # noqa: ANN001
    response = client.get("/api/v1/registry/websites")
    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或登录已过期，请先登录。"}


def test_bad_path_parameter_gives_chinese_message_with_type_and_location(mini_region, client) -> None:  # noqa: ANN001
    client.force_login(make_user(is_superuser=True, is_staff=True))
    response = client.get("/api/v1/content/pages/abc")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["type"] == "int_parsing" and error["loc"] == ["path", "page_id"]
    assert error["msg"] == "应为整数"


def test_missing_body_field_is_named_in_chinese(mini_region, client) -> None:  # noqa: ANN001
    client.force_login(make_user(is_superuser=True, is_staff=True))
    site_code = Website.objects.first().site_code
    response = client.post(f"/api/v1/registry/websites/{site_code}/status", {"reason": "x"}, content_type="application/json")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["type"] == "missing" and error["loc"][-1] == "to_status"
    assert error["msg"] == "缺少必填字段"


def test_csrf_failure_is_explained_in_chinese(mini_region) -> None:  # noqa: ANN001
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(is_superuser=True, is_staff=True))
    site_code = Website.objects.first().site_code
    response = client.post(f"/api/v1/registry/websites/{site_code}/status", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF 校验失败，请刷新页面后重试。"}


def test_unknown_page_is_not_found_in_chinese(mini_region, client) -> None:  # noqa: ANN001
    client.force_login(make_user(is_superuser=True, is_staff=True))
    response = client.get("/api/v1/content/pages/987654")
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}
    assert all("\u4e00" <= char <= "\u9fff" for char in response.json()["detail"] if char.isalpha())
