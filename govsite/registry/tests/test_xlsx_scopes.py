"""Export → import round trips on the demo region for every scope, through the admin as users do it.

Whoever may export may re-import their own file: every row comes back as 未变化, nothing is reported as an
error and nothing in the database moves, even where a row names units outside the importer's scope (the
承办单位 of a prefecture's hosted site is the region's e-government centre). Rows that really change
something outside the scope are still refused, with a Chinese message that says what and why.
"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from govsite.core.access import units_visible_to
from govsite.core.models import AuditLog, Role, Unit
from govsite.registry.access import websites_visible_to
from govsite.registry.models import SecurityTest, StatusChange, Website
from govsite.registry.services import do_update_website
from govsite.testing import give_role, make_user

SIZE = 60


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    """One demo build for the module, rolled back at its end; each test runs in a savepoint inside."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", registry_size=SIZE, articles_per_column=1, verbosity=0)
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo"), pytest.mark.slow]  # builds the demo region


def user(username: str):  # noqa: ANN201
    return get_user_model().objects.get(username=username)


def county_supervisor():  # noqa: ANN201
    """The demo has no county supervisor: one for the county of 青岚市 with the most registered sites."""
    county = (
        Unit.objects.filter(kind=Unit.Kind.GOVERNMENT, region__level="county", region__code__startswith="9901")
        .order_by("region__code")
    )
    best = max(county, key=lambda unit: Website.objects.filter(owner_unit__path__startswith=unit.path).count())
    supervisor = make_user("county_supervisor")
    give_role(supervisor, Role.SUPERVISOR, unit=best)
    return supervisor


def snapshot() -> dict[str, list]:
    """Everything an import could touch, every column of it (updated_at included: a save would show)."""
    return {
        "websites": list(Website.objects.order_by("pk").values()),
        "history": list(StatusChange.objects.order_by("pk").values()),
        "tests": list(SecurityTest.objects.order_by("pk").values()),
        # Entries about the request itself (signing in, a refused admin request) are not changes it made.
        "audit": list(AuditLog.objects.exclude(event__startswith="registry.").exclude(event__startswith="auth.")
                      .exclude(event="admin.request").order_by("pk").values_list("event", "object_id")),
    }


def client_for(account) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(account)
    return client


def export_as(client: Client) -> bytes:
    response = client.get(reverse("registry:export"))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def import_as(client: Client, content: bytes):  # noqa: ANN201
    upload = SimpleUploadedFile("registry.xlsx", content)
    return client.post(reverse("registry:import"), {"file": upload}, follow=True)


def exported_codes(content: bytes) -> set[str]:
    sheet = load_workbook(io.BytesIO(content)).active
    return {row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}


def edit_cell(content: bytes, code: str, header: str, value: str) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == code:
            row[headers.index(header)].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SCOPES = ["admin", "supervisor", "qinglan_supervisor", "county_supervisor"]


@pytest.mark.parametrize("username", SCOPES)
def test_every_scope_reimports_its_own_export_unchanged(username: str) -> None:
    account = county_supervisor() if username == "county_supervisor" else user(username)
    client = client_for(account)
    content = export_as(client)
    visible = set(websites_visible_to(account).values_list("site_code", flat=True))
    assert exported_codes(content) == visible and visible
    before = snapshot()

    response = import_as(client, content)

    failure = AuditLog.objects.filter(event="registry.import", result="failure").first()
    assert failure is None, failure.detail["errors"]
    assert response.redirect_chain
    page = response.content.decode()
    assert f"导入完成：新增 0 个，更新 0 个，未变化 {len(visible)} 个。" in page
    assert snapshot() == before
    log = AuditLog.objects.filter(event="registry.import", username=account.username).get()
    assert (log.result, log.detail["unchanged"], log.detail["updated"]) == ("success", len(visible), 0)


def test_the_prefecture_export_names_units_outside_the_supervisors_scope() -> None:
    """The case of the bug report: the file carries 承办单位 the importer does not manage."""
    account = user("qinglan_supervisor")
    sheet = load_workbook(io.BytesIO(export_as(client_for(account)))).active
    headers = [cell.value for cell in sheet[1]]
    names = {row[headers.index("承办单位")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    in_scope = set(units_visible_to(account).values_list("name", flat=True))
    assert names - in_scope - {None}, "the round trip above would prove nothing without such a row"


@pytest.mark.parametrize("username", ["evaluator", "qinglan_admin"])
def test_read_only_scopes_export_their_sites_but_may_not_import(username: str) -> None:
    account = user(username)
    client = client_for(account)
    content = export_as(client)
    assert exported_codes(content) == set(websites_visible_to(account).values_list("site_code", flat=True))
    before = snapshot()

    response = client.post(reverse("registry:import"), {"file": SimpleUploadedFile("r.xlsx", content)})

    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))  # Wagtail's "no access"
    assert snapshot() == before


# --- refusals ---------------------------------------------------------------------------------------


def hosted_prefecture_site(account) -> Website:  # noqa: ANN001
    """A site of the supervisor's scope whose 承办单位 lies outside it."""
    in_scope = units_visible_to(account)
    return (websites_visible_to(account).exclude(operator_unit__in=in_scope)
            .filter(operator_unit__isnull=False).order_by("site_code").first())


def test_changing_another_column_of_such_a_row_works_and_keeps_the_outside_unit() -> None:
    account = user("qinglan_supervisor")
    client = client_for(account)
    site = hosted_prefecture_site(account)
    content = edit_cell(export_as(client), site.site_code, "联系电话", "0990-6666666")

    response = import_as(client, content)

    assert "更新 1 个" in response.content.decode()
    site.refresh_from_db()
    assert site.contact_phone == "0990-6666666"
    assert site.operator_unit not in units_visible_to(account)


def test_setting_a_unit_outside_the_scope_is_refused_with_the_stored_value_named() -> None:
    account = user("qinglan_supervisor")
    client = client_for(account)
    site = hosted_prefecture_site(account)
    outside = Unit.objects.exclude(pk__in=units_visible_to(account)).exclude(pk=site.operator_unit_id).first()
    before = snapshot()

    response = import_as(client, edit_cell(export_as(client), site.site_code, "主管单位", outside.name))

    page = response.content.decode()
    assert response.status_code == 200 and not response.redirect_chain
    assert "导入失败，没有导入任何数据" in page
    assert f"主管单位：找不到名为“{outside.name}”的机构，或该机构不在您的管理范围内" in page
    assert snapshot() == before


def test_a_changed_row_of_a_site_outside_the_scope_is_refused() -> None:
    account = user("qinglan_supervisor")
    admin_file = export_as(client_for(user("admin")))
    other = Website.objects.exclude(pk__in=websites_visible_to(account)).order_by("site_code").first()
    before = snapshot()

    response = import_as(client_for(account), edit_cell(admin_file, other.site_code, "联系电话", "0990-1"))

    page = response.content.decode()
    assert "该标识码已被登记，但该网站不在您的管理范围内" in page, AuditLog.objects.filter(event="registry.import").last().detail
    assert snapshot() == before


def test_the_service_refuses_an_outside_operator_unit_given_directly() -> None:
    from django.core.exceptions import ValidationError

    account = user("qinglan_supervisor")
    site = websites_visible_to(account).filter(operator_unit__in=units_visible_to(account)).first()
    outside = Unit.objects.exclude(pk__in=units_visible_to(account)).first()
    with pytest.raises(ValidationError) as caught:
        do_update_website(site, {"operator_unit": outside}, by=account)
    assert caught.value.message_dict == {"operator_unit": ["承办单位不在您的管理范围内。"]}
