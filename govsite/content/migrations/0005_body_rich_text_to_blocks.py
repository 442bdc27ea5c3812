"""正文 converted without loss: each article's rich-text body becomes blocks (tables → table blocks, headings →
heading blocks, the rest rich-text paragraphs) by `content.htmlblocks.html_to_blocks`, the converter the
migration import uses too. The rich text stays in place until 0006, so a failure here loses nothing.

Old revisions keep their HTML: `BodyField` converts HTML with the same function when a revision is loaded.
"""

import json

from django.db import migrations


def forwards(apps, schema_editor):
    from govsite.content.htmlblocks import html_to_blocks

    ArticlePage = apps.get_model("content", "ArticlePage")
    for page in ArticlePage.objects.only("pk", "body").iterator():
        blocks = html_to_blocks(page.body or "")
        ArticlePage.objects.filter(pk=page.pk).update(body_blocks=json.dumps(blocks, ensure_ascii=False))


def backwards(apps, schema_editor):
    from govsite.content.htmlblocks import blocks_to_html

    ArticlePage = apps.get_model("content", "ArticlePage")
    field = ArticlePage._meta.get_field("body_blocks")
    for page in ArticlePage.objects.only("pk", "body_blocks").iterator():
        stream = field.get_prep_value(page.body_blocks) or []
        ArticlePage.objects.filter(pk=page.pk).update(body=blocks_to_html(stream))


class Migration(migrations.Migration):

    dependencies = [
        ("content", "0004_catalogue_and_item_types"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
