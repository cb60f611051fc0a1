"""Issue 14 items 1–3: two instances on one file, and crash-and-restart for every recovery path.

Instances are real processes: a child runs a :class:`ReportDocument` (offscreen Qt)
with its lock and autosave, driven line by line over stdin; a crash is a SIGKILL.
The window-side choices (save as / reload / overwrite, restore) go through
``gui.lock_dialog.choose``, replaced here by the clerk's answer.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

import gui.autosave as autosave
import gui.lock_dialog as lock_dialog
from gui.autosave import FILE_NEWER, find_autosave, find_autosave_for
from gui.main_window import MainWindow
from gui.settings import Settings
from model import lock, project
from model.paths import EXAMPLE_REPORT

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 300
posix = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

INSTANCE = r"""
import os, sys
sys.path.insert(0, sys.argv[1])
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from gui.autosave import Autosaver
from gui.document import ReportDocument
from model import project
from model.project import ChangedOnDiskError
doc = ReportDocument(locking=True)
saver = Autosaver(doc, folder=Path(sys.argv[2]))
print("ready", os.getpid(), flush=True)
for line in sys.stdin:
    cmd, _, arg = line.strip().partition(" ")
    if cmd == "open":
        report, stamp = project.load_with_stamp(arg)
        doc.replace_report(report, Path(arg), stamp=stamp)
        h = doc.lock_holder
        print("held", h.pid if h else "-", flush=True)
    elif cmd == "set":
        cell, _, value = arg.partition(" ")
        doc.set_cell_text(cell, value)
        print("set", flush=True)
    elif cmd == "autosave":
        print("autosaved", saver.save_now(), flush=True)
    elif cmd == "save":
        try:
            doc.save()
            print("saved", flush=True)
        except ChangedOnDiskError as e:
            print("changed", str(e).replace("\n", " "), flush=True)
    elif cmd == "saveas":
        doc.save(arg)
        print("saved", flush=True)
    elif cmd == "quit":
        saver.stop(remove=True)
        doc.close_file()
        print("bye", flush=True)
        break
"""


class Instance:
    def __init__(self, folder: Path):
        self.proc = subprocess.Popen([sys.executable, "-c", INSTANCE, str(ROOT), str(folder)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, cwd=ROOT)
        word, pid = self._line().split()
        assert word == "ready"
        self.pid = int(pid)

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            err = self.proc.stderr.read() if self.proc.stderr else ""
            raise AssertionError(f"instance ended: {err[-2000:]}")
        return line.strip()

    def __call__(self, command: str) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self._line()

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=TIMEOUT)

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self("quit")
            except (AssertionError, BrokenPipeError):
                pass
            self.proc.wait(timeout=TIMEOUT)
        err = self.proc.stderr.read() if self.proc.stderr else ""
        assert "Traceback" not in err, err


@pytest.fixture
def project_file(tmp_path) -> Path:
    p = tmp_path / "docs" / "报告.nianbao"
    p.parent.mkdir()
    shutil.copy(EXAMPLE_REPORT, p)
    return p


@pytest.fixture
def settings(tmp_path):
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))


# --------------------------------------------------------------------------
# two instances on one file
# --------------------------------------------------------------------------

@posix
def test_two_instances_on_one_file_the_second_is_warned_and_nothing_is_lost(tmp_path, project_file):
    a = Instance(tmp_path / "autosave-a")
    b = Instance(tmp_path / "autosave-b")
    try:
        assert a(f"open {project_file}") == "held -"            # A takes the lock
        assert b(f"open {project_file}") == f"held {a.pid}"     # B is told A has it open
        holder = lock.read_lock(project_file)
        assert holder is not None and holder.pid == a.pid and not holder.stale
        assert a("set t3.new.person 111") == "set"
        assert a("save") == "saved"
        assert b("set t3.new.person 222") == "set"
        answer = b("save")                                       # B's save would lose A's
        assert answer.startswith("changed") and "修改" in answer
        assert project.load(project_file).values["t3.new.person"] == 111    # A's work is kept
        copy = project_file.with_name("报告（B）.nianbao")
        assert b(f"saveas {copy}") == "saved"                    # B's work goes elsewhere
        assert project.load(copy).values["t3.new.person"] == 222
        a.close()
        assert lock.read_lock(project_file) is None              # A closed: its lock is gone
    finally:
        a.close()
        b.close()
    assert not list(project_file.parent.glob("*.tmp")) and not list(project_file.parent.glob(".*.tmp"))


@posix
def test_a_crashed_instance_lock_is_stale_and_taken_over(tmp_path, project_file):
    a = Instance(tmp_path / "as")
    assert a(f"open {project_file}") == "held -"
    a.kill()
    info = lock.read_lock(project_file)
    assert info is not None and info.pid == a.pid and info.stale
    taken, holder = lock.acquire(project_file)
    assert taken is not None and holder is None
    taken.release()
    assert lock.read_lock(project_file) is None


def _window(qtbot, settings, folder: Path) -> MainWindow:
    w = MainWindow(settings=settings, autosave_folder=folder)
    w.maybe_save = lambda: True          # the test's end closes the window without asking
    qtbot.addWidget(w)
    lock_dialog.install(w)
    return w


@posix
def test_window_warns_when_the_file_is_open_elsewhere_and_offers_choices_on_save(
        qtbot, tmp_path, project_file, settings, monkeypatch):
    asked: list[tuple[str, str]] = []
    answers = iter(["ok", "reload", "overwrite"])

    def choose(parent, title, text, choices, default, icon=None):
        asked.append((title, text))
        return next(answers)
    monkeypatch.setattr(lock_dialog, "choose", choose)
    other = Instance(tmp_path / "as-other")
    try:
        assert other(f"open {project_file}") == "held -"
        w = _window(qtbot, settings, tmp_path / "as-mine")
        w.open_path(project_file, ask=False)
        qtbot.waitUntil(lambda: len(asked) == 1, timeout=5000)
        assert "已由" in asked[0][1] and str(other.pid) in asked[0][1]      # the warning
        w.doc.set_cell_text("t3.new.person", "5")
        assert other("set t3.new.person 7") == "set" and other("save") == "saved"
        assert w.save() is False                                  # reload chosen
        assert "修改" in asked[1][1]
        assert w.doc.report.values["t3.new.person"] == 7 and not w.doc.is_modified()
        w.doc.set_cell_text("t3.new.person", "9")
        assert other("set t3.new.person 8") == "set" and other("save") == "saved"
        assert w.save() is True                                   # overwrite chosen
        assert project.load(project_file).values["t3.new.person"] == 9
        w.doc.close_file()
    finally:
        other.close()


# --------------------------------------------------------------------------
# crash and restart, for every recovery path
# --------------------------------------------------------------------------

@posix
def test_crash_then_plain_start_offers_the_autosave(tmp_path, project_file):
    folder = tmp_path / "autosave"
    a = Instance(folder)
    assert a(f"open {project_file}") == "held -"
    assert a("set t3.new.person 321") == "set"
    assert a("autosave") == "autosaved True"
    a.kill()
    info = find_autosave(folder)
    assert info is not None and info.load().values["t3.new.person"] == 321
    assert info.pid == a.pid and info.host
    assert "自动保存比原文件" in info.describe()                 # says which is newer


@posix
def test_crash_then_open_by_path_offers_the_autosave(qtbot, tmp_path, project_file, settings,
                                                      monkeypatch):
    folder = tmp_path / "autosave"
    a = Instance(folder)
    assert a(f"open {project_file}") == "held -"
    assert a("set t3.new.person 654") == "set"
    assert a("autosave") == "autosaved True"
    a.kill()
    asked: list[str] = []

    def choose(parent, title, text, choices, default, icon=None):
        asked.append(text)
        return "restore"
    monkeypatch.setattr(lock_dialog, "choose", choose)
    w = _window(qtbot, settings, folder)
    w.open_path(project_file, ask=False)                        # command line / open dialog / recent
    qtbot.waitUntil(lambda: w.doc.is_modified(), timeout=5000)
    assert len(asked) == 1 and "自动保存" in asked[0]           # no lock warning: A's lock was stale
    assert w.doc.report.values["t3.new.person"] == 654 and w.doc.path == project_file
    w.doc.close_file()


@posix
def test_stale_autosave_is_not_restored_over_newer_work_unknowingly(qtbot, tmp_path, project_file,
                                                                     settings, monkeypatch):
    """Issue 14 item 2: crash, open by path, decline, edit, save — the next start says the file is newer."""
    folder = tmp_path / "autosave"
    a = Instance(folder)
    assert a(f"open {project_file}") == "held -"
    assert a("set t3.new.person 1") == "set" and a("autosave") == "autosaved True"
    a.kill()
    monkeypatch.setattr(lock_dialog, "choose", lambda *a, **k: "later")
    w = _window(qtbot, settings, folder)
    w.open_path(project_file, ask=False)
    qtbot.waitUntil(lambda: w.doc.path == project_file, timeout=10000)   # read off the GUI thread
    w.doc.set_cell_text("t3.new.person", "2")
    w.doc.save()
    mtime = project_file.stat().st_mtime
    os.utime(project_file, (mtime + 60, mtime + 60))            # saved after the autosave
    w.doc.close_file()
    info = find_autosave(folder)
    assert info is not None
    state, sentence = info.compare()
    assert state == FILE_NEWER and "更新" in sentence and "覆盖" in sentence
    assert "比这份自动保存更新" in info.describe()
    # the same work already in the file: nothing is offered, and the autosave is dropped
    shutil.copy(info.path, project_file)
    assert find_autosave(folder) is None and not info.path.exists()


@posix
def test_a_live_instance_autosave_is_not_offered_nor_deleted(tmp_path, project_file):
    folder = tmp_path / "autosave"
    a = Instance(folder)
    try:
        assert a(f"open {project_file}") == "held -"
        assert a("set t3.new.person 77") == "set" and a("autosave") == "autosaved True"
        files = sorted(folder.glob("autosave-*"))
        assert len(files) == 2
        meta = json.loads(next(f for f in files if f.suffix == ".json").read_text(encoding="utf-8"))
        assert meta["pid"] == a.pid and meta["host"]
        assert find_autosave(folder) is None                     # A is running: not a crash
        assert find_autosave_for(project_file, folder) is None
        assert sorted(folder.glob("autosave-*")) == files        # and nothing of A's was deleted
        a.kill()                                                 # now it is a crash
        info = find_autosave(folder)
        assert info is not None and info.load().values["t3.new.person"] == 77
    finally:
        a.close()


# --------------------------------------------------------------------------
# item 5: continuous typing is autosaved within a bound
# --------------------------------------------------------------------------

def test_continuous_typing_is_autosaved_without_waiting_for_quiet(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QTimer

    from gui.document import ReportDocument
    monkeypatch.setattr(autosave, "IDLE_MS", 3_000)
    monkeypatch.setattr(autosave, "MAX_DELAY_MS", 400)
    doc = ReportDocument(project.load(EXAMPLE_REPORT), path=tmp_path / "x.nianbao")
    saver = autosave.Autosaver(doc, tmp_path / "as")
    saves: list[Path] = []
    saver.saved.connect(saves.append)
    idle_fired: list[int] = []
    saver._idle.timeout.connect(lambda: idle_fired.append(1))
    n = [0]

    def type_one():
        n[0] += 1
        doc.set_section("other", "打字" * n[0])
    typing = QTimer()
    typing.setInterval(30)                   # a keystroke every 30 ms: the idle timer never fires
    typing.timeout.connect(type_one)
    typing.start()
    try:
        qtbot.waitUntil(lambda: bool(saves), timeout=5000)
        assert not idle_fired                # still typing: it was the bound that saved
    finally:
        typing.stop()
        saver.stop()
    assert n[0] < 500                        # …and not a save per keystroke


# --------------------------------------------------------------------------
# item 9: a FIFO opened in the window is refused at once (no frozen window)
# --------------------------------------------------------------------------

@posix
@pytest.mark.parametrize("name", ["pipe.nianbao", "pipe.txt", "pipe.docx"])
def test_the_window_refuses_a_fifo_without_freezing(qtbot, tmp_path, settings, monkeypatch, name):
    from PySide6.QtWidgets import QMessageBox
    fifo = tmp_path / name
    os.mkfifo(fifo)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append(text))
    w = _window(qtbot, settings, tmp_path / "as")
    before = w.doc.report
    w.open_path(fifo, ask=False)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "命名管道" in shown[0]
    assert w.doc.report is before and w.doc.path is None      # the document was not replaced
