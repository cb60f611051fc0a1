"""Autosave of the working state, and its recovery at the next start after a crash.

:class:`Autosaver` watches a :class:`~gui.document.ReportDocument` and writes the
report (with its baseline) every minute while there are unsaved changes, and
after 3 seconds of quiet following a change, into the user's data folder
(``QStandardPaths.AppDataLocation``/autosave).  Each window writes its own pair
of files — ``autosave-<id>.nianbao`` (an ordinary project file, written
atomically by :func:`model.project.save`) and ``autosave-<id>.json`` (when, which
agency and year, which file the work belongs to).  The pair is removed when the
work is saved or the window closes cleanly, so whatever is left at the next
start is work a crash would otherwise have lost: :func:`find_autosave` finds it
for the start dialog, :func:`find_autosave_for` for a file opened any other way
(command line, open dialog, recent files).

Issue 14: the companion records the process and computer (``pid``, ``host``), so
the autosave of an instance that is still running is never offered as a crash
(nor deleted by a second instance); an autosave is compared with the file it
belongs to (:meth:`AutosaveInfo.compare`) — one whose content is already in the
file is dropped, otherwise the offer says which is newer.  Typing is saved at
most :data:`MAX_DELAY_MS` after the first unsaved change, without a save per
keystroke (the idle timer writes after :data:`IDLE_MS` of quiet).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, QTimer, Signal

from model.errors import NianbaoError

# the start screen looks for autosaves before its first paint: the project files
# module (and with it the schema), model.files and uuid are imported when used
if TYPE_CHECKING:  # pragma: no cover
    from model.report import Report

PROJECT_SUFFIX = ".nianbao"     # = model.project.SUFFIX (tests/gui/test_autosave.py keeps them equal)

PERIOD_MS = 60_000
IDLE_MS = 3_000
MAX_DELAY_MS = 10_000       # continuous typing is on disk at most this long after it started
PREFIX = "autosave-"

# AutosaveInfo.compare() states
NO_FILE, MISSING, SAME, FILE_NEWER, AUTOSAVE_NEWER = ("no_file", "missing", "same", "file_newer",
                                                      "autosave_newer")


def default_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.AppDataLocation)
    if not base:
        base = str(Path.home() / ".nianbao")
    return Path(base) / "autosave"


@dataclass(frozen=True)
class AutosaveInfo:
    """One autosaved piece of work found on disk."""

    path: Path                      # the autosaved project file
    meta_path: Path                 # its companion JSON
    saved: datetime                 # when it was written
    agency: str
    year: int | None
    original: Path | None           # the file the work belonged to, None for a new report
    pid: int | None = None          # the process that wrote it
    host: str = ""                  # … on this computer

    def is_live(self) -> bool:
        """Written by another instance that is still running (not a crash)."""
        if self.pid is None or self.pid == os.getpid():
            return False
        from model.files import hostname, pid_alive
        return (not self.host or self.host == hostname()) and pid_alive(self.pid)

    def compare(self) -> tuple[str, str]:
        """``(state, Chinese sentence)``: how this autosave stands to its file as it is now.

        States: NO_FILE (never saved), MISSING (the file is gone), SAME (the file
        holds exactly this work), FILE_NEWER, AUTOSAVE_NEWER.
        """
        if self.original is None:
            return NO_FILE, "这份工作尚未保存为文件"
        try:
            mtime = datetime.fromtimestamp(self.original.stat().st_mtime)
        except OSError:
            return MISSING, f"原文件“{self.original.name}”已不存在"
        from model import project
        try:
            mine = project.report_to_data(self.load())
            theirs = project.report_to_data(project.load(self.original))
        except NianbaoError:
            mine = theirs = None
        if mine is not None and mine == theirs:
            return SAME, f"原文件“{self.original.name}”中已是这些内容"
        if mtime > self.saved:
            return FILE_NEWER, (f"注意：原文件“{self.original.name}”在 {mtime:%Y-%m-%d %H:%M} 保存过，"
                                "比这份自动保存更新；恢复并保存会覆盖文件中较新的内容")
        return AUTOSAVE_NEWER, (f"这份自动保存比原文件“{self.original.name}”"
                                f"（{mtime:%Y-%m-%d %H:%M} 保存）更新")

    def describe(self) -> str:
        what = f"{self.agency or '（未填机关名称）'}"
        if self.year is not None:
            what += f" {self.year} 年"
        where = f"，原文件 {self.original.name}" if self.original else "，尚未保存过"
        state, sentence = self.compare()
        extra = f"。{sentence}" if state in (FILE_NEWER, AUTOSAVE_NEWER, MISSING) else ""
        return f"{what}报告（自动保存于 {self.saved:%Y-%m-%d %H:%M}{where}）{extra}"

    def load(self) -> Report:
        """The autosaved report; raises :class:`model.errors.ProjectError`."""
        from model import project
        return project.load(self.path)

    def discard(self) -> None:
        for p in (self.path, self.meta_path):
            try:
                p.unlink()
            except FileNotFoundError:
                pass


def _all_autosaves(folder: Path) -> list[AutosaveInfo]:
    found: list[AutosaveInfo] = []
    # the project file is what matters; its companion JSON may be missing when a
    # crash landed between the two writes of the very first autosave
    for path in folder.glob(PREFIX + "*" + PROJECT_SUFFIX):
        meta_path = path.with_suffix(".json")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            saved = datetime.fromisoformat(meta["saved"])
            year = meta.get("year")
            original = meta.get("original")
            pid = meta.get("pid")
            found.append(AutosaveInfo(
                path=path, meta_path=meta_path, saved=saved,
                agency=str(meta.get("agency") or ""),
                year=year if isinstance(year, int) else None,
                original=Path(original) if isinstance(original, str) and original else None,
                pid=pid if isinstance(pid, int) and not isinstance(pid, bool) else None,
                host=str(meta.get("host") or "")))
        except (OSError, ValueError, KeyError, TypeError):
            # a half-written companion file: still offer the project file itself
            try:
                saved = datetime.fromtimestamp(path.stat().st_mtime)
            except OSError:
                continue
            found.append(AutosaveInfo(path, meta_path, saved, "", None, None))
    return found


def _offerable(folder: Path | None) -> list[AutosaveInfo]:
    """Autosaves left by a crash: not a running instance's, not work its file already holds."""
    folder = Path(folder) if folder is not None else default_folder()
    if not folder.is_dir():
        return []
    out = []
    for info in _all_autosaves(folder):
        if info.is_live():
            continue                    # another window at work: not a crash, and not ours to delete
        if info.compare()[0] == SAME:
            info.discard()              # the work is safe in its file
            continue
        out.append(info)
    return out


def find_autosave(folder: Path | None = None) -> AutosaveInfo | None:
    """The newest autosaved work in ``folder`` (default: the user's data folder) left by a crash."""
    found = _offerable(folder)
    if not found:
        return None
    return max(found, key=lambda i: i.saved)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


def find_autosave_for(path: Path, folder: Path | None = None) -> AutosaveInfo | None:
    """The newest crash autosave of the work in file ``path`` (for every way of opening a file)."""
    found = [i for i in _offerable(folder) if i.original is not None and _same_file(i.original, path)]
    if not found:
        return None
    return max(found, key=lambda i: i.saved)


class Autosaver(QObject):
    """Writes ``doc``'s report to the autosave folder while it has unsaved changes."""

    saved = Signal(Path)
    failed = Signal(str)        # Chinese message; the window may show it in the status bar

    def __init__(self, doc, folder: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else doc)
        self.doc = doc
        self.folder = Path(folder) if folder is not None else default_folder()
        import uuid
        token = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.path = self.folder / f"{PREFIX}{token}{PROJECT_SUFFIX}"
        self.meta_path = self.path.with_suffix(".json")
        self.last_error: str | None = None
        self._dirty = False
        self._adopted: AutosaveInfo | None = None

        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_MS)
        self._idle.timeout.connect(self.save_now)
        # continuous typing never lets the idle timer fire: this one is not restarted by a change
        self._max = QTimer(self)
        self._max.setSingleShot(True)
        self._max.setInterval(MAX_DELAY_MS)
        self._max.timeout.connect(self._periodic)
        self._period = QTimer(self)
        self._period.setInterval(PERIOD_MS)
        self._period.timeout.connect(self._periodic)
        self._period.start()

        for name in ("cellsChanged", "sectionChanged", "metaChanged", "reportReplaced"):
            getattr(doc, name).connect(self._changed)
        doc.modifiedChanged.connect(self._modified_changed)
        if doc.is_modified():
            # recovered or never-saved work: get it on disk at once
            self._dirty = True
            QTimer.singleShot(0, self._periodic)

    def adopt(self, info: AutosaveInfo) -> None:
        """Take over a recovered autosave: its files are removed once this saver has
        written the work itself, or the work is saved or closed cleanly."""
        self._adopted = info
        self._dirty = True
        QTimer.singleShot(0, self._periodic)

    # ---- triggers -----------------------------------------------------
    def _changed(self, *args) -> None:
        self._dirty = True
        self._idle.start()          # restarts: writes after 3 s of quiet
        if not self._max.isActive():
            self._max.start()       # … but no later than MAX_DELAY_MS after the first change

    def _periodic(self) -> None:
        if self._dirty:
            self.save_now()

    def _modified_changed(self, modified: bool) -> None:
        if modified:
            self._changed()
        else:
            # saved (or undone back to the saved state): nothing to recover
            self._dirty = False
            self._idle.stop()
            self._max.stop()
            self.discard()

    # ---- work ---------------------------------------------------------
    def save_now(self) -> bool:
        """Write the working state now; ``False`` (and :attr:`last_error`) on failure."""
        from model import project
        from model.files import atomic_write, hostname
        self._idle.stop()
        self._max.stop()
        if not self.doc.is_modified():
            self._dirty = False
            self.discard()
            return True
        report = self.doc.report
        original = self.doc.path
        meta = {
            "saved": datetime.now().isoformat(),
            "agency": report.agency,
            "year": report.year,
            "original": str(original) if original else None,
            "pid": os.getpid(),
            "host": hostname(),
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            project.save(report, self.path)
            atomic_write(self.meta_path, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
        except (OSError, NianbaoError) as exc:
            self.last_error = f"自动保存失败：{exc}"
            self.failed.emit(self.last_error)
            return False
        self._dirty = False
        self.last_error = None
        self._drop_adopted()
        self.saved.emit(self.path)
        return True

    def discard(self) -> None:
        """Remove this window's autosave files (the work is safe elsewhere)."""
        for p in (self.path, self.meta_path):
            try:
                p.unlink()
            except OSError:
                pass
        self._drop_adopted()

    def _drop_adopted(self) -> None:
        if self._adopted is not None and self._adopted.path != self.path:
            try:
                self._adopted.discard()
            except OSError:
                return
        self._adopted = None

    def stop(self, remove: bool = True) -> None:
        """A clean close: stop the timers and remove the files."""
        self._idle.stop()
        self._max.stop()
        self._period.stop()
        if remove:
            self.discard()


def restore_into(doc, info: AutosaveInfo, autosaver: Autosaver | None = None) -> Report:
    """Load the autosaved work into ``doc``, marked as unsaved.

    With ``autosaver`` the old files are handed over to it (removed once it has
    written the work itself); without, they are removed at once.  Raises
    :class:`model.errors.ProjectError` (the files are kept then).
    """
    report = info.load()
    doc.replace_report(report, path=info.original, modified=True)
    if autosaver is not None:
        autosaver.adopt(info)
    else:
        info.discard()
    return report
