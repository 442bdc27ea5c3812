from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """监管: indicator sets, spot-check campaigns (抽查), notices (通报) and rectification (整改)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "govsite.supervision"
    verbose_name = _("网站监管")

    def ready(self) -> None:
        from . import signals  # noqa: F401 — re-scans close rectification tickets
