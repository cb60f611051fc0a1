"""Qt's own dialogs and menus in Chinese, worded as the program words them (issue 12,
defect 10): the file dialog's labels and dates, 撤销 in a text field's context menu."""
from __future__ import annotations

import os
import time

import pytest
from PySide6.QtCore import QDir, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QLineEdit, QTreeView

from gui.app import install_translations
from gui.filedialogs import ChineseDateProxy, last_folder, localized, open_file, remember_folder

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def chinese(qapp):
    installed = install_translations(qapp)
    yield
    for tr in installed:
        qapp.removeTranslator(tr)


def test_context_menu_says_che_xiao_as_the_program_does(qtbot, chinese):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    texts = [a.text() for a in edit.createStandardContextMenu().actions()]
    assert any(t.startswith("撤销") for t in texts), texts
    assert not any("撤消" in t for t in texts)


def test_file_dialog_labels_and_dates_are_chinese(qtbot, chinese, tmp_path):
    f = tmp_path / "上年报告.txt"
    f.write_text("x", encoding="utf-8")
    stamp = time.mktime((2026, 1, 12, 9, 30, 0, 0, 0, -1))
    os.utime(f, (stamp, stamp))
    dlg = QFileDialog(None, "打开", str(tmp_path))
    dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dlg.setFilter(QDir.Filter.Files | QDir.Filter.AllDirs | QDir.Filter.NoDotAndDotDot)
    dlg.setViewMode(QFileDialog.ViewMode.Detail)
    qtbot.addWidget(dlg)
    with localized():
        dlg.show()
        qtbot.waitExposed(dlg)
    labels = " ".join(lab.text() for lab in dlg.findChildren(QLabel))
    assert "Look in" not in labels and "Files of" not in labels
    assert "查找范围" in labels and "文件类型" in labels
    assert isinstance(dlg.proxyModel(), ChineseDateProxy)
    view = next(v for v in dlg.findChildren(QTreeView) if v.isVisible())
    model = view.model()

    def row_text():
        for r in range(model.rowCount(view.rootIndex())):
            idx = model.index(r, 0, view.rootIndex())
            if idx.data() == f.name:
                return model.index(r, 3, view.rootIndex()).data(Qt.ItemDataRole.DisplayRole)
        return None

    qtbot.waitUntil(lambda: row_text() is not None)
    assert row_text() == "2026年1月12日 09:30"


def test_file_dialogs_start_in_the_folder_last_used(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from gui.settings import Settings
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    folder = tmp_path / "报告"
    folder.mkdir()
    asked = []

    def fake(parent, title, start, filters, *a, **k):
        asked.append(start)
        return str(folder / "上年.docx"), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake))
    open_file(None, "打开", "所有文件 (*)", settings, "open", tmp_path)
    assert asked[-1] == str(tmp_path)
    open_file(None, "打开", "所有文件 (*)", settings, "open", tmp_path)
    assert asked[-1] == str(folder)                  # remembered
    remember_folder(settings, "open", tmp_path / "没有了" / "x.docx")
    assert last_folder(settings, "open", tmp_path) == str(tmp_path)   # gone: the fallback
    assert QApplication.instance() is not None


def test_export_dialog_starts_where_the_last_export_went(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from gui.document import ReportDocument
    from gui.export import ask_export_path
    from gui.main_window import MainWindow
    from gui.settings import Settings
    from tests.gui.test_document import consistent_report
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    w = MainWindow(ReportDocument(consistent_report()), settings, autosave=False)
    qtbot.addWidget(w)
    out = tmp_path / "发布"
    out.mkdir()
    asked = []

    def fake(parent, title, start, filters, selected="", *a, **k):
        asked.append(start)
        return str(out / "报告.docx"), selected

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    assert ask_export_path(w, w.doc, "docx") == out / "报告.docx"
    ask_export_path(w, w.doc, "docx")
    assert os.path.dirname(asked[-1]) == str(out)
