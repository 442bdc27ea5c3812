"""Attachment checks (附件检查): text extraction with locations, and refusal of files we must not open."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from govsite.checks.files import check_document, check_file
from govsite.core.filetext import (
    FileCheckError,
    FileTooLarge,
    TextSegment,
    UnreadableFile,
    UnsupportedFile,
    describe_location,
    extract,
)

from .fixtures_files import (
    ID_LI,
    ID_ZHANG,
    MOBILE_LI,
    MOBILE_ZHANG,
    make_docx,
    make_html,
    make_padded_docx,
    make_pdf,
    make_txt,
    make_xlsx,
    truncated,
    zip_of,
)

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


def kinds_at(findings: list, **location: object) -> set[str]:
    return {f.kind for f in findings if all(f.location.get(k) == v for k, v in location.items())}


# -- plain text ------------------------------------------------------------------------------------------


def test_txt_segments_are_lines_numbered_from_one_and_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = make_txt(tmp_path, ["关于开展检查的通知", "", "联系人：张三\r", "   "])

    assert extract(path) == [
        TextSegment("关于开展检查的通知", {"line": 1}),
        TextSegment("联系人：张三", {"line": 3}),
    ]


def test_gbk_encoded_txt_is_decoded_and_its_mobile_number_found_on_its_line(tmp_path: Path) -> None:
    path = make_txt(tmp_path, ["报名须知", f"咨询电话：{MOBILE_ZHANG}（张老师）"], encoding="gbk")

    assert extract(path)[1].text == f"咨询电话：{MOBILE_ZHANG}（张老师）"
    findings = check_file(path)
    [mobile] = [f for f in findings if f.kind == "mobile"]
    assert mobile.location == {"line": 2, "segment": 1}
    assert (mobile.start, mobile.end, mobile.text) == (5, 16, MOBILE_ZHANG)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "gb18030"])
def test_txt_encodings_with_and_without_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    path = make_txt(tmp_path, ["政务公开", "𠮷字也能读"], encoding=encoding)

    assert [s.text for s in extract(path)] == ["政务公开", "𠮷字也能读"]


def test_text_that_is_neither_utf8_nor_gb18030_is_unreadable_with_a_chinese_message() -> None:
    with pytest.raises(UnreadableFile, match="UTF-8"):
        extract(b"\x81\x30\xff\xfe\x80 abc", filename="notice.txt")


# -- HTML ------------------------------------------------------------------------------------------------


def test_html_blocks_carry_line_and_element_path_and_scripts_styles_comments_are_not_checked(
    tmp_path: Path,
) -> None:
    path = make_html(
        tmp_path,
        "<!DOCTYPE html>\n<html><head><title>通知公告</title>\n"
        "<style>.secret::after { content: '机密★1年' }</style>\n"
        "<script>var phone = '13900000000';</script></head>\n"
        "<body><div class=\"article\">\n"
        "<p>联系人：<b>张三</b>，电话 13812345678</p>\n"
        "<!-- 内部资料 注意保存 -->\n"
        "<p>第二段<br>换行后</p></div></body></html>\n",
    )

    segments = extract(path)

    assert [s.text for s in segments] == ["通知公告", "联系人：张三，电话 13812345678", "第二段", "换行后"]
    assert segments[0].location == {"line": 2, "path": "/html/head/title"}
    assert segments[1].location == {"line": 6, "path": "/html/body/div/p[1]"}
    assert segments[2].location["path"] == segments[3].location["path"] == "/html/body/div/p[2]"


def test_html_declared_gbk_charset_is_honoured(tmp_path: Path) -> None:
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>' \
        "<body><p>绝密★启用前</p></body></html>"
    path = make_html(tmp_path, html, encoding="gbk")

    assert [s.text for s in extract(path)] == ["绝密★启用前"]
    assert "secret_marking" in kinds_at(check_file(path), path="/html/body/p")


def test_html_is_recognised_without_an_extension() -> None:
    segments = extract(b"<!doctype html><html><body><p>\xe6\xad\xa3\xe6\x96\x87</p></body></html>")

    assert segments == [TextSegment("正文", {"line": 1, "path": "/html/body/p"})]


# -- Word ------------------------------------------------------------------------------------------------


def test_docx_paragraphs_are_numbered_in_the_body_and_table_cells_have_table_row_col(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path,
        ["关于公布补贴名单的通知", "", "名单如下："],
        tables=[[["姓名", "联系电话"], ["张三", MOBILE_ZHANG]]],
    )

    assert extract(path) == [
        TextSegment("关于公布补贴名单的通知", {"paragraph": 1}),
        TextSegment("名单如下：", {"paragraph": 3}),
        TextSegment("姓名", {"table": 1, "row": 1, "col": 1}),
        TextSegment("联系电话", {"table": 1, "row": 1, "col": 2}),
        TextSegment("张三", {"table": 1, "row": 2, "col": 1}),
        TextSegment(MOBILE_ZHANG, {"table": 1, "row": 2, "col": 2}),
    ]


def test_docx_table_cell_with_a_mobile_number_is_reported_at_that_cell(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path, ["通知"], tables=[[["序号", "姓名", "电话"], ["1", "李四", f"手机 {MOBILE_LI}"]]]
    )

    [mobile] = [f for f in check_file(path) if f.kind == "mobile"]

    assert mobile.location == {"table": 1, "row": 2, "col": 3, "segment": 6}
    assert (mobile.start, mobile.end, mobile.text) == (3, 14, MOBILE_LI)
    assert describe_location(mobile.location) == "第 1 个表格第 2 行第 3 列"


def test_docx_page_header_with_a_secret_marking_is_checked(tmp_path: Path) -> None:
    path = make_docx(tmp_path, ["正文"], header="机密★1年")

    findings = check_file(path)

    assert "secret_marking" in kinds_at(findings, part="header1", paragraph=1)
    assert describe_location({"part": "header1", "paragraph": 1}) == "页眉 第 1 段"


def test_docx_misnamed_as_doc_is_read_by_its_content(tmp_path: Path) -> None:
    path = make_docx(tmp_path, ["其实是 docx"], name="real.doc")

    assert [s.text for s in extract(path)] == ["其实是 docx"]


# -- Excel -----------------------------------------------------------------------------------------------


def test_excel_name_list_leaking_id_numbers_is_reported_by_sheet_and_cell(tmp_path: Path) -> None:
    """The most common real leak: a 公示名单 spreadsheet published with full ID and phone numbers."""
    path = make_xlsx(
        tmp_path,
        {
            "公示名单": [
                ["姓名", "身份证号", "联系电话"],
                ["张三", ID_ZHANG, MOBILE_ZHANG],
                ["李四", ID_LI, int(MOBILE_LI)],  # typed as a number, as Excel users do
            ]
        },
        name="2024年补贴公示名单.xlsx",
    )

    findings = check_file(path)
    located = {(f.kind, f.location["sheet"], f.location["cell"]) for f in findings}

    assert ("id_card", "公示名单", "B2") in located
    assert ("id_card", "公示名单", "B3") in located
    assert ("mobile", "公示名单", "C2") in located
    assert ("mobile", "公示名单", "C3") in located
    id_b3 = next(f for f in findings if f.kind == "id_card" and f.location["cell"] == "B3")
    assert (id_b3.start, id_b3.end, id_b3.text) == (0, 18, ID_LI)
    assert id_b3.location["row"] == 3 and id_b3.location["col"] == 2
    assert describe_location(id_b3.location) == "工作表“公示名单” B3 单元格"


def test_excel_every_sheet_is_read_and_hidden_sheets_are_marked(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = make_xlsx(tmp_path, {"公示": [["姓名"], ["张三"]], "原始数据": [["身份证号"], [ID_ZHANG]]})
    workbook = load_workbook(path)
    workbook["原始数据"].sheet_state = "hidden"
    workbook.save(path)

    [id_card] = [f for f in check_file(path) if f.kind == "id_card"]

    assert id_card.location["sheet"] == "原始数据" and id_card.location["cell"] == "A2"
    assert id_card.location["hidden"] is True
    assert "隐藏工作表" in describe_location(id_card.location)


def test_excel_numbers_dates_and_booleans_become_text_as_excel_shows_them(tmp_path: Path) -> None:
    import datetime

    path = make_xlsx(tmp_path, {"Sheet": [[13812345678, 3.5, datetime.datetime(2024, 10, 1), True, None, "  "]]})

    assert [(s.location["cell"], s.text) for s in extract(path)] == [
        ("A1", "13812345678"), ("B1", "3.5"), ("C1", "2024-10-01"), ("D1", "TRUE"),
    ]


def test_excel_with_more_cells_than_the_cap_is_refused(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path, {"Sheet": [[f"r{r}c{c}" for c in range(10)] for r in range(20)]})

    assert len(extract(path, max_cells=200)) == 200
    with pytest.raises(FileTooLarge, match="单元格"):
        extract(path, max_cells=199)


# -- PDF -------------------------------------------------------------------------------------------------


def test_pdf_secret_marking_on_page_two_is_reported_with_its_page(tmp_path: Path) -> None:
    path = make_pdf(tmp_path, [["关于做好安全生产工作的通知"], ["机密★1年", "抄送：各县（市、区）人民政府"]])

    segments = extract(path)
    findings = check_file(path)

    assert [s.location for s in segments] == [{"page": 1}, {"page": 2}]
    assert "机密★1年" in segments[1].text
    [marking] = [f for f in findings if f.kind == "secret_marking"]
    assert marking.location == {"page": 2, "segment": 1}
    assert segments[1].text[marking.start : marking.end] == marking.text
    assert describe_location(marking.location) == "第 2 页"


def test_encrypted_pdf_is_unreadable_with_a_chinese_message() -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)

    with pytest.raises(UnreadableFile, match="已加密"):
        extract(buffer.getvalue(), filename="notice.pdf")


# -- sources, refusals -----------------------------------------------------------------------------------


def test_bytes_and_file_objects_are_accepted_with_a_filename(tmp_path: Path) -> None:
    path = make_docx(tmp_path, ["正文"])

    assert extract(path.read_bytes(), filename="x.docx") == extract(path)
    with path.open("rb") as handle:
        assert extract(handle, filename="x.docx") == extract(path)


@pytest.mark.parametrize("name", ["old.doc", "old.xls", "old.wps", "old.et", "unnamed"])
def test_broken_ole_files_are_unreadable_with_a_chinese_message(name: str) -> None:
    """Old Office files are read now (see test_files_legacy.py); a broken one still gets a clear message."""
    with pytest.raises(UnreadableFile, match="已损坏"):
        extract(OLE_HEADER, filename=name)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "photo.png"),
        (b"Rar!\x1a\x07\x01\0" + bytes(64), "archive.rar"),
        (zip_of({"[Content_Types].xml": b"application/vnd.openxmlformats-officedocument."
                 b"presentationml.presentation.main+xml"}), "slides.pptx"),
    ],
)
def test_other_formats_are_unsupported(data: bytes, name: str) -> None:
    with pytest.raises(UnsupportedFile, match="可检查"):
        extract(data, filename=name)


def test_truncated_docx_is_unreadable_not_a_crash(tmp_path: Path) -> None:
    broken = truncated(make_docx(tmp_path, ["正文"] * 50))

    with pytest.raises(UnreadableFile, match="已损坏"):
        extract(broken)


@pytest.mark.parametrize("name", ["list.xlsx", "notice.docx", "notice.pdf"])
def test_a_file_that_is_not_what_its_extension_says_is_unreadable(name: str) -> None:
    with pytest.raises(UnreadableFile, match="已损坏"):
        extract(b"<html>404 Not Found</html>", filename=name)


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "pdf"])
@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_broken_office_and_pdf_files_raise_only_file_check_errors(tmp_path: Path, fmt: str, keep: float) -> None:
    builders = {
        "docx": lambda: make_docx(tmp_path, ["正文"] * 30, tables=[[["a", "b"]]]),
        "xlsx": lambda: make_xlsx(tmp_path, {"S": [[i, f"文字{i}"] for i in range(300)]}),
        "pdf": lambda: make_pdf(tmp_path, [["第一页"], ["第二页"]]),
    }
    data = builders[fmt]().read_bytes()
    cut = int(len(data) * keep)
    damaged = [data[:cut], data[:cut] + bytes(len(data) - cut), data[:cut] + b"\xff" * 64 + data[cut + 64:]]

    for sample in damaged:
        try:
            extract(sample, filename=f"x.{fmt}")
        except FileCheckError as error:
            assert str(error)  # a message for the editor, never an unhandled library exception


def test_zip_bomb_docx_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = make_padded_docx(tmp_path, padding_bytes=201 * 1024 * 1024)
    assert path.stat().st_size < 2 * 1024 * 1024

    with pytest.raises(FileTooLarge, match="压缩炸弹"):
        extract(path)


def test_file_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    path = make_txt(tmp_path, ["正文" * 1000])

    with pytest.raises(FileTooLarge, match="MB"):
        extract(path, max_bytes=1000)
    with pytest.raises(FileTooLarge):
        extract(path.read_bytes(), filename="a.txt", max_bytes=1000)


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="找不到文件"):
        extract(tmp_path / "missing.docx")


def test_empty_text_file_has_no_segments_and_no_findings(tmp_path: Path) -> None:
    path = make_txt(tmp_path, [])

    assert extract(path) == []
    assert check_file(path) == []


# -- Wagtail documents -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_wagtail_document_is_checked_through_its_stored_file(tmp_path: Path, settings) -> None:  # noqa: ANN001
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    settings.MEDIA_ROOT = str(tmp_path / "media")
    data = make_xlsx(tmp_path, {"名单": [["姓名", "身份证号"], ["张三", ID_ZHANG]]}).read_bytes()
    document = get_document_model().objects.create(title="补贴名单", file=ContentFile(data, name="名单.xlsx"))

    findings = check_document(document)

    assert {(f.kind, f.location["cell"]) for f in findings} >= {("id_card", "B2")}
