"""口令规则 (等保三级 身份鉴别 a): character classes, length, history, expiry and the demo password."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation

from govsite.accounts.models import PasswordHistory
from govsite.accounts.validators import DEMO_PASSWORD
from govsite.adminui.tests.crawl import ALLOWED_WORDS, english_in
from govsite.testing import give_totp_device, make_user, one_time_code

from .helpers import PASSWORD, password_step

pytestmark = pytest.mark.django_db


def _errors(password: str, user=None) -> list[str]:  # noqa: ANN001
    try:
        with translation.override("zh-hans"):
            validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


@pytest.mark.parametrize(("password", "ok"), [
    ("abcdefghij", False),      # one class
    ("abcdefgh12", False),      # two classes
    ("Abcdefgh12", True),       # upper, lower, digit
    ("abcdefgh1!", True),       # lower, digit, other
    ("Ab1!xyz", False),         # four classes, too short
    ("Wq7!vZ3#pL", True),
])
def test_character_classes_and_length(password: str, ok: bool) -> None:
    errors = _errors(password)
    assert (errors == []) is ok, errors
    if not ok:
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in message) for message in errors), errors


def test_the_last_five_passwords_cannot_be_reused() -> None:
    user = make_user("staff", password="Start-pass-0!")
    passwords = [f"Rotate-pass-{n}!" for n in range(1, 6)]
    for password in passwords:
        assert _errors(password, user) == []
        user.set_password(password)
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 5
    for password in passwords:
        assert "不能使用最近 5 次用过的口令。" in _errors(password, user)
    assert _errors("Start-pass-0!", user) == []  # the sixth-last may come back


def test_the_demo_password_only_in_demo_mode(settings) -> None:
    settings.GOVSITE_ALLOW_DEMO = True
    assert _errors(DEMO_PASSWORD) == []
    settings.GOVSITE_ALLOW_DEMO = False
    assert "演示口令已公开，只能在演示环境中使用，请另设口令。" in _errors(DEMO_PASSWORD)


def _age_password(user, *, days: int) -> None:  # noqa: ANN001
    """Set the password `days` old: its history entry, or the account's creation when it has none."""
    when = timezone.now() - dt.timedelta(days=days)
    type(user).objects.filter(pk=user.pk).update(date_joined=when)
    PasswordHistory.objects.filter(user=user).update(created_at=when)


def test_a_password_set_again_is_dated_by_its_history_entry(settings) -> None:
    user = make_user("staff")
    _age_password(user, days=91)
    from govsite.accounts.services import password_change_reason

    user.refresh_from_db()
    assert "90 天" in password_change_reason(user)
    user.set_password("Another-pass-1!")
    user.save()
    assert password_change_reason(user) == ""


def _logged_in(username: str, password: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    give_totp_device(user)
    assert password_step(client, username, password).status_code == 302
    assert client.post("/admin/security/verify/", {"token": one_time_code(user)}).status_code == 302
    return client


def test_an_account_with_the_demo_password_outside_the_demo_must_change_it(settings) -> None:
    settings.GOVSITE_ALLOW_DEMO = False
    make_user("staff", password=DEMO_PASSWORD, is_staff=True, is_superuser=True)
    client = _logged_in("staff", DEMO_PASSWORD)
    response = client.get("/admin/pages/")
    assert response["Location"] == "/admin/security/password/?next=%2Fadmin%2Fpages%2F"
    page = client.get(response["Location"]).content.decode()
    assert "您的口令是公开的演示口令，请立即修改。" in page
    assert english_in("/admin/security/password/", page, ALLOWED_WORDS | {"staff"}) == []
    assert client.get("/api/v1/registry/websites").status_code == 401
    refused = client.post("/admin/security/password/", {
        "old_password": DEMO_PASSWORD, "new_password1": DEMO_PASSWORD, "new_password2": DEMO_PASSWORD})
    assert "演示口令已公开" in refused.content.decode()
    changed = client.post("/admin/security/password/?next=/admin/pages/", {
        "old_password": DEMO_PASSWORD, "new_password1": "Fresh-pass-2026#", "new_password2": "Fresh-pass-2026#"})
    assert changed["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


def test_the_demo_password_is_fine_in_the_demo(settings) -> None:
    settings.GOVSITE_ALLOW_DEMO = True
    make_user("staff", password=DEMO_PASSWORD, is_staff=True, is_superuser=True)
    assert _logged_in("staff", DEMO_PASSWORD).get("/admin/pages/").status_code == 200


def test_an_expired_password_must_be_changed_and_not_to_a_recent_one(settings) -> None:
    settings.GOVSITE_PASSWORD_MAX_AGE_DAYS = 90
    user = make_user("staff", is_staff=True, is_superuser=True)
    _age_password(user, days=91)
    client = _logged_in("staff", PASSWORD)
    response = client.get("/admin/")
    assert response["Location"].startswith("/admin/security/password/")
    assert "已超过 90 天未修改" in client.get(response["Location"]).content.decode()
    same = client.post("/admin/security/password/", {
        "old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert "不能使用最近 5 次用过的口令" in same.content.decode()
    client.post("/admin/security/password/", {
        "old_password": PASSWORD, "new_password1": "Next-pass-2026#", "new_password2": "Next-pass-2026#"})
    assert client.get("/admin/").status_code == 200
    user.refresh_from_db()
    assert user.check_password("Next-pass-2026#")


def test_a_password_within_its_age_is_not_expired(settings) -> None:
    settings.GOVSITE_PASSWORD_MAX_AGE_DAYS = 90
    user = make_user("staff", is_staff=True, is_superuser=True)
    _age_password(user, days=89)
    assert _logged_in("staff", PASSWORD).get("/admin/").status_code == 200
