"""Remove the placeholder site and "Welcome" page that Wagtail's own migrations create.

Hosted sites are created from the registry (content.services.do_provision_hosted_site); a stray default
site on localhost would otherwise answer for every unknown host.
"""

from django.db import migrations


def remove_welcome(apps, schema_editor):  # noqa: ANN001, ANN201
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    for site in Site.objects.filter(hostname="localhost", root_page__depth=2, root_page__numchild=0):
        page_id = site.root_page_id
        site.delete()
        Page.objects.filter(pk=page_id, content_type__model="page", content_type__app_label="wagtailcore").delete()
    root = Page.objects.filter(depth=1).first()
    if root is not None:
        root.numchild = Page.objects.filter(depth=2).count()
        root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(remove_welcome, migrations.RunPython.noop)]
