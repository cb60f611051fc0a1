"""The table views: spans like the official table, typing, Enter/Tab, paste and copy."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit

from gui.document import ReportDocument
from gui.table_view import (ReportTableView, TablePage, format_clipboard_table,
                            parse_clipboard_table)
from model.schema import TABLES
from tests.gui.test_document import consistent_report

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def page(qtbot):
    doc = ReportDocument(consistent_report())
    p = TablePage(doc, "t3")
    qtbot.addWidget(p)
    p.resize(1300, 900)
    p.show()
    qtbot.waitExposed(p)
    return p


def type_into(qtbot, view: ReportTableView, text: str) -> None:
    """Type ``text`` into the current cell, then Enter (commits and moves down)."""
    for ch in text:
        editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
        target = editors[0] if editors else view
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))
    editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "typing should open the cell editor"
    qtbot.keyClick(editors[0], Qt.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)


def test_parse_clipboard_quoted_cells():
    text = '1\t2\t"3\n4"\r\n5\t\t"a""b"\r\n'
    assert parse_clipboard_table(text) == [["1", "2", "3\n4"], ["5", "", 'a"b']]
    assert parse_clipboard_table(format_clipboard_table([["x\ty", "1"]])) == [["x\ty", "1"]]
    assert parse_clipboard_table("") == []


def test_spans_follow_the_schema_grid(page):
    v = page.view
    for g in TABLES["t3"].grid:
        assert (v.rowSpan(g.row, g.col), v.columnSpan(g.row, g.col)) == (g.rowspan, g.colspan)
    assert v.horizontalHeader().isHidden() and v.verticalHeader().isHidden()
    # every row is at least as high as its wrapped label needs
    assert all(v.rowHeight(r) >= v.fontMetrics().height() for r in range(v.model().rowCount()))


def test_typing_updates_total_and_moves_down(qtbot, page):
    v, m, doc = page.view, page.model, page.doc
    v.setCurrentIndex(m.index_of("t3.new.research"))
    type_into(qtbot, v, "１２")
    assert doc.report.values["t3.new.research"] == 12
    assert m.index_of("t3.new.total").data() == "47"
    # Enter moved down to the next row of the same column
    assert m.cell_id_at(v.currentIndex()) == "t3.carried_in.research"
    qtbot.keyClick(v, Qt.Key_Tab)
    assert m.cell_id_at(v.currentIndex()) == "t3.carried_in.nonprofit"


def test_letter_is_refused_with_a_message(qtbot, page):
    v, m, doc = page.view, page.model, page.doc
    v.setCurrentIndex(m.index_of("t3.new.person"))
    with qtbot.waitSignal(v.message) as sig:
        type_into(qtbot, v, "a1")
    assert "不是数字" in sig.args[0]
    assert v.last_message == sig.args[0]
    assert doc.report.values["t3.new.person"] == 30
    assert doc.undo_stack.count() == 0
    assert m.cell_id_at(v.currentIndex()) == "t3.new.person"     # stays on the cell


def test_navigation_skips_totals_and_labels(page):
    v, m = page.view, page.model
    idx = m.index_of("t3.new.other_org")
    assert m.cell_id_at(v.next_editable(idx, "right")) == "t3.carried_in.person"
    down = v.next_editable(m.index_of("t3.other.other.person"), "down")
    assert m.cell_id_at(down) == "t3.carried_out.person"       # （七）总计 skipped


def test_paste_3x4_block_is_one_undo_step(qtbot, page):
    v, m, doc = page.view, page.model, page.doc
    before = doc.report.copy()
    v.setCurrentIndex(m.index_of("t3.denied.secret.business"))
    QGuiApplication.clipboard().setText("1\t2\t3\t4\n5\t6\t7\t8\n9\t10\t11\t12\n")
    qtbot.keySequence(v, QKeySequence.Paste)
    got = {cid: doc.report.values[cid] for cid in (
        "t3.denied.secret.business", "t3.denied.secret.research", "t3.denied.secret.nonprofit",
        "t3.denied.secret.legal", "t3.denied.law.business", "t3.denied.law.legal",
        "t3.denied.security.business", "t3.denied.security.legal")}
    assert got == {"t3.denied.secret.business": 1, "t3.denied.secret.research": 2,
                   "t3.denied.secret.nonprofit": 3, "t3.denied.secret.legal": 4,
                   "t3.denied.law.business": 5, "t3.denied.law.legal": 8,
                   "t3.denied.security.business": 9, "t3.denied.security.legal": 12}
    assert doc.report.values["t3.denied.secret.total"] == 10
    assert doc.report.values["t3.results_total.business"] == 5 + 1 + 5 + 9
    assert doc.undo_stack.count() == 1
    assert any(f.rule == "T3-3" for f in doc.findings)
    doc.undo_stack.undo()
    assert doc.report.values == before.values
    assert not any(f.rule == "T3-3" for f in doc.findings)


def test_paste_skips_totals_and_reports_bad_entries(qtbot, page):
    v, m, doc = page.view, page.model, page.doc
    v.setCurrentIndex(m.index_of("t3.new.legal"))
    # legal, other_org, [total: skipped]; then a bad entry on the next row
    errors = v.paste_text('2\t3\t999\nx\t"4"\n')
    assert doc.report.values["t3.new.legal"] == 2
    assert doc.report.values["t3.new.other_org"] == 3
    assert doc.report.values["t3.new.total"] == 40
    assert doc.report.values["t3.carried_in.other_org"] == 4
    assert doc.report.values["t3.carried_in.legal"] == 0
    assert len(errors) == 1 and "不是数字" in errors[0]
    assert "未粘贴" in v.last_message
    assert doc.undo_stack.count() == 1


def test_copy_block_out(page):
    v, m = page.view, page.model
    sm = v.selectionModel()
    a, b = m.index_of("t3.new.person"), m.index_of("t3.carried_in.research")
    from PySide6.QtCore import QItemSelection, QItemSelectionModel
    sm.select(QItemSelection(a, b), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    v.copy_selection()
    assert parse_clipboard_table(QGuiApplication.clipboard().text()) == [
        ["30", "5", "0"], ["0", "0", "0"]]


def test_delete_clears_cells_in_one_step(qtbot, page):
    v, doc = page.view, page.doc
    v.select_cell("t3.new.business")
    qtbot.keyClick(v, Qt.Key_Delete)
    assert doc.report.values["t3.new.business"] is None
    assert doc.report.values["t3.new.total"] == 30


def test_recompute_button_fixes_an_imported_total(qtbot):
    r = consistent_report()
    r.values["t4.review.total"] = 5
    doc = ReportDocument(r)
    p = TablePage(doc, "t4")
    qtbot.addWidget(p)
    assert any(f.rule == "T4-1" for f in doc.findings)
    qtbot.mouseClick(p.recompute_button, Qt.LeftButton)
    assert doc.report.values["t4.review.total"] == 2
    assert not any(f.rule == "T4-1" for f in doc.findings)


def test_a_committed_keystroke_repaints_cells_not_the_whole_table(qtbot, page):
    """Focus moving between the view and its own editor must not repaint every cell."""
    from PySide6.QtCore import QObject, QPoint

    v, m = page.view, page.model
    v.setCurrentIndex(m.index_of("t3.new.research"))
    QApplication.processEvents()            # the paints of moving the current cell, before spying
    regions = []

    class Spy(QObject):
        def eventFilter(self, obj, ev):
            if ev.type() == QEvent.Paint:
                regions.append(ev.region())
            return False

    spy = Spy()
    v.viewport().installEventFilter(spy)
    type_into(qtbot, v, "3")
    qtbot.waitUntil(lambda: bool(regions))
    QApplication.processEvents()            # and any paint still queued behind the first
    v.viewport().removeEventFilter(spy)
    assert page.doc.report.values["t3.new.research"] == 3
    assert regions, "the edited cells must repaint"
    # the official header in the top-left corner never changes: it must not be repainted
    corner = QPoint(5, 5)
    assert not any(r.contains(corner) for r in regions), [r.boundingRect() for r in regions]


def _wait_past_double_click(qtbot) -> None:
    """Let the real double-click interval pass (a delayed editor would open in it)."""
    from PySide6.QtCore import QTimer
    t = QTimer()
    t.setSingleShot(True)
    with qtbot.waitSignal(t.timeout, timeout=10000):
        t.start(2 * QApplication.doubleClickInterval())


def test_digit_typed_right_after_clicking_the_selected_cell_is_kept(qtbot, page):
    # click a cell, click it again, type a digit at once, Tab: the digit is the value
    v, m, doc = page.view, page.model, page.doc
    cid = "t3.new.research"
    pos = v.visualRect(m.index_of(cid)).center()
    qtbot.mouseClick(v.viewport(), Qt.LeftButton, pos=pos)
    qtbot.mouseClick(v.viewport(), Qt.LeftButton, pos=pos)
    qtbot.keyClicks(QApplication.focusWidget() or v, "7")
    qtbot.keyClick(QApplication.focusWidget() or v, Qt.Key_Tab)
    _wait_past_double_click(qtbot)
    assert doc.report.values[cid] == 7
    assert v.state() != v.State.EditingState
    # a double-click still opens the editor on the cell's value
    qtbot.mouseDClick(v.viewport(), Qt.LeftButton, pos=pos)
    editors = [e for e in v.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1 and editors[0].text() == "7"
    qtbot.keyClick(editors[0], Qt.Key_Escape)


def test_pasted_total_that_disagrees_with_its_parts_is_named(qtbot, page):
    v, m, doc = page.view, page.model, page.doc
    v.setCurrentIndex(m.index_of("t3.new.legal"))
    QGuiApplication.clipboard().setText("2\t3\t999\n")
    qtbot.keySequence(v, QKeySequence.Paste)
    total = doc.report.values["t3.new.total"]
    assert total == 40 and doc.report.values["t3.new.legal"] == 2
    msg = v.last_message
    assert "已粘贴 2 个单元格" in msg and "合计" in msg and "999" in msg and f"{total}" in msg
    assert v.note.isVisible()
    # a total that agrees is not mentioned
    v.setCurrentIndex(m.index_of("t3.new.legal"))
    v.paste_text(f"2\t3\t{total}\n")
    assert "不符" not in v.last_message


def test_typing_into_a_total_says_why_nothing_happened(qtbot, page):
    v, m, doc = page.view, page.model, page.doc
    before = doc.report.values["t3.new.total"]
    pos = v.visualRect(m.index_of("t3.new.total")).center()
    qtbot.mouseClick(v.viewport(), Qt.LeftButton, pos=pos)
    assert m.cell_id_at(v.currentIndex()) == "t3.new.total"
    qtbot.keyClicks(v, "5")
    assert doc.report.values["t3.new.total"] == before
    assert "合计栏" in v.last_message and "自动计算" in v.last_message
    assert v.note.isVisible()


def test_refused_input_note_goes_after_the_next_valid_input(qtbot, page):
    v, m, doc = page.view, page.model, page.doc
    v.setCurrentIndex(m.index_of("t3.new.research"))
    v.setFocus()
    qtbot.keyClicks(v, "x")
    editor = QApplication.focusWidget()
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: v.note.isVisible())
    qtbot.keyClicks(QApplication.focusWidget() or v, "3")
    qtbot.keyClick(QApplication.focusWidget() or v, Qt.Key_Return)
    qtbot.waitUntil(lambda: doc.report.values["t3.new.research"] == 3)
    assert not v.note.isVisible()


def test_balance_banner_uses_the_words_of_the_problems_list(qtbot, page):
    doc = page.doc
    doc.set_cell_text("t3.carried_out.person", str(doc.report.num("t3.carried_out.person") + 3))
    text = page.balance_label.text()
    assert "相差 3" in text and "-3" not in text and "+3" not in text
    t33 = [f for f in doc.findings if f.rule == "T3-3"]
    assert t33 and "相差 3" in t33[0].message
