"""Starting the application: ``run(sys.argv)``."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from model import paths


def _answer_pyside_source_scan() -> None:
    """Tell PySide6 beforehand what it would otherwise read every source file to learn.

    Once PySide6 is loaded, each module named by an import statement the first time
    has its whole source read (``inspect.getsource``) to see whether the word
    "PySide6" occurs in it, which decides whether ``from __feature__ import
    snake_case`` could apply to it: ≈ 0.3 ms a module, some 50 modules (``typing``,
    ``pathlib``, the model, this package …) before the first window paints.  No module
    of this program selects a feature, so the answer is given here, as the scan would
    give it: this package's modules use PySide6 (0), the model and the standard
    library do not (-1, "ignore").  Other packages are still scanned.  The table is
    PySide6's own (``shibokensupport.feature.pyside_feature_dict``); without it
    (another PySide6) nothing is done and PySide6 scans as before."""
    feature = sys.modules.get("shibokensupport.feature")
    known = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(known, dict):
        return
    stdlib = sys.stdlib_module_names
    for name in stdlib:
        known.setdefault(name, -1)
    for name in list(sys.modules):
        if name.partition(".")[0] in stdlib:
            known.setdefault(name, -1)
    root = Path(__file__).resolve().parent.parent
    for package, uses in (("gui", 0), ("model", -1)):
        known.setdefault(package, uses)
        for folder, _dirs, files in os.walk(root / package):
            rel = Path(folder).relative_to(root).parts
            if "__pycache__" in rel:
                continue
            prefix = ".".join(rel)
            known.setdefault(prefix, uses)
            for f in files:
                if f.endswith(".py") and f != "__init__.py":
                    known.setdefault(f"{prefix}.{f[:-3]}", uses)


_answer_pyside_source_scan()

ORGANIZATION = "Nianbao"
APPLICATION = "Nianbao"
STYLESHEET_NAME = "app.qss"


# Strings Qt's own Chinese translation lacks or words differently from this program.
EXTRA_TRANSLATIONS: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Look in:"): "查找范围：",
    ("QFileDialog", "Files of type:"): "文件类型：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileSystemModel", "Size"): "大小",
    ("QFileDialog", "Size"): "大小",
}
# the program says 撤销 (the standard word); Qt's translation says 撤消
WORD_FIXES = (("撤消", "撤销"),)


class ChineseTranslator(QTranslator):
    """Qt's own translation (``qtbase_zh_CN``), completed and worded like the program."""

    def __init__(self, base: QTranslator | None, parent=None) -> None:
        super().__init__(parent)
        self._base = base

    def isEmpty(self) -> bool:
        return False

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        extra = EXTRA_TRANSLATIONS.get((context, source))
        if extra is not None:
            return extra
        if self._base is None:
            return ""
        text = self._base.translate(context, source, disambiguation, n)
        for old, new in WORD_FIXES:
            if old in text:
                text = text.replace(old, new)
        return text


def install_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own Chinese strings (确定 / 取消 / 撤销 in standard dialogs and menus)."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    base = QTranslator(app)
    if not base.load("qtbase_zh_CN", folder):
        base = None
    tr = ChineseTranslator(base, app)
    app.installTranslator(tr)
    return [t for t in (base, tr) if t is not None]


def use_qt_dialogs() -> None:
    """Qt's own file dialog everywhere (the same, in Chinese, on every desktop).  Read
    when a dialog is made, so it may be set after the first paint (the start screen
    does: touching ``Qt`` builds all its enums)."""
    from PySide6.QtCore import Qt
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)


def make_app(argv: list[str], qt_dialogs: bool = True) -> QApplication:
    """The application; ``qt_dialogs=False`` leaves :func:`use_qt_dialogs` to the caller."""
    if qt_dialogs:
        use_qt_dialogs()
    app = QApplication.instance() or QApplication(argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    app._nianbao_translators = install_translations(app)     # keep them alive
    qss = paths.STYLES_DIR / STYLESHEET_NAME
    if qss.is_file():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    return app


SHOW_WHILE_READING_MS = 150     # a read that takes longer: the window appears without the file


def show_when_read(window) -> None:
    """Show ``window`` once the read it has started has ended, so that its first paint has
    the file in it (a paint of the empty window, then of the file, took longer and
    flickered); a slow read shows the window after a moment, its busy indicator over it."""
    if not window.reading():
        window.show()
        return

    def show() -> None:
        window.readEnded.disconnect(show)
        window.show()

    window.readEnded.connect(show)
    QTimer.singleShot(SHOW_WHILE_READING_MS, window, window.show)


def run(argv: list[str]) -> int:
    """Open the window: on the file given on the command line, or after the start dialog."""
    files = [a for a in argv[1:] if not a.startswith("-")]
    # Qt's own file dialogs are chosen after the first paint (the start screen's or the
    # main window's): the attribute is a Qt enum (gui.early)
    app = make_app(argv, qt_dialogs=False)
    from .settings import Settings

    settings = Settings()
    if files:
        from .document import ReportDocument
        from .main_window import MainWindow
        path = Path(files[0]).expanduser()
        doc = ReportDocument(check=False)      # checked right after the first paint
        window = MainWindow(doc, settings)
        from .lock_dialog import install
        install(window)                         # lock, autosave of the opened file (issue 14)
        if not path.is_file():
            window.show()
            from PySide6.QtWidgets import QMessageBox
            QMessageBox.warning(window, "无法打开", f"找不到文件“{path}”。")
        else:
            window.open_path(path.resolve(), ask=False)
            show_when_read(window)
        return app.exec()

    from .autosave import find_autosave
    from .start_dialog import StartDialog
    dlg = StartDialog(None, settings.recent_files(existing_only=True), find_autosave(), settings)
    if not dlg.exec():
        return 0
    use_qt_dialogs()                            # (done already when the start screen settled)
    chosen = dlg.result_report()
    if chosen is None:
        return 0
    report, path = chosen
    # the main window's modules load once the start screen has been answered
    from .document import ReportDocument
    from .main_window import MainWindow
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
