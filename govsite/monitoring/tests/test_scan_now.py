"""立即检测 (scan now) on the 网站监测 pages: supervisors queue a scan of one site or of their whole subtree,
audited and scoped by 一级管一级; the pages then say it is queued, running, and finally show the result.

The queue is the tests' real Redis broker; the queued task is then run as the worker would run it.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from govsite.core.models import AuditLog, Role
from govsite.monitoring.models import RunStatus, ScanRun
from govsite.monitoring.services import QUEUED, RUNNING, SCAN_REQUESTED, check_request_scan, scan_states
from govsite.monitoring.tests.test_runs import queued
from govsite.registry.models import WebsiteStatus
from govsite.testing import client_for, give_role, make_user

pytestmark = pytest.mark.django_db
SCAN_TASK = "govsite.monitoring.tasks.scan_website_task"


@pytest.fixture
def people(mini_region):  # noqa: ANN001, ANN201
    r = mini_region
    r.sup_region = make_user("sup_region")
    give_role(r.sup_region, Role.SUPERVISOR, unit=r.gov)
    r.sup_a = make_user("sup_a")
    give_role(r.sup_a, Role.SUPERVISOR, unit=r.gov_a)
    r.editor_a = make_user("editor_a")
    give_role(r.editor_a, Role.EDITOR, website=r.site_a)
    return r



def site_scan(pk: int) -> str:
    return reverse("monitoring:site_scan", args=[pk])


def requests_logged() -> list[tuple[str, str]]:
    return sorted(AuditLog.objects.filter(event=SCAN_REQUESTED).values_list("username", "object_id"))


def test_supervisor_queues_a_site_and_sees_it_queued_then_running_then_its_result(
    people, redis_broker, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    client = client_for(people.sup_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(site_scan(people.site_a1.pk), follow=True)
    assert response.status_code == 200
    assert "已排队立即检测：甲一县人民政府网" in response.content.decode()
    assert queued(redis_broker) == [(SCAN_TASK, (people.site_a1.pk, None, True), None)]
    assert requests_logged() == [("sup_a", str(people.site_a1.pk))]

    dashboard = client.get(reverse("monitoring:dashboard"))
    row = next(r for r in dashboard.context["rows"] if r.website == people.site_a1)
    assert row.scan_state == QUEUED and "已排队，等待检测" in dashboard.content.decode()

    run = ScanRun.objects.create(website=people.site_a1, as_of=timezone.localdate())  # the worker took it
    assert scan_states([people.site_a1]) == {people.site_a1.pk: RUNNING}
    assert "正在检测" in client.get(reverse("monitoring:site", args=[people.site_a1.pk])).content.decode()

    # The worker runs the queued task: offline, the unmapped registered host is refused, so the site is
    # reported unreachable — a finished run with a verdict, and no state left on the page.
    from govsite.monitoring.tasks import scan_website_task

    run.delete()
    name, args, _ = queued(redis_broker)[0]
    result = ScanRun.objects.get(pk=scan_website_task(*args))
    assert result.status == RunStatus.DONE and "unreachable" in result.veto_items
    assert scan_states([people.site_a1]) == {}
    page = client.get(reverse("monitoring:site", args=[people.site_a1.pk])).content.decode()
    assert "将不合格" in page and "已排队" not in page and "正在检测" not in page


@pytest.mark.slow
def test_a_done_scan_of_today_is_scanned_again_when_asked(people, redis_broker) -> None:  # noqa: ANN001
    from govsite.monitoring.tasks import scan_website_task

    first = scan_website_task(people.site_a.pk)
    assert scan_website_task(people.site_a.pk) == first  # the daily schedule does not repeat a done scan
    assert scan_website_task(people.site_a.pk, None, True) != first  # 立即检测 does


def test_region_scan_covers_every_monitored_site_of_the_subtree_only(
    people, redis_broker, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    people.site_a1.status = WebsiteStatus.OFFLINE
    people.site_a1.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.sup_a).post(reverse("monitoring:scan"), follow=True)
    assert "已排队立即检测 1 个网站" in response.content.decode()
    assert [args[0] for _, args, _ in queued(redis_broker)] == [people.site_a.pk]
    redis_broker.flushdb()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people.sup_region).post(reverse("monitoring:scan"))
    assert sorted(args[0] for _, args, _ in queued(redis_broker)) == sorted(
        [people.portal.pk, people.site_a.pk, people.site_b.pk])


def test_supervisor_cannot_scan_a_site_outside_their_subtree(
    people, redis_broker, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.sup_a).post(site_scan(people.site_b.pk))
    assert response.status_code == 404
    assert queued(redis_broker) == [] and requests_logged() == []


def test_editor_cannot_scan_even_their_own_site(people, redis_broker, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    give_role(people.editor_a, Role.EDITOR, website=people.site_a)
    client = client_for(people.editor_a)
    with django_capture_on_commit_callbacks(execute=True):
        responses = [client.post(site_scan(people.site_a.pk)), client.post(reverse("monitoring:scan"))]
    # Wagtail answers a PermissionDenied in its admin with a redirect to the admin home and a message.
    assert {(r.status_code, r.headers.get("Location")) for r in responses} == {(302, reverse("wagtailadmin_home"))}
    assert queued(redis_broker) == [] and requests_logged() == []
    for website_pk in (people.site_a.pk, None):  # the service refuses too, whoever calls it
        with pytest.raises(PermissionDenied):
            check_request_scan(people.editor_a, website_pk)
    dashboard = client.get(reverse("monitoring:dashboard"))
    assert dashboard.status_code != 200 or "立即检测" not in dashboard.content.decode()


def test_a_site_that_is_not_monitored_is_refused_with_the_reason(
    people, redis_broker, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    people.site_a1.status = WebsiteStatus.OFFLINE
    people.site_a1.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.sup_a).post(site_scan(people.site_a1.pk), follow=True)
    assert "不在监测范围内" in response.content.decode()
    assert queued(redis_broker) == [] and requests_logged() == []


def test_scan_now_needs_post(people) -> None:  # noqa: ANN001
    assert client_for(people.sup_a).get(site_scan(people.site_a.pk)).status_code == 405


def test_the_dashboard_offers_scan_now_to_supervisors(people) -> None:  # noqa: ANN001
    page = client_for(people.sup_a).get(reverse("monitoring:dashboard")).content.decode()
    assert "立即检测（全部网站）" in page and site_scan(people.site_a.pk) in page
