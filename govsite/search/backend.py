"""中文检索后端: Wagtail's database search backend with jieba segmentation and GovSite's ranking.

Set as ``WAGTAILSEARCH_BACKENDS["default"]`` (settings/base.py), so the public search, the API and the
Wagtail admin's page search all go through it. Like ``wagtail.search.backends.database`` it picks SQLite FTS5
or PostgreSQL tsvector (``simple`` configuration) from the default database, and keeps their index tables
(``wagtailsearch_indexentry`` and, on SQLite, its FTS5 table) and their query compilers, changing three things:

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
from math import isqrt

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, connections, router
from django.db.models import (
    BigIntegerField,
    CharField,
    Exists,
    F,
    Func,
    Manager,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast
from django.db.models.lookups import IsNull
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


def _ordering(model: type) -> list:
    order = []
    name = date_field(model)
    if name:
        # NULLS LAST only where a date can be missing: it would stop SQLite reading the date index backwards.
        nullable = model._meta.get_field(name).null
        order.append(F(name).desc(nulls_last=True) if nullable else F(name).desc())
    order.append(F("pk").desc())
    return order


# Counts stop here: ``count()`` is exact up to COUNT_LIMIT matches and COUNT_LIMIT + 1 means "more than that"
# (the results page says 超过 1,000 条, the API ``total_exact: false``). Counting is the one cost that grows
# with the whole match set (about 20 ms on SQLite and 200 ms on PostgreSQL per 10,000 matches), so it stops
# at the hundred pages a reader pages through; a deeper page (up to inputs.MAX_PAGE) still answers by URL.
COUNT_LIMIT = 1_000


class ObjectPk(Func):
    """PostgreSQL: an index entry's ``object_id`` as an integer, NULL when it is not one (migration 0002 indexes
    it, so probing one item's entry is an index lookup)."""

    function = "govsite_search_object_pk"
    arity = 1
    output_field = BigIntegerField()


class Matches:
    """The index entries matching a query on some columns, as SQL the ranked search combines.

    ``entries`` is a queryset of index rows (SQLite: the FTS5 table, PostgreSQL: ``IndexEntry``) already
    narrowed to the match and to the model's content types; ``object_id`` is the lookup of the object's id.
    """

    def __init__(self, entries: QuerySet, object_id: str, probe: QuerySet | None = None,
                 probe_object_id: str | None = None, *, integer_join: bool = False) -> None:
        self.entries = entries
        self.integer_join = integer_join
        self.object_id = object_id
        self.probe = entries if probe is None else probe
        self.probe_object_id = probe_object_id or object_id

    def at_least(self, n: int) -> int:
        """How many entries match, counting no further than ``n`` (bounded work however common the word)."""
        return self.entries[:n].count() if n > 0 else 0

    def ids(self) -> QuerySet:
        """``pk IN (…)``: the database reads the matches first, then the items (few matches)."""
        return self.entries.values_list(Cast(self.object_id, BigIntegerField()), flat=True)

    def exists(self) -> Exists | IsNull:
        """A correlated probe of one item: the database reads the items newest first (many matches)."""
        if self.integer_join:
            # PostgreSQL: a scalar subquery, not EXISTS, which it would turn into a join planned on its estimate
            # of the matches (one row for any several-word query: it multiplies the words' frequencies, and
            # jieba's overlapping words always come together) and so read and sort them all. A scalar subquery
            # stays a probe per item, an index lookup on the integer id (migration 0002).
            probe = self.probe.alias(_oid_=ObjectPk(self.probe_object_id)).filter(_oid_=OuterRef("pk"))
            return IsNull(Subquery(probe.values("pk")[:1]), False)
        return Exists(self.probe.filter(**{self.probe_object_id: Cast(OuterRef("pk"), CharField())}))


def ranked(queryset: QuerySet, title: Matches, any_: Matches, start: int, stop: int | None,
           score_field: str | None = None) -> list:
    """One slice of the items matching ``any_``: title hits first, each part newest first, then higher id.

    Two reads, never a sort of every match: the title hits ``[start:stop]``, then, if the slice reaches past
    them, the body-only hits. Each read is planned by how common the words are: a word in few entries is
    read from the index and its items sorted (``pk IN``); a common word walks the items newest first and
    probes the index per item (``EXISTS``), stopping at ``stop`` — cheaper when the rows walked
    (about ``stop × items / matches``) are fewer than the matches to sort, i.e. matches ≥ √(stop × items).
    """
    if start is None and stop is None:
        # Wagtail's ``facet()`` (the admin's page search counts hits per page type): every match, as a
        # queryset to aggregate; the order does not matter there.
        return queryset.order_by().filter(pk__in=any_.ids())
    start = start or 0
    model = queryset.model
    order = _ordering(model)
    queryset = queryset.order_by()
    depth = (stop or COUNT_LIMIT) + 1
    threshold = max(1, isqrt(depth * _index_size()))

    def condition(matches: Matches):  # noqa: ANN202
        walk = matches.at_least(threshold) >= threshold
        return matches.exists() if walk else Q(pk__in=matches.ids())

    title_hits = queryset.filter(condition(title)).order_by(*order)
    page = list(title_hits[start:stop])
    for obj in page:
        _set_score(obj, score_field, 1)
    if stop is not None and len(page) >= stop - start:
        return page
    if page or start == 0:
        n_title = start + len(page)
    else:
        n_title = title_hits.count()
    body_only = queryset.filter(condition(any_)).exclude(title.exists()).order_by(*order)
    rest = list(body_only[max(0, start - n_title):None if stop is None else stop - n_title])
    for obj in rest:
        _set_score(obj, score_field, 0)
    return page + rest


def count_matches(queryset: QuerySet, any_: Matches, limit: int = COUNT_LIMIT) -> int:
    """Items matching, exact up to ``limit``; ``limit + 1`` when there are more.

    Read from the index side (the database streams the matches and probes each item), stopping early.
    """
    candidate = queryset.order_by().filter(pk=Cast(OuterRef(any_.object_id), BigIntegerField()))
    return any_.entries.filter(Exists(candidate))[:limit + 1].count()


def _set_score(obj: object, score_field: str | None, value: int) -> None:
    if score_field:
        setattr(obj, score_field, value)


def _index_size() -> int:
    """About how many entries the index holds (its highest id: one index lookup, no count)."""
    return IndexEntry.objects.aggregate(n=Max("id"))["n"] or 0


class ChineseQueryMixin:
    """Cuts the query like the index; orders by title hit, then date."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.query = segmented(self.query)

    def _trivial(self, query: object) -> bool:
        return isinstance(query, MatchAll) or isinstance(query, Not)


def _ranked_results(base: type) -> type:
    """Search results that count through ``count_matches`` when the query is ranked (see COUNT_LIMIT)."""

    class Results(base):
        def _do_count(self) -> int:
            matches = self.query_compiler.matches(self.query_compiler.get_config(self.backend))
            if matches is None:
                return super()._do_count()
            return count_matches(self.query_compiler.queryset, matches[1])

        @property
        def count_is_exact(self) -> bool:
            """False when ``count()`` stopped at COUNT_LIMIT + 1: there are more than COUNT_LIMIT results."""
            return self.count() <= COUNT_LIMIT

    return Results


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
        def _entries(self, columns: list[str], search_query: object) -> Matches:
            cts = get_descendants_content_types_pks(self.queryset.model)
            rowids = fts_model.objects.filter(MatchExpression(columns, search_query)).values("pk")
            return Matches(
                fts_model.objects.filter(MatchExpression(columns, search_query), index_entry__content_type__in=cts),
                "index_entry__object_id",
                # The per-item probe: the item's entry by (content type, object id), then its rowid in the
                # match list, which SQLite reads from FTS5 once per query (an FTS5 MATCH per item re-reads
                # every term's whole list: 50 ms for a walk of a few hundred items).
                probe=IndexEntry.objects.filter(content_type_id__in=cts, id__in=rowids),
                probe_object_id="object_id",
            )

        def matches(self, config: object) -> tuple[Matches, Matches] | None:
            """(title matches, all matches) of a ranked query; None when the vendor's search applies."""
            query = normalize(self.query)
            if not self.order_by_relevance or self._trivial(query):
                return None
            search_query = self.build_search_query(query, config=config)
            return (self._entries(["title"], search_query),
                    self._entries(self.fields or self.FTS_TABLE_FIELDS, search_query))

        def search(self, config, start, stop, score_field=None):  # noqa: ANN001, ANN201
            matches = self.matches(config)
            if matches is None:
                return super().search(config, start, stop, score_field=score_field)
            return ranked(self.queryset, *matches, start, stop, score_field)

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
        results_class = _ranked_results(base.SQLiteSearchResults)
        query_compiler_class = Compiler
        autocomplete_query_compiler_class = AutocompleteCompiler

    return Backend


# -- PostgreSQL tsvector ----------------------------------------------------------------------------------


@cache
def _postgres_backend_classes():  # noqa: ANN202
    from modelsearch.backends.database.postgres import postgres as base
    from modelsearch.utils import get_descendants_content_types_pks

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
        VECTORS = ("title", "body")

        def _entries(self, columns: tuple[str, ...], search_query: object) -> Matches:
            # All words must match the columns together (one in the title, one in the body is a match), so
            # several columns are matched as one vector: ``title || body`` has its own GIN index
            # (migration 0001), ``title`` and ``autocomplete`` have modelsearch's.
            vector = F(columns[0])
            for column in columns[1:]:
                vector = vector._combine(F(column), "||", False)
            cts = get_descendants_content_types_pks(self.queryset.model)
            entries = IndexEntry.objects.alias(_vector_=vector).filter(_vector_=search_query, content_type_id__in=cts)
            return Matches(entries, "object_id", integer_join=True)

        def matches(self, config: object) -> tuple[Matches, Matches] | None:
            """(title matches, all matches) of a ranked query; None when the vendor's search applies."""
            if not self.order_by_relevance or self._trivial(self.query) or self.fields is not None:
                return None
            search_query = self.build_tsquery(self.query, config=config)
            return self._entries(("title",), search_query), self._entries(self.VECTORS, search_query)

        def search(self, config, start, stop, score_field=None, backend=None):  # noqa: ANN001, ANN201
            matches = self.matches(config)
            if matches is None:
                return super().search(config, start, stop, score_field=score_field, backend=backend)
            return ranked(self.queryset, *matches, start, stop, score_field)

    class AutocompleteCompiler(Compiler):
        LAST_TERM_IS_PREFIX = True
        TARGET_SEARCH_FIELD_TYPE = AutocompleteField
        VECTORS = ("autocomplete",)

        def get_config(self, backend):  # noqa: ANN001, ANN201
            return backend.autocomplete_config

        def get_search_fields_for_model(self):  # noqa: ANN201
            return self.queryset.model.get_autocomplete_search_fields()

    class Backend(base.PostgresSearchBackend):
        index_class = Index
        results_class = _ranked_results(base.PostgresSearchResults)
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
