"""XLSX export: the official tables with merges and formulas, the flat 数据 sheet, 信息."""
from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

from model import schema
from model.render import render
from model.render.sample import sample_report
from model.render.xlsx import DATA_HEADER, DATA_SHEET, GRID_ROW0, INFO_SHEET, TABLE_SHEETS

from .test_render_txt import reports


def _book(r):
    return openpyxl.load_workbook(io.BytesIO(render(r, "xlsx")))


@pytest.fixture(scope="module")
def book():
    return _book(sample_report())


def test_sheets(book):
    assert book.sheetnames == [TABLE_SHEETS["t2"], TABLE_SHEETS["t3"], TABLE_SHEETS["t4"],
                               DATA_SHEET, INFO_SHEET]
    assert TABLE_SHEETS == {"t2": "二、主动公开", "t3": "三、依申请公开", "t4": "四、复议诉讼"}


@pytest.mark.parametrize("tid", ["t2", "t3", "t4"])
def test_table_sheets_merged_like_the_grid(book, tid):
    tdef = schema.TABLES[tid]
    ws = book[TABLE_SHEETS[tid]]
    merged = {(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges}
    want = {(g.row + GRID_ROW0, g.col + 1, g.row + g.rowspan - 1 + GRID_ROW0, g.col + g.colspan)
            for g in tdef.grid if g.rowspan > 1 or g.colspan > 1}
    want.add((1, 1, 1, tdef.n_cols))                  # the heading row
    assert merged == want
    assert ws.cell(1, 1).value == tdef.title
    for g in tdef.grid:
        if g.cell_id is None:
            assert ws.cell(g.row + GRID_ROW0, g.col + 1).value == g.text
    corner = ws.cell(GRID_ROW0, 1)
    assert corner.border.left.style == "thin"


def test_totals_are_formulas(book):
    ws = book[TABLE_SHEETS["t3"]]
    slot = schema.TABLES["t3"].slot("t3.new.total")
    assert ws.cell(slot.row + GRID_ROW0, slot.col + 1).value == "=SUM(D5:I5)"
    slot = schema.TABLES["t3"].slot("t3.results_total.person")
    assert ws.cell(slot.row + GRID_ROW0, slot.col + 1).value == "=SUM(D7:D27)"
    ws4 = book[TABLE_SHEETS["t4"]]
    assert ws4.cell(5, 5).value == "=SUM(A5:D5)"
    assert ws4.cell(5, 15).value == "=SUM(K5:N5)"
    # a plain value stays a number
    slot = schema.TABLES["t3"].slot("t3.new.person")
    assert ws.cell(slot.row + GRID_ROW0, slot.col + 1).value == 24


def test_inconsistent_total_is_kept_not_recomputed():
    r = sample_report()
    r.values["t3.new.total"] = 99
    ws = _book(r)[TABLE_SHEETS["t3"]]
    slot = schema.TABLES["t3"].slot("t3.new.total")
    assert ws.cell(slot.row + GRID_ROW0, slot.col + 1).value == 99


def test_flat_data_sheet(book):
    r = sample_report()
    ws = book[DATA_SHEET]
    assert tuple(c.value for c in ws[1]) == DATA_HEADER
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == list(schema.CELL_IDS)
    for cid, label, value in rows:
        assert label == schema.CELLS[cid].label
        want = r.values[cid]
        if isinstance(want, Decimal):
            assert Decimal(repr(value)) == want
        else:
            assert value == want and isinstance(value, int)


def test_blank_raw_and_formula_like_text_stay_text():
    r = sample_report()
    r.values["t2.penalty.decisions"] = None
    r.set("t2.coercion.decisions", None, raw="=1+1")
    r.agency = "=HYPERLINK(\"x\")局"
    book = _book(r)
    ws = book[DATA_SHEET]
    by_id = {row[0]: row[2] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert by_id["t2.penalty.decisions"] is None       # a draft prints 0 (test_render_layout)
    assert by_id["t2.coercion.decisions"] == "=1+1"
    assert ws.cell(schema.CELL_IDS.index("t2.coercion.decisions") + 2, 3).data_type == "s"
    info = book[INFO_SHEET]
    assert info.cell(2, 2).value == r.agency and info.cell(2, 2).data_type == "s"


def test_info_sheet(book):
    info = {row[0]: row[1] for row in book[INFO_SHEET].iter_rows(min_row=2, values_only=True)}
    assert info["机关名称"] == "东湖区商务局"
    assert info["报告年度"] == 2024
    assert info["机关类型"] == "部门"
    assert info["行政层级"] == "县级及以下"
    assert info["公开日期"] == "2025-01-20"
    assert info["报告格式"] == "2021"
    r = sample_report()
    for sid in schema.TEXT_SECTIONS:
        assert info[schema.SECTION_BY_ID[sid].heading] == r.sections[sid]


def _read_xlsx():
    mod = pytest.importorskip("model.importers.xlsx")
    return mod.read_xlsx


def _assert_round_trip(r, tmp_path):
    read_xlsx = _read_xlsx()
    p = tmp_path / "r.xlsx"
    p.write_bytes(render(r, "xlsx"))
    back = read_xlsx(p).report
    assert back.values == r.values
    assert back.sections == r.sections
    assert (back.agency, back.year, back.level, back.tier) == (r.agency, r.year, r.level, r.tier)


def test_round_trip_sample(tmp_path):
    r = sample_report()
    _assert_round_trip(r, tmp_path)
    back = _read_xlsx()(tmp_path / "r.xlsx").report
    assert back.publish_date == r.publish_date


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(reports())
def test_round_trip_random(tmp_path, r):
    _assert_round_trip(r, tmp_path)


# ---------------------------------------------------------------------------
# issue 11: cached totals, protection, validation, footer, draft
# ---------------------------------------------------------------------------

def _sheet_xml(data: bytes, index: int) -> str:
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")


def test_formulas_carry_cached_values():
    import re
    r = sample_report()
    data = render(r, "xlsx")
    # what a viewer that does not calculate shows
    cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    formulas = openpyxl.load_workbook(io.BytesIO(data))
    n = 0
    for tid in ("t3", "t4"):
        ws, wv = formulas[TABLE_SHEETS[tid]], cached[TABLE_SHEETS[tid]]
        for g in schema.TABLES[tid].grid:
            if g.cell_id and schema.CELLS[g.cell_id].is_total:
                coord = ws.cell(g.row + 2, g.col + 1)
                assert isinstance(coord.value, str) and coord.value.startswith("=SUM(")
                assert wv.cell(g.row + 2, g.col + 1).value == r.values[g.cell_id], g.cell_id
                n += 1
    assert n > 30
    assert not re.search(r"<f>[^<]*</f><v\s*/?>(</v>)?</c>", _sheet_xml(data, 2))


def test_labels_and_formulas_locked_figures_open_no_password():
    r = sample_report()
    book = openpyxl.load_workbook(io.BytesIO(render(r, "xlsx")))
    for tid in ("t2", "t3", "t4"):
        ws = book[TABLE_SHEETS[tid]]
        assert ws.protection.sheet and not ws.protection.password
        for g in schema.TABLES[tid].grid:
            cell = ws.cell(g.row + 2, g.col + 1)
            formula = isinstance(cell.value, str) and cell.value.startswith("=")
            if g.cell_id and not formula:
                assert not cell.protection.locked, g.cell_id
            else:
                assert cell.protection.locked, (g.text, g.cell_id)


def test_figures_have_data_validation():
    book = openpyxl.load_workbook(io.BytesIO(render(sample_report(), "xlsx")))
    ws = book[TABLE_SHEETS["t2"]]
    rules = ws.data_validations.dataValidation
    fee = schema.TABLES["t2"].slot("t2.fees.amount")
    fee_coord = ws.cell(fee.row + 2, fee.col + 1).coordinate
    by_cell = {}
    for dv in rules:
        for rng in dv.sqref.ranges:
            by_cell[rng.coord] = dv
    whole = by_cell[ws.cell(schema.TABLES["t2"].slot("t2.penalty.decisions").row + 2, 2).coordinate]
    assert whole.type == "whole" and whole.operator == "greaterThanOrEqual" and whole.formula1 == "0"
    assert by_cell[fee_coord].type == "custom" and "ROUND" in by_cell[fee_coord].formula1
    assert f"{fee_coord}>=0" in by_cell[fee_coord].formula1 and ",4)" in by_cell[fee_coord].formula1
    assert all(dv.showErrorMessage and dv.error for dv in rules)


def test_footer_page_numbers_and_draft_mark():
    book = openpyxl.load_workbook(io.BytesIO(render(sample_report(), "xlsx", draft=True)))
    for ws in book.worksheets:
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert ws.oddHeader.right.text == "草稿"
    assert book.properties.keywords == "草稿" and "草稿" in book.properties.title
    assert book.properties.contentStatus == "草稿"
    plain = openpyxl.load_workbook(io.BytesIO(render(sample_report(), "xlsx")))
    assert not plain.worksheets[0].oddHeader.right.text and plain.properties.keywords in (None, "")
