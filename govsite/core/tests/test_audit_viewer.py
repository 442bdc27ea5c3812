"""审计日志 viewer and export: for the 审计管理员 only (not even a superuser), filtered, paged, audited."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from govsite.core.audit import append_entry, verify_chain
from govsite.core.models import AuditLog
from govsite.testing import client_for, give_role, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor():  # noqa: ANN201
    user = make_user("auditor")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    give_role(user, "audit_admin")
    return user


def _sample() -> None:
    append_entry(user_id=None, username="zhangsan", event="auth.login", source_ip="198.51.100.1")
    append_entry(user_id=None, username="lisi", event="auth.login_failed", result="failure", source_ip="10.1.2.3")
    append_entry(user_id=None, username="lisi", event="website.update", object_repr="=HYPERLINK(\"x\")",
                 source_ip="10.1.9.9", detail={"bad": "a\x01b"})


def test_only_the_audit_administrator_sees_the_menu_and_the_log(auditor):
    superuser = make_user("root", is_superuser=True)
    platform_admin = make_user("platform")
    give_role(platform_admin, "platform_admin")
    platform_admin.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for user in (superuser, platform_admin):
        client = client_for(user)
        assert client.get("/admin/audit/").status_code == 404
        assert client.get("/admin/audit/export/").status_code == 404
        assert "/admin/audit/" not in client.get("/admin/").content.decode()  # the 审计日志 menu item
    client = client_for(auditor)
    assert "/admin/audit/" in client.get("/admin/").content.decode()
    assert client.get("/admin/audit/").status_code == 200
    auditor.is_active = False
    auditor.save()
    assert client_for(auditor).get("/admin/audit/").status_code in (302, 404)


def test_the_viewer_filters_by_time_user_event_result_and_ip_with_chinese_labels(auditor):
    _sample()
    client = client_for(auditor)
    page = client.get("/admin/audit/", {"user": "lisi"}).content.decode()
    assert "登录失败" in page and "修改网站信息" in page and "zhangsan" not in page
    page = client.get("/admin/audit/", {"event": "auth.login_failed"}).content.decode()
    assert 'data-event="auth.login_failed"' in page and 'data-event="website.update"' not in page
    page = client.get("/admin/audit/", {"result": "failure"}).content.decode()
    assert page.count('data-event="auth.login_failed"') == 1 and 'data-event="auth.login"' not in page
    page = client.get("/admin/audit/", {"ip": "10.1.0.0/16"}).content.decode()
    assert 'data-event="auth.login_failed"' in page and 'data-event="website.update"' in page
    assert "198.51.100.1" not in page
    page = client.get("/admin/audit/", {"ip": "198.51.100.1"}).content.decode()
    assert 'data-event="auth.login"' in page and 'data-event="auth.login_failed"' not in page
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    page = client.get("/admin/audit/", {"date_from": tomorrow}).content.decode()
    assert "没有符合条件的审计日志" in page


def test_bad_filter_input_is_answered_in_chinese_not_with_a_500(auditor):
    client = client_for(auditor)
    response = client.get("/admin/audit/", {"ip": "999.1.1.1", "date_from": "2026-02-30", "p": "9999999999999"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "请输入 IP 地址或网段" in page and "data-filter-errors" in page
    response = client.get("/admin/audit/", {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert "起始日期不能晚于截止日期" in response.content.decode()
    response = client.get("/admin/audit/export/", {"ip": "x"})
    assert response.status_code == 400 and "筛选条件有误" in response.content.decode()


def test_the_viewer_pages_fifty_entries_at_a_time(auditor):
    for n in range(60):
        append_entry(user_id=None, username=f"u{n}", event="auth.login")
    client = client_for(auditor)
    first = client.get("/admin/audit/").content.decode()
    second = client.get("/admin/audit/", {"p": "2"}).content.decode()
    assert first.count("data-seq=") == 50
    assert second.count("data-seq=") > 0 and "u0<" in second and "u59<" in first


def test_viewing_and_exporting_are_audited(auditor):
    _sample()
    client = client_for(auditor)
    client.get("/admin/audit/", {"user": "lisi"}, REMOTE_ADDR="192.0.2.8")
    view = AuditLog.objects.filter(event="audit.view").latest("seq")
    assert (view.username, view.source_ip, view.detail["filters"]) == ("auditor", "192.0.2.8", {"user": "lisi"})
    logins = AuditLog.objects.filter(event="auth.login").count()  # the sample's and the client's own
    client.get("/admin/audit/export/", {"format": "csv", "event": "auth.login"})
    export = AuditLog.objects.filter(event="audit.export").latest("seq")
    assert (export.username, export.detail["format"], export.detail["count"]) == ("auditor", "csv", logins)
    assert verify_chain().ok


def test_xlsx_export_holds_the_filtered_entries_safely(auditor):
    _sample()
    response = client_for(auditor).get("/admin/audit/export/", {"user": "lisi"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("序号", "时间", "用户名", "事件", "事件代码", "结果")
    assert [(r[2], r[3], r[5]) for r in rows[1:]] == [("lisi", "登录失败", "失败"), ("lisi", "修改网站信息", "成功")]
    # A formula-looking value stays text; a control character does not break the file.
    assert rows[2][9] == "'=HYPERLINK(\"x\")"
    assert "\x01" not in rows[2][10]


def test_csv_export_is_excel_readable_utf8(auditor):
    _sample()
    response = client_for(auditor).get("/admin/audit/export/", {"format": "csv"})
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][3] == "事件"
    events = [row[4] for row in rows[1:]]
    assert {"auth.login", "auth.login_failed", "website.update"} <= set(events)
    formula = next(row for row in rows[1:] if row[4] == "website.update")
    assert formula[9].startswith("'=")
