"""Remove Wagtail's default Editors and Moderators groups and their permissions on the root page and root
collection (issue 10): every group here follows a role (core.permissions), and those two would let anyone
put into them edit and publish every hosted site."""

from django.db import migrations

WAGTAIL_DEFAULT_GROUPS = ("Editors", "Moderators")


def remove_default_groups(apps, schema_editor) -> None:  # noqa: ANN001
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    groups = Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS)
    GroupPagePermission.objects.filter(group__in=groups).delete()
    GroupCollectionPermission.objects.filter(group__in=groups).delete()
    groups.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_roles_as_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        # The Wagtail migrations that create the groups or give them permissions.
        ("wagtailcore", "0005_add_page_lock_permission_to_moderators"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtaildocs", "0002_initial_data"),
        ("wagtailimages", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(remove_default_groups, migrations.RunPython.noop)]
