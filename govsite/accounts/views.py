"""The login steps after the password (两步验证), enrolment, recovery codes and the forced password change.

Mounted under /admin/security/ (govsite/urls.py, before Wagtail's admin). Business rules live in
services.py; these views only read forms and move between steps.
"""

from __future__ import annotations

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .forms import ForcedPasswordChangeForm, TokenForm
from .models import SecurityKey

RECOVERY_CODES_SESSION_KEY = "accounts_new_recovery_codes"


def _login_required(view):  # noqa: ANN001, ANN202
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        return view(request, *args, **kwargs)

    return wrapper


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def _may_add_factor(request: HttpRequest) -> bool:
    """A verified session, or a user with no factor yet (first enrolment): never the password alone
    when a factor exists, or a stolen password would let the thief add their own."""
    return request.user.is_verified() or not services.has_second_factor(request.user)


def _after_first_factor(request: HttpRequest, device) -> str:  # noqa: ANN001
    """Log the session in with the new device; the first device also gets recovery codes (shown once)."""
    first = not request.user.is_verified()
    otp_login(request, device)
    if first and not StaticDevice.objects.filter(user=request.user, token_set__isnull=False).exists():
        request.session[RECOVERY_CODES_SESSION_KEY] = services.do_generate_recovery_codes(request.user)
        return reverse("accounts:recovery_codes") + "?next=" + _next(request)
    return _next(request)


@_login_required
def verify(request: HttpRequest) -> HttpResponse:
    """第二步：验证码或安全密钥."""
    if request.user.is_verified():
        return HttpResponseRedirect(_next(request))
    if not services.has_second_factor(request.user):
        return redirect(reverse("accounts:setup") + "?next=" + _next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify_second_factor(request.user, form.cleaned_data["token"])
        except services.SecondFactorError as exc:
            form.add_error("token", str(exc))
        else:
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
    return render(request, "accounts/verify.html", {
        "title": _("两步验证"),
        "form": form,
        "next": _next(request),
        "has_totp": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
        "has_key": services.has_security_key(request.user),
    })


@_login_required
def setup(request: HttpRequest) -> HttpResponse:
    """绑定手机令牌 (TOTP): scan the QR code, confirm with a code."""
    if not _may_add_factor(request):
        return redirect(reverse("accounts:verify") + "?next=" + _next(request))
    device = services.pending_totp_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_confirm_totp(request.user, device, form.cleaned_data["token"])
        except services.SecondFactorError as exc:
            form.add_error("token", str(exc))
        else:
            messages.success(request, _("手机令牌已绑定。"))
            return HttpResponseRedirect(_after_first_factor(request, device))
    return render(request, "accounts/setup.html", {
        "title": _("绑定手机令牌"),
        "form": form,
        "next": _next(request),
        "qr_svg": services.totp_qr_svg(device),
        "secret": services.totp_secret(device),
        "enrolling": not request.user.is_verified(),
    })


@_login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """恢复码: shown once right after they are made; a verified user may make new ones."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if request.method == "POST" and request.user.is_verified():
        codes = services.do_generate_recovery_codes(request.user)
    if codes is None and not request.user.is_verified():
        return redirect("accounts:verify")
    return render(request, "accounts/recovery_codes.html", {
        "title": _("恢复码"), "codes": codes, "next": _next(request),
    })


def _json_body(request: HttpRequest) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


@require_POST
@_login_required
def key_register_begin(request: HttpRequest) -> HttpResponse:
    if not _may_add_factor(request):
        return JsonResponse({"error": _("请先完成两步验证。")}, status=403)
    options = services.begin_key_registration(request.user, services.relying_party(request), request.session)
    return HttpResponse(options, content_type="application/json")


@require_POST
@_login_required
def key_register_complete(request: HttpRequest) -> HttpResponse:
    if not _may_add_factor(request):
        return JsonResponse({"error": _("请先完成两步验证。")}, status=403)
    data = _json_body(request)
    try:
        key = services.do_register_security_key(
            request.user, services.relying_party(request), request.session, data.get("credential") or {},
            name=str(data.get("name") or ""),
        )
    except services.SecondFactorError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    messages.success(request, _("安全密钥已登记。"))
    return JsonResponse({"redirect": _after_first_factor(request, key)})


@require_POST
@_login_required
def key_auth_begin(request: HttpRequest) -> HttpResponse:
    if not services.has_security_key(request.user):
        return JsonResponse({"error": _("您的账号没有登记安全密钥。")}, status=400)
    options = services.begin_key_authentication(request.user, services.relying_party(request), request.session)
    return HttpResponse(options, content_type="application/json")


@require_POST
@_login_required
def key_auth_complete(request: HttpRequest) -> HttpResponse:
    data = _json_body(request)
    try:
        key = services.verify_security_key(
            request.user, services.relying_party(request), request.session, data.get("credential") or {}
        )
    except services.SecondFactorError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    otp_login(request, key)
    return JsonResponse({"redirect": _next(request)})


@_login_required
def password_change_required(request: HttpRequest) -> HttpResponse:
    """修改口令: required when the password expired or is the demo password outside the demo."""
    reason = request.session.get(services.PASSWORD_CHANGE_SESSION_KEY, "")
    form = ForcedPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        request.session.pop(services.PASSWORD_CHANGE_SESSION_KEY, None)
        messages.success(request, _("口令已修改。"))
        return HttpResponseRedirect(_next(request))
    return render(request, "accounts/password_change.html", {
        "title": _("修改口令"), "form": form, "reason": reason, "next": _next(request),
    })


@_login_required
def security(request: HttpRequest) -> HttpResponse:
    """账号安全: the user's second factors, add a security key, new recovery codes."""
    if not request.user.is_verified():
        return redirect(reverse("accounts:verify") + "?next=" + request.path)
    static = StaticDevice.objects.filter(user=request.user).first()
    return render(request, "accounts/security.html", {
        "title": _("账号安全"),
        "totp_devices": TOTPDevice.objects.filter(user=request.user, confirmed=True),
        "keys": SecurityKey.objects.filter(user=request.user, confirmed=True),
        "recovery_left": static.token_set.count() if static else 0,
    })
