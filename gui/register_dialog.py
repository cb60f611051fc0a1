"""从申请登记表生成表三: case register → table 三 in the window (issue 6, item 3).

:class:`RegisterDialog` reads a CSV or XLSX register off the GUI thread, shows
its first rows, and lets the clerk say which column holds what (收到日期,
申请人类型, 办理结果, 办理状态, 办结日期) and what each distinct value of those
columns means (an applicant column of table 三, a result row, 已办结 / 结转).
Everything is pre-filled: first from the mapping remembered for a register
with the same column headers (saved in QSettings when the figures are
applied — next year's register usually has the same columns), then from
:func:`model.register.suggest_mapping`; a value that matches nothing is left
unmapped and shown, never guessed.

The table 三 figures are recomputed with :func:`model.register.compute_t3` at
every change (``carried_in`` from the report's baseline when it has one) and
shown beside the problems (rows that could not be counted, with the row
number, column and value).  应用到本报告 puts the 175 cells of table 三 — and
nothing else — into the document as one undo step.
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFileDialog, QFormLayout, QFrame, QGroupBox, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QMessageBox, QPushButton, QScrollArea, QSpinBox, QSplitter,
    QTableView,
    QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from model import schema
from model.errors import NianbaoError
from model.register import (
    ROLE_LABELS, ROLES, VALUE_KINDS, Mapping, Problem, Register, RegisterError, compute_t3,
    load_mapping, merge_mapping, missing_columns, missing_roles, read_register, result_label,
    save_mapping, set_value_target, suggest_mapping, suggest_new_values, t3_change, unmapped_values,
    value_choices, value_counts,
)
from model.register import summary as register_summary
from model.schema import t3

from . import style
from .import_dialog import run_in_background
from .spec_model import Column, SpecTableModel

PREVIEW_ROWS = 100
MAX_VALUES = 500                    # distinct values listed a column (a register has a few dozen)
SETTINGS_GROUP = "register_mapping"
UNMAPPED_TEXT = "（未对应）"
NO_COLUMN = "（无此列）"
REGISTER_FILTER = ("申请登记表 (*.csv *.xlsx *.xlsm *.txt);;CSV 文件 (*.csv *.txt);;"
                   "Excel 工作簿 (*.xlsx *.xlsm);;所有文件 (*)")
MAPPING_FILTER = "对应关系文件 (*.json);;所有文件 (*)"
KIND_TITLES = VALUE_KINDS


def short_row_label(row_id: str, limit: int = 24) -> str:
    """A table 三 row as a row header: ``不予公开·1.属于国家秘密``, ``（二）部分公开``."""
    r = schema.T3_ROW_BY_ID[row_id]
    label = re.sub(r"（[^（）]*）$", "", r.label) or r.label
    if r.group:
        label = f"{re.sub(r'^（[一二三四五六七八九十]+）', '', r.group)}·{label}"
    return label if len(label) <= limit else label[:limit - 1] + "…"


def headers_key(headers: list[str]) -> str:
    """The QSettings key of the mapping remembered for a register with these headers."""
    digest = hashlib.sha1("\x1f".join(headers).encode("utf-8")).hexdigest()[:16]
    return f"{SETTINGS_GROUP}/{digest}"


def remembered_mapping(qs: QSettings, headers: list[str]) -> Mapping | None:
    """The mapping saved for these headers, else the last one saved whose columns all exist."""
    for key in (headers_key(headers), f"{SETTINGS_GROUP}/last"):
        raw = qs.value(key, "")
        if not isinstance(raw, str) or not raw:
            continue
        try:
            m = Mapping.from_json(json.loads(raw))
        except (ValueError, RegisterError):
            continue
        if not missing_columns(m, headers):
            return m
    return None


def remember_mapping(qs: QSettings, headers: list[str], mapping: Mapping) -> None:
    raw = json.dumps(mapping.to_json(), ensure_ascii=False)
    qs.setValue(headers_key(headers), raw)
    qs.setValue(f"{SETTINGS_GROUP}/last", raw)
    qs.sync()


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------

class RegisterPreviewModel(SpecTableModel):
    """The first rows of a register, as read (the file's row number as row header)."""

    def __init__(self, parent: QObject | None = None, limit: int = PREVIEW_ROWS):
        super().__init__((), parent, row_header=lambda i, _row: str(self._lines[i]))
        self.limit = limit
        self._lines: list[int] = []

    def set_register(self, register: Register | None) -> None:
        rows = register.rows[:self.limit] if register is not None else []
        self._lines = register.line_numbers[:self.limit] if register is not None else []
        headers = register.headers if register is not None else []
        self.set_rows(rows, [Column(h, lambda row, h=h: row.get(h, "")) for h in headers])


class T3ResultModel(QAbstractTableModel):
    """Table 三 as computed from the register, read-only; changed cells are marked."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._values: dict[str, int] = {}
        self._current: dict[str, Any] = {}
        self._cols = [c for c, _ in schema.T3_COLUMNS]
        self._col_labels = [label for _, label in schema.T3_COLUMNS]

    def set_values(self, values: dict[str, int] | None, current: dict[str, Any] | None = None) -> None:
        self.beginResetModel()
        self._values = dict(values or {})
        self._current = dict(current or {})
        self.endResetModel()

    def cell_id(self, row: int, col: int) -> str:
        return t3(schema.T3_ROWS[row].id, self._cols[col])

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(schema.T3_ROWS)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._cols)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if orientation == Qt.Horizontal and 0 <= section < len(self._cols):
            if role == Qt.DisplayRole:
                return self._col_labels[section]
        elif orientation == Qt.Vertical and 0 <= section < len(schema.T3_ROWS):
            r = schema.T3_ROWS[section]
            if role == Qt.DisplayRole:
                return short_row_label(r.id)
            if role == Qt.ToolTipRole:
                return result_label(r.id) if r.in_results else r.label
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()) \
                or not (0 <= index.column() < self.columnCount()):
            return None
        cid = self.cell_id(index.row(), index.column())
        v = self._values.get(cid)
        is_total = schema.CELLS[cid].is_total
        changed = bool(self._values) and cid in self._current and self._current[cid] != v
        if role == Qt.DisplayRole:
            return "" if v is None else str(v)
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.BackgroundRole:
            if changed:
                return style.brush(style.CHANGED_BG)
            if is_total:
                return style.brush(style.TOTAL_BG)
        if role == Qt.FontRole and is_total:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ToolTipRole:
            label = schema.CELLS[cid].label
            cur = self._current.get(cid)
            now = "空" if cur is None else str(cur)
            if changed:
                return f"{label}\n本报告现为 {now}，应用后为 {v}"
            return f"{label}\n与本报告相同" if cid in self._current else label
        return None


PROBLEM_COLUMNS = ("行", "列", "值", "说明")


def _problem_colour(p: Problem) -> str | None:
    return style.ERROR_TEXT if p.blocking else None


class ProblemsModel(SpecTableModel):
    """What the register could not place: one row a problem."""

    def __init__(self, parent: QObject | None = None):
        texts = (lambda p: "" if p.row is None else str(p.row), lambda p: p.column or "",
                 lambda p: p.value, lambda p: p.message)
        super().__init__([Column(t, f, foreground=_problem_colour) for t, f in zip(PROBLEM_COLUMNS, texts,
                                                                                   strict=True)], parent)

    def set_problems(self, problems: list[Problem]) -> None:
        self.set_rows(problems)

    @property
    def problems(self) -> list[Problem]:
        return self.rows


# ---------------------------------------------------------------------------
# The dialog
# ---------------------------------------------------------------------------

class RegisterDialog(QDialog):
    """Register → mapping → table 三 → 应用到本报告 (one undo step)."""

    #: the register was read (or failed); tests wait on it
    registerLoaded = Signal()
    #: the figures were recomputed
    computed = Signal()

    def __init__(self, doc, settings=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.settings = settings
        self.qsettings: QSettings = settings.qsettings if settings is not None else QSettings(
            "Nianbao", "Nianbao")
        self.register: Register | None = None
        self.path: Path | None = None
        self.mapping = Mapping()
        self._seen: dict[str, set[str]] = {k: set() for k in KIND_TITLES}
        self._counts: dict[str, dict[str, int]] = {}
        self.values: dict[str, int] | None = None
        self.problems: list[Problem] = []
        self.message = ""
        self._building = False
        self.remembered = False
        self.setWindowTitle("从申请登记表生成表三")
        from PySide6.QtCore import QSize

        from .windowfit import fit_window
        fit_window(self, QSize(1180, 780))           # never taller than the screen

        # ---- file and year
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(
            "请选择依申请公开登记表（CSV 或 Excel，每行一件申请，第一行为列名）")
        self.browse_button = QPushButton("选择登记表…")
        self.browse_button.clicked.connect(self._ask_register)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2008, 2100)
        year = doc.report.year if doc.report.year is not None else date.today().year - 1
        self.year_spin.setValue(year)
        self.year_spin.setSuffix(" 年")
        self.year_spin.valueChanged.connect(lambda _v: self.schedule())
        top = QHBoxLayout()
        top.addWidget(QLabel("登记表："))
        top.addWidget(self.file_edit, 1)
        top.addWidget(self.browse_button)
        top.addSpacing(16)
        top.addWidget(QLabel("统计年度："))
        top.addWidget(self.year_spin)

        base = doc.report.baseline
        self.baseline_note = QLabel(
            f"“上年结转”按上年报告（{base.agency or '本机关'} {base.year or ''} 年）"
            "的“结转下年度继续办理”填写。"
            if base is not None else
            "本报告没有上年报告：“上年结转”按登记表中上年收到、本年仍在办理的申请计算。")
        self.baseline_note.setWordWrap(True)

        # ---- preview tab
        self.preview_model = RegisterPreviewModel(self)
        self.preview = QTableView()
        self.preview.setModel(self.preview_model)
        self.preview.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.preview.setWordWrap(False)
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview_note = QLabel("")
        pw = QWidget()
        pl = QVBoxLayout(pw)
        pl.addWidget(self.preview_note)
        pl.addWidget(self.preview)

        # ---- mapping tab: columns, then values
        self.column_boxes: dict[str, QComboBox] = {}
        cols_box = QGroupBox("各列的含义")
        cf = QFormLayout(cols_box)
        for role in ROLES:
            box = QComboBox()
            box.setMinimumWidth(160)
            box.currentIndexChanged.connect(lambda _i, role=role: self._column_changed(role))
            self.column_boxes[role] = box
            label = ROLE_LABELS[role] + ("（可选）" if role == "finished" else "")
            cf.addRow(f"{label}：", box)
        hint = QLabel("“办理结果”和“办理状态”至少指定一列。没有办理状态列时，填了办理结果的按已办结计，"
                      "未填的按结转下年度计。")
        hint.setWordWrap(True)
        cf.addRow(hint)
        self.value_tables: dict[str, QTableWidget] = {}
        self.value_groups: dict[str, QGroupBox] = {}
        values_w = QWidget()
        vl = QVBoxLayout(values_w)
        vl.setContentsMargins(0, 0, 0, 0)
        for kind, title in KIND_TITLES.items():
            g = QGroupBox(title)
            gl = QVBoxLayout(g)
            t = QTableWidget(0, 3)
            t.setHorizontalHeaderLabels(["登记表中的值", "件数", "对应到"])
            t.verticalHeader().hide()
            t.setEditTriggers(QAbstractItemView.NoEditTriggers)
            t.setSelectionMode(QAbstractItemView.NoSelection)
            hh = t.horizontalHeader()
            hh.setSectionResizeMode(0, QHeaderView.Interactive)
            hh.setSectionResizeMode(1, QHeaderView.ResizeToContents)
            hh.setSectionResizeMode(2, QHeaderView.Stretch)
            t.setColumnWidth(0, 200)
            t.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
            t.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
            gl.addWidget(t)
            vl.addWidget(g)
            self.value_tables[kind] = t
            self.value_groups[kind] = g
        vl.addStretch(1)
        values_scroll = QScrollArea()
        values_scroll.setWidgetResizable(True)
        values_scroll.setFrameShape(QFrame.NoFrame)
        values_scroll.setWidget(values_w)
        mw = QSplitter(Qt.Horizontal)
        mw.addWidget(cols_box)
        mw.addWidget(values_scroll)
        mw.setSizes([330, 820])

        # ---- result tab: table 三 and the problems
        self.result_model = T3ResultModel(self)
        self.result_view = QTableView()
        self.result_view.setModel(self.result_model)
        self.result_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        rh = self.result_view.horizontalHeader()
        rh.setSectionResizeMode(QHeaderView.Stretch)
        self.result_view.verticalHeader().setDefaultSectionSize(22)
        self.problems_model = ProblemsModel(self)
        self.problems_view = QTableView()
        self.problems_view.setModel(self.problems_model)
        self.problems_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.problems_view.setWordWrap(True)
        self.problems_view.verticalHeader().hide()
        ph = self.problems_view.horizontalHeader()
        ph.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        ph.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        ph.setSectionResizeMode(2, QHeaderView.Interactive)
        ph.setSectionResizeMode(3, QHeaderView.Stretch)
        self.problems_view.setColumnWidth(2, 160)
        self.problems_label = QLabel("登记表中未能计入的记录")
        problems_w = QWidget()
        prl = QVBoxLayout(problems_w)
        prl.setContentsMargins(0, 0, 0, 0)
        prl.addWidget(self.problems_label)
        prl.addWidget(self.problems_view)
        legend = QLabel(f"<span style='background:{style.CHANGED_BG}'>&nbsp;黄色&nbsp;</span> "
                        "应用后会改变的单元格（鼠标停留可见本报告现在的数字）；"
                        f"<span style='background:{style.TOTAL_BG}'>&nbsp;灰色&nbsp;</span> "
                        "合计，按各项计算。")
        result_w = QWidget()
        rwl = QVBoxLayout(result_w)
        rwl.setContentsMargins(0, 0, 0, 0)
        rwl.addWidget(legend)
        rwl.addWidget(self.result_view)
        rs = QSplitter(Qt.Vertical)
        rs.addWidget(result_w)
        rs.addWidget(problems_w)
        rs.setSizes([470, 200])

        self.tabs = QTabWidget()
        self.tabs.addTab(pw, "登记表")
        self.tabs.addTab(mw, "对应关系")
        self.tabs.addTab(rs, "表三结果")

        self.status = QLabel("")
        self.status.setWordWrap(True)

        self.load_mapping_button = QPushButton("载入对应关系…")
        self.load_mapping_button.setToolTip("读取命令行使用的对应关系文件（JSON）")
        self.load_mapping_button.clicked.connect(self._ask_load_mapping)
        self.save_mapping_button = QPushButton("保存对应关系…")
        self.save_mapping_button.setToolTip("保存为 JSON 文件，可用于命令行：main.py register --mapping")
        self.save_mapping_button.clicked.connect(self._ask_save_mapping)
        self.apply_button = QPushButton("应用到本报告")
        self.apply_button.setDefault(True)
        self.apply_button.setToolTip("只改动表三的单元格，可以撤销")
        self.apply_button.clicked.connect(self.apply)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_mapping_button)
        buttons.addWidget(self.save_mapping_button)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.cancel_button)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.baseline_note)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.status)
        lay.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.recompute)
        self._refresh_enabled()
        self._set_status("请先选择登记表。", error=False)

    # ---- reading ---------------------------------------------------------
    def _start_folder(self) -> str:
        last = self.qsettings.value(f"{SETTINGS_GROUP}/folder", "")
        if isinstance(last, str) and last and Path(last).is_dir():
            return last
        if self.doc.path is not None:
            return str(self.doc.path.parent)
        return str(Path.home())

    def _ask_register(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择申请登记表", self._start_folder(), REGISTER_FILTER)
        if name:
            self.load_register(name)

    def load_register(self, path: Path | str) -> None:
        """Read the register in the background; emits :attr:`registerLoaded` when done."""
        p = Path(path)
        self.browse_button.setEnabled(False)
        self._set_status(f"正在读取“{p.name}”……", error=False)

        def done(register: Register | None, error: str | None) -> None:
            self.browse_button.setEnabled(True)
            if error is None and register is None:      # 取消: the register shown stays
                self._set_status(f"已取消读取“{p.name}”。", error=False)
            elif error is not None or register is None:
                self._set_status(error or f"无法读取“{p.name}”。", error=True)
                QMessageBox.warning(self, "无法读取登记表", error or f"无法读取“{p.name}”。")
            else:
                self.qsettings.setValue(f"{SETTINGS_GROUP}/folder", str(p.parent))
                self.set_register(register, p)
            self.registerLoaded.emit()

        run_in_background(self, f"正在读取“{p.name}”…", lambda: read_register(p), done, cancellable=True)

    def set_register(self, register: Register, path: Path | None = None) -> None:
        """Show ``register`` and pre-fill the mapping (remembered, then suggested)."""
        self.register, self.path = register, path
        self.file_edit.setText(str(path) if path is not None else register.name)
        self.preview_model.set_register(register)
        self.preview.resizeColumnsToContents()
        n = len(register.rows)
        shown = min(n, PREVIEW_ROWS)
        self.preview_note.setText(f"“{register.name}”共 {n} 条记录，{len(register.headers)} 列"
                                  + (f"；下面显示前 {shown} 条。" if shown < n else "。"))
        self._counts = value_counts(register)
        remembered = remembered_mapping(self.qsettings, register.headers)
        suggested = suggest_mapping(register.headers, register.sample_values(MAX_VALUES))
        self.remembered = remembered is not None
        self.set_mapping(merge_mapping(remembered, suggested), mark_seen=remembered is not None)

    def set_mapping(self, mapping: Mapping, mark_seen: bool = True) -> None:
        """Show ``mapping`` in the combo boxes (values it leaves out get suggestions, unless
        ``mark_seen``: a remembered or loaded mapping leaves its unmapped values unmapped)."""
        self.mapping = Mapping(dict(mapping.columns), dict(mapping.applicant), dict(mapping.result),
                               dict(mapping.status))
        self._seen = {k: set() for k in KIND_TITLES}
        if mark_seen and self.register is not None:
            for kind in KIND_TITLES:
                col = self.mapping.column(kind)
                if col:
                    self._seen[kind].update(self._counts.get(col, {}))
        self._building = True
        try:
            headers = self.register.headers if self.register is not None else []
            for role, box in self.column_boxes.items():
                box.clear()
                box.addItem(NO_COLUMN, None)
                for h in headers:
                    box.addItem(h, h)
                col = self.mapping.column(role)
                box.setCurrentIndex(max(0, box.findData(col)) if col in headers else 0)
                if col not in headers:
                    self.mapping.columns[role] = None
        finally:
            self._building = False
        for kind in KIND_TITLES:
            self._fill_values(kind)
        self._refresh_enabled()
        self.schedule()

    # ---- mapping edits ---------------------------------------------------
    def _column_changed(self, role: str) -> None:
        if self._building:
            return
        self.mapping.columns[role] = self.column_boxes[role].currentData()
        if role in KIND_TITLES:
            self._fill_values(role)
        self.schedule()

    def _fill_values(self, kind: str) -> None:
        t = self.value_tables[kind]
        col = self.mapping.column(kind)
        counts = self._counts.get(col, {}) if col else {}
        values = list(counts)[:MAX_VALUES]
        suggest_new_values(self.mapping, kind, values, self._seen[kind])   # new values, once
        self.value_groups[kind].setTitle(
            f"{KIND_TITLES[kind]}：“{col}”列的 {len(values)} 个不同的值" if col else
            f"{KIND_TITLES[kind]}：未指定所在的列")
        choices = value_choices(kind)
        t.setRowCount(0)
        t.setRowCount(len(values))
        for i, v in enumerate(values):
            item = QTableWidgetItem(v)
            item.setToolTip(v)
            t.setItem(i, 0, item)
            n = QTableWidgetItem(str(counts[v]))
            n.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            t.setItem(i, 1, n)
            box = QComboBox()
            box.addItem(UNMAPPED_TEXT, None)
            for target, label in choices:
                box.addItem(label, target)
            current = self.mapping.lookup(kind, v)
            box.setCurrentIndex(max(0, box.findData(current)) if current else 0)
            box.currentIndexChanged.connect(
                lambda _i, kind=kind, v=v, box=box: self._value_changed(kind, v, box))
            t.setCellWidget(i, 2, box)
            self._mark_row(t, i, current is None)
        t.resizeRowsToContents()
        # the whole list is shown (the page scrolls, not each list)
        height = t.horizontalHeader().sizeHint().height() + 2 * t.frameWidth()
        height += sum(t.rowHeight(i) for i in range(t.rowCount())) or t.verticalHeader().defaultSectionSize()
        t.setFixedHeight(height)

    def _mark_row(self, t: QTableWidget, row: int, unmapped: bool) -> None:
        for c in (0, 1):
            it = t.item(row, c)
            if it is not None:
                it.setBackground(style.brush(style.UNMAPPED_BG) if unmapped else QBrush())

    def _value_changed(self, kind: str, value: str, box: QComboBox) -> None:
        target = box.currentData()
        set_value_target(self.mapping, kind, value, target)
        t = self.value_tables[kind]
        for row in range(t.rowCount()):
            if t.cellWidget(row, 2) is box:
                self._mark_row(t, row, target is None)
        self.schedule()

    def set_value_target(self, kind: str, value: str, target: str | None) -> None:
        """Choose ``target`` for ``value`` in the combo box (as the clerk would)."""
        t = self.value_tables[kind]
        for row in range(t.rowCount()):
            if t.item(row, 0).text() == value:
                box: QComboBox = t.cellWidget(row, 2)
                box.setCurrentIndex(max(0, box.findData(target)) if target else 0)
                return
        raise KeyError(value)

    def set_column(self, role: str, header: str | None) -> None:
        box = self.column_boxes[role]
        box.setCurrentIndex(max(0, box.findData(header)) if header else 0)

    def unmapped_values(self, kind: str) -> list[str]:
        return unmapped_values(self.mapping, self._counts, kind)

    # ---- computing -------------------------------------------------------
    def schedule(self) -> None:
        self._timer.start()

    def recompute(self) -> None:
        """Compute table 三 now (normally through :meth:`schedule`)."""
        self._timer.stop()
        self.values, self.problems = None, []
        if self.register is None:
            self._set_status("请先选择登记表。", error=False)
        elif missing := missing_roles(self.mapping):
            wanted = "、".join(f"“{m}”" for m in missing)
            self._set_status(f"请在“对应关系”中指定{wanted}所在的列。", error=True)
        else:
            try:
                self.values, self.problems = compute_t3(self.register, self.mapping, self.year_spin.value(),
                                                        baseline=self.doc.report.baseline)
            except NianbaoError as e:
                self._set_status(str(e), error=True)
        self.result_model.set_values(self.values,
                                     {c: self.doc.report.values.get(c) for c in self.values or {}})
        self.problems_model.set_problems(self.problems)
        self.problems_view.resizeRowsToContents()
        blocking = sum(1 for p in self.problems if p.blocking)
        self.tabs.setTabText(2, f"表三结果（问题 {len(self.problems)}）" if self.problems else "表三结果")
        self.problems_label.setText(
            f"登记表中未能计入的记录和需要核实的情况：{len(self.problems)} 条"
            f"（其中 {blocking} 条使表三不完整）"
            if self.problems else "登记表中的记录都已计入表三。")
        if self.values is not None:
            text = register_summary(self.values, self.year_spin.value(), self.doc.report.values)
            if blocking:
                text += f"有 {blocking} 条记录未能完整计入，见“表三结果”下方的列表。"
            if self.doc.report.year is not None and self.year_spin.value() != self.doc.report.year:
                text += f"注意：统计年度与本报告的年度（{self.doc.report.year} 年）不同。"
            self._set_status(text, error=bool(blocking))
        self._refresh_enabled()
        self.computed.emit()

    def _set_status(self, text: str, error: bool) -> None:
        self.message = text
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {style.ERROR_TEXT};" if error else "")

    def _refresh_enabled(self) -> None:
        self.apply_button.setEnabled(self.values is not None)
        self.save_mapping_button.setEnabled(self.register is not None)

    # ---- applying --------------------------------------------------------
    def apply(self) -> bool:
        """Put the figures into the report as one undo step; False when not applied."""
        from .commands import ChangeCommand
        if self._timer.isActive():
            self.recompute()
        if self.values is None:
            return False
        blocking = [p for p in self.problems if p.blocking]
        if blocking:
            B = QMessageBox.StandardButton
            answer = QMessageBox.question(
                self, "登记表中有未计入的记录",
                f"登记表中有 {len(blocking)} 条记录未能完整计入表三（例如：{blocking[0].message}）。\n\n"
                "仍然把已计入的数字填入表三吗？建议先在“对应关系”中补充，或修改登记表后重新读取。",
                B.Yes | B.No, B.No)
            if answer != B.Yes:
                return False
        name = self.path.name if self.path is not None else self.register.name
        change = t3_change(self.doc.report, self.values, name)
        changes = change.cells
        if changes:
            self.doc.undo_stack.push(ChangeCommand(self.doc, change))
        remember_mapping(self.qsettings, self.register.headers, self.mapping)
        parent = self.parent()
        if parent is not None and hasattr(parent, "statusBar"):
            parent.statusBar().showMessage(f"已按登记表填入表三（{len(changes)} 个单元格），可以撤销", 8000)
        self.accept()
        return True

    # ---- mapping files ---------------------------------------------------
    def _ask_load_mapping(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "载入对应关系", self._start_folder(), MAPPING_FILTER)
        if name:
            self.load_mapping_file(name)

    def load_mapping_file(self, path: Path | str) -> bool:
        try:
            m = load_mapping(path)
        except RegisterError as e:
            QMessageBox.warning(self, "无法载入对应关系", str(e))
            return False
        if self.register is not None:
            missing = [f"“{c}”" for c in missing_columns(m, self.register.headers)]
            if missing:
                QMessageBox.warning(self, "对应关系与登记表不符",
                                    f"登记表中没有对应关系指定的列：{'、'.join(missing)}。这些列未采用，请重新选择。")
        self.set_mapping(m, mark_seen=True)
        return True

    def _ask_save_mapping(self) -> None:
        start = Path(self._start_folder()) / "登记表对应关系.json"
        name, _ = QFileDialog.getSaveFileName(self, "保存对应关系", str(start), MAPPING_FILTER)
        if name:
            p = Path(name)
            if p.suffix.lower() != ".json":
                p = p.with_name(p.name + ".json")
            self.save_mapping_file(p)

    def save_mapping_file(self, path: Path | str) -> bool:
        try:
            save_mapping(self.mapping, path)
        except RegisterError as e:
            QMessageBox.warning(self, "无法保存对应关系", str(e))
            return False
        self._set_status(f"已保存对应关系：{path}", error=False)
        return True
