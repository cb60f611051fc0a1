"""The text steps 一、总体情况 / 五、问题与改进 / 六、其他事项.

A plain-text editor (the sections are plain text, paragraphs separated by
``\\n``), the section's checklist beside it with each aspect ticked as soon as
the text covers it, buttons inserting the standard sentences, numbers that
contradict the tables underlined (rules N1–N4, with the message as tooltip), the
section's findings, and last year's text beside when a baseline exists.

Every edit goes through :meth:`ReportDocument.set_section` (typing merges into
one undo step); Ctrl+Z in the editor undoes on the document's stack, so there
is one history for the whole report.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QListWidget,
    QListWidgetItem, QMenu, QPlainTextEdit, QPushButton, QSplitter, QTextEdit, QToolButton,
    QVBoxLayout, QWidget,
)

from model import fields, rules, schema
from model import narrative as nv
from model.findings import Finding, Severity, place
from model.schema import SECTION_BY_ID

from .field_editor import FieldEditor

CN_ORDINALS = "一二三四五六七八九十"

NO_FEE = "本年度未收取信息处理费。"
NO_REQUESTS = "本年度未收到政府信息公开申请。"
NO_APPEALS = "本年度未发生政府信息公开行政复议、行政诉讼。"


def _subheads(labels: list[str]) -> str:
    return "\n".join(f"（{CN_ORDINALS[i]}）{lab}" for i, lab in enumerate(labels))


# (button text, tooltip, text inserted) for each section
STANDARD_TEXTS: dict[str, list[tuple[str, str, str]]] = {
    "overview": [
        ("插入五个方面的小标题", "按格式要求，总体情况分五个方面写",
         _subheads([a.label for a in nv.OVERVIEW_ASPECTS])),
        ("未收到申请", "本年度没有收到政府信息公开申请时使用", NO_REQUESTS),
        ("未发生复议诉讼", "本年度没有政府信息公开行政复议、行政诉讼时使用", NO_APPEALS),
    ],
    "problems": [
        ("插入问题、措施、整改小标题", "审核时通常要求写明问题、改进措施和上年问题的整改情况",
         _subheads(["存在的主要问题", "改进措施", "上年度问题整改情况"])),
    ],
    "other": [
        ("未收取信息处理费", "按国办函〔2020〕109号，须说明信息处理费收取情况", NO_FEE),
        ("未发生复议诉讼", "本年度没有政府信息公开行政复议、行政诉讼时使用", NO_APPEALS),
    ],
}

CHECK_HINTS = {
    "overview": "第一部分应写到以下各方面：",
    "problems": "第五部分应写明：",
    "other": "第六部分应写明：",
}

REFRESH_MS = 150
MISMATCH_COLOR = QColor("#ffcdd2")
MISMATCH_LINE = QColor("#c62828")


# the section editor (kept under its former name too)
SectionEditor = FieldEditor


class CellPickerDialog(QDialog):
    """其他单元格…: pick any cell of tables 二、三、四 by table, row and column."""

    def __init__(self, doc, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.setWindowTitle("插入表格中的数字")
        self.table = QComboBox()
        self.row = QComboBox()
        self.col = QComboBox()
        for tid in ("t2", "t3", "t4"):
            self.table.addItem(schema.TABLES[tid].title, tid)
        self.value = QLabel()
        form = QFormLayout()
        form.addRow("表格：", self.table)
        form.addRow("行：", self.row)
        form.addRow("列：", self.col)
        form.addRow("当前数字：", self.value)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("插入")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("插入的数字随表格自动更新。"))
        lay.addLayout(form)
        lay.addWidget(buttons)
        self.table.currentIndexChanged.connect(self._fill_rows)
        self.row.currentIndexChanged.connect(self._fill_cols)
        self.col.currentIndexChanged.connect(self._show_value)
        self.setMinimumWidth(560)
        self._fill_rows()

    def _cells(self, tid: str):
        return [c for c in schema.CELLS.values() if c.table == tid]

    def _fill_rows(self) -> None:
        tid = self.table.currentData()
        self.row.blockSignals(True)
        self.row.clear()
        seen = []
        for c in self._cells(tid):
            if c.row not in seen:
                seen.append(c.row)
                self.row.addItem(c.row_label, c.row)
        self.row.blockSignals(False)
        self._fill_cols()

    def _fill_cols(self) -> None:
        tid, rid = self.table.currentData(), self.row.currentData()
        self.col.blockSignals(True)
        self.col.clear()
        for c in self._cells(tid):
            if c.row == rid:
                self.col.addItem(c.col_label, c.id)
        self.col.blockSignals(False)
        self._show_value()

    def _show_value(self) -> None:
        cid = self.col.currentData()
        self.value.setText(fields.field_value_text(cid, self.doc.report) if cid else "")

    def select(self, cell_id: str) -> None:
        d = schema.CELLS[cell_id]
        self.table.setCurrentIndex(self.table.findData(d.table))
        self.row.setCurrentIndex(self.row.findData(d.row))
        self.col.setCurrentIndex(self.col.findData(cell_id))

    def cell_id(self) -> str | None:
        return self.col.currentData()


class TextSectionPage(QWidget):
    """Editor for one text section (``overview``, ``problems`` or ``other``)."""

    activated = Signal(Finding)      # a finding in the page's list was double-clicked

    def __init__(self, doc, section_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if section_id not in STANDARD_TEXTS:
            raise KeyError(section_id)
        self.doc = doc
        self.section_id = section_id
        self._updating = False

        sdef = SECTION_BY_ID[section_id]
        heading = QLabel(sdef.heading)
        f = heading.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        heading.setFont(f)

        # ---- buttons
        self.insert_buttons: list[QPushButton] = []
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("插入："))
        for text, tip, insert in STANDARD_TEXTS[section_id]:
            b = QPushButton(text)
            b.setToolTip(f"{tip}。插入：{insert}" if "\n" not in insert else f"{tip}。")
            b.clicked.connect(lambda _=False, s=insert: self.insert_text(s))
            buttons.addWidget(b)
            self.insert_buttons.append(b)
        self.field_button = QToolButton()
        self.field_button.setText("插入数字字段")
        self.field_button.setToolTip("插入表格中的数字：正文显示该数字，表格修改后自动更新，"
                                     "导出时写成数字")
        self.field_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.field_menu = QMenu(self.field_button)
        self.field_menu.aboutToShow.connect(self._fill_field_menu)
        self.field_button.setMenu(self.field_menu)
        buttons.addWidget(self.field_button)
        buttons.addStretch(1)
        self.baseline_button = QPushButton("显示上年内容(&L)")
        self.baseline_button.setCheckable(True)
        self.baseline_button.toggled.connect(self._toggle_baseline)
        buttons.addWidget(self.baseline_button)

        # ---- editor
        self.editor = FieldEditor(doc.undo_stack,
                                  lambda key: fields.field_value_text(key, self.doc.report))
        self.editor.setPlaceholderText(f"在这里填写“{sdef.heading}”的内容。每段一行，"
                                       "小标题用（一）（二）……")
        self.editor.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        self.editor.setTabChangesFocus(True)      # no tab characters in a report
        ef = self.editor.font()
        ef.setPointSizeF(ef.pointSizeF() * 1.15)
        self.editor.setFont(ef)
        self._base_point_size = ef.pointSizeF()
        self.zoom = 1.0
        self.editor.set_token_text(doc.report.sections.get(section_id, "") or "")
        self.editor.textChanged.connect(self._editor_changed)

        # ---- last year's text
        self.baseline_view = QPlainTextEdit()
        self.baseline_view.setReadOnly(True)
        self.baseline_view.setStyleSheet("QPlainTextEdit { background: #f4f4f4; }")
        self.baseline_title = QLabel("上年报告的本部分内容（只读）：")
        self.baseline_pane = QWidget()
        bl = QVBoxLayout(self.baseline_pane)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.baseline_title)
        bl.addWidget(self.baseline_view)
        self.baseline_pane.setVisible(False)

        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(self.baseline_pane)
        self.splitter.setChildrenCollapsible(False)

        # ---- side: checklist and findings
        side = QVBoxLayout()
        hint = QLabel(CHECK_HINTS[section_id])
        hint.setWordWrap(True)
        side.addWidget(hint)
        self.checklist = QListWidget()
        self.checklist.setSelectionMode(QListWidget.NoSelection)
        self.checklist.setFocusPolicy(Qt.NoFocus)
        self.checklist.setFrameShape(QFrame.NoFrame)
        self.checklist.setStyleSheet("QListWidget { background: transparent; }")
        # room for six aspects (overview of a 本级人民政府); fixed once, never resized
        self.checklist.setFixedHeight(int(self.checklist.fontMetrics().height() * 1.5 * 6) + 8)
        side.addWidget(self.checklist)
        self.findings_title = QLabel("本部分的问题：")
        side.addWidget(self.findings_title)
        self.findings_list = QListWidget()
        self.findings_list.setWordWrap(True)
        self.findings_list.itemActivated.connect(self._finding_activated)
        side.addWidget(self.findings_list, 1)
        side_w = QWidget()
        side_w.setLayout(side)
        side_w.setMinimumWidth(240)
        side_w.setMaximumWidth(340)

        # 字数 of the section, under the editor
        self.count_label = QLabel(self)
        self.count_label.setObjectName("charCount")
        self.count_label.setStyleSheet("color: #555;")
        editor_col = QVBoxLayout()
        editor_col.setContentsMargins(0, 0, 0, 0)
        editor_col.addWidget(self.splitter, 1)
        editor_col.addWidget(self.count_label)

        body = QHBoxLayout()
        body.addLayout(editor_col, 1)
        body.addWidget(side_w)

        lay = QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addLayout(buttons)
        lay.addLayout(body, 1)

        # ---- live updates
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._refresh_if_shown)
        self._stale = False
        doc.sectionChanged.connect(self._section_changed)
        doc.findingsChanged.connect(self._timer.start)
        doc.reportReplaced.connect(self._report_replaced)
        doc.cellsChanged.connect(self._cells_changed)
        doc.metaChanged.connect(self._update_baseline)
        self._update_baseline()
        self.refresh()
        self.update_count()
        self.editor.textChanged.connect(self.update_count)

    # ------------------------------------------------------------------
    # 字数 and zoom
    # ------------------------------------------------------------------
    def char_count(self) -> int:
        """字数 of the section as shown (fields as their figures)."""
        return nv.char_count(self.editor.toPlainText())

    def update_count(self) -> None:
        text = f"字数：{self.char_count()}"
        if self.count_label.text() != text:
            self.count_label.setText(text)

    def set_zoom(self, factor: float) -> None:
        """Show the text ``factor`` times its normal size (the window's 放大/缩小)."""
        self.zoom = factor
        for w in (self.editor, self.baseline_view):
            f = w.font()
            f.setPointSizeF(self._base_point_size * factor)
            w.setFont(f)

    # ------------------------------------------------------------------
    # editing
    # ------------------------------------------------------------------
    def text(self) -> str:
        """The text as shown (fields as their figures)."""
        return self.editor.shown_text()

    def _editor_changed(self) -> None:
        if self._updating:
            return
        self._updating = True
        try:
            self.doc.set_section(self.section_id, self.editor.token_text(),
                                 merge=not self.editor.take_atomic())
        finally:
            self._updating = False
        if self.editor.has_damaged_fields():
            self._sync_editor()        # a field broken apart is plain text now: show it so
        self._timer.start()

    def _section_changed(self, section_id: str) -> None:
        if section_id != self.section_id or self._updating:
            return
        self._sync_editor()
        self._timer.start()

    def _cells_changed(self, _cells: list) -> None:
        # the figures of the fields follow the tables
        if fields.has_fields(self.doc.report.sections.get(self.section_id, "") or ""):
            self._sync_editor()

    def _report_replaced(self) -> None:
        self._sync_editor()
        self._update_baseline()
        self.refresh()

    def _sync_editor(self) -> None:
        """Bring the editor in line with the report, touching only what differs."""
        self._updating = True
        try:
            self.editor.set_token_text(self.doc.report.sections.get(self.section_id, "") or "")
        finally:
            self._updating = False

    def insert_text(self, snippet: str) -> None:
        """Insert a standard sentence as its own paragraph at the cursor (one undo step)."""
        self._place_cursor_for_insert()
        text = self.editor.shown_text()
        pos = self.editor.textCursor().position()
        before, after = text[:pos], text[pos:]
        ins = snippet
        if before and not before.endswith("\n"):
            ins = "\n" + ins
        if after and not after.startswith("\n"):
            ins = ins + "\n"
        self.editor.insert_plain(ins, atomic=True)
        cur = self.editor.textCursor()
        cur.setPosition(len(before) + len(ins.rstrip("\n")))
        self.editor.setTextCursor(cur)
        self.editor.setFocus()

    def _place_cursor_for_insert(self) -> None:
        cur = self.editor.textCursor()
        if not self.editor.hasFocus() and cur.position() == 0 and not cur.hasSelection() \
                and self.editor.document().characterCount() > 1:
            cur.movePosition(QTextCursor.MoveOperation.End)      # never clicked into: at the end
            self.editor.setTextCursor(cur)

    def insert_field(self, key: str) -> None:
        """Insert a bound figure at the cursor (one undo step); the report stores the token."""
        if fields.field_def(key) is None:
            raise KeyError(key)
        self._place_cursor_for_insert()
        self.editor.insert_field(key)
        self.editor.setFocus()

    def _fill_field_menu(self) -> None:
        m = self.field_menu
        m.clear()
        report = self.doc.report
        for fd in fields.COMMON:
            a = QAction(f"{fd.label}（现为 {fields.field_value_text(fd.key, report)}）", m)
            a.setData(fd.key)
            a.triggered.connect(lambda _=False, k=fd.key: self.insert_field(k))
            m.addAction(a)
        m.addSeparator()
        other = QAction("其他单元格…", m)
        other.triggered.connect(self.pick_cell)
        m.addAction(other)

    def pick_cell(self) -> None:
        dlg = CellPickerDialog(self.doc, self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.cell_id():
            self.insert_field(dlg.cell_id())

    # ------------------------------------------------------------------
    # checklist, mismatches, findings
    # ------------------------------------------------------------------
    def _refresh_if_shown(self) -> None:
        # a page out of sight is brought up to date when it is shown (typing elsewhere
        # does not pay for three pages nobody looks at)
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Checklist, highlighting and the findings list from the current report."""
        self._timer.stop()
        self._stale = False
        report = self.doc.report
        text = fields.resolve(report.sections.get(self.section_id, "") or "", report)

        items = rules.section_checklist(self.section_id, text, report.level)
        self.checklist.clear()
        for label, covered in items:
            it = QListWidgetItem(("✔ " if covered else "○ ") + label)
            it.setData(Qt.UserRole, covered)
            it.setForeground(QColor("#2e7d32") if covered else QColor("#757575"))
            it.setToolTip("已写到" if covered else "还没有写到这一方面")
            self.checklist.addItem(it)

        # mismatch spans: only when the editor shows the report's text
        spans = rules.text_number_mismatches(report, self.section_id) \
            if self.editor.shown_text() == text else []
        self.editor.spans = list(spans)
        sels = []
        for s, e, _msg in spans:
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(MISMATCH_COLOR)
            fmt.setForeground(MISMATCH_LINE)
            fmt.setUnderlineStyle(QTextCharFormat.WaveUnderline)
            fmt.setUnderlineColor(MISMATCH_LINE)
            sel.format = fmt
            c = QTextCursor(self.editor.document())
            c.setPosition(s)
            c.setPosition(e, QTextCursor.KeepAnchor)
            sel.cursor = c
            sels.append(sel)
        self.editor.setExtraSelections(sels)

        self.findings_list.clear()
        found = sorted(self.doc.findings_for_section(self.section_id), key=lambda f: int(f.severity))
        for fd in found:
            it = QListWidgetItem(f"【{fd.severity.label}】{fd.message}")
            it.setData(Qt.UserRole, fd)
            it.setForeground(QColor({Severity.ERROR: "#c62828", Severity.WARNING: "#b26a00",
                                     Severity.INFO: "#1565c0"}[fd.severity]))
            it.setToolTip(f"{fd.rule}：{fd.message}")
            self.findings_list.addItem(it)
        if not found:
            it = QListWidgetItem("没有发现问题。")
            it.setFlags(Qt.NoItemFlags)
            self.findings_list.addItem(it)

    def checklist_state(self) -> list[tuple[str, bool]]:
        """(label, ticked) as shown (brought up to date first if out of sight)."""
        if self._stale:
            self.refresh()
        out = []
        for i in range(self.checklist.count()):
            it = self.checklist.item(i)
            out.append((it.text()[2:], bool(it.data(Qt.UserRole))))
        return out

    def highlighted_spans(self) -> list[tuple[int, int]]:
        if self._stale:
            self.refresh()
        return [(s.cursor.selectionStart(), s.cursor.selectionEnd())
                for s in self.editor.extraSelections()]

    def _finding_activated(self, item: QListWidgetItem) -> None:
        fd = item.data(Qt.UserRole)
        if isinstance(fd, Finding):
            self.focus_finding(fd)
            self.activated.emit(fd)

    def focus_finding(self, finding: Finding) -> None:
        """Put the cursor on the text the finding is about (its number, if any)."""
        self.refresh()
        target = None
        for s, e, msg in self.editor.spans:
            if msg == finding.message:
                target = (s, e)
                break
        if target is None and place(finding).cells and self.editor.spans:
            target = self.editor.spans[0][:2]
        cur = self.editor.textCursor()
        if target is not None:
            cur.setPosition(target[0])
            cur.setPosition(target[1], QTextCursor.KeepAnchor)
        self.editor.setTextCursor(cur)
        self.editor.ensureCursorVisible()
        self.editor.setFocus()

    # ------------------------------------------------------------------
    # last year
    # ------------------------------------------------------------------
    def _update_baseline(self) -> None:
        base = self.doc.report.baseline
        if base is None:
            self.baseline_button.setChecked(False)
            self.baseline_button.setEnabled(False)
            self.baseline_button.setToolTip("没有上年报告。可通过“导入上年报告”设置上年基线。")
            self.baseline_view.setPlainText("")
            return
        self.baseline_button.setEnabled(True)
        self.baseline_button.setToolTip("在右侧显示上年报告的本部分内容，供参考（请勿照抄）")
        year = f"{base.year} 年" if base.year else "上年"
        self.baseline_title.setText(f"{year}报告的本部分内容（只读，供参考）：")
        text = fields.resolve(base.sections.get(self.section_id, "") or "", base)
        if self.baseline_view.toPlainText() != text:
            self.baseline_view.setPlainText(text or "（上年报告这一部分是空的）")

    def _toggle_baseline(self, on: bool) -> None:
        self.baseline_pane.setVisible(on)
        self.baseline_button.setText("隐藏上年内容(&L)" if on else "显示上年内容(&L)")

    def sizeHint(self) -> QSize:
        return QSize(900, 600)
