"""Fake government websites (模拟政府网站) served on loopback, for testing and benchmarking 网站监测.

A site's structure is data: a `SiteSpec` lists homepage items, columns (栏目) with dated or undated items
and pagination, links (broken internal 链接, external links to closed loopback ports, 暗链 in hidden
blocks, images, scripts, frames), attachments (附件, some missing), encoding quirks, footer items
(网站标识码 …), article `<meta>` tags, leaked personal data and hostile endpoints (slow drip, huge page,
redirect loop …). `FakeSiteServer` serves any number of specs from one background thread with its own
event loop, each site on its own free port of 127.0.0.1, through a real HTTP server (aiohttp.web).

Nothing here ever points outside 127.0.0.1: "external" links go to closed loopback ports (`{closed}`) or
to another fake site.
"""

from __future__ import annotations

import asyncio
import io
import random
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from typing import Any

from aiohttp import web

# How real Chinese government list pages write dates; `short` leaves the year implied.
DATE_FORMATS: dict[str, str] = {
    "iso": "{d:%Y-%m-%d}",
    "slash": "{d:%Y/%m/%d}",
    "cn": "{d.year}年{d.month}月{d.day}日",
    "short": "[{d:%m-%d}]",
    "dot": "{d:%Y.%m.%d}",
}

DEFAULT_FOOTER: dict[str, str] = {
    "主办单位": "示范市人民政府办公室",
    "网站标识码": "1101000001",
    "ICP备案号": "京ICP备12345678号",
    "公安机关备案号": "京公网安备11010502000001号",
    "联系方式": "010-12345678",
    "党政机关网站标识": "党政机关",
    "我为政府网站找错": "我为政府网站找错",
}

# Hostile endpoint kinds and what they do; `SiteSpec.hostile` maps a path to one of these.
HOSTILE_KINDS = (
    "drip",  # 200, then one byte per second, forever
    "huge",  # 60 MB streamed, chunked (no Content-Length)
    "huge_declared",  # 60 MB with a Content-Length header
    "redirect_loop",  # path → path + "/b" → path
    "redirect_chain",  # path/1 → path/2 → … without end
    "bad_bytes",  # declared utf-8, body holds invalid bytes
    "wrong_charset",  # declared utf-8 (header and meta), body is GBK
    "close_mid",  # Content-Length promised, connection closed after a few bytes
    "slow_first_byte",  # waits 60 s before the status line
    "server_error",  # always 500
    "head_405",  # HEAD refused with 405, GET answers 200 (common on old government servers)
)
ALL_HOSTILE: dict[str, str] = {f"/hostile/{kind}": kind for kind in HOSTILE_KINDS}

HUGE_BYTES = 60 * 1024 * 1024
SLOW_FIRST_BYTE_SECONDS = 60.0


@dataclass
class LinkSpec:
    """A link placed on a page of the fake site; `href` may use `{self}` (site base) and `{closed}`."""

    href: str
    on: str = "/"  # path of the page that carries it
    tag: str = "a"  # a, img, script, link, iframe, frame, area
    text: str = "相关链接"
    hidden: bool = False  # inside a display:none block (暗链)


@dataclass
class ColumnSpec:
    """栏目: a list page at `/{path}/` paginated as index.html, index_1.html, … and one article per item."""

    name: str
    path: str
    item_dates: list[date | None] = field(default_factory=list)
    empty: bool = False  # list page says 暂无信息 (blank column)
    per_page: int = 20
    date_format: str = "iso"
    in_nav: bool = True  # False: not linked from the navigation (only the registry knows it)
    # "next": a 下一页 link only; "window": 首页 上一页 the page numbers around this one 下一页 尾页, as the
    # pagination of real government listings (createPageHTML, 大汉 JCMS) is written.
    pager: str = "next"


@dataclass
class AttachmentSpec:
    """附件 linked from page `on`; `missing` means the link answers 404."""

    path: str
    on: str = "/"
    missing: bool = False
    text: str = "附件正文：示范市政务公开工作要点。"


@dataclass
class MailboxSpec:
    """互动: a consultation channel (领导信箱 …) linked from every page, listing messages as
    (date, answered); `missing` makes its page answer 404."""

    name: str = "领导信箱"
    path: str = "ldxx"
    messages: list[tuple[date, bool]] = field(default_factory=list)
    missing: bool = False


@dataclass
class SiteSpec:
    """One fake government website; every field is data so a benchmark can generate thousands."""

    name: str = "示范市人民政府"
    homepage_dates: list[date | None] = field(default_factory=list)
    homepage_date_format: str = "iso"
    columns: list[ColumnSpec] = field(default_factory=list)
    links: list[LinkSpec] = field(default_factory=list)
    attachments: list[AttachmentSpec] = field(default_factory=list)
    encoding: str = "utf-8"  # "utf-8" or "gbk"
    charset_in_header: bool = True
    charset_in_meta: bool = True
    footer: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_FOOTER))
    article_meta: bool = True  # <meta name="SiteIDCode"> … on article pages
    leaked_id_number: str = ""  # put into the first article (个人信息泄露)
    soft_404: bool = False  # unknown paths answer 200 with 页面不存在
    hostile: dict[str, str] = field(default_factory=dict)  # path → kind in HOSTILE_KINDS
    extra_pages: dict[str, str] = field(default_factory=dict)  # path → raw HTML body (site encoding)
    mailbox: MailboxSpec | None = field(default_factory=MailboxSpec)  # None: no consultation channel
    # Page weight: about this many KB of inline script, style and boilerplate footer text on every page, as
    # real portals carry (their pages weigh tens of KB); 0 keeps pages minimal. Adds no links.
    chrome_kb: int = 0
    # path → Location of a 302 answer (`{self}` and `{closed}` allowed): a site redirecting elsewhere.
    redirects: dict[str, str] = field(default_factory=dict)
    # Huge pages (页面过大): the homepage links /big/0.html … /big/{n-1}.html, each `big_page_bytes` of HTML
    # generated as it is sent (chunked, no Content-Length), so that serving them takes no memory.
    big_pages: int = 0
    big_page_bytes: int = 4 * 1024 * 1024


def closed_port() -> int:
    """A loopback port nobody listens on (bound then released), for external links that must fail."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def format_date(value: date, fmt: str) -> str:
    return DATE_FORMATS[fmt].format(d=value)


# -- rendering ------------------------------------------------------------------------------------------


@dataclass
class _Route:
    status: int
    body: bytes
    content_type: str


class _Renderer:
    """Turns a spec into a path → response table once, at start, so serving is a dict lookup."""

    def __init__(self, spec: SiteSpec, base: str, closed_base: str) -> None:
        self.spec = spec
        self.base = base
        self.closed_base = closed_base
        self.routes: dict[str, _Route] = {}
        self.extra: dict[str, list[str]] = {}  # page path → HTML snippets to add
        self._chrome_html: str | None = None

    def href(self, value: str) -> str:
        return value.replace("{self}", self.base).replace("{closed}", self.closed_base)

    def build(self) -> dict[str, _Route]:
        spec = self.spec
        for link in spec.links:
            self.extra.setdefault(link.on, []).append(self._link_html(link))
        for att in spec.attachments:
            self.extra.setdefault(att.on, []).append(
                f'<p class="fj"><a href="{escape(att.path)}">附件：{escape(att.path.rsplit("/", 1)[-1])}</a></p>'
            )
            if not att.missing:
                self.routes[att.path] = _attachment_route(att)
        first_article = True
        home_items = []
        for i, day in enumerate(spec.homepage_dates):
            path = f"/home/{i}.html"
            title = f"首页要闻{i + 1}"
            home_items.append((title, path, day))
            self._article(path, title, day, "要闻", leak=False)
        for column in spec.columns:
            items = []
            for i, day in enumerate([] if column.empty else column.item_dates):
                path = f"/{column.path}/{i}.html"
                title = f"{column.name}信息{i + 1}"
                items.append((title, path, day))
                self._article(
                    path, title, day, column.name, leak=first_article and bool(spec.leaked_id_number)
                )
                first_article = False
            self._column_pages(column, items)
        if spec.big_pages:
            big = "".join(f'<li><a href="/big/{i}.html">大页面{i + 1}</a></li>' for i in range(spec.big_pages))
            self.extra.setdefault("/", []).append(f'<div class="big"><ul>{big}</ul></div>')
        self._page("/", self._homepage(home_items))
        if spec.mailbox is not None and not spec.mailbox.missing:
            self._mailbox_page(spec.mailbox)
        for path, body in spec.extra_pages.items():
            self._page(path, body, wrap=False)
        return self.routes

    def _link_html(self, link: LinkSpec) -> str:
        href = escape(self.href(link.href))
        text = escape(link.text)
        html = {
            "a": f'<a href="{href}">{text}</a>',
            "img": f'<img src="{href}" alt="{text}">',
            "script": f'<script src="{href}"></script>',
            "link": f'<link rel="stylesheet" href="{href}">',
            "iframe": f'<iframe src="{href}"></iframe>',
            "frame": f'<frameset><frame src="{href}"></frameset>',
            "area": f'<map name="m"><area href="{href}" alt="{text}"></map>',
        }[link.tag]
        if link.hidden:
            html = f'<div style="display:none">{html}</div>'
        return html

    def _head(self, title: str, meta: dict[str, str] | None = None) -> str:
        charset = f'<meta charset="{self._charset_name()}">' if self.spec.charset_in_meta else ""
        metas = "".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in (meta or {}).items())
        return f"<!DOCTYPE html><html><head>{charset}<title>{escape(title)}</title>{metas}</head>"

    def _charset_name(self) -> str:
        return "gbk" if self.spec.encoding.lower() in {"gbk", "gb2312", "gb18030"} else "utf-8"

    def _footer(self) -> str:
        parts = []
        for key, value in self.spec.footer.items():
            if key == "党政机关网站标识":
                # Real sites hang the mark as an image (linking to conac.cn); an inline image keeps the
                # fake site from sending the crawler to a host outside the loopback.
                parts.append(f'<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="{escape(value)}网站标识">')
            else:
                parts.append(f"<span>{escape(key)}：{escape(value)}</span>")
        return f'<div class="footer">{"".join(parts)}</div>'

    def _nav(self) -> str:
        links = "".join(f'<a href="/{c.path}/">{escape(c.name)}</a>' for c in self.spec.columns if c.in_nav)
        mailbox = self.spec.mailbox
        channel = f'<div class="hd-links"><a href="/{mailbox.path}/">{escape(mailbox.name)}</a></div>' if mailbox else ""
        return f'<div class="nav"><a href="/">首页</a>{links}</div>{channel}'

    def _mailbox_page(self, mailbox: MailboxSpec) -> None:
        rows = "".join(
            f'<li><span class="title">关于办事流程的咨询{i + 1}</span><span class="date">{day:%Y-%m-%d}</span>'
            f'<span class="status">{"已回复" if answered else "未回复"}</span></li>'
            for i, (day, answered) in enumerate(mailbox.messages)
        )
        body = (
            f"{self._head(mailbox.name)}<body>{self._nav()}<h2>{escape(mailbox.name)}</h2>"
            f'<p>欢迎您通过本信箱提出咨询和建议。</p><div class="list"><ul>{rows}</ul></div>'
        )
        self._page(f"/{mailbox.path}/", body)

    def _chrome(self) -> str:
        """`chrome_kb` of page weight: a third script, a third style, a third visible text (no links)."""
        if not self.spec.chrome_kb:
            return ""
        if self._chrome_html is None:
            third = self.spec.chrome_kb * 1024 // 3
            script = "var siteConfig = {searchUrl: '/search', fontSize: 16, elder: false};\n"
            style = ".nav a{color:#036;margin:0 8px}.list li{line-height:2}.footer span{margin:0 6px}\n"
            text = "本网站由示范区人民政府办公室主办，示范区大数据中心承办。建议使用1920×1080分辨率浏览本网站。"
            self._chrome_html = (
                f"<script>{script * (third // len(script) + 1)}</script>"
                f"<style>{style * (third // len(style) + 1)}</style>"
                f'<div class="footer-info">{"".join(f"<p>{text}</p>" for _ in range(third // (3 * len(text)) + 1))}</div>'
            )
        return self._chrome_html

    def _page(self, path: str, body: str, *, wrap: bool = True) -> None:
        extra = "".join(self.extra.get(path, []))
        if wrap:
            html = f"{body}{extra}{self._chrome()}{self._footer()}</body></html>"
        else:
            html = body.replace("</body>", f"{extra}</body>") if extra else body
        self.routes[path] = _Route(200, html.encode(self._charset_name(), "xmlcharrefreplace"), "text/html")

    def _item_li(self, title: str, path: str, day: date | None, fmt: str) -> str:
        when = f'<span class="date">{format_date(day, fmt)}</span>' if day else ""
        return f'<li><a href="{path}">{escape(title)}</a>{when}</li>'

    def _homepage(self, items: list[tuple[str, str, date | None]]) -> str:
        fmt = self.spec.homepage_date_format
        lis = "".join(self._item_li(t, p, d, fmt) for t, p, d in items)
        return (
            f"{self._head(self.spec.name)}<body><h1>{escape(self.spec.name)}</h1>{self._nav()}"
            f'<div class="yw"><h2>要闻动态</h2><ul>{lis}</ul></div>'
        )

    def _column_pages(self, column: ColumnSpec, items: list[tuple[str, str, date | None]]) -> None:
        chunks = [items[i : i + column.per_page] for i in range(0, len(items), column.per_page)] or [[]]
        for n, chunk in enumerate(chunks):
            lis = "".join(self._item_li(t, p, d, column.date_format) for t, p, d in chunk)
            content = f"<ul>{lis}</ul>" if chunk else '<div class="empty">暂无信息</div>'
            pager = ""
            if column.pager == "window" and len(chunks) > 1:
                pager = self._window_pager(column.path, n, len(chunks))
            elif n + 1 < len(chunks):
                pager = f'<a class="next" href="/{column.path}/index_{n + 1}.html">下一页</a>'
            body = (
                f"{self._head(column.name)}<body>{self._nav()}<h2>{escape(column.name)}</h2>"
                f'<div class="list">{content}</div>{pager}'
            )
            if n == 0:
                self._page(f"/{column.path}/", body)
                self._page(f"/{column.path}/index.html", body)
            else:
                self._page(f"/{column.path}/index_{n}.html", body)

    @staticmethod
    def _window_pager(path: str, n: int, count: int, width: int = 5) -> str:
        def href(k: int) -> str:
            return f"/{path}/" if k == 0 else f"/{path}/index_{k}.html"

        parts = [f'<a href="{href(0)}">首页</a>']
        if n > 0:
            parts.append(f'<a href="{href(n - 1)}">上一页</a>')
        for k in range(max(0, n - width), min(count, n + width + 1)):
            parts.append(f"<span>{k + 1}</span>" if k == n else f'<a href="{href(k)}">{k + 1}</a>')
        if n + 1 < count:
            parts.append(f'<a href="{href(n + 1)}">下一页</a>')
        parts.append(f'<a href="{href(count - 1)}">尾页</a>')
        return f'<div class="page">{"".join(parts)}</div>'

    def _article(self, path: str, title: str, day: date | None, column: str, *, leak: bool) -> None:
        meta = None
        if self.spec.article_meta:
            meta = {
                "SiteName": self.spec.name,
                "SiteDomain": "127.0.0.1",
                "SiteIDCode": self.spec.footer.get("网站标识码", ""),
                "ColumnName": column,
                "ArticleTitle": title,
                "PubDate": f"{day:%Y-%m-%d} 09:00" if day else "",
            }
        when = f'<div class="info">发布时间：{day:%Y-%m-%d} 09:00</div>' if day else ""
        leaked = ""
        if leak:
            leaked = (
                f"<p>联系人：张三，身份证号：{escape(self.spec.leaked_id_number)}，电话 13800138000。</p>"
            )
        body = (
            f"{self._head(title, meta)}<body>{self._nav()}<h1>{escape(title)}</h1>{when}"
            f'<div class="content"><p>{escape(title)}的正文内容。</p>{leaked}</div>'
        )
        self._page(path, body)


def _attachment_route(att: AttachmentSpec) -> _Route:
    ext = att.path.rsplit(".", 1)[-1].lower()
    if ext in {"txt", "csv"}:
        return _Route(200, att.text.encode("utf-8"), "text/plain; charset=utf-8")
    if ext == "docx":
        return _Route(
            200,
            _docx_bytes(att.text),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    if ext == "pdf":
        return _Route(200, _pdf_bytes("Attachment text 2026"), "application/pdf")
    if ext in {"xls", "doc"}:
        # Old OLE compound files: the extractor refuses them, which the crawler must survive.
        return _Route(200, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "application/vnd.ms-excel")
    return _Route(200, b"PK\x03\x04 not really an archive", "application/octet-stream")


def _docx_bytes(text: str) -> bytes:
    import docx  # lazily: only sites with .docx attachments need python-docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf_bytes(text: str) -> bytes:
    """A minimal one-page PDF with ASCII text (base-14 font), valid enough for pypdf to extract."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# -- serving --------------------------------------------------------------------------------------------


@dataclass
class FakeSite:
    """A running fake site: its base `url` (no trailing slash), its spec and per-(method, path) hit counts."""

    spec: SiteSpec
    url: str = ""
    port: int = 0
    hits: Counter[tuple[str, str]] = field(default_factory=Counter)
    runner: Any = None


class FakeSiteServer:
    """Serves fake sites on 127.0.0.1 from one background thread; `add()` starts one more site (port 0)."""

    def __init__(self) -> None:
        self.sites: list[FakeSite] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopping: asyncio.Event | None = None
        self._closed_base = f"http://127.0.0.1:{closed_port()}"
        # Requests being answered right now across all sites, and the most at once: how a test sees that a
        # client works in parallel without timing it.
        self.in_flight = 0
        self.peak_in_flight = 0

    def start(self) -> FakeSiteServer:
        if self._thread:
            return self
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._loop = loop
            self._stopping = asyncio.Event()
            ready.set()
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, name="fakesite", daemon=True)
        self._thread.start()
        ready.wait()
        return self

    def add(self, spec: SiteSpec) -> FakeSite:
        """Start serving `spec` on a free port and return the running site."""
        self.start()
        assert self._loop is not None
        site = FakeSite(spec=spec)
        asyncio.run_coroutine_threadsafe(self._serve(site), self._loop).result(timeout=30)
        self.sites.append(site)
        return site

    def stop(self) -> None:
        """Stop every site (endless handlers see the stop event and return) and the thread."""
        if not self._thread or not self._loop:
            return
        loop = self._loop

        async def shutdown() -> None:
            assert self._stopping is not None
            self._stopping.set()
            for site in self.sites:
                await site.runner.cleanup()

        try:
            asyncio.run_coroutine_threadsafe(shutdown(), loop).result(timeout=30)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            self._thread.join(timeout=10)
            self._thread = None
            self._loop = None

    def __enter__(self) -> FakeSiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _serve(self, site: FakeSite) -> None:
        app = web.Application()
        routes: dict[str, _Route] = {}

        async def handle(request: web.Request) -> web.StreamResponse:
            site.hits[(request.method, request.path)] += 1
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            try:
                return await answer(request)
            finally:
                self.in_flight -= 1

        async def answer(request: web.Request) -> web.StreamResponse:
            kind = site.spec.hostile.get(request.path) or _hostile_prefix(site.spec.hostile, request.path)
            if kind:
                return await self._hostile(kind, request)
            location = site.spec.redirects.get(request.path)
            if location is not None:
                raise web.HTTPFound(location.replace("{self}", site.url).replace("{closed}", self._closed_base))
            if site.spec.big_pages and request.path.startswith("/big/"):
                return await self._big_page(site.spec, request)
            route = routes.get(request.path)
            if route is None:
                if site.spec.soft_404:
                    body = "<html><body><h1>页面不存在</h1></body></html>"
                    return web.Response(text=body, content_type="text/html", charset="utf-8")
                return web.Response(status=404, text="Not Found")
            charset = None
            if route.content_type == "text/html" and site.spec.charset_in_header:
                charset = "gbk" if site.spec.encoding.lower() in {"gbk", "gb2312", "gb18030"} else "utf-8"
            # aiohttp answers HEAD with the headers (Content-Length included) and no body.
            resp = web.Response(
                status=route.status, body=route.body, content_type=route.content_type.split(";")[0]
            )
            if charset:
                resp.charset = charset
            return resp

        app.router.add_route("*", "/{tail:.*}", handle)
        runner = web.AppRunner(app, shutdown_timeout=0.5, access_log=None)
        await runner.setup()
        tcp = web.TCPSite(runner, "127.0.0.1", 0)
        await tcp.start()
        port = runner.addresses[0][1]
        site.runner, site.port, site.url = runner, port, f"http://127.0.0.1:{port}"
        routes.update(_Renderer(site.spec, site.url, self._closed_base).build())

    async def _big_page(self, spec: SiteSpec, request: web.Request) -> web.StreamResponse:
        """A `big_page_bytes` page of text paragraphs and links, made while it is sent."""
        resp = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8"})
        head = f"<html><head><title>大页面</title></head><body><h1>{escape(request.path)}</h1>".encode()
        paragraph = (
            "<p>示范市人民政府关于进一步做好政务公开工作的通知。各县区人民政府、市直各部门：为深入贯彻落实"
            '有关要求，现将有关事项通知如下。<a href="/zwgk/">政务公开</a><span>2026-11-20</span></p>\n'
        ).encode()
        chunk = paragraph * (64 * 1024 // len(paragraph))
        try:
            await resp.prepare(request)
            await resp.write(head)
            sent = len(head)
            while sent < spec.big_page_bytes and not self._stopping.is_set():  # type: ignore[union-attr]
                part = chunk[: spec.big_page_bytes - sent]
                await resp.write(part)
                sent += len(part)
            await resp.write(b"</body></html>")
            await resp.write_eof()
        except (ConnectionError, RuntimeError):
            pass  # the client hung up at its size cap
        return resp

    async def _sleep_or_stop(self, seconds: float) -> bool:
        """Sleep, but wake at shutdown; True when the server is stopping."""
        assert self._stopping is not None
        try:
            await asyncio.wait_for(self._stopping.wait(), seconds)
            return True
        except TimeoutError:
            return False

    async def _hostile(self, kind: str, request: web.Request) -> web.StreamResponse:
        if kind == "redirect_loop":
            base = request.path.removesuffix("/b")
            target = base if request.path.endswith("/b") else base + "/b"
            raise web.HTTPFound(target)
        if kind == "redirect_chain":
            head, _, tail = request.path.rpartition("/")
            n = int(tail) + 1 if tail.isdigit() else 1
            prefix = head if tail.isdigit() else request.path.rstrip("/")
            raise web.HTTPFound(f"{prefix}/{n}")
        if kind == "head_405":
            if request.method == "HEAD":
                return web.Response(status=405)
            return web.Response(text="<html><body>ok</body></html>", content_type="text/html")
        if kind == "server_error":
            return web.Response(status=500, text="Internal Server Error")
        if kind == "bad_bytes":
            body = (
                b"<html><body><p>"
                + "正常文字".encode()
                + b"\xff\xfe\x80\x81"
                + "坏字节".encode("gbk")
                + b"</p></body></html>"
            )
            return web.Response(body=body, content_type="text/html", charset="utf-8")
        if kind == "wrong_charset":
            html = (
                '<html><head><meta charset="utf-8"></head><body><p>通知公告 2026年11月20日</p></body></html>'
            )
            return web.Response(body=html.encode("gbk"), content_type="text/html", charset="utf-8")
        if kind == "slow_first_byte":
            await self._sleep_or_stop(SLOW_FIRST_BYTE_SECONDS)
            return web.Response(text="<html><body>late</body></html>", content_type="text/html")
        resp = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8"})
        if kind == "huge_declared":
            resp.content_length = HUGE_BYTES
        if kind == "close_mid":
            resp.content_length = 100_000
        try:
            await resp.prepare(request)
            if kind == "close_mid":
                await resp.write(b"<html><body>partial")
                assert request.transport is not None
                request.transport.close()
                return resp
            if kind == "drip":
                while not await self._sleep_or_stop(1.0):
                    await resp.write(b" ")
                return resp
            chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
            sent = 0
            while sent < HUGE_BYTES and not self._stopping.is_set():  # type: ignore[union-attr]
                await resp.write(chunk)
                sent += len(chunk)
            await resp.write_eof()
        except (ConnectionError, RuntimeError):
            pass  # the client hung up, which is what a crawler capping the size does
        return resp


def _hostile_prefix(hostile: dict[str, str], path: str) -> str:
    """Redirect loops and chains answer below their path too (/x/b, /x/7)."""
    for prefix, kind in hostile.items():
        if kind in {"redirect_loop", "redirect_chain"} and path.startswith(prefix.rstrip("/") + "/"):
            return kind
    return ""


@contextmanager
def serve(*specs: SiteSpec) -> Iterator[list[FakeSite]]:
    """Serve the specs for the duration of a `with` block: `with serve(a, b) as (site_a, site_b): …`."""
    server = FakeSiteServer().start()
    try:
        yield [server.add(spec) for spec in specs]
    finally:
        server.stop()


# -- generators -----------------------------------------------------------------------------------------

COLUMN_NAMES = [
    ("要闻动态", "ywdt"),
    ("通知公告", "tzgg"),
    ("政策文件", "zcwj"),
    ("人事信息", "rsxx"),
    ("规划计划", "ghjh"),
    ("政策解读", "zcjd"),
    ("部门动态", "bmdt"),
    ("政务公开", "zwgk"),
]


def site_with_pages(
    name: str, pages: int, *, as_of: date, rng: random.Random, broken_links: int = 3, empty_columns: int = 0
) -> SiteSpec:
    """A plausible site of about `pages` HTML pages: columns of dated articles, a few broken links."""
    n_columns = min(len(COLUMN_NAMES), max(2, pages // 25))
    per_column = max(1, (pages - 1 - n_columns) // n_columns)
    columns = []
    for i, (col_name, path) in enumerate(COLUMN_NAMES[:n_columns]):
        empty = i >= n_columns - empty_columns
        dates = sorted((as_of - timedelta(days=rng.randint(0, 400)) for _ in range(per_column)), reverse=True)
        fmt = list(DATE_FORMATS)[i % len(DATE_FORMATS)]
        columns.append(ColumnSpec(col_name, path, item_dates=list(dates), empty=empty, date_format=fmt))
    links = []
    for j in range(broken_links):
        col = columns[j % len(columns)]
        on = f"/{col.path}/0.html" if col.item_dates and not col.empty else "/"
        if j % 2:
            links.append(LinkSpec(f"{{closed}}/ext/{j}.html", on=on, text="外部链接"))
        else:
            links.append(LinkSpec(f"/missing/{j}.html", on=on, text="失效链接"))
    homepage = [as_of - timedelta(days=rng.randint(0, 20)) for _ in range(8)]
    return SiteSpec(name=name, homepage_dates=homepage, columns=columns, links=links)


def region_of_sites(
    n_sites: int = 50, pages_per_site: int = 200, seed: int = 0, *, as_of: date | None = None, chrome_kb: int = 0
) -> list[SiteSpec]:
    """Specs for a benchmark region (区域): `n_sites` sites of about `pages_per_site` pages, a few broken links."""
    rng = random.Random(seed)
    as_of = as_of or date(2026, 11, 30)
    specs = []
    for i in range(n_sites):
        spec = site_with_pages(
            f"示范区第{i + 1}部门网站", pages_per_site, as_of=as_of, rng=rng, broken_links=rng.randint(0, 5)
        )
        if i % 7 == 3:
            spec.encoding = "gbk"
        spec.chrome_kb = chrome_kb
        specs.append(spec)
    return specs


def deep_pagination_site(pages: int = 10_000, *, seed: int = 0, broken: int = 100, as_of: date | None = None,
                         per_page: int = 20) -> SiteSpec:
    """A site of about `pages` HTML pages, almost all in ONE column paginated over pages/per_page listing pages
    (首页 上一页 1 2 3 … 下一页 尾页), the normal shape of a government site's 工作动态 after some years.

    `broken` broken links are spread over the deep end: most on listing pages far down the pagination (a
    404 under /missing/), every fifth on an article page as an outside link to a closed loopback port.
    A crawl with a small depth limit that counts pagination as depth finds almost none of them.
    """
    rng = random.Random(seed)
    as_of = as_of or date(2026, 11, 30)
    articles = max(per_page, pages * per_page // (per_page + 1) - 40)
    dates = sorted((as_of - timedelta(days=rng.randint(0, 3650)) for _ in range(articles)), reverse=True)
    main = ColumnSpec("工作动态", "gzdt", item_dates=dates, per_page=per_page, pager="window")
    small = [ColumnSpec(name, path, item_dates=dates[:12]) for name, path in (("通知公告", "tzgg"), ("政策文件", "zcwj"))]
    listing_pages = -(-articles // per_page)
    links = []
    for j in range(broken):
        if j % 5 == 4:
            article = rng.randrange(articles // 2, articles)
            links.append(LinkSpec(f"{{closed}}/ext/{j}.html", on=f"/gzdt/{article}.html", text="外部链接"))
        else:
            k = rng.randrange(max(1, listing_pages // 4), listing_pages)
            links.append(LinkSpec(f"/missing/deep-{j}.html", on=f"/gzdt/index_{k}.html", text="失效链接"))
    return SiteSpec(name="示范区深分页网站", homepage_dates=dates[:8], columns=[main, *small], links=links)
