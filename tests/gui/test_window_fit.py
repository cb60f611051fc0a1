"""Every window fits the screen it opens on and comes back as the clerk left it
(issue 12, defect 2).  The real X server version is tests/gui/test_real_window.py."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from gui.document import ReportDocument
from gui.main_window import MainWindow
from gui.settings import Settings
from tests.gui.test_document import consistent_report

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def settings(tmp_path):
    return Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))


def _inside(w) -> None:
    a = w.screen().availableGeometry()
    f = w.frameGeometry()
    assert a.contains(f), (f.getRect(), a.getRect())
    assert w.height() < 2000


def test_dialogs_fit_the_screen(qtbot, settings):
    from gui.audit_view import AuditWindow
    from gui.combine_dialog import CombineDialog
    from gui.register_dialog import RegisterDialog
    from gui.start_dialog import StartDialog
    doc = ReportDocument(consistent_report())
    for w in (RegisterDialog(doc, settings), CombineDialog(None), AuditWindow(None),
              StartDialog(None, [], None, settings)):
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        _inside(w)
        a = w.screen().availableGeometry()
        assert w.height() <= a.height() - 40           # room for a title bar


def test_main_window_remembers_size_position_and_panels(qtbot, settings, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    w = MainWindow(ReportDocument(consistent_report()), settings, autosave=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    _inside(w)
    w.resize(700, 560)
    w.move(30, 40)
    w.splitter.setSizes([260, 440])
    sizes = w.splitter.sizes()
    w.outer_splitter.setSizes([380, 120])
    pane_sizes = w.outer_splitter.sizes()
    w.close()
    again = MainWindow(ReportDocument(consistent_report()), settings, autosave=False)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.size().toTuple() == (700, 560)
    assert again.pos().toTuple() == w.pos().toTuple()
    assert again.splitter.sizes() == sizes
    assert again.outer_splitter.sizes() == pane_sizes
    assert again.problems_shown()
    again.activateWindow()
    qtbot.waitUntil(again.isActiveWindow)
    qtbot.keyClick(again.focusWidget() or again, Qt.Key.Key_F8)   # hidden (F8) …
    assert not again.problems_shown() and not again.problems_toggle.isChecked()
    again.close()
    third = MainWindow(ReportDocument(consistent_report()), settings, autosave=False)
    qtbot.addWidget(third)
    third.show()
    qtbot.waitExposed(third)
    assert not third.problems_shown()            # … stays hidden at the next start
    third.problems_toggle.trigger()              # 视图 → 问题列表 shows it again
    assert third.problems_shown() and third.problems_pane.height() > 60
    qtbot.mouseClick(third.problems_close, Qt.MouseButton.LeftButton)     # its 收起 button
    assert not third.problems_shown() and not third.problems_toggle.isChecked()
