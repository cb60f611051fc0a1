"""The undoable edits of a :class:`gui.document.ReportDocument`.

Every change to the report goes through one of these commands on the
document's ``QUndoStack``; a command stores what it needs to restore the
report exactly (values *and* the raw text kept for cells that were not clean
numbers), so undo after an import gives back the imported state, wrong
totals included.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from model.changes import CellState, Change
from model.report import Report

if TYPE_CHECKING:  # pragma: no cover
    from .document import ReportDocument

# ids for QUndoCommand.mergeWith
SECTION_MERGE_ID = 1001
META_MERGE_ID = 1002

# consecutive edits of the same text within this many seconds form one undo step
MERGE_WINDOW_S = 2.0


def _cell_state(report: Report, cell_id: str) -> CellState:
    return report.values[cell_id], report.raw.get(cell_id)


def _apply_states(report: Report, states: dict[str, CellState]) -> None:
    for cid, (value, raw) in states.items():
        report.set(cid, value, raw)


class ChangeCommand(QUndoCommand):
    """The one generic undo step: apply a :class:`model.changes.Change` (cells, totals,
    baseline) computed by an operation in ``model/``; undo restores exactly what it touched."""

    def __init__(self, doc: ReportDocument, change: Change):
        super().__init__(change.text)
        self._doc = doc
        self.change = change
        self._before: dict[str, CellState] = {}
        self._after: dict[str, CellState] | None = None
        self._old_baseline = (doc.report.baseline, doc.report.baseline_own)

    def redo(self) -> None:
        report = self._doc.report
        if self._after is None:
            before_all = {cid: _cell_state(report, cid) for cid in report.values}
            touched = self.change.apply(report)
            self._before = {cid: before_all[cid] for cid in touched}
            self._after = {cid: _cell_state(report, cid) for cid in touched}
        else:
            if self.change.baseline is not None:
                report.baseline, report.baseline_own = self.change.baseline.baseline, self.change.baseline.own
            _apply_states(report, self._after)
        self._notify(list(self._after))

    def undo(self) -> None:
        report = self._doc.report
        if self.change.baseline is not None:
            report.baseline, report.baseline_own = self._old_baseline
        _apply_states(report, self._before)
        self._notify(list(self._before))

    def _notify(self, cell_ids: list[str]) -> None:
        if self.change.baseline is not None:
            self._doc._baseline_edited()
        else:
            self._doc._cells_edited(cell_ids)

    def changed_ids(self) -> list[str]:
        return list(self._after or ())


class SetCellsCommand(ChangeCommand):
    """Set one or more cells; totals are recomputed inside the same step.

    ``changes`` maps a cell id to ``(value, raw)``.  With ``recompute`` the
    report's totals are brought in line with their components afterwards
    (:meth:`Report.recompute_totals`), and undo restores them as they were.
    """

    def __init__(self, doc: ReportDocument, changes: dict[str, CellState], text: str,
                 recompute: bool = True):
        super().__init__(doc, Change(text, dict(changes), recompute))


class SetSectionCommand(QUndoCommand):
    """Replace the text of one section; consecutive typing merges into one step."""

    def __init__(self, doc: ReportDocument, section_id: str, text: str, merge: bool = True):
        from model.schema import SECTION_BY_ID
        super().__init__(f"编辑{SECTION_BY_ID[section_id].heading}")
        self._doc = doc
        self.section_id = section_id
        self._old = doc.report.sections.get(section_id, "")
        self._new = text
        self._merge = merge
        self._time = time.monotonic()

    def id(self) -> int:
        return SECTION_MERGE_ID if self._merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetSectionCommand) or not other._merge:
            return False
        if other.section_id != self.section_id or other._time - self._time > MERGE_WINDOW_S:
            return False
        self._new = other._new
        self._time = other._time
        return True

    def redo(self) -> None:
        self._doc.report.sections[self.section_id] = self._new
        self._doc._section_edited(self.section_id)

    def undo(self) -> None:
        self._doc.report.sections[self.section_id] = self._old
        self._doc._section_edited(self.section_id)


META_FIELDS = ("agency", "year", "level", "tier", "publish_date")


class SetMetaCommand(QUndoCommand):
    """Change meta fields (agency, year, level, tier, publish date)."""

    def __init__(self, doc: ReportDocument, fields: dict, merge: bool = True):
        super().__init__("修改基本信息")
        self._doc = doc
        self._new = dict(fields)
        self._old = {k: getattr(doc.report, k) for k in fields}
        self._merge = merge
        self._time = time.monotonic()

    def id(self) -> int:
        return META_MERGE_ID if self._merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        # typing into the agency field letter by letter is one step
        if not isinstance(other, SetMetaCommand) or not other._merge:
            return False
        if set(other._new) != set(self._new) or other._time - self._time > MERGE_WINDOW_S:
            return False
        self._new = dict(other._new)
        self._time = other._time
        return True

    def redo(self) -> None:
        for k, v in self._new.items():
            setattr(self._doc.report, k, v)
        self._doc._meta_edited()

    def undo(self) -> None:
        for k, v in self._old.items():
            setattr(self._doc.report, k, v)
        self._doc._meta_edited()
