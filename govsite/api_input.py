"""What the REST API accepts (接口输入): bounded paging, and request data a database can store.

- django-ninja validates `page`, `limit` and `offset` as unbounded integers; ``?page=99999999999999999999``
  became an OFFSET beyond 64 bits and an error page from the database. The paging classes below cap every
  input with a Chinese 422 instead (the handlers of ``adminui.api_errors``), and cap the page size.
- JSON may spell a lone surrogate (``"\ud800"``) or NUL (``"\u0000"``); no database driver can store the
  first, PostgreSQL refuses the second. ``InputParser`` refuses such bodies (400) and query parameters
  holding NUL (422) before any view runs.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination, PageNumberPagination
from ninja.parser import Parser
from pydantic import StringConstraints

from govsite.core.validators import has_unencodable

# Far beyond any list the platform has, far below 2**63 when multiplied by a page size.
MAX_PAGE = 1_000_000
MAX_OFFSET = 100_000_000
# Larger limits and page sizes are accepted and served as this many, as django-ninja does.
MAX_LIMIT = 500


class BoundedPageNumberPagination(PageNumberPagination):
    """``?page=&page_size=`` with both bounded."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_OFFSET)

    def __init__(self, page_size: int = 50, max_page_size: int = MAX_LIMIT, **kwargs) -> None:  # noqa: ANN003
        super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """``?limit=&offset=`` with both bounded."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_OFFSET)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, max_limit: int = MAX_LIMIT, **kwargs) -> None:  # noqa: ANN003
        super().__init__(max_limit=max_limit, **kwargs)


class UnstorableBody(ValueError):
    """A JSON body with text no database can store; django-ninja answers 400 (in Chinese, see api_errors)."""


class InputParser(Parser):
    """django-ninja's JSON parser, refusing text a database cannot store."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        if has_unencodable(data):
            raise UnstorableBody("NUL or lone surrogate in JSON body")
        return data

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        bad = [key for key, value in result.items() if has_unencodable(key) or has_unencodable(value)]
        if bad:
            raise ValidationError([
                {"type": "value_error", "loc": ["query", key], "msg": _("不能包含空字符（U+0000）。")} for key in bad
            ])
        return result


# 网站标识码 in a path or query: 10 ASCII digits or bm + 8 (a NUL or other text is a 422, not a query).
SiteCode = Annotated[str, StringConstraints(pattern=r"^([0-9]{10}|bm[0-9]{8})$")]
