"""打印预览 and 打印: the PDF's pages on paper.

The pages are laid out once (``model/render/pages.py``) and painted by the same
code as the PDF (``gui/pdf_render.paint_document``), on a full-page A4
:class:`QPrinter`, so the printout is paginated exactly like the PDF.  A report
that still has errors prints as a draft (the 草稿 mark), as a forced export does.
QtPrintSupport ships with PySide6-Essentials.

``gui/print_actions.py`` puts 打印预览… and 打印… (Ctrl+P) into the window's
文件 menu; this module is loaded when one is first used.
"""
from __future__ import annotations

from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from model import render
from model.errors import NianbaoError
from model.render import pages as P

from . import pdf_render
from .export import render_options, settings_for


def layout_for(parent: QWidget | None, doc) -> P.Document:
    """The report's pages, marked as a draft while it still has errors."""
    report = doc.report
    try:
        draft = bool(render.publish_blockers(report))
    except NianbaoError:
        draft = True
    template_dir, _reference = render_options(settings_for(parent))
    return pdf_render.layout(render.render_context(report, draft), template_dir)


def make_printer(pages: P.Document) -> QPrinter:
    printer = QPrinter(QPrinter.HighResolution)
    printer.setPageLayout(pdf_render.a4_layout())
    printer.setFullPage(True)
    printer.setDocName(pdf_render.document_title(pages))
    printer.setCreator(pdf_render.CREATOR)
    return printer


def paint(printer: QPrinter, pages: P.Document) -> None:
    pdf_render.paint_document(printer, pages, printer.resolution())


class PrintPreview(QPrintPreviewDialog):
    """The preview of the report's pages; its 打印 button prints them."""

    def __init__(self, parent: QWidget | None, pages: P.Document) -> None:
        self.pages = pages
        self.printer_ = make_printer(pages)
        super().__init__(self.printer_, parent)
        self.setWindowTitle(f"打印预览 — {pdf_render.document_title(pages)}")
        self.resize(900, 1000)
        self.paintRequested.connect(lambda pr: paint(pr, self.pages))


def _layout_or_error(parent: QWidget | None, doc) -> P.Document | None:
    try:
        return layout_for(parent, doc)
    except NianbaoError as exc:
        QMessageBox.critical(parent, "无法打印", str(exc))
        return None


def open_print_preview(parent: QWidget | None, doc) -> PrintPreview | None:
    """Show the print preview (window-modal, returns at once); the dialog, or ``None``."""
    pages = _layout_or_error(parent, doc)
    if pages is None:
        return None
    dlg = PrintPreview(parent, pages)
    dlg.open()
    return dlg


def print_report(parent: QWidget | None, doc) -> bool:
    """The print dialog, then print; whether anything was printed."""
    pages = _layout_or_error(parent, doc)
    if pages is None:
        return False
    printer = make_printer(pages)
    dlg = QPrintDialog(printer, parent)
    dlg.setWindowTitle("打印")
    if dlg.exec() != QDialog.Accepted:
        return False
    paint(printer, pages)
    return True
