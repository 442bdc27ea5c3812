"""The Chinese names of the monitor's checks and severities, in the words of the national rules: one table
that the dashboard, the 工作台, the exports and the CLI all read (unknown checks are shown by their name)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from .contract import Severity

# What each check finds, in the words of the national rules; unknown checks are shown by their name.
CHECK_LABELS: dict[str, Any] = {
    "homepage_stale": gettext_lazy("首页长期不更新"),
    "column_veto": gettext_lazy("栏目不更新/空白栏目"),
    "unreachable": gettext_lazy("网站无法访问"),
    "availability": gettext_lazy("可用性不达标"),
    "hidden_link": gettext_lazy("暗链"),
    "personal_data": gettext_lazy("泄露个人信息"),
    "secret_marking": gettext_lazy("涉密标志"),
    "protected_term": gettext_lazy("严重错别字"),
    "tampered_link": gettext_lazy("网页被篡改"),
    "injected_script": gettext_lazy("网页被篡改"),
    "content_tampered": gettext_lazy("网页被篡改"),
    "sensitive_word": gettext_lazy("违规内容（敏感词）"),
    "typo": gettext_lazy("错别字"),
    "blank_column": gettext_lazy("空白栏目"),
    "stale_column": gettext_lazy("栏目更新不及时"),
    "unreachable_column": gettext_lazy("栏目无法访问"),
    "broken_link": gettext_lazy("链接不可用"),
    "soft_404": gettext_lazy("错误页面（软404）"),
    "external_script": gettext_lazy("引用外部脚本"),
    "missing_footer_item": gettext_lazy("页脚信息缺失"),
    "missing_meta_tag": gettext_lazy("网页元数据缺失"),
    "certificate_expired": gettext_lazy("HTTPS 证书已过期"),
    "certificate_expiring": gettext_lazy("HTTPS 证书即将过期"),
    "no_consultation_channel": gettext_lazy("无有效咨询建言渠道"),
    "unanswered_message": gettext_lazy("留言超过3个月未答复"),
    "cannot_judge": gettext_lazy("无法判定"),
    "external_links_unchecked": gettext_lazy("外部链接未检查"),
    "page_too_large": gettext_lazy("页面过大"),
    "checks_timeout": gettext_lazy("超时"),
}
SEVERITY_LABELS: dict[str, Any] = {
    Severity.VETO: gettext_lazy("单项否决"),
    Severity.DEDUCTION: gettext_lazy("扣分"),
    Severity.WARN: gettext_lazy("提示"),
    Severity.INFO: gettext_lazy("信息"),
}


def check_label(name: str) -> str:
    return str(CHECK_LABELS.get(name, name))


def severity_label(severity: str) -> str:
    return str(SEVERITY_LABELS.get(severity, severity))
