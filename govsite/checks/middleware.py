"""Turn a refused publication into a message and a way back, on whatever admin path reached the guard.

The guard raises inside `page.save()`, which Wagtail's workflow approval, copy and other views do not
expect; without this they would show a server error instead of the reason.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .page_guard import PublicationBlocked


class PublicationBlockedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PublicationBlocked):
            return None
        messages.error(request, exception.messages[0])
        page = exception.page
        if page is not None and page.pk:
            target = reverse("wagtailadmin_pages:edit", args=[page.pk])
        else:
            target = reverse("wagtailadmin_home")
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # A workflow action from a modal (e.g. 审核 from the 工作台): the modal follows "redirect", so the
            # reviewer lands on the page with the reason instead of a dialog that silently stays open.
            from wagtail.admin.modal_workflow import render_modal_workflow

            return render_modal_workflow(request, "", None, {}, json_data={"step": "success", "redirect": target})
        return HttpResponseRedirect(target)
