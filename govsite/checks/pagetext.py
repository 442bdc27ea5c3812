"""What a page says (页面文字): every published text of a page, split into paragraphs, and the documents it
links to. The compliance check (`pagecheck`) and the publish guard (`page_guard`) read pages through these.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models as dj
from wagtail.blocks import ChoiceBlock, StreamValue, URLBlock
from wagtail.blocks.list_block import ListValue
from wagtail.blocks.struct_block import StructValue
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, ReferenceIndex
from wagtail.rich_text import RichText

BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "caption",
    "blockquote", "pre", "section", "article", "header", "footer", "figure", "figcaption", "dt", "dd", "hr",
})
CELL_TAGS = frozenset({"td", "th"})


class _TextExtractor(HTMLParser):
    """Blocks on their own lines; the cells of a table row on one line, separated by tabs, so that the
    checks see the row and its columns (`layout`: a 准考证号 column, a unit's contact column …)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.cells_in_row = 0
        self.in_cell = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in CELL_TAGS:
            if self.cells_in_row:
                self.parts.append("\t")
            self.cells_in_row += 1
            self.in_cell = True
        elif tag in ("tr", "table"):
            self.parts.append("\n")
            self.cells_in_row, self.in_cell = 0, False
        elif tag in BLOCK_TAGS or tag == "br":
            self.parts.append(" " if self.in_cell else "\n")  # paragraphs inside a cell stay in its row

    def handle_endtag(self, tag: str) -> None:
        if tag in CELL_TAGS:
            self.in_cell = False
        elif tag in ("tr", "table"):
            self.parts.append("\n")
            self.cells_in_row, self.in_cell = 0, False
        elif tag in BLOCK_TAGS:
            self.parts.append(" " if self.in_cell else "\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data.replace("\t", " "))


def html_to_paragraphs(html: str) -> list[str]:
    """The text of rich text, one string per block (paragraph, heading, list item, table row with its
    cells separated by tabs)."""
    parser = _TextExtractor()
    parser.feed(html or "")
    parser.close()
    lines = "".join(parser.parts).split("\n")
    cleaned = ("\t".join(" ".join(cell.split()) for cell in line.split("\t")) for line in lines)
    return [line for line in cleaned if line.strip()]


@dataclass(frozen=True)
class PageText:
    """One checked text of a page: a field (or a block of a StreamField) split into paragraphs."""

    field: str
    label: str
    paragraphs: tuple[str, ...]
    rich: bool = False  # paragraphs are worth numbering for the reviewer

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


PAGE_BASE_FIELDS = ("title", "seo_title", "search_description")


@functools.cache  # model classes do not change while the process runs
def checked_fields(model: type) -> list:
    """The text fields of a page model that are published: Page's title and descriptions and every
    CharField/TextField/RichTextField/StreamField the content model adds (choice fields excluded)."""
    fields = []
    for model_field in model._meta.concrete_fields:
        if model_field.name in PAGE_BASE_FIELDS:
            fields.append(model_field)
        elif (model_field.model is not Page and not model_field.choices
              and isinstance(model_field, (dj.CharField, dj.TextField, StreamField))):
            fields.append(model_field)
    return fields


def table_paragraphs(value: dict) -> list[str]:
    """A table block's text as `html_to_paragraphs` reads an HTML table: the caption, then one line per row
    with its cells separated by tabs (so that `layout` sees the header and the columns)."""
    lines = [" ".join(str(value.get("table_caption") or "").split())]
    for row in value.get("data") or []:
        lines.append("\t".join(" ".join(str(cell or "").split()) for cell in row or []))
    return [line for line in lines if line.strip()]


def _stream_texts(value: Any) -> Iterable[str]:
    """The paragraphs of a StreamField value in reading order: rich text split like HTML, tables row by row,
    and every text of structured blocks (headings, 替代文字, captions, attachment titles, transcripts)."""
    if isinstance(value, StreamValue):
        for child in value:
            yield from _stream_texts(child.value)
    elif isinstance(value, StructValue):
        for name, child in value.items():
            # A choice (标题级别, 音频/视频) or an address is not text the page says.
            if not isinstance(value.block.child_blocks.get(name), ChoiceBlock | URLBlock):
                yield from _stream_texts(child)
    elif isinstance(value, dict) and "data" in value:  # a table block (wagtail.contrib.table_block)
        yield from table_paragraphs(value)
    elif isinstance(value, ListValue | list | tuple):
        for child in value:
            yield from _stream_texts(child)
    elif isinstance(value, RichText):
        yield from html_to_paragraphs(value.source)
    elif isinstance(value, str) and value.strip():
        yield from (line.strip() for line in value.splitlines() if line.strip())


def page_texts(page: Page) -> list[PageText]:
    """Every published text of the page, in form order. A StreamField (正文) is one text, its blocks'
    paragraphs numbered through as the reader counts them."""
    texts: list[PageText] = []
    for model_field in checked_fields(type(page)):
        value = getattr(page, model_field.attname, None)
        label = str(model_field.verbose_name)
        if isinstance(model_field, StreamField):
            paragraphs = list(_stream_texts(value))
            if paragraphs:
                texts.append(PageText(model_field.name, label, tuple(paragraphs), True))
            continue
        if not value:
            continue
        if isinstance(model_field, RichTextField):
            paragraphs = html_to_paragraphs(str(value))
            rich = True
        else:
            paragraphs = [line.strip() for line in str(value).splitlines() if line.strip()]
            rich = len(paragraphs) > 1
        if paragraphs:
            texts.append(PageText(model_field.name, label, tuple(paragraphs), rich))
    return texts


def linked_documents(page: Page) -> list:
    """The documents the page links to (附件), as the reference index would record them for this content."""
    document_model = get_document_model()
    document_type = ContentType.objects.get_for_model(document_model)
    # The content about to be published, not the stored index (which reflects the last save).
    ids = {
        object_id for content_type_id, object_id, _model_path, _content_path
        in ReferenceIndex._extract_references_from_object(page) if content_type_id == document_type.pk
    }
    numeric = [int(pk) for pk in ids if str(pk).isdigit()]
    if not numeric:
        return []
    return list(document_model.objects.filter(pk__in=numeric).order_by("pk"))
