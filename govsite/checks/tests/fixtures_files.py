"""Builders for real attachments (测试附件): .txt, .html, .docx, .xlsx and .pdf files written to a directory."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"


def id_number(first17: str) -> str:
    """A 居民身份证号 with a correct GB 11643 check character."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + ID_CHECK_CHARS[total % 11]


# Test identities: made-up people, made-up numbers that pass the checksums.
ID_ZHANG = id_number("11010519900307123")
ID_LI = id_number("44030419851121456")
MOBILE_ZHANG = "13812345678"
MOBILE_LI = "15987654321"


def make_txt(directory: Path, lines: Sequence[str], *, name: str = "notice.txt", encoding: str = "utf-8") -> Path:
    path = directory / name
    path.write_bytes("\n".join(lines).encode(encoding))
    return path


def make_html(directory: Path, html: str, *, name: str = "page.html", encoding: str = "utf-8") -> Path:
    path = directory / name
    path.write_bytes(html.encode(encoding))
    return path


def make_docx(
    directory: Path,
    paragraphs: Sequence[str],
    *,
    tables: Sequence[Sequence[Sequence[str]]] = (),
    header: str | None = None,
    name: str = "notice.docx",
) -> Path:
    """A Word document: the paragraphs, then each table (rows of cell texts), and an optional page header."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    path = directory / name
    document.save(path)
    return path


def make_xlsx(directory: Path, sheets: dict[str, Sequence[Sequence[Any]]], *, name: str = "list.xlsx") -> Path:
    """A workbook with one worksheet per entry, rows written from A1."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    path = directory / name
    workbook.save(path)
    return path


def make_pdf(directory: Path, pages: Sequence[Sequence[str]], *, name: str = "notice.pdf") -> Path:
    """A PDF with one page per entry, lines in the built-in CID font STSong-Light (extractable Chinese)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = directory / name
    pdf = canvas.Canvas(str(path))
    for lines in pages:
        pdf.setFont("STSong-Light", 12)
        for number, line in enumerate(lines):
            pdf.drawString(72, 780 - 20 * number, line)
        pdf.showPage()
    pdf.save()
    return path


def make_padded_docx(directory: Path, *, padding_bytes: int, name: str = "bomb.docx") -> Path:
    """A valid .docx plus one entry of zeros that unpacks to `padding_bytes` (a zip bomb, in small)."""
    source = make_docx(directory, ["正文"], name="source-for-bomb.docx")
    path = directory / name
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for entry in original.infolist():
            bomb.writestr(entry, original.read(entry))
        with bomb.open("word/media/padding.bin", "w", force_zip64=True) as padding:
            remaining = padding_bytes
            while remaining > 0:
                padding.write(chunk[: min(len(chunk), remaining)])
                remaining -= len(chunk)
    return path


def truncated(path: Path, *, keep: float = 0.5, name: str | None = None) -> Path:
    """A copy of a file cut short (a broken upload)."""
    data = path.read_bytes()
    broken = path.with_name(name or f"broken-{path.name}")
    broken.write_bytes(data[: int(len(data) * keep)])
    return broken


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
