"""The scoped admin pages of role assignment (角色分配) and hosting (开通托管网站), and Wagtail's user forms
without the way to superuser rights (issue 10 items 2 and 6)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from govsite.core.models import AuditLog, Role, RoleAssignment
from govsite.registry.models import Website
from govsite.testing import client_for, give_role, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(mini_region):  # noqa: ANN001, ANN201
    r = mini_region
    r.sup_a = make_user("sup_a")
    give_role(r.sup_a, Role.SUPERVISOR, unit=r.gov_a)
    r.editor_a1 = make_user("editor_a1")
    give_role(r.editor_a1, Role.EDITOR, website=r.site_a1)
    r.editor_b = make_user("editor_b")
    give_role(r.editor_b, Role.EDITOR, website=r.site_b)
    r.newcomer = make_user("newcomer")
    r.operator = make_user("operator", is_staff=True)
    give_role(r.operator, Role.PLATFORM_ADMIN)
    return r


def test_the_role_page_lists_only_assignments_within_the_users_scope(people) -> None:
    html = client_for(people.sup_a).get(reverse("roles:index")).content.decode()
    assert "editor_a1" in html and "editor_b" not in html and "operator" not in html
    role_options = html.split('name="role"')[1].split("</select>")[0]
    assert "监管人员" in role_options and "平台管理员" not in role_options and "审计管理员" not in role_options
    website_options = html.split('name="website"')[1].split("</select>")[0]
    assert "甲一县人民政府网" in website_options and "乙市人民政府网" not in website_options


def test_a_supervisor_assigns_within_scope_through_the_page_audited(people) -> None:
    client = client_for(people.sup_a)
    response = client.post(reverse("roles:index"), {"username": "newcomer", "role": Role.SITE_ADMIN,
                                                    "website": people.site_a1.pk})
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=people.newcomer, role=Role.SITE_ADMIN, website=people.site_a1).exists()
    assert AuditLog.objects.filter(event="role.assign", username="sup_a").exists()


def test_the_page_refuses_out_of_scope_sites_and_users_in_chinese(people) -> None:
    client = client_for(people.sup_a)
    out_of_scope_site = client.post(reverse("roles:index"), {"username": "newcomer", "role": Role.EDITOR,
                                                             "website": people.site_b.pk})
    assert out_of_scope_site.status_code == 200 and "选择一个有效的选项" in out_of_scope_site.content.decode()
    other_sites_user = client.post(reverse("roles:index"), {"username": "editor_b", "role": Role.EDITOR,
                                                            "website": people.site_a1.pk})
    assert "用户不存在或不在您的管理范围内" in other_sites_user.content.decode()
    myself = client.post(reverse("roles:index"), {"username": "sup_a", "role": Role.SUPERVISOR,
                                                  "unit": people.gov_a1.pk})
    assert "不能给自己分配角色" in myself.content.decode()
    assert not RoleAssignment.objects.filter(user__in=[people.newcomer, people.editor_b], website__isnull=False,
                                             role=Role.EDITOR).exclude(user=people.editor_b).exists()
    assert RoleAssignment.objects.filter(user=people.sup_a).count() == 1


def test_revoking_an_assignment_outside_the_scope_answers_404(people) -> None:
    client = client_for(people.sup_a)
    outside = RoleAssignment.objects.get(user=people.editor_b)
    assert client.post(reverse("roles:revoke", args=[outside.pk])).status_code == 404
    inside = RoleAssignment.objects.get(user=people.editor_a1)
    assert client.post(reverse("roles:revoke", args=[inside.pk])).status_code == 302
    assert not RoleAssignment.objects.filter(pk=inside.pk).exists()
    assert RoleAssignment.objects.filter(pk=outside.pk).exists()


def test_editors_have_no_role_page(people) -> None:
    assert client_for(people.editor_b).get(reverse("roles:index")).status_code in (302, 403)


def _unhosted(region) -> Website:  # noqa: ANN001
    return Website.objects.create(site_code="9901000009", name="甲市测试网", kind=region.site_a.kind,
                                  supervising_unit=region.gov_a, owner_unit=region.gov_a,
                                  homepage_url="https://test.jia.gov.cn/")


def test_a_platform_operator_provisions_a_hosted_site_from_its_registry_entry(people) -> None:
    website = _unhosted(people)
    client = client_for(people.operator)
    assert "甲市测试网" in client.get(reverse("hosting:index")).content.decode()
    response = client.post(reverse("hosting:provision", args=[website.pk]), {"hostname": ""})
    assert response.status_code == 302
    website.refresh_from_db()
    assert website.wagtail_site.hostname == "test.jia.gov.cn"
    entry = AuditLog.objects.get(event="site.provision", object_id=str(website.pk))
    assert entry.username == "operator" and entry.object_id == str(website.pk)
    assert client.post(reverse("hosting:provision", args=[website.pk])).status_code == 404  # once only


def test_a_taken_hostname_is_refused_in_chinese(people) -> None:
    website = _unhosted(people)
    response = client_for(people.operator).post(reverse("hosting:provision", args=[website.pk]),
                                                {"hostname": "www.yi.gov.cn"})
    assert response.status_code == 200 and "该域名已由另一个托管网站使用" in response.content.decode()


def test_supervisors_and_site_staff_cannot_provision(people) -> None:
    website = _unhosted(people)
    for user in (people.sup_a, people.editor_b):
        client = client_for(user)
        assert client.get(reverse("hosting:index")).status_code in (302, 403)
        assert client.post(reverse("hosting:provision", args=[website.pk])).status_code in (302, 403)
    website.refresh_from_db()
    assert website.wagtail_site_id is None


# --- no superuser rights through the admin ------------------------------------------------------------------

def test_the_user_forms_offer_no_superuser_flag_and_no_groups(people) -> None:
    client = client_for(people.operator)
    for url in (reverse("wagtailusers_users:add"), reverse("wagtailusers_users:edit", args=[people.newcomer.pk])):
        html = client.get(url).content.decode()
        assert 'name="is_superuser"' not in html and 'name="groups"' not in html, url


def test_posting_the_superuser_flag_grants_nothing(people) -> None:
    client = client_for(people.operator)
    response = client.post(reverse("wagtailusers_users:edit", args=[people.newcomer.pk]), {
        "username": "newcomer", "email": "n@example.gov.cn", "first_name": "新", "last_name": "人",
        "is_active": "on", "is_superuser": "on", "groups": [g.pk for g in people.operator.groups.all()]})
    assert response.status_code == 302
    people.newcomer.refresh_from_db()
    assert people.newcomer.first_name == "新" and not people.newcomer.is_superuser
    assert not people.newcomer.groups.exists()
    response = client.post(reverse("wagtailusers_users:add"), {
        "username": "made_root", "email": "r@example.gov.cn", "first_name": "根", "last_name": "用",
        "password1": "Qingxi-2026!x", "password2": "Qingxi-2026!x", "is_superuser": "on"})
    made = get_user_model().objects.get(username="made_root")
    assert not made.is_superuser
    assert AuditLog.objects.filter(event="user.create", username="operator").exists()


def test_an_operator_cannot_edit_a_superusers_account(people) -> None:
    root = make_user("root", is_superuser=True, is_staff=True)
    client = client_for(people.operator)
    assert client.get(reverse("wagtailusers_users:edit", args=[root.pk])).status_code in (302, 403)
