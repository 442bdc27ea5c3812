"""Logging in through the real pages, as a browser does (no force_login)."""

from __future__ import annotations

import base64

import pyotp
from django.test import Client

PASSWORD = "Test-pass-2026!"


def password_step(client: Client, username: str, password: str = PASSWORD, **extra):  # noqa: ANN201
    return client.post("/admin/login/", {"username": username, "password": password}, **extra)


def totp_now(device) -> str:  # noqa: ANN001
    """The current code of a django-otp TOTP device, computed independently with pyotp."""
    return pyotp.TOTP(base64.b32encode(device.bin_key).decode()).now()
