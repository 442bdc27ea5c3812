"""What the audit log records by itself: logins, logouts, publishing, permission changes and admin actions,
with the client's real address behind the configured proxy."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client, RequestFactory, override_settings
from wagtail.models import Page

from govsite.core.audit import done_serving, serving, verify_chain
from govsite.core.models import AuditLog
from govsite.core.net import client_ip
from govsite.testing import client_for, make_user

pytestmark = pytest.mark.django_db
PASSWORD = "Test-pass-2026!"


def _last(event: str) -> AuditLog:
    return AuditLog.objects.filter(event=event).order_by("-seq").first()


# --- the client's address ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("proxies", "remote", "forwarded", "expected"), [
    ([], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # no proxy configured: the header is the client's word
    (["10.0.0.0/8"], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from our proxy: ignored
    (["10.0.0.0/8"], "10.0.0.2", "198.51.100.1", "198.51.100.1"),
    (["10.0.0.0/8"], "10.0.0.2", "1.2.3.4, 198.51.100.1", "198.51.100.1"),  # a forged first hop is skipped
    (["10.0.0.0/8"], "10.0.0.2", "198.51.100.1, 10.0.0.7", "198.51.100.1"),  # two proxies of ours
    (["10.0.0.0/8"], "10.0.0.2", "not-an-ip", "10.0.0.2"),
    (["10.0.0.0/8"], "::ffff:10.0.0.2", "2001:db8::5", "2001:db8::5"),
])
def test_client_ip_believes_forwarded_for_only_from_a_trusted_proxy(proxies, remote, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(GOVSITE_TRUSTED_PROXIES=proxies):
        assert client_ip(request) == expected


# --- logins and logouts -----------------------------------------------------------------------------------

@override_settings(GOVSITE_TRUSTED_PROXIES=["127.0.0.1"])
def test_login_success_failure_and_logout_are_recorded_with_the_address_behind_the_proxy():
    user = make_user("wangwu", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client(HTTP_X_FORWARDED_FOR="198.51.100.23")
    client.post("/admin/login/", {"username": "wangwu", "password": "wrong-password"})
    client.post("/admin/login/", {"username": "nobody", "password": "wrong-password"})
    client.post("/admin/login/", {"username": "wangwu", "password": PASSWORD})
    client.post("/admin/logout/")

    failed = list(AuditLog.objects.filter(event="auth.login_failed").order_by("seq"))
    assert [(e.username, e.result, e.user_id, e.detail["account_exists"]) for e in failed] == [
        ("wangwu", "failure", user.pk, True), ("nobody", "failure", None, False)]
    assert all(e.source_ip == "198.51.100.23" for e in failed)
    assert "wrong-password" not in str([e.detail for e in failed])
    login, logout = _last("auth.login"), _last("auth.logout")
    assert (login.username, login.result, login.source_ip) == ("wangwu", "success", "198.51.100.23")
    assert (logout.username, logout.source_ip) == ("wangwu", "198.51.100.23")
    assert login.seq < logout.seq
    # Saving last_login at sign-in changes no permission flag.
    assert not AuditLog.objects.filter(event="permission.user_flags").exists()
    # The login and logout requests wrote their own entries: no extra admin.request for them.
    assert not AuditLog.objects.filter(event="admin.request").exists()
    assert verify_chain().ok


# --- publishing -------------------------------------------------------------------------------------------

def test_publishing_and_unpublishing_are_recorded_with_the_actor_and_address():
    editor = make_user("editor_x", is_superuser=True)
    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title="通知", slug="tongzhi", live=False))
    request = RequestFactory().post("/admin/", REMOTE_ADDR="192.0.2.44")
    request.user = editor
    tokens = serving(request)
    try:
        page.save_revision(user=editor).publish(user=editor)
        page.refresh_from_db()
        page.unpublish(user=editor)
    finally:
        done_serving(tokens)
    published, unpublished = _last("page.publish"), _last("page.unpublish")
    assert (published.username, published.object_id, published.source_ip) == ("editor_x", str(page.pk), "192.0.2.44")
    assert published.detail["revision"] is not None
    assert (unpublished.username, unpublished.object_id) == ("editor_x", str(page.pk))
    # Wagtail's own log says the same; it is not mirrored twice.
    assert not AuditLog.objects.filter(event__in=["wagtail.publish", "wagtail.unpublish"]).exists()


def test_a_scheduled_publication_without_a_request_is_recorded_without_an_actor():
    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title="定时", slug="dingshi", live=False))
    page.save_revision().publish()
    entry = _last("page.publish")
    assert (entry.username, entry.user_id, entry.source_ip, entry.detail["by_request"]) == ("", None, None, False)


# --- permission changes -----------------------------------------------------------------------------------

def test_group_membership_and_permission_changes_are_recorded():
    admin = make_user("sysadmin")
    target = make_user("lisi")
    group = Group.objects.create(name="测试组")
    permission = Permission.objects.get(codename="access_admin")
    request = RequestFactory().post("/admin/groups/", REMOTE_ADDR="192.0.2.7")
    request.user = admin
    tokens = serving(request)
    try:
        group.permissions.add(permission)
        target.groups.add(group)
        target.groups.remove(group)
        target.is_superuser = True
        target.save()
        group.permissions.clear()
    finally:
        done_serving(tokens)
    perms = list(AuditLog.objects.filter(event="permission.group_permissions").order_by("seq"))
    assert [(e.detail["action"], e.detail["related"]) for e in perms] == [
        ("add", ["wagtailadmin.access_admin"]), ("clear", ["wagtailadmin.access_admin"])]
    groups = list(AuditLog.objects.filter(event="permission.user_groups", object_id=str(target.pk)).order_by("seq"))
    assert [(e.detail["action"], e.detail["related"]) for e in groups] == [("add", ["测试组"]), ("remove", ["测试组"])]
    flags = _last("permission.user_flags")
    assert (flags.object_id, flags.detail, flags.username, flags.source_ip) == (
        str(target.pk), {"is_superuser": True}, "sysadmin", "192.0.2.7")


def test_page_permissions_of_a_group_are_recorded():
    from wagtail.models import GroupPagePermission

    group = Group.objects.create(name="栏目编辑")
    root = Page.get_first_root_node()
    grant = GroupPagePermission.objects.create(group=group, page=root,
                                               permission=Permission.objects.get(codename="add_page"))
    grant.delete()
    entries = list(AuditLog.objects.filter(event="permission.page").order_by("seq"))
    assert [(e.object_repr, e.detail["action"], e.detail["permission"]) for e in entries] == [
        ("栏目编辑", "add", "wagtailcore.add_page"), ("栏目编辑", "remove", "wagtailcore.add_page")]


# --- every admin action -----------------------------------------------------------------------------------

def test_wagtail_admin_actions_are_mirrored_from_wagtails_log():
    admin = make_user("root_admin", is_superuser=True)
    page = Page.get_first_root_node().add_child(instance=Page(title="锁定", slug="suoding"))
    client = client_for(admin)
    response = client.post(f"/admin/pages/{page.pk}/lock/", REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 302
    entry = _last("wagtail.lock")
    assert (entry.username, entry.object_id, entry.object_repr, entry.source_ip) == (
        "root_admin", str(page.pk), "锁定", "192.0.2.99")
    assert not AuditLog.objects.filter(event="admin.request").exists()


def test_an_admin_request_that_wrote_no_entry_is_recorded_by_the_middleware():
    admin = make_user("someone", is_superuser=True)
    client = client_for(admin)
    client.post("/admin/no-such-view/", {"x": "1"}, REMOTE_ADDR="192.0.2.5")
    entry = _last("admin.request")
    assert (entry.username, entry.result, entry.source_ip) == ("someone", "failure", "192.0.2.5")
    assert entry.detail["method"] == "POST" and entry.detail["path"] == "/admin/no-such-view/"
    assert entry.detail["status"] == 404


def test_an_admin_action_by_a_user_without_admin_access_is_recorded_as_refused():
    outsider = make_user("outsider")
    page = Page.get_first_root_node().add_child(instance=Page(title="页", slug="ye"))
    client_for(outsider).post(f"/admin/pages/{page.pk}/lock/")
    entry = _last("admin.request")
    assert (entry.username, entry.result, entry.detail["url_name"], entry.detail["arguments"]) == (
        "outsider", "failure", "wagtailadmin_pages:lock", {"page_id": str(page.pk)})
    assert not AuditLog.objects.filter(event="wagtail.lock").exists()


def test_reading_is_not_an_admin_action():
    admin = make_user("reader", is_superuser=True)
    client_for(admin).get("/admin/")
    assert not AuditLog.objects.filter(event="admin.request").exists()


def test_adding_a_permission_a_group_already_has_is_no_entry() -> None:
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="无变化权限组")
    permission = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    group.permissions.add(permission)
    before = AuditLog.objects.filter(event="permission.group_permissions").count()
    group.permissions.add(permission)  # nothing new: Django still sends m2m_changed, with an empty set
    assert AuditLog.objects.filter(event="permission.group_permissions").count() == before == 1
