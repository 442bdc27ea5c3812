"""Test helpers (测试辅助), kept out of the production packages.

`factories`: a small region tree with units, websites and users (needs Django set up). `fakesite`: fake
government websites on loopback for the monitoring tests, `bench/` and the demo's served sites (plain
Python, no Django). The factories are importable from here as before (`from govsite.testing import
make_user`); they load on first use, so that `govsite.testing.fakesite` imports without Django.
"""

from __future__ import annotations

import importlib
from typing import Any

_FACTORIES = (
    "MiniRegion",
    "browser_login",
    "build_mini_region",
    "client_for",
    "force_login_verified",
    "give_role",
    "give_totp_device",
    "make_user",
    "make_website",
    "mark_session_verified",
    "one_time_code",
    "with_disclosure_columns",
    "with_site_staff",
)
__all__ = list(_FACTORIES)


def __getattr__(name: str) -> Any:
    if name in _FACTORIES:
        return getattr(importlib.import_module(".factories", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
