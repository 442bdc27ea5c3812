"""篡改迹象 (tampering signals): 暗链 (hidden links to other sites) and scripts from unknown hosts.

- hidden_link (veto): a link the crawler found inside an element hidden from readers (display:none,
  visibility:hidden, off-screen) that points to another site — the usual shape of injected spam links.
- external_script (warn): a homepage `<script src>` from a host outside the site and the allow list
  (`MonitorRules.script_allow_hosts`) — a possible 挂马 or hijack, for a person to look at.

Comparing served pages with the content the platform published (§9 item 22, hash comparison) needs the
database and comes with the platform-side tamper job; this check only reads the scan.
"""

from __future__ import annotations

from ..contract import MonitorFinding, Severity, SiteScan
from ..html import host, same_site
from ..rules import DEFAULT_RULES, MonitorRules


def _allowed(target_host: str, allow: tuple[str, ...]) -> bool:
    return any(target_host == h or target_host.endswith("." + h) for h in allow)


class TamperingSignalsCheck:
    name = "tampering_signals"
    codes = ("hidden_link", "external_script")  # the finding codes it reports (core.findings)

    def run(self, scan: SiteScan, rules: MonitorRules = DEFAULT_RULES) -> list[MonitorFinding]:
        findings: list[MonitorFinding] = []
        seen: set[tuple[str, str]] = set()
        for page in scan.pages:
            for link in page.links:
                if not link.hidden or link.internal or same_site(link.target, scan.site_url):
                    continue
                if ("hidden_link", link.target) in seen:
                    continue
                seen.add(("hidden_link", link.target))
                findings.append(
                    MonitorFinding(
                        check="hidden_link",
                        severity=Severity.VETO,
                        url=page.url,
                        detail=f"疑似暗链：隐藏元素中链接到外部网站 {host(link.target)}",
                        target=link.target,
                        on_homepage=page.is_homepage,
                        excerpt=link.text,
                    )
                )
        homepage = scan.homepage
        for link in homepage.links if homepage else []:
            if link.tag != "script" or link.internal or same_site(link.target, scan.site_url):
                continue
            if _allowed(host(link.target), rules.script_allow_hosts) or ("script", link.target) in seen:
                continue
            seen.add(("script", link.target))
            findings.append(
                MonitorFinding(
                    check="external_script",
                    severity=Severity.WARN,
                    url=homepage.url,
                    detail=f"首页引用外部脚本（{host(link.target)}），不在允许列表中，请核实是否被植入",
                    target=link.target,
                    on_homepage=True,
                )
            )
        return findings


check = TamperingSignalsCheck()
