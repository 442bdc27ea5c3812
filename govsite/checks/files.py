"""Attachment checks (附件检查): pull the text out of an uploaded file and run the compliance engine on it.

`extract` turns a file into `TextSegment`s, each with a `location` a reviewer can find again: a paragraph
or table cell of a Word document, a cell of a worksheet, a page of a PDF, a block of an HTML page, a line
of a text file. `check_file` runs `engine.check_text` on every segment; finding offsets count characters of
the segment text, and the finding's `location` carries the segment's location plus its index ("segment").

Files are untrusted: everything that can go wrong raises a `FileCheckError` whose message can be shown to
the editor as it is. Sizes are capped before parsing (file size, unpacked size of Office zips, number of
worksheet cells), so a small upload cannot unpack into gigabytes.
"""

from __future__ import annotations

import codecs
import datetime
import io
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from . import engine
from .contract import CheckContext, Finding

Source = str | os.PathLike[str] | bytes | bytearray | IO[bytes]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Unpacked size of all entries of a .docx/.xlsx; real documents stay far below, zip bombs far above.
DEFAULT_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_CELLS = 2_000_000
MAX_ZIP_ENTRIES = 10_000
EXCEL_MAX_ROWS = 1_048_576

SUPPORTED = ".txt、.html、.docx、.xlsx、.pdf"
DOCX_EXTENSIONS = frozenset({".docx", ".docm", ".dotx", ".dotm"})
XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".shtml"})
TEXT_EXTENSIONS = frozenset({".txt", ".text", ".csv", ".md", ".log"})
OLD_OFFICE_MESSAGES = {
    ".doc": "不支持旧版 Word（.doc）文件，请在 Word 或 WPS 中另存为 .docx 后再检查。",
    ".wps": "不支持 WPS 文字（.wps）文件，请另存为 .docx 后再检查。",
    ".xls": "不支持旧版 Excel（.xls）文件，请在 Excel 或 WPS 中另存为 .xlsx 后再检查。",
    ".et": "不支持 WPS 表格（.et）文件，请另存为 .xlsx 后再检查。",
    ".ppt": "不支持旧版 PowerPoint（.ppt）文件。",
}
OLD_OFFICE_DEFAULT = "不支持旧版 Office 文件（.doc、.xls 等），请另存为 .docx 或 .xlsx 后再检查。"
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
) -> list[TextSegment]:
    """The text segments of an attachment (附件文本提取), in document order; blank segments are left out.

    `source` is a path, the file's bytes or a binary file object; `filename` (or the path) gives the
    extension, but the content decides: a .doc that is really a .docx is read as .docx.
    """
    if isinstance(source, str | os.PathLike):
        filename = filename or os.fspath(source)
    data = _read_source(source, max_bytes)
    kind = detect_format(data, filename, max_unpacked_bytes=max_unpacked_bytes)
    if kind == "docx":
        return list(_docx_segments(data))
    if kind == "xlsx":
        return list(_xlsx_segments(data, max_cells=max_cells))
    if kind == "pdf":
        return list(_pdf_segments(data))
    if kind == "html":
        return list(_html_segments(data))
    return list(_text_segments(data))


def check_segments(
    segments: Iterable[TextSegment], *, context: CheckContext | None = None, only: set[str] | None = None
) -> list[Finding]:
    """Findings in each segment (逐段检查); offsets are relative to the segment text."""
    findings: list[Finding] = []
    for index, segment in enumerate(segments):
        for finding in engine.check_text(segment.text, context=context, only=only):
            location = {**segment.location, "segment": index, **finding.location}
            findings.append(replace(finding, location=location))
    return findings


def check_file(
    source: Source,
    *,
    filename: str | None = None,
    context: CheckContext | None = None,
    only: set[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[Finding]:
    """Check an attachment (附件合规检查): findings of every segment, with `location` filled in."""
    return check_segments(extract(source, filename=filename, max_bytes=max_bytes), context=context, only=only)


def check_document(
    document: Any, *, context: CheckContext | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[Finding]:
    """Check a Wagtail `Document` (文档库附件) by reading its stored file."""
    filename = getattr(document, "filename", None) or os.path.basename(document.file.name)
    with document.file.open("rb") as handle:
        data = _read_source(handle, max_bytes)
    return check_file(data, filename=filename, context=context, max_bytes=max_bytes)


def describe_location(location: dict[str, Any]) -> str:
    """A location as a reviewer reads it (位置), e.g. "工作表“公示名单” B3 单元格" or "第 2 页"."""
    parts: list[str] = []
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


_PART_LABELS = {"header": "页眉", "footer": "页脚", "footnotes": "脚注", "endnotes": "尾注", "comments": "批注"}


# -- reading and recognising -----------------------------------------------------------------------------


def _read_source(source: Source, max_bytes: int) -> bytes:
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
    """Which reader a file needs: "docx", "xlsx", "pdf", "html" or "txt" (content first, then extension)."""
    extension = os.path.splitext(filename or "")[1].lower()
    if data.startswith(OLE_MAGIC) or extension in OLD_OFFICE_MESSAGES and not data.startswith(b"PK"):
        raise UnsupportedFile(OLD_OFFICE_MESSAGES.get(extension, OLD_OFFICE_DEFAULT))
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
    if extension in HTML_EXTENSIONS:
        return "html"
    if extension in TEXT_EXTENSIONS:
        return "txt"
    head = data[:8192]
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnsupportedFile(f"不支持的文件类型{f'（{extension}）' if extension else ''}：可检查 {SUPPORTED} 文件。")
    if re.search(rb"<(!doctype\s+html|html[\s>]|body[\s>])", head.lower()):
        return "html"
    return "txt"


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
                raise UnsupportedFile(f"这是一个压缩包，不是 Office 文档：可检查 {SUPPORTED} 文件。") from None
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
    for parts, block, first in blocks:
        collapsed = re.sub(r"\s+", " ", "".join(parts)).strip()
        line = (first if first is not None else block).sourceline
        yield TextSegment(collapsed, {"line": line, "path": tree.getpath(block)})


# -- Word ------------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIPPED_IN_PARAGRAPH = frozenset({f"{_W}pPr", f"{_W}rPr", f"{_W}txbxContent", f"{_W}p", _MC_FALLBACK})
_WORD_PARTS = re.compile(r"/word/(header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")


def _docx_segments(data: bytes) -> Iterator[TextSegment]:
    import docx
    from docx.oxml.parser import parse_xml

    try:
        document = docx.Document(io.BytesIO(data))
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
            text = page.extract_text() or ""
        except LimitReachedError:
            raise too_large from None
        except Exception:
            raise UnreadableFile(f"PDF 第 {number} 页已损坏，无法提取文字。") from None
        if text.strip():
            yield TextSegment(text, {"page": number})
