"""Every window fits the screen it opens on and comes back as the clerk left it
(issue 12, defect 2).  The real X server version is tests/gui/test_real_window.py."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
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
    w.problems_dock.hide()                       # the problems panel collapsed
    w.close()
    again = MainWindow(ReportDocument(consistent_report()), settings, autosave=False)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.size().toTuple() == (700, 560)
    assert again.pos().toTuple() == w.pos().toTuple()
    assert again.splitter.sizes() == sizes
    assert again.problems_dock.isHidden()
