"""The one generic undo step: a model.changes.Change applied, undone and redone exactly."""
from __future__ import annotations

from gui.commands import ChangeCommand
from gui.document import ReportDocument
from model.changes import set_baseline, set_cells
from tests.gui.test_document import consistent_report


def states(report):
    return dict(report.values), dict(report.raw), report.baseline, report.baseline_own


def test_a_baseline_change_with_carried_cells_undoes_and_redoes(qtbot):
    doc = ReportDocument(consistent_report())
    last = consistent_report()
    last.year = 2023
    last.values["t3.carried_out.person"] = 4
    before = states(doc.report)
    change = set_baseline(doc.report, last)
    assert change.cells["t3.carried_in.person"] == (4, None) and change.baseline is not None
    assert set(change.cells) == {f"t3.carried_in.{c}" for c in ("person", "business", "research",
                                                                 "nonprofit", "legal", "other_org")}
    with qtbot.waitSignal(doc.findingsChanged):
        doc.undo_stack.push(ChangeCommand(doc, change))
    after = states(doc.report)
    assert doc.report.values["t3.carried_in.person"] == 4 and doc.report.values["t3.carried_in.total"] == 4
    assert doc.report.baseline is change.baseline.baseline
    doc.undo_stack.undo()
    assert states(doc.report) == before
    doc.undo_stack.redo()
    assert states(doc.report) == after


def test_set_cells_keeps_only_what_differs_and_names_the_step(qtbot):
    doc = ReportDocument(consistent_report())
    change = set_cells(doc.report, {"t3.new.person": (30, None), "t3.new.legal": (2, None)}, "粘贴")
    assert dict(change.cells) == {"t3.new.legal": (2, None)}
    cmd = ChangeCommand(doc, change)
    doc.undo_stack.push(cmd)
    assert doc.undo_stack.undoText() == "粘贴"
    assert set(cmd.changed_ids()) == {"t3.new.legal", "t3.new.total"}
    doc.undo_stack.undo()
    assert doc.report.values["t3.new.legal"] == 0
