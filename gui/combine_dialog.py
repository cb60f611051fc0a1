"""汇总多个机关的报告: a district office sums its departments' reports (issue 6, item 2).

:class:`CombineDialog` lets the clerk pick several report files (any format the
importers read; they are read off the GUI thread), lists them with agency, year
and format, and sums them with :func:`model.combine.combine` as soon as the list
changes — a mix of years or formats is refused with the
:class:`~model.combine.CombineError` message shown in the dialog.  The sum gets
the agency name typed in the dialog (by default the one in the settings), and
can then be opened in the window as a new, unsaved report, or saved as a
project file; the per-agency breakdown is saved as an XLSX workbook.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QListWidget, QMessageBox, QPushButton, QSplitter, QTableView, QTableWidget,
    QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from model import schema
from model.combine import CombineError, CombineResult, combine, write_breakdown
from model.errors import NianbaoError
from model.importers import FILE_FILTER, format_names
from model.findings import Severity
from model.report import Report
from model.schema import Level

from .windowfit import fit_window
from .import_dialog import SOURCE_FORMATS, fill_findings_tree, make_findings_tree, run_in_background

PROJECT_SUFFIX = ".nianbao"
OPEN_FILTER = FILE_FILTER           # one list of readers: model.importers.READERS
INPUT_COLUMNS = ("文件", "机关名称", "年度", "报告格式", "文件类型", "状态")
ERROR_COLOR = "#c62828"
TEXT_NOTE = "汇总报告只有表格中的数字，一、五、六部分的文字为空，请在窗口中打开后填写。"
FIGURE_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (schema.FIGURES[k].label, schema.FIGURES[k].cells) for k in schema.KEY_FIGURES)


@dataclass
class CombineInput:
    """One chosen file and what reading it gave."""

    path: Path
    report: Report | None = None
    source_format: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.report is not None


def read_inputs(paths: list[Path]) -> list[CombineInput]:
    """Read each file (runs in a worker thread: plain Python, no Qt)."""
    from model.importers import read_file
    out: list[CombineInput] = []
    for p in paths:
        try:
            res = read_file(p)
        except NianbaoError as e:
            out.append(CombineInput(p, error=str(e)))
            continue
        except Exception as e:  # one bad file is listed, never fatal
            out.append(CombineInput(p, error=f"读取时出现意外错误（{type(e).__name__}：{e}）。"))
            continue
        out.append(CombineInput(p, res.report, res.source_format))
    return out


class CombineInputsModel(QAbstractTableModel):
    """The chosen files, one a row; read-only."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._items: list[CombineInput] = []

    @property
    def items(self) -> list[CombineInput]:
        return list(self._items)

    def add(self, items: list[CombineInput]) -> list[CombineInput]:
        """Append the items whose file is not listed yet; returns those appended."""
        have = {it.path.resolve() for it in self._items}
        new = []
        for it in items:
            key = it.path.resolve()
            if key not in have:
                have.add(key)
                new.append(it)
        if new:
            first = len(self._items)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._items.extend(new)
            self.endInsertRows()
        return new

    def remove_rows(self, rows: list[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._items):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._items[row]
                self.endRemoveRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._items = []
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(INPUT_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal and 0 <= section < len(INPUT_COLUMNS):
            return INPUT_COLUMNS[section]
        if orientation == Qt.Vertical and 0 <= section < len(self._items):
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable

    @staticmethod
    def _cells(it: CombineInput) -> tuple[str, ...]:
        r = it.report
        if r is None:
            return (it.path.name, "", "", "", "", f"无法读取：{it.error}")
        return (it.path.name, r.agency or "（未填写）",
                str(r.year) if r.year is not None else "（未知）", f"{r.format} 年格式",
                SOURCE_FORMATS.get(it.source_format, it.source_format), "已读取")

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._items)) \
                or not (0 <= index.column() < len(INPUT_COLUMNS)):
            return None
        it = self._items[index.row()]
        if role == Qt.DisplayRole:
            return self._cells(it)[index.column()]
        if role == Qt.ToolTipRole:
            return str(it.path) if index.column() == 0 else (it.error or None)
        if role == Qt.ForegroundRole and not it.ok:
            return QBrush(QColor(ERROR_COLOR))
        return None


def _key_figures(r: Report) -> str:
    return schema.figures_sentence(r.num, ("new", "results", "carried_out", "review", "suits"))


class CombineDialog(QDialog):
    """Pick reports, see the refusal or the sum, then open or save it."""

    #: the background reading of added files has finished (tests wait on it)
    filesRead = Signal()
    #: the sum was recomputed (None when refused or nothing to sum)
    resultChanged = Signal(object)

    def __init__(self, window: QWidget | None = None):
        super().__init__(window)
        self.window_ = window
        self.settings = getattr(window, "settings", None)
        self.result: CombineResult | None = None
        self.refusal: str | None = None
        self.setWindowTitle("汇总多个机关的报告")
        fit_window(self, QSize(1000, 700))

        self.model = CombineInputsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setWordWrap(False)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.Interactive)
        h.setStretchLastSection(True)
        for col, width in enumerate((220, 220, 60, 100, 100)):
            self.table.setColumnWidth(col, width)

        self.add_button = QPushButton("添加报告…")
        self.add_button.setToolTip(f"可一次选择多个文件：{format_names()}")
        self.add_button.clicked.connect(self._ask_files)
        self.remove_button = QPushButton("移除所选")
        self.remove_button.clicked.connect(self.remove_selected)
        self.clear_button = QPushButton("全部移除")
        self.clear_button.clicked.connect(self.clear)
        files_bar = QHBoxLayout()
        files_bar.addWidget(self.add_button)
        files_bar.addWidget(self.remove_button)
        files_bar.addWidget(self.clear_button)
        files_bar.addStretch(1)

        self.agency_edit = QLineEdit(self.settings.default_agency if self.settings is not None else "")
        self.agency_edit.setPlaceholderText("例如：某某区人民政府办公室")
        self.agency_edit.textChanged.connect(lambda _t: self.recompute())
        self.level_box = QComboBox()
        self.level_box.addItem("与所选报告一致（不一致时为“部门”）", None)
        for lv in Level:
            self.level_box.addItem(lv.label, lv)
        self.level_box.currentIndexChanged.connect(lambda _i: self.recompute())
        form = QFormLayout()
        form.addRow("汇总报告的机关名称：", self.agency_edit)
        form.addRow("机关层级：", self.level_box)

        self.status = QLabel("请添加同一年度、同一格式的多份报告。")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.figures = QTableWidget(0, len(FIGURE_COLUMNS))
        self.figures.setHorizontalHeaderLabels([label for label, _ in FIGURE_COLUMNS])
        self.figures.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.figures.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.findings = make_findings_tree()
        self.notes = QListWidget()
        self.notes.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.figures, "主要数字（分机关）")
        self.tabs.addTab(self.findings, "汇总报告检查")
        self.tabs.addTab(self.notes, "注意事项")

        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addLayout(files_bar)
        tl.addWidget(self.table)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addLayout(form)
        bl.addWidget(self.status)
        bl.addWidget(self.tabs)
        split = QSplitter(Qt.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([300, 400])

        self.breakdown_button = QPushButton("保存分机关明细…")
        self.breakdown_button.setToolTip("Excel 工作簿：每行一个单元格，每列一个机关，最后一列为合计")
        self.breakdown_button.clicked.connect(self._ask_breakdown)
        self.save_button = QPushButton("保存为项目文件…")
        self.save_button.clicked.connect(self._ask_save)
        self.open_button = QPushButton("在窗口中打开汇总报告")
        self.open_button.setToolTip("替换窗口中当前的报告（会先提示保存未保存的修改）")
        self.open_button.clicked.connect(self.open_in_window)
        self.open_button.setEnabled(window is not None and hasattr(window, "doc"))
        self.close_button = QPushButton("关闭")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.breakdown_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.close_button)

        lay = QVBoxLayout(self)
        lay.addWidget(split)
        lay.addLayout(buttons)
        self.model.rowsInserted.connect(lambda *a: self.recompute())
        self.model.rowsRemoved.connect(lambda *a: self.recompute())
        self.model.modelReset.connect(self.recompute)
        self.recompute()

    # ---- the inputs ------------------------------------------------------
    def _start_folder(self) -> str:
        items = self.model.items
        if items:
            return str(items[-1].path.parent)
        doc = getattr(self.window_, "doc", None)
        if doc is not None and doc.path is not None:
            return str(doc.path.parent)
        return str(Path.home())

    def _ask_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "选择要汇总的报告", self._start_folder(), OPEN_FILTER)
        if names:
            self.add_files([Path(n) for n in names])

    def add_files(self, paths: list[Path | str]) -> None:
        """Read ``paths`` in the background and add them to the list (emits :attr:`filesRead`)."""
        paths = [Path(p) for p in paths]
        if not paths:
            return
        self.add_button.setEnabled(False)
        label = f"正在读取“{paths[0].name}”…" if len(paths) == 1 else f"正在读取 {len(paths)} 个文件…"
        run_in_background(self, label, lambda: read_inputs(paths), self._files_read, cancellable=True)

    def _files_read(self, items: list[CombineInput] | None, error: str | None) -> None:
        self.add_button.setEnabled(True)
        if error is None and items is None:         # 取消: nothing is added
            pass
        elif error is not None or items is None:
            QMessageBox.warning(self, "无法读取", error or "读取所选文件时出错。")
        else:
            self.model.add(items)
        self.filesRead.emit()

    def remove_selected(self) -> None:
        rows = [ix.row() for ix in self.table.selectionModel().selectedRows()]
        self.model.remove_rows(rows)

    def clear(self) -> None:
        self.model.clear()

    # ---- the sum ---------------------------------------------------------
    def readable(self) -> list[CombineInput]:
        return [it for it in self.model.items if it.ok]

    def recompute(self) -> None:
        items = self.readable()
        bad = len(self.model.items) - len(items)
        self.result, self.refusal = None, None
        if len(items) < 2:
            msg = "请添加至少两份可以读取的报告。" if not self.model.items else \
                f"已添加 {len(items)} 份可以读取的报告，至少需要两份才能汇总。"
            self._show(msg, error=bad > 0)
        else:
            try:
                self.result = combine([it.report for it in items], agency=self.agency_edit.text().strip(),
                                      names=[it.path.name for it in items],
                                      level=self.level_box.currentData())
            except CombineError as e:
                self.refusal = str(e)
                self._show(f"不能汇总：{e}", error=True)
            else:
                r = self.result.report
                counts = {sv: sum(1 for f in self.result.findings if f.severity is sv) for sv in Severity}
                text = (f"汇总 {len(items)} 份 {r.year} 年报告（{r.format} 年格式）：{_key_figures(r)}。"
                        f"汇总报告检查：错误 {counts[Severity.ERROR]} 项，"
                        f"警告 {counts[Severity.WARNING]} 项。")
                if bad:
                    text += f"另有 {bad} 个文件无法读取，未计入。"
                if self.result.notes:
                    text += f"有 {len(self.result.notes)} 条注意事项，请查看。"
                self._show(text + "\n" + TEXT_NOTE, error=False)
        res = self.result
        self._fill_figures(res)
        fill_findings_tree(self.findings, res.findings if res else [])
        self.notes.clear()
        if res is not None:
            self.notes.addItems(res.notes + [b.message for b in res.blanks])
        self.tabs.setTabText(1, f"汇总报告检查（{len(res.findings) if res else 0}）")
        self.tabs.setTabText(2, f"注意事项（{self.notes.count()}）")
        for b in (self.breakdown_button, self.save_button):
            b.setEnabled(res is not None)
        self.open_button.setEnabled(res is not None and hasattr(self.window_, "doc"))
        self.resultChanged.emit(res)

    def _fill_figures(self, res: CombineResult | None) -> None:
        """Key figures of each input and of the sum (the last row, bold)."""
        t = self.figures
        rows = [] if res is None else [*zip(res.agencies, res.breakdown, strict=True),
                                       ("合计", res.report.values)]
        t.setRowCount(len(rows))
        t.setVerticalHeaderLabels([name for name, _ in rows])
        for i, (_name, values) in enumerate(rows):
            for j, (_label, cells) in enumerate(FIGURE_COLUMNS):
                v = sum(int(values.get(c) or 0) for c in cells)
                item = QTableWidgetItem(str(v))
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if i == len(rows) - 1:
                    f = item.font()
                    f.setBold(True)
                    item.setFont(f)
                t.setItem(i, j, item)

    def _show(self, text: str, error: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: bold;" if error else "")

    # ---- what to do with it ----------------------------------------------
    def _default_name(self, suffix: str, what: str) -> str:
        r = self.result.report
        stem = f"{r.agency or '汇总'}{r.year}年{what}"
        return str(Path(self._start_folder()) / f"{stem}{suffix}")

    def open_in_window(self) -> bool:
        """Replace the window's report with the sum (unsaved); False when nothing changed."""
        w = self.window_
        if self.result is None or w is None or not hasattr(w, "doc"):
            return False
        if hasattr(w, "maybe_save") and not w.maybe_save():
            return False
        w.doc.replace_report(self.result.report.copy(), None, modified=True)
        if hasattr(w, "show_step"):
            w.show_step("check")
        if hasattr(w, "statusBar"):
            w.statusBar().showMessage(
                f"已打开 {len(self.result.names)} 份报告的汇总，请填写文字部分后保存", 8000)
        self.accept()
        return True

    def _ask_save(self) -> None:
        if self.result is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "保存汇总报告",
                                              self._default_name(PROJECT_SUFFIX, "汇总"),
                                              "年报项目文件 (*.nianbao)")
        if name:
            p = Path(name)
            if p.suffix.lower() != PROJECT_SUFFIX:
                p = p.with_name(p.name + PROJECT_SUFFIX)
            self.save_project(p)

    def save_project(self, path: Path | str) -> bool:
        from model import project
        if self.result is None:
            return False
        try:
            project.save(self.result.report, path)
        except (NianbaoError, OSError) as e:
            QMessageBox.warning(self, "保存失败", str(e) if isinstance(e, NianbaoError)
                                else f"无法保存到“{path}”：{e.strerror or e}")
            return False
        if self.settings is not None:
            self.settings.add_recent_file(path)
        self._show(f"已保存汇总报告：{path}", error=False)
        return True

    def _ask_breakdown(self) -> None:
        if self.result is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "保存分机关明细",
                                              self._default_name(".xlsx", "分机关明细"),
                                              "Excel 工作簿 (*.xlsx)")
        if name:
            p = Path(name)
            if p.suffix.lower() != ".xlsx":
                p = p.with_name(p.name + ".xlsx")
            self.save_breakdown(p)

    def save_breakdown(self, path: Path | str) -> bool:
        if self.result is None:
            return False
        try:
            write_breakdown(self.result, path)
        except NianbaoError as e:
            QMessageBox.warning(self, "保存失败", str(e))
            return False
        self._show(f"已保存分机关明细：{path}", error=False)
        return True
