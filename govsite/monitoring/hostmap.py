"""Where the monitor connects: real DNS, or a host map that keeps a demo or test region on loopback; and
which addresses it may connect to at all (监测抓取安全).

Like ``curl --resolve``: the URL and the Host header stay the registered ones (``http://www.shifan.gov.cn/``),
only the address the socket connects to comes from the map (``127.0.0.1:8401``). In offline mode (the demo,
the tests) a host that is not in the map is refused without a DNS query, and so is an address literal that
is not loopback, so nothing a scanned page links to can make the monitor send a request off the machine.
``*.localhost`` (RFC 6761) always means loopback and never asks DNS.

Address policy: a scanned site is untrusted, and so is everything its pages link or redirect to. The monitor
connects only to public addresses: never to loopback, private (RFC 1918, ULA), link-local, CGNAT, multicast,
unspecified or reserved ones, nor to an IPv4 address wrapped in IPv6 (``::ffff:127.0.0.1``, NAT64, 6to4),
unless the host and port are those of a registry entry that allows it (`Website.allow_private_network`, set
by an admin for an intranet site, the demo and tests: `AddressPolicy.private_origins`). Cloud metadata
addresses (169.254.169.254, fd00:ec2::254, 100.100.100.200 …) are refused even then. The check is made on the
address the socket will connect to — after the host map or DNS, the answer filtered and handed to the
connector as it is (pinned: no second lookup a rebinding DNS server could answer differently) — and again on
every redirect, since each hop is a new request through the same connector. Numeric host forms
(``2130706433``, ``0x7f.1``, ``0177.0.0.1``) are read as the addresses they stand for, without DNS.

Settings: ``GOVSITE_MONITOR_HOST_MAP`` — a dict ``{host: "127.0.0.1:port"}`` or the path of a JSON file
holding one (read at each scan, so a server that starts later can write it); ``GOVSITE_MONITOR_OFFLINE``;
``GOVSITE_MONITOR_BLOCKED_ADDRESSES`` — more addresses or networks refused always.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from django.conf import settings

LOOPBACK = "127.0.0.1"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Origin = tuple[str, int]  # (host in lower case, port)

# Instance metadata services: refused whatever a registry entry allows (credentials live there).
METADATA_NETWORKS: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = tuple(
    ipaddress.ip_network(n)
    for n in (
        "169.254.169.254/32",  # AWS, GCP, Azure, OpenStack, 华为云, 腾讯云 (also as metadata.google.internal)
        "169.254.170.2/32",  # AWS ECS task metadata
        "100.100.100.200/32",  # 阿里云
        "168.63.129.16/32",  # Azure WireServer
        "fd00:ec2::254/128",  # AWS over IPv6
    )
)
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
# What inet_aton reads as an IPv4 address: 1 to 4 parts, decimal, octal (0…) or hex (0x…).
_NUMERIC_HOST = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.I)

PUBLIC, PRIVATE, METADATA = "public", "private", "metadata"


class OutsideRequestRefused(socket.gaierror):
    """网站监测 in offline mode: a host outside the host map (or a non-loopback address) is not contacted."""


class AddressRefused(OSError):
    """监测抓取安全: the host resolved only to addresses the monitor may not connect to (内网/本机/元数据地址)."""


def load_host_map(value: Any = None) -> dict[str, tuple[str, int]]:
    """The configured host map as ``{host: (address, port)}``; ``{}`` when none is set or its file is missing."""
    if value is None:
        value = _setting("GOVSITE_MONITOR_HOST_MAP", None)
    if not value:
        return {}
    if isinstance(value, str | Path):
        path = Path(value)
        if not path.is_file():
            return {}
        value = json.loads(path.read_text(encoding="utf-8"))
    result: dict[str, tuple[str, int]] = {}
    for host, address in dict(value).items():
        addr, _, port = str(address).rpartition(":")
        result[host.lower().rstrip(".")] = (addr or LOOPBACK, int(port))
    return result


def offline() -> bool:
    """Whether the monitor may contact only mapped hosts and loopback (demo, development, tests)."""
    return bool(_setting("GOVSITE_MONITOR_OFFLINE", False))


def _setting(name: str, default: Any) -> Any:
    # The crawler also runs without Django (bench/monitor.py): then there is no map and no offline mode.
    return getattr(settings, name, default) if settings.configured else default


# -- address policy (监测抓取安全) ------------------------------------------------------------------------


def numeric_address(host: str) -> IPAddress | None:
    """The address a host written as an address stands for: ``127.0.0.1``, ``[::1]``, and the legacy IPv4
    forms the C library accepts (``2130706433``, ``127.1``, ``0x7f.0.0.1``, ``0177.0.0.1``); else None."""
    host = host.strip().strip("[]").rstrip(".") if host else ""
    if not host:
        return None
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def address_kind(address: IPAddress, blocked: Iterable[Any] = ()) -> str:
    """`PUBLIC`, `PRIVATE` (loopback, RFC 1918, ULA, link-local, CGNAT, multicast, unspecified, reserved,
    documentation …) or `METADATA` (cloud instance metadata, and `blocked`); IPv4 wrapped in IPv6 is judged
    by the IPv4 address it carries."""
    if any(address in net for net in (*METADATA_NETWORKS, *blocked) if net.version == address.version):
        return METADATA
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            kind = address_kind(inner, blocked)
            return PRIVATE if kind == PUBLIC and address in _NAT64[1] else kind
    if address.is_multicast or not address.is_global:
        return PRIVATE
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return PRIVATE
    return PUBLIC


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in net for net in _NAT64) or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def origin_of(url: str) -> set[Origin]:
    """The (host, port) pairs a registered homepage URL stands for: its explicit port, or both 80 and 443
    when it has none (a site moving from http to https stays itself)."""
    try:
        parts = urlsplit(url.strip())
        host, port = (parts.hostname or "").lower().rstrip("."), parts.port
    except ValueError:
        return set()
    if not host:
        return set()
    return {(host, port)} if port is not None else {(host, 80), (host, 443)}


def _blocked_networks() -> tuple[Any, ...]:
    networks = []
    for value in _setting("GOVSITE_MONITOR_BLOCKED_ADDRESSES", ()) or ():
        try:
            networks.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses one scan may connect to (监测抓取安全).

    Public addresses always; private ones only for `private_origins` — the (host, port) of registry entries
    that allow them (`Website.allow_private_network`) — and metadata addresses never.
    """

    private_origins: frozenset[Origin] = frozenset()
    blocked: tuple[Any, ...] = field(default_factory=_blocked_networks)

    @classmethod
    def allowing(cls, urls: Iterable[str]) -> AddressPolicy:
        """A policy letting the hosts of these registered homepage URLs be on a private network."""
        origins: set[Origin] = set()
        for url in urls:
            origins |= origin_of(url)
        return cls(private_origins=frozenset(origins))

    def refusal(self, host: str, port: int, address: IPAddress) -> str:
        """Why connecting to `address` for `host:port` is refused ("" when it is allowed)."""
        kind = address_kind(address, self.blocked)
        if kind == PUBLIC:
            return ""
        if kind == PRIVATE and (host.lower().rstrip(".").strip("[]"), port) in self.private_origins:
            return ""
        what = "云平台元数据地址" if kind == METADATA else "内网或本机地址"
        return f"监测抓取安全：{host} 解析为{what} {address}，未连接"


# -- resolver and connector ---------------------------------------------------------------------------------


class HostMapResolver(AbstractResolver):
    """Answers mapped hosts and ``*.localhost`` from the map; other names from DNS, or refuses them offline;
    then keeps only the addresses `policy` allows (refusing the name when none is left).

    `lookups` counts the names passed on to DNS, `refused` the names turned away offline and `blocked` the
    names and addresses the address policy turned away, so a test can prove that a scan asked DNS nothing
    and see which hosts the scanned pages pointed to.
    """

    def __init__(
        self, host_map: dict[str, tuple[str, int]], *, refuse_unmapped: bool, policy: AddressPolicy | None = None
    ) -> None:
        self.host_map = host_map
        self.refuse_unmapped = refuse_unmapped
        self.policy = policy or AddressPolicy()
        self.lookups: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()
        self.blocked: Counter[str] = Counter()
        self._dns: AbstractResolver | None = None

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        name = host.lower().rstrip(".")
        answers = self._answer_locally(name, port)
        if answers is None:
            if self.refuse_unmapped:
                self.refused[name] += 1
                raise OutsideRequestRefused(socket.EAI_NONAME, f"离线监测：{name} 不在本机监测地址表中，未发起请求")
            self.lookups[name] += 1
            if self._dns is None:
                self._dns = aiohttp.ThreadedResolver()
            answers = await self._dns.resolve(host, port, family)
        allowed: list[ResolveResult] = []
        reason = ""
        for answer in answers:
            address = numeric_address(answer["host"])
            why = "监测抓取安全：无法识别的地址" if address is None else self.policy.refusal(name, port, address)
            if why:
                reason = reason or why
            else:
                allowed.append({**answer, "hostname": host})
        if not allowed:
            self.blocked[name] += 1
            raise AddressRefused(reason or f"监测抓取安全：{name} 没有可连接的地址")
        return allowed

    def _answer_locally(self, name: str, port: int) -> list[ResolveResult] | None:
        """The host map, ``*.localhost`` and numeric host forms, without DNS; None for a name DNS must answer."""
        mapped = self.host_map.get(name)
        if mapped is None and (name == "localhost" or name.endswith(".localhost")):
            mapped = (LOOPBACK, port)
        if mapped is None:
            address = numeric_address(name)
            if address is None:
                return None
            if self.refuse_unmapped and not address.is_loopback:
                return None  # offline: refused as any outside host is
            mapped = (str(address), port)
        address, mapped_port = mapped
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [ResolveResult(hostname=name, host=address, port=mapped_port, family=family, proto=0, flags=0)]

    async def close(self) -> None:
        if self._dns is not None:
            await self._dns.close()


class MonitorConnector(aiohttp.TCPConnector):
    """A TCP connector that resolves through a `HostMapResolver` and checks address literals the same way
    (aiohttp connects to those without asking the resolver): offline, non-loopback literals are refused;
    always, literals the address policy does not allow."""

    def __init__(self, resolver: HostMapResolver, **kwargs: Any) -> None:
        super().__init__(resolver=resolver, **kwargs)
        self.host_resolver = resolver

    async def connect(self, req: Any, traces: Any, timeout: Any) -> Any:
        host = req.url.raw_host or ""
        address = numeric_address(host)
        if address is not None:
            resolver = self.host_resolver
            if resolver.refuse_unmapped and not address.is_loopback:
                resolver.refused[host] += 1
                raise aiohttp.ClientConnectorError(
                    req.connection_key, OutsideRequestRefused(socket.EAI_NONAME, f"离线监测：不连接 {host}")
                )
            reason = resolver.policy.refusal(host, req.port or 0, address)
            if reason:
                resolver.blocked[host] += 1
                raise aiohttp.ClientConnectorError(req.connection_key, AddressRefused(reason))
        return await super().connect(req, traces, timeout)


# What every resolver of this process passed to DNS, refused offline and refused by the address policy, for
# tests and the demo's log.
DNS_LOOKUPS: Counter[str] = Counter()
REFUSED: Counter[str] = Counter()
BLOCKED: Counter[str] = Counter()


def monitor_connector(policy: AddressPolicy | None = None, **kwargs: Any) -> MonitorConnector:
    """The connector every monitor request goes through (crawler and availability probes)."""
    resolver = HostMapResolver(load_host_map(), refuse_unmapped=offline(), policy=policy)
    resolver.lookups, resolver.refused, resolver.blocked = DNS_LOOKUPS, REFUSED, BLOCKED
    return MonitorConnector(resolver, **kwargs)
