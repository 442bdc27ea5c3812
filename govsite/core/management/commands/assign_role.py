"""govsite assign_role USERNAME ROLE [--unit NAME | --website 网站标识码] [--revoke]: role assignment at the server,
as the system actor (系统), audited. Used to appoint the first 系统管理员, 安全管理员 and 审计管理员 (三权分立),
whom no account in the admin may appoint for itself."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from govsite.core.access import SYSTEM
from govsite.core.models import RoleAssignment, RoleDefinition, Unit
from govsite.core.services import do_assign_role, do_revoke_role


class Command(BaseCommand):
    help = "以“系统”身份为用户分配或撤销角色（记入审计日志）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("role", help="角色代码，如 system_admin、security_admin、audit_admin、supervisor")
        parser.add_argument("--unit", help="机构名称（按机构授权的角色）")
        parser.add_argument("--website", help="网站标识码（按网站授权的角色）")
        parser.add_argument("--revoke", action="store_true", help="撤销而不是分配")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"用户 {options['username']} 不存在。")
        role = RoleDefinition.objects.filter(code=options["role"]).first()
        if role is None:
            codes = "、".join(RoleDefinition.objects.values_list("code", flat=True))
            raise CommandError(f"角色 {options['role']} 不存在；可用：{codes}。")
        unit = website = None
        if options["unit"]:
            unit = Unit.objects.filter(name=options["unit"]).first()
            if unit is None:
                raise CommandError(f"机构“{options['unit']}”不存在。")
        if options["website"]:
            # The website model through the assignment's foreign key: core imports no domain app.
            website_model = RoleAssignment._meta.get_field("website").related_model
            website = website_model.objects.filter(site_code=options["website"]).first()
            if website is None:
                raise CommandError(f"网站标识码 {options['website']} 不存在。")
        try:
            if options["revoke"]:
                assignment = RoleAssignment.objects.filter(user=user, role=role, unit=unit, website=website).first()
                if assignment is None:
                    raise CommandError("该用户没有这一角色分配。")
                do_revoke_role(assignment, by=SYSTEM)
                self.stdout.write(f"已撤销 {user.get_username()} 的角色“{role.name}”。")
            else:
                do_assign_role(user, role, unit=unit, website=website, by=SYSTEM)
                self.stdout.write(f"已为 {user.get_username()} 分配角色“{role.name}”。")
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from None
