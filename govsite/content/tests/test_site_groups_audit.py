"""Provisioning a hosted site writes its groups' permissions to the audit log as one entry listing them."""

import pytest

from govsite.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_a_provisioned_sites_permissions_are_one_audit_entry(mini_region) -> None:
    entries = AuditLog.objects.filter(event="permission.site_groups", object_id=str(mini_region.site_a.pk))
    assert entries.count() == 1
    changes = entries.get().detail["changes"]
    assert entries.get().detail["count"] == len(changes) > 20
    assert {"permission.page", "permission.collection", "permission.group_permissions"} <= {
        c["event"] for c in changes}
    assert any(c["permission"] == "wagtailcore.publish_page" and "审核人员" in c["group"] for c in changes
               if c["event"] == "permission.page")
    # …and not one entry per permission row
    assert not AuditLog.objects.filter(event__in=["permission.page", "permission.collection"]).exists()


def test_a_permission_given_by_hand_is_still_its_own_entry(mini_region) -> None:
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    group = Group.objects.create(name="手工权限组")
    GroupPagePermission.objects.create(
        group=group, page=mini_region.site_a.wagtail_site.root_page,
        permission=Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page"))
    assert AuditLog.objects.filter(event="permission.page", object_repr="手工权限组").count() == 1
