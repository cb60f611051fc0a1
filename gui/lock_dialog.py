"""The window's guard over the open project file (issue 14 items 1–3).

- Opened a file another running instance has open (its lock, :mod:`model.lock`):
  a warning saying who has it open since when.
- Opened a file (command line, open dialog, recent files, start dialog) for which a
  crash left an autosave: the recovery is offered, saying whether the autosave
  or the file is newer (:meth:`gui.autosave.AutosaveInfo.compare`).
- Saving over a file that was changed on disk since it was loaded
  (:class:`model.project.ChangedOnDiskError`): 另存为 / 重新载入 / 覆盖 / 取消.

``install(window)`` hooks the guard onto a :class:`gui.main_window.MainWindow`;
:func:`resolve_changed_on_disk` is called by the window's save.  The dialogs go
through :func:`choose`, which tests replace.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from model.errors import NianbaoError
from model.project import ChangedOnDiskError


def choose(parent: QWidget | None, title: str, text: str, choices: list[tuple[str, str]],
           default: str, icon: str = "Warning") -> str:
    """Ask with one button per ``(key, label)``; the key of the one clicked (the last one on Esc).
    ``icon``: a ``QMessageBox.Icon`` by name (QMessageBox is not touched before it is needed:
    the window installs this guard before its first paint, gui.early)."""
    from PySide6.QtWidgets import QMessageBox
    icon_value = getattr(QMessageBox.Icon, icon)
    box = QMessageBox(icon_value, title, text, QMessageBox.StandardButton.NoButton, parent)
    buttons = {}
    for i, (key, label) in enumerate(choices):
        role = QMessageBox.ButtonRole.RejectRole if i == len(choices) - 1 \
            else QMessageBox.ButtonRole.AcceptRole
        buttons[box.addButton(label, role)] = key
        if key == default:
            box.setDefaultButton(list(buttons)[-1])
    box.exec()
    return buttons.get(box.clickedButton(), choices[-1][0])


def resolve_changed_on_disk(window, exc: ChangedOnDiskError) -> bool:
    """The file changed on disk since it was loaded: let the clerk decide. True when saved."""
    doc = window.doc
    key = choose(window, "文件已被修改", str(exc),
                 [("save_as", "另存为…"), ("reload", "重新载入（放弃我的修改）"),
                  ("overwrite", "覆盖"), ("cancel", "取消")], default="save_as")
    if key == "save_as":
        return bool(window.save_as())
    if key == "reload":
        from model import project

        from .background import run_and_wait
        path = doc.path if doc.path is not None else exc.path
        loaded, error = run_and_wait(window, f"正在重新载入“{path.name}”…",        # off the GUI thread
                                     lambda: project.load_with_stamp(path), cancellable=True)
        if error is not None:
            from PySide6.QtWidgets import QMessageBox
            QMessageBox.warning(window, "无法重新载入", error)
            return False
        if loaded is None:                      # 取消: the document stays as it is
            return False
        doc.replace_report(loaded[0], path, stamp=loaded[1])
        window.statusBar().showMessage(f"已重新载入 {exc.path.name}", 5000)
        return False
    if key == "overwrite":
        try:
            doc.save(exc.path, force=True)
        except (NianbaoError, OSError) as e:
            from PySide6.QtWidgets import QMessageBox
            QMessageBox.critical(window, "保存失败", str(e) if isinstance(e, NianbaoError) else
                                 f"无法保存到“{exc.path}”")
            return False
        window.settings.add_recent_file(exc.path)
        window.statusBar().showMessage(f"已保存到 {exc.path}", 5000)
        return True
    return False


class FileGuard(QObject):
    """Watches ``window.doc``: lock warnings and autosave offers for every file opened."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._seen: Path | None = None
        window.doc.reportReplaced.connect(self._later)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(window.doc.close_file)
        self._later()

    def _later(self) -> None:
        w = self.window
        if w.isVisible() and getattr(w, "_first_painted", True) is False:
            return      # shown, not painted yet: MainWindow._after_first_paint asks again
        QTimer.singleShot(0, self.check)

    def _folder(self) -> Path | None:
        saver = getattr(self.window, "autosaver", None)
        if saver is not None:
            return saver.folder
        return getattr(self.window, "_autosave_folder", None)

    def check(self) -> None:
        doc = self.window.doc
        path = doc.path
        if path is None or path == self._seen:
            return
        self._seen = path
        holder = doc.lock_holder
        if holder is not None:
            choose(self.window, "文件已在别处打开",
                   f"“{path.name}”已由 {holder.describe()}打开。\n\n您仍可以查看和修改；"
                   "保存时如发现那边已保存过，会先提醒您，不会悄悄覆盖任何一方的修改。"
                   "为避免混乱，建议只在一处修改，或另存为副本。",
                   [("ok", "知道了")], default="ok")
        if doc.is_modified():
            return                       # recovered work or a new report: nothing on disk to compare
        from .autosave import find_autosave_for, restore_into
        try:
            info = find_autosave_for(path, self._folder())
        except OSError:
            return
        if info is None:
            return
        _state, sentence = info.compare()
        key = choose(self.window, "发现自动保存的工作",
                     f"“{path.name}”有一份上次未正常关闭时自动保存的工作"
                     f"（自动保存于 {info.saved:%Y-%m-%d %H:%M}）。{sentence}。\n\n是否恢复？",
                     [("restore", "恢复自动保存的工作"), ("discard", "不恢复，删除它"),
                      ("later", "暂不处理")], default="restore",
                     icon="Question")
        if key == "restore":
            try:
                restore_into(doc, info, getattr(self.window, "autosaver", None))
            except NianbaoError as e:
                from PySide6.QtWidgets import QMessageBox
                QMessageBox.warning(self.window, "无法恢复", f"自动保存的工作无法恢复：{e}")
                return
            self._seen = doc.path
            self.window.statusBar().showMessage("已恢复自动保存的工作，请检查后保存", 8000)
        elif key == "discard":
            info.discard()


def install(window) -> FileGuard:
    """Guard ``window``'s document (its lock is taken from now on)."""
    window.doc.locking = True
    if window.doc.path is not None and window.doc.lock is None and window.doc.lock_holder is None:
        window.doc._take_lock()
    guard = FileGuard(window)
    window._file_guard = guard
    return guard
