"""Scores the compliance engine on the labelled corpus (语料评测): precision and recall of blocking findings.

    .venv/bin/python govsite/checks/tests/corpus/evaluate.py

A blocking finding is right when the document's labels list a leak of the same kind and value (digits
compared without spaces, full-width folded; a 密级 marking matches when one text contains the other).
Counts are of distinct (kind, value) pairs per document, so a number repeated in a file counts once.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


def norm(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).upper().split()).replace("-", "")


@dataclass
class Score:
    """What the engine did on the corpus."""

    true_positive: Counter = field(default_factory=Counter)  # by kind
    false_positive: Counter = field(default_factory=Counter)
    false_negative: Counter = field(default_factory=Counter)
    blocked_publishable: list[str] = field(default_factory=list)  # files that may be published but were blocked
    unreadable: dict[str, str] = field(default_factory=dict)  # file → error message
    wrong: list[str] = field(default_factory=list)  # "file: kind value" of each false positive
    missed: list[str] = field(default_factory=list)

    @staticmethod
    def _ratio(good: int, total: int) -> float:
        return good / total if total else 1.0

    def precision(self, kind: str | None = None) -> float:
        tp = self.true_positive[kind] if kind else sum(self.true_positive.values())
        fp = self.false_positive[kind] if kind else sum(self.false_positive.values())
        return self._ratio(tp, tp + fp)

    def recall(self, kind: str | None = None) -> float:
        tp = self.true_positive[kind] if kind else sum(self.true_positive.values())
        fn = self.false_negative[kind] if kind else sum(self.false_negative.values())
        return self._ratio(tp, tp + fn)

    def report(self, documents: int) -> str:
        kinds = sorted(set(self.true_positive) | set(self.false_positive) | set(self.false_negative))
        tp, fp, fn = (sum(c.values()) for c in (self.true_positive, self.false_positive, self.false_negative))
        lines = [f"corpus: {documents} documents, {len(self.unreadable)} unreadable, "
                 f"{len(self.blocked_publishable)} publishable documents blocked",
                 f"blocking findings: precision {self.precision():.1%} ({tp}/{tp + fp}), "
                 f"recall {self.recall():.1%} ({tp}/{tp + fn})"]
        for kind in kinds:
            lines.append(f"  {kind:16} precision {self.precision(kind):6.1%}  recall {self.recall(kind):6.1%}  "
                         f"(tp {self.true_positive[kind]}, fp {self.false_positive[kind]}, "
                         f"fn {self.false_negative[kind]})")
        for title, items in (("unreadable", [f"{k}: {v}" for k, v in self.unreadable.items()]),
                             ("blocked publishable", self.blocked_publishable), ("wrong", self.wrong[:30]),
                             ("missed", self.missed[:30])):
            if items:
                lines.append(f"{title}:")
                lines += [f"  {item}" for item in items]
        return "\n".join(lines)


def _matches(kind: str, found: str, expected: str) -> bool:
    if kind == "secret_marking":
        return found in expected or expected in found
    return found == expected


def evaluate(directory: Path = HERE) -> tuple[Score, int]:
    from govsite.checks.files import check_file
    from govsite.core.filetext import FileCheckError

    labels = json.loads((directory / "labels.json").read_text(encoding="utf-8"))["documents"]
    score = Score()
    for doc in labels:
        try:
            findings = check_file(directory / doc["file"])
        except FileCheckError as error:
            score.unreadable[doc["file"]] = str(error)
            findings = []
        blocking = {(f.kind, norm(f.text)) for f in findings if f.severity == "block"}
        expected = {(leak["kind"], norm(leak["value"])) for leak in doc["leaks"]}
        if blocking and doc["publishable"]:
            score.blocked_publishable.append(doc["file"])
        for kind, value in blocking:
            if any(kind == k and _matches(kind, value, v) for k, v in expected):
                score.true_positive[kind] += 1
            else:
                score.false_positive[kind] += 1
                score.wrong.append(f"{doc['file']}: {kind} {value}")
        for kind, value in expected:
            if not any(kind == k and _matches(kind, v, value) for k, v in blocking):
                score.false_negative[kind] += 1
                score.missed.append(f"{doc['file']}: {kind} {value}")
    return score, len(labels)


if __name__ == "__main__":
    result, count = evaluate(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
    print(result.report(count))
