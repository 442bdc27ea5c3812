"""The search box and the results page in a real browser: usable from the keyboard, axe-core clean."""

from __future__ import annotations

import pytest

from govsite.content.tests.builders import build_demo_content
from govsite.content.tests.test_accessibility import DESKTOP, MOBILE, _axe_violations, _describe, chromium
from govsite.testing import build_mini_region

pytestmark = pytest.mark.browser
live_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@live_db
def test_header_search_box_leads_to_results_without_axe_violations(live_server) -> None:
    region = build_mini_region(hosted=True)
    build_demo_content(region.portal, articles_per_column=3)
    found = {}
    with chromium() as browser:
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        page = context.new_page()
        page.goto(live_server.url + "/")
        # The box is laid out by the site's stylesheet (an unclosed rule earlier in it once dropped these rules).
        assert page.eval_on_selector(".site-search", "e => getComputedStyle(e).display") == "flex"
        page.get_by_label("检索词").first.fill("网站")  # the header box, by its label
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=*")
        assert "共找到" in page.inner_text("main")
        assert page.locator(".search-result mark").count() >= 1
        found["results"] = _axe_violations(page)
        page.goto(live_server.url + "/search/?q=%E7%BD%91%E7%AB%99&from=2026-99-01")
        assert "起始日期格式" in page.inner_text("main")
        found["bad input"] = _axe_violations(page)
        page.goto(live_server.url + "/search/")
        found["empty"] = _axe_violations(page)
        context.close()
        mobile = browser.new_context(viewport=MOBILE, locale="zh-CN", is_mobile=True, has_touch=True)
        page = mobile.new_page()
        page.goto(live_server.url + "/search/?q=%E6%94%BF%E5%BA%9C")
        found["mobile results"] = _axe_violations(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        mobile.close()
    failing = {label: v for label, v in found.items() if v}
    assert not failing, "\n\n".join(f"== {label} ==\n{_describe(v)}" for label, v in failing.items())
    assert overflow <= 0, f"the results page scrolls sideways on a phone by {overflow}px"
