"""Column detection, date reading and footer facts of the site model over the labelled corpus of real-shaped
government page templates (`tests/templates/*/labels.json`): precision and recall printed, held to a floor,
and no homepage veto on a homepage that is fresh."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

import pytest

from govsite.monitoring.checks import homepage_freshness
from govsite.monitoring.contract import FetchedPage, SiteScan
from govsite.monitoring.html import parse
from govsite.monitoring.sitemodel import content_of, read_items, site_model

AS_OF = date(2026, 11, 29)
CORPUS = Path(__file__).parent / "templates"
SITES = sorted(p.parent.name for p in CORPUS.glob("*/labels.json"))


def load(name: str) -> tuple[dict, SiteScan]:
    labels = json.loads((CORPUS / name / "labels.json").read_text(encoding="utf-8"))
    pages = []
    for path, file in labels["pages"].items():
        url = urljoin(labels["site"], path)
        pages.append(FetchedPage(url=url, final_url=url, status=200, content_type="text/html",
                                 text=(CORPUS / name / file).read_text(encoding="utf-8"),
                                 depth=0 if path == "/" else 1, is_homepage=path == "/"))
    return labels, SiteScan(site_url=labels["site"], as_of=AS_OF, pages=pages)


def page_dates(scan: SiteScan, url: str) -> list[str]:
    page = scan.page(url)
    items = read_items(content_of(parse(page.text)), url, AS_OF)
    return [i.date.isoformat() for i in items if i.date is not None]


def test_corpus_has_every_template_shape() -> None:
    assert len(SITES) >= 6


def test_column_detection_and_date_reading_precision_and_recall(capsys: pytest.CaptureFixture) -> None:
    columns = Counter()
    classes = Counter()
    dates = Counter()
    footer = Counter()
    misses: list[str] = []
    for name in SITES:
        labels, scan = load(name)
        model = site_model(scan)
        found = {c.name: c.update_class for c in model.columns}
        expected = labels["columns"]
        hit = set(found) & set(expected)
        columns.update(tp=len(hit), found=len(found), expected=len(expected))
        misses += [f"{name}: 多出栏目 {n}" for n in set(found) - set(expected)]
        misses += [f"{name}: 漏掉栏目 {n}" for n in set(expected) - set(found)]
        for column in hit:
            classes.update(total=1, right=found[column] == expected[column])
            if found[column] != expected[column]:
                misses.append(f"{name}: {column} 更新类别 {found[column]} ≠ {expected[column]}")
        for path, want in labels["dates"].items():
            got = page_dates(scan, urljoin(labels["site"], path))
            common = Counter(got) & Counter(want)
            dates.update(tp=sum(common.values()), found=len(got), expected=len(want))
            if Counter(got) != Counter(want):
                misses.append(f"{name} {path}: 日期 {got} ≠ {want}")
        facts = next(f for f in model.footers if f.is_homepage)
        for key, want in labels["footer"].items():
            got = getattr(facts, key)
            footer.update(total=1, right=got == want)
            if got != want:
                misses.append(f"{name}: 页脚 {key} {got!r} ≠ {want!r}")
        # A fresh homepage (or navigation-only homepage with fresh second-level pages) gets no finding.
        stale = homepage_freshness.check.run(scan)
        assert stale == [], (name, [f.detail for f in stale])

    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    report = {
        "columns_precision": ratio(columns["tp"], columns["found"]),
        "columns_recall": ratio(columns["tp"], columns["expected"]),
        "update_class_accuracy": ratio(classes["right"], classes["total"]),
        "dates_precision": ratio(dates["tp"], dates["found"]),
        "dates_recall": ratio(dates["tp"], dates["expected"]),
        "footer_facts_accuracy": ratio(footer["right"], footer["total"]),
    }
    with capsys.disabled():
        print(f"\n模板语料 {len(SITES)} 个网站：" + "，".join(f"{k} {v:.3f}" for k, v in report.items()))
        print(f"  栏目 {columns['tp']}/{columns['found']} 识别正确，标注 {columns['expected']} 个；"
              f"日期 {dates['tp']}/{dates['found']} 正确，标注 {dates['expected']} 个")
        for miss in misses:
            print("  ", miss)
    assert report["columns_precision"] >= 0.95 and report["columns_recall"] >= 0.95, misses
    assert report["update_class_accuracy"] >= 0.95, misses
    assert report["dates_precision"] >= 0.98 and report["dates_recall"] >= 0.98, misses
    assert report["footer_facts_accuracy"] >= 0.98, misses
