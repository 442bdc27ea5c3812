"""Benchmark of the 网站监测 scan on a site of huge pages (issue 10 item 14: 200 pages of 4 MB took 2.7 GB).

    .venv/bin/python bench/monitor_huge_pages.py [--pages 200] [--page-bytes 4194304] [--max-page-bytes N]

Serves one fake site from a separate process (`SiteSpec.big_pages`: the homepage links N pages, each made
while it is sent, chunked, without Content-Length), then scans it in this process with `crawl_site` and
`run_checks` as `govsite monitor scan --allow-private` does, and prints wall time, CPU time and peak RSS
(ru_maxrss) of the scan, and how many pages were left unread as 页面过大. The memory bound itself is a test
(`govsite/monitoring/tests/test_fetch_safety.py`); the times are here, since tests assert none.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from govsite.monitoring.crawler import MAX_PAGE_BYTES, crawl_site  # noqa: E402
from govsite.monitoring.engine import prepare_process, run_checks  # noqa: E402
from govsite.testing import fakesite  # noqa: E402


def _serve(pages: int, page_bytes: int, queue: multiprocessing.Queue) -> None:
    server = fakesite.FakeSiteServer().start()
    site = server.add(fakesite.SiteSpec(big_pages=pages, big_page_bytes=page_bytes))
    queue.put(site.url)
    time.sleep(3600)


def _cpu(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--page-bytes", type=int, default=4 * 1024 * 1024)
    parser.add_argument("--max-page-bytes", type=int, default=MAX_PAGE_BYTES, help="the crawler's byte cap")
    options = parser.parse_args()

    queue: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(options.pages, options.page_bytes, queue), daemon=True)
    server.start()
    url = queue.get(timeout=120) + "/"
    prepare_process()
    before_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    usage, started = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
    scan = asyncio.run(crawl_site(url, max_pages=options.pages + 50, retries=0, allow_private=True,
                                  max_page_bytes=options.max_page_bytes, read_timeout=30, total_timeout=60))
    crawled, crawl_usage = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF)
    findings = run_checks(scan)
    done, end_usage = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF)
    server.kill()
    too_large = sum(page.error == "too_large" for page in scan.pages)
    print(f"site: {options.pages} pages of {options.page_bytes:,} bytes; byte cap {options.max_page_bytes:,}")
    print(f"scan: {scan.pages_fetched} pages fetched, {too_large} left unread (页面过大), complete={scan.complete}")
    print(f"crawl: {crawled - started:.1f} s wall, {_cpu(crawl_usage) - _cpu(usage):.1f} s CPU; "
          f"run_checks: {done - crawled:.1f} s wall, {_cpu(end_usage) - _cpu(crawl_usage):.1f} s CPU")
    print(f"peak RSS (ru_maxrss): {end_usage.ru_maxrss // 1024} MB ({before_rss} MB before the scan)")
    print(f"findings: {sorted({f.check for f in findings})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
