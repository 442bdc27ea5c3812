"""检查页面 and 人工放行: the compliance check of a page's content and linked documents, what it keeps
(`PageCheckRun`) and a reviewer's written override of one blocking finding (`FindingOverride`).

The workflow step (`workflow.ComplianceCheckTask`), the publish guard (`page_guard`), the 内容检查 page and
`publish_scheduled` all check pages through `check_page` and judge them by `unresolved_blocks`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from govsite.content.links import foreign_media
from govsite.core.filetext import FileCheckError, describe_location
from govsite.core.findings import finding_label, severity_label
from govsite.core.services import record_audit

from . import files, redact
from .access import may_review
from .contract import CheckContext, Finding, Severity
from .engine import check_text
from .models import FindingOverride, PageCheckRun
from .pagetext import PageText, linked_documents, page_texts
from .wordlists import lexicon_for_region, lexicon_key, region_for_page

if TYPE_CHECKING:
    from django.http import HttpRequest
    from wagtail.models import Page, Revision, TaskState

    from govsite.core.access import AnyUser


@dataclass(frozen=True)
class PageFinding:
    """A finding located on a page: which field (or attached document), which paragraph."""

    finding: Finding
    field: str  # model field name, "body:第2块", or "document:<id>"
    field_label: str  # 正文, 标题, 附件《…》
    paragraph: int | None = None

    @property
    def severity(self) -> str:
        return self.finding.severity

    @property
    def is_block(self) -> bool:
        return self.finding.severity == Severity.BLOCK

    @property
    def kind_label(self) -> str:
        return finding_label(self.finding.kind)

    @property
    def severity_label(self) -> str:
        return severity_label(self.finding.severity)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.finding.kind, self.finding.text, self.finding.rule, self.field)

    @property
    def display_text(self) -> str:
        return mask(self.finding.kind, self.finding.text)

    @property
    def where(self) -> str:
        parts = [self.field_label]
        if self.paragraph:
            parts.append(f"第 {self.paragraph} 段")
        if self.finding.location:
            parts.append(describe_location(self.finding.location))
        return " ".join(part for part in parts if part)

    def as_record(self) -> dict[str, Any]:
        """What a check run stores: personal data masked, so the record does not copy it."""
        data = self.finding.as_dict()
        data["text"] = self.display_text
        data.update(field=self.field, field_label=self.field_label, paragraph=self.paragraph,
                    fingerprint=self.fingerprint, where=self.where, kind_label=self.kind_label)
        return data

    def as_cache(self) -> dict[str, Any]:
        return {"finding": self.finding.as_dict(), "field": self.field, "field_label": self.field_label,
                "paragraph": self.paragraph}

    @classmethod
    def from_cache(cls, data: dict[str, Any]) -> PageFinding:
        return cls(Finding(**data["finding"]), data["field"], data["field_label"], data["paragraph"])


def fingerprint(kind: str, text: str, rule: str, field_name: str) -> str:
    """Identity of a finding on a page, stable across re-checks: kind, matched text, rule and field."""
    return hashlib.sha256("\x1f".join((kind, text, rule, field_name)).encode()).hexdigest()


def mask(kind: str, text: str) -> str:
    """The matched text as records may keep it: personal data masked (e.g. 110105********002X)."""
    if kind in redact.PERSONAL_KINDS:
        return redact.mask(kind, text)[:255]
    return text[:255]


@dataclass
class PageCheck:
    """The findings of one check of a page's content, with what identifies that content."""

    findings: list[PageFinding]
    content_hash: str
    lexicon_key: str

    @property
    def blocks(self) -> list[PageFinding]:
        return [f for f in self.findings if f.is_block]

    @property
    def warnings(self) -> list[PageFinding]:
        return [f for f in self.findings if not f.is_block]


CHECK_CACHE_SECONDS = 6 * 3600


def content_hash(page: Page, texts: list[PageText] | None = None, documents: list | None = None) -> str:
    """Hash of what a check reads: the page's texts and its linked documents' files."""
    texts = page_texts(page) if texts is None else texts
    documents = linked_documents(page) if documents is None else documents
    payload = {
        "model": type(page)._meta.label_lower,
        "texts": [(t.field, t.paragraphs) for t in texts],
        "documents": [(d.pk, d.file_hash or d.file.name, d.collection_id) for d in documents],
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _check_texts(texts: list[PageText], context: CheckContext) -> list[PageFinding]:
    found: list[PageFinding] = []
    for page_text in texts:
        text = page_text.text
        # Line starts, to turn an offset into a paragraph number.
        starts = [0]
        for paragraph in page_text.paragraphs[:-1]:
            starts.append(starts[-1] + len(paragraph) + 1)
        for finding in check_text(text, context=context):
            paragraph = None
            if page_text.rich:
                paragraph = sum(1 for start in starts if start <= finding.start)
            found.append(PageFinding(finding, page_text.field, page_text.label, paragraph))
    return found


def _check_document(document: Any, context: CheckContext, key: str) -> list[PageFinding]:
    cache_key = f"checks:doc:{document.pk}:{document.file_hash or document.file.name}:{_digest(key)}"
    cached = cache.get(cache_key)
    if cached is not None:
        return [PageFinding.from_cache(item) for item in cached]
    try:
        findings = files.check_document(document, context=context)
    except Exception as exc:  # noqa: BLE001 — a file that cannot be read is for the reviewer to judge, not a crash
        reason = str(exc) if isinstance(exc, FileCheckError) else f"附件无法读取（{type(exc).__name__}）"
        findings = [Finding(kind="document_unreadable", severity=Severity.WARN, start=0, end=0, text=document.title,
                            rule=f"{reason}，请人工检查附件内容。")]
    located = [PageFinding(finding, f"document:{document.pk}", f"附件《{document.title}》") for finding in findings]
    cache.set(cache_key, [item.as_cache() for item in located], CHECK_CACHE_SECONDS)
    return located


def _foreign_media_findings(page: Page) -> list[PageFinding]:
    """A blocking finding for each linked file of another site (content.links: a page links its own site's
    files only), named by number, not by title."""
    found = []
    for link in foreign_media(page):
        label = "文件" if link.kind == "document" else "图片"
        finding = Finding(kind="foreign_media", severity=Severity.BLOCK, start=0, end=0,
                          text=f"{label}（编号 {link.obj.pk}）", rule="页面只能链接本网站的文件和图片")
        found.append(PageFinding(finding, f"{link.kind}:{link.obj.pk}", f"{label}（其他网站）"))
    return found


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def check_page(page: Page) -> PageCheck:
    """检查页面: run every detector on every published text of the page and on its linked documents.

    Cached by content and lexicon version, so checking unchanged content again costs a few queries.
    """
    texts = page_texts(page)
    documents = linked_documents(page)
    digest = content_hash(page, texts, documents)
    region = region_for_page(page)
    key = lexicon_key(region)
    cache_key = f"checks:page:{digest}:{_digest(key)}"
    cached = cache.get(cache_key)
    if cached is not None:
        return PageCheck([PageFinding.from_cache(item) for item in cached], digest, key)
    context = CheckContext(lexicon=lexicon_for_region(region, key=key))
    findings = _check_texts(texts, context)
    foreign = _foreign_media_findings(page)
    foreign_documents = {f.field for f in foreign}
    for document in documents:
        # Another site's file is neither read nor named here: its title and lines are that site's business.
        if f"document:{document.pk}" not in foreign_documents:
            findings.extend(_check_document(document, context, key))
    findings.extend(foreign)
    cache.set(cache_key, [item.as_cache() for item in findings], CHECK_CACHE_SECONDS)
    return PageCheck(findings, digest, key)


def overridden_fingerprints(page: Page) -> set[str]:
    """Fingerprints reviewers let through for this page (an alias shares those of the page it mirrors)."""
    page_ids = [pk for pk in (page.pk, getattr(page, "alias_of_id", None)) if pk is not None]
    if not page_ids:
        return set()
    return set(FindingOverride.objects.filter(page_id__in=page_ids).values_list("fingerprint", flat=True))


def unresolved_blocks(page: Page, findings: Iterable[PageFinding]) -> list[PageFinding]:
    """The blocking findings no reviewer has overridden for this page (未处理的阻止发布的问题)."""
    blocks = [f for f in findings if f.is_block]
    if not blocks:
        return []
    allowed = overridden_fingerprints(page)
    return [f for f in blocks if f.fingerprint not in allowed]


def record_check_run(page: Page, check: PageCheck, *, revision: Revision | None = None,
                     task_state: TaskState | None = None, by: AnyUser | None = None) -> PageCheckRun:
    """Keep the findings of a check (personal data masked) for the reviewer and the record."""
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    return PageCheckRun.objects.create(
        page_id=page.pk, revision=revision, task_state=task_state, content_hash=check.content_hash,
        lexicon_version=check.lexicon_key[:100], findings=[f.as_record() for f in check.findings],
        has_block=bool(check.blocks), user=user,
    )


def latest_content(page: Page) -> tuple[Page, Revision | None]:
    """The newest version of a page (its latest revision as a page object) and that revision."""
    revision = page.get_latest_revision()
    if revision is None:
        return page.specific, None
    return revision.as_object(), revision


def do_check_latest_revision(page: Page, *, by: AnyUser | None = None,
                             task_state: TaskState | None = None) -> tuple[PageCheck, PageCheckRun]:
    """Check the newest revision of a page and keep the run."""
    content, revision = latest_content(page)
    check = check_page(content)
    return check, record_check_run(content, check, revision=revision, task_state=task_state, by=by)


@transaction.atomic
def do_override_finding(page: Page, finding_fingerprint: str, reason: str, *, by: AnyUser,
                        request: HttpRequest | None = None) -> FindingOverride:
    """人工放行: a reviewer lets one blocking finding of the page's newest version be published, with a reason.

    Only users who may publish the page may do it; the reason is required and goes to the audit log.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写放行理由。"})
    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionDenied("请先登录。")
    if not may_review(page, by):
        raise PermissionDenied("只有有权发布该页面的审核人员可以放行。")
    content, _revision = latest_content(page)
    check = check_page(content)
    matches = [f for f in check.blocks if f.fingerprint == finding_fingerprint]
    if not matches:
        raise ValidationError("该问题已不在页面的最新版本中，请刷新后重试。")
    finding = matches[0]
    if FindingOverride.objects.filter(page_id=page.pk, fingerprint=finding_fingerprint).exists():
        raise ValidationError("该问题已放行。")
    override = FindingOverride.objects.create(
        page_id=page.pk, fingerprint=finding_fingerprint, kind=finding.finding.kind, rule=finding.finding.rule[:255],
        field=finding.field[:100], text_display=finding.display_text, reason=reason, user=by,
        username=by.get_username(),
    )
    record_audit(by, "checks.finding.override", page, request=request, fingerprint=finding_fingerprint,
                 kind=finding.finding.kind, rule=finding.finding.rule, field=finding.field, where=finding.where,
                 text=finding.display_text, reason=reason)
    return override
