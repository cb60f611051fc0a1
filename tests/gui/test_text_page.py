"""The text steps: editing goes to the report, the checklist ticks, mismatches light up."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtCore import QEvent
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication

from gui.document import ReportDocument
from gui.text_page import NO_FEE, NO_REQUESTS, TextSectionPage
from model.report import Report

# the offscreen platform says so for every top-level window with a layout; harmless
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def type_text(widget, text: str) -> None:
    """Type ``text`` key by key (QTest.keyClicks only knows ASCII)."""
    for ch in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))


def _report(new_total: int = 35) -> Report:
    r = Report.zeros(agency="某某区商务局", year=2025)
    r.values["t3.new.person"] = new_total
    r.values["t3.granted.person"] = new_total
    r.recompute_totals()
    return r


@pytest.fixture
def page(qtbot):
    doc = ReportDocument(_report())
    p = TextSectionPage(doc, "overview")
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    return p


def _ticked(page) -> dict[str, bool]:
    return dict(page.checklist_state())


def test_typing_updates_report_and_checklist(qtbot, page):
    doc = page.doc
    assert _ticked(page)["主动公开"] is False
    page.editor.setFocus()
    type_text(page.editor, "（一）主动公开：全年发布政府信息120条。")
    assert doc.report.sections["overview"] == "（一）主动公开：全年发布政府信息120条。"
    qtbot.waitUntil(lambda: _ticked(page)["主动公开"] is True, timeout=2000)
    assert _ticked(page)["监督保障"] is False
    # typing is merged into one undo step; undo clears it and the checklist follows
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert page.editor.toPlainText() == ""
    qtbot.waitUntil(lambda: _ticked(page)["主动公开"] is False, timeout=2000)


def test_ctrl_z_in_editor_undoes_on_document_stack(qtbot, page):
    type_text(page.editor, "监督保障")
    assert page.doc.report.sections["overview"] == "监督保障"
    qtbot.keySequence(page.editor, QKeySequence.Undo)
    assert page.doc.report.sections["overview"] == ""
    assert page.editor.toPlainText() == ""
    qtbot.keySequence(page.editor, QKeySequence.Redo)
    assert page.editor.toPlainText() == "监督保障"


def test_outside_change_updates_editor_keeping_cursor(qtbot, page):
    page.doc.set_section("overview", "甲乙丙丁")
    assert page.editor.toPlainText() == "甲乙丙丁"
    cur = page.editor.textCursor()
    cur.setPosition(1)
    page.editor.setTextCursor(cur)
    page.doc.set_section("overview", "甲乙丙丁戊己", merge=False)     # appended elsewhere
    assert page.editor.toPlainText() == "甲乙丙丁戊己"
    assert page.editor.textCursor().position() == 1
    # the editor's own change did not echo back as a second edit
    assert page.doc.report.sections["overview"] == "甲乙丙丁戊己"


def test_insert_standard_sentence_is_one_undo_step(qtbot):
    doc = ReportDocument(_report(0))
    p = TextSectionPage(doc, "other")
    qtbot.addWidget(p)
    assert dict(p.checklist_state())["信息处理费收取情况"] is False
    type_text(p.editor, "无其他需要报告的事项。")
    steps_before = doc.undo_stack.count()
    button = next(b for b in p.insert_buttons if b.text() == "未收取信息处理费")
    qtbot.mouseClick(button, Qt.LeftButton)
    assert doc.report.sections["other"] == "无其他需要报告的事项。\n" + NO_FEE
    assert p.editor.toPlainText() == doc.report.sections["other"]
    assert doc.undo_stack.count() == steps_before + 1
    qtbot.waitUntil(lambda: dict(p.checklist_state())["信息处理费收取情况"] is True, timeout=2000)
    assert not [f for f in doc.findings_for_section("other") if f.rule == "S6"]
    doc.undo_stack.undo()
    assert doc.report.sections["other"] == "无其他需要报告的事项。"
    assert p.editor.toPlainText() == "无其他需要报告的事项。"
    # typing after the insert is a step of its own, not merged into the insert
    doc.undo_stack.redo()
    p.editor.moveCursor(p.editor.textCursor().MoveOperation.End)
    type_text(p.editor, "另")
    doc.undo_stack.undo()
    assert doc.report.sections["other"].endswith(NO_FEE)


def test_mismatch_highlighted_with_tooltip_message(qtbot, page):
    text = "（二）依申请公开：本年度共收到政府信息公开申请 30 件，均按时答复。"
    page.doc.set_section("overview", text)
    qtbot.waitUntil(lambda: page.highlighted_spans() != [], timeout=2000)
    spans = page.highlighted_spans()
    assert len(spans) == 1
    s, e = spans[0]
    assert text[s:e].strip().startswith("30")
    span = page.editor.span_at(s)
    assert span is not None and "35" in span[2]
    # fixing the table clears it
    doc = page.doc
    doc.set_cells({"t3.new.person": 30, "t3.granted.person": 30})
    qtbot.waitUntil(lambda: page.highlighted_spans() == [], timeout=2000)


def test_focus_finding_selects_the_number(qtbot, page):
    text = "本年度共收到政府信息公开申请 30 件。"
    page.doc.set_section("overview", text)
    f = next(f for f in page.doc.findings if f.rule == "N1")
    page.focus_finding(f)
    assert page.editor.textCursor().selectedText().strip().startswith("30")


def test_nil_sentence_when_no_requests(qtbot):
    doc = ReportDocument(_report(3))
    p = TextSectionPage(doc, "overview")
    qtbot.addWidget(p)
    button = next(b for b in p.insert_buttons if b.text() == "未收到申请")
    qtbot.mouseClick(button, Qt.LeftButton)
    assert doc.report.sections["overview"] == NO_REQUESTS
    # the text now contradicts table 三 (3 received): N2 is highlighted
    qtbot.waitUntil(lambda: p.highlighted_spans() != [], timeout=2000)
    assert any(f.rule == "N2" for f in doc.findings_for_section("overview"))


def test_last_year_text_toggle(qtbot):
    r = _report()
    base = Report.zeros(agency="某某区商务局", year=2024)
    base.sections["problems"] = "去年的问题：公开不够及时。"
    r.baseline = base
    doc = ReportDocument(r)
    p = TextSectionPage(doc, "problems")
    qtbot.addWidget(p)
    p.show()
    assert p.baseline_button.isEnabled()
    assert not p.baseline_pane.isVisible()
    qtbot.mouseClick(p.baseline_button, Qt.LeftButton)
    assert p.baseline_pane.isVisible()
    assert p.baseline_view.toPlainText() == "去年的问题：公开不够及时。"
    assert p.baseline_view.isReadOnly()
    assert "2024" in p.baseline_title.text()
    # a report without baseline: the toggle is off and disabled
    doc.replace_report(_report())
    assert not p.baseline_button.isEnabled()
    assert not p.baseline_pane.isVisible()


def test_report_replaced_reloads_editor(qtbot, page):
    r = _report()
    r.sections["overview"] = "新的内容"
    page.doc.replace_report(r)
    assert page.editor.toPlainText() == "新的内容"
    assert page.doc.undo_stack.count() == 0


@pytest.mark.parametrize("section_id, button_text, rule", [
    ("overview", "插入五个方面的小标题", "S4"),
    ("problems", "插入问题、措施、整改小标题", "S5"),
])
def test_inserted_heads_leave_the_section_visibly_unfinished(qtbot, section_id, button_text, rule):
    doc = ReportDocument(_report())
    p = TextSectionPage(doc, section_id)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    button = next(b for b in p.insert_buttons if b.text() == button_text)
    qtbot.mouseClick(button, Qt.LeftButton)
    assert "（一）" in doc.report.sections[section_id]
    # nothing is ticked: a head with no sentence under it covers nothing
    def unfinished() -> bool:
        items = [p.findings_list.item(i) for i in range(p.findings_list.count())]
        return any("只有小标题" in it.text() and rule in it.toolTip() for it in items)

    qtbot.waitUntil(unfinished, timeout=2000)
    assert not any(dict(p.checklist_state()).values())
    # a sentence typed under the first head ticks that aspect only
    cur = p.editor.textCursor()
    cur.movePosition(cur.MoveOperation.Start)
    cur.movePosition(cur.MoveOperation.EndOfBlock)
    p.editor.setTextCursor(cur)
    p.editor.setFocus()
    sentence = "\n本年度主动公开政府信息120条。" if section_id == "overview" else "\n信息更新不够及时。"
    type_text(p.editor, sentence)
    qtbot.waitUntil(lambda: sum(dict(p.checklist_state()).values()) == 1, timeout=2000)
