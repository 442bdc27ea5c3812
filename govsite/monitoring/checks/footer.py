"""页脚必备要素 (required footer items, §9 item 6) on the homepage and a sample of other pages.

Items: 网站标识码 (value `^(\\d{10}|bm\\d{8})$`), 主办单位, ICP备案号 (京ICP备12345678号, -n suffix allowed),
公安机关备案号 (…公网安备 + digits + 号), 党政机关网站标识 (a link or script to conac.cn or an image
named 党政机关), 我为政府网站找错 (text, or the zfwzzc/zfwzgl.www.gov.cn entry). Each missing item of each
sampled page is one deduction finding naming it. The whole page is searched, since many templates mark no
footer element. Judged on the footer facts of the site model (`sitemodel.FooterFacts`), read once per page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..contract import MonitorFinding, Severity, SiteScan
from ..rules import DEFAULT_RULES, MonitorRules
from ..sitemodel import FooterFacts, site_model

_SITE_CODE_VALUE_RE = re.compile(r"^(\d{10}|bm\d{8})$")


def _site_code(facts: FooterFacts) -> str:
    if facts.site_code is None:
        return "缺少网站标识码"
    if not _SITE_CODE_VALUE_RE.match(facts.site_code):
        return f"网站标识码格式不正确：“{facts.site_code}”（应为10位数字或bm加8位数字）"
    return ""


def _missing(label: str, found: Callable[[FooterFacts], bool]) -> Callable[[FooterFacts], str]:
    return lambda facts: "" if found(facts) else f"缺少{label}"


# (item, test returning "" when present or the problem) — the order of §9 item 6.
FOOTER_ITEMS: tuple[tuple[str, Callable[[FooterFacts], str]], ...] = (
    ("党政机关网站标识", _missing("党政机关网站标识", lambda f: f.conac_mark)),
    ("我为政府网站找错", _missing("“我为政府网站找错”入口", lambda f: f.fix_entry)),
    ("网站标识码", _site_code),
    ("ICP备案号", _missing("ICP备案号", lambda f: f.icp is not None)),
    ("公安机关备案号", _missing("公安机关备案号", lambda f: f.police is not None)),
    ("主办单位", _missing("主办单位", lambda f: f.owner is not None)),
)


class FooterCheck:
    name = "footer"
    codes = ("missing_footer_item",)  # the finding codes it reports (core.findings)

    def run(self, scan: SiteScan, rules: MonitorRules = DEFAULT_RULES) -> list[MonitorFinding]:
        findings = []
        for facts in site_model(scan, rules.footer_sample_pages).footers:
            for _item, test in FOOTER_ITEMS:
                problem = test(facts)
                if problem:
                    findings.append(
                        MonitorFinding(
                            check="missing_footer_item",
                            severity=Severity.DEDUCTION,
                            url=facts.url,
                            detail=f"页脚{problem}",
                            on_homepage=facts.is_homepage,
                        )
                    )
        return findings


check = FooterCheck()
