"""Benchmark of the 公共页面缓存: requests/s of a cached article page next to nginx serving the same HTML (issue 12).

    .venv/bin/python bench/pages.py [--duration 10] [--connections 32] [--workers 2]
        [--cache-url redis://127.0.0.1:6379/9] [--database-url URL] [--keep]

What it does, all on loopback and in a temporary directory:

1. a small generated site: migrates a fresh database (SQLite in the temporary directory unless
   ``--database-url``), builds the mini region of the tests and publishes a 要闻动态 column with an article
   (the tests' news body: headings, a list and a table);
2. starts the app as in production: ``gunicorn govsite.wsgi`` with ``--workers`` sync workers under
   ``govsite.settings.production`` (DEBUG off, TLS proxy headers trusted, the cache in Redis: ``--cache-url``,
   so the workers share it), and warms the cache with one request;
3. saves the article's HTML as the cache serves it to ``www/index.html`` and starts nginx in the foreground
   (a temporary nginx.conf on another loopback port, as many worker processes as gunicorn has workers,
   access log off, ``etag on``) — the static-file 站群 the issue compares with;
4. runs ``wrk`` (threads 2, ``--connections``, ``--duration``) against both, gunicorn first, with the site's
   Host and ``X-Forwarded-Proto: https`` (as the TLS proxy in front would send), and prints requests/s of
   both and the ratio (goal: at least 50 % of nginx). Every answer must be 200: a wrk run with non-2xx
   answers is reported and fails;
5. then the deployment recipe: the same nginx as a caching proxy in front of gunicorn (``proxy_cache`` for
   the ``X-Accel-Expires`` second the app allows, revalidated with the page's ETag, bypassed by a session
   cookie), measured the same way.

Python's WSGI servers stay far below nginx on one machine (each request is parsed in Python); the cache
makes the app's own part small (a hit is answered in ``pagecache.wsgi_fast_path`` before Django builds a
request), and the proxy recipe gives static-file speed with at most a second's staleness.

Needs ``wrk`` and ``nginx`` (Debian: ``apt-get install -y wrk nginx``) and Redis for ``--cache-url``.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "www.sf.gov.cn"

BUILD_SITE = r"""
from govsite.testing import build_mini_region
from govsite.content.tests.builders import NEWS_BODY, add_article, add_column
region = build_mini_region(hosted=True)
home = region.portal.wagtail_site.root_page.specific
column = add_column(home, "要闻动态", slug="news")
for n in range(20):
    add_article(column, f"全区政务工作动态第{n + 1}期", slug=f"item-{n + 1}")
article = add_article(column, "自治区人民政府召开常务会议", body=NEWS_BODY, slug="meeting",
                      source="自治区人民政府办公厅", summary="会议研究部署优化营商环境工作。")
print("PATH", article.get_url_parts()[2])
"""

NGINX_CONF = """
daemon off;
worker_processes {workers};
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    default_type text/html;
    charset utf-8;
    etag on;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/www;
        location / {{ try_files $uri /index.html; }}
    }}
    # The deployment recipe: nginx in front of gunicorn keeps what the app marks cacheable for
    # X-Accel-Expires seconds (1) and revalidates it with the page's ETag; visitors with a session bypass it.
    proxy_cache_path {tmp}/nginx-cache keys_zone=pages:10m max_size=256m inactive=10m;
    server {{
        listen 127.0.0.1:{front_port};
        location / {{
            proxy_pass http://127.0.0.1:{app_port};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;
            proxy_cache pages;
            proxy_cache_key "$scheme|$host|$request_uri|$cookie_govsite_elder";
            proxy_cache_bypass $cookie_sessionid;
            proxy_no_cache $cookie_sessionid;
            proxy_cache_revalidate on;
            proxy_cache_lock on;
            proxy_cache_use_stale updating;
            proxy_cache_background_update on;
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def fetch(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                     headers={"Host": HOST, "X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        return response.status, dict(response.headers), response.read()


def run_wrk(url: str, args: argparse.Namespace, headers: list[str]) -> float:
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    print(output)
    if "Non-2xx or 3xx responses" in output:
        raise SystemExit("wrk got answers other than 200: the figure would not mean anything")
    return float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))


PROFILE = rf"""
import cProfile, io, pstats, sys
import django
django.setup()
from django.core.handlers.wsgi import WSGIHandler
app = WSGIHandler()
environ = {{"REQUEST_METHOD": "GET", "PATH_INFO": sys.argv[1], "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
           "SERVER_PORT": "80", "HTTP_HOST": "{HOST}", "HTTP_X_FORWARDED_PROTO": "https", "wsgi.url_scheme": "http",
           "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "SERVER_PROTOCOL": "HTTP/1.1"}}
def start(status, headers):
    assert status.startswith("200"), status
for _ in range(50):
    b"".join(app(dict(environ), start))
profiler = cProfile.Profile()
profiler.enable()
for _ in range(2000):
    b"".join(app(dict(environ), start))
profiler.disable()
pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
"""


def profile(env: dict[str, str], path: str) -> None:
    subprocess.run([PYTHON, "-c", PROFILE, path], env=env, cwd=ROOT, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class (gthread keeps connections)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--cache-url", default=os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--database-url", default="")
    parser.add_argument("--profile", action="store_true", help="also profile 2,000 cache hits in this process")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is missing: apt-get install -y wrk nginx")

    tmp = Path(tempfile.mkdtemp(prefix="govsite-bench-pages-"))
    tmp.chmod(0o755)  # nginx's workers run as an unprivileged user and read www/ from here
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govsite.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "ALLOWED_HOSTS": f"{HOST},127.0.0.1,localhost",
        "GOVSITE_PLATFORM_HOSTS": "127.0.0.1,localhost",
        "BEHIND_TLS_PROXY": "1",
        "GOVSITE_VAR_DIR": str(tmp / "var"),
        "DATABASE_URL": args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}",
        "CACHE_URL": args.cache_url,
        "GOVSITE_ALLOW_DEMO": "1",
    }
    children: list[subprocess.Popen] = []
    try:
        print("migrating a fresh database …", flush=True)
        subprocess.run([PYTHON, "-m", "django", "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True)
        subprocess.run([PYTHON, "-m", "django", "collectstatic", "--noinput", "--verbosity", "0"], env=env, cwd=ROOT,
                       check=True)
        built = subprocess.run([PYTHON, "-m", "django", "shell", "-c", BUILD_SITE], env=env, cwd=ROOT, check=True,
                               capture_output=True, text=True).stdout
        path = re.search(r"^PATH (\S+)", built, re.MULTILINE).group(1)
        subprocess.run([PYTHON, "-c", "import django; django.setup(); from django.core.cache import cache; "
                        "cache.clear()"], env=env, cwd=ROOT, check=True)

        app_port, nginx_port = free_port(), free_port()
        gunicorn = [PYTHON, "-m", "gunicorn", "govsite.wsgi:application", "--workers", str(args.workers),
                    "--bind", f"127.0.0.1:{app_port}", "--log-level", "warning", "--keep-alive", "30",
                    "--worker-class", args.worker_class, "--threads", str(args.threads)]
        children.append(subprocess.Popen(gunicorn, env=env, cwd=ROOT))
        wait_for(app_port)
        status, first_headers, _ = fetch(app_port, path)  # renders and stores
        status, headers, body = fetch(app_port, path)
        assert status == 200 and "ETag" in headers, (status, headers)
        print(f"article {path}: {len(body)} bytes, ETag {headers['ETag']}, Cache-Control {headers['Cache-Control']}")

        (tmp / "www").mkdir()
        (tmp / "www" / "index.html").write_bytes(body)
        (tmp / "www" / "index.html").chmod(0o644)
        (tmp / "www").chmod(0o755)
        conf = tmp / "nginx.conf"
        front_port = free_port()
        conf.write_text(NGINX_CONF.format(workers=args.workers, tmp=tmp, port=nginx_port, front_port=front_port,
                                          app_port=app_port))
        children.append(subprocess.Popen(["nginx", "-c", str(conf), "-p", str(tmp)]))
        wait_for(nginx_port)

        headers_sent = [f"Host: {HOST}", "X-Forwarded-Proto: https"]
        print(f"== gunicorn ({args.workers} workers), cached article ==", flush=True)
        app_rps = run_wrk(f"http://127.0.0.1:{app_port}{path}", args, headers_sent)
        print("== nginx, the same HTML from disk ==", flush=True)
        nginx_rps = run_wrk(f"http://127.0.0.1:{nginx_port}{path}", args, headers_sent)
        if args.profile:
            profile(env, path)
        print("== nginx proxy_cache in front of gunicorn (X-Accel-Expires, ETag revalidation) ==", flush=True)
        front_rps = run_wrk(f"http://127.0.0.1:{front_port}{path}", args, headers_sent)
        print(f"RESULT cached page (gunicorn alone) {app_rps:,.0f} req/s; nginx static {nginx_rps:,.0f} req/s; "
              f"ratio {100 * app_rps / nginx_rps:.1f} % (goal ≥ 50 %)")
        print(f"RESULT with nginx proxy_cache in front {front_rps:,.0f} req/s; "
              f"ratio {100 * front_rps / nginx_rps:.1f} % of nginx static")
    finally:
        for child in reversed(children):
            child.send_signal(signal.SIGTERM if child.args[0] != "nginx" else signal.SIGQUIT)
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
