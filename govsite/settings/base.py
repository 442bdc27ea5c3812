"""Settings shared by every environment, read from environment variables.

Defaults are the safe production ones (DEBUG off, secure cookies, HSTS); dev.py and test.py relax them.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("GOVSITE_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "govsite.core",
    "govsite.registry",
    "govsite.content",
    "govsite.library",
    "govsite.demo",
    "govsite.checks",
    "govsite.monitoring",
    "govsite.supervision",
    "govsite.search",
    "govsite.adminui",  # before wagtail.admin: its templates override Wagtail's branding
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",  # 正文表格 (content/blocks.py)
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "govsite.adminui.users_app.UsersAppConfig",  # wagtail.users without superuser or group fields
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "ninja",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sitemaps",  # the sitemap.xml template (content/feeds.py)
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "govsite.core.middleware.HostedSiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "govsite.adminui.middleware.LocaleMiddleware",  # Chinese unless chosen otherwise, not per browser
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "govsite.core.middleware.AuditRequestMiddleware",  # after authentication: entries name the user
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "govsite.checks.middleware.PublicationBlockedMiddleware",
]

ROOT_URLCONF = "govsite.urls"

# 公共页面缓存 (content/pagecache.py): outermost, so a cached public page skips every other middleware.
MIDDLEWARE.insert(0, "govsite.content.pagecache.PageCacheMiddleware")
GOVSITE_PAGE_CACHE = env_bool("GOVSITE_PAGE_CACHE", True)
GOVSITE_PAGE_CACHE_MAX_AGE = int(os.environ.get("GOVSITE_PAGE_CACHE_MAX_AGE", "60"))  # browsers and proxies
# How often each process re-reads the sites' generations from the shared cache (seconds): a change made in one
# process reaches the others' cached pages within this time.
GOVSITE_PAGE_CACHE_RECHECK = float(os.environ.get("GOVSITE_PAGE_CACHE_RECHECK", "1"))
GOVSITE_PAGE_CACHE_TIMEOUT = int(os.environ.get("GOVSITE_PAGE_CACHE_TIMEOUT", "86400"))  # the server's cache

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "govsite.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'govsite.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server and the worker use the embedded database at the same time.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            # A 64 MB page cache and memory-mapped reads: the search index (govsite/search) joins tens of
            # thousands of index rows for a common word; bench/search.py measured 2-3x with these.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;",
            "transaction_mode": "IMMEDIATE",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The cost of a random page read relative to a sequential one: 1.1 for SSDs or a database that fits in
    # memory (PostgreSQL's default 4 is for spinning disks). At 4 PostgreSQL counts a common word's search
    # matches by reading the whole index table row by row instead of its GIN index: 50 ms instead of 6 ms at
    # 100,000 items (bench/search.py). A DATABASE_URL with ``?options=…`` sets its own.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c random_page_cost={os.environ.get('PG_RANDOM_PAGE_COST', '1.1')}"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English"), ("ug", "ئۇيغۇرچە")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # Uploads under a random directory each: file URLs cannot be guessed (core/storage.py).
    "default": {"BACKEND": "govsite.core.storage.UnguessableFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Sessions: 等保三级 asks for an idle timeout (default 30 minutes).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# preload is a one-way commitment for the whole domain (removal takes months): only when asked for.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's live preview shows the page in a same-origin frame, so DENY would break editing.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# ---------------------------------------------------------------------------------------------------------
# 安全加固 (等保三级): checked by `govsite check --deploy` (core/security_checks.py), documented in
# docs/OPERATIONS.md. production.py refuses DEBUG, ALLOWED_HOSTS "*" and an idle timeout over 30 minutes.
# ---------------------------------------------------------------------------------------------------------
INSTALLED_APPS += ["csp"]  # (django-csp's template tag and its settings checks)
MIDDLEWARE += [
    "govsite.core.middleware_security.PathCSPMiddleware",
    "govsite.core.middleware_security.NoStoreMiddleware",
]
_CSP_COMMON = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],  # Wagtail's preview shows the page in a same-origin frame
}
# Public pages: no inline script at all; the one inline <style> (site colours) carries the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {**_CSP_COMMON, "script-src": ["'self'"], "style-src": ["'self'", NONCE]},
}
# Wagtail's admin writes inline <script> with per-field ids (date pickers, inline panels) and inline styles:
# 'unsafe-inline' for both, still only this origin (the browser test finds no violation under this policy).
GOVSITE_CSP_ADMIN = {
    **_CSP_COMMON,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
}
# JSON answers load nothing and may not be framed; the Swagger UI page uses django-ninja's local copy.
GOVSITE_CSP_API = {"default-src": ["'none'"], "frame-ancestors": ["'none'"], "base-uri": ["'none'"],
                   "form-action": ["'none'"]}
GOVSITE_CSP_API_DOCS = {**_CSP_COMMON, "script-src": ["'self'"], "style-src": ["'self'", "'unsafe-inline'"]}
GOVSITE_API_DOCS_PREFIX = "/api/v1/docs"
# The API's OpenAPI description and Swagger UI: public in development, staff only in production.
GOVSITE_API_DOCS_PUBLIC = env_bool("GOVSITE_API_DOCS_PUBLIC", DEBUG)
# Admins' e-mail hashes are not sent to an outside avatar service (and the admin CSP would block it).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# 数据备份 (`govsite backup`, docs/OPERATIONS.md): where archives go and how many the command keeps.
GOVSITE_BACKUP_DIR = Path(os.environ.get("GOVSITE_BACKUP_DIR", VAR_DIR / "backups"))
GOVSITE_BACKUP_KEEP = int(os.environ.get("GOVSITE_BACKUP_KEEP", "14"))
SILENCED_SYSTEM_CHECKS += ["security.W021"]  # HSTS preload is deliberately off by default (see above)
# ---------------------------------------------------------------------------------------------------------

# Celery. The embedded default is a broker on the local filesystem, so that `make run` needs no server;
# production sets CELERY_BROKER_URL to Redis (or RabbitMQ).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", f"file://{VAR_DIR / 'celery' / 'results'}")
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "celery" / "queue"
    for _folder in ("queue", "processed", "control", "results"):
        (VAR_DIR / "celery" / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# 任务可靠性: a task running when its worker dies is done again, on every broker (docs/ARCHITECTURE.md).
# A task is acknowledged after it ran; a pool process that is killed hands its task back (reject + requeue).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
if CELERY_BROKER_URL == "filesystem://":
    # kombu's filesystem transport forgets a message once a worker takes it; ours keeps the file until it is
    # acknowledged and gives a dead worker's messages back (govsite/broker.py).
    CELERY_BROKER_TRANSPORT = "govsite.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS["processing_folder"] = str(VAR_DIR / "celery" / "processing")
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # Redis gives an unacknowledged message again after the visibility timeout, so it must be longer than the
    # longest countdown (probes are spread over an hour) plus the longest task; swept for every 10 s.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "7200")),
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
# A scan run proves its worker alive by a heartbeat this often; a run silent for 4 heartbeats is 中断
# (monitoring/services.py: interrupt_orphaned_runs) and the site may be scanned again at once.
GOVSITE_SCAN_HEARTBEAT_SECONDS = float(os.environ.get("GOVSITE_SCAN_HEARTBEAT_SECONDS", "30"))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {
    # 可用性探测: every 72 minutes = 20 probes a day per site (national rules §9 item 10); each site's probe
    # is delayed by its own offset within the hour so a region's probes are spread out.
    "monitoring-probe-all": {"task": "govsite.monitoring.tasks.probe_all_task", "schedule": 72 * 60},
    # 网站监测: the daily full scan of every monitored site, at 02:00 local time (CELERY_TIMEZONE).
    # 审计日志: the hash chain checked every night; a break is written to the log for the 审计管理员.
    # 定时发布: approved revisions whose go-live minute has come are published by the worker, every minute.
    "content-publish-scheduled": {"task": "govsite.checks.tasks.publish_scheduled_task", "schedule": 60},
    "audit-verify-chain": {"task": "govsite.core.tasks.verify_audit_chain_task", "schedule": crontab(hour=3, minute=30)},
    "monitoring-daily-scan": {
        "task": "govsite.monitoring.tasks.schedule_region_scan",
        "schedule": crontab(hour=2, minute=0),
    },
    # 整改督办: tickets past their deadline escalate to the next level up, every morning at 06:30.
    "supervision-escalate-overdue": {
        "task": "govsite.supervision.tasks.escalate_overdue_tickets",
        "schedule": crontab(hour=6, minute=30),
    },
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}
        if os.environ.get("CACHE_URL", "").startswith("redis")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Wagtail
WAGTAIL_SITE_NAME = "GovSite 政府网站集约化平台"
WAGTAILADMIN_USER_LOGIN_FORM = "govsite.adminui.forms.LoginForm"  # Wagtail's leaves the password label English
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# The platform's own hosts: the admin and the API answer there, and so does the default site (the portal).
# Any other Host that is not a hosted site's hostname answers 404 (core.middleware.HostedSiteMiddleware).
GOVSITE_PLATFORM_HOSTS = [
    *env_list("GOVSITE_PLATFORM_HOSTS"),
    *filter(None, [urlsplit(WAGTAILADMIN_BASE_URL).hostname]),
]
# An edit after the 自动内容检查 step sends the page through the workflow again, so the check always sees
# the revision that will be published.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Approval is the only path to publication (checks/review.py); it publishes what the workflow approved.
WAGTAIL_FINISH_WORKFLOW_ACTION = "govsite.checks.finish.publish_approved"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
# 全文检索 (govsite/search): Wagtail's database backend (SQLite FTS5 / PostgreSQL) with jieba segmentation.
# A large region points this at wagtail.search.backends.elasticsearch7 (or OpenSearch) in its settings; see
# docs/ARCHITECTURE.md, "Search".
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "govsite.search.backend"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]  # one time zone (北京时间): no list of 600 English zone names
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Registry imports larger than this are refused with a message rather than read into memory.
GOVSITE_IMPORT_MAX_BYTES = int(os.environ.get("GOVSITE_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
GOVSITE_IMPORT_MAX_ROWS = int(os.environ.get("GOVSITE_IMPORT_MAX_ROWS", "5000"))
# What an uploaded .xlsx may unpack to in all (zip bomb bound; registry/xlsx.py checks it before reading).
GOVSITE_IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("GOVSITE_IMPORT_MAX_UNPACKED_BYTES", str(32 * 1024 * 1024)))

LOGIN_URL = "wagtailadmin_login"

# 网站监测 connections (monitoring/hostmap.py): a host map keeps the demo's sites on loopback under their
# registered names (a JSON file path or a dict), and offline mode refuses every host outside it without DNS.
GOVSITE_MONITOR_HOST_MAP = os.environ.get("GOVSITE_MONITOR_HOST_MAP") or None
GOVSITE_MONITOR_OFFLINE = env_bool("GOVSITE_MONITOR_OFFLINE", False)

# The reverse proxies in front of the application (addresses or networks): only behind one of them is
# X-Forwarded-For believed for the client's address in the audit log (core/net.py).
GOVSITE_TRUSTED_PROXIES = env_list("GOVSITE_TRUSTED_PROXIES")
# 审计日志: kept at least 184 days (网络安全法: no less than six months; a system check refuses less);
# `govsite audit archive` moves older entries to sealed files in GOVSITE_AUDIT_ARCHIVE_DIR.
GOVSITE_AUDIT_RETENTION_DAYS = int(os.environ.get("GOVSITE_AUDIT_RETENTION_DAYS", "184"))
GOVSITE_AUDIT_ARCHIVE_DIR = Path(os.environ.get("GOVSITE_AUDIT_ARCHIVE_DIR", VAR_DIR / "audit-archive"))
# 监测抓取安全 (monitoring/hostmap.py, crawler.py): the monitor connects to public addresses only; a registry
# entry's 允许监测内网地址 (Website.allow_private_network) lets that site's own host be private. Cloud metadata
# addresses are always refused, and so are these (comma-separated addresses or networks). A page body over
# GOVSITE_MONITOR_MAX_PAGE_BYTES is not read further nor parsed (页面过大), which bounds a scan's memory.
GOVSITE_MONITOR_BLOCKED_ADDRESSES = [
    a.strip() for a in os.environ.get("GOVSITE_MONITOR_BLOCKED_ADDRESSES", "").split(",") if a.strip()
]
GOVSITE_MONITOR_MAX_PAGE_BYTES = int(os.environ.get("GOVSITE_MONITOR_MAX_PAGE_BYTES", str(2_000_000)))

# `govsite demo` creates accounts with a published password: never in production unless asked for.
GOVSITE_ALLOW_DEMO = env_bool("GOVSITE_ALLOW_DEMO", False)

# 登录安全 (等保三级) ------------------------------------------------------------------------------
# Two factors (password + TOTP or a WebAuthn security key), lockout, password rules, one session per user.
# The app is govsite/accounts; docs/SECURITY.md says what each setting does.
import datetime as _dt  # noqa: E402  (kept in this block so that it merges as one piece)

INSTALLED_APPS += [
    "govsite.accounts",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]
MIDDLEWARE.insert(  # after AuthenticationMiddleware: OTP state, then the second-step / password gate
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
                  "govsite.accounts.middleware.LoginSecurityMiddleware")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last: turns a lockout into the 429 page
AUTHENTICATION_BACKENDS = [
    "govsite.accounts.lockout.LockoutBackend",  # refuses locked accounts/addresses before the password
    "django.contrib.auth.backends.ModelBackend",
]
# Every staff account needs a second factor; without one, the admin sends the user to enrolment first.
GOVSITE_REQUIRE_2FA = env_bool("GOVSITE_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "GovSite")
OTP_TOTP_THROTTLE_FACTOR = 1  # each wrong code doubles the wait before the next try
OTP_STATIC_THROTTLE_FACTOR = 1
# The WebAuthn relying party is the admin's host unless set (a parent domain shared by several admin hosts).
GOVSITE_WEBAUTHN_RP_ID = os.environ.get("GOVSITE_WEBAUTHN_RP_ID", "")
# 登录失败处理: lock an account and, separately, a client address after this many failures in a row.
AXES_FAILURE_LIMIT = int(os.environ.get("GOVSITE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = _dt.timedelta(minutes=int(os.environ.get("GOVSITE_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "govsite.core.net.client_ip"
AXES_LOCKOUT_CALLABLE = "govsite.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "token"]
AXES_DISABLE_ACCESS_LOG = True  # successes and failures are in the audit log (core, via auth signals)
# 口令规则: at least 3 of 4 character classes, no reuse of the last 5, expiry, no demo password outside the demo.
GOVSITE_PASSWORD_HISTORY = int(os.environ.get("GOVSITE_PASSWORD_HISTORY", "5"))
GOVSITE_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("GOVSITE_PASSWORD_MAX_AGE_DAYS", "90"))  # 0: never expires
AUTH_PASSWORD_VALIDATORS = [
    *(v for v in AUTH_PASSWORD_VALIDATORS if not v["NAME"].endswith(".MinimumLengthValidator")),
    {"NAME": "govsite.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "govsite.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "govsite.accounts.validators.PasswordHistoryValidator",
     "OPTIONS": {"count": GOVSITE_PASSWORD_HISTORY}},
    {"NAME": "govsite.accounts.validators.DemoPasswordValidator"},
]
# One session per user: a new login ends the user's other sessions (0 = no limit).
GOVSITE_MAX_SESSIONS_PER_USER = int(os.environ.get("GOVSITE_MAX_SESSIONS_PER_USER", "1"))
# Reverse proxies whose X-Forwarded-For is believed (CIDRs, comma-separated): core/net.py client_ip reads
# the client's address right to left past these; empty means REMOTE_ADDR is the client.
GOVSITE_TRUSTED_PROXIES = env_list("GOVSITE_TRUSTED_PROXIES")
# -- end 登录安全 -------------------------------------------------------------------------------------


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}


def require_secret_key() -> None:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY 未设置：生产环境必须通过环境变量 SECRET_KEY 提供随机密钥。")


def refuse_insecure_production() -> None:
    """安全加固: production does not start with debugging on, any Host allowed or a long idle timeout."""
    problems = []
    if DEBUG:
        problems.append("DEBUG 已开启（生产环境必须 DEBUG=0）")
    if any(host.strip().startswith("*") for host in ALLOWED_HOSTS):
        problems.append("ALLOWED_HOSTS 含有“*”（须逐一列出域名）")
    if SESSION_COOKIE_AGE > 30 * 60:
        problems.append(f"会话空闲超时 SESSION_IDLE_SECONDS={SESSION_COOKIE_AGE} 超过 1800 秒（30 分钟）")
    if problems:
        raise ImproperlyConfigured("生产环境配置不安全，拒绝启动：" + "；".join(problems) + "。")
