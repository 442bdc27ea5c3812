"""Bad input never becomes a 500 or a broken export: control characters, non-ASCII digits, malformed
phones and URLs, over-long text, lone surrogates, NUL and huge integers are refused in Chinese at every
way in (admin form, API, Excel import); exports cope with what is already stored."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from govsite.monitoring import xlsx as monitoring_xlsx
from govsite.registry import xlsx
from govsite.registry.models import StatusChange, Website
from govsite.registry.services import do_register_website, do_set_website_columns, do_update_website
from govsite.testing import build_mini_region, client_for

from . import department, platform_admin, site_data, supervisor_of

pytestmark = pytest.mark.django_db

API = "/api/v1/registry"


@pytest.fixture
def jia(db):  # noqa: ANN001, ANN201
    region = build_mini_region(hosted=False)
    region.sup_a = supervisor_of(region.gov_a, "sup_a")
    region.edu_a = department(region.gov_a, "甲市教育局")
    return region


def refused(jia, **overrides: object) -> dict[str, list[str]]:  # noqa: ANN001
    with pytest.raises(ValidationError) as caught:
        do_register_website(site_data(jia.edu_a, **overrides), by=jia.sup_a)
    assert not Website.objects.filter(owner_unit=jia.edu_a).exists()
    return caught.value.message_dict


# -- codes: ASCII digits only --------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["９９０１０００１０１", "٩٩٠١٠٠٠١٠١", "990100010１", "bm０７000001"])
def test_site_codes_take_ascii_digits_only(jia, code: str) -> None:
    errors = refused(jia, site_code=code)
    assert errors["site_code"] == ["网站标识码应为 10 位数字，或 bm 加 8 位数字。"]


@pytest.mark.parametrize(("field", "value"), [
    ("icp_number", "示ICP备００００００09号"),
    ("icp_number", "ICP 00000009"),
    ("police_record_number", "示公网安备 ９９０１０００２００００09号"),
    ("party_gov_mark", "９９０１000009"),
])
def test_registration_numbers_take_their_format_with_ascii_digits(jia, field: str, value: str) -> None:
    errors = refused(jia, **{field: value})
    assert "半角" in errors[field][0]


def test_well_formed_registration_numbers_are_accepted(jia) -> None:
    website = do_register_website(site_data(jia.edu_a, icp_number="京ICP备12345678号-1",
                                            police_record_number="京公网安备11010502030143号",
                                            party_gov_mark="0E4E1C0A5B2A1B21"), by=jia.sup_a)
    assert website.icp_number == "京ICP备12345678号-1"


# -- characters no export or database can take --------------------------------------------------------

@pytest.mark.parametrize("bad", ["\x07", "\x00", "\x1b[31m", "\u0085", "\ud800", "\ufffe", "甲\n乙"])
@pytest.mark.parametrize("field", ["name", "contact_name", "address", "exception_reason"])
def test_control_characters_are_refused_in_registry_text(jia, field: str, bad: str) -> None:
    errors = refused(jia, **{field: f"甲市{bad}教育局"})
    assert any(word in errors[field][0] for word in ("控制字符", "字符编码", "换行符"))


def test_the_admin_form_shows_the_control_character_message_instead_of_failing(jia) -> None:
    data = {"site_code": "9901000101", "name": "甲市教育局\x07网站", "kind": "department",
            "owner_unit": jia.edu_a.pk, "homepage_url": "https://jyj.jia.gov.cn/", "contact_phone": "0990-1234567"}
    response = client_for(jia.sup_a).post(reverse("registry:create"), data)
    assert response.status_code == 200
    assert "不可见的控制字符（U+0007" in response.content.decode()
    assert not Website.objects.filter(site_code="9901000101").exists()


def test_an_update_is_checked_but_an_old_value_does_not_block_other_edits(jia) -> None:
    website = do_register_website(site_data(jia.edu_a), by=jia.sup_a)
    with pytest.raises(ValidationError) as caught:
        do_update_website(website, {"address": "人民路\x0b1 号"}, by=jia.sup_a)
    assert "address" in caught.value.message_dict
    Website.objects.filter(pk=website.pk).update(contact_phone="0990-1")  # stored before the rule existed
    do_update_website(website, {"name": "甲市教育局门户"}, by=jia.sup_a)
    assert Website.objects.get(pk=website.pk).name == "甲市教育局门户"


def test_monitored_columns_refuse_control_characters(jia) -> None:
    with pytest.raises(ValidationError) as caught:
        do_set_website_columns(jia.site_a, [{"name": "政务\x07要闻", "url": "https://www.jia.gov.cn/zwyw/"}],
                               by=jia.sup_a)
    assert "控制字符" in caught.value.message_dict["columns"][0]


# -- phones, URLs, lengths ----------------------------------------------------------------------------

@pytest.mark.parametrize("phone", ["0990-7654321", "010-12345678", "(0990)7654321", "13800138000", "400-810-8888",
                                   "12345", "0990-7654321转123", "0990-7654321、0990-7654322", "+86 10 12345678"])
def test_real_telephone_numbers_are_accepted(jia, phone: str) -> None:
    website = do_register_website(site_data(jia.edu_a, contact_phone=phone), by=jia.sup_a)
    assert website.contact_phone == phone


@pytest.mark.parametrize("phone", ["0990-1", "电话", "０９９０-7654321", "010-1234567890123", "0990-7654321;" * 6])
def test_malformed_telephone_numbers_are_refused(jia, phone: str) -> None:
    assert "电话" in refused(jia, contact_phone=phone)["contact_phone"][0]


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://jyj.jia.gov.cn/", "http://"),
    ("https://jyj.jia.gov.cn:99999/", "端口"),
    ("https://admin:secret@jyj.jia.gov.cn/", "用户名"),
    ("https://jyj.jia.gov.cn/" + "a" * 300, "300"),
])
def test_homepage_urls_are_checked_with_chinese_messages(jia, url: str, message: str) -> None:
    assert message in refused(jia, homepage_url=url)["homepage_url"][0]


def test_over_long_text_gets_a_chinese_message_not_a_database_error(jia) -> None:
    errors = refused(jia, name="甲" * 201, contact_name="乙" * 65)
    assert "200" in errors["name"][0] and "64" in errors["contact_name"][0]


# -- the API --------------------------------------------------------------------------------------------

def post_json(client, url: str, body: str):  # noqa: ANN001, ANN201
    return client.post(url, body, content_type="application/json")


def test_a_lone_surrogate_in_json_is_a_400_in_chinese(jia) -> None:
    client = client_for(jia.sup_a)
    response = post_json(client, f"{API}/websites/9901020001/status",
                         '{"to_status": "suspended", "reason": "\\ud800"}')
    assert response.status_code == 400
    assert "无效的字符编码" in response.json()["detail"]
    response = client.put(f"{API}/websites/9901020001/columns", '[{"name": "\\udfff", "url": "https://x/"}]',
                          content_type="application/json")
    assert response.status_code == 400
    assert not StatusChange.objects.filter(website=jia.site_a1, to_status="suspended").exists()


def test_nul_in_json_or_query_or_path_is_refused(jia) -> None:
    client = client_for(jia.sup_a)
    assert post_json(client, f"{API}/websites/9901020001/status",
                     '{"to_status": "suspended", "reason": "\\u0000"}').status_code == 400
    response = client.get(f"{API}/websites?status=%00")
    assert response.status_code == 422
    assert client.get(f"{API}/websites/%00").status_code == 422
    assert client.get("/api/v1/content/pages?site_code=%00").status_code == 422
    assert client.get(f"{API}/websites?kind=x").json()["detail"][0]["msg"].startswith("取值无效")


def test_an_over_long_document_number_is_a_422_in_chinese(jia) -> None:
    response = post_json(client_for(jia.sup_a), f"{API}/websites/9901020001/status",
                         json.dumps({"to_status": "suspended", "reason": "机房搬迁", "document_number": "1" * 101}))
    assert response.status_code == 422
    assert response.json()["errors"]["document_number"] == ["不能超过 100 个字符（现有 101 个）。"]
    assert not StatusChange.objects.filter(website=jia.site_a1, to_status="suspended").exists()


@pytest.mark.parametrize("query", [
    "/api/v1/registry/websites?page=99999999999999999999",
    "/api/v1/registry/websites?page=9999999999999",
    "/api/v1/registry/websites?page_size=99999999999999999999",
    "/api/v1/content/pages?limit=99999999999999999999",
    "/api/v1/content/pages?offset=99999999999999999999",
    "/api/v1/content/pages?offset=9223372036854775807",
])
def test_huge_paging_numbers_are_a_422_in_chinese(jia, query: str) -> None:
    response = client_for(platform_admin("admin")).get(query)
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"].startswith("应不大于")


def test_paging_within_bounds_still_works(jia) -> None:
    client = client_for(platform_admin("admin"))
    assert client.get(f"{API}/websites?page=1000000").json()["items"] == []
    assert client.get("/api/v1/content/pages?limit=100000&offset=100000000").status_code == 200


# -- exports of what is already stored ------------------------------------------------------------------

def test_the_registry_export_survives_control_characters_already_stored(jia) -> None:
    Website.objects.filter(pk=jia.site_a.pk).update(name="甲市\x07人民政府网\x1b", address="人民路\x01 1 号")  # NUL: PostgreSQL stores none
    content = xlsx.export(Website.objects.all())
    sheet = load_workbook(io.BytesIO(content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "甲市人民政府网" in names


def test_the_monitoring_export_survives_control_characters(jia) -> None:
    content = monitoring_xlsx._workbook("检测", ["说明"], [["页面\x08标题\x1f"]])  # noqa: SLF001
    assert load_workbook(io.BytesIO(content)).active["A2"].value == "页面标题"


# -- the Excel import ----------------------------------------------------------------------------------

def test_the_import_refuses_control_characters_and_full_width_codes_by_row(jia) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["网站标识码", "网站名称", "网站类型", "主办单位", "首页网址", "联系电话"])
    # XML cannot carry C0 controls, but it carries C1 controls and line breaks, and openpyxl reads them.
    sheet.append(["9901000101", "甲市教育局\x85网站", "部门网站", "甲市教育局", "https://jyj.jia.gov.cn/", "0990-1234567"])
    sheet.append(["９９０１０００１０２", "甲市卫健委网站", "部门网站", "甲市人民政府", "https://wjw.jia.gov.cn/",
                  "0990-1234567"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    result = xlsx.import_websites(data, by=jia.sup_a)
    assert not result.ok
    assert any(m.startswith("第 2 行 网站名称：") and "U+0085" in m for m in result.errors)
    assert any(m.startswith("第 3 行 网站标识码：") for m in result.errors)
    assert not Website.objects.filter(site_code="9901000101").exists()
