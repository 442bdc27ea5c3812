"""发布日期 parsing: the date forms of Chinese list pages, year inference, and what is not a date."""

from __future__ import annotations

from datetime import date

import pytest

from govsite.monitoring.dates import dates_in, item_dates, latest_date, newest_item_date

AS_OF = date(2026, 11, 25)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-20",
        "2026/11/20",
        "2026.11.20",
        "2026年11月20日",
        "2026 年 11 月 20 日",
        "２０２６年１１月２０日",
        "２０２６－１１－２０",
        "发布时间：2026-11-20 09:30",
        "2026-11-20T09:30:00",
        "[11-20]",
        "(11/20)",
        "（11-20）",
        "【11.20】",
        "11-20",
        "11月20日",
    ],
)
def test_every_date_form_reads_as_the_same_day(text: str) -> None:
    assert dates_in(text, AS_OF) == [date(2026, 11, 20)]


def test_month_day_after_as_of_belongs_to_last_year_across_new_year() -> None:
    as_of = date(2027, 1, 5)
    assert dates_in("[12-28] 关于做好元旦期间工作的通知", as_of) == [date(2026, 12, 28)]
    assert dates_in("[01-04]", as_of) == [date(2027, 1, 4)]
    assert dates_in("[01-05]", as_of) == [date(2027, 1, 5)]


def test_month_day_needs_as_of() -> None:
    assert dates_in("[11-20]") == []
    assert dates_in("2026-11-20") == [date(2026, 11, 20)]


@pytest.mark.parametrize("text", ["2026-02-30", "2026年13月1日", "[02-30]", "2026/00/10", "2025-02-29"])
def test_impossible_dates_are_rejected(text: str) -> None:
    assert dates_in(text, AS_OF) == []


@pytest.mark.parametrize(
    "text",
    [
        "浙政办发〔2026〕12号",
        "2026年工作要点",
        "联系电话：0571-87051234",
        "咨询电话 010-12345678",
        "手机 13812345678",
        "文件编号 20261120",
        "第1-2条",
        "增长3.5个百分点",
        "版本 1.2.3",
    ],
)
def test_numbers_that_are_not_dates_are_ignored(text: str) -> None:
    assert dates_in(text, AS_OF) == []


def test_dates_are_returned_in_reading_order() -> None:
    text = "2026年3月1日起施行，[11-02] 发布，更新于 2026-11-20"
    assert dates_in(text, AS_OF) == [date(2026, 3, 1), date(2026, 11, 2), date(2026, 11, 20)]


def test_latest_date_ignores_dates_after_as_of() -> None:
    text = "会议将于2026年12月10日召开。发布日期：2026-11-18"
    assert latest_date(text, AS_OF) == date(2026, 11, 18)
    assert latest_date("无日期", AS_OF) is None


def test_item_dates_read_list_items_and_skip_header_and_footer() -> None:
    html = """<html><body>
    <div class="top">今天是2026年11月25日 星期三</div>
    <div class="list"><ul>
      <li><a href="/a.html">关于开展安全生产检查的通知</a><span>2026-11-18</span></li>
      <li><a href="/b.html">市政府召开常务会议</a><span>[11-02]</span></li>
      <li><a href="/c.html">没有日期的信息</a></li>
    </ul>
    <table><tr><td><a href="/d.html">政策文件标题</a></td><td>2026/10/01</td></tr></table>
    <div class="item"><a href="/e.html">用 div 写的列表项</a><span>2026.09.30</span></div>
    </div>
    <div class="footer">更新时间：2026-11-25</div>
    </body></html>"""
    assert item_dates(html, AS_OF) == [
        date(2026, 11, 18),
        date(2026, 11, 2),
        date(2026, 10, 1),
        date(2026, 9, 30),
    ]
    assert newest_item_date(html, AS_OF) == date(2026, 11, 18)


def test_item_dates_of_an_empty_page() -> None:
    assert item_dates("", AS_OF) == []
    assert newest_item_date("<html><body><p>暂无信息</p></body></html>", AS_OF) is None
