"""信息报送 across sites: a county editor submits to the prefecture portal, its staff accept or decline, the item
shows on both with its source, edits of the original reach every placement, and scope holds throughout."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govsite.content.tests.builders import add_article, add_column
from govsite.core.access import SYSTEM
from govsite.core.models import AuditLog, Role
from govsite.library.access import inbox, outbox, submissions_visible_to
from govsite.library.models import SubmissionStatus
from govsite.library.services import (
    do_accept_submission,
    do_decline_submission,
    do_submit_item,
    submission_counts,
)
from govsite.testing import give_role, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # sites with pages, several requests


@pytest.fixture
def world(mini_region):  # noqa: ANN001, ANN201
    r = mini_region
    county_home = r.site_a1.wagtail_site.root_page
    r.county_news = add_column(county_home, "乡镇动态", slug="xzdt")
    r.item = add_article(r.county_news, "甲一县召开秋季防火工作会议", body="<p>县防火办部署秋季防火工作。</p>")
    r.pref_column = add_column(r.site_a.wagtail_site.root_page, "区县动态", slug="qxdt")
    r.pref_own = add_article(r.pref_column, "甲市本级信息")
    r.county_editor = make_user("county_editor")
    give_role(r.county_editor, Role.EDITOR, website=r.site_a1)
    r.pref_reviewer = make_user("pref_reviewer")
    give_role(r.pref_reviewer, Role.REVIEWER, website=r.site_a)
    r.b_editor = make_user("b_editor")
    give_role(r.b_editor, Role.EDITOR, website=r.site_b)
    return r


def test_a_county_item_accepted_by_the_prefecture_shows_on_both_sites(world, client) -> None:
    submission = do_submit_item(world.item, world.pref_column, by=world.county_editor, note="请采用")
    assert submission.status == SubmissionStatus.PENDING
    listing = client.get(world.pref_column.url, HTTP_HOST="www.jia.gov.cn").content.decode()
    assert "甲一县召开秋季防火工作会议" not in listing  # not before it is accepted

    do_accept_submission(submission, by=world.pref_reviewer)
    listing = client.get(world.pref_column.url, HTTP_HOST="www.jia.gov.cn").content.decode()
    assert "甲一县召开秋季防火工作会议" in listing and "甲市本级信息" in listing
    placed_url = world.pref_column.url + f"library/{submission.pk}/"
    assert f'href="{placed_url}"' in listing  # linked on the receiving site, not off to the county's
    page = client.get(placed_url, HTTP_HOST="www.jia.gov.cn").content.decode()
    assert "县防火办部署秋季防火工作" in page and "来源：" in page and "甲一县人民政府网" in page
    # The original stays where it is.
    assert "县防火办部署秋季防火工作" in client.get(world.item.url, HTTP_HOST="www.jiayi.gov.cn").content.decode()
    assert AuditLog.objects.filter(event__in=["library.submit", "library.accept"]).count() == 2


def test_editing_the_original_updates_and_unpublishing_hides_every_placement(world, client) -> None:
    submission = do_submit_item(world.item, world.pref_column, by=world.county_editor)
    do_accept_submission(submission, by=world.pref_reviewer)
    placed_url = world.pref_column.url + f"library/{submission.pk}/"
    world.item.body = "<p>更正：会议时间为九月二十日。</p>"
    world.item.save_revision().publish()
    assert "更正：会议时间为九月二十日" in client.get(placed_url, HTTP_HOST="www.jia.gov.cn").content.decode()
    world.item.unpublish()
    assert client.get(placed_url, HTTP_HOST="www.jia.gov.cn").status_code == 404
    listing = client.get(world.pref_column.url, HTTP_HOST="www.jia.gov.cn").content.decode()
    assert "甲一县召开秋季防火工作会议" not in listing


def test_a_placement_is_not_served_by_another_column_or_site(world, client) -> None:
    submission = do_submit_item(world.item, world.pref_column, by=world.county_editor)
    do_accept_submission(submission, by=world.pref_reviewer)
    other = add_column(world.site_a.wagtail_site.root_page, "其他栏目", slug="qtlm")
    add_article(other, "其他栏目信息")
    assert client.get(other.url + f"library/{submission.pk}/", HTTP_HOST="www.jia.gov.cn").status_code == 404


def test_declining_needs_a_reason_and_keeps_the_item_out(world, client) -> None:
    submission = do_submit_item(world.item, world.pref_column, by=world.county_editor)
    with pytest.raises(ValidationError, match="理由"):
        do_decline_submission(submission, by=world.pref_reviewer, reason=" ")
    do_decline_submission(submission, by=world.pref_reviewer, reason="与本栏目定位不符")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DECLINED and submission.decline_reason == "与本栏目定位不符"
    assert client.get(world.pref_column.url + f"library/{submission.pk}/", HTTP_HOST="www.jia.gov.cn").status_code == 404
    with pytest.raises(ValidationError, match="已处理"):
        do_accept_submission(submission, by=world.pref_reviewer)
    do_submit_item(world.item, world.pref_column, by=world.county_editor)  # may be offered again


def test_only_a_sites_own_staff_submit_its_items_and_only_to_superior_sites(world) -> None:
    with pytest.raises(PermissionDenied):
        do_submit_item(world.item, world.pref_column, by=world.b_editor)  # not B's item
    b_column = add_column(world.site_b.wagtail_site.root_page, "乙市动态", slug="ysdt")
    with pytest.raises(PermissionDenied, match="上级"):
        do_submit_item(world.item, b_column, by=world.county_editor)  # 乙市 is not above 甲一县
    with pytest.raises(PermissionDenied):
        do_submit_item(world.pref_own, world.county_news, by=SYSTEM)  # downwards is no 报送
    draft = world.county_news.add_child(instance=type(world.item)(title="未发布", slug="wfb", body="<p>x</p>", live=False))
    with pytest.raises(ValidationError, match="已发布"):
        do_submit_item(draft, world.pref_column, by=world.county_editor)
    with pytest.raises(ValueError):
        do_submit_item(world.item, world.pref_column, by=None)


def test_only_the_receiving_sites_staff_decide(world) -> None:
    submission = do_submit_item(world.item, world.pref_column, by=world.county_editor)
    for outsider in (world.county_editor, world.b_editor):
        with pytest.raises(PermissionDenied):
            do_accept_submission(submission, by=outsider)
        with pytest.raises(PermissionDenied):
            do_decline_submission(submission, by=outsider, reason="不要")


def test_submissions_are_seen_by_the_two_sites_staff_only(world) -> None:
    submission = do_submit_item(world.item, world.pref_column, by=world.county_editor)
    assert list(outbox(world.county_editor)) == [submission] and not inbox(world.county_editor).exists()
    assert list(inbox(world.pref_reviewer)) == [submission] and not outbox(world.pref_reviewer).exists()
    supervisor = make_user("supervisor_a")
    give_role(supervisor, Role.SUPERVISOR, unit=world.gov_a)
    for outsider in (world.b_editor, supervisor):
        assert not submissions_visible_to(outsider).exists()


def test_counts_per_unit_and_year(world) -> None:
    first = do_submit_item(world.item, world.pref_column, by=world.county_editor)
    do_accept_submission(first, by=world.pref_reviewer)
    second_item = add_article(world.county_news, "甲一县第二条信息")
    second = do_submit_item(second_item, world.pref_column, by=world.county_editor)
    do_decline_submission(second, by=world.pref_reviewer, reason="重复")
    do_submit_item(second_item, world.pref_column, by=world.county_editor)
    year = first.submitted_at.year
    assert submission_counts(world.gov_a1, year) == {"submitted": 3, "accepted": 1, "declined": 1}
    assert submission_counts(world.gov_a1, year - 1) == {"submitted": 0, "accepted": 0, "declined": 0}
    assert submission_counts(world.gov_a, year)["submitted"] == 0


def test_the_admin_pages_walk_a_submission_from_county_to_prefecture(world) -> None:
    from govsite.testing import client_for

    county = client_for(world.county_editor)
    form = county.get("/admin/library/submit/").content.decode()
    assert "甲一县召开秋季防火工作会议" in form and "甲市人民政府网 › 区县动态" in form
    assert "乙市" not in form  # no column of a site that is not above the county
    response = county.post("/admin/library/submit/", {"item": world.item.pk, "column": world.pref_column.pk,
                                                      "note": "县防火办供稿"})
    assert response.status_code == 302
    submission = outbox(world.county_editor).get()
    assert "县防火办供稿" in county.get("/admin/library/").content.decode()

    reviewer = client_for(world.pref_reviewer)
    assert "县防火办供稿" in reviewer.get("/admin/library/").content.decode()
    assert client_for(world.b_editor).get(f"/admin/library/{submission.pk}/").status_code == 404
    # The sender cannot accept its own submission.
    assert county.post(f"/admin/library/{submission.pk}/", {"action": "accept"}).status_code != 200
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING
    response = reviewer.post(f"/admin/library/{submission.pk}/", {"action": "decline", "reason": ""})
    assert response.status_code == 200 and "errorlist" in response.content.decode()  # a reason is required
    reviewer.post(f"/admin/library/{submission.pk}/", {"action": "accept"})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
