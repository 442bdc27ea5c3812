"""安全管理员 also unlocks locked-out accounts and addresses (登录锁定): that is security policy, and until now
only a superuser could do it."""

from django.db import migrations

UNLOCK = ["axes.view_accessattempt", "axes.delete_accessattempt"]


def grant(apps, schema_editor):  # noqa: ANN001, ANN201
    RoleDefinition = apps.get_model("core", "RoleDefinition")
    for role in RoleDefinition.objects.filter(code="security_admin"):
        role.model_permissions = sorted(set(role.model_permissions) | set(UNLOCK))
        role.save(update_fields=["model_permissions"])


def revoke(apps, schema_editor):  # noqa: ANN001, ANN201
    RoleDefinition = apps.get_model("core", "RoleDefinition")
    for role in RoleDefinition.objects.filter(code="security_admin"):
        role.model_permissions = [p for p in role.model_permissions if p not in UNLOCK]
        role.save(update_fields=["model_permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_region_code_ascii_digits"),
        ("axes", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
