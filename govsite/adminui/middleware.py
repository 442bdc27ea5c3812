"""The interface language: Chinese unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, so a civil servant whose browser (or a
fresh Chromium) says en-US got an English admin and login page. The platform's language is a decision
of the deployment (LANGUAGE_CODE), not of the browser: only an explicit choice counts — the language
cookie that Django's set_language view writes, and in the admin the 界面语言 of the user's account,
which Wagtail applies on top of this.
"""

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


def language_for(request: HttpRequest) -> str:
    """The language code to activate: the language cookie if it names a supported language, else LANGUAGE_CODE."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware without Accept-Language negotiation."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(language_for(request))
        request.LANGUAGE_CODE = translation.get_language()
