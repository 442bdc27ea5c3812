"""Local development (`make run`): DEBUG on, plain HTTP, an embedded database and broker under var/."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403
from .base import (  # noqa: E402
    ALLOWED_HOSTS,
    GOVSITE_MONITOR_HOST_MAP,
    GOVSITE_PLATFORM_HOSTS,
    MIDDLEWARE,
    VAR_DIR,
    env_bool,
)

SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
if not ALLOWED_HOSTS:
    # .gov.cn: the monitor reaches the demo's hosted sites on this server under their registered names.
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", ".localhost", ".gov.cn"]
# Hosted sites other than the default one are reached at http://<label>.localhost:<port>/; scripts/run-dev.sh
# picks the port (8000 unless busy) and passes it on, so that what the demo prints is where it serves.
GOVSITE_DEV_PORT = int(os.environ.get("GOVSITE_DEV_PORT") or 8000)
MIDDLEWARE = [MIDDLEWARE[0], "govsite.core.middleware.LocalhostSiteAliasMiddleware", *MIDDLEWARE[1:]]
# `make run` prints the portal at 127.0.0.1 (any port); localhost is the same machine.
GOVSITE_PLATFORM_HOSTS = [*GOVSITE_PLATFORM_HOSTS, "127.0.0.1", "localhost"]

GOVSITE_ALLOW_DEMO = True

# The demo's sites are on loopback (scripts/run-dev.sh writes the map); the monitor contacts nothing else.
GOVSITE_MONITOR_HOST_MAP = GOVSITE_MONITOR_HOST_MAP or str(VAR_DIR / "monitor-hosts.json")
GOVSITE_MONITOR_OFFLINE = env_bool("GOVSITE_MONITOR_OFFLINE", True)
