"""HTTPS certificate (证书) of the homepage: expiring soon is a warning, expired a deduction.

Judged against `scan.as_of`, the day the scan stands for, so a re-run of an old scan gives the same result.
"""

from __future__ import annotations

from ..contract import MonitorFinding, Severity, SiteScan
from ..rules import DEFAULT_RULES, MonitorRules


class CertificateCheck:
    name = "certificate"
    codes = ("certificate_expired", "certificate_expiring")  # the finding codes it reports (core.findings)

    def run(self, scan: SiteScan, rules: MonitorRules = DEFAULT_RULES) -> list[MonitorFinding]:
        homepage = scan.homepage
        if homepage is None or homepage.tls_expires_at is None:
            return []
        expires = homepage.tls_expires_at.date()
        days = (expires - scan.as_of).days
        if days < 0:
            check_name, severity, detail = (
                "certificate_expired",
                Severity.DEDUCTION,
                f"HTTPS 证书已于 {expires} 过期",
            )
        elif days <= rules.certificate_warn_days:
            check_name, severity, detail = (
                "certificate_expiring",
                Severity.WARN,
                f"HTTPS 证书将于 {expires} 过期（剩余 {days} 天）",
            )
        else:
            return []
        return [
            MonitorFinding(
                check=check_name,
                severity=severity,
                url=homepage.url,
                detail=detail,
                on_homepage=True,
            )
        ]


check = CertificateCheck()
