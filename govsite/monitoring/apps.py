from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "govsite.monitoring"
    label = "monitoring"
    verbose_name = "网站监测"
