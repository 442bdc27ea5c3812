"""The monitoring contract: a crawl of one site produces a `SiteScan`; each check turns it into findings.

A check is a module in `govsite/monitoring/checks/` exposing `check` with `.name` and
`.run(scan: SiteScan) -> list[MonitorFinding]`. Checks never fetch: everything they need is in the scan.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Protocol


class Severity:
    """How a finding counts in a spot check (抽查): a veto item (单项否决), a deduction (扣分) or a warning."""

    VETO = "veto"
    DEDUCTION = "deduction"
    WARN = "warn"
    INFO = "info"


@dataclass(slots=True)
class Link:
    """A link found on a page: `a`, `img`, `script`, `link`, `iframe`, … and attachments."""

    source: str  # URL of the page it was found on
    target: str  # absolute URL, fragment removed
    tag: str  # a, img, script, link, iframe, …
    text: str = ""  # anchor text or alt, stripped, at most 200 characters
    internal: bool = True  # same site (host) as the scan
    attachment: bool = False  # .doc/.docx/.xls/.xlsx/.pdf/.zip/…
    hidden: bool = False  # inside an element styled display:none / visibility:hidden / off-screen (暗链 signal)


@dataclass(slots=True)
class FetchedPage:
    """One fetched page. `text` is the decoded body (HTML or extracted attachment text), capped in size."""

    url: str  # the URL requested
    final_url: str  # after redirects
    status: int | None  # HTTP status, None when no response
    # Error name when it failed: timeout, too_large (页面过大: over the byte cap, not parsed), redirect_loop,
    # tls_error, connect_error, private_address (监测抓取安全: refused), offsite_redirect (redirected off the
    # site: status only, not read), …
    error: str = ""
    content_type: str = ""
    encoding: str = ""  # how the body was decoded (utf-8, gb18030, …)
    text: str = ""
    depth: int = 0
    is_homepage: bool = False
    links: list[Link] = field(default_factory=list)
    elapsed: float = 0.0  # seconds
    fetched_at: datetime | None = None
    tls_expires_at: datetime | None = None  # certificate notAfter, for https homepages
    # The text a reader sees, when the crawler split it from its own parse: the page's own content, and the
    # texts of its chrome (导航, 页头, 页脚 …) that repeat across the site's pages. None/empty when not
    # split (attachments, pages built by hand): then the checks derive it from `text`.
    content_text: str | None = None
    chrome_texts: tuple[str, ...] = ()


@dataclass(slots=True)
class LinkStatus:
    """The result of checking one link target (HEAD, then GET when HEAD is refused)."""

    target: str
    status: int | None
    error: str = ""


@dataclass
class SiteScan:
    """Everything a crawl of one site produced, and the date freshness is judged against (`as_of`)."""

    site_url: str
    as_of: date
    pages: list[FetchedPage] = field(default_factory=list)
    link_status: dict[str, LinkStatus] = field(default_factory=dict)
    # Column hints from the registry (name → URL, update class); empty means discover from the homepage.
    columns: dict[str, dict[str, Any]] = field(default_factory=dict)
    pages_fetched: int = 0
    links_checked: int = 0
    elapsed: float = 0.0
    complete: bool = True  # False when the scan's overall deadline cut it short (the crawl or the checks)
    # When the scan's time ends (time.monotonic()), set by the crawler; the checks stop there too.
    deadline: float | None = None

    @property
    def homepage(self) -> FetchedPage | None:
        return next((p for p in self.pages if p.is_homepage), None)

    def page(self, url: str) -> FetchedPage | None:
        return next((p for p in self.pages if p.url == url or p.final_url == url), None)


@dataclass(frozen=True, slots=True)
class MonitorFinding:
    """One finding of the monitor, shaped like a line of `govsite monitor scan --format json`."""

    check: str  # broken_link, blank_column, stale_column, homepage_stale, unreachable, personal_data, …
    severity: str  # Severity.*
    url: str  # the page where it was found
    detail: str  # Chinese explanation
    target: str = ""  # the link, for link findings
    status: str = ""  # HTTP status or error name
    on_homepage: bool = False
    column: str = ""  # column name, for column findings
    latest: str = ""  # latest item date YYYY-MM-DD, for freshness findings ("" = none found)
    excerpt: str = ""  # evidence: the text around what was found
    # Every page a link finding's target appears on (one finding per broken target, counted once).
    pages: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["pages"] = list(self.pages)
        return data


class Check(Protocol):
    name: str
    codes: tuple[str, ...]  # every finding code it may report, each in the registry (govsite.core.findings)

    def run(self, scan: SiteScan) -> list[MonitorFinding]: ...
