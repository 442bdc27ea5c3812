"""链接可用性 (broken links): every link target of the scanned pages that answered ≥ 400 or not at all.

Judged on the site model's link targets: each broken target is ONE finding, counted once, carrying every
page it appears on (`pages`, in scan order; `url` is the first of them) and `on_homepage` when the homepage
is one of them (§9 item 16 counts homepage and other pages apart). Attachments that cannot be downloaded
(附件无法下载) are said so in the detail: 办事 guides must offer downloadable forms. When the machine reaches
no outside host at all (every outside host failed DNS/connect), external links are not broken but 未检查:
one informational finding says how many were not checked.

A link that never resolves is broken though its first answer was a 3xx: a redirect loop (重定向循环), more
redirects than the fetcher follows (重定向次数过多), or a redirect to a host that does not answer
(重定向目标无法访问); `status` and `detail` give that reason in Chinese.
"""

from __future__ import annotations

from ..contract import MonitorFinding, Severity, SiteScan
from ..rules import DEFAULT_RULES, MonitorRules
from ..sitemodel import site_model

# Failures reported by their Chinese reason rather than the fetcher's error name (an HTTP status stays a number).
FAILURE_REASONS: dict[str, str] = {
    "redirect_loop": "重定向循环",
    "too_many_redirects": "重定向次数过多",
    "redirect_unreachable": "重定向目标无法访问",
    "timeout": "访问超时",
    "connect_error": "无法连接",
    "dns_error": "域名无法解析",
    "tls_error": "HTTPS 证书或加密连接错误",
    "protocol_error": "响应不符合 HTTP 协议",
    "decode_error": "内容无法解码",
    "too_large": "页面过大",
}


class BrokenLinksCheck:
    name = "broken_links"
    codes = ("broken_link", "external_links_unchecked")  # the finding codes it reports (core.findings)

    def run(self, scan: SiteScan, rules: MonitorRules = DEFAULT_RULES) -> list[MonitorFinding]:
        model = site_model(scan, rules.footer_sample_pages)
        findings: list[MonitorFinding] = []
        for target in model.broken():
            status = FAILURE_REASONS.get(target.failure, target.failure)
            what = "附件无法下载" if target.attachment else "链接无法访问"
            where = "首页" if target.on_homepage else "页面"
            label = f"“{target.text}”" if target.text else ""
            also = f"，出现在 {len(target.pages)} 个页面" if len(target.pages) > 1 else ""
            findings.append(
                MonitorFinding(
                    check="broken_link",
                    severity=Severity.DEDUCTION,
                    url=target.pages[0],
                    detail=f"{where}{what}：{label}{target.target}（{status}）{also}",
                    target=target.target,
                    status=status,
                    on_homepage=target.on_homepage,
                    pages=tuple(target.pages),
                )
            )
        unchecked = model.unchecked_external()
        if unchecked:
            hosts = sorted({t.target.split("/")[2] for t in unchecked if t.target.count("/") >= 2})
            findings.append(
                MonitorFinding(
                    check="external_links_unchecked",
                    severity=Severity.INFO,
                    url=scan.site_url,
                    detail=(
                        f"外部链接未检查：本机无法访问任何外部网站（{'、'.join(hosts[:5])} 等均无法解析或连接），"
                        f"{len(unchecked)} 个外部链接未检查，不计为不可用链接"
                    ),
                    status="未检查",
                    pages=tuple(t.target for t in unchecked),
                )
            )
        return findings


check = BrokenLinksCheck()
