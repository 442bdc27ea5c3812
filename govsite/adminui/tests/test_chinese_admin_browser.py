"""What JavaScript renders in the admin (sidebar, action menus, side panels, the rich-text editor) is
Chinese too: the editor's and the reviewer's screens read in headless Chromium, whatever the browser's
own language."""

from __future__ import annotations

import pytest
from wagtail.models import Page

from govsite.adminui.tests.crawl import ALLOWED_WORDS, latin_words
from govsite.content.models import ArticlePage
from govsite.content.tests.builders import build_demo_content
from govsite.content.tests.test_accessibility import chromium
from govsite.testing import browser_login, build_mini_region, give_role, make_user

pytestmark = pytest.mark.browser
live_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "Test-pass-2026!"

# Visible text, and the labels a user reads on hover or hears, of every rendered element.
VISIBLE_TEXTS = """() => {
  const texts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll('[placeholder],[title],[aria-label]')) {
    const box = el.getBoundingClientRect();
    if (!box.width && !box.height && el.getAttribute('aria-hidden') !== 'false') continue;
    for (const name of ['placeholder', 'title', 'aria-label']) if (el.getAttribute(name)) texts.push(el.getAttribute(name));
  }
  return texts;
}"""


def _english(texts: list[str], allowed: set[str]) -> list[str]:
    found = []
    for text in texts:
        for line in text.splitlines():
            if latin_words(line, allowed):
                found.append(line.strip()[:120])
    return sorted(set(found))


@live_db
def test_editor_and_reviewer_screens_rendered_by_javascript_are_chinese(live_server, settings) -> None:  # noqa: ANN001
    # The admin page loads scripts in parallel; with a session write on each of them the live server's shared
    # in-memory SQLite connection reports "table is locked". Reading screens needs no idle-timeout refresh.
    settings.SESSION_SAVE_EVERY_REQUEST = False
    region = build_mini_region(hosted=True)
    build_demo_content(region.portal, articles_per_column=1)
    article = ArticlePage.objects.first()
    users = {}
    for role in ("editor", "reviewer"):
        users[role] = make_user(f"portal_{role}", password=PASSWORD, first_name="砚秋", last_name="岑")
        give_role(users[role], role, website=region.portal)
    allowed = set(ALLOWED_WORDS) | {p.lower() for p in users} | {
        part for slug in Page.objects.values_list("slug", flat=True) for part in slug.lower().split("-")}
    screens = ["/admin/", f"/admin/pages/{article.get_parent().pk}/", f"/admin/pages/{article.pk}/edit/"]
    found: dict[str, list[str]] = {}
    with chromium() as browser:
        for role, user in users.items():
            context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{live_server.url}/admin/login/")
            found[f"{role} /admin/login/"] = _english(page.evaluate(VISIBLE_TEXTS), allowed)
            browser_login(page, live_server.url, user.username, PASSWORD)  # password, then the second step
            for path in screens:
                page.goto(f"{live_server.url}{path}")
                page.wait_for_load_state("networkidle")
                texts = page.evaluate(VISIBLE_TEXTS)
                # open what only clicking shows: the page's action menu and each side panel
                for selector in ("footer [data-w-dropdown-target='toggle']", "button[data-side-panel-toggle]"):
                    for toggle in page.query_selector_all(selector):
                        if toggle.is_visible():
                            toggle.click()
                            page.wait_for_timeout(200)
                            texts += page.evaluate(VISIBLE_TEXTS)
                found[f"{role} {path}"] = _english(texts, allowed)
            print(f"{role}: " + " ".join(screens))
            context.close()
    leftovers = {screen: lines for screen, lines in found.items() if lines}
    assert not leftovers, leftovers
