"""登记与修改: the rules a registry entry must satisfy (标识码, 域名, 一单位一网站, 乡镇/县级部门)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from govsite.core.models import AuditLog, Role, Unit
from govsite.registry.models import StatusChange, Website, WebsiteKind, WebsiteStatus
from govsite.registry.services import do_register_website, do_update_website, normalise_host
from govsite.testing import build_mini_region, make_user

from . import department, site_data, site_user, supervisor_of, township

pytestmark = pytest.mark.django_db


@pytest.fixture
def jia(db):  # noqa: ANN001, ANN201
    """The miniature region (registry only, not hosted), 甲市教育局 and the supervisor of 甲市."""
    region = build_mini_region(hosted=False)
    region.edu_a = department(region.gov_a, "甲市教育局")
    region.sup_a = supervisor_of(region.gov_a, "sup_a")
    return region


def errors_of(excinfo: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_registering_a_department_site_under_the_city_portal_domain_creates_a_planning_entry(jia) -> None:
    website = do_register_website(site_data(jia.edu_a), by=jia.sup_a)

    assert website.status == WebsiteStatus.PLANNING
    assert website.owner_unit == jia.edu_a
    history = StatusChange.objects.get(website=website)
    assert (history.from_status, history.to_status, history.changed_by) == ("", WebsiteStatus.PLANNING, jia.sup_a)
    audit = AuditLog.objects.get(event="website.register")
    assert audit.user == jia.sup_a and audit.object_id == str(website.pk)


def test_keyword_arguments_work_like_a_data_dict(jia) -> None:
    website = do_register_website(by=jia.sup_a, **site_data(jia.edu_a, owner_unit=None, owner_unit_id=jia.edu_a.pk))
    assert website.owner_unit == jia.edu_a


def test_supervising_unit_defaults_to_the_owner(jia) -> None:
    website = do_register_website(site_data(jia.edu_a, supervising_unit=None), by=jia.sup_a)
    assert website.supervising_unit == jia.edu_a


@pytest.mark.parametrize("code", ["990100010", "99010001011", "bm1234567", "BM12345678", "99010a0101", ""])
def test_site_code_must_be_ten_digits_or_bm_and_eight_digits(jia, code) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_register_website(site_data(jia.edu_a, site_code=code), by=jia.sup_a)
    assert "网站标识码应为 10 位数字，或 bm 加 8 位数字。" in errors_of(excinfo)["site_code"]


def test_local_site_code_must_start_with_the_owner_division_code(jia) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_register_website(site_data(jia.edu_a, site_code="9902000101"), by=jia.sup_a)
    (message,) = errors_of(excinfo)["site_code"]
    assert "990100" in message and "990200" in message


def test_bm_site_code_needs_no_division_prefix(jia) -> None:
    website = do_register_website(site_data(jia.edu_a, site_code="bm29030010"), by=jia.sup_a)
    assert website.site_code == "bm29030010"


def test_a_site_code_can_be_registered_only_once(jia) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_register_website(site_data(jia.edu_a, site_code="9901000001"), by=jia.sup_a)
    assert "已被登记" in errors_of(excinfo)["site_code"][0]


@pytest.mark.parametrize("url", ["https://jyj.jia.com.cn/", "https://jyj.jia.gov.com/", "https://jiaedu.cn/",
                                 "https://gov.cn/"])
def test_host_must_end_in_gov_cn_or_zhengwu(jia, url) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_register_website(site_data(jia.edu_a, homepage_url=url), by=jia.sup_a)
    assert "政府网站只能使用以 .gov.cn 或 .政务 结尾的域名。" in errors_of(excinfo)["homepage_url"]


@pytest.mark.parametrize("url", ["https://www.甲市.政务/", "https://www.xn--7st092c.xn--zfr164b/"])
def test_a_portal_may_use_the_zhengwu_domain_in_unicode_or_punycode(jia, url) -> None:
    tsp = township(jia.gov_a1)
    data = site_data(tsp, site_code="9901500001", kind=WebsiteKind.PORTAL, homepage_url=url,
                     exception_document="示政办函〔2026〕1号")
    website = do_register_website(data, by=supervisor_of(jia.gov_a))
    assert normalise_host(website.host).endswith(".政务")


def test_punycode_suffix_is_read_as_zhengwu() -> None:
    assert normalise_host("www.XN--ZFR164B") == "www.政务"


@pytest.mark.parametrize("url", ["https://jia2.gov.cn/", "https://portal.jia2.gov.cn/", "https://www.a.jia2.gov.cn/"])
def test_a_portal_host_must_look_like_www_name_gov_cn(jia, url) -> None:
    jia.site_a.status = WebsiteStatus.OFFLINE
    jia.site_a.save()
    data = site_data(jia.gov_a, site_code="9901000002", kind=WebsiteKind.PORTAL, homepage_url=url)
    with pytest.raises(ValidationError) as excinfo:
        do_register_website(data, by=jia.sup_a)
    assert "www.□□□.gov.cn" in errors_of(excinfo)["homepage_url"][0]


@pytest.mark.parametrize("url", ["https://jyj.yi.gov.cn/", "https://jyj.sf.gov.cn.evil.gov.cn/",
                                 "https://www.jia.gov.cn/", "https://jia.gov.cn/"])
def test_a_department_site_must_be_a_subdomain_of_its_government_portal(jia, url) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_register_website(site_data(jia.edu_a, homepage_url=url), by=jia.sup_a)
    assert any("部门网站应使用本级政府门户网站域名的下级域名" in m or "已由另一个在用网站使用" in m
               for m in errors_of(excinfo)["homepage_url"])


def test_a_department_site_may_use_the_parent_government_portal_domain(jia) -> None:
    edu_a1 = department(jia.gov_a1, "甲一县教育局")
    data = site_data(edu_a1, site_code="9901020101", homepage_url="https://jyj.jiayi.jia.gov.cn/",
                     exception_document="示政办函〔2026〕2号")
    assert do_register_website(data, by=jia.sup_a).pk


def test_department_domain_rule_is_skipped_when_no_portal_is_registered(jia) -> None:
    Website.objects.filter(pk=jia.site_b.pk).update(status=WebsiteStatus.OFFLINE)
    Website.objects.filter(pk=jia.portal.pk).update(status=WebsiteStatus.OFFLINE)
    edu_b = department(jia.gov_b, "乙市教育局")
    data = site_data(edu_b, site_code="9902000101", homepage_url="https://jyj.bingding.gov.cn/")
    assert do_register_website(data, by=supervisor_of(jia.gov_b)).pk


def test_two_active_sites_may_not_share_a_host(jia) -> None:
    do_register_website(site_data(jia.edu_a), by=jia.sup_a)
    other = department(jia.gov_a, "甲市水利局")
    with pytest.raises(ValidationError) as excinfo:
        do_register_website(site_data(other, site_code="9901000102"), by=jia.sup_a)
    assert "已由另一个在用网站使用" in errors_of(excinfo)["homepage_url"][0]


def test_a_unit_may_have_only_one_active_site_without_an_exception_document(jia) -> None:
    do_register_website(site_data(jia.edu_a), by=jia.sup_a)
    second = site_data(jia.edu_a, site_code="9901000102", homepage_url="https://zt.jyj.jia.gov.cn/")

    with pytest.raises(ValidationError) as excinfo:
        do_register_website(second, by=jia.sup_a)
    assert "一个单位原则上只开设一个网站" in errors_of(excinfo)["owner_unit"][0]

    second["exception_document"] = "甲政办函〔2026〕3号"
    assert do_register_website(second, by=jia.sup_a).exception_document == "甲政办函〔2026〕3号"


def test_an_offline_site_does_not_count_against_the_one_site_rule(jia) -> None:
    Website.objects.filter(pk=jia.site_a.pk).update(status=WebsiteStatus.OFFLINE)
    data = site_data(jia.gov_a, site_code="9901000002", kind=WebsiteKind.PORTAL, homepage_url="https://www.jia2.gov.cn/")
    assert do_register_website(data, by=jia.sup_a).pk


def test_a_township_government_may_not_open_a_site_without_an_exception_document(jia) -> None:
    tsp = township(jia.gov_a1)
    data = site_data(tsp, site_code="9901500001", kind=WebsiteKind.PORTAL, homepage_url="https://www.cgz.gov.cn/")
    with pytest.raises(ValidationError) as excinfo:
        do_register_website(data, by=jia.sup_a)
    assert "乡镇人民政府、街道办事处原则上不开设政府网站" in errors_of(excinfo)["owner_unit"][0]

    data["exception_document"] = "示政办函〔2026〕5号"
    assert do_register_website(data, by=jia.sup_a).pk


def test_a_county_department_may_not_open_a_site_without_an_exception_document(jia) -> None:
    edu_a1 = department(jia.gov_a1, "甲一县教育局")
    data = site_data(edu_a1, site_code="9901020101", homepage_url="https://jyj.jiayi.gov.cn/")
    with pytest.raises(ValidationError) as excinfo:
        do_register_website(data, by=jia.sup_a)
    assert "县级政府部门原则上不开设网站" in errors_of(excinfo)["owner_unit"][0]

    data["exception_document"] = "甲政办函〔2026〕6号"
    assert do_register_website(data, by=jia.sup_a).pk


def test_only_a_government_opens_a_portal(jia) -> None:
    data = site_data(jia.edu_a, kind=WebsiteKind.PORTAL, homepage_url="https://www.jyj.gov.cn/",
                     exception_document="x")
    with pytest.raises(ValidationError) as excinfo:
        do_register_website(data, by=jia.sup_a)
    assert "只有人民政府开设政府门户网站" in errors_of(excinfo)["kind"][0]


def test_an_offline_history_record_is_exempt_from_domain_and_one_site_rules(jia) -> None:
    data = site_data(jia.gov_a, site_code="9901000009", kind=WebsiteKind.PORTAL,
                     homepage_url="http://jiashi.com.cn/", status=WebsiteStatus.OFFLINE)
    website = do_register_website(data, by=jia.sup_a, reason="2015 年关停的旧门户")
    assert website.status == WebsiteStatus.OFFLINE
    assert StatusChange.objects.get(website=website).reason == "2015 年关停的旧门户"


def test_a_history_record_still_needs_a_valid_site_code(jia) -> None:
    data = site_data(jia.gov_a, site_code="9902000009", status=WebsiteStatus.OFFLINE,
                     homepage_url="http://jiashi.com.cn/")
    with pytest.raises(ValidationError) as excinfo:
        do_register_website(data, by=jia.sup_a)
    assert "site_code" in errors_of(excinfo)


def test_a_merged_history_record_needs_the_site_it_was_merged_into(jia) -> None:
    data = site_data(jia.edu_a, status=WebsiteStatus.MERGED, homepage_url="http://old-jyj.com/")
    with pytest.raises(ValidationError) as excinfo:
        do_register_website(data, by=jia.sup_a)
    assert "merged_into" in errors_of(excinfo)

    website = do_register_website({**data, "merged_into": jia.site_a}, by=jia.sup_a)
    assert website.merged_into == jia.site_a


def test_a_new_site_cannot_be_registered_as_running(jia) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_register_website(site_data(jia.edu_a, status=WebsiteStatus.RUNNING), by=jia.sup_a)
    assert "新登记的网站状态应为“筹建”" in errors_of(excinfo)["status"][0]


def test_a_supervisor_cannot_register_a_site_for_a_unit_outside_their_scope(jia) -> None:
    edu_b = department(jia.gov_b, "乙市教育局")
    with pytest.raises(ValidationError) as excinfo:
        do_register_website(site_data(edu_b, site_code="9902000101", homepage_url="https://jyj.yi.gov.cn/"),
                            by=jia.sup_a)
    assert errors_of(excinfo) == {"owner_unit": ["主办单位不在您的管理范围内。"]}
    assert not Website.objects.filter(site_code="9902000101").exists()


def test_a_site_editor_cannot_register_sites(jia) -> None:
    editor = site_user(Role.EDITOR, jia.site_a)
    with pytest.raises(PermissionDenied):
        do_register_website(site_data(jia.edu_a), by=editor)


def test_all_errors_of_a_registration_are_reported_together(jia) -> None:
    data = site_data(jia.edu_a, site_code="12", homepage_url="https://jyj.example.com/", name="")
    with pytest.raises(ValidationError) as excinfo:
        do_register_website(data, by=jia.sup_a)
    assert {"site_code", "homepage_url", "name"} <= set(errors_of(excinfo))


# --- updates --------------------------------------------------------------------------------------


def test_an_update_changes_the_fields_and_audits_old_and_new_values(jia) -> None:
    website = do_register_website(site_data(jia.edu_a), by=jia.sup_a)
    do_update_website(website, {"contact_phone": "0990-1111111", "name": "甲市教育局门户"}, by=jia.sup_a)

    website.refresh_from_db()
    assert (website.contact_phone, website.name) == ("0990-1111111", "甲市教育局门户")
    audit = AuditLog.objects.get(event="website.update")
    assert audit.detail["changes"]["contact_phone"] == ["0990-7654321", "0990-1111111"]


def test_an_update_that_changes_nothing_writes_nothing(jia) -> None:
    do_update_website(jia.site_a, {"name": jia.site_a.name}, by=jia.sup_a)
    assert not AuditLog.objects.filter(event="website.update").exists()


def test_changing_the_homepage_rechecks_the_domain_rules(jia) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_update_website(jia.site_a, {"homepage_url": "https://www.jia.com/"}, by=jia.sup_a)
    assert "homepage_url" in errors_of(excinfo)
    jia.site_a.refresh_from_db()
    assert jia.site_a.homepage_url == "https://www.jia.gov.cn/"


def test_a_legacy_domain_does_not_block_unrelated_edits(jia) -> None:
    Website.objects.filter(pk=jia.site_a.pk).update(homepage_url="http://www.jiashi.net/")
    jia.site_a.refresh_from_db()
    do_update_website(jia.site_a, {"contact_name": "李四"}, by=jia.sup_a)
    assert Website.objects.get(pk=jia.site_a.pk).contact_name == "李四"


def test_a_failed_update_leaves_the_passed_instance_untouched(jia) -> None:
    with pytest.raises(ValidationError):
        do_update_website(jia.site_a, {"site_code": "9902000009"}, by=jia.sup_a)
    assert jia.site_a.site_code == "9901000001"


def test_status_cannot_be_changed_through_an_update(jia) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_update_website(jia.site_a, {"status": WebsiteStatus.OFFLINE}, by=jia.sup_a)
    assert "变更状态" in errors_of(excinfo)["status"][0]


def test_moving_a_site_to_a_unit_outside_scope_is_refused(jia) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_update_website(jia.site_a1, {"owner_unit": jia.gov_b}, by=supervisor_of(jia.gov_a1))
    assert errors_of(excinfo)["owner_unit"] == ["主办单位不在您的管理范围内。"]


def test_a_supervisor_cannot_update_a_site_outside_their_scope(jia) -> None:
    with pytest.raises(Http404):
        do_update_website(jia.site_b, {"name": "改名"}, by=jia.sup_a)
    assert Website.objects.get(pk=jia.site_b.pk).name == "乙市人民政府网"


def test_a_site_editor_cannot_update_their_own_site_registry_data(jia) -> None:
    editor = site_user(Role.EDITOR, jia.site_a)
    with pytest.raises(PermissionDenied):
        do_update_website(jia.site_a, {"name": "改名"}, by=editor)


def test_an_anonymous_or_unassigned_user_sees_nothing_to_update(jia) -> None:
    with pytest.raises(Http404):
        do_update_website(jia.site_a, {"name": "改名"}, by=make_user())


def test_unit_fixture_shapes(jia) -> None:
    """Guards the assumptions above: 甲一县 is a county, so its departments are county departments."""
    assert department(jia.gov_a1, "甲一县水利局").is_county_department
    assert township(jia.gov_a1).is_township_government
    assert not Unit.objects.get(pk=jia.edu_a.pk).is_county_department
