"""Login hooks: one session per user, the forced password change, and lockouts in the audit log.

Logins and logouts themselves are audited by core (user_logged_in / user_login_failed); only lockouts,
which Django does not signal, are written here.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from . import services


@receiver(user_logged_in, dispatch_uid="accounts.login_session")
def _on_login(sender, request, user, **kwargs) -> None:  # noqa: ANN001
    if request is None or not hasattr(request, "session"):
        return
    services.do_register_login_session(user, request.session)
    reason = services.password_change_reason(user)
    if reason:
        request.session[services.PASSWORD_CHANGE_SESSION_KEY] = reason
    else:
        request.session.pop(services.PASSWORD_CHANGE_SESSION_KEY, None)


@receiver(user_logged_out, dispatch_uid="accounts.logout_session")
def _on_logout(sender, request, user, **kwargs) -> None:  # noqa: ANN001
    if request is not None and hasattr(request, "session"):
        services.do_forget_login_session(request.session.session_key)


@receiver(user_locked_out, dispatch_uid="accounts.lockout_audit")
def _on_lockout(sender, request, username, ip_address, **kwargs) -> None:  # noqa: ANN001
    from govsite.core.services import record_audit

    record_audit(None, "auth.lockout", result="failure", request=request, username=username or "",
                 ip_address=ip_address or "")
