"""分词 and snippets without a database: the pieces the search is built from."""

from __future__ import annotations

import pytest

from govsite.search.segment import query_tokens, segment_for_index, segment_query
from govsite.search.selectors import snippet

# The first segmentation in a process loads jieba's dictionary (1–4 s on a shared machine).
pytestmark = pytest.mark.slow


def test_index_text_holds_the_short_words_inside_long_ones() -> None:
    words = segment_for_index("推进政府网站集约化建设，加强政府信息公开。").split()
    assert {"政府", "网站", "集约", "集约化", "信息", "公开"} <= set(words)
    assert "，" not in words and "。" not in words


def test_query_is_cut_the_same_way_without_query_syntax() -> None:
    assert query_tokens("政府网站集约化") == ["政府", "网站", "集约", "集约化"]
    assert segment_query('"网站" AND (公开*) -x') == "网站 and 公开 x"
    assert query_tokens("，。！？") == []


def test_snippet_marks_the_match_and_escapes_the_rest() -> None:
    text = "前言" * 80 + "<b>推进政府网站集约化</b>" + "后文" * 80
    result = snippet(text, ["网站", "集约"])
    assert "<mark>网站</mark>" in result and "<mark>集约</mark>" in result
    assert "&lt;b&gt;" in result and "<b>" not in result
    assert result.startswith("…") and result.endswith("…")
    assert snippet("<i>无匹配</i>", ["网站"]) == "&lt;i&gt;无匹配&lt;/i&gt;"
