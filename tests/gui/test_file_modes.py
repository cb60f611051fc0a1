"""Files the window writes can be read by colleagues on a shared folder: the mode a
new file of the user's gets, as exports are written (issue 12, defect 11)."""
from __future__ import annotations

import os
import stat

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox

from gui.document import ReportDocument
from gui.main_window import MainWindow
from gui.settings import Settings
from tests.gui.test_audit_view import folder  # noqa: F401 - the fixture
from tests.gui.test_document import consistent_report

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_saved_project_file_is_readable_by_colleagues(qtbot, tmp_path, monkeypatch, umask_022):
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    w = MainWindow(ReportDocument(consistent_report()), settings, autosave=False)
    qtbot.addWidget(w)
    target = tmp_path / "共享" / "本年报告.nianbao"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a, **k: pytest.fail(a[2])))
    w.save_as_action.trigger()
    assert target.is_file() and _mode(target) == 0o644
    # saving again keeps a mode the clerk chose
    os.chmod(target, 0o664)
    w.doc.set_section("other", "本年度未收取信息处理费。")
    w.save_action.trigger()
    assert _mode(target) == 0o664


def test_audit_summary_is_readable_by_colleagues(qtbot, folder, tmp_path, monkeypatch,  # noqa: F811
                                                 umask_022):
    from gui.audit_view import AuditWindow
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(folder)))
    w = AuditWindow(workers=1, settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.finished, timeout=30000):
        w.open_button.click()
    out = tmp_path / "导出"
    out.mkdir()
    for name, filt in (("结果.xlsx", "Excel (*.xlsx)"), ("结果.html", "网页 (*.html)")):
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            staticmethod(lambda *a, _n=name, _f=filt, **k: (str(out / _n), _f)))
        w.export_button.click()
        assert _mode(out / name) == 0o644, name
