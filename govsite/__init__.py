"""GovSite: 政府网站集约化平台 + 监管平台."""

from .celery import app as celery_app

__all__ = ["celery_app"]
