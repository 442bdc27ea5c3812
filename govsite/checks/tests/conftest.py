"""Prints the labelled corpus's precision and recall (test_corpus.py) at the end of every test run."""

from __future__ import annotations

from typing import Any

CORPUS_REPORTS: list[str] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for report in CORPUS_REPORTS:
        terminalreporter.write_sep("-", "合规检查标注语料 (govsite/checks/tests/corpus)")
        terminalreporter.write_line(report)
