"""Builds the binary Office fixtures of test_files.py (.doc, .wps, .xls, .et, .rtf) from text written here.

    .venv/bin/python -m govsite.checks.tests.files.build      (needs LibreOffice: soffice)

The .docx/.xlsx sources are written with python-docx/openpyxl and converted by LibreOffice headless; the
results are committed so the tests need no LibreOffice. .wps and .et are the .doc and .xls files under WPS
Office's names (WPS writes those formats under them).
"""

from __future__ import annotations

import datetime
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


ID_WANG = id_number("65010219800101123")
MOBILE_WANG = "13899112345"
UNIT_MOBILE = "13909910001"


def write_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("关于公布2025年度临时救助对象的通知")
    document.add_paragraph("")
    document.add_paragraph(f"经审核，王建国（身份证号：{ID_WANG}）符合条件。")
    rows = [["序号", "姓名", "联系电话", "备注"], ["1", "王建国", MOBILE_WANG, ""], ["2", "李秀英", "", "多段\n第二段"]]
    table = document.add_table(rows=3, cols=4)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph(f"咨询电话：{UNIT_MOBILE}（民政局）")
    document.sections[0].header.paragraphs[0].text = "机密★1年"
    document.save(path)


def write_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "岗位表"
    sheet.append(["2025年事业单位招聘岗位表"])
    sheet.append(["岗位代码", "招聘单位", "人数", "咨询电话", "报名截止"])
    sheet.append(["250101", "天山区人民医院", 2, int(UNIT_MOBILE), datetime.datetime(2025, 3, 15)])
    sheet.append(["250102", "天山区人民医院", 1, int(UNIT_MOBILE), datetime.datetime(2025, 3, 15)])
    hidden = workbook.create_sheet("原始名单")
    hidden.append(["姓名", "身份证号", "手机号"])
    hidden.append(["王建国", ID_WANG, MOBILE_WANG])
    hidden.sheet_state = "hidden"
    workbook.save(path)


def build() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        write_docx(work / "sample.docx")
        write_xlsx(work / "sample.xlsx")
        for target, source in (("doc:MS Word 97", "sample.docx"), ("rtf:Rich Text Format", "sample.docx"),
                               ("xls:MS Excel 97", "sample.xlsx")):
            subprocess.run(["soffice", "--headless", "--convert-to", target, "--outdir", str(work), str(work / source)],
                           check=True, capture_output=True, timeout=300)
        for name in ("sample.doc", "sample.rtf", "sample.xls"):
            shutil.copyfile(work / name, HERE / name)
    shutil.copyfile(HERE / "sample.doc", HERE / "sample.wps")
    shutil.copyfile(HERE / "sample.xls", HERE / "sample.et")
    print("written:", ", ".join(sorted(p.name for p in HERE.iterdir() if p.name.startswith("sample."))))


if __name__ == "__main__":
    build()
