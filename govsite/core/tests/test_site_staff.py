"""本站人员 and who creates what (issue 9): site admins manage their own site's editors and reviewers, audited,
and never see or touch another site's users; editors create 信息 but not 栏目; each role's 工作台 shows its work."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from govsite.content.models import ArticlePage, ColumnPage
from govsite.content.tests.builders import body_stream
from govsite.core.models import AuditLog, Role, RoleAssignment
from govsite.monitoring.models import RunStatus, ScanRun, Verdict
from govsite.registry.models import WebsiteKind, WebsiteStatus
from govsite.testing import client_for, give_role, make_user, make_website

pytestmark = pytest.mark.django_db

PASSWORD = "Qingxi-2026!"


@pytest.fixture
def sites(mini_region):  # noqa: ANN001, ANN201
    region = mini_region
    home = region.site_a.wagtail_site.root_page.specific
    region.column = home.add_child(instance=ColumnPage(title="通知公告", slug="notices"))
    region.column.save_revision().publish()
    region.admin_a = make_user("admin_a", last_name="乔", first_name="景舟")
    give_role(region.admin_a, Role.SITE_ADMIN, website=region.site_a)
    region.editor_a = make_user("editor_a", last_name="岑", first_name="砚秋")
    give_role(region.editor_a, Role.EDITOR, website=region.site_a)
    region.reviewer_a = make_user("reviewer_a", last_name="宁", first_name="晏平")
    give_role(region.reviewer_a, Role.REVIEWER, website=region.site_a)
    region.editor_b = make_user("editor_b", last_name="闻", first_name="思齐")
    give_role(region.editor_b, Role.EDITOR, website=region.site_b)
    region.admin_b = make_user("admin_b")
    give_role(region.admin_b, Role.SITE_ADMIN, website=region.site_b)
    return region



def staff_url(website) -> str:  # noqa: ANN001
    return reverse("site_staff:index", args=[website.pk])


# --- 本站人员 -------------------------------------------------------------------------------------------------

def test_a_site_admin_adds_an_editor_to_their_site_audited(sites) -> None:
    client = client_for(sites.admin_a)
    response = client.post(staff_url(sites.site_a), {"full_name": "欧阳明远", "username": "editor_new",
                                                     "role": Role.EDITOR, "password": PASSWORD})
    assert response.status_code == 302
    user = get_user_model().objects.get(username="editor_new")
    assert (user.last_name, user.first_name) == ("欧阳", "明远") and user.check_password(PASSWORD)
    assert list(RoleAssignment.objects.filter(user=user).values_list("role", "website")) == [
        (Role.EDITOR, sites.site_a.pk)]
    assert user.groups.filter(hosted_site_group__website=sites.site_a).exists()  # Wagtail access follows
    audit = AuditLog.objects.get(event="staff.add")
    assert audit.username == "admin_a" and audit.detail == {"website": sites.site_a.site_code, "role": "editor"}
    assert AuditLog.objects.filter(event="role.assign", username="admin_a").exists()
    page = client.get(staff_url(sites.site_a)).content.decode()
    assert "欧阳明远" in page and "editor_new" in page


def test_the_staff_list_shows_only_this_sites_people(sites) -> None:
    page = client_for(sites.admin_a).get(staff_url(sites.site_a)).content.decode()
    assert "岑砚秋" in page and "宁晏平" in page
    assert "editor_b" not in page and "闻思齐" not in page


def test_a_site_admin_cannot_open_or_change_another_sites_staff(sites) -> None:
    client = client_for(sites.admin_a)
    assert client.get(staff_url(sites.site_b)).status_code == 404
    response = client.post(staff_url(sites.site_b), {"full_name": "某某", "username": "sneaky",
                                                     "role": Role.EDITOR, "password": PASSWORD})
    assert response.status_code == 404 and not get_user_model().objects.filter(username="sneaky").exists()
    deactivate_b = reverse("site_staff:deactivate", args=[sites.site_b.pk, sites.editor_b.pk])
    assert client.post(deactivate_b).status_code == 404
    # Nor through their own site's address with another site's user.
    deactivate_via_a = reverse("site_staff:deactivate", args=[sites.site_a.pk, sites.editor_b.pk])
    assert client.post(deactivate_via_a).status_code == 404
    sites.editor_b.refresh_from_db()
    assert sites.editor_b.is_active and RoleAssignment.objects.filter(user=sites.editor_b).exists()


def test_a_site_admin_grants_no_role_beyond_editor_and_reviewer(sites) -> None:
    client = client_for(sites.admin_a)
    for role in (Role.SITE_ADMIN, Role.SUPERVISOR, Role.PLATFORM_ADMIN, Role.EVALUATOR):
        response = client.post(staff_url(sites.site_a), {"full_name": "某某", "username": f"u_{role}",
                                                         "role": role, "password": PASSWORD})
        assert response.status_code == 200  # the form, with the error
        assert not get_user_model().objects.filter(username=f"u_{role}").exists()


def test_an_existing_username_is_refused_without_touching_that_account(sites) -> None:
    response = client_for(sites.admin_a).post(staff_url(sites.site_a), {
        "full_name": "闻思齐", "username": "editor_b", "role": Role.REVIEWER, "password": PASSWORD})
    assert "该用户名已被使用" in response.content.decode()
    assert list(RoleAssignment.objects.filter(user=sites.editor_b).values_list("role", flat=True)) == ["editor"]


def test_a_weak_password_is_refused_in_chinese(sites) -> None:
    response = client_for(sites.admin_a).post(staff_url(sites.site_a), {
        "full_name": "甘书衡", "username": "weak", "role": Role.EDITOR, "password": "12345678"})
    assert response.status_code == 200 and not get_user_model().objects.filter(username="weak").exists()
    assert "密码" in response.content.decode()


def test_deactivating_takes_the_role_and_disables_an_account_left_without_one(sites) -> None:
    client = client_for(sites.admin_a)
    client.post(reverse("site_staff:deactivate", args=[sites.site_a.pk, sites.editor_a.pk]))
    sites.editor_a.refresh_from_db()
    assert not sites.editor_a.is_active and not RoleAssignment.objects.filter(user=sites.editor_a).exists()
    assert AuditLog.objects.filter(event="staff.deactivate", username="admin_a").exists()
    assert Client().login(username="editor_a", password="Test-pass-2026!") is False


def test_deactivating_someone_who_also_works_for_another_site_keeps_that_role(sites) -> None:
    give_role(sites.editor_b, Role.REVIEWER, website=sites.site_a)
    client_for(sites.admin_a).post(reverse("site_staff:deactivate", args=[sites.site_a.pk, sites.editor_b.pk]))
    sites.editor_b.refresh_from_db()
    assert sites.editor_b.is_active
    assert list(RoleAssignment.objects.filter(user=sites.editor_b).values_list("role", "website")) == [
        (Role.EDITOR, sites.site_b.pk)]


def test_a_site_admin_cannot_deactivate_themselves_or_another_admin(sites) -> None:
    other_admin = make_user("admin_a2")
    give_role(other_admin, Role.SITE_ADMIN, website=sites.site_a)
    client = client_for(sites.admin_a)
    for user in (sites.admin_a, other_admin):
        client.post(reverse("site_staff:deactivate", args=[sites.site_a.pk, user.pk]))
        user.refresh_from_db()
        assert user.is_active and RoleAssignment.objects.filter(user=user, role=Role.SITE_ADMIN).exists()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER])
def test_other_roles_have_no_staff_page_and_no_menu_item(sites, role: str) -> None:
    user = sites.editor_a if role == Role.EDITOR else sites.reviewer_a
    client = client_for(user)
    refused = client.get(reverse("site_staff:home"))  # Wagtail answers PermissionDenied with a way home
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    assert client.get(staff_url(sites.site_a)).status_code == 404
    assert "本站人员" not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert "本站人员" in client_for(sites.admin_a).get(reverse("wagtailadmin_home")).content.decode()


# --- 栏目 are the site admin's ---------------------------------------------------------------------------------

def _create(client: Client, model: str, parent: Page, slug: str):  # noqa: ANN202
    fields = {"title": f"新建{slug}", "slug": slug, "comments": inline_formset([]), "action-submit": "提交审核"}
    if model == "articlepage":
        fields.update({"published_at": "2026-01-05 09:30", "source": "", "summary": "",
                       "body": body_stream("<p>正文。</p>")})
    else:
        fields.update({"update_class": "news", "description": "", "keywords": "", "show_on_homepage": "on"})
    return client.post(reverse("wagtailadmin_pages:add", args=("content", model, parent.pk)), nested_form_data(fields))


def test_an_editor_creates_articles_but_not_columns(sites) -> None:
    client = client_for(sites.editor_a)
    _create(client, "articlepage", sites.column, "editor-article")
    assert ArticlePage.objects.filter(slug="editor-article").exists()
    response = _create(client, "columnpage", sites.column, "editor-column")
    assert response.status_code == 302 and not ColumnPage.objects.filter(slug="editor-column").exists()
    assert any("栏目由本网站的网站管理员新建" in str(m) for m in response.wsgi_request._messages)
    form = client.get(reverse("wagtailadmin_pages:add", args=("content", "columnpage", sites.column.pk)))
    assert form.status_code == 302


def test_a_site_admin_creates_columns_but_only_in_their_site(sites) -> None:
    home_a = sites.site_a.wagtail_site.root_page
    _create(client_for(sites.admin_a), "columnpage", home_a, "admin-column")
    assert ColumnPage.objects.filter(slug="admin-column").exists()
    home_b = sites.site_b.wagtail_site.root_page
    response = _create(client_for(sites.admin_a), "columnpage", home_b, "foreign-column")
    assert response.status_code in (302, 403, 404) and not ColumnPage.objects.filter(slug="foreign-column").exists()


# --- 工作台 -------------------------------------------------------------------------------------------------

def _draft(column: Page, owner, title: str) -> ArticlePage:  # noqa: ANN001
    article = column.add_child(instance=ArticlePage(title=title, slug=f"d-{abs(hash(title)) % 10**8}",
                                                    body="<p>正文。</p>", live=False, owner=owner))
    article.save_revision(user=owner)
    return ArticlePage.objects.get(pk=article.pk)


def test_the_editors_workbench_shows_drafts_and_returned_pages_with_the_comment(sites) -> None:
    draft = _draft(sites.column, sites.editor_a, "尚未提交的草稿")
    returned = _draft(sites.column, sites.editor_a, "被退回的信息")
    state = returned.get_workflow().start(returned, sites.editor_a)
    state.refresh_from_db()
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, sites.reviewer_a, "reject", comment="请补充信息来源")
    assert WorkflowState.objects.get(pk=state.pk).status == WorkflowState.STATUS_NEEDS_CHANGES
    home = client_for(sites.editor_a).get(reverse("wagtailadmin_home")).content.decode()
    assert "我的信息" in home and draft.title in home
    assert "被退回修改" in home and returned.title in home and "请补充信息来源" in home and "宁晏平" in home
    other = client_for(sites.editor_b).get(reverse("wagtailadmin_home")).content.decode()
    assert draft.title not in other and returned.title not in other


def test_the_reviewers_workbench_marks_overdue_items(sites) -> None:
    article = _draft(sites.column, sites.editor_a, "等待审核的信息")
    state = article.get_workflow().start(article, sites.editor_a)
    state.refresh_from_db()
    type(state.current_task_state).objects.filter(pk=state.current_task_state.pk).update(
        started_at=timezone.now() - timezone.timedelta(days=3))
    home = client_for(sites.reviewer_a).get(reverse("wagtailadmin_home")).content.decode()
    assert "待我审核" in home and article.title in home and "逾期" in home
    assert reverse("checks:page", args=[article.pk]) in home
    assert reverse("wagtailadmin_pages:edit", args=[article.pk]) in home


def test_the_site_admins_workbench_shows_the_site(sites) -> None:
    article = _draft(sites.column, sites.editor_a, "最近发布的信息")
    article.get_latest_revision().publish()
    ScanRun.objects.create(website=sites.site_a, as_of=timezone.localdate(), status=RunStatus.DONE,
                           verdict=Verdict.WOULD_FAIL, veto_count=1, deduction_count=2)
    home = client_for(sites.admin_a).get(reverse("wagtailadmin_home")).content.decode()
    assert "甲市人民政府网" in home and "通知公告" in home and article.title in home
    assert "岑砚秋（编辑）" in home and "可能不合格" in home
    assert "乙市人民政府网" not in home


def test_the_supervisors_workbench_summarises_monitoring_below_them(sites) -> None:
    supervisor = make_user("supervisor_a")
    give_role(supervisor, Role.SUPERVISOR, unit=sites.gov_a)
    ScanRun.objects.create(website=sites.site_a1, as_of=timezone.localdate(), status=RunStatus.DONE,
                           verdict=Verdict.WOULD_FAIL, veto_items=["homepage_stale"], veto_count=1)
    ScanRun.objects.create(website=sites.site_b, as_of=timezone.localdate(), status=RunStatus.DONE,
                           verdict=Verdict.WOULD_FAIL, veto_items=["column_veto"], veto_count=1)
    make_website(sites.gov_a, site_code="9901000099", name="甲市数据局网站", host="sjj.jia.gov.cn",
                 kind=WebsiteKind.DEPARTMENT, status=WebsiteStatus.PLANNING)  # 筹建: nothing to scan yet
    home = client_for(supervisor).get(reverse("wagtailadmin_home")).content.decode()
    assert "甲市数据局网站" not in home
    assert "网站监测概况" in home and "已监测 1 个" in home and "可能不合格 1 个" in home
    # Veto items are stored as check codes and shown in the words of the national rules.
    assert "甲一县人民政府网" in home and "首页长期不更新" in home and "homepage_stale" not in home
    assert "甲市人民政府网（从未监测）" in home
    assert "乙市人民政府网" not in home
