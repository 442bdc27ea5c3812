"""主动公开时限 (条例 Art 26): 20 working days from the 形成日期 on the 2026 calendar, each item's status, and who
sees which items on the clock."""

import datetime

import chinese_calendar
import pytest
from django.utils import timezone

from govsite.content.disclosure import (
    ClockStatus,
    attention_rows,
    clock_items_visible_to,
    clock_rows,
    clock_status,
    disclosure_due_date,
)
from govsite.content.models import ArticlePage, ColumnPage
from govsite.core.models import Role
from govsite.testing import give_role, make_user, with_disclosure_columns

D = datetime.date


def test_due_date_skips_mid_autumn_and_national_day_2026() -> None:
    # 2026-09-25 is 中秋 itself; 国庆 runs 10-01…10-07 and Saturday 10-10 is a 调休 working day.
    due = disclosure_due_date(D(2026, 9, 25))
    assert due == D(2026, 10, 29)
    # Cross-checked against the statutory data directly, not by hand.
    workdays = chinese_calendar.get_workdays(D(2026, 9, 26), due)
    assert len(workdays) == 20 and workdays[-1] == due and D(2026, 10, 10) in workdays


def test_due_date_across_spring_festival_2026() -> None:
    due = disclosure_due_date(D(2026, 2, 10))
    assert len(chinese_calendar.get_workdays(D(2026, 2, 11), due)) == 20
    assert due > D(2026, 2, 10) + datetime.timedelta(days=28)  # 春节 adds far more than weekends


@pytest.mark.parametrize(("published_on", "today", "status"), [
    (D(2026, 10, 29), D(2026, 11, 2), ClockStatus.ON_TIME),
    (D(2026, 10, 30), D(2026, 11, 2), ClockStatus.LATE),
    (None, D(2026, 10, 30), ClockStatus.OVERDUE),
    (None, D(2026, 10, 29), ClockStatus.DUE_SOON),
    (None, D(2026, 10, 8), ClockStatus.PENDING),
])
def test_status_of_an_item(published_on, today, status) -> None:  # noqa: ANN001
    assert clock_status(D(2026, 9, 25), published_on, today) == status


@pytest.fixture
def clock_world(mini_region):  # noqa: ANN001, ANN201
    with_disclosure_columns(mini_region.site_a, mini_region.site_b)
    r = mini_region
    for website, prefix in ((r.site_a, "甲"), (r.site_b, "乙")):
        category = ColumnPage.objects.descendant_of(website.wagtail_site.root_page).get(slug="czyjs")
        live = category.add_child(instance=ArticlePage(title=f"{prefix}市2026年预算公开", slug="ys",
                                                       formed_at=D(2026, 9, 25), body="<p>预算。</p>"))
        live.save_revision().publish()
        draft = category.add_child(instance=ArticlePage(title=f"{prefix}市决算草稿", slug="js", live=False,
                                                        formed_at=D(2026, 9, 25), body="<p>决算。</p>"))
        draft.save_revision()
        setattr(r, f"live_{prefix}", live)
        setattr(r, f"draft_{prefix}", draft)
    news = r.site_a.wagtail_site.root_page.add_child(instance=ColumnPage(title="要闻", slug="yw"))
    news.save_revision().publish()
    outside = news.add_child(instance=ArticlePage(title="甲市普通动态", slug="dt", formed_at=D(2026, 9, 25),
                                                  body="<p>动态。</p>"))
    outside.save_revision().publish()
    return r


@pytest.mark.django_db
@pytest.mark.slow
def test_editors_see_their_sites_items_and_supervisors_their_subtrees_published_ones(clock_world) -> None:
    r = clock_world
    editor_a = make_user("clock_editor_a")
    give_role(editor_a, Role.EDITOR, website=r.site_a)
    supervisor_a = make_user("clock_supervisor_a")
    give_role(supervisor_a, Role.SUPERVISOR, unit=r.gov_a)
    titles = set(clock_items_visible_to(editor_a).values_list("title", flat=True))
    assert titles == {"甲市2026年预算公开", "甲市决算草稿"}  # not B's, and not the ordinary column's news
    assert set(clock_items_visible_to(supervisor_a).values_list("title", flat=True)) == {"甲市2026年预算公开"}

    ArticlePage.objects.filter(pk=r.live_甲.pk).update(
        first_published_at=timezone.make_aware(datetime.datetime(2026, 10, 30, 9, 0)))
    rows = {row.item.title: row for row in attention_rows(editor_a, today=D(2026, 11, 2))}
    assert rows["甲市2026年预算公开"].status_label == "逾期公开"
    assert rows["甲市决算草稿"].status == ClockStatus.OVERDUE and rows["甲市决算草稿"].due == D(2026, 10, 29)
    early = clock_rows(clock_items_visible_to(editor_a), today=D(2026, 10, 8))
    assert {row.status for row in early if row.item.title == "甲市决算草稿"} == {ClockStatus.PENDING}


@pytest.mark.django_db
@pytest.mark.slow
def test_the_admin_page_lists_a_sites_items_for_its_staff_only(clock_world) -> None:
    from govsite.testing import client_for

    r = clock_world
    editor_b = make_user("clock_editor_b")
    give_role(editor_b, Role.EDITOR, website=r.site_b)
    page = client_for(editor_b).get("/admin/disclosure-clock/").content.decode()
    assert "乙市决算草稿" in page and "乙市2026年预算公开" in page and "主动公开时限" in page
    assert "甲市" not in page
    supervisor_a = make_user("clock_supervisor_a2")
    give_role(supervisor_a, Role.SUPERVISOR, unit=r.gov_a)
    page = client_for(supervisor_a).get("/admin/disclosure-clock/?status=bogus").content.decode()
    assert "甲市2026年预算公开" in page and "决算草稿" not in page and "乙市" not in page
    evaluator_only = make_user("clock_nobody")
    assert client_for(evaluator_only).get("/admin/disclosure-clock/").status_code != 200


@pytest.mark.django_db
@pytest.mark.slow
def test_the_workbench_shows_overdue_items_to_their_sites_editor(clock_world) -> None:
    from govsite.testing import client_for

    editor_a = make_user("clock_editor_a3")
    give_role(editor_a, Role.EDITOR, website=clock_world.site_a)
    home = client_for(editor_a).get("/admin/").content.decode()
    assert "主动公开即将到期或已逾期" in home and "甲市决算草稿" in home  # due 2026-10-29, long past
    assert "乙市决算草稿" not in home
