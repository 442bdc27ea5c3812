"""The isolation matrix: staff of one site can neither list, open nor change anything of another site,
and a supervisor sees exactly the sites at or below its unit (一级管一级)."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from govsite.content.access import access_page, pages_visible_to
from govsite.content.models import ArticlePage, ColumnPage
from govsite.core.models import Role
from govsite.registry.access import access_website, websites_manageable_by, websites_visible_to
from govsite.testing import give_role, make_user

pytestmark = pytest.mark.django_db


def _png(name: str) -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return ImageFile(io.BytesIO(buffer.getvalue()), name=name)


def _fill_site(website, label: str) -> dict:
    home = website.wagtail_site.root_page.specific
    column = home.add_child(instance=ColumnPage(title=f"{label}要闻栏目", slug=f"news-{label}"))
    column.save_revision().publish()
    article = column.add_child(
        instance=ArticlePage(title=f"{label}草稿信息", slug=f"draft-{label}", body="<p>待审核</p>", live=False)
    )
    article.save_revision()
    collection = Collection.objects.get(name=website.site_code)
    image = get_image_model().objects.create(title=f"{label}图片", file=_png(f"{label}.png"), collection=collection)
    document = get_document_model().objects.create(
        title=f"{label}待审文件", file=ContentFile(b"secret draft", name=f"{label}-draft.txt"), collection=collection
    )
    return {"home": home, "column": column, "article": article, "image": image, "document": document}


@pytest.fixture
def two_sites(mini_region, client):  # noqa: ANN001, ANN201
    a = _fill_site(mini_region.site_a, "甲")
    b = _fill_site(mini_region.site_b, "乙")
    editor_a = make_user("editor_a")
    give_role(editor_a, Role.EDITOR, website=mini_region.site_a)
    client.force_login(editor_a)
    return mini_region, a, b, editor_a


def test_editor_of_site_a_sees_only_site_a_in_scope_functions(two_sites):
    region, a, b, editor = two_sites
    assert list(websites_visible_to(editor)) == [region.site_a]
    assert not websites_manageable_by(editor).exists()
    visible_pages = set(pages_visible_to(editor).values_list("pk", flat=True))
    assert {a["home"].pk, a["column"].pk, a["article"].pk} <= visible_pages
    assert not visible_pages & {b["home"].pk, b["column"].pk, b["article"].pk}
    with pytest.raises(Exception) as excinfo:
        access_page(editor, b["article"].pk)
    assert excinfo.type.__name__ == "Http404"
    with pytest.raises(Exception) as excinfo:
        access_website(editor, site_code=region.site_b.site_code)
    assert excinfo.type.__name__ == "Http404"


@pytest.mark.parametrize("target", ["home", "column", "article"])
def test_editor_of_site_a_cannot_open_site_b_pages_in_admin(two_sites, client, target):
    _, a, b, _ = two_sites
    own = client.get(reverse("wagtailadmin_pages:edit", args=[a[target].pk]))
    assert own.status_code == 200
    for url in (
        reverse("wagtailadmin_pages:edit", args=[b[target].pk]),
        reverse("wagtailadmin_explore", args=[b[target].pk]),
        reverse("wagtailadmin_pages:add_subpage", args=[b[target].pk]),
        reverse("wagtailadmin_pages:delete", args=[b[target].pk]),
        reverse("wagtailadmin_pages:history", args=[b[target].pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert b[target].title not in response.content.decode(), url


def test_editor_of_site_a_cannot_change_site_b_article(two_sites, client):
    _, _, b, _ = two_sites
    url = reverse("wagtailadmin_pages:edit", args=[b["article"].pk])
    response = client.post(url, {"title": "被篡改", "slug": "hacked", "body": "x", "published_at": "2026-01-01 10:00"})
    assert response.status_code in (302, 403, 404)
    b["article"].refresh_from_db()
    assert b["article"].title == "乙草稿信息"
    assert b["article"].get_latest_revision().content["title"] == "乙草稿信息"


def test_editor_of_site_a_cannot_add_pages_under_site_b(two_sites, client):
    _, _, b, _ = two_sites
    url = reverse("wagtailadmin_pages:add", args=["content", "articlepage", b["column"].pk])
    before = ArticlePage.objects.count()
    response = client.post(url, {"title": "插入", "slug": "inject", "body": "x", "published_at": "2026-01-01 10:00",
                                 "action-publish": "1"})
    assert response.status_code in (302, 403, 404)
    assert ArticlePage.objects.count() == before


def test_editor_of_site_a_does_not_find_site_b_in_admin_listings(two_sites, client):
    _, a, b, _ = two_sites
    listings = {
        "page search": reverse("wagtailadmin_pages:search") + "?q=草稿",
        "explorer root": reverse("wagtailadmin_explore_root"),
        "page chooser": reverse("wagtailadmin_choose_page") + "?q=草稿",
        "images": reverse("wagtailimages:index"),
        "image chooser": reverse("wagtailimages_chooser:choose"),
        "documents": reverse("wagtaildocs:index"),
        "document chooser": reverse("wagtaildocs_chooser:choose"),
        "site history": reverse("wagtailadmin_reports:site_history"),
        "aging pages": reverse("wagtailadmin_reports:aging_pages"),
        "locked pages": reverse("wagtailadmin_reports:locked_pages"),
        "workflows": reverse("wagtailadmin_reports:workflow"),
        "dashboard": reverse("wagtailadmin_home"),
    }
    for name, url in listings.items():
        response = client.get(url, follow=True)
        body = response.content.decode()
        assert response.status_code == 200, name
        assert "乙" not in body, name
    # The own site does show up, so the listings are not simply empty.
    assert a["image"].title in client.get(listings["images"]).content.decode()
    assert a["document"].title in client.get(listings["documents"]).content.decode()


def test_editor_of_site_a_cannot_open_or_download_site_b_files(two_sites, client):
    _, a, b, _ = two_sites
    for url in (
        reverse("wagtailimages:edit", args=[b["image"].pk]),
        reverse("wagtailimages:delete", args=[b["image"].pk]),
        reverse("wagtaildocs:edit", args=[b["document"].pk]),
        reverse("wagtaildocs:delete", args=[b["document"].pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert "乙" not in response.content.decode(), url
    own = client.get(reverse("wagtaildocs_serve", args=[a["document"].pk, a["document"].filename]))
    assert own.status_code == 200
    other = client.get(reverse("wagtaildocs_serve", args=[b["document"].pk, b["document"].filename]))
    assert other.status_code == 404


def test_unpublished_document_is_not_public_until_a_live_page_links_it(two_sites, client):
    _, _, b, _ = two_sites
    client.logout()
    url = reverse("wagtaildocs_serve", args=[b["document"].pk, b["document"].filename])
    assert client.get(url).status_code == 404
    article = b["article"]
    article.body = f'<p><a linktype="document" id="{b["document"].pk}">附件</a></p>'
    article.save_revision().publish()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"secret draft"


def test_editor_of_site_a_cannot_read_site_b_through_the_api(two_sites, client):
    region, a, b, _ = two_sites
    listing = client.get("/api/v1/content/pages?limit=500").json()
    ids = {item["id"] for item in listing["items"]}
    assert a["article"].pk in ids and b["article"].pk not in ids
    assert client.get(f"/api/v1/content/pages/{b['article'].pk}").status_code == 404
    assert client.get(f"/api/v1/content/pages/{a['article'].pk}").status_code == 200
    assert client.get(f"/api/v1/content/pages?site_code={region.site_b.site_code}").status_code == 404


def test_anonymous_api_calls_are_refused(mini_region, client):
    assert client.get("/api/v1/content/pages").status_code == 401


def test_county_supervisor_sees_only_its_county(mini_region):
    supervisor = make_user("county_sup")
    give_role(supervisor, Role.SUPERVISOR, unit=mini_region.gov_a1)
    assert list(websites_visible_to(supervisor)) == [mini_region.site_a1]
    assert list(websites_manageable_by(supervisor)) == [mini_region.site_a1]
    roots = set(pages_visible_to(supervisor).filter(depth=2).values_list("pk", flat=True))
    assert roots == {mini_region.site_a1.wagtail_site.root_page_id}


def test_prefecture_supervisor_sees_its_prefecture_and_counties_below(mini_region):
    supervisor = make_user("pref_sup")
    give_role(supervisor, Role.SUPERVISOR, unit=mini_region.gov_a)
    codes = set(websites_visible_to(supervisor).values_list("site_code", flat=True))
    assert codes == {mini_region.site_a.site_code, mini_region.site_a1.site_code}


def test_region_supervisor_sees_every_site(mini_region):
    supervisor = make_user("region_sup")
    give_role(supervisor, Role.SUPERVISOR, unit=mini_region.gov)
    assert websites_visible_to(supervisor).count() == 4


def test_evaluator_reads_only_assigned_sites_and_changes_nothing(mini_region):
    evaluator = make_user("evaluator")
    give_role(evaluator, Role.EVALUATOR, website=mini_region.site_b)
    assert list(websites_visible_to(evaluator)) == [mini_region.site_b]
    assert not websites_manageable_by(evaluator).exists()
    with pytest.raises(Exception) as excinfo:
        access_website(evaluator, site_code=mini_region.site_b.site_code, for_change=True)
    assert excinfo.type.__name__ == "PermissionDenied"


def test_revoking_a_role_removes_wagtail_access(mini_region, client):
    from govsite.core.access import SYSTEM
    from govsite.core.services import do_revoke_role

    editor = make_user("temp_editor")
    assignment = give_role(editor, Role.EDITOR, website=mini_region.site_a)
    home_id = mini_region.site_a.wagtail_site.root_page_id
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[home_id])).status_code == 200
    do_revoke_role(assignment, by=SYSTEM)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[home_id])).status_code in (302, 403)
    assert not editor.groups.exists()


def test_platform_admin_role_sees_and_edits_every_site(mini_region, client):
    admin = make_user("platform")
    give_role(admin, Role.PLATFORM_ADMIN)
    assert websites_manageable_by(admin).count() == 4
    client.force_login(admin)
    for website in (mini_region.site_a, mini_region.site_b):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[website.wagtail_site.root_page_id]))
        assert response.status_code == 200


def test_editor_of_site_a_cannot_list_open_or_change_site_b_in_the_registry(two_sites, client):
    region, _, _, _ = two_sites
    listing = client.get(reverse("registry:index")).content.decode()
    assert region.site_a.site_code in listing and region.site_b.site_code not in listing
    for name in ("detail", "edit", "status", "security_test"):
        response = client.get(reverse(f"registry:{name}", args=[region.site_b.pk]), follow=True)
        assert response.redirect_chain or response.status_code == 404, name
        assert region.site_b.site_code not in response.content.decode(), name
    response = client.post(
        reverse("registry:status", args=[region.site_b.pk]),
        {"to_status": "offline", "reason": "越权尝试", "document_number": "X"},
    )
    assert response.status_code in (302, 403, 404)
    region.site_b.refresh_from_db()
    assert region.site_b.status == "running"
    export = client.get(reverse("registry:export"))
    assert export.status_code == 200
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    codes = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert codes == {region.site_a.site_code}


def test_site_admin_changes_the_look_of_its_own_site_only(mini_region, client):
    from govsite.content.models import SiteAppearance

    admin_a = make_user("site_admin_a")
    give_role(admin_a, Role.SITE_ADMIN, website=mini_region.site_a)
    client.force_login(admin_a)
    site_a, site_b = mini_region.site_a.wagtail_site, mini_region.site_b.wagtail_site
    url_a = reverse("wagtailsettings:edit", args=["content", "siteappearance", site_a.pk])
    url_b = reverse("wagtailsettings:edit", args=["content", "siteappearance", site_b.pk])
    assert client.get(url_a).status_code == 200
    assert client.get(url_b).status_code in (302, 403, 404)
    client.post(url_b, {"primary_colour": "#000000", "accent_colour": "#000000", "banner_text": "越权"})
    assert SiteAppearance.for_site(site_b).banner_text == ""
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
