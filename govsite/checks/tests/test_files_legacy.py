"""Extraction of every attachment format a government site carries (附件格式): .doc/.wps, .xls/.et, .rtf,
.zip archives one level deep, WPS-made .docx with dangling image relations, Word HTML saved as .doc, and
table structure from HTML and PDF. The binary fixtures in `files/` are LibreOffice conversions of
documents written by `files/build.py`."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from govsite.checks.contract import Severity
from govsite.checks.files import check_file
from govsite.core.filetext import (
    FileCheckError,
    FileTooLarge,
    TextSegment,
    UnreadableFile,
    describe_location,
    detect_format,
    extract,
)

from .files.build import ID_WANG, MOBILE_WANG, UNIT_MOBILE
from .fixtures_files import make_docx, make_pdf, make_xlsx, zip_of

FILES = Path(__file__).resolve().parent / "files"


def found(findings: list, kind: str) -> list[tuple[str, str]]:
    return [(f.text, f.severity) for f in findings if f.kind == kind]


# -- Word 97-2003 / WPS 文字 -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sample.doc", "sample.wps"])
def test_doc_and_wps_paragraphs_table_cells_and_page_header_are_read_with_locations(name: str) -> None:
    segments = extract(FILES / name)

    assert detect_format((FILES / name).read_bytes(), name) == "doc"
    assert segments[0] == TextSegment("关于公布2025年度临时救助对象的通知", {"paragraph": 1})
    assert segments[1] == TextSegment(f"经审核，王建国（身份证号：{ID_WANG}）符合条件。", {"paragraph": 3})
    cells = {(s.location["row"], s.location["col"]): s.text for s in segments if "table" in s.location}
    assert cells == {
        (1, 1): "序号", (1, 2): "姓名", (1, 3): "联系电话", (1, 4): "备注",
        (2, 1): "1", (2, 2): "王建国", (2, 3): MOBILE_WANG,  # the empty 备注 cell keeps the columns in place
        (3, 1): "2", (3, 2): "李秀英", (3, 4): "多段\n第二段",
    }
    assert TextSegment("机密★1年", {"part": "header", "paragraph": 1}) in segments


def test_doc_findings_carry_cell_and_header_locations_and_the_units_contact_is_not_blocking() -> None:
    findings = check_file(FILES / "sample.doc")

    blocking = {(f.kind, f.text) for f in findings if f.severity == Severity.BLOCK}
    assert blocking == {("id_card", ID_WANG), ("mobile", MOBILE_WANG), ("secret_marking", "机密★1年")}
    [person] = [f for f in findings if f.text == MOBILE_WANG]
    assert describe_location(person.location) == "第 1 个表格第 2 行第 3 列"
    [contact] = [f for f in findings if f.text == UNIT_MOBILE]
    assert contact.severity == Severity.WARN and "联系电话" in contact.rule
    [marking] = [f for f in findings if f.kind == "secret_marking"]
    assert describe_location(marking.location) == "页眉 第 1 段"


def test_word_html_saved_as_doc_is_read_as_html() -> None:
    html = "<html xmlns:w='urn:schemas-microsoft-com:office:word'><body><p>身份证号：{}</p></body></html>"

    findings = check_file(html.format(ID_WANG).encode("utf-8"), filename="名单.doc")

    assert found(findings, "id_card") == [(ID_WANG, Severity.BLOCK)]


# -- Excel 97-2003 / WPS 表格 -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sample.xls", "sample.et"])
def test_xls_and_et_cells_numbers_dates_and_hidden_sheets(name: str) -> None:
    segments = extract(FILES / name)
    by_cell = {(s.location["sheet"], s.location["cell"]): s for s in segments}

    assert detect_format((FILES / name).read_bytes(), name) == "xls"
    assert by_cell[("岗位表", "D3")].text == UNIT_MOBILE  # typed as a number, shown as its digits
    assert by_cell[("岗位表", "E3")].text == "2025-03-15"
    assert by_cell[("岗位表", "D3")].location == {"sheet": "岗位表", "cell": "D3", "row": 3, "col": 4}
    assert by_cell[("原始名单", "B2")].text == ID_WANG
    assert by_cell[("原始名单", "B2")].location["hidden"] is True


def test_xls_position_table_contact_is_warn_and_hidden_person_list_blocks() -> None:
    findings = check_file(FILES / "sample.xls")

    assert found(findings, "mobile") == [(UNIT_MOBILE, Severity.WARN), (UNIT_MOBILE, Severity.WARN),
                                         (MOBILE_WANG, Severity.BLOCK)]
    assert found(findings, "id_card") == [(ID_WANG, Severity.BLOCK)]


# -- RTF -------------------------------------------------------------------------------------------------


def test_rtf_paragraphs_table_rows_and_page_header_are_read() -> None:
    segments = extract(FILES / "sample.rtf")
    texts = [s.text for s in segments]

    assert detect_format((FILES / "sample.rtf").read_bytes(), "sample.rtf") == "rtf"
    assert texts[0] == "关于公布2025年度临时救助对象的通知"
    assert f"1|王建国|{MOBILE_WANG}||" in texts
    assert TextSegment("机密★1年", {"part": "header", "paragraph": 1}) in segments  # striprtf alone drops it
    findings = check_file(FILES / "sample.rtf")
    assert (MOBILE_WANG, Severity.BLOCK) in found(findings, "mobile")
    assert (UNIT_MOBILE, Severity.WARN) in found(findings, "mobile")


# -- broken files of the legacy formats ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sample.doc", "sample.xls", "sample.rtf"])
@pytest.mark.parametrize("keep", [0.05, 0.3, 0.6, 0.95])
def test_damaged_legacy_files_raise_only_file_check_errors(name: str, keep: float) -> None:
    data = (FILES / name).read_bytes()
    cut = int(len(data) * keep)
    for sample in (data[:cut], data[:cut] + bytes(len(data) - cut), data[:cut] + b"\xff" * 512 + data[cut + 512:]):
        try:
            extract(sample, filename=name)
        except FileCheckError as error:
            assert str(error)


# -- WPS .docx with a broken image relation --------------------------------------------------------------


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b"")


def test_docx_whose_image_relation_points_to_a_missing_part_is_read(tmp_path: Path) -> None:
    import docx

    image = tmp_path / "seal.png"
    image.write_bytes(_png())
    document = docx.Document()
    document.add_paragraph(f"申请人王建国，身份证号 {ID_WANG}")
    document.add_picture(str(image))
    source = tmp_path / "wps.docx"
    document.save(source)
    broken = tmp_path / "wps-broken.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(broken, "w") as copy:
        for entry in original.infolist():
            if not entry.filename.startswith("word/media/"):  # the relation stays, its target is gone
                copy.writestr(entry, original.read(entry))
    with pytest.raises(KeyError):
        docx.Document(str(broken))  # what rejected it before

    assert found(check_file(broken), "id_card") == [(ID_WANG, Severity.BLOCK)]


# -- zip archives ----------------------------------------------------------------------------------------


class _GbkName(zipfile.ZipInfo):
    """A member whose name is stored as GBK bytes without the UTF-8 flag (zipfile itself would use UTF-8)."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 — zipfile's own method name
        return self.filename.encode("cp437"), self.flag_bits


def _gbk_named_zip(files: dict[str, bytes]) -> bytes:
    """A zip as Chinese Windows tools write it: GBK member names without the UTF-8 flag."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(_GbkName(name.encode("gbk").decode("cp437")), data)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as check:
        assert not any(entry.flag_bits & 0x800 for entry in check.infolist())
    return buffer.getvalue()


def test_zip_members_are_read_one_level_deep_with_their_names(tmp_path: Path) -> None:
    docx_path = make_docx(tmp_path, ["拟录用人员名单"], tables=[[["姓名", "身份证号"], ["王建国", ID_WANG]]])
    data = _gbk_named_zip({
        "附件1：名单.docx": docx_path.read_bytes(),
        "附件2：岗位表.xls": (FILES / "sample.xls").read_bytes(),
        "附件3：通知.doc": (FILES / "sample.doc").read_bytes(),
        "附件4：更多.zip": zip_of({"inner.txt": f"身份证号 {ID_WANG}".encode()}),
        "附件5：损坏.docx": docx_path.read_bytes()[:300],
    })

    segments = extract(data, filename="附件.zip")
    findings = check_file(data, filename="附件.zip")

    members = {s.location["member"] for s in segments}
    assert members == {"附件1：名单.docx", "附件2：岗位表.xls", "附件3：通知.doc"}
    [in_docx] = [f for f in findings if f.location.get("member") == "附件1：名单.docx"]
    assert (in_docx.kind, in_docx.location["table"], in_docx.location["row"]) == ("id_card", 1, 2)
    assert describe_location(in_docx.location).startswith("压缩包内文件“附件1：名单.docx”")
    assert ("附件2：岗位表.xls", "D3", Severity.WARN) in {
        (f.location["member"], f.location.get("cell"), f.severity) for f in findings if f.kind == "mobile"}
    unreadable = {f.location["member"]: f.rule for f in findings if f.kind == "document_unreadable"}
    assert set(unreadable) == {"附件4：更多.zip", "附件5：损坏.docx"}
    assert "一层" in unreadable["附件4：更多.zip"] and "已损坏" in unreadable["附件5：损坏.docx"]
    assert all(f.severity == Severity.WARN for f in findings if f.kind == "document_unreadable")


def test_zip_bomb_and_zip_with_too_many_members_are_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("zeros.txt", "w", force_zip64=True) as member:
            for _ in range(201):
                member.write(bytes(1024 * 1024))
    assert len(buffer.getvalue()) < 2 * 1024 * 1024
    with pytest.raises(FileTooLarge, match="压缩炸弹"):
        extract(buffer.getvalue(), filename="bomb.zip")

    many = zip_of({f"{n}.txt": b"x" for n in range(201)})
    with pytest.raises(FileTooLarge, match="200"):
        extract(many, filename="many.zip")


def test_file_named_zip_that_is_not_a_zip_is_unreadable() -> None:
    with pytest.raises(UnreadableFile, match="zip"):
        extract(b"not a zip at all", filename="a.zip")


# -- table structure of HTML and PDF ---------------------------------------------------------------------


def test_html_table_cells_carry_table_row_and_column_counting_colspan() -> None:
    html = ("<html><body><table><tr><th>序号</th><th colspan='2'>单位</th><th>咨询电话</th></tr>"
            f"<tr><td>1</td><td>天山区</td><td>人民医院</td><td><p>{UNIT_MOBILE}</p></td></tr></table></body></html>")

    segments = extract(html.encode(), filename="t.html")

    assert [(s.text, s.location["row"], s.location["col"]) for s in segments] == [
        ("序号", 1, 1), ("单位", 1, 2), ("咨询电话", 1, 4), ("1", 2, 1), ("天山区", 2, 2), ("人民医院", 2, 3),
        (UNIT_MOBILE, 2, 4)]
    assert found(check_file(html.encode(), filename="t.html"), "mobile") == [(UNIT_MOBILE, Severity.WARN)]


def test_pdf_table_rows_keep_their_columns_so_exam_numbers_are_not_mobiles(tmp_path: Path) -> None:
    rows = [["准考证号", "姓名", "岗位", "成绩"], ["13103477352", "王军", "文秘", "74.6"],
            ["18909455281", "赵艳", "统计", "85.5"]]
    path = make_pdf(tmp_path, [["笔试成绩公示"] + ["      ".join(row) for row in rows]])

    assert found(check_file(path), "mobile") == []
    person_list = make_pdf(tmp_path, [["姓名      手机号      金额", f"王军      {MOBILE_WANG}      500",
                                       "赵艳      13903456789      500"]], name="list.pdf")
    assert found(check_file(person_list), "mobile") == [(MOBILE_WANG, Severity.BLOCK),
                                                         ("13903456789", Severity.BLOCK)]


def test_xlsx_candidate_list_with_15_digit_tickets_has_no_finding_but_old_ids_in_an_id_column_block(
    tmp_path: Path,
) -> None:
    tickets = make_xlsx(tmp_path, {"Sheet1": [["序号", "姓名", "准考证号"], [1, "王军", "650102240315012"],
                                              [2, "赵艳", "650102240316021"]]}, name="t.xlsx")
    old_ids = make_xlsx(tmp_path, {"Sheet1": [["序号", "姓名", "身份证号"], [1, "王军", "650102800315012"]]},
                        name="o.xlsx")

    assert check_file(tickets) == []
    assert found(check_file(old_ids), "id_card") == [("650102800315012", Severity.BLOCK)]


@pytest.mark.parametrize("name", ["sample.doc", "sample.xls"])
def test_randomly_corrupted_legacy_files_never_raise_anything_but_file_check_errors(name: str) -> None:
    import random

    data = (FILES / name).read_bytes()
    rng = random.Random(9)
    for _ in range(150):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 40)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            extract(bytes(damaged), filename=name)
        except FileCheckError as error:
            assert str(error)
