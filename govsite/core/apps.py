from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "govsite.core"
    label = "core"
    verbose_name = "机构与权限"

    def ready(self) -> None:
        from . import audit_hooks, checks, security_checks, signals, workdays  # noqa: F401

        post_migrate.connect(_refresh_role_groups, dispatch_uid="govsite_refresh_role_groups")


def _refresh_role_groups(sender, **kwargs) -> None:  # noqa: ANN001
    # post_migrate fires once per app; wait for the last one, when every app's permissions exist.
    from django.apps import apps

    if sender.label != [config for config in apps.get_app_configs() if config.models_module][-1].label:
        return
    try:  # a partial `migrate core 0002` stops before the role records exist
        kwargs["apps"].get_model("core", "RoleDefinition")
    except (KeyError, LookupError):
        return
    from .permissions import refresh_role_group_permissions

    refresh_role_group_permissions()
