"""Personal-data detectors (个人信息): ID numbers, phones, bank cards, e-mail, passports, USCC."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from govsite.checks.contract import CheckContext, Finding, Severity
from govsite.checks.detectors import bank_card, email, id_card, landline, mobile, passport, uscc

CTX = CheckContext()
DATA_FILE = Path(id_card.__file__).resolve().parent.parent / "data" / "division_codes.txt"


def spans(detector, text: str) -> list[str]:
    findings = detector.detect(text, CTX)
    for f in findings:
        assert text[f.start : f.end] == f.text
        assert f.kind == detector.name
    return [f.text for f in findings]


# --- independent reference implementations (not the code under test) -------------------------------


def check_char(first17: str) -> str:
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


def make_id(code: str, born: date, seq: int) -> str:
    body = f"{code}{born:%Y%m%d}{seq:03d}"
    return body + check_char(body)


def wrong_check(id18: str) -> str:
    return id18[:17] + next(c for c in "0123456789X" if c != id18[17])


def luhn_complete(partial: str) -> str:
    for d in "0123456789":
        digits = partial + d
        total = 0
        for i, ch in enumerate(reversed(digits)):
            v = int(ch) * (2 if i % 2 else 1)
            total += v - 9 if v > 9 else v
        if total % 10 == 0:
            return digits
    raise AssertionError


def uscc_complete(first17: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(alphabet.index(c) * w for c, w in zip(first17, weights, strict=True))
    return first17 + alphabet[(31 - total % 31) % 31]


def data_file_codes() -> set[str]:
    lines = DATA_FILE.read_text(encoding="utf-8").splitlines()
    return {line.split("\t")[0] for line in lines if line and not line.startswith("#")}


# --- division code table ------------------------------------------------------------------------------


def test_division_table_has_current_and_historical_codes_and_names_its_source():
    codes = data_file_codes()
    assert len(codes) > 7000
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert {"110105", "650102", "440305", "320402", "810000"} <= codes  # current
    assert {"110104", "110103"} <= codes  # 宣武区, 崇文区: abolished in 2010, still in old ID numbers
    header = DATA_FILE.read_text(encoding="utf-8").splitlines()[:8]
    assert any("licence" in line and "GB2260" in line for line in header)


def test_division_code_fallback_accepts_new_county_of_known_prefecture_only():
    assert id_card.is_known_division_code("110105")
    assert id_card.is_known_division_code("650198")  # not in the table; 6501 乌鲁木齐 + province 65
    assert not id_card.is_known_division_code("999901")  # fictional demo region
    assert not id_card.is_known_division_code("659899")  # province 65, prefecture 6598 unknown
    assert not id_card.is_known_division_code("190101")  # 19 is no province


# --- 居民身份证号 -------------------------------------------------------------------------------------


def test_id_card_valid_18_digit_with_x_check_character():
    assert spans(id_card.detector, "身份证号：11010519491231002X。") == ["11010519491231002X"]
    assert spans(id_card.detector, "身份证号:11010519491231002x") == ["11010519491231002x"]


def test_id_card_finding_is_block_with_chinese_rule():
    (finding,) = id_card.detector.detect("张三 11010519491231002X 男", CTX)
    assert finding.severity == Severity.BLOCK
    assert "身份证" in finding.rule
    assert (finding.start, finding.end) == (3, 21)


def test_id_card_wrong_check_character_is_not_flagged():
    valid = make_id("440305", date(1990, 7, 1), 123)
    assert spans(id_card.detector, valid) == [valid]
    assert spans(id_card.detector, wrong_check(valid)) == []
    assert spans(id_card.detector, "110105194912310021") == []  # the X of 11010519491231002X replaced


@pytest.mark.parametrize(
    "born",
    ["19990230", "20230229", "19850431", "19851301", "19850100"],
)
def test_id_card_impossible_birth_date_is_not_flagged(born):
    body = "110105" + born + "123"
    assert spans(id_card.detector, body + check_char(body)) == []


def test_id_card_future_birth_date_is_not_flagged():
    tomorrow = date.today() + timedelta(days=1)
    assert spans(id_card.detector, make_id("110105", tomorrow, 12)) == []
    assert spans(id_card.detector, make_id("110105", date(2099, 1, 1), 12)) == []


def test_id_card_leap_day_is_valid():
    assert spans(id_card.detector, make_id("320102", date(2000, 2, 29), 45)) == [
        make_id("320102", date(2000, 2, 29), 45)
    ]


def test_id_card_year_before_1900_is_not_flagged():
    body = "11010518991231002"
    assert spans(id_card.detector, body + check_char(body)) == []


def test_id_card_unknown_division_prefix_is_not_flagged():
    assert spans(id_card.detector, make_id("999901", date(1980, 5, 5), 1)) == []
    assert spans(id_card.detector, make_id("190101", date(1980, 5, 5), 1)) == []


def test_id_card_historical_code_is_flagged():
    number = make_id("110104", date(1975, 3, 8), 218)  # 宣武区, merged into 西城区 in 2010
    assert spans(id_card.detector, number) == [number]


def test_id_card_inside_longer_digit_run_or_word_is_not_flagged():
    number = "11010519491231002X"
    assert spans(id_card.detector, "9" + number) == []
    assert spans(id_card.detector, number + "7") == []
    assert spans(id_card.detector, "SN" + number) == []
    assert spans(id_card.detector, number + "abc") == []
    assert spans(id_card.detector, number + "0") == []
    assert spans(id_card.detector, number[:17]) == []


def test_id_card_spaced_6_8_4_form():
    assert spans(id_card.detector, "身份证 110105 19491231 002X 号") == ["110105 19491231 002X"]
    assert spans(id_card.detector, "110105 194912310021") == []  # inconsistent grouping


def test_id_card_old_15_digit_form():
    assert spans(id_card.detector, "旧身份证号 110105491231002。") == ["110105491231002"]
    assert spans(id_card.detector, "110105490230002") == []  # 1949-02-30
    assert spans(id_card.detector, "999901491231002") == []


def test_id_card_15_digit_registration_and_tax_numbers_are_not_flagged():
    assert spans(id_card.detector, "营业执照注册号：110108000123456") == []
    assert spans(id_card.detector, "税务登记号 110108801012345") == []
    assert spans(id_card.detector, "110108801012345") == ["110108801012345"]  # reads as born 1980-10-12
    assert spans(id_card.detector, "证件编号：110108801012345") == ["110108801012345"]


def test_id_card_not_confused_with_dates_orders_and_document_numbers():
    text = (
        "示政发〔2026〕12号，订单号202603151230456789，时间戳1741996800123，金额1234567.89元，2026年3月15日"
    )
    assert spans(id_card.detector, text) == []


# --- 手机号码 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+8613812345678",
        "+86 138 1234 5678",
        "+86-138-1234-5678",
        "8613912345678",
        "0086 19912345678",
        "（+86）17712345678",
    ],
)
def test_mobile_formats(number):
    assert spans(mobile.detector, f"联系电话：{number}。") == [number]


def test_mobile_is_block():
    (finding,) = mobile.detector.detect("手机13812345678", CTX)
    assert finding.severity == Severity.BLOCK


@pytest.mark.parametrize(
    "text",
    [
        "12812345678",  # no 12x mobile range
        "11812345678",
        "138123456789",  # 12 digits
        "213812345678",
        "110105194912310021",  # ID number
        "6222021381234567890",  # card number
        "138-12345678",  # inconsistent grouping
        "138 1234-5678",
        "1381234567",  # 10 digits
        "SN13812345678",
    ],
)
def test_mobile_negatives(text):
    assert spans(mobile.detector, text) == []


# --- 固定电话 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "0991-1234567",
        "(010)12345678",
        "（010）12345678",
        "(0991) 2345678",
        "0991 1234567",
        "010-12345678",
        "02012345678",
        "0755-8888-8888",
        "021—64381234",
    ],
)
def test_landline_formats(number):
    assert spans(landline.detector, f"办公电话：{number}，") == [number]


def test_landline_is_warn():
    (finding,) = landline.detector.detect("咨询电话：0991-1234567", CTX)
    assert finding.severity == Severity.WARN


@pytest.mark.parametrize(
    "text",
    [
        "400-810-8888",
        "4008108888",
        "800-820-8820",
        "8008208820",
        "12345",
        "0991-123456",  # 6-digit local number
        "0991-012345678",
        "13812345678",
        "110105194912310021",
        "2026-03-15",
    ],
)
def test_landline_negatives(text):
    assert spans(landline.detector, text) == []


# --- 银行卡号 ----------------------------------------------------------------------------------------

UNIONPAY_19 = luhn_complete("622202123456789012")
UNIONPAY_16 = luhn_complete("622848001234567")


def test_bank_card_unionpay_prefix_with_luhn():
    assert spans(bank_card.detector, f"转入{UNIONPAY_19}。") == [UNIONPAY_19]
    assert spans(bank_card.detector, f"尾号 {UNIONPAY_16}") == [UNIONPAY_16]


def test_bank_card_grouped_by_four():
    grouped = " ".join(UNIONPAY_19[i : i + 4] for i in range(0, 19, 4))
    assert spans(bank_card.detector, f"卡号：{grouped}") == [grouped]
    hyphen = "-".join(UNIONPAY_16[i : i + 4] for i in range(0, 16, 4))
    assert spans(bank_card.detector, hyphen) == [hyphen]


def test_bank_card_luhn_failure_is_not_flagged():
    broken = UNIONPAY_19[:-1] + str((int(UNIONPAY_19[-1]) + 1) % 10)
    assert spans(bank_card.detector, f"卡号：{broken}") == []


def test_bank_card_without_known_prefix_needs_context_word():
    number = luhn_complete("710000123456789")  # 16 digits, no known issuer prefix
    assert spans(bank_card.detector, f"编号 {number}") == []
    assert spans(bank_card.detector, f"银行账号：{number}") == [number]
    (finding,) = bank_card.detector.detect(f"储蓄卡 {number}", CTX)
    assert "卡号" in finding.rule and finding.severity == Severity.BLOCK


def test_bank_card_context_word_too_far_away_does_not_count():
    number = luhn_complete("710000123456789")
    assert spans(bank_card.detector, f"卡号见附件，另外本次登记的流水编号为{number}") == []


def test_bank_card_random_long_numbers_without_issuer_prefix_or_context_are_not_flagged():
    rng = random.Random(7)
    for _ in range(3000):
        number = rng.choice("1378") + "".join(rng.choice("0123456789") for _ in range(rng.randint(15, 18)))
        if number.startswith("35"):  # JCB
            continue
        assert spans(bank_card.detector, f"订单号 {number}") == []
        assert spans(bank_card.detector, f"流水号：{luhn_complete(number[:-1])}") == []


def test_bank_card_visa_length_is_checked():
    visa16 = luhn_complete("436742123456789")
    assert spans(bank_card.detector, visa16) == [visa16]
    visa18 = luhn_complete("43674212345678901")
    assert spans(bank_card.detector, visa18) == []


def test_bank_card_leaves_id_numbers_and_uscc_to_their_detectors():
    for seq in range(1000):
        number = make_id("410105", date(1985, 6, 1), seq)
        if bank_card.luhn_ok(number) and number.isdigit():
            break
    assert spans(bank_card.detector, f"卡号 {number}") == []
    assert spans(id_card.detector, number) == [number]


# --- 电子邮箱 ----------------------------------------------------------------------------------------


def test_email_personal_and_official_addresses_are_warn_with_distinct_rules():
    text = "请发送至 zhangsan1990@qq.com 或 bgs@example.gov.cn，其他：info@example.com。"
    findings = email.detector.detect(text, CTX)
    assert [f.text for f in findings] == ["zhangsan1990@qq.com", "bgs@example.gov.cn", "info@example.com"]
    assert {f.severity for f in findings} == {Severity.WARN}
    assert "个人" in findings[0].rule
    assert "单位" in findings[1].rule
    assert findings[0].rule != findings[2].rule != findings[1].rule


def test_email_variants():
    assert spans(email.detector, "邮箱:li.si+work@mail.sub.163.com;") == ["li.si+work@mail.sub.163.com"]
    assert spans(email.detector, "邮箱：wang＠126.com") == ["wang＠126.com"]
    assert spans(email.detector, "12345678@qq.com") == ["12345678@qq.com"]


@pytest.mark.parametrize(
    "text", ["@qq.com", "user@", "user@localhost", "a@b.c", "微博@某某 发布", "x @ y.com"]
)
def test_email_negatives(text):
    assert spans(email.detector, text) == []


def test_email_is_fast_on_long_ascii_runs():
    text = ("a" * 200_000 + "@") * 5 + "ok@qq.com"
    assert spans(email.detector, text) == ["ok@qq.com"]


# --- 护照 / 通行证 ----------------------------------------------------------------------------------


def test_passport_strict_forms_need_no_context():
    assert spans(passport.detector, "张三 E12345678") == ["E12345678"]
    assert spans(passport.detector, "旧照 G12345678。") == ["G12345678"]


def test_passport_loose_forms_need_context():
    assert spans(passport.detector, "护照号码：EA1234567") == ["EA1234567"]
    assert spans(passport.detector, "型号 EA1234567") == []
    assert spans(passport.detector, "往来港澳通行证 C12345678") == ["C12345678"]
    assert spans(passport.detector, "产品批号 C12345678") == []
    assert spans(passport.detector, "回乡证号 H1234567801") == ["H1234567801"]
    assert spans(passport.detector, "证件号：CA1234567") == ["CA1234567"]


@pytest.mark.parametrize(
    "text", ["E123456789", "E1234567", "XE12345678", "E12345678X", "EI1234567 护照", "护照 e12345678"]
)
def test_passport_negatives(text):
    assert spans(passport.detector, text) == []


def test_passport_is_block():
    (finding,) = passport.detector.detect("E12345678", CTX)
    assert finding.severity == Severity.BLOCK


# --- 统一社会信用代码 --------------------------------------------------------------------------------


def test_uscc_valid_check_character_is_warn():
    code = uscc_complete("91110105MA01ABCDE")
    (finding,) = uscc.detector.detect(f"统一社会信用代码：{code}", CTX)
    assert finding.text == code
    assert finding.severity == Severity.WARN
    assert "统一社会信用代码" in finding.rule


def test_uscc_invalid_check_character_is_not_flagged():
    code = uscc_complete("91110105MA01ABCDE")
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    assert spans(uscc.detector, wrong) == []


def test_uscc_unknown_division_or_illegal_letters_are_not_flagged():
    assert spans(uscc.detector, uscc_complete("91999901MA01ABCDE")) == []
    assert spans(uscc.detector, uscc_complete("91110105MA01ABCDE").replace("A", "I", 1)) == []


def test_uscc_central_authority_code():
    code = uscc_complete("11100000000013127")
    assert spans(uscc.detector, code) == [code]


# --- precision and recall of the ID detector on mixed text -------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力鹏飞宇浩然欣怡子轩梓涵雨婷嘉诚志国海燕春梅"
)
VILLAGES = ["红星村", "新华社区", "团结村", "光明街道", "和平村", "幸福社区", "东风村", "前进村"]
PROGRAMS = ["低保", "临时救助", "产业补贴", "危房改造", "助学金", "高龄津贴"]

POSITIVE_TEMPLATES = [
    "{name}，身份证号：{id}，联系电话：{mobile}。",
    "序号{n} {name} {sex} {id} {village} {amount}元",
    "{n}.{name}（身份证号码{id}）",
    "公示名单：{name}，{id}；",
    "| {n} | {name} | {id} | {amount} |",
    "经审核，{name}（{id}）符合{program}条件，拟予以公示，公示期为2026年3月15日至3月21日。",
    "申请人：{name}  证件号码: {id}  住址：{village}{n}号",
    "{name}\t{sex}\t{id}\t{mobile}\t{amount}",
    "身份证 {id} 的{name}同志，于2026-03-15办理{program}。",
    "根据示政发〔2026〕{n}号文件，{name} 身份证号 {id} 补贴{amount}元。",
    "姓名:{name},身份证:{id},银行卡:{card}",
    "{village}第{n}组{name}，公民身份号码为{id}，家庭人口{n}人。",
]
DECOY_TEMPLATES = [
    "编号：{x}，{name}，{village}。",
    "序号{n} {name} {x} {amount}元",
    "订单号{x}已于2026-03-15发货。",
    "{name}（{x}）符合{program}条件。",
    "| {n} | {name} | {x} | {amount} |",
    "关于{program}的通知 {x}",
]

NOT_PROVINCES = [f"{p:02d}" for p in range(100) if f"{p:02d}" not in id_card.PROVINCE_CODES and p != 0]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _filler(rng: random.Random) -> dict[str, str]:
    return {
        "name": _name(rng),
        "sex": rng.choice("男女"),
        "village": rng.choice(VILLAGES),
        "program": rng.choice(PROGRAMS),
        "n": str(rng.randint(1, 300)),
        "amount": f"{rng.randint(100, 99999)}.{rng.randint(0, 99):02d}",
        "mobile": "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9)),
        "card": luhn_complete("62" + "".join(rng.choice("0123456789") for _ in range(16))),
    }


def _unknown_prefix(rng: random.Random, known: set[str]) -> str:
    while True:
        if rng.random() < 0.5:
            prefix = rng.choice(NOT_PROVINCES) + f"{rng.randint(0, 9999):04d}"
        else:  # a real province with an invented prefecture
            prefix = (
                rng.choice(sorted(id_card.PROVINCE_CODES)) + f"{rng.randint(95, 99)}{rng.randint(0, 99):02d}"
            )
        if prefix not in known and not any(code.startswith(prefix[:4]) for code in known):
            return prefix


def _decoy_number(rng: random.Random, codes: list[str], known: set[str]) -> str:
    code = rng.choice(codes)
    born = _date(rng, date(1930, 1, 1), date(2024, 12, 31))
    valid = make_id(code, born, rng.randint(0, 999))
    kind = rng.randrange(16)
    if kind == 0:
        return wrong_check(valid)
    if kind == 1:  # impossible calendar date, correct check character
        body = (
            code
            + rng.choice(["19990230", "20230229", "19850431", "19711131", "19600631", "19881301"])
            + "123"
        )
        return body + check_char(body)
    if kind == 2:  # future birth date
        body = code + f"{rng.randint(date.today().year + 1, 2099)}0101" + f"{rng.randint(0, 999):03d}"
        return body + check_char(body)
    if kind == 3:
        body = _unknown_prefix(rng, known) + f"{born:%Y%m%d}" + f"{rng.randint(0, 999):03d}"
        return body + check_char(body)
    if kind == 4:  # 19- or 20-digit runs containing a valid number
        return rng.choice(["", "8"]) + valid + rng.choice(["3", "45"])
    if kind == 5:  # 17 digits
        return valid[:17]
    if kind == 6:  # order numbers / timestamps
        return f"{born:%Y%m%d}" + "".join(rng.choice("0123456789") for _ in range(10))
    if kind == 7:
        return f"示政发〔{rng.randint(2000, 2026)}〕{rng.randint(1, 200)}号"
    if kind == 8:
        return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
    if kind == 9:
        return luhn_complete("62" + "".join(rng.choice("0123456789") for _ in range(16)))
    if kind == 10:
        return f"0{rng.randint(300, 999)}-{rng.randint(2000000, 8999999)}"
    if kind == 11:  # letters glued to a valid number: a product or serial code
        return rng.choice(["SN", "NO", "A"]) + valid
    if kind == 12:  # 15 digits with an impossible date
        return code + rng.choice(["490230", "851301", "770431", "000000"]) + f"{rng.randint(0, 999):03d}"
    if kind == 13:  # old 15-digit 营业执照注册号 / 税务登记号 that read like an ID number
        number = code + f"{born:%y%m%d}" + f"{rng.randint(0, 999):03d}"
        return rng.choice(["注册号：", "纳税人识别号 ", "税务登记号:"]) + number
    if kind == 14:
        return f"统一社会信用代码 91{code}MA{rng.randint(1000000, 9999999)}X"
    return str(rng.randint(10**17, 10**18 - 1))  # random 18-digit number


def test_id_card_precision_and_recall_on_mixed_text():
    rng = random.Random(20260315)
    known = data_file_codes()
    county_codes = sorted(c for c in known if c[4:] != "00" and c[:2] not in {"71", "81", "82", "83"})
    samples: list[tuple[str, list[tuple[int, int]]]] = []

    for _ in range(2000):
        code = rng.choice(county_codes)
        if rng.random() < 0.1:  # old 15-digit numbers
            born = _date(rng, date(1920, 1, 1), date(1999, 12, 31))
            number = f"{code}{born:%y%m%d}{rng.randint(0, 999):03d}"
        else:
            born = _date(rng, date(1920, 1, 1), date(2024, 12, 31))
            number = make_id(code, born, rng.randint(0, 999))
            if number.endswith("X") and rng.random() < 0.3:
                number = number[:-1] + "x"
        fields = _filler(rng)
        template = rng.choice(POSITIVE_TEMPLATES)
        before, after = template.split("{id}")
        prefix = before.format(**fields)
        samples.append((prefix + number + after.format(**fields), [(len(prefix), len(prefix) + len(number))]))

    for _ in range(2000):
        fields = _filler(rng)
        fields["x"] = _decoy_number(rng, county_codes, known)
        samples.append((rng.choice(DECOY_TEMPLATES).format(**fields), []))

    true_positive = false_positive = 0
    for text, expected in samples:
        found = {(f.start, f.end) for f in id_card.detector.detect(text, CTX)}
        true_positive += len(found & set(expected))
        false_positive += len(found - set(expected))
    planted = sum(len(expected) for _, expected in samples)
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / planted
    assert planted == 2000
    assert precision >= 0.99, (precision, false_positive)
    assert recall >= 0.99, (recall, planted - true_positive)


def test_all_detectors_keep_offsets_in_unicode_characters():
    text = "𠀀😀张三：11010519491231002X，13812345678，0991-1234567，a@qq.com，E12345678"
    for detector in (id_card.detector, mobile.detector, landline.detector, email.detector, passport.detector):
        (finding,) = detector.detect(text, CTX)
        assert isinstance(finding, Finding)
        assert text[finding.start : finding.end] == finding.text
