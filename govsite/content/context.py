"""What every public page of a hosted site needs around its content: site identity, appearance, navigation.

The registry entry (政府网站基本信息库) is the single source of the footer's identifiers, so that the
网站标识码, 备案号 and 主办单位 shown to the public are always the ones the supervisors keep.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import to_locale
from wagtail.models import Page, Site

from .colours import contrast_ratio, is_hex_colour
from .models import ColumnPage, SiteAppearance

if TYPE_CHECKING:
    from django.http import HttpRequest

    from govsite.registry.models import Website

# Cookie set by the 长者模式 toggle (static/content/js/site.js); read here so the page renders without a flash.
ELDER_MODE_COOKIE = "govsite_elder"
DEFAULT_PRIMARY = SiteAppearance._meta.get_field("primary_colour").default
DEFAULT_ACCENT = SiteAppearance._meta.get_field("accent_colour").default

PARTY_GOV_MARK_URL = "https://bszs.conac.cn/sitename?method=show&id={}"
ERROR_REPORT_URL = "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode={}"
ICP_URL = "https://beian.miit.gov.cn/"
POLICE_RECORD_URL = "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={}"


def content_language() -> str:
    """The language public pages are written in, as a BCP 47 tag (zh-hans → zh-Hans)."""
    return to_locale(settings.LANGUAGE_CODE).replace("_", "-")


def safe_colour(value: str | None, default: str) -> str:
    """A colour fit for white text on it and for text on white; anything else (e.g. set past the form) falls back."""
    if value and is_hex_colour(value) and contrast_ratio(value, "#ffffff") >= 4.5:
        return value.lower()
    return default


def police_record_code(number: str) -> str:
    """公安机关备案号 '京公网安备 11010502030143号' → '11010502030143', the query parameter beian.gov.cn wants."""
    return re.sub(r"\D", "", number or "")


@dataclass
class PublicSite:
    """One hosted site as its public pages see it."""

    site: Site | None
    website: Website | None
    appearance: SiteAppearance | None
    home: Page | None
    nav_columns: list[ColumnPage] = field(default_factory=list)

    @property
    def name(self) -> str:
        if self.website is not None:
            return self.website.name
        if self.site is not None:
            return self.site.site_name or (self.home.title if self.home else "")
        return ""

    @property
    def primary_colour(self) -> str:
        return safe_colour(getattr(self.appearance, "primary_colour", None), DEFAULT_PRIMARY)

    @property
    def accent_colour(self) -> str:
        return safe_colour(getattr(self.appearance, "accent_colour", None), DEFAULT_ACCENT)

    @property
    def footer_links(self) -> dict[str, str]:
        website = self.website
        if website is None:
            return {}
        links = {"icp": ICP_URL, "error_report": ERROR_REPORT_URL.format(website.site_code)}
        if website.party_gov_mark:
            links["party_gov_mark"] = PARTY_GOV_MARK_URL.format(website.party_gov_mark)
        code = police_record_code(website.police_record_number)
        if code:
            links["police_record"] = POLICE_RECORD_URL.format(code)
        return links


def _site_for(request: HttpRequest | None, page: Page | None) -> Site | None:
    # The page's own site, not the request's: an admin preview is requested on the admin host,
    # and must still show the footer of the site the page belongs to.
    if page is not None and getattr(page, "pk", None):
        site = page.get_site()
        if site is not None:
            return site
    if request is not None:
        return Site.find_for_request(request)
    return None


def get_public_site(request: HttpRequest | None, page: Page | None = None) -> PublicSite:
    """Site identity for a public page, computed once per request."""
    cached = getattr(request, "_govsite_public_site", None)
    if cached is not None:
        return cached
    site = _site_for(request, page)
    website = None
    appearance = None
    home = None
    nav_columns: list[ColumnPage] = []
    if site is not None:
        from govsite.registry.models import Website

        website = Website.objects.select_related("owner_unit").filter(wagtail_site=site).first()
        appearance = SiteAppearance.for_site(site)
        home = site.root_page
        nav_columns = list(ColumnPage.objects.child_of(home).live().public().in_menu())
    public_site = PublicSite(site, website, appearance, home, nav_columns)
    if request is not None:
        request._govsite_public_site = public_site
    return public_site


def is_elder_mode(request: HttpRequest | None) -> bool:
    return bool(request is not None and request.COOKIES.get(ELDER_MODE_COOKIE) == "1")
