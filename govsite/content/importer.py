"""迁移导入 (migration import): a merged or migrated site's items moved into a column of a hosted site.

`govsite content import FILE.jsonl --site CODE --column SLUG [--skip-bad]` reads one JSON object per line:
``title``, ``body`` (HTML), ``published_at`` (kept: the original 发布时间), optional ``source``, ``doc_number``
(the item is then a 政策文件), ``index_number`` (kept), ``category`` (主题分类, label or code) and
``attachments`` (``[{"title", "url" | "path"}]``; a path, relative to the file, becomes a document of the site,
a URL stays a link).

- Everything is checked before anything is written; each bad line is reported with its number, in Chinese,
  and nothing is imported from a file with errors unless ``skip_bad``.
- The import runs in one transaction: an item the compliance check refuses (内容检查) is a refused line, and
  without ``skip_bad`` the whole import is rolled back.
- Re-running imports nothing twice: each line has a stable key (its 索引号, else a hash of title and
  original time), stored per site on the item (`ArticlePage.import_key`).
- It acts as the given actor (the command: SYSTEM) and writes one audit entry saying the original dates were
  kept: the import is the only path that does (`keeping_original_published_at`).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection

from govsite.core.access import require_actor
from govsite.core.services import record_audit
from govsite.core.validators import check_text
from govsite.registry.models import Website

from . import catalogue
from .forms import EARLIEST_YEAR, publication_time_error
from .htmlblocks import html_to_blocks
from .models import ArticlePage, ColumnPage, PolicyDocumentPage, keeping_original_published_at

MAX_LINE_CHARS = 5_000_000
FIELDS = frozenset({"title", "body", "published_at", "source", "doc_number", "index_number", "category",
                    "attachments"})
Progress = Callable[[int, int], None]


class ImportRefused(Exception):
    """The import as a whole cannot run (unknown site or column, unreadable file): one Chinese message."""


@dataclass
class ImportItem:
    """One good line, ready to become an item."""

    line: int
    key: str
    title: str
    body: str
    published_at: datetime.datetime
    source: str = ""
    doc_number: str = ""
    index_number: str = ""
    topic: str = ""
    attachments: list[dict] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import did: items imported, lines already imported before, bad and refused lines (行号, 原因)."""

    imported: int = 0
    already: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)
    committed: bool = False

    @property
    def problems(self) -> list[tuple[int, str]]:
        return sorted(self.bad + self.refused)


def _text(value: Any, name: str, limit: int, *, required: bool = False, multiline: bool = False) -> str:
    if value is None or value == "":
        if required:
            raise ValueError(f"缺少{name}。")
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{name}应为文字。")
    value = value.strip()
    if required and not value:
        raise ValueError(f"缺少{name}。")
    problem = check_text(value, multiline=multiline)
    if problem:
        raise ValueError(f"{name}{problem}")
    if len(value) > limit:
        raise ValueError(f"{name}超过 {limit} 个字符。")
    return value


def parse_time(value: Any) -> datetime.datetime:
    """An original 发布时间: ``2019-07-01 09:30``, ``2019-07-01T09:30:00+08:00`` or ``2019-07-01`` (Beijing time
    when no offset is given), to the minute."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("缺少发布时间（published_at）。")
    text = value.strip().replace("/", "-")
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"发布时间“{value[:40]}”无法识别，应为 年-月-日 时:分，如 2019-07-01 09:30。") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if not EARLIEST_YEAR <= moment.year <= 2100:
        raise ValueError(f"发布时间“{value[:40]}”不在 {EARLIEST_YEAR}—2100 年之间。")
    moment = moment.replace(second=0, microsecond=0)
    problem = publication_time_error(moment, None)
    if problem:
        raise ValueError(f"发布时间“{value[:40]}”晚于当前时间，迁移导入只保留过去的发布时间。")
    return moment


def line_key(site_code: str, index_number: str, title: str, published_at: datetime.datetime) -> str:
    """The stable key of an import line on a site: its 索引号, else a hash of its title and original time."""
    if index_number:
        return f"{site_code}:idx:{index_number}"[:120]
    digest = hashlib.sha256(f"{title}\n{published_at.isoformat()}".encode()).hexdigest()[:32]
    return f"{site_code}:h:{digest}"


def _attachments(value: Any, base_dir: str) -> list[dict]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise ValueError("附件（attachments）应为列表，如 [{\"title\": \"名单\", \"path\": \"files/a.xlsx\"}]。")
    result = []
    for number, item in enumerate(value, 1):
        if not isinstance(item, dict):
            raise ValueError(f"第 {number} 个附件应为对象（含 title 和 url 或 path）。")
        title = _text(item.get("title"), f"第 {number} 个附件的名称（title）", 200, required=True)
        url, path = item.get("url"), item.get("path")
        if path:
            full = os.path.normpath(os.path.join(base_dir, str(path)))
            if not os.path.isfile(full):
                raise ValueError(f"第 {number} 个附件的文件“{path}”不存在。")
            result.append({"title": title, "path": full})
        elif url:
            url = _text(url, f"第 {number} 个附件的地址（url）", 500)
            if not url.lower().startswith(("http://", "https://")):
                raise ValueError(f"第 {number} 个附件的地址“{url[:60]}”应以 http:// 或 https:// 开头。")
            result.append({"title": title, "url": url})
        else:
            raise ValueError(f"第 {number} 个附件缺少文件路径（path）或地址（url）。")
    return result


def parse_line(raw: str, number: int, *, site_code: str, base_dir: str) -> ImportItem:
    """One line of the file as an item, or ValueError with the Chinese reason."""
    if len(raw) > MAX_LINE_CHARS:
        raise ValueError(f"本行超过 {MAX_LINE_CHARS} 个字符。")
    try:
        data = json.loads(raw)
    except ValueError:
        raise ValueError("不是有效的 JSON。") from None
    if not isinstance(data, dict):
        raise ValueError("应为一个 JSON 对象（{…}）。")
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise ValueError(f"含有无法识别的字段：{'、'.join(str(name)[:30] for name in unknown[:5])}。")
    title = _text(data.get("title"), "标题（title）", 255, required=True)
    body = data.get("body")
    if not isinstance(body, str) or not body.strip():
        raise ValueError("缺少正文（body）。")
    problem = check_text(body, multiline=True)
    if problem:
        raise ValueError(f"正文（body）{problem}")
    published_at = parse_time(data.get("published_at"))
    index_number = _text(data.get("index_number"), "索引号（index_number）", 64)
    if index_number and any(char.isspace() for char in index_number):
        raise ValueError("索引号（index_number）不能包含空格。")
    category = _text(data.get("category"), "主题分类（category）", 60)
    topic = catalogue.topic_code(category) if category else ""
    if category and topic is None:
        raise ValueError(f"主题分类“{category}”不在国务院公文主题分类中（可填分类名称或代码，如 综合政务 或 01）。")
    blocks = html_to_blocks(body)
    if not blocks:
        raise ValueError("正文（body）没有文字内容。")
    return ImportItem(
        line=number, key=line_key(site_code, index_number, title, published_at), title=title, body=body,
        published_at=published_at, source=_text(data.get("source"), "信息来源（source）", 100),
        doc_number=_text(data.get("doc_number"), "发文字号（doc_number）", 100), index_number=index_number,
        topic=topic or "", attachments=_attachments(data.get("attachments"), base_dir),
    )


def find_column(website: Website, slug: str) -> ColumnPage:
    """The column of the site named by its slug, or by a path of slugs (``xxgk/zcwj``) when a slug repeats."""
    home = website.wagtail_site.root_page
    parts = [part for part in slug.strip("/").split("/") if part]
    if not parts:
        raise ImportRefused("请用 --column 指定栏目（栏目的英文标识，如 tzgg，或 上级/下级 如 xxgk/zcwj）。")
    if len(parts) == 1:
        found = list(ColumnPage.objects.descendant_of(home).filter(slug=parts[0]))
        if len(found) > 1:
            paths = "、".join("/".join(p.slug for p in c.get_ancestors().filter(depth__gt=home.depth)) + "/" + c.slug
                             for c in found[:5])
            raise ImportRefused(f"本网站有多个标识为“{parts[0]}”的栏目，请写出上级栏目：{paths}。")
        if found:
            return found[0]
    else:
        node = home
        for part in parts:
            node = ColumnPage.objects.child_of(node).filter(slug=part).first()
            if node is None:
                break
        if node is not None:
            return node
    raise ImportRefused(f"网站 {website.site_code} 没有标识为“{slug}”的栏目。")


def check_import(site_code: str, column_slug: str, *, by: Any) -> tuple[Website, ColumnPage]:
    """The hosted site and column an import goes to; ImportRefused (in Chinese) when there is none.
    Only the platform (SYSTEM, at the server) imports: a migration moves a whole site's content."""
    require_actor(by)
    website = Website.objects.filter(site_code=(site_code or "").strip()).select_related("wagtail_site").first()
    if website is None:
        raise ImportRefused(f"网站标识码“{site_code}”不在网站基本信息库中。")
    if website.wagtail_site is None:
        raise ImportRefused(f"网站 {website.site_code}（{website.name}）未在本平台托管，无法导入。")
    return website, find_column(website, column_slug)


def read_file(path: str, *, site_code: str) -> tuple[list[ImportItem], list[tuple[int, str]], int]:
    """Every line checked: the good items, the bad lines (行号, 原因) and the number of non-empty lines."""
    base_dir = os.path.dirname(os.path.abspath(path))
    items: list[ImportItem] = []
    bad: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    total = 0
    try:
        handle = open(path, encoding="utf-8-sig")  # noqa: SIM115 — closed below; BOMs from Windows tools
    except OSError as exc:
        raise ImportRefused(f"无法打开文件“{path}”：{exc.strerror or exc}。") from None
    with handle:
        try:
            for number, raw in enumerate(handle, 1):
                if not raw.strip():
                    continue
                total += 1
                try:
                    item = parse_line(raw, number, site_code=site_code, base_dir=base_dir)
                except ValueError as exc:
                    bad.append((number, str(exc)))
                    continue
                if item.key in seen:
                    bad.append((number, f"与第 {seen[item.key]} 行是同一条信息（索引号或标题与发布时间相同）。"))
                    continue
                seen[item.key] = number
                items.append(item)
        except UnicodeDecodeError:
            raise ImportRefused("文件不是 UTF-8 编码，请另存为 UTF-8 后再导入。") from None
    return items, bad, total


def _index_number_taken(item: ImportItem) -> bool:
    return bool(item.index_number) and ArticlePage.objects.filter(index_number=item.index_number).exclude(
        import_key=item.key).exists()


def _attachment_blocks(item: ImportItem, collection: Collection) -> list[dict]:
    blocks: list[dict] = []
    links: list[str] = []
    document_model = get_document_model()
    for attachment in item.attachments:
        if "path" in attachment:
            with open(attachment["path"], "rb") as handle:
                document = document_model(title=attachment["title"], collection=collection)
                document.file.save(os.path.basename(attachment["path"]), File(handle), save=False)
                document.save()
            blocks.append({"type": "attachment", "value": {"document": document.pk, "title": attachment["title"]}})
        else:
            from html import escape

            links.append(f'<a href="{escape(attachment["url"])}">{escape(attachment["title"])}</a>')
    if links:
        blocks.append({"type": "paragraph", "value": "<p>附件：" + "　".join(links) + "</p>"})
    return blocks


def _create_item(item: ImportItem, column: ColumnPage, collection: Collection) -> ArticlePage:
    model = PolicyDocumentPage if item.doc_number else ArticlePage
    stream = html_to_blocks(item.body) + _attachment_blocks(item, collection)
    page = model(
        title=item.title, slug="imported-" + hashlib.sha256(item.key.encode()).hexdigest()[:16], body=stream,
        published_at=item.published_at, source=item.source, topic=item.topic,
        index_number=item.index_number or None, import_key=item.key, live=False,
    )
    if item.doc_number:
        page.doc_number = item.doc_number
    page.first_published_at = item.published_at  # first published on the old site, at that time
    column.add_child(instance=page)
    with keeping_original_published_at():
        page.save_revision().publish()
    return page


def do_import(path: str, *, site_code: str, column_slug: str, skip_bad: bool = False, by: Any,
              progress: Progress | None = None) -> ImportReport:
    """Import the file into the column (see the module docstring). Raises ImportRefused when it cannot start;
    otherwise returns the report (``committed`` False when nothing was written because of bad lines)."""
    website, column = check_import(site_code, column_slug, by=by)
    items, bad, total = read_file(path, site_code=website.site_code)
    report = ImportReport(bad=bad)
    existing = set(ArticlePage.objects.filter(import_key__in=[i.key for i in items]).values_list("import_key",
                                                                                               flat=True))
    todo = []
    for item in items:
        if item.key in existing:
            report.already += 1
        elif _index_number_taken(item):
            report.bad.append((item.line, f"索引号“{item.index_number}”已被本平台的其他信息使用。"))
        else:
            todo.append(item)
    if report.bad and not skip_bad:
        return report
    collection = Collection.objects.filter(name=website.site_code, depth=2).first()
    if collection is None:
        raise ImportRefused(f"网站 {website.site_code} 没有文件库（请先修复托管网站的开通）。")
    with transaction.atomic():
        for done, item in enumerate(todo, 1):
            try:
                with transaction.atomic():
                    _create_item(item, column, collection)
                report.imported += 1
            except ValidationError as exc:
                report.refused.append((item.line, "未通过内容检查或发布规则，未导入：" + "；".join(exc.messages)))
            if progress:
                progress(done, len(todo))
        if report.refused and not skip_bad:
            transaction.set_rollback(True)
            report.imported = 0
            return report
        report.committed = True
        record_audit(by, "content.import", column, site_code=website.site_code, column=column.title,
                     file=os.path.basename(path), lines=total, imported=report.imported, already=report.already,
                     skipped=len(report.problems), kept_original_published_at=True,
                     note="迁移导入：保留原发布时间")
    return report
