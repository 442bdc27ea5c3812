from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "govsite.core"
    label = "core"
    verbose_name = "机构与权限"

    def ready(self) -> None:
        from . import checks, signals, wagtail_scope  # noqa: F401

        wagtail_scope.install()
        # Every app's post_migrate, not only ours: permissions of apps migrated after core appear later.
        post_migrate.connect(_refresh_role_groups, dispatch_uid="govsite_refresh_role_groups")


def _refresh_role_groups(sender, **kwargs) -> None:  # noqa: ANN001
    from .permissions import refresh_role_group_permissions

    refresh_role_group_permissions()
