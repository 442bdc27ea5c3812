"""The Chinese names of the monitor's checks and severities, for dashboard, 工作台, exports and CLI: a thin
reader of the indicator registry (`govsite.core.findings`), where every code has its one label."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from govsite.core.findings import MONITOR, SEVERITIES, finding_kinds, finding_label, severity_label

# Kept as mappings for the readers that list them (filters, legends); the labels are the registry's.
CHECK_LABELS: dict[str, Any] = {kind.code: gettext_lazy(kind.label) for kind in finding_kinds(MONITOR)}
SEVERITY_LABELS: dict[str, Any] = {
    code: gettext_lazy(severity.label) for code, severity in SEVERITIES.items() if MONITOR in severity.sources
}


def check_label(name: str) -> str:
    """The label of a monitor finding code; unknown checks are shown by their name."""
    return finding_label(name)


__all__ = ["CHECK_LABELS", "SEVERITY_LABELS", "check_label", "severity_label"]
