"""与上年对比: one agency's report side by side with last year's (issue 15, part 2).

:class:`CompareWindow` shows a :class:`model.compare.Comparison`: the overall
重复率, one tab a text section with this year's and last year's text side by
side (sentences repeated verbatim on a coloured ground), the table cells that
changed (old → new, the change, and the carry-over findings X1/X2 next to the
cells they concern), and the carry-over cells themselves.  Both reports can be
chosen from files (read off the GUI thread) or given (the audit's detail of a
paired report).  It exports the side-by-side HTML (model.render.comparison.render_html).

Everything it shows comes from :mod:`model.compare`; this module only lays it out.
"""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QSplitter, QTableWidget,
    QTableWidgetItem, QTabWidget, QTextBrowser, QVBoxLayout, QWidget,
)

from model import schema
from model.compare import Comparison, Sentence, carry_pairs, compare, describe, format_rate
from model.importers import FILE_FILTER, format_names
from model.render.comparison import render_html
from model.report import Report

from .import_dialog import SEVERITY_COLORS, run_in_background

REPEATED_BG = "#ffe0b2"
CHANGE_COLUMNS = ("表", "单元格", "上年", "本年", "变化", "与上年衔接（X1/X2）")
CARRY_COLUMNS = ("单元格", "本年", "上年", "核对")


def sentences_html(sentences: list[Sentence]) -> str:
    """The sentences as HTML, the repeated ones on a coloured ground, one a line."""
    parts = []
    for s in sentences:
        text = html.escape(s.text).replace("\n", "")
        if s.repeated and s.counted:
            parts.append(f'<span style="background:{REPEATED_BG}">{text}</span>')
        elif not s.counted:
            parts.append(f'<span style="color:#777">{text}</span>')
        else:
            parts.append(text)
    return "<div style='line-height:160%'>" + "<br>".join(parts) + "</div>"


class CompareWindow(QWidget):
    """The comparison of two reports of one agency; ``compared`` is emitted once shown."""

    compared = Signal()

    def __init__(self, this: Report | None = None, last: Report | None = None,
                 parent: QWidget | None = None, *, this_name: str = "", last_name: str = ""):
        super().__init__(parent)
        if parent is not None:
            self.setWindowFlag(Qt.Window, True)
        self.setWindowTitle("与上年对比")
        self.reports: list[Report | None] = [this, last]
        self.names = [this_name, last_name]
        self.comparison: Comparison | None = None

        self.this_button = QPushButton("本年报告…")
        self.this_button.setToolTip(f"选择本年的报告（{format_names()}）")
        self.this_button.clicked.connect(lambda: self._ask(0))
        self.last_button = QPushButton("上年报告…")
        self.last_button.setToolTip("选择同一机关上一年度的报告")
        self.last_button.clicked.connect(lambda: self._ask(1))
        self.export_button = QPushButton("导出对照网页…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._ask_export)
        self.files = QLabel()
        top = QHBoxLayout()
        for w in (self.this_button, self.last_button, self.files):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.export_button)

        self.summary = QLabel("请选择本年报告和上年报告。")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.tabs = QTabWidget()
        self.section_views: dict[str, tuple[QTextBrowser, QTextBrowser]] = {}
        self.changes = QTableWidget(0, len(CHANGE_COLUMNS))
        self.carry = QTableWidget(0, len(CARRY_COLUMNS))
        for t, cols in ((self.changes, CHANGE_COLUMNS), (self.carry, CARRY_COLUMNS)):
            t.setHorizontalHeaderLabels(list(cols))
            t.setEditTriggers(QTableWidget.NoEditTriggers)
            t.setSelectionBehavior(QTableWidget.SelectRows)
            t.setWordWrap(True)
            t.verticalHeader().hide()
            t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
            t.horizontalHeader().setStretchLastSection(True)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.tabs)
        self.resize(1100, 720)
        self._names_label()
        if this is not None and last is not None:
            self.show_comparison()

    # ---- choosing the reports ---------------------------------------------
    def _names_label(self) -> None:
        shown = []
        for label, r, name in zip(("本年", "上年"), self.reports, self.names, strict=True):
            what = name or (describe(r) if r is not None else "（未选择）")
            shown.append(f"{label}：{what}")
        self.files.setText("　".join(shown))

    def _ask(self, which: int) -> None:
        title = "选择本年报告" if which == 0 else "选择上年报告"
        name, _ = QFileDialog.getOpenFileName(self, title, str(Path.home()), FILE_FILTER)
        if name:
            self.load_file(which, name)

    def load_file(self, which: int, path: str | Path) -> None:
        """Read ``path`` off the GUI thread as this year's (0) or last year's (1) report."""
        p = Path(path)

        def work() -> Report:
            from model.importers import read_file
            return read_file(p).report

        def done(report: Report | None, error: str | None) -> None:
            if error is None and report is None:        # 取消: nothing changes
                self.compared.emit()
                return
            if error is not None or report is None:
                QMessageBox.warning(self, "无法读取", error or f"无法读取“{p.name}”。")
                self.compared.emit()
                return
            self.set_report(which, report, p.name)

        run_in_background(self, f"正在读取“{p.name}”…", work, done, cancellable=True)

    def set_report(self, which: int, report: Report, name: str = "") -> None:
        self.reports[which] = report
        self.names[which] = name
        self._names_label()
        if self.reports[0] is not None and self.reports[1] is not None:
            self.show_comparison()
        else:
            self.compared.emit()

    # ---- showing it ----------------------------------------------------------
    def show_comparison(self) -> Comparison:
        this, last = self.reports
        assert this is not None and last is not None
        c = compare(this, last)
        self.comparison = c
        self.setWindowTitle(f"与上年对比 - {describe(this)} / {describe(last)}")
        self.tabs.clear()
        self.section_views.clear()
        for s in c.sections:
            split = QSplitter(Qt.Horizontal)
            views = []
            for title, sentences in ((describe(this), s.sentences), (describe(last), s.last_sentences)):
                box = QWidget()
                v = QVBoxLayout(box)
                v.setContentsMargins(0, 0, 0, 0)
                v.addWidget(QLabel(title))
                view = QTextBrowser()
                view.setHtml(sentences_html(sentences))
                v.addWidget(view)
                split.addWidget(box)
                views.append(view)
            self.section_views[s.section] = (views[0], views[1])
            self.tabs.addTab(split, f"{schema.SECTION_BY_ID[s.section].short} {format_rate(s.rate)}")
            self.tabs.setTabToolTip(self.tabs.count() - 1,
                                    f"{s.heading}：重复率 {format_rate(s.rate)}，{s.repeated} 句与上年相同")
        self._fill_changes(c)
        self.tabs.addTab(self.changes, f"表格变化（{len(c.changes)}）")
        self._fill_carry(c)
        bad = sum(1 for *_, fs in carry_pairs(c) if fs)
        self.tabs.addTab(self.carry, f"与上年衔接（{'有 ' + str(bad) + ' 处不衔接' if bad else '均衔接'}）")
        self.summary.setText(
            f"正文重复率 {format_rate(c.rate)}（与上年逐句相同的文字所占比例；底色标出相同的句子）；"
            f"表格 {len(c.changes)} 个单元格有变化，{c.unchanged_cells} 个与上年相同；"
            f"与上年衔接的问题 {len(c.carry)} 项。")
        self.export_button.setEnabled(True)
        self.compared.emit()
        return c

    def _fill_changes(self, c: Comparison) -> None:
        self.changes.setRowCount(len(c.changes))
        for i, ch in enumerate(c.changes):
            found = c.carry_for(ch.cell)
            cells = (ch.table, ch.label, ch.shown("old"), ch.shown("new"), ch.delta_text,
                     "；".join(f"[{f.rule}] {f.message}" for f in found))
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if 2 <= j <= 4:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if j == 5 and found:
                    item.setForeground(QBrush(QColor(SEVERITY_COLORS[found[0].severity])))
                    item.setToolTip(text)
                self.changes.setItem(i, j, item)

    def _fill_carry(self, c: Comparison) -> None:
        pairs = carry_pairs(c)
        self.carry.setRowCount(len(pairs))
        for i, (_cid, label, this, last, found) in enumerate(pairs):
            check = "；".join(f"[{f.rule}] {f.message}" for f in found) if found else "衔接"
            for j, text in enumerate((label, this, last, check)):
                item = QTableWidgetItem(text)
                if j == 1:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if j == 3:
                    item.setForeground(QBrush(QColor(SEVERITY_COLORS[found[0].severity] if found
                                                     else "#2e7d32")))
                self.carry.setItem(i, j, item)

    # ---- export ---------------------------------------------------------------
    def _ask_export(self) -> None:
        if self.comparison is None:
            return
        name = f"{describe(self.comparison.this)}与上年对比.html".replace(" ", "")
        path, _ = QFileDialog.getSaveFileName(self, "导出对照网页", str(Path.home() / name), "网页 (*.html)")
        if path:
            p = Path(path)
            if p.suffix.lower() not in (".html", ".htm"):
                p = p.with_name(p.name + ".html")
            self.export_html(p)

    def export_html(self, path: str | Path) -> bool:
        from model.errors import NianbaoError
        from model.files import write_file
        if self.comparison is None:
            return False
        try:
            write_file(Path(path), render_html(self.comparison))
        except NianbaoError as e:
            QMessageBox.warning(self, "导出对照网页", str(e))
            return False
        self.summary.setText(self.summary.text().split(" 已导出")[0] + f" 已导出：{path}")
        return True


def open_compare_window(window: QWidget, this: Report | None = None, last: Report | None = None,
                        **names: str) -> CompareWindow:
    """Show a comparison as a window of its own (kept by ``window`` while open)."""
    w = CompareWindow(this, last, None, **names)
    w.setAttribute(Qt.WA_DeleteOnClose, True)
    keep = getattr(window, "compare_windows", None)
    if keep is None:
        keep = []
        window.compare_windows = keep
    keep.append(w)
    w.destroyed.connect(lambda *_: keep.remove(w) if w in keep else None)
    w.show()
    return w
