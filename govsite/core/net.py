"""The client's address (客户端地址) behind the configured reverse proxies.

Every part that records or limits by address (audit log, login lockout) calls `client_ip`, so that the
address is the same everywhere and a client cannot choose it by sending its own X-Forwarded-For.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest


@lru_cache(maxsize=16)
def _networks(cidrs: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs if cidr.strip())


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.9:51234"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    return address.ipv4_mapped or address if isinstance(address, ipaddress.IPv6Address) else address


def is_trusted_proxy(address: str) -> bool:
    """Whether `address` is one of GOVSITE_TRUSTED_PROXIES (a list of CIDRs)."""
    parsed = _parse(address)
    if parsed is None:
        return False
    return any(parsed in network for network in _networks(tuple(getattr(settings, "GOVSITE_TRUSTED_PROXIES", ()))))


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of the client that sent `request` (客户端真实地址).

    REMOTE_ADDR is the client unless it is a trusted proxy; then X-Forwarded-For is read from right to
    left, skipping trusted proxies, and the first address that is not one is the client (the entries left
    of it were written by the client and prove nothing). A malformed entry stops the walk at the last
    address known to be good. None when there is no usable address at all.
    """
    if request is None:  # tasks and commands
        return None
    remote = _parse(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    if not is_trusted_proxy(str(remote)):
        return str(remote)
    chain = [part for part in (request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",") if part.strip()]
    client = remote
    for entry in reversed(chain):
        parsed = _parse(entry)
        if parsed is None:
            break
        client = parsed
        if not is_trusted_proxy(str(parsed)):
            break
    return str(client)
