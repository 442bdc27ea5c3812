"""Every model change has its migration: a model edited without one fails here, before it reaches a server."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration() -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=out, verbosity=1)
    except SystemExit as exc:
        pytest.fail(f"模型有改动但缺少迁移（请运行 govsite makemigrations）：\n{out.getvalue()}（退出码 {exc.code}）")
