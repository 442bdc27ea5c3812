"""Wagtail's first migrations create two groups and a workflow with English names ("Editors",
"Moderators", "Moderators approval") that every role then reads in the admin; they get Chinese names.
Only rows still carrying Wagtail's name are touched, so a renamed one is left as its owner named it."""

from django.db import migrations

GROUPS = {"Editors": "编辑人员（系统默认）", "Moderators": "审核人员（系统默认）"}
WORKFLOW = {"Moderators approval": "默认审核流程"}
TASK = {"Moderators approval": "审核人员审核"}


def rename(apps, schema_editor, forward=True) -> None:  # noqa: ANN001
    for model, names in (("auth.Group", GROUPS), ("wagtailcore.Workflow", WORKFLOW), ("wagtailcore.Task", TASK)):
        manager = apps.get_model(model).objects
        for old, new in names.items():
            if not forward:
                old, new = new, old
            manager.filter(name=old).update(name=new)


def unrename(apps, schema_editor) -> None:  # noqa: ANN001
    rename(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    # After every Wagtail migration that finds these groups by their English names.
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]
    operations = [migrations.RunPython(rename, unrename)]
