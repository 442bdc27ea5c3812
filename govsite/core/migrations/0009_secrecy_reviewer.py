"""保密审查员 (issue 12): a role of website scope whose holders take the last step of every hosted site's
workflow, 保密审查. Separate from 审核人员 so that one person's approval is never both steps."""

from django.db import migrations

CODE = "secrecy_reviewer"
SITE_BASE_PERMISSIONS = ["wagtailadmin.access_admin", "registry.view_website", "monitoring.view_scanrun"]
# Whoever may assign 审核人员 today may assign 保密审查员 too.
ASSIGNERS = ["system_admin", "security_admin", "platform_admin", "supervisor", "site_admin"]


def seed(apps, schema_editor):  # noqa: ANN001, ANN201
    RoleDefinition = apps.get_model("core", "RoleDefinition")
    reviewer = RoleDefinition.objects.filter(code="reviewer").first()
    order = (reviewer.order + 5) if reviewer else 85
    role, _ = RoleDefinition.objects.update_or_create(code=CODE, defaults={
        "name": "保密审查员", "scope_kind": "website",
        "capabilities": ["registry.view", "content.secrecy_review", "monitoring.view"],
        "model_permissions": SITE_BASE_PERMISSIONS, "order": order})
    for assigner in RoleDefinition.objects.filter(code__in=ASSIGNERS):
        assigner.assignable_roles.add(role)


def unseed(apps, schema_editor):  # noqa: ANN001, ANN201
    RoleDefinition = apps.get_model("core", "RoleDefinition")
    RoleAssignment = apps.get_model("core", "RoleAssignment")
    RoleAssignment.objects.filter(role_id=CODE).delete()
    RoleDefinition.objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0008_workday_override")]

    operations = [migrations.RunPython(seed, unseed)]
