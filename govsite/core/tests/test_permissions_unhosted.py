"""Staff of a site the platform does not host reach the admin (工作台, monitoring, 整改工单) and no page."""

from __future__ import annotations

import pytest

from govsite.core.models import Role
from govsite.testing import build_mini_region, client_for, give_role, make_user


@pytest.fixture
def region(db):  # noqa: ANN001, ANN201
    return build_mini_region(hosted=False)


def test_a_site_admin_of_an_unhosted_site_opens_the_admin_and_sees_only_their_site(region) -> None:  # noqa: ANN001
    user = make_user("admin_a1")
    give_role(user, Role.SITE_ADMIN, website=region.site_a1)
    assert user.has_perm("wagtailadmin.access_admin")
    client = client_for(user)
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/monitoring/site/{region.site_a1.pk}/").status_code == 200
    assert client.get(f"/admin/monitoring/site/{region.site_a.pk}/").status_code == 404


def test_when_the_site_becomes_hosted_its_staff_move_to_the_site_groups(region) -> None:  # noqa: ANN001
    from govsite.content.services import do_provision_hosted_site
    from govsite.core.access import SYSTEM

    user = make_user("admin_a1")
    give_role(user, Role.SITE_ADMIN, website=region.site_a1)
    names = set(user.groups.values_list("name", flat=True))
    assert names == {"网站管理员（未托管网站）"}
    do_provision_hosted_site(region.site_a1, by=SYSTEM, disclosure_columns=False)
    user = type(user).objects.get(pk=user.pk)
    names = set(user.groups.values_list("name", flat=True))
    assert "网站管理员（未托管网站）" not in names and any("甲一县人民政府网" in n for n in names)
    give_role(make_user("x"), Role.EDITOR, website=region.site_b)  # another unhosted site: its own holder only
    user = type(user).objects.get(pk=user.pk)
    assert "编辑（未托管网站）" not in set(user.groups.values_list("name", flat=True))
