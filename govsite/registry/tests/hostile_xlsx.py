"""Hand-written .xlsx archives (raw XML in a zip) for the import's bounds: what openpyxl would choke on."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
    '<sheets><sheet name="政府网站基本信息库" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/></Relationships>'
)
HEADERS = ("网站标识码", "网站名称", "网站类型", "主办单位", "首页网址")


def styles(extra_formats: int = 0) -> str:
    xfs = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * (1 + extra_formats)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">'
        '<fonts count="1"><font><sz val="11"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{1 + extra_formats}">{xfs}</cellXfs></styleSheet>'
    )


def inline_row(number: int, values: tuple[str, ...]) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def worksheet(rows: str, dimension: str = "A1:E2") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def shared_strings(*texts: str) -> str:
    items = "".join(f"<si><t>{t if t.isalnum() else escape(t)}</t></si>" for t in texts)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{len(texts)}">{items}</sst>'


def archive(sheet: str, strings: str | None = None, style: str | None = None, extra: dict | None = None) -> bytes:
    """An .xlsx file from its parts, deflated as hard as zip can (which is what makes bombs small)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", strings or shared_strings())
        z.writestr("xl/styles.xml", style or styles())
        for name, content in (extra or {}).items():
            z.writestr(name, content)
    return buffer.getvalue()


def valid_header_only() -> bytes:
    return archive(worksheet(inline_row(1, HEADERS), "A1:E1"))


def far_row(number: int = 100_000_000) -> bytes:
    """A header, then one data row at ``number`` (the dimension says so too)."""
    row = inline_row(number, ("9901000001", "甲市人民政府网", "政府门户网站", "甲市人民政府", "https://www.jia.gov.cn/"))
    return archive(worksheet(inline_row(1, HEADERS) + row, f"A1:E{number}"))


def huge_shared_string(chars: int) -> bytes:
    """One shared string of ``chars`` characters, referenced by a cell of the first data row."""
    header = inline_row(1, HEADERS)
    row = '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return archive(worksheet(header + row), shared_strings("a" * chars))


def many_shared_strings(count: int) -> bytes:
    header = inline_row(1, HEADERS)
    strings = f'<?xml version="1.0"?><sst xmlns="{MAIN}">' + "<si><t>x</t></si>" * count + "</sst>"
    return archive(worksheet(header), strings)


def bloated_styles(formats: int) -> bytes:
    return archive(worksheet(inline_row(1, HEADERS), "A1:E1"), style=styles(formats))


def entity_expansion() -> bytes:
    """The 'billion laughs': a DTD whose entities expand exponentially."""
    dtd = '<!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    ) + "]>"
    sheet = (
        f'<?xml version="1.0"?>{dtd}<worksheet xmlns="{MAIN}"><sheetData>{inline_row(1, HEADERS)}'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>&i;</t></is></c></row></sheetData></worksheet>'
    )
    return archive(sheet)


def full_sized(rows: int, columns: tuple[str, ...]) -> bytes:
    """A legitimate sheet at the row limit with every column filled (inline strings, written directly)."""
    letters = [chr(65 + i) if i < 26 else "A" + chr(65 + i - 26) for i in range(len(columns))]

    def row(number: int, values: list[str]) -> str:
        cells = "".join(f'<c r="{letters[i]}{number}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
                        for i, v in enumerate(values))
        return f'<row r="{number}">{cells}</row>'

    body = [row(1, list(columns))]
    for n in range(rows):
        body.append(row(n + 2, [f"99{n:08d}", f"示范网站{n}", "部门网站"] + [f"第{n}行的文字内容" * 3] * (len(columns) - 3)))
    return archive(worksheet("".join(body), f"A1:{letters[-1]}{rows + 1}"))
