"""The REST API's errors in Chinese, in django-ninja's JSON shape ({"detail": ...}).

django-ninja answers with fixed English ("Unauthorized", "Not Found", "CSRF check Failed") and passes
pydantic's English validation messages ("Field required") through. The handlers below keep the shape and
every key a client may read (status, "detail", each error's "type" and "loc") and say the message in
Chinese, chosen by pydantic's error type, which is stable across pydantic versions.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError


def _validation_messages() -> dict[str, str]:
    return {
        "missing": _("缺少必填字段"),
        "int_parsing": _("应为整数"),
        "int_type": _("应为整数"),
        "int_from_float": _("应为整数"),
        "float_parsing": _("应为数字"),
        "float_type": _("应为数字"),
        "decimal_parsing": _("应为数字"),
        "string_type": _("应为字符串"),
        "bool_parsing": _("应为布尔值（true 或 false）"),
        "bool_type": _("应为布尔值（true 或 false）"),
        "date_parsing": _("日期格式无效，应为 YYYY-MM-DD"),
        "date_from_datetime_parsing": _("日期格式无效，应为 YYYY-MM-DD"),
        "date_type": _("日期格式无效，应为 YYYY-MM-DD"),
        "datetime_parsing": _("时间格式无效，应为 ISO 8601 格式"),
        "datetime_from_date_parsing": _("时间格式无效，应为 ISO 8601 格式"),
        "datetime_type": _("时间格式无效，应为 ISO 8601 格式"),
        "json_invalid": _("JSON 格式无效"),
        "json_type": _("JSON 格式无效"),
        "dict_type": _("应为对象"),
        "model_type": _("应为对象"),
        "model_attributes_type": _("应为对象"),
        "list_type": _("应为列表"),
        "extra_forbidden": _("不允许的字段"),
        "url_parsing": _("网址格式无效"),
        "url_type": _("网址格式无效"),
        "uuid_parsing": _("UUID 格式无效"),
        "string_pattern_mismatch": _("格式不符合要求"),
        "too_short": _("条目太少"),
        "too_long": _("条目太多"),
    }


def _bounded_message(error: dict) -> str | None:
    context = error.get("ctx") or {}
    kind = error.get("type")
    bounds = {
        "string_too_short": (_("长度不能少于 %(n)s 个字符"), "min_length"),
        "string_too_long": (_("长度不能超过 %(n)s 个字符"), "max_length"),
        "greater_than_equal": (_("应不小于 %(n)s"), "ge"),
        "greater_than": (_("应大于 %(n)s"), "gt"),
        "less_than_equal": (_("应不大于 %(n)s"), "le"),
        "less_than": (_("应小于 %(n)s"), "lt"),
        "enum": (_("取值无效，应为 %(n)s 之一"), "expected"),
        "literal_error": (_("取值无效，应为 %(n)s 之一"), "expected"),
    }
    if kind in bounds and bounds[kind][1] in context:
        template, key = bounds[kind]
        return template % {"n": context[key]}
    return None


def chinese_validation_message(error: dict) -> str:
    """The Chinese message of one pydantic error; a validator's own message (value_error) is kept."""
    kind = error.get("type", "")
    if kind in ("value_error", "assertion_error"):
        message = str(error.get("msg", ""))
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return _bounded_message(error) or _validation_messages().get(kind) or _("取值无效")


def _english_http_errors() -> dict[str, str]:
    return {
        "Unauthorized": _("未登录或登录已过期，请先登录。"),
        "Forbidden": _("无权访问。"),
        "CSRF check Failed": _("CSRF 校验失败，请刷新页面后重试。"),
        "Too many requests.": _("请求过于频繁，请稍后再试。"),
        "Not Found": _("未找到。"),
        "Cannot parse request body": _("请求内容无法解析：应为 UTF-8 编码的 JSON，且不含空字符或无效的字符编码。"),
    }


def install(api: NinjaAPI) -> None:
    """Registers the Chinese handlers on api in place of django-ninja's defaults."""

    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [{**error, "msg": chinese_validation_message(error)} for error in exc.errors]
        return api.create_response(request, {"detail": errors}, status=422)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        return api.create_response(
            request, {"detail": _english_http_errors().get(message, message)}, status=exc.status_code
        )

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": _("未找到。")}, status=404)

    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)
