"""The client's real address behind the configured reverse proxies (来源 IP).

`GOVSITE_TRUSTED_PROXIES` lists the proxies' addresses or networks. `X-Forwarded-For` is believed only
when the direct peer is one of them, and then read from the right, skipping trusted hops, so a client
cannot choose its own address by sending the header itself.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_proxies() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "GOVSITE_TRUSTED_PROXIES", ()) or ()))


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # "192.0.2.1:443"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of the client that made the request, or None without a request (tasks, commands)."""
    if request is None:
        return None
    peer = _parse(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    proxies = trusted_proxies()

    def trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address in network for network in proxies)

    if not trusted(peer):
        return str(peer)
    hops = [hop for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if (hop := part.strip())]
    address = peer
    for hop in reversed(hops):
        parsed = _parse(hop)
        if parsed is None:
            break  # garbage in the header: the last good hop is as far as we can trust
        address = parsed
        if not trusted(parsed):
            break
    return str(address)
