"""The open report as a Qt object: every edit is an undo command, every change re-checks.

The window holds no rules of its own: it edits :attr:`ReportDocument.report`
through the methods here and shows :attr:`ReportDocument.findings`, which are
always what ``model.rules.check`` says about the current report (the check is
run synchronously after every change; it takes well under a millisecond).

A project file the document holds is guarded (issue 14 item 1): :attr:`disk_stamp`
is the state of the file when it was loaded or last saved, and :meth:`save` to
that file refuses with :class:`model.project.ChangedOnDiskError` when someone
else has replaced it since (the window then offers save as / reload / overwrite,
``gui/lock_dialog.py``).  With ``locking=True`` (the application's window) the
document also holds the file's lock (:mod:`model.lock`); :attr:`lock_holder`
names another running instance that has it open.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from model import schema
from model.report import CellValue, Report
from model.schema import CELLS, SECTION_BY_ID

# the window opened on a file paints before the first edit and the first check: the
# undo commands (model.changes, model.baseline) and the findings are imported when used
if TYPE_CHECKING:  # pragma: no cover
    from model.findings import Finding

# The guided steps, in order: (step id, title shown in the navigation list).
STEPS: list[tuple[str, str]] = [
    ("meta", "基本信息"),
    ("overview", SECTION_BY_ID["overview"].heading),
    ("active", f"{SECTION_BY_ID['active'].number}、{SECTION_BY_ID['active'].short}"),
    ("requests", f"{SECTION_BY_ID['requests'].number}、{SECTION_BY_ID['requests'].short}"),
    ("appeals", f"{SECTION_BY_ID['appeals'].number}、{SECTION_BY_ID['appeals'].short}"),
    ("problems", f"{SECTION_BY_ID['problems'].number}、{SECTION_BY_ID['problems'].short}"),
    ("other", f"{SECTION_BY_ID['other'].number}、{SECTION_BY_ID['other'].short}"),
    ("check", "检查与导出"),
]
STEP_IDS = tuple(s for s, _ in STEPS)

TOTAL_READONLY_MESSAGE = "合计栏由系统按各项之和自动计算，不能直接填写"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


def _check(report: Report) -> list[Finding]:
    from model import rules          # imported late: the rules load their tables once
    return list(rules.check(report))


class ReportDocument(QObject):
    """One report being edited, with its file path, undo stack and current findings."""

    cellsChanged = Signal(list)        # cell ids whose value (or raw text) changed
    sectionChanged = Signal(str)       # section id
    metaChanged = Signal()
    findingsChanged = Signal()
    modifiedChanged = Signal(bool)
    pathChanged = Signal()
    reportReplaced = Signal()          # a whole new report was loaded into this document

    STEPS = STEPS

    def __init__(self, report: Report | None = None, path: Path | str | None = None,
                 parent: QObject | None = None, check: bool = True, locking: bool = False):
        super().__init__(parent)
        self.report: Report = report if report is not None else Report.zeros()
        self.path: Path | None = Path(path) if path is not None else None
        self.locking = locking
        self.lock = None                    # model.lock.ProjectLock held on self.path
        self.lock_holder = None             # model.lock.LockInfo of another instance holding it
        self.disk_stamp = None              # model.project.DiskStamp of self.path as loaded/saved
        self._guard_path(stamp=None)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(0)
        self.findings: list[Finding] = []
        self._by_cell: dict[str, list[Finding]] = {}
        self._by_section: dict[str, list[Finding]] = {}
        self._by_step: dict[str, list[Finding]] = {}
        self._places: dict[int, tuple[Finding, object]] = {}
        self._step_counts: dict[str, tuple[int, int]] = {}
        self._forced_modified = False
        self._was_modified = False
        self.check_pending = False
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        if check:
            self._recheck(emit=False)
        else:
            self.check_pending = True

    # ------------------------------------------------------------------
    # editing
    # ------------------------------------------------------------------
    def parse_cell_text(self, cell_id: str, text: str) -> tuple[CellValue, str | None, str | None]:
        """``(value, raw, error)`` for what a clerk typed into ``cell_id``.

        A blank marker (``/``, ``—``) is kept as a blank with its text in raw,
        so the checker warns (C3) and nothing typed is lost.
        """
        d = CELLS[cell_id]
        parsed = d.parse(text)
        if parsed.error:
            return None, None, parsed.error
        if parsed.blank:
            raw = (text or "").strip()
            return None, (raw or None), None
        return parsed.value, None, None

    def set_cell_text(self, cell_id: str, text: str) -> str | None:
        """Store what was typed into a cell.  Returns a Chinese message and changes
        nothing when the text is refused (a letter, a negative number, a total)."""
        if cell_id not in CELLS:
            raise KeyError(cell_id)
        if CELLS[cell_id].is_total:
            return TOTAL_READONLY_MESSAGE
        value, raw, error = self.parse_cell_text(cell_id, text)
        if error:
            return error
        if self.report.values[cell_id] == value and self.report.raw.get(cell_id) == raw \
                and type(self.report.values[cell_id]) is type(value):
            # nothing to change; still recompute if a total is out of line? no: an
            # unchanged component is not an edit
            return None
        label = f"填写“{CELLS[cell_id].label}”"
        from .commands import SetCellsCommand
        self.undo_stack.push(SetCellsCommand(self, {cell_id: (value, raw)}, label))
        return None

    def set_cells(self, values: dict[str, CellValue], label: str = "粘贴") -> None:
        """Set several cells as one undo step (paste).  Totals among them are ignored:
        they are recomputed from their components."""
        changes = {}
        for cid, v in values.items():
            if cid not in CELLS:
                raise KeyError(cid)
            if CELLS[cid].is_total:
                continue
            if CELLS[cid].kind == "decimal" and isinstance(v, int):
                v = Decimal(v)
            changes[cid] = (v, None)
        if not changes:
            return
        from .commands import SetCellsCommand
        self.undo_stack.push(SetCellsCommand(self, changes, label))

    def set_cell_states(self, states: dict[str, tuple[CellValue, str | None]],
                        label: str = "粘贴") -> None:
        """Like :meth:`set_cells` with the raw text kept (blank markers), one undo step."""
        changes = {cid: st for cid, st in states.items() if not CELLS[cid].is_total}
        if changes:
            from .commands import SetCellsCommand
            self.undo_stack.push(SetCellsCommand(self, changes, label))

    def recompute_totals(self) -> None:
        """Bring every total in line with its components (undoable: 重新计算合计)."""
        probe = self.report.copy()
        if not probe.recompute_totals():
            return
        from .commands import SetCellsCommand
        self.undo_stack.push(SetCellsCommand(self, {}, "重新计算合计", recompute=True))

    def set_section(self, section_id: str, text: str, merge: bool = True) -> None:
        if section_id not in self.report.sections:
            raise KeyError(section_id)
        if self.report.sections[section_id] == text:
            return
        from .commands import SetSectionCommand
        self.undo_stack.push(SetSectionCommand(self, section_id, text, merge))

    def set_meta(self, **fields) -> None:
        """Change agency, year, level, tier and/or publish_date (one undo step)."""
        from .commands import META_FIELDS
        for k in fields:
            if k not in META_FIELDS:
                raise TypeError(f"unknown meta field {k!r}")
        if "level" in fields and not isinstance(fields["level"], schema.Level):
            fields["level"] = schema.Level(fields["level"])
        if "tier" in fields and not isinstance(fields["tier"], schema.Tier):
            fields["tier"] = schema.Tier(fields["tier"])
        if "publish_date" in fields and fields["publish_date"] is not None \
                and not isinstance(fields["publish_date"], date):
            raise TypeError("publish_date must be a date or None")
        changed = {k: v for k, v in fields.items() if getattr(self.report, k) != v}
        if changed:
            from .commands import SetMetaCommand
            self.undo_stack.push(SetMetaCommand(self, changed))

    def set_baseline(self, baseline: Report | None, *, carry: bool = True,
                     confirmed: bool = False) -> None:
        """Use ``baseline`` as last year's report (or drop it), as one undo step.

        ``carried_in`` of table 三 takes last year's ``carried_out`` (条例 tables
        carry over) unless the years do not follow and the clerk has not
        confirmed (``model.baseline``, rule X0); totals are recomputed.
        """
        from model.changes import set_baseline
        from .commands import ChangeCommand
        self.undo_stack.push(ChangeCommand(self, set_baseline(self.report, baseline, carry=carry,
                                                              confirmed=confirmed)))

    def replace_report(self, report: Report, path: Path | str | None = None,
                       modified: bool = False, check: bool = True, stamp=None) -> None:
        """Load a whole new report into this document; the undo history is cleared.

        ``modified=True`` marks it as unsaved (a recovered autosave).  ``stamp`` is
        the :class:`~model.project.DiskStamp` the report was loaded with
        (:func:`model.project.load_with_stamp`); without, the file's state now.  With
        ``check=False`` the findings stay empty and :attr:`check_pending` is set
        until :meth:`ensure_checked` (the window runs it right after its first
        paint, so start-up does not wait for the rules to load).
        """
        self.undo_stack.clear()
        self.report = report
        self.path = Path(path) if path is not None else None
        self._guard_path(stamp=stamp)
        self.undo_stack.setClean()
        self._forced_modified = modified
        if check:
            self._recheck(emit=False)
        else:
            self.findings, self._by_cell, self._by_section, self._step_counts = [], {}, {}, {}
            self._by_step, self._places = {}, {}
            self.check_pending = True
        self.reportReplaced.emit()
        self.pathChanged.emit()
        self.findingsChanged.emit()
        self._emit_modified()

    def save(self, path: Path | str | None = None, force: bool = False) -> Path:
        """Write the project file (``model.project.save``) and mark the document clean.

        Saving over the file this document was loaded from checks first that the
        file on disk is still the one loaded: else
        :class:`model.project.ChangedOnDiskError` and nothing is written (``force``
        overwrites all the same).
        """
        from model import project
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("save() needs a path for a report that has none")
        same = self.path is not None and _same_file(target, self.path)
        check = same and not force
        self.disk_stamp = project.save(self.report, target, expect=self.disk_stamp if same else None,
                                       check_disk=check and self.disk_stamp is not None)
        path_changed = target != self.path
        self.path = target
        if path_changed:
            self._take_lock()
        elif self.lock is not None:
            self.lock.renew()
        self._forced_modified = False
        self.undo_stack.setClean()
        if path_changed:
            self.pathChanged.emit()
        self._emit_modified()
        return target

    def reload(self) -> None:
        """Replace the report by the file on disk as it is now (drops unsaved changes)."""
        from model import project
        if self.path is None:
            raise ValueError("reload() needs a path")
        report, stamp = project.load_with_stamp(self.path)
        self.replace_report(report, self.path, stamp=stamp)

    def close_file(self) -> None:
        """The window closes: give up the lock."""
        self._release_lock()

    # ---- the file's lock and state on disk (issue 14 item 1) --------------
    def _guard_path(self, stamp) -> None:
        from model import project
        if self.path is None or self.path.suffix.lower() != project.SUFFIX:
            self.disk_stamp = None
            self._release_lock()
            return
        self.disk_stamp = stamp if stamp is not None else project.DiskStamp.of(self.path)
        self._take_lock()

    def _take_lock(self) -> None:
        from model import lock, project
        if self.lock is not None and self.path is not None and _same_file(self.lock.target, self.path):
            return
        self._release_lock()
        if not self.locking or self.path is None or self.path.suffix.lower() != project.SUFFIX:
            return
        self.lock, self.lock_holder = lock.acquire(self.path)

    def _release_lock(self) -> None:
        if self.lock is not None:
            self.lock.release()
        self.lock = None
        self.lock_holder = None

    def is_modified(self) -> bool:
        return self._forced_modified or not self.undo_stack.isClean()

    def display_name(self) -> str:
        """The file name for the window title, or a name for a report never saved."""
        if self.path is not None:
            return self.path.name
        if self.report.agency or self.report.year:
            return f"{self.report.agency}{self.report.year or ''}年报告（未保存）"
        return "未命名报告"

    # ------------------------------------------------------------------
    # findings
    # ------------------------------------------------------------------
    def findings_for_cell(self, cell_id: str) -> list[Finding]:
        return self._by_cell.get(cell_id, [])

    def findings_for_section(self, section_id: str) -> list[Finding]:
        return self._by_section.get(section_id, [])

    def findings_for_step(self, step_id: str) -> list[Finding]:
        if step_id == "check":
            return list(self.findings)
        return list(self._by_step.get(step_id, ()))

    def place_of(self, finding: Finding):
        """``model.findings.place(finding)``, worked out once per check for the current
        findings (the problems list, the steps and the pages all ask at every keystroke)."""
        got = self._places.get(id(finding))
        if got is not None and got[0] is finding:
            return got[1]
        from model.findings import place
        return place(finding)

    def step_counts(self, step_id: str) -> tuple[int, int]:
        """(errors, warnings) of one step; for 检查与导出, of the whole report."""
        return self._step_counts.get(step_id, (0, 0))

    @staticmethod
    def step_of_finding(finding: Finding) -> str:
        """Which step a finding belongs to (``model.findings.place``)."""
        from model.findings import place
        return place(finding).step

    # ------------------------------------------------------------------
    # internal: called by the commands
    # ------------------------------------------------------------------
    def _cells_edited(self, cell_ids: list[str]) -> None:
        self._recheck()
        if cell_ids:
            self.cellsChanged.emit(cell_ids)

    def _section_edited(self, section_id: str) -> None:
        self._recheck()
        self.sectionChanged.emit(section_id)

    def _meta_edited(self) -> None:
        self._recheck()
        self.metaChanged.emit()

    def _baseline_edited(self) -> None:
        self._recheck()
        # last year's values appear in every cell's tooltip
        self.cellsChanged.emit(list(CELLS))
        self.metaChanged.emit()

    def ensure_checked(self) -> None:
        """Run the check now if it was deferred (``check=False``); emits findingsChanged."""
        if self.check_pending:
            self._recheck()

    def _recheck(self, emit: bool = True) -> None:
        from model.findings import Severity, place
        self.check_pending = False
        self.findings = _check(self.report)
        by_cell: dict[str, list[Finding]] = {}
        by_section: dict[str, list[Finding]] = {}
        by_step: dict[str, list[Finding]] = {}
        places = {}
        counts = {s: [0, 0] for s in STEP_IDS}
        for f in self.findings:
            for cid in f.cells:
                by_cell.setdefault(cid, []).append(f)
            if f.section:
                by_section.setdefault(f.section, []).append(f)
            where = place(f)
            places[id(f)] = (f, where)
            by_step.setdefault(where.step, []).append(f)
            idx = 0 if f.severity is Severity.ERROR else 1 if f.severity is Severity.WARNING else None
            if idx is not None:
                counts[where.step][idx] += 1
                if where.step != "check":
                    counts["check"][idx] += 1
        self._by_cell = by_cell
        self._by_section = by_section
        self._by_step = by_step
        self._places = places
        self._step_counts = {k: (v[0], v[1]) for k, v in counts.items()}
        if emit:
            self.findingsChanged.emit()

    def _on_clean_changed(self, _clean: bool) -> None:
        self._emit_modified()

    def _emit_modified(self) -> None:
        m = self.is_modified()
        if m != self._was_modified:
            self._was_modified = m
            self.modifiedChanged.emit(m)
