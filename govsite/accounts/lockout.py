"""登录失败处理: the lockout page, the lockout list and unlocking (django-axes underneath).

Axes counts failures per account and per client address separately (AXES_LOCKOUT_PARAMETERS), with the
address from core/net.py client_ip so that a proxy's address never locks everyone out.
"""

from __future__ import annotations

import datetime as dt

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check before the password check; without a request (shell, commands, the test client's
    `login`) there is no address to count and nothing to lock, so it stands aside."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs):  # noqa: ANN201
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict | None = None) -> HttpResponse:
    """The page a locked-out login gets (HTTP 429), in Chinese."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
    return render(request, "accounts/lockout.html", {
        "failure_limit": get_failure_limit(request, credentials),
        "lockout_minutes": minutes,
    }, status=settings.AXES_HTTP_RESPONSE_CODE)


def _limit() -> int:
    return settings.AXES_FAILURE_LIMIT if isinstance(settings.AXES_FAILURE_LIMIT, int) else 5


def locked_out() -> dict[str, list[dict]]:
    """Accounts and addresses locked now: failures within the cool-off at or over the limit, each counted
    on its own (the same sums axes uses to decide)."""
    attempts = AccessAttempt.objects.all()
    cool_off = settings.AXES_COOLOFF_TIME
    if isinstance(cool_off, dt.timedelta):
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    result = {}
    for field in ("username", "ip_address"):
        result[field] = list(
            attempts.exclude(**{f"{field}__isnull": True}).exclude(**{field: ""})
            .values(field).annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=_limit()).order_by("-last")
        )
    return result


def do_unlock(actor: AbstractBaseUser, *, username: str = "", ip_address: str = "",
              request: HttpRequest | None = None) -> int:
    """解除锁定 of an account or an address; audited. Returns how many lock records were removed."""
    from govsite.core.services import record_audit

    removed = 0
    if username:
        removed += reset(username=username)
    if ip_address:
        removed += reset(ip=ip_address)
    record_audit(actor, "auth.unlock", request=request, username=username, ip_address=ip_address,
                 removed=removed)
    return removed
