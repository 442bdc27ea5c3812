"""Migration 0005: stored rich-text bodies become blocks without loss (and back, when unapplied)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from govsite.content.htmlblocks import blocks_to_text
from govsite.content.models import ArticlePage
from govsite.content.tests.builders import add_article
from govsite.content.tests.test_body_blocks import GOVERNMENT_HTML
from govsite.testing import build_mini_region, with_site_staff

BEFORE = [("content", "0004_catalogue_and_item_types")]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rich_text_bodies_become_blocks_without_losing_text() -> None:
    site = with_site_staff(build_mini_region(hosted=True))
    article = add_article(site.column, "补贴公示", body="<p>占位</p>")
    executor = MigrationExecutor(connection)
    after = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)  # unapplying 0005 writes the blocks back as rich text
    try:
        old_model = executor.loader.project_state(BEFORE).apps.get_model("content", "ArticlePage")
        assert old_model.objects.get(pk=article.pk).body == "<p>占位</p>"
        old_model.objects.filter(pk=article.pk).update(body=GOVERNMENT_HTML)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    body = ArticlePage.objects.get(pk=article.pk).body
    assert [child.block_type for child in body] == ["paragraph", "heading", "table", "paragraph", "image", "heading",
                                                   "paragraph"]
    text = re.sub(r"\s+", "", blocks_to_text([dict(item) for item in body.raw_data]))
    for char in re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", GOVERNMENT_HTML)):
        assert char in text
        text = text.replace(char, "", 1)
