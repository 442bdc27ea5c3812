"""`govsite spotcheck create|show`: 抽查 from the command line (as the system actor)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from govsite.core.access import SYSTEM


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} 应为日期，格式 YYYY-MM-DD：{value}", returncode=2) from None


def _messages(exc: ValidationError) -> str:
    return "；".join(str(message) for message in exc.messages)


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


class Command(BaseCommand):
    help = (
        "网站抽查。create：按行政区划分层抽样（门户网站全部抽查）并逐个检测；"
        "show：输出一次抽查的结果（得分、合格率，按地市和网站类型）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="创建一次抽查并检测抽中的网站")
        create.add_argument("--region", required=True, help="抽查范围的行政区划代码，如 990000")
        create.add_argument("--ratio", required=True, help="抽查比例，大于 0 且不超过 1，如 0.34")
        create.add_argument("--seed", required=True, help="随机种子（整数）：相同的网站、比例和种子抽中相同的网站")
        create.add_argument("--as-of", default="", help="评估日期（YYYY-MM-DD），默认今天")
        create.add_argument("--period-start", default="", help="抽查期间起（YYYY-MM-DD），默认评估日期所在月的第一天")
        create.add_argument("--period-end", default="", help="抽查期间止（YYYY-MM-DD），默认评估日期")
        create.add_argument("--name", default="", help="抽查名称，默认“<地区>政府网站抽查（<日期>）”")
        create.add_argument("--max-pages", type=int, default=200, help="每个网站最多抓取的页面数（默认 200）")
        create.add_argument("--no-scan", action="store_true", help="只抽样，不检测")
        show = sub.add_parser("show", help="输出一次抽查的结果")
        show.add_argument("id", help="抽查编号")
        show.add_argument("--format", choices=["text", "json"], default="text", help="输出格式（默认 text）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self._create(options)
        else:
            self._show(options)

    # -- create ---------------------------------------------------------------------------------------------

    def _create(self, options: dict[str, Any]) -> None:
        from govsite.core.models import Region
        from govsite.supervision.campaigns import (
            do_create_campaign,
            parse_ratio,
            parse_seed,
            scan_campaign_site,
        )
        from govsite.supervision.scoring import VERDICT_LABELS

        region = Region.objects.filter(code=options["region"].strip()).first()
        if region is None:
            raise CommandError(f"没有行政区划代码为 {options['region']} 的地区。", returncode=2)
        try:
            ratio = parse_ratio(options["ratio"])
            seed = parse_seed(options["seed"])
        except ValidationError as exc:
            raise CommandError(_messages(exc), returncode=2) from None
        if options["max_pages"] < 1:
            raise CommandError("--max-pages 至少为 1。", returncode=2)
        as_of = _day(options["as_of"], "--as-of") if options["as_of"] else timezone.localdate()
        start = _day(options["period_start"], "--period-start") if options["period_start"] else as_of.replace(day=1)
        end = _day(options["period_end"], "--period-end") if options["period_end"] else as_of
        try:
            campaign = do_create_campaign(by=SYSTEM, region=region, name=options["name"], period_start=start,
                                          period_end=end, as_of=as_of, ratio=ratio, seed=seed)
        except ValidationError as exc:
            raise CommandError(_messages(exc), returncode=2) from None
        sites = list(campaign.sites.select_related("website").order_by("website__site_code"))
        self.stdout.write(f"抽查 {campaign.pk}：{campaign.name}　比例 {ratio}　种子 {seed}　评估日期 {as_of}")
        for row in campaign.strata:
            self.stdout.write(f"    {row['label']}：共 {row['population']} 个，抽中 {row['sampled']} 个")
        if options["no_scan"]:
            self.stdout.write(f"已抽中 {len(sites)} 个网站，未检测。抽查编号：{campaign.pk}")
            return
        if len(sites) > 1:
            from govsite.monitoring.engine import prepare_process

            prepare_process()
        for i, site in enumerate(sites, 1):
            website = site.website
            self.stdout.write(f"[{i}/{len(sites)}] {website.site_code} {website.name} …")
            self.stdout.flush()
            site = scan_campaign_site(site, max_pages=options["max_pages"])
            if site.scan_error:
                self.stdout.write(f"    检测失败：{site.scan_error}")
                continue
            pending = site.findings.count()
            verdict = VERDICT_LABELS.get(site.verdict, "—")
            self.stdout.write(f"    结论：{verdict}（按已确认问题）　待核实问题 {pending} 项")
        summary = self._summary(campaign)
        rate = summary.get("pass_rate")
        shown = "—" if rate is None else f"{rate}%"
        self.stdout.write(f"抽查编号：{campaign.pk}　合格率（按已确认问题）：{shown}")

    # -- show -----------------------------------------------------------------------------------------------

    def _campaign(self, value: str) -> Any:
        from govsite.supervision.models import Campaign

        try:
            return Campaign.objects.select_related("region", "indicator_set").get(pk=int(value))
        except (ValueError, Campaign.DoesNotExist):
            raise CommandError(f"没有编号为 {value} 的抽查。", returncode=2) from None

    def _summary(self, campaign: Any) -> dict[str, Any]:
        """合格率 (percent) overall, by 地市 and by website type, from `summary.campaign_summary`."""
        from govsite.supervision.summary import campaign_summary

        summary = campaign_summary(campaign).as_dict()
        return {key: summary[key] for key in ("pass_rate", "by_prefecture", "by_type", "problems_by_category")}

    def _history(self, campaign: Any) -> list[dict[str, Any]]:
        """合格率 of every campaign of the same region, oldest first."""
        from govsite.supervision.models import Campaign
        from govsite.supervision.summary import pass_rate_history

        return [
            {"id": past.pk, "name": past.name, "as_of": past.as_of.isoformat(), "status": past.status,
             "pass_rate": _num(rate)}
            for past, rate in pass_rate_history(Campaign.objects.filter(region=campaign.region))
        ]

    def _data(self, campaign: Any) -> dict[str, Any]:
        from govsite.supervision.models import FindingState

        sites = []
        for site in campaign.sites.select_related("website").order_by("website__site_code"):
            states = {state: 0 for state in FindingState.values}
            for state in site.findings.values_list("state", flat=True):
                states[state] += 1
            sites.append({
                "site_code": site.website.site_code,
                "name": site.website.name,
                "stratum": site.stratum,
                "scan_state": site.scan_state,
                "verdict": site.verdict,
                "score": _num(site.score),
                "deductions": {code: float(Decimal(points)) for code, points in site.deductions.items()},
                "vetoes": list(site.vetoes),
                "findings": states,
            })
        return {
            "id": campaign.pk,
            "name": campaign.name,
            "region": {"code": campaign.region.code, "name": campaign.region.name},
            "ratio": float(campaign.ratio),
            "seed": campaign.seed,
            "as_of": campaign.as_of.isoformat(),
            "period": [campaign.period_start.isoformat(), campaign.period_end.isoformat()],
            "indicator_set": {"name": campaign.indicator_set.name, "version": campaign.indicator_set.version},
            "status": campaign.status,
            "strata": campaign.strata,
            "sites": sites,
            **self._summary(campaign),
            "history": self._history(campaign),
        }

    def _show(self, options: dict[str, Any]) -> None:
        from govsite.supervision.scoring import VERDICT_LABELS

        campaign = self._campaign(options["id"])
        data = self._data(campaign)
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        rate = data["pass_rate"]
        self.stdout.write(f"抽查 {data['id']}：{data['name']}（{campaign.get_status_display()}）")
        self.stdout.write(f"范围 {data['region']['name']}　比例 {campaign.ratio}　种子 {data['seed']}　"
                          f"评估日期 {data['as_of']}　指标体系 {campaign.indicator_set}")
        self.stdout.write("合格率：" + ("—" if rate is None else f"{rate}%"))
        for row in data["by_prefecture"] + data["by_type"]:
            share = "—" if row["pass_rate"] is None else f"{row['pass_rate']}%"
            self.stdout.write(f"    {row['label']}：{row['passed']}/{row['total']} 合格，合格率 {share}")
        if len(data["history"]) > 1:
            self.stdout.write("历次抽查合格率：" + "；".join(
                f"{row['as_of']} {'—' if row['pass_rate'] is None else str(row['pass_rate']) + '%'}"
                for row in data["history"]))
        for site in data["sites"]:
            verdict = VERDICT_LABELS.get(site["verdict"], "未评定")
            score = "—" if site["score"] is None else f"{site['score']:.2f}"
            f = site["findings"]
            self.stdout.write(f"{site['site_code']} {site['name']}　{verdict}　得分 {score}　"
                              f"问题：已确认 {f['confirmed']}，待核实 {f['pending']}，已排除 {f['rejected']}")

