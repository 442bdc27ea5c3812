"""附件文本提取: pull the text out of a file (an uploaded attachment, a monitored site's 附件).

`extract` turns a file into `TextSegment`s, each with a `location` a reviewer can find again: a paragraph
or table cell of a Word document (.docx, and .doc/.wps through `msword`), a cell of a worksheet (.xlsx,
and .xls/.et through xlrd), a page of a PDF, a block or table cell of an HTML page, a line of a text or
RTF file; the members of a .zip archive are read one level deep, each location carrying the member's name.
The compliance engine checks the segments (`checks/files.py: check_file`); the monitor keeps their text
(`monitoring/decode.py`). Neither is imported here: this module is shared, not a check.

Files are untrusted: everything that can go wrong raises a `FileCheckError` whose message can be shown to
the editor as it is. Sizes are capped before parsing (file size, unpacked size of Office zips, number of
worksheet cells, members of an archive), so a small upload cannot unpack into gigabytes.
"""

from __future__ import annotations

import codecs
import datetime
import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

Source = str | os.PathLike[str] | bytes | bytearray | IO[bytes]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Unpacked size of all entries of a .docx/.xlsx; real documents stay far below, zip bombs far above.
DEFAULT_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_CELLS = 2_000_000
MAX_ZIP_ENTRIES = 10_000
EXCEL_MAX_ROWS = 1_048_576

SUPPORTED = ".txt、.html、.rtf、.doc、.docx、.wps、.xls、.xlsx、.et、.pdf、.zip"
DOCX_EXTENSIONS = frozenset({".docx", ".docm", ".dotx", ".dotm"})
XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".shtml"})
TEXT_EXTENSIONS = frozenset({".txt", ".text", ".csv", ".md", ".log"})
# Binary Office formats (OLE compound files): names for messages about a file that is not what it says.
OLD_OFFICE_NAMES = {
    ".doc": "Word 97-2003（.doc）文档", ".dot": "Word 97-2003（.dot）模板", ".wps": "WPS 文字（.wps）文档",
    ".xls": "Excel 97-2003（.xls）工作簿", ".xlt": "Excel 97-2003（.xlt）模板", ".et": "WPS 表格（.et）工作簿",
    ".ppt": "PowerPoint（.ppt）演示文稿", ".dps": "WPS 演示（.dps）文稿",
}
ARCHIVE_EXTENSIONS = frozenset({".zip", ".rar", ".7z", ".gz", ".tgz", ".bz2", ".xz", ".tar"})
MAX_ARCHIVE_MEMBERS = 200
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileCheckError(Exception):
    """附件无法检查: the base of every error raised here; `str(error)` is a Chinese message for the editor."""


class UnsupportedFile(FileCheckError):
    """不支持的文件类型 (old .doc/.xls, images, presentations …)."""


class UnreadableFile(FileCheckError):
    """文件损坏或无法读取 (broken zip, encrypted PDF, unknown text encoding …)."""


class FileTooLarge(FileCheckError):
    """文件过大: over the size cap, or an Office file that would unpack to too much (zip bomb)."""


@dataclass(frozen=True, slots=True)
class TextSegment:
    """文本片段: a piece of a file's text and where it is (paragraph, cell, page, line …)."""

    text: str
    location: dict[str, Any] = field(default_factory=dict)


# -- public API ------------------------------------------------------------------------------------------


def extract(
    source: Source,
    *,
    filename: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES,
    max_cells: int = DEFAULT_MAX_CELLS,
    problems: list[dict[str, str]] | None = None,
) -> list[TextSegment]:
    """The text segments of an attachment (附件文本提取), in document order; blank segments are left out.

    `source` is a path, the file's bytes or a binary file object; `filename` (or the path) gives the
    extension, but the content decides: a .doc that is really a .docx (or HTML) is read as such.
    Members of an archive that cannot be read are skipped and described in `problems` (member, reason).
    """
    if isinstance(source, str | os.PathLike):
        filename = filename or os.fspath(source)
    data = read_source(source, max_bytes)
    limits = {"max_unpacked_bytes": max_unpacked_bytes, "max_cells": max_cells}
    kind = detect_format(data, filename, max_unpacked_bytes=max_unpacked_bytes)
    if kind == "zip":
        return list(_zip_segments(data, limits, problems if problems is not None else []))
    return _segments_of(kind, data, limits)


def _segments_of(kind: str, data: bytes, limits: dict[str, int]) -> list[TextSegment]:
    if kind == "docx":
        return list(_docx_segments(data))
    if kind == "xlsx":
        return list(_xlsx_segments(data, max_cells=limits["max_cells"]))
    if kind == "doc":
        return list(_doc_segments(data))
    if kind == "xls":
        return list(_xls_segments(data, max_cells=limits["max_cells"]))
    if kind == "pdf":
        return list(_pdf_segments(data))
    if kind == "html":
        return list(_html_segments(data))
    if kind == "rtf":
        return list(_rtf_segments(data))
    return list(_text_segments(data))


def describe_location(location: dict[str, Any]) -> str:
    """A location as a reviewer reads it (位置), e.g. "工作表“公示名单” B3 单元格" or "第 2 页"."""
    parts: list[str] = []
    if "member" in location:
        parts.append(f"压缩包内文件“{location['member']}”")
    if "sheet" in location:
        hidden = "（隐藏工作表）" if location.get("hidden") else ""
        parts.append(f"工作表“{location['sheet']}”{hidden} {location.get('cell', '')} 单元格")
    if "page" in location:
        parts.append(f"第 {location['page']} 页")
    if "part" in location:
        parts.append(_PART_LABELS.get(re.sub(r"\d+$", "", location["part"]), location["part"]))
    if "table" in location:
        parts.append(f"第 {location['table']} 个表格第 {location['row']} 行第 {location['col']} 列")
    if "paragraph" in location:
        parts.append(f"第 {location['paragraph']} 段")
    if "textbox" in location:
        parts.append(f"文本框 {location['textbox']}")
    if "line" in location:
        column = f"第 {location['column']} 字" if "column" in location else ""
        parts.append(f"第 {location['line']} 行{column}")
    if "path" in location:
        parts.append(f"（{location['path']}）")
    return " ".join(parts)


_PART_LABELS = {"header": "页眉", "footer": "页脚", "footnotes": "脚注", "endnotes": "尾注", "comments": "批注",
                "textboxes": "文本框", "header_textboxes": "页眉文本框"}


# -- reading and recognising -----------------------------------------------------------------------------


def read_source(source: Source, max_bytes: int) -> bytes:
    """The bytes of a path, bytes or binary file, at most `max_bytes` (`FileTooLarge` beyond)."""
    too_large = FileTooLarge(f"文件超过 {max_bytes / 1024 / 1024:.0f} MB，已拒绝检查。")
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            if path.stat().st_size > max_bytes:
                raise too_large
            with path.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except FileNotFoundError:
            raise UnreadableFile(f"找不到文件：{path}") from None
        except IsADirectoryError:
            raise UnreadableFile(f"这是一个目录，不是文件：{path}") from None
        except OSError as error:
            raise UnreadableFile(f"无法读取文件 {path}：{error.strerror or error}") from None
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    return data


def detect_format(data: bytes, filename: str | None, *, max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES) -> str:
    """Which reader a file needs: "docx", "xlsx", "doc", "xls", "pdf", "html", "rtf", "zip" or "txt"
    (content first, then extension)."""
    extension = os.path.splitext(filename or "")[1].lower()
    if data.startswith(OLE_MAGIC):
        return _ole_format(data)
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK"):
        return _office_format(data, max_unpacked_bytes)
    if extension in DOCX_EXTENSIONS:
        raise UnreadableFile("文件已损坏，或不是有效的 Word（.docx）文档。")
    if extension in XLSX_EXTENSIONS:
        raise UnreadableFile("文件已损坏，或不是有效的 Excel（.xlsx）文件。")
    if extension == ".pdf":
        raise UnreadableFile("文件已损坏，或不是有效的 PDF 文件。")
    if extension == ".zip":
        raise UnreadableFile("文件已损坏，或不是有效的 zip 压缩包。")
    if extension in HTML_EXTENSIONS:
        return "html"
    if extension in TEXT_EXTENSIONS:
        return "txt"
    head = data[:8192]
    if re.search(rb"<(!doctype\s+html|html[\s>]|body[\s>]|meta[\s>])", head.lower()):
        return "html"  # many ".doc" attachments on real sites are Word's HTML export
    if extension in OLD_OFFICE_NAMES:
        raise UnreadableFile(f"文件已损坏，或不是有效的{OLD_OFFICE_NAMES[extension]}。")
    if extension in ARCHIVE_EXTENSIONS:
        raise UnsupportedFile(f"不支持 {extension} 压缩包：可检查 {SUPPORTED} 文件（压缩包只支持 .zip）。")
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnsupportedFile(f"不支持的文件类型{f'（{extension}）' if extension else ''}：可检查 {SUPPORTED} 文件。")
    return "txt"


def _ole_format(data: bytes) -> str:
    """"doc" or "xls" for an OLE compound file (Word/WPS 文字, Excel/WPS 表格), by the streams it holds."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except Exception:  # olefile raises OSError and its own errors on broken containers
        raise UnreadableFile("文件已损坏：无法按 Office 97-2003 文档（OLE 复合文档）打开。") from None
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        raise UnreadableFile("Office 文档已加密，需要密码才能读取，请提供未加密的文件。")
    if "WordDocument" in streams:
        return "doc"
    if "Workbook" in streams or "Book" in streams:
        return "xls"
    if "PowerPoint Document" in streams:
        raise UnsupportedFile(f"不支持演示文稿（.ppt/.dps）：可检查 {SUPPORTED} 文件。")
    raise UnsupportedFile(f"不支持的 Office 97-2003 文档类型：可检查 {SUPPORTED} 文件。")


_WORD_MAIN = re.compile(rb"(wordprocessingml|ms-word)\.[\w.-]*main\+xml")
_EXCEL_MAIN = re.compile(rb"(spreadsheetml|ms-excel)\.[\w.-]*main\+xml")


def _office_format(data: bytes, max_unpacked_bytes: int) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise FileTooLarge(f"文件包含的部件超过 {MAX_ZIP_ENTRIES} 个，已拒绝检查。")
            # zipfile never unpacks more than an entry's declared size, so the declared sizes are a real bound.
            if sum(entry.file_size for entry in entries) > max_unpacked_bytes:
                raise FileTooLarge(
                    f"文件解压后超过 {max_unpacked_bytes / 1024 / 1024:.0f} MB（可能是“压缩炸弹”），已拒绝检查。"
                )
            try:
                content_types = archive.read("[Content_Types].xml")[:1_000_000]
            except KeyError:
                return "zip"  # an archive of attachments, not an Office document
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError):
        raise UnreadableFile("文件已损坏：无法按 Office 文档（zip 格式）打开。") from None
    if _WORD_MAIN.search(content_types):
        return "docx"
    if _EXCEL_MAIN.search(content_types):
        return "xlsx"
    raise UnsupportedFile(f"不支持的 Office 文档类型（如演示文稿）：可检查 {SUPPORTED} 文件。")


def decode_text(data: bytes) -> str:
    """Decode a text file (文本编码识别): by its BOM, else UTF-8, else GB18030 (which covers GBK and GB2312)."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                raise UnreadableFile(f"文本按其字节序标记（{encoding}）无法解码，文件可能已损坏。") from None
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("无法识别文本编码（既不是 UTF-8 也不是 GBK/GB18030），请另存为 UTF-8 后再检查。")


# -- plain text ------------------------------------------------------------------------------------------


def _text_segments(data: bytes) -> Iterator[TextSegment]:
    for number, line in enumerate(decode_text(data).split("\n"), start=1):
        line = line.removesuffix("\r")
        if line.strip():
            yield TextSegment(line, {"line": number})


# -- HTML ------------------------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html li main nav ol option p pre section summary "
    "table tbody td tfoot th thead title tr ul legend".split()
)
_HIDDEN_TAGS = frozenset({"script", "style", "template"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)


def _decode_html(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data)
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = "gb18030" if name in {"gb2312", "gbk", "gb_2312-80", "x-gbk"} else name
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


def _html_segments(data: bytes) -> Iterator[TextSegment]:
    import lxml.etree
    import lxml.html

    # lxml refuses a str that still carries an XML encoding declaration; the line count stays the same.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", _decode_html(data), count=1)
    if not text.strip():
        return
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        raise UnreadableFile("无法解析 HTML 文件。") from None
    tree = root.getroottree()
    blocks: list[tuple[list[str], Any, Any]] = []  # (text parts, block element, element the text starts at)
    current: list[Any] = [[], root, None]

    def flush(anchor: Any) -> None:
        parts, block, first = current
        if "".join(parts).strip():
            blocks.append((parts, block, first))
        current[:] = [[], anchor, None]

    def add(piece: str | None, source: Any) -> None:
        if piece:
            if current[2] is None and piece.strip():
                current[2] = source
            current[0].append(piece)

    def visit(element: Any, block: Any) -> None:
        if not isinstance(element.tag, str) or element.tag.lower() in _HIDDEN_TAGS:
            return  # comments, processing instructions and invisible content; their tail is visited by the caller
        is_block = element.tag.lower() in _BLOCK_TAGS
        if is_block:
            flush(element)
        add(element.text, element)
        for child in element:
            visit(child, element if is_block else block)
            add(child.tail, child)
        if is_block:
            flush(block)

    visit(root, root)
    flush(root)
    cells = _html_cells(root)
    for parts, block, first in blocks:
        collapsed = re.sub(r"\s+", " ", "".join(parts)).strip()
        line = (first if first is not None else block).sourceline
        location: dict[str, Any] = {"line": line, "path": tree.getpath(block)}
        cell = next((cells[e] for e in block.iterancestors(("td", "th")) if e in cells), None) \
            if block.tag not in ("td", "th") else cells.get(block)
        if cell is not None:
            location.update(table=cell[0], row=cell[1], col=cell[2])
        yield TextSegment(collapsed, location)


def _html_cells(root: Any) -> dict[Any, tuple[int, int, int]]:
    """(table, row, column) of every td/th, tables numbered in document order, columns counting colspan."""
    cells: dict[Any, tuple[int, int, int]] = {}
    for table_number, table in enumerate(root.iter("table"), start=1):
        rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]
        for row_number, tr in enumerate(rows, start=1):
            column = 1
            for cell in tr.iterchildren("td", "th"):
                cells[cell] = (table_number, row_number, column)
                try:
                    column += max(1, min(100, int(cell.get("colspan", "1"))))
                except ValueError:
                    column += 1
    return cells


# -- Word ------------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIPPED_IN_PARAGRAPH = frozenset({f"{_W}pPr", f"{_W}rPr", f"{_W}txbxContent", f"{_W}p", _MC_FALLBACK})
_WORD_PARTS = re.compile(r"/word/(header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")


def _docx_segments(data: bytes) -> Iterator[TextSegment]:
    import docx
    from docx.oxml.parser import parse_xml

    try:
        try:
            document = docx.Document(io.BytesIO(data))
        except KeyError:
            # A relationship to a part the package lacks (WPS leaves image relations whose media is gone):
            # the text does not need the target, so read the package without such relationships.
            document = docx.Document(io.BytesIO(_without_dangling_relationships(data)))
        body = document.element.body
        parts: list[tuple[str, Any]] = []
        for part in document.part.package.iter_parts():
            if match := _WORD_PARTS.search(str(part.partname)):
                # python-docx gives headers and comments an element; footnotes stay a blob (its parser is safe).
                element = part.element if hasattr(part, "element") else parse_xml(part.blob)
                parts.append((match.group(1), element))
        parts.sort(key=lambda item: _natural_key(item[0]))
    except Exception:  # python-docx raises KeyError, ValueError, lxml errors … for broken packages
        raise UnreadableFile("文件已损坏，或不是有效的 Word（.docx）文档。") from None
    yield from _word_blocks(body, {})
    for name, element in parts:
        yield from _word_blocks(element, {"part": name})


_RELATIONSHIP_RE = re.compile(rb"<Relationship\b[^>]*?/>", re.DOTALL)
_TARGET_RE = re.compile(rb'Target="([^"]*)"')


def _without_dangling_relationships(data: bytes) -> bytes:
    """The package with every internal relationship whose target part is missing removed from its .rels."""
    import posixpath
    from urllib.parse import unquote

    source = zipfile.ZipFile(io.BytesIO(data))
    names = set(source.namelist())
    output = io.BytesIO()
    with source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as repaired:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename.endswith(".rels"):
                folder = posixpath.dirname(posixpath.dirname(entry.filename))  # word/_rels/x.rels → word

                def keep(match: re.Match[bytes], folder: str = folder) -> bytes:
                    relationship = match.group(0)
                    target = _TARGET_RE.search(relationship)
                    if target is None or b'TargetMode="External"' in relationship:
                        return relationship
                    path = unquote(target.group(1).decode("utf-8", "replace"))
                    resolved = path.lstrip("/") if path.startswith("/") else posixpath.normpath(
                        posixpath.join(folder, path))
                    return relationship if resolved in names else b""

                content = _RELATIONSHIP_RE.sub(keep, content)
            repaired.writestr(entry, content)
    return output.getvalue()


def _word_blocks(container: Any, base: dict[str, Any]) -> Iterator[TextSegment]:
    paragraph_number = 0
    table_number = 0
    for element in _block_children(container):
        if element.tag == f"{_W}p":
            paragraph_number += 1
            location = {**base, "paragraph": paragraph_number}
            text = _paragraph_text(element)
            if text.strip():
                yield TextSegment(text, location)
            textboxes = [box for box in element.iter(f"{_W}txbxContent") if not _in_fallback(box, element)]
            for number, box in enumerate(textboxes, start=1):
                text = _block_text(box)
                if text.strip():
                    yield TextSegment(text, {**location, "textbox": number})
        elif element.tag == f"{_W}tbl":
            table_number += 1
            for row_number, row in enumerate(element.iterchildren(f"{_W}tr"), start=1):
                column = 1 + _grid_before(row)
                for cell in row.iterchildren(f"{_W}tc"):
                    text = _block_text(cell)
                    if text.strip():
                        location = {**base, "table": table_number, "row": row_number, "col": column}
                        yield TextSegment(text, location)
                    column += _grid_span(cell)


def _natural_key(name: str) -> tuple[str, int]:
    match = re.fullmatch(r"(\D+)(\d*)", name)
    return (match.group(1), int(match.group(2) or 0)) if match else (name, 0)


def _block_children(container: Any) -> Iterator[Any]:
    """Paragraphs and tables of a body or part, looking through content controls (w:sdt) and custom XML."""
    for child in container.iterchildren():
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}customXml"):
            content = child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child
            if content is not None:
                yield from _block_children(content)


def _paragraph_text(paragraph: Any) -> str:
    """The visible text of one w:p: runs, hyperlinks, content controls, tracked insertions; no text boxes."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag == f"{_W}tab":
                parts.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            elif isinstance(tag, str) and tag not in _SKIPPED_IN_PARAGRAPH:
                walk(child)

    walk(paragraph)
    return "".join(parts)


def _block_text(element: Any) -> str:
    """All paragraphs under a table cell or text box, one per line (nested tables and text boxes included)."""
    paragraphs = [p for p in element.iter(f"{_W}p") if not _in_fallback(p, element)]
    return "\n".join(_paragraph_text(p) for p in paragraphs)


def _in_fallback(element: Any, stop: Any) -> bool:
    """Inside an mc:Fallback, the copy of a text box Word keeps for old readers (it would count twice)."""
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == _MC_FALLBACK:
            return True
        parent = parent.getparent()
    return False


def _grid_before(row: Any) -> int:
    found = row.find(f"{_W}trPr/{_W}gridBefore")
    return _int_attribute(found)


def _grid_span(cell: Any) -> int:
    found = cell.find(f"{_W}tcPr/{_W}gridSpan")
    return max(1, _int_attribute(found))


def _int_attribute(element: Any) -> int:
    if element is None:
        return 0
    try:
        return int(element.get(f"{_W}val", "0"))
    except ValueError:
        return 0


# -- Excel -----------------------------------------------------------------------------------------------


def _xlsx_segments(data: bytes, *, max_cells: int) -> Iterator[TextSegment]:
    from openpyxl import load_workbook

    broken = UnreadableFile("文件已损坏，或不是有效的 Excel（.xlsx）文件。")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types (KeyError, InvalidFileException, …) for broken files
        raise broken from None
    cells = 0
    try:
        for sheet in workbook.worksheets:
            hidden = getattr(sheet, "sheet_state", "visible") != "visible"
            # The declared dimension can claim XFD1048576; read only the cells the sheet really has.
            sheet.reset_dimensions()
            rows = 0
            try:
                for row in sheet.iter_rows():
                    rows += 1
                    cells += len(row)
                    if rows > EXCEL_MAX_ROWS:
                        raise broken
                    if cells > max_cells:
                        raise FileTooLarge(f"工作簿的单元格超过 {max_cells} 个，已拒绝检查，请拆分后再检查。")
                    for cell in row:
                        text = _cell_text(cell.value)
                        if text.strip():
                            location: dict[str, Any] = {
                                "sheet": sheet.title, "cell": cell.coordinate, "row": cell.row, "col": cell.column,
                            }
                            if hidden:
                                location["hidden"] = True
                            yield TextSegment(text, location)
            except FileCheckError:
                raise
            except Exception:
                raise broken from None
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        # Phone and ID numbers typed as numbers come back as floats; show them as Excel shows the digits.
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


# -- Word 97-2003 and WPS 文字 (.doc, .wps) ---------------------------------------------------------------


def _doc_segments(data: bytes) -> Iterator[TextSegment]:
    from . import msword

    paragraphs: dict[str, int] = {}
    try:
        for block in msword.blocks(data):
            location = msword.describe(block)
            if block.table is None:
                paragraphs[block.part] = paragraphs.get(block.part, 0) + 1
                location["paragraph"] = paragraphs[block.part]
            if block.text.strip():
                yield TextSegment(block.text, location)
    except msword.WordFormatError as error:
        raise UnreadableFile(str(error)) from None
    except Exception:  # a hostile file may trip the reader anywhere; the editor gets a message, not a crash
        raise UnreadableFile("文件已损坏：Word 97-2003 文档结构无效。") from None


# -- Excel 97-2003 and WPS 表格 (.xls, .et) ---------------------------------------------------------------


def _xls_segments(data: bytes, *, max_cells: int) -> Iterator[TextSegment]:
    import xlrd
    from openpyxl.utils import get_column_letter

    broken = UnreadableFile("文件已损坏，或不是有效的 Excel 97-2003（.xls）工作簿。")
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except xlrd.XLRDError as error:
        if "encrypt" in str(error).lower():
            raise UnreadableFile("工作簿已加密，需要密码才能读取，请提供未加密的文件。") from None
        raise broken from None
    except Exception:  # xlrd raises struct.error, IndexError, AssertionError … on broken files
        raise broken from None
    cells = 0
    try:
        for index in range(book.nsheets):
            try:
                sheet = book.sheet_by_index(index)
            except Exception:
                raise broken from None
            hidden = sheet.visibility != 0
            for row_index in range(sheet.nrows):
                row = sheet.row(row_index)
                cells += len(row)
                if cells > max_cells:
                    raise FileTooLarge(f"工作簿的单元格超过 {max_cells} 个，已拒绝检查，请拆分后再检查。")
                for column_index, cell in enumerate(row):
                    text = _xls_cell_text(cell, book.datemode)
                    if text.strip():
                        location: dict[str, Any] = {
                            "sheet": sheet.name, "cell": f"{get_column_letter(column_index + 1)}{row_index + 1}",
                            "row": row_index + 1, "col": column_index + 1,
                        }
                        if hidden:
                            location["hidden"] = True
                        yield TextSegment(text, location)
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _xls_cell_text(cell: Any, datemode: int) -> str:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return _cell_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return _cell_text(xlrd.xldate.xldate_as_datetime(cell.value, datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return _cell_text(cell.value)
    return _cell_text(cell.value)


# -- RTF -------------------------------------------------------------------------------------------------

_RTF_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")
# Page headers and footers: striprtf drops these groups, and a 密级 marking is often printed there.
MAX_RTF_GROUPS = 24
_RTF_HEADER_START = re.compile(r"\{\\(header|footer)[lrf]?(?![a-z])")


def _rtf_groups(text: str, pattern: re.Pattern[str]) -> Iterator[tuple[str, str]]:
    """(name, body) of the first `MAX_RTF_GROUPS` groups whose first control word matches `pattern`."""
    for count, match in enumerate(pattern.finditer(text)):
        if count >= MAX_RTF_GROUPS:  # each group is scanned to its end: bounded, whatever the file holds
            return
        depth, position = 0, match.start()
        while position < len(text):
            char = text[position]
            if char == "\\":
                position += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    break
            position += 1
        yield match.group(1), text[match.end() : position]


def _rtf_segments(data: bytes) -> Iterator[TextSegment]:
    """Lines of an RTF file; table rows come out as one line with cells separated by "|"."""
    from striprtf.striprtf import rtf_to_text

    codepage = _RTF_CODEPAGE.search(data[:4096])
    encoding = f"cp{codepage.group(1).decode()}" if codepage else "gb18030"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "gb18030"
    source = data.decode("latin-1")
    try:
        text = rtf_to_text(source, encoding=encoding, errors="replace")
        parts = [(name, rtf_to_text("{\\rtf1 " + body + "}", encoding=encoding, errors="replace"))
                 for name, body in _rtf_groups(source, _RTF_HEADER_START)]
    except Exception:  # striprtf raises on unbalanced groups and the like
        raise UnreadableFile("文件已损坏，或不是有效的 RTF 文档。") from None
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if line.strip():
            yield TextSegment(line, {"line": number})
    seen: set[str] = set()
    for name, part_text in parts:
        if part_text.strip() and part_text not in seen:  # the same header is often repeated per section
            seen.add(part_text)
            for number, line in enumerate(part_text.strip().split("\n"), start=1):
                if line.strip():
                    yield TextSegment(line.strip(), {"part": name, "paragraph": number})


# -- archives (.zip, one level deep) ---------------------------------------------------------------------


def _member_name(entry: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it: Chinese Windows tools write GBK names without the UTF-8 flag."""
    if entry.flag_bits & 0x800:
        return entry.filename
    try:
        return entry.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return entry.filename


def _zip_segments(data: bytes, limits: dict[str, int], problems: list[dict[str, str]]) -> Iterator[TextSegment]:
    """The segments of every file in a .zip, each location starting with the member's name; archives inside
    are not opened (one level deep). Sizes were bounded by `detect_format` (entries, total unpacked size)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile("文件已损坏，或不是有效的 zip 压缩包。") from None
    with archive:
        members = [entry for entry in archive.infolist() if not entry.is_dir()]
        if len(members) > MAX_ARCHIVE_MEMBERS:
            raise FileTooLarge(f"压缩包内的文件超过 {MAX_ARCHIVE_MEMBERS} 个，已拒绝检查，请拆分后再检查。")
        for entry in members:
            name = _member_name(entry)
            extension = os.path.splitext(name)[1].lower()
            if entry.flag_bits & 0x1:
                problems.append({"member": name, "reason": "压缩包内的文件已加密，无法读取"})
                continue
            if extension in ARCHIVE_EXTENSIONS:
                problems.append({"member": name, "reason": "压缩包内的压缩包不再展开检查（只检查一层）"})
                continue
            try:
                content = archive.read(entry)
                kind = detect_format(content, name, max_unpacked_bytes=limits["max_unpacked_bytes"])
                if kind == "zip":
                    problems.append({"member": name, "reason": "压缩包内的压缩包不再展开检查（只检查一层）"})
                    continue
                segments = _segments_of(kind, content, limits)
            except FileCheckError as error:
                problems.append({"member": name, "reason": str(error).rstrip("。")})
                continue
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
                problems.append({"member": name, "reason": "压缩包内的文件已损坏，无法解压"})
                continue
            for segment in segments:
                yield TextSegment(segment.text, {"member": name, **segment.location})


# -- PDF -------------------------------------------------------------------------------------------------


def _pdf_segments(data: bytes) -> Iterator[TextSegment]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, LimitReachedError

    too_large = FileTooLarge("PDF 内容解压后过大，已拒绝检查。")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile("PDF 文件已加密，需要密码才能读取，请提供未加密的文件。")
        pages = list(reader.pages)
    except FileCheckError:
        raise
    except DependencyError:
        raise UnreadableFile("PDF 文件已加密，服务器缺少解密组件，无法读取，请提供未加密的文件。") from None
    except LimitReachedError:
        raise too_large from None
    except Exception:  # pypdf raises PdfReadError, ValueError, KeyError … on broken files
        raise UnreadableFile("文件已损坏，或不是有效的 PDF 文件。") from None
    for number, page in enumerate(pages, start=1):
        try:
            try:
                # Layout mode keeps a table's row on one line with its columns apart (for `layout`).
                text = page.extract_text(extraction_mode="layout") or ""
            except LimitReachedError:
                raise
            except Exception:  # layout mode fails on some fonts where the plain mode still works
                text = page.extract_text() or ""
        except LimitReachedError:
            raise too_large from None
        except Exception:
            raise UnreadableFile(f"PDF 第 {number} 页已损坏，无法提取文字。") from None
        if text.strip():
            yield TextSegment(text, {"page": number})
