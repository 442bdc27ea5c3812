"""Masking personal data for public display (个人信息脱敏)."""

from __future__ import annotations

import pytest

from govsite.checks.contract import CheckContext, Finding, Severity
from govsite.checks.detectors import id_card, uscc
from govsite.checks.redact import PERSONAL_KINDS, mask, redact_text


@pytest.mark.parametrize(
    ("kind", "value", "masked"),
    [
        ("id_card", "11010519491231002X", "110105********002X"),
        ("id_card", "110105 19491231 002X", "110105 ******** 002X"),
        ("id_card", "110105491231002", "110105******002"),
        ("mobile", "13812345678", "138****5678"),
        ("mobile", "+86 138-1234-5678", "+86 138-****-5678"),
        ("mobile", "0086 138 1234 5678", "0086 138 **** 5678"),
        ("landline", "0991-1234567", "0991-*****67"),
        ("landline", "(010)12345678", "(010)******78"),
        ("landline", "02012345678", "020******78"),
        ("bank_card", "6222021234567890123", "6222***********0123"),
        ("bank_card", "6222 0212 3456 7890", "6222 **** **** 7890"),
        ("email", "zhangsan@qq.com", "z*******@qq.com"),
        ("email", "li.si@example.gov.cn", "l****@example.gov.cn"),
        ("passport", "E12345678", "E******78"),
        ("passport", "EA1234567", "E******67"),
    ],
)
def test_mask_keeps_the_agreed_characters_and_the_length(kind, value, masked):
    assert mask(kind, value) == masked
    assert len(mask(kind, value)) == len(value)


def test_mask_rejects_unknown_kind():
    with pytest.raises(ValueError):
        mask("uscc", "91350100M000100Y43")


def test_redact_text_runs_the_personal_data_detectors_itself():
    text = "张三，身份证号11010519491231002X，手机+86 138-1234-5678，办公电话0991-1234567，邮箱zs@qq.com。"
    redacted = redact_text(text)
    assert (
        redacted
        == "张三，身份证号110105********002X，手机+86 138-****-5678，办公电话0991-*****67，邮箱z*@qq.com。"
    )


def test_redact_text_keeps_length_so_offsets_stay_valid():
    text = "名单：\n1 王五 11010519491231002X 13912345678\n2 赵六 护照E12345678 卡号6222021234567890128\n"
    redacted = redact_text(text)
    assert len(redacted) == len(text)
    assert "11010519491231002X" not in redacted and "13912345678" not in redacted
    assert "E12345678" not in redacted and "6222021234567890128" not in redacted


def test_redact_text_with_given_findings_masks_only_personal_kinds():
    text = "代码91350100M000100Y43，身份证11010519491231002X"
    findings = uscc.detector.detect(text, CheckContext()) + id_card.detector.detect(text, CheckContext())
    assert {f.kind for f in findings} == {"uscc", "id_card"}
    assert redact_text(text, findings) == "代码91350100M000100Y43，身份证110105********002X"


def test_redact_text_rejects_findings_of_another_text():
    stale = Finding(kind="mobile", severity=Severity.BLOCK, start=0, end=11, text="13812345678", rule="")
    with pytest.raises(ValueError):
        redact_text("不是这段文字的手机号码", [stale])


def test_redact_text_merges_overlapping_findings():
    text = "联系 13812345678@163.com"
    redacted = redact_text(text)
    assert redacted == "联系 1**********@163.com"
    assert len(redacted) == len(text)


def test_redact_text_without_personal_data_is_unchanged():
    text = "示政发〔2026〕12号 关于做好2026年春耕生产工作的通知，咨询电话400-810-8888。"
    assert redact_text(text) == text
    assert redact_text(text, []) == text


def test_personal_kinds_are_detector_names():
    import importlib

    for kind in PERSONAL_KINDS:
        assert importlib.import_module(f"govsite.checks.detectors.{kind}").detector.name == kind
