"""Local development (`make run`): DEBUG on, plain HTTP, an embedded database and broker under var/."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403
from .base import ALLOWED_HOSTS, GOVSITE_PLATFORM_HOSTS, MIDDLEWARE  # noqa: E402

SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
if not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", ".localhost"]
# Hosted sites other than the default one are reached at http://<label>.localhost:8000/.
MIDDLEWARE = [MIDDLEWARE[0], "govsite.core.middleware.LocalhostSiteAliasMiddleware", *MIDDLEWARE[1:]]
# `make run` prints the portal at 127.0.0.1 (any port); localhost is the same machine.
GOVSITE_PLATFORM_HOSTS = [*GOVSITE_PLATFORM_HOSTS, "127.0.0.1", "localhost"]

GOVSITE_ALLOW_DEMO = True
