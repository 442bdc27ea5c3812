"""Operations of the compliance checks: word lists (词库管理), the lexicon in force for a page, page checks and
reviewers' overrides (人工放行).

Scope of the word lists (一级管一级): a supervisor manages the entries of the regions of the units they
supervise and of every region below; a platform administrator manages all; they also *see* (read-only) the
entries of the regions above, because those apply to their sites too. Everyone else manages nothing.
Every change writes a `LexiconChange` row and an audit-log entry.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import IO, TYPE_CHECKING, Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from govsite.content.access import website_for_page
from govsite.core.access import is_platform_admin, is_system, require_actor, supervised_units
from govsite.core.models import Region
from govsite.core.services import record_audit

from .contract import CheckContext, Finding, Severity
from .lexicon import Lexicon, ProtectedTerm, SensitiveWord, TypoPair
from .models import EntryKind, FindingOverride, LexiconChange, LexiconEntry, PageCheckRun

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpRequest
    from wagtail.models import Page, Revision, TaskState

    AnyUser = AbstractBaseUser | AnonymousUser

IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_LINES = 20000
TERM_MAX_LENGTH = LexiconEntry._meta.get_field("term").max_length
CATEGORY_MAX_LENGTH = LexiconEntry._meta.get_field("category").max_length

# Names a detector may use for a finding's kind, as reviewers read them.
KIND_LABELS: dict[str, str] = {
    "id_card": "居民身份证号",
    "mobile": "手机号码",
    "landline": "固定电话",
    "bank_card": "银行卡号",
    "email": "电子邮箱",
    "passport": "护照号码",
    "uscc": "统一社会信用代码",
    "secret_marking": "密级标志",
    "sensitive_word": "敏感词",
    "protected_term": "规范表述",
    "typo": "错别字",
    "document_unreadable": "附件无法检查",
    "foreign_media": "其他网站的文件",
}
SEVERITY_WORDS = {
    "block": Severity.BLOCK, "阻止": Severity.BLOCK, "阻止发布": Severity.BLOCK, "禁止": Severity.BLOCK,
    "阻断": Severity.BLOCK, "warn": Severity.WARN, "提示": Severity.WARN, "警告": Severity.WARN,
}


# --- scope -----------------------------------------------------------------------------------------------------

def _subtree_q(regions: Iterable[Region]) -> Q:
    q = Q(pk__in=[])
    for region in regions:
        q |= Q(path__startswith=region.path)
    return q


def lexicon_regions_manageable_by(user: AnyUser) -> QuerySet[Region]:
    """Regions whose word lists this user may change: their supervised units' regions and everything below."""
    if is_platform_admin(user):
        return Region.objects.all()
    regions = [unit.region for unit in supervised_units(user)]
    if not regions:
        return Region.objects.none()
    return Region.objects.filter(_subtree_q(regions))


def lexicon_regions_visible_to(user: AnyUser) -> QuerySet[Region]:
    """Regions whose word lists this user may read: the manageable ones and the regions above them."""
    if is_platform_admin(user):
        return Region.objects.all()
    regions = [unit.region for unit in supervised_units(user)]
    if not regions:
        return Region.objects.none()
    ancestors = {int(pk) for region in regions for pk in region.path.strip("/").split("/")}
    return Region.objects.filter(_subtree_q(regions) | Q(pk__in=ancestors))


def entries_visible_to(user: AnyUser) -> QuerySet[LexiconEntry]:
    return LexiconEntry.objects.filter(region__in=lexicon_regions_visible_to(user))


def can_manage_region(user: AnyUser, region: Region) -> bool:
    if is_system(require_actor(user)):  # commands and tasks act as the system actor, never as "no user"
        return True
    return lexicon_regions_manageable_by(user).filter(pk=region.pk).exists()


def access_entry(user: AnyUser, pk: int | str, *, for_change: bool = False) -> LexiconEntry:
    """One entry, enforcing scope: 404 when the user may not see it, 403 when they may only read it."""
    try:
        entry = entries_visible_to(user).select_related("region").get(pk=pk)
    except (LexiconEntry.DoesNotExist, ValueError, TypeError):
        raise Http404("词库条目不存在或无权访问。") from None
    if for_change and not can_manage_region(user, entry.region):
        raise PermissionDenied("无权修改上级行政区划的词库。")
    return entry


# --- word-list operations --------------------------------------------------------------------------------------

def _clean_values(kind: str, term: str, category: str, severity: str, suggestion: str) -> dict[str, str]:
    """Normalised, validated values of an entry; raises ValidationError with field-keyed Chinese messages."""
    errors: dict[str, str] = {}
    if kind not in EntryKind.values:
        errors["kind"] = "请选择词库类型。"
    term = (term or "").strip()
    category = (category or "").strip()
    suggestion = (suggestion or "").strip()
    severity = SEVERITY_WORDS.get((severity or "").strip().lower(), "") if severity else Severity.BLOCK
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


def _defaults() -> Lexicon:
    from .defaults import default_lexicon

    return default_lexicon()


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
    from .engine import DETECTOR_MODULES

    defaults = _defaults()
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
    lexicon = _defaults()
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


# --- what a page says --------------------------------------------------------------------------------------

BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "caption",
    "blockquote", "pre", "section", "article", "header", "footer", "figure", "figcaption", "dt", "dd", "hr",
})
CELL_TAGS = frozenset({"td", "th"})


class _TextExtractor(HTMLParser):
    """Blocks on their own lines; the cells of a table row on one line, separated by tabs, so that the
    checks see the row and its columns (`layout`: a 准考证号 column, a unit's contact column …)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.cells_in_row = 0
        self.in_cell = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in CELL_TAGS:
            if self.cells_in_row:
                self.parts.append("\t")
            self.cells_in_row += 1
            self.in_cell = True
        elif tag in ("tr", "table"):
            self.parts.append("\n")
            self.cells_in_row, self.in_cell = 0, False
        elif tag in BLOCK_TAGS or tag == "br":
            self.parts.append(" " if self.in_cell else "\n")  # paragraphs inside a cell stay in its row

    def handle_endtag(self, tag: str) -> None:
        if tag in CELL_TAGS:
            self.in_cell = False
        elif tag in ("tr", "table"):
            self.parts.append("\n")
            self.cells_in_row, self.in_cell = 0, False
        elif tag in BLOCK_TAGS:
            self.parts.append(" " if self.in_cell else "\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data.replace("\t", " "))


def html_to_paragraphs(html: str) -> list[str]:
    """The text of rich text, one string per block (paragraph, heading, list item, table row with its
    cells separated by tabs)."""
    parser = _TextExtractor()
    parser.feed(html or "")
    parser.close()
    lines = "".join(parser.parts).split("\n")
    cleaned = ("\t".join(" ".join(cell.split()) for cell in line.split("\t")) for line in lines)
    return [line for line in cleaned if line.strip()]


@dataclass(frozen=True)
class PageText:
    """One checked text of a page: a field (or a block of a StreamField) split into paragraphs."""

    field: str
    label: str
    paragraphs: tuple[str, ...]
    rich: bool = False  # paragraphs are worth numbering for the reviewer

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


PAGE_BASE_FIELDS = ("title", "seo_title", "search_description")


@functools.cache  # model classes do not change while the process runs
def checked_fields(model: type) -> list:
    """The text fields of a page model that are published: Page's title and descriptions and every
    CharField/TextField/RichTextField/StreamField the content model adds (choice fields excluded)."""
    from django.db import models as dj
    from wagtail.fields import StreamField
    from wagtail.models import Page

    fields = []
    for model_field in model._meta.concrete_fields:
        if model_field.name in PAGE_BASE_FIELDS:
            fields.append(model_field)
        elif (model_field.model is not Page and not model_field.choices
              and isinstance(model_field, (dj.CharField, dj.TextField, StreamField))):
            fields.append(model_field)
    return fields


def _stream_texts(value: Any, prefix: str) -> Iterable[tuple[str, list[str]]]:
    from wagtail.blocks import StreamValue
    from wagtail.blocks.list_block import ListValue
    from wagtail.blocks.struct_block import StructValue
    from wagtail.rich_text import RichText

    if isinstance(value, StreamValue):
        for index, child in enumerate(value):
            yield from _stream_texts(child.value, f"{prefix}第{index + 1}块")
    elif isinstance(value, StructValue):
        for name, child in value.items():
            yield from _stream_texts(child, f"{prefix}·{name}")
    elif isinstance(value, ListValue | list | tuple):
        for index, child in enumerate(value):
            yield from _stream_texts(child, f"{prefix}·{index + 1}")
    elif isinstance(value, RichText):
        yield prefix, html_to_paragraphs(value.source)
    elif isinstance(value, str) and value.strip():
        yield prefix, [line.strip() for line in value.splitlines() if line.strip()]


def page_texts(page: Page) -> list[PageText]:
    """Every published text of the page, in form order."""
    from wagtail.fields import RichTextField, StreamField

    texts: list[PageText] = []
    for model_field in checked_fields(type(page)):
        value = getattr(page, model_field.attname, None)
        label = str(model_field.verbose_name)
        if isinstance(model_field, StreamField):
            for where, paragraphs in _stream_texts(value, ""):
                if paragraphs:
                    texts.append(PageText(f"{model_field.name}:{where}", f"{label}{where}", tuple(paragraphs), True))
            continue
        if not value:
            continue
        if isinstance(model_field, RichTextField):
            paragraphs = html_to_paragraphs(str(value))
            rich = True
        else:
            paragraphs = [line.strip() for line in str(value).splitlines() if line.strip()]
            rich = len(paragraphs) > 1
        if paragraphs:
            texts.append(PageText(model_field.name, label, tuple(paragraphs), rich))
    return texts


def linked_documents(page: Page) -> list:
    """The documents the page links to (附件), as the reference index would record them for this content."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.documents import get_document_model
    from wagtail.models import ReferenceIndex

    document_model = get_document_model()
    document_type = ContentType.objects.get_for_model(document_model)
    # The content about to be published, not the stored index (which reflects the last save).
    ids = {
        object_id for content_type_id, object_id, _model_path, _content_path
        in ReferenceIndex._extract_references_from_object(page) if content_type_id == document_type.pk
    }
    numeric = [int(pk) for pk in ids if str(pk).isdigit()]
    if not numeric:
        return []
    return list(document_model.objects.filter(pk__in=numeric).order_by("pk"))


# --- checking a page ------------------------------------------------------------------------------------------

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
        return KIND_LABELS.get(self.finding.kind, self.finding.kind)

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
            from govsite.core.filetext import describe_location

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
    from . import redact

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
    from .engine import check_text

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
    from govsite.core.filetext import FileCheckError

    from . import files

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
    from govsite.content.links import foreign_media

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
    """The blocking findings no reviewer has overridden for this page (未处理的阻断问题)."""
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
    from .review import may_review

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
