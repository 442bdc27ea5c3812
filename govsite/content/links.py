"""Which files a page may link (页面引用的文件和图片) and when a file is public (文件公开).

- A page links only documents and images of its own site's media collection (named by the site's 网站标识码),
  which are the files its authors may use. Linking another site's file would publish it under this site's
  name, and (before this rule) made that site's unpublished file downloadable. The rule runs on every save
  through the page models' `clean()` (the edit form shows it; 提交审核 and `save_revision()` are refused with
  it) and again when a page goes live (`checks.page_guard.guard_save`).
- A document is public once a live, unrestricted page *of the site whose collection holds it* links it; a
  page of another site linking it changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, ReferenceIndex

from .access import site_root_for_collection

MESSAGE_LIMIT = 5


@dataclass(frozen=True)
class MediaLink:
    """A file a page's content refers to: a document (附件) or an image (图片)."""

    kind: str  # "document" or "image"
    obj: Any
    field: str  # the model field holding the reference, e.g. "body"


def linked_media(page: Page) -> list[MediaLink]:
    """The documents and images the page's current content refers to (not the stored reference index, which
    reflects the last save)."""
    models = {"document": get_document_model(), "image": get_image_model()}
    type_ids = {ContentType.objects.get_for_model(model).pk: kind for kind, model in models.items()}
    wanted: dict[str, dict[int, str]] = {"document": {}, "image": {}}
    for content_type_id, object_id, model_path, _content_path in ReferenceIndex._extract_references_from_object(page):
        kind = type_ids.get(content_type_id)
        if kind is not None and str(object_id).isdigit():
            wanted[kind].setdefault(int(object_id), model_path.split(".")[0])
    links = []
    for kind, ids in wanted.items():
        if ids:
            for obj in models[kind].objects.filter(pk__in=ids).select_related("collection").order_by("pk"):
                links.append(MediaLink(kind, obj, ids[obj.pk]))
    return links


def _site_collection_paths(page: Page) -> list[str] | None:
    """Paths of the collections the page's site owns; None when the page is in no hosted site."""
    from .access import website_for_page

    website = website_for_page(page) if page.path else None
    if website is None:
        return None
    collection = Collection.objects.filter(name=website.site_code, depth=2).first()
    return [collection.path] if collection is not None else []


def foreign_media(page: Page, links: list[MediaLink] | None = None) -> list[MediaLink]:
    """The linked files that are not in the page's own site collection (其他网站的文件)."""
    links = linked_media(page) if links is None else links
    if not links:
        return []
    paths = _site_collection_paths(page)
    if paths is None:
        return []  # pages outside hosted sites (the tree root) have no site collection to keep to
    return [link for link in links if not any(link.obj.collection.path.startswith(p) for p in paths)]


def foreign_media_message(foreign: list[MediaLink]) -> str:
    names = "、".join(
        (_("文件（编号 %(id)s）") if link.kind == "document" else _("图片（编号 %(id)s）")) % {"id": link.obj.pk}
        for link in foreign[:MESSAGE_LIMIT]
    )
    more = _("等 %(n)d 个") % {"n": len(foreign)} if len(foreign) > MESSAGE_LIMIT else ""
    return _("页面只能链接本网站的文件和图片：%(names)s%(more)s不属于本网站，请删除该链接，或先把文件上传到本网站。") % {
        "names": names, "more": more}


def check_page_links(page: Page) -> None:
    """Raise ValidationError (in Chinese) when the page links a file of another site."""
    foreign = foreign_media(page)
    if foreign:
        raise ValidationError(foreign_media_message(foreign), code="foreign_media")


class LinkRuleMixin:
    """For page models: `clean()` refuses links to other sites' files (edit form, 提交审核, save_revision)."""

    def clean(self) -> None:
        super().clean()  # type: ignore[misc]
        check_page_links(self)  # type: ignore[arg-type]


def document_is_public(document: Any) -> bool:
    """A document is public once a live, unrestricted page of the site whose collection holds it links it."""
    root = site_root_for_collection(document.collection)
    if root is None:
        return False
    page_type = ReferenceIndex._get_base_content_type(Page)
    page_ids = ReferenceIndex.get_references_to(document).filter(base_content_type=page_type).values_list(
        "object_id", flat=True)
    ids = [int(pk) for pk in page_ids if str(pk).isdigit()]
    if not ids:
        return False
    pages = Page.objects.live().public().descendant_of(root, inclusive=True).filter(pk__in=ids)
    # The index records what a page's latest save refers to; a live page still links the file only if its
    # published content does, so read that content.
    for page in pages.specific():
        if any(link.kind == "document" and link.obj.pk == document.pk for link in linked_media(page)):
            return True
    return False
