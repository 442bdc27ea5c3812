"""Small pieces the admin views of every app share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest


def require_permission(request: HttpRequest, permission: str) -> None:
    """Model-level permission gate; row scope is then applied through `core.access`."""
    if not request.user.has_perm(permission):
        raise PermissionDenied


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's field-keyed errors next to the matching form fields (others on top of the form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, messages in exc.message_dict.items():
        form.add_error(key if key in form.fields else None, messages)
