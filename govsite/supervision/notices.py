"""通报: a notice generated from a finished campaign (抽查活动), as .docx in the official layout (GB/T 9704, through
`core.officedocs`) with an .xlsx annex (附件), from a template the organising unit's supervisors may edit, and
optionally submitted into the organiser's portal's 政府信息公开 column (as a draft under the site's workflow:
审核 and 保密审查 decide; nothing here publishes).

Templates hold placeholders `{名称}` from a FIXED list (`PLACEHOLDERS`), substituted by plain string replacement;
user text never reaches a template engine or `str.format`. A saved template naming anything else is refused.
Block placeholders (`BLOCK_PLACEHOLDERS`) expand to generated paragraphs (one per 地市, per website type, per
problem category) when they stand alone on a line of the body.

The numbers come from `summary.campaign_summary` (one computation for page, CLI, notice and dashboard).
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govsite.core import officedocs
from govsite.core.access import is_platform_admin, is_system
from govsite.core.findings import finding_label
from govsite.core.models import Region, Unit
from govsite.core.services import record_audit
from govsite.core.validators import check_text
from govsite.registry.models import Website, WebsiteKind

from .access import (
    access_campaign,
    access_notice,
    campaigns_visible_to,
    may_run_campaigns,
    units_may_organise,
)
from .models import Campaign, CampaignFinding, CampaignStatus, FindingState, Notice, NoticeTemplate
from .scoring import VERDICT_LABELS, indicator_table
from .summary import CampaignSummary, campaign_summary

if TYPE_CHECKING:
    from govsite.core.access import AnyUser

# The placeholders a template may use, with what they stand for (shown on the template page).
PLACEHOLDERS: dict[str, Any] = {
    "年份": gettext_lazy("抽查期间开始的年份，如 2026"),
    "季度": gettext_lazy("抽查期间开始的季度（中文数字），如 四"),
    "区域": gettext_lazy("抽查范围的简称（区、省、市、县），如“全区”中的“区”"),
    "区域名称": gettext_lazy("抽查范围的全称，如 示范自治区"),
    "单位": gettext_lazy("组织单位名称，如 示范自治区人民政府"),
    "单位简称": gettext_lazy("组织单位简称（机构信息中的简称；未填写时由所在区划首字加“政”组成）"),
    "机关代字": gettext_lazy("发文机关代字：所在区划首字加“政”，如“示政”"),
    "序号": gettext_lazy("本单位本年度通报的顺序号"),
    "主送": gettext_lazy("主送机关（按抽查范围生成）"),
    "期间": gettext_lazy("抽查期间，如 2026年10月1日至12月31日"),
    "抽查数": gettext_lazy("抽查网站数"),
    "抽查比例": gettext_lazy("抽查比例，如 20%"),
    "合格数": gettext_lazy("合格网站数"),
    "不合格数": gettext_lazy("不合格网站数"),
    "合格率": gettext_lazy("总体合格率，如 85.0%"),
    "整改期限": gettext_lazy("整改期限（工作日数）"),
    "日期": gettext_lazy("成文日期，如 2026年11月30日"),
}
# Placeholders that expand to generated paragraphs when alone on a line of the body.
BLOCK_PLACEHOLDERS: dict[str, Any] = {
    "各地市合格率": gettext_lazy("各地市的抽查数、合格数和合格率，每个地市一段（系统生成）"),
    "各类型合格率": gettext_lazy("各类网站的抽查数、合格数和合格率，每类一段（系统生成）"),
    "主要问题": gettext_lazy("按指标分类的问题数，每类一段（系统生成）"),
}
ALL_PLACEHOLDERS = {**PLACEHOLDERS, **BLOCK_PLACEHOLDERS}
TOKEN = re.compile(r"\{([^{}]*)\}")

DEFAULT_TITLE = "关于{年份}年第{季度}季度全{区域}政府网站抽查情况的通报"
DEFAULT_DOCUMENT_NUMBER = "{机关代字}办函〔{年份}〕{序号}号"
DEFAULT_ISSUER = "{单位}办公厅"
DEFAULT_BODY = "\n".join((
    "{主送}：",
    "{期间}，{单位}办公厅对全{区域}运行中的政府网站开展了抽查，共抽查网站{抽查数}个，抽查比例{抽查比例}，"
    "总体合格率{合格率}。现将有关情况通报如下。",
    "一、总体情况",
    "本次抽查合格网站{合格数}个，不合格网站{不合格数}个。",
    "{各地市合格率}",
    "{各类型合格率}",
    "二、主要问题",
    "{主要问题}",
    "三、整改要求",
    "请各地区、各部门对照本通报所列问题，于本通报印发之日起{整改期限}个工作日内完成整改，并将整改情况报送{单位}办公厅。"
    "不合格网站的主办单位要认真分析原因，举一反三，健全网站日常监测和内容保障机制，整改情况将纳入下一次抽查的重点。",
    "附件：{年份}年第{季度}季度政府网站抽查情况表",
))

TABLE_TITLE = "不合格网站名单"
TABLE_HEADERS = ("序号", "网站名称", "网站标识码", "主办单位", "得分/单项否决", "主要问题")
CHINESE_DIGITS = "〇一二三四五六七八九十"


# --- placeholders ------------------------------------------------------------------------------------------

def unknown_placeholders(text: str) -> list[str]:
    """The `{…}` tokens of `text` that are not placeholders, in order of appearance, each once."""
    seen: list[str] = []
    for name in TOKEN.findall(text):
        if name not in ALL_PLACEHOLDERS and name not in seen:
            seen.append(name)
    return seen


def substitute(text: str, values: dict[str, str]) -> str:
    """Replace each `{名称}` of `values` by its value (plain replacement, one pass: a value is never re-read)."""
    return TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def chinese_date(day: datetime.date) -> str:
    """成文日期 as official documents write it (GB/T 9704: Arabic numerals): 2026年11月30日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _rate(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def _ratio(value: Decimal) -> str:
    number = (Decimal(value) * 100).normalize()
    return f"{number:f}%"


def _period(start: datetime.date, end: datetime.date) -> str:
    if start.year == end.year:
        return f"{chinese_date(start)}至{end.month}月{end.day}日"
    return f"{chinese_date(start)}至{chinese_date(end)}"


def _region_word(region: Region) -> str:
    """区 for 示范自治区, 省 for a province, 市 for a city: what 全… says."""
    for suffix in ("自治区", "自治州", "自治县", "自治旗", "特别行政区"):
        if region.name.endswith(suffix):
            return "区" if suffix in ("自治区", "特别行政区") else suffix[-1]
    return region.name[-1:] or region.name


def _addressee(region: Region) -> str:
    lower = {Region.Level.PROVINCE: "各市、县（区）人民政府", Region.Level.PREFECTURE: "各县（市、区）人民政府",
             Region.Level.COUNTY: "各乡（镇）人民政府、街道办事处"}.get(region.level, "各有关单位")
    return f"{lower}，{region.name}政府各部门"


def unit_short_name(unit: Unit) -> str:
    return unit.short_name or f"{unit.region.name[:1]}政"


def _ordinal(n: int) -> str:
    if n <= 10:
        return CHINESE_DIGITS[n]
    if n < 20:
        return "十" + (CHINESE_DIGITS[n - 10] if n > 10 else "")
    return CHINESE_DIGITS[n // 10] + "十" + (CHINESE_DIGITS[n % 10] if n % 10 else "")


def next_serial(unit: Unit, year: int) -> int:
    """The next 序号 of the unit's notices in a year."""
    return Notice.objects.filter(campaign__unit=unit, created_at__year=year).count() + 1


def placeholder_values(campaign: Campaign, summary: CampaignSummary, *, today: datetime.date,
                       serial: int) -> dict[str, str]:
    start = campaign.period_start
    return {
        "年份": str(start.year), "季度": _ordinal((start.month - 1) // 3 + 1),
        "区域": _region_word(campaign.region), "区域名称": campaign.region.name,
        "单位": campaign.unit.name, "单位简称": unit_short_name(campaign.unit),
        "机关代字": f"{campaign.unit.region.name[:1]}政", "序号": str(serial),
        "主送": _addressee(campaign.region), "期间": _period(start, campaign.period_end),
        "抽查数": str(summary.total), "抽查比例": _ratio(campaign.ratio),
        "合格数": str(summary.passed), "不合格数": str(summary.failed), "合格率": _rate(summary.pass_rate),
        "整改期限": str(campaign.rectify_workdays), "日期": chinese_date(today),
    }


def block_paragraphs(summary: CampaignSummary) -> dict[str, list[str]]:
    """The generated paragraphs of the block placeholders (never template text)."""
    def rates(groups: list[Any]) -> list[str]:
        return [_("%(label)s：抽查网站%(total)s个，合格%(passed)s个，不合格%(failed)s个，合格率%(rate)s。") % {
            "label": g.label, "total": g.total, "passed": g.passed, "failed": g.failed, "rate": _rate(g.rate)}
            for g in groups]

    problems = [_("（%(n)s）%(label)s：%(count)s个问题。") % {"n": _ordinal(i), "label": label, "count": count}
                for i, (label, count) in enumerate(summary.problems_by_category, start=1)]
    return {
        "各地市合格率": [_("（一）分地市情况")] + (rates(summary.by_prefecture) or [_("无已评分的网站。")]),
        "各类型合格率": [_("（二）分网站类型情况")] + (rates(summary.by_type) or [_("无已评分的网站。")]),
        "主要问题": problems or [_("本次抽查未发现经确认的问题。")],
    }


def _paragraph_kind(text: str) -> str:
    if re.match(r"^[一二三四五六七八九十]+、", text):
        return officedocs.PARAGRAPH_HEADING
    if re.match(r"^（[一二三四五六七八九十]+）", text) and len(text) <= 30 and not text.endswith("。"):
        return officedocs.PARAGRAPH_SUBHEADING
    if text.startswith("附件："):
        return officedocs.PARAGRAPH_PLAIN
    return officedocs.PARAGRAPH_BODY


def render_body(body: str, values: dict[str, str], blocks: dict[str, list[str]]) -> list[str]:
    """The body's paragraphs: each line substituted; a line that is one block placeholder becomes its
    paragraphs; a block placeholder inside a line is its paragraphs joined with "；"."""
    paragraphs: list[str] = []
    inline = {**values, **{name: "；".join(lines) for name, lines in blocks.items()}}
    for line in body.splitlines():
        line = line.strip()
        if not line:
            continue
        match = TOKEN.fullmatch(line)
        if match and match.group(1) in blocks:
            paragraphs.extend(blocks[match.group(1)])
        else:
            paragraphs.append(substitute(line, inline))
    return paragraphs


# --- templates ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TemplateText:
    title: str
    document_number: str
    body: str
    issuer: str
    saved: bool = False


def template_for(unit: Unit) -> TemplateText:
    """The unit's template, or the default one."""
    stored = NoticeTemplate.objects.filter(unit=unit).first()
    if stored is None:
        return TemplateText(DEFAULT_TITLE, DEFAULT_DOCUMENT_NUMBER, DEFAULT_BODY, DEFAULT_ISSUER)
    return TemplateText(stored.title, stored.document_number, stored.body, stored.issuer, saved=True)


def _require_actor(by: Any) -> None:
    if by is None:
        raise ValueError("by= is required (a user or core.access.SYSTEM)")


def may_edit_template(user: AnyUser, unit: Unit) -> bool:
    """A supervisor of the unit (one of their supervised units) or a platform admin."""
    return is_system(user) or is_platform_admin(user) or units_may_organise(user).filter(pk=unit.pk).exists()


FIELD_LABELS = {"title": gettext_lazy("标题"), "document_number": gettext_lazy("文号"), "body": gettext_lazy("正文"),
                "issuer": gettext_lazy("发文机关署名")}
FIELD_LIMITS = {"title": 300, "document_number": 100, "issuer": 200, "body": 20000}


def validate_template(**fields: str) -> None:
    """Refuse an empty field, a field too long, control characters and unknown placeholders (Chinese, by field)."""
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        label = FIELD_LABELS[name]
        value = value if isinstance(value, str) else ""
        problems = []
        if not value.strip():
            problems.append(_("请填写%(label)s。") % {"label": label})
        elif len(value) > FIELD_LIMITS[name]:
            problems.append(_("%(label)s不能超过 %(n)s 个字。") % {"label": label, "n": FIELD_LIMITS[name]})
        message = check_text(value, multiline=name == "body")
        if message:
            problems.append(f"{label}{message}")
        unknown = unknown_placeholders(value)
        if unknown:
            problems.append(_("%(label)s中的占位符 %(names)s 不可用。可用的占位符见模板页面下方的列表。") % {
                "label": label, "names": "、".join("{" + n + "}" for n in unknown)})
        blocks_here = [n for n in TOKEN.findall(value) if n in BLOCK_PLACEHOLDERS]
        if blocks_here and name != "body":
            problems.append(_("%(label)s中不能使用占位符 %(names)s（只能用在正文中）。") % {
                "label": label, "names": "、".join("{" + n + "}" for n in blocks_here)})
        if problems:
            errors[name] = problems
    if errors:
        raise ValidationError(errors)


def do_save_template(unit: Unit, *, by: AnyUser, title: str, document_number: str, body: str,
                     issuer: str) -> NoticeTemplate:
    """Save the unit's notice template (通报模板): supervisors of that unit and platform admins."""
    _require_actor(by)
    if not may_edit_template(by, unit):
        raise PermissionDenied(_("只有该单位的监管人员或平台管理员可以修改通报模板。"))
    body = body.replace("\r\n", "\n").replace("\r", "\n") if isinstance(body, str) else body
    validate_template(title=title, document_number=document_number, body=body, issuer=issuer)
    user = None if is_system(by) else by
    template, created = NoticeTemplate.objects.update_or_create(unit=unit, defaults={
        "title": title.strip(), "document_number": document_number.strip(), "body": body.strip(),
        "issuer": issuer.strip(), "updated_by": user})
    record_audit(by, "supervision.notice_template_save", template, unit=unit.name, created=created,
                 title=template.title)
    return template


# --- the notice --------------------------------------------------------------------------------------------

def _score_text(entry: Any, labels: dict[str, str]) -> str:
    if entry.vetoes:
        return _("单项否决：%(items)s") % {"items": "、".join(labels.get(code, code) for code in entry.vetoes)}
    return "—" if entry.score is None else f"{entry.score}"


def failing_rows(summary: CampaignSummary, labels: dict[str, str]) -> list[list[Any]]:
    return [[i, s.website.name, s.website.site_code, s.website.owner_unit.name, _score_text(s.entry, labels),
             "\n".join(s.problems) or "—"] for i, s in enumerate(summary.failing, start=1)]


def _xlsx_annex(title: str, summary: CampaignSummary, labels: dict[str, str],
                deduction_codes: list[str]) -> bytes:
    from openpyxl import Workbook

    campaign = summary.campaign
    workbook = Workbook()
    officedocs.add_table_sheet(workbook, _("不合格网站"), TABLE_HEADERS, failing_rows(summary, labels),
                               title=title, sheet=workbook.active)
    strata = {s.get("key"): s.get("label", s.get("key")) for s in campaign.strata or [] if isinstance(s, dict)}
    headers = ["序号", "网站名称", "网站标识码", "主办单位", "地市", "网站类型", "分层", "结论", "得分", "单项否决",
               *(f"{labels.get(code, code)}扣分" for code in deduction_codes), "主要问题"]
    rows = []
    for i, site in enumerate(summary.sites, start=1):
        entry = site.entry
        deductions = entry.deductions or {}
        rows.append([
            i, site.website.name, site.website.site_code, site.website.owner_unit.name, site.prefecture,
            site.type_label, strata.get(entry.stratum, entry.stratum), VERDICT_LABELS.get(entry.verdict, "未评分"),
            "" if entry.score is None else float(entry.score),
            "、".join(labels.get(code, code) for code in entry.vetoes or []),
            *(float(Decimal(str(deductions[code]))) if code in deductions else 0 for code in deduction_codes),
            "\n".join(site.problems),
        ])
    officedocs.add_table_sheet(workbook, _("抽查网站"), headers, rows)
    rate_rows: list[list[Any]] = [[_("全部"), _("合计"), summary.passed + summary.failed, summary.passed,
                                   summary.failed, _rate(summary.pass_rate)]]
    for group_label, groups in ((_("地市"), summary.by_prefecture), (_("网站类型"), summary.by_type)):
        rate_rows += [[group_label, g.label, g.total, g.passed, g.failed, _rate(g.rate)] for g in groups]
    officedocs.add_table_sheet(workbook, _("合格率"), ["分组", "名称", "抽查数", "合格数", "不合格数", "合格率"], rate_rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class NoticeText:
    """A notice's words, before layout: what the .docx says, and what the portal's draft says."""

    issuer_mark: str
    title: str
    document_number: str
    addressee: str
    paragraphs: list[str]
    signature: str
    date_text: str


def compose(campaign: Campaign, summary: CampaignSummary, *, today: datetime.date,
            document_number: str | None = None) -> NoticeText:
    template = template_for(campaign.unit)
    values = placeholder_values(campaign, summary, today=today, serial=next_serial(campaign.unit, today.year))
    paragraphs = render_body(template.body, values, block_paragraphs(summary))
    addressee = ""
    if paragraphs and paragraphs[0].endswith(("：", ":")):
        addressee = paragraphs.pop(0)
    signature = substitute(template.issuer, values)
    return NoticeText(
        issuer_mark=signature, title=substitute(template.title, values),
        document_number=document_number or substitute(template.document_number, values),
        addressee=addressee, paragraphs=paragraphs, signature=signature, date_text=values["日期"])


def _check_document_number(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    message = check_text(value)
    if message:
        raise ValidationError({"document_number": _("文号%(m)s") % {"m": message}})
    if len(value) > 100:
        raise ValidationError({"document_number": _("文号不能超过 100 个字。")})
    return value


MAX_FIGURES = 20
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def evidence_figures(campaign: Campaign) -> list[tuple[str, bytes]]:
    """The screenshots of the confirmed veto findings of failing sites (the monitor's, taken at detection time,
    or an inspector's image evidence), captioned with site, problem and time; at most `MAX_FIGURES`."""
    definition = campaign.indicator_set.definition
    kinds = {code: entry.get("kind") for code, entry in indicator_table(definition).items()}
    figures: list[tuple[str, bytes]] = []
    findings = (CampaignFinding.objects.filter(site__campaign=campaign, site__verdict="fail",
                                               state=FindingState.CONFIRMED)
                .select_related("site__website", "scan_finding").order_by("site__website__site_code", "pk"))
    for finding in findings:
        if kinds.get(finding.indicator) != "veto":
            continue
        for field in (getattr(finding.scan_finding, "screenshot", None), finding.evidence):
            if not field:
                continue
            try:
                with field.open("rb") as handle:
                    data = handle.read(8 * 1024 * 1024)
            except OSError:
                continue
            if not data.startswith(IMAGE_MAGIC):
                continue  # a PDF or Office evidence file stays in the campaign, not in the notice
            caption = _("%(site)s：%(problem)s（%(url)s，%(time)s）") % {
                "site": finding.site.website.name, "problem": finding_label(finding.code),
                "url": finding.url or finding.site.website.homepage_url,
                "time": f"{timezone.localtime(finding.found_at):%Y-%m-%d %H:%M}"}
            figures.append((caption, data))
            break
        if len(figures) >= MAX_FIGURES:
            break
    return figures


def do_generate_notice(campaign: Campaign, *, by: AnyUser, document_number: str | None = None) -> Notice:
    """Generate the 通报 of a finished campaign: the .docx (official layout) and the .xlsx annex, stored on a
    new `Notice` under unguessable names; audited."""
    _require_actor(by)
    if not may_run_campaigns(by):
        raise PermissionDenied(_("只有监管人员可以生成通报。"))
    campaign = access_campaign(by, campaign.pk)
    if campaign.status != CampaignStatus.FINISHED:
        raise ValidationError(_("抽查活动“%(name)s”尚未完成（当前状态：%(state)s），完成后才能生成通报。") % {
            "name": campaign.name, "state": campaign.get_status_display()})
    document_number = _check_document_number(document_number)
    summary = campaign_summary(campaign)
    table = indicator_table(campaign.indicator_set.definition)
    labels = {code: entry.get("label", code) for code, entry in table.items()}
    deduction_codes = [code for code, entry in table.items() if entry.get("kind") == "deduction"]
    today = timezone.localdate()
    with transaction.atomic():
        # One 序号 at a time per unit: lock the organiser's row while counting and storing.
        Unit.objects.select_for_update().filter(pk=campaign.unit_id).first()
        text = compose(campaign, summary, today=today, document_number=document_number)
        docx = officedocs.write_official_docx(
            issuer_mark=text.issuer_mark, document_number=text.document_number, title=text.title,
            addressee=text.addressee, paragraphs=[(_paragraph_kind(p), p) for p in text.paragraphs],
            table_title=TABLE_TITLE, headers=TABLE_HEADERS, rows=failing_rows(summary, labels),
            signature=text.signature, date_text=text.date_text,
            figures=evidence_figures(campaign), figures_title=_("附件：单项否决问题截图"))
        xlsx = _xlsx_annex(_("%(title)s附件：抽查情况表") % {"title": text.title}, summary, labels, deduction_codes)
        notice = Notice(campaign=campaign, title=text.title[:300], document_number=text.document_number[:100],
                        created_by=None if is_system(by) else by)
        stamp = f"{today:%Y%m%d}"
        notice.docx.save(f"notice-{campaign.pk}-{stamp}.docx", ContentFile(docx), save=False)
        notice.xlsx.save(f"notice-{campaign.pk}-{stamp}.xlsx", ContentFile(xlsx), save=False)
        notice.save()
        record_audit(by, "supervision.notice_generate", notice, campaign=campaign.pk,
                     document_number=notice.document_number, failing=len(summary.failing))
    return notice


def notice_parts(notice: Notice) -> tuple[list[str], list[list[str]], list[str]]:
    """A stored notice's .docx read back (what was issued, not a re-render): the paragraphs after the title up
    to the table, the table's rows (header first), and the paragraphs after it (署名, 日期)."""
    from docx import Document

    with notice.docx.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    texts = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    if notice.title in texts:
        texts = texts[texts.index(notice.title) + 1:]
    before, after = texts, []
    if TABLE_TITLE in texts:
        at = texts.index(TABLE_TITLE)
        before, after = texts[:at], texts[at + 1:]
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows] if document.tables else []
    return before, rows, after


def download_name(notice: Notice, kind: str) -> str:
    """The file name a download offers: the title (and 附件 for the annex), without characters file systems
    refuse."""
    base = re.sub(r'[\\/:*?"<>|\s]+', "", notice.title)[:80] or "通报"
    return f"{base}.docx" if kind == "docx" else f"{base}（附件）.xlsx"


def notices_visible_to(user: AnyUser) -> Any:
    return Notice.objects.filter(campaign__in=campaigns_visible_to(user))


# --- publication into the portal's 政府信息公开 column ----------------------------------------------------------

def organiser_portal(campaign: Campaign) -> Website | None:
    """The organiser's hosted portal: a 政府门户网站 whose 主办单位 is the campaign's unit and that has a site."""
    return (Website.objects.filter(kind=WebsiteKind.PORTAL, owner_unit=campaign.unit, wagtail_site__isnull=False)
            .select_related("wagtail_site").order_by("pk").first())


def do_publish_notice(notice: Notice, *, by: AnyUser) -> Any:
    """提交到政府信息公开栏目: a DRAFT 信息 in the organiser's portal's 政府信息公开 column with the notice's text and
    both files attached (documents of the site's collection), submitted to the site's workflow (自动内容检查 →
    审核 → 保密审查). Never published here. Returns the page."""
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    from govsite.content.disclosure_site import ogi_root
    from govsite.content.models import ArticlePage

    _require_actor(by)
    if not may_run_campaigns(by):
        raise PermissionDenied(_("只有监管人员可以提交通报。"))
    notice = access_notice(by, notice.pk)  # outside the user's scope: 404
    if notice.page_id is not None:
        raise ValidationError(_("该通报已提交到政府信息公开栏目，不能重复提交。"))
    portal = organiser_portal(notice.campaign)
    if portal is None:
        raise ValidationError(_("组织单位“%(unit)s”没有在本平台托管的政府门户网站，不能提交到政府信息公开栏目。") % {
            "unit": notice.campaign.unit.name})
    home = portal.wagtail_site.root_page
    column = ogi_root(home)
    if column is None:
        raise ValidationError(_("门户网站“%(site)s”还没有政府信息公开栏目，请先由平台管理员修复站点栏目。") % {
            "site": portal.name})
    collection = Collection.objects.filter(name=portal.site_code, depth=2).first()
    if collection is None:
        raise ValidationError(_("门户网站“%(site)s”的文件库不存在，请先由平台管理员修复站点。") % {"site": portal.name})
    user = None if is_system(by) else by
    document_model = get_document_model()
    with transaction.atomic():
        attachments = []
        for field, title in ((notice.docx, notice.title), (notice.xlsx, _("%(t)s（附件）") % {"t": notice.title})):
            document = document_model(title=title[:255], collection=collection, uploaded_by_user=user)
            with field.open("rb") as handle:
                document.file.save(download_name(notice, field.field.name), ContentFile(handle.read()), save=False)
            document.save()
            attachments.append(document)
        before, rows, after = notice_parts(notice)
        body: list[dict[str, Any]] = [{"type": "paragraph", "value": _html(before)}]
        if len(rows) > 1:
            body.append({"type": "table", "value": {
                "data": rows, "first_row_is_table_header": True, "first_col_is_header": False,
                "table_caption": TABLE_TITLE, "mergeCells": [], "cell": []}})
        if after:
            body.append({"type": "paragraph", "value": _html(after)})
        body += [{"type": "attachment", "value": {"document": d.pk, "title": d.title}} for d in attachments]
        page = column.add_child(instance=ArticlePage(
            title=notice.title, slug=f"tongbao-{notice.pk}", live=False, owner=user, body=body,
            issuing_organ=notice.campaign.unit.name[:100], source=notice.campaign.unit.name[:100],
            summary=_("%(number)s") % {"number": notice.document_number}))
        revision = page.save_revision(user=user, log_action=True)
        workflow = page.get_workflow()
        if workflow is None:
            raise ValidationError(_("门户网站“%(site)s”没有信息发布审核流程，不能提交。") % {"site": portal.name})
        workflow.start(page, user)
        Notice.objects.filter(pk=notice.pk).update(page=page)
        notice.page = page
        record_audit(by, "supervision.notice_publish", notice, page=page.pk, site=portal.site_code,
                     revision=revision.pk)
    return page


def _html(paragraphs: list[str]) -> str:
    from django.utils.html import escape

    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
