"""Admin views (filled in by its work package)."""

from __future__ import annotations

urlpatterns: list = []
