"""正文结构化内容块 (body blocks) of hosted sites' items.

A body is a sequence of blocks instead of one rich text, so that what editors cannot keep in rich text
survives an edit: tables (Draftail has none; an HTML table pasted into rich text is flattened on the next
save), images with their 替代文字, attachments with their titles, audio and video with a transcript.

`BodyField` also accepts HTML where a body is expected (old revisions, scripts, tests, the migration import):
the HTML is converted with `content.htmlblocks.html_to_blocks`, the converter the data migration used.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock

# Rich text of a paragraph block: what Draftail keeps faithfully (no tables: those are table blocks).
PARAGRAPH_FEATURES = ["bold", "italic", "h2", "h3", "h4", "ol", "ul", "hr", "link", "document-link", "image",
                      "superscript", "subscript"]

TABLE_OPTIONS = {
    "startRows": 3,
    "startCols": 3,
    "colHeaders": False,
    "rowHeaders": False,
    "contextMenu": ["row_above", "row_below", "---------", "col_left", "col_right", "---------",
                    "remove_row", "remove_col", "---------", "undo", "redo", "---------", "mergeCells"],
    "mergeCells": True,
    "editor": "text",
    "stretchH": "all",
    "height": 216,
    "renderer": "text",
    "autoColumnSize": False,
    "language": "zh-CN",
}


class HeadingBlock(blocks.StructBlock):
    """小标题."""

    level = blocks.ChoiceBlock(choices=[("h2", _("二级标题")), ("h3", _("三级标题")), ("h4", _("四级标题"))],
                               default="h2", label=_("级别"))
    text = blocks.CharBlock(max_length=200, label=_("标题文字"))

    class Meta:
        icon = "title"
        label = _("小标题")
        template = "content/blocks/heading.html"


class BodyTableBlock(TableBlock):
    """表格: cells, header row/column, caption and merged cells (rowspan/colspan) kept as data."""

    class Meta:
        icon = "table"
        label = _("表格")
        template = "content/blocks/table.html"


class ImageBlock(blocks.StructBlock):
    """图片, with its 替代文字 required (无障碍: an image without a text alternative is unreadable to a
    screen reader)."""

    image = ImageChooserBlock(label=_("图片"))
    alt = blocks.CharBlock(max_length=250, label=_("替代文字"),
                           help_text=_("向看不到图片的读者说明图片内容，必填。"))
    caption = blocks.CharBlock(max_length=250, required=False, label=_("图片说明"))

    class Meta:
        icon = "image"
        label = _("图片")
        template = "content/blocks/image.html"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not (value.get("alt") or "").strip():
            raise blocks.StructBlockValidationError({"alt": ValidationError(_("请填写图片的替代文字。"))})
        return value


class AttachmentBlock(blocks.StructBlock):
    """附件: a document of the site with the title readers see."""

    document = DocumentChooserBlock(label=_("文件"))
    title = blocks.CharBlock(max_length=200, label=_("附件名称"))

    class Meta:
        icon = "doc-full"
        label = _("附件")
        template = "content/blocks/attachment.html"


class MediaBlock(blocks.StructBlock):
    """音频/视频: a file of the site or an address, with its title and a 文字稿 (transcript) for readers who
    cannot hear or see it."""

    kind = blocks.ChoiceBlock(choices=[("audio", _("音频")), ("video", _("视频"))], default="video", label=_("类型"))
    title = blocks.CharBlock(max_length=200, label=_("标题"))
    document = DocumentChooserBlock(required=False, label=_("媒体文件"))
    url = blocks.URLBlock(required=False, label=_("媒体地址"), help_text=_("未上传文件时填写。"))
    transcript = blocks.TextBlock(label=_("文字稿"), help_text=_("音频、视频的文字内容，供无法收听或观看的读者阅读。"))

    class Meta:
        icon = "media"
        label = _("音频/视频")
        template = "content/blocks/media.html"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not value.get("document") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                {"document": ValidationError(_("请上传媒体文件或填写媒体地址。"))})
        return value


class BodyBlock(blocks.StreamBlock):
    """正文: the blocks an item's body is made of."""

    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES, label=_("文字"), icon="pilcrow")
    heading = HeadingBlock()
    table = BodyTableBlock(table_options=TABLE_OPTIONS)
    image = ImageBlock()
    attachment = AttachmentBlock()
    media = MediaBlock()


class BodyField(StreamField):
    """The body StreamField, accepting HTML too (converted to blocks, see the module docstring)."""

    def to_python(self, value: Any) -> Any:
        return super().to_python(html_as_stream(value))

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, str):
            value = self.to_python(value)
        return super().get_prep_value(value)


def html_as_stream(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    stripped = value.strip()
    if stripped.startswith("["):
        try:
            parsed = json.loads(stripped)
        except ValueError:
            parsed = None
        if isinstance(parsed, list):
            return parsed
    from .htmlblocks import html_to_blocks  # a plain module; imported late to keep blocks.py light

    return html_to_blocks(value)


def body_field(**kwargs: Any) -> BodyField:
    """The body field of an item model (正文)."""
    return BodyField(BodyBlock(), **kwargs)


def body_text(value: Any) -> str:
    """The plain text of a body (paragraphs, headings, table cells and captions, alt texts, titles,
    transcripts), one block per line: for descriptions, search snippets and tests."""
    from .htmlblocks import blocks_to_text

    if isinstance(value, str):
        value = html_as_stream(value)
    raw = value.raw_data if hasattr(value, "raw_data") else value
    return blocks_to_text([dict(item) for item in raw or []])
