"""The isolation matrix as data (隔离矩阵): object types × roles × routes.

`test_isolation.py` turns this table into tests. A new object type adds a `Target` (and the routes that
reach it); a new view, report, chooser, API route, download or export adds a `Route`. No test code changes.

- A `Target` is one object of the world `build_world` makes (site A is the acting roles' site, site B the
  other one), with `markers`: strings that only someone who may see the object may ever receive, and
  `seen_by`: the roles who may.
- A `Route` is a URL (built from a target's object) and the target kinds it takes. For every target of those
  kinds and every role that may *not* see it, the response must not contain any marker (JSON escapes,
  downloads and Excel exports are read as text first); `status=True` routes must also not answer 200 to
  a role that may not open the object (`Target.opened_by`, by default `seen_by`).
  `ok`: (role, target) pairs that must answer 200 *with* the marker, so a route that shows nothing to
  anyone does not pass.
- `Write` rows: a POST by every role that may not change the target must leave it as it was.

Roles: the site admin, editor and reviewer of site A; a supervisor of A's unit (not of B's); the third-party
evaluator assigned to A; a platform administrator; an anonymous visitor. Drafts are for their own site's
staff only: supervisors and evaluators see published content.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

SITE_STAFF = ("site_admin", "editor", "reviewer")
ROLES = (*SITE_STAFF, "supervisor", "evaluator", "platform_admin", "anonymous")
A_READERS = (*SITE_STAFF, "supervisor", "evaluator", "platform_admin")
A_STAFF = (*SITE_STAFF, "platform_admin")
PLATFORM = ("platform_admin",)
NOBODY: tuple[str, ...] = ()
# Anonymous visitors are sent to the login page by every admin route (test_admin_routes_need_a_login); they
# are a role of the public routes: downloads and the API.
ADMIN_ROLES = tuple(r for r in ROLES if r != "anonymous")


@dataclass(frozen=True)
class Target:
    key: str
    kind: str  # page, document, image, website, scan, findings, download, site_setting, lexicon, workday, submission,
    # ticket, ticket_file, campaign, notice, notice_file
    markers: tuple[str, ...]
    seen_by: tuple[str, ...]
    note: str = ""
    # Who may open the object the URL names, when that differs from who may see the markers (a page of A
    # that shows something of B): `status` routes must refuse everyone else.
    opened_by: tuple[str, ...] | None = None

    def may_open(self, role: str) -> bool:
        return role in (self.seen_by if self.opened_by is None else self.opened_by)


TARGETS: tuple[Target, ...] = (
    # Site B: nobody of site A's roles sees any of it.
    Target("b.draft", "page", ("乙草稿信息", "乙草稿正文"), PLATFORM, "B 从未发布的信息"),
    Target("b.live", "page", ("乙已发布信息",), PLATFORM, "B 已发布的信息"),
    Target("b.pending", "page", ("乙待审修改",), PLATFORM, "B 已发布信息的未审修改"),
    Target("b.column", "page", ("乙要闻栏目",), PLATFORM, "B 的栏目"),
    Target("b.document", "document", ("乙待审文件",), PLATFORM, "B 未公开的文件"),
    Target("b.image", "image", ("乙图片",), PLATFORM, "B 的图片"),
    Target("b.website", "website", ("乙市人民政府网",), PLATFORM, "B 的登记信息"),
    Target("b.scan", "scan", ("乙监测发现",), PLATFORM, "B 的监测记录"),
    Target("b.checkrun", "findings", ("乙草稿信息", "乙草稿正文"), PLATFORM, "B 草稿的内容检查"),
    Target("b.appearance", "site_setting", ("乙站横幅",), PLATFORM, "B 的站点外观"),
    Target("b.lexicon", "lexicon", ("乙市专用敏感词",), PLATFORM, "乙市的词库条目"),
    # Site A: drafts for A's staff only; supervisors and the evaluator see what is published.
    Target("a.draft", "page", ("甲草稿信息", "甲草稿正文"), A_STAFF, "A 从未发布的信息"),
    Target("a.pending", "page", ("甲待审修改",), A_STAFF, "A 已发布信息的未审修改"),
    Target("a.live", "page", ("甲已发布信息",), A_READERS, "A 已发布的信息"),
    Target("a.document", "document", ("甲待审文件",), A_STAFF, "A 未公开的文件"),
    Target("a.image", "image", ("甲图片",), A_STAFF, "A 的图片"),
    Target("a.website", "website", ("甲市人民政府网",), A_READERS, "A 的登记信息"),
    # A's draft that links B's document (planted, as before the link rule): B's title and flagged lines.
    Target("a.links_b_document", "findings", ("乙外站文件", "13812345678", "乙外站机密事项"), PLATFORM,
           "A 草稿链接的 B 文件", opened_by=A_STAFF),
    # Personal data in a finding is shown masked, to everyone.
    Target("a.personal_data", "findings", ("13912345678",), NOBODY, "检查发现中的手机号", opened_by=A_STAFF),
    # B's unpublished document linked from a live page of A (planted): still not public.
    Target("b.document_linked_from_a", "download", ("B-LINKED-SECRET",), PLATFORM,
           "A 已发布页面链接的 B 未公开文件"),
    Target("b.document_download", "download", ("B-SECRET-DRAFT",), PLATFORM, "B 未公开文件的下载"),
    Target("a.document_download", "download", ("A-SECRET-DRAFT",), A_STAFF, "A 未公开文件的下载"),
    # The read API for items (信息接口) serves published public items to everyone, so its targets are what
    # is not public: never-published items and unpublished changes of live ones (anyone may open those).
    Target("b.draft_item", "item", ("乙草稿信息", "乙草稿正文"), PLATFORM, "B 从未发布的信息（信息接口）"),
    Target("b.pending_item", "item", ("乙待审修改",), PLATFORM, "B 已发布信息的未审修改（信息接口）",
           opened_by=ROLES),
    Target("a.draft_item", "item", ("甲草稿信息", "甲草稿正文"), A_STAFF, "A 从未发布的信息（信息接口）"),
    Target("a.pending_item", "item", ("甲待审修改",), A_STAFF, "A 已发布信息的未审修改（信息接口）",
           opened_by=ROLES),
    # 信息报送: for the staff of the two sites concerned only (not supervisors, not the evaluator).
    Target("b.submission", "submission", ("乙报送说明矩阵",), PLATFORM, "B 向门户报送的信息"),
    Target("a.submission", "submission", ("甲报送说明矩阵",), A_STAFF, "A 向门户报送的信息"),
    # 整改工单: whoever may read the site (its staff, its supervisors, the evaluator assigned to it).
    Target("b.ticket", "ticket", ("乙整改工单矩阵", "乙整改要求矩阵"), PLATFORM, "B 的整改工单"),
    Target("a.ticket", "ticket", ("甲整改工单矩阵", "甲整改要求矩阵"), A_READERS, "A 的整改工单"),
    Target("b.ticket_file", "ticket_file", ("B-TICKET-EVIDENCE",), PLATFORM, "B 整改情况的证明材料"),
    Target("a.ticket_file", "ticket_file", ("A-TICKET-EVIDENCE",), A_READERS, "A 整改情况的证明材料"),
    # Province-wide configuration: platform admins only.
    Target("platform.workday", "workday", ("矩阵工作日调整说明",), PLATFORM, "全省工作日调整"),
    # 抽查: a campaign is seen by the supervisors of its organiser's subtree (and platform admins) only.
    Target("b.campaign", "campaign", ("乙市抽查矩阵", "乙抽查问题矩阵"), PLATFORM, "乙市组织的抽查"),
    Target("a.campaign", "campaign", ("甲市抽查矩阵", "甲抽查问题矩阵"), ("supervisor", "platform_admin"),
           "甲市组织的抽查"),
    # 通报: with its campaign, for the organiser's supervisors (and platform admins) only.
    Target("b.notice", "notice", ("乙市通报矩阵", "乙通报文号矩阵"), PLATFORM, "乙市抽查的通报"),
    Target("a.notice", "notice", ("甲市通报矩阵", "甲通报文号矩阵"), ("supervisor", "platform_admin"),
           "甲市抽查的通报"),
    Target("b.notice_file", "notice_file", ("B-NOTICE-FILE",), PLATFORM, "乙市通报的文件"),
    Target("a.notice_file", "notice_file", ("A-NOTICE-FILE",), ("supervisor", "platform_admin"), "甲市通报的文件"),
)
TARGETS_BY_KEY = {t.key: t for t in TARGETS}


def _page_url(name: str) -> Callable[[Any], str]:
    return lambda page: reverse(name, args=[page.pk])


def _bulk(app: str, model: str, action: str) -> Callable[[Any], str]:
    return lambda obj: reverse("wagtail_bulk_action", args=[app, model, action]) + f"?id={obj.pk}&next=/admin/"


@dataclass(frozen=True)
class Route:
    name: str
    kinds: tuple[str, ...]
    url: Callable[[Any], str] | None = None  # None: a listing that does not depend on the object
    listing: Callable[[], str] | str | None = None
    status: bool = False  # also refuse (not 200) to those who may not see the object
    roles: tuple[str, ...] = ADMIN_ROLES
    ok: tuple[tuple[str, str], ...] = ()
    client: str = "admin"  # admin (platform host) or public (the target's own site host)

    def url_for(self, obj: Any) -> str:
        if self.url is not None:
            return self.url(obj)
        assert self.listing is not None
        return self.listing if isinstance(self.listing, str) else self.listing()


def _campaign_finding(campaign: Any) -> Any:
    """The planted finding of a campaign of the matrix (with its evidence file)."""
    return __import__("govsite.supervision.models", fromlist=["x"]).CampaignFinding.objects.filter(
        site__campaign=campaign).order_by("pk").first()


def _listing(name: str, query: str = "", args: tuple = ()) -> Callable[[], str]:
    return lambda: reverse(name, args=args) + query


PAGE_KINDS = ("page",)
ROUTES: tuple[Route, ...] = (
    # --- Wagtail page views, by id ----------------------------------------------------------------------
    Route("页面编辑", PAGE_KINDS, _page_url("wagtailadmin_pages:edit"), status=True,
          ok=(("editor", "a.draft"), ("reviewer", "a.pending"))),
    Route("页面浏览（子页面）", PAGE_KINDS, _page_url("wagtailadmin_explore"), status=True),
    Route("页面浏览结果", PAGE_KINDS, _page_url("wagtailadmin_explore_results"), status=True),
    Route("新建子页面", PAGE_KINDS, _page_url("wagtailadmin_pages:add_subpage"), status=True),
    Route("删除页面", PAGE_KINDS, _page_url("wagtailadmin_pages:delete"), status=True),
    Route("取消发布", PAGE_KINDS, _page_url("wagtailadmin_pages:unpublish"), status=True),
    Route("移动页面", PAGE_KINDS, _page_url("wagtailadmin_pages:move"), status=True),
    Route("复制页面", PAGE_KINDS, _page_url("wagtailadmin_pages:copy"), status=True),
    Route("页面权限设置", PAGE_KINDS, _page_url("wagtailadmin_pages:set_privacy"), status=True),
    Route("页面历史", PAGE_KINDS, _page_url("wagtailadmin_pages:history"), status=True),
    Route("页面修订记录", PAGE_KINDS, _page_url("wagtailadmin_pages:revisions_index"), status=True),
    Route("修订查看", PAGE_KINDS,
          lambda p: reverse("wagtailadmin_pages:revisions_view", args=[p.pk, p.latest_revision_id]), status=True),
    Route("修订对比", PAGE_KINDS,
          lambda p: reverse("wagtailadmin_pages:revisions_compare", args=[p.pk, "earliest", "latest"]), status=True),
    Route("查看草稿", PAGE_KINDS, _page_url("wagtailadmin_pages:view_draft"), status=True,
          ok=(("editor", "a.draft"),)),
    Route("审核流程历史", PAGE_KINDS, _page_url("wagtailadmin_pages:workflow_history"), status=True),
    Route("页面引用情况", PAGE_KINDS, _page_url("wagtailadmin_pages:usage"), status=True),
    Route("页面选择器（子页面）", PAGE_KINDS, lambda p: reverse("wagtailadmin_choose_page_child", args=[p.get_parent().pk])),
    Route("页面选择器（已选）", PAGE_KINDS,
          lambda p: reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={p.pk}"),
    Route("管理接口：页面详情", PAGE_KINDS, _page_url("wagtailadmin_api:pages:detail"), status=True),
    Route("批量删除确认", PAGE_KINDS, _bulk("wagtailcore", "page", "delete")),
    Route("批量移动确认", PAGE_KINDS, _bulk("wagtailcore", "page", "move")),
    Route("批量发布确认", PAGE_KINDS, _bulk("wagtailcore", "page", "publish")),
    Route("批量取消发布确认", PAGE_KINDS, _bulk("wagtailcore", "page", "unpublish")),
    Route("内容检查", ("page", "findings"), _page_url("checks:page"), status=True,
          ok=(("editor", "a.draft"),)),
    Route("内容接口：页面详情", PAGE_KINDS, lambda p: f"/api/v1/content/pages/{p.pk}", roles=ROLES,
          ok=(("evaluator", "a.live"), ("supervisor", "a.live"), ("editor", "a.draft"))),
    # --- page listings, choosers, search, reports -------------------------------------------------------
    Route("页面搜索", PAGE_KINDS, listing=_listing("wagtailadmin_pages:search", "?q=matrix"),
          ok=(("editor", "a.draft"),)),
    Route("页面浏览（根）", PAGE_KINDS, listing=_listing("wagtailadmin_explore_root")),
    Route("页面选择器", PAGE_KINDS, listing=_listing("wagtailadmin_choose_page")),
    Route("页面选择器搜索", PAGE_KINDS, listing=_listing("wagtailadmin_choose_page_search", "?q=matrix"),
          ok=(("editor", "a.draft"), ("supervisor", "a.live"))),
    Route("页面选择器搜索（旧地址）", PAGE_KINDS, listing=_listing("wagtailadmin_choose_page", "?q=matrix")),
    Route("管理接口：页面列表", PAGE_KINDS, listing=_listing("wagtailadmin_api:pages:listing", "?limit=500")),
    Route("管理接口：页面搜索", PAGE_KINDS,
          listing=_listing("wagtailadmin_api:pages:listing", "?search=matrix&limit=500")),
    Route("页面类型使用情况", PAGE_KINDS,
          listing=_listing("wagtailadmin_pages:type_use", args=("content", "articlepage"))),
    Route("报表：页面类型", PAGE_KINDS, listing=_listing("wagtailadmin_reports:page_types_usage")),
    Route("报表：网站历史", PAGE_KINDS, listing=_listing("wagtailadmin_reports:site_history")),
    Route("报表：久未更新页面", PAGE_KINDS, listing=_listing("wagtailadmin_reports:aging_pages")),
    Route("报表：锁定页面", PAGE_KINDS, listing=_listing("wagtailadmin_reports:locked_pages")),
    Route("报表：审核流程", PAGE_KINDS, listing=_listing("wagtailadmin_reports:workflow")),
    Route("报表：审核任务", PAGE_KINDS, listing=_listing("wagtailadmin_reports:workflow_tasks")),
    Route("工作台", PAGE_KINDS + ("document",), listing=_listing("wagtailadmin_home")),
    Route("内容接口：页面列表", PAGE_KINDS, listing="/api/v1/content/pages?limit=500"),
    Route("信息接口：详情", ("item",), lambda p: f"/api/v1/content/items/{p.pk}", roles=ROLES, status=True),
    Route("信息接口：草稿详情", ("item",), lambda p: f"/api/v1/content/items/{p.pk}?draft=true", roles=ROLES,
          status=True, ok=(("editor", "a.draft_item"), ("editor", "a.pending_item"), ("site_admin", "a.draft_item"))),
    Route("信息接口：列表", ("item",), listing="/api/v1/content/items?limit=500", roles=ROLES),
    Route("信息接口：草稿列表", ("item",), listing="/api/v1/content/items?draft=true&limit=500", roles=ROLES,
          ok=(("editor", "a.draft_item"), ("reviewer", "a.draft_item"))),  # the list carries no body
    # --- documents --------------------------------------------------------------------------------------
    Route("文件编辑", ("document",), lambda d: reverse("wagtaildocs:edit", args=[d.pk]), status=True),
    Route("文件删除", ("document",), lambda d: reverse("wagtaildocs:delete", args=[d.pk]), status=True),
    Route("文件引用情况", ("document",), lambda d: reverse("wagtaildocs:document_usage", args=[d.pk]), status=True),
    Route("文件选择器（已选）", ("document",), lambda d: reverse("wagtaildocs_chooser:chosen", args=[d.pk])),
    Route("文件选择器（多选）", ("document",),
          lambda d: reverse("wagtaildocs_chooser:chosen_multiple") + f"?id={d.pk}"),
    Route("管理接口：文件详情", ("document",), lambda d: reverse("wagtailadmin_api:documents:detail", args=[d.pk]),
          status=True),
    Route("批量删除文件确认", ("document",), _bulk("wagtaildocs", "document", "delete")),
    Route("批量文件加标签确认", ("document",), _bulk("wagtaildocs", "document", "add_tags")),
    Route("批量文件移入文件夹确认", ("document",), _bulk("wagtaildocs", "document", "add_to_collection")),
    Route("文件列表", ("document",), listing=_listing("wagtaildocs:index"),
          ok=(("editor", "a.document"),)),
    Route("文件选择器", ("document",), listing=_listing("wagtaildocs_chooser:choose")),
    Route("文件选择器搜索", ("document",), listing=_listing("wagtaildocs_chooser:choose_results", "?q=文件")),
    Route("管理接口：文件列表", ("document",), listing=_listing("wagtailadmin_api:documents:listing", "?limit=500")),
    # --- images -----------------------------------------------------------------------------------------
    Route("图片编辑", ("image",), lambda i: reverse("wagtailimages:edit", args=[i.pk]), status=True),
    Route("图片删除", ("image",), lambda i: reverse("wagtailimages:delete", args=[i.pk]), status=True),
    Route("图片引用情况", ("image",), lambda i: reverse("wagtailimages:image_usage", args=[i.pk]), status=True),
    Route("图片预览", ("image",), lambda i: reverse("wagtailimages:preview", args=[i.pk, "original"]), status=True),
    Route("图片地址生成", ("image",), lambda i: reverse("wagtailimages:url_generator", args=[i.pk]), status=True),
    Route("图片选择器（已选）", ("image",), lambda i: reverse("wagtailimages_chooser:chosen", args=[i.pk])),
    Route("图片选择器（多选）", ("image",),
          lambda i: reverse("wagtailimages_chooser:chosen_multiple") + f"?id={i.pk}"),
    Route("图片选择器（格式）", ("image",), lambda i: reverse("wagtailimages_chooser:select_format", args=[i.pk]),
          status=True),
    Route("管理接口：图片详情", ("image",), lambda i: reverse("wagtailadmin_api:images:detail", args=[i.pk]),
          status=True),
    Route("批量删除图片确认", ("image",), _bulk("wagtailimages", "image", "delete")),
    Route("批量图片加标签确认", ("image",), _bulk("wagtailimages", "image", "add_tags")),
    Route("批量图片移入文件夹确认", ("image",), _bulk("wagtailimages", "image", "add_to_collection")),
    Route("图片列表", ("image",), listing=_listing("wagtailimages:index"), ok=(("editor", "a.image"),)),
    Route("图片选择器", ("image",), listing=_listing("wagtailimages_chooser:choose")),
    Route("管理接口：图片列表", ("image",), listing=_listing("wagtailadmin_api:images:listing", "?limit=500")),
    # --- downloads (documents are served through Wagtail's view and its download rule) --------------------
    Route("文件下载", ("download",), lambda d: reverse("wagtaildocs_serve", args=[d.pk, d.filename]),
          status=True, roles=ROLES, ok=(("editor", "a.document_download"),)),
    # --- registry, monitoring, staff, API -------------------------------------------------------------
    Route("登记信息详情", ("website",), lambda w: reverse("registry:detail", args=[w.pk]), status=True,
          ok=(("supervisor", "a.website"), ("evaluator", "a.website"))),
    Route("登记信息修改", ("website",), lambda w: reverse("registry:edit", args=[w.pk]), status=True),
    Route("网站状态变更", ("website",), lambda w: reverse("registry:status", args=[w.pk]), status=True),
    Route("安全检测登记", ("website",), lambda w: reverse("registry:security_test", args=[w.pk]), status=True),
    Route("栏目校正", ("website",), lambda w: reverse("registry:columns", args=[w.pk]), status=True),
    Route("网站监测（网站）", ("website",), lambda w: reverse("monitoring:site", args=[w.pk]), status=True),
    Route("本站人员", ("website",), lambda w: reverse("site_staff:index", args=[w.pk]), status=True),
    Route("登记信息接口", ("website",), lambda w: f"/api/v1/registry/websites/{w.site_code}", status=True),
    Route("栏目接口", ("website",), lambda w: f"/api/v1/registry/websites/{w.site_code}/columns", status=True),
    Route("内容接口：按网站", ("website",), lambda w: f"/api/v1/content/pages?site_code={w.site_code}",
          status=True),
    Route("登记信息列表", ("website",), listing=_listing("registry:index"), ok=(("editor", "a.website"),)),
    Route("登记信息导出", ("website",), listing=_listing("registry:export")),
    Route("网站监测总览", ("website",), listing=_listing("monitoring:dashboard")),
    Route("网站监测导出", ("website",), listing=_listing("monitoring:export")),
    Route("登记信息接口列表", ("website",), listing="/api/v1/registry/websites?limit=500"),
    Route("监测记录", ("scan",), lambda r: reverse("monitoring:run", args=[r.pk]), status=True),
    Route("监测记录导出", ("scan",), lambda r: reverse("monitoring:run_export", args=[r.pk]), status=True),
    Route("监测截图证据", ("scan",), lambda r: reverse("monitoring:finding_screenshot",
                                                    args=[r.pk, r.findings.exclude(screenshot="").first().pk]),
          status=True),
    Route("词库列表", ("lexicon",), listing=_listing("checks:lexicon_index", "?q=乙市")),
    Route("词库条目修改", ("lexicon",), lambda e: reverse("checks:lexicon_edit", args=[e.pk]), status=True),
    Route("词库条目修改记录", ("lexicon",), lambda e: reverse("checks:lexicon_history", args=[e.pk]), status=True),
    Route("站点外观", ("site_setting",),
          lambda s: reverse("wagtailsettings:edit", args=["content", "siteappearance", s.pk]), status=True),
    # --- 抽查 ---------------------------------------------------------------------------------------------
    Route("抽查列表", ("campaign",), listing=_listing("supervision:campaigns"), ok=(("supervisor", "a.campaign"),)),
    Route("抽查", ("campaign",), lambda c: reverse("supervision:campaign", args=[c.pk]), status=True,
          ok=(("supervisor", "a.campaign"),)),
    Route("抽查网站", ("campaign",), lambda c: reverse("supervision:campaign_site", args=[_campaign_finding(c).site_id]),
          status=True, ok=(("supervisor", "a.campaign"),)),
    Route("抽查证据文件", ("campaign",),
          lambda c: reverse("supervision:campaign_finding_evidence", args=[_campaign_finding(c).pk]), status=True,
          ok=(("supervisor", "a.campaign"),)),
    Route("信息报送列表", ("submission",), listing=_listing("library:index"), ok=(("editor", "a.submission"),)),
    Route("信息报送详情", ("submission",), lambda o: reverse("library:detail", args=[o.pk]), status=True,
          ok=(("reviewer", "a.submission"),)),
    Route("工作日调整列表", ("workday",), listing=_listing("workdays:index"),
          ok=(("platform_admin", "platform.workday"),)),
    Route("工作日调整修改", ("workday",), lambda o: reverse("workdays:edit", args=[o.pk]), status=True,
          ok=(("platform_admin", "platform.workday"),)),
    Route("工作日调整删除", ("workday",), lambda o: reverse("workdays:delete", args=[o.pk]), status=True),
    # --- supervision: 整改工单 ----------------------------------------------------------------------------
    Route("通报列表", ("notice",), listing=_listing("supervision:notices"), ok=(("supervisor", "a.notice"),)),
    Route("通报", ("notice",), lambda n: reverse("supervision:notice", args=[n.pk]), status=True,
          ok=(("supervisor", "a.notice"),)),
    Route("通报下载", ("notice_file",), lambda n: reverse("supervision:notice_download", args=[n.pk, "docx"]),
          status=True, ok=(("supervisor", "a.notice_file"),)),
    Route("通报附件下载", ("notice_file",), lambda n: reverse("supervision:notice_download", args=[n.pk, "xlsx"]),
          status=True, ok=(("supervisor", "a.notice_file"),)),
    Route("整改工单", ("ticket",), lambda t: reverse("supervision:ticket", args=[t.pk]), status=True,
          ok=(("site_admin", "a.ticket"), ("supervisor", "a.ticket"), ("evaluator", "a.ticket"))),
    Route("整改工单列表", ("ticket",), listing=_listing("supervision:tickets"), ok=(("editor", "a.ticket"),)),
    Route("整改证明材料下载", ("ticket_file",),
          lambda a: reverse("supervision:ticket_file", args=[a.ticket_id, "answer", a.pk]), status=True,
          ok=(("supervisor", "a.ticket_file"), ("site_admin", "a.ticket_file"))),
)


@dataclass(frozen=True)
class Write:
    """A POST that must change nothing for the roles that may not change the target."""

    name: str
    target: str
    url: Callable[[Any], str]
    data: Callable[[Any], dict]
    unchanged: Callable[[Any], Any]  # a snapshot of what must stay the same
    roles: tuple[str, ...] = tuple(r for r in ROLES if r != "platform_admin")
    allowed: tuple[str, ...] = field(default_factory=tuple)


def _latest_title(page: Any) -> Any:
    page.refresh_from_db()
    revision = page.get_latest_revision()
    return page.title, page.live, revision.content.get("title") if revision else None


def _document_state(document: Any) -> Any:
    from wagtail.documents import get_document_model

    row = get_document_model().objects.filter(pk=document.pk).values("title", "collection_id").first()
    return row


def _ticket_state(ticket: Any) -> Any:
    fresh = type(ticket).objects.get(pk=ticket.pk)
    return fresh.state, fresh.answers.count(), fresh.actions.count()


WRITES: tuple[Write, ...] = (
    Write("改写 B 的信息", "b.draft", _page_url("wagtailadmin_pages:edit"),
          lambda p: {"title": "被篡改", "slug": "hacked", "body": "x", "published_at": "2026-01-01 10:00"},
          _latest_title),
    Write("在 B 的栏目下新建信息", "b.column",
          lambda p: reverse("wagtailadmin_pages:add", args=["content", "articlepage", p.pk]),
          lambda p: {"title": "插入", "slug": "inject", "body": "x", "published_at": "2026-01-01 10:00",
                     "action-submit": "1"},
          lambda p: p.get_children().count()),
    Write("删除 B 的信息", "b.live", _page_url("wagtailadmin_pages:delete"), lambda p: {},
          lambda p: type(p).objects.filter(pk=p.pk).exists()),
    Write("取消发布 B 的信息", "b.live", _page_url("wagtailadmin_pages:unpublish"), lambda p: {},
          lambda p: type(p).objects.get(pk=p.pk).live),
    Write("批量删除 B 的信息", "b.live", _bulk("wagtailcore", "page", "delete"), lambda p: {},
          lambda p: type(p).objects.filter(pk=p.pk).exists()),
    Write("批量删除 B 的文件", "b.document", _bulk("wagtaildocs", "document", "delete"), lambda d: {},
          _document_state),
    Write("修改 B 的文件", "b.document", lambda d: reverse("wagtaildocs:edit", args=[d.pk]),
          lambda d: {"title": "被篡改", "collection": d.collection_id}, _document_state),
    Write("放行 B 的检查发现", "b.draft", lambda p: reverse("checks:page_override", args=[p.pk]),
          lambda p: {"fingerprint": "x" * 64, "reason": "越权"},
          lambda p: p.check_runs.count() + __import__("govsite.checks.models", fromlist=["x"]).FindingOverride
          .objects.filter(page_id=p.pk).count()),
    Write("变更 B 的网站状态", "b.website", lambda w: reverse("registry:status", args=[w.pk]),
          lambda w: {"to_status": "offline", "reason": "越权尝试", "document_number": "X"},
          lambda w: type(w).objects.get(pk=w.pk).status),
    Write("修改 B 的站点外观", "b.appearance",
          lambda s: reverse("wagtailsettings:edit", args=["content", "siteappearance", s.pk]),
          lambda s: {"primary_colour": "#000000", "accent_colour": "#000000", "banner_text": "越权"},
          lambda s: __import__("govsite.content.models", fromlist=["x"]).SiteAppearance.for_site(s).banner_text),
    Write("修改工作日调整", "platform.workday", lambda o: reverse("workdays:edit", args=[o.pk]),
          lambda o: {"date": f"{o.date:%Y-%m-%d}", "is_workday": "on", "note": "越权"},
          lambda o: type(o).objects.filter(pk=o.pk).values_list("is_workday", "note").first()),
    Write("设置 B 的审核级数", "b.website", lambda w: reverse("site_staff:review_levels", args=[w.pk]),
          lambda w: {"levels": "4"},
          lambda w: __import__("govsite.checks.review", fromlist=["x"]).review_levels(w)),
    Write("生成 B 的通报", "b.campaign", lambda c: reverse("supervision:notice_generate", args=[c.pk]),
          lambda c: {"document_number": "越权〔2031〕1号"}, lambda c: c.notices.count()),
    Write("提交 B 的通报到政府信息公开栏目", "b.notice", lambda n: reverse("supervision:notice_publish", args=[n.pk]),
          lambda n: {}, lambda n: type(n).objects.get(pk=n.pk).page_id),
    Write("修改 B 的通报模板", "b.notice", lambda n: reverse("supervision:notice_template", args=[n.campaign.unit_id]),
          lambda n: {"title": "越权模板", "document_number": "越权", "body": "越权", "issuer": "越权"},
          lambda n: __import__("govsite.supervision.models", fromlist=["x"]).NoticeTemplate.objects.filter(
              unit_id=n.campaign.unit_id).values_list("title", flat=True).first()),
    Write("核实 B 的抽查问题", "b.campaign",
          lambda c: reverse("supervision:campaign_finding_decide", args=[_campaign_finding(c).pk]),
          lambda c: {"decision": "reject", "reason": "越权"}, lambda c: _campaign_finding(c).state),
    Write("记录 B 的人工检查问题", "b.campaign",
          lambda c: reverse("supervision:campaign_site_manual", args=[_campaign_finding(c).site_id]),
          lambda c: {"code": "manual_basic_info", "detail": "越权"},
          lambda c: type(_campaign_finding(c)).objects.filter(site__campaign=c).count()),
    Write("完成 B 的抽查", "b.campaign", lambda c: reverse("supervision:campaign_finish", args=[c.pk]), lambda c: {},
          lambda c: type(c).objects.get(pk=c.pk).status),
    Write("填报 B 的整改情况", "b.ticket", lambda t: reverse("supervision:ticket_answer", args=[t.pk]),
          lambda t: {"text": "越权填报"}, _ticket_state),
    Write("采纳 B 的整改说明并办结", "b.ticket", lambda t: reverse("supervision:ticket_accept", args=[t.pk]),
          lambda t: {"reason": "越权办结"}, _ticket_state),
    Write("记录 B 的约谈", "b.ticket", lambda t: reverse("supervision:ticket_action", args=[t.pk]),
          lambda t: {"kind": "interview", "persons": "越权", "held_on": "2026-01-05", "outcome": "越权"},
          _ticket_state),
    Write("删除工作日调整", "platform.workday", lambda o: reverse("workdays:delete", args=[o.pk]), lambda o: {},
          lambda o: type(o).objects.filter(pk=o.pk).exists()),
)


# One or more backslashes: a body block's rich text is JSON inside the block JSON, so escaped twice.
_UNICODE_ESCAPE = re.compile(r"\\+u([0-9a-fA-F]{4})")


def body_text(response: Any) -> str:
    """Everything a response hands over, as text: HTML, JSON with its escapes undone, files, Excel sheets."""
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type or raw[:2] == b"PK":
        try:
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
            cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                     for c in row if c is not None]
            return "\n".join(cells)
        except Exception:  # noqa: BLE001 — not a workbook after all: read it as bytes
            pass
    text = raw.decode("utf-8", errors="replace")
    # JSON in responses and in HTML attributes (the rich text editor's content, modal responses) escapes
    # Chinese as \uXXXX and quotes as entities: read those too.
    unescaped = html.unescape(_UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))
    return text + "\n" + unescaped
