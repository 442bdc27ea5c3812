"""网站生命周期: 筹建 → 运行 ⇄ 整改/临时关停 → 永久下线 / 已整合, with a reason and a record for every step."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from govsite.core.models import AuditLog, Role
from govsite.registry.models import ALLOWED_TRANSITIONS, SecurityTest, StatusChange, Website, WebsiteStatus
from govsite.registry.services import do_change_status, do_record_security_test
from govsite.testing import build_mini_region

from . import YESTERDAY, site_user, supervisor_of

pytestmark = pytest.mark.django_db

S = WebsiteStatus
ALLOWED = [(src, dst) for src, targets in ALLOWED_TRANSITIONS.items() for dst in targets]


@pytest.fixture
def jia(db):  # noqa: ANN001, ANN201
    """The miniature region (registry only, not hosted) and the supervisor of 甲市."""
    region = build_mini_region(hosted=False)
    region.sup_a = supervisor_of(region.gov_a, "sup_a")
    return region


def put_in(website: Website, status: str) -> Website:
    Website.objects.filter(pk=website.pk).update(status=status)
    website.refresh_from_db()
    return website


def passed_test(website: Website, by) -> SecurityTest:  # noqa: ANN001
    return do_record_security_test(website, tested_on=YESTERDAY, tester="示范测评中心", passed=True,
                                   report_number="CP-2026-001", by=by)


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_every_allowed_transition_is_accepted_and_recorded(jia, from_status, to_status) -> None:
    site = put_in(jia.site_a1, from_status)
    passed_test(site, jia.sup_a)
    target = jia.site_a if to_status == S.MERGED else None

    change = do_change_status(site, to_status, by=jia.sup_a, reason="按计划调整", document_number="甲政办〔2026〕9号",
                              merged_into=target)

    site.refresh_from_db()
    assert site.status == to_status
    assert (change.from_status, change.to_status) == (from_status, to_status)
    assert (change.changed_by, change.reason, change.document_number) == (jia.sup_a, "按计划调整", "甲政办〔2026〕9号")
    assert change.changed_at is not None
    assert AuditLog.objects.filter(event="website.status", object_id=str(site.pk)).exists()


@pytest.mark.parametrize(
    ("from_status", "to_status", "message"),
    [
        (S.PLANNING, S.RECTIFYING, "不能从“筹建”变更为“整改”"),
        (S.PLANNING, S.SUSPENDED, "不能从“筹建”变更为“临时关停”"),
        (S.RUNNING, S.PLANNING, "不能从“运行”变更为“筹建”"),
        (S.RUNNING, S.RUNNING, "网站已是“运行”状态"),
        (S.OFFLINE, S.RUNNING, "网站已是“永久下线”状态，不能再变更"),
        (S.MERGED, S.RUNNING, "网站已是“已整合”状态，不能再变更"),
        (S.RUNNING, "deleted", "未知的网站状态"),
    ],
)
def test_forbidden_transitions_are_refused_and_change_nothing(jia, from_status, to_status, message) -> None:
    site = put_in(jia.site_a1, from_status)
    passed_test_if_possible(site, jia.sup_a)

    with pytest.raises(ValidationError) as excinfo:
        do_change_status(site, to_status, by=jia.sup_a, reason="试一试")

    assert message in excinfo.value.message_dict["to_status"][0]
    assert Website.objects.get(pk=site.pk).status == from_status
    assert not StatusChange.objects.filter(website=site, reason="试一试").exists()


def passed_test_if_possible(site: Website, by) -> None:  # noqa: ANN001
    if site.status not in (S.OFFLINE, S.MERGED):
        passed_test(site, by)


def test_a_site_cannot_go_live_without_a_passed_security_test(jia) -> None:
    site = put_in(jia.site_a1, S.PLANNING)
    do_record_security_test(site, tested_on=YESTERDAY, tester="示范测评中心", passed=False, by=jia.sup_a)

    with pytest.raises(ValidationError) as excinfo:
        do_change_status(site, S.RUNNING, by=jia.sup_a, reason="上线")
    assert "安全检测" in excinfo.value.message_dict["to_status"][0]

    passed_test(site, jia.sup_a)
    do_change_status(site, S.RUNNING, by=jia.sup_a, reason="上线")
    assert Website.objects.get(pk=site.pk).status == S.RUNNING


def test_coming_back_from_suspension_also_needs_a_passed_security_test(jia) -> None:
    site = put_in(jia.site_a1, S.SUSPENDED)
    with pytest.raises(ValidationError):
        do_change_status(site, S.RUNNING, by=jia.sup_a, reason="恢复")


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_mandatory(jia, reason) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_change_status(jia.site_a1, S.SUSPENDED, by=jia.sup_a, reason=reason)
    assert excinfo.value.message_dict["reason"] == ["请填写变更理由。"]


def test_merging_sets_merged_into_on_the_site_and_in_its_history(jia) -> None:
    change = do_change_status(jia.site_a1, S.MERGED, by=jia.sup_a, reason="集约化整合",
                              document_number="甲政办〔2026〕10号", merged_into=jia.site_a)
    jia.site_a1.refresh_from_db()
    assert jia.site_a1.merged_into == jia.site_a
    assert change.merged_into == jia.site_a
    assert list(jia.site_a.merged_sites.all()) == [jia.site_a1]


def test_merging_needs_a_target(jia) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_change_status(jia.site_a1, S.MERGED, by=jia.sup_a, reason="整合")
    assert excinfo.value.message_dict["merged_into"] == ["整合须指定整合至的网站。"]


def test_a_site_cannot_be_merged_into_itself(jia) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_change_status(jia.site_a1, S.MERGED, by=jia.sup_a, reason="整合", merged_into=jia.site_a1)
    assert excinfo.value.message_dict["merged_into"] == ["网站不能整合至自身。"]


@pytest.mark.parametrize("target_status", [S.PLANNING, S.SUSPENDED, S.RECTIFYING, S.OFFLINE])
def test_the_merge_target_must_be_running(jia, target_status) -> None:
    put_in(jia.site_a, target_status)
    with pytest.raises(ValidationError) as excinfo:
        do_change_status(jia.site_a1, S.MERGED, by=jia.sup_a, reason="整合", merged_into=jia.site_a)
    assert "须处于运行状态" in excinfo.value.message_dict["merged_into"][0]
    assert Website.objects.get(pk=jia.site_a1.pk).merged_into is None


def test_the_merge_target_must_be_visible_to_the_user(jia) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_change_status(jia.site_a1, S.MERGED, by=jia.sup_a, reason="整合", merged_into=jia.site_b)
    assert excinfo.value.message_dict["merged_into"] == ["整合至的网站不存在或无权访问。"]


def test_merged_into_is_only_given_when_merging(jia) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_change_status(jia.site_a1, S.SUSPENDED, by=jia.sup_a, reason="关停", merged_into=jia.site_a)
    assert "merged_into" in excinfo.value.message_dict


def test_history_keeps_every_transition_in_order(jia) -> None:
    site = jia.site_a1
    do_change_status(site, S.RECTIFYING, by=jia.sup_a, reason="检查发现问题", document_number="甲督〔2026〕1号")
    passed_test(site, jia.sup_a)
    do_change_status(site, S.RUNNING, by=jia.sup_a, reason="整改完成")
    do_change_status(site, S.OFFLINE, by=jia.sup_a, reason="撤并", document_number="甲政办〔2026〕2号")

    history = list(StatusChange.objects.filter(website=site).order_by("changed_at", "id")
                   .values_list("from_status", "to_status", "reason", "document_number", "changed_by"))
    assert history == [
        (S.RUNNING, S.RECTIFYING, "检查发现问题", "甲督〔2026〕1号", jia.sup_a.pk),
        (S.RECTIFYING, S.RUNNING, "整改完成", "", jia.sup_a.pk),
        (S.RUNNING, S.OFFLINE, "撤并", "甲政办〔2026〕2号", jia.sup_a.pk),
    ]


def test_a_supervisor_cannot_change_the_status_of_a_site_outside_their_scope(jia) -> None:
    with pytest.raises(Http404):
        do_change_status(jia.site_b, S.SUSPENDED, by=jia.sup_a, reason="关停")
    assert Website.objects.get(pk=jia.site_b.pk).status == S.RUNNING


@pytest.mark.parametrize("role", [Role.SITE_ADMIN, Role.EDITOR, Role.REVIEWER, Role.EVALUATOR])
def test_site_roles_and_evaluators_cannot_change_the_status(jia, role) -> None:
    user = site_user(role, jia.site_a)
    with pytest.raises(PermissionDenied):
        do_change_status(jia.site_a, S.SUSPENDED, by=user, reason="关停")


# --- security tests -------------------------------------------------------------------------------


def test_recording_a_security_test_keeps_who_recorded_it_and_audits(jia) -> None:
    test = passed_test(jia.site_a1, jia.sup_a)
    assert (test.passed, test.recorded_by, test.website) == (True, jia.sup_a, jia.site_a1)
    assert AuditLog.objects.filter(event="website.security_test", object_id=str(jia.site_a1.pk)).exists()


def test_a_security_test_cannot_be_dated_in_the_future(jia) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_record_security_test(jia.site_a1, tested_on=datetime.date.today() + datetime.timedelta(days=2),
                                tester="示范测评中心", passed=True, by=jia.sup_a)
    assert excinfo.value.message_dict["tested_on"] == ["检测日期不能晚于今天。"]


def test_a_security_test_needs_a_tester(jia) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_record_security_test(jia.site_a1, tested_on=YESTERDAY, tester=" ", passed=True, by=jia.sup_a)
    assert excinfo.value.message_dict["tester"] == ["请填写检测机构。"]


def test_an_editor_cannot_record_security_tests(jia) -> None:
    with pytest.raises(PermissionDenied):
        passed_test(jia.site_a, site_user(Role.EDITOR, jia.site_a))
    assert not SecurityTest.objects.exists()
