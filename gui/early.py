"""What a window does before its first paint, without building PySide6's ``Qt`` namespace.

The first touch of ``PySide6.QtCore.Qt`` builds all of its ≈ 90 enum classes with Python's
``enum`` (20–40 ms here, a sixth of what a bare PySide6 window takes to appear).  So does
every call that PySide6 has to match against an overload taking one of those enums:
``QSplitter(parent)`` (there is a ``QSplitter(Qt.Orientation, parent)``),
``QKeySequence("F8")``, ``QAction.setShortcut``, ``QListWidgetItem.setForeground``,
``QMainWindow.addDockWidget`` …  The start screen and the main window therefore do what
they do before their first paint through the plain numbers and the calls here; ``Qt`` is
built right after that paint (gui.app).  tests/gui/test_early.py pins every number to its
enum and every call to what the enum would have done, and tests/gui/test_startup_imports.py
checks that nothing touched ``Qt`` before the first paint.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from PySide6.QtGui import QKeySequence

USER_ROLE = 0x0100              # Qt.ItemDataRole.UserRole
FOREGROUND_ROLE = 9             # Qt.ItemDataRole.ForegroundRole
ALIGN_CENTER = 0x0084           # Qt.AlignmentFlag.AlignCenter
VERTICAL = 2                    # Qt.Orientation.Vertical
TEXT_BESIDE_ICON = 2            # Qt.ToolButtonStyle.ToolButtonTextBesideIcon
SELECTABLE_BY_MOUSE = 1         # Qt.TextInteractionFlag.TextSelectableByMouse
WINDOW_MODAL = 1                # Qt.WindowModality.WindowModal


def keys(*specs: str | QKeySequence.StandardKey) -> list[QKeySequence]:
    """The key sequences of ``specs``: portable text (``"Ctrl+E"``) or a standard key (its
    platform's first binding, as ``QKeySequence(key)`` gives it); none twice."""
    from PySide6.QtGui import QKeySequence    # (the start screen needs none: not at import)
    out: list[QKeySequence] = []
    for spec in specs:
        if isinstance(spec, str):
            found = [QKeySequence.fromString(spec)]
        else:
            found = QKeySequence.keyBindings(spec)[:1]
        out.extend(k for k in found if not k.isEmpty() and k not in out)
    return out


def set_keys(action, *specs: str | QKeySequence.StandardKey) -> None:
    """``action.setShortcut(QKeySequence(spec))``, for one spec or more (``setShortcut``
    itself is matched against ``Qt.Key``)."""
    action.setShortcuts(keys(*specs))


def set_enum_property(widget, name: str, value: int) -> None:
    """Set a Qt property whose type is a ``Qt`` enum (``alignment``, ``orientation`` …) from
    its number; Qt converts it as it does in a style sheet or a .ui file."""
    if not widget.setProperty(name, value):
        raise ValueError(f"{type(widget).__name__} has no property {name!r}")
