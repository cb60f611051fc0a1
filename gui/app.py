"""Starting the application: ``run(sys.argv)``."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from model import paths

ORGANIZATION = "Nianbao"
APPLICATION = "Nianbao"
STYLESHEET_NAME = "app.qss"


def install_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own Chinese strings (确定 / 取消 / 撤销 in standard dialogs and menus)."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed = []
    for name in ("qtbase_zh_CN",):
        tr = QTranslator(app)
        if tr.load(name, folder):
            app.installTranslator(tr)
            installed.append(tr)
    return installed


def make_app(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    app._nianbao_translators = install_translations(app)     # keep them alive
    qss = paths.STYLES_DIR / STYLESHEET_NAME
    if qss.is_file():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    return app


def run(argv: list[str]) -> int:
    """Open the window: on the file given on the command line, or after the start dialog."""
    app = make_app(argv)
    from .document import ReportDocument
    from .main_window import MainWindow
    from .settings import Settings

    settings = Settings()
    files = [a for a in argv[1:] if not a.startswith("-")]
    if files:
        path = Path(files[0]).expanduser()
        doc = ReportDocument(check=False)      # checked right after the first paint
        window = MainWindow(doc, settings)
        from .lock_dialog import install
        install(window)                         # lock, autosave of the opened file (issue 14)
        window.show()
        if not path.is_file():
            from PySide6.QtWidgets import QMessageBox
            QMessageBox.warning(window, "无法打开", f"找不到文件“{path}”。")
        else:
            window.open_path(path.resolve(), ask=False)
        return app.exec()

    from .autosave import find_autosave
    from .start_dialog import StartDialog
    dlg = StartDialog(None, settings.recent_files(existing_only=True), find_autosave(), settings)
    if not dlg.exec():
        return 0
    chosen = dlg.result_report()
    if chosen is None:
        return 0
    report, path = chosen
    doc = ReportDocument(check=False)
    doc.replace_report(report, path, modified=dlg.result_modified(), check=False)
    window = MainWindow(doc, settings)
    from .lock_dialog import install
    install(window)                             # lock, autosave of the opened file (issue 14)
    used = dlg.autosave_used()
    if used is not None and window.autosaver is not None:
        window.autosaver.adopt(used)
    if path is not None and path.suffix == ".nianbao":
        settings.add_recent_file(path)
    window.show()
    return app.exec()


def main() -> int:
    return run(sys.argv)


if __name__ == "__main__":
    sys.exit(main())
