"""内容正确性 (content): the compliance engine (govsite.checks) run on every page and attachment text.

Mapping of detector kinds to monitor findings (the severity is the spot-check weight, decided here):

    id_card, bank_card, passport   personal_data   veto   泄露个人信息: an identity or card number readable by
                                                          anyone must come down at once
    mobile                         personal_data   warn   mobile numbers are often published on purpose
                                                          (联系人 of a notice); a reviewer decides
    landline, email, uscc          —               —      office phones, mailboxes and 统一社会信用代码 are
                                                          public information
    secret_marking                 secret_marking  veto   泄露国家秘密 (§2.2)
    sensitive_word block           sensitive_word  veto   反动/暴力/色情 content (§2.2), to be verified by a person
    sensitive_word warn            sensitive_word  warn
    protected_term                 protected_term  veto   严重表述错误 (misspelt leader names, formulations)
    typo                           typo            warn

The same finding text on many pages (a footer, a sidebar) is reported once, with the number of pages.
Excerpts are ~15 characters either side, with every personal identifier masked (govsite.checks.redact).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govsite.checks.contract import CheckContext
from govsite.checks.contract import Severity as CheckSeverity
from govsite.checks.defaults import default_lexicon
from govsite.checks.engine import check_text
from govsite.checks.redact import redact_text

from ..contract import FetchedPage, MonitorFinding, Severity, SiteScan
from ..html import is_ok, out_of_time, visible_text
from ..rules import DEFAULT_RULES, MonitorRules

_EXCERPT_SIDE = 15
_VETO_PERSONAL = {"id_card", "bank_card", "passport"}
_DETECTORS = {
    "id_card",
    "bank_card",
    "passport",
    "mobile",
    "secret_marking",
    "sensitive_word",
    "protected_term",
    "typo",
}
# Detectors needed only so that their matches are masked in excerpts.
_MASK_ONLY = {"landline", "email"}


def _classify(kind: str, severity: str) -> tuple[str, str] | None:
    """(finding check, monitor severity) of a compliance finding, None for kinds not reported."""
    if kind in _VETO_PERSONAL:
        # A number the engine only doubts (an unlabelled 15-digit number: `warn`) is no veto evidence.
        return "personal_data", Severity.VETO if severity == CheckSeverity.BLOCK else Severity.WARN
    if kind == "mobile":
        return "personal_data", Severity.WARN
    if kind in ("secret_marking", "protected_term"):
        return kind, Severity.VETO
    if kind == "sensitive_word":
        return kind, Severity.VETO if severity == CheckSeverity.BLOCK else Severity.WARN
    if kind == "typo":
        return kind, Severity.WARN
    return None


_DETAILS = {
    "personal_data": "疑似泄露个人信息",
    "secret_marking": "疑似发布涉密或内部资料",
    "sensitive_word": "疑似违规内容（敏感词）",
    "protected_term": "疑似严重表述错误",
    "typo": "疑似错别字",
}


@dataclass
class _Occurrence:
    check: str
    severity: str
    url: str
    rule: str
    suggestion: str
    excerpt: str
    on_homepage: bool
    urls: set[str] = field(default_factory=set)


class ContentCheck:
    name = "content"
    codes = ("personal_data", "secret_marking", "sensitive_word", "protected_term", "typo")  # the finding codes it reports (core.findings)

    def run(self, scan: SiteScan, rules: MonitorRules = DEFAULT_RULES) -> list[MonitorFinding]:
        context = CheckContext(lexicon=rules.lexicon or default_lexicon())
        occurrences: dict[tuple[str, str], _Occurrence] = {}
        # Chrome text already checked on this site → the occurrences found in it, so that a later page with
        # the same header or footer is counted without checking that text again.
        chrome_seen: dict[str, list[tuple[str, str]]] = {}
        for page in scan.pages:
            if out_of_time():
                break  # the engine reports 超时
            if not is_ok(page) or not page.text:
                continue
            # (text, the chrome text it is, or None for the page's own text)
            if page.content_text is None:  # not split by the crawler: the whole text, as a reader sees it
                parts: list[tuple[str, str | None]] = [(visible_text(page), None)]
            else:
                parts = [(page.content_text, None)]
                for chrome in page.chrome_texts:
                    if chrome in chrome_seen:
                        for key in chrome_seen[chrome]:
                            occurrences[key].urls.add(page.url)
                    else:
                        chrome_seen[chrome] = []
                        parts.append((chrome, chrome))
            for text, chrome in parts:
                text = text[: rules.content_max_chars]
                if not text:
                    continue
                keys = self._check(text, page, context, occurrences)
                if chrome is not None:
                    chrome_seen[chrome].extend(keys)
        return [self._finding(o) for o in occurrences.values()]

    def _check(
        self, text: str, page: FetchedPage, context: CheckContext, occurrences: dict[tuple[str, str], _Occurrence]
    ) -> list[tuple[str, str]]:
        """Check one text of `page` into `occurrences`; returns the keys of what it found."""
        found = check_text(text, context=context, only=_DETECTORS | _MASK_ONLY)
        masked = redact_text(text, found)
        keys = []
        for finding in found:
            classified = _classify(finding.kind, finding.severity)
            if classified is None:
                continue
            key = (finding.kind, finding.text)
            keys.append(key)
            if key in occurrences:
                occurrences[key].urls.add(page.url)
                continue
            check_name, severity = classified
            start, end = max(0, finding.start - _EXCERPT_SIDE), finding.end + _EXCERPT_SIDE
            occurrences[key] = _Occurrence(
                check=check_name,
                severity=severity,
                url=page.url,
                rule=finding.rule,
                suggestion=finding.suggestion,
                excerpt=masked[start:end],
                on_homepage=page.is_homepage,
                urls={page.url},
            )
        return keys

    def _finding(self, occurrence: _Occurrence) -> MonitorFinding:
        detail = f"{_DETAILS[occurrence.check]}：{occurrence.rule}"
        if occurrence.suggestion:
            detail += f"（{occurrence.suggestion}）"
        if len(occurrence.urls) > 1:
            detail += f"；共 {len(occurrence.urls)} 个页面"
        return MonitorFinding(
            check=occurrence.check,
            severity=occurrence.severity,
            url=occurrence.url,
            detail=detail,
            on_homepage=occurrence.on_homepage,
            excerpt=occurrence.excerpt,
        )


check = ContentCheck()
