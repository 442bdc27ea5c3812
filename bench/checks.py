"""Benchmark of the content compliance engine (内容合规检查) against a plain regular-expression word list.

    .venv/bin/python bench/checks.py [--mb 50] [--terms 20000] [--re-budget 60] [--seed 1952]

Builds a reproducible Chinese corpus of at least `--mb` MB (UTF-8) from the demo article writers, with
personal data, sensitive words (with evasions: spaces, punctuation, zero-width characters, full-width
and traditional forms), typos and misspelt protected terms sprinkled in, and a word list of `--terms`
sensitive words (generated pseudo-words of 2–6 Chinese characters plus the shipped sample). Then, in the
same run and on the same text, times

  (a) the whole engine, `govsite.checks.engine.check_text`, all detectors, with a lexicon holding the word
      list (plus the shipped protected terms and typo pairs), and
  (b) `re.compile("|".join(map(re.escape, terms))).finditer(text)` with the same word list.

The alternation is far slower, so it runs for at most `--re-budget` seconds over the start of the text,
and its MB/s is computed on what it covered. Needs no Django set-up.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from datetime import datetime, timedelta

import opencc

from govsite.checks.contract import CheckContext
from govsite.checks.defaults import default_lexicon
from govsite.checks.engine import DETECTOR_MODULES, all_detectors, check_text
from govsite.checks.lexicon import Lexicon, SensitiveWord
from govsite.demo import data, texts

TAG_RE = re.compile(r"<[^>]+>")
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
_TO_TRADITIONAL = opencc.OpenCC("s2t")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=50, help="corpus size in MB of UTF-8 (default 50)")
    parser.add_argument("--terms", type=int, default=20000, help="sensitive words in the list (default 20000)")
    parser.add_argument("--re-budget", type=float, default=60, help="seconds for the re alternation (default 60)")
    parser.add_argument("--seed", type=int, default=data.DEFAULT_SEED)
    options = parser.parse_args(argv)

    rng = random.Random(options.seed)
    started = time.perf_counter()
    terms = word_list(rng, options.terms)
    text = corpus(rng, options.mb * 1e6, terms)
    size = len(text.encode("utf-8"))
    print(f"corpus: {size / 1e6:.1f} MB UTF-8, {len(text):,} characters; word list: {len(terms):,} terms "
          f"(built in {time.perf_counter() - started:.1f} s, seed {options.seed})")

    engine_seconds, findings, context = time_engine(text, terms)
    counts = Counter(f.kind for f in findings)
    engine_rate = size / 1e6 / engine_seconds
    print(f"(a) engine, all {len(DETECTOR_MODULES)} detectors: {engine_seconds:.1f} s, {engine_rate:.1f} MB/s, "
          f"{len(findings):,} findings")
    print("    findings by detector: " + ", ".join(f"{kind} {n:,}" for kind, n in sorted(counts.items())))
    print("    seconds by detector (run again one by one, in engine order; the first word detector pays for "
          "normalising the text): " + ", ".join(f"{name} {seconds:.2f}" for name, seconds in time_detectors(text, context)))

    re_seconds, covered, matches = time_alternation(text, terms, options.re_budget)
    covered_bytes = len(text[:covered].encode("utf-8"))
    re_rate = covered_bytes / 1e6 / re_seconds
    whole = "the whole text" if covered >= len(text) else (
        f"the first {covered_bytes / 1e6:.2f} MB of the same text (stopped after the {options.re_budget:g} s budget)")
    print(f"(b) re alternation of the {len(terms):,} terms: {re_seconds:.1f} s on {whole}, "
          f"{re_rate:.3f} MB/s, {matches:,} matches")
    print(f"engine / re speed: {engine_rate / re_rate:,.0f}x")
    print("django configured: " + ("yes" if _django_configured() else "no"))


# --- material -----------------------------------------------------------------------------------------------

def word_list(rng: random.Random, count: int) -> list[str]:
    """`count` sensitive words: the shipped sample, then pseudo-words of 2–6 common Chinese characters."""
    sample = [w.term for w in default_lexicon().sensitive_words]
    pool = [chr(cp) for cp in range(0x4E00, 0xA000) if _gb2312_level1(chr(cp))]
    words = dict.fromkeys(sample)
    while len(words) < count:
        length = rng.choices((2, 3, 4, 5, 6), weights=(1, 3, 4, 2, 1))[0]
        words.setdefault("".join(rng.choice(pool) for _ in range(length)))
    return list(words)


def corpus(rng: random.Random, size: float, terms: list[str]) -> str:
    """Demo articles, with something to find every few articles, until `size` bytes of UTF-8."""
    voice = demo_voice(rng)
    typos = [pair.wrong for pair in default_lexicon().typo_pairs]
    near_misses = ["中华人民共合国", "社会主义核心价观", "人类命运共同休", "一带一陆", "中国特色社会主意"]
    when = datetime(2025, 6, 30, 9)
    writers = list(texts.WRITERS)
    parts: list[str] = []
    total = 0
    index = 0
    while total < size:
        article = texts.write(writers[index % len(writers)], rng, voice, when - timedelta(minutes=index), index)
        body = TAG_RE.sub("\n", article.body)
        if index % 3 == 0:
            body = _insert(rng, body, _evasion(rng, rng.choice(terms)))
        if index % 7 == 0:
            body = _insert(rng, body, rng.choice((_mobile(rng), _id_number(rng), _email(rng))))
        if index % 11 == 0:
            body = _insert(rng, body, rng.choice(typos))
        if index % 13 == 0:
            body = _insert(rng, body, rng.choice(near_misses))
        part = article.title + "\n" + body + "\n"
        parts.append(part)
        total += len(part.encode("utf-8"))
        index += 1
    return "".join(parts)


def demo_voice(rng: random.Random) -> texts.Voice:
    """The voice of the demo region's portal (示范自治区人民政府)."""
    names = iter(rng.sample([s + g for s in data.SURNAMES for g in data.GIVEN_NAMES], 6))
    departments = (("gov", "自治区人民政府办公厅"),) + tuple(
        (d.domains[0], f"自治区{d.suffix}") for d in data.REGIONAL_DEPARTMENTS[1:])
    return texts.Voice(
        site_name="示范自治区人民政府门户网站", phone_prefix=data.AREA_CODE, unit=f"{data.REGION_NAME}人民政府",
        region=data.REGION_NAME, here="自治区", gov="自治区人民政府", office="自治区人民政府办公厅",
        doc_prefix="示政", head_title="主席", head=next(names),
        deputies=(("副主席", next(names)), ("副主席", next(names)), ("秘书长", next(names))),
        subregions=tuple(p.name for p in data.PREFECTURES),
        addressee="各地（市）人民政府（行政公署），自治区人民政府各部门、各直属机构：",
        departments=departments, mailbox="主席信箱", domains=(), is_department=False, newspaper="示范日报",
        local_news="地方动态", gov_docs="自治区政府文件", office_docs="自治区政府办公厅文件", special_title="",
        whole="全区", sub_term="各地（市）", domain="shifan.gov.cn")


def _insert(rng: random.Random, body: str, what: str) -> str:
    at = rng.randrange(len(body) + 1)
    return body[:at] + what + body[at:]


def _evasion(rng: random.Random, term: str) -> str:
    """The term as someone avoiding a filter might write it."""
    kind = rng.randrange(5)
    if kind == 0:
        return " ".join(term)
    if kind == 1:
        return rng.choice(".·-*").join(term)
    if kind == 2:
        return "".join(c + rng.choice(ZERO_WIDTH) for c in term[:-1]) + term[-1]
    if kind == 3:
        return _TO_TRADITIONAL.convert(term)
    return term


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10 ** 9):09d}"


def _id_number(rng: random.Random) -> str:
    birth = datetime(1950, 1, 1) + timedelta(days=rng.randrange(365 * 60))
    body = f"110101{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def _email(rng: random.Random) -> str:
    return f"user{rng.randrange(10 ** 6)}@example.com"


def _gb2312_level1(char: str) -> bool:
    try:
        return 0xB0 <= char.encode("gb2312")[0] <= 0xD7
    except UnicodeEncodeError:
        return False


# --- timing -------------------------------------------------------------------------------------------------

def time_engine(text: str, terms: list[str]) -> tuple[float, list, CheckContext]:
    """Seconds the engine takes over `text` (automata compiled beforehand, timed apart), its findings and
    the context it ran with."""
    lexicon = default_lexicon().merged(Lexicon(sensitive_words=[SensitiveWord(t, "测试", "block") for t in terms]))
    context = CheckContext(lexicon)
    started = time.perf_counter()
    check_text("预热", context=context)  # compiles the automata of the lexicon
    print(f"    engine set-up (imports, automata for {len(terms):,} words): {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    findings = check_text(text, context=context)
    return time.perf_counter() - started, findings, context


def time_detectors(text: str, context: CheckContext) -> list[tuple[str, float]]:
    """Seconds each detector takes over `text` alone (a copy, so nothing normalised is reused)."""
    text = text + " "
    times = []
    for detector in all_detectors():
        started = time.perf_counter()
        detector.detect(text, context)
        times.append((detector.name, time.perf_counter() - started))
    return times


def time_alternation(text: str, terms: list[str], budget: float) -> tuple[float, int, int]:
    """Seconds, characters covered and matches of the re alternation, stopping after `budget` seconds.

    The text is searched in slices so that the clock can be read; a slice also reads the longest term's
    length past its end, and matches are counted where they start, so none is lost or counted twice.
    """
    started = time.perf_counter()
    pattern = re.compile("|".join(map(re.escape, terms)))
    print(f"    re.compile of the alternation: {time.perf_counter() - started:.1f} s (not counted)")
    longest = max(map(len, terms))
    step = 16_384
    covered = matches = 0
    started = time.perf_counter()
    while covered < len(text) and time.perf_counter() - started < budget:
        end = min(covered + step, len(text))
        matches += sum(1 for m in pattern.finditer(text, covered, min(end + longest - 1, len(text)))
                       if m.start() < end)
        covered = end
    return time.perf_counter() - started, covered, matches


def _django_configured() -> bool:
    settings = sys.modules.get("django.conf")
    return bool(settings and settings.settings.configured)


if __name__ == "__main__":
    main()
