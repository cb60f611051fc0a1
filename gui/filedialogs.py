"""File dialogs: Qt's own (non-native) dialog everywhere, in Chinese, starting in the
folder the clerk last used for that kind of file (remembered with QSettings).

Qt's Chinese translation lacks a few of the file dialog's strings (``Look in:``,
``Files of type:``) and its date column follows the system locale (``1 12 2026``
under a C locale): :func:`localized` gives the dialog a Chinese date column while
it is open; the missing strings come from :class:`gui.app.ChineseTranslator`.

The functions call ``QFileDialog``'s static functions (tests replace those).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEvent, QIdentityProxyModel, QLocale, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel, QWidget

DATE_FORMAT = "yyyy年M月d日 HH:mm"
_DATE_COLUMN = 3


class ChineseDateProxy(QIdentityProxyModel):
    """The file dialog's model with the 修改日期 column written the Chinese way."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and index.column() == _DATE_COLUMN \
                and role == Qt.ItemDataRole.DisplayRole:
            src = self.sourceModel()
            if isinstance(src, QFileSystemModel):
                stamp = src.lastModified(self.mapToSource(index))
                return self._locale.toString(stamp, DATE_FORMAT) if stamp.isValid() else ""
        return super().data(index, role)


class _Localizer(QObject):
    """Gives every file dialog that is shown a :class:`ChineseDateProxy`."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(obj, QFileDialog) \
                and not isinstance(obj.proxyModel(), ChineseDateProxy):
            obj.setProxyModel(ChineseDateProxy(obj))
        return False


def localize(dialog: QFileDialog) -> QFileDialog:
    """A file dialog built by hand: non-native, with the Chinese date column."""
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setProxyModel(ChineseDateProxy(dialog))
    return dialog


@contextmanager
def localized() -> Iterator[None]:
    """While the block runs, file dialogs get the Chinese date column."""
    app = QApplication.instance()
    if app is None:
        yield
        return
    f = _Localizer()
    app.installEventFilter(f)
    try:
        yield
    finally:
        app.removeEventFilter(f)
        f.deleteLater()


# ---- the last folder of each kind of file ------------------------------------

_PREFIX = "folders/"


def last_folder(settings, kind: str, fallback: Path | str | None = None) -> str:
    """The folder last used for ``kind`` (``"open"``, ``"export"``…) when it still exists."""
    qs = getattr(settings, "qsettings", None)
    if qs is not None:
        v = qs.value(_PREFIX + kind, "")
        if isinstance(v, str) and v and Path(v).is_dir():
            return v
    if fallback:
        p = Path(fallback)
        if p.is_dir():
            return str(p)
        if p.parent.is_dir():
            return str(p.parent)
    return str(Path.home())


def remember_folder(settings, kind: str, chosen: str | Path) -> None:
    qs = getattr(settings, "qsettings", None)
    if qs is None or not chosen:
        return
    p = Path(chosen)
    folder = p if p.is_dir() else p.parent
    qs.setValue(_PREFIX + kind, str(folder))


def _start(settings, kind: str, start: str | Path | None, name: str | None = None) -> str:
    folder = last_folder(settings, kind, start)
    return str(Path(folder) / name) if name else folder


def open_file(parent: QWidget | None, title: str, filters: str, settings, kind: str,
              start: str | Path | None = None) -> str:
    """An existing file (``""`` when cancelled); its folder is remembered for ``kind``."""
    with localized():
        name, _ = QFileDialog.getOpenFileName(parent, title, _start(settings, kind, start), filters)
    if name:
        remember_folder(settings, kind, name)
    return name


def open_files(parent: QWidget | None, title: str, filters: str, settings, kind: str,
               start: str | Path | None = None) -> list[str]:
    with localized():
        names, _ = QFileDialog.getOpenFileNames(parent, title, _start(settings, kind, start),
                                                filters)
    if names:
        remember_folder(settings, kind, names[0])
    return list(names)


def save_file(parent: QWidget | None, title: str, suggested: str | Path, filters: str, settings,
              kind: str, selected_filter: str = "") -> tuple[str, str]:
    """A file name to write (``("", "")`` when cancelled), starting in the remembered folder
    with ``suggested``'s name."""
    sug = Path(suggested)
    start = _start(settings, kind, sug.parent if str(sug.parent) not in ("", ".") else None,
                   sug.name)
    with localized():
        name, chosen = QFileDialog.getSaveFileName(parent, title, start, filters, selected_filter)
    if name:
        remember_folder(settings, kind, name)
    return name, chosen


def pick_folder(parent: QWidget | None, title: str, settings, kind: str,
                start: str | Path | None = None) -> str:
    with localized():
        folder = QFileDialog.getExistingDirectory(parent, title, _start(settings, kind, start))
    if folder:
        remember_folder(settings, kind, folder)
    return folder
