"""WSGI entry point (gunicorn govsite.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings.production")
application = get_wsgi_application()

from govsite.content.pagecache import wsgi_fast_path  # noqa: E402  (after Django is set up)

# 公共页面缓存: cached public pages are sent before Django builds a request (content/pagecache.py).
application = wsgi_fast_path(application)
