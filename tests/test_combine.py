"""Roll-up: several agencies' reports of one year summed cell by cell."""
from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest

from model import project, schema
from model.cli import main
from model.combine import BREAKDOWN_SHEET, CombineError, combine, write_breakdown
from model.example import build, build_2024
from model.findings import Severity
from model.report import Report


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(list(argv), out, err)
    except SystemExit as e:
        code = e.code
    return code, out.getvalue(), err.getvalue()


def variant(agency: str, k: int, fee: str) -> Report:
    """The example's 2025 report for another agency, every count × k (still consistent)."""
    r = build()
    r.agency = agency
    r.baseline = None
    for cid, v in r.values.items():
        if isinstance(v, int):
            r.values[cid] = v * k
    r.set(schema.FEE_ID, Decimal(fee))
    return r


@pytest.fixture
def three() -> list[Report]:
    return [variant("云溪区教育局", 1, "0.1"), variant("云溪区民政局", 2, "0.2"),
            variant("云溪区财政局", 3, "1.2345")]


def test_sum_equals_the_cell_wise_sum(three):
    res = combine(three, agency="云溪区人民政府")
    total = res.report
    for cid in schema.CELL_IDS:
        assert total.values[cid] == sum(r.values[cid] for r in three), cid
    assert total.values["t3.new.total"] == 50 * 6
    assert total.values[schema.FEE_ID] == Decimal("1.5345")       # exact, no float drift
    assert total.agency == "云溪区人民政府" and total.year == 2025
    assert res.agencies == ["云溪区教育局", "云溪区民政局", "云溪区财政局"]
    assert res.breakdown[1]["t3.new.total"] == 100
    assert not res.blanks and not res.notes


def test_rules_run_on_the_sum(three):
    res = combine(three, agency="云溪区人民政府")
    assert not [f for f in res.findings if f.rule.startswith(("T3-", "T4-", "C"))]
    assert any(f.rule in ("S5", "S6", "S4") for f in res.findings)       # the sum has no text yet
    three[0].set("t3.results_total.person", 999)                          # a wrong input total
    res = combine(three, agency="云溪区人民政府")
    assert any(f.rule == "T3-2" and f.severity is Severity.ERROR for f in res.findings)


def test_blank_counts_as_zero_and_is_noted(three):
    three[1].set("t2.penalty.decisions", None, raw="/")
    res = combine(three, names=["a.docx", "b.html", "c.txt"])
    assert res.report.values["t2.penalty.decisions"] == 236 + 236 * 3
    assert len(res.blanks) == 1 and res.blanks[0].source == "b.html" and res.blanks[0].raw == "/"
    assert "按 0 计" in res.blanks[0].message and "行政处罚" in res.blanks[0].message
    assert any("1 个单元格" in n for n in res.notes)


def test_refuses_a_mixed_year_and_names_the_files(three):
    three[2] = build_2024()
    with pytest.raises(CombineError) as e:
        combine(three, names=["jy.nianbao", "mz.docx", "cz.html"])
    msg = str(e.value)
    assert "年度不一致" in msg and "jy.nianbao、mz.docx 是 2025 年" in msg and "cz.html 是 2024 年" in msg


def test_refuses_mixed_formats_and_unknown_years(three):
    three[0].format = schema.FORMAT_2019
    with pytest.raises(CombineError, match="2019 年格式"):
        combine(three, names=["a", "b", "c"])
    three[0].format = schema.FORMAT_2021
    three[1].year = None
    with pytest.raises(CombineError, match="年度未知"):
        combine(three, names=["a", "b", "c"])
    with pytest.raises(CombineError, match="没有选择"):
        combine([])


def test_same_agency_twice_is_noted(three):
    three[2].agency = "云溪区 教育局"
    res = combine(three)
    assert any("同一机关" in n for n in res.notes)


def test_breakdown_workbook_is_agency_by_cell(three, tmp_path):
    from openpyxl import load_workbook
    res = combine(three, agency="云溪区人民政府")
    p = tmp_path / "明细.xlsx"
    write_breakdown(res, p)
    ws = load_workbook(p)[BREAKDOWN_SHEET]
    head = [c.value for c in ws[1]]
    assert head == ["单元格编号", "表格", "栏目", "列",
                    "云溪区教育局", "云溪区民政局", "云溪区财政局", "合计"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 200
    new = rows["t3.new.total"]
    assert new[2] == schema.T3_ROW_BY_ID["new"].label and new[3] == "总计"
    assert new[4:] == (50, 100, 150, 300)


def test_cli_combine(three, tmp_path):
    files = []
    for i, r in enumerate(three):
        p = tmp_path / f"d{i}.nianbao"
        project.save(r, p)
        files.append(str(p))
    out_file, bd = tmp_path / "sum.nianbao", tmp_path / "bd.xlsx"
    code, out, err = run("combine", *files, "-o", str(out_file), "--agency", "云溪区人民政府",
                         "--breakdown", str(bd))
    assert code == 0, err
    total = project.load(out_file)
    assert total.agency == "云溪区人民政府" and total.values["t3.new.total"] == 300
    assert bd.is_file() and "汇总 3 份报告" in out
    code, out, _ = run("combine", *files, "-o", str(out_file), "--json")
    assert json.loads(out)["cells"]["t3.new.total"] == 300


def test_cli_combine_refuses_mixed_year(three, tmp_path):
    a, b = tmp_path / "a.nianbao", tmp_path / "b.nianbao"
    project.save(three[0], a)
    project.save(build_2024(), b)
    out_file = tmp_path / "sum.nianbao"
    code, _, err = run("combine", str(a), str(b), "-o", str(out_file))
    assert code == 2 and "a.nianbao 是 2025 年" in err and "b.nianbao 是 2024 年" in err
    assert not out_file.exists()
    code, _, err = run("combine", str(a), str(tmp_path / "missing.txt"), "-o", str(out_file))
    assert code == 2 and "missing.txt" in err and not out_file.exists()
