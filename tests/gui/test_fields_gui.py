"""Figures bound into the text, in the editor: shown as the figure, stored as the token,
following the tables, atomic under editing, undoable, exported as the number."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QMimeData, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QApplication, QDialog

from gui.document import ReportDocument
from gui.field_editor import FIELD_KEY, field_tooltip
from gui.text_page import CellPickerDialog, TextSectionPage
from model import fields, render
from model.importers import read_file
from model.report import Report

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TOKEN = fields.token("t3.new.total")


def _report(person: int = 50) -> Report:
    r = Report.zeros(agency="某某县农业农村局", year=2025)
    r.values["t3.new.person"] = person
    r.values["t3.granted.person"] = person
    r.recompute_totals()
    return r


def type_text(widget, text: str) -> None:
    for ch in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))


def press(widget, key, mods=Qt.NoModifier) -> None:
    for kind in (QEvent.KeyPress, QEvent.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, mods))


def set_cursor(editor, pos: int, anchor: int | None = None) -> None:
    cur = editor.textCursor()
    cur.setPosition(pos if anchor is None else anchor)
    if anchor is not None:
        cur.setPosition(pos, QTextCursor.KeepAnchor)
    editor.setTextCursor(cur)


@pytest.fixture
def page(qtbot):
    doc = ReportDocument(_report())
    p = TextSectionPage(doc, "overview")
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    return p


def _with_field(page, before="本年度新收申请", after="件。") -> None:
    """Type ``before``, insert the total as a field, type ``after``."""
    page.editor.setFocus()
    type_text(page.editor, before)
    page.insert_field("t3.new.total")
    type_text(page.editor, after)


def test_insert_field_stores_token_and_shows_figure(qtbot, page):
    _with_field(page)
    assert page.doc.report.sections["overview"] == f"本年度新收申请{TOKEN}件。"
    assert page.editor.toPlainText() == "本年度新收申请50件。"
    assert page.editor.field_spans() == [(7, 9, "t3.new.total")]
    # the field is drawn differently from the text around it
    cur = QTextCursor(page.editor.document())
    cur.setPosition(8)
    assert cur.charFormat().property(FIELD_KEY) == "t3.new.total"
    assert cur.charFormat().background().color().name() != "#000000"
    cur.setPosition(10)
    assert not cur.charFormat().hasProperty(FIELD_KEY)
    assert page.editor.tooltip_at(8) == "本年新收政府信息公开申请总数（随表格自动更新）"
    assert field_tooltip("t3.new.total").endswith("（随表格自动更新）")


def test_field_follows_table_edit(qtbot, page):
    _with_field(page)
    steps = page.doc.undo_stack.count()
    assert page.doc.set_cell_text("t3.new.person", "1234") is None
    assert page.editor.toPlainText() == "本年度新收申请1234件。"
    assert page.doc.report.sections["overview"] == f"本年度新收申请{TOKEN}件。"
    # the table edit is the only new undo step: the editor's refresh did not add one
    assert page.doc.undo_stack.count() == steps + 1
    assert page.editor.field_spans() == [(7, 11, "t3.new.total")]
    page.doc.undo_stack.undo()
    assert page.editor.toPlainText() == "本年度新收申请50件。"


def test_cursor_kept_when_figure_changes_before_it(qtbot, page):
    _with_field(page, after="件，均已办结。")
    set_cursor(page.editor, len(page.editor.toPlainText()))
    page.doc.set_cell_text("t3.new.person", "7")
    assert page.editor.toPlainText() == "本年度新收申请7件，均已办结。"
    assert page.editor.textCursor().position() == len("本年度新收申请7件，均已办结。")


@pytest.mark.parametrize("fmt", ["txt", "html"])
def test_text_exports_show_the_number(qtbot, page, fmt):
    _with_field(page)
    page.doc.set_cell_text("t3.new.person", "61")
    out = render.render(page.doc.report, fmt)
    assert "本年度新收申请61件。" in out
    assert fields.OPEN not in out


def test_docx_export_shows_the_number(qtbot, page, tmp_path):
    _with_field(page)
    page.doc.set_cell_text("t3.new.person", "61")
    path = tmp_path / "报告.docx"
    render.export(page.doc.report, path, force=True)
    back = read_file(path).report
    assert "本年度新收申请61件。" in back.sections["overview"]


def test_backspace_deletes_field_whole_and_undo_restores(qtbot, page):
    _with_field(page, after="")
    assert page.editor.textCursor().position() == 9
    steps = page.doc.undo_stack.count()
    press(page.editor, Qt.Key_Backspace)
    assert page.editor.toPlainText() == "本年度新收申请"
    assert page.doc.report.sections["overview"] == "本年度新收申请"
    assert page.doc.undo_stack.count() == steps + 1
    qtbot.keySequence(page.editor, QKeySequence.Undo)
    assert page.doc.report.sections["overview"] == f"本年度新收申请{TOKEN}"
    assert page.editor.toPlainText() == "本年度新收申请50"
    assert page.editor.field_spans() == [(7, 9, "t3.new.total")]
    qtbot.keySequence(page.editor, QKeySequence.Redo)
    assert page.doc.report.sections["overview"] == "本年度新收申请"


def test_delete_key_before_field_deletes_it_whole(qtbot, page):
    _with_field(page)
    set_cursor(page.editor, 7)
    press(page.editor, Qt.Key_Delete)
    assert page.doc.report.sections["overview"] == "本年度新收申请件。"


def test_typing_next_to_field_does_not_extend_it(qtbot, page):
    _with_field(page, after="")
    type_text(page.editor, "0件")          # right after the field
    set_cursor(page.editor, 7)
    type_text(page.editor, "共")           # right before it
    assert page.doc.report.sections["overview"] == f"本年度新收申请共{TOKEN}0件"
    assert page.editor.toPlainText() == "本年度新收申请共500件"
    assert page.editor.field_spans() == [(8, 10, "t3.new.total")]


def test_cursor_does_not_stop_inside_field(qtbot, page):
    page.doc.set_cell_text("t3.new.person", "1234")
    _with_field(page)                       # 本年度新收申请1234件。
    set_cursor(page.editor, 7)
    press(page.editor, Qt.Key_Right)
    assert page.editor.textCursor().position() == 11
    press(page.editor, Qt.Key_Left)
    assert page.editor.textCursor().position() == 7
    set_cursor(page.editor, 9)              # a click inside it lands on an edge
    assert page.editor.textCursor().position() in (7, 11)


def test_selection_touching_field_takes_it_whole(qtbot, page):
    _with_field(page)                       # 本年度新收申请50件。
    set_cursor(page.editor, 8, anchor=5)    # 申请5 selected
    type_text(page.editor, "X")
    assert page.doc.report.sections["overview"] == "本年度新收X件。"
    assert page.editor.toPlainText() == "本年度新收X件。"


def test_copy_gives_figure_and_paste_keeps_field(qtbot, page):
    _with_field(page)
    set_cursor(page.editor, len(page.editor.toPlainText()), anchor=0)
    md = page.editor.createMimeDataFromSelection()
    assert md.text() == "本年度新收申请50件。"
    other = TextSectionPage(page.doc, "other")
    qtbot.addWidget(other)
    other.editor.insertFromMimeData(md)
    assert page.doc.report.sections["other"] == f"本年度新收申请{TOKEN}件。"
    # plain text from elsewhere stays plain
    plain = QMimeData()
    plain.setText("另有 3 件")
    other.editor.insertFromMimeData(plain)
    assert page.doc.report.sections["other"] == f"本年度新收申请{TOKEN}件。另有 3 件"


def test_field_menu_lists_common_figures(qtbot, page):
    page._fill_field_menu()
    actions = [a for a in page.field_menu.actions() if not a.isSeparator()]
    keys = [a.data() for a in actions[:-1]]
    assert keys == [f.key for f in fields.COMMON]
    assert actions[0].text().startswith("本年新收政府信息公开申请总数") and "50" in actions[0].text()
    assert actions[-1].text() == "其他单元格…"
    suits = next(a for a in actions if a.data() == "suits")
    suits.trigger()
    assert page.doc.report.sections["overview"] == fields.token("suits")
    assert page.editor.toPlainText() == "0"


def test_other_cell_picker(qtbot, page, monkeypatch):
    dlg = CellPickerDialog(page.doc, page)
    qtbot.addWidget(dlg)
    dlg.select("t3.new.person")
    assert dlg.cell_id() == "t3.new.person"
    assert dlg.value.text() == "50"
    dlg.select("t4.review.total")
    assert dlg.cell_id() == "t4.review.total"

    def fake_exec(self):
        self.select("t3.granted.person")
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(CellPickerDialog, "exec", fake_exec)
    page.pick_cell()
    assert page.doc.report.sections["overview"] == fields.token("t3.granted.person")
    assert page.editor.toPlainText() == "50"


def test_mismatch_spans_are_in_shown_text(qtbot, page):
    """A typed number contradicting the table is still flagged, at its place in the
    shown text even with a field (shown wider than its token) before it."""
    page.doc.set_cell_text("t3.new.person", "1234")
    text = f"新收申请{TOKEN}件。本年度共收到政府信息公开申请 30 件。"
    page.doc.set_section("overview", text)
    qtbot.waitUntil(lambda: page.highlighted_spans() != [], timeout=2000)
    shown = page.editor.toPlainText()
    assert shown == "新收申请1234件。本年度共收到政府信息公开申请 30 件。"
    (s, e), = page.highlighted_spans()
    assert shown[s:e].strip().startswith("30")


def test_checklist_and_rules_see_the_figure(qtbot, page):
    page.doc.set_cell_text("t3.new.person", "0")
    page.doc.set_cell_text("t3.granted.person", "0")
    page.doc.set_section("overview", f"本年度收到政府信息公开申请{TOKEN}件。")
    # 0 by the field agrees with the table: no narrative finding about the count
    assert not [f for f in page.doc.findings_for_section("overview") if f.rule in ("N1", "N2")]


def test_reopened_report_shows_fields(qtbot, tmp_path):
    r = _report(8)
    r.sections["problems"] = f"（一）存在的主要问题\n全年办结{fields.token('t3.results_total.total')}件。"
    doc = ReportDocument(r)
    p = TextSectionPage(doc, "problems")
    qtbot.addWidget(p)
    assert p.editor.toPlainText() == "（一）存在的主要问题\n全年办结8件。"
    assert p.editor.field_spans() == [(15, 16, "t3.results_total.total")]
    assert doc.undo_stack.count() == 0


def test_field_broken_by_other_means_becomes_plain_text(qtbot, page):
    """An edit that bypasses the keys (e.g. the context menu) and cuts into a field
    leaves what the clerk sees as plain text: nothing lost, no stale token."""
    _with_field(page)                       # 本年度新收申请50件。
    cur = QTextCursor(page.editor.document())
    cur.setPosition(7)
    cur.setPosition(8, QTextCursor.KeepAnchor)
    cur.removeSelectedText()
    assert page.doc.report.sections["overview"] == "本年度新收申请0件。"
    assert page.editor.toPlainText() == "本年度新收申请0件。"
    assert page.editor.field_spans() == []
