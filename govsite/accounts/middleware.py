"""LoginSecurityMiddleware: no admin work before the second factor and a due password change.

After django-otp's OTPMiddleware. A session that passed only the password step is sent to the second
step (or to enrolment when the user has no device yet) on every admin page, and counts as anonymous
everywhere else (API, documents, previews), so the password alone opens nothing. A session whose password
must be changed (expired, or the demo password outside the demo) is held the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from . import services

# URL names a half-logged-in user may open: the login steps themselves and logging out.
OPEN_URL_NAMES = (
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",  # the login steps' pages load the admin's scripts and icons
    "wagtailadmin_sprite",
    "accounts:verify",
    "accounts:setup",
    "accounts:recovery_codes",
    "accounts:key_register_begin",  # the views refuse when the user already has a factor
    "accounts:key_register_complete",
    "accounts:key_auth_begin",
    "accounts:key_auth_complete",
    "accounts:password_change_required",
)
PASSWORD_STEP_OPEN = ("wagtailadmin_logout", "wagtailadmin_javascript_catalog", "wagtailadmin_sprite",
                      "accounts:password_change_required", "accounts:recovery_codes")


def _paths(names: tuple[str, ...]) -> set[str]:
    return {reverse(name) for name in names}


class LoginSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._gate(request)
        return response or self.get_response(request)

    def _gate(self, request: HttpRequest) -> HttpResponse | None:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None  # no session, no login: public pages never load (or Vary on) the session
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        admin_root = reverse("wagtailadmin_home")
        in_admin = request.path.startswith(admin_root)
        if getattr(settings, "GOVSITE_REQUIRE_2FA", True) and not user.is_verified():
            if request.path in _paths(OPEN_URL_NAMES):
                return None
            if not in_admin:
                request.user = AnonymousUser()
                return None
            step = "accounts:verify" if services.has_second_factor(user) else "accounts:setup"
            return self._redirect(request, step)
        if request.session.get(services.PASSWORD_CHANGE_SESSION_KEY):
            if request.path in _paths(PASSWORD_STEP_OPEN):
                return None
            if not in_admin:
                request.user = AnonymousUser()
                return None
            return self._redirect(request, "accounts:password_change_required")
        return None

    @staticmethod
    def _redirect(request: HttpRequest, name: str) -> HttpResponse:
        target = reverse(name)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)
