"""Smoke test of bench/monitor.py: our crawler and LinkChecker on 2 fake sites × 10 pages find the same
broken links. Runs the real LinkChecker from the venv as a subprocess (as root it drops to nobody; its CSV
comes through stdout, so it needs to write nothing)."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "monitor.py"


@pytest.fixture(scope="module")
def monitor():
    spec = importlib.util.spec_from_file_location("bench_monitor", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_monitor"] = module
    spec.loader.exec_module(module)
    # LinkChecker is a test dependency (pyproject [test]); a missing one is a broken set-up, not a skip.
    assert module.LINKCHECKER.exists(), f"LinkChecker 未安装：{module.LINKCHECKER}（pip install -e '.[test]'）"
    return module


def test_both_tools_find_the_same_broken_links(monitor) -> None:
    started = time.monotonic()
    # Seed 0: two utf-8 sites with 3 and 2 broken links (404s and external links to a closed loopback port).
    with monitor.RegionServer(2, 10, 0) as urls:
        ours = monitor.run_ours(urls, concurrency=2)
        split = monitor.run_ours(urls, concurrency=2, processes=2)  # one site per worker process
        theirs = monitor.run_linkchecker(urls, threads=4, budget=60)
    assert not theirs.killed and theirs.returncode == 1, theirs.stderr[-2000:]  # 1: it found broken links
    assert ours.sites == 2 and ours.pages >= 10 and theirs.pages >= 10
    missed, extra = monitor.compare(ours.broken, theirs.broken)
    assert missed == [] and extra == []
    targets = {target for _, target in theirs.broken}
    assert len(targets) >= 4  # /missing/0 twice (one per site), /missing/2, the closed port's /ext/1
    assert {target for _, target in ours.broken} == targets
    assert ours.pages_per_second > 0 and theirs.maxrss_kb > 0
    assert split.processes == 2 and len(split.worker_maxrss_kb) == 2
    assert split.broken == ours.broken and split.pages == ours.pages and split.sites == 2
    assert time.monotonic() - started < 30
