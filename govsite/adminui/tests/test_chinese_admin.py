"""Every role sees the admin in Chinese: a crawl of every admin page each demo role may open, the login
page and Wagtail's own catalogues, failing on English left in what users see or hear."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import wagtail
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from wagtail.models import Page, Site

from govsite.adminui.tests.crawl import ALLOWED_WORDS, crawl, english_in, latin_words
from govsite.testing import one_time_code

pytestmark = pytest.mark.slow  # builds the demo region and crawls the admin

DEMO_PASSWORD = "Demo-2026!"
# One demo account per role (govsite/demo/data.py), and how many distinct admin pages to read for it.
ROLES = {
    "平台管理员": ("admin", 70),
    "监管人员": ("supervisor", 40),
    "第三方评估人员": ("evaluator", 30),
    "网站管理员": ("portal_admin", 50),
    "编辑": ("portal_editor", 40),
    "审核人员": ("portal_reviewer", 40),
    "保密审查员": ("portal_secrecy", 40),
}
# Reading these changes nothing a user sees in the admin: logging out, downloads, the public page previews.
SKIP = re.compile(r"/logout/|/bulk/|export|download|xlsx|/preview|/view_draft/|/jsi18n/|/api/|\.(?:csv|json)$")


@pytest.fixture
def demo_region(db):  # noqa: ANN001, ANN201
    call_command("demo", registry_size=30, articles_per_column=2, verbosity=0)


def _data_words() -> set[str]:
    """Latin words that are data (usernames, page slugs, host names), not interface text."""
    words = set(ALLOWED_WORDS)
    for value in [
        *get_user_model().objects.values_list("username", flat=True),
        *Page.objects.values_list("slug", flat=True),
        *Site.objects.values_list("hostname", flat=True),
    ]:
        words.add(value.lower())
        words.update(part.lower() for part in re.split(r"[-_.]", value))
    return words


def _getter(client: Client):  # noqa: ANN202
    def get(path: str) -> tuple[int, str, str]:
        response = client.get(path, follow=True)
        content_type = response.get("Content-Type", "")
        body = response.content.decode() if "text/html" in content_type else ""
        return response.status_code, content_type, body

    return get


def _report(role: str, result) -> str:  # noqa: ANN001
    lines = [f"{role}: {len(result.visited)} 个后台页面"]
    lines += [f"  {finding.url}  <{finding.where}>  {finding.text!r}  {finding.words}" for finding in result.findings]
    return "\n".join(lines)


def test_login_page_is_chinese_whatever_the_browser_asks(demo_region) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    response = client.get("/admin/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert english_in("/admin/login/", html, _data_words()) == []
    assert "<title>登录 - GovSite 政府网站集约化平台</title>" in html
    assert "Wagtail" not in html.replace("wagtail", "")


def test_every_admin_page_of_every_role_is_chinese(demo_region, capsys) -> None:
    allowed = _data_words()
    failures = []
    for role, (username, max_pages) in ROLES.items():
        client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        response = client.post("/admin/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, f"{role} {username} 登录失败"
        code = one_time_code(get_user_model().objects.get(username=username))
        response = client.post("/admin/security/verify/", {"token": code})
        assert response.status_code == 302, f"{role} {username} 两步验证失败"
        result = crawl(_getter(client), ["/admin/"], allowed, SKIP.search, max_pages)
        with capsys.disabled():
            print("\n" + _report(role, result) if result.findings else f"\n{role}: {len(result.visited)} 个后台页面")
            print("  " + " ".join(result.visited))
        assert len(result.visited) >= 5, f"{role} 可访问的后台页面太少：{result.visited}"
        if result.findings:
            failures.append(_report(role, result))
    assert not failures, "后台仍有英文：\n" + "\n".join(failures)


def _po_messages(path: Path) -> list[tuple[str | None, str]]:
    """(msgctxt, msgid) of each translatable message of a .po file."""
    return [(context, msgid) for context, msgid, _msgstr in _po_entries(path)]


def _po_entries(path: Path) -> list[tuple[str | None, str, str]]:
    """(msgctxt, msgid, msgstr or msgstr[0]) of each message of a .po file."""
    messages: list[tuple[str | None, str, str]] = []
    current: dict[str, str] = {}
    key = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith(("msgctxt ", "msgid ", "msgid_plural ", "msgstr")):
            key, _, rest = line.partition(" ")
            current[key] = ast.literal_eval(rest)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip() and current:
            if current.get("msgid"):
                msgstr = current.get("msgstr", current.get("msgstr[0]", ""))
                messages.append((current.get("msgctxt"), current["msgid"], msgstr))
            current, key = {}, None
    return messages


def test_every_wagtail_admin_message_has_a_chinese_translation() -> None:
    """Wagtail's zh_Hans catalogues lag its English source; govsite/locale supplies the rest."""
    wagtail_root = Path(wagtail.__file__).parent
    missing = []
    with translation.override("zh-hans"):
        for config in apps.get_app_configs():
            if not config.name.startswith("wagtail"):
                continue
            for catalogue in Path(config.path).glob("locale/en/LC_MESSAGES/*.po"):
                for context, msgid in _po_messages(catalogue):
                    if catalogue.stem == "djangojs":
                        continue  # checked through the JavaScript catalogue below
                    translated = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
                    if translated == msgid and latin_words(msgid, ALLOWED_WORDS):
                        missing.append(f"{catalogue.relative_to(wagtail_root)}: {msgid}")
    assert not missing, f"{len(missing)} 条未翻译：\n" + "\n".join(missing[:50])


@pytest.mark.django_db  # the host middleware looks the request's site up
def test_wagtail_javascript_catalogue_is_chinese(client) -> None:
    wagtail_root = Path(wagtail.__file__).parent
    messages = _po_messages(wagtail_root / "admin/locale/en/LC_MESSAGES/djangojs.po")
    catalogue = client.get("/admin/jsi18n/").content.decode()
    # The catalogue lists translated messages only, as JSON keys (non-ASCII escaped, as json.dumps does).
    untranslated = [msgid for _context, msgid in messages if json.dumps(msgid) + ":" not in catalogue]
    assert not untranslated, untranslated


def test_compiled_catalogue_matches_its_source() -> None:
    """govsite/locale's .mo is committed: it must say what the .po says (compile with msgfmt after editing)."""
    source = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    stale = []
    with translation.override("zh-hans"):
        for context, msgid, msgstr in _po_entries(source):
            translated = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            if msgstr and "%" not in msgid and translated != msgstr:
                stale.append(msgid)
    assert not stale, stale
