"""The window under the keyboard and mouse: a toolbar that stays put, Ctrl+Y, moving
between steps, Tab in a text section, Esc, access keys (issue 12, defects 7 and 9)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.document import STEPS, ReportDocument
from gui.main_window import MainWindow
from gui.settings import Settings
from tests.gui.test_document import consistent_report
from tests.gui.test_main_window import type_into_cell

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    w = MainWindow(ReportDocument(consistent_report()), settings, autosave=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    return w


def _toolbar_button(w, action):
    from PySide6.QtWidgets import QToolBar
    tb = w.findChild(QToolBar, "main_toolbar")
    return tb.widgetForAction(action)


def test_toolbar_stays_put_when_the_undo_text_changes(qtbot, window):
    w = window
    export = _toolbar_button(w, w.export_action)
    x0 = export.mapTo(w, export.rect().topLeft()).x()
    page = w.show_step("requests")
    page.view.select_cell("t3.other.unpaid_fee.other_org" if False else "t3.new.research")
    type_into_cell(qtbot, page.view, "3")
    assert w.undo_action.text() == "撤销"
    assert "填写" in w.undo_action.toolTip()
    assert export.mapTo(w, export.rect().topLeft()).x() == x0
    w.undo_action.trigger()
    assert w.redo_action.text() == "重做" and "填写" in w.redo_action.toolTip()
    assert export.mapTo(w, export.rect().topLeft()).x() == x0


def test_ctrl_y_redoes(qtbot, window):
    w = window
    page = w.show_step("requests")
    page.view.select_cell("t3.new.research")
    type_into_cell(qtbot, page.view, "3")
    assert w.doc.report.values["t3.new.research"] == 3
    qtbot.keyClick(page.view, Qt.Key_Z, Qt.ControlModifier)
    assert w.doc.report.values["t3.new.research"] != 3
    qtbot.keyClick(page.view, Qt.Key_Y, Qt.ControlModifier)
    assert w.doc.report.values["t3.new.research"] == 3


def test_ctrl_page_down_and_up_move_between_steps(qtbot, window):
    w = window
    ids = [s for s, _ in STEPS]
    assert w.current_step() == "meta"
    target = QApplication.focusWidget() or w
    for i in range(1, len(ids)):
        qtbot.keyClick(QApplication.focusWidget() or target, Qt.Key_PageDown, Qt.ControlModifier)
        assert w.current_step() == ids[i]
    qtbot.keyClick(QApplication.focusWidget() or target, Qt.Key_PageDown, Qt.ControlModifier)
    assert w.current_step() == ids[-1]
    # from inside a table and inside a text editor too
    w.show_step("requests").view.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_PageUp, Qt.ControlModifier)
    assert w.current_step() == "active"
    page = w.show_step("overview")
    page.editor.setFocus()
    qtbot.keyClick(page.editor, Qt.Key_PageDown, Qt.ControlModifier)
    assert w.current_step() == "active"


def test_tab_in_a_text_section_moves_focus(qtbot, window):
    w = window
    page = w.show_step("overview")
    page.editor.setFocus()
    qtbot.waitUntil(page.editor.hasFocus)
    before = w.doc.report.sections["overview"]
    qtbot.keyClick(page.editor, Qt.Key_Tab)
    assert "\t" not in w.doc.report.sections["overview"]
    assert w.doc.report.sections["overview"] == before
    assert not page.editor.hasFocus()


def test_esc_closes_the_audit_window(qtbot, tmp_path):
    from gui.audit_view import AuditWindow
    w = AuditWindow(workers=1)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    assert all("&" in b.text() for b in (w.open_button, w.export_button))   # access keys
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key_Escape)
    qtbot.waitUntil(lambda: not w.isVisible())


def test_access_keys_on_the_page_buttons(qtbot, window):
    w = window
    page = w.show_step("requests")
    assert "(&R)" in page.recompute_button.text()
    w.doc.report.values["t3.new.person"] = 999          # as imported: a wrong total
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    page.view.setFocus()
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key_R, Qt.AltModifier)
    qtbot.waitUntil(lambda: w.doc.report.values["t3.new.total"] == w.doc.report.values["t3.new.person"]
                    + sum(w.doc.report.values[f"t3.new.{c}"] for c in
                          ("business", "research", "nonprofit", "legal", "other_org")))
