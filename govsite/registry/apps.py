from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "govsite.registry"
    label = "registry"
    verbose_name = "网站基本信息库"
