from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "govsite.library"
    label = "library"
    verbose_name = "统一信息资源库"
