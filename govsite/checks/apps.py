from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "govsite.checks"
    label = "checks"
    verbose_name = "内容合规检查"

    def import_models(self) -> None:
        super().import_models()
        # The workflow step 自动内容检查 is a model too (a Wagtail Task type). It lives with the workflow code,
        # which needs the page check, which needs the records in models.py: importing it here, after them,
        # keeps models.py free of the workflow (no import cycle) and registers the model with the others.
        from . import approval, workflow  # noqa: F401
