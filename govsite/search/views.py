"""检索结果页 at /search/ on every hosted site: that site's items, or every site's from the portal (统一检索).

Public and anonymous: no session, no user, no form token (a GET form). Bad parameters answer 400 with a
Chinese message on the same page, never an error page.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.models import Site

from .inputs import columns_for, parse_search
from .selectors import PAGE_SIZE, hits, item_models, search, searchable_sites, shown_total, topic_choices


def is_portal(site: Site | None) -> bool:
    """The portal (the default site) searches every hosted site; any other site searches itself."""
    return site is None or site.is_default_site


@require_safe
def search_view(request: HttpRequest) -> HttpResponse:
    site = Site.find_for_request(request)
    cross_site = is_portal(site)
    sites = searchable_sites() if cross_site else searchable_sites(only=site)
    asked = parse_search(request.GET, sites, cross_site=cross_site)
    context = {
        "asked": asked,
        "query": asked.query,
        "cross_site": cross_site,
        "sites": sites,
        "columns": columns_for(asked.filters.site),
        "types": [(name, model._meta.verbose_name) for name, model in item_models().items()],
        "topics": topic_choices(),
        "params": request.GET,
        "page_obj": None,
        "results": [],
    }
    status = 400 if asked.errors else 200
    if asked.query and not asked.errors:
        paginator = Paginator(search(asked.query, sites, asked.filters), PAGE_SIZE)
        try:
            page_obj = paginator.page(asked.page)
        except EmptyPage:
            if paginator.count:
                asked.errors.append(_("页码超出范围：共 %(n)s 页。") % {"n": paginator.num_pages})
                status = 400
            page_obj = None
        if page_obj is not None:
            context["page_obj"] = page_obj
            context["results"] = hits(list(page_obj.object_list), asked.query, sites, request, absolute=False)
        # A very common word is counted no further than COUNT_LIMIT (backend.py): "超过 1,000 条".
        context["total"], context["total_exact"] = shown_total(paginator.object_list)
    return TemplateResponse(request, "search/results.html", context, status=status)
