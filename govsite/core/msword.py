"""Word 97–2003 binary documents (旧版 Word .doc，WPS 文字 .wps): text with paragraphs and table cells.

No maintained pure-Python reader of the format exists, so this is a small reader of the parts that hold
text, on top of `olefile` (the OLE compound-file container), following [MS-DOC]:

- the FIB at the start of the `WordDocument` stream says which table stream (`0Table`/`1Table`) holds the
  piece table (Clx) and how many characters each story has (main text, footnotes, headers, comments …);
- the piece table maps character positions (CP) to file offsets (FC) of 8-bit (cp1252) or UTF-16 text;
- the paragraph properties (PAPX in the FKP pages listed by PlcBtePapx) say which paragraph marks end a
  table cell and which end a table row (sprmPFTtp), so tables come out as rows and columns.

Field instructions (between 0x13 and 0x14) are dropped and field results kept; pictures and object anchors
are dropped. WPS Office writes its .wps files in this format. Every failure raises `WordFormatError`.
"""

from __future__ import annotations

import io
import struct
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import olefile

WORD_MAGIC = 0xA5EC
NFIB_WORD97 = 0x00C1  # Word 97 and later; Word 6/95 files have a different FIB
F_ENCRYPTED = 0x0100
F_WHICH_TABLE = 0x0200
# FibRgFcLcb97 pair indices.
FC_PLCF_BTE_PAPX = 13
FC_CLX = 33
# Sprms of paragraph properties that matter here.
SPRM_IN_TABLE = 0x2416
SPRM_TTP = 0x2417
SPRM_ITAP = 0x6649
SPRM_INNER_TTP = 0x244C
SPRM_DEF_TABLE = 0xD608
SPRM_HUGE_PAPX = 0x6646  # the properties are in the Data stream (long table definitions)
MAX_CHARACTERS = 20_000_000
# Story order in CP space after the main text, with the part names the locations use.
STORIES = ("footnotes", "header", "comments", "endnotes", "textboxes", "header_textboxes")
_DROPPED = dict.fromkeys(map(ord, "\x01\x02\x03\x04\x05\x06\x08\x1f"), None)
_REPLACED = {0x0B: "\n", 0x0C: "\n", 0x0E: "\n", 0x1E: "-", 0xA0: " "}


class WordFormatError(Exception):
    """The file is not a Word 97–2003 document this reader can read (message in Chinese)."""


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (`row` is None) or a table cell of one story."""

    part: str  # "body" or a story name
    text: str
    table: int | None = None
    row: int | None = None
    col: int | None = None


def _u16(data: bytes, offset: int) -> int:
    return struct.unpack_from("<H", data, offset)[0]


def _u32(data: bytes, offset: int) -> int:
    return struct.unpack_from("<I", data, offset)[0]


class _Document:
    def __init__(self, data: bytes) -> None:
        try:
            ole = olefile.OleFileIO(io.BytesIO(data))
        except Exception as error:  # olefile raises OSError and its own errors on broken containers
            raise WordFormatError("文件已损坏：无法按 OLE 复合文档打开。") from error
        with ole:
            if not ole.exists("WordDocument"):
                raise WordFormatError("文件中没有 Word 文档内容（WordDocument 流）。")
            self.word = ole.openstream("WordDocument").read()
            if len(self.word) < 0x200 or _u16(self.word, 0) != WORD_MAGIC or _u16(self.word, 2) < NFIB_WORD97:
                raise WordFormatError(
                    "不是 Word 97-2003 格式的文档（可能是更早的 Word 6/95 或 WPS 2000 以前的格式），"
                    "请在 Word 或 WPS 中另存为 .docx 后再检查。")
            flags = _u16(self.word, 0x0A)
            if flags & F_ENCRYPTED:
                raise WordFormatError("文档已加密，需要密码才能读取，请提供未加密的文件。")
            table_name = "1Table" if flags & F_WHICH_TABLE else "0Table"
            if not ole.exists(table_name):
                raise WordFormatError("文件已损坏：缺少 Word 表格流。")
            self.table = ole.openstream(table_name).read()
            self.data = ole.openstream("Data").read() if ole.exists("Data") else b""
        self._read_fib()
        self._read_pieces()
        self._read_paragraph_runs()

    def _read_fib(self) -> None:
        word = self.word
        csw = _u16(word, 32)
        lw = 34 + 2 * csw + 2
        cslw = _u16(word, lw - 2)
        if cslw < 11:
            raise WordFormatError("文件已损坏：Word 文件头不完整。")
        self.ccp_text = _u32(word, lw + 12)
        self.story_lengths = [_u32(word, lw + offset) for offset in (16, 20, 28, 32, 36, 40)]
        fclcb = lw + 4 * cslw + 2
        count = _u16(word, fclcb - 2)
        if count <= FC_CLX:
            raise WordFormatError("文件已损坏：Word 文件头不完整。")

        def pair(index: int) -> tuple[int, int]:
            return _u32(word, fclcb + 8 * index), _u32(word, fclcb + 8 * index + 4)

        self.clx = pair(FC_CLX)
        self.bte_papx = pair(FC_PLCF_BTE_PAPX)

    def _read_pieces(self) -> None:
        fc, lcb = self.clx
        clx = self.table[fc : fc + lcb]
        position = 0
        while position < len(clx) and clx[position] == 0x01:  # Prc: property modifiers, skipped
            position += 3 + struct.unpack_from("<h", clx, position + 1)[0]
        if position >= len(clx) or clx[position] != 0x02:
            raise WordFormatError("文件已损坏：找不到 Word 文本的分段表。")
        size = _u32(clx, position + 1)
        plc = clx[position + 5 : position + 5 + size]
        count = (len(plc) - 4) // 12
        if count <= 0:
            raise WordFormatError("文件已损坏：Word 文本的分段表为空。")
        cps = struct.unpack_from(f"<{count + 1}I", plc, 0)
        self.pieces: list[tuple[int, int, int, bool]] = []  # (cp start, cp end, byte offset, compressed)
        texts = []
        if any(cps[i] > cps[i + 1] for i in range(count)) or cps[-1] > MAX_CHARACTERS:
            raise WordFormatError("文件已损坏：Word 文本的分段表无效。")
        for index in range(count):
            start, end = cps[index], cps[index + 1]
            fc = _u32(plc, 4 * (count + 1) + 8 * index + 2)
            compressed = bool(fc & 0x40000000)
            offset = (fc & 0x3FFFFFFF) // 2 if compressed else fc
            length = end - start
            raw = self.word[offset : offset + (length if compressed else 2 * length)]
            text = raw.decode("cp1252", "replace") if compressed else raw.decode("utf-16-le", "replace")
            texts.append(text.ljust(length, "\x00")[:length])
            self.pieces.append((start, end, offset, compressed))
        self.text = "".join(texts)
        self.piece_starts = [piece[0] for piece in self.pieces]

    def _read_paragraph_runs(self) -> None:
        """(FC start, FC end, in table, row end) of every paragraph run, from the PAPX FKP pages."""
        fc, lcb = self.bte_papx
        plc = self.table[fc : fc + lcb]
        count = (len(plc) - 4) // 8
        runs: list[tuple[int, int, bool, bool]] = []
        for index in range(max(0, count)):
            page_number = _u32(plc, 4 * (count + 1) + 4 * index) & 0x3FFFFF
            page = self.word[page_number * 512 : page_number * 512 + 512]
            if len(page) < 512:
                continue
            crun = page[511]
            fcs = struct.unpack_from(f"<{crun + 1}I", page, 0)
            for run in range(crun):
                offset = page[4 * (crun + 1) + 13 * run] * 2
                in_table = row_end = False
                if offset:
                    in_table, row_end = _papx_flags(page, offset, self.data)
                runs.append((fcs[run], fcs[run + 1], in_table, row_end))
        runs.sort()
        self.runs = runs
        self.run_starts = [run[0] for run in runs]

    def paragraph_flags(self, cp: int) -> tuple[bool, bool]:
        """(in a table, ends a table row) for the paragraph whose mark is at `cp`."""
        index = bisect_right(self.piece_starts, cp) - 1
        if index < 0:
            return False, False
        start, _end, offset, compressed = self.pieces[index]
        fc = offset + (cp - start) * (1 if compressed else 2)
        run = bisect_right(self.run_starts, fc) - 1
        if run < 0 or fc >= self.runs[run][1]:
            return False, False
        return self.runs[run][2], self.runs[run][3]


def _papx_flags(page: bytes, offset: int, data: bytes) -> tuple[bool, bool]:
    cb = page[offset]
    if cb == 0:
        size, start = 2 * page[offset + 1], offset + 2
    else:
        size, start = 2 * cb - 1, offset + 1
    return _table_flags(page[start + 2 : start + size], data)  # after the 2-byte style index


def _table_flags(grpprl: bytes, data: bytes, *, nested: bool = False) -> tuple[bool, bool]:
    """(in table, row end) from a list of paragraph sprms."""
    in_table = row_end = False
    position = 0
    while position + 2 <= len(grpprl):
        sprm = _u16(grpprl, position)
        position += 2
        spra = sprm >> 13
        if spra in (0, 1):
            operand = 1
        elif spra in (2, 4, 5):
            operand = 2
        elif spra == 3:
            operand = 4
        elif spra == 7:
            operand = 3
        elif sprm == SPRM_DEF_TABLE and position + 2 <= len(grpprl):
            operand = _u16(grpprl, position) + 1
        elif position < len(grpprl):
            operand = grpprl[position] + 1
        else:
            break
        value = grpprl[position : position + operand]
        if sprm == SPRM_IN_TABLE and value[:1] == b"\x01":
            in_table = True
        elif sprm in (SPRM_TTP, SPRM_INNER_TTP) and value[:1] == b"\x01":
            row_end = in_table = True
        elif sprm == SPRM_ITAP and len(value) == 4 and _u32(value, 0) > 0:
            in_table = True
        elif sprm == SPRM_HUGE_PAPX and len(value) == 4 and not nested:
            where = _u32(value, 0)
            if where + 2 <= len(data):
                huge = data[where + 2 : where + 2 + _u16(data, where)]
                huge_in_table, huge_row_end = _table_flags(huge, data, nested=True)
                in_table, row_end = in_table or huge_in_table, row_end or huge_row_end
        position += operand
    return in_table, row_end


def _clean(text: str) -> str:
    """Visible text of a run of characters: field instructions dropped, special characters mapped."""
    out: list[str] = []
    depth_instruction: list[bool] = []  # per open field: still in its instruction part
    for char in text:
        code = ord(char)
        if code == 0x13:
            depth_instruction.append(True)
        elif code == 0x14:
            if depth_instruction:
                depth_instruction[-1] = False
        elif code == 0x15:
            if depth_instruction:
                depth_instruction.pop()
        elif depth_instruction and depth_instruction[-1]:
            continue
        elif code in _REPLACED:
            out.append(_REPLACED[code])
        elif code >= 0x20 or char in "\t\n":
            out.append(char)
    return "".join(out).translate(_DROPPED)


def blocks(data: bytes) -> Iterator[Block]:
    """The paragraphs and table cells of a .doc/.wps file, story by story, in document order."""
    try:
        document = _Document(data)
    except WordFormatError:
        raise
    except (struct.error, IndexError, ValueError, OSError) as error:
        raise WordFormatError("文件已损坏：Word 文档结构无效。") from error
    start = 0
    stories: list[tuple[str, int, int]] = [("body", 0, document.ccp_text)]
    start = document.ccp_text
    for name, length in zip(STORIES, document.story_lengths, strict=True):
        if length:
            stories.append((name, start, start + length))
        start += length
    for name, begin, end in stories:
        yield from _story_blocks(document, name, begin, min(end, len(document.text)))


def _story_blocks(document: _Document, part: str, begin: int, end: int) -> Iterator[Block]:
    text = document.text
    table = 0
    row: list[str] = []
    cell: list[str] = []
    row_number = 0
    in_rows = False
    paragraph_start = begin
    for cp in range(begin, end):
        char = text[cp]
        if char not in "\r\x07":
            continue
        piece = _clean(text[paragraph_start:cp])
        paragraph_start = cp + 1
        in_table, row_end = document.paragraph_flags(cp)
        if char == "\x07" and not in_table:
            in_table = True  # a cell mark is a cell mark even where the properties could not be read
        if not in_table:
            if in_rows:
                in_rows = False
            yield Block(part, piece)
            continue
        if not in_rows:
            in_rows, table, row_number, row, cell = True, table + 1, 0, [], []
        if row_end:
            row_number += 1
            for column, value in enumerate(row, start=1):
                yield Block(part, value, table, row_number, column)
            row, cell = [], []
        elif char == "\x07":
            cell.append(piece)
            row.append("\n".join(cell))
            cell = []
        else:
            cell.append(piece)


def read_text(data: bytes) -> str:
    """All the text of a .doc file, one block a line (for tests and diagnostics)."""
    return "\n".join(block.text for block in blocks(data))


def describe(block: Block) -> dict[str, Any]:
    """The location of a block, in the keys the other readers use."""
    location: dict[str, Any] = {} if block.part == "body" else {"part": block.part}
    if block.table is not None:
        location.update(table=block.table, row=block.row, col=block.col)
    return location
