"""The site model (站点模型): every page of a scan read ONCE into what the checks judge.

A crawl gives pages of HTML; the checks need a government site's shape: its columns (栏目) with their
listing pages, items (信息条目) and dates, the homepage's dated items, the footer facts (网站标识码, ICP备案号,
公安机关备案号, 主办单位, 党政机关网站标识, 我为政府网站找错) and every link target with the pages it is on.
`site_model(scan)` reads all of that once per scan (memoised on the scan for its `as_of`); the checks
(`homepage_freshness`, `columns`, `footer`, `broken_links`) only judge the model, never the HTML.

Reading is written for the shapes real templates use (TRS WCM, 大汉, 集约化 templates, our own hosted sites):
navigation by `<nav>`, `role=navigation`, class/id tokens in any case style (`mainNav`, `topNav`, `navBar`,
`nav_list`, `menu`, `daohang`, `lanmu`), or the first list of short links in the header; dates in `<time
datetime>` or written in the item (2026-11-29, 2026年11月29日, [11-29], 2026/11/29, `<span class="date">`).
更多 links lead to a column's listing and name it by their block's heading, but are not columns; leaders'
names (领导之窗) and article titles are not columns; pagination (下一页, page_2.html, index_1.html, ?page=2)
is neither an item nor a column.
"""

from __future__ import annotations

import copy
import ipaddress
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from lxml import etree

from .contract import FetchedPage, SiteScan
from .dates import latest_date
from .html import (
    ATTACHMENT_RE,
    absolute,
    has_cjk,
    is_html,
    is_ok,
    normalise_url,
    parse,
    same_site,
    text_of,
)
from .rules import NOT_COUNTED, classify_column, normalise_update_class

# --- class/id tokens ---------------------------------------------------------------------------------------

_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT_RE = re.compile(r"[\s_\-]+")
_NAV_WORDS = ("nav", "menu", "daohang", "lanmu")
_NAV_TOKENS = {"dh", "navigation", "mainnav", "topnav", "subnav"}
_FOOTER_TOKENS = frozenset({"footer", "foot", "bottom", "copyright", "banquan", "bq", "site-footer", "bottom-wrap"})
_HEADER_TOKENS = frozenset({"header", "head", "top", "topbar", "banner", "logo", "site-top", "g-top"})
_CRUMB_WORDS = ("crumb", "breadcrumb", "position", "location", "weizhi", "dqwz", "curpos")
_PAGER_TOKENS = frozenset({"pager", "pagination", "fenye", "pagebar", "pagenav", "paging"})
_PAGE_RAW_TOKENS = ("page", "pages", "page-nav", "page_nav", "pagelist", "page-box")


@lru_cache(maxsize=8192)
def tokens(class_: str | None, id_: str | None) -> tuple[str, ...]:
    """Lower-case tokens of a class and an id, camelCase split too: `mainNav` → main, nav, mainnav."""
    out: list[str] = []
    for raw in _SPLIT_RE.split(f"{class_ or ''} {id_ or ''}"):
        if not raw:
            continue
        out.append(raw.lower())
        parts = _CAMEL_RE.split(raw)
        if len(parts) > 1:
            out.extend(part.lower() for part in parts if part)
    return tuple(out)


def _tokens_of(element: Any) -> tuple[str, ...]:
    return tokens(element.get("class"), element.get("id"))


def _raw_tokens(element: Any) -> tuple[str, ...]:
    """Whole class/id values, lower-case (`column-block-head` stays one token)."""
    return tuple(t.lower() for t in f"{element.get('class') or ''} {element.get('id') or ''}".split())


def is_pager(element: Any) -> bool:
    """分页: the element around 上一页/下一页 links (`pagination`, `pager`, `fenye`, `page_nav` …)."""
    if any(token in _PAGER_TOKENS or token.startswith(("pagination", "pager", "paging", "fenye", "pagebar", "pagenav"))
           for token in _tokens_of(element)):
        return True
    if any(token in _PAGE_RAW_TOKENS for token in _raw_tokens(element)):
        # `<div class="page">` is a pager, `<div id="page">` around the whole page is not: a pager is short.
        return len(text_of(element)) < 300
    return False


def is_crumb(element: Any) -> bool:
    return any(any(word in token for word in _CRUMB_WORDS) for token in _tokens_of(element))


def is_footer(element: Any) -> bool:
    """页脚: `<footer>`, or a class/id such as footer, foot, bottom, copyright (not `index-bottom` blocks)."""
    if element.tag == "footer":
        return True
    for token in _raw_tokens(element):
        if token in _FOOTER_TOKENS or token.startswith(("footer", "foot-", "foot_", "copyright", "g-footer")):
            return True
        if token.endswith(("footer", "-foot", "_foot", "copyright")):
            return True
    return any(token in ("footer", "copyright") for token in _tokens_of(element))


def is_header(element: Any) -> bool:
    if element.tag == "header":
        return True
    return any(
        token in _HEADER_TOKENS or token.startswith(("header", "topbar", "site-header", "top-bar"))
        or token.endswith(("header", "topbar"))
        for token in _raw_tokens(element)
    )


def is_navigation(element: Any) -> bool:
    """导航: `<nav>`, role=navigation, or a class/id that says nav/menu/daohang/lanmu in any case style."""
    tag = element.tag
    if not isinstance(tag, str):
        return False
    nav, crumb_or_pager, pager_if_short = _navigation_by_names(
        tag, element.get("class"), element.get("id"), element.get("role")
    )
    if not nav or crumb_or_pager:
        return False
    return not (pager_if_short and len(text_of(element)) < 300)  # not a pager (`<div class="page">` is short)


@lru_cache(maxsize=8192)
def _navigation_by_names(tag: str, class_: str | None, id_: str | None, role: str | None) -> tuple[bool, bool, bool]:
    """`is_navigation` from the names alone (memoised): (navigation by its names, a breadcrumb or pager by
    its names, a pager when its text is short)."""
    names = _Names(tag, class_, id_)
    element_tokens = tokens(class_, id_)
    nav = tag == "nav" or (role or "").lower() in ("navigation", "menubar") or any(
        token in _NAV_TOKENS or token.startswith(_NAV_WORDS) or token.endswith(("nav", "menu", "daohang"))
        for token in element_tokens
    )
    token_pager = any(
        token in _PAGER_TOKENS or token.startswith(("pagination", "pager", "paging", "fenye", "pagebar", "pagenav"))
        for token in element_tokens
    )
    return nav, token_pager or is_crumb(names), any(token in _PAGE_RAW_TOKENS for token in _raw_tokens(names))


def _is_chrome(element: Any) -> bool:
    tag = element.tag
    if not isinstance(tag, str):
        return False
    chrome, pager_if_short = _chrome_by_names(tag, element.get("class"), element.get("id"), element.get("role"))
    # Only `<div class="page">`-like pagers depend on more than the names: on how short the element is.
    return chrome or (pager_if_short and len(text_of(element)) < 300)


class _Names:
    """An element's tag, class and id only, for the tests above that read nothing else."""

    __slots__ = ("tag", "attrib")

    def __init__(self, tag: str, class_: str | None, id_: str | None) -> None:
        self.tag = tag
        self.attrib = {"class": class_, "id": id_}

    def get(self, name: str, default: str | None = None) -> str | None:
        value = self.attrib.get(name)
        return default if value is None else value


@lru_cache(maxsize=8192)
def _chrome_by_names(tag: str, class_: str | None, id_: str | None, role: str | None) -> tuple[bool, bool]:
    """What makes an element chrome from its tag, class, id and role alone (memoised: a site repeats its
    chrome on every page): (chrome, a pager when its text is short).

    The same as navigation, footer, header, breadcrumb or pager above, without repeating the token tests
    on every element of every page: a navigation that is also a pager or breadcrumb is chrome either way.
    """
    element = _Names(tag, class_, id_)
    if tag == "nav" or (role or "").lower() in ("navigation", "menubar"):
        return True, False
    element_tokens = tokens(class_, id_)
    if any(token in _NAV_TOKENS or token.startswith(_NAV_WORDS) or token.endswith(("nav", "menu", "daohang"))
           for token in element_tokens):
        return True, False
    if is_footer(element) or is_header(element) or is_crumb(element):
        return True, False
    if any(token in _PAGER_TOKENS or token.startswith(("pagination", "pager", "paging", "fenye", "pagebar", "pagenav"))
           for token in element_tokens):
        return True, False
    return False, any(token in _PAGE_RAW_TOKENS for token in _raw_tokens(element))


# --- labels -------------------------------------------------------------------------------------------------

HOME_LABELS = frozenset({"首页", "网站首页", "返回首页", "主页", "首 页"})
_MORE_RE = re.compile(r"^(?:更多|更多>+|更多»|more|MORE|More|>>|»|更多信息|查看更多|更多\S{0,10})$")
_PAGER_LABEL_RE = re.compile(r"^(?:上一页|下一页|上页|下页|首页|尾页|末页|前一页|后一页|\d{1,5}|\[\d{1,5}\]|…|\.\.\.)$")
_PAGER_URL_RE = re.compile(r"(?:[_/-](?:page|index|list)[_-]?\d+\.s?html?$|[?&](?:page|pageno|pageindex|p|currpage)=\d+)",
                           re.I)
# Leaders' names in 领导之窗: two to four Chinese characters starting with a common surname (not a column word).
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范"
    "金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤姬"
)
_COLUMN_WORDS = re.compile(r"动态|要闻|新闻|公告|公示|通知|文件|政策|信息|公开|服务|办事|互动|交流|专题|专栏|规划|计划|人事|"
                           r"概况|机构|职能|领导|指南|信箱|咨询|解读|数据|统计|财政|预算|决算|建议|提案|简介|走进|部门|"
                           r"乡镇|街道|法规|标准|留言|访谈|征集|调查|工作|应急|回应|报告|年报|目录|指南|投诉|查询")
_ARTICLE_URL_RE = re.compile(r"(?:/t\d{8}_\d+\.s?html?$|/art/\d{4}/|content_\d+|/\d{6}/t\d+|/\d{4}-?\d{2}/\d+|"
                             r"/(?:article|detail|content|show)[_/-]?\d+|[?&](?:id|articleid|aid)=\d{3,})", re.I)
MAX_COLUMN_LABEL = 10


def is_more_label(label: str) -> bool:
    return bool(_MORE_RE.match(label))


def is_pager_link(label: str, url: str) -> bool:
    """A link of a listing's pagination: its label (下一页, 2, 尾页) or its address (index_1.html, page_2.html)."""
    return bool(_PAGER_LABEL_RE.match(label)) or bool(_PAGER_URL_RE.search(url))


_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "司徒", "东方", "皇甫", "令狐", "慕容", "夏侯", "尉迟", "长孙", "宇文")


def looks_like_person(label: str) -> bool:
    """A leader's name (领导之窗 lists): 2–4 Chinese characters, a common surname first, no column word."""
    if not (2 <= len(label) <= 4) or _COLUMN_WORDS.search(label) or not has_cjk(label):
        return False
    return label[0] in _SURNAMES or label.startswith(_COMPOUND_SURNAMES)


def column_label(label: str, url: str) -> bool:
    """Could a navigation link with this label and address be a column? (not an article, a name, 更多, 首页)"""
    if not label or len(label) > MAX_COLUMN_LABEL:
        return False  # before the memo: block headings are read from elements of any length
    return _column_label(label, url)


@lru_cache(maxsize=16384)
def _column_label(label: str, url: str) -> bool:
    """`column_label` of a short label (memoised: every page of a site repeats its navigation)."""
    if label in HOME_LABELS or not has_cjk(label):
        return False
    if is_more_label(label) or _PAGER_LABEL_RE.match(label) or looks_like_person(label):
        return False
    return not _ARTICLE_URL_RE.search(url)


def _label(element: Any) -> str:
    return "".join(text_of(element).split())


# --- the model ----------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Item:
    """信息条目: one listed item (title, link, date) of a homepage block or a column listing."""

    title: str
    url: str
    date: date | None


@dataclass(slots=True)
class Column:
    """栏目: a named section with its listing page, update class and, when its listing was read, its items."""

    name: str
    url: str
    update_class: str | None
    # nav | more (a homepage block whose 更多 link leads to it) | registry | sub (下级栏目: found inside a
    # column's listing, not on the homepage)
    source: str = "nav"
    page: FetchedPage | None = None  # the listing page in the scan, None when it was not fetched
    items: list[Item] = field(default_factory=list)
    text: str = ""  # the listing's content text (for blank static columns and 暂无信息)
    # The listing shows a placeholder instead of content: an element whose whole text is 暂无信息, 正在建设中 …
    placeholder: bool = False

    @property
    def first_level(self) -> bool:
        """一级栏目: reached from the homepage (navigation, 更多 blocks) or listed by the registry; a
        sub-column found inside a column's listing is not (national rules §2.2, veto (1))."""
        return self.source != "sub"

    @property
    def fetched(self) -> bool:
        return self.page is not None and is_ok(self.page)

    @property
    def dates(self) -> list[date]:
        return [item.date for item in self.items if item.date is not None]

    @property
    def latest(self) -> date | None:
        return max(self.dates, default=None)


@dataclass(slots=True)
class FooterFacts:
    """页脚要素 read from one page: the value of each item, or None when it is not there."""

    url: str
    is_homepage: bool
    site_code: str | None = None  # the text after 网站标识码 ("" when the label has no value)
    icp: str | None = None  # 示ICP备10320551号
    police: str | None = None  # 示公网安备 99010202143091号
    owner: str | None = None  # 主办单位
    conac_mark: bool = False  # 党政机关网站标识
    fix_entry: bool = False  # 我为政府网站找错


# A link that never resolves although its first host answered with a redirect (fetch.py's error names).
REDIRECT_FAILURES = frozenset({"redirect_loop", "too_many_redirects", "redirect_unreachable"})


@dataclass(slots=True)
class LinkTarget:
    """One link target of the site, with every page it appears on (in scan order) and its check result."""

    target: str
    pages: list[str]
    status: int | None
    error: str
    internal: bool
    attachment: bool
    text: str
    on_homepage: bool

    @property
    def failure(self) -> str:
        """The status or error that makes it broken, "" when it works or was not checked."""
        if self.status is not None and self.status >= 400:
            return str(self.status)
        if self.error in REDIRECT_FAILURES:
            return self.error  # answered with a redirect that never resolves: the 3xx status is no answer
        if self.status is None and self.error:
            return self.error
        return ""


@dataclass
class SiteModel:
    """One site as the checks judge it (see the module docstring)."""

    site_url: str
    as_of: date
    homepage: FetchedPage | None
    homepage_items: list[Item] = field(default_factory=list)
    homepage_has_items: bool = False  # any title-like link item in the homepage's content, dated or not
    columns: list[Column] = field(default_factory=list)
    footers: list[FooterFacts] = field(default_factory=list)
    targets: dict[str, LinkTarget] = field(default_factory=dict)
    # True when every outside host failed at the network level (DNS/connect/timeout): the machine cannot
    # reach outside, so external links are 未检查 rather than broken.
    offline: bool = False
    second_level: list[FetchedPage] = field(default_factory=list)  # depth-1 pages (navigation-only homepage)

    @property
    def homepage_latest(self) -> date | None:
        return max((i.date for i in self.homepage_items if i.date is not None), default=None)

    def broken(self) -> list[LinkTarget]:
        """Broken targets, one each; external ones left out when the machine is offline."""
        return [t for t in self.targets.values() if t.failure and not (self.offline and not t.internal)]

    def unchecked_external(self) -> list[LinkTarget]:
        return [t for t in self.targets.values() if self.offline and not t.internal and t.failure]


# --- reading pages ------------------------------------------------------------------------------------------

_INVISIBLE = ("script", "style", "noscript", "template", "head")
_ITEM_TAGS = ("li", "tr", "dd", "dt")
_ISO_RE = re.compile(r"((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})")


def content_of(root: Any) -> Any:
    """A copy of the body without chrome (navigation, header, footer, breadcrumb, pagination) or scripts."""
    body = root.find("body")
    tree = copy.deepcopy(body if body is not None else root)
    for element in list(tree.iter()):
        if element.getparent() is None:
            continue
        if not isinstance(element.tag, str) or element.tag in _INVISIBLE:
            element.drop_tree()
        elif element.get("class") or element.get("id") or element.tag in ("nav", "header", "footer") or \
                element.get("role"):
            if _is_chrome(element) or _hidden(element):
                element.drop_tree()
    return tree


def _hidden(element: Any) -> bool:
    return element.get("hidden") is not None or "display:none" in (element.get("style") or "").replace(" ", "")


def _time_date(container: Any) -> date | None:
    for element in container.iter("time"):
        match = _ISO_RE.match(element.get("datetime") or "") or _ISO_RE.search(text_of(element))
        if match:
            try:
                return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
    return None


def _item_container(link: Any) -> Any:
    for depth, ancestor in enumerate(link.iterancestors()):
        if ancestor.tag in _ITEM_TAGS:
            return ancestor
        if depth >= 2 or ancestor.tag in ("ul", "ol", "table", "body", "dl"):
            break
    parent = link.getparent()
    return parent if parent is not None else link


def read_items(content: Any, base: str, as_of: date) -> list[Item]:
    """The listed items of a content tree: links with title-like text (not 更多, not pagination), each with
    the date of its row (`<time datetime>` first, else the newest date written in the row, not after as_of)."""
    items: list[Item] = []
    seen: set[str] = set()
    for link in content.iter("a"):
        title = " ".join(text_of(link).split()) or (link.get("title") or "").strip()
        url = absolute(base, link.get("href", ""))
        compact = "".join(title.split())
        if not url or len(compact) < 2 or compact in HOME_LABELS or is_more_label(compact):
            continue
        if is_pager_link(compact, url) or url in seen:
            continue
        container = _item_container(link)
        row_text = text_of(container)
        if len(row_text) > 400:
            row_text = title
        when = _time_date(container)
        if when is None or when > as_of:
            rest = row_text.replace(title, " ", 1) if title else row_text
            when = latest_date(rest, as_of) or latest_date(row_text, as_of)
        if len(compact) < 4 and when is None:
            continue  # a short label without a date is a link among others, not a listed item
        seen.add(url)
        items.append(Item(title=title, url=url, date=when))
    return items


_NAVIGATION_CANDIDATES = etree.XPath("descendant-or-self::*[@class or @id or @role or self::nav]")


def _navigation_columns(root: Any, base: str, site_url: str, *, fallback: bool = True) -> list[tuple[str, str]]:
    """(label, url) of the navigation's column links, in page order."""
    body = root.find("body")
    body = body if body is not None else root
    # Only an element with a class, id or role, or a `<nav>`, can be navigation: test those, not every element.
    containers = [e for e in _NAVIGATION_CANDIDATES(body) if is_navigation(e)
                  and not any(is_footer(a) for a in e.iterancestors())]
    # Outermost only: a nav inside a nav is read once.
    ids = {id(c) for c in containers}
    containers = [c for c in containers if not any(id(a) in ids for a in c.iterancestors())]
    if not containers and fallback:
        header = next((e for e in body.iter() if isinstance(e.tag, str) and is_header(e)), None)
        scopes = [header] if header is not None else []
        scopes.append(body)
        for scope in scopes:
            lists = [ul for ul in scope.iter("ul", "ol") if len(_column_links(ul, base, site_url)) >= 3]
            if lists:
                containers = lists[:1]
                break
    links: list[tuple[str, str]] = []
    for container in containers:
        links.extend(_column_links(container, base, site_url))
    return links


def _column_links(container: Any, base: str, site_url: str) -> list[tuple[str, str]]:
    links = []
    for link in container.iter("a"):
        name = _label(link)
        url = absolute(base, link.get("href", ""))
        if not url or not column_label(name, url):
            continue
        if ATTACHMENT_RE.search(url) or not same_site(url, site_url):
            continue
        if normalise_url(url) == normalise_url(site_url):
            continue
        links.append((name, url))
    return links


_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "span", "em", "div", "p", "a")


def _more_columns(content: Any, base: str, site_url: str) -> list[tuple[str, str]]:
    """Homepage blocks whose 更多 link leads to a column listing: (the block's heading, the listing's url)."""
    found = []
    for link in content.iter("a"):
        label = _label(link)
        # `更多<span class="visually-hidden">要闻动态</span>`: the hidden part names the column
        visible = "".join(t for t in link.xpath("text()")).strip()
        if not (is_more_label(label) or is_more_label("".join(visible.split()))):
            continue
        url = absolute(base, link.get("href", ""))
        if not url or not same_site(url, site_url) or normalise_url(url) == normalise_url(site_url):
            continue
        name = _block_heading(link, label)
        if name:
            found.append((name, url))
    return found


def _block_heading(link: Any, label: str) -> str:
    """The name of the homepage block a 更多 link belongs to: a heading near it, or the label's hidden part."""
    rest = label.removeprefix("更多").strip(">»")
    if rest and column_label(rest, "") and not is_more_label(rest):
        return rest
    block = link.getparent()
    for _ in range(3):
        if block is None:
            return ""
        for element in block.iter(*_HEADING_TAGS):
            if element is link or any(a is link for a in element.iter("a")):
                continue  # the 更多 link itself, or an element around it
            name = _label(element)
            if column_label(name, ""):
                return name
        block = block.getparent()
    return ""


# 占位文字: what a column shows instead of content (暂无信息, 正在建设中, 信息更新中, 敬请期待 …).
_PLACEHOLDER_PHRASE = (
    r"(?:(?:暂无|没有|尚无)(?:相关|任何)?(?:信息|内容|数据|记录|文章|公告|文件|资料)"
    r"|(?:信息|内容|数据|页面|栏目)?(?:正在|正)?(?:建设|更新|完善|维护|整理|升级)中"
    r"|(?:信息|内容|数据|栏目)正在(?:建设|更新|完善|维护|整理)"
    r"|敬请期待)"
)
PLACEHOLDER_RE = re.compile(_PLACEHOLDER_PHRASE)
_FILLER = r"[\W_]*(?:(?:本|该|此)?栏目)?[\W_]*"
_PLACEHOLDER_ONLY_RE = re.compile(rf"{_FILLER}{_PLACEHOLDER_PHRASE}(?:{_FILLER}{_PLACEHOLDER_PHRASE})*[\W_]*")
# An element longer than this is prose that may mention 暂无, not a placeholder standing in for a list.
_PLACEHOLDER_MAX_CHARS = 40


def is_placeholder_text(text: str) -> bool:
    """Whether a text says nothing but a placeholder (暂无信息, 该栏目正在建设中，敬请期待！ …)."""
    compact = "".join(text.split())
    return bool(compact) and len(compact) <= _PLACEHOLDER_MAX_CHARS and bool(_PLACEHOLDER_ONLY_RE.fullmatch(compact))


def shows_placeholder(content: Any) -> bool:
    """Whether a content tree has an element (the listing area, a paragraph, a list row) whose whole text is
    a placeholder: the column shows 暂无信息 where its items would be."""
    if not PLACEHOLDER_RE.search(text_of(content)):
        return False
    for element in content.iter():
        if not isinstance(element.tag, str):
            continue
        text = text_of(element)
        if len(text) <= _PLACEHOLDER_MAX_CHARS * 2 and is_placeholder_text(text):
            return True
    return False


def _listing(scan: SiteScan, url: str, by_url: dict[str, FetchedPage]) -> FetchedPage | None:
    if not url:
        return None
    return by_url.get(url) or by_url.get(normalise_url(url))


def _read_listing(scan: SiteScan, column: Column, by_url: dict[str, FetchedPage]) -> Any:
    """Find the column's listing page in the scan and read its items and text; the parsed tree, or None."""
    column.page = _listing(scan, column.url, by_url)
    if column.page is None or not is_ok(column.page) or not is_html(column.page):
        return None
    root = parse(column.page.text)
    if root is None:
        return None
    content = content_of(root)
    column.items = read_items(content, column.page.final_url or column.page.url, scan.as_of)
    column.text = text_of(content)
    column.placeholder = shows_placeholder(content)
    return root


def _footer_facts(page: FetchedPage, root: Any) -> FooterFacts:
    facts = FooterFacts(url=page.url, is_homepage=page.is_homepage)
    text = text_of(root)
    match = _SITE_CODE_RE.search(text)
    if match:
        facts.site_code = match.group(1)
    match = _ICP_RE.search(text)
    facts.icp = match.group(0) if match else None
    match = _POLICE_RE.search(text)
    facts.police = match.group(0) if match else None
    match = _OWNER_RE.search(text)
    if match:
        facts.owner = match.group(1).strip()
    else:  # 枫林县人民政府办公室主办
        match = _OWNER_BEFORE_RE.search(text)
        facts.owner = match.group(1) if match else None
    for element in root.iter("a", "img", "script", "iframe"):
        where = f"{element.get('href', '')} {element.get('src', '')}".lower()
        if element.tag == "script" and not element.get("src") and element.text:
            where += " " + element.text.lower()  # the mark written by document.write(unescape(…conac.cn…))
        label = f"{element.get('alt', '')} {element.get('title', '')}"
        if "conac.cn" in where or "党政机关" in label:
            facts.conac_mark = True
        if any(h in where for h in _FIX_HOSTS):
            facts.fix_entry = True
    facts.fix_entry = facts.fix_entry or "我为政府网站找错" in text
    return facts


_SITE_CODE_RE = re.compile(r"网站标识码\s*[:：]?\s*([A-Za-z0-9]*)")
# Any one-character province abbreviation (示范自治区 is 示), then ICP备 digits 号, an optional -n.
_ICP_RE = re.compile(r"[\u4e00-\u9fff]\s*ICP\s*备\s*\d+\s*号(?:\s*-\s*\d+)?", re.I)
_POLICE_RE = re.compile(r"[\u4e00-\u9fff]?\s*公网安备\s*\d+\s*号?")
_OWNER_RE = re.compile(r"主办(?:单位\s*[:：]?|\s*[:：])\s*([^\s|｜,，;；]{0,40})")
_OWNER_BEFORE_RE = re.compile(r"([\u4e00-\u9fff（）()]{2,40})\s*主办(?!单位)")
_FIX_HOSTS = ("zfwzzc.www.gov.cn", "zfwzgl.www.gov.cn")
_NETWORK_ERRORS = frozenset({"dns_error", "connect_error", "timeout"})


def _local_host(host: str) -> bool:
    if host in ("localhost",) or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_loopback or address.is_private


def _offline(targets: dict[str, LinkTarget]) -> bool:
    """The machine reaches no outside host: every checked outside host (at least two) failed at the network
    level, none answered. Loopback and private addresses do not count (a closed local port is a real answer)."""
    from .html import host

    failed: set[str] = set()
    for target in targets.values():
        if target.internal:
            continue
        name = host(target.target)
        if not name or _local_host(name):
            continue
        if target.status is not None or target.error not in _NETWORK_ERRORS:
            if target.status is not None or target.error:
                return False  # an outside host answered (or failed otherwise): we are online
            continue
        failed.add(name)
    return len(failed) >= 2


def build_model(scan: SiteScan, footer_sample: int = 3) -> SiteModel:
    """Read the scan's pages once into a `SiteModel`."""
    homepage = scan.homepage
    model = SiteModel(site_url=scan.site_url, as_of=scan.as_of, homepage=homepage)
    by_url: dict[str, FetchedPage] = {}
    for page in scan.pages:
        for url in (page.url, page.final_url):
            if url:
                by_url.setdefault(url, page)
                by_url.setdefault(normalise_url(url), page)
    model.targets = _targets(scan, homepage)
    model.offline = _offline(model.targets)
    model.second_level = [p for p in scan.pages if p.depth == 1 and not p.is_homepage]

    # Columns: the registry's when it lists them, else navigation + 更多 blocks of the homepage.
    if scan.columns:
        columns = registry_columns(scan.columns)
    elif homepage is not None and is_ok(homepage) and is_html(homepage):
        columns = discover_columns(homepage, scan.site_url, more=False)
    else:
        columns = []
    known = {normalise_url(c.url) for c in columns}
    subcolumns: list[Column] = []
    for column in columns:
        root = _read_listing(scan, column, by_url)
        if root is not None and not scan.columns:
            # 下级栏目: the listing's own navigation (a sidebar or sub-column list) names columns of its own.
            base = column.page.final_url or column.page.url
            for name, url in _navigation_columns(root, base, scan.site_url, fallback=False):
                if normalise_url(url) not in known:
                    known.add(normalise_url(url))
                    # A sub-column whose name says nothing is of its parent's class (营商环境 under 专题专栏).
                    update_class = classify_column(name) or column.update_class
                    subcolumns.append(Column(name, url, update_class, source="sub"))
    # The homepage's content, read once for its 更多 blocks and its items.
    home_content = None
    if homepage is not None and is_ok(homepage) and is_html(homepage):
        root = parse(homepage.text)
        home_content = None if root is None else content_of(root)
    # Then the homepage blocks led to by 更多 whose listing no navigation names (navigation names win).
    more: list[Column] = []
    if not scan.columns and home_content is not None:
        names = {c.name for c in columns + subcolumns}
        for name, url in _more_columns(home_content, homepage.final_url or homepage.url, scan.site_url):
            if name not in names and normalise_url(url) not in known:
                known.add(normalise_url(url))
                names.add(name)
                more.append(Column(name, url, classify_column(name), source="more"))
    for column in subcolumns + more:
        _read_listing(scan, column, by_url)
    model.columns = columns + subcolumns + more

    if home_content is not None:
        model.homepage_items = read_items(home_content, homepage.final_url or homepage.url, scan.as_of)
        # A navigation-only homepage may carry a short 进入主站 or 网站地图 link: not an item to date.
        model.homepage_has_items = any(
            i.date is not None or len("".join(i.title.split())) >= 5 for i in model.homepage_items
        )

    pages = [p for p in scan.pages if is_ok(p) and is_html(p) and "/__govsite_probe_" not in p.url]
    sample = [p for p in pages if p.is_homepage]
    sample += sorted((p for p in pages if not p.is_homepage), key=lambda p: p.depth)[:footer_sample]
    for page in sample:
        root = parse(page.text)
        if root is not None:
            model.footers.append(_footer_facts(page, root))
    return model


def _targets(scan: SiteScan, homepage: FetchedPage | None) -> dict[str, LinkTarget]:
    home_urls = {homepage.url, homepage.final_url} if homepage else set()
    by_url = {}
    for page in scan.pages:
        by_url.setdefault(page.url, page)
        by_url.setdefault(page.final_url, page)
    targets: dict[str, LinkTarget] = {}
    seen: set[tuple[str, str]] = set()
    link_status = scan.link_status
    # Every link of the scan passes here (a hundred thousand on a region): names bound locally.
    for page in scan.pages:
        for link in page.links:
            target, source = link.target, link.source
            entry = targets.get(target)
            if entry is None:
                result = link_status.get(target)
                if result is not None:
                    status, error = result.status, result.error
                else:
                    fetched = by_url.get(target)  # a crawled page is a checked link too
                    status, error = (fetched.status, fetched.error) if fetched else (None, "")
                entry = targets[target] = LinkTarget(
                    target=target, pages=[], status=status, error=error, internal=link.internal,
                    attachment=link.attachment, text=link.text, on_homepage=False,
                )
            # A page's links come together: comparing with the last page is enough, except for a page
            # scanned twice (redirects), which the set of pairs catches without scanning the list.
            pages = entry.pages
            if not pages or pages[-1] != source:
                pair = (target, source)
                if pair not in seen:
                    seen.add(pair)
                    pages.append(source)
            if source in home_urls:
                entry.on_homepage = True
    return targets


def discover_columns(homepage: FetchedPage, site_url: str, *, more: bool = True) -> list[Column]:
    """The columns of the homepage: its navigation's column links, then blocks led to by 更多 links whose
    listing no navigation link already names; in page order, one per name and per listing."""
    root = parse(homepage.text)
    if root is None:
        return []
    base = homepage.final_url or homepage.url
    columns: dict[str, Column] = {}
    urls: set[str] = set()
    for name, url in _navigation_columns(root, base, site_url):
        if name not in columns and normalise_url(url) not in urls:
            columns[name] = Column(name, url, classify_column(name), source="nav")
            urls.add(normalise_url(url))
    for name, url in _more_columns(content_of(root), base, site_url) if more else []:
        if name not in columns and normalise_url(url) not in urls:
            columns[name] = Column(name, url, classify_column(name), source="more")
            urls.add(normalise_url(url))
    return list(columns.values())


def registry_columns(hints: dict[str, dict]) -> list[Column]:
    """Columns as the registry lists them; a hint without an update class is classified by its name, and
    one marked NOT_COUNTED (不计) is not judged."""
    columns = []
    for name, hint in hints.items():
        if hint.get("update_class") == NOT_COUNTED:
            update_class = None
        else:
            update_class = normalise_update_class(hint.get("update_class")) or classify_column(name)
        columns.append(Column(name, str(hint.get("url", "")), update_class, source="registry"))
    return columns


def site_model(scan: SiteScan, footer_sample: int = 3) -> SiteModel:
    """The scan's model, read once and kept on the scan for its `as_of` (checks of one run share it)."""
    key = (scan.as_of, footer_sample, len(scan.pages), id(scan.columns), len(scan.link_status))
    cached = getattr(scan, "_govsite_model", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    model = build_model(scan, footer_sample)
    scan._govsite_model = (key, model)  # type: ignore[attr-defined]
    return model
