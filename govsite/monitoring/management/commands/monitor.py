"""`govsite monitor scan URL`: scan one website now and print what a spot check would find (网站监测)."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsite.core.access import SYSTEM
from govsite.monitoring.contract import MonitorFinding, Severity, SiteScan
from govsite.monitoring.labels import check_label, severity_label


class Command(BaseCommand):
    help = (
        "网站监测。scan：立即扫描一个网站（首页、栏目、链接、页脚、内容合规），按国家抽查指标输出发现的问题。"
        "退出码：0 无问题，1 有问题，2 用法错误。"
    )
    # An ad-hoc scan needs no database: skip the checks so it also runs where none is reachable.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        scan = sub.add_parser("scan", help="扫描一个网站")
        scan.add_argument("url", help="网站首页地址，如 https://www.example.gov.cn/")
        scan.add_argument("--max-pages", type=int, default=200, help="最多抓取的页面数（默认 200）")
        scan.add_argument("--max-depth", type=int, default=None,
                          help="最大抓取深度（默认不限：抓取整个网站直至 --max-pages；栏目分页不计深度）")
        scan.add_argument("--as-of", default="", help="按该日期（YYYY-MM-DD）评估更新情况，默认今天")
        scan.add_argument("--format", choices=["text", "json"], default="text", help="输出格式（默认 text）")
        scan.add_argument("--timeout", type=float, default=600, help="整个扫描的时限（含检查），秒（默认 600）")
        scan.add_argument("--allow-private", action="store_true",
                          help="允许连接该网站自身的内网或本机地址（内网网站、演示、测试）；默认不连接任何内网、"
                               "本机或云平台元数据地址，元数据地址始终不连接")
        run = sub.add_parser("run", help="扫描基本信息库中的网站并保存监测记录")
        run.add_argument("--site", default="", help="只扫描该网站标识码的网站，默认扫描全部运行、整改中的网站")
        run.add_argument("--as-of", default="", help="按该日期（YYYY-MM-DD）评估更新情况，默认今天")
        run.add_argument("--max-pages", type=int, default=200, help="每个网站最多抓取的页面数（默认 200）")
        run.add_argument("--max-depth", type=int, default=None,
                         help="最大抓取深度（默认不限：抓取整个网站直至 --max-pages；栏目分页不计深度）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "run":
            self._run(options)
            return
        url = options["url"]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CommandError(f"网址无效：{url}（应以 http:// 或 https:// 开头）", returncode=2)
        if options["max_pages"] < 1 or (options["max_depth"] is not None and options["max_depth"] < 0):
            raise CommandError("--max-pages 至少为 1，--max-depth 不能为负数。", returncode=2)
        as_of = _as_of(options)

        from django.conf import settings

        from govsite.monitoring.crawler import scan_site
        from govsite.monitoring.engine import run_checks

        scan = scan_site(url, max_pages=options["max_pages"], max_depth=options["max_depth"], as_of=as_of,
                         scan_timeout=options["timeout"], allow_private=options["allow_private"],
                         max_page_bytes=getattr(settings, "GOVSITE_MONITOR_MAX_PAGE_BYTES", 2_000_000))
        scan.as_of = as_of
        findings = run_checks(scan)
        if options["format"] == "json":
            self._print_json(findings, scan)
        else:
            self._print_text(findings, scan)
        self.stdout.flush()
        if findings:
            sys.exit(1)

    def _run(self, options: dict[str, Any]) -> None:
        """`monitor run`: scan registered sites now, one after another, and record each run (监测记录)."""
        from govsite.monitoring.models import RunStatus
        from govsite.monitoring.services import do_scan_website, scannable_websites
        from govsite.registry.models import Website

        as_of = _as_of(options)
        if options["max_pages"] < 1:
            raise CommandError("--max-pages 至少为 1。", returncode=2)
        if options["max_depth"] is not None and options["max_depth"] < 0:
            raise CommandError("--max-depth 不能为负数。", returncode=2)
        depth = {} if options["max_depth"] is None else {"max_depth": options["max_depth"]}
        websites = scannable_websites()
        if options["site"]:
            website = Website.objects.filter(site_code=options["site"]).first()
            if website is None:
                raise CommandError(f"基本信息库中没有网站标识码为 {options['site']} 的网站。", returncode=2)
            websites = websites.filter(pk=website.pk)
            if not websites.exists():
                self.stdout.write(f"{website.site_code} {website.name}：状态为“{website.get_status_display()}”，跳过。")
                return
        websites = list(websites.order_by("site_code"))
        if len(websites) > 1:
            from govsite.monitoring.engine import prepare_process

            prepare_process()
        for i, website in enumerate(websites, 1):
            self.stdout.write(f"[{i}/{len(websites)}] {website.site_code} {website.name} {website.homepage_url} …")
            self.stdout.flush()
            run = do_scan_website(website, by=SYSTEM, as_of=as_of, max_pages=options["max_pages"], **depth)
            if run.status == RunStatus.FAILED:
                self.stdout.write(f"    扫描失败：{run.error}")
                continue
            verdict = (
                "可能不合格（单项否决：" + "、".join(run.veto_labels) + "）" if run.veto_items else "未发现单项否决问题"
            )
            self.stdout.write(
                f"    结论：{verdict}　问题 {run.findings_total} 项，抓取页面 {run.pages_fetched} 个，"
                f"用时 {run.elapsed:.1f} 秒"
            )
        self.stdout.write(f"共扫描 {len(websites)} 个网站。")

    def _summary(self, findings: list[MonitorFinding], scan: SiteScan) -> dict[str, Any]:
        vetoes = sorted({f.check for f in findings if f.severity == Severity.VETO})
        return {
            "url": scan.site_url,
            "as_of": scan.as_of.isoformat(),
            "pages_fetched": scan.pages_fetched,
            "links_checked": scan.links_checked,
            "elapsed_seconds": round(scan.elapsed, 2),
            "complete": scan.complete,
            "findings": len(findings),
            "veto_items": vetoes,
            **_score_summary(findings, scan.site_url),
        }

    def _print_json(self, findings: list[MonitorFinding], scan: SiteScan) -> None:
        for finding in findings:
            self.stdout.write(json.dumps(finding.as_dict(), ensure_ascii=False))
        self.stdout.write(json.dumps({"summary": self._summary(findings, scan)}, ensure_ascii=False))

    def _print_text(self, findings: list[MonitorFinding], scan: SiteScan) -> None:
        summary = self._summary(findings, scan)
        vetoes = "、".join(check_label(code) for code in summary["veto_items"])
        verdict = f"可能不合格（单项否决：{vetoes}）" if vetoes else "未发现单项否决问题"
        self.stdout.write(f"网站：{scan.site_url}　评估日期：{summary['as_of']}　结论：{verdict}")
        for finding in findings:
            where = finding.column or finding.target or finding.url
            extra = f"　状态：{finding.status}" if finding.status else ""
            latest = f"　最近更新：{finding.latest}" if finding.latest else ""
            self.stdout.write(
                f"[{severity_label(finding.severity)}] {check_label(finding.check)}（{finding.check}）"
                f"　{where}{extra}{latest}"
                f"\n    {finding.detail}"
            )
        if summary["score"] is None:
            self.stdout.write(f"预测得分：{summary['verdict_label']}（单项否决，不计分）")
        else:
            deducted = "、".join(f"{d['label']} {d['points']:g} 分" for d in summary["deductions"].values())
            self.stdout.write(f"预测得分：{summary['score']:g} 分（{summary['verdict_label']}）"
                              + (f"　扣分：{deducted}" if deducted else ""))
        partial = "" if scan.complete else "（扫描超时，结果不完整）"
        self.stdout.write(
            f"共抓取页面 {summary['pages_fetched']} 个，检查链接 {summary['links_checked']} 个，"
            f"用时 {summary['elapsed_seconds']} 秒，发现问题 {summary['findings']} 项{partial}。"
        )


def _score_summary(findings: list[MonitorFinding], site_url: str) -> dict[str, Any]:
    """预测得分 under the newest default indicator set (the 2019 检查指标 unless supervisors saved a new version):
    `verdict` (pass/fail), `score` (None when a veto item fails the site), `deductions` per indicator."""
    from django.db import DatabaseError

    from govsite.registry.models import Website
    from govsite.supervision.indicator_sets import default_definition
    from govsite.supervision.predictions import current_set, score_findings
    from govsite.supervision.scoring import indicator_table

    try:
        definition = current_set().definition
        website = Website.objects.filter(homepage_url=site_url).first()
    except DatabaseError:  # a scan without a migrated database still scores under the shipped set
        definition, website = default_definition(), None
    result = score_findings(findings, website, definition)
    labels = {code: entry.get("label", code) for code, entry in indicator_table(definition).items()}
    return {
        "verdict": result.verdict,
        "verdict_label": result.verdict_label,
        "score": None if result.score is None else float(result.score),
        "vetoes": [{"indicator": code, "label": labels.get(code, code)} for code in result.vetoes],
        "deductions": {
            code: {"label": labels.get(code, code), "points": float(points)}
            for code, points in result.deductions.items()
        },
    }


def _as_of(options: dict[str, Any]) -> date:
    """--as-of (YYYY-MM-DD), today without it."""
    if not options["as_of"]:
        return date.today()
    try:
        return date.fromisoformat(options["as_of"])
    except ValueError:
        raise CommandError(f"--as-of 日期格式应为 YYYY-MM-DD：{options['as_of']}", returncode=2) from None
