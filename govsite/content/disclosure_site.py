"""政府信息公开栏目 on a hosted site: building and repairing the uniform tree (disclosure_columns.py), and
publishing its columns once they have content.

Provisioning creates the columns as drafts: a column with no content may not be published (§9 item 14). When
an item under the structure is published (or a 指南/制度 text is), the structure's columns above it that now have
content are published by the system, so the uniform column appears by itself and never empty.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published

from govsite.core.access import SYSTEM
from govsite.core.models import Region, Unit
from govsite.core.services import record_audit
from govsite.registry.models import Website

from .disclosure_columns import OGI_KINDS, ColumnKind, ColumnSpec, structure
from .models import ArticlePage, ColumnPage


def is_city_or_county_government(website: Website) -> bool:
    """条例 Art 21 applies to 设区的市级、县级人民政府: the site's 主办单位 is such a government."""
    unit = website.owner_unit
    return unit.kind == Unit.Kind.GOVERNMENT and unit.region.level in (Region.Level.PREFECTURE, Region.Level.COUNTY)


def ogi_root(home: Page) -> ColumnPage | None:
    """The site's 政府信息公开 column."""
    return ColumnPage.objects.child_of(home).filter(column_kind=ColumnKind.OGI).first()


def _ensure(parent: Page, spec: ColumnSpec, created: list[str]) -> ColumnPage:
    existing = ColumnPage.objects.child_of(parent).filter(slug=spec.slug).first()
    if existing is None:
        column = parent.add_child(instance=ColumnPage(
            title=spec.title, slug=spec.slug, column_kind=spec.kind, update_class=spec.update_class,
            description=spec.description, live=False, show_in_menus=spec.kind == ColumnKind.OGI,
            show_on_homepage=False))
        created.append(spec.slug)
    else:
        column = existing.specific
        if column.column_kind != spec.kind:
            # A site made before the structure existed may already have an ordinary column of that address.
            ColumnPage.objects.filter(pk=column.pk).update(column_kind=spec.kind)
            column.column_kind = spec.kind
    for child in spec.children:
        _ensure(column, child, created)
    return column


def ensure_disclosure_columns(website: Website, home: Page, *, by: Any) -> ColumnPage:
    """Create whatever of the 政府信息公开 structure this site lacks (idempotent; existing columns and their
    content are kept). New columns are unpublished drafts until they have content."""
    created: list[str] = []
    root = _ensure(home, structure(city_or_county_government=is_city_or_county_government(website)), created)
    if created:
        record_audit(by, "site.disclosure_columns", website, site_code=website.site_code, created=created)
    return root


def _unpublished_structure_ancestors(page: Page) -> list[ColumnPage]:
    """The structure's draft columns at and above `page`, deepest first."""
    columns = ColumnPage.objects.ancestor_of(page, inclusive=True).filter(column_kind__in=OGI_KINDS, live=False)
    return list(columns.order_by("-depth"))


@receiver(page_published)
def publish_structure_with_content(sender: Any, instance: Page, **kwargs: Any) -> None:
    """An item (or a 指南/制度 text) went live under the structure: publish its columns that now have content."""
    if isinstance(instance, ArticlePage | ColumnPage):
        publish_columns_with_content(instance)


def publish_columns_with_content(page: Page) -> list[ColumnPage]:
    """Publish the structure's draft columns at and above `page` that now have content (the system's act:
    the structure is the platform's). Also called after a placement is accepted into such a column."""
    published = []
    for column in _unpublished_structure_ancestors(page):
        column = column.specific
        if column.review_problems():
            continue
        (column.latest_revision or column.save_revision()).publish()
        record_audit(SYSTEM, "page.publish_structure_column", column, title=column.title)
        published.append(column)
    return published
