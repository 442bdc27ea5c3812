"""Building the demo region (示范自治区) in the database: `do_build_demo` and the steps it runs.

Every step creates only what is missing, keyed by natural keys (region code, unit name within its region,
网站标识码, page slug under its parent, username), so a second run changes nothing.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import post_save
from django.utils import timezone
from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

from govsite.accounts.services import do_enrol_demo_totp
from govsite.content.models import ArticlePage, ColumnPage, HomePage, keeping_original_published_at
from govsite.content.services import do_provision_hosted_site
from govsite.core.access import SYSTEM
from govsite.core.middleware import localhost_label
from govsite.core.models import Region, Role, RoleDefinition, ScopeKind, Unit
from govsite.core.services import do_assign_role
from govsite.demo.disclosure import fill_disclosure_column
from govsite.registry.models import SecurityTest, StatusChange, Website, WebsiteStatus

from . import data
from .data import EMPTY, ColumnSpec, HostedSiteData
from .plan import (
    MERGED,
    PLANNING,
    Geography,
    RegistryPlan,
    SitePlan,
    credit_code,
    dept_key,
    gov_key,
    plan_geography,
    plan_registry,
    seeded,
)
from .texts import Voice, write

Progress = Callable[[str], None]


@dataclass
class DemoResult:
    """What the build found and made, for the command's summary and for tests."""

    created: Counter = field(default_factory=Counter)
    totals: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    hosted: list[tuple[str, str, str]] = field(default_factory=list)  # site name, local URL, note
    accounts: list[tuple[str, str, bool]] = field(default_factory=list)  # username, description, created now
    foreign_sites: int = 0  # registry entries that this plan does not contain (an earlier, different run)
    seconds: float = 0.0


def _aware(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, dtime(hour, minute)))


def _bulk_create_tree(model: type[Model], objects: list[Model]) -> None:
    """Create tree nodes (Region/Unit) parent-first in bulk and fill in their materialised paths."""
    by_depth: dict[int, list[Model]] = {}
    depth_of: dict[int, int] = {}
    for obj in objects:
        parent = obj.parent  # type: ignore[attr-defined]
        depth = depth_of.get(id(parent), 0) + 1 if parent is not None and parent.pk is None else 0
        depth_of[id(obj)] = depth
        by_depth.setdefault(depth, []).append(obj)
    for depth in sorted(by_depth):
        batch = by_depth[depth]
        for obj in batch:
            obj.parent_id = obj.parent.pk if obj.parent is not None else None  # type: ignore[attr-defined]
        if connection.features.can_return_rows_from_bulk_insert:
            model.objects.bulk_create(batch, batch_size=500)
            for obj in batch:
                parent = obj.parent  # type: ignore[attr-defined]
                obj.path = f"{parent.path if parent is not None else '/'}{obj.pk}/"  # type: ignore[attr-defined]
            model.objects.bulk_update(batch, ["path"], batch_size=500)
        else:
            for obj in batch:
                obj.save()


def ensure_regions(geo: Geography) -> tuple[dict[str, Region], int]:
    """行政区划 of the plan, by code; returns them and how many were created."""
    existing = {r.code: r for r in Region.objects.filter(code__in=[r.code for r in geo.regions])}
    new: list[Region] = []
    for spec in geo.regions:
        if spec.code in existing:
            continue
        region = Region(code=spec.code, name=spec.name, level=spec.level,
                        parent=existing[spec.parent] if spec.parent else None)
        existing[spec.code] = region
        new.append(region)
    _bulk_create_tree(Region, new)
    return existing, len(new)


def ensure_units(geo: Geography, regions: dict[str, Region], seed: int) -> tuple[dict[str, Unit], int]:
    """机构 of the plan, by plan key; an existing unit is matched by name within its region."""
    found = {(u.region_id, u.name): u for u in Unit.objects.filter(region__code__startswith="99")}
    units: dict[str, Unit] = {}
    new: list[Unit] = []
    for spec in geo.units:
        region = regions[spec.region]
        unit = found.get((region.pk, spec.name))
        if unit is None:
            unit = Unit(
                name=spec.name, short_name=spec.short_name, kind=spec.kind, region=region,
                parent=units[spec.parent] if spec.parent else None,
                credit_code=credit_code(seeded(seed, "credit", spec.key), spec.region,
                                        institution=spec.kind == "institution"),
                administrative_functions=spec.administrative_functions,
            )
            new.append(unit)
        units[spec.key] = unit
    _bulk_create_tree(Unit, new)
    return units, len(new)


def ensure_registry(plan: RegistryPlan, units: dict[str, Unit], result: DemoResult) -> dict[str, Website]:
    """Registry entries (网站) of the plan with their status history and security tests, in bulk."""
    codes = [site.code for site in plan.sites]
    existing = set(Website.objects.filter(site_code__in=codes).values_list("site_code", flat=True))
    result.foreign_sites = Website.objects.exclude(site_code__in=codes).count()
    missing = [site for site in plan.sites if site.code not in existing]

    def website(site: SitePlan, merged_into_id: int | None = None) -> Website:
        operator = units[site.operator] if site.operator else None
        return Website(
            site_code=site.code, name=site.slot.name, kind=site.slot.kind, supervising_unit=units[site.supervising],
            owner_unit=units[site.slot.owner], operator_unit=operator, homepage_url=f"http://{site.slot.host}/",
            icp_number=site.icp, police_record_number=site.police, party_gov_mark=site.mark,
            contact_name=site.contact_name, contact_phone=site.contact_phone, contact_email=site.contact_email,
            address=site.address, protection_level=site.protection_level,
            last_assessment_date=site.assessment_date, last_assessment_result=site.assessment_result,
            status=site.status, merged_into_id=merged_into_id,
            # Every demo site is served on this machine (serve_demo_sites): the monitor may reach it there.
            allow_private_network=True,
        )

    # Targets of merged sites are running sites, created in the first pass (or already present).
    first = [website(site) for site in missing if site.status != MERGED]
    Website.objects.bulk_create(first, batch_size=500)
    targets = dict(Website.objects.filter(
        site_code__in={site.merged_into for site in missing if site.merged_into}).values_list("site_code", "pk"))
    second = [website(site, targets[site.merged_into]) for site in missing if site.merged_into]
    Website.objects.bulk_create(second, batch_size=500)
    result.created["websites"] += len(first) + len(second)

    created = {w.site_code: w for w in Website.objects.filter(site_code__in=[s.code for s in missing])}
    _backdate_registry(missing, created, targets)
    return {w.site_code: w for w in Website.objects.filter(site_code__in=[s.code for s in plan.hosted])}


def _backdate_registry(missing: list[SitePlan], created: dict[str, Website], targets: dict[str, int]) -> None:
    """Registration dates, status history and security tests happened years ago; auto_now fields would say
    today, so the rows are created first and their dates written afterwards."""
    changes: list[StatusChange] = []
    change_dates: list[datetime] = []
    tests: list[SecurityTest] = []
    for site in missing:
        web = created[site.code]
        web.created_at = _aware(site.registered, 9)
        web.updated_at = _aware(site.ended or site.live or site.registered, 17)
        history: list[tuple[str, str, date, str, str, int | None]] = [
            ("", PLANNING, site.registered, "经批准开办，登记筹建。", site.live_document, None)]
        if site.live:
            history.append((PLANNING, "running", site.live, "已通过上线前安全检测，批准上线运行。", "", None))
        if site.ended:
            history.append(("running", site.status, site.ended, site.end_reason, site.end_document,
                            targets.get(site.merged_into) if site.merged_into else None))
        for from_status, to_status, on, reason, document, merged_into in history:
            changes.append(StatusChange(website=web, from_status=from_status, to_status=to_status, reason=reason,
                                        document_number=document, merged_into_id=merged_into))
            change_dates.append(_aware(on, 11))
        for tested_on, tester, number, passed, notes in site.tests:
            tests.append(SecurityTest(website=web, tested_on=tested_on, tester=tester, report_number=number,
                                      passed=passed, notes=notes))
    Website.objects.bulk_update(list(created.values()), ["created_at", "updated_at"], batch_size=500)
    StatusChange.objects.bulk_create(changes, batch_size=500)
    if changes and changes[0].pk is None:  # a backend that does not return ids: look them up
        ids = list(StatusChange.objects.filter(website__in=list(created.values())).order_by("pk")
                   .values_list("pk", flat=True))
        for change, pk in zip(changes, ids, strict=True):
            change.pk = pk
    for change, when in zip(changes, change_dates, strict=True):
        change.changed_at = when
    StatusChange.objects.bulk_update(changes, ["changed_at"], batch_size=500)
    SecurityTest.objects.bulk_create(tests, batch_size=500)


# --- hosted sites -------------------------------------------------------------------------------------------

def build_voice(geo: Geography, hosted: HostedSiteData, website: Website, seed: int) -> Voice:
    """Who speaks on a hosted site: its government or department, leaders, subordinate places."""
    rng = seeded(seed, "voice", website.site_code)
    names = iter(rng.sample([s + g for s in data.SURNAMES for g in data.GIVEN_NAMES], 6))
    prefectures = tuple(p.name for p in data.PREFECTURES)
    regional_departments = (("gov", "自治区人民政府办公厅"),) + tuple(
        (d.domains[0], f"自治区{d.suffix}") for d in data.REGIONAL_DEPARTMENTS[1:])
    common = {"site_name": website.name, "phone_prefix": data.AREA_CODE}
    if hosted.level == "region":
        return Voice(
            unit=f"{data.REGION_NAME}人民政府", region=data.REGION_NAME, here="自治区", gov="自治区人民政府",
            office="自治区人民政府办公厅", doc_prefix=f"{data.REGION_DOC_PREFIX}政", head_title="主席", head=next(names),
            deputies=(("副主席", next(names)), ("副主席", next(names)), ("秘书长", next(names))),
            subregions=prefectures, addressee="各地（市）人民政府（行政公署），自治区人民政府各部门、各直属机构：",
            departments=regional_departments, mailbox="主席信箱", domains=(), is_department=False,
            newspaper="示范日报", local_news="地方动态", gov_docs="自治区政府文件", office_docs="自治区政府办公厅文件",
            special_title="", whole="全区", sub_term="各地（市）", domain=geo.domain(data.REGION_CODE), **common)
    if hosted.level == "prefecture":
        assert hosted.prefecture is not None
        pref = data.PREFECTURES[hosted.prefecture]
        code = f"99{hosted.prefecture + 1:02d}00"
        counties = tuple(geo.region_by_code[c].name for c in geo.counties_of[hosted.prefecture])
        district = pref.kind == "地区"
        here = "地区" if district else "市"
        departments = (("gov", "地区行政公署办公室" if district else "市人民政府办公室"),) + tuple(
            (d.domains[0], f"{here}{d.suffix}") for d in data.PREFECTURE_DEPARTMENTS[1:])
        return Voice(
            unit=geo.unit_by_key[gov_key(code)].name, region=pref.name, here=here,
            gov="地区行政公署" if district else "市人民政府",
            office="地区行政公署办公室" if district else "市人民政府办公室",
            doc_prefix=f"{pref.doc_char}行署" if district else f"{pref.doc_char}政",
            head_title="专员" if district else "市长", head=next(names),
            deputies=((f"副{'专员' if district else '市长'}", next(names)),
                      (f"副{'专员' if district else '市长'}", next(names)), ("秘书长", next(names))),
            subregions=counties,
            addressee="各县（市）人民政府，行署各部门：" if district else "各县（市、区）人民政府，市人民政府各部门：",
            departments=departments, mailbox="专员信箱" if district else "市长信箱", domains=(), is_department=False,
            newspaper=f"{pref.name[:2]}日报", local_news="县市动态" if district else "县区动态",
            gov_docs="行署文件" if district else "市政府文件", office_docs="行署办公室文件" if district else "市政府办公室文件",
            special_title="", whole="全地区" if district else "全市",
            sub_term="各县（市）" if district else "各县（市、区）", domain=geo.domain(code), **common)
    assert hosted.department is not None
    dept = next(d for d in data.REGIONAL_DEPARTMENTS if d.label == hosted.department)
    unit = geo.unit_by_key[dept_key(data.REGION_CODE, dept.label)]
    return Voice(
        unit=unit.name, region=data.REGION_NAME, here="自治区", gov="自治区人民政府", office="自治区人民政府办公厅",
        doc_prefix=hosted.doc_prefix, head_title=dept.head_title, head=next(names),
        deputies=((f"副{dept.head_title}", next(names)), (f"副{dept.head_title}", next(names)),
                  ("一级巡视员", next(names))),
        subregions=prefectures, addressee=hosted.addressee, departments=(), mailbox=f"{dept.head_title}信箱",
        domains=dept.domains, is_department=True, newspaper="示范日报", local_news="", gov_docs="", office_docs="",
        special_title=hosted.special_title, whole="全区", sub_term="各地（市）",
        domain=website.host.split(".", 1)[1], **common)


def column_dates(rng: random.Random, count: int, update_class: str, fault: str | int | None,
                 now: datetime) -> list[datetime]:
    """Publication times of a column's items, oldest first, the newest `fault` days old when given."""
    if count <= 0:
        return []
    _, (low, high), span = data.CLASS_PROFILES[update_class]
    latest = float(fault) if isinstance(fault, int) else rng.uniform(low, high)
    span = max(1.0, min(span, data.OLDEST_DAYS - latest))
    ages = sorted((latest + rng.uniform(0, span) for _ in range(count - 1)), reverse=True) + [latest]
    local_now = timezone.localtime(now)
    moments = []
    for age in ages:
        day = (local_now - timedelta(days=age)).date()
        if update_class != "news":
            while day.weekday() >= 5:  # documents and notices come out on working days
                day -= timedelta(days=1)
        moment = timezone.make_aware(datetime.combine(day, dtime(rng.randint(8, 18), rng.randrange(60))))
        while moment > now:
            moment -= timedelta(days=1)
        moments.append(moment)
    return moments


def article_count(spec: ColumnSpec, per_column: int, fault: str | int | None) -> int:
    if fault == EMPTY or spec.writer is None:
        return 0
    weight = data.CLASS_PROFILES[spec.update_class][0]
    return max(1, round(per_column * weight))


@dataclass
class ContentCounter:
    columns: int = 0
    articles: int = 0
    pages: list[Page] = field(default_factory=list)  # created in this run, to be indexed once at the end


@contextmanager
def deferred_indexing(models: tuple[type[Page], ...]) -> Iterator[list[Page]]:
    """Index the pages built inside the block once, at its end.

    Wagtail saves a page three times on the way to publication (create, revision, publish) and each save
    re-indexes it for search and references; on SQLite each search update also recomputes an average over
    the whole index. Switching both off for the build and indexing in bulk afterwards makes the demo several
    times faster. On error nothing is indexed: the transaction around the build rolls everything back.
    """
    try:
        from modelsearch.signal_handlers import post_save_signal_handler
    except ImportError:  # another search package: leave its signal handlers alone
        post_save_signal_handler = None
    disconnected = [
        model for model in models
        if post_save_signal_handler is not None and post_save.disconnect(post_save_signal_handler, sender=model)
    ]
    pages: list[Page] = []
    try:
        with disable_reference_index_auto_update():
            yield pages
    finally:
        for model in disconnected:
            post_save.connect(post_save_signal_handler, sender=model)
    for model in {type(page) for page in pages}:
        batch = [page for page in pages if type(page) is model]
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(model, batch)
    for page in pages:
        ReferenceIndex.create_or_update_for_object(page)


def _publish(page: Page, parent: Page, when: datetime, counter: ContentCounter) -> None:
    """Add and publish a page as if it had been published at `when` (Wagtail would say: now). The demo is a
    fictional history, so its items keep their invented 发布时间 the way the migration import keeps real ones."""
    page.first_published_at = when
    with keeping_original_published_at():
        parent.add_child(instance=page)  # validates the page
        revision = page.save_revision(clean=False)
        revision.publish()
    Page.objects.filter(pk=page.pk).update(last_published_at=when, latest_revision_created_at=when)
    Revision.objects.filter(pk=revision.pk).update(created_at=when)
    counter.pages.append(page)


def ensure_column(parent: Page, spec: ColumnSpec, voice: Voice, hosted: HostedSiteData, *, site_code: str,
                  per_column: int, seed: int, now: datetime, counter: ContentCounter,
                  progress: Progress | None) -> ColumnPage:
    """A column (栏目) under `parent`, its sub-columns and its articles; only what is missing is created."""
    column = ColumnPage.objects.child_of(parent).filter(slug=spec.slug).first()
    if column is None:
        column = ColumnPage(
            title=spec.title.format(**voice.title_fields()), slug=spec.slug, update_class=spec.update_class,
            description=spec.description, keywords=spec.keywords, show_on_homepage=spec.on_homepage,
            show_in_menus=True,
        )
        _publish(column, parent, now - timedelta(days=data.OLDEST_DAYS + 30), counter)
        counter.columns += 1
    for child in spec.children:
        ensure_column(column, child, voice, hosted, site_code=site_code, per_column=per_column, seed=seed, now=now,
                      counter=counter, progress=progress)
    fault = hosted.faults.get(spec.slug)
    count = article_count(spec, per_column, fault)
    if not count or spec.writer is None:
        return column
    existing = {row[0]: row[1] for row in Page.objects.child_of(column).values_list("slug", "title")}
    titles = set(existing.values())
    moments = column_dates(seeded(seed, "dates", site_code, spec.slug), count, spec.update_class, fault, now)
    for index, when in enumerate(moments):
        slug = f"{spec.slug}-{index + 1:03d}"
        if slug in existing:
            continue
        rng = seeded(seed, "article", site_code, slug)
        article = write(spec.writer, rng, voice, when, index)
        for _ in range(6):
            if article.title not in titles:
                break
            article = write(spec.writer, rng, voice, when, index)
        titles.add(article.title)
        _publish(ArticlePage(title=article.title[:255], slug=slug, published_at=when, source=article.source[:100],
                             summary=article.summary[:300], body=article.body), column, when, counter)
        counter.articles += 1
        if progress and counter.articles % 100 == 0:
            progress(f"    … 已写入信息 {counter.articles} 条")
    return column


def ensure_hosted_site(geo: Geography, hosted: HostedSiteData, website: Website, *, per_column: int, seed: int,
                       now: datetime, counter: ContentCounter, progress: Progress | None) -> None:
    """Host a registry entry on the platform and fill its columns."""
    is_new = website.wagtail_site_id is None
    site = do_provision_hosted_site(website, by=SYSTEM, is_default=hosted.key == "portal")
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    if is_new:
        counter.pages.append(home)
    voice = build_voice(geo, hosted, website, seed)
    layout = data.PORTAL_COLUMNS if hosted.level != "department" else data.DEPARTMENT_COLUMNS
    for spec in layout:
        ensure_column(home, spec, voice, hosted, site_code=website.site_code, per_column=per_column, seed=seed,
                      now=now, counter=counter, progress=progress)
    counter.articles += fill_disclosure_column(website, home, now=now)  # 政府信息公开 (demo/disclosure.py)


def dev_port() -> int:
    """The port `make run` serves on (scripts/run-dev.sh picks it and passes it on in GOVSITE_DEV_PORT)."""
    return int(getattr(settings, "GOVSITE_DEV_PORT", 8000))


def local_url(website: Website) -> str:
    """Where `make run` serves a hosted site: the default one on 127.0.0.1, others on <label>.localhost."""
    port = dev_port()
    if website.wagtail_site and website.wagtail_site.is_default_site:
        return f"http://127.0.0.1:{port}/"
    return f"http://{localhost_label(website.host)}.localhost:{port}/"


# --- accounts -----------------------------------------------------------------------------------------------

def _split_name(full: str) -> tuple[str, str]:
    surname_length = 2 if full[:2] in ("欧阳", "司徒") else 1
    return full[:surname_length], full[surname_length:]


def ensure_accounts(units: dict[str, Unit], hosted_sites: dict[str, Website],
                    result: DemoResult) -> None:
    """Demo users and their roles. Existing users keep their password; roles are added if missing."""
    user_model = get_user_model()
    password_hash: str | None = None
    for account in data.ACCOUNTS:
        user = user_model.objects.filter(username=account.username).first()
        created = user is None
        if user is None:
            # One hash for all demo accounts: hashing is deliberately slow, and they share the password anyway.
            password_hash = password_hash or make_password(data.DEMO_PASSWORD)
            last, first = _split_name(account.full_name) if account.role != Role.PLATFORM_ADMIN else ("", account.full_name)
            user = user_model.objects.create(
                username=account.username, password=password_hash, first_name=first, last_name=last,
                is_staff=account.role == Role.PLATFORM_ADMIN, is_superuser=account.role == Role.PLATFORM_ADMIN,
            )
            result.created["users"] += 1
        do_enrol_demo_totp(user)  # the second factor every staff login needs (accounts)
        role = RoleDefinition.objects.get(code=account.role)
        scopes: list[str] = []
        if role.scope_kind == ScopeKind.PLATFORM:
            do_assign_role(user, role, by=SYSTEM)
            scopes.append("全平台")
        elif role.scope_kind in (ScopeKind.UNIT_SUBTREE, ScopeKind.UNIT):
            for scope in account.scope:
                unit = units[scope]
                do_assign_role(user, role, unit=unit, by=SYSTEM)
                scopes.append(unit.name)
        else:
            for scope in account.scope:
                website = hosted_sites[scope]
                do_assign_role(user, role, website=website, by=SYSTEM)
                scopes.append(website.name)
        result.accounts.append((account.username, f"{role.name} · {'、'.join(scopes)}", created))


# --- the whole build ----------------------------------------------------------------------------------------

def do_build_demo(*, registry_size: int, articles_per_column: int, seed: int = data.DEFAULT_SEED,
                  progress: Progress | None = None, now: datetime | None = None) -> DemoResult:
    """Build (or complete) the demo region. Raises plan.PlanError for an impossible registry size."""
    started = time.monotonic()
    now = now or timezone.now()
    geo = plan_geography()
    registry = plan_registry(geo, registry_size, seed=seed, today=timezone.localdate(now))
    result = DemoResult()

    def say(message: str) -> None:
        if progress:
            progress(message)

    with transaction.atomic():
        regions, result.created["regions"] = ensure_regions(geo)
        units, result.created["units"] = ensure_units(geo, regions, seed)
        say(f"行政区划和机构就绪（新建区划 {result.created['regions']} 个、机构 {result.created['units']} 个，"
            f"{time.monotonic() - started:.1f} 秒）。")
        registry_started = time.monotonic()
        websites = ensure_registry(registry, units, result)
        say(f"网站基本信息库就绪（新建登记 {result.created['websites']} 条，"
            f"{time.monotonic() - registry_started:.1f} 秒）。")

        counter = ContentCounter()
        hosted_sites: dict[str, Website] = {}
        with deferred_indexing((HomePage, ColumnPage, ArticlePage)) as pages:
            for number, site in enumerate(registry.hosted, start=1):
                assert site.slot.hosted is not None
                hosted = site.slot.hosted
                website = websites[site.code]
                site_started = time.monotonic()
                before = counter.articles
                ensure_hosted_site(geo, hosted, website, per_column=articles_per_column, seed=seed, now=now,
                                   counter=counter, progress=progress)
                website.refresh_from_db()
                hosted_sites[hosted.key] = website
                result.hosted.append((website.name, local_url(website), hosted.label))
                say(f"  托管站点 {number}/{len(registry.hosted)} {website.name}：新增信息 {counter.articles - before} 条"
                    f"（{time.monotonic() - site_started:.1f} 秒）")
            pages.extend(counter.pages)
        if counter.pages:
            say(f"已为 {len(counter.pages)} 个新页面建立检索索引。")
        result.created["columns"] = counter.columns
        result.created["articles"] = counter.articles

        ensure_accounts(units, hosted_sites, result)

    result.totals = {
        "regions": Region.objects.filter(code__startswith="99").count(),
        "units": Unit.objects.filter(region__code__startswith="99").count(),
        "websites": Website.objects.count(),
        "hosted": Website.objects.filter(wagtail_site__isnull=False).count(),
        "columns": ColumnPage.objects.count(),
        "articles": ArticlePage.objects.count(),
    }
    result.statuses = {label: Website.objects.filter(status=value).count()
                       for value, label in WebsiteStatus.choices}
    result.seconds = time.monotonic() - started
    return result
