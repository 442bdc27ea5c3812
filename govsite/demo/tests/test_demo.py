"""The demo region: shape of the registry, the national rules every active site keeps, hosted content that
gives supervision something to find, demo accounts, and idempotency."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Revision, Site

from govsite.content.models import UPDATE_CLASS_MAX_AGE_DAYS, ArticlePage, ColumnPage
from govsite.core.models import Region, Role, RoleAssignment, Unit
from govsite.registry.models import ACTIVE_STATUSES, SecurityTest, StatusChange, Website, WebsiteStatus

SIZE = 60
PER_COLUMN = 2


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    """One demo build for the whole module, rolled back at its end; each test runs in a savepoint inside."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", registry_size=SIZE, articles_per_column=PER_COLUMN, verbosity=0)
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo"), pytest.mark.slow]  # builds the demo region


def site(host: str) -> Website:
    return Website.objects.get(homepage_url=f"http://{host}/")


def column(host: str, slug: str) -> ColumnPage:
    return ColumnPage.objects.descendant_of(site(host).wagtail_site.root_page).get(slug=slug)


def is_stale(col: ColumnPage) -> bool:
    limit = UPDATE_CLASS_MAX_AGE_DAYS[col.update_class]
    latest = col.latest_published_at()
    return limit is not None and latest is not None and timezone.now() - latest > timedelta(days=limit)


# --- registry shape -----------------------------------------------------------------------------------------

def test_registry_has_the_requested_size_with_most_sites_gone() -> None:
    statuses = {value: Website.objects.filter(status=value).count() for value in WebsiteStatus.values}
    gone = statuses[WebsiteStatus.OFFLINE] + statuses[WebsiteStatus.MERGED]
    assert Website.objects.count() == SIZE
    assert statuses[WebsiteStatus.RUNNING] == 6  # the hosted sites: at least that many, even when small
    assert statuses[WebsiteStatus.PLANNING] == 1
    assert gone == SIZE - 7
    assert statuses[WebsiteStatus.OFFLINE] > 0 and statuses[WebsiteStatus.MERGED] > 0


def test_merged_sites_point_at_running_sites_in_record_and_history() -> None:
    merged = Website.objects.filter(status=WebsiteStatus.MERGED).select_related("merged_into")
    assert merged.exists()
    for web in merged:
        assert web.merged_into is not None and web.merged_into.status == WebsiteStatus.RUNNING
        change = web.status_changes.get(to_status=WebsiteStatus.MERGED)
        assert change.merged_into_id == web.merged_into_id
        assert web.merged_into.site_code in change.reason
    assert not Website.objects.exclude(status=WebsiteStatus.MERGED).filter(merged_into__isnull=False).exists()


def test_every_active_site_keeps_code_domain_and_one_site_rules() -> None:
    active = Website.objects.filter(status__in=ACTIVE_STATUSES).select_related("owner_unit__region",
                                                                                "owner_unit__parent")
    owners = [web.owner_unit_id for web in active]
    assert len(owners) == len(set(owners)), "one active site per owner unit"
    portal_domains = {
        web.owner_unit_id: web.host.removeprefix("www.") for web in active if web.kind == "portal"
    }
    for web in active:
        assert re.fullmatch(r"(\d{10}|bm\d{8})", web.site_code)
        assert web.site_code[:6] == web.owner_unit.region.code
        assert web.host.endswith(".gov.cn")
        assert not web.owner_unit.is_township_government and not web.owner_unit.is_county_department
        if web.kind == "portal":
            assert re.fullmatch(r"www\.[a-z0-9-]+\.gov\.cn", web.host)
        else:
            government = web.owner_unit.government()
            assert government is not None and government.pk in portal_domains, "its government has a portal"
            assert web.host.endswith("." + portal_domains[government.pk])


def test_all_codes_and_regions_are_fictional() -> None:
    assert not Region.objects.exclude(code__startswith="99").exists()
    assert not Website.objects.exclude(site_code__startswith="99").exists()
    assert Region.objects.filter(level=Region.Level.PREFECTURE).count() == 14
    for prefecture in Region.objects.filter(level=Region.Level.PREFECTURE):
        assert 2 <= prefecture.children.filter(level=Region.Level.COUNTY).count() <= 6
    assert Region.objects.filter(level=Region.Level.TOWNSHIP).exists()


def test_running_sites_passed_a_security_test_before_going_live() -> None:
    for web in Website.objects.filter(status=WebsiteStatus.RUNNING):
        went_live = web.status_changes.get(from_status=WebsiteStatus.PLANNING, to_status=WebsiteStatus.RUNNING)
        first_test = web.security_tests.order_by("tested_on").first()
        assert first_test is not None and first_test.passed
        assert first_test.tested_on <= timezone.localtime(went_live.changed_at).date()


def test_closed_sites_have_a_dated_history_with_document_and_reason() -> None:
    document = re.compile(r"[示\w]+(政|行署)办函〔(\d{4})〕\d+号")
    for web in Website.objects.filter(status__in=[WebsiteStatus.OFFLINE, WebsiteStatus.MERGED]):
        steps = list(web.status_changes.order_by("changed_at").values_list("from_status", "to_status"))
        assert steps == [("", "planning"), ("planning", "running"), ("running", web.status)]
        closing = web.status_changes.get(to_status=web.status)
        match = document.fullmatch(closing.document_number)
        assert match, closing.document_number
        assert int(match.group(2)) == timezone.localtime(closing.changed_at).year
        assert closing.reason
        assert web.created_at < closing.changed_at


def test_registry_entries_carry_realistic_identifiers() -> None:
    for web in Website.objects.all():
        assert re.fullmatch(r"示ICP备\d{8}号", web.icp_number)
        assert re.fullmatch(r"示公网安备 99\d{12}号", web.police_record_number)
        assert re.fullmatch(r"\d{10}", web.party_gov_mark)
        assert re.fullmatch(r"0990-\d{7}", web.contact_phone)
        assert web.contact_name and web.address and web.supervising_unit_id
    for web in Website.objects.exclude(status=WebsiteStatus.PLANNING):
        assert web.protection_level and web.last_assessment_date and web.last_assessment_result
    for web in Website.objects.filter(status=WebsiteStatus.RUNNING):
        assert web.protection_level in (2, 3)
        assert web.last_assessment_date > timezone.localdate() - timedelta(days=366)


# --- hosted sites -------------------------------------------------------------------------------------------

def test_regional_portal_is_the_default_hosted_site() -> None:
    default = Site.objects.get(is_default_site=True)
    assert default.hostname == "www.shifan.gov.cn"
    assert default.registry_entry.site_code == "9900000001"
    assert Website.objects.filter(wagtail_site__isnull=False).count() == 6
    assert not Website.objects.filter(wagtail_site__isnull=False).exclude(status=WebsiteStatus.RUNNING).exists()


def test_hosted_sites_have_columns_of_every_update_class() -> None:
    for web in Website.objects.filter(wagtail_site__isnull=False):
        classes = set(ColumnPage.objects.descendant_of(web.wagtail_site.root_page).values_list("update_class",
                                                                                                flat=True))
        assert classes == set(UPDATE_CLASS_MAX_AGE_DAYS)


def test_articles_are_published_dated_and_within_eighteen_months() -> None:
    now = timezone.now()
    articles = ArticlePage.objects.all()
    assert articles.count() > 100
    assert not articles.filter(live=False).exists()
    assert not articles.filter(published_at__gt=now).exists()
    assert not articles.filter(published_at__lt=now - timedelta(days=550)).exists()
    sample = articles.first()
    assert sample.first_published_at == sample.published_at == sample.last_published_at
    assert sample.body and sample.body[0].block_type in ("paragraph", "heading", "table")  # HTML became blocks


def test_some_columns_are_deliberately_stale_or_empty() -> None:
    news, notice = column("www.yanze.gov.cn", "bmdt"), column("www.yanze.gov.cn", "tzgg")
    assert is_stale(news) and 39 <= (timezone.now() - news.latest_published_at()).days <= 41
    assert is_stale(notice) and 230 <= (timezone.now() - notice.latest_published_at()).days <= 250
    baihua = site("www.baihua.gov.cn").wagtail_site.root_page
    empty = [c for c in ColumnPage.objects.descendant_of(baihua) if not c.get_children().exists()]
    assert len(empty) >= 5, "enough blank columns for the veto rule"
    assert not is_stale(column("www.shifan.gov.cn", "zwyw"))


# --- accounts -----------------------------------------------------------------------------------------------

def test_demo_accounts_exist_with_their_roles() -> None:
    users = get_user_model().objects
    admin = users.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password("Demo-2026!")
    assert RoleAssignment.objects.filter(user=admin, role=Role.PLATFORM_ADMIN).exists()
    assert admin.groups.filter(name="平台管理员").exists()

    def roles(username: str) -> set[tuple[str, str]]:
        return {(a.role_id, str(a.unit or a.website.site_code if a.unit or a.website else "全平台"))
                for a in RoleAssignment.objects.filter(user__username=username)}

    assert roles("supervisor") == {(Role.SUPERVISOR, "示范自治区人民政府")}
    assert roles("qinglan_supervisor") == {(Role.SUPERVISOR, "青岚市人民政府")}
    for prefix, code in (("portal", "9900000001"), ("qinglan", "9901000001")):
        assert roles(f"{prefix}_admin") == {(Role.SITE_ADMIN, code)}
        assert roles(f"{prefix}_editor") == {(Role.EDITOR, code)}
        assert roles(f"{prefix}_reviewer") == {(Role.REVIEWER, code)}
    assert roles("evaluator") == {(Role.EVALUATOR, "9900000001"), (Role.EVALUATOR, "9902000001")}
    assert users.get(username="portal_editor").groups.filter(hosted_site_group__website__site_code="9900000001")
    # 三权分立: three accounts, one separated admin role each, none a superuser.
    for username, role in (("sysadmin", Role.SYSTEM_ADMIN), ("secadmin", Role.SECURITY_ADMIN),
                           ("auditor", Role.AUDIT_ADMIN)):
        assert roles(username) == {(role, "全平台")}
        assert not users.get(username=username).is_superuser


# --- idempotency and output ---------------------------------------------------------------------------------

def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (
        Region, Unit, Website, StatusChange, SecurityTest, Page, Revision, RoleAssignment, get_user_model())}


def test_second_run_changes_nothing_and_prints_nothing_when_quiet() -> None:
    before = counts()
    out, err = StringIO(), StringIO()
    call_command("demo", registry_size=SIZE, articles_per_column=PER_COLUMN, quiet=True, stdout=out, stderr=err)
    assert counts() == before
    assert out.getvalue() == err.getvalue() == ""


def test_summary_lists_accounts_and_the_demo_password() -> None:
    out = StringIO()
    call_command("demo", registry_size=SIZE, articles_per_column=PER_COLUMN, stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "Demo-2026!" in text and "仅供本地演示" in text
    for username in ("admin", "supervisor", "qinglan_supervisor", "portal_editor", "qinglan_reviewer", "evaluator"):
        assert username in text
    assert f"网站基本信息库 {SIZE} 个" in text


def test_too_small_a_registry_is_refused_in_chinese() -> None:
    with pytest.raises(CommandError, match="--registry-size 至少为 7"):
        call_command("demo", registry_size=5, verbosity=0)
    with pytest.raises(CommandError, match="最大为"):
        call_command("demo", registry_size=50000, verbosity=0)

