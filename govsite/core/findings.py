"""The indicator registry (指标与问题类型登记表), as data: every kind of finding the compliance engine
(`govsite.checks`) and the monitor (`govsite.monitoring`) report, with one code, one Chinese label, its
default severity, the national rule it comes from and the supervision indicator (检查指标) it counts toward.

The CLI, the 内容检查 page, the publish guard, the monitoring dashboard and exports and the coming scoring
engine all read their labels here; a code that is not here is a bug (core/tests/test_finding_registry.py).
Rule references point into docs' national-rules reference (§ and item numbers of national-rules.md).

Labels are plain strings marked for translation (`gettext_noop`), so the monitor's checks can read the table
without Django set up; `finding_label` and `severity_label` translate them when shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from django.utils.translation import gettext


def gettext_noop(message: str) -> str:
    """Marks a label for translation (makemessages finds it by this name) and returns it as it is: unlike
    Django's, this one needs no settings, so the table loads where Django is not set up (bench/monitor.py)."""
    return message


COMPLIANCE = "compliance"  # 内容合规检查 (govsite.checks): before publication
MONITOR = "monitor"  # 网站监测 (govsite.monitoring): the spot-check rules on a crawled site
INSPECTION = "inspection"  # 人工检查 (govsite.supervision): what an inspector finds and records by hand


# --- severities: one Chinese word each, everywhere --------------------------------------------------------

BLOCK = "block"
WARN = "warn"
VETO = "veto"
DEDUCTION = "deduction"
INFO = "info"


@dataclass(frozen=True)
class SeverityDef:
    """严重程度: a code, its one Chinese word, and which engines use it."""

    code: str
    label: str
    sources: frozenset[str]


SEVERITY_TABLE: tuple[SeverityDef, ...] = (
    SeverityDef(BLOCK, gettext_noop("阻止发布"), frozenset({COMPLIANCE})),
    SeverityDef(VETO, gettext_noop("单项否决"), frozenset({MONITOR, INSPECTION})),
    SeverityDef(DEDUCTION, gettext_noop("扣分"), frozenset({MONITOR, INSPECTION})),
    SeverityDef(WARN, gettext_noop("提示"), frozenset({COMPLIANCE, MONITOR})),
    SeverityDef(INFO, gettext_noop("信息"), frozenset({MONITOR})),
)
SEVERITIES: MappingProxyType[str, SeverityDef] = MappingProxyType({s.code: s for s in SEVERITY_TABLE})

# Words a person may type for a compliance severity (word-list files, the CLI): the codes, today's labels
# and the older words (阻断/警告 …) still accepted as input. Output always uses the labels above.
COMPLIANCE_SEVERITY_WORDS: MappingProxyType[str, str] = MappingProxyType({
    "block": BLOCK, "阻止发布": BLOCK, "阻止": BLOCK, "禁止": BLOCK, "阻断": BLOCK,
    "warn": WARN, "提示": WARN, "警告": WARN,
})


def parse_compliance_severity(word: str | None) -> str | None:
    """The compliance severity (block/warn) a typed word means, None when it means none."""
    return COMPLIANCE_SEVERITY_WORDS.get((word or "").strip().lower())


# --- supervision indicators (检查指标, 国办秘函〔2019〕19号, national-rules §2.2) -----------------------------

VETO_INDICATOR = "veto"  # 单项否决指标: any one ⇒ 不合格
DEDUCTION_INDICATOR = "deduction"  # 扣分指标: 100 points
BONUS_INDICATOR = "bonus"  # 加分指标: 30 points, portals only, counted above 80


@dataclass(frozen=True)
class Indicator:
    """A national spot-check indicator a finding counts toward; `parent` for the numbered sub-items."""

    code: str
    label: str
    kind: str  # VETO_INDICATOR, DEDUCTION_INDICATOR or BONUS_INDICATOR
    rule: str
    parent: str = ""


INDICATOR_TABLE: tuple[Indicator, ...] = (
    Indicator("veto.serious_incident", gettext_noop("安全、泄密事故等严重问题"), VETO_INDICATOR,
              "§2.2 单项否决 安全、泄密事故等严重问题"),
    Indicator("veto.serious_wording", gettext_noop("严重表述错误"), VETO_INDICATOR,
              "§2.2 单项否决 安全、泄密事故等严重问题 第1项", parent="veto.serious_incident"),
    Indicator("veto.state_secret", gettext_noop("泄露国家秘密"), VETO_INDICATOR,
              "§2.2 单项否决 安全、泄密事故等严重问题 第2项", parent="veto.serious_incident"),
    Indicator("veto.harmful_content", gettext_noop("发布或链接反动、暴力、色情内容"), VETO_INDICATOR,
              "§2.2 单项否决 安全、泄密事故等严重问题 第3项", parent="veto.serious_incident"),
    Indicator("veto.security_attack", gettext_noop("安全攻击（挂马、内容被篡改等）"), VETO_INDICATOR,
              "§2.2 单项否决 安全、泄密事故等严重问题 第4项", parent="veto.serious_incident"),
    Indicator("veto.falsification", gettext_noop("弄虚作假"), VETO_INDICATOR,
              "§2.2 单项否决 安全、泄密事故等严重问题 第5项", parent="veto.serious_incident"),
    Indicator("veto.unreachable", gettext_noop("站点无法访问"), VETO_INDICATOR, "§2.2 单项否决 站点无法访问; §9 item 10"),
    Indicator("veto.homepage_stale", gettext_noop("首页不更新"), VETO_INDICATOR,
              "§2.2 单项否决 首页不更新 (§2.1 网站不更新); §9 item 11"),
    Indicator("veto.columns_stale", gettext_noop("栏目不更新"), VETO_INDICATOR, "§2.2 单项否决 栏目不更新; §9 items 12–14"),
    Indicator("veto.poor_response", gettext_noop("互动回应差"), VETO_INDICATOR, "§2.2 单项否决 互动回应差; §9 items 17–18"),
    Indicator("veto.service_unusable", gettext_noop("服务不实用"), VETO_INDICATOR, "§2.2 单项否决 服务不实用; §9 item 23"),
    Indicator("deduction.availability", gettext_noop("网站可用性"), DEDUCTION_INDICATOR,
              "§2.1 扣分指标 网站可用性 (首页可用性、链接可用性); §9 item 16"),
    Indicator("deduction.daily_update", gettext_noop("日常更新"), DEDUCTION_INDICATOR, "§2.2 扣分指标 日常更新"),
    Indicator("deduction.basic_info", gettext_noop("概况信息"), DEDUCTION_INDICATOR, "§2.2 扣分指标 概况信息"),
    Indicator("deduction.data_release", gettext_noop("数据发布"), DEDUCTION_INDICATOR, "§2.2 扣分指标 数据发布"),
    Indicator("deduction.interaction", gettext_noop("互动交流"), DEDUCTION_INDICATOR, "§2.2 扣分指标 互动交流"),
    Indicator("deduction.function_design", gettext_noop("功能设计"), DEDUCTION_INDICATOR, "§2.2 扣分指标 功能设计"),
    Indicator("deduction.service", gettext_noop("办事服务"), DEDUCTION_INDICATOR,
              "§2.2 扣分指标 办事服务 (无对外服务职能的部门不查, ×4/3)"),
    Indicator("bonus.portal", gettext_noop("门户网站加分项"), BONUS_INDICATOR,
              "§2.2 加分指标 (政府门户网站, 30 分; 扣分指标得分 > 80 分时计入)"),
)
INDICATORS: MappingProxyType[str, Indicator] = MappingProxyType({i.code: i for i in INDICATOR_TABLE})


# --- finding kinds ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FindingKind:
    """One kind of finding: code, Chinese label, default severity per engine that reports it, the national
    rule it enforces and the supervision indicator it counts toward ("" when it counts toward none)."""

    code: str
    label: str
    severities: MappingProxyType[str, str]  # source (COMPLIANCE/MONITOR) → default severity
    rule: str
    indicator: str = ""

    @property
    def sources(self) -> frozenset[str]:
        return frozenset(self.severities)

    def severity(self, source: str) -> str:
        return self.severities[source]


def _kind(code: str, label: str, rule: str, indicator: str = "", **severities: str) -> FindingKind:
    return FindingKind(code, label, MappingProxyType(severities), rule, indicator)


FINDING_KIND_TABLE: tuple[FindingKind, ...] = (
    # Personal data (个人信息): compliance detectors. The monitor reports them together as personal_data.
    _kind("id_card", gettext_noop("居民身份证号"), "§1.2 不得泄露个人隐私; §9 item 42", "veto.serious_incident",
          compliance=BLOCK),
    _kind("mobile", gettext_noop("手机号码"), "§1.2 不得泄露个人隐私; §9 item 42", "veto.serious_incident",
          compliance=BLOCK),
    _kind("landline", gettext_noop("固定电话"), "§9 item 42 (机关电话是公开信息，仅提示)", compliance=WARN),
    _kind("bank_card", gettext_noop("银行卡号"), "§1.2 不得泄露个人隐私; §9 item 42", "veto.serious_incident",
          compliance=BLOCK),
    _kind("email", gettext_noop("电子邮箱"), "§9 item 42 (机关邮箱是公开信息，仅提示)", compliance=WARN),
    _kind("passport", gettext_noop("护照号码"), "§1.2 不得泄露个人隐私; §9 item 42", "veto.serious_incident",
          compliance=BLOCK),
    _kind("uscc", gettext_noop("统一社会信用代码"), "§9 item 42 (单位代码是公开信息，仅提示)", compliance=WARN),
    _kind("personal_data", gettext_noop("泄露个人信息"), "§1.2 不得泄露个人隐私; §2.2 安全、泄密事故等严重问题",
          "veto.serious_incident", monitor=VETO),
    # Words and markings: both engines.
    _kind("secret_marking", gettext_noop("密级标志"), "§1.2 严禁涉密信息上网; §2.2 单项否决 泄露国家秘密",
          "veto.state_secret", compliance=BLOCK, monitor=VETO),
    _kind("sensitive_word", gettext_noop("敏感词"), "§2.2 单项否决 发布或链接反动、暴力、色情内容; §9 item 21",
          "veto.harmful_content", compliance=BLOCK, monitor=VETO),
    _kind("protected_term", gettext_noop("规范表述错误"), "§2.1 严重错别字; §2.2 单项否决 严重表述错误; §9 item 21",
          "veto.serious_wording", compliance=BLOCK, monitor=VETO),
    _kind("typo", gettext_noop("错别字"), "§9 item 21 (错别字 detection)", compliance=WARN, monitor=WARN),
    # The compliance check of a page (发布前检查).
    _kind("document_unreadable", gettext_noop("附件无法检查"), "§9 item 21 (pre-publish checks cover attachments)",
          compliance=WARN),
    _kind("foreign_media", gettext_noop("其他网站的文件"), "§9 item 43 (集约化平台: 每个网站的资源与权限分开管理)",
          compliance=BLOCK),
    # Monitor: availability and freshness.
    _kind("unreachable", gettext_noop("网站无法访问"), "§2.2 单项否决 站点无法访问; §9 item 10", "veto.unreachable",
          monitor=VETO),
    _kind("availability", gettext_noop("可用性不达标"), "§2.2 单项否决 站点无法访问 (7 天内 ≥5%); §9 item 10",
          "veto.unreachable", monitor=VETO),
    _kind("homepage_stale", gettext_noop("首页长期不更新"), "§2.2 单项否决 首页不更新; §9 items 11, 15",
          "veto.homepage_stale", monitor=VETO),
    _kind("column_veto", gettext_noop("栏目不更新/空白栏目"), "§2.2 单项否决 栏目不更新 (1)–(3); §9 items 12–14",
          "veto.columns_stale", monitor=VETO),
    _kind("stale_column", gettext_noop("栏目更新不及时"), "§2.2 单项否决 栏目不更新 (1)(2); §9 items 12–13",
          "veto.columns_stale", monitor=DEDUCTION),
    _kind("blank_column", gettext_noop("空白栏目"), "§2.2 单项否决 栏目不更新 (3); §9 item 14", "veto.columns_stale",
          monitor=DEDUCTION),
    _kind("unreachable_column", gettext_noop("栏目无法访问"), "§2.1 扣分指标 链接可用性; §9 item 16",
          "deduction.availability", monitor=WARN),
    # Monitor: links and pages.
    _kind("broken_link", gettext_noop("链接不可用"), "§2.1 扣分指标 链接可用性; §9 item 16", "deduction.availability",
          monitor=DEDUCTION),
    _kind("soft_404", gettext_noop("错误页面（软404）"), "§2.1 扣分指标 链接可用性; §9 item 16", "deduction.availability",
          monitor=WARN),
    _kind("external_links_unchecked", gettext_noop("外部链接未检查"), "§9 item 16 (external links)", monitor=INFO),
    _kind("page_too_large", gettext_noop("页面过大"), "§1.11 网页设计规范 (页面加载时长不宜超过3秒, UNCONFIRMED)",
          monitor=WARN),
    _kind("missing_footer_item", gettext_noop("页脚信息缺失"), "§1.11 页脚; §9 item 6", "deduction.function_design",
          monitor=DEDUCTION),
    _kind("missing_meta_tag", gettext_noop("网页元数据缺失"), "§1.11 网页标签; §9 item 7", "deduction.function_design",
          monitor=WARN),
    _kind("certificate_expired", gettext_noop("HTTPS 证书已过期"), "§1.12 安全防护; §9 item 41 (TLS)", monitor=DEDUCTION),
    _kind("certificate_expiring", gettext_noop("HTTPS 证书即将过期"), "§1.12 安全防护; §9 item 41 (TLS)", monitor=WARN),
    # Monitor: tampering (网页被篡改, 暗链, 挂马).
    _kind("hidden_link", gettext_noop("暗链"), "§2.2 单项否决 安全攻击; §9 item 22", "veto.security_attack",
          monitor=VETO),
    _kind("tampered_link", gettext_noop("网页被篡改（链接）"), "§2.2 单项否决 安全攻击; §9 item 22", "veto.security_attack",
          monitor=VETO),
    _kind("injected_script", gettext_noop("网页被篡改（脚本）"), "§2.2 单项否决 安全攻击 (挂马); §9 item 22",
          "veto.security_attack", monitor=VETO),
    _kind("content_tampered", gettext_noop("网页被篡改（内容）"), "§2.2 单项否决 安全攻击; §9 item 22",
          "veto.security_attack", monitor=VETO),
    _kind("external_script", gettext_noop("引用外部脚本"), "§2.2 单项否决 安全攻击 (挂马 signal); §9 item 22",
          "veto.security_attack", monitor=WARN),
    # Monitor: interaction (互动回应).
    _kind("no_consultation_channel", gettext_noop("无有效咨询建言渠道"), "§2.2 单项否决 互动回应差 (1); §9 item 17",
          "veto.poor_response", monitor=VETO),
    _kind("unanswered_message", gettext_noop("留言超过3个月未答复"), "§2.2 单项否决 互动回应差 (2); §9 item 18",
          "veto.poor_response", monitor=VETO),
    # Monitor: what a run could not establish. Never a veto: a veto needs evidence (§9 item 35).
    # 人工检查: what inspectors record during a spot check (抽查), with their evidence.
    _kind("manual_serious_wording", gettext_noop("严重表述错误（人工检查）"), "§2.2 单项否决 严重表述错误",
          "veto.serious_wording", inspection=VETO),
    _kind("manual_false_content", gettext_noop("虚假或伪造内容"), "§2.1 严重错误; §2.2 单项否决 弄虚作假",
          "veto.falsification", inspection=VETO),
    _kind("manual_security_incident", gettext_noop("安全、泄密事故"), "§2.2 单项否决 安全、泄密事故等严重问题",
          "veto.serious_incident", inspection=VETO),
    _kind("manual_no_service", gettext_noop("未提供办事服务"), "§2.2 单项否决 服务不实用 (1)",
          "veto.service_unusable", inspection=VETO),
    _kind("manual_guide_elements", gettext_noop("办事指南要素缺失"), "§2.1 服务实用情况; §2.2 服务不实用 (2)",
          "deduction.service", inspection=DEDUCTION),
    _kind("manual_basic_info", gettext_noop("概况信息不准确"), "§2.2 扣分指标 概况信息", "deduction.basic_info",
          inspection=DEDUCTION),
    _kind("manual_daily_update", gettext_noop("日常更新不规范"), "§2.2 扣分指标 日常更新", "deduction.daily_update",
          inspection=DEDUCTION),
    _kind("manual_data_release", gettext_noop("数据发布不规范"), "§2.2 扣分指标 数据发布", "deduction.data_release",
          inspection=DEDUCTION),
    _kind("manual_interaction", gettext_noop("互动交流不规范"), "§2.2 扣分指标 互动交流", "deduction.interaction",
          inspection=DEDUCTION),
    _kind("manual_function_design", gettext_noop("功能设计不规范"), "§2.2 扣分指标 功能设计",
          "deduction.function_design", inspection=DEDUCTION),
    _kind("manual_availability", gettext_noop("访问异常（人工检查）"), "§2.1 扣分指标 网站可用性",
          "deduction.availability", inspection=DEDUCTION),
    _kind("cannot_judge", gettext_noop("无法判定"), "§9 item 35 (每项结论须有证据)", monitor=WARN),
    _kind("checks_timeout", gettext_noop("超时"), "§9 item 35 (每项结论须有证据)", monitor=WARN),
)
FINDING_KINDS: MappingProxyType[str, FindingKind] = MappingProxyType({k.code: k for k in FINDING_KIND_TABLE})


def finding_kinds(source: str) -> tuple[FindingKind, ...]:
    """The kinds one engine reports (COMPLIANCE or MONITOR), in table order."""
    return tuple(kind for kind in FINDING_KIND_TABLE if source in kind.severities)


def finding_label(code: str) -> str:
    """The Chinese label of a finding code, translated; an unknown code is shown as itself."""
    kind = FINDING_KINDS.get(code)
    return gettext(kind.label) if kind is not None else code


def severity_label(code: str) -> str:
    """The one Chinese word of a severity, translated; an unknown severity is shown as itself."""
    severity = SEVERITIES.get(code)
    return gettext(severity.label) if severity is not None else code


def indicator_of(code: str) -> Indicator | None:
    """The supervision indicator a finding code counts toward, if any."""
    kind = FINDING_KINDS.get(code)
    return INDICATORS.get(kind.indicator) if kind is not None and kind.indicator else None
