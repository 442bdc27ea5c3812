"""政府信息公开栏目: every hosted site gets the uniform structure (统一名称、统一格式), empty columns stay drafts, the
structure's names are fixed, and provisioning again repairs what is missing."""

import pytest
from django.core.exceptions import ValidationError

from govsite.content.disclosure_columns import ART20_CATEGORIES, ART21_CATEGORIES, ColumnKind
from govsite.content.disclosure_site import ogi_root
from govsite.content.models import ColumnPage
from govsite.content.services import do_provision_hosted_site
from govsite.content.tests.builders import add_article
from govsite.core.access import SYSTEM
from govsite.testing import client_for, make_user, with_disclosure_columns

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # each builds some 50 pages


@pytest.fixture
def mini_region(mini_region):  # noqa: ANN001, ANN201
    with_disclosure_columns(mini_region.site_a, mini_region.site_b)
    return mini_region


def _root(website):  # noqa: ANN001, ANN202
    return ogi_root(website.wagtail_site.root_page)


def test_provisioning_a_site_creates_the_structure(db) -> None:  # noqa: ANN001
    from govsite.testing import build_mini_region, make_website

    region = build_mini_region(hosted=False)
    website = make_website(region.gov_b, site_code="9902000009", name="乙市示范网", host="www.yi9.gov.cn")
    do_provision_hosted_site(website, by=SYSTEM)
    assert _root(website).title == "政府信息公开"


def test_the_uniform_structure_has_stable_slugs(mini_region) -> None:
    with_disclosure_columns(mini_region.portal, mini_region.site_a1)
    root = _root(mini_region.portal)
    assert root.title == "政府信息公开" and root.slug == "xxgk"
    parts = {c.slug: (c.title, c.column_kind) for c in ColumnPage.objects.child_of(root).specific()}
    assert parts == {
        "xxgkzn": ("政府信息公开指南", ColumnKind.OGI_GUIDE),
        "xxgkzd": ("政府信息公开制度", ColumnKind.OGI_RULES),
        "fdzdgknr": ("法定主动公开内容", ColumnKind.OGI_STATUTORY),
        "xxgknb": ("政府信息公开年报", ColumnKind.OGI_REPORT),
    }
    statutory = ColumnPage.objects.get(pk=ColumnPage.objects.child_of(root).get(slug="fdzdgknr").pk)
    slugs = [c.slug for c in ColumnPage.objects.child_of(statutory)]
    # The province's own government: Art 20 only; prefecture and county governments add Art 21.
    assert slugs == [c.slug for c in ART20_CATEGORIES]
    county = ColumnPage.objects.child_of(_root(mini_region.site_a1)).get(slug="fdzdgknr")
    assert [c.slug for c in ColumnPage.objects.child_of(county)] == [
        c.slug for c in ART20_CATEGORIES + ART21_CATEGORIES]
    assert "规划信息" in [c.title for c in ColumnPage.objects.child_of(county)]


def test_empty_structure_columns_are_drafts_and_may_not_be_published(mini_region) -> None:
    root = _root(mini_region.site_a)
    assert not ColumnPage.objects.descendant_of(root, inclusive=True).filter(live=True).exists()
    assert root.review_problems() == ["栏目内没有已发布的信息，不能发布空栏目。请先在栏目下发布信息。"]


def test_publishing_an_item_publishes_the_columns_above_it(mini_region) -> None:
    root = _root(mini_region.site_a)
    planning = ColumnPage.objects.descendant_of(root).get(slug="ghxx")
    add_article(planning, "甲市国民经济和社会发展第十五个五年规划纲要")
    live = set(ColumnPage.objects.descendant_of(root, inclusive=True).filter(live=True).values_list("slug", flat=True))
    assert live == {"xxgk", "fdzdgknr", "ghxx"}  # the other categories stay empty drafts
    assert root.specific.review_problems() == []


def test_a_guide_is_a_single_page_column_whose_text_is_its_content(mini_region) -> None:
    root = _root(mini_region.site_a)
    guide = ColumnPage.objects.child_of(root).get(slug="xxgkzn").specific
    assert guide.review_problems()
    guide.body = "<p>政府信息公开工作机构：甲市人民政府办公室。</p>"
    guide.save_revision().publish()
    assert guide.review_problems() == []
    assert ColumnPage.objects.get(pk=root.pk).live  # the root now has content too


def test_the_uniform_names_cannot_be_changed(mini_region) -> None:
    root = _root(mini_region.site_a).specific
    root.title = "信息公开"
    with pytest.raises(ValidationError, match="统一栏目"):
        root.full_clean()
    category = ColumnPage.objects.descendant_of(root).get(slug="tjxx").specific
    category.title = "统计数据"
    category.full_clean()  # a category's name is the site's to adapt; only the frame is fixed


def test_a_site_admin_cannot_delete_the_structure(mini_region) -> None:
    from govsite.core.models import Role
    from govsite.testing import give_role

    admin = make_user("site_admin_a")
    give_role(admin, Role.SITE_ADMIN, website=mini_region.site_a)
    root = _root(mini_region.site_a)
    client = client_for(admin)
    response = client.post(f"/admin/pages/{root.pk}/delete/", follow=True)
    assert "是政府信息公开的统一栏目，不能删除" in response.content.decode()
    assert ColumnPage.objects.filter(pk=root.pk).exists()


def test_provisioning_again_repairs_a_missing_part_and_keeps_content(mini_region) -> None:
    root = _root(mini_region.site_b)
    statistics = ColumnPage.objects.descendant_of(root).get(slug="tjxx")
    item = add_article(statistics, "乙市2026年前三季度经济运行情况")
    ColumnPage.objects.descendant_of(root).get(slug="xxgknb").delete()
    do_provision_hosted_site(mini_region.site_b, by=SYSTEM)
    assert ColumnPage.objects.child_of(root).filter(slug="xxgknb", column_kind=ColumnKind.OGI_REPORT).exists()
    assert ColumnPage.objects.descendant_of(root).filter(slug="tjxx").count() == 1
    assert item.get_parent().pk == statistics.pk


def test_a_site_made_before_the_structure_gets_it_by_repair(mini_region) -> None:
    ColumnPage.objects.get(pk=_root(mini_region.site_b).pk).delete()
    assert _root(mini_region.site_b) is None
    do_provision_hosted_site(mini_region.site_b, by=SYSTEM)
    assert _root(mini_region.site_b).slug == "xxgk"


def test_the_repair_command_gives_hosted_sites_the_structure(mini_region) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    assert ogi_root(mini_region.portal.wagtail_site.root_page) is None  # a site hosted before the structure
    out = StringIO()
    call_command("repair_sites", site=mini_region.portal.site_code, stdout=out)
    assert "已修复：示范自治区人民政府网" in out.getvalue()
    assert ogi_root(mini_region.portal.wagtail_site.root_page).title == "政府信息公开"
    with pytest.raises(CommandError, match="没有网站标识码"):
        call_command("repair_sites", site="0000000000")
