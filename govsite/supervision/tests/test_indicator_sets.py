"""指标体系 as versioned data: supervisors of the top level save an edited set as a new version."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govsite.core.access import SYSTEM
from govsite.core.models import AuditLog, Role
from govsite.supervision.models import IndicatorSet
from govsite.supervision.predictions import current_set
from govsite.supervision.services import apply_changes, do_save_indicator_set
from govsite.testing import build_mini_region, client_for, give_role, make_user


@pytest.fixture
def region(db):  # noqa: ANN001, ANN201
    region = build_mini_region(hosted=False)
    region.top = make_user("sup_top")
    give_role(region.top, Role.SUPERVISOR, unit=region.gov)
    region.pref = make_user("sup_a")
    give_role(region.pref, Role.SUPERVISOR, unit=region.gov_a)
    return region


def test_the_2019_set_ships_as_version_1(region) -> None:  # noqa: ANN001
    shipped = current_set()
    assert shipped.version == 1 and "2019" in shipped.name
    assert IndicatorSet.objects.count() == 1


def test_saving_makes_the_next_version_and_leaves_the_old_one_unchanged(region) -> None:  # noqa: ANN001
    base = current_set()
    edited = apply_changes(base.definition, indicator_points={"deduction.availability": "15",
                                                              "deduction.daily_update": "15"},
                           finding_points={"broken_link": "1"}, settings={"pass_mark": "60"})
    created = do_save_indicator_set(base, by=region.top, definition=edited, note="按本区实施细则调整")
    assert created.version == 2 and current_set() == created
    base.refresh_from_db()
    assert base.definition["findings"]["broken_link"]["points"] == 0.5
    assert created.definition["findings"]["broken_link"]["points"] == 1
    assert AuditLog.objects.filter(event="supervision.indicator_set", object_id=str(created.pk)).exists()


def test_a_set_that_does_not_add_up_is_refused_in_chinese(region) -> None:  # noqa: ANN001
    base = current_set()
    edited = apply_changes(base.definition, indicator_points={"deduction.availability": "50"}, finding_points={},
                           settings={})
    with pytest.raises(ValidationError) as caught:
        do_save_indicator_set(base, by=region.top, definition=edited, note="x")
    assert "应等于扣分指标总分" in " ".join(caught.value.messages)
    with pytest.raises(ValidationError):
        apply_changes(base.definition, indicator_points={}, finding_points={"broken_link": "一点"}, settings={})
    with pytest.raises(ValidationError):
        do_save_indicator_set(base, by=region.top, definition=base.definition, note="  ")
    assert IndicatorSet.objects.count() == 1


def test_only_the_top_level_edits_and_none_is_refused(region) -> None:  # noqa: ANN001
    base = current_set()
    with pytest.raises(PermissionDenied):
        do_save_indicator_set(base, by=region.pref, definition=base.definition, note="x")
    with pytest.raises(ValueError):
        do_save_indicator_set(base, by=None, definition=base.definition, note="x")
    assert do_save_indicator_set(base, by=SYSTEM, definition=base.definition, note="系统导入").version == 2


def test_the_pages(region) -> None:  # noqa: ANN001
    base = current_set()
    top, pref = client_for(region.top), client_for(region.pref)
    page = top.get(f"/admin/supervision/indicators/{base.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "默认值，未经官方确认" in html and "办事服务" in html
    assert pref.get(f"/admin/supervision/indicators/{base.pk}/").status_code == 200  # lower levels read it
    refused = pref.post(f"/admin/supervision/indicators/{base.pk}/new/", {"note": "越级修订"})
    assert refused.status_code in (302, 403) and IndicatorSet.objects.count() == 1  # Wagtail: back to /admin/
    bad = top.post(f"/admin/supervision/indicators/{base.pk}/new/",
                   {"max:deduction.availability": "50", "note": "试改"})
    assert bad.status_code == 400 and "应等于扣分指标总分" in bad.content.decode()
    assert 'value="50"' in bad.content.decode(), "what was typed is kept"
    good = top.post(f"/admin/supervision/indicators/{base.pk}/new/",
                    {"points:broken_link": "1", "note": "链接扣分调整"})
    assert good.status_code == 302
    assert current_set().definition["findings"]["broken_link"]["points"] == 1
    site_admin = make_user("admin_a")
    give_role(site_admin, Role.SITE_ADMIN, website=region.site_a)
    assert client_for(site_admin).get("/admin/supervision/indicators/").status_code in (302, 403)
