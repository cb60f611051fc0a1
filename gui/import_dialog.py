"""Import: read a report off the GUI thread, then preview it before applying.

:func:`read_file_async` runs ``model.importers.read_file`` in a worker thread
with a busy indicator, and calls back on the GUI thread.
:class:`ImportPreviewDialog` shows what was read — agency, year, format, the
three texts (abridged), the key figures, the reader's notes and what the
checker finds — and lets the clerk open it as this year's report or use it as
last year's baseline.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit, QPushButton,
    QTabWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from model import numbers, schema
from model.findings import Finding, Severity
from model.importers import FORMAT_LABELS
from model.importers.base import ImportResult
from model.schema import CELLS, FORMAT_2019, SECTION_BY_ID, TEXT_SECTIONS

# the background helpers live in gui/background.py; these names stay importable from here
from .background import (SHOW_PROGRESS_AFTER_MS, BackgroundJob, begin_background_work,  # noqa: F401
                         end_background_work, run_and_wait, run_in_background)
from .background import default_error as _default_error  # noqa: F401
# opening a project file needs only these two (the window opened on FILE, before its first paint)
from .background import describe_read_error, read_project_file  # noqa: F401


def read_report_file(path: Path | str) -> ImportResult:
    """What :func:`read_file_async` runs: a project file as itself, any other file
    through the readers (both with the notes the preview shows)."""
    p = Path(path)
    if p.suffix.lower() == ".nianbao":
        from model import project
        return ImportResult(project.load(p), [], "nianbao", p.name)
    from model.importers import read_file
    return read_file(p)




def read_file_async(parent: QWidget | None, path: Path | str,
                    callback: Callable[[ImportResult | None, str | None], None],
                    cancellable: bool = True) -> BackgroundJob:
    """Read any report file off the GUI thread; ``callback(result, error)`` afterwards
    (``(None, None)`` when the clerk cancelled)."""
    p = Path(path)

    def work() -> ImportResult:
        return read_report_file(p)

    return run_in_background(parent, f"正在读取“{p.name}”…", work, callback, describe_read_error(p),
                             cancellable=cancellable)


# ---------------------------------------------------------------------------
# The preview
# ---------------------------------------------------------------------------

KEY_FIGURES: tuple[str, ...] = schema.PREVIEW_CELLS

ABRIDGE_CHARS = 400

NOTE_KINDS = {
    "variant": "标签写法不同",
    "unplaced": "未能归位",
    "missing": "缺少内容",
    "format": "格式",
    "meta": "基本信息",
    "info": "说明",
}

SOURCE_FORMATS = FORMAT_LABELS      # kind → label, from model.importers.READERS

SEVERITY_COLORS = {Severity.ERROR: "#c62828", Severity.WARNING: "#b26a00", Severity.INFO: "#1565c0"}


def figure_label(cell_id: str) -> str:
    """``行政诉讼·复议后起诉（总计）``, ``三、本年度办理结果·（七）总计（总计）``."""
    d = CELLS[cell_id]
    row = d.row_label
    if d.table == "t4" and d.row != "review":
        row = f"{schema.T4_SUIT}·{row}"
    elif d.table == "t3" and schema.T3_ROW_BY_ID[d.row].in_results:
        row = f"{schema.T3_RESULTS_GROUP}·{row}"
    elif d.table == "t2":
        row = f"表二·{row}"
    return f"{row}（{d.col_label}）"


def abridge(text: str, limit: int = ABRIDGE_CHARS) -> str:
    text = (text or "").strip()
    if not text:
        return "（空）"
    if len(text) <= limit:
        return text
    return text[:limit].rstrip() + f"……\n\n（共 {len(text)} 字，此处只显示开头）"


def fill_findings_tree(tree: QTreeWidget, findings: list[Finding]) -> None:
    """Rows of 严重程度 / 规则 / 说明, errors first."""
    tree.clear()
    for f in sorted(findings, key=lambda f: int(f.severity)):
        item = QTreeWidgetItem([f.severity.label, f.rule, f.message])
        item.setForeground(0, QBrush(QColor(SEVERITY_COLORS[f.severity])))
        item.setToolTip(2, f.message)
        item.setData(0, Qt.UserRole, f)
        tree.addTopLevelItem(item)


def make_findings_tree(parent: QWidget | None = None) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setHeaderLabels(["严重程度", "规则", "说明"])
    tree.setRootIsDecorated(False)
    tree.setWordWrap(True)
    tree.setUniformRowHeights(False)
    tree.setAlternatingRowColors(True)
    h = tree.header()
    h.setSectionResizeMode(0, QHeaderView.ResizeToContents)
    h.setSectionResizeMode(1, QHeaderView.ResizeToContents)
    h.setSectionResizeMode(2, QHeaderView.Stretch)
    h.setStretchLastSection(True)
    return tree


DEFAULT_CHOICES: tuple[tuple[str, str, str], ...] = (
    ("open", "作为本年报告打开(&O)", "用读到的内容替换当前报告，继续编辑和检查。"),
    ("baseline", "设为上年基线（导入上年数据）(&B)",
     "当前报告不变；读到的报告作为上年数据，用于结转“上年结转”数字、与上年比较和显示上年内容。"),
)


class ImportPreviewDialog(QDialog):
    """What was read from a file, before it is applied.

    After ``exec()``, :meth:`choice` is ``"open"`` (作为本年报告打开),
    ``"baseline"`` (设为上年基线) or ``None`` (取消).
    """

    def __init__(self, parent: QWidget | None, result: ImportResult,
                 default_choice: str = "baseline",
                 choices: tuple[tuple[str, str, str], ...] | None = None) -> None:
        """``choices``: the buttons as (choice, text, tooltip); by default 作为本年报告打开
        and 设为上年基线."""
        super().__init__(parent)
        self.result = result
        self._choice: str | None = None
        report = result.report
        name = result.source_name or "所选文件"
        self.setWindowTitle(f"导入预览 — {name}")
        from PySide6.QtCore import QSize

        from .windowfit import fit_window
        fit_window(self, QSize(900, 680))

        # ---- findings first: the notes and the checker's view
        from model import rules
        self.findings: list[Finding] = list(rules.check(report))

        intro = QLabel(f"从“{name}”读到以下内容。请核对后选择如何使用；在此之前当前报告不会有任何改动。")
        intro.setWordWrap(True)

        form = QFormLayout()
        self.agency_label = QLabel(report.agency or "（未读到机关名称，导入后请在“基本信息”中填写）")
        self.year_label = QLabel(f"{report.year} 年" if report.year is not None
                                 else "（未读到年度，导入后请填写）")
        fmt = "2019 年试行格式（国办公开办函〔2019〕60号）" if report.format == FORMAT_2019 \
            else "2021 年格式（国办公开办函〔2021〕30号）"
        self.format_label = QLabel(f"{fmt}，{SOURCE_FORMATS.get(result.source_format, result.source_format)}")
        for lab in (self.agency_label, self.year_label, self.format_label):
            lab.setTextInteractionFlags(Qt.TextSelectableByMouse)
            lab.setWordWrap(True)
        form.addRow("机关名称：", self.agency_label)
        form.addRow("报告年度：", self.year_label)
        form.addRow("报告格式：", self.format_label)

        self.figures = QTreeWidget()
        self.figures.setHeaderLabels(["主要数字", "数值"])
        self.figures.setRootIsDecorated(False)
        for cid in KEY_FIGURES:
            v = report.values.get(cid)
            shown = numbers.format_value(v) if v is not None else report.raw.get(cid, "（空）")
            item = QTreeWidgetItem([figure_label(cid), shown])
            item.setData(0, Qt.UserRole, cid)
            item.setTextAlignment(1, Qt.AlignRight | Qt.AlignVCenter)
            self.figures.addTopLevelItem(item)
        self.figures.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.figures.header().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.figures.header().setStretchLastSection(False)

        top = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(intro)
        left.addLayout(form)
        left.addStretch(1)
        top.addLayout(left, 1)
        top.addWidget(self.figures, 1)

        # ---- tabs: notes, findings, texts
        self.tabs = QTabWidget()
        self.notes = QTreeWidget()
        self.notes.setHeaderLabels(["类别", "说明"])
        self.notes.setRootIsDecorated(False)
        self.notes.setWordWrap(True)
        self.notes.header().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        for n in result.notes:
            item = QTreeWidgetItem([NOTE_KINDS.get(n.kind, n.kind), n.message])
            item.setToolTip(1, n.message)
            self.notes.addTopLevelItem(item)
        if not result.notes:
            self.notes.addTopLevelItem(QTreeWidgetItem(["", "读取顺利，没有需要说明的地方。"]))
        self.tabs.addTab(self.notes, f"读取说明（{len(result.notes)}）")

        self.findings_tree = make_findings_tree()
        fill_findings_tree(self.findings_tree, self.findings)
        n_err = sum(f.severity is Severity.ERROR for f in self.findings)
        n_warn = sum(f.severity is Severity.WARNING for f in self.findings)
        self.tabs.addTab(self.findings_tree, f"检查结果（错误 {n_err}，警告 {n_warn}）")

        texts = QWidget()
        tl = QVBoxLayout(texts)
        self.section_views: dict[str, QPlainTextEdit] = {}
        inner = QTabWidget()
        for sid in TEXT_SECTIONS:
            view = QPlainTextEdit(abridge(report.sections.get(sid, "")))
            view.setReadOnly(True)
            self.section_views[sid] = view
            inner.addTab(view, SECTION_BY_ID[sid].heading)
        tl.addWidget(inner)
        tl.setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(texts, "正文摘要")

        # ---- buttons
        if choices is None:
            choices = DEFAULT_CHOICES
        self.choice_buttons: dict[str, QPushButton] = {}
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for key, text, tip in choices:
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(lambda _=False, k=key: self._choose(k))
            self.choice_buttons[key] = b
            buttons.addWidget(b)
        self.open_button = self.choice_buttons.get("open")
        self.baseline_button = self.choice_buttons.get("baseline")
        self.cancel_button = QPushButton("取消(&C)")
        self.cancel_button.clicked.connect(self.reject)
        default = self.choice_buttons.get(default_choice) or next(iter(self.choice_buttons.values()))
        default.setDefault(True)
        buttons.addWidget(self.cancel_button)

        lay = QVBoxLayout(self)
        lay.addLayout(top, 2)
        lay.addWidget(self.tabs, 3)
        lay.addLayout(buttons)

    def _choose(self, choice: str) -> None:
        self._choice = choice
        self.accept()

    def reject(self) -> None:
        self._choice = None
        super().reject()

    def choice(self) -> str | None:
        return self._choice
