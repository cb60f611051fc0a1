"""帮助 → 填报说明 (F1): generated from the rule registry and the schema's table notes."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from model import schema
from model.rules import RULES
from tests.gui import test_main_window as _mw

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints",
                                      "This plugin does not support raise")
settings, make_window, no_prompts = _mw.settings, _mw.make_window, _mw.no_prompts   # fixtures


def activate(widget) -> None:
    """The offscreen platform has no window manager: make ``widget`` the active window, as a
    click on it would, so that its shortcuts are live."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        QApplication.setActiveWindow(widget)
    widget.setFocus()


def test_f1_opens_the_page_with_every_rule_and_the_table_notes(qtbot, make_window, no_prompts):
    w = make_window()
    activate(w)
    assert w.help_action.shortcut().toString() == "F1"
    qtbot.keyClick(w, Qt.Key_F1)
    qtbot.waitUntil(lambda: getattr(w, "help_dialog", None) is not None and w.help_dialog.isVisible())
    text = w.help_dialog.browser.toPlainText()
    for r in RULES.values():
        assert r.id in text and r.title in text and r.help in text
    for word in ("三安全一稳定", "三类内部事务", "四类过程性信息", "勾稽关系"):
        assert word in text
    assert schema.HELP_TEXTS["denied.security"] in text
    activate(w.help_dialog)
    qtbot.keyClick(w.help_dialog.browser, Qt.Key_Escape)
    qtbot.waitUntil(lambda: not w.help_dialog.isVisible())


def test_help_is_in_the_help_menu(make_window, no_prompts):
    w = make_window()
    menus = {a.text(): a.menu() for a in w.menuBar().actions() if a.menu() is not None}
    help_menu = next(m for t, m in menus.items() if t.startswith("帮助"))
    assert w.help_action in help_menu.actions()


def test_f1_on_a_selected_problem_shows_its_rule(qtbot, make_window, no_prompts, monkeypatch):
    from gui.help_dialog import HelpDialog
    shown = []
    monkeypatch.setattr(HelpDialog, "show_rule", lambda self, rid: shown.append(rid))
    w = make_window()
    w.doc.set_cell_text("t3.new.person", "31")           # T3-1 / T3-3 errors
    tree = w.problems.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() > 0)
    tree.setCurrentItem(tree.topLevelItem(0))
    w.help_action.trigger()
    assert shown == [w.problems.current_finding().rule]
