"""The registry pages in the Wagtail admin: scoped lists, 404 outside scope, forms that go through services."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from govsite.core.models import AuditLog, Role
from govsite.registry.models import SecurityTest, StatusChange, Website, WebsiteStatus
from govsite.testing import client_for, make_user

from . import YESTERDAY, department, site_user, supervisor_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def jia(mini_region):  # noqa: ANN001, ANN201
    mini_region.sup_a = supervisor_of(mini_region.gov_a, "sup_a")
    mini_region.edu_a = department(mini_region.gov_a, "甲市教育局")
    return mini_region



def registry_url(name: str, *args: object) -> str:
    return reverse(f"registry:{name}", args=args)


def listed_codes(response) -> set[str]:  # noqa: ANN001
    return {w.site_code for w in response.context["websites"]}


def website_form_data(website: Website, **changes: object) -> dict:
    data = {
        "site_code": website.site_code, "name": website.name, "kind": website.kind,
        "supervising_unit": website.supervising_unit_id, "owner_unit": website.owner_unit_id,
        "operator_unit": website.operator_unit_id or "", "homepage_url": website.homepage_url,
        "icp_number": website.icp_number, "police_record_number": website.police_record_number,
        "party_gov_mark": website.party_gov_mark, "contact_name": website.contact_name,
        "contact_phone": website.contact_phone, "contact_email": website.contact_email, "address": website.address,
        "protection_level": website.protection_level or "", "last_assessment_date": "",
        "last_assessment_result": website.last_assessment_result, "exception_document": "", "exception_reason": "",
    }
    data.update(changes)
    return data


def test_the_supervisor_of_jia_lists_only_jia_and_jia_yi_sites(jia) -> None:
    response = client_for(jia.sup_a).get(registry_url("index"))
    assert response.status_code == 200
    assert listed_codes(response) == {"9901000001", "9901020001"}
    assert "乙市人民政府网" not in response.content.decode()


def test_the_list_filters_by_status_kind_unit_and_search(jia) -> None:
    Website.objects.filter(pk=jia.site_a1.pk).update(status=WebsiteStatus.SUSPENDED)
    client = client_for(jia.sup_a)
    assert listed_codes(client.get(registry_url("index"), {"status": "suspended"})) == {"9901020001"}
    assert listed_codes(client.get(registry_url("index"), {"kind": "department"})) == set()
    assert listed_codes(client.get(registry_url("index"), {"unit": jia.gov_a1.pk})) == {"9901020001"}
    assert listed_codes(client.get(registry_url("index"), {"q": "甲一县"})) == {"9901020001"}
    assert listed_codes(client.get(registry_url("index"), {"q": "9901000001"})) == {"9901000001"}


def test_a_unit_outside_scope_in_the_filter_lists_nothing_extra(jia) -> None:
    response = client_for(jia.sup_a).get(registry_url("index"), {"unit": jia.gov_b.pk})
    assert "9902000001" not in listed_codes(response)


def test_the_supervisor_of_jia_gets_404_on_yi_pages(jia) -> None:
    client = client_for(jia.sup_a)
    for name in ("detail", "edit", "status", "security_test"):
        assert client.get(registry_url(name, jia.site_b.pk)).status_code == 404, name


def test_posting_to_another_sites_status_form_fails_and_changes_nothing(jia) -> None:
    response = client_for(jia.sup_a).post(
        registry_url("status", jia.site_b.pk), {"to_status": "offline", "reason": "越权尝试"}
    )
    assert response.status_code == 404
    assert Website.objects.get(pk=jia.site_b.pk).status == WebsiteStatus.RUNNING
    assert not StatusChange.objects.filter(website=jia.site_b).exists()


def test_posting_to_another_sites_edit_form_changes_nothing(jia) -> None:
    response = client_for(jia.sup_a).post(registry_url("edit", jia.site_b.pk),
                                          website_form_data(jia.site_b, name="被改名"))
    assert response.status_code == 404
    assert Website.objects.get(pk=jia.site_b.pk).name == "乙市人民政府网"


def test_an_editor_of_a_site_sees_it_but_cannot_change_registry_data(jia) -> None:
    editor = site_user(Role.EDITOR, jia.site_a, "editor_a")
    client = client_for(editor)

    assert listed_codes(client.get(registry_url("index"))) == {"9901000001"}
    detail = client.get(registry_url("detail", jia.site_a.pk))
    assert detail.status_code == 200
    assert registry_url("edit", jia.site_a.pk) not in detail.content.decode()

    client.post(registry_url("edit", jia.site_a.pk), website_form_data(jia.site_a, name="编辑改的名"))
    client.post(registry_url("status", jia.site_a.pk), {"to_status": "offline", "reason": "编辑越权"})
    client.post(registry_url("security_test", jia.site_a.pk),
                {"tested_on": YESTERDAY.isoformat(), "tester": "x", "passed": "1"})
    client.post(registry_url("import"), {"file": io.BytesIO(b"x")})

    site = Website.objects.get(pk=jia.site_a.pk)
    assert (site.name, site.status) == ("甲市人民政府网", WebsiteStatus.RUNNING)
    assert not SecurityTest.objects.exists()
    assert client.get(registry_url("create")).status_code == 302  # Wagtail turns 403 into a redirect home


def test_the_menu_item_is_shown_only_to_users_who_may_view_websites(jia) -> None:
    menu_link = f'"{registry_url("index")}"'
    assert menu_link in client_for(jia.sup_a).get(reverse("wagtailadmin_home")).content.decode()

    group = Group.objects.create(name="只能进后台")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    outsider = make_user("outsider")
    outsider.groups.add(group)
    client = client_for(outsider)
    assert menu_link not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(registry_url("index")).status_code == 302


def test_anonymous_users_are_sent_to_the_login_page(jia) -> None:
    response = Client().get(registry_url("index"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_the_create_form_offers_only_units_in_scope(jia) -> None:
    response = client_for(jia.sup_a).get(registry_url("create"))
    assert response.status_code == 200
    offered = set(response.context["form"].fields["owner_unit"].queryset.values_list("name", flat=True))
    assert offered == {"甲市人民政府", "甲一县人民政府", "甲市教育局"}


def test_registering_through_the_form_creates_a_planning_site_with_audit(jia) -> None:
    data = {
        "site_code": "9901000101", "name": "甲市教育局网站", "kind": "department", "owner_unit": jia.edu_a.pk,
        "homepage_url": "https://jyj.jia.gov.cn/", "contact_phone": "0990-1234567",
    }
    response = client_for(jia.sup_a).post(registry_url("create"), data)
    website = Website.objects.get(site_code="9901000101")
    assert response.status_code == 302 and response["Location"] == registry_url("detail", website.pk)
    assert (website.status, website.supervising_unit) == (WebsiteStatus.PLANNING, jia.edu_a)
    assert AuditLog.objects.filter(event="website.register", user=jia.sup_a).exists()


def test_the_create_form_shows_the_rules_in_chinese_next_to_the_fields(jia) -> None:
    data = {"site_code": "9902000101", "name": "甲市教育局网站", "kind": "department", "owner_unit": jia.edu_a.pk,
            "homepage_url": "https://jyj.jia.com/"}
    response = client_for(jia.sup_a).post(registry_url("create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "990100" in errors["site_code"][0]
    assert "政府网站只能使用以 .gov.cn 或 .政务 结尾的域名。" in errors["homepage_url"]
    assert not Website.objects.filter(site_code="9902000101").exists()


def test_the_create_form_refuses_a_unit_outside_scope(jia) -> None:
    data = {"site_code": "9902000101", "name": "乙", "kind": "portal", "owner_unit": jia.gov_b.pk,
            "homepage_url": "https://www.yi2.gov.cn/"}
    response = client_for(jia.sup_a).post(registry_url("create"), data)
    assert "owner_unit" in response.context["form"].errors
    assert not Website.objects.filter(site_code="9902000101").exists()


def test_editing_through_the_form_saves_and_audits(jia) -> None:
    response = client_for(jia.sup_a).post(registry_url("edit", jia.site_a.pk),
                                          website_form_data(jia.site_a, contact_name="王五"))
    assert response.status_code == 302
    assert Website.objects.get(pk=jia.site_a.pk).contact_name == "王五"
    assert AuditLog.objects.get(event="website.update").detail["changes"]["contact_name"] == ["", "王五"]


def test_the_status_form_offers_allowed_transitions_and_records_history(jia) -> None:
    client = client_for(jia.sup_a)
    form = client.get(registry_url("status", jia.site_a1.pk)).context["form"]
    assert {c for c, _label in form.fields["to_status"].choices} == {"rectifying", "suspended", "offline", "merged"}

    response = client.post(registry_url("status", jia.site_a1.pk),
                           {"to_status": "merged", "reason": "集约化整合", "document_number": "甲政办〔2026〕1号",
                            "merged_into": jia.site_a.pk})
    assert response.status_code == 302
    change = StatusChange.objects.get(website=jia.site_a1)
    assert (change.to_status, change.merged_into, change.changed_by) == ("merged", jia.site_a, jia.sup_a)


def test_the_status_form_shows_the_running_rule(jia) -> None:
    Website.objects.filter(pk=jia.site_a1.pk).update(status=WebsiteStatus.SUSPENDED)
    response = client_for(jia.sup_a).post(registry_url("status", jia.site_a1.pk),
                                          {"to_status": "running", "reason": "恢复"})
    assert response.status_code == 200
    assert "安全检测" in response.context["form"].errors["to_status"][0]


def test_the_security_test_form_records_a_test(jia) -> None:
    response = client_for(jia.sup_a).post(registry_url("security_test", jia.site_a1.pk),
                                          {"tested_on": YESTERDAY.isoformat(), "tester": "示范测评中心",
                                           "report_number": "CP-9", "passed": "1", "notes": ""})
    assert response.status_code == 302
    test = SecurityTest.objects.get(website=jia.site_a1)
    assert (test.passed, test.recorded_by) == (True, jia.sup_a)


def test_the_detail_page_shows_history_and_actions_to_a_supervisor(jia) -> None:
    client = client_for(jia.sup_a)
    client.post(registry_url("status", jia.site_a1.pk), {"to_status": "rectifying", "reason": "首页不更新"})
    page = client.get(registry_url("detail", jia.site_a1.pk)).content.decode()
    assert "首页不更新" in page
    assert registry_url("edit", jia.site_a1.pk) in page
    assert registry_url("status", jia.site_a1.pk) in page


def _sheet(rows: list[list]) -> io.BytesIO:
    workbook = Workbook()
    ws = workbook.active
    ws.append(["网站标识码", "网站名称", "网站类型", "主办单位", "首页网址"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "websites.xlsx"
    return buffer


def test_the_import_page_lists_row_errors_and_imports_nothing(jia) -> None:
    upload = _sheet([["9901000101", "甲市教育局网站", "部门网站", "甲市教育局", "https://jyj.jia.gov.cn/"],
                     ["9901000102", "坏行", "部门网站", "甲市教育局", "https://bad.example.com/"]])
    response = client_for(jia.sup_a).post(registry_url("import"), {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "导入失败，没有导入任何数据" in page
    assert "第 3 行 首页网址：" in page
    assert not Website.objects.filter(site_code="9901000101").exists()


def test_the_import_page_reports_a_wrong_file_type_without_an_error_page(jia) -> None:
    upload = io.BytesIO(b"%PDF-1.4 not a sheet")
    upload.name = "report.pdf"
    response = client_for(jia.sup_a).post(registry_url("import"), {"file": upload})
    assert response.status_code == 200
    assert "文件不是有效的 Excel（.xlsx）文件" in response.content.decode()


def test_a_good_import_redirects_to_the_list_with_counts(jia) -> None:
    upload = _sheet([["9901000101", "甲市教育局网站", "部门网站", "甲市教育局", "https://jyj.jia.gov.cn/"]])
    response = client_for(jia.sup_a).post(registry_url("import"), {"file": upload}, follow=True)
    assert "新增 1 个" in response.content.decode()
    assert Website.objects.get(site_code="9901000101").owner_unit == jia.edu_a


def test_the_export_button_downloads_only_the_users_visible_sites(jia) -> None:
    response = client_for(jia.sup_a).get(registry_url("export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert {row[0] for row in ws.iter_rows(min_row=2, values_only=True)} == {"9901000001", "9901020001"}
    assert AuditLog.objects.filter(event="registry.export", user=jia.sup_a).exists()


def test_the_export_follows_the_list_filters(jia) -> None:
    response = client_for(jia.sup_a).get(registry_url("export"), {"q": "甲一县"})
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[0] for row in ws.iter_rows(min_row=2, values_only=True)] == ["9901020001"]


def test_forms_are_protected_by_csrf(jia) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(jia.sup_a)
    response = client.post(registry_url("status", jia.site_a1.pk), {"to_status": "offline", "reason": "无令牌"})
    assert response.status_code == 403
    assert Website.objects.get(pk=jia.site_a1.pk).status == WebsiteStatus.RUNNING


def test_clearing_the_supervising_unit_on_edit_means_the_owner_itself(jia) -> None:
    Website.objects.filter(pk=jia.site_a1.pk).update(supervising_unit=jia.gov_a)
    site = Website.objects.get(pk=jia.site_a1.pk)
    response = client_for(jia.sup_a).post(registry_url("edit", site.pk), website_form_data(site, supervising_unit=""))
    assert response.status_code == 302
    assert Website.objects.get(pk=site.pk).supervising_unit == jia.gov_a1
