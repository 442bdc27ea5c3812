"""Test settings: the suite runs on SQLite by default and on PostgreSQL when DATABASE_URL says so."""

import os
import tempfile

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("GOVSITE_VAR_DIR", tempfile.mkdtemp(prefix="govsite-test-"))

from .base import *  # noqa: E402,F403

SECRET_KEY = "test-only-key-" + "x" * 50
ALLOWED_HOSTS = ["*"]
# Django's test client says "testserver"; live servers listen on localhost / 127.0.0.1.
GOVSITE_PLATFORM_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "govsite.core.storage.UnguessableFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Background work in tests goes through a real Redis broker and a real worker (see core/tests/test_celery.py).
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
CELERY_RESULT_BACKEND = REDIS_TEST_URL
# A test that starts worker processes of its own (core/tests/test_worker_lost.py) gives them a broker in
# CELERY_BROKER_URL with GOVSITE_TEST_BROKER=env, configured by base.py as in production.
if os.environ.get("GOVSITE_TEST_BROKER") != "env":
    CELERY_BROKER_URL = REDIS_TEST_URL
    CELERY_BROKER_TRANSPORT = None
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
CELERY_TASK_ALWAYS_EAGER = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

GOVSITE_ALLOW_DEMO = True
# The page cache outlives each test's rolled-back database; its own tests turn it on (content/tests/test_pagecache.py).
GOVSITE_PAGE_CACHE = False
# Tests reach only loopback: the monitor refuses any host outside a test's host map, without DNS.
GOVSITE_MONITOR_OFFLINE = True
# No Chromium for every recorded veto: the screenshot tests turn it on (monitoring/tests/test_evidence.py).
GOVSITE_MONITOR_SCREENSHOTS = False
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise warns about a missing directory)
