"""审核: a reviewer's view of a folder of reports (issue 6, item 1, in the window).

:class:`AuditWindow` opens a folder, runs :func:`model.audit.audit` off the GUI
thread with a progress bar, lists the reports with their counts in a table
that sorts and filters (a :class:`QSortFilterProxyModel` over
:class:`AuditTableModel`), opens one read-only with its findings, its text
and the year-on-year chart, lists the files that could not be read, and
exports the summary as XLSX or HTML.  The main window embeds it or shows it
as a window of its own.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (QAbstractTableModel, QByteArray, QModelIndex, QObject, QRunnable,
                            QSortFilterProxyModel, Qt, QThreadPool, Signal)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QProgressBar, QPushButton, QTableView,
    QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from model import schema
from model.audit import AuditResult, AuditRow, audit, summary_text, write_summary
from model.errors import NianbaoError

from .import_dialog import fill_findings_tree, make_findings_tree

COLUMNS = ("文件", "机关名称", "年度", "机关层级", "报告格式", "文件类型", "错误", "警告", "提示",
           "是否按时", "上年报告")
COL_ERRORS, COL_WARNINGS, COL_INFOS, COL_WHEN = 6, 7, 8, 9
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

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:  # noqa: N802
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
        return (r.file, r.agency or "（未知）", r.year, r.level, f"{r.format} 年格式", r.source_format,
                r.errors, r.warnings, r.infos, r.timeliness, r.baseline_file or "")[col]

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
            v = self._value(r, col)
            return -1 if v is None else v
        if role == ROW_ROLE:
            return index.row()
        if role == Qt.TextAlignmentRole and col in (2, COL_ERRORS, COL_WARNINGS, COL_INFOS):
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


class AuditFilterModel(QSortFilterProxyModel):
    """Text filter over file and agency, plus a category (errors, warnings, late, clean)."""

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

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        if not isinstance(model, AuditTableModel) or source_row >= model.rowCount():
            return False
        r = model.row_at(source_row)
        if self._text and self._text not in "".join(f"{r.file}{r.agency}".split()).lower():
            return False
        return {"all": True, "errors": r.errors > 0, "warnings": r.warnings > 0,
                "late": bool(r.days_late), "clean": r.errors == 0 and r.warnings == 0}[self._kind]


class _Relay(QObject):
    progress = Signal(int, int)
    done = Signal(object, object)           # (AuditResult, error message)


class _AuditJob(QRunnable):
    def __init__(self, folder: Path, workers: int | None, relay: _Relay):
        super().__init__()
        self.setAutoDelete(False)
        self.folder, self.workers, self.relay = folder, workers, relay

    def run(self) -> None:
        try:
            res = audit(self.folder, workers=self.workers,
                        progress=lambda d, t: self.relay.progress.emit(d, t))
        except (NianbaoError, OSError) as e:
            self.relay.done.emit(None, str(e))
            return
        except Exception as e:  # noqa: BLE001 - shown to the reviewer, never a crash
            self.relay.done.emit(None, f"审核时出现意外错误（{type(e).__name__}：{e}）。")
            return
        self.relay.done.emit(res, None)


class ReportPreview(QDialog):
    """One audited report, read-only: meta, findings, the text, and the chart against last year."""

    def __init__(self, row: AuditRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"审核：{row.file}（只读）")
        self.resize(900, 640)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow("文件：", QLabel(row.file))
        form.addRow("机关名称：", QLabel(row.agency or "（未知）"))
        form.addRow("年度：", QLabel(str(row.year) if row.year is not None else "（未知）"))
        form.addRow("发布：", QLabel(f"{row.publish_date or '（未知）'}，期限 {row.deadline or '（未知）'}，"
                                   f"{row.timeliness}"))
        form.addRow("问题：", QLabel(f"错误 {row.errors}，警告 {row.warnings}，提示 {row.infos}"))
        lay.addLayout(form)
        self.tabs = QTabWidget()
        self.findings = make_findings_tree()
        fill_findings_tree(self.findings, row.findings)
        self.tabs.addTab(self.findings, f"问题（{len(row.findings)}）")
        r = row.report
        if r is not None:
            for sid in schema.TEXT_SECTIONS:
                text = QPlainTextEdit(r.sections.get(sid, ""))
                text.setReadOnly(True)
                self.tabs.addTab(text, schema.SECTION_BY_ID[sid].short)
            self.tabs.addTab(self._chart(r), "与上年对比")
        lay.addWidget(self.tabs)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _chart(self, report) -> QWidget:
        from PySide6.QtSvgWidgets import QSvgWidget

        from model.chart import year_on_year_svg
        w = QSvgWidget()
        w.load(QByteArray(year_on_year_svg(report).encode("utf-8")))
        return w


class AuditWindow(QWidget):
    """The 审核 view: open a folder, list, sort, filter, open one, export."""

    finished = Signal()

    def __init__(self, parent: QWidget | None = None, *, workers: int | None = None):
        super().__init__(parent)
        self.setWindowTitle("审核报告")
        self.workers = workers
        self.result: AuditResult | None = None
        self._running: tuple | None = None

        self.model = AuditTableModel(self)
        self.proxy = AuditFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self.open_button = QPushButton("打开文件夹…")
        self.open_button.clicked.connect(self._ask_folder)
        self.export_button = QPushButton("导出审核结果…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._ask_export)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("按文件名或机关名称筛选")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.set_text)
        self.kind_box = QComboBox()
        for key, label in FILTERS:
            self.kind_box.addItem(label, key)
        self.kind_box.currentIndexChanged.connect(
            lambda _: self.proxy.set_kind(self.kind_box.currentData()))
        top = QHBoxLayout()
        for w in (self.open_button, self.filter_edit, self.kind_box, self.export_button):
            top.addWidget(w)

        self.summary = QLabel("请打开存放报告的文件夹。")
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setFormat("审核进度 %v/%m")
        self.progress.hide()

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectRows)
        self.table.setSelectionMode(QTableView.SingleSelection)
        self.table.setEditTriggers(QTableView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda ix: self.open_report(ix.row()))

        self.unreadable = QTableWidget(0, 2)
        self.unreadable.setHorizontalHeaderLabels(["文件", "原因"])
        self.unreadable.horizontalHeader().setStretchLastSection(True)
        self.unreadable.setEditTriggers(QTableWidget.NoEditTriggers)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "报告")
        self.tabs.addTab(self.unreadable, "无法读取")

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.progress)
        lay.addWidget(self.tabs)
        self.resize(1100, 680)

    # ---- running ---------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._running is not None

    def _ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择存放报告的文件夹")
        if folder:
            self.open_folder(folder)

    def open_folder(self, folder: str | Path) -> bool:
        """Start auditing ``folder`` in the background; False when it is not a folder or busy."""
        folder = Path(folder)
        if self.busy:
            return False
        if not folder.is_dir():
            QMessageBox.warning(self, "审核", f"文件夹“{folder}”不存在或不是文件夹。")
            return False
        relay = _Relay()
        job = _AuditJob(folder, self.workers, relay)
        self._running = (relay, job)
        relay.progress.connect(self._on_progress, Qt.QueuedConnection)
        relay.done.connect(self._on_done, Qt.QueuedConnection)
        self.open_button.setEnabled(False)
        self.export_button.setEnabled(False)
        self.summary.setText(f"正在审核“{folder}”……")
        self.progress.setRange(0, 0)
        self.progress.show()
        QThreadPool.globalInstance().start(job)
        return True

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_done(self, result: AuditResult | None, error: str | None) -> None:
        relay = self._running[0] if self._running else None
        self._running = None
        if relay is not None:
            relay.deleteLater()
        self.progress.hide()
        self.open_button.setEnabled(True)
        if error is not None:
            self.summary.setText(error)
            self.finished.emit()
            return
        self.set_result(result)
        self.finished.emit()

    def set_result(self, result: AuditResult) -> None:
        self.result = result
        self.model.set_result(result)
        self.table.sortByColumn(COL_ERRORS, Qt.DescendingOrder)
        self.table.resizeColumnsToContents()
        self.unreadable.setRowCount(len(result.unreadable))
        for i, u in enumerate(result.unreadable):
            self.unreadable.setItem(i, 0, QTableWidgetItem(u.file))
            item = QTableWidgetItem(u.reason)
            item.setToolTip(u.reason)
            self.unreadable.setItem(i, 1, item)
        self.tabs.setTabText(1, f"无法读取（{len(result.unreadable)}）")
        self.summary.setText(f"{result.folder}：{summary_text(result)}（用时 {result.seconds:.1f} 秒）")
        self.export_button.setEnabled(True)

    # ---- one report ------------------------------------------------------
    def row_for_view(self, view_row: int) -> AuditRow:
        source = self.proxy.mapToSource(self.proxy.index(view_row, 0))
        return self.model.row_at(source.row())

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
        path, _ = QFileDialog.getSaveFileName(self, "导出审核结果", str(self.result.folder / "审核结果.xlsx"),
                                              "Excel 工作簿 (*.xlsx);;网页 (*.html)")
        if path:
            self.export_summary(path)

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
