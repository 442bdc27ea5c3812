"""`govsite check_text`: check a text or an attachment from the command line (内容合规检查命令).

Never touches the database: the word lists are the shipped defaults plus `--wordlist`, so the command runs
on an editor's laptop or in CI with production settings and no database.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsite.checks import engine
from govsite.checks.contract import CheckContext, Finding, Severity
from govsite.checks.files import check_segments
from govsite.checks.lexicon import Lexicon, SensitiveWord
from govsite.core.filetext import (
    DEFAULT_MAX_BYTES,
    SUPPORTED,
    FileCheckError,
    TextSegment,
    decode_text,
    describe_location,
    extract,
)
from govsite.core.findings import finding_label, parse_compliance_severity, severity_label

USAGE_ERROR = 2  # exit status for bad usage; 1 means "findings", 0 "clean"


def usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


def read_wordlist(path: str) -> list[SensitiveWord]:
    """敏感词表 from a file: one `term[,category[,severity]]` per line; blank lines and `#` comments skipped.

    Full-width commas (，) work too; severity is block/warn (or 阻止发布/提示, and the older 阻断/警告), block
    when left out.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise usage_error(f"无法读取词表文件 {path}：{error.strerror or error}") from None
    try:
        text = decode_text(data)
    except FileCheckError as error:
        raise usage_error(f"词表文件 {path}：{error}") from None
    words: list[SensitiveWord] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = [part.strip() for part in line.replace("，", ",").split(",")]
        if len(fields) > 3:
            raise usage_error(f"词表 {path} 第 {number} 行：字段过多，格式应为“词[,类别[,严重程度]]”。")
        term, category, severity = (fields + ["", ""])[:3]
        if not term:
            raise usage_error(f"词表 {path} 第 {number} 行：缺少词语。")
        parsed = parse_compliance_severity(severity)
        if severity and parsed is None:
            raise usage_error(
                f"词表 {path} 第 {number} 行：严重程度“{severity}”无效，"
                f"应为 block（{severity_label(Severity.BLOCK)}）或 warn（{severity_label(Severity.WARN)}）。"
            )
        fields_given: dict[str, str] = {"category": category} if category else {}
        if parsed:
            fields_given["severity"] = parsed
        words.append(SensitiveWord(term=term, **fields_given))
    return words


class Command(BaseCommand):
    help = (
        "检查一段文本或一个附件中的个人信息、密级标志、敏感词、规范表述和错别字。"
        f"PATH 为 {SUPPORTED} 文件，“-”或省略时从标准输入读取 UTF-8 文本。"
        "退出状态：0 未发现问题，1 发现问题，2 用法错误（文件不存在或无法读取、词表有误等）。"
    )
    # A text check must work where there is no database; system checks would only slow it down.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", default="-", metavar="PATH",
            help=f"要检查的文件（{SUPPORTED}）；“-”或省略表示标准输入（UTF-8）。",
        )
        parser.add_argument(
            "--wordlist", metavar="FILE",
            help="追加敏感词表：每行“词[,类别[,严重程度]]”，严重程度为 block 或 warn（默认 block）；"
            "空行和 # 开头的行忽略。与内置词库合并使用。",
        )
        parser.add_argument(
            "--format", choices=("text", "json"), default="text",
            help="输出格式：text 为中文报告（默认）；json 为每个问题一行 JSON，"
            "含 kind、severity、start、end、text、rule、suggestion、location；"
            "start/end 按 Unicode 字符计，附件为所在片段内的位置。",
        )
        parser.add_argument(
            "--redact", action="store_true",
            help="遮盖个人信息（身份证号、手机、固话、银行卡、邮箱、护照），任何输出都不显示原文："
            "文本格式时标准输出为遮盖后的全文（附件逐个片段输出），检查报告改写到标准错误；"
            "JSON 格式时照常逐行输出问题，其中 text 为遮盖后的内容。退出状态不变。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        context = CheckContext(lexicon=self._lexicon(options["wordlist"]))
        path: str = options["path"]
        if path == "-":
            text = self._read_stdin()
            source = f"标准输入（{len(text)} 字）"
            segments = [TextSegment(text, {})]
            findings = [
                replace(finding, location=_line_and_column(text, finding.start))
                for finding in engine.check_text(text, context=context)
            ]
        else:
            try:
                segments = extract(path)
            except FileCheckError as error:
                raise usage_error(f"无法检查 {path}：{error}") from None
            source = f"{path}（{len(segments)} 个文本片段）"
            findings = check_segments(segments, context=context)

        redacted = _redacted_segments(segments, findings) if options["redact"] else None
        if redacted is not None:
            findings = [_masked(finding, redacted) for finding in findings]

        if options["format"] == "json":
            for finding in findings:
                self.stdout.write(json.dumps(finding.as_dict(), ensure_ascii=False))
        elif redacted is not None:
            for text in redacted:
                self.stdout.write(text, ending="" if path == "-" or text.endswith("\n") else "\n")
            self.stdout.flush()
            self.stderr.write(format_report(source, findings), style_func=_plain, ending="")
        else:
            self.stdout.write(format_report(source, findings), ending="")
        if findings:
            self.stdout.flush()
            sys.exit(1)

    def _lexicon(self, wordlist: str | None) -> Lexicon:
        from govsite.checks.defaults import default_lexicon

        lexicon = default_lexicon()
        if wordlist:
            lexicon = lexicon.merged(Lexicon(sensitive_words=read_wordlist(wordlist)))
        return lexicon

    def _read_stdin(self) -> str:
        data = sys.stdin.buffer.read(DEFAULT_MAX_BYTES + 1)
        if len(data) > DEFAULT_MAX_BYTES:
            raise usage_error(f"标准输入超过 {DEFAULT_MAX_BYTES // 1024 // 1024} MB，请改为检查文件或分段检查。")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise usage_error("标准输入不是 UTF-8 编码的文本；GBK 文本请保存为 .txt 文件后按文件检查。") from None


def _line_and_column(text: str, offset: int) -> dict[str, int]:
    line = text.count("\n", 0, offset) + 1
    return {"line": line, "column": offset - (text.rfind("\n", 0, offset) + 1) + 1}


def _segment_of(finding: Finding) -> int:
    return finding.location.get("segment", 0)  # stdin is one segment and its findings carry no index


def _redacted_segments(segments: list[TextSegment], findings: list[Finding]) -> list[str]:
    """Each segment with its personal data masked (same length, so finding offsets still fit)."""
    from govsite.checks.redact import redact_text

    by_segment: dict[int, list[Finding]] = {}
    for finding in findings:
        by_segment.setdefault(_segment_of(finding), []).append(finding)
    return [redact_text(segment.text, by_segment.get(index, [])) for index, segment in enumerate(segments)]


def _masked(finding: Finding, redacted: list[str]) -> Finding:
    return replace(finding, text=redacted[_segment_of(finding)][finding.start : finding.end])


def _plain(message: str) -> str:
    return message  # the report on stderr is not an error message: no red


def format_report(source: str, findings: list[Finding]) -> str:
    """The readable Chinese report (检查报告): 位置, 类型, 严重程度, 命中内容, 规则, 建议 for each finding."""
    lines = [f"检查对象：{source}"]
    if not findings:
        return "\n".join([*lines, "未发现问题。", ""])
    blocking = sum(1 for finding in findings if finding.severity == Severity.BLOCK)
    lines.append(f"发现 {len(findings)} 处问题：{severity_label(Severity.BLOCK)} {blocking} 处，"
                 f"{severity_label(Severity.WARN)} {len(findings) - blocking} 处。")
    for number, finding in enumerate(findings, start=1):
        where = describe_location(finding.location)
        scope = "片段内" if "segment" in finding.location else "全文"
        lines += [
            "",
            f"[{number}] 位置：{where}（{scope}第 {finding.start + 1}–{finding.end} 字）",
            f"    类型：{finding_label(finding.kind)}（{finding.kind}）",
            f"    严重程度：{severity_label(finding.severity)}",
            f"    命中内容：{finding.text}",
            f"    规则：{finding.rule}",
            f"    建议：{finding.suggestion or '—'}",
        ]
    return "\n".join([*lines, ""])
