"""互动回应 (§2 "互动回应差" veto; §9 items 17–18): a site needs an effective online 咨询建言 channel, and
its consultation columns must not leave messages unanswered for more than three months.

Channel: a link whose text names a consultation channel (咨询, 建言, 留言, 信箱, 问政, 我要写信, 政民互动 …) and
not 网上信访, 纪检监察, 举报, 在线访谈 or 征集调查 (the rules exclude them), or a registry column of class 互动;
it is effective when its page answers. None at all, or none that answers ⇒ veto `no_consultation_channel`.

Unanswered: on the channel pages the crawl fetched, a list item with a status such as 未回复 / 待答复 / 办理中,
dated within the last year (rules.unanswered_window_days) and more than rules.unanswered_message_days ago
⇒ veto `unanswered_message`, one finding per item (at most MAX_UNANSWERED, then one summary finding).
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache

from ..contract import FetchedPage, Link, MonitorFinding, Severity, SiteScan
from ..dates import latest_date
from ..html import content_root, is_ok, list_items, parse, text_of
from ..rules import DEFAULT_RULES, INTERACTION, MonitorRules, normalise_update_class

CHANNEL_RE = re.compile(r"咨询|建言|献策|留言|信箱|问政|写信|我要问|在线提问|政民互动|互动交流|网民问答|12345")
EXCLUDED_RE = re.compile(r"信访|纪检|监察|举报|访谈|征集|调查")
UNANSWERED_RE = re.compile(r"未回复|未答复|待回复|待答复|未办结|办理中|处理中|未处理|待处理|未受理")
MAX_UNANSWERED = 20
# What a channel's page shows when it gave no HTTP answer at all (see `_status_ok`).
_NO_ANSWER = frozenset({"not_checked", "timeout", "connect_error", "dns_error", ""})


@lru_cache(maxsize=4096)
def is_channel_label(text: str) -> bool:
    """A 咨询建言 channel by its name (信访、纪检举报、访谈、征集调查 are not)."""
    text = "".join(text.split())
    return bool(text) and len(text) <= 20 and bool(CHANNEL_RE.search(text)) and not EXCLUDED_RE.search(text)


def _status_ok(scan: SiteScan, url: str) -> tuple[bool, str]:
    page = scan.page(url)
    if page is not None:
        return is_ok(page), page.error or str(page.status or "")
    status = scan.link_status.get(url)
    if status is None:
        return False, "not_checked"
    ok = not status.error and status.status is not None and 200 <= status.status < 400
    return ok, status.error or str(status.status or "")


class InteractionCheck:
    name = "interaction"
    codes = ("no_consultation_channel", "unanswered_message", "cannot_judge")  # the finding codes it reports (core.findings)

    def run(self, scan: SiteScan, rules: MonitorRules = DEFAULT_RULES) -> list[MonitorFinding]:
        homepage = scan.homepage
        if homepage is None or not is_ok(homepage):
            return []  # an unreachable site is reported as such, not as a site without channels
        channels = self._channels(scan)
        effective = {url: name for url, name in channels.items() if _status_ok(scan, url)[0]}
        findings: list[MonitorFinding] = []
        if not channels:
            findings.append(
                MonitorFinding(
                    check="no_consultation_channel",
                    severity=Severity.VETO,
                    url=homepage.url,
                    detail="未发现咨询建言渠道（领导信箱、在线咨询、留言建议等；网上信访、纪检举报不计）",
                    on_homepage=True,
                )
            )
        elif not effective and all(_status_ok(scan, url)[1] in _NO_ANSWER for url in channels):
            # Not one channel page answered at all (not fetched, timeout, no connection): the scan cannot
            # tell a dead channel from a machine that could not reach it — 无法判定, not a veto.
            url, name = next(iter(channels.items()))
            findings.append(
                MonitorFinding(
                    check="cannot_judge",
                    severity=Severity.WARN,
                    url=homepage.url,
                    target=url,
                    status="无法判定",
                    detail=f"咨询建言渠道无法判定：{len(channels)} 个渠道（如“{name}”）的页面均未能抓取，无法判断是否有效",
                    on_homepage=True,
                )
            )
        elif not effective:
            url, name = next(iter(channels.items()))
            findings.append(
                MonitorFinding(
                    check="no_consultation_channel",
                    severity=Severity.VETO,
                    url=homepage.url,
                    target=url,
                    status=_status_ok(scan, url)[1],
                    detail=f"咨询建言渠道均无法访问（共 {len(channels)} 个，如“{name}”）",
                    on_homepage=True,
                )
            )
        findings.extend(self._unanswered(scan, effective, rules))
        return findings

    def _channels(self, scan: SiteScan) -> dict[str, str]:
        """URL → name of every consultation channel linked from the scanned pages or listed in the registry."""
        channels: dict[str, str] = {}
        for name, hint in scan.columns.items():
            if normalise_update_class(hint.get("update_class")) == INTERACTION or is_channel_label(name):
                if hint.get("url") and not EXCLUDED_RE.search(name):
                    channels.setdefault(str(hint["url"]), name)
        links: list[Link] = [link for page in scan.pages for link in page.links]
        for link in links:
            if link.tag in ("a", "area") and link.internal and not link.attachment and not link.hidden:
                if is_channel_label(link.text):
                    channels.setdefault(link.target, link.text)
        return channels

    def _unanswered(self, scan: SiteScan, channels: dict[str, str], rules: MonitorRules) -> list[MonitorFinding]:
        oldest = scan.as_of - timedelta(days=rules.unanswered_window_days)
        newest = scan.as_of - timedelta(days=rules.unanswered_message_days)
        found: list[MonitorFinding] = []
        for url, name in channels.items():
            page = scan.page(url)
            if page is None or not is_ok(page):
                continue
            for item_text in self._items(page):
                if not UNANSWERED_RE.search(item_text):
                    continue
                when = latest_date(item_text, scan.as_of)
                if when is None or not oldest <= when <= newest:
                    continue
                found.append(
                    MonitorFinding(
                        check="unanswered_message",
                        severity=Severity.VETO,
                        url=page.url,
                        column=name,
                        latest=when.isoformat(),
                        detail=f"“{name}”有留言超过 {rules.unanswered_message_days} 天未答复",
                        excerpt=item_text[:120],
                    )
                )
        if len(found) > MAX_UNANSWERED:
            rest = len(found) - MAX_UNANSWERED
            found = found[:MAX_UNANSWERED] + [
                MonitorFinding(
                    check="unanswered_message",
                    severity=Severity.VETO,
                    url=found[MAX_UNANSWERED].url,
                    detail=f"另有 {rest} 条留言超过 {rules.unanswered_message_days} 天未答复",
                )
            ]
        return found

    @staticmethod
    def _items(page: FetchedPage) -> list[str]:
        root = parse(page.text)
        if root is None:
            return []
        return [text_of(item) for item in list_items(content_root(root))]


check = InteractionCheck()
