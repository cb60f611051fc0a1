"""查找/替换 across the text sections, 字数, zoom of text and tables — with the keyboard."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.document import ReportDocument
from gui.main_window import MainWindow
from gui.settings import Settings
from tests.gui.test_document import consistent_report
from tests.gui.test_text_page import type_text

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints",
                                      "This plugin does not support raise")


@pytest.fixture
def settings(tmp_path):
    return Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot, settings, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    r = consistent_report()
    r.sections["overview"] = "本机关认真落实条例。收到申请⟦t3.new.total⟧件。"
    r.sections["problems"] = "存在问题：条例学习不够。"
    r.sections["other"] = "本年度未收取信息处理费。"
    w = MainWindow(ReportDocument(r), settings, autosave=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    return w


def test_ctrl_f_finds_across_sections(qtbot, window):
    w = window
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key_F, Qt.ControlModifier)
    dlg = w._find_dialog
    assert dlg is not None and dlg.isVisible() and not dlg.replace_edit.isVisible()
    type_text(dlg.find_edit, "条例")
    qtbot.keyClick(dlg.find_edit, Qt.Key_Return)            # 查找下一个
    assert w.current_step() == "overview"
    assert w.pages["overview"].editor.textCursor().selectedText() == "条例"
    assert "共找到 2 处" in dlg.status.text()
    qtbot.mouseClick(dlg.next_button, Qt.LeftButton)
    assert w.current_step() == "problems"
    assert w.pages["problems"].editor.textCursor().selectedText() == "条例"
    qtbot.mouseClick(dlg.next_button, Qt.LeftButton)        # wraps round
    assert w.current_step() == "overview"


def test_ctrl_h_replaces_one_and_all_as_undo_steps(qtbot, window):
    w = window
    doc = w.doc
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key_H, Qt.ControlModifier)
    dlg = w._find_dialog
    assert dlg.replace_edit.isVisible()
    type_text(dlg.find_edit, "条例")
    type_text(dlg.replace_edit, "规定")
    qtbot.mouseClick(dlg.next_button, Qt.LeftButton)
    qtbot.mouseClick(dlg.replace_button, Qt.LeftButton)
    assert doc.report.sections["overview"].startswith("本机关认真落实规定。")
    assert doc.report.sections["problems"] == "存在问题：条例学习不够。"
    qtbot.mouseClick(dlg.replace_all_button, Qt.LeftButton)
    assert doc.report.sections["problems"] == "存在问题：规定学习不够。"
    assert "⟦t3.new.total⟧" in doc.report.sections["overview"]      # the field stays whole
    assert "已替换 1 处" in dlg.status.text()
    doc.undo_stack.undo()                                    # 全部替换 is one step
    assert doc.report.sections["problems"] == "存在问题：条例学习不够。"
    assert doc.report.sections["overview"].startswith("本机关认真落实规定。")


def test_char_count_follows_typing(qtbot, window):
    w = window
    page = w.show_step("other")
    assert page.count_label.text() == "字数：12"
    page.editor.moveCursor(page.editor.textCursor().MoveOperation.End)
    page.editor.setFocus()
    type_text(page.editor, "另无。")
    assert page.count_label.text() == "字数：15"


def test_zoom_keys_scale_text_and_tables_and_are_remembered(qtbot, window, settings):
    w = window
    table = w.show_step("requests")             # laid out on screen
    qtbot.waitUntil(lambda: table.view.viewport().width() > 400)
    text = w.pages["overview"]
    size0 = text.editor.font().pointSizeF()
    table_size0 = table.view.font().pointSizeF()
    rows = table.view.model().rowCount()
    height0 = sum(table.view.rowHeight(r) for r in range(rows))
    target = QApplication.focusWidget() or w
    qtbot.keyClick(target, Qt.Key_Equal, Qt.ControlModifier)
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key_Equal, Qt.ControlModifier)
    assert text.editor.font().pointSizeF() == pytest.approx(size0 * 1.21)
    assert table.view.font().pointSizeF() == pytest.approx(table_size0 * 1.21)
    assert sum(table.view.rowHeight(r) for r in range(rows)) > height0     # rows refit
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key_Minus, Qt.ControlModifier)
    assert text.editor.font().pointSizeF() == pytest.approx(size0 * 1.1)
    assert settings.qsettings.value("view/zoom_step") in (1, "1")
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key_0, Qt.ControlModifier)
    assert text.editor.font().pointSizeF() == pytest.approx(size0)
    assert table.view.font().pointSizeF() == pytest.approx(table_size0)
