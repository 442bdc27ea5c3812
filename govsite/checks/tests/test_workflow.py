"""发布前检查: a page with an unresolved blocking finding is published by no path; a reviewer's written
override lets it through; warnings never block."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, TaskState, Workflow, WorkflowState, WorkflowTask
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from govsite.checks import pagecheck, wordlists
from govsite.checks.models import EntryKind, FindingOverride, PageCheckRun
from govsite.checks.page_guard import assert_publishable
from govsite.checks.workflow import ComplianceCheckTask
from govsite.content.blocks import body_text
from govsite.content.models import ArticlePage, ColumnPage
from govsite.content.tests.builders import body_stream
from govsite.core.access import SYSTEM
from govsite.core.models import AuditLog, Role
from govsite.testing import client_for, give_role, make_user, with_site_staff

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"
SECRET = "机密★5年"
BLOCKED_BODY = f"<p>第一段，无问题。</p><p>申请人身份证号 {ID_NUMBER}。</p><p>文件标注 {SECRET}</p>"
CLEAN_BODY = "<p>自治区召开常务会议，研究部署优化营商环境工作。</p>"


@pytest.fixture
def site(mini_region):  # noqa: ANN001, ANN201
    """甲市's hosted site with a published column, an editor and a reviewer."""
    region = with_site_staff(mini_region)
    return region


_slugs = iter(range(1, 10_000))


def draft(column: Page, body: str, *, title: str = "关于某事项的公示", summary: str = "") -> ArticlePage:
    """An article saved as a draft with one revision, the way an editor leaves it."""
    article = column.add_child(instance=ArticlePage(
        title=title, slug=f"article-{next(_slugs)}", body=body, summary=summary, live=False))
    article.save_revision()
    return ArticlePage.objects.get(pk=article.pk)


def is_live(page: Page) -> bool:
    return Page.objects.get(pk=page.pk).live



def compliance_workflow(*extra_tasks) -> Workflow:  # noqa: ANN002
    workflow = Workflow.objects.create(name="信息发布审核")
    task = ComplianceCheckTask.objects.create(name="自动内容检查")
    for order, each in enumerate((task, *extra_tasks)):
        WorkflowTask.objects.create(workflow=workflow, task=each, sort_order=order)
    return workflow


def override_all(page: Page, user) -> None:  # noqa: ANN001
    content, _revision = pagecheck.latest_content(page)
    for finding in pagecheck.check_page(content).blocks:
        pagecheck.do_override_finding(page, finding.fingerprint, "经核实为公开的示例数据，可以发布。", by=user)


# --- what is found, and where -----------------------------------------------------------------------------

def test_the_check_finds_the_id_number_and_the_secret_marking_with_field_and_paragraph(site) -> None:
    article = draft(site.column, BLOCKED_BODY)
    check = pagecheck.check_page(article)
    found = {(f.finding.kind, f.field, f.paragraph) for f in check.blocks}
    assert ("id_card", "body", 2) in found
    assert ("secret_marking", "body", 3) in found
    assert all(f.where.startswith("正文 第") for f in check.blocks)


def test_the_title_and_summary_are_checked_too(site) -> None:
    article = draft(site.column, CLEAN_BODY, title=f"关于{SECRET}文件的说明", summary=f"身份证 {ID_NUMBER}")
    fields = {f.field for f in pagecheck.check_page(article).blocks}
    assert {"title", "summary"} <= fields


def test_a_linked_document_is_checked(site) -> None:
    document_model = get_document_model()
    # In the site's own collection: a page links only its own site's files (content/links.py).
    collection = Collection.objects.get(name=site.site_a.site_code)
    document = document_model(title="报名名单", collection=collection)
    document.file.save("names.txt", ContentFile(f"张三 {ID_NUMBER}\n".encode()), save=False)
    document.save()
    body = f'<p>见附件：<a linktype="document" id="{document.pk}">报名名单</a></p>'
    article = draft(site.column, body)
    blocks = pagecheck.check_page(article).blocks
    assert [(f.finding.kind, f.field) for f in blocks] == [("id_card", f"document:{document.pk}")]
    assert blocks[0].where.startswith("附件《报名名单》")
    with pytest.raises(ValidationError):
        article.get_latest_revision().publish()
    assert not is_live(article)


# --- no path publishes it -----------------------------------------------------------------------------------

def test_revision_publish_is_refused(site) -> None:
    article = draft(site.column, BLOCKED_BODY)
    with pytest.raises(ValidationError) as error:
        article.get_latest_revision().publish()
    assert "不能发布" in str(error.value) and "居民身份证号" in str(error.value)
    assert ID_NUMBER not in str(error.value)  # the message masks personal data
    assert not is_live(article)


def test_saving_a_page_live_directly_is_refused(site) -> None:
    with pytest.raises(ValidationError):
        site.column.add_child(instance=ArticlePage(title="直接发布", slug="direct", body=BLOCKED_BODY))
    assert not ArticlePage.objects.filter(slug="direct").exists()


def test_a_column_page_is_guarded_too(site) -> None:
    home = site.site_a.wagtail_site.root_page.specific
    column = home.add_child(instance=ColumnPage(title="栏目", slug="col-x", live=False))
    column.description = f"联系人身份证号 {ID_NUMBER}"
    revision = column.save_revision()
    with pytest.raises(ValidationError):
        revision.publish()
    assert not is_live(column)


def test_the_admin_publish_button_is_refused_and_the_draft_kept(site) -> None:
    article = draft(site.column, CLEAN_BODY)
    data = nested_form_data({
        "title": article.title, "slug": article.slug, "published_at": "2026-01-05 09:30", "source": "",
        "summary": "", "body": body_stream(BLOCKED_BODY), "comments": inline_formset([]), "action-publish": "publish",
    })
    response = client_for(site.reviewer).post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert not is_live(article)
    assert ID_NUMBER in body_text(ArticlePage.objects.get(pk=article.pk).get_latest_revision().as_object().body)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("不能发布" in m for m in messages)
    assert AuditLog.objects.filter(event="checks.publish_refused", username="reviewer_a").exists()


def test_the_admin_publish_button_does_not_publish_around_the_workflow_even_clean_content(site) -> None:
    # issue 9: 发布 skipped review. Under the site's workflow only its approval publishes.
    article = draft(site.column, CLEAN_BODY)
    data = nested_form_data({
        "title": article.title, "slug": article.slug, "published_at": "2026-01-05 09:30", "source": "",
        "summary": "", "body": body_stream(CLEAN_BODY), "comments": inline_formset([]), "action-publish": "publish",
    })
    response = client_for(site.reviewer).post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert response.status_code == 302
    assert not is_live(article)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("须经审核流程" in m for m in messages)


def test_editing_a_live_page_to_add_personal_data_is_refused(site) -> None:
    article = draft(site.column, CLEAN_BODY)
    article.get_latest_revision().publish()
    article = ArticlePage.objects.get(pk=article.pk)
    article.body = BLOCKED_BODY
    revision = article.save_revision()  # a draft of a live page is fine
    with pytest.raises(ValidationError):
        revision.publish()
    assert ID_NUMBER not in body_text(ArticlePage.objects.get(pk=article.pk).body)


def test_bulk_publish_is_refused(site) -> None:
    blocked = draft(site.column, BLOCKED_BODY)
    clean = draft(site.column, CLEAN_BODY, title="另一条信息")
    bulk_url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = client_for(site.reviewer).post(f"{bulk_url}?id={blocked.pk}&id={clean.pk}", {})
    assert response.status_code == 302
    assert not is_live(blocked)
    assert not is_live(clean)  # the action is refused as a whole, naming the blocked page
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(blocked.title in m for m in messages)


def test_bulk_publish_of_clean_pages_is_refused_under_the_workflow(site) -> None:
    # issue 9: bulk publish skipped review; each page goes through 提交审核 now.
    clean = draft(site.column, CLEAN_BODY)
    bulk_url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = client_for(site.reviewer).post(f"{bulk_url}?id={clean.pk}", {})
    assert response.status_code == 302
    assert not is_live(clean)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(clean.title in m and "须经审核流程" in m for m in messages)


def test_scheduled_publishing_is_refused_and_other_pages_still_go_live(site) -> None:
    past = timezone.now() - timedelta(minutes=5)
    blocked = draft(site.column, BLOCKED_BODY)
    clean = draft(site.column, CLEAN_BODY, title="定时发布的信息")
    for page in (blocked, clean):
        page.go_live_at = past
        page.save_revision(approved_go_live_at=past)
    call_command("publish_scheduled")
    assert not is_live(blocked)
    assert is_live(clean)
    assert AuditLog.objects.filter(event="checks.publish_refused", object_id=str(blocked.pk)).exists()
    # The blocked revision is taken off the schedule, so later runs do not stumble over it again.
    assert not blocked.revisions.filter(approved_go_live_at__isnull=False).exists()
    call_command("publish_scheduled")
    assert not is_live(blocked)


def test_the_workflow_step_stays_in_progress_on_a_blocking_finding(site) -> None:
    workflow = compliance_workflow()
    article = draft(site.column, BLOCKED_BODY)
    state = workflow.start(article, site.editor)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    run = PageCheckRun.objects.get(page=article)
    assert run.has_block and run.task_state_id == state.current_task_state_id
    assert {item["kind"] for item in run.findings} >= {"id_card", "secret_marking"}
    assert ID_NUMBER not in str(run.findings)  # the record keeps personal data masked
    assert not is_live(article)
    # The reviewer is not offered 通过 while blocking findings are unresolved.
    task = state.current_task_state.task.specific
    assert "approve" not in [name for name, _label, _modal in task.get_actions(article, site.reviewer)]


def test_clean_content_passes_the_step_by_itself_and_is_published(site) -> None:
    workflow = compliance_workflow()
    article = draft(site.column, CLEAN_BODY)
    state = workflow.start(article, site.reviewer)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert is_live(article)


def test_an_editor_cannot_publish_by_passing_the_automatic_step_alone(site) -> None:
    workflow = compliance_workflow()
    article = draft(site.column, CLEAN_BODY)
    state = workflow.start(article, site.editor)
    state.refresh_from_db()
    # Nothing blocks, but as the last step it waits for someone who may publish.
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and not is_live(article)
    task_state = TaskState.objects.get(pk=state.current_task_state_id)
    task_state.task.specific.on_action(task_state, site.reviewer, "approve")
    assert is_live(article)


def test_the_step_hands_over_to_the_next_step_when_clean(site) -> None:
    from wagtail.models import GroupApprovalTask

    approval = GroupApprovalTask.objects.create(name="领导审核")
    workflow = compliance_workflow(approval)
    article = draft(site.column, CLEAN_BODY)
    state = workflow.start(article, site.editor)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task_id == approval.pk
    assert not is_live(article)


def test_the_workflow_approve_action_is_refused_while_blocking_findings_remain(site) -> None:
    from django.core.exceptions import PermissionDenied

    workflow = compliance_workflow()
    article = draft(site.column, BLOCKED_BODY)
    state = workflow.start(article, site.editor)
    task_state = TaskState.objects.get(pk=state.current_task_state_id)
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, site.reviewer, "approve")
    assert not is_live(article)


# --- overrides ----------------------------------------------------------------------------------------------

def test_a_reviewer_override_with_a_reason_lets_the_page_be_published(site) -> None:
    workflow = compliance_workflow()
    article = draft(site.column, BLOCKED_BODY)
    state = workflow.start(article, site.editor)
    override_all(article, site.reviewer)
    assert FindingOverride.objects.filter(page=article).count() == len(pagecheck.check_page(article).blocks) >= 2
    task_state = TaskState.objects.get(pk=state.current_task_state_id)
    task = task_state.task.specific
    assert "approve" in [name for name, _label, _modal in task.get_actions(article, site.reviewer)]
    task.on_action(task_state, site.reviewer, "approve")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert is_live(article)


def test_overrides_are_recorded_in_the_audit_log_with_the_reason(site) -> None:
    article = draft(site.column, BLOCKED_BODY)
    override_all(article, site.reviewer)
    entries = AuditLog.objects.filter(event="checks.finding.override", object_id=str(article.pk))
    assert entries.count() == len(pagecheck.check_page(article).blocks) >= 2
    assert {e.username for e in entries} == {"reviewer_a"}
    assert all(e.detail["reason"] == "经核实为公开的示例数据，可以发布。" for e in entries)
    assert ID_NUMBER not in str([e.detail for e in entries])
    article.get_latest_revision().publish()
    assert is_live(article)


def test_an_override_without_a_reason_is_refused(site) -> None:
    article = draft(site.column, BLOCKED_BODY)
    finding = pagecheck.check_page(article).blocks[0]
    for reason in ("", "   "):
        with pytest.raises(ValidationError, match="放行理由"):
            pagecheck.do_override_finding(article, finding.fingerprint, reason, by=site.reviewer)
    assert not FindingOverride.objects.exists()
    with pytest.raises(ValidationError):
        article.get_latest_revision().publish()


def test_the_override_form_refuses_an_empty_reason(site) -> None:
    article = draft(site.column, BLOCKED_BODY)
    finding = pagecheck.check_page(article).blocks[0]
    client = client_for(site.reviewer)
    response = client.post(reverse("checks:page_override", args=[article.pk]),
                           {"fingerprint": finding.fingerprint, "reason": "  "})
    assert response.status_code == 302
    assert not FindingOverride.objects.exists()
    response = client.post(reverse("checks:page_override", args=[article.pk]),
                           {"fingerprint": finding.fingerprint, "reason": "单位公开电话"})
    assert FindingOverride.objects.get().reason == "单位公开电话"


def test_an_editor_cannot_override(site) -> None:
    from django.core.exceptions import PermissionDenied

    article = draft(site.column, BLOCKED_BODY)
    finding = pagecheck.check_page(article).blocks[0]
    with pytest.raises(PermissionDenied):
        pagecheck.do_override_finding(article, finding.fingerprint, "我觉得可以", by=site.editor)


def test_an_override_covers_only_that_finding_on_that_page(site) -> None:
    article = draft(site.column, BLOCKED_BODY)
    other = draft(site.column, BLOCKED_BODY, title="另一条")
    finding = next(f for f in pagecheck.check_page(article).blocks if f.finding.kind == "id_card")
    pagecheck.do_override_finding(article, finding.fingerprint, "示例数据", by=site.reviewer)
    with pytest.raises(ValidationError, match="密级标志"):
        assert_publishable(article)
    with pytest.raises(ValidationError, match="居民身份证号"):
        assert_publishable(other)


def test_the_findings_page_shows_what_where_and_why(site) -> None:
    article = draft(site.column, BLOCKED_BODY)
    response = client_for(site.reviewer).get(reverse("checks:page", args=[article.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "居民身份证号" in html and "正文 第 2 段" in html and "放行理由" in html
    assert response.context["unresolved_count"] == len(pagecheck.check_page(article).blocks) >= 2


def test_the_findings_page_is_404_outside_the_users_sites(site) -> None:
    article = draft(site.column, BLOCKED_BODY)
    outsider = make_user("reviewer_b")
    give_role(outsider, Role.REVIEWER, website=site.site_b)
    assert client_for(outsider).get(reverse("checks:page", args=[article.pk])).status_code == 404


# --- warnings, lexicon, unchanged content --------------------------------------------------------------------

def test_warn_only_findings_do_not_block(site) -> None:
    wordlists.do_add_entry(site.prefecture_a, EntryKind.SENSITIVE_WORD, "提示样例词", severity="warn", by=SYSTEM)
    article = draft(site.column, "<p>本文含有提示样例词，请审核人员留意。</p>")
    check = pagecheck.check_page(article)
    assert check.warnings and not check.blocks
    article.get_latest_revision().publish()
    assert is_live(article)


def test_warnings_do_not_stop_the_workflow_step(site) -> None:
    wordlists.do_add_entry(site.prefecture_a, EntryKind.SENSITIVE_WORD, "提示样例词", severity="warn", by=SYSTEM)
    workflow = compliance_workflow()
    article = draft(site.column, "<p>本文含有提示样例词。</p>")
    state = workflow.start(article, site.reviewer)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED and is_live(article)
    assert not PageCheckRun.objects.get(page=article).has_block


def test_a_prefecture_sensitive_word_blocks_its_own_sites_only(site) -> None:
    wordlists.do_add_entry(site.prefecture_a, EntryKind.SENSITIVE_WORD, "甲市禁用语", by=SYSTEM)
    article = draft(site.column, "<p>这里写了甲市禁用语。</p>")
    with pytest.raises(ValidationError, match="甲市禁用语"):
        article.get_latest_revision().publish()
    home_b = site.site_b.wagtail_site.root_page.specific
    column_b = home_b.add_child(instance=ColumnPage(title="通知公告", slug="notices-b"))
    other = draft(column_b, "<p>这里写了甲市禁用语。</p>")
    other.get_latest_revision().publish()
    assert is_live(other)


def test_a_new_word_does_not_stop_unrelated_saves_of_unchanged_live_pages(site) -> None:
    article = draft(site.column, "<p>这里写了后来才禁用的词。</p>")
    article.get_latest_revision().publish()
    wordlists.do_add_entry(site.prefecture_a, EntryKind.SENSITIVE_WORD, "后来才禁用的词", by=SYSTEM)
    article = ArticlePage.objects.get(pk=article.pk)
    article.save()  # nothing new goes public: moving, re-saving, locking keep working
    article.body = "<p>这里写了后来才禁用的词，又改了一句。</p>"
    with pytest.raises(ValidationError):
        article.save_revision().publish()


# --- the step in Wagtail's admin ----------------------------------------------------------------------------

def test_the_step_can_be_created_in_the_workflow_admin(site) -> None:
    from wagtail.workflows import get_task_types

    assert ComplianceCheckTask in get_task_types()
    admin = make_user("admin", is_superuser=True, is_staff=True)
    client = client_for(admin)
    response = client.get(reverse("wagtailadmin_workflows:select_task_type"))
    assert "自动内容检查" in response.content.decode()
    response = client.post(reverse("wagtailadmin_workflows:add_task", args=("checks", "compliancechecktask")),
                           {"name": "发布前自动检查"})
    assert response.status_code == 302
    assert ComplianceCheckTask.objects.filter(name="发布前自动检查").exists()


def test_a_page_waiting_in_the_step_shows_in_the_reviewers_admin(site) -> None:
    workflow = compliance_workflow()
    article = draft(site.column, BLOCKED_BODY)
    state = workflow.start(article, site.editor)
    client = client_for(site.reviewer)
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert dashboard.status_code == 200 and article.title in dashboard.content.decode()
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert edit.status_code == 200
    assert reverse("checks:page", args=[article.pk]) in edit.content.decode()
    modal = client.get(reverse("wagtailadmin_pages:workflow_action",
                               args=[article.pk, "reject", state.current_task_state_id]))
    assert modal.status_code == 200 and reverse("checks:page", args=[article.pk]) in modal.content.decode()
    assert client.get(reverse("wagtailadmin_explore", args=[site.column.pk])).status_code == 200


def test_the_reviewer_passes_the_step_from_the_findings_page_after_overriding(site) -> None:
    workflow = compliance_workflow()
    article = draft(site.column, BLOCKED_BODY)
    state = workflow.start(article, site.editor)
    client = client_for(site.reviewer)
    approve_url = reverse("checks:page_approve", args=[article.pk])
    client.post(approve_url)
    assert not is_live(article)
    for finding in pagecheck.check_page(article).blocks:
        client.post(reverse("checks:page_override", args=[article.pk]),
                    {"fingerprint": finding.fingerprint, "reason": "示例数据，已核实"})
    assert client.get(reverse("checks:page", args=[article.pk])).context["can_approve"]
    client.post(approve_url)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED and is_live(article)


def test_an_editor_fixes_the_page_and_the_recheck_moves_the_workflow_on(site) -> None:
    from wagtail.models import GroupApprovalTask

    approval = GroupApprovalTask.objects.create(name="领导审核")
    workflow = compliance_workflow(approval)
    article = draft(site.column, BLOCKED_BODY)
    state = workflow.start(article, site.editor)
    article.body = CLEAN_BODY
    article.save_revision()
    client_for(site.editor).post(reverse("checks:page_recheck", args=[article.pk]))
    state.refresh_from_db()
    assert state.current_task_state.task_id == approval.pk
    assert not is_live(article)


def test_an_alias_of_an_overridden_page_follows_its_source(site) -> None:
    article = draft(site.column, BLOCKED_BODY)
    override_all(article, site.reviewer)
    article.get_latest_revision().publish()
    article = ArticlePage.objects.get(pk=article.pk)
    alias = article.create_alias(update_slug="alias-of-article")
    assert is_live(alias)
    article.summary = "补充摘要"
    article.save_revision().publish()  # updates the alias too
    assert ArticlePage.objects.get(pk=alias.pk).summary == "补充摘要"


def test_deleting_a_page_removes_its_check_records(site) -> None:
    workflow = compliance_workflow()
    article = draft(site.column, BLOCKED_BODY)
    workflow.start(article, site.editor)
    override_all(article, site.reviewer)
    Page.objects.get(pk=article.pk).delete()
    assert not PageCheckRun.objects.exists() and not FindingOverride.objects.exists()
    assert AuditLog.objects.filter(event="checks.finding.override").exists()  # the audit trail stays


def test_checking_unchanged_content_again_costs_a_few_queries(site, django_assert_max_num_queries) -> None:
    article = draft(site.column, BLOCKED_BODY)
    first = pagecheck.check_page(article)
    with django_assert_max_num_queries(4):  # site, region, list version; the findings come from the cache
        again = pagecheck.check_page(article)
    assert [f.as_record() for f in again.findings] == [f.as_record() for f in first.findings]


def test_approval_in_a_workflow_without_the_check_step_is_refused_with_the_reason_not_an_error(site) -> None:
    from wagtail.models import GroupApprovalTask

    approval = GroupApprovalTask.objects.create(name="领导审批")
    approval.groups.set(site.reviewer.groups.all())
    workflow = Workflow.objects.create(name="仅人工审批")
    WorkflowTask.objects.create(workflow=workflow, task=approval, sort_order=0)
    article = draft(site.column, BLOCKED_BODY)
    task_state = workflow.start(article, site.editor).current_task_state

    reviewer = client_for(site.reviewer)
    response = reviewer.post(
        reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "approve", task_state.pk]),
        {"comment": ""},
    )

    assert response.status_code in (200, 302)
    assert not is_live(article)
    page_after = reviewer.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert "不能发布" in page_after and "居民身份证号" in page_after
