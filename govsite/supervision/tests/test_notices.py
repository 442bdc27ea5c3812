"""通报: generated from a finished campaign as .docx and .xlsx (read back here), from editable templates, scoped
downloads, and submission into the portal's 政府信息公开 column as a draft under the workflow."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from govsite.core.access import SYSTEM
from govsite.core.models import AuditLog, Role
from govsite.registry.models import WebsiteKind
from govsite.supervision import notices
from govsite.supervision.models import (
    Campaign,
    CampaignFinding,
    CampaignSite,
    CampaignStatus,
    FindingSource,
    FindingState,
    Notice,
    NoticeTemplate,
)
from govsite.supervision.predictions import current_set
from govsite.testing import build_mini_region, client_for, give_role, make_user, make_website

pytestmark = pytest.mark.django_db


def _campaign(unit, region, *, status=CampaignStatus.FINISHED, name="2026年第四季度政府网站抽查") -> Campaign:  # noqa: ANN001
    return Campaign.objects.create(
        name=name, unit=unit, region=region, period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 11, 20), as_of=datetime.date(2026, 11, 20), ratio=Decimal("0.200"), seed=7,
        strata=[{"key": "portal", "label": "政府门户网站", "population": 4, "sampled": 4},
                {"key": "department", "label": "部门网站", "population": 1, "sampled": 1}],
        indicator_set=current_set(), status=status,
        finished_at=timezone.now() if status == CampaignStatus.FINISHED else None)


def _entry(campaign, website, verdict, *, score=None, vetoes=(), deductions=None, stratum="portal"):  # noqa: ANN001, ANN202
    return CampaignSite.objects.create(
        campaign=campaign, website=website, stratum=stratum, scan_state="done", verdict=verdict,
        score=None if score is None else Decimal(score), vetoes=list(vetoes), deductions=deductions or {})


def _finding(entry, code, indicator, *, column="", url="", state=FindingState.CONFIRMED):  # noqa: ANN001, ANN202
    return CampaignFinding.objects.create(site=entry, source=FindingSource.MONITOR, code=code, indicator=indicator,
                                          column=column, url=url, detail="说明", state=state)


@pytest.fixture
def region(db):  # noqa: ANN001, ANN201
    region = build_mini_region(hosted=False)
    region.dept_site = make_website(region.dept_edu, site_code="9900000002", name="示范自治区教育厅网站",
                                    host="jyt.sf.gov.cn", kind=WebsiteKind.DEPARTMENT)
    region.sup = make_user("sup_province")
    give_role(region.sup, Role.SUPERVISOR, unit=region.gov)
    region.sup_a = make_user("sup_jia")
    give_role(region.sup_a, Role.SUPERVISOR, unit=region.gov_a)
    region.sup_b = make_user("sup_yi")
    give_role(region.sup_b, Role.SUPERVISOR, unit=region.gov_b)
    campaign = _campaign(region.gov, region.province)
    _entry(campaign, region.portal, "pass", score="92.00")
    failing_a = _entry(campaign, region.site_a, "fail", vetoes=["veto.homepage_stale"])
    failing_b = _entry(campaign, region.site_b, "fail", score="55.00",
                       deductions={"deduction.daily_update": "20.00", "deduction.availability": "1.00"})
    _entry(campaign, region.site_a1, "pass", score="81.50", deductions={"deduction.availability": "0.50"})
    _entry(campaign, region.dept_site, "pass", score="88.00", stratum="department")
    _finding(failing_a, "homepage_stale", "veto.homepage_stale", url="https://www.jia.gov.cn/")
    _finding(failing_b, "stale_column", "deduction.daily_update", column="通知公告")
    _finding(failing_b, "blank_column", "deduction.daily_update", column="政策解读")
    _finding(failing_b, "broken_link", "deduction.availability", url="https://www.yi.gov.cn/a.html")
    _finding(failing_b, "soft_404", "deduction.availability", url="https://www.yi.gov.cn/b.html",
             state=FindingState.REJECTED)
    region.campaign = campaign
    return region


def _docx(notice: Notice):  # noqa: ANN202
    with notice.docx.open("rb") as handle:
        return Document(io.BytesIO(handle.read()))


def _xlsx(notice: Notice):  # noqa: ANN202
    with notice.xlsx.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read()))


def test_the_notice_docx_reads_back_in_the_official_layout(region) -> None:  # noqa: ANN001
    notice = notices.do_generate_notice(region.campaign, by=region.sup)
    assert notice.title == "关于2026年第四季度全区政府网站抽查情况的通报"
    assert notice.document_number == "示政办函〔2026〕1号"
    texts = [p.text for p in _docx(notice).paragraphs if p.text.strip()]
    today = timezone.localdate()
    assert texts[:4] == ["示范自治区人民政府办公厅", "示政办函〔2026〕1号", notice.title,
                         "各市、县（区）人民政府，示范自治区政府各部门："]
    assert ("2026年10月1日至11月20日，示范自治区人民政府办公厅对全区运行中的政府网站开展了抽查，共抽查网站5个，"
            "抽查比例20%，总体合格率60.0%。现将有关情况通报如下。") in texts
    assert "甲市：抽查网站2个，合格1个，不合格1个，合格率50.0%。" in texts
    assert "乙市：抽查网站1个，合格0个，不合格1个，合格率0.0%。" in texts
    assert "示范自治区本级：抽查网站2个，合格2个，不合格0个，合格率100.0%。" in texts
    assert "政府门户网站：抽查网站4个，合格2个，不合格2个，合格率50.0%。" in texts
    assert "部门网站：抽查网站1个，合格1个，不合格0个，合格率100.0%。" in texts
    # Problems by category: confirmed findings only (the rejected 软404 does not count).
    problems = texts.index("二、主要问题")
    assert texts[problems + 1:problems + 4] == ["（一）日常更新：2个问题。", "（二）首页不更新：1个问题。",
                                                "（三）网站可用性：1个问题。"]
    assert any("15个工作日内完成整改" in t for t in texts)
    assert texts[-2:] == ["示范自治区人民政府办公厅", f"{today.year}年{today.month}月{today.day}日"]

    # The layout: red 发文机关标识, 二号 小标宋 title, 黑体 一级标题, a red line under the 文号.
    paragraphs = [p for p in _docx(notice).paragraphs if p.text.strip()]
    mark, number, title = paragraphs[:3]
    assert str(mark.runs[0].font.color.rgb) == "C00000"
    assert title.runs[0].font.name == "方正小标宋简体" and title.runs[0].font.size.pt == 22
    assert 'w:color="C00000"' in number._p.xml
    assert paragraphs[texts.index("二、主要问题")].runs[0].font.name == "黑体"
    table = _docx(notice).tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == list(notices.TABLE_HEADERS)
    assert [row[:5] for row in rows[1:]] == [
        ["1", "甲市人民政府网", "9901000001", "甲市人民政府", "单项否决：首页不更新"],
        ["2", "乙市人民政府网", "9902000001", "乙市人民政府", "55.00"],
    ]
    assert "首页不更新" in rows[1][5] and "https://www.jia.gov.cn/" in rows[1][5]
    assert "通知公告" in rows[2][5] and "政策解读" in rows[2][5] and "b.html" not in rows[2][5]

    # Stored under unguessable names; audited.
    assert notice.docx.name.startswith("supervision/notices/") and len(notice.docx.name.split("/")[2]) == 24
    assert AuditLog.objects.filter(event="supervision.notice_generate", object_id=str(notice.pk)).exists()


def test_the_xlsx_annex_reads_back(region) -> None:  # noqa: ANN001
    notice = notices.do_generate_notice(region.campaign, by=region.sup)
    book = _xlsx(notice)
    assert book.sheetnames == ["不合格网站", "抽查网站", "合格率"]
    failing = [list(r) for r in book["不合格网站"].iter_rows(min_row=2, values_only=True)]
    assert failing[0] == list(notices.TABLE_HEADERS)
    assert [r[:5] for r in failing[1:]] == [
        [1, "甲市人民政府网", "9901000001", "甲市人民政府", "单项否决：首页不更新"],
        [2, "乙市人民政府网", "9902000001", "乙市人民政府", "55.00"],
    ]
    sampled = [list(r) for r in book["抽查网站"].iter_rows(values_only=True)]
    header = sampled[0]
    assert header[:10] == ["序号", "网站名称", "网站标识码", "主办单位", "地市", "网站类型", "分层", "结论", "得分", "单项否决"]
    assert "日常更新扣分" in header and "网站可用性扣分" in header
    by_code = {row[2]: dict(zip(header, row, strict=True)) for row in sampled[1:]}
    assert len(by_code) == 5
    assert by_code["9902000001"]["结论"] == "不合格" and by_code["9902000001"]["得分"] == 55
    assert by_code["9902000001"]["日常更新扣分"] == 20 and by_code["9902000001"]["网站可用性扣分"] == 1
    assert by_code["9901000001"]["单项否决"] == "首页不更新"
    assert by_code["9900000002"]["分层"] == "部门网站" and by_code["9900000002"]["地市"] == "示范自治区本级"
    assert by_code["9901020001"]["地市"] == "甲市" and by_code["9901020001"]["网站可用性扣分"] == 0.5
    rates = [list(r) for r in book["合格率"].iter_rows(values_only=True)]
    assert rates[0] == ["分组", "名称", "抽查数", "合格数", "不合格数", "合格率"]
    assert ["全部", "合计", 5, 3, 2, "60.0%"] in rates
    assert ["地市", "甲市", 2, 1, 1, "50.0%"] in rates
    assert ["网站类型", "部门网站", 1, 1, 0, "100.0%"] in rates


def test_the_serial_number_counts_up_and_a_given_number_wins(region) -> None:  # noqa: ANN001
    first = notices.do_generate_notice(region.campaign, by=region.sup)
    second = notices.do_generate_notice(region.campaign, by=region.sup)
    given = notices.do_generate_notice(region.campaign, by=region.sup, document_number="示政办函〔2026〕88号")
    assert [first.document_number, second.document_number, given.document_number] == [
        "示政办函〔2026〕1号", "示政办函〔2026〕2号", "示政办函〔2026〕88号"]
    assert "示政办函〔2026〕88号" in [p.text for p in _docx(given).paragraphs]


def test_an_edited_template_changes_the_notice(region) -> None:  # noqa: ANN001
    notices.do_save_template(
        region.gov, by=region.sup, title="{区域名称}{年份}年第{季度}季度政府网站抽查情况通报",
        document_number="示办函〔{年份}〕{序号}号",
        body="各地各部门：\n本次共抽查{抽查数}个网站，合格率{合格率}。\n{主要问题}\n请于{整改期限}个工作日内整改。",
        issuer="示范自治区政务公开办公室")
    notice = notices.do_generate_notice(region.campaign, by=region.sup)
    assert notice.title == "示范自治区2026年第四季度政府网站抽查情况通报"
    assert notice.document_number == "示办函〔2026〕1号"
    texts = [p.text for p in _docx(notice).paragraphs if p.text.strip()]
    assert texts[0] == "示范自治区政务公开办公室" and texts[2] == notice.title and texts[3] == "各地各部门："
    assert "本次共抽查5个网站，合格率60.0%。" in texts and "（一）日常更新：2个问题。" in texts
    assert AuditLog.objects.filter(event="supervision.notice_template_save").exists()


def test_a_template_with_an_unknown_placeholder_is_refused(region) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError) as error:
        notices.do_save_template(region.gov, by=region.sup, title="关于{年度}网站抽查的通报",
                                 document_number="示办函〔{年份}〕{序号}号", body="正文{__class__}",
                                 issuer="办公厅")
    messages = error.value.message_dict
    assert "{年度}" in messages["title"][0] and "不可用" in messages["title"][0]
    assert "{__class__}" in messages["body"][0]
    assert not NoticeTemplate.objects.exists()
    # Braces in a value are not re-read: a unit name with {…} stays as it is.
    assert notices.substitute("{单位}{合格率}", {"单位": "{合格率}", "合格率": "60%"}) == "{合格率}60%"


def test_only_the_units_supervisors_edit_its_template(region) -> None:  # noqa: ANN001
    with pytest.raises(PermissionDenied):
        notices.do_save_template(region.gov, by=region.sup_a, title="标题", document_number="文号", body="正文",
                                 issuer="署名")
    with pytest.raises(ValueError, match="by="):
        notices.do_save_template(region.gov, by=None, title="标题", document_number="文号", body="正文",
                                 issuer="署名")
    notices.do_save_template(region.gov_a, by=region.sup_a, title="甲市通报", document_number="甲办函〔{年份}〕{序号}号",
                             body="正文", issuer="甲市人民政府办公室")
    assert NoticeTemplate.objects.get(unit=region.gov_a).updated_by == region.sup_a


def test_an_unfinished_campaign_is_refused(region) -> None:  # noqa: ANN001
    running = _campaign(region.gov, region.province, status=CampaignStatus.REVIEWING, name="进行中的抽查")
    with pytest.raises(ValidationError, match="尚未完成"):
        notices.do_generate_notice(running, by=region.sup)
    with pytest.raises(ValueError, match="by="):
        notices.do_generate_notice(region.campaign, by=None)
    assert not Notice.objects.exists()


def test_the_views_generate_show_and_download_in_scope(region) -> None:  # noqa: ANN001
    jia = _campaign(region.gov_a, region.prefecture_a, name="甲市网站抽查")
    _entry(jia, region.site_a, "fail", vetoes=["veto.homepage_stale"])
    _entry(jia, region.site_a1, "pass", score="90.00")
    client = client_for(region.sup_a)
    response = client.post(reverse("supervision:notice_generate", args=[jia.pk]))
    notice = Notice.objects.get(campaign=jia)
    assert response.status_code == 302 and response["Location"] == reverse("supervision:notice", args=[notice.pk])
    page = client.get(reverse("supervision:notice", args=[notice.pk])).content.decode()
    assert notice.title in page and notice.document_number in page
    assert reverse("supervision:notice_publish", args=[notice.pk]) not in page
    assert "组织单位没有在本平台托管的政府门户网站" in page
    docx_url = reverse("supervision:notice_download", args=[notice.pk, "docx"])
    xlsx_url = reverse("supervision:notice_download", args=[notice.pk, "xlsx"])
    for user in (region.sup_a, region.sup):  # the organiser and the level above
        response = client_for(user).get(docx_url)
        assert response.status_code == 200
        assert f"filename*=utf-8''{quote(notices.download_name(notice, 'docx'))}" in response["Content-Disposition"]
        assert Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs[3].text == notice.title
    response = client_for(region.sup_a).get(xlsx_url)
    assert load_workbook(io.BytesIO(b"".join(response.streaming_content))).sheetnames == ["不合格网站", "抽查网站", "合格率"]
    # Another prefecture's supervisor: nothing of it exists.
    other = client_for(region.sup_b)
    for url in (docx_url, xlsx_url, reverse("supervision:notice", args=[notice.pk])):
        assert other.get(url).status_code == 404
    assert other.post(reverse("supervision:notice_generate", args=[jia.pk])).status_code == 404
    client = client_for(region.sup_a)  # one session per user: the earlier client was logged out
    assert client.get(reverse("supervision:notice_download", args=[notice.pk, "pdf"])).status_code == 404
    # The province's campaign is not 甲市's to see.
    assert client.post(reverse("supervision:notice_generate", args=[region.campaign.pk])).status_code == 404
    assert Notice.objects.count() == 1


def test_the_view_refuses_an_unfinished_campaign_in_chinese(region) -> None:  # noqa: ANN001
    running = _campaign(region.gov, region.province, status=CampaignStatus.SCANNING, name="检测中的抽查")
    client = client_for(region.sup)
    response = client.post(reverse("supervision:notice_generate", args=[running.pk]), follow=True)
    assert "尚未完成" in response.content.decode()
    assert not Notice.objects.exists()


def test_the_template_page_lists_placeholders_and_refuses_unknown_ones(region) -> None:  # noqa: ANN001
    client = client_for(region.sup_a)
    url = reverse("supervision:notice_template", args=[region.gov_a.pk])
    page = client.get(url).content.decode()
    assert "{合格率}" in page and "{主要问题}" in page and "默认模板" in page
    response = client.post(url, {"title": "关于{季节}的通报", "document_number": "甲办函〔{年份}〕{序号}号",
                                 "body": "正文", "issuer": "甲市人民政府办公室"})
    assert response.status_code == 200 and "{季节}" in response.content.decode()
    assert not NoticeTemplate.objects.exists()
    response = client.post(url, {"title": "关于{年份}年甲市网站抽查的通报", "document_number": "甲办函〔{年份}〕{序号}号",
                                 "body": "各县（区）人民政府：\n合格率{合格率}。", "issuer": "甲市人民政府办公室"})
    assert response.status_code == 302
    assert NoticeTemplate.objects.get(unit=region.gov_a).title == "关于{年份}年甲市网站抽查的通报"
    # A unit the user does not supervise.
    assert client.get(reverse("supervision:notice_template", args=[region.gov.pk])).status_code == 404
    assert client_for(make_user("nobody")).get(url).status_code in (302, 403)


@pytest.mark.slow  # four hosted sites and a 政府信息公开 tree
def test_publishing_makes_a_draft_under_the_workflow_in_the_disclosure_column(db) -> None:  # noqa: ANN001
    from wagtail.models import Page, WorkflowState

    from govsite.content.disclosure_columns import ColumnKind
    from govsite.content.models import ArticlePage
    from govsite.testing import with_disclosure_columns

    region = build_mini_region(hosted=True)
    with_disclosure_columns(region.portal)
    sup = make_user("sup_root")
    give_role(sup, Role.SUPERVISOR, unit=region.gov)
    campaign = _campaign(region.gov, region.province)
    failing = _entry(campaign, region.site_a, "fail", vetoes=["veto.homepage_stale"])
    _finding(failing, "homepage_stale", "veto.homepage_stale", url="https://www.jia.gov.cn/")
    _entry(campaign, region.site_b, "pass", score="90.00")
    notice = notices.do_generate_notice(campaign, by=sup)

    response = client_for(sup).post(reverse("supervision:notice_publish", args=[notice.pk]), follow=True)
    assert "已提交到政府信息公开栏目" in response.content.decode()
    notice.refresh_from_db()
    page = ArticlePage.objects.get(pk=notice.page_id)
    assert page.title == notice.title and not page.live and page.first_published_at is None
    column = page.get_parent().specific
    assert column.column_kind == ColumnKind.OGI
    assert column.get_parent().pk == region.portal.wagtail_site.root_page_id
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and state.requested_by == sup
    assert state.workflow == region.portal.wagtail_site.root_page.get_workflow()
    kinds = [block.block_type for block in page.body]
    assert kinds[0] == "paragraph" and "table" in kinds and kinds.count("attachment") == 2
    text = str(page.body[0].value)
    assert "总体合格率50.0%" in text
    documents = [block.value["document"] for block in page.body if block.block_type == "attachment"]
    assert {d.collection.name for d in documents} == {region.portal.site_code}
    assert {d.file.name.rsplit(".", 1)[1] for d in documents} == {"docx", "xlsx"}
    assert not Page.objects.get(pk=page.pk).live
    assert AuditLog.objects.filter(event="supervision.notice_publish", object_id=str(notice.pk)).exists()
    # Only within scope: a supervisor of 甲市 does not see the province's notice.
    sup_a = make_user("sup_jia_publish")
    give_role(sup_a, Role.SUPERVISOR, unit=region.gov_a)
    with pytest.raises(Http404):
        notices.do_publish_notice(notice, by=sup_a)
    # Once only.
    with pytest.raises(ValidationError, match="不能重复提交"):
        notices.do_publish_notice(notice, by=sup)


def test_publishing_without_a_hosted_portal_is_refused(region) -> None:  # noqa: ANN001
    notice = notices.do_generate_notice(region.campaign, by=SYSTEM)
    with pytest.raises(ValidationError, match="没有在本平台托管的政府门户网站"):
        notices.do_publish_notice(notice, by=region.sup)
    notice.refresh_from_db()
    assert notice.page_id is None


def test_the_screenshots_of_confirmed_veto_findings_go_into_the_notice(region) -> None:  # noqa: ANN001
    import struct
    import zlib

    from django.core.files.base import ContentFile

    def png(width: int, height: int) -> bytes:
        raw = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
        chunk = lambda kind, data: (struct.pack(">I", len(data)) + kind + data  # noqa: E731
                                    + struct.pack(">I", zlib.crc32(kind + data)))
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

    veto = CampaignFinding.objects.get(site__website=region.site_a, code="homepage_stale")
    veto.evidence.save("shot.png", ContentFile(png(40, 30)), save=True)
    deduction = CampaignFinding.objects.get(site__website=region.site_b, code="broken_link")
    deduction.evidence.save("link.png", ContentFile(png(20, 20)), save=True)  # not a veto: not in the notice
    notice = notices.do_generate_notice(region.campaign, by=region.sup)
    document = _docx(notice)
    images = [part for part in document.part.package.parts if part.content_type == "image/png"]
    assert len(images) == 1
    texts = [p.text for p in document.paragraphs]
    assert "附件：单项否决问题截图" in texts
    assert any(t.startswith("甲市人民政府网：首页长期不更新（https://www.jia.gov.cn/") for t in texts)
