"""A task for the worker-lost tests (test_worker_lost.py), loaded only by their workers (``--include``)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from celery import shared_task


@shared_task(name="govsite.tests.hold")
def hold(marker_dir: str) -> int:
    """Write ``started-<n>`` (n = this attempt), wait until ``release`` exists, then write ``done-<n>``."""
    folder = Path(marker_dir)
    attempt = len(list(folder.glob("started-*"))) + 1
    (folder / f"started-{attempt}").write_text(str(os.getpid()))
    deadline = time.monotonic() + 120
    while not (folder / "release").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    (folder / f"done-{attempt}").write_text(str(os.getpid()))
    return attempt
