"""gui.early: the numbers and calls a window uses before its first paint stand for the same
``Qt`` enums and do what the enum-taking calls do (issue 12: start-up)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QProgressDialog, QSplitter, QToolBar

from gui import early


@pytest.mark.parametrize("number, enum", [
    (early.USER_ROLE, Qt.ItemDataRole.UserRole),
    (early.FOREGROUND_ROLE, Qt.ItemDataRole.ForegroundRole),
    (early.ALIGN_CENTER, Qt.AlignmentFlag.AlignCenter),
    (early.VERTICAL, Qt.Orientation.Vertical),
    (early.TEXT_BESIDE_ICON, Qt.ToolButtonStyle.ToolButtonTextBesideIcon),
    (early.SELECTABLE_BY_MOUSE, Qt.TextInteractionFlag.TextSelectableByMouse),
    (early.WINDOW_MODAL, Qt.WindowModality.WindowModal),
])
def test_each_number_is_its_enum(number, enum):
    assert number == enum.value


def test_an_enum_property_set_by_number_is_the_enum(qtbot):
    label = QLabel("x")
    early.set_enum_property(label, "alignment", early.ALIGN_CENTER)
    assert label.alignment() == Qt.AlignmentFlag.AlignCenter
    early.set_enum_property(label, "textInteractionFlags", early.SELECTABLE_BY_MOUSE)
    assert label.textInteractionFlags() == Qt.TextInteractionFlag.TextSelectableByMouse
    split = QSplitter()
    early.set_enum_property(split, "orientation", early.VERTICAL)
    assert split.orientation() == Qt.Orientation.Vertical
    bar = QToolBar()
    early.set_enum_property(bar, "toolButtonStyle", early.TEXT_BESIDE_ICON)
    assert bar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    progress = QProgressDialog("x", "取消", 0, 0)
    early.set_enum_property(progress, "windowModality", early.WINDOW_MODAL)
    assert progress.windowModality() == Qt.WindowModality.WindowModal
    with pytest.raises(ValueError, match="no property 'alignmnet'"):
        early.set_enum_property(label, "alignmnet", early.ALIGN_CENTER)     # a typo says so


def test_keys_are_those_the_key_sequence_constructor_gives(qtbot):
    std = QKeySequence.StandardKey
    assert early.keys("Ctrl+E") == [QKeySequence("Ctrl+E")]
    assert early.keys(std.Save) == [QKeySequence(std.Save)]        # the first binding only
    assert early.keys("Ctrl+Y", "Ctrl+Y", "Ctrl+Shift+Z") == [QKeySequence("Ctrl+Y"),
                                                               QKeySequence("Ctrl+Shift+Z")]
    action = QAction("保存")
    early.set_keys(action, std.Save)
    assert action.shortcut() == QKeySequence(std.Save)
    early.set_keys(action, "F8")
    assert action.shortcuts() == [QKeySequence("F8")]
