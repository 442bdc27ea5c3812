"""电子邮箱 detector: e-mail addresses (local-part@domain.tld, RFC 5321 subset, ASCII).

Severity is `warn` for every address: official mailboxes (单位邮箱, e.g. …@xx.gov.cn) are published on
purpose, and a personal address may be published with consent (e.g. a 联系人 in a 公示). The rule text tells
the reviewer which case it is: 单位邮箱 (.gov.cn), 个人邮箱 (a free-mail provider listed in
`data/pd_free_mail_domains.txt`) or other.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..contract import CheckContext, Finding, Severity

FREE_MAIL_FILE = Path(__file__).resolve().parent.parent / "data" / "pd_free_mail_domains.txt"


def _load_domains(path: Path = FREE_MAIL_FILE) -> frozenset[str]:
    with path.open(encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip() and not line.startswith("#"))


FREE_MAIL_DOMAINS: frozenset[str] = _load_domains()

# Scanning starts at each "@" (few per text) instead of at every character: a regex that begins with the
# local part would retry at every letter of long ASCII runs (base64, URLs), which is slow on 50 MB inputs.
_AT_RE = re.compile(r"[@＠]")
_LOCAL_MAX = 64
_LOCAL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+\-]*\Z")
_LOCAL_CHAR_RE = re.compile(r"[A-Za-z0-9._%+\-]")
_DOMAIN_RE = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9\-])"
)

RULE_OFFICIAL = "电子邮箱（单位邮箱 .gov.cn，一般可公开）"
RULE_PERSONAL = "电子邮箱（个人免费邮箱，需确认本人同意公开或改用单位邮箱）"
RULE_OTHER = "电子邮箱（请确认是否为单位公开邮箱）"


def classify_domain(domain: str) -> str:
    """The rule text for an address on `domain`: 单位邮箱, 个人邮箱 or other."""
    domain = domain.lower()
    if domain.endswith(".gov.cn") or domain == "gov.cn":
        return RULE_OFFICIAL
    if any(domain == d or domain.endswith("." + d) for d in FREE_MAIL_DOMAINS):
        return RULE_PERSONAL
    return RULE_OTHER


class EmailDetector:
    """电子邮箱: contact data; personal mailboxes are personal information (个人信息)."""

    name = "email"

    def detect(self, text: str, context: CheckContext) -> list[Finding]:
        findings: list[Finding] = []
        for at in _AT_RE.finditer(text):
            at_pos = at.start()
            window_start = max(0, at_pos - _LOCAL_MAX)
            local = _LOCAL_RE.search(text, window_start, at_pos)
            if local is None:
                continue
            start = local.start()
            # The local part must be the whole run of address characters, not the tail of a longer one.
            if start > 0 and _LOCAL_CHAR_RE.match(text, start - 1) and text[start - 1] not in "._%+-":
                continue
            domain = _DOMAIN_RE.match(text, at_pos + 1)
            if domain is None:
                continue
            end = domain.end()
            findings.append(
                Finding(
                    kind=self.name,
                    severity=Severity.WARN,
                    start=start,
                    end=end,
                    text=text[start:end],
                    rule=classify_domain(domain.group(0)),
                )
            )
        return findings


detector = EmailDetector()
