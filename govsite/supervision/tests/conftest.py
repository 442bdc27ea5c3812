"""Fixtures of the 监管 tests: fake government websites on loopback (`govsite.testing.fixtures`)."""

from govsite.testing.fixtures import fake_server, serve_site  # noqa: F401 (pytest fixtures)
