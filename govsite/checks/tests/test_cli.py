"""`govsite check_text` (内容合规检查命令): reports, JSON lines, word lists, masking and exit status.

Exit status and the no-database promise are tested through a real process (Django's command runner
decides what the shell sees); the rest in-process through `call_command`, where pytest-django would
also refuse any database access.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from govsite.checks.management.commands.check_text import read_wordlist
from govsite.core.filetext import extract

from .fixtures_files import (
    ID_LI,
    ID_ZHANG,
    MOBILE_LI,
    MOBILE_ZHANG,
    make_docx,
    make_txt,
    make_xlsx,
    truncated,
)

pytestmark = pytest.mark.slow  # runs `govsite check-text` in a subprocess

COMMAND = "check_text"  # Django's name, for call_command
CLI_COMMAND = "check-text"  # as people type it: govsite check-text
PROJECT_DIR = Path(__file__).resolve().parents[3]
# Nothing listens here: a command that opened a database connection would fail.
NO_DATABASE = "postgres://nobody:nothing@127.0.0.1:9/no_such_database"
CLEAN_TEXT = "本站发布了今年的工作计划。"
JSON_KEYS = {"kind", "severity", "start", "end", "text", "rule", "suggestion", "location"}


def run(*args: str, stdin: bytes = b"", settings: str | None = "govsite.settings.test") -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": NO_DATABASE, "PYTHONIOENCODING": "utf-8"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if settings:
        env["DJANGO_SETTINGS_MODULE"] = settings
    return subprocess.run(
        [sys.executable, "-m", "govsite", CLI_COMMAND, *args],
        input=stdin, capture_output=True, cwd=PROJECT_DIR, env=env, timeout=120, check=False,
    )


def out(result: subprocess.CompletedProcess) -> str:
    return result.stdout.decode("utf-8")


def err(result: subprocess.CompletedProcess) -> str:
    return result.stderr.decode("utf-8")


def call(monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "") -> tuple[int, str, str]:
    """Run the command in-process: (exit status, stdout, stderr)."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command(COMMAND, *args, stdout=stdout, stderr=stderr)
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    except CommandError as error:
        status = error.returncode
        stderr.write(str(error))
    return status, stdout.getvalue(), stderr.getvalue()


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# -- exit status, through a real process -----------------------------------------------------------------


def test_clean_text_on_stdin_exits_0() -> None:
    result = run(stdin=CLEAN_TEXT.encode())

    assert result.returncode == 0, err(result)
    assert "未发现问题" in out(result)


def test_mobile_number_on_stdin_exits_1_with_a_chinese_report() -> None:
    result = run("-", stdin=f"请联系张老师，电话{MOBILE_ZHANG}。".encode())

    assert result.returncode == 1, err(result)
    report = out(result)
    for label in ("位置", "类型", "严重程度", "命中内容", "规则", "建议"):
        assert f"{label}：" in report
    assert "手机号码" in report and MOBILE_ZHANG in report
    assert "第 1 行第 10 字" in report


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("/nonexistent/notice.docx",), "找不到文件"),
        (("--format", "xml"), "invalid choice"),
        (("--wordlist", "/nonexistent/words.txt"), "无法读取词表文件"),
    ],
)
def test_bad_usage_exits_2(args: tuple[str, ...], message: str) -> None:
    result = run(*args, stdin=CLEAN_TEXT.encode())

    assert result.returncode == 2
    assert message in err(result)


def test_corrupt_attachment_and_bad_wordlist_exit_2_with_chinese_messages(tmp_path: Path) -> None:
    broken = truncated(make_docx(tmp_path, ["正文"] * 50))
    wordlist = tmp_path / "words.txt"
    wordlist.write_text("蓝色独角兽,测试,fatal\n", encoding="utf-8")

    corrupt = run(str(broken))
    bad_words = run("--wordlist", str(wordlist), stdin=CLEAN_TEXT.encode())

    assert corrupt.returncode == 2 and "已损坏" in err(corrupt)
    assert bad_words.returncode == 2 and "第 1 行" in err(bad_words) and "严重程度" in err(bad_words)


def test_redact_prints_masked_text_to_stdout_and_the_report_to_stderr() -> None:
    text = f"张三，身份证号{ID_ZHANG}，手机{MOBILE_ZHANG}。\n第二行。\n"

    result = run("--redact", stdin=text.encode())

    assert result.returncode == 1
    masked = out(result)
    assert len(masked) == len(text)
    assert ID_ZHANG not in masked and MOBILE_ZHANG not in masked
    assert masked.startswith("张三，身份证号" + ID_ZHANG[:6]) and masked.endswith("。\n第二行。\n")
    assert "命中内容" in err(result)
    assert ID_ZHANG not in err(result) and MOBILE_ZHANG not in err(result)


def test_production_settings_without_a_database(tmp_path: Path) -> None:
    """The command an editor runs on a laptop: no DJANGO_SETTINGS_MODULE (production), no database."""
    path = make_xlsx(tmp_path, {"公示名单": [["姓名", "身份证号"], ["张三", ID_ZHANG]]})
    env = {**os.environ, "DATABASE_URL": NO_DATABASE, "SECRET_KEY": "x" * 50, "PYTHONIOENCODING": "utf-8"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    console = Path(sys.executable).with_name("govsite")
    command = [str(console)] if console.exists() else [sys.executable, "-m", "govsite"]

    result = subprocess.run(
        [*command, COMMAND, str(path), "--format", "json"],
        capture_output=True, cwd=tmp_path, env=env, timeout=120, check=False,
    )

    assert result.returncode == 1, err(result)
    [finding] = [f for f in json_lines(out(result)) if f["kind"] == "id_card"]
    assert finding["location"]["cell"] == "B2"


# -- behaviour, in-process -------------------------------------------------------------------------------


def test_omitted_path_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    assert call(monkeypatch, stdin=CLEAN_TEXT)[0] == 0
    assert call(monkeypatch, stdin=f"电话{MOBILE_ZHANG}")[0] == 1


def test_json_lines_have_the_finding_schema_and_character_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    # Characters outside the BMP and multi-byte Chinese: offsets must count characters, not bytes.
    text = f"𠮷𠮷 通知：\n联系人李四，身份证{ID_LI}，电话 {MOBILE_LI}，邮箱 lisi@example.gov.cn。"

    status, stdout, _ = call(monkeypatch, "--format", "json", stdin=text)

    findings = json_lines(stdout)
    assert status == 1
    assert {"id_card", "mobile", "email"} <= {f["kind"] for f in findings}
    for finding in findings:
        assert JSON_KEYS <= finding.keys()
        assert text[finding["start"] : finding["end"]] == finding["text"]
        assert finding["severity"] in {"block", "warn"}
    id_card = next(f for f in findings if f["kind"] == "id_card")
    assert id_card["location"] == {"line": 2, "column": 10}


def test_json_for_an_attachment_counts_offsets_within_the_segment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = make_xlsx(
        tmp_path,
        {"公示名单": [["姓名", "身份证号", "联系电话"], ["张三", ID_ZHANG, MOBILE_ZHANG], ["李四", ID_LI, MOBILE_LI]]},
    )
    segments = extract(path)

    status, stdout, _ = call(monkeypatch, str(path), "--format", "json")

    findings = json_lines(stdout)
    assert status == 1
    assert {(f["kind"], f["location"]["cell"]) for f in findings} >= {
        ("id_card", "B2"), ("mobile", "C2"), ("id_card", "B3"), ("mobile", "C3"),
    }
    for finding in findings:
        segment = segments[finding["location"]["segment"]]
        assert segment.text[finding["start"] : finding["end"]] == finding["text"]
        assert finding["location"]["sheet"] == "公示名单"


def test_text_report_for_a_word_table_names_the_cell(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = make_docx(tmp_path, ["名单"], tables=[[["序号", "姓名", "电话"], ["1", "李四", MOBILE_LI]]])

    status, stdout, _ = call(monkeypatch, str(path))

    assert status == 1
    assert "第 1 个表格第 2 行第 3 列" in stdout and MOBILE_LI in stdout


def test_wordlist_adds_terms_that_are_then_found(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    wordlist = tmp_path / "words.txt"
    wordlist.write_text("# 本地补充词表\n\n蓝色独角兽,测试类别,warn\n紫色长颈鹿\n", encoding="utf-8")
    text = "公告提到蓝色独角兽和紫色长颈鹿。"

    assert call(monkeypatch, "--format", "json", stdin=text)[0] == 0
    status, stdout, _ = call(monkeypatch, "--wordlist", str(wordlist), "--format", "json", stdin=text)

    found = {f["text"]: f for f in json_lines(stdout) if f["kind"] == "sensitive_word"}
    assert status == 1
    assert set(found) == {"蓝色独角兽", "紫色长颈鹿"}
    assert found["蓝色独角兽"]["severity"] == "warn"
    assert found["紫色长颈鹿"]["severity"] == "block"
    assert text[found["紫色长颈鹿"]["start"] : found["紫色长颈鹿"]["end"]] == "紫色长颈鹿"


def test_wordlist_lines_parse_with_defaults_and_full_width_commas(tmp_path: Path) -> None:
    wordlist = tmp_path / "words.txt"
    wordlist.write_bytes("# 注释\n甲词\n乙词，赌博\n丙词, 政治 , 警告\n\n".encode("gbk"))

    words = read_wordlist(str(wordlist))

    assert [(w.term, w.category, w.severity) for w in words] == [
        ("甲词", "未分类", "block"), ("乙词", "赌博", "block"), ("丙词", "政治", "warn"),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [("词,类别,fatal", "严重程度“fatal”无效"), (",类别", "缺少词语"), ("a,b,warn,d", "字段过多")],
)
def test_wordlist_mistakes_name_the_line(tmp_path: Path, line: str, message: str) -> None:
    wordlist = tmp_path / "words.txt"
    wordlist.write_text(f"# 注释\n{line}\n", encoding="utf-8")

    with pytest.raises(CommandError, match=message) as raised:
        read_wordlist(str(wordlist))
    assert raised.value.returncode == 2
    assert "第 2 行" in str(raised.value)


def test_redact_with_json_masks_the_text_of_personal_data(monkeypatch: pytest.MonkeyPatch) -> None:
    text = f"身份证{ID_ZHANG}，电话{MOBILE_ZHANG}"

    status, stdout, _ = call(monkeypatch, "--redact", "--format", "json", stdin=text)

    findings = json_lines(stdout)
    assert status == 1 and findings
    assert ID_ZHANG not in stdout and MOBILE_ZHANG not in stdout
    for finding in findings:
        assert "*" in finding["text"]
        assert len(finding["text"]) == finding["end"] - finding["start"]


def test_redact_an_attachment_prints_each_segment_masked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = make_txt(tmp_path, ["报名名单", f"张三 {ID_ZHANG} {MOBILE_ZHANG}"], encoding="gbk")

    status, stdout, stderr = call(monkeypatch, str(path), "--redact")

    assert status == 1
    lines = stdout.splitlines()
    assert lines[0] == "报名名单"
    assert lines[1].startswith("张三 " + ID_ZHANG[:6]) and len(lines[1]) == len(f"张三 {ID_ZHANG} {MOBILE_ZHANG}")
    assert ID_ZHANG not in stdout + stderr and MOBILE_ZHANG not in stdout + stderr
    assert "第 2 行" in stderr


def test_stdin_that_is_not_utf8_is_bad_usage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("中文".encode("gbk")), encoding="utf-8"))

    with pytest.raises(CommandError, match="UTF-8") as raised:
        call_command(COMMAND, "-", stdout=io.StringIO(), stderr=io.StringIO())
    assert raised.value.returncode == 2
