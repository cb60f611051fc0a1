"""Table models: one ``QAbstractTableModel`` per official table, over the open report.

The model *is* the official grid from ``schema.TABLES[...]``: header rows,
block captions and row labels are rows and columns of the model (not a
QHeaderView), so a view that applies :meth:`GridTableModel.spans` shows the
merged official header exactly.  Value slots read and write the document;
total cells are read-only and show what the report holds (recomputed after
every edit, or an imported wrong total until the clerk recomputes — flagged
by the rules either way).
"""
from __future__ import annotations

from functools import cache

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from model import numbers, schema
from model.findings import Finding, Severity
from model.schema import CELLS, HELP_TEXTS, TABLES, GridCell, TableDef

from .document import ReportDocument

# colours (light, readable on print-like white)
COLOR_HEADER = QColor("#eef0f3")
COLOR_CAPTION = QColor("#e2e8f0")
COLOR_LABEL = QColor("#f7f8fa")
COLOR_TOTAL = QColor("#dde6f2")      # light grey-blue
COLOR_ERROR = QColor("#f8d3d3")      # light red
COLOR_WARNING = QColor("#fff1b8")    # light yellow
COLOR_OK = QColor("#dff3df")
COLOR_VALUE = QColor("#ffffff")

CELL_ID_ROLE = Qt.ItemDataRole.UserRole + 1     # the canonical cell id of a value slot (or None)
GRID_ROLE_ROLE = Qt.ItemDataRole.UserRole + 2   # "header" | "caption" | "label" | "value" | "check"
SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 3    # worst Severity of the cell's findings, or None

CARRIED_IN_NOTE = "上年结转：来自上年报告“结转下年度继续办理”"
TOTAL_NOTE = "合计：由各项之和自动计算，不能直接填写"
CHECK_LABEL = "勾稽关系（一+二＝三+四）"


def worst(findings: list[Finding]) -> Severity | None:
    sev = [f.severity for f in findings]
    return min(sev) if sev else None


def is_subject(f: Finding, cell_id: str) -> bool:
    """Whether a finding is *about* this cell (coloured) rather than naming it as context.

    A finding on a total lists the total first and its components after it
    (T3-1, T3-2, T4-1): only the total is coloured; the components carry the
    message in their tooltip.  Any other finding colours all its cells.
    """
    if not f.cells or f.cells[0] == cell_id:
        return True
    first = CELLS.get(f.cells[0])
    return first is None or cell_id not in _summands(first.id)


@cache
def _summands(total_id: str) -> frozenset[str]:
    """Every cell a total adds up: its row's components, and for （七）总计 the result rows."""
    d = CELLS[total_id]
    parts = set(d.components)
    if d.table == "t3" and d.row == "results_total":
        parts.update(schema.t3(r, d.col) for r in schema.T3_RESULT_ROWS)
    return frozenset(parts)


def finding_line(f: Finding) -> str:
    return f"【{f.severity.label} {f.rule}】{f.message}"


# roles as plain ints: data() is called a few thousand times a paint
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_CELL_ID = int(CELL_ID_ROLE)
_GRID_ROLE = int(GRID_ROLE_ROLE)
_SEVERITY = int(SEVERITY_ROLE)

_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_FLAGS_LABEL = Qt.ItemFlag.ItemIsEnabled
_FLAGS_TOTAL = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_FLAGS_VALUE = _FLAGS_TOTAL | Qt.ItemFlag.ItemIsEditable


class GridTableModel(QAbstractTableModel):
    """One official table (``t2``, ``t3`` or ``t4``) as a grid model over a document.

    What each grid cell shows is computed once and kept until the document
    changes that cell's value or findings; then only the cells whose
    appearance changed are announced (``dataChanged``), so a keystroke
    repaints a handful of cells, not the table.
    """

    #: a typed entry was refused: (index, Chinese message)
    inputRefused = Signal(QModelIndex, str)

    def __init__(self, doc: ReportDocument, table_id: str, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.table: TableDef = TABLES[table_id]
        self._n_rows = self.table.n_rows
        self._top_left: dict[tuple[int, int], GridCell] = {}
        self._cover: dict[tuple[int, int], GridCell] = {}
        self._pos: dict[str, tuple[int, int]] = {}
        self._flags: dict[tuple[int, int], Qt.ItemFlag] = {}
        for g in self.table.grid:
            self._top_left[(g.row, g.col)] = g
            for r in range(g.row, g.row + g.rowspan):
                for c in range(g.col, g.col + g.colspan):
                    self._cover[(r, c)] = g
            if g.cell_id:
                self._pos[g.cell_id] = (g.row, g.col)
                self._flags[(g.row, g.col)] = (_FLAGS_TOTAL if CELLS[g.cell_id].is_total
                                               else _FLAGS_VALUE)
            else:
                self._flags[(g.row, g.col)] = _FLAGS_LABEL
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._brushes = {c.name(): QBrush(c) for c in (
            COLOR_HEADER, COLOR_CAPTION, COLOR_LABEL, COLOR_TOTAL, COLOR_ERROR, COLOR_WARNING,
            COLOR_OK, COLOR_VALUE)}
        self._cache: dict[tuple[int, int], dict[int, object]] = {}
        self._seen: dict[str, list[Finding]] = {}
        self._remember_findings()
        doc.cellsChanged.connect(self._on_cells_changed)
        doc.findingsChanged.connect(self._on_findings_changed)
        doc.reportReplaced.connect(self._on_replaced)

    # ------------------------------------------------------------------
    # grid access
    # ------------------------------------------------------------------
    def grid_cell(self, row: int, col: int) -> GridCell | None:
        """The grid cell whose top-left corner is (row, col); None inside a span."""
        return self._top_left.get((row, col))

    def covering(self, row: int, col: int) -> GridCell | None:
        return self._cover.get((row, col))

    def cell_id_at(self, index: QModelIndex) -> str | None:
        if not index.isValid():
            return None
        g = self._top_left.get((index.row(), index.column()))
        return g.cell_id if g is not None else None

    def index_of(self, cell_id: str) -> QModelIndex:
        pos = self._pos.get(cell_id)
        if pos is None:
            return QModelIndex()
        return self.index(*pos)

    def spans(self) -> list[tuple[int, int, int, int]]:
        """(row, col, rowspan, colspan) of every merged cell, for ``QTableView.setSpan``."""
        return [(g.row, g.col, g.rowspan, g.colspan) for g in self.table.grid
                if g.rowspan > 1 or g.colspan > 1]

    def is_editable(self, row: int, col: int) -> bool:
        return self._flags.get((row, col)) == _FLAGS_VALUE

    def is_value(self, row: int, col: int) -> bool:
        g = self._top_left.get((row, col))
        return g is not None and g.cell_id is not None

    # ------------------------------------------------------------------
    # QAbstractTableModel
    # ------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._n_rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.table.n_cols

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return _NO_FLAGS
        return self._flags.get((index.row(), index.column()), _NO_FLAGS)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        key = (index.row(), index.column())
        entry = self._cache.get(key)
        if entry is None:
            entry = self._compute(*key)
            self._cache[key] = entry
        return entry.get(int(role))

    def setData(self, index: QModelIndex | QPersistentModelIndex, value,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        cid = self.cell_id_at(index)
        if cid is None:
            return False
        error = self.doc.set_cell_text(cid, "" if value is None else str(value))
        if error:
            self.inputRefused.emit(QModelIndex(index), error)
            return False
        return True

    # ------------------------------------------------------------------
    # what a cell shows: every role at once
    # ------------------------------------------------------------------
    def _compute(self, row: int, col: int) -> dict[int, object]:
        g = self._top_left.get((row, col))
        if g is None:
            return {}
        if g.cell_id is None:
            return self._label_entry(g)
        return self._value_entry(g.cell_id)

    def _brush(self, color) -> QBrush:
        return self._brushes[color.name()]

    def _label_entry(self, g: GridCell) -> dict[int, object]:
        return {
            _DISPLAY: g.text,
            _EDIT: g.text,
            _ALIGN: _LEFT if (g.role == "label" and g.rowspan == 1) else _CENTER,
            _BACKGROUND: self._brush({"caption": COLOR_CAPTION, "label": COLOR_LABEL}
                                     .get(g.role, COLOR_HEADER)),
            _FONT: self._bold if g.role in ("caption", "header") else None,
            _TOOLTIP: self._label_tooltip(g),
            _GRID_ROLE: g.role,
        }

    def _label_tooltip(self, g: GridCell) -> str | None:
        if self.table.id != "t3" or g.role != "label":
            return None
        for row in schema.T3_ROWS:
            if row.label == g.text and row.id in HELP_TEXTS:
                return HELP_TEXTS[row.id]
        return None

    def _value_entry(self, cid: str) -> dict[int, object]:
        d = CELLS[cid]
        report = self.doc.report
        v = report.values[cid]
        text = report.raw.get(cid, "") if v is None else numbers.format_value(v)
        sev = worst([f for f in self.doc.findings_for_cell(cid) if is_subject(f, cid)])
        if sev is Severity.ERROR:
            bg = COLOR_ERROR
        elif sev is Severity.WARNING:
            bg = COLOR_WARNING
        else:
            bg = COLOR_TOTAL if d.is_total else COLOR_VALUE
        font = self._bold if d.is_total else self._italic if d.row == "carried_in" else None
        return {
            _DISPLAY: text,
            _EDIT: text,
            _ALIGN: _CENTER,
            _BACKGROUND: self._brush(bg),
            _FONT: font,
            _TOOLTIP: self._value_tooltip(cid),
            _CELL_ID: cid,
            _GRID_ROLE: "value",
            _SEVERITY: None if sev is None else int(sev),
        }

    def _value_tooltip(self, cid: str) -> str:
        d = CELLS[cid]
        report = self.doc.report
        lines = [d.label]
        for f in self.doc.findings_for_cell(cid):
            lines.append(finding_line(f))
        if cid in report.raw and report.values[cid] is None:
            lines.append(f"原文：“{report.raw[cid]}”")
        if d.is_total:
            lines.append(TOTAL_NOTE)
        if d.row == "carried_in":
            lines.append(CARRIED_IN_NOTE)
        base = report.baseline
        if base is not None:
            lines.append(f"上年：{numbers.format_value(base.values.get(cid)) or '空'}")
        return "\n".join(lines)

    # ------------------------------------------------------------------
    # document signals: refresh only what changed
    # ------------------------------------------------------------------
    def _remember_findings(self) -> list[str]:
        """Note each cell's findings; return the cells whose findings differ from before."""
        changed = []
        for cid in self.table.cell_ids:
            now = self.doc.findings_for_cell(cid)
            if self._seen.get(cid, []) != now:
                changed.append(cid)
            self._seen[cid] = now
        return changed

    def _refresh(self, keys) -> None:
        for key in keys:
            old = self._cache.pop(key, None)
            if old is not None:
                new = self._compute(*key)
                self._cache[key] = new
            if old is None or new != old:
                idx = self.index(*key)
                self.dataChanged.emit(idx, idx)

    def _on_cells_changed(self, cell_ids: list) -> None:
        self._refresh([self._pos[c] for c in cell_ids if c in self._pos])

    def _on_findings_changed(self) -> None:
        self._refresh([self._pos[c] for c in self._remember_findings()])

    def _on_replaced(self) -> None:
        self._remember_findings()
        self._refresh([self._pos[c] for c in self.table.cell_ids])


class T2Model(GridTableModel):
    """二、主动公开政府信息情况: four blocks, each with its caption and header row."""

    def __init__(self, doc: ReportDocument, parent=None):
        super().__init__(doc, "t2", parent)


class T4Model(GridTableModel):
    """四、政府信息公开行政复议、行政诉讼情况: three header rows and one value row."""

    def __init__(self, doc: ReportDocument, parent=None):
        super().__init__(doc, "t4", parent)


class T3Model(GridTableModel):
    """三、收到和处理政府信息公开申请情况, with a 勾稽 row under the official grid.

    The last row (not part of the official table) shows per column ✓ when the
    rule T3-3 (一+二 = 三+四) holds, or ✗ with the difference when it finds a
    problem there.
    """

    def __init__(self, doc: ReportDocument, parent=None):
        super().__init__(doc, "t3", parent)
        self.check_row = self.table.n_rows
        self._n_rows = self.table.n_rows + 1
        lc = self.table.label_cols
        self._flags[(self.check_row, 0)] = _FLAGS_LABEL
        for c in range(lc, self.table.n_cols):
            self._flags[(self.check_row, c)] = _FLAGS_LABEL

    def spans(self) -> list[tuple[int, int, int, int]]:
        return super().spans() + [(self.check_row, 0, 1, self.table.label_cols)]

    def check_state(self, col_id: str) -> tuple[bool, int | None]:
        """(holds, difference 一+二 − 三+四) for one column of table 三."""
        found = self._balance_findings(col_id)
        return not found, (found[0].difference or 0) if found else 0

    def _balance_findings(self, col_id: str) -> list:
        """The column's balance findings (T3-3): those that carry the difference."""
        return [f for f in self.doc.findings_for_cell(schema.t3("new", col_id)) if f.difference is not None]

    def _compute(self, row: int, col: int) -> dict[int, object]:
        if row != self.check_row:
            return super()._compute(row, col)
        if col == 0:
            return {_DISPLAY: CHECK_LABEL, _ALIGN: _LEFT, _BACKGROUND: self._brush(COLOR_HEADER),
                    _FONT: self._bold, _TOOLTIP: schema.T3_CORNER, _GRID_ROLE: "check"}
        if col < self.table.label_cols:
            return {}
        col_id = schema.T3_COLUMNS[col - self.table.label_cols][0]
        ok, diff = self.check_state(col_id)
        if ok:
            text, tip = "✓", "一+二 与 三+四 相等"
        else:
            text = f"✗ 差{diff:+d}" if diff else "✗"
            msgs = [finding_line(f) for f in self._balance_findings(col_id)]
            tip = "\n".join(msgs) or f"一+二 与 三+四 相差 {diff:+d}"
        return {_DISPLAY: text, _ALIGN: _CENTER,
                _BACKGROUND: self._brush(COLOR_OK if ok else COLOR_ERROR),
                _FONT: self._bold, _TOOLTIP: tip, _GRID_ROLE: "check"}

    def _refresh_check_row(self) -> None:
        self._refresh([(self.check_row, c)
                       for c in range(self.table.label_cols, self.table.n_cols)])

    def _on_cells_changed(self, cell_ids: list) -> None:
        super()._on_cells_changed(cell_ids)
        self._refresh_check_row()

    def _on_findings_changed(self) -> None:
        super()._on_findings_changed()
        self._refresh_check_row()

    def _on_replaced(self) -> None:
        super()._on_replaced()
        self._refresh_check_row()


MODEL_CLASSES = {"t2": T2Model, "t3": T3Model, "t4": T4Model}


def model_for(doc: ReportDocument, table_id: str, parent=None) -> GridTableModel:
    return MODEL_CLASSES[table_id](doc, parent)
