"""截图证据: each veto finding keeps a screenshot taken with headless Chromium when the run is recorded, shown
on the run's page and served only to those who may see the run."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from govsite.core.access import SYSTEM
from govsite.core.models import Role
from govsite.monitoring.evidence import capture_screenshots, resolver_rules
from govsite.monitoring.models import RunStatus, ScanFinding
from govsite.monitoring.services import do_scan_website
from govsite.testing import build_mini_region, client_for, give_role, make_user
from govsite.testing.fakesite import LinkSpec, SiteSpec, closed_port

AS_OF = date(2026, 11, 26)
PNG = b"\x89PNG"


@pytest.fixture
def region(db):  # noqa: ANN001, ANN201
    return build_mini_region(hosted=False)


def hidden_link_site() -> SiteSpec:
    """A fresh site whose homepage carries a hidden link to another site (暗链, a veto item)."""
    return SiteSpec(
        name="甲市人民政府",
        homepage_dates=[AS_OF - timedelta(days=1)],
        links=[LinkSpec("http://www.casino-bet.example/index.html", text="澳门线上赌场", hidden=True)],
    )


def scan(region, serve_site, settings, django_capture_on_commit_callbacks, *, screenshots: bool,  # noqa: ANN001, ANN201
         mapped: bool = False):
    """Scan 甲市's site served on loopback: at its loopback URL, or (`mapped`) under its registered name
    through the monitor's host map, as the demo's sites are."""
    settings.GOVSITE_MONITOR_SCREENSHOTS = screenshots
    site = serve_site(hidden_link_site())
    website = region.site_a
    if mapped:
        settings.GOVSITE_MONITOR_HOST_MAP = {"www.jia.gov.cn": f"127.0.0.1:{site.port}"}
        website.homepage_url = "http://www.jia.gov.cn/"
    else:
        website.homepage_url = site.url + "/"
    website.allow_private_network = True
    website.save(update_fields=["homepage_url", "allow_private_network"])
    with django_capture_on_commit_callbacks(execute=True):
        run = do_scan_website(website, by=SYSTEM, as_of=AS_OF, max_pages=10, retries=0)
    assert run.status == RunStatus.DONE
    return run


@pytest.mark.browser
def test_a_veto_finding_keeps_a_screenshot_shown_only_to_who_may_see_the_run(  # noqa: ANN201
    region, serve_site, settings, django_capture_on_commit_callbacks  # noqa: ANN001
):
    run = scan(region, serve_site, settings, django_capture_on_commit_callbacks, screenshots=True)
    veto = run.findings.get(check_name="hidden_link")
    assert veto.severity == "veto" and veto.screenshot
    assert veto.screenshot.name.startswith("monitoring/evidence/")
    with veto.screenshot.open("rb") as handle:
        assert handle.read(4) == PNG
    # Only veto findings are shot.
    assert not run.findings.exclude(severity="veto").exclude(screenshot="").exists()

    shot_url = reverse("monitoring:finding_screenshot", args=(run.pk, veto.pk))
    supervisor = make_user("sup_a")
    give_role(supervisor, Role.SUPERVISOR, unit=region.gov_a)
    response = client_for(supervisor).get(shot_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content)[:4] == PNG
    page = client_for(supervisor).get(reverse("monitoring:run", args=(run.pk,))).content.decode()
    assert f'href="{shot_url}"' in page and f'src="{shot_url}"' in page

    other = make_user("sup_b")
    give_role(other, Role.SUPERVISOR, unit=region.gov_b)
    assert client_for(other).get(shot_url).status_code == 404
    assert client_for(other).get(reverse("monitoring:run", args=(run.pk,))).status_code == 404
    # A finding id of another run does not open through this run.
    wrong = reverse("monitoring:finding_screenshot", args=(run.pk + 1000, veto.pk))
    assert client_for(supervisor).get(wrong).status_code == 404


@pytest.mark.browser
def test_a_site_under_its_registered_name_is_shot_through_the_host_map(  # noqa: ANN201
    region, serve_site, settings, django_capture_on_commit_callbacks  # noqa: ANN001
):
    run = scan(region, serve_site, settings, django_capture_on_commit_callbacks, screenshots=True, mapped=True)
    veto = run.findings.get(check_name="hidden_link")
    assert veto.url == "http://www.jia.gov.cn/"
    with veto.screenshot.open("rb") as handle:
        assert handle.read(4) == PNG


def test_no_screenshot_when_the_setting_is_off(region, serve_site, settings, django_capture_on_commit_callbacks):  # noqa: ANN001
    run = scan(region, serve_site, settings, django_capture_on_commit_callbacks, screenshots=False)
    veto = run.findings.get(check_name="hidden_link")
    assert not veto.screenshot
    shot_url = reverse("monitoring:finding_screenshot", args=(run.pk, veto.pk))
    supervisor = make_user("sup_a")
    give_role(supervisor, Role.SUPERVISOR, unit=region.gov_a)
    assert client_for(supervisor).get(shot_url).status_code == 404


@pytest.mark.browser
def test_an_unreachable_page_leaves_no_screenshot_and_does_not_raise(  # noqa: ANN201
    region, serve_site, settings, django_capture_on_commit_callbacks  # noqa: ANN001
):
    run = scan(region, serve_site, settings, django_capture_on_commit_callbacks, screenshots=False)
    dead = f"http://127.0.0.1:{closed_port()}/"
    ScanFinding.objects.filter(run=run, check_name="hidden_link").update(url=dead)
    assert capture_screenshots(run) == 0
    assert not run.findings.get(check_name="hidden_link").screenshot


def test_the_host_map_becomes_chromium_resolver_rules() -> None:
    rules = resolver_rules({"www.shifan.gov.cn": ("127.0.0.1", 8401), "www.jia.gov.cn": ("127.0.0.1", 8402)})
    assert rules == "MAP www.jia.gov.cn 127.0.0.1:8402,MAP www.shifan.gov.cn 127.0.0.1:8401"


def test_a_missing_browser_leaves_no_screenshot_and_does_not_raise(  # noqa: ANN201
    region, serve_site, settings, django_capture_on_commit_callbacks  # noqa: ANN001
):
    settings.GOVSITE_CHROMIUM = "/nonexistent/chromium"
    run = scan(region, serve_site, settings, django_capture_on_commit_callbacks, screenshots=True)
    assert run.status == RunStatus.DONE and run.veto_count >= 1
    assert not run.findings.exclude(screenshot="").exists()
    assert capture_screenshots(run) == 0
