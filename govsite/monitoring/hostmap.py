"""Where the monitor connects: real DNS, or a host map that keeps a demo or test region on loopback.

Like ``curl --resolve``: the URL and the Host header stay the registered ones (``http://www.shifan.gov.cn/``),
only the address the socket connects to comes from the map (``127.0.0.1:8401``). In offline mode (the demo,
the tests) a host that is not in the map is refused without a DNS query, and so is an address literal that
is not loopback, so nothing a scanned page links to can make the monitor send a request off the machine.
``*.localhost`` (RFC 6761) always means loopback and never asks DNS.

Settings: ``GOVSITE_MONITOR_HOST_MAP`` — a dict ``{host: "127.0.0.1:port"}`` or the path of a JSON file
holding one (read at each scan, so a server that starts later can write it); ``GOVSITE_MONITOR_OFFLINE``.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from django.conf import settings

LOOPBACK = "127.0.0.1"


class OutsideRequestRefused(socket.gaierror):
    """网站监测 in offline mode: a host outside the host map (or a non-loopback address) is not contacted."""


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


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class HostMapResolver(AbstractResolver):
    """Answers mapped hosts and ``*.localhost`` from the map; other names from DNS, or refuses them offline.

    `lookups` counts the names passed on to DNS and `refused` the names turned away, so a test can prove
    that a scan asked DNS nothing and see which outside hosts the scanned pages pointed to.
    """

    def __init__(self, host_map: dict[str, tuple[str, int]], *, refuse_unmapped: bool) -> None:
        self.host_map = host_map
        self.refuse_unmapped = refuse_unmapped
        self.lookups: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()
        self._dns: AbstractResolver | None = None

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        name = host.lower().rstrip(".")
        mapped = self.host_map.get(name)
        if mapped is None and (name == "localhost" or name.endswith(".localhost")):
            mapped = (LOOPBACK, port)
        if mapped is not None:
            address, mapped_port = mapped
            return [
                ResolveResult(hostname=host, host=address, port=mapped_port, family=socket.AF_INET, proto=0, flags=0)
            ]
        if self.refuse_unmapped:
            self.refused[name] += 1
            raise OutsideRequestRefused(socket.EAI_NONAME, f"离线监测：{name} 不在本机监测地址表中，未发起请求")
        self.lookups[name] += 1
        if self._dns is None:
            self._dns = aiohttp.ThreadedResolver()
        return await self._dns.resolve(host, port, family)

    async def close(self) -> None:
        if self._dns is not None:
            await self._dns.close()


class MonitorConnector(aiohttp.TCPConnector):
    """A TCP connector that resolves through a `HostMapResolver` and, offline, refuses non-loopback addresses
    written as literals (aiohttp connects to those without asking the resolver)."""

    def __init__(self, resolver: HostMapResolver, **kwargs: Any) -> None:
        super().__init__(resolver=resolver, **kwargs)
        self.host_resolver = resolver

    async def connect(self, req: Any, traces: Any, timeout: Any) -> Any:
        host = req.url.host or ""
        if self.host_resolver.refuse_unmapped and _is_loopback(host) is False and _is_address(host):
            self.host_resolver.refused[host] += 1
            raise aiohttp.ClientConnectorError(
                req.connection_key, OutsideRequestRefused(socket.EAI_NONAME, f"离线监测：不连接 {host}")
            )
        return await super().connect(req, traces, timeout)


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


# What every resolver of this process passed to DNS and refused, for tests and the demo's log.
DNS_LOOKUPS: Counter[str] = Counter()
REFUSED: Counter[str] = Counter()


def monitor_connector(**kwargs: Any) -> MonitorConnector:
    """The connector every monitor request goes through (crawler and availability probes)."""
    resolver = HostMapResolver(load_host_map(), refuse_unmapped=offline())
    resolver.lookups, resolver.refused = DNS_LOOKUPS, REFUSED
    return MonitorConnector(resolver, **kwargs)
