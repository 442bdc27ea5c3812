"""Official tables (公文表格): the shared .xlsx and .docx writers, read back with openpyxl and python-docx."""

from __future__ import annotations

import datetime
import io

import docx
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook

from govsite.core.officedocs import (
    DOCX_BODY_FONT,
    HEADER_FONT,
    TITLE_FONT,
    XLSX_BODY_FONT,
    text_width,
    write_docx,
    write_xlsx,
)

HEADERS = ["网站标识码", "网站名称", "说明", "日期"]
ROWS = [
    ["9901000001", "甲市人民政府网", "=HYPERLINK(\"http://evil.example/\",\"点此\")", datetime.date(2026, 2, 14)],
    ["9901000002", "乙", "+1-2\x08 页面标题\x1f", datetime.date(2026, 10, 10)],
    ["9901000003", "丙", "@SUM(A1:A2)", None],
]


def _sheet(**kwargs):  # noqa: ANN003, ANN202
    return load_workbook(io.BytesIO(write_xlsx("监测", HEADERS, ROWS, **kwargs))).active


def test_xlsx_header_in_heiti_bold_body_in_songti_header_frozen():
    sheet = _sheet()
    assert [c.value for c in sheet[1]] == HEADERS
    assert all(c.font.name == HEADER_FONT == "黑体" and c.font.b for c in sheet[1])
    assert all(c.font.name == XLSX_BODY_FONT and not c.font.b for c in sheet[2])
    assert sheet.freeze_panes == "A2"
    assert sheet.title == "监测"


def test_xlsx_values_cannot_become_formulas_and_lose_forbidden_characters():
    sheet = _sheet()
    assert sheet["C2"].value == "=HYPERLINK(\"http://evil.example/\",\"点此\")" and sheet["C2"].data_type == "s"
    assert sheet["C3"].value == "+1-2 页面标题" and sheet["C3"].data_type == "s"
    assert sheet["C4"].data_type == "s"
    assert sheet["D2"].value == datetime.datetime(2026, 2, 14) and sheet["D2"].number_format == "yyyy-mm-dd"


def test_xlsx_column_widths_count_chinese_characters_double():
    assert text_width("甲市人民政府网") == 14 and text_width("abc") == 3 and text_width("ＡＢ") == 4
    sheet = _sheet()
    assert sheet.column_dimensions["B"].width == 16  # 甲市人民政府网 + 2
    assert sheet.column_dimensions["A"].width == 12  # 10 digits + 2, the header 网站标识码 is 10 too


def test_xlsx_prints_on_a4_with_page_numbers_and_the_header_on_every_page():
    sheet = _sheet(title="2026年网站监测情况")
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1


def test_xlsx_title_row_above_the_header():
    sheet = _sheet(title="2026年网站监测情况")
    assert sheet["A1"].value == "2026年网站监测情况" and sheet["A1"].font.name == TITLE_FONT
    assert "A1:D1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[2]] == HEADERS and sheet.freeze_panes == "A3"


def _mm(*lengths) -> list[int]:  # noqa: ANN002
    # Word stores twentieths of a point: millimetres come back rounded.
    return [round(length.mm) for length in lengths]


def _east_asia(run) -> str:  # noqa: ANN001
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def _docx(**kwargs) -> docx.document.Document:  # noqa: ANN003
    content = write_docx("关于2026年第三季度政府网站抽查情况的通报", HEADERS, ROWS,
                         paragraphs=["现将抽查情况通报如下。"], **kwargs)
    return docx.Document(io.BytesIO(content))


def test_docx_title_body_and_table_fonts_follow_the_official_format():
    document = _docx()
    title, body = document.paragraphs[0], document.paragraphs[1]
    assert title.text == "关于2026年第三季度政府网站抽查情况的通报"
    assert _east_asia(title.runs[0]) == TITLE_FONT and title.runs[0].font.size == Pt(22)
    assert _east_asia(body.runs[0]) == DOCX_BODY_FONT == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    assert document.styles["Normal"].font.name == DOCX_BODY_FONT
    table = document.tables[0]
    header = table.rows[0]
    assert [c.text for c in header.cells] == HEADERS
    assert all(_east_asia(c.paragraphs[0].runs[0]) == HEADER_FONT and c.paragraphs[0].runs[0].bold
               for c in header.cells)
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert [c.text for c in table.rows[1].cells][:2] == ["9901000001", "甲市人民政府网"]
    assert table.rows[2].cells[2].text == "+1-2 页面标题"  # forbidden characters gone
    assert table.rows[1].cells[3].text == "2026-02-14" and table.rows[3].cells[3].text == ""


def test_docx_is_a4_with_official_margins_and_a_page_number_field():
    section = _docx().sections[0]
    assert _mm(section.page_width, section.page_height) == [210, 297]
    assert _mm(section.top_margin, section.bottom_margin, section.left_margin, section.right_margin) == [
        37, 35, 28, 26]
    footer = section.footer.paragraphs[0]
    instructions = [e.text for e in footer._p.iter(qn("w:instrText"))]
    assert instructions == [" PAGE "]
    assert [e.get(qn("w:fldCharType")) for e in footer._p.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
    assert footer.text.startswith("— ") and footer.text.endswith(" —")


def test_docx_landscape():
    section = _docx(landscape=True).sections[0]
    assert _mm(section.page_width, section.page_height) == [297, 210]
