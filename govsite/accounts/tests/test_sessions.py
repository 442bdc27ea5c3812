"""会话: one session per user by default, and the idle timeout (≤ 30 minutes, 登录连接超时自动退出)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from govsite.testing import give_totp_device, make_user, one_time_code

from .helpers import password_step

pytestmark = pytest.mark.django_db


def _login(user) -> Client:  # noqa: ANN001
    client = Client()
    give_totp_device(user)
    assert password_step(client, user.username).status_code == 302
    assert client.post("/admin/security/verify/", {"token": one_time_code(user)}).status_code == 302
    assert client.get("/admin/").status_code == 200
    return client


def test_a_new_login_ends_the_users_other_session() -> None:
    user = make_user("staff", is_staff=True, is_superuser=True)
    other_user = make_user("colleague", is_staff=True, is_superuser=True)
    first = _login(user)
    colleague = _login(other_user)
    second = _login(user)
    assert first.get("/admin/")["Location"].startswith("/admin/login/")
    assert second.get("/admin/").status_code == 200
    assert colleague.get("/admin/").status_code == 200


def test_more_sessions_when_the_setting_allows(settings) -> None:
    settings.GOVSITE_MAX_SESSIONS_PER_USER = 2
    user = make_user("staff", is_staff=True, is_superuser=True)
    first, second = _login(user), _login(user)
    third = _login(user)
    assert first.get("/admin/")["Location"].startswith("/admin/login/")
    assert second.get("/admin/").status_code == 200 and third.get("/admin/").status_code == 200


def test_idle_timeout_is_at_most_thirty_minutes_and_renewed_by_each_request() -> None:
    assert django_settings.SESSION_COOKIE_AGE <= 30 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True
    client = _login(make_user("staff", is_staff=True, is_superuser=True))
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    assert client.get("/admin/").status_code == 200
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + dt.timedelta(minutes=25)
    # idle past the timeout: the session is over
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
