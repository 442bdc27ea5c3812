"""Benchmark of the 网站监测 crawler against LinkChecker on a region of fake government sites (issue 4).

    .venv/bin/python bench/monitor.py [--sites 50] [--pages 200] [--seed N] [--concurrency 12]
        [--linkchecker-threads 16] [--linkchecker-sites K] [--linkchecker-polite] [--tracemalloc]

Generates a reproducible region of fake sites (`region_of_sites`: columns of dated articles, a few broken
internal links and external links to closed loopback ports) and serves them on 127.0.0.1 from a separate
process, so that the CPU and memory measured here are the crawler's alone. Then, on the same sites,

  (a) our crawler: `crawl_many(urls, concurrency=…, check_links=True)` and `run_checks` on every scan;
      wall time, pages fetched per second, peak RSS of this process (ru_maxrss) and the broken links
      (source page, target) the broken_links check reported;
  (b) LinkChecker: one `linkchecker --check-extern --no-robots --no-status -o csv -v -r DEPTH+1 URL…`
      subprocess for all the sites, CSV read from its stdout (it drops root privileges to nobody, so it
      writes no file); wall time, URLs checked per second and internal HTML pages per second, the peak RSS
      of that child (VmHWM) and the URLs it reported invalid (with the page it found them on);
  (c) the report: speeds, ratio, memory, broken-link counts, and the broken links LinkChecker found that
      our scan did not (must be none) and those we found that it did not (informational).

Depths match: our crawler parses pages up to `--depth` and checks every link on them, which is what
LinkChecker does with recursion level depth + 1. Nothing leaves the loopback: the sites' external links
point to closed 127.0.0.1 ports and LinkChecker only recurses into the sites themselves.

LinkChecker throttles every host to 2–10 requests a second (sleeping while it holds a global lock) unless
the server answers with a `LinkChecker` header; then it honours `maxrequestspersecond`. By default the
fake server here adds that header and LinkChecker gets `maxrequestspersecond=1000`, so what is measured is
its checking speed, not its politeness delay; `--linkchecker-polite` keeps its default throttle (then use
`--linkchecker-sites` to keep the run short).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from govsite.monitoring.crawler import crawl_many, normalise_url  # noqa: E402
from govsite.monitoring.engine import run_checks  # noqa: E402

LINKCHECKER = Path(sys.executable).with_name("linkchecker")
STATIC = (".jpg", ".jpeg", ".png", ".gif", ".css", ".js", ".ico", ".svg", ".pdf", ".doc", ".docx", ".xls", ".zip")

Pair = tuple[str, str]  # (source page, target), both normalised


# --- serving the region in another process -----------------------------------------------------------------


def _serve_region(conn, n_sites: int, pages: int, seed: int, tag_linkchecker: bool) -> None:
    """Child process: serve the region, send the site URLs, serve until told to stop (or the parent dies)."""
    from govsite.monitoring import fakesite

    if tag_linkchecker:
        _tag_responses_for_linkchecker(fakesite)
    server = fakesite.FakeSiteServer().start()
    try:
        urls = [server.add(spec).url + "/" for spec in fakesite.region_of_sites(n_sites, pages, seed)]
        conn.send(urls)
        while not conn.poll(1.0):  # recv on a pipe whose parent died raises EOFError; poll notices too
            if os.getppid() == 1:
                break
        else:
            conn.recv()
    except (EOFError, OSError):
        pass
    finally:
        server.stop()


def _tag_responses_for_linkchecker(fakesite) -> None:
    """Make every response carry a `LinkChecker` header: LinkChecker's documented switch that lets a server
    owner lift its per-host throttle. Only in the server process; the fake sites are otherwise unchanged."""
    from types import SimpleNamespace

    from aiohttp import web

    async def tag(request, response) -> None:
        response.headers["LinkChecker"] = "benchmark"

    def application(*args, **kwargs):
        app = web.Application(*args, **kwargs)
        app.on_response_prepare.append(tag)
        return app

    fakesite.web = SimpleNamespace(**{**vars(web), "Application": application})


class RegionServer:
    """`with RegionServer(50, 200, seed) as urls:` — the region served by a child process."""

    def __init__(self, n_sites: int, pages: int, seed: int, *, tag_linkchecker: bool = True) -> None:
        self.args = (n_sites, pages, seed, tag_linkchecker)
        self.process: multiprocessing.Process | None = None
        self.conn = None

    def __enter__(self) -> list[str]:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve_region, args=(child, *self.args), daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(120):
            self.__exit__()
            raise RuntimeError("the fake-site server process did not start within 120 s")
        return self.conn.recv()

    def __exit__(self, *exc: object) -> None:
        if self.process is None:
            return
        try:
            self.conn.send("stop")
        except OSError:
            pass
        self.process.join(timeout=30)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=10)
        self.conn.close()
        self.process = None


# --- normalising -------------------------------------------------------------------------------------------


def normalise(url: str, base: str = "") -> str:
    """Resolved, fragment-free, lower-case host, no default port, unquoted path without a trailing slash."""
    url = normalise_url(url, base or url) or urljoin(base, url)
    parts = urlsplit(url)
    path = unquote(parts.path).rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _host(url: str) -> str:
    return urlsplit(url).netloc


# --- (a) our crawler ---------------------------------------------------------------------------------------


@dataclass
class OurRun:
    seconds: float = 0.0
    check_seconds: float = 0.0
    sites: int = 0
    pages: int = 0
    links_checked: int = 0
    incomplete: int = 0
    broken: set[Pair] = field(default_factory=set)
    findings: Counter[str] = field(default_factory=Counter)
    maxrss_before_kb: int = 0
    maxrss_kb: int = 0
    tracemalloc_peak: int | None = None

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def crawl_pages_per_second(self) -> float:
        """Without the time run_checks held the event loop (the checks run inline, between scans)."""
        seconds = self.seconds - self.check_seconds
        return self.pages / seconds if seconds > 0 else 0.0


def run_ours(urls: list[str], *, concurrency: int = 12, max_pages: int = 1000, max_depth: int = 3,
             trace: bool = False) -> OurRun:
    """Crawl every site with our crawler and run all checks on each scan as it completes."""
    result = OurRun(maxrss_before_kb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)

    async def crawl() -> None:
        async for scan in crawl_many(urls, concurrency=concurrency, check_links=True, max_pages=max_pages,
                                     max_depth=max_depth, retries=0, scan_timeout=600):
            started = time.perf_counter()
            findings = run_checks(scan)
            result.check_seconds += time.perf_counter() - started
            result.sites += 1
            result.pages += scan.pages_fetched
            result.links_checked += scan.links_checked
            result.incomplete += not scan.complete
            result.findings.update(f.check for f in findings)
            result.broken.update((normalise(f.url), normalise(f.target)) for f in findings
                                 if f.check == "broken_link")

    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    asyncio.run(crawl())
    result.seconds = time.perf_counter() - started
    if trace:
        result.tracemalloc_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    result.maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result


# --- (b) LinkChecker ---------------------------------------------------------------------------------------


@dataclass
class LinkCheckerRun:
    seconds: float = 0.0
    sites: int = 0
    urls_checked: int = 0
    pages: int = 0  # internal URLs that answered 200 and are not static files: the HTML pages it fetched
    broken: set[Pair] = field(default_factory=set)
    maxrss_kb: int = 0
    returncode: int | None = None
    killed: bool = False
    stderr: str = ""

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def urls_per_second(self) -> float:
        return self.urls_checked / self.seconds if self.seconds else 0.0


def linkchecker_command(urls: list[str], *, threads: int, depth: int, config: str | None) -> list[str]:
    command = [str(LINKCHECKER), "--check-extern", "--no-robots", "--no-status", "-o", "csv", "--verbose",
               "--threads", str(threads), "--timeout", "10", "--recursion-level", str(depth + 1)]
    if config:
        command += ["--config", config]
    return command + urls


def run_linkchecker(urls: list[str], *, threads: int = 16, depth: int = 3, polite: bool = False,
                    budget: float = 1800) -> LinkCheckerRun:
    """One LinkChecker process over all `urls`; killed after `budget` seconds (then partial)."""
    result = LinkCheckerRun(sites=len(urls))
    config = None
    if not polite:
        # LinkChecker runs as nobody when started by root: the file must be readable by anyone.
        with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as handle:
            handle.write("[checking]\nmaxrequestspersecond=1000\n")
        os.chmod(handle.name, 0o644)
        config = handle.name
    command = linkchecker_command(urls, threads=threads, depth=depth, config=config)
    out, err = io.BytesIO(), io.BytesIO()
    started = time.perf_counter()
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd="/",
                                   env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
        readers = [threading.Thread(target=_drain, args=(stream, sink), daemon=True)
                   for stream, sink in ((process.stdout, out), (process.stderr, err))]
        for reader in readers:
            reader.start()

        def kill() -> None:
            result.killed = True
            process.kill()

        timer = threading.Timer(budget, kill)
        timer.start()
        hwm = _HighWaterMark(process.pid)
        try:
            _, status, _usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
            hwm.stop()
        result.seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        result.returncode = process.returncode
        result.maxrss_kb = hwm.kb
        for reader in readers:
            reader.join(timeout=10)
    finally:
        if config:
            os.unlink(config)
    result.stderr = err.getvalue().decode("utf-8", "replace")
    parse_linkchecker_csv(out.getvalue().decode("utf-8", "replace"), {_host(u) for u in urls}, result)
    return result


class _HighWaterMark(threading.Thread):
    """Polls VmHWM of a running process. Not ru_maxrss of the child: on Linux a child started by fork or
    vfork carries the parent's high-water mark over its exec, so that would report this (larger) process.
    VmHWM belongs to the process's own address space, which exec replaces."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.path, self.interval, self.kb = f"/proc/{pid}/status", interval, 0
        self.done = threading.Event()
        self.start()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                with open(self.path) as status:
                    for line in status:
                        if line.startswith("VmHWM:"):
                            self.kb = max(self.kb, int(line.split()[1]))
            except (OSError, ValueError):
                pass
            self.done.wait(self.interval)

    def stop(self) -> None:
        self.done.set()
        self.join(timeout=5)


def _drain(stream, sink: io.BytesIO) -> None:
    for chunk in iter(lambda: stream.read(65536), b""):
        sink.write(chunk)
    stream.close()


def parse_linkchecker_csv(text: str, site_hosts: set[str], result: LinkCheckerRun) -> None:
    """Count the URLs LinkChecker checked and collect the invalid ones as (parent page, URL) pairs."""
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter=";"):
        name = row.get("urlname") or ""
        parent = row.get("parentname") or ""
        url = row.get("url") or urljoin(parent, name)
        if not url:
            continue
        result.urls_checked += 1
        target = normalise(url, parent)
        valid = (row.get("valid") or "").strip() == "True"
        internal = _host(target) in site_hosts
        if valid and internal and (row.get("result") or "").startswith("200") and \
                not urlsplit(target).path.lower().endswith(STATIC):
            result.pages += 1
        if not valid:
            result.broken.add((normalise(parent) if parent else "", target))


# --- (c) the report ----------------------------------------------------------------------------------------


def compare(ours: set[Pair], theirs: set[Pair]) -> tuple[list[Pair], list[Pair]]:
    """(LinkChecker's broken links we did not report, ours it did not report). LinkChecker logs each URL once,
    with the first page it met it on, so a pair of ours also covers it when the target matches and the
    page is one we reported that target on."""
    missed = sorted(theirs - ours)
    our_targets = {t for _, t in ours}
    their_targets = {t for _, t in theirs}
    extra = sorted(pair for pair in ours if pair[1] not in their_targets)
    missed = [pair for pair in missed if not (pair[0] == "" and pair[1] in our_targets)]
    return missed, extra


def _mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=50, help="fake sites in the region (default 50)")
    parser.add_argument("--pages", type=int, default=200, help="pages per site, about (default 200)")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=12, help="sites our crawler scans at once (12)")
    parser.add_argument("--depth", type=int, default=3, help="crawl depth of both tools (default 3)")
    parser.add_argument("--max-pages", type=int, default=1000, help="our page cap per site (default 1000)")
    parser.add_argument("--linkchecker-threads", type=int, default=16)
    parser.add_argument("--linkchecker-sites", type=int, default=0,
                        help="run LinkChecker on the first K sites only and compare on those (default all)")
    parser.add_argument("--linkchecker-polite", action="store_true",
                        help="keep LinkChecker's default per-host throttle (2–10 requests/s)")
    parser.add_argument("--linkchecker-budget", type=float, default=1800, help="kill LinkChecker after (s)")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also crawl once more under tracemalloc for the Python heap peak (slow, untimed)")
    options = parser.parse_args(argv)
    if not LINKCHECKER.exists():
        print(f"LinkChecker not found at {LINKCHECKER}", file=sys.stderr)
        return 2

    started = time.perf_counter()
    with RegionServer(options.sites, options.pages, options.seed, tag_linkchecker=not options.linkchecker_polite) \
            as urls:
        print(f"region: {len(urls)} fake sites × ~{options.pages} pages (seed {options.seed}) served on 127.0.0.1 "
              f"by a separate process (ready in {time.perf_counter() - started:.1f} s); depth {options.depth}")
        ours = run_ours(urls, concurrency=options.concurrency, max_pages=options.max_pages,
                        max_depth=options.depth)
        print(f"(a) our crawler, crawl_many(concurrency={options.concurrency}) + run_checks: {ours.seconds:.1f} s, "
              f"{ours.sites} sites, {ours.pages:,} pages fetched → {ours.pages_per_second:,.0f} pages/s; "
              f"{ours.links_checked:,} link targets checked; {ours.incomplete} scans incomplete")
        print(f"    run_checks took {ours.check_seconds:.1f} s of that (crawling alone: "
              f"{ours.crawl_pages_per_second:,.0f} pages/s); findings: "
              + ", ".join(f"{k} {n}" for k, n in sorted(ours.findings.items())))
        print(f"    peak RSS of this process (ru_maxrss): {_mb(ours.maxrss_kb)} "
              f"({_mb(ours.maxrss_before_kb)} before the crawl: interpreter and imports)")
        if options.tracemalloc:
            traced = run_ours(urls, concurrency=options.concurrency, max_pages=options.max_pages,
                              max_depth=options.depth, trace=True)
            print(f"    tracemalloc peak of the Python heap (second, untimed crawl): "
                  f"{traced.tracemalloc_peak / 2**20:.0f} MB")

        lc_urls = urls[: options.linkchecker_sites] if options.linkchecker_sites else urls
        lc = run_linkchecker(lc_urls, threads=options.linkchecker_threads, depth=options.depth,
                             polite=options.linkchecker_polite, budget=options.linkchecker_budget)
    throttle = "default per-host throttle" if options.linkchecker_polite else "throttle lifted"
    print(f"(b) LinkChecker 1 process, --threads {options.linkchecker_threads}, -r {options.depth + 1}, "
          f"{throttle}, {lc.sites} sites: {lc.seconds:.1f} s, {lc.urls_checked:,} URLs checked → "
          f"{lc.urls_per_second:,.0f} URLs/s; {lc.pages:,} internal HTML pages (200) → "
          f"{lc.pages_per_second:,.0f} pages/s; exit status {lc.returncode}"
          + (" (KILLED at the budget: partial)" if lc.killed else ""))
    print(f"    peak RSS of the LinkChecker process (VmHWM, polled every 0.1 s): {_mb(lc.maxrss_kb)}")

    lc_hosts = {_host(u) for u in lc_urls}
    ours_subset = {pair for pair in ours.broken if _host(pair[0]) in lc_hosts}
    if len(lc_urls) < len(urls):
        # Our speed on the same subset is not measured apart: the rate over the whole region stands for it.
        print(f"(c) compared on the first {len(lc_urls)} of {len(urls)} sites only (--linkchecker-sites)")
    else:
        print(f"(c) compared on all {len(urls)} sites")
    ratio = ours.pages_per_second / lc.pages_per_second if lc.pages_per_second else float("inf")
    print(f"    speed, pages/s: ours {ours.pages_per_second:,.0f} vs LinkChecker {lc.pages_per_second:,.0f} → "
          f"{ratio:,.1f}x (target ≥ 10x: {'met' if ratio >= 10 else 'NOT met'}); crawling alone, without "
          f"run_checks: {ours.crawl_pages_per_second / max(lc.pages_per_second, 1e-9):,.1f}x")
    print(f"    peak memory: ours {_mb(ours.maxrss_kb)} vs LinkChecker {_mb(lc.maxrss_kb)}")
    missed, extra = compare(ours_subset, lc.broken)
    print(f"    broken links (source page, target): ours {len(ours_subset)}, LinkChecker {len(lc.broken)}; distinct "
          f"targets: ours {len({t for _, t in ours_subset})}, LinkChecker {len({t for _, t in lc.broken})} "
          "(LinkChecker logs a URL once, on the first page it met it)")
    if missed:
        print(f"    LinkChecker found {len(missed)} our scan did not:")
        for source, target in missed:
            print(f"      {target}  on {source or '(start URL)'}")
    else:
        print("    our scan finds every broken link LinkChecker finds")
    print(f"    broken links we found that LinkChecker did not (informational): {len(extra)}")
    for source, target in extra[:20]:
        print(f"      {target}  on {source}")
    if lc.killed or lc.returncode not in (0, 1):
        print("    LinkChecker stderr (tail):\n" + lc.stderr[-2000:])
    return 0 if not missed and not lc.killed else 1


if __name__ == "__main__":
    sys.exit(main())
