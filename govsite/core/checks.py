"""Configuration mistakes reported by `govsite check`, not discovered by a user at 2 a.m."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

KNOWN_BROKERS = {"redis", "rediss", "amqp", "amqps", "pyamqp", "filesystem", "memory"}


@register()
def check_celery_broker(app_configs, **kwargs):  # noqa: ANN001, ANN201
    scheme = urlsplit(settings.CELERY_BROKER_URL).scheme
    if scheme not in KNOWN_BROKERS:
        return [
            Error(
                f"CELERY_BROKER_URL 的协议 “{scheme}” 不受支持。",
                hint="使用 redis://主机:6379/0 或 amqp://用户:密码@主机//。",
                id="govsite.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_production_broker(app_configs, **kwargs):  # noqa: ANN001, ANN201
    scheme = urlsplit(settings.CELERY_BROKER_URL).scheme
    if scheme in {"filesystem", "memory"}:
        return [
            Warning(
                "后台任务使用的是单机内置队列，多台服务器无法共享任务。",
                hint="生产环境请设置 CELERY_BROKER_URL=redis://…（或 amqp://…）。",
                id="govsite.W001",
            )
        ]
    return []


@register(Tags.database, deploy=True)
def check_production_database(app_configs, **kwargs):  # noqa: ANN001, ANN201
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return [
            Warning(
                "数据库为内置 SQLite，仅适合单机演示和开发。",
                hint="生产环境请设置 DATABASE_URL=postgres://…。",
                id="govsite.W002",
            )
        ]
    return []


@register()
def check_audit_retention(app_configs, **kwargs):  # noqa: ANN001, ANN201
    from .audit import MIN_RETENTION_DAYS

    days = getattr(settings, "GOVSITE_AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)
    if not isinstance(days, int) or days < MIN_RETENTION_DAYS:
        return [
            Error(
                f"审计日志保留期 GOVSITE_AUDIT_RETENTION_DAYS={days} 天，少于法定的 {MIN_RETENTION_DAYS} 天（六个月）。",
                hint=f"设置 GOVSITE_AUDIT_RETENTION_DAYS 不小于 {MIN_RETENTION_DAYS}。",
                id="govsite.E040",
            )
        ]
    return []
