"""XLSX: Nianbao's own export, sheets laid out like the official tables, uncached formulas."""
from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from model import schema
from model.errors import ReadError
from model.importers import read_xlsx, read_xlsx_blocks
from model.importers.blocks import Paragraph
from model.importers.xlsx import _Book, cell_str

FIX = Path(__file__).resolve().parent / "fixtures" / "import"
EXPECTED = json.loads((FIX / "expected_2021.json").read_text(encoding="utf-8"))


def _want(cid: str):
    v = EXPECTED["values"][cid]
    return Decimal(v) if isinstance(v, str) else v


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---- sheets laid out like the tables ---------------------------------------------------

def test_merged_header_cells_are_expanded_and_headings_split_tables():
    blocks = read_xlsx_blocks(FIX / "table_layout.xlsx")
    kinds = [(type(b).__name__, b.text if isinstance(b, Paragraph) else len(b.rows)) for b in blocks]
    assert kinds == [("Paragraph", "二、主动公开政府信息情况"), ("Table", 14),
                     ("Paragraph", "三、收到和处理政府信息公开申请情况"), ("Table", 28),
                     ("Paragraph", "四、政府信息公开行政复议、行政诉讼情况"), ("Table", 4)]
    t3 = blocks[3]
    assert t3.rows[0] == [schema.T3_CORNER] * 3 + [schema.T3_APPLICANTS] * 7
    assert [r[0] for r in t3.rows[5:27]] == [schema.T3_RESULTS_GROUP] * 22


def test_uncached_formulas_are_recomputed_not_read_as_blank():
    blocks = read_xlsx_blocks(FIX / "table_layout.xlsx")
    t3, t4 = blocks[3], blocks[5]
    new = next(r for r in t3.rows if r[0] == schema.T3_ROWS[0].label)
    assert new[9] == str(EXPECTED["values"]["t3.new.total"])           # =SUM(D6:I6)
    total = next(r for r in t3.rows if r[1] == "（七）总计")
    assert total[3:] == [str(EXPECTED["values"][f"t3.results_total.{c}"])
                         for c, _ in schema.T3_COLUMNS]                   # =D8+D9+… and SUM
    assert t4.rows[3][4] == str(EXPECTED["values"]["t4.review.total"])


def test_layout_workbook_end_to_end():
    result = read_xlsx(FIX / "table_layout.xlsx")
    r = result.report
    assert result.source_format == "xlsx"
    for cid in schema.CELL_IDS:
        if cid == "t2.licensing.decisions":
            continue
        assert r.values[cid] == _want(cid), cid
    # the VLOOKUP into another workbook cannot be recomputed: never a silent blank or 0
    assert r.values["t2.licensing.decisions"] is None
    unplaced = [n for n in result.notes if n.kind == "unplaced"]
    assert any("B9" in n.message and "VLOOKUP" in n.message for n in unplaced)
    assert any("重新计算" in n.message for n in result.notes if n.kind == "info")


def _book_with(cells: dict[str, object], sheet2: dict[str, object] | None = None) -> _Book:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    for k, v in cells.items():
        ws[k] = v
    if sheet2:
        ws2 = wb.create_sheet("其他 表")
        for k, v in sheet2.items():
            ws2[k] = v
    return _Book(_save(wb))


@pytest.mark.parametrize("formula,expected", [
    ("=SUM(A1:B2)", "10"), ("=A1+B2-A2", "2"), ("=A1*(B1+1)", "3"), ("=B2/2", "2"), ("=A1/4", "0.25"),
    ("=SUM(A1:A2,B1)+1", "7"), ("=-A1+$B$2", "3"), ("=SUM(A1:C2)", "10"),
    ("='其他 表'!A1*2", "14"), ("=SUM(D1:D3)", "5"),
])
def test_formula_evaluator(formula, expected):
    book = _book_with({"A1": 1, "B1": 2, "A2": 3, "B2": 4, "C1": "文字", "D1": 2, "D2": None,
                       "D3": "3", "E1": formula}, {"A1": 7})
    assert cell_str(book.value("表", 1, 5)) == expected


@pytest.mark.parametrize("formula", ["=VLOOKUP(A1,B:C,2,0)", "=A1/0", "=E2", "=A1+C1",
                                     "=IF(A1>0,1,0)", "='不存在'!A1"])
def test_formulas_that_cannot_be_recomputed_stay_visible(formula):
    book = _book_with({"A1": 1, "C1": "文字", "E1": formula, "E2": "=E1+1"})
    v = book.value("表", 1, 5)
    assert cell_str(v) == formula                                    # the text, not "" or 0
    assert type(v).__name__ == "_Unresolved"


def test_workbook_without_tables_is_refused():
    wb = openpyxl.Workbook()
    wb.active["A1"] = "备忘"
    with pytest.raises(ReadError, match="没有找到任何"):
        read_xlsx(_save(wb))


# ---- Nianbao's own export ------------------------------------------------------------

def _native(values: dict[str, object], info: list[tuple[str, object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["单元格编号", "项目", "数值"])
    for cid in schema.CELL_IDS:
        ws.append([cid, schema.CELLS[cid].label, values.get(cid)])
    wi = wb.create_sheet("信息")
    wi.append(["项目", "内容"])
    for row in info:
        wi.append(list(row))
    return _save(wb)


def test_native_export_read_cell_by_cell():
    values = {cid: (float(v) if isinstance(v, str) else v) for cid, v in EXPECTED["values"].items()}
    values["t3.denied.law.person"] = "/"                 # kept as typed
    # 数据 rows follow CELL_IDS from row 2: C5 is t2.normative.issued (3)
    values["t2.normative.in_force"] = "=C5*4"            # uncached, recomputable: 12
    values["t3.new.total"] = "=VLOOKUP(1,A:B,2,0)"      # uncached, not recomputable
    long_text = "甲" * 40000
    data = _native(values, [
        ("机关名称", "北山县自然资源局"), ("报告年度", 2023), ("机关类型", "部门"),
        ("行政层级", "县级及以下"), ("公开日期", "2024-01-25"), ("报告格式", "2021"),
        ("标题", "北山县自然资源局2023年政府信息公开工作年度报告"),
        ("一、总体情况", long_text[:32000]), ("一、总体情况", long_text[32000:]),
        ("五、存在的主要问题及改进情况", "问题与措施。"),
        ("六、其他需要报告的事项", "本年度未收取信息处理费。"),
    ])
    result = read_xlsx(data)
    r = result.report
    assert (r.agency, r.year, r.tier) == ("北山县自然资源局", 2023, schema.Tier.COUNTY)
    assert r.publish_date.isoformat() == "2024-01-25"
    assert r.sections["overview"] == long_text
    assert r.sections["other"] == "本年度未收取信息处理费。"
    assert r.values["t3.denied.law.person"] is None and r.raw["t3.denied.law.person"] == "/"
    assert r.values["t2.normative.in_force"] == 12
    assert r.values["t3.new.total"] is None and r.raw["t3.new.total"] == "=VLOOKUP(1,A:B,2,0)"
    assert any(n.kind == "unplaced" and "t3.new.total" in n.cells for n in result.notes)
    assert r.values["t2.fees.amount"] == Decimal("0.125")
    for cid in schema.CELL_IDS:
        if cid not in ("t3.denied.law.person", "t3.new.total"):
            assert r.values[cid] == _want(cid), cid


def test_native_export_missing_cells_and_info():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["单元格编号", "项目", "数值"])
    ws.append(["t3.new.person", "x", 3])
    ws.append(["t9.bogus", "x", 1])
    result = read_xlsx(_save(wb))
    kinds = {n.kind for n in result.notes}
    assert {"missing", "unplaced", "meta"} <= kinds
    assert result.report.values["t3.new.person"] == 3


def test_nianbao_xlsx_round_trip_gives_identical_cells():
    pytest.importorskip("model.render.sample")
    from model.render import render
    from model.render.sample import sample_report

    report = sample_report()
    report.set("t3.denied.law.business", None, "/")
    result = read_xlsx(render(report, "xlsx"))
    back = result.report
    assert back.values == report.values
    assert back.raw == report.raw
    assert (back.agency, back.year, back.level, back.tier, back.format) == \
        (report.agency, report.year, report.level, report.tier, report.format)
    assert back.sections == report.sections


def test_writer_and_reader_share_one_layout():
    """model.xlsx_layout is the one description of the project's workbook: the writer's
    sheets and labels are what the reader looks for."""
    import io

    from openpyxl import load_workbook

    from model import xlsx_layout as lay
    from model.example import build
    from model.render import render
    wb = load_workbook(io.BytesIO(render(build(), "xlsx")))
    assert lay.DATA_SHEET in wb.sheetnames and lay.INFO_SHEET in wb.sheetnames
    assert tuple(c.value for c in wb[lay.DATA_SHEET][1][:3]) == lay.DATA_HEADER
    written = {r[0].value for r in wb[lay.INFO_SHEET].iter_rows(min_row=2)}
    assert {lay.meta_label(k) for k in lay.META_LABELS} <= written
