"""The client's address behind the configured proxies (core/net.py)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from govsite.core.net import client_ip

PROXIES = ["10.0.0.0/8", "2001:db8:ffff::/48"]


def _request(remote: str, forwarded: str | None = None):  # noqa: ANN202
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(GOVSITE_TRUSTED_PROXIES=[])
def test_without_trusted_proxies_forwarded_for_is_ignored() -> None:
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@override_settings(GOVSITE_TRUSTED_PROXIES=PROXIES)
def test_a_client_not_behind_a_trusted_proxy_cannot_choose_its_address() -> None:
    assert client_ip(_request("203.0.113.9", "198.51.100.1, 10.0.0.1")) == "203.0.113.9"


@override_settings(GOVSITE_TRUSTED_PROXIES=PROXIES)
def test_forwarded_for_is_read_right_to_left_skipping_trusted_proxies() -> None:
    # the client forged "1.2.3.4"; the real client is the first address left of the proxies
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.1.1.1")) == "198.51.100.7"


@override_settings(GOVSITE_TRUSTED_PROXIES=PROXIES)
def test_only_proxies_in_the_chain_gives_the_leftmost_proxy() -> None:
    assert client_ip(_request("10.0.0.2", "10.3.3.3, 10.1.1.1")) == "10.3.3.3"
    assert client_ip(_request("10.0.0.2")) == "10.0.0.2"


@override_settings(GOVSITE_TRUSTED_PROXIES=PROXIES)
@pytest.mark.parametrize(("forwarded", "expected"), [
    ("garbage, 198.51.100.7", "198.51.100.7"),
    ("198.51.100.7, not-an-ip", "10.0.0.2"),
    ("[2001:db8::5]:443", "2001:db8::5"),
    ("198.51.100.7:51234", "198.51.100.7"),
    ("::ffff:198.51.100.8", "198.51.100.8"),
])
def test_malformed_and_ported_entries(forwarded: str, expected: str) -> None:
    assert client_ip(_request("10.0.0.2", forwarded)) == expected


@override_settings(GOVSITE_TRUSTED_PROXIES=PROXIES)
def test_ipv6_proxy() -> None:
    assert client_ip(_request("2001:db8:ffff::1", "2001:db8:1::9")) == "2001:db8:1::9"


def test_no_address() -> None:
    assert client_ip(_request("")) is None
