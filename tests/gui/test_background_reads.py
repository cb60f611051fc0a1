"""Issue 14 item 9: every read in the window runs off the GUI thread and can be cancelled.

Each path a clerk has to a file — open a project, open a report, import last year's
report, a recent file, 从网址导入, the start screen's 打开 / 从上年报告开始 — is driven
with the model's read function replaced by one that blocks on a ``threading.Event``:
the event loop keeps turning, 取消 (a real mouse click on the busy indicator) ends the
wait at once, and the document is unchanged — also after the blocked read returns.
A FIFO given on each path is refused with a Chinese message.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QPushButton

import gui.filedialogs as filedialogs
from gui.background import busy_work
from gui.document import ReportDocument
from gui.main_window import MainWindow
from gui.settings import Settings
from model import project
from model.render import render
from tests.gui.test_document import consistent_report

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    shown: list[str] = []
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(
            lambda parent, title, text, *a, **k: shown.append(text)))
    return shown


@pytest.fixture
def window(qtbot, tmp_path, settings):
    w = MainWindow(ReportDocument(consistent_report()), settings, autosave=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    qtbot.waitUntil(lambda: busy_work() == 0, timeout=30000)   # no read left behind


class Blocker:
    """A read function that waits until released (and then fails, unused)."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self, *args, **kwargs):
        self.started.set()
        self.release.wait(60)
        raise OSError("此结果不应被使用")


@pytest.fixture
def blocker():
    b = Blocker()
    yield b
    b.release.set()


def _published(tmp_path: Path, name: str = "上年.txt") -> Path:
    r = consistent_report()
    r.agency, r.year = "某某区司法局", 2024
    p = tmp_path / name
    p.write_text(render(r, "txt"), encoding="utf-8")
    return p


def _project(tmp_path: Path) -> Path:
    p = tmp_path / "报告.nianbao"
    project.save(consistent_report(), p)
    return p


def _pick(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(filedialogs, "open_file", lambda *a, **k: str(path))


def _turns(parent) -> dict:
    """How often the event loop turned (a zero-interval timer)."""
    seen = {"n": 0}
    t = QTimer(parent)
    t.setInterval(0)
    t.timeout.connect(lambda: seen.__setitem__("n", seen["n"] + 1))
    t.start()
    seen["timer"] = t
    return seen


def _cancel_when_shown(qtbot, holder) -> None:
    """Wait until the busy indicator shows, then click its 取消 (a real mouse click)."""
    qtbot.waitUntil(lambda: holder.read_job is not None and holder.read_job.progress is not None
                    and holder.read_job.progress.isVisible(),
                    timeout=10000)
    cancel = [b for b in holder.read_job.progress.findChildren(QPushButton) if b.text() == "取消"]
    assert cancel, "the busy indicator offers 取消"
    qtbot.mouseClick(cancel[0], Qt.MouseButton.LeftButton)


def _assert_blocked_read_is_harmless(qtbot, w, blocker, warnings) -> None:
    before, path, modified = w.doc.report, w.doc.path, w.doc.is_modified()
    qtbot.waitUntil(blocker.started.is_set, timeout=10000)
    seen = _turns(w)
    qtbot.waitUntil(lambda: seen["n"] >= 20, timeout=10000)     # the window answers meanwhile
    assert w.reading()
    _cancel_when_shown(qtbot, w)
    qtbot.waitUntil(lambda: not w.reading(), timeout=5000)
    assert w.doc.report is before and w.doc.path == path and w.doc.is_modified() == modified
    assert "已取消" in w.statusBar().currentMessage()
    blocker.release.set()                                       # the read ends (with an error)…
    qtbot.waitUntil(lambda: busy_work() == 0, timeout=10000)
    qtbot.waitUntil(lambda: seen["n"] >= 40, timeout=10000)     # …and its result is dropped
    seen["timer"].stop()
    assert w.doc.report is before and w.doc.path == path and not warnings


# --------------------------------------------------------------------------
# the window's paths
# --------------------------------------------------------------------------

def test_open_project_blocked_read_is_cancelled(qtbot, window, blocker, warnings, tmp_path,
                                                monkeypatch):
    monkeypatch.setattr(project, "load_with_stamp", blocker)
    window.open_path(_project(tmp_path), ask=False)
    _assert_blocked_read_is_harmless(qtbot, window, blocker, warnings)


def test_open_dialog_report_blocked_read_is_cancelled(qtbot, window, blocker, warnings, tmp_path,
                                                      monkeypatch):
    import model.importers as importers
    monkeypatch.setattr(importers, "read_file", blocker)
    _pick(monkeypatch, _published(tmp_path))
    window.open_action.trigger()
    _assert_blocked_read_is_harmless(qtbot, window, blocker, warnings)


def test_open_dialog_project_blocked_read_is_cancelled(qtbot, window, blocker, warnings, tmp_path,
                                                       monkeypatch):
    monkeypatch.setattr(project, "load_with_stamp", blocker)
    _pick(monkeypatch, _project(tmp_path))
    window.open_action.trigger()
    _assert_blocked_read_is_harmless(qtbot, window, blocker, warnings)


def test_import_last_year_blocked_read_is_cancelled(qtbot, window, blocker, warnings, tmp_path,
                                                    monkeypatch):
    import model.importers as importers
    monkeypatch.setattr(importers, "read_file", blocker)
    _pick(monkeypatch, _published(tmp_path))
    window.import_action.trigger()
    baseline = window.doc.report.baseline
    _assert_blocked_read_is_harmless(qtbot, window, blocker, warnings)
    assert window.doc.report.baseline is baseline


def test_recent_file_blocked_read_is_cancelled(qtbot, window, blocker, warnings, tmp_path,
                                               monkeypatch, settings):
    monkeypatch.setattr(project, "load_with_stamp", blocker)
    p = _project(tmp_path)
    settings.add_recent_file(p)
    window._fill_recent_menu()
    action = next(a for a in window.recent_menu.actions() if a.text() == p.name)
    action.trigger()
    _assert_blocked_read_is_harmless(qtbot, window, blocker, warnings)
    assert settings.recent_files()[0] == p          # a cancelled read is no failed one


def test_url_import_blocked_download_is_cancelled(qtbot, window, blocker, warnings, monkeypatch):
    import model.fetch as fetch
    from gui.url_import import import_url
    monkeypatch.setattr(fetch, "fetch_report", blocker)
    done: list = []
    assert import_url(window, "https://example.invalid/2024.html", done=done.append)
    _assert_blocked_read_is_harmless(qtbot, window, blocker, warnings)
    assert done == [None]


def test_a_second_read_waits_for_the_first(qtbot, window, blocker, warnings, tmp_path, monkeypatch):
    monkeypatch.setattr(project, "load_with_stamp", blocker)
    p = _project(tmp_path)
    window.open_path(p, ask=False)
    qtbot.waitUntil(blocker.started.is_set, timeout=10000)
    first = window.read_job
    window.open_path(p, ask=False)
    assert window.read_job is first and "另一个文件" in window.statusBar().currentMessage()
    _cancel_when_shown(qtbot, window)
    qtbot.waitUntil(lambda: not window.reading(), timeout=5000)


def test_a_project_opens_once_read(qtbot, window, warnings, tmp_path):
    """The normal case still opens the file: the document is replaced after the read."""
    r = consistent_report()
    r.agency = "某某县交通运输局"
    p = tmp_path / "交通.nianbao"
    project.save(r, p)
    window.open_path(p, ask=False)
    assert window.doc.path is None                  # not yet: the read runs off the GUI thread
    qtbot.waitUntil(lambda: window.doc.path == p, timeout=10000)
    assert window.doc.report.agency == "某某县交通运输局" and not warnings
    assert window.doc.disk_stamp is not None        # the state on disk it was loaded with
    window.doc.close_file()


def test_a_bad_project_leaves_the_document(qtbot, window, warnings, tmp_path, settings):
    bad = tmp_path / "坏.nianbao"
    bad.write_text('{"format": "nianbao", "values": {"t3.new.person": 1e999999}}', encoding="utf-8")
    settings.add_recent_file(bad)
    before = window.doc.report
    window.open_path(bad, ask=False)
    qtbot.waitUntil(lambda: bool(warnings), timeout=10000)
    assert window.doc.report is before and window.doc.path is None
    assert "坏.nianbao" in warnings[0] or "无法" in warnings[0]
    assert bad not in settings.recent_files()


# --------------------------------------------------------------------------
# FIFOs on every path: refused with a Chinese message, nothing replaced
# --------------------------------------------------------------------------

@posix
@pytest.mark.parametrize("how", ["open_path", "open_dialog", "import", "recent"])
@pytest.mark.parametrize("name", ["管道.nianbao", "管道.docx", "管道.txt"])
def test_a_fifo_is_refused_on_every_window_path(qtbot, window, warnings, tmp_path, monkeypatch,
                                                settings, how, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    before = window.doc.report
    if how == "open_path":
        window.open_path(fifo, ask=False)
    elif how == "recent":
        settings.add_recent_file(fifo)
        window.open_path(fifo)
    else:
        _pick(monkeypatch, fifo)
        (window.open_action if how == "open_dialog" else window.import_action).trigger()
    qtbot.waitUntil(lambda: bool(warnings), timeout=10000)
    assert "命名管道" in warnings[0] and "Traceback" not in warnings[0]
    assert window.doc.report is before and window.doc.path is None


# --------------------------------------------------------------------------
# the start screen
# --------------------------------------------------------------------------

@pytest.fixture
def start_dialog(qtbot, settings):
    from gui.start_dialog import StartDialog
    dlg = StartDialog(None, [], None, settings)
    qtbot.addWidget(dlg)
    dlg.show()
    yield dlg
    qtbot.waitUntil(lambda: busy_work() == 0, timeout=30000)


@pytest.mark.parametrize("button", ["open_button", "next_year_button"])
def test_start_screen_blocked_read_is_cancelled(qtbot, start_dialog, blocker, warnings, tmp_path,
                                                monkeypatch, button):
    import model.importers as importers
    monkeypatch.setattr(importers, "read_file", blocker)
    _pick(monkeypatch, _published(tmp_path))
    qtbot.mouseClick(getattr(start_dialog, button), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(blocker.started.is_set, timeout=10000)
    seen = _turns(start_dialog)
    qtbot.waitUntil(lambda: seen["n"] >= 20, timeout=10000)
    _cancel_when_shown(qtbot, start_dialog)
    qtbot.waitUntil(start_dialog.isEnabled, timeout=5000)
    blocker.release.set()
    qtbot.waitUntil(lambda: busy_work() == 0, timeout=10000)
    seen["timer"].stop()
    assert start_dialog.result_report() is None and start_dialog.isVisible() and not warnings


@posix
@pytest.mark.parametrize("button", ["open_button", "next_year_button"])
def test_start_screen_refuses_a_fifo(qtbot, start_dialog, warnings, tmp_path, monkeypatch, button):
    fifo = tmp_path / "管道.docx"
    os.mkfifo(fifo)
    _pick(monkeypatch, fifo)
    qtbot.mouseClick(getattr(start_dialog, button), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(warnings), timeout=10000)
    assert "命名管道" in warnings[0] and start_dialog.result_report() is None


# --------------------------------------------------------------------------
# the tools' reads (combine, register, compare, roster) and the reads that wait
# (start screen's example and restore, 重新载入): all off the GUI thread, 取消
# --------------------------------------------------------------------------

def _click_cancel_of_any_indicator(qtbot, parent, blocker) -> dict:
    """Once the read has started and a busy indicator under ``parent`` shows, count
    event-loop turns, then click its 取消 (works while a local event loop waits)."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QProgressDialog
    seen = {"n": 0, "clicked": False}
    timer = QTimer(parent)
    timer.setInterval(0)

    def poll():
        seen["n"] += 1
        if seen["clicked"] or not blocker.started.is_set() or seen["n"] < 20:
            return
        for dlg in parent.findChildren(QProgressDialog):
            buttons = [b for b in dlg.findChildren(QPushButton) if b.text() == "取消"]
            if dlg.isVisible() and buttons:
                seen["clicked"] = True
                timer.stop()
                QTest.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
                return

    timer.timeout.connect(poll)
    timer.start()
    seen["timer"] = timer
    return seen


def _after_release(qtbot, blocker) -> None:
    blocker.release.set()
    qtbot.waitUntil(lambda: busy_work() == 0, timeout=10000)


def test_combine_blocked_read_is_cancelled(qtbot, window, blocker, warnings, tmp_path, monkeypatch):
    import gui.combine_dialog as combine_dialog
    monkeypatch.setattr(combine_dialog, "read_inputs", blocker)
    d = combine_dialog.CombineDialog(window)
    qtbot.addWidget(d)
    d.show()
    seen = _click_cancel_of_any_indicator(qtbot, d, blocker)
    with qtbot.waitSignal(d.filesRead, timeout=20000):
        d.add_files([_published(tmp_path)])
    assert seen["clicked"] and not d.model.items and d.add_button.isEnabled()
    _after_release(qtbot, blocker)
    assert not d.model.items and not warnings


def test_register_blocked_read_is_cancelled(qtbot, window, blocker, warnings, tmp_path, monkeypatch,
                                            settings):
    import gui.register_dialog as register_dialog
    monkeypatch.setattr(register_dialog, "read_register", blocker)
    d = register_dialog.RegisterDialog(window.doc, settings)
    qtbot.addWidget(d)
    d.show()
    seen = _click_cancel_of_any_indicator(qtbot, d, blocker)
    p = tmp_path / "登记表.csv"
    p.write_text("收到日期\n", encoding="utf-8")
    with qtbot.waitSignal(d.registerLoaded, timeout=20000):
        d.load_register(p)
    assert seen["clicked"] and d.register is None and d.browse_button.isEnabled()
    _after_release(qtbot, blocker)
    assert d.register is None and not warnings


def test_compare_blocked_read_is_cancelled(qtbot, blocker, warnings, tmp_path, monkeypatch):
    import model.importers as importers
    from gui.compare_view import CompareWindow
    monkeypatch.setattr(importers, "read_file", blocker)
    w = CompareWindow()
    qtbot.addWidget(w)
    w.show()
    seen = _click_cancel_of_any_indicator(qtbot, w, blocker)
    with qtbot.waitSignal(w.compared, timeout=20000):
        w.load_file(1, _published(tmp_path))
    assert seen["clicked"] and w.reports[1] is None
    _after_release(qtbot, blocker)
    assert w.reports[1] is None and not warnings


def test_roster_blocked_read_is_cancelled(qtbot, blocker, warnings, tmp_path, monkeypatch):
    import gui.audit_view as audit_view
    monkeypatch.setattr(audit_view, "read_roster", blocker)
    w = audit_view.AuditWindow(workers=1)
    qtbot.addWidget(w)
    w.show()
    p = tmp_path / "名录.csv"
    p.write_text("名称\n甲局\n", encoding="utf-8")
    seen = _click_cancel_of_any_indicator(qtbot, w, blocker)
    assert w.set_roster(p) is False                 # returns once 取消 is clicked
    assert seen["clicked"] and w.roster is None and not warnings
    _after_release(qtbot, blocker)
    assert w.roster is None and not warnings


def test_start_screen_example_blocked_read_is_cancelled(qtbot, start_dialog, blocker, warnings,
                                                        monkeypatch):
    monkeypatch.setattr(project, "load", blocker)
    seen = _click_cancel_of_any_indicator(qtbot, start_dialog, blocker)
    qtbot.mouseClick(start_dialog.example_button, Qt.MouseButton.LeftButton)
    assert seen["clicked"] and start_dialog.result_report() is None and start_dialog.isVisible()
    _after_release(qtbot, blocker)
    assert start_dialog.result_report() is None and not warnings


def test_reload_after_change_on_disk_blocked_read_is_cancelled(qtbot, window, blocker, warnings,
                                                               tmp_path, monkeypatch):
    import gui.lock_dialog as lock_dialog
    from model.project import ChangedOnDiskError
    p = _project(tmp_path)
    window.open_path(p, ask=False)
    qtbot.waitUntil(lambda: window.doc.path == p, timeout=10000)
    window.doc.set_cell_text("t3.new.person", "5")
    before = window.doc.report
    monkeypatch.setattr(lock_dialog, "choose", lambda *a, **k: "reload")
    monkeypatch.setattr(project, "load_with_stamp", blocker)
    seen = _click_cancel_of_any_indicator(qtbot, window, blocker)
    assert lock_dialog.resolve_changed_on_disk(window, ChangedOnDiskError(p, None)) is False
    assert seen["clicked"] and window.doc.report is before and window.doc.is_modified()
    _after_release(qtbot, blocker)
    assert window.doc.report is before and not warnings
    window.doc.undo_stack.setClean()            # closing the window asks nothing
    window.doc.close_file()
