"""Benchmark of the 网站监测 crawler against LinkChecker on a region of fake government sites (issue 4).

    .venv/bin/python bench/monitor.py [--sites 50] [--pages 200] [--seed N] [--concurrency 12]
        [--processes N] [--chrome-kb K] [--linkchecker-threads 16] [--linkchecker-sites K]
        [--linkchecker-polite] [--tracemalloc]

Generates a reproducible region of fake sites (`region_of_sites`: columns of dated articles, a few broken
internal links and external links to closed loopback ports, some sites in GBK) and serves them on 127.0.0.1
from a separate process, so that the CPU and memory measured here are the tools' alone. Then, on the same sites,

  (a) our scan in one process: `crawl_many(urls, concurrency=…, check_links=True)` and `run_checks` on every
      scan; wall time, pages fetched per second, peak RSS (ru_maxrss) and the broken links (source page,
      target) the broken_links check reported. Before the clock starts the process runs `prepare_process()`
      (printed apart), as a Celery worker process does before its first task: the word lists of the
      compliance checks built, then what is alive frozen out of the garbage collector's sight;
  (a') the same with `--processes` worker processes (default: one per CPU) each claiming the next site when
      it has room, the way Celery's prefork workers take a region's queued site tasks in production;
  (b) LinkChecker: one `linkchecker --check-extern --no-robots --no-status -o csv -v -r DEPTH+1 URL…`
      subprocess for all the sites, CSV read from its stdout (it drops root privileges to nobody, so it
      writes no file); wall time, URLs checked per second and internal HTML pages per second, the peak RSS
      of that child (VmHWM) and the URLs it reported invalid (with the page it found them on);
  (b') LinkChecker with the sites split in halves, thirds … among as many processes (its own parallelism is
      threads, which share one interpreter lock, so this is the fairest use of several CPUs it allows);
  (d) first, the deep-pagination site (`fakesite.deep_pagination_site`, `--deep-pages`, default ~10,000 pages):
      one column paginated over ~476 listing pages (首页 上一页 1 2 3 … 下一页 尾页) with 100 broken links far
      down the pagination; our scan without a depth limit (pagination never counts as depth) against
      LinkChecker at `--recursion-level -1` (unlimited): pages/s of both (wall clock, and per CPU second, which
      does not depend on what else the shared machine runs) and the broken-link targets of both, in full;
  (c) the report: speeds and ratios (one process each; N processes each), memory, broken-link counts, and
      the broken links LinkChecker found that our scan did not (must be none) and those we found that it
      did not (informational).

Speed is compared in pages per second rather than wall time because the two tools do not fetch the same
pages: LinkChecker cannot read the GBK sites' pages, so it fetches their homepages only and stops there
(about 1,450 fewer pages on the default region), which makes its wall time shorter for less work.

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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from govsite.monitoring.crawler import crawl_many  # noqa: E402
from govsite.monitoring.engine import prepare_process, run_checks  # noqa: E402
from govsite.monitoring.links import normalise_url  # noqa: E402

LINKCHECKER = Path(sys.executable).with_name("linkchecker")
STATIC = (".jpg", ".jpeg", ".png", ".gif", ".css", ".js", ".ico", ".svg", ".pdf", ".doc", ".docx", ".xls", ".zip")

Pair = tuple[str, str]  # (source page, target), both normalised


# --- serving the region in another process -----------------------------------------------------------------


def _serve_region(conn, n_sites: int, pages: int, seed: int, tag_linkchecker: bool, chrome_kb: int = 0,
                  deep_pages: int = 0) -> None:
    """Child process: serve the region (or, with `deep_pages`, the one deep-pagination site), send the site
    URLs, serve until told to stop (or the parent dies)."""
    from govsite.testing import fakesite

    if tag_linkchecker:
        _tag_responses_for_linkchecker(fakesite)
    server = fakesite.FakeSiteServer().start()
    try:
        if deep_pages:
            specs = [fakesite.deep_pagination_site(deep_pages, seed=seed)]
        else:
            specs = fakesite.region_of_sites(n_sites, pages, seed, chrome_kb=chrome_kb)
        urls = [server.add(spec).url + "/" for spec in specs]
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

    def __init__(self, n_sites: int, pages: int, seed: int, *, tag_linkchecker: bool = True,
                 chrome_kb: int = 0, deep_pages: int = 0) -> None:
        self.args = (n_sites, pages, seed, tag_linkchecker, chrome_kb, deep_pages)
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

    def cpu_seconds(self) -> float | None:
        """CPU time the serving process has used so far (Linux /proc), None where it cannot be read."""
        try:
            with open(f"/proc/{self.process.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError, AttributeError):
            return None

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
    warm_up_seconds: float = 0.0
    processes: int = 1
    worker_maxrss_kb: list[int] = field(default_factory=list)
    cpu_seconds: float = 0.0  # CPU time of this process during the timed crawl (single-process runs)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def crawl_pages_per_second(self) -> float:
        """Without the time run_checks held the event loop (the checks run inline, between scans); with
        several processes, without the longest any one worker spent in them."""
        seconds = self.seconds - self.check_seconds
        return self.pages / seconds if seconds > 0 else 0.0


def warm_up() -> float:
    """`prepare_process()`, as a worker process runs it before its first scan: the compliance word lists
    (jieba, pinyin, automata) built on one made-up page (nothing fetched), then what is alive frozen out of
    the garbage collector's sight; returns the seconds it took."""
    started = time.perf_counter()
    prepare_process()
    return time.perf_counter() - started


def _crawl_share(urls: Iterable[str], result: OurRun, *, concurrency: int, max_pages: int,
                 max_depth: int | None, per_host: int = 4) -> None:
    async def crawl() -> None:
        async for scan in crawl_many(urls, concurrency=concurrency, check_links=True, max_pages=max_pages,
                                     max_depth=max_depth, retries=0, scan_timeout=600, allow_private=True,
                                     per_host_concurrency=per_host):
            started = time.perf_counter()
            findings = run_checks(scan)
            result.check_seconds += time.perf_counter() - started
            result.sites += 1
            result.pages += scan.pages_fetched
            result.links_checked += scan.links_checked
            result.incomplete += not scan.complete
            result.findings.update(f.check for f in findings)
            # One finding per broken target, with every page it is on: one pair per page.
            result.broken.update((normalise(page), normalise(f.target)) for f in findings
                                 if f.check == "broken_link" for page in (f.pages or (f.url,)))

    asyncio.run(crawl())


def run_ours(urls: list[str], *, concurrency: int = 12, max_pages: int = 1000, max_depth: int | None = 3,
             trace: bool = False, processes: int = 1, per_host: int = 4) -> OurRun:
    """Crawl every site with our crawler and run all checks on each scan as it completes.

    `processes` > 1 splits the sites among that many worker processes, each with its own event loop, as
    Celery's prefork workers share a region in production (one task per site); the clock starts when every
    worker is ready and stops when the last one is done.
    """
    result = OurRun(maxrss_before_kb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    result.warm_up_seconds = warm_up()
    if processes > 1:
        return _run_ours_in_processes(urls, result, concurrency=concurrency, max_pages=max_pages,
                                      max_depth=max_depth, processes=processes)
    if trace:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    _crawl_share(urls, result, concurrency=concurrency, max_pages=max_pages, max_depth=max_depth,
                 per_host=per_host)
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = time.process_time() - cpu
    if trace:
        result.tracemalloc_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    result.maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result


def _claim(urls: list[str], next_index) -> Iterator[str]:
    """The sites this worker takes, one at a time from the shared index, as a worker takes queued tasks."""
    while True:
        with next_index.get_lock():
            index = next_index.value
            next_index.value += 1
        if index >= len(urls):
            return
        yield urls[index]


def _worker(conn, urls: list[str], next_index, options: dict) -> None:
    """Worker process: warm up, say ready, wait for go, crawl the sites it claims, send the result back."""
    share = OurRun()
    share.warm_up_seconds = warm_up()
    share.maxrss_before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    conn.send("ready")
    conn.recv()
    _crawl_share(_claim(urls, next_index), share, **options)
    share.maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    conn.send(share)
    conn.close()


def _run_ours_in_processes(urls: list[str], result: OurRun, *, processes: int, **options) -> OurRun:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # Workers claim the next site when a slot frees (like Celery workers taking the next queued task), so
    # a worker that drew small sites takes more; the concurrency is divided among them.
    next_index = context.Value("i", 0)
    options["concurrency"] = max(1, -(-options["concurrency"] // processes))
    workers = []
    for _ in range(processes):
        parent, child = context.Pipe()
        process = context.Process(target=_worker, args=(child, urls, next_index, options), daemon=True)
        process.start()
        child.close()
        workers.append((process, parent))
    try:
        for _, conn in workers:
            if not conn.poll(120) or conn.recv() != "ready":
                raise RuntimeError("a benchmark worker did not start within 120 s")
        started = time.perf_counter()
        for _, conn in workers:
            conn.send("go")
        for _, conn in workers:
            share: OurRun = conn.recv()
            result.sites += share.sites
            result.pages += share.pages
            result.links_checked += share.links_checked
            result.incomplete += share.incomplete
            result.broken |= share.broken
            result.findings.update(share.findings)
            result.check_seconds = max(result.check_seconds, share.check_seconds)
            result.worker_maxrss_kb.append(share.maxrss_kb)
        result.seconds = time.perf_counter() - started
    finally:
        for process, conn in workers:
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()
            conn.close()
    result.processes = processes
    result.maxrss_kb = max(result.worker_maxrss_kb)
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
    processes: int = 1
    cpu_seconds: float = 0.0  # user + system CPU time of the LinkChecker process (wait4's rusage)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def urls_per_second(self) -> float:
        return self.urls_checked / self.seconds if self.seconds else 0.0


def linkchecker_command(urls: list[str], *, threads: int, depth: int | None, config: str | None) -> list[str]:
    """depth None: unlimited recursion (LinkChecker's negative --recursion-level)."""
    level = "-1" if depth is None else str(depth + 1)
    command = [str(LINKCHECKER), "--check-extern", "--no-robots", "--no-status", "-o", "csv", "--verbose",
               "--threads", str(threads), "--timeout", "10", "--recursion-level", level]
    if config:
        command += ["--config", config]
    return command + urls


def run_linkchecker(urls: list[str], *, threads: int = 16, depth: int | None = 3, polite: bool = False,
                    budget: float = 1800, processes: int = 1) -> LinkCheckerRun:
    """LinkChecker over all `urls`: one process, or the sites split among `processes` processes started
    together (LinkChecker's own parallelism is threads, which share one interpreter lock); killed after
    `budget` seconds (then partial). Peak memory is the sum of the processes' peaks."""
    if processes <= 1:
        return _run_one_linkchecker(urls, threads=threads, depth=depth, polite=polite, budget=budget)
    shares = [urls[i::processes] for i in range(processes)]
    runs: list[LinkCheckerRun] = [LinkCheckerRun() for _ in shares]

    def one(index: int) -> None:
        runs[index] = _run_one_linkchecker(shares[index], threads=threads, depth=depth, polite=polite,
                                           budget=budget)

    threads_ = [threading.Thread(target=one, args=(i,)) for i in range(len(shares))]
    started = time.perf_counter()
    for thread in threads_:
        thread.start()
    for thread in threads_:
        thread.join()
    result = LinkCheckerRun(sites=len(urls), seconds=time.perf_counter() - started, processes=processes)
    for run in runs:
        result.urls_checked += run.urls_checked
        result.pages += run.pages
        result.broken |= run.broken
        result.maxrss_kb += run.maxrss_kb
        result.killed = result.killed or run.killed
        result.stderr += run.stderr
        result.returncode = max(result.returncode or 0, run.returncode if run.returncode is not None else 99)
    return result


def _run_one_linkchecker(urls: list[str], *, threads: int, depth: int | None, polite: bool,
                         budget: float) -> LinkCheckerRun:
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
            _, status, usage = os.wait4(process.pid, 0)
            result.cpu_seconds = usage.ru_utime + usage.ru_stime
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
    parser.add_argument("--chrome-kb", type=int, default=0,
                        help="page weight: KB of script, style and boilerplate footer text added to every page "
                             "(real portals' pages weigh tens of KB; default 0: minimal pages)")
    parser.add_argument("--concurrency", type=int, default=12, help="sites our crawler scans at once (12)")
    parser.add_argument("--depth", type=int, default=3, help="crawl depth of both tools (default 3)")
    parser.add_argument("--max-pages", type=int, default=1000, help="our page cap per site (default 1000)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="also run both tools with the sites split among this many processes "
                             "(default: the number of CPUs; 1 = single process only)")
    parser.add_argument("--linkchecker-threads", type=int, default=16)
    parser.add_argument("--linkchecker-sites", type=int, default=0,
                        help="run LinkChecker on the first K sites only and compare on those (default all)")
    parser.add_argument("--linkchecker-polite", action="store_true",
                        help="keep LinkChecker's default per-host throttle (2–10 requests/s)")
    parser.add_argument("--linkchecker-budget", type=float, default=1800, help="kill LinkChecker after (s)")
    parser.add_argument("--deep-pages", type=int, default=10_000,
                        help="(d) the deep-pagination site: one column paginated over many listing pages, about "
                             "this many pages in all, crawled by both tools without a depth limit (0: skip)")
    parser.add_argument("--deep-only", action="store_true", help="run only (d), the deep-pagination site")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also crawl once more under tracemalloc for the Python heap peak (slow, untimed)")
    options = parser.parse_args(argv)
    if not LINKCHECKER.exists():
        print(f"LinkChecker not found at {LINKCHECKER}", file=sys.stderr)
        return 2

    deep_status = 0
    if options.deep_pages:
        deep_status = run_deep(options)
        if options.deep_only:
            return deep_status
    started = time.perf_counter()
    processes = max(1, options.processes)
    server = RegionServer(options.sites, options.pages, options.seed,
                          tag_linkchecker=not options.linkchecker_polite, chrome_kb=options.chrome_kb)
    with server as urls:
        weight = f"about {options.chrome_kb} KB of script, style and footer text added to every page" \
            if options.chrome_kb else "minimal pages of about 1 KB"
        print(f"region: {len(urls)} fake sites × ~{options.pages} pages (seed {options.seed}), {weight}, served on "
              f"127.0.0.1 by a separate process (ready in {time.perf_counter() - started:.1f} s); depth "
              f"{options.depth}; {os.cpu_count()} CPUs")
        with _ServerLoad(server) as load:
            ours = run_ours(urls, concurrency=options.concurrency, max_pages=options.max_pages,
                            max_depth=options.depth)
        _print_ours("(a)", ours, options.concurrency, load)
        if options.tracemalloc:
            traced = run_ours(urls, concurrency=options.concurrency, max_pages=options.max_pages,
                              max_depth=options.depth, trace=True)
            print(f"    tracemalloc peak of the Python heap (second, untimed crawl): "
                  f"{traced.tracemalloc_peak / 2**20:.0f} MB")
        ours_n = None
        if processes > 1:
            with _ServerLoad(server) as load:
                ours_n = run_ours(urls, concurrency=options.concurrency, max_pages=options.max_pages,
                                  max_depth=options.depth, processes=processes)
            _print_ours("(a')", ours_n, options.concurrency, load)

        lc_urls = urls[: options.linkchecker_sites] if options.linkchecker_sites else urls
        with _ServerLoad(server) as load:
            lc = run_linkchecker(lc_urls, threads=options.linkchecker_threads, depth=options.depth,
                                 polite=options.linkchecker_polite, budget=options.linkchecker_budget)
        _print_linkchecker("(b)", lc, options, load)
        lc_n = None
        if processes > 1:
            with _ServerLoad(server) as load:
                lc_n = run_linkchecker(lc_urls, threads=options.linkchecker_threads, depth=options.depth,
                                       polite=options.linkchecker_polite, budget=options.linkchecker_budget,
                                       processes=processes)
            _print_linkchecker("(b')", lc_n, options, load)

    lc_hosts = {_host(u) for u in lc_urls}
    ours_subset = {pair for pair in ours.broken if _host(pair[0]) in lc_hosts}
    if len(lc_urls) < len(urls):
        # Our speed on the same subset is not measured apart: the rate over the whole region stands for it.
        print(f"(c) compared on the first {len(lc_urls)} of {len(urls)} sites only (--linkchecker-sites)")
    else:
        print(f"(c) compared on all {len(urls)} sites")
    _print_ratio("1 process each", ours, lc)
    if ours_n is not None and lc_n is not None:
        _print_ratio(f"{processes} processes each", ours_n, lc_n)
        if ours_n.broken != ours.broken:
            print(f"    NOTE: the {processes}-process run reported {len(ours_n.broken)} broken links, the single "
                  f"process {len(ours.broken)}")
    print(f"    peak memory, 1 process each: ours {_mb(ours.maxrss_kb)} vs LinkChecker {_mb(lc.maxrss_kb)}")
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
    return 0 if not missed and not lc.killed and not deep_status else 1


def run_deep(options: argparse.Namespace) -> int:
    """(d) One site of about `--deep-pages` pages, nearly all in one column paginated with 首页 上一页 1 2 3 …
    下一页 尾页, and its broken links far down the pagination: both tools without a depth limit (ours: no
    --max-depth, pagination never counts as depth; LinkChecker: --recursion-level -1, unlimited)."""
    started = time.perf_counter()
    server = RegionServer(1, 0, options.seed, tag_linkchecker=not options.linkchecker_polite,
                          deep_pages=options.deep_pages)
    with server as urls:
        print(f"(d) deep-pagination site: ~{options.deep_pages:,} pages, one column of "
              f"{options.deep_pages // 21:,} listing pages (首页 上一页 1 2 3 … 下一页 尾页), broken links far down "
              f"the pagination; served by a separate process (ready in {time.perf_counter() - started:.1f} s); "
              "no depth limit for either tool")
        with _ServerLoad(server) as load:
            # One site: as many requests at once on it as LinkChecker's threads (ours defaults to 4 per host).
            ours = run_ours(urls, concurrency=1, max_pages=options.deep_pages * 2, max_depth=None,
                            per_host=options.linkchecker_threads)
        _print_ours(f"(d) ours, {options.linkchecker_threads} requests at once on the site:", ours, 1, load)
        with _ServerLoad(server) as load:
            lc = run_linkchecker(urls, threads=options.linkchecker_threads, depth=None,
                                 polite=options.linkchecker_polite, budget=options.linkchecker_budget)
        print(f"(d) LinkChecker, 1 process, --threads {options.linkchecker_threads}, --recursion-level -1 "
              f"(unlimited): {lc.seconds:.1f} s, {lc.urls_checked:,} URLs checked, {lc.pages:,} internal HTML pages "
              f"(200) → {lc.pages_per_second:,.0f} pages/s; exit status {lc.returncode}"
              + (" (KILLED at the budget: partial)" if lc.killed else "") + load.line())
    _print_ratio("deep-pagination site, 1 process each", ours, lc)
    # On a shared machine the wall-clock rate depends on what else runs: the scheduler shares CPU per thread,
    # and LinkChecker runs 16 threads to our one event loop. Pages per CPU second do not depend on that.
    ours_cpu = ours.pages / ours.cpu_seconds if ours.cpu_seconds else 0.0
    lc_cpu = lc.pages / lc.cpu_seconds if lc.cpu_seconds else 0.0
    print(f"    CPU used: ours {ours.cpu_seconds:.1f} s (crawl + run_checks), LinkChecker {lc.cpu_seconds:.1f} s → pages "
          f"per CPU second: ours {ours_cpu:,.0f} vs LinkChecker {lc_cpu:,.0f} → "
          f"{ours_cpu / lc_cpu if lc_cpu else float('inf'):,.1f}x; load average now {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    missed, extra = compare(ours.broken, lc.broken)
    ours_targets = sorted({t for _, t in ours.broken})
    lc_targets = sorted({t for _, t in lc.broken})
    print(f"    broken link targets: ours {len(ours_targets)}, LinkChecker {len(lc_targets)}; "
          f"(page, target) pairs: ours {len(ours.broken)}, LinkChecker {len(lc.broken)}")
    print("    ours:        " + " ".join(_short(t) for t in ours_targets))
    print("    LinkChecker: " + " ".join(_short(t) for t in lc_targets))
    if missed:
        print(f"    LinkChecker found {len(missed)} our scan did not:")
        for source, target in missed:
            print(f"      {target}  on {source or '(start URL)'}")
    else:
        print("    our scan finds every broken link LinkChecker finds")
    print(f"    broken links we found that LinkChecker did not (informational): {len(extra)}")
    ratio = ours.pages_per_second / lc.pages_per_second if lc.pages_per_second else float("inf")
    return 0 if not missed and not lc.killed and ratio >= 10 else 1


def _short(url: str) -> str:
    """A target without scheme and host, for the printed sets (the hosts are ephemeral loopback ports)."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "") + \
        ("@closed-port" if "/ext/" in parts.path else "")


class _ServerLoad:
    """CPU the fake-site server spent while one tool ran: on a machine with as many tool processes as CPUs
    it competes with the tool, and the faster tool makes it work harder."""

    def __init__(self, server: RegionServer) -> None:
        self.server, self.seconds, self.started = server, None, 0.0

    def __enter__(self) -> _ServerLoad:
        self.before, self.started = self.server.cpu_seconds(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        after, self.wall = self.server.cpu_seconds(), time.perf_counter() - self.started
        if self.before is not None and after is not None:
            self.seconds = after - self.before

    def line(self) -> str:
        if self.seconds is None:
            return ""
        share = self.seconds / self.wall * 100 if self.wall else 0.0
        return (f"\n    the fake-site server used {self.seconds:.1f} s of CPU meanwhile ({share:.0f} % of one CPU, "
                f"taken from the {os.cpu_count()} the tool could use)")


def _print_ours(label: str, ours: OurRun, concurrency: int, load: _ServerLoad | None = None) -> None:
    how = (f"{ours.processes} worker processes, {-(-concurrency // ours.processes)} sites at once each"
           if ours.processes > 1 else f"1 process, crawl_many(concurrency={concurrency})")
    print(f"{label} our scan, {how}, crawl + run_checks: {ours.seconds:.1f} s, {ours.sites} sites, "
          f"{ours.pages:,} pages fetched → {ours.pages_per_second:,.0f} pages/s; "
          f"{ours.links_checked:,} link targets checked; {ours.incomplete} scans incomplete")
    print(f"    run_checks took {ours.check_seconds:.1f} s of that"
          + (" (in the busiest worker)" if ours.processes > 1 else "")
          + f" (crawling alone: {ours.crawl_pages_per_second:,.0f} pages/s); findings: "
          + ", ".join(f"{k} {n}" for k, n in sorted(ours.findings.items())))
    print(f"    prepare_process() once per process before the clock starts (word lists built, gc.freeze; as a "
          f"worker process does before its first task): {ours.warm_up_seconds:.1f} s")
    if ours.processes > 1:
        print("    peak RSS per worker process (ru_maxrss): "
              + ", ".join(_mb(kb) for kb in ours.worker_maxrss_kb)
              + f"; {_mb(sum(ours.worker_maxrss_kb))} in all (shared library pages counted in each)")
    else:
        print(f"    peak RSS of this process (ru_maxrss): {_mb(ours.maxrss_kb)} "
              f"({_mb(ours.maxrss_before_kb)} before the crawl: interpreter and imports)")
    if load is not None and load.line():
        print(load.line().lstrip("\n"))


def _print_linkchecker(label: str, lc: LinkCheckerRun, options: argparse.Namespace,
                       load: _ServerLoad | None = None) -> None:
    throttle = "default per-host throttle" if options.linkchecker_polite else "throttle lifted"
    how = f"{lc.processes} processes (sites split among them)" if lc.processes > 1 else "1 process"
    print(f"{label} LinkChecker, {how}, --threads {options.linkchecker_threads}, -r {options.depth + 1}, "
          f"{throttle}, {lc.sites} sites: {lc.seconds:.1f} s, {lc.urls_checked:,} URLs checked → "
          f"{lc.urls_per_second:,.0f} URLs/s; {lc.pages:,} internal HTML pages (200) → "
          f"{lc.pages_per_second:,.0f} pages/s; exit status {lc.returncode}"
          + (" (KILLED at the budget: partial)" if lc.killed else ""))
    print(f"    peak RSS (VmHWM, polled every 0.1 s): {_mb(lc.maxrss_kb)}"
          + (" in all" if lc.processes > 1 else "") + (load.line() if load is not None else ""))


def _print_ratio(label: str, ours: OurRun, lc: LinkCheckerRun) -> None:
    ratio = ours.pages_per_second / lc.pages_per_second if lc.pages_per_second else float("inf")
    print(f"    speed, {label}, pages/s: ours {ours.pages_per_second:,.0f} vs LinkChecker "
          f"{lc.pages_per_second:,.0f} → {ratio:,.1f}x (target ≥ 10x: {'met' if ratio >= 10 else 'NOT met'}); "
          f"crawling alone, without run_checks: "
          f"{ours.crawl_pages_per_second / max(lc.pages_per_second, 1e-9):,.1f}x")


if __name__ == "__main__":
    sys.exit(main())
