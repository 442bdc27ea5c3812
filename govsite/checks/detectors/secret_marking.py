"""密级标志 detector: classification and restricted-distribution markings (保密审查).

A document carrying a marking must not be published on a government website (《保守国家秘密法》;
pre-publication 保密审查, national rules §9 item 21), so every hit is `block`.
Only marking forms are reported, never the ordinary words: "保守国家秘密", "商业机密", "涉密人员管理",
"请注意保存票据" are prose. Marking forms:

1. 密级★期限 (GB/T 9704 公文格式): 绝密★10年, 机密★长期, 秘密★1年, 绝密★启用前, also with ☆ or *;
2. a 密级 label: 密级：秘密, 密级:内部;
3. distribution notices that only appear on restricted papers: 不得外传, 严禁外传, 仅供内部使用,
   内部资料 注意保存 …;
4. a bracketed marking: 【内部资料】, （机密）, [涉密];
5. a line that consists of nothing but a marking word (the top of a scanned or pasted document):
   "秘密", "内部资料", "涉密文件", "内部文件  注意保存".
"""

from __future__ import annotations

import re

from ..contract import CheckContext, Finding, Severity

_LEVEL = r"(?:绝密|机密|秘密)"
_NUM = r"[0-9０-９一二三四五六七八九十]+"
_PERIOD = r"(?:启用前|长期|" + _NUM + r" ?(?:年|个月|月|天|日)(?:内)?)"
_STAR_RE = re.compile(_LEVEL + r"[ \t　]*[★☆*＊][ \t　]*" + _PERIOD + r"?")
_LABEL_RE = re.compile(r"密[ \t　]*级[ \t　]*[:：][ \t　]*(?:绝密|机密|秘密|内部|核心商密|普通商密)")
_NOTICE_SEP = r"[ \t　，,、]*"
# A flat alternation of phrases: the regex engine scans for their first characters quickly, where nested
# groups would make it try every position (5x slower on long texts).
_NOTICE_PHRASES: tuple[str, ...] = (
    *(head + _NOTICE_SEP + r"(?:注意保存|注意保密|妥善保管)" for head in ("内部资料", "内部文件")),
    *(verb + "外传" for verb in ("不得", "严禁", "请勿", "禁止", "不准")),
    *(only + r"内部(?:使用|参考|传阅|学习|掌握)" for only in ("仅供", "仅限", "只供", "只限")),
)
_NOTICE_RE = re.compile("|".join(_NOTICE_PHRASES))
_BRACKETED_RE = re.compile(
    r"[【\[〔（(][ \t　]*(?:绝密|机密|秘密|涉密|内部资料|内部文件|内部使用|内部参考)[ \t　]*[】\]〕）)]"
)
_STANDALONE_WORD = (
    r"(?:绝密|机密|秘密|涉密(?:文件|资料|材料)?|内部资料|内部文件|内部使用|内部参考|注意保存|注意保密)"
)
_STANDALONE_RE = re.compile(
    r"^[ \t　]*" + _STANDALONE_WORD + r"(?:[ \t　，,、]+" + _STANDALONE_WORD + r")*[ \t　\r]*$",
    re.MULTILINE,
)

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (_STAR_RE, "密级标志（密级★保密期限）"),
    (_LABEL_RE, "密级标志（“密级：”标注）"),
    (_NOTICE_RE, "内部资料标志（限制传阅说明）"),
    (_BRACKETED_RE, "密级或内部资料标志（括注）"),
    (_STANDALONE_RE, "密级或内部资料标志（独占一行）"),
)


class SecretMarkingDetector:
    """密级标志: classified or internal documents must not be published."""

    name = "secret_marking"

    def detect(self, text: str, context: CheckContext) -> list[Finding]:
        findings: list[Finding] = []
        covered: set[tuple[int, int]] = set()
        for pattern, rule in _PATTERNS:
            for match in pattern.finditer(text):
                start, end = match.span()
                if pattern is _STANDALONE_RE:
                    # Report the marking words, not the surrounding indentation.
                    stripped = match.group(0).strip(" \t　\r")
                    start = match.start() + match.group(0).index(stripped)
                    end = start + len(stripped)
                # A line like "【内部资料】" matches several forms; report each span once.
                if any(s <= start and end <= e for s, e in covered):
                    continue
                covered.add((start, end))
                findings.append(
                    Finding(
                        kind=self.name,
                        severity=Severity.BLOCK,
                        start=start,
                        end=end,
                        text=text[start:end],
                        rule=rule,
                        suggestion="涉密或内部资料不得在政府网站发布；请撤下并履行保密审查",
                    )
                )
        return findings


detector = SecretMarkingDetector()
