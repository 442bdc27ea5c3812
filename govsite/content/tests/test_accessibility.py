"""Public pages pass axe-core's WCAG 2.1 A/AA rules (≈ GB/T 37668 二级) in a real browser, on desktop and mobile.

Runs headless Debian Chromium against pytest-django's live server; no download, no network.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import Site

from govsite.content.models import ArticlePage, ColumnPage
from govsite.content.tests.builders import build_demo_content, build_item_type_pages
from govsite.monitoring.evidence import CHROMIUM_ARGS  # the same headless flags as the monitor's screenshots
from govsite.monitoring.evidence import DEFAULT_CHROMIUM as CHROMIUM
from govsite.testing import build_mini_region

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe's best-practice tag adds the landmark, region, heading-order and skip-link rules; run on the page
# furniture only, since an editor's heading levels inside the article body are content, not template.
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}
SCREENSHOT_DIR = Path(os.environ.get("GOVSITE_SCREENSHOT_DIR", "/tmp"))

pytestmark = pytest.mark.browser
live_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@contextmanager
def chromium() -> Iterator:
    """Headless Chromium for the duration of one test body.

    Started inside the test, not as a longer-lived fixture: while Playwright's sync API runs its event loop,
    Django hands this thread a different database connection object, and pytest-django's set-up and
    teardown (flush, serialized rollback) must see the original one.
    """
    from playwright.sync_api import sync_playwright

    if shutil.which(CHROMIUM) is None:  # a broken set-up, not a reason to skip: `make test` installs it
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make test` as root, or apt-get install chromium")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _first_rendering(articles, fragment: str):  # noqa: ANN001, ANN202
    return next((a for a in articles.order_by("-published_at")[:300] if fragment in str(a.body)), None)


@pytest.fixture
def demo_pages(monkeypatch) -> dict[str, str]:  # noqa: ANN001
    """Paths of the demo region's portal (the default site, which the live server's localhost resolves to)."""
    call_command("demo", registry_size=30, articles_per_column=3, verbosity=0)
    # Small pages so that the column list shows its pagination; the live server runs in this process.
    monkeypatch.setattr(ColumnPage, "page_size", 2)
    home = Site.objects.get(is_default_site=True).root_page
    columns = list(ColumnPage.objects.descendant_of(home).live().order_by("path"))
    articles = ArticlePage.objects.live()
    ordered = list(articles.descendant_of(home).order_by("-published_at"))
    pages = {
        "home": home,
        "column": next(c for c in columns if articles.child_of(c).count() > ColumnPage.page_size),
        "column with sub-columns": next(c for c in columns if ColumnPage.objects.child_of(c).exists()),
        "empty column": next((c for c in columns if not articles.descendant_of(c).exists()), None),
        "article": ordered[0],
        "article with table": next(a for a in ordered if any(b.block_type == "table" for b in a.body)),
        "article with list": next(a for a in ordered if any(
            b.block_type == "paragraph" and "<li" in b.value.source for b in a.body)),
    }
    # Each item type (政策文件 with its 有效性 mark, 解读 in 图解 and 视频 form, 回应关切, 专题专栏) on the same site.
    pages.update(build_item_type_pages(home.specific))
    paths = {label: _path(page) for label, page in pages.items() if page is not None}
    # 政府信息公开: the column, its 指南 (a single-page column) and the catalogue browsing with a facet chosen.
    ogi = ColumnPage.objects.child_of(home).get(slug="xxgk", live=True)
    paths["disclosure column"] = _path(ogi)
    paths["disclosure guide"] = _path(ColumnPage.objects.child_of(ogi).get(slug="xxgkzn"))
    paths["disclosure catalogue"] = _path(ogi) + "mulu/?topic=01"
    paths["not found"] = "/no-such-page/"
    return paths


@pytest.fixture
def small_site() -> dict:
    """A portal with a few columns and articles: enough for interaction tests, quicker than the demo."""
    region = build_mini_region(hosted=True)
    return build_demo_content(region.portal, articles_per_column=3)


def _path(page) -> str:  # noqa: ANN001
    return page.get_url_parts()[2]


def _axe_violations(page) -> list[dict]:  # noqa: ANN001
    """WCAG 2.1 A/AA on the whole page; best practice on what the templates own (not the editors' body text)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    wcag = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    practice = axe.run(
        page,
        context={"exclude": [["[data-article-body]"]]},
        options={"runOnly": {"type": "tag", "values": ["best-practice"]}, "resultTypes": ["violations"]},
    )
    return wcag.response["violations"] + practice.response["violations"]


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary']}")
            lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


def test_axe_runs_and_reports() -> None:
    """Guard against a vacuous pass: the same axe set-up finds the faults of a broken page."""
    with chromium() as browser:
        page = browser.new_page()
        page.set_content('<html><body><img src="data:,"><a href="/"></a></body></html>')
        ids = {violation["id"] for violation in _axe_violations(page)}
    assert {"html-has-lang", "image-alt", "link-name"} <= ids


def _audit(browser, base_url: str, pages: dict[str, str]) -> dict[str, list[dict]]:  # noqa: ANN001
    """axe violations per page and mode, with a screenshot of each page in /tmp (or $GOVSITE_SCREENSHOT_DIR)."""
    found: dict[str, list[dict]] = {}
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    for label, path in pages.items():
        response = page.goto(base_url + path)
        assert response is not None and response.status == (404 if label == "not found" else 200), label
        found[f"desktop {label}"] = _axe_violations(page)
        name = label.replace(" ", "-")
        page.screenshot(path=str(SCREENSHOT_DIR / f"govsite-{name}-desktop.png"), full_page=True)
    # 长者模式 changes sizes and colours: it must stay clean too.
    context.add_cookies([{"name": "govsite_elder", "value": "1", "url": base_url}])
    for label in ("home", "article"):
        page.goto(base_url + pages[label])
        assert page.evaluate("document.documentElement.classList.contains('elder')")
        found[f"elder {label}"] = _axe_violations(page)
    page.screenshot(path=str(SCREENSHOT_DIR / "govsite-article-elder.png"), full_page=True)
    context.close()

    mobile = browser.new_context(
        viewport=MOBILE, locale="zh-CN", is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = mobile.new_page()
    for label in ("home", "article"):
        page.goto(base_url + pages[label])
        found[f"mobile {label}"] = _axe_violations(page)
        page.screenshot(path=str(SCREENSHOT_DIR / f"govsite-{label}-mobile.png"), full_page=True)
        # Nothing may stick out sideways at 375 px (WCAG 1.4.10 reflow).
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"mobile {label} scrolls horizontally by {overflow}px"
    mobile.close()
    return found


@live_db
def test_public_pages_have_no_axe_violations(live_server, demo_pages) -> None:
    assert demo_pages["home"] == "/"
    with chromium() as browser:
        found = _audit(browser, live_server.url, demo_pages)

    failing = {label: violations for label, violations in found.items() if violations}
    if failing:
        print("\n\n".join(f"== {label} ==\n{_describe(v)}" for label, v in failing.items()))
        print(json.dumps(failing, ensure_ascii=False, indent=1)[:20000])
    assert not failing, "axe found violations:\n" + "\n".join(
        f"{label}: {', '.join(v['id'] for v in violations)}" for label, violations in failing.items()
    )


@live_db
def test_elder_mode_toggle_works_from_the_keyboard(live_server, small_site) -> None:
    home_url = live_server.url + "/"
    article_url = live_server.url + _path(small_site["article"])
    with chromium() as browser:
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        page = context.new_page()
        page.goto(home_url)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "跳转到主要内容"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.hasAttribute('data-elder-toggle')")
        toggle = page.locator("[data-elder-toggle]")
        assert toggle.get_attribute("aria-pressed") == "false"

        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-pressed") == "true"
        assert page.evaluate("document.documentElement.classList.contains('elder')")
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 18
        assert any(c["name"] == "govsite_elder" and c["value"] == "1" for c in context.cookies())

        # The choice survives navigation: the server renders the class, the button shows it is on.
        page.goto(article_url)
        assert page.evaluate("document.documentElement.classList.contains('elder')")
        assert page.locator("[data-elder-toggle]").get_attribute("aria-pressed") == "true"

        page.locator("[data-elder-toggle]").focus()
        page.keyboard.press("Space")
        assert not page.evaluate("document.documentElement.classList.contains('elder')")
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == 16
        assert not any(c["name"] == "govsite_elder" and c["value"] == "1" for c in context.cookies())

        # Article tools: font size buttons report their state.
        page.get_by_role("button", name="大", exact=True).click()
        assert page.locator("[data-article-body]").evaluate("el => el.classList.contains('font-large')")
        assert page.get_by_role("button", name="大", exact=True).get_attribute("aria-pressed") == "true"
        context.close()
