"""安全加固 (等保三级): `govsite check --deploy` fails, not warns, while a security control is not configured.

Each control is one function returning the problems it finds as strings; `CONTROLS` names it (the name
appears in the error so an operator sees which control is missing). The same functions back
`settings.production.refuse_insecure_settings` for the controls production refuses to start without.
Settings other helpers add (two-factor, lockout, audit retention) are read with safe defaults: a control
whose setting is absent counts as not configured.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.utils.module_loading import import_string

MAX_IDLE_SECONDS = 30 * 60
MIN_HSTS_SECONDS = 180 * 24 * 3600
MIN_AUDIT_RETENTION_DAYS = 184  # 网络安全法第二十一条: 网络日志留存不少于六个月
CSP_MIDDLEWARE = "csp.middleware.CSPMiddleware"
# Keys shipped in this repository for development and tests; never acceptable in production.
KNOWN_PUBLIC_KEY_MARKERS = ("dev-only-insecure", "test-only-key", "django-insecure", "changeme", "secret")


def _debug_off() -> list[str]:
    return ["DEBUG 已开启：生产环境必须关闭调试模式（DEBUG=0）。"] if settings.DEBUG else []


def _allowed_hosts() -> list[str]:
    hosts = list(settings.ALLOWED_HOSTS)
    if not hosts:
        return ["ALLOWED_HOSTS 为空：请列出本平台对外服务的域名。"]
    if any(host.strip() in {"*", ".*"} or host.strip().startswith("*") for host in hosts):
        return ["ALLOWED_HOSTS 含有“*”：生产环境必须逐一列出允许的域名。"]
    return []


def _idle_timeout() -> list[str]:
    problems = []
    if int(settings.SESSION_COOKIE_AGE) > MAX_IDLE_SECONDS:
        problems.append(
            f"会话空闲超时为 {int(settings.SESSION_COOKIE_AGE)} 秒，超过等保三级要求的 {MAX_IDLE_SECONDS} 秒（30 分钟）。"
        )
    if not settings.SESSION_SAVE_EVERY_REQUEST:
        problems.append("SESSION_SAVE_EVERY_REQUEST 未开启：会话时长不是空闲超时，而是自登录起的绝对时长。")
    return problems


def _two_factor() -> list[str]:
    if getattr(settings, "GOVSITE_REQUIRE_2FA", False) is not True:
        return ["未要求双因素认证：请设置 GOVSITE_REQUIRE_2FA=True，所有后台人员登录须使用第二因素。"]
    return []


def _lockout() -> list[str]:
    if not apps.is_installed("axes"):
        return ["未安装登录失败锁定（django-axes）：连续登录失败不会被锁定。"]
    if getattr(settings, "AXES_ENABLED", False) is not True:
        return ["登录失败锁定未启用：请设置 AXES_ENABLED=True。"]
    return []


def _hsts() -> list[str]:
    problems = []
    if int(settings.SECURE_HSTS_SECONDS) < MIN_HSTS_SECONDS:
        problems.append(
            f"HSTS 未设置或时长过短（SECURE_HSTS_SECONDS={int(settings.SECURE_HSTS_SECONDS)}），"
            f"至少应为 {MIN_HSTS_SECONDS} 秒（180 天）。"
        )
    if not settings.SECURE_SSL_REDIRECT:
        problems.append("SECURE_SSL_REDIRECT 未开启：HTTP 请求不会被重定向到 HTTPS。")
    return problems


def _secure_cookies() -> list[str]:
    missing = [name for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY")
               if not getattr(settings, name)]
    if missing:
        return [f"Cookie 未加安全标记：{'、'.join(missing)} 须为 True。"]
    return []


def _csp_middleware_installed() -> bool:
    from csp.middleware import CSPMiddleware

    for dotted in settings.MIDDLEWARE:
        try:
            middleware = import_string(dotted)
        except ImportError:
            continue
        if isinstance(middleware, type) and issubclass(middleware, CSPMiddleware):
            return True
    return False


def _csp() -> list[str]:
    if not _csp_middleware_installed():
        return [f"未启用内容安全策略（Content-Security-Policy）：MIDDLEWARE 中缺少 {CSP_MIDDLEWARE} 或其子类。"]
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    directives = policy.get("DIRECTIVES") or {}
    default_src = list(directives.get("default-src") or [])
    if not default_src:
        return ["内容安全策略缺少 default-src 指令。"]
    if "*" in default_src or any(src in {"http:", "https:"} for src in default_src):
        return ["内容安全策略的 default-src 允许任意来源，等于没有限制。"]
    script_src = list(directives.get("script-src") or default_src)
    if "'unsafe-eval'" in script_src or "*" in script_src:
        return ["内容安全策略的 script-src 允许 'unsafe-eval' 或任意来源。"]
    return []


def _audit_retention() -> list[str]:
    days = getattr(settings, "GOVSITE_AUDIT_RETENTION_DAYS", None)
    if days is None:
        return ["未配置审计日志保留期限（GOVSITE_AUDIT_RETENTION_DAYS）。"]
    if int(days) < MIN_AUDIT_RETENTION_DAYS:
        return [f"审计日志保留 {int(days)} 天，少于法定的 {MIN_AUDIT_RETENTION_DAYS} 天（六个月）。"]
    return []


def _secret_key() -> list[str]:
    key = settings.SECRET_KEY or ""
    lowered = key.lower()
    if len(key) < 50 or len(set(key)) < 5:
        return ["SECRET_KEY 强度不足：至少 50 个字符且字符多样（例如 python -c \"import secrets; "
                "print(secrets.token_urlsafe(64))\" 生成）。"]
    if any(marker in lowered for marker in KNOWN_PUBLIC_KEY_MARKERS):
        return ["SECRET_KEY 是公开的开发或测试密钥：生产环境必须使用自己生成的随机密钥。"]
    return []


# id suffix, control name (shown in the error), check
CONTROLS: list[tuple[str, str, Callable[[], list[str]]]] = [
    ("E101", "调试模式", _debug_off),
    ("E102", "允许的主机名", _allowed_hosts),
    ("E103", "会话空闲超时", _idle_timeout),
    ("E104", "双因素认证", _two_factor),
    ("E105", "登录失败锁定", _lockout),
    ("E106", "HTTPS 与 HSTS", _hsts),
    ("E107", "安全 Cookie", _secure_cookies),
    ("E108", "内容安全策略", _csp),
    ("E109", "审计日志保留期限", _audit_retention),
    ("E110", "SECRET_KEY 强度", _secret_key),
]

# The controls production.py refuses to start without (the others need other helpers' settings loaded).
STARTUP_CONTROLS = ("E101", "E102", "E103")


def problems(only: tuple[str, ...] | None = None) -> list[tuple[str, str, str]]:
    """Every unconfigured control as (id, control name, problem)."""
    found = []
    for suffix, name, check in CONTROLS:
        if only is None or suffix in only:
            found.extend((f"govsite.{suffix}", name, text) for text in check())
    return found


@register(Tags.security, deploy=True)
def check_security_controls(app_configs, **kwargs):  # noqa: ANN001, ANN201
    """等保三级 controls: an Error (not a Warning) for each control that is not configured."""
    return [
        Error(f"【{name}】{text}", hint="见 docs/OPERATIONS.md “安全加固”。", id=check_id)
        for check_id, name, text in problems()
    ]
