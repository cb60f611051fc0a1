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

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
    QSplitter, QTextEdit, QToolTip, QVBoxLayout, QWidget,
)

from model import narrative as nv
from model import rules
from model.findings import Finding, Severity
from model.schema import SECTION_BY_ID

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


class SectionEditor(QPlainTextEdit):
    """A plain-text editor whose undo/redo keys act on the document's undo stack,
    and which shows the message of a highlighted span as its tooltip."""

    def __init__(self, undo_stack, parent=None) -> None:
        super().__init__(parent)
        self._stack = undo_stack
        self.spans: list[tuple[int, int, str]] = []
        self.setUndoRedoEnabled(False)

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.Undo):
            self._stack.undo()
            return
        if event.matches(QKeySequence.Redo):
            self._stack.redo()
            return
        super().keyPressEvent(event)

    def span_at(self, pos: int) -> tuple[int, int, str] | None:
        for s, e, msg in self.spans:
            if s <= pos < e:
                return s, e, msg
        return None

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.ToolTip:
            pos = self.cursorForPosition(event.pos()).position()
            span = self.span_at(pos)
            if span is not None:
                QToolTip.showText(event.globalPos(), span[2], self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)


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
        buttons.addStretch(1)
        self.baseline_button = QPushButton("显示上年内容")
        self.baseline_button.setCheckable(True)
        self.baseline_button.toggled.connect(self._toggle_baseline)
        buttons.addWidget(self.baseline_button)

        # ---- editor
        self.editor = SectionEditor(doc.undo_stack)
        self.editor.setPlaceholderText(f"在这里填写“{sdef.heading}”的内容。每段一行，"
                                       "小标题用（一）（二）……")
        self.editor.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        ef = self.editor.font()
        ef.setPointSizeF(ef.pointSizeF() * 1.15)
        self.editor.setFont(ef)
        self.editor.setPlainText(doc.report.sections.get(section_id, ""))
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

        body = QHBoxLayout()
        body.addWidget(self.splitter, 1)
        body.addWidget(side_w)

        lay = QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addLayout(buttons)
        lay.addLayout(body, 1)

        # ---- live updates
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        doc.sectionChanged.connect(self._section_changed)
        doc.findingsChanged.connect(self._timer.start)
        doc.reportReplaced.connect(self._report_replaced)
        doc.metaChanged.connect(self._update_baseline)
        self._update_baseline()
        self.refresh()

    # ------------------------------------------------------------------
    # editing
    # ------------------------------------------------------------------
    def text(self) -> str:
        return self.editor.toPlainText()

    def _editor_changed(self) -> None:
        if self._updating:
            return
        self._updating = True
        try:
            self.doc.set_section(self.section_id, self.editor.toPlainText())
        finally:
            self._updating = False
        self._timer.start()

    def _section_changed(self, section_id: str) -> None:
        if section_id != self.section_id or self._updating:
            return
        self._sync_editor()
        self._timer.start()

    def _report_replaced(self) -> None:
        self._sync_editor()
        self._update_baseline()
        self.refresh()

    def _sync_editor(self) -> None:
        """Bring the editor in line with the report, touching only what differs."""
        new = self.doc.report.sections.get(self.section_id, "") or ""
        old = self.editor.toPlainText()
        if new == old:
            return
        # common prefix and suffix: replace only the middle
        p = 0
        n = min(len(old), len(new))
        while p < n and old[p] == new[p]:
            p += 1
        s = 0
        while s < n - p and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
            s += 1
        cur = self.editor.textCursor()
        pos = cur.position()
        self._updating = True
        try:
            c = QTextCursor(self.editor.document())
            c.setPosition(p)
            c.setPosition(len(old) - s, QTextCursor.KeepAnchor)
            c.insertText(new[p:len(new) - s])
        finally:
            self._updating = False
        # keep the cursor where it was, or at the end of the changed part
        if pos <= p:
            new_pos = pos
        elif pos >= len(old) - s:
            new_pos = pos + len(new) - len(old)
        else:
            new_pos = len(new) - s
        cur = self.editor.textCursor()
        cur.setPosition(max(0, min(new_pos, len(new))))
        self.editor.setTextCursor(cur)

    def insert_text(self, snippet: str) -> None:
        """Insert a standard sentence as its own paragraph at the cursor (one undo step)."""
        text = self.editor.toPlainText()
        cur = self.editor.textCursor()
        pos = cur.position()
        if not self.editor.hasFocus() and pos == 0 and text:
            pos = len(text)         # never clicked into: add at the end
        before, after = text[:pos], text[pos:]
        ins = snippet
        if before and not before.endswith("\n"):
            ins = "\n" + ins
        if after and not after.startswith("\n"):
            ins = ins + "\n"
        new = before + ins + after
        self.doc.set_section(self.section_id, new, merge=False)
        cur = self.editor.textCursor()
        cur.setPosition(len(before) + len(ins.rstrip("\n")))
        self.editor.setTextCursor(cur)
        self.editor.setFocus()

    # ------------------------------------------------------------------
    # checklist, mismatches, findings
    # ------------------------------------------------------------------
    def refresh(self) -> None:
        """Checklist, highlighting and the findings list from the current report."""
        self._timer.stop()
        report = self.doc.report
        text = report.sections.get(self.section_id, "") or ""

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
            if self.editor.toPlainText() == text else []
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
        """(label, ticked) as shown."""
        out = []
        for i in range(self.checklist.count()):
            it = self.checklist.item(i)
            out.append((it.text()[2:], bool(it.data(Qt.UserRole))))
        return out

    def highlighted_spans(self) -> list[tuple[int, int]]:
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
        if target is None and finding.rule in ("N1", "N2", "N3", "N4") and self.editor.spans:
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
        text = base.sections.get(self.section_id, "") or ""
        if self.baseline_view.toPlainText() != text:
            self.baseline_view.setPlainText(text or "（上年报告这一部分是空的）")

    def _toggle_baseline(self, on: bool) -> None:
        self.baseline_pane.setVisible(on)
        self.baseline_button.setText("隐藏上年内容" if on else "显示上年内容")

    def sizeHint(self) -> QSize:
        return QSize(900, 600)
