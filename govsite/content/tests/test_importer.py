"""迁移导入 (`govsite content import`): original dates kept and audited, bad lines reported by number, nothing
imported from a file with errors unless --skip-bad, nothing imported twice."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from govsite.content.models import ArticlePage, PolicyDocumentPage
from govsite.content.tests.builders import add_article
from govsite.core.models import AuditLog
from govsite.testing import with_site_staff

pytestmark = pytest.mark.django_db

POLICY = {"title": "关于印发甲市政府网站管理办法的通知", "body": "<p>各县（区）人民政府：</p><h2>第一章 总则</h2>"
          "<table><tr><th>条目</th><th>内容</th></tr><tr><td>第一条</td><td>为规范政府网站管理……</td></tr></table>",
          "published_at": "2019-07-01 09:30", "source": "甲市人民政府办公室", "doc_number": "甲政办发〔2019〕12号",
          "index_number": "000014349/2019-00012", "category": "综合政务"}
NEWS = {"title": "甲市召开2019年春耕生产工作会议", "body": "<p>3月5日，甲市召开春耕生产工作会议。</p>",
        "published_at": "2019-03-05T10:00:00+08:00", "category": "05"}
NOTICE = {"title": "关于公布补贴名单的通知", "body": "<p>现将名单公布如下。</p>", "published_at": "2018-12-20",
          "attachments": [{"title": "补贴名单", "path": "files/list.txt"},
                          {"title": "原网站附件", "url": "http://old.example.gov.cn/a.doc"}]}


@pytest.fixture
def site(mini_region):  # noqa: ANN001, ANN201
    return with_site_staff(mini_region)


def write(tmp_path: Path, *lines: object) -> str:
    (tmp_path / "files").mkdir(exist_ok=True)
    (tmp_path / "files" / "list.txt").write_text("序号\t单位\n1\t甲市农业农村局\n", encoding="utf-8")
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
                              for line in lines) + "\n", encoding="utf-8")
    return str(path)


def run(site, path: str, *, skip_bad: bool = False) -> tuple[str, str]:  # noqa: ANN001
    out, err = io.StringIO(), io.StringIO()
    call_command("content", "import", path, site=site.site_a.site_code, column="notices", skip_bad=skip_bad,
                 stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def imported(site) -> list[ArticlePage]:  # noqa: ANN001
    return list(ArticlePage.objects.descendant_of(site.column).filter(import_key__isnull=False).specific())


def test_an_import_keeps_original_dates_metadata_and_attachments_and_says_so(site, tmp_path) -> None:  # noqa: ANN001
    out, err = run(site, write(tmp_path, POLICY, NEWS, NOTICE))
    assert "导入 3 条信息" in out and "100%" in err
    items = {item.title: item for item in imported(site)}
    policy = items[POLICY["title"]]
    assert isinstance(policy, PolicyDocumentPage) and policy.live
    assert policy.published_at == datetime(2019, 7, 1, 1, 30, tzinfo=UTC)  # 09:30 Beijing time, kept
    assert policy.doc_number == "甲政办发〔2019〕12号" and policy.index_number == "000014349/2019-00012"
    assert policy.topic == "01" and policy.source == "甲市人民政府办公室"
    assert [c.block_type for c in policy.body] == ["paragraph", "heading", "table"]
    news = items[NEWS["title"]]
    assert news.published_at == datetime(2019, 3, 5, 2, 0, tzinfo=UTC) and news.topic == "05"
    assert news.index_number.startswith(f"{site.site_a.site_code}/2019-")  # a catalogue item gets one, of 2019
    notice = items[NOTICE["title"]]
    attachment = next(c.value for c in notice.body if c.block_type == "attachment")
    assert attachment["title"] == "补贴名单" and attachment["document"].collection.name == site.site_a.site_code
    assert any('href="http://old.example.gov.cn/a.doc"' in c.value.source for c in notice.body
               if c.block_type == "paragraph")
    entry = AuditLog.objects.get(event="content.import")
    assert entry.username == "system" and entry.detail["kept_original_published_at"] is True
    assert entry.detail["imported"] == 3 and "保留原发布时间" in entry.detail["note"]


def test_running_the_same_import_again_imports_nothing_twice(site, tmp_path) -> None:  # noqa: ANN001
    path = write(tmp_path, POLICY, NEWS)
    run(site, path)
    out, _err = run(site, path)
    assert "导入 0 条信息，已导入过的 2 条未重复导入" in out
    assert len(imported(site)) == 2


def test_bad_lines_are_reported_by_number_and_nothing_is_imported(site, tmp_path) -> None:  # noqa: ANN001
    future = {**NEWS, "title": "将来的信息", "published_at": "2099-01-01 08:00"}
    path = write(tmp_path, POLICY, "{不是 JSON", {**NEWS, "title": ""}, future, {**NEWS, "title": "分类错误",
                                                                              "category": "宇宙事务"},
                 {**NOTICE, "attachments": [{"title": "缺文件", "path": "files/none.pdf"}]}, NEWS, NEWS)
    with pytest.raises(CommandError) as caught:
        run(site, path)
    assert "未导入任何信息" in str(caught.value)
    assert imported(site) == []
    _out, err = _run_capturing(site, path)
    for expected in ("第 2 行：不是有效的 JSON。", "第 3 行：缺少标题（title）。", "第 4 行：发布时间“2099-01-01 08:00”晚于当前时间",
                     "第 5 行：主题分类“宇宙事务”不在国务院公文主题分类中", "第 6 行：第 1 个附件的文件“files/none.pdf”不存在。",
                     "第 8 行：与第 7 行是同一条信息"):
        assert expected in err, expected


def _run_capturing(site, path: str) -> tuple[str, str]:  # noqa: ANN001
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("content", "import", path, site=site.site_a.site_code, column="notices", stdout=out,
                     stderr=err)
    return out.getvalue(), err.getvalue()


def test_skip_bad_imports_the_good_lines_and_reports_the_rest(site, tmp_path) -> None:  # noqa: ANN001
    out, err = run(site, write(tmp_path, POLICY, "[1, 2]", NEWS), skip_bad=True)
    assert "导入 2 条信息" in out and "跳过有问题的行 1 行" in out
    assert "第 2 行：应为一个 JSON 对象" in err
    assert {item.title for item in imported(site)} == {POLICY["title"], NEWS["title"]}


def test_an_item_the_compliance_check_refuses_is_a_refused_line(site, tmp_path) -> None:  # noqa: ANN001
    personal = {**NEWS, "title": "公示名单", "body": "<p>申请人张三，身份证号 110105199001010021，手机 13912345678。</p>"}
    path = write(tmp_path, POLICY, personal)
    _out, err = _run_capturing(site, path)
    assert "第 2 行：未通过内容检查或发布规则，未导入" in err and "110105199001010021" not in err
    assert imported(site) == []  # the whole import rolled back
    out, err = run(site, path, skip_bad=True)
    assert "导入 1 条信息" in out and [item.title for item in imported(site)] == [POLICY["title"]]


def test_an_index_number_used_by_another_item_is_a_bad_line(site, tmp_path) -> None:  # noqa: ANN001
    existing = add_article(site.column, "本站已有的文件")
    ArticlePage.objects.filter(pk=existing.pk).update(index_number=POLICY["index_number"])
    _out, err = _run_capturing(site, write(tmp_path, POLICY))
    assert "第 1 行：索引号“000014349/2019-00012”已被本平台的其他信息使用。" in err
    assert imported(site) == []


@pytest.mark.parametrize(("options", "message"), [
    ({"site": "9999999999", "column": "notices"}, "网站标识码“9999999999”不在网站基本信息库中。"),
    ({"column": "nowhere"}, "没有标识为“nowhere”的栏目。"),
])
def test_an_unknown_site_or_column_is_refused_in_chinese(site, tmp_path, options: dict, message: str) -> None:  # noqa: ANN001
    arguments = {"site": site.site_a.site_code, **options}
    with pytest.raises(CommandError) as caught:
        call_command("content", "import", write(tmp_path, NEWS), stdout=io.StringIO(), stderr=io.StringIO(),
                     **arguments)
    assert message in str(caught.value)
