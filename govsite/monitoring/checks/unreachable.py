"""站点无法访问 (site unreachable), for this one scan.

The national veto is a ratio over 7 days of ≥20 probes a day (`MonitorRules.availability_veto_ratio`); that
needs stored probes and comes with the availability job. Here a homepage that did not answer in this scan is a
veto-level finding so that it is seen at once. A 4xx homepage counts too: a reader gets no site either way.
"""

from __future__ import annotations

from ..contract import MonitorFinding, Severity, SiteScan
from ..rules import DEFAULT_RULES, MonitorRules


class UnreachableCheck:
    name = "unreachable"
    codes = ("unreachable", "cannot_judge")  # the finding codes it reports (core.findings)

    def run(self, scan: SiteScan, rules: MonitorRules = DEFAULT_RULES) -> list[MonitorFinding]:
        homepage = scan.homepage
        if homepage is None:
            return [
                MonitorFinding(
                    check="unreachable",
                    severity=Severity.VETO,
                    url=scan.site_url,
                    detail="站点无法访问：未取得首页",
                    on_homepage=True,
                )
            ]
        if homepage.error == "offsite_redirect":
            # Not read as the site (监测抓取安全): what the registered address shows is another site's.
            return [
                MonitorFinding(
                    check="cannot_judge",
                    severity=Severity.WARN,
                    url=homepage.url,
                    detail=f"无法判定：首页跳转到其他网站（{homepage.final_url}），未作为本站检查",
                    status="无法判定",
                    on_homepage=True,
                )
            ]
        if homepage.error == "too_large" and homepage.status is not None and homepage.status < 400:
            return []  # it answered: the page_size check reports it (页面过大)
        if homepage.error or homepage.status is None or homepage.status >= 400:
            status = homepage.error or str(homepage.status or "")
            return [
                MonitorFinding(
                    check="unreachable",
                    severity=Severity.VETO,
                    url=homepage.url,
                    detail=f"站点无法访问：首页访问失败（{status or '无响应'}）",
                    status=status,
                    on_homepage=True,
                )
            ]
        return []


check = UnreachableCheck()
