"""Excel export and import of the registry: same layout both ways, all rows or none, clear row errors."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import Workbook, load_workbook

from govsite.core.models import AuditLog, Unit
from govsite.registry import xlsx
from govsite.registry.models import SecurityTest, StatusChange, Website, WebsiteKind, WebsiteStatus
from govsite.registry.services import do_change_status, do_record_security_test, do_register_website
from govsite.testing import build_mini_region

from . import YESTERDAY, department, platform_admin, site_data, supervisor_of

pytestmark = pytest.mark.django_db

S = WebsiteStatus
HEADERS = ["网站标识码", "网站名称", "网站类型", "主管单位", "主办单位", "承办单位", "首页网址", "ICP备案号",
           "公安机关备案号", "党政机关网站标识", "联系人", "联系电话", "联系邮箱", "地址", "等保级别", "最近测评日期",
           "最近测评结论", "状态", "整合至", "例外审批文号"]
COMPARED = ("site_code", "name", "kind", "supervising_unit_id", "owner_unit_id", "operator_unit_id", "homepage_url",
            "icp_number", "police_record_number", "party_gov_mark", "contact_name", "contact_phone", "contact_email",
            "address", "protection_level", "last_assessment_date", "last_assessment_result", "status",
            "merged_into__site_code", "exception_document", "exception_reason")


@pytest.fixture
def region(db):  # noqa: ANN001, ANN201
    """The miniature region (each running site with its passed 安全检测) plus a running department site,
    an old site merged into it and an offline legacy record."""
    r = build_mini_region(hosted=False)
    r.admin = platform_admin("admin")
    for running in (r.portal, r.site_a, r.site_b, r.site_a1):
        do_record_security_test(running, tested_on=YESTERDAY, tester="示范测评中心", passed=True, by=r.admin)
    r.sup_a = supervisor_of(r.gov_a, "sup_a")
    r.edu_a = department(r.gov_a, "甲市教育局")
    r.edu = do_register_website(
        site_data(r.edu_a, operator_unit=r.gov_a, protection_level=3, last_assessment_date=YESTERDAY,
                  last_assessment_result="good"),
        by=r.admin,
    )
    do_record_security_test(r.edu, tested_on=YESTERDAY, tester="示范测评中心", report_number="CP-1", passed=True,
                            by=r.admin)
    do_change_status(r.edu, S.RUNNING, by=r.admin, reason="上线")
    r.old = do_register_website(
        site_data(r.edu_a, site_code="9901000199", name="甲市教育信息网（旧）", homepage_url="http://jyxx.com.cn/",
                  status=S.MERGED, merged_into=r.edu),
        by=r.admin,
    )
    r.legacy = do_register_website(
        site_data(r.gov_b, site_code="9902000099", name="乙市旧门户", kind=WebsiteKind.PORTAL,
                  homepage_url="http://yishi.net/", status=S.OFFLINE, contact_name="=HYPERLINK(\"http://x\")"),
        by=r.admin,
    )
    return r


def snapshot(queryset=None) -> dict[str, tuple]:  # noqa: ANN001
    rows = (queryset or Website.objects.all()).values_list(*COMPARED)
    return {row[0]: row for row in rows}


def sheet(rows: list[list], headers: list[str] | None = None) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.append(headers or HEADERS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row_for(code: str, name: str, owner: str, url: str, **extra: str) -> list:
    values = {"网站标识码": code, "网站名称": name, "网站类型": "部门网站", "主办单位": owner, "首页网址": url} | extra
    return [values.get(h) for h in HEADERS]


def read_export(content: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(content)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


# --- export ---------------------------------------------------------------------------------------


def test_export_has_the_chinese_headers_and_one_row_per_site(region) -> None:
    rows = read_export(xlsx.export(Website.objects.all()))
    assert rows[0][: len(HEADERS)] == HEADERS
    assert sorted(r[0] for r in rows[1:]) == sorted(Website.objects.values_list("site_code", flat=True))


def test_export_writes_labels_units_and_the_latest_passed_security_test(region) -> None:
    rows = read_export(xlsx.export(Website.objects.filter(pk=region.edu.pk)))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["网站类型"] == "部门网站"
    assert record["状态"] == "运行"
    assert record["主办单位"] == "甲市教育局"
    assert record["承办单位"] == "甲市人民政府"
    assert record["等保级别"] == "第三级"
    assert record["最近测评结论"] == "优"
    assert (record["安全检测机构"], record["安全检测结论"]) == ("示范测评中心", "通过")


def test_export_never_writes_formulas(region) -> None:
    content = xlsx.export(Website.objects.filter(pk=region.legacy.pk))
    ws = load_workbook(io.BytesIO(content)).active
    cell = ws.cell(row=2, column=HEADERS.index("联系人") + 1)
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")


def test_a_shared_unit_name_is_exported_with_its_division_code(region) -> None:
    Unit.objects.create(name="甲市教育局", kind=Unit.Kind.DEPARTMENT, region=region.prefecture_b, parent=region.gov_b)
    rows = read_export(xlsx.export(Website.objects.filter(pk=region.edu.pk)))
    assert dict(zip(rows[0], rows[1], strict=True))["主办单位"] == "甲市教育局（990100）"


# --- round trips ----------------------------------------------------------------------------------


def test_importing_an_export_unchanged_changes_nothing(region) -> None:
    before = snapshot()
    history = StatusChange.objects.count()

    result = xlsx.import_websites(xlsx.export(Website.objects.all()), by=region.admin)

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, Website.objects.count())
    assert snapshot() == before
    assert StatusChange.objects.count() == history


def test_importing_an_export_restores_edited_fields(region) -> None:
    content = xlsx.export(Website.objects.all())
    before = snapshot()
    Website.objects.filter(pk=region.edu.pk).update(contact_phone="000", name="改过的名称", protection_level=None)

    result = xlsx.import_websites(content, by=region.admin)

    assert (result.ok, result.updated) == (True, 1)
    assert snapshot() == before


def test_exporting_and_importing_into_an_empty_registry_recreates_the_same_data(region) -> None:
    content = xlsx.export(Website.objects.all())
    before = snapshot()
    Website.objects.filter(merged_into__isnull=False).delete()
    Website.objects.all().delete()

    result = xlsx.import_websites(content, by=region.admin)

    assert result.ok, result.errors
    assert result.created == len(before)
    assert snapshot() == before
    edu = Website.objects.get(site_code=region.edu.site_code)
    assert edu.security_tests.get().report_number == "CP-1"
    assert list(edu.status_changes.order_by("id").values_list("from_status", "to_status")) == [
        ("", S.PLANNING), (S.PLANNING, S.RUNNING)]


def test_a_supervisor_round_trip_covers_only_their_sites(region) -> None:
    from govsite.registry.access import websites_visible_to

    content = xlsx.export(websites_visible_to(region.sup_a))
    codes = {r[0] for r in read_export(content)[1:]}
    assert codes == {"9901000001", "9901020001", region.edu.site_code, region.old.site_code}
    assert xlsx.import_websites(content, by=region.sup_a).ok


# --- all or nothing -------------------------------------------------------------------------------


def test_one_bad_row_imports_nothing_and_reports_its_row_number(region) -> None:
    water = department(region.gov_a, "甲市水利局")
    rows = [
        row_for("9901000201", "甲市水利局网站", water.name, "https://slj.jia.gov.cn/"),
        row_for("9901000001", "甲市人民政府门户网站", "甲市人民政府", "https://www.jia.gov.cn/",
                网站类型="政府门户网站", 状态="运行"),
        row_for("9902000202", "甲市交通局网站", water.name, "https://jtj.jia.gov.cn/", 主管单位=water.name),
        row_for("9901000203", "甲市文旅局网站", water.name, "https://wlj.jia.com/"),
    ]
    before = snapshot()
    audit_before = AuditLog.objects.exclude(event="registry.import").count()

    result = xlsx.import_websites(sheet(rows), by=region.sup_a)

    assert not result.ok
    assert (result.created, result.updated) == (0, 0)
    assert any(e.startswith("第 4 行 网站标识码：") and "990100" in e for e in result.errors)
    assert any(e.startswith("第 5 行 首页网址：") for e in result.errors)
    assert all(not e.startswith(("第 2 行", "第 3 行")) for e in result.errors)
    assert snapshot() == before
    assert not Website.objects.filter(site_code="9901000201").exists()
    assert AuditLog.objects.exclude(event="registry.import").count() == audit_before
    assert AuditLog.objects.get(event="registry.import").result == "failure"


def test_a_successful_import_counts_created_and_updated_and_is_audited(region) -> None:
    water = department(region.gov_a, "甲市水利局")
    rows = [
        row_for("9901000201", "甲市水利局网站", water.name, "https://slj.jia.gov.cn/"),
        row_for("9901000001", "甲市人民政府网", "甲市人民政府", "https://www.jia.gov.cn/", 网站类型="政府门户网站",
                联系电话="0990-8888888"),
    ]
    result = xlsx.import_websites(sheet(rows), by=region.sup_a)

    assert (result.ok, result.created, result.updated, result.unchanged) == (True, 1, 1, 0)
    assert Website.objects.get(site_code="9901000201").status == S.PLANNING
    assert Website.objects.get(site_code="9901000001").contact_phone == "0990-8888888"
    assert AuditLog.objects.get(event="registry.import").detail["created"] == 1


def test_columns_may_come_in_any_order_with_extra_columns_ignored(region) -> None:
    water = department(region.gov_a, "甲市水利局")
    headers = ["备注", "首页网址", "主办单位", "网站类型", "网站名称", "序号", "网站标识码"]
    content = sheet([["新建", "https://slj.jia.gov.cn/", water.name, "部门网站", "甲市水利局网站", 1, 9901000201]],
                    headers)
    result = xlsx.import_websites(content, by=region.sup_a)
    assert result.ok, result.errors
    assert Website.objects.get(site_code="9901000201").owner_unit == water


def test_a_site_code_listed_twice_is_reported(region) -> None:
    water = department(region.gov_a, "甲市水利局")
    rows = [row_for("9901000201", "甲市水利局网站", water.name, "https://slj.jia.gov.cn/")] * 2
    result = xlsx.import_websites(sheet(rows), by=region.sup_a)
    assert result.errors == ["第 3 行 网站标识码：与第 2 行重复。"]


def test_unknown_and_ambiguous_unit_names_are_reported(region) -> None:
    department(region.gov_a1, "规划局", region.county_a1)
    department(region.gov_a, "规划局")
    rows = [
        row_for("9901000201", "甲市水利局网站", "甲市水务局", "https://slj.jia.gov.cn/"),
        row_for("9901000202", "规划局网站", "规划局", "https://ghj.jia.gov.cn/"),
    ]
    result = xlsx.import_websites(sheet(rows), by=region.sup_a)
    assert "第 2 行 主办单位：找不到名为“甲市水务局”的机构，或该机构不在您的管理范围内。" in result.errors
    assert any(e.startswith("第 3 行 主办单位：有多个名为“规划局”的机构") for e in result.errors)

    rows[1] = row_for("9901000202", "规划局网站", "规划局（990100）", "https://ghj.jia.gov.cn/")
    rows[0] = row_for("9901000201", "甲市水利局网站", "规划局（990102）", "https://slj.jia.gov.cn/",
                      例外审批文号="甲政办函〔2026〕7号", 网站标识码="9901020201")
    result = xlsx.import_websites(sheet(rows), by=region.sup_a)
    assert result.ok, result.errors


def test_a_unit_outside_the_importers_scope_is_not_found(region) -> None:
    rows = [row_for("9902000201", "乙市人民政府网", "乙市人民政府", "https://www.yi2.gov.cn/", 网站类型="政府门户网站")]
    result = xlsx.import_websites(sheet(rows), by=region.sup_a)
    assert result.errors == ["第 2 行 主办单位：找不到名为“乙市人民政府”的机构，或该机构不在您的管理范围内。"]


def test_a_site_outside_the_importers_scope_cannot_be_updated(region) -> None:
    rows = [row_for("9902000001", "乙市人民政府网", "甲市人民政府", "https://www.yi.gov.cn/", 网站类型="政府门户网站")]
    result = xlsx.import_websites(sheet(rows), by=region.sup_a)
    assert result.errors == ["第 2 行 网站标识码：该标识码已被登记，但该网站不在您的管理范围内。"]
    assert Website.objects.get(site_code="9902000001").owner_unit == region.gov_b


def test_bad_cell_values_are_reported_with_the_column(region) -> None:
    water = department(region.gov_a, "甲市水利局")
    rows = [row_for("9901000201", "甲市水利局网站", water.name, "https://slj.jia.gov.cn/",
                    最近测评日期="去年", 网站类型="门户部门", 等保级别="五级")]
    errors = xlsx.import_websites(sheet(rows), by=region.sup_a).errors
    assert any(e.startswith("第 2 行 最近测评日期：无法识别的日期“去年”") for e in errors)
    assert any(e.startswith("第 2 行 网站类型：无法识别的网站类型“门户部门”") for e in errors)
    assert any(e.startswith("第 2 行 等保级别：") for e in errors)


# --- status in the sheet --------------------------------------------------------------------------


def test_a_new_running_row_without_a_passed_security_test_is_refused(region) -> None:
    water = department(region.gov_a, "甲市水利局")
    rows = [row_for("9901000201", "甲市水利局网站", water.name, "https://slj.jia.gov.cn/", 状态="运行")]
    result = xlsx.import_websites(sheet(rows), by=region.sup_a)
    assert len(result.errors) == 1
    assert result.errors[0].startswith("第 2 行 状态：网站须有一次通过的安全检测记录才能转为运行")
    assert "安全检测日期、安全检测机构、安全检测结论" in result.errors[0]
    assert not Website.objects.filter(site_code="9901000201").exists()


def test_a_new_running_row_with_a_failed_security_test_is_refused(region) -> None:
    water = department(region.gov_a, "甲市水利局")
    headers = [*HEADERS, "安全检测日期", "安全检测机构", "安全检测结论"]
    row = [*row_for("9901000201", "甲市水利局网站", water.name, "https://slj.jia.gov.cn/", 状态="运行"),
           YESTERDAY, "示范测评中心", "未通过"]
    result = xlsx.import_websites(sheet([row], headers), by=region.sup_a)
    assert not result.ok
    assert not SecurityTest.objects.filter(website__site_code="9901000201").exists()


def test_a_new_running_row_with_a_passed_security_test_registers_the_running_site(region) -> None:
    water = department(region.gov_a, "甲市水利局")
    headers = [*HEADERS, "安全检测日期", "安全检测机构", "安全检测结论", "状态变更文号"]
    row = [*row_for("9901000201", "甲市水利局网站", water.name, "https://slj.jia.gov.cn/", 状态="运行"),
           YESTERDAY.isoformat(), "示范测评中心", "通过", "甲政办函〔2020〕1号"]

    result = xlsx.import_websites(sheet([row], headers), by=region.sup_a)

    assert result.ok, result.errors
    website = Website.objects.get(site_code="9901000201")
    assert website.status == S.RUNNING
    assert website.security_tests.get().passed
    change = website.status_changes.get(to_status=S.RUNNING)
    assert (change.changed_by, change.document_number) == (region.sup_a, "甲政办函〔2020〕1号")


def test_a_new_offline_row_records_history_without_the_domain_rules(region) -> None:
    rows = [row_for("9901000299", "甲市旧网站", "甲市教育局", "http://jiaold.net/", 状态="永久下线")]
    result = xlsx.import_websites(sheet(rows), by=region.sup_a)
    assert result.ok, result.errors
    assert Website.objects.get(site_code="9901000299").status == S.OFFLINE


def test_changing_an_existing_sites_status_needs_a_reason(region) -> None:
    rows = [row_for("9901020001", "甲一县人民政府网", "甲一县人民政府", "https://www.jiayi.gov.cn/",
                    网站类型="政府门户网站", 状态="临时关停")]
    result = xlsx.import_websites(sheet(rows), by=region.sup_a)
    assert result.errors == ["第 2 行 状态变更理由：请填写变更理由。"]

    headers = [*HEADERS, "状态变更理由"]
    result = xlsx.import_websites(sheet([[*rows[0], "机房搬迁"]], headers), by=region.sup_a)
    assert result.ok, result.errors
    assert Website.objects.get(site_code="9901020001").status_changes.get(to_status=S.SUSPENDED).reason == "机房搬迁"


def test_rows_merged_into_a_site_further_down_are_imported_after_it(region) -> None:
    water = department(region.gov_a, "甲市水利局")
    headers = [*HEADERS, "安全检测日期", "安全检测机构", "安全检测结论"]
    old = [*row_for("9901000298", "甲市水利旧网", water.name, "http://slold.net/", 状态="已整合", 整合至="9901000201"),
           None, None, None]
    new = [*row_for("9901000201", "甲市水利局网站", water.name, "https://slj.jia.gov.cn/", 状态="运行"),
           YESTERDAY, "示范测评中心", "通过"]
    result = xlsx.import_websites(sheet([old, new], headers), by=region.sup_a)
    assert result.ok, result.errors
    assert Website.objects.get(site_code="9901000298").merged_into.site_code == "9901000201"


# --- bad files ------------------------------------------------------------------------------------


def test_a_file_that_is_not_xlsx_is_refused_with_a_message(region) -> None:
    upload = SimpleUploadedFile("websites.csv", "网站标识码,网站名称\n9901000001,甲市\n".encode())
    result = xlsx.import_websites(upload, by=region.sup_a)
    assert result.errors == ["文件不是有效的 Excel（.xlsx）文件，请使用导出的模板填写。"]


def test_an_old_xls_file_gets_a_save_as_hint(region) -> None:
    result = xlsx.import_websites(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, by=region.sup_a)
    assert "另存为 .xlsx" in result.errors[0]


def test_a_zip_that_is_not_a_workbook_is_refused(region) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "你好")
    assert xlsx.import_websites(buffer.getvalue(), by=region.sup_a).errors == [
        "文件不是有效的 Excel（.xlsx）文件，请使用导出的模板填写。"]


def test_an_empty_file_is_refused(region) -> None:
    assert xlsx.import_websites(b"", by=region.sup_a).errors == ["上传的文件是空的。"]


def test_a_sheet_without_data_rows_is_refused(region) -> None:
    assert xlsx.import_websites(sheet([]), by=region.sup_a).errors == ["文件中没有数据行。"]


def test_missing_required_headers_are_named(region) -> None:
    content = sheet([["9901000201", "甲市水利局网站"]], ["网站标识码", "网站名称"])
    assert xlsx.import_websites(content, by=region.sup_a).errors == [
        "缺少必需的列：网站类型、主办单位、首页网址。"]


def test_a_sheet_without_a_header_row_is_refused(region) -> None:
    content = sheet([["9901000201"]] * 6, ["甲", "乙"])
    assert "没有找到表头行" in xlsx.import_websites(content, by=region.sup_a).errors[0]


@override_settings(GOVSITE_IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused(region) -> None:
    upload = SimpleUploadedFile("big.xlsx", sheet([]))
    assert "文件过大" in xlsx.import_websites(upload, by=region.sup_a).errors[0]


@override_settings(GOVSITE_IMPORT_MAX_ROWS=3)
def test_a_sheet_with_too_many_rows_is_refused(region) -> None:
    rows = [row_for(f"99010002{i:02d}", "x", "甲市人民政府", "https://x.jia.gov.cn/") for i in range(4)]
    assert xlsx.import_websites(sheet(rows), by=region.sup_a).errors == ["数据超过 3 行，请分批导入。"]


def test_a_user_without_a_unit_scope_cannot_import(region) -> None:
    from django.core.exceptions import PermissionDenied

    from govsite.testing import make_user

    with pytest.raises(PermissionDenied):
        xlsx.import_websites(sheet([]), by=make_user())


# --- rows the importer may read but not change ----------------------------------------------------


def test_a_row_the_importer_may_only_read_is_unchanged_when_equal_and_refused_when_changed(region) -> None:
    from govsite.core.models import Role
    from govsite.registry.access import websites_visible_to
    from govsite.testing import give_role

    give_role(region.sup_a, Role.EVALUATOR, website=region.site_b)  # sees 乙市's portal, may not change it
    content = xlsx.export(websites_visible_to(region.sup_a))
    assert region.site_b.site_code in {r[0] for r in read_export(content)[1:]}
    before = snapshot()

    result = xlsx.import_websites(content, by=region.sup_a)

    assert result.ok, result.errors
    assert result.unchanged == websites_visible_to(region.sup_a).count()
    assert snapshot() == before

    rows = read_export(content)
    line = next(i for i, r in enumerate(rows) if r[0] == region.site_b.site_code)
    rows[line][rows[0].index("联系电话")] = "0990-1111111"
    result = xlsx.import_websites(sheet(rows[1:], rows[0]), by=region.sup_a)
    assert result.errors == [f"第 {line + 1} 行 网站标识码：您可以查看但无权修改该网站的登记信息，本行与库中不同的列：联系电话。"]
    assert snapshot() == before


def test_a_unit_cell_naming_the_stored_unit_keeps_it_even_outside_the_scope(region) -> None:
    Website.objects.filter(pk=region.edu.pk).update(operator_unit=region.gov)  # set above 甲市 by the platform
    content = xlsx.export(Website.objects.filter(pk=region.edu.pk))
    assert dict(zip(*read_export(content), strict=True))["承办单位"] == "示范自治区人民政府"

    assert xlsx.import_websites(content, by=region.sup_a).unchanged == 1

    rows = read_export(content)
    rows[1][rows[0].index("承办单位")] = "乙市人民政府"
    result = xlsx.import_websites(sheet(rows[1:], rows[0]), by=region.sup_a)
    assert result.errors == ["第 2 行 承办单位：找不到名为“乙市人民政府”的机构，或该机构不在您的管理范围内。"
                             "库中现为“示范自治区人民政府”，不改动可保持原值。"]
    assert Website.objects.get(pk=region.edu.pk).operator_unit == region.gov
