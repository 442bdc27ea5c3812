"""Text normalisation (文本归一化) and the keyword automaton the word detectors share."""

from __future__ import annotations

import random

import pytest

from govsite.checks import normalise as normalise_module
from govsite.checks.contract import Finding
from govsite.checks.normalise import (
    KeywordAutomaton,
    fold,
    is_noise,
    keep_outermost,
    normalise,
    normalise_term,
)

ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"


def test_fold_maps_width_case_and_traditional_characters_one_to_one():
    text = "ＡＢＣ１２３ abc 網絡賭博 臺灣 ①"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "abc123 abc 网络赌博 台湾 1"


def test_fold_keeps_punctuation_and_simplified_characters_of_gb2312():
    # 乾 (乾隆, 乾坤) and 於 (surname) are correct simplified text: not turned into 干 and 于.
    assert fold("乾坤，於是。") == "乾坤，於是。"


def test_fold_maps_characters_beyond_the_bmp():
    assert fold("𝐀𝐁") == "ab"
    assert fold("\U00020000輪") == "\U00020000轮"  # an Extension B character stays, the next one is folded


@pytest.mark.parametrize("char", list(ZERO_WIDTH + " \t\n\u3000，。、.-_·*|/\\"))
def test_noise_characters(char):
    assert is_noise(char)


@pytest.mark.parametrize("char", list("法Aa1①"))
def test_letters_and_numbers_are_not_noise(char):
    assert not is_noise(char)


@pytest.mark.parametrize("text", [
    "法 轮", "法.轮", "法\u200b轮", "法\u00ad轮", "法\ufeff轮", "法，\n轮", "法輪", "法\u200d轮", "法-_-轮",
])
def test_normalise_removes_noise_between_characters(text):
    normalised, offsets = normalise(text)
    assert normalised == "法轮"
    assert text[offsets[0]] == "法"
    assert fold(text[offsets[1]]) == "轮"
    start, end = offsets.span(0, 2)
    assert (start, end) == (0, len(text))


def test_normalise_term_matches_normalised_text():
    assert normalise_term("網絡 賭博") == normalise("网络-赌博")[0] == "网络赌博"


def test_offset_map_points_every_normalised_character_at_its_original():
    rng = random.Random(7)
    pieces = []
    for _ in range(200_000):  # spans several map blocks
        pieces.append(rng.choice("政府网站信息公开ＡＢ輪"))
        if rng.random() < 0.3:
            pieces.append(rng.choice([" ", "，", ZERO_WIDTH[rng.randrange(len(ZERO_WIDTH))], "。\n", "、、"]))
    text = "。" + "".join(pieces)
    normalised, offsets = normalise(text)
    assert len(offsets) == len(normalised)
    folded = fold(text)
    for i in list(range(0, len(normalised), 997)) + [len(normalised) - 1]:
        assert folded[offsets[i]] == normalised[i]
    # monotonic, and no kept character is skipped
    sample = [offsets[i] for i in range(0, 5000)]
    assert sample == sorted(set(sample))
    assert all(is_noise(folded[j]) for a, b in zip(sample, sample[1:], strict=False) for j in range(a + 1, b))


def test_normalise_of_noise_only_text_is_empty():
    normalised, offsets = normalise(" 。\u200b ")
    assert normalised == ""
    assert len(offsets) == 0
    with pytest.raises(IndexError):
        offsets[0]


def test_keyword_automaton_reports_all_occurrences_in_string_offsets():
    automaton = KeywordAutomaton([("六合", 1), ("六合彩", 2), ("彩票", 3)])
    text = "购买六合彩票"
    found = sorted(automaton.iter(text))
    assert found == [(2, 4, 1), (2, 5, 2), (4, 6, 3)]
    assert [text[s:e] for s, e, _ in found] == ["六合", "六合彩", "彩票"]


def test_keyword_automaton_finds_keys_across_chunk_boundaries(monkeypatch):
    monkeypatch.setattr(KeywordAutomaton, "_CHUNK", 7)
    automaton = KeywordAutomaton([("网络赌博", "w")])
    text = "甲" * 5 + "网络赌博" + "乙" * 9 + "网络赌博" + "丙" * 3 + "网络赌博"
    found = list(automaton.iter(text))
    assert [(s, e) for s, e, _ in found] == [(5, 9), (18, 22), (25, 29)]


def test_keyword_automaton_offsets_after_characters_beyond_the_bmp():
    automaton = KeywordAutomaton([("赌博", 1), ("𠀀赌", 2)])
    text = "𠀀𠀁赌博，𠀀赌"
    found = sorted((s, e, v) for s, e, v in automaton.iter(text))
    assert found == [(2, 4, 1), (5, 7, 2)]
    assert text[2:4] == "赌博" and text[5:7] == "𠀀赌"


def test_keyword_automaton_ignores_matches_across_code_unit_boundaries():
    # 一丁 is 4e00 4e01 in hexadecimal UTF-16, which contains N (004e) across the two characters.
    automaton = KeywordAutomaton([("N", 1)])
    assert list(automaton.iter("一丁")) == []
    assert list(automaton.iter("一N丁")) == [(1, 2, 1)]


def test_keep_outermost_drops_nested_findings():
    def finding(start, end):
        return Finding("x", "warn", start, end, "", "")

    kept = keep_outermost([finding(2, 4), finding(2, 5), finding(4, 6), finding(3, 4), finding(2, 5)])
    assert [(f.start, f.end) for f in kept] == [(2, 5), (4, 6)]


def test_large_text_is_normalised_once_for_all_detectors():
    text = "政务公开" * 2000
    assert fold(text) is fold(text)
    assert normalise(text)[0] is normalise(text)[0]
    assert normalise_module._last_fold[0] is text
