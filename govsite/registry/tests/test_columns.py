"""栏目校正: the columns a supervisor records in the registry for the monitor, their validation and scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from govsite.core.models import AuditLog
from govsite.registry.models import WebsiteColumn
from govsite.registry.services import column_lines, do_set_website_columns, parse_column_lines

from . import supervisor_of

pytestmark = pytest.mark.django_db

LINES = """
# 甲市人民政府网的监测栏目
政务要闻 | https://www.jia.gov.cn/zwyw/ | 动态要闻
通知公告｜https://xxgk.jia.gov.cn/tzgg/
机构概况\thttps://www.jia.gov.cn/jggk/\t不计
人事信息 | https://www.jia.gov.cn/rsxx/ | 人事
"""


@pytest.fixture
def jia(mini_region):  # noqa: ANN001, ANN201
    mini_region.sup_a = supervisor_of(mini_region.gov_a, "sup_a")
    mini_region.sup_b = supervisor_of(mini_region.gov_b, "sup_b")
    return mini_region


def test_lines_are_read_with_any_separator_and_class_labels_or_none() -> None:
    columns = parse_column_lines(LINES)
    assert [(c["name"], c["update_class"]) for c in columns] == [
        ("政务要闻", "news"), ("通知公告", ""), ("机构概况", "none"), ("人事信息", "plan"),
    ]
    assert columns[1]["url"] == "https://xxgk.jia.gov.cn/tzgg/"


def test_every_bad_line_is_reported_by_number_in_chinese() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_column_lines("政务要闻\n通知公告 | https://www.jia.gov.cn/tzgg/ | 每周\n要闻 | https://x | 动态 | 多余")
    messages = caught.value.message_dict["columns"]
    assert len(messages) == 3
    assert messages[0].startswith("第 1 行：") and "栏目名称 | 栏目地址" in messages[0]
    assert messages[1].startswith("第 2 行：") and "“每周”无法识别" in messages[1]
    assert messages[2].startswith("第 3 行：")


def test_a_supervisor_replaces_the_columns_and_the_change_is_audited(jia) -> None:
    do_set_website_columns(jia.site_a, parse_column_lines(LINES), by=jia.sup_a)
    saved = list(jia.site_a.monitored_columns.values_list("name", "update_class"))
    assert saved == [("政务要闻", "news"), ("通知公告", ""), ("机构概况", "none"), ("人事信息", "plan")]
    do_set_website_columns(jia.site_a, parse_column_lines("政务要闻 | https://www.jia.gov.cn/ywdt/"), by=jia.sup_a)
    assert list(jia.site_a.monitored_columns.values_list("name", "url")) == [
        ("政务要闻", "https://www.jia.gov.cn/ywdt/")
    ]
    audit = AuditLog.objects.filter(event="website.columns").order_by("pk").last()
    assert audit.detail["before"] == ["政务要闻", "通知公告", "机构概况", "人事信息"]
    assert audit.detail["after"] == ["政务要闻"]
    # The text offered for editing reads back as the same columns.
    assert parse_column_lines(column_lines(jia.site_a))[0]["url"] == "https://www.jia.gov.cn/ywdt/"


def test_columns_off_the_site_duplicates_and_bad_urls_save_nothing(jia) -> None:
    do_set_website_columns(jia.site_a, parse_column_lines(LINES), by=jia.sup_a)
    bad = [
        {"name": "政务要闻", "url": "https://www.yi.gov.cn/zwyw/", "update_class": ""},
        {"name": "政务要闻", "url": "https://www.jia.gov.cn/a/", "update_class": ""},
        {"name": "通知", "url": "ftp://www.jia.gov.cn/", "update_class": ""},
        {"name": "很长很长很长很长很长很长很长很长很长很长很长的栏目", "url": "https://www.jia.gov.cn/b/", "update_class": ""},
        {"name": "其他", "url": "https://www.jia.gov.cn/c/", "update_class": "weekly"},
    ]
    with pytest.raises(ValidationError) as caught:
        do_set_website_columns(jia.site_a, bad, by=jia.sup_a)
    text = " ".join(caught.value.message_dict["columns"])
    for expected in ("不在本网站", "重复", "不是有效的网址", "不能超过", "更新类别无效"):
        assert expected in text
    assert jia.site_a.monitored_columns.count() == 4  # all or nothing: the old list stands


def test_another_prefecture_cannot_see_or_set_the_columns(jia) -> None:
    with pytest.raises(Http404):
        do_set_website_columns(jia.site_a, [], by=jia.sup_b)
    client = Client()
    client.force_login(jia.sup_b)
    url = reverse("registry:columns", args=[jia.site_a.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"columns": "政务要闻 | https://www.jia.gov.cn/x/"}).status_code == 404
    assert not WebsiteColumn.objects.exists()


def test_the_admin_form_saves_shows_and_reports_errors(jia) -> None:
    client = Client()
    client.force_login(jia.sup_a)
    url = reverse("registry:columns", args=[jia.site_a.pk])
    response = client.post(url, {"columns": "政务要闻 | https://www.yi.gov.cn/x/"})
    assert response.status_code == 200 and "不在本网站" in response.content.decode()
    response = client.post(url, {"columns": LINES})
    assert response.status_code == 302
    detail = client.get(reverse("registry:detail", args=[jia.site_a.pk])).content.decode()
    assert "https://xxgk.jia.gov.cn/tzgg/" in detail and "按名称判断" in detail and "不计" in detail
    assert "人事/规划计划" in client.get(url).content.decode()  # the form offers the saved list
    client.post(url, {"columns": ""})
    assert jia.site_a.monitored_columns.count() == 0
    assert "从首页导航自动识别" in client.get(reverse("registry:detail", args=[jia.site_a.pk])).content.decode()


def test_the_api_reads_and_replaces_columns_within_scope(jia) -> None:
    import json

    url = f"/api/v1/registry/websites/{jia.site_a.site_code}/columns"
    client = Client()
    client.force_login(jia.sup_a)
    body = [{"name": "政务要闻", "url": "https://www.jia.gov.cn/zwyw/", "update_class": "news"}]
    response = client.put(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and response.json() == body
    assert client.get(url).json() == body
    bad = [{"name": "政务要闻", "url": "https://www.yi.gov.cn/zwyw/"}]
    response = client.put(url, json.dumps(bad), content_type="application/json")
    assert response.status_code == 422 and "不在本网站" in response.json()["detail"]
    assert client.get(url).json() == body
    other = Client()
    other.force_login(jia.sup_b)
    assert other.get(url).status_code == 404
    assert other.put(url, json.dumps([]), content_type="application/json").status_code == 404
    assert jia.site_a.monitored_columns.count() == 1
