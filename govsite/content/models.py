"""Hosted sites' pages: portal/department home, columns (栏目) and articles (信息)."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from govsite.adminui.slugs import ReadableSlugMixin
from govsite.checks.page_guard import PublishGuardMixin
from govsite.core import update_classes
from govsite.library import placements
from govsite.registry.models import UpdateClass

from . import catalogue, catalogue_browse
from .blocks import body_field
from .conflicts import ConflictCheckedPageForm
from .disclosure_columns import FIXED_NAME_KINDS, SINGLE_PAGE_KINDS, ColumnKind
from .forms import PageForm, publication_time_error

PUBLICATION_FORMAT = "%Y-%m-%d %H:%M"
# Set (True) on an item by the migration import only: going live keeps its original 发布时间 (see ArticlePage.save).
KEEP_ORIGINAL_PUBLISHED_AT = "_keep_original_published_at"
_keeping_original_times: contextvars.ContextVar[bool] = contextvars.ContextVar("keep_original_published_at",
                                                                              default=False)


@contextmanager
def keeping_original_published_at() -> Iterator[None]:
    """Within this block items going live keep the 发布时间 they carry (the migration import; a revision's
    `publish()` builds a fresh page object, so an attribute on the caller's object would not reach save())."""
    token = _keeping_original_times.set(True)
    try:
        yield
    finally:
        _keeping_original_times.reset(token)


def _keeps_original_time(page: object) -> bool:
    return bool(getattr(page, KEEP_ORIGINAL_PUBLISHED_AT, False) or _keeping_original_times.get())


class PublicationTimePanel(FieldPanel):
    """发布时间 in the editor: read-only, shown once the item has been published (the system sets it)."""

    def __init__(self, field_name: str = "published_at", **kwargs) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", _("发布时由系统自动记录，不可修改。"))
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self) -> bool:
            return bool(getattr(self.instance, "first_published_at", None)) and super().is_shown()

        def value_from_instance(self) -> str:
            return self.instance.published_at_display  # YYYY-MM-DD HH:MM, as the public page shows it


# Days without a new item after which a column counts as not updated; None: not counted (core table).
UPDATE_CLASS_MAX_AGE_DAYS = update_classes.UPDATE_CLASS_MAX_AGE_DAYS


class HomePage(ReadableSlugMixin, PublishGuardMixin, Page):
    """网站首页: the root of a hosted site's page tree (portal or department site)."""

    base_form_class = ConflictCheckedPageForm  # 编辑冲突 (content/conflicts.py)

    intro = models.CharField(_("导语"), max_length=300, blank=True)
    news_count = models.PositiveSmallIntegerField(_("首页每栏显示条数"), default=6)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("news_count")]
    subpage_types = ["content.ColumnPage", "content.SpecialTopicPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("网站首页")
        verbose_name_plural = _("网站首页")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        columns = ColumnPage.objects.child_of(self).live().public().filter(show_on_homepage=True)
        context["column_blocks"] = [
            (column, placements.mark_placed(column, list(column.latest_articles(self.news_count))))
            for column in columns.specific()
        ]
        context["nav_columns"] = ColumnPage.objects.child_of(self).live().public().in_menu()
        return context


class ColumnPage(RoutablePageMixin, ReadableSlugMixin, PublishGuardMixin, Page):
    """栏目: a column of articles with an update class that sets how fresh it must be kept."""

    base_form_class = ConflictCheckedPageForm  # 编辑冲突 (content/conflicts.py)

    update_class = models.CharField(_("更新类别"), max_length=16, choices=UpdateClass.choices, default=UpdateClass.NEWS)
    description = models.CharField(_("栏目说明"), max_length=300, blank=True)
    keywords = models.CharField(_("栏目关键词"), max_length=200, blank=True)
    show_on_homepage = models.BooleanField(_("在首页显示"), default=True)
    # 栏目类型: set by provisioning (content/disclosure_site.py), not in the edit form: the uniform 政府信息公开
    # structure is the platform's, the same on every site.
    column_kind = models.CharField(_("栏目类型"), max_length=16, choices=ColumnKind.choices,
                                   default=ColumnKind.ORDINARY, editable=False, db_index=True)
    body = RichTextField(_("栏目正文"), blank=True,
                         help_text=_("单页栏目（如政府信息公开指南、制度）的正文；普通栏目可留空。"))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("update_class"), FieldPanel("description"), FieldPanel("keywords")], _("栏目属性")),
        FieldPanel("show_on_homepage"),
        FieldPanel("body"),
    ]
    parent_page_types = ["content.HomePage", "content.ColumnPage"]
    subpage_types = ["content.ArticlePage", "content.PolicyDocumentPage", "content.InterpretationPage",
                     "content.ResponsePage", "content.ColumnPage", "content.SpecialTopicPage"]
    page_size = 20

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")

    def latest_articles(self, limit: int | None = None) -> models.QuerySet[ArticlePage]:
        """The column's public items, newest first: its own (sub-columns included) and those of other sites
        placed here through 信息报送 (library/placements.py), merged by publication time."""
        own = models.Q(path__startswith=self.path, depth__gt=self.depth)
        placed = models.Q(pk__in=placements.placed_item_ids(self))
        articles = ArticlePage.objects.filter(own | placed).live().public().order_by("-published_at", "-id")
        return articles[:limit] if limit else articles

    @path("mulu/", name="catalogue")
    def catalogue_browse(self, request: HttpRequest):  # noqa: ANN201
        """政府信息公开目录: the column's items by 主题分类, 发布机构, 年份 and 体裁 (content/catalogue_browse.py)."""
        return catalogue_browse.serve_catalogue(self, request)

    @path("library/<int:submission_id>/", name=placements.PLACEMENT_ROUTE)
    def placement(self, request: HttpRequest, submission_id: int):  # noqa: ANN201
        """An item of another site placed here (采用), at an address of this site."""
        return placements.serve_placement(self, request, submission_id)

    def has_content(self) -> bool:
        """Whether the column has something to show: a public item (its own or placed), or, for a single-page
        column (指南, 制度), its own text; a parent column counts what its sub-columns have."""
        if self.body.strip() and self.column_kind in SINGLE_PAGE_KINDS:
            return True
        if self.latest_articles().exists():
            return True
        return ColumnPage.objects.descendant_of(self).live().filter(column_kind__in=SINGLE_PAGE_KINDS).exclude(
            body="").exists()

    def review_problems(self) -> list[str]:
        """Why a submitted column may not go live (§9 item 14: no blank columns): it has no content
        (`has_content`). Checked at 提交审核 and when its workflow ends (checks.page_guard.workflow_problems);
        the platform's own builders lay out columns before their items."""
        if self.has_content():
            return []
        return [str(_("栏目内没有已发布的信息，不能发布空栏目。请先在栏目下发布信息。"))]

    def clean(self) -> None:
        super().clean()
        if self.pk and self.column_kind in FIXED_NAME_KINDS:
            stored = ColumnPage.objects.filter(pk=self.pk).values("title", "slug").first()
            if stored and (stored["title"] != self.title or stored["slug"] != self.slug):
                raise ValidationError({"title": _("“%(title)s”是政府信息公开的统一栏目，名称和地址不能修改。")
                                       % {"title": stored["title"]}})

    def latest_published_at(self, as_of=None):  # noqa: ANN001, ANN201
        """The newest publication time of the column's public articles up to ``as_of`` (default now).

        A time still to come is no evidence of an update: a stored 2099 date must not make a column fresh."""
        up_to = as_of or timezone.now()
        article = self.latest_articles().filter(published_at__lte=up_to).first()
        return article.published_at if article else None

    def has_future_dated_articles(self, as_of=None) -> bool:  # noqa: ANN001
        return self.latest_articles().filter(published_at__gt=as_of or timezone.now()).exists()

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.latest_articles(), self.page_size)
        articles = paginator.get_page(request.GET.get("page"))
        articles.object_list = placements.mark_placed(self, list(articles.object_list))
        context["articles"] = articles
        context["subcolumns"] = ColumnPage.objects.child_of(self).live().public()
        return context


CATALOGUE_FIELDS = ("index_number", "issuing_organ", "topic", "genre", "written_date", "formed_at")


class ArticlePage(ReadableSlugMixin, PublishGuardMixin, Page):
    """信息 (article): a dated item in a column (动态/要闻, 通知公告 …), the concrete base of every item type.

    Its publication time is mandatory and never changes once public. Catalogue metadata (政府信息公开目录,
    §9 item 27) is optional here and required where a subtype says so."""

    published_at = models.DateTimeField(
        _("发布时间"), default=timezone.now, help_text=_("发布时由系统自动记录（YYYY-MM-DD HH:MM），不可修改。")
    )
    source = models.CharField(_("信息来源"), max_length=100, blank=True)
    author = models.CharField(_("作者"), max_length=100, blank=True)
    issuing_organ = models.CharField(_("发布机构"), max_length=100, blank=True, help_text=_("发布单位（发文机关）。"))
    summary = models.CharField(_("摘要"), max_length=300, blank=True, help_text=_("内容概述。"))
    body = body_field(verbose_name=_("正文"))
    index_number = models.CharField(
        _("索引号"), max_length=64, unique=True, null=True, blank=True, editable=False,
        help_text=catalogue.INDEX_NUMBER_HELP)
    topic = models.CharField(_("主题分类"), max_length=2, choices=catalogue.TOPICS, blank=True)
    genre = models.CharField(_("体裁"), max_length=16, choices=catalogue.GENRES, blank=True)
    written_date = models.DateField(_("成文日期"), null=True, blank=True)
    formed_at = models.DateField(
        _("信息形成（变更）日期"), null=True, blank=True,
        help_text=_("信息形成或者变更之日，自该日起 20 个工作日内应予公开。"))
    # 迁移导入的来源键: the same import line is never imported twice (site code + line key).
    import_key = models.CharField(_("导入标识"), max_length=120, unique=True, null=True, blank=True, editable=False)

    catalogue_panels = [
        FieldPanel("issuing_organ"), FieldPanel("topic"), FieldPanel("genre"), FieldPanel("written_date"),
        FieldPanel("formed_at"),
    ]
    content_panels = [
        *Page.content_panels,
        PublicationTimePanel(),
        MultiFieldPanel([FieldPanel("source"), FieldPanel("author"), FieldPanel("summary")], _("基本信息")),
        MultiFieldPanel(catalogue_panels, _("目录信息")),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields, index.SearchField("summary"), index.SearchField("body"),
        index.FilterField("topic"), index.FilterField("genre"), index.FilterField("published_at"),
    ]
    base_form_class = PageForm
    parent_page_types = ["content.ColumnPage", "content.SpecialTopicPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("信息")
        verbose_name_plural = _("信息")
        indexes = [models.Index(fields=["published_at"]), models.Index(fields=["topic"])]

    def site_path(self) -> str | None:
        """The tree path of the item's site home page (a prefix of every page of the site), None before the
        page has a place in the tree."""
        # A page being created has no path yet; the editor's form tells where it will go (forms.PageForm).
        path = self.path or getattr(self, "_parent_path", "")
        return path[: self.steplen * 2] if path and len(path) >= self.steplen * 2 else None

    @property
    def topic_label(self) -> str:
        return catalogue.TOPIC_LABELS.get(self.topic, "")

    @property
    def genre_label(self) -> str:
        return catalogue.GENRE_LABELS.get(self.genre, "")

    @property
    def published_at_display(self) -> str:
        return timezone.localtime(self.published_at).strftime(PUBLICATION_FORMAT)

    @staticmethod
    def _to_minute(value):  # noqa: ANN001, ANN205
        # The rules show minutes (YYYY-MM-DD HH:MM) and the admin form sends minutes, so minutes are stored.
        return value.replace(second=0, microsecond=0) if value is not None else None

    def _stored_published_at(self):  # noqa: ANN202
        if not self.pk:
            return None
        row = ArticlePage.objects.filter(pk=self.pk).values("published_at", "first_published_at").first()
        if not row or row["first_published_at"] is None:
            return None
        return row["published_at"]

    def with_content_json(self, content: dict) -> ArticlePage:
        """A revision's content on this page. What the system set when the page went live (发布时间, 索引号, the
        import key) belongs to the page, not to a revision saved before it: an older revision never carries
        it back (and a republication then keeps it)."""
        obj = super().with_content_json(content)
        if self.first_published_at is not None:
            obj.published_at = self.published_at
        for name in ("index_number", "import_key"):
            if getattr(self, name):
                setattr(obj, name, getattr(self, name))
        return obj

    def clean(self) -> None:
        super().clean()
        stored = self._stored_published_at()
        if stored is not None and self.published_at is not None and stored != self._to_minute(self.published_at):
            raise ValidationError({"published_at": _("信息发布后，发布时间不可修改（原发布时间 %(t)s）。") % {
                "t": timezone.localtime(stored).strftime(PUBLICATION_FORMAT)}})
        if stored is None and _keeps_original_time(self) and self.published_at is not None:
            message = publication_time_error(self.published_at, None)
            if message:
                raise ValidationError({"published_at": message})

    def save(self, *args, **kwargs) -> None:
        """发布时间 is set by the system (§9 item 8; 伪造发稿日期 is a veto): the minute the item first goes live
        (publishing, the end of the workflow, scheduled publishing when the worker publishes it), and never
        changed afterwards. Only the migration import keeps an original date, by setting
        `KEEP_ORIGINAL_PUBLISHED_AT` on the page (and writing the audit entry that says so); a time still to
        come is refused even then. Enforced here, not in the form: every publication path ends in save()."""
        stored = self._stored_published_at()
        if stored is not None:
            self.published_at = self._to_minute(self.published_at)
            if self.published_at != stored:
                raise ValidationError(_("信息发布后，发布时间不可修改。"))
        elif self.live:
            if _keeps_original_time(self) and self.published_at is not None:
                self.published_at = self._to_minute(self.published_at)
                message = publication_time_error(self.published_at, None)
                if message:
                    raise ValidationError(message)
            else:
                self.published_at = self._to_minute(timezone.now())
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "published_at"}
        else:
            self.published_at = self._to_minute(self.published_at or timezone.now())  # a draft: not shown
        self._assign_index_number(kwargs)
        super().save(*args, **kwargs)

    def needs_index_number(self) -> bool:
        """A catalogue item (政府信息公开目录) gets a 索引号: every policy document, and any item with a 主题分类."""
        return isinstance(self, PolicyDocumentPage) or bool(self.topic)

    def _assign_index_number(self, save_kwargs: dict) -> None:
        """索引号: given to a catalogue item when it goes live (or is saved live without one), once."""
        if self.index_number or not self.live or not self.needs_index_number():
            return
        organ_code = catalogue.organ_code_for_page(self)
        if organ_code is None:
            return  # outside a hosted site (the tree root): no organ to number for
        year = timezone.localtime(self.published_at or timezone.now()).year
        self.index_number = next_index_number(organ_code, year)
        update_fields = save_kwargs.get("update_fields")
        if update_fields is not None:
            save_kwargs["update_fields"] = {*update_fields, "index_number"}

    def get_column(self) -> ColumnPage | None:
        parent = self.get_parent()
        return parent.specific if parent and isinstance(parent.specific, ColumnPage) else None


class PolicyDocumentPage(ArticlePage):
    """政策文件: a policy document with its catalogue metadata, 规范性文件 flag and 有效性 (§1.5, §9 items 9, 24, 27)."""

    doc_number = models.CharField(_("发文字号"), max_length=100, blank=True, help_text=_("如 示政发〔2026〕3号。"))
    is_normative = models.BooleanField(
        _("规范性文件"), default=False, help_text=_("行政规范性文件须同步发布政策解读，或填写无需解读的理由。"))
    validity = models.CharField(_("有效性"), max_length=16, choices=catalogue.VALIDITY, default=catalogue.VALID)
    replaced_by = models.ForeignKey(
        "self", verbose_name=_("修改/废止本文件的文件"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="replaces", help_text=_("本网站的另一份政策文件；可不填（文件可能到期失效而无替代文件）。"))
    interpretation_exemption = models.TextField(
        _("无需解读的理由"), blank=True, help_text=_("规范性文件不发布政策解读时，须说明理由。"))

    content_panels = [
        *Page.content_panels,
        PublicationTimePanel(),
        MultiFieldPanel([FieldPanel("doc_number"), *ArticlePage.catalogue_panels, FieldPanel("source"),
                         FieldPanel("summary")], _("目录信息")),
        MultiFieldPanel([FieldPanel("is_normative"), FieldPanel("interpretation_exemption"), FieldPanel("validity"),
                         FieldPanel("replaced_by")], _("规范性文件与有效性")),
        FieldPanel("body"),
    ]
    search_fields = [*ArticlePage.search_fields, index.SearchField("doc_number"), index.FilterField("validity")]
    parent_page_types = ["content.ColumnPage"]

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")

    @property
    def validity_label(self) -> str:
        return catalogue.VALIDITY_LABELS.get(self.validity, "")

    @property
    def is_in_force(self) -> bool:
        return self.validity == catalogue.VALID

    def live_interpretations(self) -> models.QuerySet[InterpretationPage]:
        return self.interpretations.live().public().order_by("-published_at", "-id")

    def live_replaced_documents(self) -> models.QuerySet[PolicyDocumentPage]:
        """The documents this one amended or repealed (本文件修改/废止了 …), for the reverse link."""
        return self.replaces.live().public().order_by("-published_at", "-id")

    def replacement_problem(self) -> str | None:
        """Why `replaced_by` cannot stand: this document itself, another site's document, or a document in force
        marked as replaced."""
        target = self.replaced_by
        if target is None:
            return None
        if self.pk and target.pk == self.pk:
            return str(_("不能选择本文件作为修改/废止本文件的文件。"))
        site_path = self.site_path()
        if site_path and not target.path.startswith(site_path):
            return str(_("修改/废止本文件的文件须是本网站的政策文件。"))
        if self.validity == catalogue.VALID:
            return str(_("有效的文件不应填写修改/废止本文件的文件；请先把有效性改为已修改、已废止或已失效。"))
        return None

    def clean(self) -> None:
        super().clean()
        problem = self.replacement_problem()
        if problem:
            raise ValidationError({"replaced_by": problem})
        if self.is_normative and self.interpretation_exemption and not self.interpretation_exemption.strip():
            raise ValidationError({"interpretation_exemption": _("请填写无需解读的理由。")})

    def save(self, *args, **kwargs) -> None:
        # Enforced on every path (scripts, revisions, the import): a link to another site's document would
        # show that site's document under this site's name.
        problem = self.replacement_problem()
        if problem:
            raise ValidationError(problem)
        super().save(*args, **kwargs)

    def publication_problems(self) -> list[str]:
        """Why this document may not go live (§9 item 24): a 规范性文件 needs a live 政策解读, or a recorded
        reason why none is needed."""
        if (self.is_normative and not (self.interpretation_exemption or "").strip()
                and not (self.pk and self.interpretations.live().exists())):
            return [str(_("规范性文件须同步发布政策解读，或填写无需解读的理由。"))]
        return []


class InterpretationPage(ArticlePage):
    """政策解读: an interpretation of one policy document, in text, graphic (图解), audio or video form (§1.6)."""

    policy = models.ForeignKey(
        PolicyDocumentPage, verbose_name=_("解读的政策文件"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="interpretations")
    form = models.CharField(_("解读形式"), max_length=16, choices=catalogue.INTERPRETATION_FORMS,
                            default=catalogue.FORM_TEXT)

    content_panels = [
        *Page.content_panels,
        PublicationTimePanel(),
        MultiFieldPanel([FieldPanel("policy"), FieldPanel("form")], _("解读")),
        MultiFieldPanel([FieldPanel("source"), FieldPanel("author"), FieldPanel("summary"),
                         *ArticlePage.catalogue_panels], _("基本信息")),
        FieldPanel("body"),
    ]
    parent_page_types = ["content.ColumnPage"]

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")

    def form_problems(self) -> list[str]:
        """What the chosen form needs in the body: 图解 at least one image, 音频/视频 a media block of that kind."""
        kinds = [(child.block_type, child.value) for child in self.body or []]
        if self.form == catalogue.FORM_GRAPHIC and not any(kind == "image" for kind, _v in kinds):
            return [str(_("图解形式的政策解读须至少包含一张图片（含替代文字）。"))]
        if self.form in (catalogue.FORM_AUDIO, catalogue.FORM_VIDEO) and not any(
                kind == "media" and value.get("kind") == self.form for kind, value in kinds):
            label = _("音频") if self.form == catalogue.FORM_AUDIO else _("视频")
            return [str(_("%(form)s形式的政策解读须包含一个%(form)s内容块（含文字稿）。") % {"form": label})]
        return []

    def policy_problem(self) -> str | None:
        if self.policy is None:
            return str(_("请选择本解读所解读的政策文件。"))
        site_path = self.site_path()
        if site_path and not self.policy.path.startswith(site_path):
            return str(_("解读的政策文件须是本网站的政策文件。"))
        return None

    def clean(self) -> None:
        super().clean()
        problem = self.policy_problem()
        if problem:
            raise ValidationError({"policy": problem})
        problems = self.form_problems()
        if problems:
            raise ValidationError({"form": problems})

    def save(self, *args, **kwargs) -> None:
        if self.policy is not None and self.policy_problem():
            raise ValidationError(self.policy_problem())
        super().save(*args, **kwargs)

    def publication_problems(self) -> list[str]:
        """Why this interpretation may not go live: no policy document, or a form its body does not carry."""
        problem = self.policy_problem()
        return ([problem] if problem else []) + self.form_problems()


class ResponsePage(ArticlePage):
    """回应关切: a response to a public concern (热点回应, 辟谣)."""

    concern = models.CharField(_("回应的关切"), max_length=300, blank=True, help_text=_("社会关注的问题或事件。"))

    content_panels = [
        *Page.content_panels,
        PublicationTimePanel(),
        FieldPanel("concern"),
        MultiFieldPanel([FieldPanel("source"), FieldPanel("author"), FieldPanel("summary"),
                         *ArticlePage.catalogue_panels], _("基本信息")),
        FieldPanel("body"),
    ]
    parent_page_types = ["content.ColumnPage"]

    class Meta:
        verbose_name = _("回应关切")
        verbose_name_plural = _("回应关切")


class SpecialTopicPage(ReadableSlugMixin, PublishGuardMixin, Page):
    """专题专栏: a topic page grouping the items of several columns of its site, and items of its own."""

    base_form_class = ConflictCheckedPageForm  # 编辑冲突 (content/conflicts.py)

    intro = models.TextField(_("专题介绍"), blank=True)
    source_columns = ParentalManyToManyField(
        ColumnPage, verbose_name=_("汇集的栏目"), blank=True, related_name="special_topics",
        help_text=_("本网站的栏目；专题列出这些栏目中的信息。"))
    is_active = models.BooleanField(_("进行中"), default=True, help_text=_("专题结束后取消勾选，作为历史专题保留。"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("source_columns"),
                      FieldPanel("is_active")]
    parent_page_types = ["content.HomePage", "content.ColumnPage"]
    subpage_types = ["content.ArticlePage", "content.PolicyDocumentPage", "content.InterpretationPage",
                     "content.ResponsePage"]
    page_size = 20

    class Meta:
        verbose_name = _("专题专栏")
        verbose_name_plural = _("专题专栏")

    def clean(self) -> None:
        super().clean()
        parent = self.get_parent() if self.path else None
        site_path = (self.path or (parent.path if parent else ""))[: self.steplen * 2]
        if site_path and self.pk:
            foreign = [c.title for c in self.source_columns.all() if not c.path.startswith(site_path)]
            if foreign:
                raise ValidationError({"source_columns": _("只能汇集本网站的栏目：%(names)s 不属于本网站。")
                                       % {"names": "、".join(foreign)}})

    def items(self) -> models.QuerySet[ArticlePage]:
        """The live public items of its own and of its source columns, newest first."""
        condition = models.Q(path__startswith=self.path)
        site_path = self.path[: self.steplen * 2]  # the site's home page: a topic never lists another site
        for column in self.source_columns.filter(path__startswith=site_path):
            condition |= models.Q(path__startswith=column.path)
        return (ArticlePage.objects.filter(condition).exclude(pk=self.pk).live().public()
                .order_by("-published_at", "-id"))

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = Paginator(self.items(), self.page_size).get_page(request.GET.get("page"))
        return context


class IndexNumberCounter(models.Model):
    """索引号序号: the last sequence number given to one organ in one year (one row per organ and year,
    locked while a number is taken)."""

    organ_code = models.CharField(_("机构代码"), max_length=32)
    year = models.PositiveSmallIntegerField(_("年份"))
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("索引号序号")
        verbose_name_plural = _("索引号序号")
        constraints = [models.UniqueConstraint(fields=["organ_code", "year"], name="content_index_counter_unique")]

    def __str__(self) -> str:
        return f"{self.organ_code}/{self.year}: {self.last}"


@register_setting(icon="view")
class SiteAppearance(BaseSiteSetting):
    """站点外观: logo, colours and footer text of one hosted site; set in the admin, not in code."""

    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("标志")
    )
    primary_colour = models.CharField(
        _("主色调"), max_length=7, default="#9b1c1c", help_text=_("十六进制颜色，如 #9b1c1c；须与白色文字对比度不低于 4.5:1。")
    )
    accent_colour = models.CharField(_("辅助色"), max_length=7, default="#1f3a68")
    banner_text = models.CharField(_("页头副标题"), max_length=100, blank=True)
    footer_text = models.TextField(_("页脚附加文字"), blank=True)

    panels = [
        FieldPanel("logo"),
        FieldPanel("primary_colour"),
        FieldPanel("accent_colour"),
        FieldPanel("banner_text"),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = _("站点外观")
        verbose_name_plural = _("站点外观")

    def clean(self) -> None:
        from .colours import contrast_ratio, is_hex_colour

        for field in ("primary_colour", "accent_colour"):
            value = getattr(self, field)
            if not is_hex_colour(value):
                raise ValidationError({field: _("请输入 #RRGGBB 格式的颜色。")})
            if contrast_ratio(value, "#ffffff") < 4.5:
                raise ValidationError({field: _("该颜色与白色文字的对比度低于 4.5:1，不满足无障碍要求。")})


def next_index_number(organ_code: str, year: int) -> str:  # 索引号
    """Take the next 索引号 of an organ in a year. The counter row is locked (select_for_update) while the
    number is taken, so two publications at once get two numbers; a number already used by an imported item
    is skipped."""
    with transaction.atomic():
        counter, _created = IndexNumberCounter.objects.select_for_update().get_or_create(
            organ_code=organ_code, year=year)
        while True:
            counter.last += 1
            number = f"{organ_code}/{year:04d}-{counter.last:05d}"
            if not ArticlePage.objects.filter(index_number=number).exists():
                break
        counter.save(update_fields=["last"])
    return number
