from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AdminUIConfig(AppConfig):
    name = "govsite.adminui"
    label = "adminui"
    verbose_name = "后台界面"

    def ready(self) -> None:
        from .names import install
        from .wagtail_fixes import full_name_in_sidebar, label_page_fields, label_site_columns

        install()
        label_site_columns()
        label_page_fields()
        full_name_in_sidebar()
        post_migrate.connect(_after_last_migrate, dispatch_uid="govsite_adminui_permission_names")


def _after_last_migrate(sender, **kwargs) -> None:  # noqa: ANN001
    # Permissions of every app exist only after the last app's post_migrate (as in core.apps).
    from django.apps import apps

    if sender.label != [config for config in apps.get_app_configs() if config.models_module][-1].label:
        return
    from django.contrib.auth.management import create_permissions

    from .permissions import translate_permission_names

    # This receiver is connected before django.contrib.auth's, so the last app's permissions are created first.
    create_permissions(sender, verbosity=0, using=kwargs.get("using", "default"), apps=kwargs.get("apps", apps))
    translate_permission_names()
