"""栏目不更新 and 空白栏目 (stale and blank columns), with the three column veto rules of §2.1 / §9 items 12–14.

Judged on the site model (`sitemodel.site_model`): columns come from the registry when it lists them
(`scan.columns`: name → {"url", "update_class"}, the supervisor's corrections), otherwise from the homepage's
navigation and its blocks led to by 更多 links (see `sitemodel.discover_columns`). Only columns with an
update class count (see `rules.classify_column`). A column whose listing was not fetched (not in the scan, or
no answer) is 无法判定 with the reason, a warning; one whose listing answers an HTTP error is unreachable.

Per column, from its list page in the scan:
- 空白栏目 (blank): a list column with no dated item and no item link, or one that only says 暂无信息;
  a static/interaction/service column with (almost) no content text.
- 栏目不更新 (stale): a timed column (news, notice, plan) whose newest dated item is older than its class
  limit, or that has items but none dated (items without a date count as not updated).
A blank column is reported as blank only, not also as stale: the 2019 rules do not count one gap twice.

Veto (column_veto), each reported once with its counts:
(1) stale news + notice columns ≥ `stale_veto_count`;
(2) 应更新但长期未更新 — stale timed columns plus blank columns (blank columns are in that scope, §2.1) —
    ≥ `should_update_stale_veto`;
(3) blank columns ≥ `blank_column_veto`.
"""

from __future__ import annotations

import re

from ..contract import FetchedPage, MonitorFinding, Severity, SiteScan
from ..html import is_html
from ..rules import DEFAULT_RULES, NEWS, NOTICE, PLAN, SPECIAL, UPDATE_CLASS_LABELS, MonitorRules
from ..sitemodel import Column, discover_columns, registry_columns, site_model

__all__ = ["Column", "ColumnsCheck", "check", "discover_columns", "registry_columns"]

_PLACEHOLDER_RE = re.compile(
    r"暂无(?:相关)?(?:信息|内容|数据|记录|文章)|信息正在更新|内容正在更新|正在建设中"
)
_LIST_CLASSES = {NEWS, NOTICE, PLAN, SPECIAL}
# Characters of text that make a column without a list a page of information rather than an empty listing.
ONE_PAGE_MIN_CHARS = 200


def _is_blank(column: Column) -> bool:
    if column.update_class in _LIST_CLASSES:
        if column.dates:
            return False
        if _PLACEHOLDER_RE.search(column.text):
            return True
        # A one-page information column (政府信息公开指南, 机构概况) has its text instead of a list: not blank.
        return not column.items and len("".join(column.text.split())) < ONE_PAGE_MIN_CHARS
    if not column.items and _PLACEHOLDER_RE.search(column.text):
        return True  # a listing that says 暂无信息 is blank whatever its class
    # Static, interaction and service columns are pages of text or links, not dated lists.
    stripped = _PLACEHOLDER_RE.sub("", column.text)
    return len("".join(stripped.split())) < 20


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
        overdue = [c.name for c in stale if c.update_class in (NEWS, NOTICE)]
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
