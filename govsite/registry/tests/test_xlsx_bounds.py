"""The Excel import is bounded in rows, cells, text and memory: hostile files are refused, quickly and in
Chinese, before openpyxl reads them (a 5 KB file with one row at 100,000,000 ran for minutes; a 199 KB
file with one huge shared string took 1.9 GB).

The memory ceiling is real: each file is read in a child process whose address space is limited
(RLIMIT_AS), so a reader that blows up fails the test with MemoryError instead of passing slowly; the
child also reports how far its peak resident size grew.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from govsite.registry import xlsx
from govsite.registry.models import Website
from govsite.testing import build_mini_region

from . import hostile_xlsx as hostile
from . import supervisor_of

pytestmark = pytest.mark.slow  # reads hostile workbooks in child processes

# Room above the child's address space after start-up; the old reader needed ~2 GB for the huge string.
ADDRESS_SPACE_HEADROOM = 768 * 1024 * 1024
# How far the child's peak resident memory may grow while reading one file.
PEAK_GROWTH_LIMIT_MB = 120
# A runaway guard, not a timing assertion: the 100,000,000-row file kept the old reader busy for minutes.
CPU_SECONDS_CEILING = 120

CHILD = r"""
import json, os, resource, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings.test")
import django
django.setup()
from govsite.registry import xlsx

with open("/proc/self/status") as status:
    vm = next(int(line.split()[1]) for line in status if line.startswith("VmSize:")) * 1024
ceiling = vm + int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
resource.setrlimit(resource.RLIMIT_CPU, (int(sys.argv[2]), int(sys.argv[2])))


def peak_kb():
    # VmHWM, this address space's own peak: ru_maxrss would carry the pytest process's over the exec.
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


before = peak_kb()
for path in sys.argv[3:]:
    data = open(path, "rb").read()
    outcome = {"file": path, "message": "", "rows": 0}
    workbook = None
    try:
        workbook, sheet, last_row = xlsx._open_sheet(data)
        outcome["rows"] = sum(1 for _ in xlsx.read_sheet_rows(sheet, last_row))
    except xlsx.ImportFileError as exc:
        outcome["message"] = str(exc)
    finally:
        if workbook is not None:
            workbook.close()
    del data
    # The process's peak so far: each file is read in turn, so a file that blew up shows here (or died).
    outcome["growth_mb"] = (peak_kb() - before) / 1024
    print(json.dumps(outcome, ensure_ascii=False), flush=True)
"""


def read_in_child(files: dict[str, bytes], tmp_path: Path) -> dict[str, dict]:
    """Read each file in one child process under the ceilings; the outcome of each by its name."""
    paths = []
    for index, data in enumerate(files.values()):
        path = tmp_path / f"upload-{index}.xlsx"
        path.write_bytes(data)
        paths.append(str(path))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "govsite.settings.test"}
    env.pop("DATABASE_URL", None)  # the child reads files only; it never touches a database
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(ADDRESS_SPACE_HEADROOM), str(CPU_SECONDS_CEILING), *paths],
        capture_output=True, text=True, env=env, cwd=Path(__file__).resolve().parents[3],
    )
    assert done.returncode == 0, f"the reader died (memory or CPU ceiling?): {done.stderr[-2000:]}"
    outcomes = [json.loads(line) for line in done.stdout.strip().splitlines() if line.startswith("{")]
    return dict(zip(files, outcomes, strict=True))


HOSTILE = {
    "one row at 100,000,000": (hostile.far_row, "第 100000000 行有数据"),
    "one shared string of 200 million characters": (lambda: hostile.huge_shared_string(200_000_000), "解压后超过"),
    "one shared string of 20 million characters": (lambda: hostile.huge_shared_string(20_000_000), "个字符的单元格"),
    "one shared string of 5 million characters": (lambda: hostile.huge_shared_string(5_000_000), "个字符的单元格"),
    "a million shared strings": (lambda: hostile.many_shared_strings(1_000_000), "共享字符串超过"),
    "a styles part of 12 MB": (lambda: hostile.bloated_styles(200_000), "xl/styles.xml"),
    "entity expansion": (hostile.entity_expansion, "不是有效的 Excel"),
}


def test_hostile_files_are_refused_in_chinese_with_bounded_memory_and_real_files_still_read(tmp_path: Path) -> None:
    files = {name: build() for name, (build, _expected) in HOSTILE.items()}
    for name, data in files.items():
        assert len(data) < 250_000, name  # small on the wire: that is what makes them hostile
    # Last, so that its peak shows it too fits: 5,000 rows with every column filled come through.
    files["full-sized"] = hostile.full_sized(xlsx.max_rows(), tuple(c.header for c in xlsx.COLUMNS))
    outcomes = read_in_child(files, tmp_path)
    for name, (_build, expected) in HOSTILE.items():
        assert expected in outcomes[name]["message"], (name, outcomes[name])
        assert outcomes[name]["growth_mb"] < PEAK_GROWTH_LIMIT_MB, (name, outcomes[name])
    full = outcomes["full-sized"]
    assert (full["message"], full["rows"]) == ("", xlsx.max_rows() + 1)
    assert full["growth_mb"] < PEAK_GROWTH_LIMIT_MB


@pytest.mark.django_db
def test_the_import_answers_a_hostile_file_with_one_chinese_message_and_saves_nothing() -> None:
    region = build_mini_region(hosted=False)
    supervisor = supervisor_of(region.gov_a, "sup_a")
    before = Website.objects.count()
    result = xlsx.import_websites(hostile.far_row(), by=supervisor)
    assert result.errors == ["文件超出导入上限：第 100000000 行有数据，数据应在前 6005 行内。请使用导出的模板，或分批导入。"]
    result = xlsx.import_websites(hostile.huge_shared_string(200_000_000), by=supervisor)
    assert result.errors == ["文件超出导入上限：解压后超过 32 MB。请使用导出的模板，或分批导入。"]
    assert Website.objects.count() == before


@pytest.mark.django_db
def test_blank_rows_within_the_allowance_do_not_hide_data() -> None:
    """Rows up to the allowance are read, so a row that holds data is never silently dropped."""
    region = build_mini_region(hosted=False)
    supervisor = supervisor_of(region.gov_a, "sup_a")
    row = xlsx.max_row_number()
    result = xlsx.import_websites(hostile.far_row(row), by=supervisor)
    # The row names 甲市人民政府网 as it is registered: read and found unchanged.
    assert (result.errors, result.unchanged) == ([], 1)
