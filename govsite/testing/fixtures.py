"""pytest fixtures that serve fake government websites (模拟政府网站) on 127.0.0.1, each on a free port.

A conftest brings them in with `from govsite.testing.fixtures import fake_server, serve_site`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from govsite.testing.fakesite import FakeSite, FakeSiteServer, SiteSpec


@pytest.fixture
def fake_server() -> Iterator[FakeSiteServer]:
    """A running fake-site server; every site added during the test is stopped afterwards."""
    server = FakeSiteServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def serve_site(fake_server: FakeSiteServer) -> Callable[[SiteSpec], FakeSite]:
    """`serve_site(spec)` starts the spec on a free loopback port and returns the running site."""
    return fake_server.add
