"""Uploaded files under names no one can guess (安全加固: 上传文件名不可猜测).

Every upload (Wagtail documents, original images and their renditions) is stored as
``<folder>/<random token>/<original name>``: the random directory makes the URL unguessable, and the
original name stays the file's base name, so Wagtail's document view still offers it for download under
the name it was uploaded with.
"""

from __future__ import annotations

import posixpath
import secrets

from django.core.files.storage import FileSystemStorage

TOKEN_BYTES = 12  # 96 bits: 24 hex characters


class UnguessableFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose uploads land in a fresh random directory."""

    def generate_filename(self, filename: str) -> str:
        name = super().generate_filename(filename)
        folder, base = posixpath.split(name)
        return posixpath.join(folder, secrets.token_hex(TOKEN_BYTES), base)
