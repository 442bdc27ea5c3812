"""工作日: the statutory calendar, the admins' overrides, the command and the admin page.

The 2026 dates are those of 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号, 4 November 2025):
春节 2月15日至23日放假调休共9天, 2月14日（周六）、2月28日（周六）上班; 国庆节 10月1日至7日放假调休共7天,
9月20日（周日）、10月10日（周六）上班; 中秋节 9月25日至27日放假. chinesecalendar 1.11.0 has the same days.
"""

from __future__ import annotations

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from govsite.core import workdays
from govsite.core.access import SYSTEM
from govsite.core.models import AuditLog, Role, WorkdayOverride
from govsite.core.workdays import add_workdays, is_workday, workdays_between
from govsite.testing import client_for, give_role, make_user

D = datetime.date


@pytest.fixture(autouse=True)
def _fresh_cache():  # noqa: ANN202
    # A rolled-back test leaves no signal behind: start and end with nothing cached.
    workdays.clear_cache()
    yield
    workdays.clear_cache()


# --- the statutory calendar --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_spring_festival_2026_is_nine_days_off_with_two_make_up_saturdays():
    assert all(not is_workday(D(2026, 2, day)) for day in range(15, 24))
    assert is_workday(D(2026, 2, 14)) and is_workday(D(2026, 2, 28))  # 调休上班 (周六)
    assert D(2026, 2, 14).weekday() == 5 and D(2026, 2, 28).weekday() == 5
    assert is_workday(D(2026, 2, 24))


@pytest.mark.django_db
def test_national_day_2026_with_its_make_up_sunday_and_saturday():
    assert all(not is_workday(D(2026, 10, day)) for day in range(1, 8))
    assert is_workday(D(2026, 9, 20)) and D(2026, 9, 20).weekday() == 6
    assert is_workday(D(2026, 10, 10)) and D(2026, 10, 10).weekday() == 5
    assert not is_workday(D(2026, 9, 25))  # 中秋节


@pytest.mark.django_db
def test_the_package_agrees_with_the_state_council_notice_for_2026():
    import chinese_calendar

    off = {D(2026, 1, d) for d in (1, 2, 3)} | {D(2026, 2, d) for d in range(15, 24)} \
        | {D(2026, 4, d) for d in (4, 5, 6)} | {D(2026, 5, d) for d in range(1, 6)} \
        | {D(2026, 6, d) for d in (19, 20, 21)} | {D(2026, 9, d) for d in (25, 26, 27)} \
        | {D(2026, 10, d) for d in range(1, 8)}
    make_up = {D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)}
    assert {d for d in chinese_calendar.holidays if d.year == 2026} == off
    assert {d for d in chinese_calendar.workdays if d.year == 2026} == make_up


@pytest.mark.django_db
def test_add_workdays_across_the_spring_festival_counts_the_make_up_saturday():
    # 2月11、12、13日, 14日（调休周六）, then the holiday until 23日: the fifth is 2月24日.
    assert add_workdays(D(2026, 2, 10), 5) == D(2026, 2, 24)
    assert add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)
    # 依申请公开: 20 working days from a request received on the eve of the holiday: 2月14日 (1),
    # 24–27日 (5), 28日 周六 (6), then three weeks of five less one day: 3月19日.
    assert add_workdays(D(2026, 2, 13), 20) == D(2026, 3, 19)


@pytest.mark.django_db
def test_add_workdays_zero_and_backwards():
    assert add_workdays(D(2026, 2, 15), 0) == D(2026, 2, 15)
    assert add_workdays(D(2026, 2, 24), -1) == D(2026, 2, 14)
    assert add_workdays(D(2026, 2, 24), -5) == D(2026, 2, 10)


@pytest.mark.django_db
def test_workdays_between_across_national_day():
    # 9月29、30日, 10月8、9日, 10日（调休周六）, 12日.
    assert workdays_between(D(2026, 9, 28), D(2026, 10, 12)) == 6
    assert workdays_between(D(2026, 10, 12), D(2026, 9, 28)) == -6
    assert workdays_between(D(2026, 10, 1), D(2026, 10, 1)) == 0
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 7)) == 0


@pytest.mark.django_db
def test_between_and_add_agree():
    start = D(2026, 9, 18)
    for n in range(0, 30):
        assert workdays_between(start, add_workdays(start, n)) == n


@pytest.mark.django_db
def test_a_year_the_package_does_not_know_counts_weekdays_and_says_so():
    year = workdays.covered_years().stop + 3
    assert not workdays.is_year_covered(year) and workdays.is_year_covered(2026)
    monday = D(year, 1, 1) + datetime.timedelta(days=(7 - D(year, 1, 1).weekday()) % 7)
    assert is_workday(monday) and not is_workday(monday + datetime.timedelta(days=5))
    assert add_workdays(monday, 5) == monday + datetime.timedelta(days=7)
    assert workdays.uncovered_years([2026, year]) == [year]


# --- overrides -----------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_an_override_wins_over_the_package_and_is_seen_at_once():
    assert is_workday(D(2026, 2, 14))  # cached now
    override = workdays.do_save_workday_override(
        WorkdayOverride(date=D(2026, 2, 14), is_workday=False, note="本地决定"), by=SYSTEM)
    assert not is_workday(D(2026, 2, 14))
    assert add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 24)
    workdays.do_delete_workday_override(override, by=SYSTEM)
    assert is_workday(D(2026, 2, 14))
    events = list(AuditLog.objects.filter(object_type="core.WorkdayOverride").values_list("event", flat=True))
    assert sorted(events) == ["core.workday.add", "core.workday.delete"]


@pytest.mark.django_db
def test_only_platform_admins_change_the_calendar(mini_region):
    supervisor = make_user("sup")
    give_role(supervisor, Role.SUPERVISOR, unit=mini_region.gov_a)
    with pytest.raises(PermissionDenied, match="只有平台管理员"):
        workdays.do_save_workday_override(WorkdayOverride(date=D(2030, 1, 2), is_workday=False, note="x"),
                                          by=supervisor)
    with pytest.raises(ValueError):
        workdays.do_save_workday_override(WorkdayOverride(date=D(2030, 1, 2), is_workday=False, note="x"),
                                          by=None)
    assert not WorkdayOverride.objects.exists()


# --- the command ---------------------------------------------------------------------------------------------

def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


@pytest.mark.django_db
def test_command_add_and_between_print_the_answer():
    assert _run("add", "2026-02-10", "5") == ("2026-02-24", "")
    assert _run("between", "2026-09-28", "2026-10-12") == ("6", "")
    assert _run("is", "2026-10-10")[0] == "工作日"


@pytest.mark.django_db
def test_command_warns_about_a_year_without_statutory_data():
    year = workdays.covered_years().stop + 1
    out, err = _run("add", f"{year}-03-02", "1")
    assert out and f"{year} 年按周一至周五上班计算" in err


@pytest.mark.django_db
@pytest.mark.parametrize("args, message", [
    (("add", "2026-02-30", "5"), "日期“2026-02-30”无效"),
    (("add", "2026-02-10", "五"), "天数“五”无效"),
    (("between", "2026-09-28"), "用法"),
    (("subtract", "2026-09-28", "1"), "用法"),
    ((), "用法"),
    (("add", "9999-12-30", "5"), "超出可计算的日期范围"),
    (("between", "0001-01-01", "9999-01-01"), "相隔过远"),
])
def test_command_refuses_bad_input_in_chinese(args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)


@pytest.mark.slow
def test_the_govsite_command_exits_non_zero_without_a_traceback():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "govsite.settings.test"}
    result = subprocess.run([sys.executable, "-m", "govsite", "workdays", "add", "2026-13-01", "5"],
                            capture_output=True, text=True, env=env, cwd=Path(__file__).parents[3], timeout=120)
    assert result.returncode != 0
    assert "日期“2026-13-01”无效" in result.stderr and "Traceback" not in result.stderr


# --- the admin page ------------------------------------------------------------------------------------------

@pytest.fixture
def platform_admin(db):  # noqa: ANN001, ANN201
    user = make_user("calendar_admin")
    give_role(user, Role.PLATFORM_ADMIN)
    return user


@pytest.mark.django_db
def test_a_platform_admin_enters_an_override_that_changes_the_answer(platform_admin):
    client = client_for(platform_admin)
    assert add_workdays(D(2026, 2, 10), 5) == D(2026, 2, 24)
    response = client.post(reverse("workdays:add"), {
        "date": "2026-02-14", "is_workday": "", "note": "本省决定 2月14日 不调休"})
    assert response.status_code == 302, response.content.decode()[:2000]
    override = WorkdayOverride.objects.get(date=D(2026, 2, 14))
    assert not override.is_workday and override.changed_by == platform_admin
    assert add_workdays(D(2026, 2, 10), 5) == D(2026, 2, 25)
    entry = AuditLog.objects.get(event="core.workday.add")
    assert entry.username == "calendar_admin" and entry.detail["date"] == "2026-02-14"

    page = client.get(reverse("workdays:index"))
    assert page.status_code == 200 and "本省决定 2月14日 不调休" in page.content.decode()

    response = client.post(reverse("workdays:edit", args=[override.pk]), {
        "date": "2026-02-14", "is_workday": "on", "note": "恢复调休"})
    assert response.status_code == 302
    assert add_workdays(D(2026, 2, 10), 5) == D(2026, 2, 24)

    response = client.post(reverse("workdays:delete", args=[override.pk]))
    assert response.status_code == 302 and not WorkdayOverride.objects.exists()
    events = list(AuditLog.objects.filter(event__startswith="core.workday.").order_by("seq")
                  .values_list("event", flat=True))
    assert events == ["core.workday.add", "core.workday.change", "core.workday.delete"]


@pytest.mark.django_db
def test_the_admin_page_warns_of_a_year_without_statutory_data(platform_admin, monkeypatch):
    monkeypatch.setattr(workdays, "covered_years", lambda: range(2004, 2026))
    page = client_for(platform_admin).get(reverse("workdays:index")).content.decode()
    assert "data-calendar-warning" in page and "年未包含" in page


@pytest.mark.django_db
def test_others_may_not_open_or_change_the_calendar(mini_region):
    override = WorkdayOverride.objects.create(date=D(2030, 1, 2), is_workday=False, note="原说明")
    supervisor = make_user("sup")
    give_role(supervisor, Role.SUPERVISOR, unit=mini_region.gov_a)
    site_admin = make_user("siteadmin")
    give_role(site_admin, Role.SITE_ADMIN, website=mini_region.site_a)
    for user in (supervisor, site_admin):
        client = client_for(user)
        for url in (reverse("workdays:index"), reverse("workdays:add"),
                    reverse("workdays:edit", args=[override.pk]), reverse("workdays:delete", args=[override.pk])):
            assert client.get(url).status_code in (403, 404), url
        assert client.post(reverse("workdays:add"), {
            "date": "2030-01-03", "is_workday": "on", "note": "越权"}).status_code in (403, 404)
        assert client.post(reverse("workdays:edit", args=[override.pk]), {
            "date": "2030-01-02", "is_workday": "on", "note": "越权"}).status_code in (403, 404)
        assert client.post(reverse("workdays:delete", args=[override.pk])).status_code in (403, 404)
        assert "工作日调整" not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert list(WorkdayOverride.objects.values_list("date", "is_workday", "note")) == [
        (D(2030, 1, 2), False, "原说明")]


@pytest.mark.django_db
def test_the_calendar_pages_are_chinese(platform_admin):
    from govsite.adminui.tests.crawl import ALLOWED_WORDS, english_in

    override = workdays.do_save_workday_override(
        WorkdayOverride(date=D(2027, 2, 6), is_workday=True, note="调休上班"), by=SYSTEM)
    client = client_for(platform_admin)
    findings = []
    for url in (reverse("workdays:index"), reverse("workdays:add"), reverse("workdays:edit", args=[override.pk]),
                reverse("workdays:delete", args=[override.pk])):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert response.status_code == 200, url
        findings += english_in(url, response.content.decode(), ALLOWED_WORDS | {"system"})
    assert not findings, findings
