"""Hosting operations: turning a registry entry into a hosted site (集约化托管)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction
from wagtail.models import Collection, Page, Site

from govsite.checks.review import ensure_site_workflow
from govsite.core.permissions import ensure_site_groups
from govsite.registry.models import Website

from .models import HomePage


@transaction.atomic
def do_provision_hosted_site(website: Website, *, hostname: str | None = None, is_default: bool = False) -> Site:
    """Give a registry entry its own Wagtail site: home page, page tree, media collection, role groups and the
    default workflow 自动内容检查 → 审核 (checks/review.py).

    Idempotent: a website that is already hosted keeps its site and gets missing groups repaired.
    """
    if website.wagtail_site_id:
        site = website.wagtail_site
        collection = Collection.objects.filter(name=website.site_code).first()
        if collection is None:
            collection = Collection.get_first_root_node().add_child(name=website.site_code)
        ensure_site_groups(website, site.root_page, collection)
        ensure_site_workflow(website)
        return site
    parts = urlsplit(website.homepage_url)
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title=website.name, slug=f"site-{website.site_code}", live=True))
    home.save_revision().publish()
    if is_default:
        Site.objects.filter(is_default_site=True).update(is_default_site=False)
    site = Site.objects.create(
        hostname=hostname or (parts.hostname or "").lower(),
        port=parts.port or (443 if parts.scheme == "https" else 80),
        site_name=website.name,
        root_page=home,
        is_default_site=is_default,
    )
    website.wagtail_site = site
    website.save(update_fields=["wagtail_site", "updated_at"])
    collection = Collection.get_first_root_node().add_child(name=website.site_code)
    ensure_site_groups(website, home, collection)
    ensure_site_workflow(website)
    return site
