from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def platform_name() -> str:
    """The platform's own name (WAGTAIL_SITE_NAME) where Wagtail writes "Wagtail"."""
    return settings.WAGTAIL_SITE_NAME
