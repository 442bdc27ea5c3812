"""正文内容块: old rich-text bodies converted without loss, tables surviving an edit, and what the checks read."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from govsite.checks.pagetext import page_texts
from govsite.content.blocks import BodyBlock, body_text
from govsite.content.htmlblocks import blocks_to_text, html_to_blocks
from govsite.content.models import ArticlePage
from govsite.content.tests.builders import add_article, body_form_data
from govsite.testing import client_for, with_site_staff

# A notice as county sites publish them: nested inline tags, a heading, a table with a caption, a header row,
# a cell spanning two rows, a line break in a cell, a link to an attachment in a cell, an image, a document
# link in the text, a wrapper div, loose text and a list.
GOVERNMENT_HTML = """
<p style="text-indent:2em">根据《<b>关于做好<span style="color:red">2026年</span>春耕备耕工作的通知</b>》要求，现将有关事项通知如下：</p>
<h2>一、补贴对象和标准</h2>
<div class="TRS_Editor"><table border="1" cellspacing="0">
<caption>2026年耕地地力保护补贴发放表</caption>
<tbody>
<tr><th>乡镇</th><th>村（社区）</th><th>面积（亩）</th><th>金额（元）</th></tr>
<tr><td rowspan="2">城关镇</td><td>东关村</td><td>1,203.5</td><td>126,367.50<br>（含追加）</td></tr>
<tr><td>西关村</td><td>980</td><td><a linktype="document" id="41">见明细表</a></td></tr>
<tr><td colspan="2">合计</td><td>2,183.5</td><td>229,267.50</td></tr>
</tbody></table></div>
<embed embedtype="image" id="7" alt="春耕现场" format="fullwidth"/>
<h3>二、<span>工作要求</span></h3>
<ul><li>各乡镇于<strong>3月31日</strong>前完成公示；</li><li>联系人：农业农村局 张科长，电话 0771-1234567。</li></ul>
附件下载：<a linktype="document" id="42">补贴申请表.docx</a>
"""


def _letters(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_government_html_converts_without_losing_any_text() -> None:
    stream = html_to_blocks(GOVERNMENT_HTML)
    kinds = [block["type"] for block in stream]
    assert kinds == ["paragraph", "heading", "table", "paragraph", "image", "heading", "paragraph"]
    source_text = _letters(re.sub(r"<[^>]+>", "", GOVERNMENT_HTML))
    converted = _letters(blocks_to_text(stream))
    for word in ("2026年春耕备耕工作的通知", "一、补贴对象和标准", "2026年耕地地力保护补贴发放表", "城关镇",
                 "126,367.50", "（含追加）", "见明细表", "二、工作要求", "0771-1234567", "补贴申请表.docx"):
        assert word in converted
    # every character of the source is in the blocks (the table's link text appears twice: cell + link list)
    remaining = converted
    for char in source_text:
        assert char in remaining
        remaining = remaining.replace(char, "", 1)


def test_a_table_keeps_cells_header_caption_and_merged_cells() -> None:
    (table,) = [block["value"] for block in html_to_blocks(GOVERNMENT_HTML) if block["type"] == "table"]
    assert table["table_caption"] == "2026年耕地地力保护补贴发放表"
    assert table["first_row_is_table_header"] is True
    assert table["data"][0] == ["乡镇", "村（社区）", "面积（亩）", "金额（元）"]
    assert table["data"][1] == ["城关镇", "东关村", "1,203.5", "126,367.50\n（含追加）"]
    assert table["data"][2] == ["", "西关村", "980", "见明细表"]  # the spanned cell is hidden, not lost
    assert table["data"][3] == ["合计", "", "2,183.5", "229,267.50"]
    assert {"row": 1, "col": 0, "rowspan": 2, "colspan": 1} in table["mergeCells"]
    assert {"row": 3, "col": 0, "rowspan": 1, "colspan": 2} in table["mergeCells"]


def test_links_images_and_inline_tags_stay_in_rich_text() -> None:
    stream = html_to_blocks(GOVERNMENT_HTML)
    html = "".join(block["value"] for block in stream if block["type"] == "paragraph")
    assert '<a linktype="document" id="41">见明细表</a>' in html  # a table cell's link follows the table
    assert '<a linktype="document" id="42">补贴申请表.docx</a>' in html
    assert "<b>关于做好<span" in html and "<strong>3月31日</strong>" in html and "<li>" in html
    (image,) = [block["value"] for block in stream if block["type"] == "image"]
    assert image == {"image": 7, "alt": "春耕现场", "caption": ""}


def test_the_converted_stream_is_valid_for_the_body_block() -> None:
    value = BodyBlock().to_python(html_to_blocks("<h1>标题</h1><p>正文</p><table><tr><td>甲</td></tr></table>"))
    assert [child.block_type for child in value] == ["heading", "paragraph", "table"]
    assert value[0].value["level"] == "h2"  # the page title is the only h1


@pytest.mark.django_db
def test_html_given_for_a_body_becomes_blocks_and_the_checks_read_the_table_by_rows(mini_region) -> None:  # noqa: ANN001
    site = with_site_staff(mini_region)
    article = add_article(site.column, "联系方式", body="<p>说明</p><table><caption>名单</caption><tr><th>单位</th>"
                                                   "<th>联系电话</th></tr><tr><td>农业农村局</td><td>0771-1234567</td>"
                                                   "</tr></table>")
    article = ArticlePage.objects.get(pk=article.pk)
    assert [child.block_type for child in article.body] == ["paragraph", "table"]
    (text,) = [t for t in page_texts(article) if t.field == "body"]
    assert text.paragraphs == ("说明", "名单", "单位\t联系电话", "农业农村局\t0771-1234567")
    assert "0771-1234567" in body_text(article.body)


@pytest.mark.django_db
def test_personal_data_in_a_table_block_blocks_publication(mini_region) -> None:  # noqa: ANN001
    """The compliance check reads table blocks by rows and columns: distinct mobiles beside a 姓名 column."""
    site = with_site_staff(mini_region)
    with pytest.raises(ValidationError) as caught:
        add_article(site.column, "补贴名单", body="<table><tr><th>姓名</th><th>手机</th></tr>"
                                                "<tr><td>张三</td><td>13912345678</td></tr></table>")
    assert "手机号码" in str(caught.value) and "13912345678" not in str(caught.value)


@pytest.mark.django_db
def test_a_table_survives_an_edit_in_the_admin(mini_region) -> None:  # noqa: ANN001
    """The table's data, header, caption and merged cells come back unchanged after a save in the editor
    (the form posts the table block as the JSON its editor was given)."""
    site = with_site_staff(mini_region)
    article = add_article(site.column, "补贴公示", body=GOVERNMENT_HTML.split("<embed")[0])
    before = ArticlePage.objects.get(pk=article.pk)
    (table_before,) = [dict(c.value) for c in before.body if c.block_type == "table"]
    client = client_for(site.editor)
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    data = {"title": "补贴公示（修订）", "slug": before.slug, "published_at": before.published_at_display, "source": "", "summary": "",
            "go_live_at": "", "expire_at": "", "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000",
            "loaded_revision_id": str(before.latest_revision_id),
            "loaded_revision_created_at": before.latest_revision.created_at.isoformat(), **body_form_data(before.body)}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors.as_json()
    after = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert after.title == "补贴公示（修订）"
    (table_after,) = [dict(c.value) for c in after.body if c.block_type == "table"]
    for key in ("data", "first_row_is_table_header", "table_caption", "mergeCells"):
        assert table_after[key] == table_before[key]
