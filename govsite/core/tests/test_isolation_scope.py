"""Scope functions (一级管一级) as a table, and role changes: each test builds its own region (the isolation
matrix in test_isolation.py shares one world per module)."""

from __future__ import annotations

import pytest

from govsite.content.access import pages_visible_to
from govsite.content.models import SiteAppearance
from govsite.core.access import SYSTEM
from govsite.core.models import Role
from govsite.registry.access import access_website, websites_manageable_by, websites_visible_to
from govsite.testing import give_role, make_user

pytestmark = pytest.mark.django_db


# --- scope functions: role → what access.py returns ----------------------------------------------------------

SCOPE_TABLE = (
    # (role, scope, visible websites, manageable websites)
    ("editor", ("EDITOR", "site_a"), {"site_a"}, set()),
    ("county supervisor", ("SUPERVISOR", "gov_a1"), {"site_a1"}, {"site_a1"}),
    ("prefecture supervisor", ("SUPERVISOR", "gov_a"), {"site_a", "site_a1"}, {"site_a", "site_a1"}),
    ("region supervisor", ("SUPERVISOR", "gov"), {"portal", "site_a", "site_b", "site_a1"},
     {"portal", "site_a", "site_b", "site_a1"}),
    ("evaluator", ("EVALUATOR", "site_b"), {"site_b"}, set()),
    ("platform admin", ("PLATFORM_ADMIN", None), {"portal", "site_a", "site_b", "site_a1"},
     {"portal", "site_a", "site_b", "site_a1"}),
)


@pytest.mark.parametrize("row", SCOPE_TABLE, ids=[r[0] for r in SCOPE_TABLE])
def test_scope_functions(mini_region, row):
    _name, (role, scope), visible, manageable = row
    user = make_user()
    target = getattr(mini_region, scope) if scope else None
    kwargs = {} if target is None else ({"unit": target} if role == "SUPERVISOR" else {"website": target})
    give_role(user, getattr(Role, role), **kwargs)
    names = {getattr(mini_region, n).pk: n for n in ("portal", "site_a", "site_b", "site_a1")}
    assert {names[pk] for pk in websites_visible_to(user).values_list("pk", flat=True)} == visible
    assert {names[pk] for pk in websites_manageable_by(user).values_list("pk", flat=True)} == manageable
    roots = set(pages_visible_to(user).filter(depth=2).values_list("pk", flat=True))
    assert roots == {getattr(mini_region, n).wagtail_site.root_page_id for n in visible}
    for name in {"portal", "site_a", "site_b", "site_a1"} - visible:
        with pytest.raises(Exception) as excinfo:
            access_website(user, site_code=getattr(mini_region, name).site_code)
        assert excinfo.type.__name__ == "Http404"
    if visible and not manageable:
        with pytest.raises(Exception) as excinfo:
            access_website(user, site_code=getattr(mini_region, sorted(visible)[0]).site_code, for_change=True)
        assert excinfo.type.__name__ == "PermissionDenied"


# --- behaviours that are not a single route ----------------------------------------------------------------


def test_revoking_a_role_removes_wagtail_access(mini_region, client):
    from django.urls import reverse

    from govsite.core.services import do_revoke_role

    editor = make_user("temp_editor")
    assignment = give_role(editor, Role.EDITOR, website=mini_region.site_a)
    home_id = mini_region.site_a.wagtail_site.root_page_id
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[home_id])).status_code == 200
    do_revoke_role(assignment, by=SYSTEM)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[home_id])).status_code in (302, 403)
    assert not editor.groups.exists()


def test_platform_admin_edits_every_site(mini_region, client):
    from django.urls import reverse

    admin = make_user("platform")
    give_role(admin, Role.PLATFORM_ADMIN)
    client.force_login(admin)
    for website in (mini_region.site_a, mini_region.site_b):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[website.wagtail_site.root_page_id]))
        assert response.status_code == 200


def test_site_admin_changes_the_look_of_its_own_site(mini_region, client):
    from django.urls import reverse

    admin_a = make_user("site_admin_a")
    give_role(admin_a, Role.SITE_ADMIN, website=mini_region.site_a)
    client.force_login(admin_a)
    site_a = mini_region.site_a.wagtail_site
    url_a = reverse("wagtailsettings:edit", args=["content", "siteappearance", site_a.pk])
    assert client.get(url_a).status_code == 200
    response = client.post(url_a, {"primary_colour": "#1f3a68", "accent_colour": "#9b1c1c", "banner_text": "甲市欢迎您",
                                   "footer_text": ""})
    assert response.status_code in (200, 302)
    assert SiteAppearance.for_site(site_a).banner_text == "甲市欢迎您"


def test_migrate_gives_existing_site_groups_permissions_added_since(mini_region):
    from django.contrib.auth.models import Permission
    from django.core.management import call_command

    from govsite.core.models import HostedSiteGroup

    group = HostedSiteGroup.objects.filter(website=mini_region.site_a).first().group
    view_runs = Permission.objects.get(content_type__app_label="monitoring", codename="view_scanrun")
    group.permissions.remove(view_runs)
    call_command("migrate", verbosity=0)
    assert group.permissions.filter(pk=view_runs.pk).exists()


def test_anonymous_api_calls_are_refused(mini_region, client):
    assert client.get("/api/v1/content/pages").status_code == 401
