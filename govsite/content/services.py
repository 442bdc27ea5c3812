"""Hosting operations: turning a registry entry into a hosted site (集约化托管)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from wagtail.models import Collection, Page, Site

from govsite.checks.review import ensure_site_workflow
from govsite.core.access import has_capability, is_system, require_actor
from govsite.core.models import Capability
from govsite.core.services import record_audit
from govsite.registry.models import Website

from .disclosure_site import ensure_disclosure_columns
from .models import HomePage
from .permissions import ensure_site_groups

if TYPE_CHECKING:
    from django.http import HttpRequest


def may_provision_sites(actor: Any) -> bool:
    """开通托管网站 is a platform operation: the system actor, or a role with that capability (系统管理员,
    平台管理员), which is of platform scope."""
    return is_system(actor) or (getattr(actor, "is_authenticated", False) and actor.is_active
                                and (actor.is_superuser or has_capability(actor, Capability.SITES_PROVISION)))


def check_provision_hosted_site(actor: Any, website: Website, hostname: str | None = None) -> None:
    require_actor(actor)
    if not may_provision_sites(actor):
        raise PermissionDenied("无权开通托管网站。")
    if website.wagtail_site_id:
        return  # repairing an existing site changes no address
    parts = urlsplit(website.homepage_url)
    host = (hostname or parts.hostname or "").strip().lower()
    if not host:
        raise ValidationError({"hostname": "该网站没有首页地址，请先在网站基本信息库中填写。"})
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if Site.objects.filter(hostname=host, port=port).exists():
        raise ValidationError({"hostname": "该域名已由另一个托管网站使用。"})


@transaction.atomic
def do_provision_hosted_site(website: Website, *, by: Any, hostname: str | None = None, is_default: bool = False,
                             request: HttpRequest | None = None, disclosure_columns: bool = True) -> Site:
    """开通托管网站: give a registry entry its own Wagtail site: home page, page tree, media collection, role
    groups, the default workflow 自动内容检查 → 审核 (checks/review.py) and the uniform 政府信息公开 column
    tree (content/disclosure_site.py, drafts until they have content). Audited; `by` is the user who
    asked (a platform operator) or `SYSTEM` for the demo and commands.

    Idempotent: a website that is already hosted keeps its site and gets missing groups and disclosure
    columns repaired.
    """
    check_provision_hosted_site(by, website, hostname)
    if website.wagtail_site_id:
        site = website.wagtail_site
        collection = Collection.objects.filter(name=website.site_code).first()
        if collection is None:
            collection = Collection.get_first_root_node().add_child(name=website.site_code)
        ensure_site_groups(website, site.root_page, collection)
        ensure_site_workflow(website)
        ensure_disclosure_columns(website, site.root_page, by=by)
        record_audit(by, "site.repair", website, request=request, site_code=website.site_code)
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
    if disclosure_columns:  # only the test factories leave it out (some 25 pages a site); a repair adds it
        ensure_disclosure_columns(website, home, by=by)
    record_audit(by, "site.provision", website, request=request, site_code=website.site_code,
                 hostname=site.hostname, port=site.port, is_default=is_default)
    return site
