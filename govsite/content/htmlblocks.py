"""HTML → 正文内容块 (body blocks): the converter of the data migration (old rich-text bodies) and of the
migration import (`govsite content import`).

Nothing is lost: every character of text stays, in the block it belongs to.
- `<table>` → a table block: cells as text (line breaks kept), the header row (`<thead>` or a first row of
  `<th>`), a first column of `<th>`, the `<caption>`, merged cells (rowspan/colspan) as the table's
  `mergeCells`. Links and images inside cells, which a table block cannot hold, follow the table in a
  paragraph block (表格中的链接), so a linked attachment stays linked.
- `<h1>`…`<h6>` of plain text → a heading block (h1/h2 → 二级, h3 → 三级, h4–h6 → 四级: the page title is the h1).
- Everything else (paragraphs, lists, inline tags, Wagtail's `<embed>` images, document links) stays rich text:
  one paragraph block per run between tables and headings.
Wrappers (`div`, `section`, `center` …) holding a table or heading are opened, their other content kept.

The functions return the raw stream (a list of ``{"type", "value"}`` dicts), valid JSON for a StreamField,
so a migration can use them without the block classes.
"""

from __future__ import annotations

import html as html_lib
import re
import uuid
from typing import Any

from lxml import etree
from lxml import html as lxml_html

HEADING_LEVELS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
WRAPPERS = frozenset({"div", "section", "article", "center", "main", "header", "footer", "figure", "blockquote",
                      "span", "font"})
INLINE_TAGS = frozenset({"span", "font", "a", "b", "strong", "i", "em", "u", "sup", "sub", "embed", "img",
                         "code", "small", "big", "s", "strike", "abbr"})
INLINE_KEEP = frozenset({"a", "embed", "img"})  # what a table cell cannot hold and a paragraph can


def _block(kind: str, value: Any) -> dict:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


EMBED_TAG = re.compile(r"<embed(\b[^>]*?)\s*/?>")


def _outer(el: Any) -> str:
    # Wagtail finds its image embeds only as `<embed …/>` (rich_text/rewriters.py); lxml writes `<embed …>`.
    html = etree.tostring(el, encoding="unicode", method="html", with_tail=False).replace("</embed>", "")
    return EMBED_TAG.sub(r"<embed\1/>", html)


def _text_of(el: Any) -> str:
    """The text of an element with `<br>` and block boundaries as line breaks, spaces folded per line."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if not isinstance(node.tag, str):  # comments, processing instructions
            if node.tail:
                parts.append(node.tail)
            return
        tag = node.tag.lower()
        if tag == "br":
            parts.append("\n")
        elif tag in ("p", "div", "li", "tr"):
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if tag in ("p", "div", "li", "tr"):
            parts.append("\n")
        if node.tail and node is not el:
            parts.append(node.tail)

    walk(el)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _has_inline_objects(el: Any) -> bool:
    return any(isinstance(d.tag, str) and d.tag.lower() in INLINE_KEEP for d in el.iter())


def _rows(table: Any) -> list[tuple[Any, bool]]:
    """The rows of a table (not of tables nested in it), each with whether it stands in a `<thead>`."""
    rows = []
    for child in table:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        if tag == "tr":
            rows.append((child, False))
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend((row, tag == "thead") for row in child if isinstance(row.tag, str) and row.tag.lower() == "tr")
    return rows


def _span(cell: Any, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1")), 1000))
    except ValueError:
        return 1


def table_to_block_value(table: Any) -> tuple[dict, list[str]]:
    """A table block's value for an lxml `<table>`, and the HTML of links and images found in its cells."""
    grid: dict[tuple[int, int], str] = {}
    merges: list[dict] = []
    header_cells: dict[tuple[int, int], bool] = {}
    inline: list[str] = []
    rows = _rows(table)
    thead_rows = 0
    for r, (row, in_thead) in enumerate(rows):
        if in_thead:
            thead_rows = r + 1
        c = 0
        for cell in row:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            grid[(r, c)] = _text_of(cell)
            header_cells[(r, c)] = cell.tag.lower() == "th"
            for dr in range(rowspan):
                for dc in range(colspan):
                    if dr or dc:
                        grid.setdefault((r + dr, c + dc), "")
            if rowspan > 1 or colspan > 1:
                merges.append({"row": r, "col": c, "rowspan": rowspan, "colspan": colspan})
            for el in cell.iter():
                if isinstance(el.tag, str) and el.tag.lower() in INLINE_KEEP:
                    if el.tag.lower() == "a" and any(isinstance(d.tag, str) and d.tag.lower() in INLINE_KEEP
                                                     for d in el.iterancestors()):
                        continue
                    inline.append(_outer(el))
            c += colspan
    n_rows = max((r for r, _c in grid), default=-1) + 1
    n_cols = max((c for _r, c in grid), default=-1) + 1
    data = [[grid.get((r, c), "") for c in range(n_cols)] for r in range(n_rows)]
    first_row_th = bool(n_rows) and all(header_cells.get((0, c), True) for c in range(n_cols)) and any(
        header_cells.get((0, c)) for c in range(n_cols))
    first_col_th = n_rows > 1 and all(header_cells.get((r, 0), True) for r in range(1, n_rows)) and any(
        header_cells.get((r, 0)) for r in range(1, n_rows))
    caption = next((c for c in table if isinstance(c.tag, str) and c.tag.lower() == "caption"), None)
    value = {
        "data": data,
        "first_row_is_table_header": bool(thead_rows) or first_row_th,
        "first_col_is_header": first_col_th,
        "table_caption": _text_of(caption) if caption is not None else "",
        "mergeCells": merges,
        "cell": [],
    }
    return value, inline


class _Builder:
    def __init__(self) -> None:
        self.blocks: list[dict] = []
        self.run: list[str] = []  # rich-text HTML of the current run between tables and headings
        self.inline: list[str] = []  # loose text and inline tags at the top level, to become one <p>

    def close_inline(self) -> None:
        html = "".join(self.inline).strip()
        self.inline = []
        if html:
            self.run.append(f"<p>{html}</p>")

    def flush(self) -> None:
        self.close_inline()
        html = "".join(self.run).strip()
        self.run = []
        if html and (_plain(html) or "<embed" in html or "<img" in html or "<hr" in html):
            self.blocks.append(_block("paragraph", html))

    def text(self, text: str | None) -> None:
        if text and text.strip():
            self.inline.append(html_lib.escape(text, quote=False))

    def element(self, el: Any) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag:  # a comment: not content
            self.text(el.tail)
            return
        if tag == "table":
            self.flush()
            value, inline = table_to_block_value(el)
            if value["data"]:
                self.blocks.append(_block("table", value))
            if inline:
                self.blocks.append(_block("paragraph", "<p>表格中的链接：" + "　".join(inline) + "</p>"))
        elif tag in HEADING_LEVELS and not _has_inline_objects(el) and _text_of(el):
            self.flush()
            text = " ".join(_text_of(el).split())
            self.blocks.append(_block("heading", {"level": HEADING_LEVELS[tag], "text": text[:200]}))
            if len(text) > 200:
                self.text(text[200:])
        elif tag in WRAPPERS and any(isinstance(d.tag, str) and (d.tag.lower() == "table" or d.tag.lower()
                                                                 in HEADING_LEVELS) for d in el.iterdescendants()):
            self.close_inline()
            self.text(el.text)
            for child in el:
                self.element(child)
            self.close_inline()
        elif tag == "embed" and el.get("embedtype") == "image" and (el.get("id") or "").isdigit():
            self.flush()  # a rich-text image becomes an image block; its 替代文字 goes with it
            self.blocks.append(_block("image", {"image": int(el.get("id")), "alt": el.get("alt") or "", "caption": ""}))
        elif tag in INLINE_TAGS:
            self.inline.append(_outer(el))
        elif tag == "br":
            self.close_inline()
        else:
            self.close_inline()
            self.run.append(_outer(el))
        self.text(el.tail)


def _plain(html: str) -> str:
    return lxml_html.fragment_fromstring(html, create_parent="div").text_content().strip()


def html_to_blocks(html: str) -> list[dict]:
    """The body blocks for an HTML body (see the module docstring)."""
    if not html or not html.strip():
        return []
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    builder = _Builder()
    builder.text(root.text)
    for child in root:
        builder.element(child)
    builder.flush()
    return builder.blocks


def blocks_to_text(stream: list[dict]) -> str:
    """Every text of a raw stream, for comparing with the HTML it came from (tests, the migration's check)."""
    out: list[str] = []
    for item in stream:
        value = item["value"]
        if item["type"] == "paragraph":
            out.append(_text_of(lxml_html.fragment_fromstring(value, create_parent="div")))
        elif item["type"] == "heading":
            out.append(value["text"])
        elif item["type"] == "table":
            out.append(value.get("table_caption") or "")
            out.extend(cell or "" for row in value["data"] for cell in row)
        elif isinstance(value, dict):
            out.extend(str(v) for k, v in value.items() if isinstance(v, str) and k not in ("kind", "level"))
    return "\n".join(t for t in out if t)


def blocks_to_html(stream: list[dict]) -> str:
    """Rich-text HTML for a raw stream (the reverse migration): tables as HTML tables."""
    out: list[str] = []
    for item in stream:
        kind, value = item["type"], item["value"]
        if kind == "paragraph":
            out.append(value)
        elif kind == "heading":
            out.append(f"<{value['level']}>{html_lib.escape(value['text'])}</{value['level']}>")
        elif kind == "table":
            rows = []
            for r, row in enumerate(value.get("data") or []):
                tag = "th" if r == 0 and value.get("first_row_is_table_header") else "td"
                rows.append("<tr>" + "".join(f"<{tag}>{html_lib.escape(cell or '')}</{tag}>" for cell in row) + "</tr>")
            out.append("<table>" + "".join(rows) + "</table>")
        elif kind == "attachment":
            out.append(f'<p><a linktype="document" id="{value["document"]}">{html_lib.escape(value["title"])}</a></p>')
        elif kind == "image":
            out.append(f'<embed embedtype="image" id="{value["image"]}" alt="{html_lib.escape(value["alt"])}" '
                       f'format="fullwidth"/>')
    return "".join(out)
