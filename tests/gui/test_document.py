"""ReportDocument: edits through undo commands, totals recomputed, findings always current."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gui.document import STEPS, TOTAL_READONLY_MESSAGE, ReportDocument
from model import project, schema
from model.findings import Finding, Severity
from model.report import Report
from model.schema import CELLS, Level, Tier


def consistent_report() -> Report:
    """An invented agency's report whose tables add up (35 requests, 2 appeals)."""
    r = Report.zeros(agency="某某县文化和旅游局", year=2024, level=Level.DEPARTMENT,
                     tier=Tier.COUNTY, publish_date=date(2025, 1, 20))
    r.values["t3.new.person"] = 30
    r.values["t3.new.business"] = 5
    r.values["t3.granted.person"] = 20
    r.values["t3.partial.person"] = 6
    r.values["t3.unable.not_held.person"] = 4
    r.values["t3.granted.business"] = 5
    r.values["t4.review.upheld"] = 1
    r.values["t4.review.corrected"] = 1
    r.values["t2.normative.issued"] = 3
    r.values["t2.normative.in_force"] = 12
    r.values["t2.fees.amount"] = Decimal("0")
    r.recompute_totals()
    r.sections["overview"] = "本机关认真落实政府信息公开条例。"
    r.sections["other"] = "本年度未收取信息处理费。"
    return r


def rules_of(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings}


@pytest.fixture
def doc(qtbot) -> ReportDocument:
    return ReportDocument(consistent_report())


def test_consistent_report_has_no_table_errors(doc):
    errors = [f for f in doc.findings if f.severity is Severity.ERROR]
    assert errors == []
    assert doc.step_counts("requests") == (0, 0)
    assert not doc.is_modified()


def test_set_cell_text_parses_full_width_and_thousands_and_recomputes(doc, qtbot):
    with qtbot.waitSignals([doc.cellsChanged, doc.findingsChanged, doc.modifiedChanged]):
        assert doc.set_cell_text("t3.new.research", "１,234") is None
    assert doc.report.values["t3.new.research"] == 1234
    assert doc.report.values["t3.new.total"] == 35 + 1234
    # the 勾稽 relation is now broken in two columns
    t33 = [f for f in doc.findings if f.rule == "T3-3"]
    cols = {CELLS[f.cells[0]].col for f in t33}
    assert cols == {"research", "total"}
    assert doc.step_counts("requests")[0] == 2
    assert doc.is_modified()
    assert doc.findings_for_cell("t3.new.research")


def test_undo_restores_value_total_and_findings(doc):
    doc.set_cell_text("t3.new.research", "7")
    doc.undo_stack.undo()
    assert doc.report.values["t3.new.research"] == 0
    assert doc.report.values["t3.new.total"] == 35
    assert "T3-3" not in rules_of(doc.findings)
    assert not doc.is_modified()
    doc.undo_stack.redo()
    assert doc.report.values["t3.new.total"] == 42


@pytest.mark.parametrize("text", ["abc", "-3", "1.5", "12a"])
def test_refused_text_changes_nothing(doc, text):
    before = doc.report.copy()
    msg = doc.set_cell_text("t3.new.person", text)
    assert msg and any("\u4e00" <= ch <= "\u9fff" for ch in msg)
    assert doc.report.values == before.values
    assert doc.undo_stack.count() == 0


def test_total_cell_refuses_typing(doc):
    assert doc.set_cell_text("t3.new.total", "99") == TOTAL_READONLY_MESSAGE
    assert doc.report.values["t3.new.total"] == 35


def test_fee_accepts_decimal(doc):
    assert doc.set_cell_text("t2.fees.amount", "0.0125") is None
    assert doc.report.values["t2.fees.amount"] == Decimal("0.0125")
    assert doc.set_cell_text("t2.fees.amount", "1.123456")    # more than 4 decimals


def test_blank_marker_kept_as_raw_and_warned(doc):
    assert doc.set_cell_text("t3.new.legal", "/") is None
    assert doc.report.values["t3.new.legal"] is None
    assert doc.report.raw["t3.new.legal"] == "/"
    assert any(f.rule == "C3" for f in doc.findings_for_cell("t3.new.legal"))


def test_imported_wrong_total_is_kept_flagged_until_recomputed(qtbot):
    r = consistent_report()
    r.values["t3.new.total"] = 30          # the published table said 30, the row adds to 35
    doc = ReportDocument(r)
    assert doc.report.values["t3.new.total"] == 30
    assert any(f.rule == "T3-1" for f in doc.findings_for_cell("t3.new.total"))
    doc.recompute_totals()
    assert doc.report.values["t3.new.total"] == 35
    assert "T3-1" not in rules_of(doc.findings)
    doc.undo_stack.undo()
    assert doc.report.values["t3.new.total"] == 30
    assert any(f.rule == "T3-1" for f in doc.findings)


def test_set_cells_is_one_undo_step_and_skips_totals(doc):
    doc.set_cells({"t3.new.person": 1, "t3.new.business": 2, "t3.new.total": 999})
    assert doc.undo_stack.count() == 1
    assert doc.report.values["t3.new.total"] == 3
    doc.undo_stack.undo()
    assert doc.report.values["t3.new.person"] == 30
    assert doc.report.values["t3.new.total"] == 35


def test_section_typing_merges_into_one_step(doc, qtbot):
    with qtbot.waitSignal(doc.sectionChanged) as sig:
        doc.set_section("problems", "存")
    assert sig.args == ["problems"]
    doc.set_section("problems", "存在")
    doc.set_section("problems", "存在问题")
    assert doc.undo_stack.count() == 1
    doc.set_section("other", "无", merge=True)
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.report.sections["problems"] == ""


def test_meta_changes_are_undoable_and_rechecked(doc, qtbot):
    with qtbot.waitSignal(doc.metaChanged):
        doc.set_meta(level=Level.GOVERNMENT, publish_date=date(2025, 4, 10))
    assert doc.report.level is Level.GOVERNMENT
    assert any(f.rule == "S8" for f in doc.findings)
    assert doc.step_counts("meta")[1] >= 1
    doc.undo_stack.undo()
    assert doc.report.level is Level.DEPARTMENT
    assert not any(f.rule == "S8" for f in doc.findings)
    with pytest.raises(TypeError):
        doc.set_meta(colour="red")


def test_baseline_carries_over_and_undoes(doc):
    last = consistent_report()
    last.year = 2023
    last.values["t3.carried_out.person"] = 3
    last.values["t3.granted.person"] -= 3
    last.recompute_totals()
    doc.set_baseline(last)
    r = doc.report
    assert r.baseline is not None and r.baseline.year == 2023
    assert r.values["t3.carried_in.person"] == 3
    assert r.values["t3.carried_in.total"] == 3
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert doc.report.baseline is None
    assert doc.report.values["t3.carried_in.person"] == 0


def test_replace_report_clears_undo_and_can_mark_modified(doc, qtbot):
    doc.set_cell_text("t3.new.person", "1")
    with qtbot.waitSignals([doc.reportReplaced, doc.pathChanged]):
        doc.replace_report(Report.zeros(agency="甲", year=2024), modified=True)
    assert doc.undo_stack.count() == 0
    assert doc.is_modified()
    doc.replace_report(Report.zeros(agency="甲", year=2024))
    assert not doc.is_modified()


def test_save_sets_clean_and_path(doc, tmp_path, qtbot):
    doc.set_cell_text("t3.new.person", "31")
    doc.set_cell_text("t3.granted.person", "21")
    target = tmp_path / "报告.nianbao"
    with qtbot.waitSignals([doc.pathChanged, doc.modifiedChanged]):
        doc.save(target)
    assert doc.path == target and not doc.is_modified()
    again = project.load(target)
    assert again.values == doc.report.values
    assert again.sections == doc.report.sections


def test_step_of_finding_and_steps():
    assert [s for s, _ in STEPS] == ["meta", "overview", "active", "requests", "appeals",
                                      "problems", "other", "check"]
    assert [t for _, t in STEPS][1] == schema.SECTION_BY_ID["overview"].heading
    s = ReportDocument.step_of_finding
    assert s(Finding("T3-1", Severity.ERROR, "x", ("t3.new.total",))) == "requests"
    assert s(Finding("T4-1", Severity.ERROR, "x", ("t4.review.total",))) == "appeals"
    assert s(Finding("C2", Severity.ERROR, "x", ("t2.fees.amount",))) == "active"
    assert s(Finding("S6", Severity.WARNING, "x", (), "other")) == "other"
    assert s(Finding("S1", Severity.ERROR, "x", (), "title")) == "meta"
    assert s(Finding("S2", Severity.ERROR, "x", (), None)) == "check"
    # a narrative finding belongs to its text, where the clerk fixes it
    assert s(Finding("N1", Severity.WARNING, "x", ("t3.new.total",), "overview")) == "overview"


def test_check_step_counts_everything(doc):
    doc.set_cell_text("t3.new.person", "31")
    doc.set_section("other", "")
    total_e = sum(1 for f in doc.findings if f.severity is Severity.ERROR)
    total_w = sum(1 for f in doc.findings if f.severity is Severity.WARNING)
    assert doc.step_counts("check") == (total_e, total_w)
    assert sum(doc.step_counts(s)[0] for s, _ in STEPS if s != "check") == total_e


def test_deferred_check_runs_on_demand_or_at_the_first_edit(qtbot):
    bad = consistent_report()
    bad.values["t3.new.total"] = 99                      # a wrong total: T-rule error
    doc = ReportDocument(bad, check=False)
    assert doc.check_pending and doc.findings == [] and doc.step_counts("requests") == (0, 0)
    with qtbot.waitSignal(doc.findingsChanged):
        doc.ensure_checked()
    assert not doc.check_pending
    assert any(f.severity is Severity.ERROR for f in doc.findings)
    assert doc.step_counts("requests")[0] >= 1
    with qtbot.assertNotEmitted(doc.findingsChanged):
        doc.ensure_checked()                             # nothing pending: nothing done
    # replace_report(check=False) defers again; any edit checks at once
    doc.replace_report(bad.copy(), check=False)
    assert doc.check_pending and doc.findings == []
    doc.set_section("other", "本年度未收取信息处理费。无其他需要报告的事项。")
    assert not doc.check_pending and doc.findings
