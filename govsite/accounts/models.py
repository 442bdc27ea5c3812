"""登录安全 records: password history, login sessions and WebAuthn security keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class PasswordHistory(models.Model):
    """口令历史: the hash of each password a user has had, newest last (reuse and expiry rules)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("口令摘要"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("口令历史")
        verbose_name_plural = _("口令历史")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


class LoginSession(models.Model):
    """登录会话: which session keys belong to which user, so a new login can end the others."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class SecurityKey(Device):
    """安全密钥 (USB Key / WebAuthn authenticator): the cryptographic second factor.

    A django-otp device, so a session verified with it counts as verified like a TOTP one; it takes no
    typed token (verify_token is always False): it is verified by a WebAuthn assertion in services.py.
    """

    credential_id = models.BinaryField(_("凭据标识"), max_length=1024)
    public_key = models.BinaryField(_("公钥"), max_length=1024)
    sign_count = models.PositiveBigIntegerField(_("签名计数"), default=0)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta(Device.Meta):
        verbose_name = _("安全密钥")
        verbose_name_plural = _("安全密钥")
