from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "govsite.content"
    label = "content"
    verbose_name = "网站内容"

    def ready(self) -> None:
        from . import admin_scope, disclosure_site, pagecache, wagtail_scope  # noqa: F401 (disclosure_site: its receiver)

        wagtail_scope.install()
        admin_scope.install()
        pagecache.install()
