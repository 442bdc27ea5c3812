"""中文分词 for the search index and its queries: jieba, with a user dictionary of the region's names.

Text is indexed as jieba's ``cut_for_search`` words joined by spaces, so a long word is also found by the
shorter words inside it (政府网站集约化 → 政府, 网站, 集约, 集约化, …); a query is cut the same way, so
SQLite FTS5 (unicode61 tokenizer) and PostgreSQL (``simple`` configuration) both match whole word tokens.
Only tokens with a letter or digit are kept: punctuation would otherwise glue words together in PostgreSQL
(its parser takes every non-ASCII character for a letter under the C locale) and has no meaning in FTS5.

用户词典: the names of regions (行政区划), units (机构) and registered websites are added as words, so a place
name is one token and never split into pieces (``refresh_user_dictionary``, at process start and when those
names change).
"""

from __future__ import annotations

import logging
import re
import threading

import jieba
from django.db import transaction

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_dictionary_loaded = False
_user_words: set[str] = set()
_stems: dict[str, str] = {}
_pending: set[str] = set()

jieba.setLogLevel(logging.WARNING)

# A token must hold at least one letter or digit (CJK ideographs count as letters for \w).
_WORDLIKE = re.compile(r"\w", re.UNICODE)
# FTS5 and tsquery syntax characters never reach a query: tokens are cut from word characters only.
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
# A query longer than this is cut: no one types it, and each token is one more index lookup.
MAX_QUERY_TOKENS = 16
# Common suffixes of place names (示范市, 甲县 …): a name ending so is also added without its suffix (示范).
_PLACE_SUFFIXES = ("自治区", "自治州", "自治县", "特别行政区", "省", "市", "县", "区", "镇", "乡", "街道", "旗")


def _ensure_dictionary() -> None:
    global _dictionary_loaded
    if _dictionary_loaded:
        return
    with _lock:
        if not _dictionary_loaded:
            jieba.initialize()
            _dictionary_loaded = True
    add_user_words(set(_pending))
    _pending.clear()
    try:
        with transaction.atomic():  # a failed query must not break the caller's transaction
            refresh_user_dictionary()
    except Exception:  # before migrations or without a database: the plain dictionary still segments
        logger.debug("search user dictionary not loaded", exc_info=True)


def region_names() -> set[str]:
    """The names of the region's places, units and registered websites (用户词典)."""
    from govsite.core.models import Region, Unit
    from govsite.registry.models import Website

    names: set[str] = set()
    for model in (Region, Unit, Website):
        names.update(model.objects.values_list("name", flat=True))
    names.update(Unit.objects.values_list("short_name", flat=True))
    return {n.strip() for n in names if n and n.strip()}


def _stem(name: str) -> str | None:
    """A place name without its 市/县/区… suffix (图木舒克市 → 图木舒克), when two characters or more remain."""
    for suffix in _PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


def add_user_words(words: set[str] | list[str]) -> None:
    """Add names to jieba's dictionary with a frequency high enough that jieba keeps them whole.

    Before jieba is first used the names wait (loading its dictionary takes a second, and a process that
    saves a unit need never segment anything).

    A place name is indexed with its stem too (图木舒克市 also as 图木舒克): ``cut_for_search`` adds only the
    two- and three-character words inside a longer word, so a four-character stem would not be found.
    """
    if not _dictionary_loaded:
        _pending.update(w for w in words if w)
        return
    with _lock:
        for word in words:
            word = (word or "").strip()
            if len(word) < 2 or word.isascii() or word in _user_words:
                continue
            for piece in filter(None, (word, _stem(word))):
                jieba.add_word(piece, freq=max(jieba.get_FREQ(piece) or 0, 50_000))
            stem = _stem(word)
            if stem and len(stem) > 3:
                _stems[word] = stem
            _user_words.add(word)


def refresh_user_dictionary() -> int:
    """Load the region's names into jieba (start-up, and after a region, unit or website name changes)."""
    names = region_names()
    add_user_words(names)
    return len(names)


def _tokens(text: str) -> list[str]:
    _ensure_dictionary()
    tokens = []
    for token in jieba.cut_for_search(text):
        if _WORDLIKE.search(token):
            tokens.append(token)
            if token in _stems:
                tokens.append(_stems[token])
    return tokens


def segment_for_index(text: str) -> str:
    """The text as space-separated words for the index (title, body, autocomplete)."""
    if not text:
        return ""
    return " ".join(_NON_WORD.sub(" ", t).strip() for t in _tokens(text))


def query_tokens(text: str) -> list[str]:
    """A query's words in order, each once, each free of query syntax; at most MAX_QUERY_TOKENS."""
    seen: dict[str, None] = {}
    for token in _tokens(text or ""):
        for part in _NON_WORD.sub(" ", token).lower().split():
            seen.setdefault(part, None)
    return list(seen)[:MAX_QUERY_TOKENS]


def segment_query(text: str) -> str:
    """A query string cut the way the index is cut, words joined by spaces (all must match)."""
    return " ".join(query_tokens(text))
