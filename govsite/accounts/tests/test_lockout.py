"""登录失败处理: lockout per account and per client address (behind the trusted proxy), cool-off, the
Chinese lockout page, the audit entry and unlocking by an administrator."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from govsite.adminui.tests.crawl import ALLOWED_WORDS, english_in
from govsite.core.models import AuditLog
from govsite.testing import client_for, make_user

from .helpers import PASSWORD, password_step

pytestmark = pytest.mark.django_db
LIMIT = 5


def _fail(username: str, address: str, **extra) -> None:
    response = password_step(Client(), username, "wrong-password", REMOTE_ADDR=address, **extra)
    assert response.status_code in (200, 429)


def _logs_in(username: str, address: str, **extra) -> bool:
    response = password_step(Client(), username, PASSWORD, REMOTE_ADDR=address, **extra)
    return response.status_code == 302


def test_an_account_is_locked_after_repeated_failures_from_any_addresses() -> None:
    make_user("staff", is_staff=True)
    for n in range(LIMIT):
        _fail("staff", f"198.51.100.{n + 1}")
    response = password_step(Client(HTTP_ACCEPT_LANGUAGE="en"), "staff", PASSWORD, REMOTE_ADDR="203.0.113.50")
    assert response.status_code == 429
    html = response.content.decode()
    assert "登录已锁定" in html and "连续 5 次" in html and "30 分钟" in html
    assert english_in("/admin/login/", html, ALLOWED_WORDS) == []
    # another account from the same addresses is not affected
    make_user("colleague", is_staff=True)
    assert _logs_in("colleague", "198.51.100.1")


def test_failures_below_the_limit_are_forgotten_after_a_successful_login() -> None:
    make_user("staff", is_staff=True)
    for n in range(LIMIT - 1):
        _fail("staff", f"198.51.100.{n + 1}")
    assert _logs_in("staff", "198.51.100.9")
    for n in range(LIMIT - 1):
        _fail("staff", f"198.51.100.{n + 1}")
    assert _logs_in("staff", "198.51.100.9")


def test_an_address_is_locked_after_failures_on_many_accounts() -> None:
    make_user("staff", is_staff=True)
    for n in range(LIMIT):
        _fail(f"guess{n}", "198.51.100.77")
    assert not _logs_in("staff", "198.51.100.77")
    assert _logs_in("staff", "198.51.100.78")


def test_the_lock_ends_after_the_cool_off() -> None:
    make_user("staff", is_staff=True)
    for n in range(LIMIT):
        _fail("staff", f"198.51.100.{n + 1}")
    assert not _logs_in("staff", "203.0.113.50")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    assert _logs_in("staff", "203.0.113.50")


def test_behind_the_trusted_proxy_each_client_is_counted_by_its_own_address(settings) -> None:
    settings.GOVSITE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    make_user("staff", is_staff=True)
    for n in range(LIMIT):
        _fail(f"guess{n}", "10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.77"}
    # the attacker is locked, however it presents itself through the proxy; others behind it are not
    assert not _logs_in("staff", "10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert not _logs_in("staff", "10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.77")
    assert _logs_in("staff", "10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.78")


def test_a_lockout_is_written_to_the_audit_log() -> None:
    make_user("staff", is_staff=True)
    for n in range(LIMIT):
        _fail("staff", f"198.51.100.{n + 1}")
    entry = AuditLog.objects.filter(event="auth.lockout").latest("pk")
    assert entry.result == "failure" and entry.detail["username"] == "staff"
    assert entry.source_ip == "198.51.100.5"


def test_an_administrator_unlocks_an_account_and_others_may_not() -> None:
    make_user("staff", is_staff=True)
    for n in range(LIMIT):
        _fail("staff", f"198.51.100.{n + 1}")
    editor = client_for(make_user("editor", is_staff=True))
    assert editor.get("/admin/login-lockouts/").status_code in (302, 403)
    admin = client_for(make_user("root", is_staff=True, is_superuser=True))
    page = admin.get("/admin/login-lockouts/")
    assert page.status_code == 200 and "staff" in page.content.decode() and "解除锁定" in page.content.decode()
    assert admin.post("/admin/login-lockouts/", {"username": "staff"}).status_code == 302
    assert _logs_in("staff", "203.0.113.50")
    assert AuditLog.objects.filter(event="auth.unlock", username="root").exists()
    assert "staff" not in admin.get("/admin/login-lockouts/").content.decode().split("被锁定的账号")[1]


def test_the_security_administrator_unlocks_and_the_audit_administrator_may_not() -> None:
    """登录锁定 is security policy: 安全管理员 handles it (三权分立), 审计管理员 only reads the log."""
    from govsite.core.models import Role
    from govsite.testing import give_role

    make_user("staff", is_staff=True)
    for n in range(LIMIT):
        _fail("staff", f"198.51.100.{n + 1}")
    security = make_user("secadmin")
    give_role(security, Role.SECURITY_ADMIN)
    auditor = make_user("auditor")
    give_role(auditor, Role.AUDIT_ADMIN)
    assert client_for(auditor).get("/admin/login-lockouts/").status_code in (302, 403)
    admin = client_for(security)
    assert "staff" in admin.get("/admin/login-lockouts/").content.decode()
    assert admin.post("/admin/login-lockouts/", {"username": "staff"}).status_code == 302
    assert _logs_in("staff", "203.0.113.50")
    assert AuditLog.objects.filter(event="auth.unlock", username="secadmin").exists()
