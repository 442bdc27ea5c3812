"""PostgreSQL: an index on the search index's object id as an integer, for the ranked search's per-item probe.

``object_id`` is text (any model's key); the ranked search walks items newest first and asks, per item,
whether its index entry matches (``backend.Matches.exists``). With no index on the integer id PostgreSQL
cannot probe one entry, so it reads every match and sorts them (bench/search.py: 75 ms for a word in 4 % of
100,000 titles, 2.6 ms with this index). The function is NULL for a key that is not a plain integer, so an
entry of a model with other keys never fails the index.
"""

from django.db import migrations

FUNCTION = "govsite_search_object_pk"
INDEX = "govsite_search_object_pk_idx"


def create(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {FUNCTION}(text) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
            " AS $$ SELECT CASE WHEN $1 ~ '^[0-9]{1,18}$' THEN $1::bigint END $$"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry (({FUNCTION}(object_id)))"
        )
        # Statistics of the new expression now, not at autovacuum's next visit: without them the planner
        # guesses, and at 1,000,000 items a search then took seconds instead of tens of milliseconds.
        schema_editor.execute("ANALYZE wagtailsearch_indexentry")


def drop(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text)")


class Migration(migrations.Migration):
    dependencies = [("govsite_search", "0001_postgres_title_body_gin")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
