"""Item types (信息类型): 政策文件 with its catalogue metadata and 有效性, 政策解读 linked both ways, 回应关切, 专题专栏,
and the publication rules they carry (publication_problems)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from govsite.content import catalogue
from govsite.content.models import (
    ArticlePage,
    ColumnPage,
    InterpretationPage,
    PolicyDocumentPage,
    ResponsePage,
    SpecialTopicPage,
)
from govsite.content.tests.builders import add_article, add_column, add_item
from govsite.testing import with_site_staff

pytestmark = pytest.mark.django_db

TABLE_BODY = ("<p>现将补贴标准公布如下。</p><table><caption>补贴标准</caption><tr><th>类别</th><th>标准</th></tr>"
              "<tr><td>一类</td><td>每亩120元</td></tr></table>")


@pytest.fixture
def site(mini_region):  # noqa: ANN001, ANN201
    return with_site_staff(mini_region)


def get_page(client, page):  # noqa: ANN001, ANN201
    site = page.get_site()
    return client.get(page.get_url_parts()[2], HTTP_HOST=site.hostname)


def policy(site, title: str = "关于印发耕地地力保护补贴实施办法的通知", **fields):  # noqa: ANN001, ANN003, ANN201
    values = {"doc_number": "甲政规〔2026〕3号", "topic": "05", "genre": "notice", "issuing_organ": "甲市人民政府",
              "written_date": date(2026, 2, 20), "interpretation_exemption": "", "is_normative": False,
              "published_at": datetime(2026, 3, 1, 1, 30, tzinfo=UTC), "body": TABLE_BODY}
    values.update(fields)
    return add_item(site.column, PolicyDocumentPage, title, **values)


def interpretation(site, target, title: str = "《耕地地力保护补贴实施办法》解读", **fields):  # noqa: ANN001, ANN003, ANN201
    return add_item(site.column, InterpretationPage, title, policy=target, **fields)


def test_a_policy_document_shows_its_catalogue_metadata_and_its_table(client, site) -> None:  # noqa: ANN001
    item = policy(site)
    html = get_page(client, item).content.decode()
    for label, value in (("索引号", item.index_number), ("发布机构", "甲市人民政府"), ("发文字号", "甲政规〔2026〕3号"),
                         ("成文日期", "2026-02-20"), ("发布日期", item.published_at_display),
                         ("主题分类", "农业、林业、水利"), ("体裁", "通知"), ("有效性", "有效")):
        assert f'<th scope="row">{label}</th><td>' in html and value in html, label
    assert "<caption>补贴标准</caption>" in html
    assert '<th scope="col" >类别</th>' in html or '<th scope="col">类别</th>' in html
    assert "<td >每亩120元</td>" in html or "<td>每亩120元</td>" in html
    assert "本文件" not in html.split('class="article-body"')[0].split("catalogue-meta")[0]  # in force: no mark


def test_a_repealed_document_shows_the_mark_and_links_its_replacement_both_ways(client, site) -> None:  # noqa: ANN001
    old = policy(site, "关于耕地补贴的旧办法", doc_number="甲政规〔2020〕1号")
    new = policy(site, "关于耕地补贴的新办法", doc_number="甲政规〔2026〕9号")
    old.validity, old.replaced_by = catalogue.REPEALED, new
    old.save_revision().publish()
    old_html = get_page(client, old).content.decode()
    assert 'class="validity-mark validity-repealed" role="note"' in old_html
    assert "<strong>本文件已废止</strong>" in old_html
    assert "废止本文件的文件：" in old_html and f'href="{new.get_url_parts()[2]}"' in old_html
    new_html = get_page(client, new).content.decode()
    assert "本文件废止了：" in new_html and f'href="{old.get_url_parts()[2]}"' in new_html


def test_a_document_may_expire_without_a_replacement(client, site) -> None:  # noqa: ANN001
    item = policy(site, "到期失效的办法")
    item.validity = catalogue.EXPIRED
    item.full_clean()
    item.save_revision().publish()
    html = get_page(client, item).content.decode()
    assert "<strong>本文件已失效</strong>" in html and "替代本文件的文件" not in html


def test_the_replacing_document_must_be_of_the_same_site(site) -> None:  # noqa: ANN001
    other_home = site.site_b.wagtail_site.root_page.specific
    other_column = add_column(other_home, "乙市文件")
    foreign = add_item(other_column, PolicyDocumentPage, "乙市的文件", interpretation_exemption="无")
    item = policy(site, "甲市的文件")
    item.validity, item.replaced_by = catalogue.REPEALED, foreign
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert caught.value.message_dict["replaced_by"] == ["修改/废止本文件的文件须是本网站的政策文件。"]
    with pytest.raises(ValidationError):
        item.save()  # scripts and revisions too
    assert PolicyDocumentPage.objects.get(pk=item.pk).replaced_by is None


def test_a_document_in_force_has_no_replacement_and_none_replaces_itself(site) -> None:  # noqa: ANN001
    item, other = policy(site, "甲文件"), policy(site, "乙文件")
    item.replaced_by = other
    assert "有效的文件不应填写" in item.replacement_problem()
    item.validity, item.replaced_by = catalogue.AMENDED, item
    assert item.replacement_problem() == "不能选择本文件作为修改/废止本文件的文件。"


def test_policy_and_interpretation_link_each_other(client, site) -> None:  # noqa: ANN001
    item = policy(site)
    reading = interpretation(site, item)
    policy_html = get_page(client, item).content.decode()
    assert "政策解读" in policy_html and f'href="{reading.get_url_parts()[2]}"' in policy_html
    assert "（文字解读）" in policy_html
    reading_html = get_page(client, reading).content.decode()
    assert "解读形式：</span>文字解读" in reading_html
    assert "解读的政策文件：" in reading_html and f'href="{item.get_url_parts()[2]}"' in reading_html


def test_an_interpretation_must_name_a_policy_of_its_own_site(site) -> None:  # noqa: ANN001
    reading = InterpretationPage(title="无文件的解读", slug="reading", body="<p>解读</p>")
    assert reading.policy_problem() == "请选择本解读所解读的政策文件。"
    other_column = add_column(site.site_b.wagtail_site.root_page.specific, "乙市文件")
    foreign = add_item(other_column, PolicyDocumentPage, "乙市的文件", interpretation_exemption="无")
    with pytest.raises(ValidationError):
        site.column.add_child(instance=InterpretationPage(title="跨站解读", slug="cross", body="<p>解读</p>",
                                                          policy=foreign))


def test_graphic_audio_and_video_interpretations_need_their_blocks(site) -> None:  # noqa: ANN001
    item = policy(site)
    graphic = InterpretationPage(title="图解", slug="g", body="<p>只有文字</p>", policy=item, form=catalogue.FORM_GRAPHIC)
    assert graphic.form_problems() == ["图解形式的政策解读须至少包含一张图片（含替代文字）。"]
    audio = InterpretationPage(title="音频", slug="a", body="<p>只有文字</p>", policy=item, form=catalogue.FORM_AUDIO)
    assert audio.form_problems() == ["音频形式的政策解读须包含一个音频内容块（含文字稿）。"]
    audio.body = [{"type": "media", "value": {"kind": "audio", "title": "政策解读音频", "url": "https://example.gov.cn/a.mp3",
                                              "document": None, "transcript": "各位听众……"}}]
    assert audio.form_problems() == []
    video = InterpretationPage(title="视频", slug="v", body=audio.body, policy=item, form=catalogue.FORM_VIDEO)
    assert video.form_problems() == ["视频形式的政策解读须包含一个视频内容块（含文字稿）。"]
    text = InterpretationPage(title="文字", slug="t", body="<p>文字解读</p>", policy=item)
    assert text.form_problems() == [] and text.publication_problems() == []


def test_a_normative_document_needs_a_live_interpretation_or_an_exemption(site) -> None:  # noqa: ANN001
    item = policy(site, is_normative=True, interpretation_exemption="不适用")
    assert item.publication_problems() == []
    item.interpretation_exemption = ""
    assert item.publication_problems() == ["规范性文件须同步发布政策解读，或填写无需解读的理由。"]
    draft = site.column.add_child(instance=InterpretationPage(title="解读草稿", slug="reading-draft",
                                                              body="<p>解读</p>", policy=item, live=False))
    assert item.publication_problems() != []  # a draft interpretation is not published with it
    draft.save_revision().publish()
    assert item.publication_problems() == []
    plain = policy(site, "非规范性文件")
    assert plain.publication_problems() == []


def test_an_empty_column_may_not_be_published(site) -> None:  # noqa: ANN001
    column = site.column.get_parent().add_child(instance=ColumnPage(title="空栏目", slug="empty", live=False))
    assert column.publication_problems() == ["栏目内没有已发布的信息，不能发布空栏目。请先在栏目下发布信息。"]
    sub = column.add_child(instance=ColumnPage(title="下级栏目", slug="sub", live=False))
    item = sub.add_child(instance=ArticlePage(title="信息", slug="item", body="<p>正文</p>", live=False))
    assert column.publication_problems() != []  # a draft item does not count
    item.save_revision().publish()
    assert ColumnPage.objects.get(pk=column.pk).publication_problems() == []


def test_a_response_item_shows_the_concern(client, site) -> None:  # noqa: ANN001
    item = add_item(site.column, ResponsePage, "关于供暖时间的回应", concern="市民关心今冬供暖开始时间")
    html = get_page(client, item).content.decode()
    assert "回应的关切：" in html and "市民关心今冬供暖开始时间" in html


def test_a_special_topic_lists_items_of_its_columns_and_never_another_sites(client, site) -> None:  # noqa: ANN001
    home = site.column.get_parent().specific
    news = add_column(home, "工作动态")
    add_article(news, "专题相关动态")
    add_article(site.column, "专题相关通知")
    foreign_column = add_column(site.site_b.wagtail_site.root_page.specific, "乙市动态")
    add_article(foreign_column, "乙市的信息")
    topic = home.add_child(instance=SpecialTopicPage(title="优化营商环境专题", slug="yshj", intro="专题介绍"))
    topic.source_columns.set([news, site.column, foreign_column])
    with pytest.raises(ValidationError):
        topic.save_revision().publish()  # another site's column is refused
    topic = SpecialTopicPage.objects.get(pk=topic.pk)
    topic.source_columns.set([news, site.column])
    topic.save_revision().publish()
    # Even a link written around the form lists nothing of another site.
    SpecialTopicPage.source_columns.through.objects.create(specialtopicpage=topic, columnpage=foreign_column)
    titles = {item.title for item in SpecialTopicPage.objects.get(pk=topic.pk).items()}
    assert titles == {"专题相关动态", "专题相关通知"}
    html = get_page(client, topic).content.decode()
    assert "专题相关动态" in html and "乙市的信息" not in html
