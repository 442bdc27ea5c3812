from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "govsite.checks"
    label = "checks"
    verbose_name = "内容合规检查"
