"""登录锁定: the list of locked accounts and addresses, and unlocking them (解除锁定)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .lockout import do_unlock, locked_out


def may_unlock(user) -> bool:  # noqa: ANN001
    """Platform administrators, or whoever is given axes' delete permission (the 安全管理员 role)."""
    return bool(user.is_authenticated and (user.is_superuser or user.has_perm("axes.delete_accessattempt")))


def lockouts(request: HttpRequest) -> HttpResponse:
    if not may_unlock(request.user):
        raise PermissionDenied
    if request.method == "POST":
        username = request.POST.get("username", "").strip()[:255]
        ip_address = request.POST.get("ip_address", "").strip()[:64]
        if username or ip_address:
            do_unlock(request.user, username=username, ip_address=ip_address, request=request)
            messages.success(request, _("已解除锁定：%(who)s") % {"who": username or ip_address})
        return redirect("accounts_lockouts")
    return render(request, "accounts/lockouts.html", {"title": _("登录锁定"), "locked": locked_out()})
