"""The table models: the official grid, roles for findings and totals, qtmodeltester."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gui.document import ReportDocument
from gui.table_models import (CARRIED_IN_NOTE, CELL_ID_ROLE, COLOR_ERROR, COLOR_TOTAL,
                              COLOR_WARNING, T2Model, T3Model, T4Model, model_for)
from model.schema import CELLS, T3_CORNER, TABLES
from tests.gui.test_document import consistent_report

D = Qt.ItemDataRole


@pytest.fixture
def doc(qtbot) -> ReportDocument:
    return ReportDocument(consistent_report())


@pytest.mark.parametrize("table_id", ["t2", "t3", "t4"])
def test_models_pass_qtmodeltester(qtmodeltester, doc, table_id):
    model = model_for(doc, table_id)
    qtmodeltester.check(model)
    # and again after edits, a wrong total and a baseline
    doc.set_cell_text(TABLES[table_id].cell_ids[0], "7")
    doc.report.values[next(c for c in TABLES[table_id].cell_ids if CELLS[c].is_total)
                      if table_id != "t2" else "t2.fees.amount"] = 3
    doc.set_baseline(consistent_report())
    qtmodeltester.check(model)


@pytest.mark.parametrize("cls,table_id", [(T2Model, "t2"), (T3Model, "t3"), (T4Model, "t4")])
def test_every_value_slot_maps_to_its_cell(doc, cls, table_id):
    m = cls(doc)
    table = TABLES[table_id]
    for cid in table.cell_ids:
        idx = m.index_of(cid)
        assert idx.isValid()
        assert m.cell_id_at(idx) == cid
        assert idx.data(CELL_ID_ROLE) == cid
        editable = bool(m.flags(idx) & Qt.ItemFlag.ItemIsEditable)
        assert editable == (not CELLS[cid].is_total)
    # labels come from the schema grid, nothing else
    texts = {m.index(g.row, g.col).data(D.DisplayRole) for g in table.grid if g.cell_id is None}
    assert texts == {g.text for g in table.grid if g.cell_id is None}


def test_t3_header_is_part_of_the_model_with_spans(doc):
    m = T3Model(doc)
    assert m.index(0, 0).data(D.DisplayRole) == T3_CORNER
    assert (0, 0, 3, 3) in m.spans()
    assert not m.flags(m.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert m.rowCount() == TABLES["t3"].n_rows + 1      # the 勾稽 row under the table


def test_total_cell_is_bold_and_coloured_and_not_editable(doc):
    m = T3Model(doc)
    idx = m.index_of("t3.new.total")
    assert idx.data(D.FontRole).bold()
    assert idx.data(D.BackgroundRole).color() == COLOR_TOTAL
    assert not m.setData(idx, "5")
    assert doc.report.values["t3.new.total"] == 35


def test_typing_through_the_model_updates_the_total(doc, qtbot):
    m = T3Model(doc)
    total = m.index_of("t3.new.total")
    with qtbot.waitSignal(m.dataChanged):
        assert m.setData(m.index_of("t3.new.person"), "40")
    assert total.data(D.DisplayRole) == "45"


def test_refused_input_emits_message_and_stores_nothing(doc, qtbot):
    m = T3Model(doc)
    idx = m.index_of("t3.new.person")
    with qtbot.waitSignal(m.inputRefused) as sig:
        assert not m.setData(idx, "三十x")
    assert "不是数字" in sig.args[1]
    assert idx.data(D.DisplayRole) == "30"


def test_error_and_warning_colours_and_tooltips(doc):
    doc.report.values["t3.new.total"] = 30       # as an import would leave it
    doc.set_cell_text("t3.new.legal", "/")        # a blank: C3 warning (and totals recomputed)
    m = T3Model(doc)
    legal = m.index_of("t3.new.legal")
    assert legal.data(D.BackgroundRole).color() == COLOR_WARNING
    assert "C3" in legal.data(D.ToolTipRole)
    assert "原文：“/”" in legal.data(D.ToolTipRole)
    # a wrong total from an import
    doc.replace_report(consistent_report())
    doc.report.values["t3.new.total"] = 30
    doc.replace_report(doc.report)
    total = m.index_of("t3.new.total")
    assert total.data(D.BackgroundRole).color() == COLOR_ERROR
    assert "T3-1" in total.data(D.ToolTipRole)


def test_baseline_value_and_carried_in_mark(doc):
    last = consistent_report()
    last.values["t3.new.person"] = 11
    doc.set_baseline(last)
    m = T3Model(doc)
    assert "上年：11" in m.index_of("t3.new.person").data(D.ToolTipRole)
    carried = m.index_of("t3.carried_in.person")
    assert carried.data(D.FontRole).italic()
    assert CARRIED_IN_NOTE in carried.data(D.ToolTipRole)


def test_check_row_shows_balance_per_column(doc):
    m = T3Model(doc)
    row = m.check_row
    cols = TABLES["t3"].label_cols
    assert all(m.index(row, c).data(D.DisplayRole) == "✓" for c in range(cols, cols + 7))
    doc.set_cell_text("t3.new.research", "4")
    research = m.index(row, cols + 2)
    assert research.data(D.DisplayRole) == "✗ 差+4"
    assert "勾稽" in research.data(D.ToolTipRole)
    assert m.index(row, cols).data(D.DisplayRole) == "✓"       # 自然人 still balances
