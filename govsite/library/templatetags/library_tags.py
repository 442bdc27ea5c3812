"""Rendering a placed item's body, whatever field type its page model gives it (rich text or blocks)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString
from wagtail.rich_text import expand_db_html

register = template.Library()


@register.simple_tag(takes_context=True)
def item_body(context: Any, item: Any) -> SafeString:
    body = getattr(item, "body", "")
    if hasattr(body, "render_as_block"):  # StreamField
        return body.render_as_block(context=context.flatten())
    return SafeString(expand_db_html(str(body or "")))
