"""GovSite's copies of Wagtail templates differ from Wagtail's only where they mark a string for translation,
so a Wagtail upgrade that changes the template fails here instead of silently losing its change."""

from pathlib import Path

import pytest
import wagtail

OURS = Path(__file__).resolve().parent.parent / "templates" / "wagtailadmin"
WAGTAILS = Path(wagtail.__file__).parent / "admin" / "templates" / "wagtailadmin"
COPIES = {
    "home.html": [('value="Search"', "value=\"{% trans 'Search' %}\"")],
    "shared/header.html": [('value="Search"', "value=\"{% trans 'Search' %}\"")],
    "shared/headers/_actions.html": [('aria-label="Actions"', "aria-label=\"{% trans 'Actions' %}\"")],
}


@pytest.mark.parametrize("name", sorted(COPIES))
def test_copied_template_is_wagtails_with_its_strings_marked(name: str) -> None:
    expected = (WAGTAILS / name).read_text(encoding="utf-8")
    for english, marked in COPIES[name]:
        assert english in expected, f"Wagtail's {name} changed: {english} is gone"
        expected = expected.replace(english, marked)
    ours = (OURS / name).read_text(encoding="utf-8").split("\n", 1)[1]  # first line: our note
    assert ours.removeprefix("{% load i18n %}") == expected.removeprefix("{% load i18n %}") or ours == expected


def test_login_page_shows_govsite_and_no_wagtail_mark(client, db) -> None:  # noqa: ANN001
    html = client.get("/admin/login/").content.decode()
    assert "adminui/govsite-mark.svg" in html
    assert 'aria-label="Wagtail"' not in html and "icon-wagtail" not in html
