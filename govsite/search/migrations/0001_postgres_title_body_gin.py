"""PostgreSQL: a GIN index on ``title || body`` of the search index, the vector every search filters on.

Wagtail's index table has GIN indexes on ``title`` and ``body`` apiece, but the database backend matches
``(title || body) @@ query``, which only an index on that expression serves; without it each search reads
the whole table (bench/search.py: about a second at 100,000 items). SQLite's FTS5 table needs nothing.
"""

from django.db import migrations

INDEX = "govsite_search_title_body_gin"


def create(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))"
        )


def drop(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
