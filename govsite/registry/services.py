"""网站基本信息库 operations: registering, updating, status changes and security tests of government websites.

Views, the API, the Excel import, commands and tasks all call these functions; none of them re-implements a
rule. Every operation takes the acting user (`by`), checks scope through `govsite.core.access`, validates
with field-keyed Chinese messages (django `ValidationError`), runs in one transaction and writes the audit log.

Rules enforced (国办发〔2017〕47号《政府网站发展指引》, 国办函〔2018〕55号 域名通知):
- 网站标识码 is 10 digits or ``bm`` + 8 digits; a local code starts with the owner's 6-digit 行政区划代码.
- A site in use (``ACTIVE_STATUSES``) has a host under ``.gov.cn`` or ``.政务``; a portal is ``www.<x>.gov.cn``
  (or ``www.<x>.政务``); a department site lives under its government's portal domain.
- One site in use per unit; none for 乡镇/街道 governments or 县级政府部门 — unless an 例外审批文号 is given.
- Status changes follow ``ALLOWED_TRANSITIONS`` with a mandatory reason; 运行 needs a passed 安全检测;
  已整合 names a different running site; 永久下线 and 已整合 are final.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govsite.core.access import is_system, require_actor, units_visible_to
from govsite.core.models import Unit
from govsite.core.services import record_audit
from govsite.core.validators import check_phone, check_text
from govsite.registry.access import access_website, websites_visible_to

from .models import (
    ACTIVE_STATUSES,
    ALLOWED_TRANSITIONS,
    COLUMN_UPDATE_CLASS_CHOICES,
    SITE_CODE_PATTERN,
    SecurityTest,
    StatusChange,
    Website,
    WebsiteColumn,
    WebsiteKind,
    WebsiteStatus,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.http import HttpRequest

# Registry data a supervisor edits directly; status and 整合至 change only through do_change_status.
EDITABLE_FIELDS: tuple[str, ...] = (
    "site_code",
    "name",
    "kind",
    "supervising_unit",
    "owner_unit",
    "operator_unit",
    "homepage_url",
    "icp_number",
    "police_record_number",
    "party_gov_mark",
    "contact_name",
    "contact_phone",
    "contact_email",
    "address",
    "protection_level",
    "last_assessment_date",
    "last_assessment_result",
    "exception_document",
    "exception_reason",
)
UNIT_FIELDS: tuple[str, ...] = ("supervising_unit", "owner_unit", "operator_unit")

# Statuses a new entry may be registered in: a site being built, or the record of a site that is gone.
# A site that already runs is registered as 筹建 and then moved on, so that it passes the 运行 gate.
REGISTRABLE_STATUSES: tuple[str, ...] = (WebsiteStatus.PLANNING, WebsiteStatus.OFFLINE, WebsiteStatus.MERGED)
HISTORICAL_STATUSES: tuple[str, ...] = (WebsiteStatus.OFFLINE, WebsiteStatus.MERGED)
FINAL_STATUSES: tuple[str, ...] = tuple(s for s, targets in ALLOWED_TRANSITIONS.items() if not targets)

GOV_SUFFIXES: tuple[str, ...] = (".gov.cn", ".政务")
_PORTAL_HOST = re.compile(r"^www\.[^.]+\.(gov\.cn|政务)$")
_SITE_CODE = re.compile(SITE_CODE_PATTERN)
# Registration numbers as the authorities write them; digits are ASCII (``\d`` would take ０-９ and others).
_ICP_NUMBER = re.compile(r"[\u4e00-\u9fff]ICP[备证][0-9]{4,12}号(?:-[0-9]{1,4})?")
_POLICE_RECORD_NUMBER = re.compile(r"[\u4e00-\u9fff]公网安备 ?[0-9]{6,20}号")
_PARTY_GOV_MARK = re.compile(r"[0-9A-Za-z]{1,64}")
TEXT_FIELDS: tuple[str, ...] = (
    "site_code", "name", "homepage_url", "icp_number", "police_record_number", "party_gov_mark", "contact_name",
    "contact_phone", "contact_email", "address", "exception_document", "exception_reason",
)

ErrorDict = dict[str, list[str]]


# --- domain helpers -------------------------------------------------------------------------------


def normalise_host(host: str) -> str:
    """A hostname in lower-case Unicode, so that ``xn--zfr164b`` and ``政务`` compare equal."""
    labels = []
    for label in (host or "").strip().rstrip(".").lower().split("."):
        if label.startswith("xn--"):
            try:
                label = label.encode("ascii").decode("idna")
            except UnicodeError:
                pass  # not valid punycode: keep it as typed, the suffix checks will refuse it
        labels.append(label)
    return ".".join(labels)


def host_of(url: str) -> str:
    try:
        return normalise_host(urlsplit(url or "").hostname or "")
    except ValueError:
        return ""


def registrable_domain(host: str) -> str:
    """The domain a government registered: ``jia.gov.cn`` for ``www.jia.gov.cn``, ``jia.政务`` for ``www.jia.政务``."""
    host = normalise_host(host)
    labels = host.split(".")
    if host.endswith(".gov.cn"):
        return ".".join(labels[-3:])
    if host.endswith(".政务"):
        return ".".join(labels[-2:])
    return host


def is_government_host(host: str) -> bool:
    host = normalise_host(host)
    return any(host.endswith(suffix) and len(host) > len(suffix) for suffix in GOV_SUFFIXES)


def parent_portals(owner: Unit) -> list[Website]:
    """Active portals under whose domain a department site of ``owner`` may live.

    The portal of the owner's own government comes first; the portal of that government's parent is also
    accepted, because the 指引 lets a department use a sub-domain of the higher level's portal as well.
    """
    government = owner.government()
    if government is None:
        return []
    owners = [government.pk]
    if government.parent_id:
        owners.append(government.parent_id)
    return list(
        Website.objects.filter(owner_unit_id__in=owners, kind=WebsiteKind.PORTAL, status__in=ACTIVE_STATUSES)
    )


# --- validation -----------------------------------------------------------------------------------


def _add(errors: ErrorDict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _check_site_code(website: Website, errors: ErrorDict) -> None:
    code = website.site_code or ""
    if not _SITE_CODE.fullmatch(code):
        _add(errors, "site_code", _("网站标识码应为 10 位数字，或 bm 加 8 位数字。"))
        return
    if Website.objects.filter(site_code=code).exclude(pk=website.pk).exists():
        _add(errors, "site_code", _("网站标识码“%(code)s”已被登记。") % {"code": code})
    if website.is_local and website.owner_unit_id:
        division = website.owner_unit.region.code
        if code[:6] != division:
            _add(
                errors,
                "site_code",
                _("地方政府网站的网站标识码前 6 位应为主办单位所在行政区划代码 %(division)s，实为 %(prefix)s。")
                % {"division": division, "prefix": code[:6]},
            )


def _check_domain(website: Website, errors: ErrorDict) -> None:
    """Domain rules of the 域名通知; only sites in use are held to them (history keeps its old domains)."""
    host = host_of(website.homepage_url)
    if not host:
        return  # the URL field itself already reports a missing or malformed address
    if not is_government_host(host):
        _add(errors, "homepage_url", _("政府网站只能使用以 .gov.cn 或 .政务 结尾的域名。"))
        return
    if _host_in_use(host, exclude_pk=website.pk):
        _add(errors, "homepage_url", _("域名 %(host)s 已由另一个在用网站使用。") % {"host": host})
    if website.kind == WebsiteKind.PORTAL:
        if not _PORTAL_HOST.match(host):
            _add(
                errors,
                "homepage_url",
                _("政府门户网站的域名应为 www.□□□.gov.cn（或 www.□□□.政务）的形式，%(host)s 不符合。") % {"host": host},
            )
        return
    if not website.owner_unit_id:
        return
    portals = [p for p in parent_portals(website.owner_unit) if p.pk != website.pk]
    if not portals:
        return  # no portal registered yet for this government: nothing to be a sub-domain of
    for portal in portals:
        domain = registrable_domain(portal.host)
        if host != normalise_host(portal.host) and host.endswith("." + domain):
            return
    _add(
        errors,
        "homepage_url",
        _("部门网站应使用本级政府门户网站域名的下级域名（如 ○○○.%(domain)s），%(host)s 不符合。")
        % {"domain": registrable_domain(portals[0].host), "host": host},
    )


def _host_in_use(host: str, *, exclude_pk: int | None) -> bool:
    # The URL column may hold the Unicode or the punycode spelling: narrow by both, then compare exactly.
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_host = host
    candidates = (
        Website.objects.filter(status__in=ACTIVE_STATUSES)
        .exclude(pk=exclude_pk)
        .filter(models.Q(homepage_url__icontains=host) | models.Q(homepage_url__icontains=ascii_host))
        .values_list("homepage_url", flat=True)
    )
    return any(host_of(url) == host for url in candidates)


def _check_unit_rules(website: Website, errors: ErrorDict) -> None:
    """One site per unit, none for townships and county departments — unless an approval document exists."""
    owner = website.owner_unit
    if website.kind == WebsiteKind.PORTAL and owner.kind != Unit.Kind.GOVERNMENT:
        _add(errors, "kind", _("只有人民政府开设政府门户网站；部门、事业单位请登记为部门网站。"))
    if website.exception_document.strip():
        return
    hint = _("确需开设的，请填写例外审批文号。")
    if owner.is_township_government:
        _add(errors, "owner_unit", _("乡镇人民政府、街道办事处原则上不开设政府网站，应通过上级政府门户网站发布信息。") + hint)
    elif owner.is_county_department:
        _add(errors, "owner_unit", _("县级政府部门原则上不开设网站，应通过县级政府门户网站发布信息。") + hint)
    other = (
        Website.objects.filter(owner_unit=owner, status__in=ACTIVE_STATUSES).exclude(pk=website.pk).first()
    )
    if other is not None:
        _add(
            errors,
            "owner_unit",
            _("主办单位“%(unit)s”已有在用网站“%(site)s”，一个单位原则上只开设一个网站。") % {"unit": owner, "site": other}
            + hint,
        )
    if (
        owner.kind == Unit.Kind.INSTITUTION
        and not owner.administrative_functions
        and host_of(website.homepage_url).endswith(".gov.cn")
    ):
        _add(errors, "homepage_url", _("不承担行政职能的事业单位原则上不得使用 .gov.cn 域名。") + hint)


def _check_input(website: Website, errors: ErrorDict, fields: set[str] | None) -> None:
    """输入校验: characters no export or database can take, and the formats of numbers and addresses.

    Runs on the fields being set (all for a new entry): an old entry with a legacy value is not blocked on
    an unrelated edit, and the exports cope with what is already stored."""
    for field in TEXT_FIELDS:
        if fields is None or field in fields:
            message = check_text(getattr(website, field))
            if message:
                _add(errors, field, message)
    checks = (
        ("contact_phone", check_phone),
        ("homepage_url", _url_message),
        ("icp_number", lambda v: _format_message(v, _ICP_NUMBER, _("ICP备案号应形如“京ICP备12345678号”或“京ICP备12345678号-1”（半角数字）。"))),
        ("police_record_number", lambda v: _format_message(v, _POLICE_RECORD_NUMBER, _("公安机关备案号应形如“京公网安备 11010502030143号”（半角数字）。"))),
        ("party_gov_mark", lambda v: _format_message(v, _PARTY_GOV_MARK, _("党政机关网站标识编号只能包含半角数字和字母。"))),
    )
    for field, check in checks:
        if (fields is None or field in fields) and field not in errors and getattr(website, field):
            message = check(getattr(website, field))
            if message:
                _add(errors, field, message)


def _format_message(value: str, pattern: re.Pattern[str], message: str) -> str | None:
    return None if pattern.fullmatch(value) else message


def _url_message(url: str) -> str | None:
    """A 首页网址 the monitor and the footer can use: http(s), a host, a valid port, no user name."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return _("网址中的端口号无效（应为 1–65535）。")
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return _("网址应以 http:// 或 https:// 开头，并包含域名。")
    if parts.username is not None or parts.password is not None:
        return _("网址中不能包含用户名或密码。")
    if port == 0:
        return _("网址中的端口号无效（应为 1–65535）。")
    return None


def validate_website(website: Website, *, changed: set[str] | None = None) -> None:
    """Check a registry entry against the model and the national rules; raise a field-keyed ValidationError.

    ``changed`` names the fields an update touched (``None`` for a new entry): the domain rules run when the
    site is new or its address, type or owner changed, so that an old entry is not blocked on unrelated edits.
    """
    errors: ErrorDict = {}
    _check_input(website, errors, changed)
    try:
        website.full_clean(exclude=["site_code", "wagtail_site", "merged_into", *errors], validate_unique=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    new = changed is None
    if (new or changed & {"site_code", "owner_unit"}) and "site_code" not in errors:
        _check_site_code(website, errors)
    if website.status in ACTIVE_STATUSES and website.owner_unit_id and "owner_unit" not in errors:
        if new or changed & {"homepage_url", "kind", "owner_unit"}:
            if "homepage_url" not in errors:
                _check_domain(website, errors)
        if new or changed & {"owner_unit", "kind", "exception_document", "homepage_url"}:
            _check_unit_rules(website, errors)
    if errors:
        raise ValidationError(errors)


# --- input handling -------------------------------------------------------------------------------


def _as_unit(value: Any) -> Unit | None:
    if value is None or value == "":
        return None
    if isinstance(value, Unit):
        return value
    return Unit.objects.select_related("region").filter(pk=value).first()


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _normalise(field: str, value: Any) -> Any:
    if field in UNIT_FIELDS:
        return _as_unit(value)
    if value is None and field not in ("protection_level", "last_assessment_date"):
        return ""
    if isinstance(value, str):
        return value.strip()
    return value


def changed_fields(website: Website, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The part of ``changes`` that differs from the stored entry (unit values compared by primary key)."""
    differing = {}
    for field, value in changes.items():
        value = _normalise(field, value)
        current = getattr(website, field)
        if field in UNIT_FIELDS:
            if (value.pk if value else None) != (current.pk if current else None):
                differing[field] = value
        elif value != current:
            differing[field] = value
    return differing


def _collect(data: Mapping[str, Any] | None, fields: Mapping[str, Any]) -> dict[str, Any]:
    merged = {**(data or {}), **fields}
    # Accept `owner_unit_id=3` as well as `owner_unit=<Unit>`.
    for unit_field in UNIT_FIELDS:
        if f"{unit_field}_id" in merged:
            given = merged.pop(f"{unit_field}_id")
            if merged.get(unit_field) is None:
                merged[unit_field] = given
    return merged


def _outside_units(by: AbstractBaseUser, units: Mapping[str, Unit | None]) -> ErrorDict:
    """Errors for units being set that the user does not manage. A unit kept as stored is not checked: a
    supervisor may edit a site whose 承办单位 is run from above (e.g. the region's e-government centre)."""
    errors: ErrorDict = {}
    labels = {"supervising_unit": _("主管单位"), "owner_unit": _("主办单位"), "operator_unit": _("承办单位")}
    given = {field: unit for field, unit in units.items() if unit is not None}
    if not given:
        return errors
    allowed = set(units_visible_to(by).filter(pk__in=[u.pk for u in given.values()]).values_list("pk", flat=True))
    for field, unit in given.items():
        if unit.pk not in allowed:
            _add(errors, field, _("%(what)s不在您的管理范围内。") % {"what": labels[field]})
    return errors


# Free text (变更理由, 检测说明) is long enough for a paragraph, short enough for a cell and an audit entry.
MAX_REASON = 2000


def _check_lengths_and_characters(errors: ErrorDict, **fields: tuple[str, int, bool]) -> None:
    """Chinese messages for text (value, max length, multi-line) too long for its column or holding
    characters no export or database can take — before PostgreSQL would refuse it with an error page."""
    for field, (value, limit, multiline) in fields.items():
        message = check_text(value, multiline=multiline)
        if message:
            _add(errors, field, message)
        elif len(value) > limit:
            _add(errors, field, _("不能超过 %(limit)d 个字符（现有 %(n)d 个）。") % {"limit": limit, "n": len(value)})


# --- operations -----------------------------------------------------------------------------------


@transaction.atomic
def do_register_website(
    data: Mapping[str, Any] | None = None,
    *,
    by: AbstractBaseUser,
    request: HttpRequest | None = None,
    reason: str = "",
    document_number: str = "",
    **fields: Any,
) -> Website:
    """登记网站: add a website to the registry.

    ``data`` (or keyword arguments) holds ``EDITABLE_FIELDS`` plus optionally ``status`` and ``merged_into``.
    A new entry is 筹建 unless it records a site that is already gone (永久下线 / 已整合, e.g. imported
    history); such records are exempt from the domain and one-site rules but still need a valid 网站标识码.
    A site that already runs is registered as 筹建 and moved to 运行 with ``do_change_status``, so it passes
    the same security-test gate. 主管单位 defaults to the 主办单位.
    """
    values = _collect(data, fields)
    unknown = set(values) - set(EDITABLE_FIELDS) - {"status", "merged_into"}
    if unknown:
        raise TypeError(f"do_register_website() got unknown fields: {', '.join(sorted(unknown))}")
    allowed_units = units_visible_to(by)
    if not allowed_units.exists():
        raise PermissionDenied(_("无权登记网站。"))

    status = values.pop("status", None) or WebsiteStatus.PLANNING
    merged_into = values.pop("merged_into", None)
    website = Website(**{f: _normalise(f, v) for f, v in values.items()})
    website.status = status
    if website.owner_unit_id and not website.supervising_unit_id:
        website.supervising_unit = website.owner_unit

    errors: ErrorDict = {}
    if status not in REGISTRABLE_STATUSES:
        _add(
            errors,
            "status",
            _("新登记的网站状态应为“筹建”；已在运行的网站请登记后录入通过的安全检测，再变更为“运行”。"),
        )
    outside = _outside_units(by, {f: getattr(website, f) for f in UNIT_FIELDS if getattr(website, f"{f}_id")})
    if "owner_unit" in outside:
        # Stop here: the other rules would describe sites of a unit the user may not see.
        raise ValidationError({**errors, "owner_unit": outside["owner_unit"]})
    errors.update(outside)
    if website.owner_unit_id:
        # Serialise registrations per unit so that two at once cannot both pass the one-site rule.
        Unit.objects.select_for_update().filter(pk=website.owner_unit_id).first()
    if status == WebsiteStatus.MERGED:
        target = _visible_target(by, merged_into)
        if target is None:
            _add(errors, "merged_into", _("已整合的网站须填写整合至的网站（须为已登记且您有权查看的网站）。"))
        website.merged_into = target
    elif merged_into not in (None, ""):
        _add(errors, "merged_into", _("只有已整合的网站才填写整合至。"))
    reason, document_number = (reason or "").strip(), (document_number or "").strip()
    _check_lengths_and_characters(errors, reason=(reason, MAX_REASON, True),
                                  document_number=(document_number, 100, False))
    try:
        validate_website(website)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    website.save()
    StatusChange.objects.create(
        website=website,
        from_status="",
        to_status=status,
        changed_by=by if getattr(by, "is_authenticated", False) else None,
        reason=reason or (_("登记网站") if status == WebsiteStatus.PLANNING else _("登记历史网站")),
        document_number=document_number,
        merged_into=website.merged_into,
    )
    record_audit(by, "website.register", website, request=request, site_code=website.site_code, status=status)
    return website


def _visible_target(by: AbstractBaseUser, value: Any) -> Website | None:
    """A merge target given as a Website, a primary key (int) or a 网站标识码 (str), if the user can see it."""
    if value in (None, ""):
        return None
    visible = websites_visible_to(by)
    if isinstance(value, Website):
        return visible.filter(pk=value.pk).first()
    if isinstance(value, int):
        return visible.filter(pk=value).first()
    return visible.filter(site_code=str(value).strip()).first()


@transaction.atomic
def do_update_website(
    website: Website,
    changes: Mapping[str, Any],
    *,
    by: AbstractBaseUser,
    request: HttpRequest | None = None,
) -> Website:
    """修改登记信息: change registry fields of a website the user manages. No-op when nothing differs.

    Status and 整合至 are not editable here; they change only through ``do_change_status`` so that every
    transition is recorded. On a validation error the passed instance is left as it was.
    """
    access_website(by, pk=website.pk, for_change=True)
    forbidden = set(changes) - set(EDITABLE_FIELDS)
    if forbidden & {"status", "merged_into"}:
        raise ValidationError({"status": [_("网站状态须通过“变更状态”办理，并填写变更理由。")]})
    if forbidden:
        raise TypeError(f"do_update_website() got non-editable fields: {', '.join(sorted(forbidden))}")
    current = Website.objects.select_for_update().select_related("owner_unit__region").get(pk=website.pk)
    differing = changed_fields(current, changes)
    if not differing:
        return website
    before = {field: _jsonable(getattr(current, field)) for field in differing}
    errors = _outside_units(by, {f: v for f, v in differing.items() if f in UNIT_FIELDS})
    if "owner_unit" in differing:
        owner = differing["owner_unit"]
        if owner is None:
            _add(errors, "owner_unit", _("请选择主办单位。"))
        elif "owner_unit" not in errors:
            Unit.objects.select_for_update().filter(pk=owner.pk).first()
    if errors:
        raise ValidationError(errors)
    for field, value in differing.items():
        setattr(current, field, value)
    validate_website(current, changed=set(differing))
    current.save()
    record_audit(
        by,
        "website.update",
        current,
        request=request,
        changes={f: [before[f], _jsonable(v)] for f, v in differing.items()},
    )
    website.refresh_from_db()
    return website


@transaction.atomic
def do_change_status(
    website: Website,
    to_status: str,
    *,
    by: AbstractBaseUser,
    reason: str,
    document_number: str = "",
    merged_into: Website | None = None,
    request: HttpRequest | None = None,
) -> StatusChange:
    """变更网站状态: move a website along its lifecycle and record who, when, why and under which document.

    运行 requires a passed 安全检测 (未通过安全检测的政府网站不得上线运行); 已整合 requires ``merged_into``, a
    different site the user can see that is 运行 now; 永久下线 and 已整合 are final.
    """
    require_actor(by)
    if not is_system(by):  # the system moves a site to 整改 and back as its tickets open and close
        access_website(by, pk=website.pk, for_change=True)
    current = Website.objects.select_for_update().get(pk=website.pk)
    labels = dict(WebsiteStatus.choices)
    errors: ErrorDict = {}
    reason = (reason or "").strip()
    document_number = (document_number or "").strip()
    if not reason:
        _add(errors, "reason", _("请填写变更理由。"))
    _check_lengths_and_characters(errors, reason=(reason, MAX_REASON, True),
                                  document_number=(document_number, 100, False))
    if to_status not in labels:
        _add(errors, "to_status", _("未知的网站状态“%(status)s”。") % {"status": to_status})
    elif current.status in FINAL_STATUSES:
        _add(
            errors,
            "to_status",
            _("网站已是“%(status)s”状态，不能再变更。") % {"status": labels[current.status]},
        )
    elif to_status == current.status:
        _add(errors, "to_status", _("网站已是“%(status)s”状态。") % {"status": labels[to_status]})
    elif to_status not in ALLOWED_TRANSITIONS[current.status]:
        _add(
            errors,
            "to_status",
            _("不能从“%(from)s”变更为“%(to)s”。") % {"from": labels[current.status], "to": labels[to_status]},
        )
    elif to_status == WebsiteStatus.RUNNING and not current.security_tests.filter(passed=True).exists():
        _add(
            errors,
            "to_status",
            _("网站须有一次通过的安全检测记录才能转为运行（未通过安全检测的政府网站不得上线运行）。"),
        )
    target = None
    if to_status == WebsiteStatus.MERGED:
        target = _visible_target(by, merged_into)
        if merged_into in (None, ""):
            _add(errors, "merged_into", _("整合须指定整合至的网站。"))
        elif target is None:
            _add(errors, "merged_into", _("整合至的网站不存在或无权访问。"))
        elif target.pk == current.pk:
            _add(errors, "merged_into", _("网站不能整合至自身。"))
        else:
            target = Website.objects.select_for_update().get(pk=target.pk)
            if target.status != WebsiteStatus.RUNNING:
                _add(
                    errors,
                    "merged_into",
                    _("整合至的网站须处于运行状态，“%(site)s”当前为“%(status)s”。")
                    % {"site": target, "status": labels[target.status]},
                )
    elif merged_into not in (None, ""):
        _add(errors, "merged_into", _("只有整合时才指定整合至的网站。"))
    if errors:
        raise ValidationError(errors)

    change = StatusChange.objects.create(
        website=current,
        from_status=current.status,
        to_status=to_status,
        changed_by=by if getattr(by, "is_authenticated", False) else None,
        reason=reason,
        document_number=document_number,
        merged_into=target,
    )
    current.status = to_status
    update = ["status", "updated_at"]
    if target is not None:
        current.merged_into = target
        update.append("merged_into")
    current.save(update_fields=update)
    record_audit(
        by,
        "website.status",
        current,
        request=request,
        from_status=change.from_status,
        to_status=to_status,
        reason=reason,
        document_number=change.document_number,
        merged_into=target.site_code if target else "",
    )
    website.status = current.status
    website.merged_into = current.merged_into
    return change


@transaction.atomic
def do_record_security_test(
    website: Website,
    *,
    tested_on: datetime.date,
    tester: str,
    passed: bool,
    report_number: str = "",
    notes: str = "",
    by: AbstractBaseUser,
    request: HttpRequest | None = None,
) -> SecurityTest:
    """登记安全检测: record a security test of a website; a passed one opens the way to 运行."""
    website = access_website(by, pk=website.pk, for_change=True)
    errors: ErrorDict = {}
    if website.status in FINAL_STATUSES:
        _add(errors, "__all__", _("已永久下线或已整合的网站不再登记安全检测。"))
    if not isinstance(tested_on, datetime.date):
        _add(errors, "tested_on", _("请填写检测日期。"))
    elif tested_on > timezone.localdate():
        _add(errors, "tested_on", _("检测日期不能晚于今天。"))
    if not (tester or "").strip():
        _add(errors, "tester", _("请填写检测机构。"))
    if not isinstance(passed, bool):
        _add(errors, "passed", _("请选择检测是否通过。"))
    _check_lengths_and_characters(errors, tester=(tester or "", 200, False),
                                  report_number=(report_number or "", 100, False),
                                  notes=(notes or "", MAX_REASON, True))
    if errors:
        raise ValidationError(errors)
    test = SecurityTest(
        website=website,
        tested_on=tested_on,
        tester=tester.strip(),
        report_number=(report_number or "").strip(),
        passed=passed,
        notes=(notes or "").strip(),
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    test.full_clean()
    test.save()
    record_audit(
        by,
        "website.security_test",
        website,
        request=request,
        tested_on=tested_on.isoformat(),
        tester=test.tester,
        report_number=test.report_number,
        passed=passed,
    )
    return test


# -- 监测栏目（栏目校正） -------------------------------------------------------------------------------------

MAX_COLUMNS = 200
MAX_COLUMN_NAME = 20
_COLUMN_SEPARATORS = re.compile(r"\s*[|｜\t]\s*")


def _update_class_of(value: str) -> str | None:
    """The identifier of an update class written as its identifier, its label or a part of the label
    (通知公告 for 通知公告/政策文件); "" for blank (by the name); None when it is none of them."""
    value = value.strip()
    if not value:
        return ""
    for key, label in COLUMN_UPDATE_CLASS_CHOICES:
        if value in (key, str(label)) or value in str(label).split("/"):
            return key
    return None


def parse_column_lines(text: str) -> list[dict[str, str]]:
    """栏目校正 text, one column per line: ``名称 | 地址 | 更新类别`` (the class may be left out).

    Blank lines and lines starting with # are skipped. Errors name their line; all are reported at once.
    """
    columns: list[dict[str, str]] = []
    errors: list[str] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = _COLUMN_SEPARATORS.split(line)
        if len(parts) not in (2, 3):
            errors.append(_("第 %(line)d 行：应为“栏目名称 | 栏目地址 | 更新类别”，更新类别可省略。") % {"line": number})
            continue
        update_class = _update_class_of(parts[2] if len(parts) == 3 else "")
        if update_class is None:
            labels = "、".join(str(label) for _key, label in COLUMN_UPDATE_CLASS_CHOICES)
            errors.append(
                _("第 %(line)d 行：更新类别“%(value)s”无法识别，可填：%(labels)s，或留空按栏目名称判断。")
                % {"line": number, "value": parts[2], "labels": labels}
            )
            continue
        columns.append({"name": parts[0], "url": parts[1], "update_class": update_class, "line": str(number)})
    if errors:
        raise ValidationError({"columns": errors})
    return columns


def _column_errors(website: Website, columns: list[dict[str, str]]) -> list[str]:
    site_host = host_of(website.homepage_url)
    domain = registrable_domain(site_host)
    errors: list[str] = []
    names: set[str] = set()
    if len(columns) > MAX_COLUMNS:
        errors.append(_("监测栏目最多 %(max)d 个。") % {"max": MAX_COLUMNS})
    for index, column in enumerate(columns, start=1):
        where = _("第 %(line)s 行") % {"line": column.get("line") or index}
        name = "".join((column.get("name") or "").split())
        url = (column.get("url") or "").strip()
        bad = check_text(name) or check_text(url)
        if bad:
            errors.append(f"{where}：{bad}")
            continue
        if not name:
            errors.append(_("%(where)s：请填写栏目名称。") % {"where": where})
        elif len(name) > MAX_COLUMN_NAME:
            errors.append(_("%(where)s：栏目名称不能超过 %(max)d 个字。") % {"where": where, "max": MAX_COLUMN_NAME})
        elif name in names:
            errors.append(_("%(where)s：栏目“%(name)s”重复。") % {"where": where, "name": name})
        names.add(name)
        try:
            parts = urlsplit(url)
            scheme, host = parts.scheme.lower(), host_of(url)
        except ValueError:
            scheme, host = "", ""
        if scheme not in ("http", "https") or not host or len(url) > 500:
            errors.append(_("%(where)s：栏目地址“%(url)s”不是有效的网址（应以 http:// 或 https:// 开头）。")
                          % {"where": where, "url": url})
        elif not (host == site_host or host == domain or host.endswith("." + domain)):
            errors.append(_("%(where)s：栏目地址不在本网站（%(host)s）的域名下。") % {"where": where, "host": site_host})
        if (column.get("update_class") or "") not in ("", *(key for key, _label in COLUMN_UPDATE_CLASS_CHOICES)):
            errors.append(_("%(where)s：更新类别无效。") % {"where": where})
    return errors


@transaction.atomic
def do_set_website_columns(
    website: Website,
    columns: list[dict[str, str]],
    *,
    by: AbstractBaseUser,
    request: HttpRequest | None = None,
) -> list[WebsiteColumn]:
    """栏目校正: replace the monitored columns of a website (all or nothing). An empty list returns the
    site to the columns the monitor discovers from its homepage navigation."""
    website = access_website(by, pk=website.pk, for_change=True)
    errors = _column_errors(website, columns)
    if errors:
        raise ValidationError({"columns": errors})
    before = list(website.monitored_columns.values_list("name", flat=True))
    website.monitored_columns.all().delete()
    saved = WebsiteColumn.objects.bulk_create(
        WebsiteColumn(
            website=website,
            position=position,
            name="".join(column["name"].split()),
            url=column["url"].strip(),
            update_class=column.get("update_class") or "",
        )
        for position, column in enumerate(columns)
    )
    record_audit(
        by,
        "website.columns",
        website,
        request=request,
        before=before,
        after=[column.name for column in saved],
    )
    return saved


def column_lines(website: Website) -> str:
    """The monitored columns as the text `parse_column_lines` reads (for editing)."""
    return "\n".join(
        " | ".join(filter(None, (c.name, c.url, c.get_update_class_display() if c.update_class else "")))
        for c in website.monitored_columns.all()
    )
