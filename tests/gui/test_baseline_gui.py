"""导入上年报告 in the window follows model.baseline (rule X0): it asks before carrying balances."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from gui.import_dialog import ImportPreviewDialog
from model.importers.base import ImportResult
from tests.gui.test_document import consistent_report
from tests.gui import test_main_window as _mw

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
settings, make_window, no_prompts = _mw.settings, _mw.make_window, _mw.no_prompts   # fixtures


def last_year(year=2023, agency=None):
    last = consistent_report()
    last.year = year
    if agency is not None:
        last.agency = agency
    last.values["t3.carried_out.business"] = 2
    last.values["t3.granted.business"] = 3
    last.recompute_totals()
    return last


@pytest.fixture
def choose_baseline(monkeypatch):
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda self: (self.baseline_button.click(), 1)[1])


def problems_text(w) -> str:
    t = w.problems.tree
    return "\n".join(t.topLevelItem(i).text(1) + " " + t.topLevelItem(i).text(2)
                     for i in range(t.topLevelItemCount()))


def test_same_year_report_asks_and_no_keeps_the_balances(make_window, no_prompts, choose_baseline):
    w = make_window()                                  # a 2024 report
    no_prompts["question"] = QMessageBox.StandardButton.No
    assert w.apply_import(ImportResult(last_year(2024), source_name="同年.docx")) == "baseline"
    assert "应为 2023 年" in no_prompts["asked"] and "同一年度" in no_prompts["asked"]
    assert w.doc.report.baseline is not None
    assert w.doc.report.values["t3.carried_in.business"] == 0
    assert any(f.rule == "X0" for f in w.doc.findings)
    assert "未改动" in w.statusBar().currentMessage()


def test_same_year_report_yes_carries(make_window, no_prompts, choose_baseline):
    w = make_window()
    no_prompts["question"] = QMessageBox.StandardButton.Yes
    w.apply_import(ImportResult(last_year(2022), source_name="前年.docx"))
    assert "2022 年" in no_prompts["asked"]
    assert w.doc.report.values["t3.carried_in.business"] == 2
    w.undo_action.trigger()
    assert w.doc.report.baseline is None and w.doc.report.values["t3.carried_in.business"] == 0


def test_previous_year_report_carries_without_asking(make_window, no_prompts, choose_baseline):
    w = make_window()
    w.apply_import(ImportResult(last_year(2023), source_name="上年.docx"))
    assert "asked" not in no_prompts
    assert w.doc.report.values["t3.carried_in.business"] == 2
    assert not any(f.rule == "X0" for f in w.doc.findings)


def test_other_agency_is_said_in_status_and_problems(make_window, no_prompts, choose_baseline):
    w = make_window()
    w.apply_import(ImportResult(last_year(2023, agency="白石县教育局"), source_name="别人.docx"))
    assert "不是本机关" in w.statusBar().currentMessage()
    assert "X0" in problems_text(w) and not w.doc.report.baseline_own


def test_meta_finding_is_routed_by_its_field_not_its_words(make_window, no_prompts, qtbot):
    """A reworded message still puts the cursor in the field the finding names."""
    from model.findings import Finding, Severity
    w = make_window()
    page = w.show_step("meta")
    page.focus_finding(Finding("S8", Severity.WARNING, "完全不提任何字段名的说明", section="meta",
                               field="publish_date"))
    qtbot.waitUntil(lambda: page.publish_date.hasFocus())
    page.focus_finding(Finding("X0", Severity.WARNING, "公开日期与发布都写在这里", section="meta",
                               field="year"))
    qtbot.waitUntil(lambda: page.year.hasFocus())


def test_t3_check_row_shows_the_findings_difference(make_window, no_prompts):
    w = make_window()
    w.doc.set_cell_text("t3.carried_out.person", "4")
    page = w.show_step("requests")
    ok, diff = page.model.check_state("person")
    [f] = [f for f in w.doc.findings if f.rule == "T3-3" and "t3.new.person" in f.cells]
    assert not ok and diff == f.difference == -4


def test_empty_name_is_not_held_against_the_import(make_window, no_prompts, choose_baseline):
    """A new report without an agency yet: last year's report cannot be compared by name, so
    it is taken as the agency's own (no X0, X1 an error), as `check --last-year` does."""
    r = consistent_report()
    r.agency = ""
    w = make_window(r)
    w.apply_import(ImportResult(last_year(2023), source_name="上年.docx"))
    assert "asked" not in no_prompts and w.doc.report.baseline_own
    assert not any(f.rule == "X0" for f in w.doc.findings)
    assert w.doc.report.values["t3.carried_in.business"] == 2
