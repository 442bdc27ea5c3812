"""Attachment checks (附件检查): run the compliance engine on the text of an uploaded file.

`core.filetext.extract` turns a file into `TextSegment`s, each with a `location` a reviewer can find again.
`check_file` runs `engine.check_text` on every segment, then weighs mobiles and ID numbers by the table
column they stand in (`layout`); finding offsets count characters of the segment text, and the finding's
`location` carries the segment's location plus its index ("segment"). Unreadable files raise the
extractor's `FileCheckError`, whose message can be shown to the editor as it is.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from govsite.core.filetext import DEFAULT_MAX_BYTES, Source, TextSegment, extract, read_source

from . import engine, layout
from .contract import CheckContext, Finding, Severity


def check_segments(
    segments: Iterable[TextSegment], *, context: CheckContext | None = None, only: set[str] | None = None
) -> list[Finding]:
    """Findings in each segment (逐段检查); offsets are relative to the segment text."""
    segments = list(segments)
    findings: list[Finding] = []
    for index, segment in enumerate(segments):
        for finding in engine.check_text(segment.text, context=context, only=only):
            location = {**segment.location, "segment": index, **finding.location}
            findings.append(replace(finding, location=location))
    # The table a number stands in decides what it is (准考证号 column, a unit's contact column …).
    tables = layout.segment_tables([s.location for s in segments], [s.text for s in segments])
    return layout.judge(findings, tables, lambda finding: finding.location["segment"])


def check_file(
    source: Source,
    *,
    filename: str | None = None,
    context: CheckContext | None = None,
    only: set[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[Finding]:
    """Check an attachment (附件合规检查): findings of every segment, with `location` filled in.

    Members of an archive that could not be read are reported as `document_unreadable` warnings."""
    problems: list[dict[str, str]] = []
    segments = extract(source, filename=filename, max_bytes=max_bytes, problems=problems)
    findings = check_segments(segments, context=context, only=only)
    for problem in problems:
        findings.append(Finding(kind="document_unreadable", severity=Severity.WARN, start=0, end=0,
                                text=problem["member"], rule=f"{problem['reason']}，请人工检查该文件。",
                                location={"member": problem["member"]}))
    return findings


def check_document(
    document: Any, *, context: CheckContext | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[Finding]:
    """Check a Wagtail `Document` (文档库附件) by reading its stored file."""
    filename = getattr(document, "filename", None) or os.path.basename(document.file.name)
    with document.file.open("rb") as handle:
        data = read_source(handle, max_bytes)
    return check_file(data, filename=filename, context=context, max_bytes=max_bytes)
