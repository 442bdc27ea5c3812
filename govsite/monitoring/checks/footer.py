"""页脚必备要素 (required footer items, §9 item 6) on the homepage and a sample of other pages.

Items: 网站标识码 (value `^(\\d{10}|bm\\d{8})$`), 主办单位, ICP备案号 (京ICP备12345678号, -n suffix allowed),
公安机关备案号 (…公网安备 + digits + 号), 党政机关网站标识 (a link or script to conac.cn or an image
named 党政机关), 我为政府网站找错 (text, or the zfwzzc/zfwzgl.www.gov.cn entry). Each missing item of each
sampled page is one deduction finding naming it. The whole page is searched, since many templates mark no
footer element.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..contract import FetchedPage, MonitorFinding, Severity, SiteScan
from ..rules import DEFAULT_RULES, MonitorRules
from ._html import is_html, is_ok, parse, text_of

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_SITE_CODE_RE = re.compile(r"网站标识码\s*[:：]?\s*([A-Za-z0-9]*)")
_SITE_CODE_VALUE_RE = re.compile(r"^(\d{10}|bm\d{8})$")
_OWNER_RE = re.compile(r"主办单位|主办\s*[:：]")
_ICP_RE = re.compile(rf"[{_PROVINCES}]\s*ICP\s*备\s*\d+\s*号(?:\s*-\s*\d+)?", re.I)
_POLICE_RE = re.compile(rf"[{_PROVINCES}]?\s*公网安备\s*\d+\s*号?")
_FIX_HOSTS = ("zfwzzc.www.gov.cn", "zfwzgl.www.gov.cn")


class _Footer:
    """What a page offers: its visible text and every href/src with the alt/title texts."""

    def __init__(self, page: FetchedPage) -> None:
        root = parse(page.text)
        self.text = text_of(root) if root is not None else ""
        self.urls: list[str] = []
        self.labels: list[str] = []
        if root is not None:
            for element in root.iter("a", "img", "script", "iframe"):
                self.urls.append(f"{element.get('href', '')} {element.get('src', '')}".lower())
                self.labels.append(f"{element.get('alt', '')} {element.get('title', '')}")


def _site_code(footer: _Footer) -> str:
    match = _SITE_CODE_RE.search(footer.text)
    if match is None:
        return "缺少网站标识码"
    if not _SITE_CODE_VALUE_RE.match(match.group(1)):
        return f"网站标识码格式不正确：“{match.group(1)}”（应为10位数字或bm加8位数字）"
    return ""


def _missing(label: str, found: Callable[[_Footer], bool]) -> Callable[[_Footer], str]:
    return lambda footer: "" if found(footer) else f"缺少{label}"


# (item, test returning "" when present or the problem) — the order of §9 item 6.
FOOTER_ITEMS: tuple[tuple[str, Callable[[_Footer], str]], ...] = (
    (
        "党政机关网站标识",
        _missing(
            "党政机关网站标识",
            lambda f: any("conac.cn" in u for u in f.urls) or any("党政机关" in label for label in f.labels),
        ),
    ),
    (
        "我为政府网站找错",
        _missing(
            "“我为政府网站找错”入口",
            lambda f: "我为政府网站找错" in f.text or any(h in u for u in f.urls for h in _FIX_HOSTS),
        ),
    ),
    ("网站标识码", _site_code),
    ("ICP备案号", _missing("ICP备案号", lambda f: bool(_ICP_RE.search(f.text)))),
    ("公安机关备案号", _missing("公安机关备案号", lambda f: bool(_POLICE_RE.search(f.text)))),
    ("主办单位", _missing("主办单位", lambda f: bool(_OWNER_RE.search(f.text)))),
)


def sample_pages(scan: SiteScan, others: int) -> list[FetchedPage]:
    """The homepage and the first `others` other HTML pages that answered, shallow pages first."""
    pages = [p for p in scan.pages if is_ok(p) and is_html(p) and "/__govsite_probe_" not in p.url]
    homepage = [p for p in pages if p.is_homepage]
    rest = sorted((p for p in pages if not p.is_homepage), key=lambda p: p.depth)
    return homepage + rest[:others]


class FooterCheck:
    name = "footer"

    def run(self, scan: SiteScan, rules: MonitorRules = DEFAULT_RULES) -> list[MonitorFinding]:
        findings = []
        for page in sample_pages(scan, rules.footer_sample_pages):
            footer = _Footer(page)
            for _item, test in FOOTER_ITEMS:
                problem = test(footer)
                if problem:
                    findings.append(
                        MonitorFinding(
                            check="missing_footer_item",
                            severity=Severity.DEDUCTION,
                            url=page.url,
                            detail=f"页脚{problem}",
                            on_homepage=page.is_homepage,
                        )
                    )
        return findings


check = FooterCheck()
