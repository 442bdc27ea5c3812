"""栏目不更新 and 空白栏目 (stale and blank columns), with the three column veto rules of §2.1 / §9 items 12–14.

Judged on the site model (`sitemodel.site_model`): columns come from the registry when it lists them
(`scan.columns`: name → {"url", "update_class"}, the supervisor's corrections), otherwise from the homepage's
navigation and its blocks led to by 更多 links (see `sitemodel.discover_columns`). Only columns with an
update class count (see `rules.classify_column`). A column whose listing was not fetched (not in the scan, or
no answer) is 无法判定 with the reason, a warning; one whose listing answers an HTTP error is unreachable.

Per column, from its list page in the scan:
- 空白栏目 (blank): a list column with no dated item whose listing shows only a placeholder (an element
  saying nothing but 暂无信息, 正在建设中, 信息更新中, 敬请期待 …, `sitemodel.shows_placeholder`) or an empty
  list; a static/interaction/service column with (almost) no content text, or only a placeholder. A one-page
  information column with real text (机构概况, 领导简介) is neither blank nor stale.
- 栏目不更新 (stale): a timed column (news, notice, plan) whose newest dated item is older than its class
  limit, or that has items but none dated (items without a date count as not updated).
A blank column is reported as blank only, not also as stale: the 2019 rules do not count one gap twice.

Veto (column_veto), each reported once with its counts:
(1) stale news columns + stale first-level (一级栏目, `Column.first_level`) notice columns ≥ `stale_veto_count`;
(2) 应更新但长期未更新 — stale timed columns plus blank columns (blank columns are in that scope, §2.1) —
    ≥ `should_update_stale_veto`;
(3) blank columns ≥ `blank_column_veto`.
"""

from __future__ import annotations

from ..contract import FetchedPage, MonitorFinding, Severity, SiteScan
from ..html import is_html
from ..rules import DEFAULT_RULES, NEWS, NOTICE, PLAN, SPECIAL, UPDATE_CLASS_LABELS, MonitorRules
from ..sitemodel import PLACEHOLDER_RE, Column, discover_columns, registry_columns, site_model

__all__ = ["Column", "ColumnsCheck", "check", "discover_columns", "registry_columns"]

_LIST_CLASSES = {NEWS, NOTICE, PLAN, SPECIAL}
# Characters of text that make a column without a list a page of information rather than an empty listing.
ONE_PAGE_MIN_CHARS = 200


def _real_chars(text: str) -> int:
    """Characters of a text that are not a placeholder phrase, punctuation or space."""
    return sum(1 for ch in PLACEHOLDER_RE.sub("", text) if ch.isalnum())


def _is_blank(column: Column) -> bool:
    """空白栏目: the listing shows only a placeholder (暂无信息, 正在建设中, 敬请期待 …) or an empty list.

    A one-page information column (机构概况, 领导简介, 政府信息公开指南) has its text instead of a list: it
    is neither blank nor, having no dated items to judge, stale."""
    if column.update_class in _LIST_CLASSES:
        if column.dates:
            return False
        if column.placeholder:
            return True  # the listing says 暂无信息 where its items would be
        return not column.items and _real_chars(column.text) < ONE_PAGE_MIN_CHARS
    if column.items:
        return False
    if column.placeholder and _real_chars(column.text) < ONE_PAGE_MIN_CHARS:
        return True  # a page that says 正在建设中 (besides its heading) is blank whatever its class
    # Static, interaction and service columns are pages of text or links, not dated lists.
    return _real_chars(column.text) < 20


class ColumnsCheck:
    name = "columns"
    codes = ("stale_column", "blank_column", "unreachable_column", "column_veto")  # the finding codes it reports (core.findings)

    def run(self, scan: SiteScan, rules: MonitorRules = DEFAULT_RULES) -> list[MonitorFinding]:
        model = site_model(scan, rules.footer_sample_pages)
        findings: list[MonitorFinding] = []
        blank: list[str] = []
        stale: list[Column] = []
        for column in model.columns:
            if column.update_class is None:
                continue
            page = column.page
            if not column.fetched:
                findings.append(self._unreachable(column, page))
                continue
            if not is_html(page):
                continue
            if _is_blank(column):
                blank.append(column.name)
                findings.append(
                    MonitorFinding(
                        check="blank_column",
                        severity=Severity.DEDUCTION,
                        url=page.url,
                        detail=f"空白栏目：栏目“{column.name}”没有内容",
                        column=column.name,
                    )
                )
                continue
            limit = rules.update_class_limits.get(column.update_class)
            if limit is None:
                continue
            latest = column.latest
            if latest is not None and (scan.as_of - latest).days <= limit:
                continue
            stale.append(column)
            label = UPDATE_CLASS_LABELS[column.update_class]
            since = f"最新信息发布于 {latest}" if latest else "信息均无发布日期"
            findings.append(
                MonitorFinding(
                    check="stale_column",
                    severity=Severity.DEDUCTION,
                    url=page.url,
                    detail=f"栏目不更新：{label}类栏目“{column.name}”{since}，超过 {limit} 天未更新",
                    column=column.name,
                    latest=latest.isoformat() if latest else "",
                )
            )
        findings.extend(self._vetoes(scan, rules, stale, blank))
        return findings

    def _unreachable(self, column: Column, page: FetchedPage | None) -> MonitorFinding:
        if page is None:
            # Not in the scan: the crawl may have stopped at its page limit, so only a warning.
            return MonitorFinding(
                check="unreachable_column",
                severity=Severity.WARN,
                url=column.url,
                detail=f"无法判定：栏目“{column.name}”的页面未抓取，无法判断更新情况",
                column=column.name,
                status="无法判定",
            )
        if page.status is None:
            # No answer at all (timeout, DNS, connection): the machine's problem as likely as the site's.
            return MonitorFinding(
                check="unreachable_column",
                severity=Severity.WARN,
                url=column.url,
                detail=f"无法判定：栏目“{column.name}”的页面未能抓取（{page.error or '无响应'}），无法判断更新情况",
                column=column.name,
                status="无法判定",
            )
        status = page.error or str(page.status or "")
        return MonitorFinding(
            check="unreachable_column",
            severity=Severity.DEDUCTION,
            url=column.url,
            detail=f"栏目“{column.name}”无法访问（{status or '无响应'}）",
            status=status,
            column=column.name,
        )

    def _vetoes(
        self, scan: SiteScan, rules: MonitorRules, stale: list[Column], blank: list[str]
    ) -> list[MonitorFinding]:
        # Veto (1) counts 动态/要闻 columns and the 一级栏目 of 通知公告/政策文件 (§2.2): a sub-column of
        # 政策文件 (政府文件, 政策解读 …) is still a stale_column deduction of its own, but not in this count.
        overdue = [c.name for c in stale if c.update_class == NEWS or (c.update_class == NOTICE and c.first_level)]
        should_update = [c.name for c in stale] + blank
        vetoes = []
        if len(overdue) >= rules.stale_veto_count:
            vetoes.append(
                f"栏目不更新：动态要闻类和通知公告/政策文件类栏目未按时更新共 {len(overdue)} 个"
                f"（≥{rules.stale_veto_count}）：{'、'.join(overdue)}"
            )
        if len(should_update) >= rules.should_update_stale_veto:
            vetoes.append(
                f"栏目不更新：应更新但长期未更新的栏目共 {len(should_update)} 个"
                f"（≥{rules.should_update_stale_veto}）：{'、'.join(should_update)}"
            )
        if len(blank) >= rules.blank_column_veto:
            vetoes.append(
                f"栏目不更新：空白栏目共 {len(blank)} 个（≥{rules.blank_column_veto}）：{'、'.join(blank)}"
            )
        return [
            MonitorFinding(check="column_veto", severity=Severity.VETO, url=scan.site_url, detail=detail)
            for detail in vetoes
        ]


check = ColumnsCheck()
