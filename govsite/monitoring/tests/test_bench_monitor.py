"""Smoke test of bench/monitor.py: our crawler and LinkChecker on 2 fake sites × 10 pages find the same
broken links. Runs the real LinkChecker from the venv as a subprocess (as root it drops to nobody; its CSV
comes through stdout, so it needs to write nothing)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs the benchmark and LinkChecker

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


def test_deep_pagination_site_both_tools_without_depth_limit_find_the_same_broken_links(monitor) -> None:
    # A small deep-pagination site: 300 pages, one column of 15 listing pages, 10 broken links far down.
    with monitor.RegionServer(1, 0, 0, deep_pages=300) as urls:
        ours = monitor.run_ours(urls, concurrency=1, max_pages=1000, max_depth=None, per_host=4)
        theirs = monitor.run_linkchecker(urls, threads=4, depth=None, budget=120)
    assert not theirs.killed and theirs.returncode == 1, theirs.stderr[-2000:]
    command = monitor.linkchecker_command(urls, threads=4, depth=None, config=None)
    assert command[command.index("--recursion-level") + 1] == "-1"  # LinkChecker's unlimited recursion
    missed, _extra = monitor.compare(ours.broken, theirs.broken)
    assert missed == []
    targets = {target for _, target in ours.broken}
    assert len(targets) == 100  # every planted broken link (deep_pagination_site plants 100), none lost to depth
    assert targets == {target for _, target in theirs.broken}
    assert ours.pages >= 290 and ours.cpu_seconds > 0 and theirs.cpu_seconds > 0


def test_the_benchmark_runs_as_a_plain_script_without_django_settings() -> None:
    """bench/monitor.py is run by hand with no DJANGO_SETTINGS_MODULE: the crawler must not need Django's."""
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, str(BENCH), "--sites", "1", "--pages", "5", "--processes", "1", "--linkchecker-sites", "0", "--deep-pages", "0"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "pages/s" in done.stdout
