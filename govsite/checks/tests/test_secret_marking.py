"""密级标志 detector: markings are blocked, the ordinary words 秘密/机密/涉密 are not."""

from __future__ import annotations

import pytest

from govsite.checks.contract import CheckContext, Severity
from govsite.checks.detectors import secret_marking

CTX = CheckContext()


def marks(text: str) -> list[str]:
    findings = secret_marking.detector.detect(text, CTX)
    for f in findings:
        assert text[f.start : f.end] == f.text
        assert f.severity == Severity.BLOCK
        assert f.kind == "secret_marking"
    return [f.text for f in findings]


@pytest.mark.parametrize(
    "marking",
    [
        "绝密★10年",
        "机密★长期",
        "秘密★1年",
        "秘密★一年",
        "绝密★启用前",
        "机密☆5年",
        "秘密*6个月",
        "机密 ★ 20年",
        "秘密★",
    ],
)
def test_level_with_star_and_period_is_a_marking(marking):
    assert marks(f"示政发〔2026〕12号  {marking}\n关于印发某方案的通知") == [marking]


@pytest.mark.parametrize("label", ["密级：秘密", "密级:机密", "密 级：绝密", "密级：内部"])
def test_classification_label_is_a_marking(label):
    assert marks(f"{label}  保密期限：5年") == [label]


@pytest.mark.parametrize(
    "notice",
    [
        "不得外传",
        "严禁外传",
        "请勿外传",
        "仅供内部使用",
        "仅限内部参考",
        "内部资料 注意保存",
        "内部文件，妥善保管",
    ],
)
def test_distribution_notice_is_a_marking(notice):
    assert marks(f"本材料{notice}。") == [notice]


@pytest.mark.parametrize("bracketed", ["【内部资料】", "（机密）", "[涉密]", "(内部文件)", "〔秘密〕"])
def test_bracketed_marking(bracketed):
    assert marks(f"{bracketed}关于某项工作的情况汇报") == [bracketed]


@pytest.mark.parametrize("line", ["秘密", "  机密  ", "内部资料", "涉密文件", "内部资料　注意保存", "绝密\r"])
def test_line_consisting_only_of_a_marking(line):
    text = f"{line}\n某某县人民政府\n关于某事项的报告\n"
    assert marks(text) == [line.strip(" \t　\r")]


def test_standalone_marking_reports_the_words_not_the_indentation():
    text = "标题\n    秘密\n正文"
    (finding,) = secret_marking.detector.detect(text, CTX)
    assert (finding.start, finding.end) == (7, 9)


def test_one_finding_per_marking_even_when_several_forms_match():
    assert marks("【内部资料】\n") == ["【内部资料】"]


@pytest.mark.parametrize(
    "prose",
    [
        "各级干部要严格保守国家秘密，增强保密意识。",
        "企业应当依法保护商业机密和个人隐私。",
        "加强涉密人员管理，规范涉密载体使用。",
        "会议强调，要把保密工作作为一项政治任务，防止秘密泄露。",
        "请注意保存好您的缴费票据。",
        "本单位内部资料管理制度已修订。",
        "依法公开不涉及国家秘密的政府信息。",
        "秘密投票选举产生新一届村委会。",
        "★★★★★ 五星好评",
        "机密文件的界定依照《保守国家秘密法》执行。",
        "内部控制制度（内部审计）",
    ],
)
def test_ordinary_words_are_not_markings(prose):
    assert marks(prose) == []


def test_marking_in_a_long_text_is_found_once():
    text = "正文。" * 10000 + "\n机密★1年\n" + "正文。" * 10000
    assert marks(text) == ["机密★1年"]
