"""The problems panel: every finding of the current report, clicked to jump to it."""
from __future__ import annotations

from difflib import SequenceMatcher

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from model.findings import Finding, Severity
from model.schema import CELLS

from . import style
from .document import STEPS, ReportDocument

SEVERITY_COLORS = {s: style.color(c) for s, c in style.SEVERITY_TEXT.items()}
STEP_TITLES = dict(STEPS)
COLUMNS = ["级别", "规则", "位置", "说明"]


def location_text(doc: ReportDocument, f: Finding) -> str:
    """Where a finding is: the step, and the first cell's label for a table finding."""
    where = doc.place_of(f)
    step = STEP_TITLES.get(where.step, "")
    return f"{step}：{CELLS[where.cells[0]].label}" if where.cells else step


class ProblemsPanel(QWidget):
    """A list of findings (severity, rule, location, message).

    Clicking or pressing Enter on a row emits :attr:`activated` with its finding.
    """

    activated = Signal(object)         # Finding

    def __init__(self, doc: ReportDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.summary = QLabel(self)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(False)
        h = self.tree.header()
        h.setStretchLastSection(True)
        # fixed widths that hold every severity label and rule id: ResizeToContents measured
        # every row again at each keystroke
        fm = self.tree.fontMetrics()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        h.resizeSection(0, max(fm.horizontalAdvance(t) for t in (*(s.label for s in Severity), COLUMNS[0]))
                        + 24)
        h.resizeSection(1, fm.horizontalAdvance("T3-3 X5 ") + 16)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        h.resizeSection(2, 300)
        self.tree.itemClicked.connect(self._on_item)
        self.tree.itemActivated.connect(self._on_item)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        lay.addWidget(self.summary)
        lay.addWidget(self.tree)
        self._findings: list[Finding] = []
        self._brushes = {s: QBrush(c) for s, c in SEVERITY_COLORS.items()}
        doc.findingsChanged.connect(self.refresh)
        doc.reportReplaced.connect(self.refresh)
        self.refresh()

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings)

    def refresh(self) -> None:
        findings = sorted(self.doc.findings, key=lambda f: int(f.severity))
        if findings == self._findings:
            return
        old = self._findings
        self._findings = findings
        t = self.tree
        # only the rows that changed are touched: a finding that appears or goes is one
        # row inserted or taken (a clear and refill repainted the list several times
        # per keystroke, and refilling every row after it cost as much)
        ops = SequenceMatcher(None, old, findings, autojunk=False).get_opcodes()
        for tag, i1, i2, j1, j2 in reversed(ops):
            if tag == "equal":
                continue
            if tag == "replace" and i2 - i1 == j2 - j1:
                for k in range(i2 - i1):
                    self._fill(t.topLevelItem(i1 + k), findings[j1 + k])
                continue
            for k in range(i2 - 1, i1 - 1, -1):
                t.takeTopLevelItem(k)
            items = []
            for f in findings[j1:j2]:
                item = QTreeWidgetItem()
                self._fill(item, f)
                items.append(item)
            if items:
                t.insertTopLevelItems(i1, items)
        if len(findings) != len(old):
            t.doItemsLayout()          # lay the rows out now: one repaint, not one more later
        counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
        if findings:
            self.summary.setText(f"错误 {counts[Severity.ERROR]} 项 · 警告 "
                                 f"{counts[Severity.WARNING]} 项 · 提示 {counts[Severity.INFO]} 项"
                                 "（单击一项可跳转到对应位置）")
        else:
            self.summary.setText("没有发现问题。")

    def _fill(self, item: QTreeWidgetItem, f: Finding) -> None:
        texts = (f.severity.label, f.rule, location_text(self.doc, f), f.message)
        for col, text in enumerate(texts):
            if item.text(col) != text:
                item.setText(col, text)
        # each setter is one dataChanged of the list: only what differs is set
        brush = self._brushes[f.severity]
        if item.foreground(0) != brush:
            item.setForeground(0, brush)
        for col in (2, 3):
            if item.toolTip(col) != texts[col]:
                item.setToolTip(col, texts[col])

    def item_for(self, finding: Finding) -> QTreeWidgetItem | None:
        for i, f in enumerate(self._findings):
            if f == finding:
                return self.tree.topLevelItem(i)
        return None

    def current_finding(self) -> Finding | None:
        """The finding of the selected row, if any."""
        item = self.tree.currentItem()
        i = self.tree.indexOfTopLevelItem(item) if item is not None else -1
        return self._findings[i] if 0 <= i < len(self._findings) else None

    def _on_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        i = self.tree.indexOfTopLevelItem(item)
        if 0 <= i < len(self._findings):
            self.activated.emit(self._findings[i])
