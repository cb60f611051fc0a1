"""查找/替换 across the text sections (一、五、六): Ctrl+F finds, Ctrl+H replaces.

The search runs over the text as shown (figures bound into the text are found as
their figures); replacing goes through the section editor, so every replacement is
an undo step of the document, and 全部替换 is one step for all sections.  A figure
bound into the text is never split by a replacement.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from model import narrative as nv

SECTIONS = ("overview", "problems", "other")       # the text steps, in the window's order


class FindReplaceDialog(QDialog):
    """A tool window over the main window's text pages (``window.pages``)."""

    def __init__(self, window, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window_ = window
        self.setWindowTitle("查找和替换")
        self.setModal(False)
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("要查找的文字")
        self.replace_edit = QLineEdit()
        self.replace_edit.setPlaceholderText("替换成的文字（可为空）")
        form = QFormLayout()
        form.addRow("查找(&N)：", self.find_edit)
        self.replace_label = QLabel("替换为(&P)：")
        self.replace_label.setBuddy(self.replace_edit)
        form.addRow(self.replace_label, self.replace_edit)
        self.status = QLabel("在“一、总体情况”“五、存在的主要问题及改进情况”“六、其他需要报告的事项”中查找。")
        self.status.setWordWrap(True)
        self.next_button = QPushButton("查找下一个(&F)")
        self.next_button.setDefault(True)
        self.replace_button = QPushButton("替换(&R)")
        self.replace_all_button = QPushButton("全部替换(&A)")
        close = QPushButton("关闭")
        close.setAutoDefault(False)
        for b in (self.replace_button, self.replace_all_button):
            b.setAutoDefault(False)
        self.next_button.clicked.connect(self.find_next)
        self.replace_button.clicked.connect(self.replace_one)
        self.replace_all_button.clicked.connect(self.replace_all)
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(self.next_button)
        row.addWidget(self.replace_button)
        row.addWidget(self.replace_all_button)
        row.addStretch(1)
        row.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.status)
        lay.addLayout(row)
        self.setMinimumWidth(460)
        self._placed = False

    # ------------------------------------------------------------------
    def show_mode(self, replace: bool) -> None:
        """Ctrl+F (replace=False) or Ctrl+H: show, with the editor's selection to find."""
        for w in (self.replace_label, self.replace_edit, self.replace_button, self.replace_all_button):
            w.setVisible(replace)
        self.setWindowTitle("查找和替换" if replace else "查找")
        page = self._current_page()
        if page is not None:
            sel = page.editor.textCursor().selectedText()
            if sel and "\u2029" not in sel:
                self.find_edit.setText(sel)
        if not self._placed:
            # beside the text, not over it: the top right of the window
            self._placed = True
            self.adjustSize()
            win = self.window_.frameGeometry()
            self.move(win.right() - self.width() - 40, win.top() + 90)
        self.show()
        self.raise_()
        self.activateWindow()
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def _current_page(self):
        step = self.window_.current_step()
        return self.window_.pages[step] if step in SECTIONS else None

    def _order(self) -> list[tuple[str, int]]:
        """(section, start position) to search, from the cursor on, wrapping round."""
        step = self.window_.current_step()
        if step in SECTIONS:
            i = SECTIONS.index(step)
            cur = self.window_.pages[step].editor.textCursor()
            start = max(cur.selectionEnd(), cur.position())
            rest = [(SECTIONS[(i + k) % len(SECTIONS)], 0) for k in range(1, len(SECTIONS))]
            return [(step, start), *rest, (step, 0)]
        return [(s, 0) for s in SECTIONS]

    def find_next(self) -> bool:
        needle = self.find_edit.text()
        if not needle:
            self.status.setText("请输入要查找的文字。")
            return False
        total = sum(len(nv.find_all(self.window_.pages[s].editor.toPlainText(), needle))
                    for s in SECTIONS)
        for sid, start in self._order():
            page = self.window_.pages[sid]
            text = page.editor.toPlainText()
            hits = [h for h in nv.find_all(text, needle) if h[0] >= start]
            if hits:
                self.window_.show_step(sid)
                cur = page.editor.textCursor()
                cur.setPosition(hits[0][0])
                cur.setPosition(hits[0][1], QTextCursor.MoveMode.KeepAnchor)
                page.editor.setTextCursor(cur)
                page.editor.ensureCursorVisible()
                self.status.setText(f"共找到 {total} 处。")
                return True
        self.status.setText(f"没有找到“{needle}”。")
        return False

    def replace_one(self) -> None:
        needle = self.find_edit.text()
        page = self._current_page()
        if needle and page is not None and page.editor.textCursor().selectedText() == needle:
            page.editor.insert_plain(self.replace_edit.text(), atomic=True)
        self.find_next()

    def replace_all(self) -> int:
        needle, repl = self.find_edit.text(), self.replace_edit.text()
        if not needle:
            self.status.setText("请输入要查找的文字。")
            return 0
        doc = self.window_.doc
        changes = {}
        count = 0
        for sid in SECTIONS:
            new, n = nv.replace_outside_fields(doc.report.sections.get(sid, "") or "", needle, repl)
            if n:
                changes[sid] = new
                count += n
        if changes:
            doc.undo_stack.beginMacro(f"全部替换“{needle}”")
            for sid, new in changes.items():
                doc.set_section(sid, new, merge=False)
            doc.undo_stack.endMacro()
        self.status.setText(f"已替换 {count} 处。" if count else f"没有找到“{needle}”。")
        return count

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)
