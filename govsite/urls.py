from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap as sitemap_view
from wagtail.documents import urls as wagtaildocs_urls

from govsite.api import api
from govsite.content.feeds import column_feed
from govsite.search.views import search_view

urlpatterns = [
    # the login steps after the password (accounts): before Wagtail's admin, which requires them done
    path("admin/security/", include("govsite.accounts.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls),
    path("search/", search_view, name="public_search"),  # 站内检索 / 统一检索 on every hosted site
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Only image renditions are served straight from disk; documents always go through Wagtail's view,
    # which applies the download scope (the production web server must do the same).
    urlpatterns += static(settings.MEDIA_URL + "images/", document_root=settings.MEDIA_ROOT / "images")
    urlpatterns += static(
        settings.MEDIA_URL + "original_images/", document_root=settings.MEDIA_ROOT / "original_images"
    )

urlpatterns += [
    # 订阅与站点地图 (content/feeds.py): each for the site the Host names
    path("rss/<int:column_id>/", column_feed, name="column_feed"),
    path("sitemap.xml", sitemap_view, name="sitemap"),
    path("", include(wagtail_urls)),
]
