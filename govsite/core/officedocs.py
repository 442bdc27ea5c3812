"""Official tables (公文表格): the one way GovSite writes .xlsx and .docx files that people print and file.

Conventions (GB/T 9704-2012 党政机关公文格式, and what offices expect of a spreadsheet):
- .xlsx: an optional title row (方正小标宋简体), a header row in 黑体 bold, the body in 宋体; the header frozen
  and repeated on every printed page; column widths from the content, a CJK character counting two; A4, wide
  tables landscape and fitted to the page width; "第 &P 页 共 &N 页" in the footer. Every value goes through
  `core.validators.for_spreadsheet`, and text is stored as text, never as a formula (formula injection:
  scanned or submitted text starting with = + - @ must not run in a reader's Excel).
- .docx: A4 with the standard margins (上 37 mm, 下 35 mm, 左 28 mm, 右 26 mm), the title in 方正小标宋简体
  二号 centred, the body in 仿宋_GB2312 三号, a table whose header row (黑体) repeats on every page, and the
  page number "— n —" in 宋体 四号 in the footer.

Callers choose and scope the rows (through their app's `access.py`); this module only lays them out.
"""

from __future__ import annotations

import datetime
import io
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .validators import for_spreadsheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TITLE_FONT = "方正小标宋简体"
HEADER_FONT = "黑体"
XLSX_BODY_FONT = "宋体"
DOCX_BODY_FONT = "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"
XLSX_PAGE_FOOTER = "第 &P 页 共 &N 页"
# Text starting with these is a formula to Excel (and to LibreOffice, and to a CSV reader).
FORMULA_PREFIXES = ("=", "+", "-", "@")

MIN_WIDTH = 8
MAX_WIDTH = 60
# Wider than this (in character widths) prints landscape.
LANDSCAPE_ABOVE = 110


def text_width(text: str) -> int:
    """Display width of text in Excel's character units: a CJK (wide or full-width) character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def _longest_line(value: Any) -> int:
    return max((text_width(line) for line in _cell_text(value).split("\n")), default=0)


# --- .xlsx ---------------------------------------------------------------------------------------------------

def add_table_sheet(workbook: Workbook, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                    *, title: str | None = None, sheet: Worksheet | None = None) -> Worksheet:
    """Write one table on a new sheet of `workbook` (or on `sheet`): optional title row, header, rows."""
    if sheet is None:
        sheet = workbook.create_sheet()
    sheet.title = sheet_title[:31]  # Excel's limit on sheet names
    header_font = Font(name=HEADER_FONT, bold=True, size=11)
    body_font = Font(name=XLSX_BODY_FONT, size=11)
    widths = [text_width(str(h)) for h in headers]
    header_row = 1
    if title:
        sheet.append([for_spreadsheet(title)])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(headers), 1))
        title_cell = sheet.cell(row=1, column=1)
        title_cell.font = Font(name=TITLE_FONT, size=16)
        title_cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[1].height = 32
        header_row = 2
    sheet.append([for_spreadsheet(str(h)) for h in headers])
    for cell in sheet[header_row]:
        cell.font = header_font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        values = [for_spreadsheet(value) for value in row]
        sheet.append(values)
        for index, cell in enumerate(sheet[sheet.max_row]):
            cell.font = body_font
            value = cell.value
            if isinstance(value, str):
                if value.startswith(FORMULA_PREFIXES):
                    cell.data_type = "s"  # openpyxl would store "=…" as a formula
                if "\n" in value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif isinstance(value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            if index < len(widths):
                widths[index] = max(widths[index], _longest_line(value))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
    sheet.freeze_panes = f"A{header_row + 1}"
    _page_setup(sheet, header_row, landscape=sum(min(MAX_WIDTH, w + 2) for w in widths) > LANDSCAPE_ABOVE)
    return sheet


def _page_setup(sheet: Worksheet, header_row: int, *, landscape: bool) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE if landscape else sheet.ORIENTATION_PORTRAIT
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.oddFooter.center.text = XLSX_PAGE_FOOTER
    sheet.oddFooter.center.font = XLSX_BODY_FONT
    sheet.oddFooter.center.size = 10


def write_xlsx(sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
               title: str | None = None) -> bytes:
    """A one-sheet .xlsx workbook of one table (see the module's conventions), as bytes."""
    workbook = Workbook()
    add_table_sheet(workbook, sheet_title, headers, rows, title=title, sheet=workbook.active)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- .docx ---------------------------------------------------------------------------------------------------

def _set_run_font(run: Any, name: str, size_pt: float | None = None, *, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    # Word takes Chinese text's font from eastAsia, which python-docx's `name` does not set.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size_pt is not None:
        run.font.size = Pt(size_pt)
    if bold is not None:
        run.font.bold = bold


def _page_number_footer(section: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_run_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, 14)
    run = paragraph.add_run()
    _set_run_font(run, PAGE_NUMBER_FONT, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._element.append(element)
    _set_run_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, 14)


def _add_docx_table(document: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Any:
    """A bordered, centred table: 黑体 header row that repeats on every page the table runs over, 宋体 cells."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_run_font(cell.paragraphs[0].add_run(for_spreadsheet(str(header))), HEADER_FONT, 12, bold=True)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            _set_run_font(cell.paragraphs[0].add_run(for_spreadsheet(_cell_text(value))), DOCX_BODY_FONT, 12)
    return table


def write_docx(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
               paragraphs: Sequence[str] = (), landscape: bool = False) -> bytes:
    """A .docx document: the title, body paragraphs, then one table with a header row (see the module's
    conventions), as bytes."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = DOCX_BODY_FONT
    normal.font.size = Pt(16)  # 三号
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_BODY_FONT)

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _page_number_footer(section)

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_run_font(heading.add_run(for_spreadsheet(title)), TITLE_FONT, 22)  # 二号
    for text in paragraphs:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)  # 首行缩进两字
        _set_run_font(paragraph.add_run(for_spreadsheet(text)), DOCX_BODY_FONT, 16)

    _add_docx_table(document, headers, rows)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- .docx: 公文 (an official document with its 版头, 主体 and 版记 parts) ----------------------------------------

OFFICIAL_RED = "C00000"  # 发文机关标识 and the 版头 separator line: red (GB/T 9704 7.2)
HEADING_FONT = "黑体"  # 一级标题 "一、"
SUBHEADING_FONT = "楷体_GB2312"  # 二级标题 "（一）"

PARAGRAPH_BODY = "body"
PARAGRAPH_HEADING = "heading"
PARAGRAPH_SUBHEADING = "subheading"
PARAGRAPH_PLAIN = "plain"  # 顶格, no indent (主送机关, 附件说明)


def _red_rule(paragraph: Any) -> None:
    """The red separator line under the 发文字号 (a bottom border of its paragraph)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", OFFICIAL_RED)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def write_official_docx(*, issuer_mark: str, document_number: str, title: str, addressee: str = "",
                        paragraphs: Sequence[tuple[str, str]] = (), table_title: str = "",
                        headers: Sequence[str] = (), rows: Iterable[Sequence[Any]] = (),
                        signature: str = "", date_text: str = "",
                        figures: Sequence[tuple[str, bytes]] = (), figures_title: str = "") -> bytes:
    """A 公文 as .docx per GB/T 9704: 发文机关标识 (red, 方正小标宋简体) and 发文字号 above a red line, the title
    (二号 小标宋, centred), 主送机关 (顶格), the body paragraphs — each a (kind, text) pair: "body" (首行缩进两字,
    仿宋 三号), "heading" (黑体, 一、), "subheading" (楷体, （一）), "plain" (顶格) — then an optional table whose
    header row repeats on every page, the 署名 and 成文日期 on the right, then optional `figures` (caption, PNG or
    JPEG bytes: evidence screenshots) under `figures_title`, each 150 mm wide with its caption below. Page setup
    and page numbers as `write_docx`. Returns the bytes."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = DOCX_BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_BODY_FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _page_number_footer(section)

    mark = document.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    mark_run = mark.add_run(for_spreadsheet(issuer_mark))
    _set_run_font(mark_run, TITLE_FONT, 26)
    mark_run.font.color.rgb = RGBColor.from_string(OFFICIAL_RED)
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_run_font(number.add_run(for_spreadsheet(document_number)), DOCX_BODY_FONT, 16)
    _red_rule(number)
    document.add_paragraph()

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_run_font(heading.add_run(for_spreadsheet(title)), TITLE_FONT, 22)  # 二号
    if addressee:
        _set_run_font(document.add_paragraph().add_run(for_spreadsheet(addressee)), DOCX_BODY_FONT, 16)
    fonts = {PARAGRAPH_HEADING: HEADING_FONT, PARAGRAPH_SUBHEADING: SUBHEADING_FONT}
    for kind, text in paragraphs:
        paragraph = document.add_paragraph()
        if kind != PARAGRAPH_PLAIN:
            paragraph.paragraph_format.first_line_indent = Pt(32)  # 首行缩进两字
        _set_run_font(paragraph.add_run(for_spreadsheet(text)), fonts.get(kind, DOCX_BODY_FONT), 16)

    if headers:
        if table_title:
            caption = document.add_paragraph()
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_run_font(caption.add_run(for_spreadsheet(table_title)), HEADING_FONT, 16)
        _add_docx_table(document, headers, rows)

    if signature or date_text:
        document.add_paragraph()
        for text in (signature, date_text):
            if text:
                line = document.add_paragraph()
                line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                line.paragraph_format.right_indent = Pt(64)  # 右空四字
                _set_run_font(line.add_run(for_spreadsheet(text)), DOCX_BODY_FONT, 16)
    if figures:
        document.add_page_break()
        if figures_title:
            _set_run_font(document.add_paragraph().add_run(for_spreadsheet(figures_title)), HEADING_FONT, 16)
        for caption, image in figures:
            picture = document.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.add_run().add_picture(io.BytesIO(image), width=Mm(150))
            label = document.add_paragraph()
            label.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_run_font(label.add_run(for_spreadsheet(caption)), DOCX_BODY_FONT, 12)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
