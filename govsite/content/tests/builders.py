"""Page builders for the public-page tests: columns and articles published the way editors publish them."""

from __future__ import annotations

import itertools
import json
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text

from govsite.content.blocks import PARAGRAPH_FEATURES, BodyBlock, html_as_stream
from govsite.content.models import (
    ArticlePage,
    ColumnPage,
    SiteAppearance,
    UpdateClass,
    keeping_original_published_at,
)

_slugs = itertools.count(1)


def _block_form_value(kind: str, value: Any) -> Any:
    if kind == "paragraph":
        return rich_text(value.source, features=PARAGRAPH_FEATURES)
    if kind == "table":
        return json.dumps(value, ensure_ascii=False)
    if kind == "heading":
        return {"level": value["level"], "text": value["text"]}
    if kind == "image":
        return {"image": str(value["image"].pk) if value["image"] else "", "alt": value["alt"], "caption": value["caption"]}
    if kind == "attachment":
        return {"document": str(value["document"].pk) if value["document"] else "", "title": value["title"]}
    return {"kind": value["kind"], "title": value["title"], "url": value["url"] or "",
            "document": str(value["document"].pk) if value["document"] else "", "transcript": value["transcript"]}


def body_stream(body: Any) -> dict:
    """A body (HTML or blocks) as the editor's form posts it, for `nested_form_data({"body": …})`: what
    Wagtail's StreamField widget builds in the browser from the blocks."""
    value = BodyBlock().to_python(html_as_stream(body)) if isinstance(body, str) else body
    data: dict[str, Any] = {}
    for index, child in enumerate(value):
        data[str(index)] = {"type": child.block_type, "value": _block_form_value(child.block_type, child.value),
                            "deleted": "", "order": str(index), "id": child.id or ""}
    data["count"] = str(len(value))
    return data


def body_form_data(body: Any, name: str = "body") -> dict[str, str]:
    """The flat POST data of a body field (see `body_stream`)."""
    return nested_form_data({name: body_stream(body)})


def keep_given_time(published_at: datetime | None) -> AbstractContextManager:
    """Tests that build a history (a column last updated 40 days ago) publish items at a given past time, the
    way the migration import does; without a time the system sets it."""
    return keeping_original_published_at() if published_at is not None else nullcontext()


def add_column(
    parent: Page,
    title: str,
    *,
    slug: str | None = None,
    keywords: str = "",
    description: str = "",
    update_class: str = UpdateClass.NEWS,
    show_in_menus: bool = True,
    show_on_homepage: bool = True,
) -> ColumnPage:
    column = parent.add_child(
        instance=ColumnPage(
            title=title,
            slug=slug or f"column-{next(_slugs)}",
            keywords=keywords,
            description=description,
            update_class=update_class,
            show_in_menus=show_in_menus,
            show_on_homepage=show_on_homepage,
        )
    )
    column.save_revision().publish()
    return column


def add_article(
    column: ColumnPage,
    title: str,
    *,
    published_at: datetime | None = None,
    body: str = "<p>正文。</p>",
    source: str = "",
    summary: str = "",
    slug: str | None = None,
) -> ArticlePage:
    article = ArticlePage(
        title=title,
        slug=slug or f"article-{next(_slugs)}",
        published_at=published_at or timezone.now(),
        body=body,
        source=source,
        summary=summary,
        live=False,
    )
    article = column.add_child(instance=article)
    with keep_given_time(published_at):
        article.save_revision().publish()
    article.refresh_from_db()
    return article


def add_item(column: Page, model: type[ArticlePage], title: str, *, published_at: datetime | None = None,
             body: str = "<p>正文。</p>", **fields: Any) -> ArticlePage:
    """Publish an item of any type (政策文件, 政策解读 …) in a column, as `add_article` does."""
    item = model(title=title, slug=f"item-{next(_slugs)}", published_at=published_at or timezone.now(), body=body,
                 live=False, **fields)
    item = column.add_child(instance=item)
    with keep_given_time(published_at):
        item.save_revision().publish()
    return model.objects.get(pk=item.pk)


NEWS_BODY = """
<p>3月5日上午，自治区人民政府召开常务会议，传达学习全国两会精神，研究部署优化营商环境、推进政务服务“一网通办”等重点工作。</p>
<h2>一、会议主要内容</h2>
<p>会议指出，要坚持以人民为中心的发展思想，持续深化“放管服”改革，加快数字政府建设，让企业和群众办事更便捷、更高效。</p>
<ul>
<li>全面推行政务服务事项清单管理，年底前实现高频事项“最多跑一次”；</li>
<li>推进政府网站集约化建设，统一信息资源库和用户认证；</li>
<li>加强政府信息公开，及时回应社会关切。</li>
</ul>
<h2>二、重点任务分工</h2>
<table>
<caption>重点任务分工表</caption>
<thead><tr><th scope="col">序号</th><th scope="col">任务</th><th scope="col">牵头单位</th><th scope="col">完成时限</th></tr></thead>
<tbody>
<tr><td>1</td><td>编制政务服务事项清单</td><td>自治区政务服务管理局</td><td>2026年6月</td></tr>
<tr><td>2</td><td>政府网站集约化平台上线</td><td>自治区人民政府办公厅</td><td>2026年9月</td></tr>
<tr><td>3</td><td>政府信息公开年度报告</td><td>各市人民政府</td><td>2027年1月</td></tr>
</tbody>
</table>
<p>会议要求，各地各部门要压实责任，细化措施，确保各项任务按期完成。</p>
"""

NOTICE_BODY = """
<p>各市人民政府，自治区各委、办、厅、局：</p>
<p>根据国家有关规定，结合我区实际，现就2026年清明节放假安排通知如下：4月4日至6日放假调休，共3天。</p>
<p>节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置。</p>
"""

NEWS_TITLES = [
    "自治区人民政府召开常务会议 研究部署优化营商环境工作",
    "全区政务服务“一网通办”能力提升行动启动",
    "自治区召开春季农业生产工作电视电话会议",
    "我区2025年地区生产总值同比增长5.6%",
    "甲市推进城市更新行动 改造老旧小区120个",
    "自治区领导调研重点项目建设情况",
    "全区安全生产工作会议召开",
]
NOTICE_TITLES = [
    "关于2026年清明节放假安排的通知",
    "关于开展2026年政府网站抽查工作的通知",
    "关于公开征求《示范自治区优化营商环境条例（草案）》意见的公告",
    "关于做好2026年春季森林草原防火工作的通知",
]
POLICY_TITLES = [
    "示范自治区人民政府关于印发数字政府建设实施方案的通知",
    "示范自治区人民政府办公厅关于进一步加强政府网站管理的通知",
    "示范自治区人民政府关于促进民营经济发展壮大的若干措施",
]


def build_demo_content(website, *, articles_per_column: int = 3) -> dict:  # noqa: ANN001
    """A hosted site with realistic columns and articles (paragraphs, a list, a table with <th>, no images).

    Much quicker than `govsite demo`; the interaction tests in test_accessibility.py use it.
    """
    website.address = "示范市人民大道1号"
    website.contact_email = "webmaster@sf.gov.cn"
    website.save()
    site = website.wagtail_site
    home = site.root_page.specific
    home.intro = "示范自治区人民政府门户网站，发布政务信息，提供政务服务，回应社会关切。"
    home.save_revision().publish()
    appearance = SiteAppearance.for_site(site)
    appearance.banner_text = "政务公开 · 政务服务 · 互动交流"
    appearance.footer_text = "建议使用1366×768以上分辨率浏览本网站"
    appearance.save()

    now = timezone.now().replace(second=0, microsecond=0)
    news = add_column(home, "要闻动态", slug="news", keywords="要闻,政务动态", description="自治区政务要闻与工作动态")
    notices = add_column(home, "通知公告", slug="notices", keywords="通知,公告", update_class=UpdateClass.NOTICE)
    policies = add_column(home, "政策文件", slug="policies", keywords="政策,文件", update_class=UpdateClass.NOTICE)
    regional = add_column(policies, "自治区政府文件", slug="regional", show_in_menus=False)
    add_column(policies, "部门文件", slug="departmental", show_in_menus=False)
    empty = add_column(home, "政策解读", slug="interpretation", update_class=UpdateClass.NOTICE)
    add_column(home, "互动交流", slug="interaction", update_class=UpdateClass.INTERACTION)

    articles = []
    for i, title in enumerate(NEWS_TITLES[:articles_per_column]):
        articles.append(add_article(news, title, published_at=now - timedelta(hours=7 * i), body=NEWS_BODY,
                                    source="自治区人民政府办公厅", summary="会议研究部署优化营商环境等重点工作。"))
    for i, title in enumerate(NOTICE_TITLES[:articles_per_column]):
        add_article(notices, title, published_at=now - timedelta(days=2 * i + 1), body=NOTICE_BODY,
                    source="自治区人民政府办公厅")
    for i, title in enumerate(POLICY_TITLES[:articles_per_column]):
        add_article(regional, title, published_at=now - timedelta(days=5 * i + 3), body=NOTICE_BODY)
    return {"home": home, "news": news, "empty": empty, "policies": policies, "article": articles[0]}


def _site_collection(home: Page):  # noqa: ANN202
    from wagtail.models import Collection

    from govsite.content.access import website_for_page

    return Collection.objects.get(name=website_for_page(home).site_code, depth=2)


def make_image(home: Page, title: str = "政策图解"):  # noqa: ANN201
    """A small PNG in the site's collection (for image blocks)."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", (320, 180), (31, 58, 104)).save(buffer, "PNG")
    image = get_image_model()(title=title, collection=_site_collection(home))
    image.file.save("tujie.png", ImageFile(buffer, name="tujie.png"), save=False)
    image.save()
    return image


def make_document(home: Page, title: str = "补贴申请表"):  # noqa: ANN201
    """A small text document in the site's collection (for attachment blocks)."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model()(title=title, collection=_site_collection(home))
    document.file.save("shenqingbiao.txt", ContentFile("申请表\n单位：\n".encode()), save=False)
    document.save()
    return document


def build_item_type_pages(home: Page) -> dict[str, Page]:
    """One live page of each item type on a site (政策文件 in force and repealed, 图解 and 视频 解读, 回应关切, 专题专栏),
    with every kind of body block, for the public-page and accessibility tests."""
    from govsite.content import catalogue
    from govsite.content.models import InterpretationPage, PolicyDocumentPage, ResponsePage, SpecialTopicPage

    column = add_column(home, "政策文件库", slug=f"zcwjk-{next(_slugs)}", update_class=UpdateClass.NOTICE)
    image, document = make_image(home), make_document(home)
    policy_body = [
        {"type": "paragraph", "value": "<p>各县（区）人民政府，市直各单位：</p><p>现将《耕地地力保护补贴实施办法》印发给你们，请认真贯彻执行。</p>"},
        {"type": "heading", "value": {"level": "h2", "text": "一、补贴标准"}},
        {"type": "table", "value": {"data": [["类别", "标准（元/亩）"], ["水田", "120"], ["旱地", "95"]],
                                    "first_row_is_table_header": True, "first_col_is_header": False,
                                    "table_caption": "补贴标准表", "mergeCells": [], "cell": []}},
        {"type": "attachment", "value": {"document": document.pk, "title": "补贴申请表"}},
    ]
    old = add_item(column, PolicyDocumentPage, "关于耕地地力保护补贴的暂行办法", body=policy_body,
                   doc_number="示政规〔2020〕1号", topic="05", genre="rules", issuing_organ="示范自治区人民政府",
                   interpretation_exemption="已被新办法废止")
    # A 规范性文件 goes live only with a live 解读: drafted first, published after its interpretations.
    new = column.add_child(instance=PolicyDocumentPage(
        title="耕地地力保护补贴实施办法", slug=f"item-{next(_slugs)}", body=policy_body, doc_number="示政规〔2026〕3号",
        topic="05", genre="rules", issuing_organ="示范自治区人民政府", is_normative=True, interpretation_exemption="",
        written_date=timezone.localdate(), live=False))
    new.save_revision()
    reading_body = [
        {"type": "paragraph", "value": "<p>一图读懂耕地地力保护补贴实施办法。</p>"},
        {"type": "image", "value": {"image": image.pk, "alt": "补贴对象、标准和申领流程示意图", "caption": "补贴申领流程"}},
    ]
    graphic = column.add_child(instance=InterpretationPage(
        title="图解：耕地地力保护补贴实施办法", slug=f"tujie-{next(_slugs)}", body=reading_body, policy=new,
        form=catalogue.FORM_GRAPHIC, live=False))
    graphic.save_revision().publish()
    video = column.add_child(instance=InterpretationPage(
        title="视频解读：补贴怎么领", slug=f"shipin-{next(_slugs)}", policy=new, form=catalogue.FORM_VIDEO, live=False,
        body=[{"type": "media", "value": {"kind": "video", "title": "补贴怎么领", "document": None,
                                          "url": "https://www.example.gov.cn/media/butie.mp4",
                                          "transcript": "大家好，今天介绍耕地地力保护补贴的申领办法。"}}]))
    video.save_revision().publish()
    PolicyDocumentPage.objects.get(pk=new.pk).get_latest_revision().publish()
    old = PolicyDocumentPage.objects.get(pk=old.pk)
    old.validity, old.replaced_by = catalogue.REPEALED, PolicyDocumentPage.objects.get(pk=new.pk)
    old.save_revision().publish()
    response = add_item(column, ResponsePage, "关于今冬供暖时间的回应", concern="市民关心今冬供暖开始时间",
                        body="<p>经研究，今冬供暖自11月1日开始。</p>")
    topic = home.add_child(instance=SpecialTopicPage(title="优化营商环境专题", slug=f"yshj-{next(_slugs)}",
                                                     intro="汇集优化营商环境的政策和动态。", live=False))
    topic.source_columns.set([column])
    topic.save_revision().publish()
    return {
        "policy document": PolicyDocumentPage.objects.get(pk=new.pk),
        "repealed policy document": PolicyDocumentPage.objects.get(pk=old.pk),
        "graphic interpretation": graphic, "video interpretation": video, "response": response,
        "special topic": SpecialTopicPage.objects.get(pk=topic.pk),
    }
