"""The export gate's safe default, the draft mark of a forced export, the no-落款 notice."""
from __future__ import annotations

import io
import zipfile

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

import gui.export as export_mod
from gui.document import ReportDocument
from gui.export import GateDialog, ReviewPage, export_report
from gui.settings import Settings
from model.findings import Severity
from model.render.sample import sample_report

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def settings(tmp_path):
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))


def _errors():
    r = sample_report()
    r.values["t3.new.total"] = 99
    doc = ReportDocument(r)
    return doc, [f for f in doc.findings if f.severity is Severity.ERROR]


@pytest.mark.parametrize("key", [Qt.Key_Return, Qt.Key_Enter, Qt.Key_Space])
def test_gate_dialog_enter_does_not_export(qtbot, key):
    """A clerk who presses Enter (or Space on the focused button) on the gate cancels."""
    _doc, errors = _errors()
    dlg = GateDialog(None, errors)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert not dlg.force_button.isDefault()
    assert QApplication.focusWidget() is dlg.cancel_button, QApplication.focusWidget()
    with qtbot.waitSignal(dlg.finished, timeout=3000):
        qtbot.keyClick(QApplication.focusWidget(), key)
    assert dlg.result() == QDialog.Rejected


def test_forced_export_is_marked_draft(qtbot, tmp_path, monkeypatch, settings):
    doc, _errors_ = _errors()
    target = tmp_path / "报告.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    monkeypatch.setattr(export_mod, "confirm_export_anyway", lambda parent, blockers: True)
    monkeypatch.setattr(export_mod, "show_export_done", lambda parent, path: None)
    assert export_report(None, doc, "docx", settings) == target
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as z:
        headers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/header")]
        core = z.read("docProps/core.xml").decode()
    assert headers and all("草稿" in h for h in headers)
    assert "<cp:contentStatus>草稿</cp:contentStatus>" in core


def test_review_page_says_there_will_be_no_signature(qtbot, settings):
    r = sample_report()
    r.publish_date = None
    doc = ReportDocument(r)
    page = ReviewPage(doc, settings=settings)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    assert "没有落款" in page.status.text()
    doc.set_meta(publish_date=sample_report().publish_date)
    qtbot.waitUntil(lambda: "没有落款" not in page.status.text(), timeout=3000)
