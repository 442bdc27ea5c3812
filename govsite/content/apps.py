from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "govsite.content"
    label = "content"
    verbose_name = "网站内容"

    def ready(self) -> None:
        from . import admin_scope, pagecache, wagtail_scope

        wagtail_scope.install()
        admin_scope.install()
        pagecache.install()
