"""Roles as data (issue 10): a RoleDefinition record per role, seeded here, and role assignments pointing at
it. Existing assignments keep their role codes (the column stays `role`)."""

import django.db.models.deletion
from django.db import migrations, models

# A frozen copy of the roles as of this migration; later changes are data migrations of their own.
OPERATOR_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "registry.view_website", "registry.add_website", "registry.change_website", "registry.import_website",
    "registry.change_website_status", "registry.view_securitytest", "registry.add_securitytest",
    "checks.view_lexiconentry", "checks.add_lexiconentry", "checks.change_lexiconentry",
    "checks.import_lexiconentry", "monitoring.view_scanrun",
]
PLATFORM_OPERATOR_PERMISSIONS = OPERATOR_PERMISSIONS + [
    "content.change_siteappearance", "wagtailcore.add_site", "wagtailcore.change_site",
    "auth.add_user", "auth.change_user", "auth.view_user",
]
PLATFORM_OPERATOR_CAPABILITIES = [
    "scope.all", "registry.view", "registry.change", "sites.provision", "users.manage", "config.change",
    "roles.assign", "staff.manage", "content.edit", "content.publish", "monitoring.view",
]
SITE_BASE_PERMISSIONS = ["wagtailadmin.access_admin", "registry.view_website", "monitoring.view_scanrun"]
OPERATIONAL = ["supervisor", "evaluator", "site_admin", "editor", "reviewer"]

ROLES = [
    # code, name, scope kind, capabilities, model permissions, assignable roles
    ("system_admin", "系统管理员", "platform", PLATFORM_OPERATOR_CAPABILITIES, PLATFORM_OPERATOR_PERMISSIONS,
     OPERATIONAL),
    ("security_admin", "安全管理员", "platform", ["security.policy", "roles.assign"],
     ["wagtailadmin.access_admin", "auth.view_user"],
     ["platform_admin", "system_admin", "audit_admin"] + OPERATIONAL),
    ("audit_admin", "审计管理员", "platform", ["audit.read", "audit.export"], ["wagtailadmin.access_admin"], []),
    ("platform_admin", "平台管理员", "platform", PLATFORM_OPERATOR_CAPABILITIES, PLATFORM_OPERATOR_PERMISSIONS,
     OPERATIONAL),
    ("supervisor", "监管人员", "unit_subtree",
     ["registry.view", "registry.change", "roles.assign", "monitoring.view"], OPERATOR_PERMISSIONS,
     ["supervisor", "site_admin", "editor", "reviewer"]),
    ("evaluator", "第三方评估人员", "assigned_websites", ["registry.view", "monitoring.view"],
     ["wagtailadmin.access_admin", "registry.view_website", "registry.view_securitytest",
      "monitoring.view_scanrun"], []),
    ("site_admin", "网站管理员", "website",
     ["registry.view", "staff.manage", "roles.assign", "content.edit", "content.publish", "monitoring.view"],
     SITE_BASE_PERMISSIONS, ["editor", "reviewer"]),
    ("editor", "编辑", "website", ["registry.view", "content.edit", "monitoring.view"], SITE_BASE_PERMISSIONS, []),
    ("reviewer", "审核人员", "website", ["registry.view", "content.edit", "content.publish", "monitoring.view"],
     SITE_BASE_PERMISSIONS, []),
    ("case_submitter", "凭查询码查询的来信人", "case_query_code", ["case.follow"], [], []),
]


def seed_roles(apps, schema_editor) -> None:  # noqa: ANN001
    RoleDefinition = apps.get_model("core", "RoleDefinition")
    for order, (code, name, kind, capabilities, permissions, _assignable) in enumerate(ROLES):
        RoleDefinition.objects.update_or_create(code=code, defaults={
            "name": name, "scope_kind": kind, "capabilities": capabilities, "model_permissions": permissions,
            "order": order * 10})
    for code, *_rest, assignable in ROLES:
        RoleDefinition.objects.get(code=code).assignable_roles.set(assignable)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_audit_seq_unique"),
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="RoleDefinition",
            fields=[
                ("code", models.SlugField(max_length=32, primary_key=True, serialize=False, verbose_name="角色代码")),
                ("name", models.CharField(max_length=50, unique=True, verbose_name="角色名称")),
                ("scope_kind", models.CharField(choices=[
                    ("platform", "全平台"), ("unit_subtree", "机构及其下级"), ("unit", "本机构"),
                    ("website", "本网站"), ("assigned_websites", "指定网站"),
                    ("case_query_code", "凭查询码跟踪的事项")], max_length=32, verbose_name="授权范围类型")),
                ("capabilities", models.JSONField(blank=True, default=list, verbose_name="权限")),
                ("model_permissions", models.JSONField(
                    blank=True, default=list,
                    help_text="“应用.权限代码”列表，授予该角色的后台用户组（按网站授权的角色由各站点用户组承载）。",
                    verbose_name="后台模型权限")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="排序")),
                ("assignable_roles", models.ManyToManyField(
                    blank=True, help_text="持有本角色的人可在自己的范围内分配的角色。", related_name="assignable_by",
                    to="core.roledefinition", verbose_name="可分配的角色")),
            ],
            options={"verbose_name": "角色", "verbose_name_plural": "角色", "ordering": ["order", "code"]},
        ),
        migrations.RunPython(seed_roles, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="roleassignment", name="role_scope_matches_role"),
        migrations.AlterField(
            model_name="roleassignment",
            name="role",
            field=models.ForeignKey(db_column="role", on_delete=django.db.models.deletion.PROTECT,
                                    related_name="assignments", to="core.roledefinition", verbose_name="角色"),
        ),
        migrations.AddConstraint(
            model_name="roleassignment",
            constraint=models.CheckConstraint(condition=models.Q(("unit__isnull", True), ("website__isnull", True),
                                                                 _connector="OR"),
                                              name="role_scope_is_one_object"),
        ),
        migrations.AlterField(
            model_name="roleassignment",
            name="unit",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                    to="core.unit", verbose_name="机构"),
        ),
        migrations.AlterField(
            model_name="hostedsitegroup",
            name="role",
            field=models.CharField(max_length=32),
        ),
    ]
