"""词库管理 and the lexicon in force: adding, changing, switching off and importing word-list entries, and the
lexicon a region's pages are checked with (the shipped defaults, then its ancestors' entries, then its own).

Every change is scoped (`access.can_manage_region`) and writes a `LexiconChange` row and an audit-log entry.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max

from govsite.content.access import website_for_page
from govsite.core.findings import parse_compliance_severity
from govsite.core.models import Region
from govsite.core.services import record_audit

from .access import can_manage_region
from .contract import Severity
from .defaults import default_lexicon
from .engine import DETECTOR_MODULES
from .lexicon import Lexicon, ProtectedTerm, SensitiveWord, TypoPair
from .models import EntryKind, LexiconChange, LexiconEntry

if TYPE_CHECKING:
    from django.http import HttpRequest
    from wagtail.models import Page

    from govsite.core.access import AnyUser

IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_LINES = 20000
TERM_MAX_LENGTH = LexiconEntry._meta.get_field("term").max_length
CATEGORY_MAX_LENGTH = LexiconEntry._meta.get_field("category").max_length


# --- word-list operations --------------------------------------------------------------------------------------

def _clean_values(kind: str, term: str, category: str, severity: str, suggestion: str) -> dict[str, str]:
    """Normalised, validated values of an entry; raises ValidationError with field-keyed Chinese messages."""
    errors: dict[str, str] = {}
    if kind not in EntryKind.values:
        errors["kind"] = "请选择词库类型。"
    term = (term or "").strip()
    category = (category or "").strip()
    suggestion = (suggestion or "").strip()
    severity = (parse_compliance_severity(severity) or "") if severity else Severity.BLOCK
    if not term:
        errors["term"] = "请填写词语。"
    elif len(term) > TERM_MAX_LENGTH:
        errors["term"] = f"词语不能超过 {TERM_MAX_LENGTH} 个字符。"
    elif "\n" in term or "\r" in term:
        errors["term"] = "词语不能包含换行。"
    if len(category) > CATEGORY_MAX_LENGTH:
        errors["category"] = f"分类不能超过 {CATEGORY_MAX_LENGTH} 个字符。"
    if not severity:
        errors["severity"] = "处理方式应为“阻止发布”(block) 或“提示”(warn)。"
    if kind == EntryKind.TYPO:
        if not suggestion:
            errors["suggestion"] = "易错词须填写正确写法。"
        elif suggestion == term:
            errors["suggestion"] = "正确写法不能与错误写法相同。"
        elif len(suggestion) > TERM_MAX_LENGTH:
            errors["suggestion"] = f"正确写法不能超过 {TERM_MAX_LENGTH} 个字符。"
    if errors:
        raise ValidationError(errors)
    if kind != EntryKind.SENSITIVE_WORD:
        severity = Severity.BLOCK
    if kind != EntryKind.TYPO:
        suggestion = ""
    return {"term": term, "category": category, "severity": severity, "suggestion": suggestion}


def _log_change(entry: LexiconEntry, action: str, old: dict | None, *, by: AnyUser | None, note: str = "",
                request: HttpRequest | None = None, audit: bool = True) -> LexiconChange:
    authenticated = by is not None and getattr(by, "is_authenticated", False)
    change = LexiconChange.objects.create(
        entry=entry, action=action, old_values=old, new_values=entry.snapshot(),
        user=by if authenticated else None, username=by.get_username() if authenticated else "", note=note[:300],
    )
    if audit:
        record_audit(by, f"checks.lexicon.{action}", entry, request=request, kind=entry.kind,
                     region=entry.region.code, old=old, new=entry.snapshot(), note=note)
    return change


@transaction.atomic
def do_add_entry(region: Region, kind: str, term: str, *, category: str = "", severity: str = Severity.BLOCK,
                 suggestion: str = "", by: AnyUser, request: HttpRequest | None = None,
                 note: str = "") -> LexiconEntry:
    """新增词库条目. A deactivated entry with the same term is switched on again with the new values."""
    if not can_manage_region(by, region):
        raise PermissionDenied("无权维护该行政区划的词库。")
    values = _clean_values(kind, term, category, severity, suggestion)
    user = by if by is not None and by.is_authenticated else None
    existing = LexiconEntry.objects.select_for_update().filter(region=region, kind=kind, term=values["term"]).first()
    if existing is not None:
        if existing.active:
            raise ValidationError({"term": f"“{values['term']}”已在{region.name}的词库中。"})
        old = existing.snapshot()
        for name, value in values.items():
            setattr(existing, name, value)
        existing.active = True
        existing.updated_by = user
        existing.save()
        _log_change(existing, LexiconChange.Action.CHANGE, old, by=by, request=request, note=note or "重新启用")
        return existing
    entry = LexiconEntry.objects.create(region=region, kind=kind, created_by=user, updated_by=user, **values)
    _log_change(entry, LexiconChange.Action.ADD, None, by=by, request=request, note=note)
    return entry


@transaction.atomic
def do_change_entry(entry: LexiconEntry, *, by: AnyUser, request: HttpRequest | None = None,
                    note: str = "", **changes: Any) -> LexiconEntry:
    """修改词库条目: term, category, severity or suggestion (kind and region stay)."""
    if not can_manage_region(by, entry.region):
        raise PermissionDenied("无权维护该行政区划的词库。")
    unknown = set(changes) - {"term", "category", "severity", "suggestion"}
    if unknown:
        raise ValueError(f"不能修改的字段：{', '.join(sorted(unknown))}")
    current = {name: getattr(entry, name) for name in ("term", "category", "severity", "suggestion")}
    values = _clean_values(entry.kind, **{**current, **changes})
    if values == current:
        return entry
    clash = LexiconEntry.objects.filter(region=entry.region, kind=entry.kind, term=values["term"]).exclude(pk=entry.pk)
    if clash.exists():
        raise ValidationError({"term": f"“{values['term']}”已在{entry.region.name}的词库中。"})
    old = entry.snapshot()
    for name, value in values.items():
        setattr(entry, name, value)
    entry.updated_by = by if by is not None and by.is_authenticated else None
    entry.save()
    _log_change(entry, LexiconChange.Action.CHANGE, old, by=by, request=request, note=note)
    return entry


@transaction.atomic
def do_deactivate_entry(entry: LexiconEntry, *, by: AnyUser, request: HttpRequest | None = None,
                        note: str = "") -> LexiconEntry:
    """停用词库条目. Entries are never deleted, so the history keeps what applied when."""
    if not can_manage_region(by, entry.region):
        raise PermissionDenied("无权维护该行政区划的词库。")
    if not entry.active:
        raise ValidationError("该条目已停用。")
    old = entry.snapshot()
    entry.active = False
    entry.updated_by = by if by is not None and by.is_authenticated else None
    entry.save()
    _log_change(entry, LexiconChange.Action.DEACTIVATE, old, by=by, request=request, note=note)
    return entry


@dataclass
class ImportResult:
    """Outcome of a word-list import: counts when it succeeded, row messages when not (then nothing changed)."""

    created: int = 0
    reactivated: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _decode(raw: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


_SPLIT = re.compile(r"[,，\t]")


def do_import_entries(region: Region, kind: str, text_file: IO[bytes] | IO[str], *, by: AnyUser,
                      request: HttpRequest | None = None) -> ImportResult:
    """导入词库: one entry per line, all or nothing.

    Sensitive words and protected terms: ``词语[,分类[,处理方式]]`` (处理方式 block/warn, 阻止发布/提示);
    typos: ``错误写法,正确写法``. Commas may be full-width; blank lines and lines starting with # are ignored.
    Terms already active in the region's list, and repeats within the file, are skipped.
    """
    if not can_manage_region(by, region):
        raise PermissionDenied("无权维护该行政区划的词库。")
    if kind not in EntryKind.values:
        return ImportResult(errors=["请选择词库类型。"])
    raw = text_file.read(IMPORT_MAX_BYTES + 1)
    if isinstance(raw, bytes):
        if len(raw) > IMPORT_MAX_BYTES:
            return ImportResult(errors=[f"文件超过 {IMPORT_MAX_BYTES // 1024 // 1024} MB，请分批导入。"])
        text = _decode(raw)
        if text is None:
            return ImportResult(errors=["无法识别文件编码，请保存为 UTF-8 编码的文本文件（.txt）。"])
    else:
        text = raw.lstrip(codecs.BOM_UTF8.decode())
    lines = text.splitlines()
    if len(lines) > IMPORT_MAX_LINES:
        return ImportResult(errors=[f"文件超过 {IMPORT_MAX_LINES} 行，请分批导入。"])

    result = ImportResult()
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [part.strip() for part in _SPLIT.split(line)]
        if kind == EntryKind.TYPO:
            if len(parts) != 2:
                result.errors.append(f"第 {number} 行：易错词应写作“错误写法,正确写法”。")
                continue
            values = {"term": parts[0], "category": "", "severity": "", "suggestion": parts[1]}
        else:
            limit = 3 if kind == EntryKind.SENSITIVE_WORD else 2
            if len(parts) > limit:
                expected = "词语,分类,处理方式" if kind == EntryKind.SENSITIVE_WORD else "词语,分类"
                result.errors.append(f"第 {number} 行：列数过多，应写作“{expected}”。")
                continue
            parts += [""] * (3 - len(parts))
            values = {"term": parts[0], "category": parts[1], "severity": parts[2], "suggestion": ""}
        try:
            cleaned = _clean_values(kind, values["term"], values["category"], values["severity"] or Severity.BLOCK,
                                    values["suggestion"])
        except ValidationError as exc:
            messages = "；".join(message for items in exc.message_dict.values() for message in items)
            result.errors.append(f"第 {number} 行：{messages}")
            continue
        if cleaned["term"] in seen:
            result.skipped += 1
            continue
        seen.add(cleaned["term"])
        rows.append(cleaned)
    if result.errors:
        return result
    if not rows:
        return ImportResult(errors=["文件中没有可导入的词语。"])

    try:
        with transaction.atomic():
            existing = {e.term: e for e in LexiconEntry.objects.select_for_update().filter(
                region=region, kind=kind, term__in=[row["term"] for row in rows])}
            user = by if by is not None and by.is_authenticated else None
            for row in rows:
                entry = existing.get(row["term"])
                if entry is not None and entry.active:
                    result.skipped += 1
                    continue
                if entry is not None:
                    old = entry.snapshot()
                    for name, value in row.items():
                        setattr(entry, name, value)
                    entry.active = True
                    entry.updated_by = user
                    entry.save()
                    result.reactivated += 1
                else:
                    old = None
                    entry = LexiconEntry.objects.create(region=region, kind=kind, created_by=user, updated_by=user,
                                                        **row)
                    result.created += 1
                _log_change(entry, LexiconChange.Action.IMPORT, old, by=by, audit=False)
            record_audit(by, "checks.lexicon.import", None, request=request, region=region.code, kind=kind,
                         created=result.created, reactivated=result.reactivated, skipped=result.skipped)
    except IntegrityError:
        return ImportResult(errors=["导入时词库被他人同时修改，请重新导入。"])
    return result


# --- the lexicon in force ------------------------------------------------------------------------------------

_LEXICON_CACHE: dict[str, Lexicon] = {}
_LEXICON_CACHE_SIZE = 256


def lexicon_version() -> str:
    """A key that changes whenever any word-list entry is added, changed or switched off."""
    row = LexiconEntry.objects.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    last = row["last"].isoformat() if row["last"] else "-"
    return f"{row['n']}:{row['top'] or 0}:{last}"


def _entry_lexicon(entries: Iterable[LexiconEntry]) -> Lexicon:
    lexicon = Lexicon()
    for entry in entries:
        if entry.kind == EntryKind.SENSITIVE_WORD:
            lexicon.sensitive_words.append(
                SensitiveWord(entry.term, entry.category or "未分类", entry.severity or Severity.BLOCK))
        elif entry.kind == EntryKind.PROTECTED_TERM:
            lexicon.protected_terms.append(ProtectedTerm(entry.term, entry.category or "规范表述"))
        elif entry.kind == EntryKind.TYPO:
            lexicon.typo_pairs.append(TypoPair(entry.term, entry.suggestion))
    return lexicon


@functools.cache
def _shipped_digest() -> str:
    """Identifies the shipped word lists and the detector set, so caches shared across deploys stay right."""
    defaults = default_lexicon()
    payload = repr((DETECTOR_MODULES, defaults.sensitive_words, defaults.protected_terms, defaults.typo_pairs))
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def lexicon_key(region: Region | None) -> str:
    """The cache key of the lexicon in force for a region: shipped lists, its place in the tree, list version."""
    return f"{_shipped_digest()}|{region.path if region is not None else '-'}|{lexicon_version()}"


def lexicon_for_region(region: Region | None, *, key: str | None = None) -> Lexicon:
    """生效词库: the shipped defaults, then the active entries of the region's ancestors, then its own.

    Kept per process and per version, so detectors compile their automata once per change of any list.
    """
    cache_key = key or lexicon_key(region)
    lexicon = _LEXICON_CACHE.get(cache_key)
    if lexicon is not None:
        return lexicon
    lexicon = default_lexicon()
    if region is not None:
        chain = [int(pk) for pk in region.path.strip("/").split("/") if pk]
        depth = {pk: index for index, pk in enumerate(chain)}
        entries = sorted(
            LexiconEntry.objects.filter(region_id__in=chain, active=True).order_by("id"),
            key=lambda e: depth[e.region_id],
        )
        lexicon = lexicon.merged(_entry_lexicon(entries))
    if len(_LEXICON_CACHE) >= _LEXICON_CACHE_SIZE:
        _LEXICON_CACHE.clear()
    _LEXICON_CACHE[cache_key] = lexicon
    return lexicon


def region_for_page(page: Page) -> Region | None:
    """The region of the unit that owns the page's website (主办单位所属行政区划)."""
    website = website_for_page(page)
    if website is None:
        return None
    return Region.objects.filter(units__pk=website.owner_unit_id).first()


def lexicon_for_page(page: Page) -> Lexicon:
    return lexicon_for_region(region_for_page(page))
