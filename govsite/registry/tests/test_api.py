"""/api/v1/registry/: the same scope as the admin — lists filtered, other sites 404, read-only roles 403."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from govsite.core.models import Role
from govsite.registry.models import StatusChange, Website, WebsiteStatus
from govsite.registry.services import do_record_security_test
from govsite.testing import build_mini_region, client_for, make_user

from . import YESTERDAY, platform_admin, site_user, supervisor_of

pytestmark = pytest.mark.django_db

BASE = "/api/v1/registry"


@pytest.fixture
def jia(db):  # noqa: ANN001, ANN201
    region = build_mini_region(hosted=False)
    region.sup_a = supervisor_of(region.gov_a, "sup_a")
    return region



def post_status(client: Client, site_code: str, **payload: object):  # noqa: ANN201
    return client.post(f"{BASE}/websites/{site_code}/status", json.dumps(payload), content_type="application/json")


def test_the_list_contains_only_visible_sites(jia) -> None:
    body = client_for(jia.sup_a).get(f"{BASE}/websites").json()
    assert body["count"] == 2
    assert {item["site_code"] for item in body["items"]} == {"9901000001", "9901020001"}
    item = body["items"][0]
    assert (item["status_display"], item["kind_display"], item["owner_unit"]) == ("运行", "政府门户网站", "甲市人民政府")


def test_the_list_is_paginated_and_filtered(jia) -> None:
    Website.objects.filter(pk=jia.site_a1.pk).update(status=WebsiteStatus.SUSPENDED)
    client = client_for(platform_admin())
    page = client.get(f"{BASE}/websites", {"page_size": 2, "page": 2}).json()
    assert (page["count"], [i["site_code"] for i in page["items"]]) == (4, ["9901020001", "9902000001"])
    assert [i["site_code"] for i in client.get(f"{BASE}/websites", {"status": "suspended"}).json()["items"]] == [
        "9901020001"]
    assert client.get(f"{BASE}/websites", {"kind": "department"}).json()["count"] == 0


def test_a_user_without_roles_gets_an_empty_list(jia) -> None:
    assert client_for(make_user()).get(f"{BASE}/websites").json()["count"] == 0


def test_anonymous_requests_are_refused(jia) -> None:
    assert Client().get(f"{BASE}/websites").status_code == 401


def test_a_visible_site_is_returned_and_an_invisible_one_is_404(jia) -> None:
    client = client_for(jia.sup_a)
    assert client.get(f"{BASE}/websites/9901020001").json()["name"] == "甲一县人民政府网"
    response = client.get(f"{BASE}/websites/9902000001")
    assert response.status_code == 404
    assert response.json()["detail"] == "网站不存在或无权访问。"
    assert client.get(f"{BASE}/websites/0000000000").status_code == 404


def test_changing_the_status_records_history(jia) -> None:
    response = post_status(client_for(jia.sup_a), "9901020001", to_status="suspended", reason="机房搬迁",
                           document_number="甲政办〔2026〕3号")
    assert response.status_code == 200, response.content
    assert response.json()["to_status"] == "suspended"
    change = StatusChange.objects.get(website=jia.site_a1)
    assert (change.changed_by, change.reason, change.document_number) == (jia.sup_a, "机房搬迁", "甲政办〔2026〕3号")


def test_a_merge_names_the_target_by_site_code(jia) -> None:
    response = post_status(client_for(jia.sup_a), "9901020001", to_status="merged", reason="整合",
                           merged_into="9901000001")
    assert response.status_code == 200, response.content
    assert Website.objects.get(pk=jia.site_a1.pk).merged_into == jia.site_a


def test_validation_errors_answer_422_in_chinese(jia) -> None:
    Website.objects.filter(pk=jia.site_a1.pk).update(status=WebsiteStatus.SUSPENDED)
    response = post_status(client_for(jia.sup_a), "9901020001", to_status="running", reason="")
    assert response.status_code == 422
    body = response.json()
    assert body["errors"]["reason"] == ["请填写变更理由。"]
    assert "安全检测" in body["errors"]["to_status"][0]
    assert "请填写变更理由。" in body["detail"]

    do_record_security_test(jia.site_a1, tested_on=YESTERDAY, tester="示范测评中心", passed=True, by=jia.sup_a)
    assert post_status(client_for(jia.sup_a), "9901020001", to_status="running", reason="恢复").status_code == 200


def test_a_status_change_on_an_invisible_site_is_404_and_changes_nothing(jia) -> None:
    response = post_status(client_for(jia.sup_a), "9902000001", to_status="offline", reason="越权")
    assert response.status_code == 404
    assert Website.objects.get(pk=jia.site_b.pk).status == WebsiteStatus.RUNNING


@pytest.mark.parametrize("role", [Role.SITE_ADMIN, Role.EDITOR, Role.EVALUATOR])
def test_a_status_change_by_a_read_only_role_is_403(jia, role) -> None:
    user = site_user(role, jia.site_a)
    assert client_for(user).get(f"{BASE}/websites/9901000001").status_code == 200
    response = post_status(client_for(user), "9901000001", to_status="offline", reason="越权")
    assert response.status_code == 403
    assert response.json()["detail"] == "无权修改该网站的登记信息。"
    assert Website.objects.get(pk=jia.site_a.pk).status == WebsiteStatus.RUNNING
