"""文件 → 打印预览… / 打印… (Ctrl+P) for the main window.

Light on purpose (the window's start-up is measured): QtPrintSupport and the
page layout load when an action is first used (``gui/print_preview.py``).
"""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from . import early


def _print_preview(window):
    from .print_preview import open_print_preview
    return open_print_preview(window, window.doc)


def _print(window):
    from .print_preview import print_report
    return print_report(window, window.doc)


def install_print_actions(window) -> tuple[QAction, QAction]:
    """打印预览… and 打印… (Ctrl+P) in the 文件 menu after 导出… (``window.doc`` is printed)."""
    preview = QAction("打印预览…", window)
    preview.setToolTip("按 PDF 的分页预览报告，可从预览中打印")
    preview.triggered.connect(lambda: _print_preview(window))
    printing = QAction("打印…", window)
    early.set_keys(printing, QKeySequence.StandardKey.Print)
    printing.setToolTip("打印报告（与 PDF 分页相同）")
    printing.triggered.connect(lambda: _print(window))
    window.addAction(preview)
    window.addAction(printing)
    anchor = getattr(window, "export_action", None)
    menu = next((o for o in (anchor.associatedObjects() if anchor is not None else [])
                 if isinstance(o, QMenu)), None)
    if menu is None:
        menu = window.menuBar().actions()[0].menu() if window.menuBar().actions() else None
    if menu is not None:
        acts = menu.actions()
        after = acts.index(anchor) + 1 if anchor in acts else len(acts)
        if after < len(acts):
            menu.insertActions(acts[after], [preview, printing])
        else:
            menu.addActions([preview, printing])
    window.print_preview_action = preview
    window.print_action = printing
    return preview, printing
