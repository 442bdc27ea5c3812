"""栏目不更新 and 空白栏目 (stale and blank columns), with the three column veto rules of §2.1 / §9 items 12–14.

Columns come from the registry when it lists them (`scan.columns`: name → {"url", "update_class"}, the
supervisor's corrections), otherwise from the homepage navigation: links in nav/menu elements (or, failing
those, the first list of at least three short links) with a short Chinese label, on this site, not
首页, not attachments. Only columns with an update class count (see `rules.classify_column`).

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
from dataclasses import dataclass
from datetime import date

from ..contract import FetchedPage, MonitorFinding, Severity, SiteScan
from ..dates import item_dates
from ..rules import (
    DEFAULT_RULES,
    NEWS,
    NOT_COUNTED,
    NOTICE,
    PLAN,
    SPECIAL,
    UPDATE_CLASS_LABELS,
    MonitorRules,
    classify_column,
    normalise_update_class,
)
from ._html import (
    ATTACHMENT_RE,
    absolute,
    content_root,
    content_text,
    has_cjk,
    is_html,
    is_nav,
    is_ok,
    item_links,
    normalise_url,
    parse,
    same_site,
    text_of,
)

_HOME_LABELS = {"首页", "网站首页", "返回首页", "主页"}
_PLACEHOLDER_RE = re.compile(
    r"暂无(?:相关)?(?:信息|内容|数据|记录|文章)|信息正在更新|内容正在更新|正在建设中"
)
_LIST_CLASSES = {NEWS, NOTICE, PLAN, SPECIAL}
_MAX_LABEL = 10


@dataclass(frozen=True, slots=True)
class Column:
    """栏目: a named section of the site with its list page and update class."""

    name: str
    url: str
    update_class: str | None


def discover_columns(homepage: FetchedPage, site_url: str) -> list[Column]:
    """The columns linked from the homepage navigation, in page order."""
    root = parse(homepage.text)
    if root is None:
        return []
    base = homepage.final_url or homepage.url
    containers = [element for element in root.iter() if is_nav(element)]
    if not containers:
        # Navigation without a telling class: the first list of at least three short labels.
        containers = [ul for ul in root.iter("ul") if len(_labelled_links(ul, base, site_url)) >= 3][:1]
    columns: dict[str, Column] = {}
    for container in containers:
        for name, url in _labelled_links(container, base, site_url):
            if name not in columns:
                columns[name] = Column(name, url, classify_column(name))
    return list(columns.values())


def _labelled_links(container, base: str, site_url: str) -> list[tuple[str, str]]:
    links = []
    for link in container.iter("a"):
        name = "".join(text_of(link).split())
        url = absolute(base, link.get("href", ""))
        if not url or not name or name in _HOME_LABELS or len(name) > _MAX_LABEL or not has_cjk(name):
            continue
        if ATTACHMENT_RE.search(url) or not same_site(url, site_url):
            continue
        if normalise_url(url) == normalise_url(site_url):
            continue
        links.append((name, url))
    return links


def registry_columns(hints: dict[str, dict]) -> list[Column]:
    """Columns as the registry lists them; a hint without an update class is classified by its name, and
    one marked NOT_COUNTED (不计) is not judged."""
    columns = []
    for name, hint in hints.items():
        if hint.get("update_class") == NOT_COUNTED:
            update_class = None
        else:
            update_class = normalise_update_class(hint.get("update_class")) or classify_column(name)
        columns.append(Column(name, str(hint.get("url", "")), update_class))
    return columns


def find_page(scan: SiteScan, url: str) -> FetchedPage | None:
    """The scanned page of a URL, tolerant of a trailing slash or index.html."""
    page = scan.page(url)
    if page is not None or not url:
        return page
    wanted = normalise_url(url)
    return next(
        (p for p in scan.pages if wanted in (normalise_url(p.url), normalise_url(p.final_url))),
        None,
    )


def _is_blank(page: FetchedPage, update_class: str, dates: list[date]) -> bool:
    root = parse(page.text)
    if root is None:
        return True
    content = content_root(root)
    text = content_text(root)
    if update_class in _LIST_CLASSES:
        if dates:
            return False
        return bool(_PLACEHOLDER_RE.search(text)) or item_links(content) == 0
    # Static, interaction and service columns are pages of text or links, not dated lists.
    stripped = _PLACEHOLDER_RE.sub("", text)
    return len("".join(stripped.split())) < 20


class ColumnsCheck:
    name = "columns"

    def run(self, scan: SiteScan, rules: MonitorRules = DEFAULT_RULES) -> list[MonitorFinding]:
        if scan.columns:
            columns = registry_columns(scan.columns)
        elif scan.homepage is not None and is_ok(scan.homepage):
            columns = discover_columns(scan.homepage, scan.site_url)
        else:
            return []
        findings: list[MonitorFinding] = []
        blank: list[str] = []
        stale: list[Column] = []
        for column in columns:
            if column.update_class is None:
                continue
            page = find_page(scan, column.url)
            if page is None or not is_ok(page):
                findings.append(self._unreachable(column, page))
                continue
            if not is_html(page):
                continue
            dates = item_dates(page.text, scan.as_of)
            if _is_blank(page, column.update_class, dates):
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
            latest = max(dates, default=None)
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
                detail=f"栏目“{column.name}”的页面未抓取，无法判断更新情况",
                column=column.name,
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
