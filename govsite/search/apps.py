from django.apps import AppConfig


class SearchConfig(AppConfig):
    """全文检索: Chinese search of the hosted sites through Wagtail's search backend."""

    name = "govsite.search"
    label = "govsite_search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (the user dictionary follows region, unit and website names)
