"""Roles as data, the system actor, role assignment without escalation, and 三权分立 (issue 10 items 2 and 6)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from govsite.checks.access import can_manage_region
from govsite.content.services import do_provision_hosted_site
from govsite.core.access import (
    SYSTEM,
    case_access_by_query_code,
    is_platform_admin,
    may_read_audit,
)
from govsite.core.models import (
    AuditLog,
    Role,
    RoleAssignment,
    RoleDefinition,
    ScopeKind,
    Unit,
)
from govsite.core.services import do_assign_role, do_revoke_role, record_audit
from govsite.registry.access import websites_visible_to
from govsite.testing import give_role, make_user

pytestmark = pytest.mark.django_db

SEEDED = {
    Role.PLATFORM_ADMIN: ("平台管理员", ScopeKind.PLATFORM),
    Role.SYSTEM_ADMIN: ("系统管理员", ScopeKind.PLATFORM),
    Role.SECURITY_ADMIN: ("安全管理员", ScopeKind.PLATFORM),
    Role.AUDIT_ADMIN: ("审计管理员", ScopeKind.PLATFORM),
    Role.SUPERVISOR: ("监管人员", ScopeKind.UNIT_SUBTREE),
    Role.EVALUATOR: ("第三方评估人员", ScopeKind.ASSIGNED_WEBSITES),
    Role.SITE_ADMIN: ("网站管理员", ScopeKind.WEBSITE),
    Role.EDITOR: ("编辑", ScopeKind.WEBSITE),
    Role.REVIEWER: ("审核人员", ScopeKind.WEBSITE),
    Role.SECRECY_REVIEWER: ("保密审查员", ScopeKind.WEBSITE),
    Role.CASE_SUBMITTER: ("凭查询码查询的来信人", ScopeKind.CASE_QUERY_CODE),
}


# --- roles as data -------------------------------------------------------------------------------------------

def test_the_roles_are_seeded_as_records_with_their_scope_kind() -> None:
    assert {r.code: (r.name, r.scope_kind) for r in RoleDefinition.objects.all()} == SEEDED


def test_wagtail_default_editors_and_moderators_groups_are_gone() -> None:
    assert not Group.objects.filter(name__in=["Editors", "Moderators", "编辑人员（系统默认）", "审核人员（系统默认）"]).exists()
    assert not Group.objects.filter(page_permissions__page__depth=1).exists()  # nothing holds the root page


def test_an_assignment_must_match_its_roles_scope_kind(mini_region) -> None:
    user = make_user()
    with pytest.raises(ValidationError):
        give_role(user, Role.SUPERVISOR, website=mini_region.site_a)
    with pytest.raises(ValidationError):
        give_role(user, Role.EDITOR, unit=mini_region.gov_a)
    with pytest.raises(ValidationError):
        give_role(user, Role.PLATFORM_ADMIN, unit=mini_region.gov_a)
    with pytest.raises(ValidationError):
        give_role(user, Role.CASE_SUBMITTER)
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_a_new_role_of_unit_scope_is_data_and_covers_only_that_units_own_sites(mini_region) -> None:
    # 本机构: 甲市人民政府's own site, not 甲一县's below it.
    RoleDefinition.objects.create(code="unit_viewer", name="本机构查看人员", scope_kind=ScopeKind.UNIT,
                                  capabilities=["registry.view"])
    user = make_user()
    give_role(user, "unit_viewer", unit=mini_region.gov_a)
    assert list(websites_visible_to(user)) == [mini_region.site_a]


def test_an_evaluator_sees_exactly_the_sites_assigned_to_them(mini_region) -> None:
    evaluator = make_user()
    give_role(evaluator, Role.EVALUATOR, website=mini_region.site_b)
    give_role(evaluator, Role.EVALUATOR, website=mini_region.site_a1)
    assert set(websites_visible_to(evaluator)) == {mini_region.site_b, mini_region.site_a1}


def test_a_case_is_reached_by_its_exact_query_code_only(mini_region) -> None:
    Unit.objects.filter(pk=mini_region.gov_a.pk).update(credit_code="11990100MB0000001X")
    cases = Unit.objects.all()
    assert case_access_by_query_code(cases, "11990100MB0000001X", field="credit_code") == mini_region.gov_a
    for guess in ("11990100MB0000001Y", "11990100MB00", "", "11990100MB0000001X\u200b", "1199'--"):
        with pytest.raises(Http404):
            case_access_by_query_code(cases, guess, field="credit_code")


# --- the system actor ----------------------------------------------------------------------------------------

def test_the_system_actor_is_written_to_the_audit_log_as_such(mini_region) -> None:
    entry = record_audit(SYSTEM, "test.event", mini_region.site_a)
    assert entry.user is None and entry.username == "system" and entry.detail == {"actor": "system"}
    assert not is_platform_admin(SYSTEM) and not may_read_audit(SYSTEM)


def test_operations_refuse_no_actor(mini_region) -> None:
    from govsite.registry.models import Website

    user = make_user()
    with pytest.raises((ValueError, TypeError)):
        do_assign_role(user, Role.EDITOR, website=mini_region.site_a, by=None)
    with pytest.raises(ValueError):
        can_manage_region(None, mini_region.prefecture_a)
    website = Website.objects.create(site_code="9901000009", name="甲市测试网", kind=mini_region.site_a.kind,
                                     supervising_unit=mini_region.gov_a, owner_unit=mini_region.gov_a,
                                     homepage_url="https://test.jia.gov.cn/")
    with pytest.raises(ValueError):
        do_provision_hosted_site(website, by=None)
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_provisioning_is_audited_with_its_actor(mini_region) -> None:
    from govsite.registry.models import Website

    website = Website.objects.create(site_code="9901000009", name="甲市测试网", kind=mini_region.site_a.kind,
                                     supervising_unit=mini_region.gov_a, owner_unit=mini_region.gov_a,
                                     homepage_url="https://test.jia.gov.cn/")
    supervisor = make_user()
    give_role(supervisor, Role.SUPERVISOR, unit=mini_region.gov)
    with pytest.raises(PermissionDenied):
        do_provision_hosted_site(website, by=supervisor)
    do_provision_hosted_site(website, by=SYSTEM)
    entry = AuditLog.objects.get(event="site.provision", object_id=str(website.pk))
    assert entry.username == "system" and entry.object_id == str(website.pk)


# --- assigning roles without escalation ----------------------------------------------------------------------

def test_a_supervisor_assigns_only_within_their_subtree(mini_region) -> None:
    supervisor = make_user("sup_a")
    give_role(supervisor, Role.SUPERVISOR, unit=mini_region.gov_a)
    newcomer = make_user()
    do_assign_role(newcomer, Role.SUPERVISOR, unit=mini_region.gov_a1, by=supervisor)
    do_assign_role(newcomer, Role.SITE_ADMIN, website=mini_region.site_a1, by=supervisor)
    for role, scope in ((Role.SUPERVISOR, {"unit": mini_region.gov}),  # above them
                        (Role.SUPERVISOR, {"unit": mini_region.gov_b}),  # beside them
                        (Role.SITE_ADMIN, {"website": mini_region.site_b}),
                        (Role.PLATFORM_ADMIN, {}), (Role.SYSTEM_ADMIN, {}), (Role.AUDIT_ADMIN, {}),
                        (Role.EVALUATOR, {"website": mini_region.site_a})):  # not a role supervisors hand out
        with pytest.raises(PermissionDenied):
            do_assign_role(newcomer, role, by=supervisor, **scope)
    entry = AuditLog.objects.filter(event="role.assign", username="sup_a").first()
    assert entry is not None and entry.detail["assignee"] == newcomer.username


def test_nobody_assigns_a_role_to_themselves(mini_region) -> None:
    supervisor = make_user()
    give_role(supervisor, Role.SUPERVISOR, unit=mini_region.gov_a)
    with pytest.raises(PermissionDenied):
        do_assign_role(supervisor, Role.SUPERVISOR, unit=mini_region.gov_a1, by=supervisor)
    security = make_user()
    give_role(security, Role.SECURITY_ADMIN)
    with pytest.raises(PermissionDenied):
        do_assign_role(security, Role.AUDIT_ADMIN, by=security)


def test_a_site_admin_gives_only_editor_and_reviewer_on_their_own_site(mini_region) -> None:
    admin = make_user()
    give_role(admin, Role.SITE_ADMIN, website=mini_region.site_a)
    user = make_user()
    do_assign_role(user, Role.REVIEWER, website=mini_region.site_a, by=admin)
    with pytest.raises(PermissionDenied):
        do_assign_role(user, Role.SITE_ADMIN, website=mini_region.site_a, by=admin)
    with pytest.raises(PermissionDenied):
        do_assign_role(user, Role.EDITOR, website=mini_region.site_b, by=admin)


def test_a_role_with_a_capability_the_assigner_lacks_is_refused(mini_region) -> None:
    # Data could list a role as assignable that grants more than the assigner holds: still refused.
    supervisor_role = RoleDefinition.objects.get(code=Role.SUPERVISOR)
    supervisor_role.assignable_roles.add(Role.PLATFORM_ADMIN)
    RoleDefinition.objects.create(code="publisher_plus", name="发布加用户管理", scope_kind=ScopeKind.UNIT_SUBTREE,
                                  capabilities=["registry.view", "users.manage"])
    supervisor_role.assignable_roles.add("publisher_plus")
    supervisor = make_user()
    give_role(supervisor, Role.SUPERVISOR, unit=mini_region.gov_a)
    with pytest.raises(PermissionDenied):
        do_assign_role(make_user(), "publisher_plus", unit=mini_region.gov_a1, by=supervisor)
    with pytest.raises(PermissionDenied):  # covered by no scope of theirs either
        do_assign_role(make_user(), Role.PLATFORM_ADMIN, by=supervisor)


def test_revoking_needs_the_same_authority(mini_region) -> None:
    supervisor_b = make_user()
    give_role(supervisor_b, Role.SUPERVISOR, unit=mini_region.gov_b)
    editor = make_user()
    assignment = give_role(editor, Role.EDITOR, website=mini_region.site_a)
    with pytest.raises(PermissionDenied):
        do_revoke_role(assignment, by=supervisor_b)
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


# --- 三权分立 ---------------------------------------------------------------------------------------------------

def test_only_an_active_audit_admin_may_read_the_audit_log(mini_region) -> None:
    auditor, root, platform, system, security = (make_user() for _ in range(5))
    give_role(auditor, Role.AUDIT_ADMIN)
    root.is_superuser = True
    root.save()
    give_role(platform, Role.PLATFORM_ADMIN)
    give_role(system, Role.SYSTEM_ADMIN)
    give_role(security, Role.SECURITY_ADMIN)
    assert may_read_audit(auditor)
    assert not any(may_read_audit(u) for u in (root, platform, system, security))
    auditor.is_active = False
    assert not may_read_audit(auditor)


def test_the_security_admin_appoints_the_system_and_audit_admins_and_the_system_admin_does_not(mini_region) -> None:
    security, system = make_user(), make_user()
    give_role(security, Role.SECURITY_ADMIN)
    give_role(system, Role.SYSTEM_ADMIN)
    auditor = make_user()
    with pytest.raises(PermissionDenied):
        do_assign_role(auditor, Role.AUDIT_ADMIN, by=system)
    with pytest.raises(PermissionDenied):
        do_assign_role(auditor, Role.SECURITY_ADMIN, by=system)
    do_assign_role(auditor, Role.AUDIT_ADMIN, by=security)
    with pytest.raises(PermissionDenied):  # nor another security admin
        do_assign_role(make_user(), Role.SECURITY_ADMIN, by=security)
    assert may_read_audit(auditor)


def test_one_person_holds_at_most_one_of_the_three_admin_roles() -> None:
    user = make_user()
    give_role(user, Role.SYSTEM_ADMIN)
    for role in (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        with pytest.raises(ValidationError):
            give_role(user, role)
    assert list(RoleAssignment.objects.filter(user=user).values_list("role", flat=True)) == [Role.SYSTEM_ADMIN]


def test_the_system_admin_operates_the_platform_but_the_security_and_audit_admins_do_not(mini_region) -> None:
    system, security, auditor = make_user(), make_user(), make_user()
    give_role(system, Role.SYSTEM_ADMIN)
    give_role(security, Role.SECURITY_ADMIN)
    give_role(auditor, Role.AUDIT_ADMIN)
    assert is_platform_admin(system) and websites_visible_to(system).count() == 4
    assert not is_platform_admin(security) and not websites_visible_to(security).exists()
    assert not is_platform_admin(auditor) and not websites_visible_to(auditor).exists()


def test_the_three_admins_are_appointed_at_the_server_by_the_system_actor(mini_region) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    user = make_user("first_auditor")
    out = StringIO()
    call_command("assign_role", "first_auditor", Role.AUDIT_ADMIN, stdout=out)
    assert "审计管理员" in out.getvalue() and may_read_audit(user)
    entry = AuditLog.objects.get(event="role.assign", detail__assignee="first_auditor")
    assert entry.username == "system" and entry.user is None
    with pytest.raises(CommandError, match="三权分立"):
        call_command("assign_role", "first_auditor", Role.SYSTEM_ADMIN)
    call_command("assign_role", "first_auditor", Role.EDITOR, website=mini_region.site_a.site_code, stdout=out)
    assert RoleAssignment.objects.filter(user=user, role=Role.EDITOR, website=mini_region.site_a).exists()
