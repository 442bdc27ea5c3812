"""登录安全 operations: second factors (TOTP, recovery codes, security keys), password state, sessions."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from io import BytesIO

import segno
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    UserVerificationRequirement,
)

from .demo import DEMO_PASSWORD
from .models import LoginSession, PasswordHistory, SecurityKey

#: The TOTP secret of every `govsite demo` account (printed by the demo and the README): like the demo
#: password it works only in demo mode (GOVSITE_ALLOW_DEMO).
DEMO_TOTP_SECRET = "GOVSITEDEMOTOTPONLYFORLOCALDEMOS"

TOTP_NAME = "手机令牌"
RECOVERY_NAME = "恢复码"
RECOVERY_CODE_COUNT = 10
PASSWORD_CHANGE_SESSION_KEY = "accounts_password_change"
WEBAUTHN_CHALLENGE_SESSION_KEY = "accounts_webauthn_challenge"


class SecondFactorError(Exception):
    """A second factor that did not verify; the message is Chinese and safe to show."""


# -- 第二因素 (TOTP, recovery codes) -------------------------------------------------------------------


def has_second_factor(user: AbstractBaseUser) -> bool:
    """Whether the user has enrolled a confirmed TOTP device or security key."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or SecurityKey.objects.filter(user=user, confirmed=True).exists()
    )


def has_security_key(user: AbstractBaseUser) -> bool:
    return SecurityKey.objects.filter(user=user, confirmed=True).exists()


def pending_totp_device(user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (新绑定的手机令牌), created on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    """The device's key in base32, as authenticator apps take it when typed."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI of the device as an inline SVG QR code, for the enrolment page."""
    out = BytesIO()
    segno.make(device.config_url, error="m").save(out, kind="svg", scale=5, xmldecl=False, svgns=True,
                                                  title=_("手机令牌二维码"))
    return out.getvalue().decode()


@transaction.atomic
def do_confirm_totp(user: AbstractBaseUser, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm an enrolment with a code from the app; the device then counts as a second factor."""
    token = (token or "").strip().replace(" ", "")
    if device.user_id != user.pk or device.confirmed:
        raise SecondFactorError(_("绑定已失效，请重新扫码。"))
    if not token.isdigit() or not device.verify_token(token):
        raise SecondFactorError(_("验证码不正确，请核对手机令牌上的 6 位数字后重试。"))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return device


@transaction.atomic
def do_generate_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """New recovery codes (恢复码), each good once; the old ones stop working. Shown to the user once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _demo_key_hex() -> str:
    return base64.b32decode(DEMO_TOTP_SECRET).hex()


def do_enrol_demo_totp(user: AbstractBaseUser) -> TOTPDevice | None:
    """Give a demo account the published demo TOTP secret, so `make run` can be tried at once.

    Only in demo mode; an account that already has a confirmed TOTP device keeps it.
    """
    if not settings.GOVSITE_ALLOW_DEMO or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return None
    return TOTPDevice.objects.create(user=user, name=_("演示手机令牌"), key=_demo_key_hex(), confirmed=True)


def current_totp_code(user: AbstractBaseUser) -> str | None:
    """The current code of the user's TOTP device (for `govsite demo-totp` in the demo only)."""
    from django_otp.oath import TOTP

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def verify_second_factor(user: AbstractBaseUser, token: str) -> TOTPDevice | StaticDevice:
    """The device that accepts `token`: a TOTP code or an unused recovery code (used up by this call).

    django-otp's throttling applies: each failure makes the device wait longer before the next try.
    """
    token = (token or "").strip().replace(" ", "").replace("-", "")
    if not token:
        raise SecondFactorError(_("请输入验证码。"))
    with transaction.atomic():
        if token.isdigit():
            devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
        else:
            devices = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
        throttled = False
        for device in devices:
            if isinstance(device, TOTPDevice) and not settings.GOVSITE_ALLOW_DEMO and device.key == _demo_key_hex():
                continue  # the published demo secret proves nothing outside the demo
            allowed, _detail = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if device.verify_token(token):
                return device
    if throttled:
        raise SecondFactorError(_("验证码错误次数过多，请稍候再试。"))
    raise SecondFactorError(_("验证码不正确或已使用。"))


# -- 安全密钥 (WebAuthn) -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RelyingParty:
    """Who the security key signs for: the admin's host (rp_id) and origin."""

    rp_id: str
    origin: str
    name: str


def relying_party(request: HttpRequest) -> RelyingParty:
    origin = f"{request.scheme}://{request.get_host()}"
    rp_id = getattr(settings, "GOVSITE_WEBAUTHN_RP_ID", "") or request.get_host().rsplit(":", 1)[0].strip("[]")
    return RelyingParty(rp_id=rp_id, origin=origin, name=settings.WAGTAIL_SITE_NAME)


def _remember_challenge(session: SessionBase, purpose: str, challenge: bytes) -> None:
    session[WEBAUTHN_CHALLENGE_SESSION_KEY] = {"purpose": purpose, "challenge": base64.b64encode(challenge).decode()}


def _take_challenge(session: SessionBase, purpose: str) -> bytes:
    stored = session.pop(WEBAUTHN_CHALLENGE_SESSION_KEY, None)
    if not stored or stored.get("purpose") != purpose:
        raise SecondFactorError(_("安全密钥验证已过期，请重试。"))
    return base64.b64decode(stored["challenge"])


def begin_key_registration(user: AbstractBaseUser, rp: RelyingParty, session: SessionBase) -> str:
    """Options (JSON) for navigator.credentials.create; the challenge is kept in the session."""
    options = generate_registration_options(
        rp_id=rp.rp_id,
        rp_name=rp.name,
        user_id=str(user.pk).encode(),
        user_name=user.get_username(),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=bytes(key.credential_id))
            for key in SecurityKey.objects.filter(user=user)
        ],
        authenticator_selection=AuthenticatorSelectionCriteria(user_verification=UserVerificationRequirement.DISCOURAGED),
    )
    _remember_challenge(session, "register", options.challenge)
    return options_to_json(options)


@transaction.atomic
def do_register_security_key(
    user: AbstractBaseUser, rp: RelyingParty, session: SessionBase, credential: str | dict, name: str = ""
) -> SecurityKey:
    """Store the key that answered the registration challenge (绑定安全密钥)."""
    challenge = _take_challenge(session, "register")
    try:
        verified = verify_registration_response(
            credential=credential if isinstance(credential, str) else json.dumps(credential),
            expected_challenge=challenge,
            expected_origin=rp.origin,
            expected_rp_id=rp.rp_id,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SecondFactorError(_("安全密钥登记失败：响应无效。")) from exc
    if SecurityKey.objects.filter(credential_id=verified.credential_id).exists():
        raise SecondFactorError(_("该安全密钥已经登记过。"))
    return SecurityKey.objects.create(
        user=user,
        name=(name or "").strip()[:64] or _("安全密钥"),
        confirmed=True,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
    )


def begin_key_authentication(user: AbstractBaseUser, rp: RelyingParty, session: SessionBase) -> str:
    """Options (JSON) for navigator.credentials.get, allowing the user's own keys only."""
    options = generate_authentication_options(
        rp_id=rp.rp_id,
        allow_credentials=[
            PublicKeyCredentialDescriptor(id=bytes(key.credential_id))
            for key in SecurityKey.objects.filter(user=user, confirmed=True)
        ],
        user_verification=UserVerificationRequirement.DISCOURAGED,
    )
    _remember_challenge(session, "authenticate", options.challenge)
    return options_to_json(options)


@transaction.atomic
def verify_security_key(
    user: AbstractBaseUser, rp: RelyingParty, session: SessionBase, credential: str | dict
) -> SecurityKey:
    """The user's key that signed the challenge; a signature counter going backwards means a clone."""
    challenge = _take_challenge(session, "authenticate")
    try:
        data = credential if isinstance(credential, dict) else json.loads(credential or "{}")
        raw_id = base64url_to_bytes(data.get("rawId") or data.get("id") or "")
    except (ValueError, TypeError, AttributeError) as exc:
        raise SecondFactorError(_("安全密钥验证失败。")) from exc
    key = SecurityKey.objects.select_for_update().filter(user=user, confirmed=True, credential_id=raw_id).first()
    if key is None:
        raise SecondFactorError(_("这个安全密钥没有登记在您的账号下。"))
    try:
        verified = verify_authentication_response(
            credential=json.dumps(data),
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            credential_public_key=bytes(key.public_key),
            credential_current_sign_count=key.sign_count,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SecondFactorError(_("安全密钥验证失败。")) from exc
    key.sign_count = verified.new_sign_count
    key.last_used_at = timezone.now()
    key.save(update_fields=["sign_count", "last_used_at"])
    return key


# -- 口令 (expiry, history, demo password) ------------------------------------------------------------


def record_password_change(user: AbstractBaseUser) -> None:
    """Keep the new password's hash; older entries beyond what the rules need are dropped."""
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = max(int(getattr(settings, "GOVSITE_PASSWORD_HISTORY", 5)), 1)
    stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()


def password_changed_at(user: AbstractBaseUser) -> dt.datetime:
    latest = PasswordHistory.objects.filter(user=user).values_list("created_at", flat=True).first()
    return latest or user.date_joined


def password_change_reason(user: AbstractBaseUser) -> str:
    """Why the user must choose a new password before working ('' when not): expiry or the demo password."""
    if not user.has_usable_password():
        return ""
    if not settings.GOVSITE_ALLOW_DEMO and user.check_password(DEMO_PASSWORD):
        return _("您的口令是公开的演示口令，请立即修改。")
    max_age = int(getattr(settings, "GOVSITE_PASSWORD_MAX_AGE_DAYS", 90))
    if max_age and password_changed_at(user) < timezone.now() - dt.timedelta(days=max_age):
        return _("您的口令已超过 %(days)d 天未修改，请修改后继续。") % {"days": max_age}
    return ""


# -- 会话 (one session per user) ----------------------------------------------------------------------


def do_register_login_session(user: AbstractBaseUser, session: SessionBase) -> list[str]:
    """Record the new login's session; beyond GOVSITE_MAX_SESSIONS_PER_USER the oldest end. Returns those ended."""
    if not session.session_key:
        session.save()
    limit = int(getattr(settings, "GOVSITE_MAX_SESSIONS_PER_USER", 1))
    LoginSession.objects.get_or_create(session_key=session.session_key, defaults={"user": user})
    if limit <= 0:
        return []
    others = list(
        LoginSession.objects.filter(user=user).exclude(session_key=session.session_key)
        .values_list("session_key", flat=True)
    )
    ended = others[limit - 1 :] if limit > 1 else others
    store_class = type(session)
    for key in ended:
        store_class(session_key=key).delete()
    LoginSession.objects.filter(session_key__in=ended).delete()
    return ended


def do_forget_login_session(session_key: str | None) -> None:
    if session_key:
        LoginSession.objects.filter(session_key=session_key).delete()
