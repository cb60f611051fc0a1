"""The 工具 menu on the real main window: three actions, each opening its tool."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog

from gui import tools
from gui.audit_view import AuditWindow
from gui.combine_dialog import CombineDialog
from gui.document import ReportDocument
from gui.main_window import MainWindow
from gui.register_dialog import RegisterDialog
from gui.settings import Settings
from model.example import build

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


@pytest.fixture
def window(qtbot, tmp_path) -> MainWindow:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    w = MainWindow(ReportDocument(build()), settings, autosave=False)
    qtbot.addWidget(w)
    return w


def _menu_titles(w: MainWindow) -> list[str]:
    return [a.text() for a in w.menuBar().actions()]


def test_menu_with_three_actions(window):
    menu = tools.install_tools_menu(window)
    assert menu.title() == tools.TOOLS_MENU_TITLE
    titles = _menu_titles(window)
    assert titles.count(tools.TOOLS_MENU_TITLE) == 1
    # before 帮助, the last menu by convention
    help_index = next(i for i, t in enumerate(titles) if t.startswith("帮助"))
    assert titles.index(tools.TOOLS_MENU_TITLE) < help_index
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["审核一批报告…", "汇总多个机关的报告…", "与上年对比…", "从申请登记表生成表三…"]
    assert set(window.tools_actions) == {"audit", "combine", "register"}
    # installing twice does not add a second menu
    assert tools.install_tools_menu(window) is menu
    assert _menu_titles(window).count(tools.TOOLS_MENU_TITLE) == 1


def test_audit_action_opens_one_window_kept_alive(window, qtbot):
    tools.install_tools_menu(window)
    window.tools_actions["audit"].trigger()
    aw = window.audit_window
    assert isinstance(aw, AuditWindow) and aw.isVisible() and aw.parent() is None
    qtbot.addWidget(aw)
    window.tools_actions["audit"].trigger()
    assert window.audit_window is aw            # shown again, not a second one
    aw.close()
    window.tools_actions["audit"].trigger()
    assert window.audit_window is aw and aw.isVisible()


@pytest.mark.parametrize("key, cls", [("combine", CombineDialog), ("register", RegisterDialog)])
def test_dialog_actions_open_their_dialog(window, monkeypatch, key, cls):
    tools.install_tools_menu(window)
    opened = []

    def fake_exec(self):
        opened.append(self)
        return QDialog.Rejected

    monkeypatch.setattr(cls, "exec", fake_exec)
    window.tools_actions[key].trigger()
    assert len(opened) == 1 and isinstance(opened[0], cls) and opened[0].parent() is window
    if key == "register":
        assert opened[0].doc is window.doc and opened[0].settings is window.settings
    else:
        assert opened[0].agency_edit.text() == window.settings.default_agency
    opened[0].deleteLater()


def test_audit_window_closes_with_the_main_window(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    tools.install_tools_menu(window)
    window.show()
    window.tools_actions["audit"].trigger()
    aw = window.audit_window
    qtbot.addWidget(aw)
    # closing cancelled at the save question: both stay
    window.doc.set_cell_text("t3.new.business", "99")
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Cancel))
    assert not window.close()
    QApplication.processEvents()
    assert window.isVisible() and aw.isVisible()
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    assert window.close()
    qtbot.waitUntil(lambda: not aw.isVisible(), timeout=2000)
