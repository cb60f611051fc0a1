"""Windows that fit the screen they open on, and come back where the clerk left them.

:func:`fit_window` sizes a window to its preferred size or less — never more than
the screen's available area (the task bar excluded) minus room for the title bar —
and restores the size and position saved by :func:`save_window` (QSettings), moved
back onto the screen when the screen has since become smaller.
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter, QWidget

# room for a window manager's title bar and borders, which are not known before show
FRAME_W = 16
FRAME_H = 40
# a window never takes more than this share of the screen unless the clerk makes it so
SHARE = 0.96

_PREFIX = "windows/"


def available(widget: QWidget | None = None) -> QRect:
    """The available geometry of the screen ``widget`` is on (or the primary screen)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)


def fitting_size(preferred: QSize, area: QRect) -> QSize:
    w = min(preferred.width(), int(area.width() * SHARE) - FRAME_W)
    h = min(preferred.height(), int(area.height() * SHARE) - FRAME_H)
    return QSize(max(w, 320), max(h, 240))


def _qs(settings):
    return getattr(settings, "qsettings", None) if settings is not None else None


def fit_window(widget: QWidget, preferred: QSize, settings=None, key: str | None = None) -> None:
    """Size ``widget`` to ``preferred`` or the screen, whichever is smaller; with
    ``settings`` and ``key``, restore the size and position saved last time."""
    area = available(widget)
    qs = _qs(settings)
    restored = False
    if qs is not None and key:
        g = qs.value(f"{_PREFIX}{key}/geometry")
        if isinstance(g, QByteArray) and not g.isEmpty():
            restored = widget.restoreGeometry(g)
    if restored:
        area = available(widget)
        size = widget.size().boundedTo(fitting_size(QSize(100000, 100000), area))
    else:
        size = fitting_size(preferred, area)
    widget.resize(size.expandedTo(QSize(1, 1)))
    if restored:
        keep_on_screen(widget, area)
    else:
        parent = widget.parentWidget()
        centre = parent.window().frameGeometry().center() if parent is not None and \
            parent.isVisible() else area.center()
        x = centre.x() - (size.width() + FRAME_W) // 2
        y = centre.y() - (size.height() + FRAME_H) // 2
        widget.move(QPoint(x, y))
        keep_on_screen(widget, area)


def keep_on_screen(widget: QWidget, area: QRect | None = None) -> None:
    """Move ``widget`` (its frame) inside the available area, shrinking it if need be."""
    area = area or available(widget)
    frame = widget.frameGeometry()
    if widget.isVisible():
        extra_w = max(frame.width() - widget.width(), 0)
        extra_h = max(frame.height() - widget.height(), 0)
    else:
        extra_w, extra_h = FRAME_W, FRAME_H
    w = min(widget.width(), area.width() - extra_w)
    h = min(widget.height(), area.height() - extra_h)
    if (w, h) != (widget.width(), widget.height()):
        widget.resize(max(w, widget.minimumWidth()), max(h, widget.minimumHeight()))
    frame = widget.frameGeometry()
    x = min(max(frame.x(), area.left()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.top()), area.bottom() + 1 - frame.height())
    x, y = max(x, area.left()), max(y, area.top())
    if (x, y) != (frame.x(), frame.y()):
        widget.move(x, y)


def save_window(widget: QWidget, settings, key: str) -> None:
    qs = _qs(settings)
    if qs is not None:
        qs.setValue(f"{_PREFIX}{key}/geometry", widget.saveGeometry())


def save_splitter(splitter: QSplitter, settings, key: str) -> None:
    qs = _qs(settings)
    if qs is not None:
        qs.setValue(f"{_PREFIX}{key}/splitter", splitter.saveState())


def restore_splitter(splitter: QSplitter, settings, key: str) -> bool:
    qs = _qs(settings)
    if qs is None:
        return False
    s = qs.value(f"{_PREFIX}{key}/splitter")
    return isinstance(s, QByteArray) and not s.isEmpty() and splitter.restoreState(s)


def save_shown(widget: QWidget, settings, key: str) -> None:
    """Whether ``widget`` (a panel the clerk can hide) is shown."""
    qs = _qs(settings)
    if qs is not None:
        qs.setValue(f"{_PREFIX}{key}/shown", "true" if not widget.isHidden() else "false")


def restore_shown(settings, key: str) -> bool | None:
    """What :func:`save_shown` saved (``None``: nothing saved)."""
    qs = _qs(settings)
    if qs is None:
        return None
    v = qs.value(f"{_PREFIX}{key}/shown")
    if v is None:
        return None
    return str(v).strip().lower() in ("true", "1")


def save_state(window, settings, key: str) -> None:
    """A main window's docks and toolbars (``QMainWindow.saveState``)."""
    qs = _qs(settings)
    if qs is not None:
        qs.setValue(f"{_PREFIX}{key}/state", window.saveState())


def restore_state(window, settings, key: str) -> bool:
    qs = _qs(settings)
    if qs is None:
        return False
    s = qs.value(f"{_PREFIX}{key}/state")
    return isinstance(s, QByteArray) and not s.isEmpty() and window.restoreState(s)
