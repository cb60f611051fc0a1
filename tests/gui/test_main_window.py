"""The real window, offscreen: typing, findings, jumping, paste, save/reopen, title, close."""
from __future__ import annotations


import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox

from gui.document import ReportDocument
from gui.main_window import MainWindow
from gui.settings import Settings
from model import project
from model.findings import Severity
from model.importers.base import ImportResult
from model.schema import CELLS
from tests.gui.test_document import consistent_report

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def make_window(qtbot, tmp_path, settings):
    def make(report=None, path=None) -> MainWindow:
        doc = ReportDocument(report if report is not None else consistent_report(), path)
        w = MainWindow(doc, settings, autosave_folder=tmp_path / "autosave")
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        return w
    return make


@pytest.fixture
def no_prompts(monkeypatch):
    """Fail loudly if a message box would block; answers can be set per test."""
    answers = {"question": QMessageBox.StandardButton.Discard}

    def question(*args, **kw):
        answers["asked"] = args[2] if len(args) > 2 else ""
        return answers["question"]

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(
            lambda *a, _n=name, **k: pytest.fail(f"unexpected QMessageBox.{_n}: {a[1:3]}")))
    return answers


def type_into_cell(qtbot, view, text: str) -> None:
    for ch in text:
        editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
        target = editors[0] if editors else view
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))
    editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "typing should open the cell editor"
    qtbot.keyClick(editors[0], Qt.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)


def problem_rules(w: MainWindow) -> list[str]:
    t = w.problems.tree
    return [t.topLevelItem(i).text(1) for i in range(t.topLevelItemCount())]


def test_typing_updates_total_nav_and_problems_panel(qtbot, make_window, no_prompts):
    w = make_window()
    assert "T3-3" not in problem_rules(w)
    page = w.show_step("requests")
    view, model = page.view, page.model
    view.select_cell("t3.new.research")
    type_into_cell(qtbot, view, "3")
    assert model.index_of("t3.new.total").data() == "38"
    assert w.doc.report.values["t3.new.total"] == 38
    assert problem_rules(w).count("T3-3") == 2
    nav = w.nav.item(3).text()
    assert "错误 2" in nav
    assert w.isWindowModified()


def test_imported_wrong_total_is_flagged_everywhere(make_window, no_prompts):
    r = consistent_report()
    r.values["t3.granted.total"] = 21           # as published: the row adds up to 25
    w = make_window(r)
    assert "T3-1" in problem_rules(w)
    assert w.doc.step_counts("requests")[0] >= 1
    page = w.pages["requests"]
    idx = page.model.index_of("t3.granted.total")
    assert idx.data() == "21"                  # kept as read, not silently corrected
    assert "T3-1" in idx.data(Qt.ItemDataRole.ToolTipRole)
    w.recompute_action.trigger()
    assert idx.data() == "25"
    assert "T3-1" not in problem_rules(w)


def test_letter_is_refused_with_a_message_in_the_status_bar(qtbot, make_window, no_prompts):
    w = make_window()
    view = w.show_step("appeals").view
    view.select_cell("t4.suit_direct.upheld")
    type_into_cell(qtbot, view, "x")
    assert "不是数字" in w.statusBar().currentMessage()
    assert view.note.isVisible() and "不是数字" in view.note.text()
    assert w.doc.report.values["t4.suit_direct.upheld"] == 0
    assert not w.isWindowModified()


def test_paste_block_in_window_is_one_undo_step(qtbot, make_window, no_prompts):
    w = make_window()
    view = w.show_step("requests").view
    before = dict(w.doc.report.values)
    view.select_cell("t3.unable.not_held.person")
    QGuiApplication.clipboard().setText("1\t2\t3\t4\r\n5\t6\t7\t8\r\n9\t10\t11\t12\r\n")
    qtbot.keySequence(view, QKeySequence.Paste)
    r = w.doc.report
    assert [r.values[f"t3.unable.{row}.{c}"] for row in ("not_held", "needs_creation", "unclear")
            for c in ("person", "business", "research", "nonprofit")] == list(range(1, 13))
    assert w.doc.undo_stack.count() == 1
    assert w.undo_action.isEnabled()
    w.undo_action.trigger()
    assert w.doc.report.values == before
    assert not w.isWindowModified()


def test_clicking_a_finding_selects_its_cell(qtbot, make_window, no_prompts):
    r = consistent_report()
    r.values["t4.review.total"] = 3
    w = make_window(r)
    t = w.problems.tree
    row = problem_rules(w).index("T4-1")
    item = t.topLevelItem(row)
    rect = t.visualItemRect(item)
    qtbot.mouseClick(t.viewport(), Qt.LeftButton, pos=rect.center())
    assert w.current_step() == "appeals"
    view = w.pages["appeals"].view
    assert view.table_model.cell_id_at(view.currentIndex()) == "t4.review.total"
    assert "t4.review.total" in {view.table_model.cell_id_at(i) for i in view.selectedIndexes()}


def test_clicking_a_text_finding_switches_to_its_section(qtbot, make_window, no_prompts):
    r = consistent_report()
    r.sections["problems"] = ""
    w = make_window(r)
    f = next(f for f in w.doc.findings if f.section == "problems")
    item = w.problems.item_for(f)
    qtbot.mouseClick(w.problems.tree.viewport(), Qt.LeftButton,
                     pos=w.problems.tree.visualItemRect(item).center())
    assert w.current_step() == "problems"
    assert w.stack.currentWidget() is w.pages["problems"]


def test_save_close_and_reopen_give_the_same_report(qtbot, make_window, no_prompts, tmp_path,
                                                     monkeypatch, settings):
    w = make_window()
    view = w.show_step("requests").view
    view.select_cell("t3.new.person")
    type_into_cell(qtbot, view, "31")
    w.doc.set_section("problems", "存在问题：公开不够及时。改进措施：加强培训。")
    target = tmp_path / "某某县文化和旅游局2024.nianbao"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target.with_suffix("")), "")))
    w.save_action.trigger()
    assert target.is_file()
    assert not w.isWindowModified()
    assert target.name in w.windowTitle()
    saved = w.doc.report.copy()
    assert w.close()
    assert settings.recent_files()[0] == target

    w2 = make_window(path=None)
    w2.open_path(target, ask=False)
    qtbot.waitUntil(lambda: w2.doc.path == target, timeout=10000)    # read off the GUI thread
    again = w2.doc.report
    assert again.values == saved.values
    assert again.sections == saved.sections
    assert (again.agency, again.year, again.level, again.tier, again.publish_date) == \
        (saved.agency, saved.year, saved.level, saved.tier, saved.publish_date)
    assert w2.doc.path == target
    assert not w2.isWindowModified()


def test_title_has_file_name_and_modified_mark(qtbot, make_window, no_prompts, tmp_path):
    path = tmp_path / "甲局.nianbao"
    project.save(consistent_report(), path)
    w = make_window(project.load(path), path)
    assert w.windowTitle().startswith("甲局.nianbao[*]")
    assert not w.isWindowModified()
    w.doc.set_cell_text("t3.new.person", "29")
    assert w.isWindowModified()
    w.doc.undo_stack.undo()
    assert not w.isWindowModified()


def test_closing_with_unsaved_changes_asks(qtbot, make_window, no_prompts):
    w = make_window()
    w.doc.set_cell_text("t3.new.person", "29")
    no_prompts["question"] = QMessageBox.StandardButton.Cancel
    assert not w.close()
    assert w.isVisible()
    assert "尚未保存" in no_prompts["asked"]
    no_prompts["question"] = QMessageBox.StandardButton.Discard
    assert w.close()


def test_import_as_baseline_carries_over(qtbot, make_window, no_prompts, monkeypatch):
    from gui.import_dialog import ImportPreviewDialog
    last = consistent_report()
    last.year = 2023
    last.values["t3.carried_out.business"] = 2
    last.values["t3.granted.business"] = 3
    last.recompute_totals()
    monkeypatch.setattr(ImportPreviewDialog, "exec",
                        lambda self: (self.baseline_button.click(), 1)[1])
    w = make_window()
    assert w.apply_import(ImportResult(last, source_name="上年.docx")) == "baseline"
    assert w.doc.report.values["t3.carried_in.business"] == 2
    idx = w.pages["requests"].model.index_of("t3.new.business")
    assert "上年：5" in idx.data(Qt.ItemDataRole.ToolTipRole)
    w.undo_action.trigger()
    assert w.doc.report.baseline is None


def test_nav_counts_match_document(make_window, no_prompts):
    r = consistent_report()
    r.values["t4.review.total"] = 9
    r.sections["other"] = ""
    w = make_window(r)
    for i in range(w.nav.count()):
        step = w.nav.item(i).data(Qt.ItemDataRole.UserRole)
        e, warn = w.doc.step_counts(step)
        text = w.nav.item(i).text()
        assert (f"错误 {e}" in text) == bool(e)
        assert (f"警告 {warn}" in text) == bool(warn)
    assert any(f.severity is Severity.ERROR and CELLS[f.cells[0]].table == "t4"
               for f in w.doc.findings if f.cells)


def test_project_suffix_matches_the_core():
    from gui.main_window import PROJECT_SUFFIX
    assert PROJECT_SUFFIX == project.SUFFIX


def test_narrative_finding_counts_and_jumps_to_its_text(qtbot, make_window, no_prompts):
    """N1 names the text and the cells it contradicts: it counts under the text step
    (not under 三、依申请公开), and clicking it opens the text with the number selected."""
    r = consistent_report()
    r.sections["overview"] = "本年度共收到政府信息公开申请 30 件，均按时答复。"    # table: 35
    w = make_window(r)
    n1 = next(f for f in w.doc.findings if f.rule == "N1")
    assert n1.cells, "N1 names the cells it disagrees with"
    assert w.doc.step_of_finding(n1) == "overview"
    clean = make_window(consistent_report())
    idx = 0 if n1.severity is Severity.ERROR else 1
    assert w.doc.step_counts("overview")[idx] == clean.doc.step_counts("overview")[idx] + 1
    assert w.doc.step_counts("requests") == clean.doc.step_counts("requests")
    row = [w.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.nav.count())]
    nav_text = w.nav.item(row.index("overview")).text()
    assert f"{n1.severity.label} {w.doc.step_counts('overview')[idx]}" in nav_text
    item = w.problems.item_for(n1)
    qtbot.mouseClick(w.problems.tree.viewport(), Qt.LeftButton,
                     pos=w.problems.tree.visualItemRect(item).center())
    assert w.current_step() == "overview"
    editor = w.pages["overview"].editor
    assert editor.textCursor().selectedText().strip().startswith("30")


def test_tools_menu_installed(make_window, no_prompts):
    w = make_window()
    titles = [a.text() for a in w.menuBar().actions()]
    assert any(t.startswith("工具") for t in titles)
    assert titles.index(next(t for t in titles if t.startswith("工具"))) \
        < titles.index(next(t for t in titles if t.startswith("帮助")))


def test_first_paint_comes_before_the_check(qtbot, tmp_path, settings):
    """Start-up: the window is painted first, the check and the problems panel follow."""
    r = consistent_report()
    r.values["t4.review.total"] = 9                      # an error in 四
    doc = ReportDocument(r, check=False)
    w = MainWindow(doc, settings, autosave=False)
    qtbot.addWidget(w)
    assert w._problems is None
    assert all("正在检查" in w.nav.item(i).text() for i in range(w.nav.count()))
    w.show()
    qtbot.waitUntil(lambda: not doc.check_pending, timeout=3000)
    assert w._problems is not None and w.problems.parent() is w.problems_pane
    assert w.problems.isVisible() and w.problems.height() > 60
    row = [w.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.nav.count())]
    assert "错误" in w.nav.item(row.index("appeals")).text()
    assert problem_rules(w) and set(problem_rules(w)) == {f.rule for f in doc.findings}
    qtbot.waitUntil(lambda: len(w.pages) == w.nav.count(), timeout=5000)


def test_open_path_before_first_paint_defers_check(qtbot, tmp_path, settings, no_prompts):
    path = tmp_path / "r.nianbao"
    project.save(consistent_report(), path)
    doc = ReportDocument(check=False)
    w = MainWindow(doc, settings, autosave=False)
    qtbot.addWidget(w)
    w.open_path(path, ask=False)
    qtbot.waitUntil(lambda: doc.path == path, timeout=10000)         # read off the GUI thread
    assert doc.check_pending and doc.path == path
    w.show()
    qtbot.waitUntil(lambda: not doc.check_pending, timeout=3000)
    assert doc.report.agency == consistent_report().agency
