"""Template tags of the public pages: header, footer (站点底部信息), breadcrumb, pagination, theme colours."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.text import Truncator
from wagtail.models import Page

from govsite.content.blocks import body_text
from govsite.content.context import content_language, get_public_site, is_elder_mode
from govsite.content.models import ArticlePage, ColumnPage

register = template.Library()



def _page(context: template.Context) -> Page | None:
    page = context.get("page") or context.get("self")
    return page if isinstance(page, Page) else None


@register.simple_tag(takes_context=True)
def public_site(context: template.Context):  # noqa: ANN201
    """The PublicSite of the page being rendered (see govsite.content.context)."""
    return get_public_site(context.get("request"), _page(context))


@register.simple_tag
def page_language() -> str:
    """BCP 47 tag for <html lang>."""
    return content_language()


@register.simple_tag
def page_language_code() -> str:
    """Django language code the public pages are rendered in, whatever the visitor's browser asks for."""
    return settings.LANGUAGE_CODE


@register.simple_tag(takes_context=True)
def elder_mode(context: template.Context) -> bool:
    return is_elder_mode(context.get("request"))


@register.inclusion_tag("content/includes/site_header.html", takes_context=True)
def site_header(context: template.Context) -> dict:
    """Banner with logo and site name, and the main navigation built from the home page's in-menu columns."""
    request = context.get("request")
    page = _page(context)
    site = get_public_site(request, page)
    nav = []
    for column in site.nav_columns:
        if page is not None and page.pk == column.pk:
            current = "page"
        elif page is not None and page.path.startswith(column.path):
            current = "true"
        else:
            current = ""
        nav.append({"page": column, "current": current})
    home_current = page is not None and site.home is not None and page.pk == site.home.pk
    return {
        "request": request,
        "public_site": site,
        "nav": nav,
        "home_current": home_current,
        "elder_mode": is_elder_mode(request),
    }


@register.inclusion_tag("content/includes/site_footer.html", takes_context=True)
def site_footer(context: template.Context) -> dict:
    """站点底部信息: 党政机关网站标识, 我为政府网站找错, 网站标识码, 备案号, 主办单位 and 联系方式, from the registry."""
    site = get_public_site(context.get("request"), _page(context))
    return {"public_site": site, "website": site.website, "links": site.footer_links, "appearance": site.appearance}


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context: template.Context, page: Page) -> list[Page]:
    """Ancestors of a page from its site's home page down to its parent."""
    site = get_public_site(context.get("request"), page)
    home = site.home
    if home is None:
        return []
    return list(Page.objects.ancestor_of(page).filter(depth__gte=home.depth).live().order_by("depth").specific())


@register.simple_tag
def page_numbers(page_obj) -> list:  # noqa: ANN001
    """Elided page numbers around the current page (ellipsis entries are strings)."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))


@register.simple_tag
def site_headline(home: Page) -> ArticlePage | None:
    """The newest article of the site, shown as the home page's 头条."""
    return ArticlePage.objects.descendant_of(home).live().public().order_by("-published_at", "-id").first()


@register.simple_tag
def article_column(article: ArticlePage) -> ColumnPage | None:
    return article.get_column()


@register.simple_tag
def article_description(article: ArticlePage, length: int = 120) -> str:
    """<meta name="description">: the SEO description, else the summary, else the start of the body text."""
    text = article.search_description or article.summary
    if not text:
        # Block boundaries become spaces so that paragraphs and list items do not run together.
        text = " ".join(body_text(article.body).split())
    return Truncator(text).chars(length)
