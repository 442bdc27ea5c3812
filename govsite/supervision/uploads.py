"""证据文件 and 证明材料: what an uploaded file of 监管 may be — an inspector's evidence, a unit's proof of its
rectification, a 约谈/问责 document. One check for all of them: at most 10 MB, PNG, JPG, PDF, DOCX or XLSX,
the type read from the content and matching the name's extension."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 10 * 1024 * 1024

# extension → the kind its content must be
EXTENSIONS = {"png": "png", "jpg": "jpg", "jpeg": "jpg", "pdf": "pdf", "docx": "docx", "xlsx": "xlsx"}
# what a .docx and a .xlsx hold (read from the zip's directory only)
OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def content_kind(upload: Any) -> str:
    """png, jpg, pdf, docx, xlsx or "" — what the file's bytes are, whatever its name says."""
    upload.seek(0)
    head = upload.read(16)
    kind = ""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpg"
    elif head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(io.BytesIO(upload.read(MAX_FILE_BYTES + 1))) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            names = set()
        kind = next((k for k, part in OFFICE_PARTS.items() if part in names), "")
    upload.seek(0)
    return kind


def file_problem(upload: Any) -> str | None:
    """Why an uploaded file is refused (size, type by extension *and* content), in Chinese; None when it is fine."""
    if upload is None:
        return None
    name = str(getattr(upload, "name", "") or "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_FILE_BYTES:
        return _("文件过大：不能超过 10 MB。")
    if size == 0:
        return _("文件是空的，请重新选择。")
    kind = content_kind(upload)
    if not kind:
        return _("文件只能是 PNG、JPG 图片或 PDF、DOCX、XLSX 文件。")
    if EXTENSIONS.get(ext) != kind:
        return _("文件内容与扩展名“.%(ext)s”不符（内容为 %(kind)s），请上传真实的 PNG、JPG、PDF、DOCX 或 XLSX 文件。") % {
            "ext": ext, "kind": kind.upper()}
    return None


def file_response(stored: Any, *, filename: str | None = None, attachment: bool = True,
                  content_type: str | None = None) -> Any:
    """Serve a stored file (a FileField's value) the caller has already checked the user may see; 404 when
    there is none or it is gone from storage."""
    import posixpath

    from django.http import FileResponse, Http404

    if not stored:
        raise Http404(_("文件不存在或无权访问。"))
    try:
        handle = stored.open("rb")
    except OSError:
        raise Http404(_("文件不存在或无权访问。")) from None
    return FileResponse(handle, as_attachment=attachment, content_type=content_type,
                        filename=filename or posixpath.basename(stored.name))
