"""Edits are operations: what an edit means is computed here, as a :class:`Change`.

A plain function in ``model/`` looks at the report and returns the change an
edit makes — cells to set (value and raw text), whether totals follow, and a
new baseline when last year's report is set or dropped.  The window pushes the
change as one undo step (``gui.commands.ChangeCommand``, the one generic undo
command); the CLI applies the same change to the report it saves.  Anki's
"operations" are the model: the meaning of an edit lives in the core, the
shell only records it for undo.

The operations: :func:`set_cells` here, :func:`model.baseline.baseline_change`
via :func:`set_baseline`, and :func:`model.register.t3_change` (a register of
applications applied to table 三).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .baseline import BaselineChange, baseline_change
from .report import CellValue, Report

CellState = tuple[CellValue, str | None]       # (value, raw text kept for a cell that is no clean number)


@dataclass(frozen=True)
class Change:
    """One edit: cells to set, totals to recompute, and optionally a new baseline."""

    text: str                                              # Chinese, the undo step's name
    cells: Mapping[str, CellState] = field(default_factory=dict)
    recompute: bool = True                                 # totals follow their components afterwards
    baseline: BaselineChange | None = None                 # set (or drop) last year's report

    @property
    def empty(self) -> bool:
        return not self.cells and self.baseline is None

    def apply(self, report: Report) -> list[str]:
        """Make the change to ``report``; returns the ids of the cells whose state changed."""
        before = {cid: (report.values[cid], report.raw.get(cid)) for cid in report.values}
        if self.baseline is not None:
            report.baseline = self.baseline.baseline
            report.baseline_own = self.baseline.own
        for cid, (value, raw) in self.cells.items():
            report.set(cid, value, raw)
        if self.recompute:
            report.recompute_totals()
        return [cid for cid in report.values if (report.values[cid], report.raw.get(cid)) != before[cid]]


def set_cells(report: Report, cells: Mapping[str, CellState], text: str, *,
              recompute: bool = True) -> Change:
    """Set cells, keeping only those whose (value, raw) differ from the report's now."""
    changed = {cid: st for cid, st in cells.items()
               if (report.values.get(cid), report.raw.get(cid)) != st}
    return Change(text, changed, recompute)


def set_baseline(report: Report, last: Report | None, *, carry: bool = True,
                 confirmed: bool = False) -> Change:
    """Make ``last`` the baseline (``None``: drop it), carrying balances as rule X0 allows."""
    b = baseline_change(report, last, carry=carry, confirmed=confirmed)
    # the carried cells go in with the baseline itself (BaselineChange.apply is not used here,
    # so that Change.apply reports which cells changed)
    carried = {cid: (v, None) for cid, v in b.cells.items()}
    return Change("导入上年报告" if last is not None else "移除上年基线", carried, bool(carried),
                  BaselineChange(b.baseline, b.own, {}, b.verdict))
