"""Remove Wagtail's default Editors and Moderators groups and their permissions on the root page and root
collection (issue 10): every group here follows a role (core.permissions), and those two would let anyone
put into them edit and publish every hosted site."""

from django.db import migrations

# By Wagtail's names and by the Chinese names 0001 gave them.
WAGTAIL_DEFAULT_GROUPS = ("Editors", "Moderators", "编辑人员（系统默认）", "审核人员（系统默认）")


def remove_default_groups(apps, schema_editor) -> None:  # noqa: ANN001
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    groups = Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS)
    GroupPagePermission.objects.filter(group__in=groups).delete()
    GroupCollectionPermission.objects.filter(group__in=groups).delete()
    groups.delete()


class Migration(migrations.Migration):

    # After 0001, which runs after every Wagtail migration that finds these groups by name.
    dependencies = [("adminui", "0001_chinese_names_of_wagtail_defaults")]

    operations = [migrations.RunPython(remove_default_groups, migrations.RunPython.noop)]
