"""两步验证 (等保三级 身份鉴别 d): the password alone never opens the admin; TOTP codes computed with pyotp."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from govsite.adminui.tests.crawl import ALLOWED_WORDS, english_in
from govsite.testing import give_totp_device, make_user

from .helpers import password_step, totp_now

pytestmark = pytest.mark.django_db


def test_user_without_a_second_factor_is_sent_to_enrolment_before_the_admin() -> None:
    make_user("staff", is_staff=True, is_superuser=True)
    client = Client()
    assert password_step(client, "staff").status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/security/setup/")
    for path in ("/admin/pages/", "/admin/users/", "/admin/account/"):
        assert client.get(path)["Location"].startswith("/admin/security/setup/")


def test_enrolment_scans_a_qr_code_confirms_with_a_real_code_and_shows_recovery_codes_once() -> None:
    user = make_user("staff", is_staff=True, is_superuser=True)
    client = Client()
    password_step(client, "staff")
    page = client.get("/admin/security/setup/?next=/admin/pages/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "绑定手机令牌" in html
    secret = re.search(r'id="accounts-totp-secret">([A-Z2-7]+)<', html).group(1)

    wrong = client.post("/admin/security/setup/", {"token": "000000" if pyotp.TOTP(secret).now() != "000000"
                                                    else "111111", "next": "/admin/pages/"})
    assert "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.get(user=user).confirmed

    response = client.post("/admin/security/setup/", {"token": pyotp.TOTP(secret).now(), "next": "/admin/pages/"})
    assert response.status_code == 302 and response["Location"].startswith("/admin/security/recovery-codes/")
    assert TOTPDevice.objects.get(user=user).confirmed
    shown = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>(\w+)</code></li>", shown)
    assert len(codes) == 10 and "只显示这一次" in shown
    assert set(codes) == set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    again = client.get("/admin/security/recovery-codes/").content.decode()
    assert not any(code in again for code in codes)
    assert client.get("/admin/pages/").status_code == 200


def test_enrolled_user_passes_the_second_step_with_a_totp_code() -> None:
    user = make_user("staff", is_staff=True, is_superuser=True)
    device = give_totp_device(user)
    client = Client()
    password_step(client, "staff")
    response = client.get("/admin/pages/")
    assert response["Location"] == "/admin/security/verify/?next=%2Fadmin%2Fpages%2F"
    page = client.get(response["Location"])
    assert "口令正确" in page.content.decode()
    bad = client.post("/admin/security/verify/", {"token": "12345", "next": "/admin/pages/"})
    assert bad.status_code == 200 and "验证码不正确或已使用" in bad.content.decode()
    # a failed try makes the device wait (django-otp throttling): move past it, as the next real try would
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    ok = client.post("/admin/security/verify/", {"token": totp_now(device), "next": "/admin/pages/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


def test_a_totp_code_is_good_once() -> None:
    user = make_user("staff", is_staff=True, is_superuser=True)
    device = give_totp_device(user)
    code = totp_now(device)
    first = Client()
    password_step(first, "staff")
    assert first.post("/admin/security/verify/", {"token": code})["Location"] == "/admin/"
    second = Client()
    password_step(second, "staff")
    replay = second.post("/admin/security/verify/", {"token": code})
    assert replay.status_code == 200 and "验证码不正确或已使用" in replay.content.decode()


def test_wrong_codes_throttle_the_device_even_for_the_right_code() -> None:
    user = make_user("staff", is_staff=True, is_superuser=True)
    device = give_totp_device(user)
    client = Client()
    password_step(client, "staff")
    right = totp_now(device)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(3):
        client.post("/admin/security/verify/", {"token": wrong})
    response = client.post("/admin/security/verify/", {"token": right})
    assert "验证码错误次数过多" in response.content.decode()
    assert client.get("/admin/")["Location"].startswith("/admin/security/verify/")


def test_a_recovery_code_replaces_the_totp_code_once() -> None:
    from govsite.accounts.services import do_generate_recovery_codes

    user = make_user("staff", is_staff=True, is_superuser=True)
    give_totp_device(user)
    code = do_generate_recovery_codes(user)[0]
    client = Client()
    password_step(client, "staff")
    assert client.post("/admin/security/verify/", {"token": code})["Location"] == "/admin/"
    other = Client()
    password_step(other, "staff")
    assert "验证码不正确或已使用" in other.post("/admin/security/verify/", {"token": code}).content.decode()


def test_a_password_only_session_is_anonymous_outside_the_admin(mini_region) -> None:
    make_user("staff", is_staff=True, is_superuser=True)
    client = Client()
    password_step(client, "staff")
    assert client.get("/api/v1/registry/websites").status_code == 401
    verified = Client()
    verified.force_login(make_user("other", is_staff=True, is_superuser=True))
    assert verified.get("/api/v1/registry/websites").status_code == 200


def test_the_password_alone_cannot_add_a_second_factor_when_one_exists() -> None:
    user = make_user("staff", is_staff=True, is_superuser=True)
    give_totp_device(user)
    client = Client()
    password_step(client, "staff")
    assert client.get("/admin/security/setup/")["Location"].startswith("/admin/security/verify/")
    assert client.post("/admin/security/setup/", {"token": "123456"})["Location"].startswith("/admin/security/verify/")
    assert client.post("/admin/security/keys/register/begin/").status_code == 403
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_second_factor_can_be_switched_off_by_setting(settings) -> None:
    settings.GOVSITE_REQUIRE_2FA = False
    make_user("staff", is_staff=True, is_superuser=True)
    client = Client()
    password_step(client, "staff")
    assert client.get("/admin/").status_code == 200


def test_the_login_steps_are_chinese() -> None:
    user = make_user("staff", is_staff=True, is_superuser=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    password_step(client, "staff")
    for path in ("/admin/security/setup/", "/admin/security/recovery-codes/"):
        response = client.get(path, follow=True)
        assert response.status_code == 200
        assert english_in(path, response.content.decode(), ALLOWED_WORDS) == [], path
    give_totp_device(user)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    html = client.get("/admin/security/verify/").content.decode()
    assert english_in("/admin/security/verify/", html, ALLOWED_WORDS) == []
    assert "两步验证" in html
    verified = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    verified.force_login(user)
    for path in ("/admin/security/", "/admin/security/recovery-codes/", "/admin/account/"):
        html = verified.get(path).content.decode()
        assert english_in(path, html, ALLOWED_WORDS | {"staff"}) == [], path
    assert "账号安全" in verified.get("/admin/account/").content.decode()
