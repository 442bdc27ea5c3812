"""What a number is depends on where it stands (版面上下文): labels before it, the table column it is in,
the numbering plan, full-width digits, and the forms of landlines and USCCs real documents use."""

from __future__ import annotations

import pytest

from govsite.checks import layout
from govsite.checks.contract import Severity
from govsite.checks.detectors import landline, mobile, uscc
from govsite.checks.engine import check_text
from govsite.checks.files import check_file

from .fixtures_files import id_number, make_docx, make_txt, make_xlsx
from .test_personal_data import CTX, spans, uscc_complete

ID_A = id_number("65010219850312123")
TICKET_15 = "650102240315012"  # 考区 650102, 2024, 考场 03, 座位 15, 012: reads as an old ID born 1924-03-15


def kinds(findings: list, severity: str | None = None) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in findings if severity is None or f.severity == severity]


# -- numbering plan ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["140", "141", "142", "143", "144", "146", "154", "160", "163"])
def test_unallocated_ranges_are_not_mobiles(prefix: str) -> None:
    assert spans(mobile.detector, f"编号 {prefix}12345678") == []


@pytest.mark.parametrize("prefix", ["130", "145", "147", "162", "165", "166", "172", "190", "192", "199"])
def test_allocated_ranges_are_mobiles(prefix: str) -> None:
    assert spans(mobile.detector, f"手机 {prefix}12345678") == [f"{prefix}12345678"]


def test_number_followed_by_a_unit_is_a_quantity_not_a_mobile() -> None:
    assert spans(mobile.detector, "社会消费品零售总额13456789012元，") == []
    assert spans(mobile.detector, "常住人口13456789012 人") == []


# -- labels in prose --------------------------------------------------------------------------------------


def test_exam_numbers_after_their_label_are_neither_mobiles_nor_ids() -> None:
    text = f"准考证号为13103477352的考生缺考；考号：{TICKET_15}；职位代码 13812345678。"
    assert check_text(text) == []


def test_contact_label_makes_a_mobile_a_published_contact_unless_the_line_is_about_a_person() -> None:
    contact = check_text("联系人：王老师，联系电话：13899112345，0991-2345678。")
    person = check_text(f"申请人张三，身份证号：{ID_A}，联系电话：13899112345。")

    assert [(f.kind, f.severity) for f in contact] == [("mobile", Severity.WARN), ("landline", Severity.WARN)]
    assert "联系电话" in contact[0].rule
    assert ("mobile", Severity.BLOCK) in [(f.kind, f.severity) for f in person]
    assert layout.label_before("手机号码：", 5) == "personal"
    assert kinds(check_text("来信人李某（手机号码：13899112345）"), Severity.BLOCK) == [("mobile", "13899112345")]
    assert kinds(check_text("紧急联系人：李四 13899112345"), Severity.BLOCK) == [("mobile", "13899112345")]


def test_fifteen_digit_number_blocks_only_with_id_context() -> None:
    [unsure] = check_text(f"编外 {TICKET_15}")
    [sure] = check_text(f"身份证号：{TICKET_15}")

    assert (unsure.kind, unsure.severity) == ("id_card", Severity.WARN)
    assert "准考证号" in unsure.rule
    assert (sure.kind, sure.severity) == ("id_card", Severity.BLOCK)
    # No prefecture fallback for 15 digits: 650198 is not a division code (18 digits may still use it).
    assert check_text("编外 650198240315012") == []


# -- full-width digits, +86, spaced USCC -----------------------------------------------------------------


def test_full_width_id_and_mobile_are_found_and_reported_as_written() -> None:
    wide_id = ID_A.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    text = f"户主张三　身份证号：{wide_id}　手机：１３８９９１１２３４５"

    findings = check_text(text)

    assert kinds(findings, Severity.BLOCK) == [("id_card", wide_id), ("mobile", "１３８９９１１２３４５")]
    assert all(text[f.start:f.end] == f.text for f in findings)


@pytest.mark.parametrize("number", ["+86 991 2345678", "+86-10-65123456", "0086 10 65123456", "(+86)991-2345678",
                                    "＋８６ ９９１ ２３４５６７８"])
def test_landlines_with_country_code_are_found(number: str) -> None:
    assert kinds(check_text(f"办公电话：{number}。")) == [("landline", number)]


def test_mobile_with_country_code_is_not_also_a_landline() -> None:
    assert spans(landline.detector, "+86 138 1234 5678") == []


def test_uscc_written_in_groups_is_found_and_never_blocks() -> None:
    code = uscc_complete("91650102MA78H9K3X")
    for written in (code, f"{code[:2]} {code[2:8]} {code[8:17]} {code[17]}", " ".join(
            code[i:i + 4] for i in range(0, 18, 4))):
        [finding] = uscc.detector.detect(f"统一社会信用代码：{written}。", CTX)
        assert (finding.text, finding.severity) == (written, Severity.WARN)
    assert spans(uscc.detector, f"{code[:9]} {code[9:]}x") == []


def test_penalty_notice_naming_a_company_and_its_legal_representative_does_not_block(tmp_path) -> None:
    code = uscc_complete("91650102MA78H9K3X")
    path = make_docx(tmp_path, ["行政处罚决定书", "当事人：新疆天和商贸有限公司",
                                f"统一社会信用代码：{code[:8]} {code[8:]}", "法定代表人：王建国",
                                "联系电话：0991-2345678"])

    findings = check_file(path)

    assert kinds(findings, Severity.BLOCK) == []
    assert {f.kind for f in findings} == {"uscc", "landline"}


# -- tables -----------------------------------------------------------------------------------------------


def test_position_table_with_the_units_mobile_on_every_row_is_not_blocked(tmp_path) -> None:
    rows = [["序号", "招聘单位", "岗位名称", "岗位代码", "人数", "联系电话"]]
    rows += [[str(n), "天山区人民医院", "护士", f"2501{n:02d}", "1", "13909910001"] for n in range(1, 5)]
    rows += [["5", "米东区第一中学", "教师", "250105", "2", "13909920002"]]  # a unit with one row

    for path in (make_xlsx(tmp_path, {"岗位表": rows}), make_docx(tmp_path, ["岗位表"], tables=[rows]),
                 make_txt(tmp_path, ["\t".join(row) for row in rows])):
        findings = check_file(path)
        assert [f.severity for f in findings if f.kind == "mobile"] == [Severity.WARN] * 5, path.name


def test_list_of_persons_with_their_own_mobiles_and_ids_blocks(tmp_path) -> None:
    rows = [["序号", "姓名", "身份证号", "联系电话"],
            ["1", "王建国", ID_A, "13899112345"], ["2", "李秀英", id_number("65010319700101234"), "13899112346"]]

    for path in (make_xlsx(tmp_path, {"名单": rows}), make_docx(tmp_path, ["名单"], tables=[rows]),
                 make_txt(tmp_path, ["    ".join(row) for row in rows])):
        findings = check_file(path)
        assert [(f.kind, f.severity) for f in findings] == [
            ("id_card", Severity.BLOCK), ("mobile", Severity.BLOCK)] * 2, path.name


def test_candidate_list_with_exam_numbers_in_their_column_has_no_personal_finding(tmp_path) -> None:
    rows = [["序号", "职位代码", "姓名", "性别", "准考证号"],
            ["1", "13812345678", "王军", "男", TICKET_15], ["2", "13812345679", "赵艳", "女", "13103477352"]]

    assert check_file(make_xlsx(tmp_path, {"名单": rows})) == []
    assert check_file(make_docx(tmp_path, ["拟录用人员名单"], tables=[rows])) == []
    assert check_text("\n".join("\t".join(row) for row in rows)) == []


def test_contact_list_of_units_with_distinct_mobiles_is_a_published_contact_list() -> None:
    text = "\n".join(["序号  县（市、区）  经办机构  咨询电话", "1  天山区  天山区医疗保障局  13909910001",
                      "2  米东区  米东区医疗保障局  13909910002"])

    assert [f.severity for f in check_text(text)] == [Severity.WARN, Severity.WARN]


def test_the_same_mobile_on_many_lines_outside_tables_is_a_contact() -> None:
    text = "\n".join(f"第{n}批报名咨询：张老师 13909910001 工作日" for n in range(1, 4))
    assert {f.severity for f in check_text(text) if f.kind == "mobile"} == {Severity.WARN}
    two = "\n".join(f"第{n}批 13909910001" for n in range(1, 3))
    assert {f.severity for f in check_text(two) if f.kind == "mobile"} == {Severity.BLOCK}


def test_text_tables_split_on_tabs_bars_and_runs_of_spaces() -> None:
    lines = [(0, 0, "姓名\t电话\t备注"), (1, 0, "| 王军 | 13899112345 | 无 |"), (2, 0, "赵艳    13899112346    无"),
             (3, 0, "一行普通文字，不是表格。")]

    [table] = layout.text_tables(lines)

    assert table.header == 0
    assert [cell.text for cell in table.rows[1].values()] == ["王军", "13899112345", "无"]
    assert table.rows[2][2] == layout.Cell(2, 6, 17, "13899112346")


def test_rich_text_table_rows_keep_their_columns_for_the_page_checks() -> None:
    from govsite.checks.pagetext import html_to_paragraphs

    html = ("<p>拟聘用人员名单</p><table><thead><tr><th>序号</th><th>姓名</th><th>准考证号</th></tr></thead>"
            "<tbody><tr><td>1</td><td>王军</td><td><p>13103477352</p></td></tr>"
            "<tr><td>2</td><td>赵艳</td><td>18909455281</td></tr></tbody></table><p>联系人：王老师</p>")

    paragraphs = html_to_paragraphs(html)

    assert paragraphs == ["拟聘用人员名单", "序号\t姓名\t准考证号", "1\t王军\t13103477352", "2\t赵艳\t18909455281",
                          "联系人：王老师"]
    assert check_text("\n".join(paragraphs)) == []
    leaking = html.replace("准考证号", "手机号码")
    assert [f.severity for f in check_text("\n".join(html_to_paragraphs(leaking)))] == [Severity.BLOCK] * 2


def test_empty_tab_and_bar_fields_keep_the_columns_in_place() -> None:
    tsv = "序号\t姓名\t备注\t准考证号\n1\t王军\t\t13103477352\n2\t赵艳\t补录\t18909455281"
    bars = "|序号|姓名|备注|准考证号|\n|1|王军||13103477352|\n|2|赵艳|补录|18909455281|"

    assert check_text(tsv) == []
    assert check_text(bars) == []
    [table] = layout.text_tables([(0, 0, line) for line in tsv.split("\n")])
    assert sorted(table.rows[1]) == [1, 2, 4]
