"""Excel (.xlsx) export and import of the 网站基本信息库, in the layout supervisors exchange with each other.

Import semantics (decided here, tested in ``tests/test_xlsx.py``):

- The header row names the columns (any order, extra columns ignored); 网站标识码, 网站名称, 网站类型,
  主办单位 and 首页网址 are required. Units are matched by exact name among the units the importing user
  manages; a name shared by several units is written (and may be given) as ``名称（行政区划代码）``. A cell
  that still names the unit stored on the entry keeps it even outside that scope (a prefecture's hosted
  site has the region's centre as 承办单位); setting a unit outside the scope is refused.
- A row whose 网站标识码 exists updates that entry (only the columns present in the file); otherwise a new
  entry is registered. Every row goes through the same service functions as the admin forms.
- Export → import round-trips unchanged for every scope that may import: a row that changes nothing is
  未变化 whether or not the importer may change that site; a row that changes a site the importer may only
  read, or a site they cannot see, is refused naming the row and why.
- 状态 of a new row: 筹建 (or empty) registers a site being built; 永久下线 / 已整合 record history and are
  exempt from the domain and one-site rules. 运行 (and 整改 / 临时关停, which imply the site has run) is
  accepted only when the row also carries a *passed* 安全检测 (安全检测日期, 安全检测机构, 安全检测结论 = 通过):
  the site is registered as 筹建, the test is recorded, and it is moved to 运行 through ``do_change_status``,
  so the running rule is the service's own, not a copy.
- 状态 of an existing row that differs from the stored one is a status change and needs 状态变更理由 (and
  optionally 状态变更文号), exactly as in the admin's status form.
- A new 永久下线 / 已整合 row does not re-enter its 安全检测 columns (a closed site gets no new records);
  an empty 主管单位 means the 主办单位 itself.
- All or nothing: if any row fails, nothing is imported and every failing row is reported as
  ``第 N 行 列名：说明`` (N is the Excel row number). File problems (not .xlsx, empty, too large, too many
  rows, missing headers) come back as one message; nothing here raises for bad input.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from govsite.core.access import units_visible_to
from govsite.core.models import Unit
from govsite.core.officedocs import write_xlsx
from govsite.core.services import record_audit
from govsite.registry.access import access_website, websites_visible_to

from . import services
from .models import AssessmentResult, ProtectionLevel, SecurityTest, Website, WebsiteKind, WebsiteStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.http import HttpRequest

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE = "政府网站基本信息库"


@dataclass(frozen=True)
class Column:
    header: str
    key: str  # a Website field, or a pseudo key for the security-test and status-change columns
    kind: str = "text"
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("网站标识码", "site_code", required=True),
    Column("网站名称", "name", required=True),
    Column("网站类型", "kind", "kind", required=True),
    Column("主管单位", "supervising_unit", "unit"),
    Column("主办单位", "owner_unit", "unit", required=True),
    Column("承办单位", "operator_unit", "unit"),
    Column("首页网址", "homepage_url", required=True),
    Column("ICP备案号", "icp_number"),
    Column("公安机关备案号", "police_record_number"),
    Column("党政机关网站标识", "party_gov_mark"),
    Column("联系人", "contact_name"),
    Column("联系电话", "contact_phone"),
    Column("联系邮箱", "contact_email"),
    Column("地址", "address"),
    Column("等保级别", "protection_level", "level"),
    Column("最近测评日期", "last_assessment_date", "date"),
    Column("最近测评结论", "last_assessment_result", "result"),
    Column("状态", "status", "status"),
    Column("整合至", "merged_into", "site"),
    Column("例外审批文号", "exception_document"),
    Column("例外审批理由", "exception_reason"),
    # The latest passed 安全检测, so that a running site can be re-imported into an empty registry.
    Column("安全检测日期", "test_date", "date"),
    Column("安全检测机构", "test_tester"),
    Column("安全检测报告编号", "test_report"),
    Column("安全检测结论", "test_passed", "passed"),
    # Import only (exported empty, so the export doubles as the template).
    Column("状态变更理由", "status_reason"),
    Column("状态变更文号", "status_document"),
)
COLUMN_BY_HEADER = {c.header: c for c in COLUMNS}
REQUIRED_HEADERS = tuple(c.header for c in COLUMNS if c.required)
TEST_KEYS = ("test_date", "test_tester", "test_report", "test_passed")

# Where service error keys show up in the sheet.
HEADER_FOR_ERROR_KEY: dict[str, str] = {c.key: c.header for c in COLUMNS} | {
    "to_status": "状态",
    "reason": "状态变更理由",
    "document_number": "状态变更文号",
    "tested_on": "安全检测日期",
    "tester": "安全检测机构",
    "report_number": "安全检测报告编号",
    "passed": "安全检测结论",
}

def _accepted(choices: Any, *extra: tuple[str, Any]) -> dict[str, Any]:
    """Spellings accepted for a choice cell: its label (as exported), its stored value, and common variants."""
    return {str(label): value for value, label in choices.choices} | {
        str(value): value for value in choices.values
    } | dict(extra)


_KIND = _accepted(WebsiteKind, ("门户网站", "portal"), ("门户", "portal"), ("部门", "department"))
_STATUS = _accepted(WebsiteStatus)
_LEVEL = _accepted(ProtectionLevel, *((f"{n}级", v) for n, v in zip("一二三四", (1, 2, 3, 4), strict=True)))
_RESULT = _accepted(AssessmentResult)
_PASSED = {"通过": True, "是": True, "合格": True, "未通过": False, "否": False, "不通过": False, "不合格": False}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
_UNIT_WITH_CODE = re.compile(r"^(?P<name>.+?)[（(](?P<code>[0-9]{6})[）)]$")


def _hidden_site_message() -> str:
    return _("该标识码已被登记，但该网站不在您的管理范围内。")


def max_rows() -> int:
    return int(getattr(settings, "GOVSITE_IMPORT_MAX_ROWS", 5000))


# --- export ---------------------------------------------------------------------------------------


def _ambiguous_unit_names() -> set[str]:
    return set(
        Unit.objects.values("name").annotate(n=Count("id")).filter(n__gt=1).values_list("name", flat=True)
    )


def unit_label(unit: Unit | None, ambiguous: set[str]) -> str:
    """How a unit is written in the sheet: its name, plus its division code when the name is shared."""
    if unit is None:
        return ""
    return f"{unit.name}（{unit.region.code}）" if unit.name in ambiguous else unit.name


def _latest_test(website: Website) -> SecurityTest | None:
    tests = list(website.security_tests.all())  # prefetched newest first
    return next((t for t in tests if t.passed), tests[0] if tests else None)


def _export_value(website: Website, column: Column, ambiguous: set[str]) -> Any:
    key = column.key
    if key.startswith("test_"):
        test = _latest_test(website)
        if test is None:
            return None
        return {
            "test_date": test.tested_on,
            "test_tester": test.tester,
            "test_report": test.report_number,
            "test_passed": "通过" if test.passed else "未通过",
        }[key]
    if key.startswith("status_"):
        return None
    if column.kind == "unit":
        return unit_label(getattr(website, key), ambiguous)
    if key == "merged_into":
        return website.merged_into.site_code if website.merged_into_id else None
    if column.kind in ("kind", "status", "result", "level"):
        display = getattr(website, f"get_{key}_display")()
        return str(display) if getattr(website, key) not in (None, "") else None
    return getattr(website, key)


def export(queryset: QuerySet[Website]) -> bytes:
    """导出: the given registry entries as an .xlsx workbook, one row per site, Chinese headers."""
    websites = queryset.select_related(
        "supervising_unit__region", "owner_unit__region", "operator_unit__region", "merged_into"
    ).prefetch_related(Prefetch("security_tests", queryset=SecurityTest.objects.order_by("-tested_on", "-id")))
    ambiguous = _ambiguous_unit_names()
    # No title row: the import reads the headers from the first row of this same layout.
    return write_xlsx(SHEET_TITLE, [c.header for c in COLUMNS],
                      ([_export_value(website, c, ambiguous) for c in COLUMNS]
                       for website in websites.order_by("site_code")))


# --- import ---------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """Outcome of an import: counts when it succeeded, messages when it did not (then nothing was saved)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged


class ImportFileError(Exception):
    """The upload is not a usable registry sheet; the message is for the user."""


@dataclass
class _Row:
    number: int
    values: dict[str, Any]  # column key -> parsed value, only for columns present in the sheet

    @property
    def code(self) -> str:
        return self.values.get("site_code") or ""


def _read_bytes(file: Any) -> bytes:
    limit = int(settings.GOVSITE_IMPORT_MAX_BYTES)
    too_large = ImportFileError(
        _("文件过大（上限 %(mb).1f MB），请分批导入。") % {"mb": limit / 1024 / 1024}
    )
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        size = getattr(file, "size", None)
        if size is not None and size > limit:
            raise too_large
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if not data:
        raise ImportFileError(_("上传的文件是空的。"))
    return data


# -- bounds of an import (导入上限) ------------------------------------------------------------------------
# openpyxl has no limits of its own: a 5 KB file whose only row is number 100,000,000 made it produce a
# hundred million empty rows, and one shared string unpacking to hundreds of megabytes took gigabytes.
# So the archive and every XML part are checked in one streaming pass (lxml, bounded memory) before
# openpyxl reads anything, and openpyxl then reads only up to the last row that holds data.

# Parts other than the worksheets and the shared strings (styles, workbook, theme, properties) are read
# whole into objects by openpyxl (styles: ~25 bytes of memory per byte of XML); a real sheet's are tens of KB.
MAX_OTHER_PART_BYTES = 2 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 300
# Longer than any registry field (≤ 300) or free text (2000); Excel itself stops at 32,767.
MAX_CELL_CHARS = 4000
# Title lines allowed above the header, and blank lines allowed among the data rows.
HEADER_SEARCH_ROWS = 5
BLANK_ROWS_ALLOWED = 1000
_DATA_PART_TYPES = ("spreadsheetml.worksheet+xml", "spreadsheetml.sharedStrings+xml")
_CONTENT_TYPES = "[Content_Types].xml"


def max_unpacked_bytes() -> int:
    return int(getattr(settings, "GOVSITE_IMPORT_MAX_UNPACKED_BYTES", 32 * 1024 * 1024))


def max_row_number() -> int:
    """The highest sheet row that may hold data: header lines, the row limit and some blank lines."""
    return HEADER_SEARCH_ROWS + max_rows() + BLANK_ROWS_ALLOWED


def max_cells() -> int:
    return (max_rows() + HEADER_SEARCH_ROWS) * len(COLUMNS) * 2


def _not_xlsx() -> ImportFileError:
    return ImportFileError(_("文件不是有效的 Excel（.xlsx）文件，请使用导出的模板填写。"))


def _too_big(what: str) -> ImportFileError:
    return ImportFileError(_("文件超出导入上限：%(what)s。请使用导出的模板，或分批导入。") % {"what": what})


def _content_types(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name → content type, as [Content_Types].xml declares them (overrides only)."""
    from lxml import etree

    try:
        info = archive.getinfo(_CONTENT_TYPES)
    except KeyError:
        raise _not_xlsx() from None
    if info.file_size > MAX_OTHER_PART_BYTES:
        raise _too_big(_("内容类型表过大"))
    try:
        root = etree.fromstring(archive.read(info), etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError):
        raise _not_xlsx() from None
    types = {}
    for element in root:
        name, kind = element.get("PartName"), element.get("ContentType")
        if name and kind:
            types[name.lstrip("/")] = kind
    return types


@dataclass
class _PartScan:
    last_data_row: int = 0
    cells: int = 0
    strings: int = 0


def _scan_part(archive: zipfile.ZipFile, name: str, totals: _PartScan) -> None:
    """One streaming pass over an XML part: no DTD, no text longer than MAX_CELL_CHARS, no data row beyond
    ``max_row_number()``, not more cells or shared strings than an import can have. Memory stays bounded:
    each element is dropped once read (lxml's own limits stop text nodes over 10 MB and deep nesting)."""
    from lxml import etree

    row_limit, cell_limit = max_row_number(), max_cells()
    row_number = 0
    row_has_data = False
    with archive.open(name) as stream:
        events = etree.iterparse(stream, events=("start", "end"), resolve_entities=False, no_network=True,
                                 load_dtd=False, huge_tree=False)
        try:
            for event, element in events:
                local = etree.QName(element).localname if isinstance(element.tag, str) else ""
                if event == "start":
                    if element.getparent() is None and element.getroottree().docinfo.doctype:
                        raise _not_xlsx()  # OOXML has no DTD; one can only be there to expand entities
                    if local == "row":
                        r = element.get("r")
                        row_number = int(r) if r and r.isascii() and r.isdigit() else row_number + 1
                        row_has_data = False
                    continue
                text = element.text
                if text and len(text) > MAX_CELL_CHARS:
                    raise _too_big(_("有超过 %(n)d 个字符的单元格") % {"n": MAX_CELL_CHARS})
                if local in ("v", "t") and text:
                    row_has_data = True
                elif local == "c":
                    totals.cells += 1
                    if totals.cells > cell_limit:
                        raise _too_big(_("单元格超过 %(n)d 个") % {"n": cell_limit})
                elif local == "si":
                    totals.strings += 1
                    if totals.strings > cell_limit:
                        raise _too_big(_("共享字符串超过 %(n)d 个") % {"n": cell_limit})
                elif local == "row" and row_has_data:
                    if row_number > row_limit:
                        raise _too_big(_("第 %(row)d 行有数据，数据应在前 %(limit)d 行内")
                                       % {"row": row_number, "limit": row_limit})
                    totals.last_data_row = max(totals.last_data_row, row_number)
                # Keep only the open ancestors: the part is never held whole.
                element.clear(keep_tail=False)
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
        except etree.XMLSyntaxError as exc:
            if "huge" in str(exc).lower():  # lxml's own ceiling on one text node (10 MB)
                raise _too_big(_("有超过 %(n)d 个字符的单元格") % {"n": MAX_CELL_CHARS}) from None
            raise _not_xlsx() from None


def check_archive(data: bytes) -> int:
    """Refuse an upload that would take openpyxl unbounded time or memory; return the last sheet row that
    holds data (openpyxl reads no further). Raises ImportFileError with a Chinese message."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(_("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 格式后再导入。"))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _not_xlsx()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ARCHIVE_MEMBERS:
                raise _too_big(_("压缩包内文件超过 %(n)d 个") % {"n": MAX_ARCHIVE_MEMBERS})
            # Declared sizes are binding: zipfile stops at them and fails the CRC check on anything longer.
            if sum(info.file_size for info in members) > max_unpacked_bytes():
                raise _too_big(_("解压后超过 %(mb)d MB") % {"mb": max_unpacked_bytes() // (1024 * 1024)})
            types = _content_types(archive)
            totals = _PartScan()
            for info in members:
                if info.is_dir():
                    continue
                is_data = types.get(info.filename, "").endswith(_DATA_PART_TYPES)
                if not is_data and info.file_size > MAX_OTHER_PART_BYTES:
                    raise _too_big(_("“%(name)s”过大") % {"name": info.filename})
                if is_data or info.filename.endswith((".xml", ".rels")):
                    _scan_part(archive, info.filename, totals)
            return totals.last_data_row
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method
        raise _not_xlsx() from None


def _open_sheet(data: bytes) -> tuple[Any, Any, int]:
    last_row = check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        return workbook, workbook.worksheets[0], last_row
    except Exception:  # openpyxl raises many types (KeyError, InvalidFileException, …) for broken files
        raise _not_xlsx() from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _parse_date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("无法识别的日期“%(value)s”，请写成 2024-05-01 的形式。") % {"value": text})


def _choice(accepted: dict[str, Any], what: str, shown: Iterable[str]) -> Callable[[Any], Any]:
    options = "、".join(shown)

    def parse(value: Any) -> Any:
        text = _text(value)
        if not text:
            return None
        if text in accepted:
            return accepted[text]
        raise ValueError(
            _("无法识别的%(what)s“%(value)s”，可填：%(options)s。") % {"what": what, "value": text, "options": options}
        )

    return parse


def _labels(choices: Any) -> list[str]:
    return [str(label) for label in choices.labels]


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "text": _text,
    "site": _text,
    "date": _parse_date,
    "kind": _choice(_KIND, "网站类型", _labels(WebsiteKind)),
    "status": _choice(_STATUS, "状态", _labels(WebsiteStatus)),
    "level": _choice(_LEVEL, "等保级别", _labels(ProtectionLevel)),
    "result": _choice(_RESULT, "测评结论", _labels(AssessmentResult)),
    "passed": _choice(_PASSED, "检测结论", ["通过", "未通过"]),
}


def unit_spellings(unit: Unit) -> set[str]:
    """Every way the sheet may write this unit: its name, or its name with the division code."""
    code = unit.region.code
    return {unit.name, f"{unit.name}（{code}）", f"{unit.name}({code})"}


class _UnitResolver:
    """Find units by exact name among those the importer manages, remembering answers within one import.

    A cell that still names the unit stored on the entry keeps it, wherever that unit sits: a prefecture's
    site hosted on the regional platform has the region's centre as 承办单位, and its supervisor's own export
    must come back unchanged. Only a unit that is *set* has to be one the importer manages.
    """

    def __init__(self, by: AbstractBaseUser) -> None:
        self.units = units_visible_to(by).select_related("region")
        self.cache: dict[str, Unit] = {}

    def __call__(self, label: Any, current: Unit | None = None) -> Unit | None:
        text = _text(label)
        if not text:
            return None
        if current is not None and text in unit_spellings(current):
            return current
        if text not in self.cache:
            try:
                self.cache[text] = self._find(text)
            except ValueError as exc:
                if current is None:
                    raise
                raise ValueError(
                    _("%(error)s库中现为“%(current)s”，不改动可保持原值。") % {"error": exc, "current": current.name}
                ) from None
        return self.cache[text]

    def _find(self, text: str) -> Unit:
        matches = list(self.units.filter(name=text)[:2])
        if not matches and (m := _UNIT_WITH_CODE.match(text)):
            matches = list(self.units.filter(name=m["name"], region__code=m["code"])[:2])
        if not matches:
            raise ValueError(_("找不到名为“%(name)s”的机构，或该机构不在您的管理范围内。") % {"name": text})
        if len(matches) > 1:
            raise ValueError(
                _("有多个名为“%(name)s”的机构，请写成“名称（行政区划代码）”，如“%(example)s”。")
                % {"name": text, "example": f"{text}（{matches[0].region.code}）"}
            )
        return matches[0]


def _stored_entries(by: AbstractBaseUser, raw_rows: list[tuple[int, tuple]], code_index: int | None,
                    ) -> tuple[dict[str, Website], set[str]]:
    """The entries the rows name that the importer may see (with their units), and the codes of those
    registered but out of sight."""
    if code_index is None:
        return {}, set()
    codes = {_text(cells[code_index]) for _number, cells in raw_rows if code_index < len(cells)} - {""}
    entries = websites_visible_to(by).filter(site_code__in=codes).select_related(
        "supervising_unit__region", "owner_unit__region", "operator_unit__region")
    visible = {entry.site_code: entry for entry in entries}
    hidden = set(Website.objects.filter(site_code__in=codes - set(visible)).values_list("site_code", flat=True))
    return visible, hidden


def read_sheet_rows(sheet: Any, last_row: int) -> Iterable[tuple]:
    """The sheet's rows up to ``last_row`` (from ``check_archive``), 200 columns at most, as values.

    Parse errors surfacing only now (openpyxl reads lazily) are a broken file, not a server error."""
    if last_row < 1:
        return
    rows = sheet.iter_rows(max_row=last_row, max_col=200, values_only=True)
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception:  # noqa: BLE001 — expat/defusedxml/openpyxl errors of a damaged part
            raise _not_xlsx() from None
        yield cells


def _read_rows(sheet: Any, last_row: int, resolve_unit: _UnitResolver, errors: list[tuple[int, str]],
               by: AbstractBaseUser) -> list[_Row]:
    rows = iter(read_sheet_rows(sheet, last_row))
    header_index: dict[int, Column] = {}
    header_number = 0
    # Allow a title line or two above the header, as hand-made sheets often have.
    for number, cells in enumerate(rows, start=1):
        texts = [_text(c).rstrip("*＊").strip() for c in cells]
        if "网站标识码" in texts:
            header_number = number
            seen: set[str] = set()
            for index, text in enumerate(texts):
                if text in COLUMN_BY_HEADER:
                    if text in seen:
                        raise ImportFileError(_("表头“%(header)s”出现了不止一次。") % {"header": text})
                    seen.add(text)
                    header_index[index] = COLUMN_BY_HEADER[text]
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if not header_number:
        raise ImportFileError(_("没有找到表头行：第一行应为列名，且包含“网站标识码”等列。"))
    missing = [h for h in REQUIRED_HEADERS if h not in {c.header for c in header_index.values()}]
    if missing:
        raise ImportFileError(_("缺少必需的列：%(columns)s。") % {"columns": "、".join(missing)})

    raw_rows: list[tuple[int, tuple]] = []
    limit = max_rows()
    for number, cells in enumerate(rows, start=header_number + 1):
        if all(_text(c) == "" for c in cells):
            continue
        if len(raw_rows) >= limit:
            raise ImportFileError(_("数据超过 %(limit)d 行，请分批导入。") % {"limit": limit})
        raw_rows.append((number, cells))
    code_index = next((i for i, c in header_index.items() if c.key == "site_code"), None)
    stored, hidden = _stored_entries(by, raw_rows, code_index)

    parsed: list[_Row] = []
    for number, cells in raw_rows:
        values: dict[str, Any] = {}
        code = _text(cells[code_index]) if code_index is not None and code_index < len(cells) else ""
        if code in hidden:
            # Say only that: its unit cells would name units the importer cannot see, which is not the point.
            errors.append((number, row_message(number, "网站标识码", _hidden_site_message())))
            parsed.append(_Row(number, {"site_code": code}))
            continue
        entry = stored.get(code)
        for index, column in header_index.items():
            raw = cells[index] if index < len(cells) else None
            try:
                if column.kind == "unit":
                    values[column.key] = resolve_unit(raw, getattr(entry, column.key) if entry else None)
                else:
                    values[column.key] = _PARSERS[column.kind](raw)
            except ValueError as exc:
                errors.append((number, row_message(number, column.header, str(exc))))
        parsed.append(_Row(number, values))
    if not parsed:
        raise ImportFileError(_("文件中没有数据行。"))
    return parsed


def _processing_order(rows: list[_Row]) -> list[_Row]:
    """File order, except that a row merged into a site listed further down waits for that row."""
    pending_codes = {r.code for r in rows}
    order: list[_Row] = []
    remaining = rows
    while remaining:
        waiting = []
        for row in remaining:
            target = row.values.get("merged_into") or ""
            if target and target != row.code and target in pending_codes:
                waiting.append(row)
            else:
                order.append(row)
                pending_codes.discard(row.code)
        if len(waiting) == len(remaining):  # a cycle: let the service report it
            order.extend(waiting)
            break
        remaining = waiting
    return order


def row_message(number: int, header: str | None, text: str) -> str:
    """``第 5 行 网站标识码：……`` — how every row problem is worded."""
    if header:
        return _("第 %(row)d 行 %(column)s：%(message)s") % {"row": number, "column": header, "message": text}
    return _("第 %(row)d 行：%(message)s") % {"row": number, "message": text}


def _format_errors(number: int, exc: ValidationError, hint: str = "") -> list[str]:
    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.messages)]
    return [
        row_message(number, HEADER_FOR_ERROR_KEY.get(key), text + hint) for key, texts in items for text in texts
    ]


class _RowFailed(Exception):
    def __init__(self, messages: list[str]) -> None:
        self.messages = messages


def _pending_test(website: Website | None, values: dict[str, Any], number: int) -> dict[str, Any] | None:
    """The row's 安全检测 as arguments of ``do_record_security_test``, or None when the row gives none or it
    is already on file."""
    given = {k: values.get(k) for k in TEST_KEYS if values.get(k) not in (None, "")}
    if not given:
        return None
    missing = [HEADER_FOR_ERROR_KEY[k] for k in ("test_date", "test_tester", "test_passed") if k not in given]
    if missing:
        raise _RowFailed([row_message(
            number, _("安全检测"),
            _("安全检测日期、安全检测机构、安全检测结论须一并填写，缺少%(columns)s。") % {"columns": "、".join(missing)},
        )])
    test = {"tested_on": given["test_date"], "tester": given["test_tester"],
            "report_number": given.get("test_report", ""), "passed": given["test_passed"]}
    if website is not None and website.security_tests.filter(
        tested_on=test["tested_on"], tester=test["tester"], report_number=test["report_number"]
    ).exists():
        return None
    return test


def _import_row(row: _Row, by: AbstractBaseUser) -> str:
    """Apply one row through the services; returns "created", "updated" or "unchanged"."""
    values = row.values
    fields = {k: v for k, v in values.items() if k in services.EDITABLE_FIELDS}
    status = values.get("status")
    reason = values.get("status_reason", "")
    document = values.get("status_document", "")
    merged_code = values.get("merged_into") or None
    existing = Website.objects.filter(site_code=row.code).first() if row.code else None
    if "supervising_unit" in fields and fields["supervising_unit"] is None:
        # An empty 主管单位 means "the 主办单位 itself", as when registering in the admin.
        fields["supervising_unit"] = fields.get("owner_unit") or (existing.owner_unit if existing else None)

    if existing is None:
        status = status or WebsiteStatus.PLANNING
        if status in services.HISTORICAL_STATUSES:
            # A record of a site that is gone: its old security tests are not re-entered.
            services.do_register_website(
                fields, status=status, merged_into=merged_code, by=by, reason=reason, document_number=document
            )
            return "created"
        if merged_code:
            raise ValidationError({"merged_into": [_("只有已整合的网站才填写整合至。")]})
        test = _pending_test(None, values, row.number)
        website = services.do_register_website(fields, by=by)
        if test:
            services.do_record_security_test(website, by=by, **test)
        if status != WebsiteStatus.PLANNING:
            # Registering a site that already runs: the same 筹建 → 运行 gate as in the admin.
            try:
                services.do_change_status(
                    website,
                    WebsiteStatus.RUNNING,
                    by=by,
                    reason=reason or _("批量导入：登记已在运行的网站"),
                    document_number=document,
                )
            except ValidationError as exc:
                hint = _("新登记为“%(status)s”的网站，须在“安全检测日期、安全检测机构、安全检测结论”列填写一次通过的检测。")
                raise _RowFailed(
                    _format_errors(row.number, exc, hint % {"status": WebsiteStatus(status).label})
                ) from None
            if status != WebsiteStatus.RUNNING:
                services.do_change_status(
                    website, status, by=by, reason=reason or _("批量导入：登记现状"), document_number=document
                )
        return "created"

    website = websites_visible_to(by).filter(pk=existing.pk).first()
    if website is None:
        raise _RowFailed(
            [row_message(row.number, "网站标识码", _hidden_site_message())]
        )
    differing = services.changed_fields(website, fields)
    new_test = _pending_test(website, values, row.number)
    status_changes = bool(status) and status != website.status
    stored_target = website.merged_into.site_code if website.merged_into_id else None
    if not status_changes and "merged_into" in values and (merged_code or None) != stored_target:
        raise ValidationError({"merged_into": [_("整合目标只能在变更为“已整合”时指定，不能单独修改。")]})
    if not (differing or new_test or status_changes):
        # Nothing to do, so nothing to be allowed: a row the importer may only read comes back unchanged.
        return "unchanged"
    try:
        website = access_website(by, pk=existing.pk, for_change=True)
    except PermissionDenied:
        columns = [HEADER_FOR_ERROR_KEY[key] for key in differing]
        columns += [_("安全检测")] if new_test else []
        columns += [_("状态")] if status_changes else []
        raise _RowFailed([row_message(
            row.number, "网站标识码",
            _("您可以查看但无权修改该网站的登记信息，本行与库中不同的列：%(columns)s。") % {"columns": "、".join(columns)},
        )]) from None
    if differing:
        services.do_update_website(website, differing, by=by)
    if new_test:
        services.do_record_security_test(website, by=by, **new_test)
    if status_changes:
        target = merged_code if status == WebsiteStatus.MERGED else None
        services.do_change_status(
            website, status, by=by, reason=reason, document_number=document, merged_into=target
        )
    return "updated"


def import_websites(
    file: IO[bytes] | bytes, *, by: AbstractBaseUser, request: HttpRequest | None = None
) -> ImportResult:
    """导入: register or update websites from an .xlsx sheet; all rows or none (see the module docstring).

    Never raises for bad input: problems with the file or rows come back in ``ImportResult.errors``.
    Raises PermissionDenied only when the user may not change the registry at all.
    """
    if not units_visible_to(by).exists():
        raise PermissionDenied(_("无权导入网站信息。"))
    result = ImportResult()
    name = getattr(file, "name", "")
    row_errors: list[tuple[int, str]] = []
    workbook = None
    try:
        data = _read_bytes(file)
        workbook, sheet, last_row = _open_sheet(data)
        rows = _read_rows(sheet, last_row, _UnitResolver(by), row_errors, by)
    except ImportFileError as exc:
        result.errors = [str(exc)]
        record_audit(by, "registry.import", None, result="failure", request=request, file=name, errors=result.errors)
        return result
    finally:
        if workbook is not None:
            workbook.close()

    failed_rows = {number for number, _message in row_errors}
    first_row: dict[str, int] = {}
    for row in rows:
        if row.code and row.code in first_row:
            row_errors.append((row.number, row_message(
                row.number, "网站标识码", _("与第 %(row)d 行重复。") % {"row": first_row[row.code]})))
            failed_rows.add(row.number)
        first_row.setdefault(row.code, row.number)

    messages: list[tuple[int, str]] = list(row_errors)
    with transaction.atomic():
        for row in _processing_order(rows):
            if row.number in failed_rows:
                continue
            try:
                with transaction.atomic():
                    outcome = _import_row(row, by)
            except ValidationError as exc:
                messages += [(row.number, m) for m in _format_errors(row.number, exc)]
            except _RowFailed as exc:
                messages += [(row.number, m) for m in exc.messages]
            except (Http404, PermissionDenied) as exc:
                messages.append((row.number, row_message(row.number, None, str(exc))))
            else:
                setattr(result, outcome, getattr(result, outcome) + 1)
        if messages:
            transaction.set_rollback(True)

    if messages:
        result = ImportResult(errors=[m for _n, m in sorted(messages, key=lambda item: item[0])])
        record_audit(by, "registry.import", None, result="failure", request=request, file=name,
                     errors=result.errors[:50])
    else:
        record_audit(by, "registry.import", None, request=request, file=name, created=result.created,
                     updated=result.updated, unchanged=result.unchanged)
    return result
