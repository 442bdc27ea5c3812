"""Acceptance in headless Chromium: staff log in to the real admin with a password and a second factor —
a TOTP code computed with pyotp, enrolment by the QR page's secret, and a USB security key played by
Chromium's virtual authenticator (WebAuthn over CDP)."""

from __future__ import annotations

import re

import pyotp
import pytest

from govsite.content.tests.test_accessibility import chromium
from govsite.testing import give_totp_device, make_user

from .helpers import PASSWORD, totp_now

pytestmark = pytest.mark.browser
live_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _password_step(page, base: str, username: str) -> None:  # noqa: ANN001
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


@pytest.fixture
def quiet_sessions(settings):  # noqa: ANN001, ANN201
    # Parallel asset requests each writing the session lock the live server's in-memory SQLite.
    settings.SESSION_SAVE_EVERY_REQUEST = False
    return settings


@live_db
def test_staff_log_in_with_password_and_totp_in_the_real_admin(live_server, quiet_sessions) -> None:  # noqa: ANN001
    user = make_user("zhang_wei", is_staff=True, is_superuser=True, first_name="伟", last_name="张")
    device = give_totp_device(user)
    with chromium() as browser:
        page = browser.new_context(locale="en-US").new_page()
        _password_step(page, live_server.url, "zhang_wei")
        page.wait_for_url(re.compile(r"/admin/security/verify/"))
        assert "口令正确" in page.inner_text("main")
        page.fill("input[name=token]", "000000" if totp_now(device) != "000000" else "111111")
        with page.expect_navigation():
            page.click("form.login-form button[type=submit]")
        assert "验证码不正确" in page.inner_text("main")
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)  # the wait after a miss
        page.fill("input[name=token]", totp_now(device))
        page.click("form.login-form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        assert page.locator("main").count() == 1
        page.goto(f"{live_server.url}/admin/pages/")
        assert "/admin/pages/" in page.url


@live_db
def test_a_new_staff_member_enrols_a_phone_token_then_reaches_the_admin(live_server, quiet_sessions) -> None:  # noqa: ANN001
    make_user("li_na", is_staff=True, is_superuser=True)
    with chromium() as browser:
        page = browser.new_context(locale="en-US").new_page()
        _password_step(page, live_server.url, "li_na")
        page.wait_for_url(re.compile(r"/admin/security/setup/"))
        assert page.locator("figure.accounts-qr svg").count() >= 1
        secret = page.inner_text("#accounts-totp-secret")
        page.fill("input[name=token]", pyotp.TOTP(secret).now())
        page.click("form.login-form button[type=submit]")
        try:
            page.wait_for_url(re.compile(r"/admin/security/recovery-codes/"))
        except Exception:
            page.screenshot(path="/tmp/auth-enrol.png", full_page=True)
            print(page.url, page.inner_text("main"))
            raise
        assert page.locator(".accounts-recovery-codes li").count() == 10
        page.click("text=我已保存，继续")
        page.wait_for_url(f"{live_server.url}/admin/")


@live_db
def test_a_usb_security_key_enrols_and_logs_in(live_server, quiet_sessions) -> None:  # noqa: ANN001
    from govsite.accounts.models import SecurityKey

    make_user("wang_fang", is_staff=True, is_superuser=True)
    with chromium() as browser:
        context = browser.new_context(locale="en-US")
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("WebAuthn.enable")
        cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
            "protocol": "ctap2", "transport": "usb", "hasResidentKey": False, "hasUserVerification": False,
            "automaticPresenceSimulation": True}})
        _password_step(page, live_server.url, "wang_fang")
        page.wait_for_url(re.compile(r"/admin/security/setup/"))
        page.click("#accounts-key-register")
        try:
            page.wait_for_url(re.compile(r"/admin/security/recovery-codes/"), timeout=15_000)
        except Exception:
            print(page.url, page.inner_text("main"))
            raise
        assert SecurityKey.objects.filter(user__username="wang_fang").count() == 1
        page.click("text=我已保存，继续")
        page.wait_for_url(f"{live_server.url}/admin/")

        context.clear_cookies()
        _password_step(page, live_server.url, "wang_fang")
        page.wait_for_url(re.compile(r"/admin/security/verify/"))
        page.click("#accounts-key-auth")
        page.wait_for_url(f"{live_server.url}/admin/")
        assert SecurityKey.objects.get(user__username="wang_fang").sign_count >= 1
