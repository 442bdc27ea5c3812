"""`--registry-size 1952` reproduces the 2017 report: 1952 sites registered, 1775 gone, 176 running.

How long the full-size build takes is printed by `bench/demo_build.py`, not asserted here."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from govsite.registry.models import Website, WebsiteStatus

pytestmark = pytest.mark.slow  # builds the demo region at full size


@pytest.mark.django_db
def test_report_scale_registry_has_1775_gone_176_running_and_one_being_built() -> None:
    call_command("demo", registry_size=1952, articles_per_column=1, verbosity=0)

    assert Website.objects.count() == 1952
    assert Website.objects.filter(status__in=[WebsiteStatus.OFFLINE, WebsiteStatus.MERGED]).count() == 1775
    assert Website.objects.filter(status=WebsiteStatus.RUNNING).count() == 176
    assert Website.objects.filter(status=WebsiteStatus.PLANNING).count() == 1


@pytest.mark.django_db
def test_browser_test_size_builds() -> None:
    call_command("demo", registry_size=30, articles_per_column=3, verbosity=0)

    assert Website.objects.count() == 30
    assert Website.objects.filter(wagtail_site__isnull=False, status=WebsiteStatus.RUNNING).count() == 6
