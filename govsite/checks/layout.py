"""Where a number stands (版面上下文): the label before it and the table column it is in.

A number alone does not tell what it is: a 15-digit 准考证号 reads as an old ID number, an 11-digit exam
number as a mobile, and a recruiting unit's mobile printed on every row of a 职位表 is the same string of
digits as a citizen's. What the document around the number says decides:

- the label right before it on its line (`label_before`): 准考证号、考号、职位代码 … make it an exam or
  position number (not personal data); 联系电话、咨询电话 … make a mobile a published contact, unless the
  line is about a person (身份证、户主、申请人 …);
- the table it is in (`judge`): tables come from files with their structure (worksheet rows and columns,
  Word and HTML table cells: see `segment_tables`) or are rebuilt from lines of text whose fields are
  separated by tabs, `|` or runs of spaces (`text_tables`). The column header and the table's shape then
  decide: a column headed 准考证号 holds exam numbers; a mobile repeated on several rows of a column, or in a
  联系电话/咨询电话 column of a table of units or positions (no 姓名 column), is a published contact (kept as
  `warn` for the reviewer); a column of distinct mobiles next to a 姓名 column is persons' data (`block`);
  a 15-digit number in a 身份证号 column is an old ID number (`block`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .contract import Finding, Severity

# -- labels ----------------------------------------------------------------------------------------------

EXAM_LABEL = (
    r"准考证号?码?|准考号|考试号|考号|考生号|考生编号|考籍号|报名序号|报名号|报名编号|座位号|考场号|"
    r"[职岗]位代码|[职岗]位编码|[职岗]位编号|[职岗]位代号|招考代码|单位代码|学号|工号"
)
CONTACT_LABEL = (
    r"咨询电话|联系电话|联系方式|报名电话|监督电话|举报电话|投诉电话|服务电话|办公电话|值班电话|热线电话|"
    r"联系人及电话|联系人电话|咨询热线|服务热线|联系人|电话"
)
ID_LABEL = r"身份证|身份号码|证件号|证件编号|证件号码"
PERSONAL_LABEL = r"手机号码?|个人电话|家庭电话|住宅电话|本人电话|紧急联系人|家属电话|亲属电话"
_LABEL_RE = re.compile(
    f"(?P<exam>{EXAM_LABEL})|(?P<id>{ID_LABEL})|(?P<personal>{PERSONAL_LABEL})|(?P<contact>{CONTACT_LABEL})"
)
# A line about a person, not a unit: a mobile on it is that person's even after 联系电话.
_PERSON_LINE_RE = re.compile(
    r"身份证|身份号码|证件号|户主|申请人|来信人|来访人|举报人|受援人|受助人|救助对象|补贴对象|患者|家庭住址|"
    r"住址|银行卡|出生日期|出生年月"
)
LABEL_WINDOW = 16


def label_before(text: str, start: int, window: int = LABEL_WINDOW) -> str | None:
    """The kind of the nearest label before `start` on its line: "exam", "id", "personal", "contact" or None."""
    line_start = max(text.rfind("\n", 0, start) + 1, start - window)
    matches = list(_LABEL_RE.finditer(text, line_start, start))
    return matches[-1].lastgroup if matches else None


def line_is_about_a_person(text: str, start: int, end: int) -> bool:
    """Whether the line around `start`…`end` carries a person's data (身份证、户主、申请人 …)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    return _PERSON_LINE_RE.search(line) is not None


# -- tables ----------------------------------------------------------------------------------------------

_HEADER_WORD_RE = re.compile(
    r"序号|编号|姓名|名称|性别|民族|准考证|考号|身份证|证件|电话|手机|联系|单位|部门|机关|职位|岗位|代码|成绩|分数|"
    r"排名|名次|金额|补贴|人数|学历|学位|专业|院校|备注|村|社区|户主|地址|住址|出生|年龄|面试|笔试|总分|条件|"
    r"乡镇|街道|县|区|项目|类别|数量|日期|时间|账号|卡号|指标"
)
_EXAM_HEADER_RE = re.compile(EXAM_LABEL)
_ID_HEADER_RE = re.compile(ID_LABEL)
_PHONE_HEADER_RE = re.compile(r"电话|手机|联系方式|通讯")
_NAME_HEADER_RE = re.compile(
    r"姓名|户主|申请人|受助人|补贴对象|救助对象|领取人|受援人|考生|户名|持卡人|人员名单|拟录用人员|拟聘用人员"
)
_LONG_DIGITS_RE = re.compile(r"[0-9０-９]{6,}")
_DIGITS_RE = re.compile(r"[0-9０-９]")
HEADER_SEARCH_ROWS = 8
REPEATED_ROWS = 2  # a mobile on at least this many rows of one column is a published contact
REPEATED_LINES = 3  # …and outside tables, on at least this many lines of one text or file


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: the text of segment `segment` from `start` to `end`."""

    segment: int
    start: int
    end: int
    text: str


@dataclass
class Table:
    """A table found in a document (表格): rows of cells by column number, and its header row if any."""

    rows: list[dict[int, Cell]]
    header: int | None = None

    def headers(self) -> dict[int, str]:
        if self.header is None:
            return {}
        return {column: cell.text for column, cell in self.rows[self.header].items()}


def find_header(table: Table) -> int | None:
    """The header row (表头): among the first rows, the one with most label-like cells (at least two)."""
    best, best_hits = None, 1
    for index, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        if len(row) < 2 or any(_LONG_DIGITS_RE.search(cell.text) for cell in row.values()):
            continue
        hits = sum(1 for cell in row.values() if len(cell.text) <= 16 and _HEADER_WORD_RE.search(cell.text))
        if hits > best_hits:
            best, best_hits = index, hits
    return best


_TAB_SPLIT_RE = re.compile(r"\t")
_BAR_SPLIT_RE = re.compile(r"\|")
_SPACE_SPLIT_RE = re.compile(r"[ \u3000]{2,}")


def _split_line(line: str) -> dict[int, tuple[int, int]]:
    """Column number → span of each non-empty field of a line, or {} when the line is not a table row.

    Fields are separated by tabs or bars (at least 2 fields; an empty field keeps its column, as an empty
    备注 cell does), else by runs of spaces (at least 3 fields: prose has double spaces; empty fields cannot
    be seen there)."""
    if "\t" in line:
        separator, least, keep_empty = _TAB_SPLIT_RE, 2, True
    elif line.count("|") >= 2:
        separator, least, keep_empty = _BAR_SPLIT_RE, 2, True
    else:
        separator, least, keep_empty = _SPACE_SPLIT_RE, 3, False
    bounds = [0]
    for match in separator.finditer(line):
        bounds += [match.start(), match.end()]
    bounds.append(len(line))
    pieces = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    if separator is _BAR_SPLIT_RE:  # "| a | b |": the outer bars open and close the row
        if not line[: pieces[0][1]].strip():
            pieces = pieces[1:]
        if pieces and not line[pieces[-1][0] :].strip():
            pieces = pieces[:-1]
    fields: dict[int, tuple[int, int]] = {}
    column = 0
    for start, end in pieces:
        empty = not line[start:end].strip()
        if empty and not keep_empty:
            continue
        column += 1
        if not empty:
            fields[column] = _trimmed(line, start, end)
    return fields if column >= least and len(fields) >= 2 else {}


def _trimmed(line: str, start: int, end: int) -> tuple[int, int]:
    while start < end and line[start] in " \u3000":
        start += 1
    while end > start and line[end - 1] in " \u3000\r":
        end -= 1
    return start, end


def text_tables(lines: Sequence[tuple[int, int, str]]) -> list[Table]:
    """Tables rebuilt from consecutive lines (segment, offset of the line in it, line text) that split into
    fields (see `_split_line`); column numbers count fields from the left."""
    tables: list[Table] = []
    current: list[dict[int, Cell]] = []
    for segment, base, line in [*lines, (-1, 0, "")]:
        fields = _split_line(line)
        if fields:
            current.append({
                column: Cell(segment, base + start, base + end, line[start:end])
                for column, (start, end) in fields.items()
            })
            continue
        if len(current) >= 2:
            table = Table(current)
            table.header = find_header(table)
            tables.append(table)
        current = []
    return tables


def _lines_of(text: str, segment: int = 0) -> list[tuple[int, int, str]]:
    lines, position = [], 0
    for line in text.split("\n"):
        lines.append((segment, position, line.removesuffix("\r")))
        position += len(line) + 1
    return lines


def segment_tables(locations: Sequence[dict[str, Any]], texts: Sequence[str]) -> list[Table]:
    """Tables of a file from its segments' locations: worksheet cells (sheet/row/col), Word, .doc and HTML
    table cells (table/row/col), and text files' lines (line) rebuilt with `text_tables`."""
    grids: dict[tuple, dict[int, dict[int, Cell]]] = defaultdict(lambda: defaultdict(dict))
    line_runs: list[list[tuple[int, int, str]]] = []
    last_line: tuple[Any, int] | None = None
    for index, (location, text) in enumerate(zip(locations, texts, strict=True)):
        member = location.get("member")
        if "row" in location and "col" in location and ("sheet" in location or "table" in location):
            key = (member, location.get("part"), location.get("sheet"), location.get("table"),
                   location.get("textbox"))
            grids[key][location["row"]][location["col"]] = Cell(index, 0, len(text), text)
        elif "line" in location and "path" not in location:
            line = location["line"]
            if last_line is None or last_line != (member, line - 1):
                line_runs.append([])
            line_runs[-1].append((index, 0, text))
            last_line = (member, line)
    tables = []
    for grid in grids.values():
        table = Table([grid[row] for row in sorted(grid)])
        table.header = find_header(table)
        tables.append(table)
    for run in line_runs:
        tables.extend(text_tables(run))
    return tables


# -- judging findings ------------------------------------------------------------------------------------

JUDGED_KINDS = frozenset({"id_card", "mobile"})
CONTACT_RULE = "手机号码（单位公开的联系电话：{why}；请确认不是个人号码）"
OLD_ID_RULE = "居民身份证号（15位旧号码，位于“{header}”列）"


def _digits(text: str) -> str:
    return "".join(_DIGITS_RE.findall(text)).translate(_HALF_DIGITS)


_HALF_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def judge(findings: list[Finding], tables: Iterable[Table], segment_of: Callable[[Finding], int]) -> list[Finding]:
    """`findings` with the table rules applied: exam numbers dropped, published contacts made `warn`,
    15-digit numbers in an ID column made `block`; then a mobile repeated on many lines is a contact."""
    if not any(f.kind in JUDGED_KINDS for f in findings):
        return findings
    cells: dict[int, list[tuple[int, int, Table, int, int]]] = defaultdict(list)  # segment → sorted cells
    for table in tables:
        for row_index, row in enumerate(table.rows):
            if row_index != table.header:
                for column, cell in row.items():
                    cells[cell.segment].append((cell.start, cell.end, table, row_index, column))
    starts: dict[int, list[int]] = {}
    for segment, placed in cells.items():
        placed.sort(key=lambda item: item[0])
        starts[segment] = [item[0] for item in placed]
    counts: dict[tuple[int, int], dict[str, int]] = {}
    judged: list[Finding] = []
    for finding in findings:
        segment = segment_of(finding)
        if finding.kind in JUDGED_KINDS and segment in starts:
            index = bisect_right(starts[segment], finding.start) - 1
            if index >= 0 and finding.end <= cells[segment][index][1]:
                _, _, table, row, column = cells[segment][index]
                finding = _judge_in_table(finding, table, column, counts)
                if finding is None:
                    continue
        judged.append(finding)
    return _repeated_contacts(judged, segment_of)


_MOBILE_RUN_RE = re.compile(r"(?<![0-9])1[0-9]{10}(?![0-9])")


def _column_mobiles(table: Table, column: int) -> dict[str, int]:
    """How many data rows of a column hold each mobile-like number."""
    counted: dict[str, int] = defaultdict(int)
    for index, row in enumerate(table.rows):
        if index != table.header and column in row:
            text = row[column].text.translate(_HALF_DIGITS).replace(" ", "").replace("-", "")
            for number in set(_MOBILE_RUN_RE.findall(text)):
                counted[number] += 1
    return counted


def _judge_in_table(
    finding: Finding, table: Table, column: int, counts: dict[tuple[int, int], dict[str, int]]
) -> Finding | None:
    headers = table.headers()
    header = headers.get(column, "")
    digits = _digits(finding.text)
    if header and _EXAM_HEADER_RE.search(header) and not _ID_HEADER_RE.search(header):
        if finding.kind == "mobile" or len(digits) == 15:
            return None  # an exam or position number in its own column
        return finding
    if finding.kind == "id_card":
        if len(digits) == 15 and header and _ID_HEADER_RE.search(header):
            return replace(finding, severity=Severity.BLOCK, rule=OLD_ID_RULE.format(header=header))
        return finding
    key = (id(table), column)
    if key not in counts:
        counts[key] = _column_mobiles(table, column)
    rows_with_it = counts[key].get(digits[-11:], 0)
    if rows_with_it >= REPEATED_ROWS:
        return _as_contact(finding, f"同一号码在表格“{header or '该'}”列 {rows_with_it} 行重复出现")
    has_names = any(_NAME_HEADER_RE.search(text) for text in headers.values())
    if header and _PHONE_HEADER_RE.search(header) and not has_names and not _personal_header(header):
        return _as_contact(finding, f"位于“{header}”列，表格列出的是单位或岗位而非个人")
    return finding


def _personal_header(header: str) -> bool:
    return re.search(PERSONAL_LABEL, header) is not None


def _as_contact(finding: Finding, why: str) -> Finding:
    if finding.severity == Severity.WARN:
        return finding
    return replace(finding, severity=Severity.WARN, rule=CONTACT_RULE.format(why=why))


def _repeated_contacts(findings: list[Finding], segment_of: Callable[[Finding], int]) -> list[Finding]:
    places: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for finding in findings:
        if finding.kind == "mobile" and finding.severity == Severity.BLOCK:
            places[_digits(finding.text)[-11:]].add((segment_of(finding), finding.start))
    repeated = {digits for digits, seen in places.items() if len(seen) >= REPEATED_LINES}
    if not repeated:
        return findings
    return [
        _as_contact(f, "同一号码在文中多处重复出现")
        if f.kind == "mobile" and f.severity == Severity.BLOCK and _digits(f.text)[-11:] in repeated else f
        for f in findings
    ]


def judge_text(text: str, findings: list[Finding]) -> list[Finding]:
    """The table rules for one text: tables rebuilt from its lines around the judged findings."""
    if not any(f.kind in JUDGED_KINDS for f in findings):
        return findings
    if "\n" not in text:
        return _repeated_contacts(findings, lambda f: 0)
    return judge(findings, _tables_around(text, findings), lambda f: 0)


def _tables_around(text: str, findings: list[Finding]) -> list[Table]:
    """Only the blocks of table-like lines that hold a judged finding are split (texts can be megabytes)."""
    tables: list[Table] = []
    done_until = -1
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.kind not in JUDGED_KINDS or finding.start < done_until:
            continue
        line_start = text.rfind("\n", 0, finding.start) + 1
        line_end = text.find("\n", finding.start)
        line_end = len(text) if line_end < 0 else line_end
        if not _split_line(text[line_start:line_end]):
            continue
        start, end = line_start, line_end
        while start > 0:  # extend up over table-like lines
            previous = text.rfind("\n", 0, start - 1) + 1
            if not _split_line(text[previous : start - 1]):
                break
            start = previous
        while end < len(text):  # and down
            following = text.find("\n", end + 1)
            following = len(text) if following < 0 else following
            if not _split_line(text[end + 1 : following]):
                break
            end = following
        lines = [(0, start + offset, line) for _, offset, line in _lines_of(text[start:end])]
        tables.extend(text_tables(lines))
        done_until = end
    return tables
