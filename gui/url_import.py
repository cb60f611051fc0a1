"""导入 → 从网址导入: read last year's (or this year's) report from its web page (issue 15).

:func:`url_import_action` makes the menu action; it asks for the address, downloads
and reads it off the GUI thread with :func:`model.fetch.fetch_report` (the page,
or the report it links as an attachment; every limit and every message is the
model's), then shows the usual import preview (``window.apply_import``), where the
clerk chooses to use it as last year's report or open it.  Nothing else is sent
anywhere.  The model is imported when first used, so the window starts as fast.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QWidget

TITLE = "从网址导入"
PROMPT = ("报告网页的网址（http:// 或 https://）。\n"
          "网页只以附件提供报告时（附件：……年度报告.docx），会自动下载附件。")


def url_import_action(window: QWidget) -> QAction:
    """The 从网址导入… action of ``window`` (a main window with ``apply_import``)."""
    a = QAction("从网址导入…", window)
    a.setObjectName("import_url")
    a.setStatusTip("输入报告网页的网址，下载并读取其中的报告（或其附件），用作上年报告或打开")
    a.triggered.connect(lambda _checked=False: ask_url(window))
    return a


def ask_url(window: QWidget) -> None:
    from PySide6.QtWidgets import QInputDialog
    url, ok = QInputDialog.getText(window, TITLE, PROMPT, QLineEdit.Normal, "https://")
    url = url.strip()
    if ok and url and url not in ("https://", "http://"):
        import_url(window, url)


def import_url(window: QWidget, url: str, default_choice: str = "baseline",
               done: Callable[[str | None], None] | None = None) -> bool:
    """Download and read ``url`` in the background, then preview it in ``window``.

    Returns False (and says why) when ``url`` is not an http(s) address.  ``done``
    is called with the clerk's choice, or None when it failed.
    """
    from model.fetch import fetch_report, is_url

    from .background import run_in_background

    if not is_url(url):
        from PySide6.QtWidgets import QMessageBox
        QMessageBox.warning(window, TITLE, f"“{url}”不是网址：请输入以 http:// 或 https:// 开头的地址。")
        return False
    if getattr(window, "read_job", None) is not None:
        from PySide6.QtWidgets import QMessageBox
        QMessageBox.information(window, TITLE, "正在读取另一个文件，请等它读完或取消后再试。")
        return False
    status = getattr(window, "statusBar", None)
    if status is not None:
        status().showMessage(f"正在下载 {url} …")

    def finished(result, error: str | None) -> None:
        if hasattr(window, "read_job"):
            window.read_job = None
        if status is not None:
            status().clearMessage()
        if error is None and result is None:          # the clerk cancelled: nothing changes
            if status is not None:
                status().showMessage("已取消从网址导入", 5000)
            if done is not None:
                done(None)
            return
        if error is not None or result is None:
            from PySide6.QtWidgets import QMessageBox
            QMessageBox.warning(window, TITLE, error or f"无法从“{url}”读取报告。")
            if done is not None:
                done(None)
            return
        choice = window.apply_import(result, default_choice)
        if done is not None:
            done(choice)

    job = run_in_background(window, f"正在下载并读取“{url}”…", lambda: fetch_report(url), finished,
                            cancellable=True)
    if hasattr(window, "read_job"):
        window.read_job = job               # the window's read under way (取消 on its indicator)
    return True
