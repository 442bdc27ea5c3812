"""事件名称: the Chinese name of every audit event code, for the viewer, the exports and the CLI.

Codes written by GovSite are listed here; Wagtail's own actions (`wagtail.*`, mirrored from its log) take
the label Wagtail registers for them, in the interface language.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "auth.login": _("登录成功"),
    "auth.login_failed": _("登录失败"),
    "auth.logout": _("退出登录"),
    "page.publish": _("发布页面"),
    "page.unpublish": _("撤销发布"),
    "admin.request": _("后台操作"),
    "user.create": _("创建用户"),
    "permission.user_groups": _("变更用户所属权限组"),
    "permission.user_permissions": _("变更用户权限"),
    "permission.group_permissions": _("变更权限组权限"),
    "permission.page": _("变更权限组的页面权限"),
    "permission.collection": _("变更权限组的文件集权限"),
    "permission.site_groups": _("设置托管网站权限组"),
    "permission.user_flags": _("变更用户状态或超级用户标志"),
    "role.assign": _("分配角色"),
    "role.revoke": _("撤销角色"),
    "staff.add": _("添加本站人员"),
    "staff.deactivate": _("停用本站人员"),
    "website.register": _("登记网站"),
    "website.update": _("修改网站信息"),
    "website.status": _("变更网站状态"),
    "website.columns": _("校正监测栏目"),
    "website.security_test": _("登记安全检测"),
    "registry.import": _("导入网站信息"),
    "registry.export": _("导出网站信息"),
    "monitoring.scan_requested": _("立即检测"),
    "monitoring.scan": _("网站监测扫描"),
    "monitoring.export": _("导出监测总览"),
    "monitoring.export_run": _("导出监测记录"),
    "supervision.campaign.create": _("创建抽查"),
    "supervision.campaign.scan": _("抽查检测"),
    "supervision.campaign.finish": _("完成抽查"),
    "supervision.finding.decide": _("核实抽查问题"),
    "supervision.finding.manual": _("记录人工检查问题"),
    "supervision.campaign_site.bonus": _("抽查加分"),
    "checks.publish_refused": _("拒绝发布（内容检查）"),
    "content.review_decision": _("审核决定"),
    "content.secrecy_decision": _("保密审查决定"),
    "content.review_levels": _("设置审核级数"),
    "content.import": _("迁移导入信息（保留原发布时间）"),
    "checks.finding.override": _("放行检查问题"),
    "checks.lexicon.add": _("新增词条"),
    "checks.lexicon.change": _("修改词条"),
    "checks.lexicon.deactivate": _("停用词条"),
    "checks.lexicon.import": _("导入词库"),
    "core.workday.add": _("新增工作日调整"),
    "core.workday.change": _("修改工作日调整"),
    "core.workday.delete": _("删除工作日调整"),
    "supervision.ticket.issue": _("下发整改工单"),
    "supervision.ticket.answer": _("填报整改情况"),
    "supervision.ticket.close": _("整改工单办结"),
    "supervision.ticket.recheck_failed": _("整改复查未通过"),
    "supervision.ticket.escalate": _("整改工单逾期督办"),
    "supervision.ticket.action": _("记录约谈或问责"),
    "audit.view": _("查看审计日志"),
    "audit.export": _("导出审计日志"),
    "audit.archive": _("归档审计日志"),
    "audit.verify": _("审计日志校验失败"),
}

RESULT_LABELS = {"success": _("成功"), "failure": _("失败"), "refused": _("被拒绝")}


def event_label(code: str) -> str:
    """The Chinese name of an event; Wagtail's label for its own actions; the code itself when unknown."""
    if code in EVENT_LABELS:
        return str(EVENT_LABELS[code])
    if code.startswith("wagtail."):
        from wagtail.log_actions import registry

        if registry.action_exists(code):
            return str(registry.get_action_label(code))
    return code


def result_label(code: str) -> str:
    return str(RESULT_LABELS.get(code, code))
