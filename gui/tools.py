"""The 工具 menu of the main window: the reviewer's and the district office's tools.

``install_tools_menu(window)`` adds a 工具 menu to a :class:`gui.main_window.MainWindow`
(anything with ``menuBar()``, ``doc`` and ``settings``) with three actions:

* 审核一批报告… — opens :class:`gui.audit_view.AuditWindow` as a window of its
  own, kept alive by the main window (one at a time; shown again if open);
* 汇总多个机关的报告… — :class:`gui.combine_dialog.CombineDialog`;
* 从申请登记表生成表三… — :class:`gui.register_dialog.RegisterDialog`.

The dialogs are imported when first used, so the main window starts as fast as
before.  The actions are kept on the window as ``window.tools_actions`` (a
dict: ``"audit"``, ``"combine"``, ``"register"``) and the audit window as
``window.audit_window`` once opened.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

TOOLS_MENU_TITLE = "工具(&T)"


class _CloseFollower(QObject):
    """Closes the audit window once the main window has really closed (not when the
    clerk cancelled closing at the 保存修改 question)."""

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Close:
            QTimer.singleShot(0, self, self._follow)
        return False

    def _follow(self) -> None:
        window = self.parent()
        aw = getattr(window, "audit_window", None)
        if aw is not None and not window.isVisible():
            aw.close()


def open_audit_window(window: QWidget):
    """Show the audit window (one a main window), creating it on first use."""
    from .audit_view import AuditWindow
    w = getattr(window, "audit_window", None)
    if w is None:
        settings = getattr(window, "settings", None)
        # top level (a window of its own); the main window keeps the reference
        w = AuditWindow(None, settings=settings.qsettings if settings is not None else None)
        from PySide6.QtCore import Qt
        w.setAttribute(Qt.WA_DeleteOnClose, False)
        window.audit_window = w
    w.show()
    w.raise_()
    w.activateWindow()
    return w


def open_combine_dialog(window: QWidget):
    from .combine_dialog import CombineDialog
    dlg = CombineDialog(window)
    dlg.exec()
    return dlg


def open_register_dialog(window: QWidget):
    from .register_dialog import RegisterDialog
    dlg = RegisterDialog(window.doc, getattr(window, "settings", None), window)
    dlg.exec()
    return dlg


def _open_compare(window: QWidget):
    from .compare_view import open_compare_window
    return open_compare_window(window)


def install_tools_menu(window: QMainWindow) -> QMenu:
    """Add the 工具 menu to ``window``'s menu bar and return it (once: a second call
    returns the menu already installed)."""
    existing = getattr(window, "tools_menu", None)
    if isinstance(existing, QMenu):
        return existing
    menu = QMenu(TOOLS_MENU_TITLE, window)
    menu.setObjectName("tools_menu")
    actions: dict[str, QAction] = {}

    def add(key: str, text: str, tip: str, slot) -> None:
        a = QAction(text, window)
        a.setObjectName(f"tools_{key}")
        a.setStatusTip(tip)
        a.setToolTip(tip)
        a.triggered.connect(lambda _checked=False: slot(window))
        menu.addAction(a)
        actions[key] = a

    add("audit", "审核一批报告…",
        "打开一个文件夹，逐份检查其中的年度报告（任何格式），列出错误和警告，并导出审核结果",
        open_audit_window)
    add("combine", "汇总多个机关的报告…",
        "把同一年度多个机关的报告逐格相加，得到汇总报告，并保存分机关明细",
        open_combine_dialog)
    # 与上年对比 (issue 15): kept as window.compare_action, imported when first used
    compare = QAction("与上年对比…", window)
    compare.setObjectName("tools_compare")
    compare.setStatusTip("选择同一机关本年和上年的报告：逐句标出与上年相同的文字（重复率），列出变化的单元格和衔接问题")
    compare.triggered.connect(lambda _checked=False: _open_compare(window))
    menu.addAction(compare)
    window.compare_action = compare
    menu.addSeparator()
    add("register", "从申请登记表生成表三…",
        "读取依申请公开登记表（CSV 或 Excel），对应各列和取值后计算表三并填入本报告",
        open_register_dialog)

    mb = window.menuBar()
    help_menu = next((a for a in mb.actions() if a.text().startswith("帮助")), None)
    if help_menu is not None:
        mb.insertMenu(help_menu, menu)
    else:
        mb.addMenu(menu)
    window.tools_menu = menu
    window.tools_actions = actions
    window._tools_close_follower = _CloseFollower(window)
    window.installEventFilter(window._tools_close_follower)
    return menu
