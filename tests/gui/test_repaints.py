"""A keystroke that changes the number of findings repaints the table and the problems
list once each (issue 12: they repainted twice and three times)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from gui.document import ReportDocument
from gui.main_window import MainWindow
from gui.settings import Settings
from model import schema
from tests.gui.test_document import consistent_report

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


class PaintCounter(QObject):
    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_one_repaint_per_keystroke(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    r = consistent_report()
    for col, _ in schema.T3_COLUMNS:                    # every column of 三 unbalanced
        if col != "total":
            r.values[schema.t3("carried_out", col)] = r.num(schema.t3("carried_out", col)) + 1
    r.recompute_totals()
    w = MainWindow(ReportDocument(r),
                   Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)),
                   autosave=False)
    qtbot.addWidget(w)
    w.resize(1300, 900)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: not w.doc.check_pending and w.problems.tree.topLevelItemCount() > 0)
    # the pages not shown yet are built one per turn of the event loop after the first
    # paint: each can change the page stack's minimum width and so the table's width;
    # the keystrokes are measured once the window has settled
    from gui.document import STEPS
    qtbot.waitUntil(lambda: all(s in w.pages for s, _ in STEPS))
    view = w.show_step("requests").view
    table, tree = PaintCounter(), PaintCounter()
    view.viewport().installEventFilter(table)
    w.problems.tree.viewport().installEventFilter(tree)
    cell = schema.t3("carried_out", "research")
    balanced = r.num(schema.t3("carried_out", "research")) - 1
    for value in (balanced, balanced + 1, balanced):
        view.select_cell(cell)
        before = len(w.doc.findings)
        for ch in str(value):
            editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
            target = editors[0] if editors else view
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(target, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                         Qt.KeyboardModifier.NoModifier, ch))
        editor = next(e for e in view.viewport().findChildren(QLineEdit) if e.isVisible())
        settled: list[bool] = []
        QTimer.singleShot(0, lambda s=settled: QTimer.singleShot(0, lambda: s.append(True)))
        qtbot.waitUntil(lambda s=settled: bool(s))      # the editor has painted
        table.count = tree.count = 0
        drained: list[bool] = []
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        QTimer.singleShot(0, lambda d=drained: QTimer.singleShot(0, lambda: QTimer.singleShot(
            0, lambda: d.append(True))))
        qtbot.waitUntil(lambda d=drained: bool(d))
        assert w.doc.report.values[cell] == value
        assert len(w.doc.findings) != before             # the number of findings changed
        assert table.count == 1 and tree.count == 1, (table.count, tree.count)
