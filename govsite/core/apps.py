from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "govsite.core"
    label = "core"
    verbose_name = "机构与权限"

    def ready(self) -> None:
        from . import checks, signals, wagtail_scope  # noqa: F401

        wagtail_scope.install()
