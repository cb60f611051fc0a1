"""Work off the GUI thread: :func:`run_in_background` runs a function in the thread
pool and calls back on the GUI thread, with a busy indicator that can offer 取消.

Nothing here imports the model at import time (the functions that read a project
file import it when called), so the start screen can use it without loading the readers.
"""
from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from . import early

SHOW_PROGRESS_AFTER_MS = 300
CANCEL_TEXT = "取消"
_running: set = set()           # keeps relays and runnables alive until they report


def begin_background_work(token: object) -> None:
    """Register work running off the GUI thread (``token`` keeps its objects alive).

    Keeps Python's cyclic garbage collector on the GUI thread while work runs elsewhere.

    A collection triggered inside a worker thread would destroy unreachable Qt
    wrappers (timers, dialogs) from the wrong thread ("Timers cannot be stopped
    from another thread").  Collection is paused while background jobs run and
    done on the GUI thread when the last one reports.
    """
    if not _running:
        gc.disable()
    _running.add(token)


def end_background_work(token: object) -> None:
    """The work registered with ``token`` has reported back (call on the GUI thread)."""
    _running.discard(token)
    if not _running:
        gc.enable()


class _Relay(QObject):
    """Carries a job's result from the worker thread to ``deliver`` on the GUI thread: the
    relay lives on the GUI thread, so its slot is queued there when a worker emits ``done``."""

    done = Signal(object, object)       # (value, error message)

    def __init__(self, deliver: Callable[[Any, str | None], None]) -> None:
        super().__init__()
        self._deliver: Callable[[Any, str | None], None] | None = deliver
        self.done.connect(self._on_done)

    @Slot(object, object)
    def _on_done(self, value, error) -> None:
        deliver, self._deliver = self._deliver, None     # once; no reference cycle left
        if deliver is not None:
            deliver(value, error)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, describe_error: Callable):
        super().__init__()
        self.setAutoDelete(False)
        self._fn = fn
        self._relay = relay
        self._describe = describe_error

    def run(self) -> None:
        try:
            value = self._fn()
        except Exception as exc:
            self._relay.done.emit(None, self._describe(exc))
            return
        self._relay.done.emit(value, None)


def default_error(exc: Exception) -> str:
    from model.errors import NianbaoError      # the model is loaded by then
    if isinstance(exc, NianbaoError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "内存不足，无法完成。"
    if isinstance(exc, OSError):
        return f"文件操作失败：{exc.strerror or exc}。"
    return f"发生意外错误（{type(exc).__name__}：{exc}）。没有任何文件被修改。"


def read_project_file(path: Path | str):
    """A project file and its state on disk (``model.project.load_with_stamp``), off the GUI thread."""
    from model import project
    return project.load_with_stamp(Path(path))


def describe_read_error(path: Path | str) -> Callable[[Exception], str]:
    """The Chinese message for a failed read of ``path``."""
    p = Path(path)

    def describe(exc: Exception) -> str:
        from model.errors import NianbaoError
        if isinstance(exc, NianbaoError):
            return str(exc)
        return f"读取“{p.name}”时出错：{default_error(exc)}"
    return describe


class Worker:
    """Work started by :func:`start_in_thread`: :meth:`cancel` drops its result."""

    def __init__(self) -> None:
        self.finished = False
        self.cancelled = False

    @property
    def running(self) -> bool:
        return not (self.finished or self.cancelled)

    def cancel(self) -> None:
        self.cancelled = True


def start_in_thread(fn: Callable[[], Any], callback: Callable[[Any, str | None], None],
                    describe_error: Callable[[Exception], str] = default_error,
                    owner: QObject | None = None) -> Worker:
    """Run ``fn()`` in the thread pool; ``callback(value, error)`` on the GUI thread, no indicator.

    The one way the window works off the GUI thread (:func:`run_in_background`
    adds the busy indicator).  ``fn`` must not touch widgets: it gets plain data
    (a path, a copy of the report) and returns plain data; the result comes back
    through a queued signal.  The callback is not called after :meth:`Worker.cancel`,
    nor once ``owner`` (the widget waiting for it) has been deleted.
    """
    worker = Worker()

    def finished(value, error):
        end_background_work(token)
        relay.deleteLater()
        if worker.cancelled:
            return                          # nobody waits for it any more: the result is dropped
        worker.finished = True
        if owner is not None and not _alive(owner):
            return
        callback(value, error)

    relay = _Relay(finished)
    job = _Job(fn, relay, describe_error)
    token = (relay, job)
    begin_background_work(token)
    QThreadPool.globalInstance().start(job)
    return worker


def _alive(obj: QObject) -> bool:
    import shiboken6
    return shiboken6.isValid(obj)


def busy_work() -> int:
    """How many pieces of work are running off the GUI thread (tests wait for none)."""
    return len(_running)


class BackgroundJob:
    """A running :func:`run_in_background` job: :attr:`progress` is its busy
    indicator (None until the work has run for a moment), :meth:`cancel` gives up
    waiting (when the job is cancellable)."""

    def __init__(self, progress: QProgressDialog | None, cancel: Callable[[], None]) -> None:
        self.progress = progress        # made once the work has run for a moment
        self._cancel = cancel
        self.finished = False
        self.cancelled = False

    def cancel(self) -> None:
        self._cancel()


def run_in_background(parent: QWidget | None, label: str, fn: Callable[[], Any],
                      callback: Callable[[Any, str | None], None],
                      describe_error: Callable[[Exception], str] = default_error,
                      cancellable: bool = False) -> BackgroundJob:
    """Run ``fn()`` in the thread pool; call ``callback(value, error)`` on the GUI thread.

    A busy indicator with ``label`` appears when the work takes longer than a
    moment.  ``error`` is a Chinese message (``value`` is ``None`` then).  With
    ``cancellable`` the indicator has a 取消 button: the clerk stops waiting at
    once, ``callback(None, None)`` is called, and the result, when the work
    ends, is dropped.  Nothing is called back once ``parent`` has been deleted.
    """
    handle: BackgroundJob

    def show_progress() -> None:
        # the indicator is made only for work that outlasts the moment (a dialog of its own:
        # ≈ 3 ms, which a file read at start-up would pay before the window's first paint)
        if handle.finished or handle.cancelled or (parent is not None and not _alive(parent)):
            return
        progress = QProgressDialog(label, CANCEL_TEXT if cancellable else "", 0, 0, parent)
        progress.setWindowTitle("请稍候")
        if not cancellable:
            progress.setCancelButton(None)
        early.set_enum_property(progress, "windowModality", early.WINDOW_MODAL)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        if cancellable:
            progress.canceled.connect(cancel)
        handle.progress = progress
        progress.setValue(0)
        progress.show()

    def close_progress() -> None:
        progress = handle.progress
        if progress is not None and _alive(progress):
            progress.reset()
            progress.hide()
            progress.deleteLater()

    def finished(value, error):
        handle.finished = True
        close_progress()
        callback(value, error)

    def cancel() -> None:
        if handle.finished or handle.cancelled or not cancellable:
            return
        handle.cancelled = True
        worker.cancel()
        close_progress()
        callback(None, None)

    handle = BackgroundJob(None, cancel)
    if parent is not None:
        QTimer.singleShot(SHOW_PROGRESS_AFTER_MS, parent, show_progress)
    else:
        QTimer.singleShot(SHOW_PROGRESS_AFTER_MS, show_progress)
    worker = start_in_thread(fn, finished, describe_error, owner=parent)
    return handle


def run_and_wait(parent: QWidget | None, label: str, fn: Callable[[], Any],
                 describe_error: Callable[[Exception], str] = default_error,
                 cancellable: bool = False) -> tuple[Any, str | None]:
    """:func:`run_in_background` that returns ``(value, error)`` once done
    (``(None, None)`` when the clerk pressed 取消).

    The GUI keeps painting and answering while it waits (a local event loop);
    the busy indicator is window-modal, so the clerk cannot edit meanwhile.
    """
    loop = QEventLoop()
    box: list = []

    def done(value, error):
        box.append((value, error))
        loop.quit()

    run_in_background(parent, label, fn, done, describe_error, cancellable=cancellable)
    if not box:
        loop.exec()
    return box[0]
