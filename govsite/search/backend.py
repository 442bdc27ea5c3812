"""中文检索后端: Wagtail's database search backend with jieba segmentation and GovSite's ranking.

Set as ``WAGTAILSEARCH_BACKENDS["default"]`` (settings/base.py), so the public search, the API and the
Wagtail admin's page search all go through it. Like ``wagtail.search.backends.database`` it picks SQLite FTS5
or PostgreSQL tsvector (``simple`` configuration) from the default database, and keeps their index tables
(``modelsearch_indexentry`` and, on SQLite, its FTS5 table) and their query compilers, changing three things:

- 索引: every indexed text (title, body, autocomplete) is stored cut into words by
  ``segment.segment_for_index`` (jieba ``cut_for_search``, the region's names as a user dictionary);
- 查询: every query string is cut the same way (``segment.segment_query``), all words must match;
- 排序 (ordering by relevance): pages whose title matches the whole query first, then the newer before the
  older (``published_at`` where the model has it, else ``first_published_at``), then the higher id. This
  is explainable to a citizen and cheap: no per-row scoring function runs over every match.

A region that outgrows the database switches the setting to ``wagtail.search.backends.elasticsearch7``
(or the OpenSearch backend) and runs ``update_index``: docs/ARCHITECTURE.md, "Search".
"""

from __future__ import annotations

from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, connections, router
from django.db.models import Case, F, IntegerField, Manager, Value, When
from django.utils.encoding import force_str
from modelsearch.backends.database import SearchBackend as _vendor_backend
from modelsearch.conf import get_app_config
from modelsearch.index import AutocompleteField, RelatedFields, SearchField
from modelsearch.query import And, Boost, MatchAll, Not, Or, Phrase, PlainText
from modelsearch.utils import get_content_type_pk

from .segment import segment_for_index, segment_query

IndexEntry = get_app_config().get_model("IndexEntry", require_ready=False)


# -- what is indexed --------------------------------------------------------------------------------------


def _flatten(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return ", ".join(_flatten(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(_flatten(item) for item in value.values())
    return force_str(value)


def _field_values(obj: object, field: object):  # noqa: ANN202
    """(search field, raw text) pairs of one object, following RelatedFields as Wagtail's indexers do."""
    if isinstance(field, SearchField | AutocompleteField):
        yield field, _flatten(field.get_value(obj))
    elif isinstance(field, RelatedFields):
        sub_obj = field.get_value(obj)
        if sub_obj is None:
            return
        if isinstance(sub_obj, Manager):
            sub_objs = sub_obj.all()
        else:
            sub_objs = [sub_obj() if callable(sub_obj) else sub_obj]
        for sub in sub_objs:
            for sub_field in field.fields:
                yield from _field_values(sub, sub_field)


def index_texts(obj: object) -> tuple[str, str, str]:
    """(title, body, autocomplete) of an object, cut into space-separated words."""
    title, body, autocomplete = [], [], []
    for field in obj.get_search_fields():
        for current, text in _field_values(obj, field):
            if not text.strip():
                continue
            if isinstance(current, AutocompleteField):
                autocomplete.append(text)
            elif current.field_name == "title":
                title.append(text)
            else:
                body.append(text)
    return tuple(segment_for_index(" ".join(parts)) for parts in (title, body, autocomplete))


# -- how a query is cut -------------------------------------------------------------------------------------


def segmented(query: object) -> object:
    """The search query with every text cut into words; a text with no word matches nothing."""
    if isinstance(query, PlainText):
        text = segment_query(query.query_string)
        return PlainText(text, operator=query.operator) if text else Not(MatchAll())
    if isinstance(query, Phrase):
        text = segment_query(query.query_string)
        return Phrase(text) if text else Not(MatchAll())
    if isinstance(query, And):
        return And([segmented(q) for q in query.subqueries])
    if isinstance(query, Or):
        return Or([segmented(q) for q in query.subqueries])
    if isinstance(query, Not):
        return Not(segmented(query.subquery))
    if isinstance(query, Boost):
        return Boost(segmented(query.subquery), query.boost)
    return query


def date_field(model: type) -> str | None:
    """The date that orders equals (newer first): ``published_at`` (信息发布时间) where the model has it."""
    for name in ("published_at", "first_published_at"):
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return name
    return None


def _ordering(model: type, hit: str) -> list:
    order = [F(hit).desc()]
    name = date_field(model)
    if name:
        order.append(F(name).desc(nulls_last=True))
    order.append(F("pk").desc())
    return order


class ChineseQueryMixin:
    """Cuts the query like the index; orders by title hit, then date."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.query = segmented(self.query)

    def _trivial(self, query: object) -> bool:
        return isinstance(query, MatchAll) or isinstance(query, Not)


# -- SQLite FTS5 ----------------------------------------------------------------------------------------------


@cache
def _sqlite_backend_classes():  # noqa: ANN202
    from modelsearch.backends.database.sqlite import sqlite as base
    from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
    from modelsearch.utils import get_descendants_content_types_pks

    fts_model = base.SQLiteFTSIndexEntry

    class Index(base.SQLiteIndex):
        def add_items(self, model: type, objs: list) -> None:
            if not model.get_search_fields() or not objs:
                return
            content_type_pk = get_content_type_pk(model)
            texts = {force_str(obj.pk): index_texts(obj) for obj in objs}
            entries = self.entries.filter(content_type_id=content_type_pk)
            existing = set(entries.filter(object_id__in=texts).values_list("object_id", flat=True))
            for object_id in existing:  # the FTS5 table follows IndexEntry through modelsearch's triggers
                title, body, autocomplete = texts[object_id]
                entries.filter(object_id=object_id).update(title=title, body=body, autocomplete=autocomplete)
            self.entries.bulk_create([
                IndexEntry(content_type_id=content_type_pk, object_id=object_id, title=title, body=body,
                           autocomplete=autocomplete)
                for object_id, (title, body, autocomplete) in texts.items() if object_id not in existing
            ], batch_size=500)

    class Compiler(ChineseQueryMixin, base.SQLiteSearchQueryCompiler):
        def _matching_ids(self, columns: list[str], search_query: object):  # noqa: ANN202
            return (
                fts_model.objects.filter(MatchExpression(columns, search_query))
                .filter(index_entry__content_type__in=get_descendants_content_types_pks(self.queryset.model))
                .values_list("index_entry__object_id", flat=True)
            )

        def search(self, config, start, stop, score_field=None):  # noqa: ANN001, ANN201
            query = normalize(self.query)
            if not self.order_by_relevance or self._trivial(query):
                return super().search(config, start, stop, score_field=score_field)
            search_query = self.build_search_query(query, config=config)
            hit = score_field or "_title_hit"
            queryset = self.queryset.filter(
                pk__in=self._matching_ids(self.fields or self.FTS_TABLE_FIELDS, search_query)
            ).annotate(**{hit: Case(
                When(pk__in=self._matching_ids(["title"], search_query), then=Value(1)),
                default=Value(0), output_field=IntegerField(),
            )})
            return queryset.order_by(*_ordering(self.queryset.model, hit))[start:stop]

    class AutocompleteCompiler(Compiler):
        LAST_TERM_IS_PREFIX = True
        TARGET_SEARCH_FIELD_TYPE = AutocompleteField
        FTS_TABLE_FIELDS = ["autocomplete"]

        def get_config(self, backend):  # noqa: ANN001, ANN201
            return backend.autocomplete_config

        def get_search_fields_for_model(self):  # noqa: ANN201
            return self.queryset.model.get_autocomplete_search_fields()

        def get_index_vectors(self):  # noqa: ANN201
            return [(F("index_entry__autocomplete"), 1.0)]

    class Backend(base.SQLiteSearchBackend):
        index_class = Index
        query_compiler_class = Compiler
        autocomplete_query_compiler_class = AutocompleteCompiler

    return Backend


# -- PostgreSQL tsvector ----------------------------------------------------------------------------------


@cache
def _postgres_backend_classes():  # noqa: ANN202
    from modelsearch.backends.database.postgres import postgres as base

    class Index(base.PostgresIndex):
        def add_items(self, model: type, objs: list) -> None:
            if not model.get_search_fields() or not objs:
                return
            content_type_pk = get_content_type_pk(model)
            rows, params = [], []
            for obj in objs:
                title, body, autocomplete = index_texts(obj)
                rows.append("(%s, %s, setweight(to_tsvector('simple', %s), 'A'), to_tsvector('simple', %s),"
                            " setweight(to_tsvector('simple', %s), 'B'), 1.0, %s, %s)")
                params += [content_type_pk, force_str(obj.pk), title, autocomplete, body, title, body]
            table = IndexEntry._meta.db_table
            with self.write_connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, title_norm,"  # noqa: S608
                    f" title_text, body_text) VALUES {', '.join(rows)}"
                    " ON CONFLICT (content_type_id, object_id) DO UPDATE SET title = EXCLUDED.title,"
                    " autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body,"
                    " title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text",
                    params,
                )

    class Compiler(ChineseQueryMixin, base.PostgresSearchQueryCompiler):
        def search(self, config, start, stop, score_field=None, backend=None):  # noqa: ANN001, ANN201
            if not self.order_by_relevance or self._trivial(self.query) or self.fields is not None:
                return super().search(config, start, stop, score_field=score_field, backend=backend)
            search_query = self.build_tsquery(self.query, config=config)
            hit = score_field or "_title_hit"
            vector, title = self._vectors()
            queryset = (
                self.queryset.alias(_vector_=vector, _title_vector_=title)
                .filter(_vector_=search_query)
                .annotate(**{hit: Case(
                    When(_title_vector_=search_query, then=Value(1)),
                    default=Value(0), output_field=IntegerField(),
                )})
            )
            return queryset.order_by(*_ordering(self.queryset.model, hit))[start:stop]

        def _vectors(self):  # noqa: ANN202
            title = F("index_entries__title")
            return title._combine(F("index_entries__body"), "||", False), title

    class AutocompleteCompiler(Compiler):
        LAST_TERM_IS_PREFIX = True
        TARGET_SEARCH_FIELD_TYPE = AutocompleteField

        def get_config(self, backend):  # noqa: ANN001, ANN201
            return backend.autocomplete_config

        def get_search_fields_for_model(self):  # noqa: ANN201
            return self.queryset.model.get_autocomplete_search_fields()

        def _vectors(self):  # noqa: ANN202
            return F("index_entries__autocomplete"), F("index_entries__title")

    class Backend(base.PostgresSearchBackend):
        index_class = Index
        query_compiler_class = Compiler
        autocomplete_query_compiler_class = AutocompleteCompiler

        def __init__(self, params: dict) -> None:
            super().__init__({"SEARCH_CONFIG": "simple", **params})
            self.autocomplete_config = "simple"

    return Backend


def SearchBackend(params: dict):  # noqa: ANN201, N802  (Wagtail imports the module's ``SearchBackend``)
    """The backend for the default database: SQLite FTS5 or PostgreSQL; Wagtail's own elsewhere."""
    vendor = connections[router.db_for_read(IndexEntry)].vendor if IndexEntry else connection.vendor
    if vendor == "postgresql":
        return _postgres_backend_classes()(params)
    if vendor == "sqlite":
        from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists

        if fts5_available() and fts_table_exists():
            return _sqlite_backend_classes()(params)
    return _vendor_backend(params)
