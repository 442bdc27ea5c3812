"""Word checks: 敏感词 (sensitive_word), 规范表述 (protected_term) and 错别字 (typo), with the shipped lists."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from functools import cache

import pytest

from govsite.checks.contract import CheckContext, Severity
from govsite.checks.defaults import default_lexicon, read_sensitive_words, read_typo_pairs
from govsite.checks.detectors.protected_term import detector as protected_term
from govsite.checks.detectors.sensitive_word import detector as sensitive_word
from govsite.checks.detectors.typo import detector as typo
from govsite.checks.engine import check_text
from govsite.checks.lexicon import Lexicon, ProtectedTerm, SensitiveWord, TypoPair

DEFAULTS = CheckContext()


def spans_match_text(text, findings):
    return all(text[f.start:f.end] == f.text for f in findings)


# --- 敏感词 ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "网络赌博",
    "网 络 赌 博",  # spaces
    "网.络-赌·博",  # punctuation
    "网\u200b络\u200c赌\u2060博",  # zero-width characters
    "网\u00ad络赌\ufeff博",  # soft hyphen, BOM
    "網絡賭博",  # traditional characters
    "网络\n赌博",  # a line break
    "网　络，赌　博",  # ideographic space, full-width comma
])
def test_sensitive_word_evasions_are_found_with_exact_offsets(written):
    text = f"公告：严厉打击{written}等违法犯罪活动。"
    findings = sensitive_word.detect(text, DEFAULTS)
    assert len(findings) == 1
    finding = findings[0]
    assert finding.text == written
    assert text[finding.start:finding.end] == written
    assert finding.rule == "敏感词（类别：赌博）"
    assert finding.severity == Severity.WARN


def test_sensitive_word_full_width_and_case():
    lexicon = Lexicon(sensitive_words=[SensitiveWord("AK47", "违禁品", "block")])
    text = "出售ａｋ－４７，Ak 47 现货"
    findings = sensitive_word.detect(text, CheckContext(lexicon))
    assert [f.text for f in findings] == ["ａｋ－４７", "Ak 47"]
    assert spans_match_text(text, findings)
    assert {f.severity for f in findings} == {Severity.BLOCK}


def test_sensitive_word_of_latin_letters_must_stand_alone():
    lexicon = Lexicon(sensitive_words=[SensitiveWord("sex", "色情", "block")])
    context = CheckContext(lexicon)
    assert sensitive_word.detect("Essex County 和 sussex", context) == []
    assert [f.text for f in sensitive_word.detect("免费 S.E.X 视频", context)] == ["S.E.X"]


def test_sensitive_word_severity_and_category_come_from_the_entry():
    findings = sensitive_word.detect("代开发票，联系微信", DEFAULTS)
    assert [(f.text, f.severity, f.rule) for f in findings] == [("代开发票", "block", "敏感词（类别：诈骗）")]


def test_nested_sensitive_words_report_the_longest():
    lexicon = Lexicon(sensitive_words=[SensitiveWord("六合", "赌博", "warn"), SensitiveWord("六合彩", "赌博", "block")])
    findings = sensitive_word.detect("购买六 合 彩", CheckContext(lexicon))
    assert [(f.text, f.severity) for f in findings] == [("六 合 彩", "block")]


def test_sensitive_words_match_across_punctuation_by_design():
    # Normalisation removes punctuation, so a term spanning two sentences is found; the reviewer sees why.
    lexicon = Lexicon(sensitive_words=[SensitiveWord("民主法治", "示例", "warn")])
    text = "坚持民主。法治建设"
    findings = sensitive_word.detect(text, CheckContext(lexicon))
    assert [f.text for f in findings] == ["民主。法治"]


def test_region_list_adds_to_the_defaults():
    region = Lexicon(sensitive_words=[SensitiveWord("示范违禁词", "违禁品", "block")],
                     protected_terms=[ProtectedTerm("苏望川", "领导姓名")],
                     typo_pairs=[TypoPair("示范错字", "示范正字")])
    lexicon = default_lexicon().merged(region)
    context = CheckContext(lexicon)
    text = "六合彩与示范违禁词。苏忘川同志出席。示范错字"
    assert [f.text for f in sensitive_word.detect(text, context)] == ["六合彩", "示范违禁词"]
    assert [f.suggestion for f in protected_term.detect(text, context)] == ["苏望川"]
    assert [f.suggestion for f in typo.detect(text, context)] == ["示范正字"]
    # the defaults alone know none of the region's words
    assert [f.text for f in sensitive_word.detect(text, DEFAULTS)] == ["六合彩"]
    assert protected_term.detect(text, DEFAULTS) == []


def test_region_entry_overrides_a_default_with_the_same_term():
    region = Lexicon(sensitive_words=[SensitiveWord("六合彩", "赌博", "block")])
    findings = sensitive_word.detect("六合彩", CheckContext(default_lexicon().merged(region)))
    assert [f.severity for f in findings] == ["block"]


def test_compiled_automata_are_cached_on_the_lexicon():
    lexicon = default_lexicon().merged(Lexicon())
    context = CheckContext(lexicon)
    for detector in (sensitive_word, protected_term, typo):
        detector.detect("示例", context)
    cached = dict(lexicon.compiled)
    assert set(cached) == {"sensitive_word", "protected_term", "typo"}
    for detector in (sensitive_word, protected_term, typo):
        detector.detect("示例", context)
    assert all(lexicon.compiled[name] is cached[name] for name in cached)


# --- 规范表述 --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "written", "term", "edit"), [
    ("庆祝中华人民共合国成立七十五周年", "中华人民共合国", "中华人民共和国", "同音字替换"),
    ("坚持中国特色社会主意道路", "中国特色社会主意", "中国特色社会主义", "同音字替换"),
    ("推进乡村镇兴", "乡村镇兴", "乡村振兴", "同音字替换"),
    ("共建一带一陆倡议", "一带一陆", "一带一路", "同音字替换"),
    ("坚持一国两治方针", "一国两治", "一国两制", "同音字替换"),
    ("构建人类命运共同休", "人类命运共同休", "人类命运共同体", "形近字替换"),
    ("中国共产觉成立", "中国共产觉", "中国共产党", "形近字替换"),
    ("践行社会主义核心价观", "社会主义核心价观", "社会主义核心价值观", "漏字"),
    ("中国人民解军指战员", "中国人民解军", "中国人民解放军", "漏字"),
    ("中华人民共和和国", "中华人民共和和国", "中华人民共和国", "多字"),
    ("构建人类命运共同邦体", "人类命运共同邦体", "人类命运共同体", "多字"),
    ("中华人民共和国民正部", "中华人民共和国民正部", "中华人民共和国民政部", "同音字替换"),
    ("全国人民代表大会常务委圆会", "全国人民代表大会常务委圆会", "全国人民代表大会常务委员会", "同音字替换"),
    ("全国人民代表大会常务委员会", None, None, None),
    ("中華人民共和國", None, None, None),  # traditional characters of the exact term
])
def test_protected_term_near_misses(text, written, term, edit):
    findings = protected_term.detect(text, DEFAULTS)
    if written is None:
        assert findings == []
        return
    assert len(findings) == 1
    finding = findings[0]
    assert (finding.text, finding.suggestion) == (written, term)
    assert text[finding.start:finding.end] == written
    assert finding.severity == Severity.BLOCK
    assert finding.rule.endswith(edit)


def test_leader_name_added_by_supervisors():
    lexicon = Lexicon(protected_terms=[ProtectedTerm("苏望川", "领导姓名")])
    context = CheckContext(lexicon)
    assert protected_term.detect("苏望川主席出席会议", context) == []
    findings = protected_term.detect("苏忘川主席出席会议", context)  # 忘 wàng for 望 wàng
    assert [(f.text, f.rule, f.suggestion) for f in findings] == [("苏忘川", "领导姓名：同音字替换", "苏望川")]
    # a name's characters with a different tone are no homophones; other names are not near misses
    assert protected_term.detect("苏王川、韩知远出席", context) == []  # 王 wáng


# Correct official text that resembles protected terms: none of it is a near miss.
CORRECT_SENTENCES = """
高举中国特色社会主义伟大旗帜，全面贯彻习近平新时代中国特色社会主义思想。
中国人民进行了艰苦卓绝的斗争，中国人民行使国家权力的机关是全国人民代表大会和地方各级人民代表大会。
中国人民解放战争取得伟大胜利。
中国人民银行示范自治区分行发布金融运行情况。
自治区财政安排专项资金，落实各项财政补贴政策。
中国佛学院与美国科学院、英国科学院代表座谈。
中国邮政局所网点、美国气象局数据仅供参考。
实现中华民族的伟大复兴是近代以来中华民族最伟大的梦想。
全面建设小康社会和全面建成小康社会是不同时期的提法。
加强生态文化建设，推进生态文明建设。
中华人民共和国财政部、中华人民共和国民政部联合印发通知。
推动经济实现更高质量的发展，建设美丽的中国。
推进乡村振兴战略，全面推进乡村振兴。
共建“一带一路”，坚持“一国两制”。
增强“四个意识”、坚定“四个自信”、做到“两个维护”。
坚持全面从严治党，全面从严治警，全面从严治校。
国家统计局、国家能源局、国家数据局、国务院办公厅、国务院新闻办公室有关负责人出席。
全国人民代表大会常务委员会第十次会议在北京闭幕。
中国人民政治协商会议全国委员会委员视察示范自治区。
培育和践行社会主义核心价值观，弘扬社会主义核心价值体系。
坚持和完善社会主义市场经济体制，发展全过程人民民主。
各地（市）人民政府（行政公署），自治区人民政府各部门：现将《示范自治区乡村振兴促进条例实施办法》印发给你们。
""".strip().splitlines()


def test_correct_official_text_has_no_near_misses():
    for sentence in CORRECT_SENTENCES:
        assert protected_term.detect(sentence, DEFAULTS) == [], sentence


def test_shipped_protected_terms_do_not_flag_each_other():
    text = "。".join(term.term for term in default_lexicon().protected_terms)
    assert protected_term.detect(text, DEFAULTS) == []


def test_unrelated_text_has_no_protected_term_findings():
    assert protected_term.detect("今天天气很好，我们去公园散步。", DEFAULTS) == []
    assert protected_term.detect("", DEFAULTS) == []


# --- 错别字 -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "right"), [
    ("按步就班", "按部就班"), ("一股作气", "一鼓作气"), ("再接再励", "再接再厉"), ("迫不急待", "迫不及待"),
    ("美仑美奂", "美轮美奂"), ("委屈求全", "委曲求全"), ("布署", "部署"), ("贯策落实", "贯彻落实"),
    ("营商坏境", "营商环境"), ("穿流不息", "川流不息"), ("声名雀起", "声名鹊起"), ("不落巢臼", "不落窠臼"),
])
def test_typo_pairs(written, right):
    text = f"各单位要{written}，做好工作。"
    findings = typo.detect(text, DEFAULTS)
    assert [(f.text, f.suggestion, f.severity, f.rule) for f in findings] == [(written, right, "warn", "常见错别字")]
    assert spans_match_text(text, findings)


def test_typo_in_full_width_or_traditional_text_keeps_original_offsets():
    text = "ＡＢＣ，按步就班；營商壞境"
    findings = typo.detect(text, DEFAULTS)
    assert [(f.text, f.suggestion) for f in findings] == [("按步就班", "按部就班"), ("營商壞境", "营商环境")]
    assert spans_match_text(text, findings)


def test_right_forms_are_not_typos():
    assert typo.detect("委曲求全，即使按部就班也要再接再厉，认真部署，贯彻落实。", DEFAULTS) == []


def test_shipped_typo_list():
    pairs = default_lexicon().typo_pairs
    assert len(pairs) >= 500
    wrongs = [p.wrong for p in pairs]
    rights = {p.right for p in pairs}
    assert len(set(wrongs)) == len(wrongs)
    assert all(p.wrong != p.right for p in pairs)
    assert not [(w, r) for w in wrongs for r in rights if w in r], "a wrong form inside a right form"
    assert typo.detect("。".join(sorted(rights)), DEFAULTS) == []


def test_shipped_sensitive_words_are_a_small_sample():
    words = default_lexicon().sensitive_words
    assert 10 <= len(words) <= 100
    assert {w.category for w in words} >= {"赌博", "色情", "诈骗", "违禁品"}
    assert {w.severity for w in words} == {"block", "warn"}


def test_list_readers():
    assert read_sensitive_words(["# 注释", "", "词甲,赌博,warn", "词乙"]) == [
        SensitiveWord("词甲", "赌博", "warn"), SensitiveWord("词乙", "未分类", "block")]
    with pytest.raises(ValueError, match="line 1"):
        read_sensitive_words(["词甲,赌博,high"])
    assert read_typo_pairs(["错字，正字"]) == [TypoPair("错字", "正字")]
    with pytest.raises(ValueError, match="line 2"):
        read_typo_pairs(["# x", "错字"])


# --- no false positives on correct text ------------------------------------------------------------------------

@cache
def demo_articles() -> str:
    """Plain text of demo articles of every kind (示范自治区 voice), as published on the demo sites."""
    from govsite.demo import data, texts

    rng = random.Random(2024)
    names = iter(rng.sample([s + g for s in data.SURNAMES for g in data.GIVEN_NAMES], 6))
    departments = (("gov", "自治区人民政府办公厅"),) + tuple(
        (d.domains[0], f"自治区{d.suffix}") for d in data.REGIONAL_DEPARTMENTS[1:])
    voice = texts.Voice(
        site_name="示范自治区人民政府门户网站", phone_prefix=data.AREA_CODE, unit=f"{data.REGION_NAME}人民政府",
        region=data.REGION_NAME, here="自治区", gov="自治区人民政府", office="自治区人民政府办公厅",
        doc_prefix="示政", head_title="主席", head=next(names),
        deputies=(("副主席", next(names)), ("副主席", next(names)), ("秘书长", next(names))),
        subregions=tuple(p.name for p in data.PREFECTURES),
        addressee="各地（市）人民政府（行政公署），自治区人民政府各部门、各直属机构：",
        departments=departments, mailbox="主席信箱", domains=(), is_department=False, newspaper="示范日报",
        local_news="地方动态", gov_docs="自治区政府文件", office_docs="自治区政府办公厅文件", special_title="",
        whole="全区", sub_term="各地（市）", domain="shifan.gov.cn")
    when = datetime(2025, 6, 30, 9)
    parts = []
    for index in range(3000):
        writer = list(texts.WRITERS)[index % len(texts.WRITERS)]
        article = texts.write(writer, rng, voice, when - timedelta(hours=index), index)
        parts.append(article.title + "\n" + re.sub(r"<[^>]+>", "\n", article.body))
    return "\n".join(parts)


def test_demo_articles_have_no_word_findings():
    text = demo_articles()
    assert len(text) > 500_000
    findings = check_text(text, only={"sensitive_word", "protected_term", "typo"})
    assert findings == [], findings[:5]


def test_engine_runs_the_word_detectors_in_position_order():
    text = "按步就班。网 络 赌 博。中华人民共合国"
    findings = check_text(text, only={"sensitive_word", "protected_term", "typo"})
    assert [(f.kind, f.text) for f in findings] == [
        ("typo", "按步就班"), ("sensitive_word", "网 络 赌 博"), ("protected_term", "中华人民共合国")]
    assert spans_match_text(text, findings)
