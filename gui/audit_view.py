"""审核: a reviewer's view of a folder of reports (issue 6, item 1, in the window).

:class:`AuditWindow` opens a folder (button or drag and drop), runs
:func:`model.audit.audit` off the GUI thread (a pool thread; the audit itself
uses processes) with a progress bar and a 停止 button — the worker touches no
Qt object: it writes its progress into plain Python state that a timer on the
GUI thread reads, and the cyclic garbage collector is held while it runs (see
:mod:`gui.import_dialog`).  It lists the reports with their counts in a table
that sorts and filters (a :class:`QSortFilterProxyModel` over
:class:`AuditTableModel`: text, errors / warnings / late / clean, or one
rule), counts the findings by rule (double-click a rule to list its
reports), draws the folder's key figures against last year, lists the files
that could not be read, opens one report read-only with its findings, key
figures, text and year-on-year chart, and exports the summary as XLSX or
HTML.  :func:`gui.tools.open_audit_window` shows it as a window of its own.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (QAbstractTableModel, QByteArray, QModelIndex, QObject, QRunnable, QSize,
                            QSettings, QSortFilterProxyModel, Qt, QThreadPool, QTimer, Signal)
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QProgressBar, QPushButton, QSpinBox, QSplitter,
    QTableView,
    QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from model import numbers, schema
from model.findings import Severity
from model.audit import AuditResult, AuditRow, audit, folder_chart_svg, summary_text, write_summary
from model.compare import format_rate
from model.importers import format_names
from model.errors import NianbaoError
from model.roster import (MISSING, PLACES, STATUS_HEADERS, FilingStatus, Roster, UnitStatus, extra_cells,
                          filing_status, read_roster, status_cells)

from .windowfit import fit_window
from . import import_dialog as _bg
from .import_dialog import KEY_FIGURES, SOURCE_FORMATS, figure_label, fill_findings_tree, make_findings_tree

COLUMNS = ("文件", "机关名称", "年度", "机关层级", "报告格式", "文件类型", "错误", "警告", "提示",
           "是否按时", "上年报告", "重复率")
COL_ERRORS, COL_WARNINGS, COL_INFOS, COL_WHEN, COL_RATE = 6, 7, 8, 9, 11
YEAR_AUTO = 1999                        # the year box's 最新年度
SORT_ROLE = Qt.UserRole + 1
ROW_ROLE = Qt.UserRole + 2

FILTERS = (("all", "全部报告"), ("errors", "有错误的"), ("warnings", "有警告的"), ("late", "逾期发布的"),
           ("clean", "没有错误和警告的"))


class AuditTableModel(QAbstractTableModel):
    """One row a report of an :class:`AuditResult`; read-only."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[AuditRow] = []

    def set_result(self, result: AuditResult | None) -> None:
        self.beginResetModel()
        self._rows = list(result.rows) if result is not None else []
        self.endResetModel()

    def row_at(self, row: int) -> AuditRow:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if role == Qt.DisplayRole:
            if orientation == Qt.Horizontal and 0 <= section < len(COLUMNS):
                return COLUMNS[section]
            if orientation == Qt.Vertical and 0 <= section < len(self._rows):
                return str(section + 1)
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable

    def _value(self, r: AuditRow, col: int) -> Any:
        return (r.file, r.agency or "（未知）", r.year, r.level, f"{r.format} 年格式",
                SOURCE_FORMATS.get(r.source_format, r.source_format),
                r.errors, r.warnings, r.infos, r.timeliness, r.baseline_file or "",
                format_rate(r.repeat_rate) if r.repeat_rate is not None else "")[col]

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) \
                or not (0 <= index.column() < len(COLUMNS)):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            v = self._value(r, col)
            return "（未知）" if v is None else str(v)
        if role == SORT_ROLE:
            if col == COL_WHEN:
                return r.days_late if r.days_late is not None else -1
            if col == COL_RATE:
                return r.repeat_rate if r.repeat_rate is not None else -1.0
            v = self._value(r, col)
            return -1 if v is None else v
        if role == ROW_ROLE:
            return index.row()
        if role == Qt.TextAlignmentRole and col in (2, COL_ERRORS, COL_WARNINGS, COL_INFOS, COL_RATE):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ForegroundRole:
            if col == COL_ERRORS and r.errors:
                return QBrush(QColor("#c62828"))
            if col == COL_WARNINGS and r.warnings:
                return QBrush(QColor("#b26a00"))
            if col == COL_WHEN and r.days_late:
                return QBrush(QColor("#c62828"))
        if role == Qt.ToolTipRole and col == 0:
            return f"{r.file}\n双击查看问题（只读）"
        return None


class _TextKindFilter(QSortFilterProxyModel):
    """A search text (spaces ignored, any case) and one category; subclasses judge a row."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._text = ""
        self._kind = "all"
        self.setSortRole(SORT_ROLE)

    def _refilter(self, change) -> None:
        if hasattr(self, "beginFilterChange"):          # Qt 6.9+: invalidateFilter is deprecated
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateFilter()

    def set_text(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "_text", "".join(text.split()).lower()))

    def set_kind(self, kind: str) -> None:
        self._refilter(lambda: setattr(self, "_kind", kind))


class AuditFilterModel(_TextKindFilter):
    """Text filter over file and agency, plus a category (errors, warnings, late, clean)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rule: str | None = None

    def set_rule(self, rule: str | None) -> None:
        """Only the reports with a finding of ``rule`` (None: no such condition)."""
        self._refilter(lambda: setattr(self, "_rule", rule))

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, AuditTableModel) or source_row >= model.rowCount():
            return False
        r = model.row_at(source_row)
        if self._text and self._text not in "".join(f"{r.file}{r.agency}".split()).lower():
            return False
        if self._rule is not None and not any(f.rule == self._rule for f in r.findings):
            return False
        return {"all": True, "errors": r.errors > 0, "warnings": r.warnings > 0,
                "late": bool(r.days_late), "clean": r.errors == 0 and r.warnings == 0}[self._kind]


# ---- the roster's units (issue 15) ------------------------------------------------

ROSTER_FILTERS = (("all", "全部单位"), ("missing", "未报送"), ("filed", "已报送"), ("late", "逾期发布"),
                  ("guessed", "名称为推测匹配"), ("unpaired", "已报送但未与上年配对"))
RCOL_UNIT, RCOL_STATUS, RCOL_AGENCY, RCOL_WHEN, RCOL_RATE = 0, 2, 4, 8, len(STATUS_HEADERS) - 1
RCOL_PLACES = range(9, 9 + len(PLACES))
_SEVERITIES = tuple(Severity)


class RosterTableModel(QAbstractTableModel):
    """One row a unit of the roster: filed or missing, deadline, counts by place, 重复率."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._units: list[UnitStatus] = []
        self._cells: list[list[Any]] = []

    def set_status(self, status: FilingStatus | None) -> None:
        self.beginResetModel()
        self._units = list(status.units) if status is not None else []
        self._cells = [status_cells(u) for u in self._units]
        self.endResetModel()

    def unit_at(self, row: int) -> UnitStatus:
        return self._units[row]

    def rowCount(self, parent: QModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._units)

    def columnCount(self, parent: QModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(STATUS_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < len(STATUS_HEADERS):
            text = STATUS_HEADERS[section]
            if "（" in text:
                return text.replace("（", "\n").rstrip("）")                 # 表二 / 错/警/提, two lines
            return f"{text[:-2]}\n{text[-2:]}" if len(text) > 4 else text   # 与上年 / 配对
        if role == Qt.DisplayRole and orientation == Qt.Vertical and 0 <= section < len(self._units):
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._units)) \
                or not (0 <= index.column() < len(STATUS_HEADERS)):
            return None
        u, col = self._units[index.row()], index.column()
        if role == Qt.DisplayRole:
            return str(self._cells[index.row()][col])
        if role == SORT_ROLE:
            if col == RCOL_STATUS:
                return 0 if u.status == MISSING else 1
            if col == RCOL_WHEN:
                return -2 if u.status == MISSING else (u.days_late if u.days_late is not None else -1)
            if col == RCOL_RATE:
                return u.repeat_rate if u.repeat_rate is not None else -1.0
            if col in RCOL_PLACES:
                where = PLACES[col - RCOL_PLACES.start]
                if u.status == MISSING:
                    return -1
                return sum(u.count(where, s) * 1000 ** (2 - i) for i, s in enumerate(_SEVERITIES))
            return str(self._cells[index.row()][col])
        if role == Qt.ForegroundRole:
            if col == RCOL_STATUS and u.status == MISSING:
                return QBrush(QColor("#c62828"))
            if col == RCOL_WHEN and u.late:
                return QBrush(QColor("#c62828"))
            if col == 5 and u.guessed:
                return QBrush(QColor("#b26a00"))
        if role == Qt.FontRole and col == RCOL_STATUS and u.status == MISSING:
            from PySide6.QtGui import QFont
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.TextAlignmentRole and (col == RCOL_RATE or col in RCOL_PLACES):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole and col in (RCOL_UNIT, 3, 5) and u.row is not None and not u.guessed:
            return f"{u.row.file}\n报告中的机关名称：{u.row.agency}\n双击查看该报告"
        if role == Qt.ToolTipRole and col in (RCOL_UNIT, 3, 5) and u.guessed and u.row is not None:
            return (f"报告中的机关名称是“{u.row.agency}”，与名录中的“{u.unit.name}”写法不同，"
                    "按名称推测为同一单位，请核实。")
        return None


class RosterFilterModel(_TextKindFilter):
    """Search by unit name (also the report's agency name) and filter by status."""

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RosterTableModel) or source_row >= model.rowCount():
            return False
        u = model.unit_at(source_row)
        if self._text:
            names = u.unit.name + "".join(u.unit.aliases) + (u.row.agency if u.row is not None else "")
            if self._text not in "".join(names.split()).lower():
                return False
        filed = u.status != MISSING
        return {"all": True, "missing": not filed, "filed": filed, "late": u.late, "guessed": u.guessed,
                "unpaired": filed and not u.paired}[self._kind]


class _Cancelled(Exception):
    """Raised from the progress callback to stop a running audit."""


class _Relay(QObject):
    done = Signal(object, object)           # (AuditResult, error message)


class _AuditJob(QRunnable):
    """Runs :func:`model.audit.audit` in a pool thread.

    The job touches no Qt object but the relay it reports through once at the
    end: progress is written into ``self.state`` (plain Python, read by a timer
    on the GUI thread) and ``self.cancel`` is polled by the progress callback.
    """

    def __init__(self, folder: Path, workers: int | None, relay: _Relay,
                 roster: Roster | None = None, year: int | None = None):
        super().__init__()
        self.setAutoDelete(False)
        self.folder, self.workers, self.relay = folder, workers, relay
        self.roster, self.year = roster, year
        self.state = [0, 0]                 # done, total
        self.cancel = False

    def _progress(self, done: int, total: int) -> None:
        self.state = [done, total]
        if self.cancel:
            raise _Cancelled

    def run(self) -> None:
        try:
            more: dict[str, Any] = {"roster": self.roster, "year": self.year} if self.roster else {}
            res = audit(self.folder, workers=self.workers, progress=self._progress, **more)
        except _Cancelled:
            self.relay.done.emit(None, "已停止审核。")
            return
        except (NianbaoError, OSError) as e:
            self.relay.done.emit(None, str(e))
            return
        except Exception as e:  # shown to the reviewer, never a crash
            self.relay.done.emit(None, f"审核时出现意外错误（{type(e).__name__}：{e}）。")
            return
        self.relay.done.emit(res, None)


class ReportPreview(QDialog):
    """One audited report, read-only: meta, findings, key figures, the text, and the chart
    against last year (when the report has a previous year)."""

    def __init__(self, row: AuditRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"审核：{row.file}（只读）")
        fit_window(self, QSize(960, 680))
        lay = QVBoxLayout(self)
        form = QFormLayout()
        fmt = SOURCE_FORMATS.get(row.source_format, row.source_format)
        form.addRow("文件：", QLabel(f"{row.file}（{fmt}，{row.format} 年格式）"))
        form.addRow("机关名称：", QLabel(f"{row.agency or '（未知）'}（{row.level}）"))
        form.addRow("年度：", QLabel(str(row.year) if row.year is not None else "（未知）"))
        form.addRow("发布：", QLabel(f"{row.publish_date or '（未知）'}，期限 {row.deadline or '（未知）'}，"
                                   f"{row.timeliness}"))
        if row.baseline_file:
            last = f"{row.baseline_file}（同一文件夹中的上年报告，已做跨年度核对）"
        elif row.baseline_source == "project":
            last = "项目文件中附带的上年数据（已做跨年度核对）"
        else:
            last = "没有（未做跨年度核对）"
        form.addRow("上年报告：", QLabel(last))
        problems = QLabel(f"错误 {row.errors}，警告 {row.warnings}，提示 {row.infos}")
        if row.errors:
            problems.setStyleSheet("color: #c62828; font-weight: bold;")
        form.addRow("问题：", problems)
        for i in range(form.rowCount()):
            w = form.itemAt(i, QFormLayout.FieldRole).widget()
            if isinstance(w, QLabel):
                w.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay.addLayout(form)
        self.tabs = QTabWidget()
        self.findings = make_findings_tree()
        fill_findings_tree(self.findings, row.findings)
        self.tabs.addTab(self.findings, f"问题（{len(row.findings)}）")
        r = row.report
        self.chart = None
        if r is not None:
            self.tabs.addTab(self._figures(r), "主要数字")
            for sid in schema.TEXT_SECTIONS:
                text = QPlainTextEdit(r.sections.get(sid, ""))
                text.setReadOnly(True)
                self.tabs.addTab(text, schema.SECTION_BY_ID[sid].short)
            if r.baseline is not None:
                self.chart = self._chart(r)
                self.tabs.addTab(self.chart, "与上年对比")
        lay.addWidget(self.tabs)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        self.row = row
        self.compare_button: QPushButton | None = None
        self.compare_window = None
        if r is not None and r.baseline is not None:
            rate = f"（重复率 {format_rate(row.repeat_rate)}）" if row.repeat_rate is not None else ""
            self.compare_button = buttons.addButton(f"与上年逐句对比{rate}…", QDialogButtonBox.ActionRole)
            self.compare_button.setToolTip("本年与上年的正文左右对照，标出与上年相同的句子，列出变化的单元格")
            self.compare_button.clicked.connect(self.open_compare)
        lay.addWidget(buttons)

    def open_compare(self):
        """The 与上年对比 view of this report and the previous year it was checked against."""
        from .compare_view import open_compare_window
        r = self.row.report
        assert r is not None and r.baseline is not None
        last = self.row.baseline_file or "项目文件中附带的上年数据"
        # kept by the audit window, so it stays open when this dialog is closed
        keeper = self.parentWidget() or self
        self.compare_window = open_compare_window(keeper, r, r.baseline, this_name=self.row.file,
                                                  last_name=last)
        return self.compare_window

    @staticmethod
    def _figures(report) -> QTableWidget:
        """Key figures this year and last year, read-only."""
        base = report.baseline
        t = QTableWidget(len(KEY_FIGURES), 2 if base is not None else 1)
        t.setHorizontalHeaderLabels(["本年", "上年"] if base is not None else ["本年"])
        t.setVerticalHeaderLabels([figure_label(c) for c in KEY_FIGURES])
        t.setEditTriggers(QTableWidget.NoEditTriggers)
        for i, cid in enumerate(KEY_FIGURES):
            for j, rep in enumerate([report] + ([base] if base is not None else [])):
                v = rep.values.get(cid)
                raw = rep.raw.get(cid)
                item = QTableWidgetItem(numbers.format_value(v) if v is not None else (raw or "（空）"))
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                t.setItem(i, j, item)
        t.horizontalHeader().setStretchLastSection(True)
        t.resizeColumnsToContents()
        return t

    @staticmethod
    def _chart(report) -> QWidget:
        from model.chart import year_on_year_svg
        return _svg_widget(year_on_year_svg(report))


def _svg_widget(svg: str) -> QWidget:
    """An SVG drawn at its own aspect ratio, scaled to the space it has."""
    from PySide6.QtSvgWidgets import QSvgWidget
    w = QSvgWidget()
    w.load(QByteArray(svg.encode("utf-8")))
    w.renderer().setAspectRatioMode(Qt.KeepAspectRatio)
    return w


RULE_COLUMNS = ("规则", "说明", "严重程度", "问题数", "涉及报告数")


class AuditWindow(QWidget):
    """The 审核 view: open a folder, list, sort, filter, open one, export."""

    finished = Signal()

    def __init__(self, parent: QWidget | None = None, *, workers: int | None = None,
                 settings: QSettings | None = None):
        super().__init__(parent)
        self.setWindowTitle("审核报告")
        self.workers = workers
        self.qsettings = settings
        self.result: AuditResult | None = None
        self.roster: Roster | None = None
        self.roster_path: Path | None = None
        self._running: tuple | None = None
        self.setAcceptDrops(True)

        self.model = AuditTableModel(self)
        self.proxy = AuditFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self.open_button = QPushButton("打开文件夹(&O)…")
        self.open_button.setToolTip(f"审核文件夹（含子文件夹）中的全部报告：{format_names()}")
        self.open_button.clicked.connect(self._ask_folder)
        self.stop_button = QPushButton("停止(&S)")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.hide()
        self.view_button = QPushButton("查看所选报告(&V)")
        self.view_button.setEnabled(False)
        self.view_button.clicked.connect(self._open_selected)
        self.export_button = QPushButton("导出审核结果(&E)…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._ask_export)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("按文件名或机关名称筛选")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter_text)
        self.kind_box = QComboBox()
        for key, label in FILTERS:
            self.kind_box.addItem(label, key)
        self.kind_box.currentIndexChanged.connect(self._filter_kind)
        self.roster_button = QPushButton("应报送单位名录…")
        self.roster_button.setToolTip("选择应报送单位名录（CSV 或 Excel：名称、层级、别名），"
                                      "列出每个单位是否已报送、是否按时")
        self.roster_button.clicked.connect(self._ask_roster)
        self.year_box = QSpinBox()
        self.year_box.setRange(YEAR_AUTO, 2100)
        self.year_box.setSpecialValueText("最新年度")
        self.year_box.setValue(YEAR_AUTO)
        self.year_box.setPrefix("")
        self.year_box.setSuffix(" 年度")
        self.year_box.setToolTip("与名录对照的报告年度（“最新年度”：文件夹中最新的年度）")
        self.year_box.valueChanged.connect(lambda _v: self._apply_roster())
        top = QHBoxLayout()
        for w in (self.open_button, self.stop_button, self.roster_button, self.year_box, self.filter_edit,
                  self.kind_box, self.view_button, self.export_button):
            top.addWidget(w)

        self.summary = QLabel("请打开存放报告的文件夹（也可以把文件夹拖到这里）。")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setFormat("已审核 %v / %m 个文件")
        self.progress.hide()
        self._poll = QTimer(self)
        self._poll.setInterval(100)
        self._poll.timeout.connect(self._show_progress)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectRows)
        self.table.setSelectionMode(QTableView.SingleSelection)
        self.table.setEditTriggers(QTableView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTextElideMode(Qt.ElideMiddle)     # keep the file's extension in view
        self.table.verticalHeader().hide()              # row numbers would follow the sort
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda ix: self.open_report(ix.row()))
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.view_button.setEnabled(self.table.selectionModel().hasSelection()))
        for key in (Qt.Key_Return, Qt.Key_Enter):
            sc = QShortcut(QKeySequence(key), self.table)
            sc.setContext(Qt.WidgetShortcut)
            sc.activated.connect(self._open_selected)
        # Esc closes the audit window, as it closes a dialog
        self.close_shortcut = QShortcut(QKeySequence(Qt.Key_Escape), self)
        self.close_shortcut.setContext(Qt.WindowShortcut)
        self.close_shortcut.activated.connect(self.close)

        self.unreadable = QTableWidget(0, 2)
        self.unreadable.setHorizontalHeaderLabels(["文件", "原因"])
        self.unreadable.horizontalHeader().setStretchLastSection(True)
        self.unreadable.setEditTriggers(QTableWidget.NoEditTriggers)
        self.unreadable.setWordWrap(True)
        self.rules = QTableWidget(0, len(RULE_COLUMNS))
        self.rules.setHorizontalHeaderLabels(list(RULE_COLUMNS))
        self.rules.setEditTriggers(QTableWidget.NoEditTriggers)
        self.rules.setSelectionBehavior(QTableWidget.SelectRows)
        self.rules.verticalHeader().hide()
        rh = self.rules.horizontalHeader()
        rh.setSectionResizeMode(QHeaderView.ResizeToContents)
        rh.setSectionResizeMode(1, QHeaderView.Stretch)
        self.rules.setToolTip("双击一条规则，列出有此问题的报告")
        self.rules.cellDoubleClicked.connect(lambda row, _col: self.show_rule(self.rules.item(row, 0).text()))
        self.chart_holder = QWidget()
        QVBoxLayout(self.chart_holder)
        self.chart = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "报告")
        self.tabs.addTab(self.rules, "按规则统计")
        self.tabs.addTab(self.chart_holder, "与上年对比")
        self.tabs.addTab(self.unreadable, "无法读取")
        self.tabs.addTab(self._roster_page(), "报送情况")
        self.tabs.setTabToolTip(4, "选择应报送单位名录后，列出每个单位的报送情况")

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.progress)
        lay.addWidget(self.tabs)
        fit_window(self, QSize(1200, 720))

    # ---- the roster (issue 15) ------------------------------------------
    def _roster_page(self) -> QWidget:
        self.roster_model = RosterTableModel(self)
        self.roster_proxy = RosterFilterModel(self)
        self.roster_proxy.setSourceModel(self.roster_model)
        self.unit_search = QLineEdit()
        self.unit_search.setPlaceholderText("按单位名称查找")
        self.unit_search.setClearButtonEnabled(True)
        self.unit_search.textChanged.connect(self._roster_text)
        self.status_box = QComboBox()
        for key, label in ROSTER_FILTERS:
            self.status_box.addItem(label, key)
        self.status_box.currentIndexChanged.connect(self._roster_kind)
        self.roster_label = QLabel("请先选择应报送单位名录（“应报送单位名录…”按钮）。")
        self.roster_label.setWordWrap(True)
        self.roster_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.roster_table = QTableView()
        self.roster_table.setModel(self.roster_proxy)
        self.roster_table.setSortingEnabled(True)
        self.roster_table.setSelectionBehavior(QTableView.SelectRows)
        self.roster_table.setSelectionMode(QTableView.SingleSelection)
        self.roster_table.setEditTriggers(QTableView.NoEditTriggers)
        self.roster_table.setAlternatingRowColors(True)
        self.roster_table.verticalHeader().hide()
        self.roster_table.setTextElideMode(Qt.ElideMiddle)
        self.roster_table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.roster_table.setToolTip("双击一个已报送的单位，查看其报告")
        self.roster_table.doubleClicked.connect(lambda ix: self.open_unit(ix.row()))
        self.extras = QTableWidget(0, 4)
        self.extras.setHorizontalHeaderLabels(["文件", "机关名称", "年度", "说明"])
        self.extras.setEditTriggers(QTableWidget.NoEditTriggers)
        self.extras.verticalHeader().hide()
        self.extras.horizontalHeader().setStretchLastSection(True)
        self.extras_label = QLabel("名录外的报告")
        page = QWidget()
        v = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(self.unit_search, 1)
        row.addWidget(self.status_box)
        v.addLayout(row)
        v.addWidget(self.roster_label)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.roster_table)
        low = QWidget()
        lv = QVBoxLayout(low)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.extras_label)
        lv.addWidget(self.extras)
        split.addWidget(low)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        v.addWidget(split)
        return page

    def _ask_roster(self) -> None:
        start = str(self.roster_path.parent) if self.roster_path else self._last_folder()
        name, _ = QFileDialog.getOpenFileName(self, "选择应报送单位名录", start,
                                              "名录 (*.csv *.xlsx);;所有文件 (*)")
        if name:
            self.set_roster(name)

    def set_roster(self, path: str | Path) -> bool:
        """Use the roster at ``path`` (for the next audit, and at once for the audit shown)."""
        p = Path(path)
        roster, error = _bg.run_and_wait(self, f"正在读取“{p.name}”…", lambda: read_roster(p),
                                         cancellable=True)     # off the GUI thread, 取消 stops waiting
        if error is not None:
            QMessageBox.warning(self, "应报送单位名录", error)
            return False
        if roster is None:
            return False
        self.roster, self.roster_path = roster, Path(path)
        self.roster_button.setText(f"名录：{self.roster_path.name}（{len(roster.units)} 个单位）")
        self._apply_roster()
        return True

    def _year(self) -> int | None:
        v = self.year_box.value()
        return None if v == YEAR_AUTO else v

    def _apply_roster(self) -> None:
        """Put the roster against the audit shown (no new audit: the reports are read)."""
        if self.result is None or self.roster is None or self.busy:
            return
        years = [r.year for r in self.result.rows if r.year is not None]
        year = self._year() or max(years, default=0)
        self.result.roster = filing_status(self.result, self.roster, year)
        self._show_roster()
        self._show_summary()
        self.tabs.setCurrentIndex(4)

    def _show_roster(self) -> None:
        st = self.result.roster if self.result is not None else None
        self.roster_model.set_status(st)
        if st is None:
            self.roster_label.setText("请先选择应报送单位名录（“应报送单位名录…”按钮）。")
            self.extras.setRowCount(0)
            self.tabs.setTabText(4, "报送情况")
            return
        self.roster_table.sortByColumn(RCOL_STATUS, Qt.AscendingOrder)    # the missing first
        self.roster_table.resizeColumnsToContents()
        # narrow enough that every column shows at 1366 px (the 重复率 at the end included)
        for col, most in ((RCOL_UNIT, 170), (3, 150), (RCOL_AGENCY + 1, 96), *((c, 58) for c in RCOL_PLACES),
                          (RCOL_RATE - 1, 60)):
            self.roster_table.setColumnWidth(col, min(self.roster_table.columnWidth(col), most))
        # the report's own agency name is in the tooltip of 名称匹配 (and in the exports)
        self.roster_table.setColumnHidden(RCOL_AGENCY, True)
        notes = "；".join(st.roster.notes)
        self.roster_label.setText(st.summary_text() + (f"　名录说明：{notes}" if notes else ""))
        self.extras.setRowCount(len(st.extras))
        for i, e in enumerate(st.extras):
            for j, text in enumerate(extra_cells(e)):
                self.extras.setItem(i, j, QTableWidgetItem(str(text)))
        self.extras.resizeColumnsToContents()
        self.extras_label.setText(f"名录外的报告（{len(st.extras)}）：文件夹中本年度的报告，名录中没有对应的单位")
        self._roster_count()

    def _roster_text(self, text: str) -> None:
        self.roster_proxy.set_text(text)
        self._roster_count()

    def _roster_kind(self, _index: int) -> None:
        self.roster_proxy.set_kind(self.status_box.currentData())
        self._roster_count()

    def _roster_count(self) -> None:
        st = self.result.roster if self.result is not None else None
        if st is not None:
            n, shown = len(st.units), self.roster_proxy.rowCount()
            missing = f"，未报送 {st.missing}" if st.missing else ""
            self.tabs.setTabText(4, f"报送情况（{shown}/{n}{missing}）" if shown != n
                                 else f"报送情况（{n}{missing}）")

    def unit_for_view(self, view_row: int) -> UnitStatus:
        source = self.roster_proxy.mapToSource(self.roster_proxy.index(view_row, 0))
        return self.roster_model.unit_at(source.row())

    def open_unit(self, view_row: int, *, show: bool = True) -> ReportPreview | None:
        u = self.unit_for_view(view_row)
        if u.row is None:
            return None
        dlg = ReportPreview(u.row, self)
        if show:
            dlg.setAttribute(Qt.WA_DeleteOnClose)
            dlg.show()
        return dlg

    def _show_summary(self) -> None:
        if self.result is not None:
            self.summary.setText(f"{self.result.folder}：{summary_text(self.result)}"
                                 f"（用时 {self.result.seconds:.1f} 秒）　双击一行查看该报告的问题。")

    def _filter_text(self, text: str) -> None:
        self.proxy.set_text(text)
        self._show_count()

    def _filter_kind(self, _index: int) -> None:
        data = self.kind_box.currentData()
        if isinstance(data, str) and data.startswith("rule:"):
            self.proxy.set_kind("all")
            self.proxy.set_rule(data[5:])
        else:
            self.proxy.set_rule(None)
            self.proxy.set_kind(data)
        self._show_count()

    def show_rule(self, rule: str) -> None:
        """List the reports with a finding of ``rule`` (an entry of the filter box)."""
        key = f"rule:{rule}"
        i = self.kind_box.findData(key)
        if i < 0:
            self.kind_box.addItem(f"有 {rule} 问题的", key)
            i = self.kind_box.count() - 1
        self.kind_box.setCurrentIndex(i)
        self.tabs.setCurrentIndex(0)

    def _show_count(self) -> None:
        if self.result is not None:
            n, shown = len(self.result.rows), self.proxy.rowCount()
            self.tabs.setTabText(0, f"报告（{shown}/{n}）" if shown != n else f"报告（{n}）")

    # ---- running ---------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._running is not None

    def _last_folder(self) -> str:
        if self.qsettings is not None:
            v = self.qsettings.value("audit/folder", "")
            if isinstance(v, str) and v and Path(v).is_dir():
                return v
        return str(Path.home())

    def _ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择存放报告的文件夹", self._last_folder())
        if folder:
            self.open_folder(folder)

    def dragEnterEvent(self, event) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if (len(urls) == 1 and urls[0].isLocalFile() and Path(urls[0].toLocalFile()).is_dir()
                and not self.busy):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if urls:
            self.open_folder(urls[0].toLocalFile())

    def open_folder(self, folder: str | Path) -> bool:
        """Start auditing ``folder`` in the background; False when it is not a folder or busy."""
        folder = Path(folder)
        if self.busy:
            return False
        if not folder.is_dir():
            QMessageBox.warning(self, "审核", f"文件夹“{folder}”不存在或不是文件夹。")
            return False
        if self.qsettings is not None:
            self.qsettings.setValue("audit/folder", str(folder))
        relay = _Relay()
        job = _AuditJob(folder, self.workers, relay, self.roster, self._year())
        token = (relay, job)
        self._running = token
        _bg.begin_background_work(token)    # no garbage collection on the worker thread
        relay.done.connect(self._on_done, Qt.QueuedConnection)
        self.open_button.setEnabled(False)
        self.roster_button.setEnabled(False)
        self.year_box.setEnabled(False)
        self.export_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.stop_button.show()
        self.summary.setText(f"正在审核“{folder}”……")
        self.setWindowTitle(f"审核报告 - {folder.name}（正在审核）")
        self.progress.setRange(0, 0)
        self.progress.show()
        self._poll.start()
        QThreadPool.globalInstance().start(job)
        return True

    def stop(self) -> None:
        """Ask the running audit to stop (it stops after the files being read)."""
        if self._running is not None:
            self._running[1].cancel = True
            self.stop_button.setEnabled(False)
            self.summary.setText("正在停止……")

    def _show_progress(self) -> None:
        if self._running is None:
            return
        done, total = self._running[1].state
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _on_done(self, result: AuditResult | None, error: str | None) -> None:
        token = self._running
        self._running = None
        self._poll.stop()
        if token is not None:
            token[0].done.disconnect(self._on_done)
            _bg.end_background_work(token)
            token[0].deleteLater()
        self.progress.hide()
        self.stop_button.hide()
        self.open_button.setEnabled(True)
        self.roster_button.setEnabled(True)
        self.year_box.setEnabled(True)
        if error is not None:
            self.summary.setText(error)
            self.setWindowTitle("审核报告")
            self.export_button.setEnabled(self.result is not None)
            self.finished.emit()
            return
        self.set_result(result)
        self.finished.emit()

    def closeEvent(self, event) -> None:
        self.stop()
        super().closeEvent(event)

    def set_result(self, result: AuditResult) -> None:
        self.result = result
        self.kind_box.setCurrentIndex(0)
        for i in range(self.kind_box.count() - 1, len(FILTERS) - 1, -1):
            self.kind_box.removeItem(i)                 # the rule filters of the last folder
        self.setWindowTitle(f"审核报告 - {result.folder.name}")
        self.model.set_result(result)
        self.table.sortByColumn(COL_ERRORS, Qt.DescendingOrder)
        self.table.resizeColumnsToContents()
        for col in (0, 1):
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), 320))
        self.unreadable.setRowCount(len(result.unreadable))
        for i, u in enumerate(result.unreadable):
            self.unreadable.setItem(i, 0, QTableWidgetItem(u.file))
            item = QTableWidgetItem(u.reason)
            item.setToolTip(u.reason)
            self.unreadable.setItem(i, 1, item)
        self.unreadable.resizeColumnToContents(0)
        self.tabs.setTabText(3, f"无法读取（{len(result.unreadable)}）")
        from model.rules import RULES
        counts = result.rule_counts()
        self.rules.setRowCount(len(counts))
        for i, c in enumerate(counts):
            title = RULES[c.rule].title if c.rule in RULES else ""
            cells = (c.rule, title, c.severity.label, str(c.findings), str(c.reports))
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j >= 3:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if j == 2:
                    item.setForeground(QBrush(QColor(_bg.SEVERITY_COLORS[c.severity])))
                self.rules.setItem(i, j, item)
        self.tabs.setTabText(1, f"按规则统计（{len(counts)}）")
        lay = self.chart_holder.layout()
        if self.chart is not None:
            lay.removeWidget(self.chart)
            self.chart.deleteLater()
        svg = folder_chart_svg(result)
        if svg is not None:
            self.chart = _svg_widget(svg)
        else:
            self.chart = QLabel("文件夹中没有可与上年对比的报告"
                                "（同一机关上一年度的报告，或附带上年数据的项目文件）。")
            self.chart.setAlignment(Qt.AlignCenter)
            self.chart.setWordWrap(True)
        lay.addWidget(self.chart)
        self._show_summary()
        self.export_button.setEnabled(True)
        self._show_count()
        self._show_roster()
        if result.roster is not None:
            self.tabs.setCurrentIndex(4)

    # ---- one report ------------------------------------------------------
    def row_for_view(self, view_row: int) -> AuditRow:
        source = self.proxy.mapToSource(self.proxy.index(view_row, 0))
        return self.model.row_at(source.row())

    def _open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_report(rows[0].row())

    def open_report(self, view_row: int, *, show: bool = True) -> ReportPreview:
        dlg = ReportPreview(self.row_for_view(view_row), self)
        if show:
            dlg.setAttribute(Qt.WA_DeleteOnClose)
            dlg.show()
        return dlg

    # ---- export ----------------------------------------------------------
    def _ask_export(self) -> None:
        if self.result is None:
            return
        start = str(self.result.folder / f"{self.result.folder.name}审核结果.xlsx")
        path, chosen = QFileDialog.getSaveFileName(self, "导出审核结果", start,
                                                   "Excel 工作簿 (*.xlsx);;网页 (*.html)")
        if path:
            p = Path(path)
            if p.suffix.lower() not in (".xlsx", ".html", ".htm"):
                p = p.with_name(p.name + (".html" if "html" in chosen else ".xlsx"))
            self.export_summary(p)

    def export_summary(self, path: str | Path) -> bool:
        if self.result is None:
            return False
        try:
            write_summary(self.result, path)
        except NianbaoError as e:
            QMessageBox.warning(self, "导出审核结果", str(e))
            return False
        self.summary.setText(f"{summary_text(self.result)} 已导出：{path}")
        return True
