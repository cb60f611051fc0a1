"""打印预览 and 打印 (Ctrl+P) from the window: the same pages as the PDF."""
from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog

import gui.print_preview as pp
from gui.document import ReportDocument
from gui.main_window import MainWindow
from gui.settings import Settings
from model import example, render

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def window(qtbot, tmp_path):
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    w = MainWindow(ReportDocument(example.build()), settings, autosave_folder=tmp_path / "autosave")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _pdf_pages(report) -> int:
    data = render.render(report, "pdf")
    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def test_print_actions_are_in_the_file_menu(window):
    menu = next(o for o in window.export_action.associatedObjects() if hasattr(o, "actions"))
    texts = [a.text() for a in menu.actions()]
    i = texts.index(window.export_action.text())
    assert texts[i + 1: i + 3] == ["打印预览…", "打印…"]
    assert window.print_action.shortcut().matches(Qt.CTRL | Qt.Key_P)


def test_print_preview_opens_with_the_pdf_pages(qtbot, window):
    window.print_preview_action.trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, pp.PrintPreview) and w.isVisible()
                                for w in window.findChildren(QDialog)), timeout=10000)
    dlg = next(w for w in window.findChildren(pp.PrintPreview) if w.isVisible())
    preview = dlg.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() > 0, timeout=10000)
    assert preview.pageCount() == _pdf_pages(window.doc.report)
    assert "打印预览" in dlg.windowTitle()
    dlg.close()


def test_ctrl_p_prints_the_same_pages(qtbot, window, tmp_path, monkeypatch):
    out = tmp_path / "printed.pdf"
    made = pp.make_printer

    def to_file(pages):
        printer = made(pages)
        printer.setOutputFormat(QPrinter.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer
    monkeypatch.setattr(pp, "make_printer", to_file)
    asked = []
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: asked.append(self) or QDialog.Accepted)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key_P, Qt.ControlModifier)
    qtbot.waitUntil(out.exists, timeout=10000)
    assert asked
    pdf = pdfium.PdfDocument(str(out))
    try:
        n = len(pdf)
        first = pdf[0].get_textpage().get_text_range()
        w, h = pdf[0].get_size()
    finally:
        pdf.close()
    assert n == _pdf_pages(window.doc.report)
    # (printing to a file leaves Qt's own ToUnicode maps: 青 may read back as the radical ⻘)
    assert "岚县市场监督管理局" in first
    assert abs(w - 595.3) < 1 and abs(h - 841.9) < 1


def test_cancelled_print_dialog_prints_nothing(qtbot, window, tmp_path, monkeypatch):
    painted = []
    monkeypatch.setattr(pp, "paint", lambda printer, pages: painted.append(pages))
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.Rejected)
    window.print_action.trigger()
    assert painted == []


def test_a_report_with_errors_previews_as_a_draft(qtbot, window):
    r = example.build()
    r.values["t3.new.total"] += 1
    window.doc.replace_report(r)
    pages = pp.layout_for(window, window.doc)
    assert pages.draft == "草稿"
