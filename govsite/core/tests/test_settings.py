"""Production configuration: safe defaults, `govsite check --deploy` clean, mistakes reported clearly."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # each test starts `govsite` in a subprocess


def _govsite(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "CELERY_BROKER_URL"}}
    base.update({"DJANGO_SETTINGS_MODULE": "govsite.settings.production", **env})
    return subprocess.run([sys.executable, "-m", "govsite", *args], env=base, capture_output=True, text=True,
                          timeout=120)


PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "www.shifan.gov.cn,admin.shifan.gov.cn",
    "DATABASE_URL": "postgres://govsite@db.internal:5432/govsite",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
}


def test_production_refuses_to_start_without_secret_key():
    env = dict(PRODUCTION_ENV, SECRET_KEY="")
    proc = _govsite("check", **env)
    assert proc.returncode != 0
    assert "SECRET_KEY 未设置" in proc.stderr


def test_check_deploy_warns_about_embedded_database_and_broker():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    proc = _govsite("check", "--deploy", "--fail-level", "WARNING", **env)
    assert proc.returncode != 0
    assert "govsite.W001" in proc.stderr and "govsite.W002" in proc.stderr


def test_unknown_broker_scheme_is_a_configuration_error():
    proc = _govsite("check", **dict(PRODUCTION_ENV, CELERY_BROKER_URL="kafka://broker:9092"))
    assert proc.returncode != 0
    assert "govsite.E001" in proc.stderr


def test_production_defaults_are_secure():
    from django.conf import settings

    proc = _govsite(
        "shell", "-c",
        "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, s.SESSION_COOKIE_AGE)",
        **PRODUCTION_ENV,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "False True True True True 1800"
    assert settings.LANGUAGE_CODE == "zh-hans"
