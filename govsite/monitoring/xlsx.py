"""Excel (.xlsx) exports of 网站监测 results: the dashboard (one row per site) and a run (one row per finding).

The callers choose the rows (``selectors.py``, scoped by ``registry.access``); this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

# Scanned page text is laid out, escaped against formulas, by the shared writer.
from govsite.core.officedocs import XLSX_CONTENT_TYPE, write_xlsx  # noqa: F401 — XLSX_CONTENT_TYPE for views

from .labels import check_label, severity_label

if TYPE_CHECKING:
    from .models import ScanFinding, ScanRun
    from .selectors import SiteRow

DASHBOARD_HEADERS = (
    "网站标识码", "网站名称", "主办单位", "网站状态", "预判结论", "单项否决项", "单项否决问题数", "扣分问题数",
    "提示数", "信息数", "评估日期", "监测时间", "近7天可用率", "近7天探测次数", "近7天失败次数",
)
FINDING_HEADERS = (
    "网站标识码", "网站名称", "评估日期", "检查项", "严重程度", "页面地址", "链接地址", "状态", "位于首页", "栏目",
    "最近更新", "说明", "证据", "发现时间", "出现页面",
)


def _when(value: datetime | None) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return write_xlsx(title, headers, rows)


def export_dashboard(rows: Iterable[SiteRow]) -> bytes:
    """One row per site: its predicted verdict, veto items, counts and 7-day availability."""

    def line(row: SiteRow) -> list[Any]:
        run = row.run
        ratio = row.availability_ratio
        return [
            row.website.site_code,
            row.website.name,
            row.website.owner_unit.name,
            row.website.get_status_display(),
            row.verdict_text,
            "、".join(row.veto_labels),
            run.veto_count if run else "",
            run.deduction_count if run else "",
            run.warn_count if run else "",
            run.info_count if run else "",
            f"{run.as_of:%Y-%m-%d}" if run else "",
            _when(run.finished_at or run.started_at) if run else "",
            f"{ratio:.1%}" if ratio is not None else "",
            row.probes,
            row.failures,
        ]

    return _workbook("网站监测", DASHBOARD_HEADERS, (line(r) for r in rows))


def export_findings(run: ScanRun, findings: Iterable[ScanFinding]) -> bytes:
    """One row per finding of the run, with its evidence (URL, time, excerpt)."""

    def line(finding: ScanFinding) -> list[Any]:
        return [
            run.website.site_code,
            run.website.name,
            f"{run.as_of:%Y-%m-%d}",
            check_label(finding.check_name),
            severity_label(finding.severity),
            finding.url,
            finding.target,
            finding.status,
            "是" if finding.on_homepage else "否",
            finding.column,
            finding.latest,
            finding.detail,
            finding.excerpt,
            _when(finding.found_at),
            "\n".join(finding.pages or []),  # every page a broken link target is on
        ]

    return _workbook("监测发现的问题", FINDING_HEADERS, (line(f) for f in findings))
