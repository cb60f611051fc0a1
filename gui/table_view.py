"""Views of the official tables: merged headers from the schema grid, Excel-like typing,
paste of a block copied from Excel/WPS as one undo step, copy of a block out.
"""
from __future__ import annotations

import csv
import io

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QModelIndex, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QAbstractItemDelegate, QApplication, QAbstractItemView, QAbstractScrollArea,
                               QHeaderView, QLabel,
                               QLineEdit, QMenu, QPushButton, QHBoxLayout, QStyledItemDelegate,
                               QTableView, QVBoxLayout, QWidget)

from model.schema import CELLS, SECTION_BY_ID, T3_COLUMNS, TABLES

from .document import TOTAL_READONLY_MESSAGE, ReportDocument
from .table_models import GridTableModel, T3Model, model_for

PASTE_LABEL = "粘贴"
GRID_COLOR = "#8a8f98"
NOTE_MS = 8000          # how long a note under a cell stays
CLEAR_LABEL = "清除"
ROW_PAD = 10            # pixels above and below a row's text
ROW_PAD_SMALL = 5       # on a screen less than SMALL_SCREEN_HEIGHT high
SMALL_SCREEN_HEIGHT = 900


def parse_clipboard_table(text: str) -> list[list[str]]:
    """Rows of cells from text copied out of Excel or WPS (tab-separated, quoted cells).

    A cell holding a tab or a line break arrives quoted; the last line break
    of the block is not an empty row.
    """
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quotechar='"'))
    return [row if row else [""] for row in rows]


def format_clipboard_table(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", quotechar='"', lineterminator="\n",
                   quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        w.writerow(row)
    return buf.getvalue()


class CellDelegate(QStyledItemDelegate):
    """A plain line edit, centred, its text selected so typing replaces it."""

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        editor.setFrame(False)
        return editor

    def setEditorData(self, editor, index):
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.selectAll()

    def setModelData(self, editor, model, index):
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def destroyEditor(self, editor, index):
        # taken out of the table at once: removed later (deleteLater) it made the table
        # paint a second time after each committed keystroke
        editor.hide()
        editor.setParent(None)
        editor.deleteLater()


class ReportTableView(QTableView):
    """One official table drawn like the printed one, edited like a spreadsheet."""

    #: a message for the status bar (refused input, paste summary)
    message = Signal(str)

    def __init__(self, model: GridTableModel, parent: QWidget | None = None):
        super().__init__(parent)
        self._model = model
        self.setModel(model)
        self.setItemDelegate(CellDelegate(self))
        for r, c, rs, cs in model.spans():
            self.setSpan(r, c, rs, cs)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        # as in Excel: typing replaces, double-click or F2 edits.  No SelectedClicked: it
        # opens its editor a double-click interval after the click and throws away what
        # was typed meanwhile
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setTabKeyNavigation(True)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setStyleSheet(f"QTableView {{ gridline-color: {GRID_COLOR}; }}")
        self._refused: tuple[QModelIndex, str] | None = None
        self._focus_in_editor = False
        self._fitted_width = -1
        self.last_message = ""
        # the inline note under a cell (refused input, paste problems)
        self.note = QLabel(self.viewport())
        self.note.setObjectName("cellNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("QLabel#cellNote { background: #fff8dc; color: #7a1c14;"
                                " border: 1px solid #c9a227; padding: 4px 6px; }")
        self.note.hide()
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_MS)
        self._note_timer.timeout.connect(self.note.hide)
        model.inputRefused.connect(self._on_refused)
        self._make_actions()
        start = self.first_editable()
        if start.isValid():
            self.setCurrentIndex(start)

    @property
    def table_model(self) -> GridTableModel:
        return self._model

    # ------------------------------------------------------------------
    # focus: moving between the view and its own cell editor repaints one cell,
    # not the whole table (QAbstractItemView repaints the viewport on every
    # focus change, which made each committed keystroke repaint 280 cells)
    # ------------------------------------------------------------------
    def _own_editor(self, widget) -> bool:
        return widget is not None and widget is not self and self.viewport().isAncestorOf(widget)

    def focusOutEvent(self, event) -> None:
        if self._own_editor(QApplication.focusWidget()):
            self._focus_in_editor = True
            QAbstractScrollArea.focusOutEvent(self, event)
            return
        self._focus_in_editor = False
        super().focusOutEvent(event)

    def focusInEvent(self, event) -> None:
        if self._focus_in_editor and self.currentIndex().isValid():
            # back from our own editor: only the selected cells change their look
            self._focus_in_editor = False
            QAbstractScrollArea.focusInEvent(self, event)
            region = self.visualRegionForSelection(self.selectionModel().selection())
            self.viewport().update(region.united(self.visualRect(self.currentIndex())))
            return
        self._focus_in_editor = False
        super().focusInEvent(event)

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def _make_actions(self) -> None:
        self.copy_action = QAction("复制", self)
        self.copy_action.triggered.connect(self.copy_selection)
        self.paste_action = QAction(PASTE_LABEL, self)
        self.paste_action.triggered.connect(self.paste_from_clipboard)
        self.clear_action = QAction(CLEAR_LABEL, self)
        self.clear_action.triggered.connect(self.clear_selection)

    def contextMenuEvent(self, event) -> None:
        menu = QMenu(self)
        menu.addAction(self.copy_action)
        menu.addAction(self.paste_action)
        menu.addAction(self.clear_action)
        menu.exec(event.globalPos())

    # ------------------------------------------------------------------
    # navigation
    # ------------------------------------------------------------------
    def first_editable(self) -> QModelIndex:
        m = self._model
        for r in range(m.rowCount()):
            for c in range(m.columnCount()):
                if m.is_editable(r, c):
                    return m.index(r, c)
        return QModelIndex()

    def _target(self, row: int, col: int) -> tuple[int, int] | None:
        g = self._model.covering(row, col)
        if g is None or g.cell_id is None or CELLS[g.cell_id].is_total:
            return None
        return g.row, g.col

    def next_editable(self, index: QModelIndex, direction: str) -> QModelIndex:
        """The next cell a clerk can type into: ``down``, ``up``, ``right`` or ``left``."""
        m = self._model
        if not index.isValid():
            return self.first_editable()
        g = m.covering(index.row(), index.column())
        r0, c0 = index.row(), index.column()
        rows, cols = m.rowCount(), m.columnCount()
        if direction in ("down", "up"):
            step = 1 if direction == "down" else -1
            start = (g.row + g.rowspan) if (g and step > 0) else (g.row - 1 if g else r0 + step)
            r = start
            while 0 <= r < rows:
                t = self._target(r, c0)
                if t is not None:
                    return m.index(*t)
                r += step
            return index
        # right / left: along the row, then on to the next / previous row
        step = 1 if direction == "right" else -1
        flat = [(r, c) for r in range(rows) for c in range(cols)]
        pos = r0 * cols + (((g.col + g.colspan) - 1) if (g and step > 0) else (g.col if g else c0))
        i = pos + step
        while 0 <= i < len(flat):
            r, c = flat[i]
            t = self._target(r, c)
            if t is not None and t == (r, c):
                return m.index(r, c)
            i += step
        return index

    def move_current(self, direction: str) -> None:
        nxt = self.next_editable(self.currentIndex(), direction)
        if nxt.isValid():
            self.setCurrentIndex(nxt)
            self.scrollTo(nxt)

    def closeEditor(self, editor, hint) -> None:
        move = {QAbstractItemDelegate.EndEditHint.SubmitModelCache: "down",
                QAbstractItemDelegate.EndEditHint.EditNextItem: "right",
                QAbstractItemDelegate.EndEditHint.EditPreviousItem: "left"}.get(hint)
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        refused, self._refused = self._refused, None
        if refused is not None:
            self.setCurrentIndex(refused[0])
            return
        if self.note.isVisible():
            self.note.hide()            # the refusal it explained no longer stands
        if move:
            self.move_current(move)

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_from_clipboard()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        if self.state() != QAbstractItemView.State.EditingState:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.move_current("up" if event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                                  else "down")
                return
            if key == Qt.Key.Key_Tab:
                self.move_current("right")
                return
            if key == Qt.Key.Key_Backtab:
                self.move_current("left")
                return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear_selection()
                return
            text = event.text()
            if text and text.isprintable() and not event.modifiers() & (
                    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
                cid = self._model.cell_id_at(self.currentIndex())
                if cid is not None and CELLS[cid].is_total:
                    # typing into a computed total: say why nothing happens
                    self.show_message(TOTAL_READONLY_MESSAGE, self.currentIndex())
                    return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab stays inside the table (it moves to the next cell)
        if self.state() == QAbstractItemView.State.EditingState:
            return super().focusNextPrevChild(next)
        self.move_current("right" if next else "left")
        return True

    # ------------------------------------------------------------------
    # messages
    # ------------------------------------------------------------------
    def show_message(self, text: str, index: QModelIndex | None = None) -> None:
        """Tell the clerk: in the status bar (via :attr:`message`) and, for a cell,
        in a note right under it that disappears after a few seconds."""
        self.last_message = text
        self.message.emit(text)
        if index is None or not index.isValid():
            self.note.hide()
            return
        self.note.setText(text)
        self.note.setMaximumWidth(max(240, self.viewport().width() // 2))
        self.note.adjustSize()
        rect = self.visualRect(index)
        x = min(max(0, rect.left()), max(0, self.viewport().width() - self.note.width()))
        y = rect.bottom() + 2
        if y + self.note.height() > self.viewport().height():
            y = max(0, rect.top() - self.note.height() - 2)
        self.note.move(x, y)
        self.note.show()
        self.note.raise_()
        self._note_timer.start()

    def _on_refused(self, index: QModelIndex, message: str) -> None:
        self._refused = (index, message)
        self.show_message(message, index)

    # ------------------------------------------------------------------
    # selecting a cell (jump from a finding)
    # ------------------------------------------------------------------
    def select_cell(self, cell_id: str) -> bool:
        idx = self._model.index_of(cell_id)
        if not idx.isValid():
            return False
        self.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(idx, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def select_cells(self, cell_ids) -> bool:
        """Select every listed cell of this table, the first one current."""
        idxs = [self._model.index_of(c) for c in cell_ids]
        idxs = [i for i in idxs if i.isValid()]
        if not idxs:
            return False
        sel = QItemSelection()
        for i in idxs:
            sel.select(i, i)
        sm = self.selectionModel()
        sm.setCurrentIndex(idxs[0], QItemSelectionModel.SelectionFlag.NoUpdate)
        sm.select(sel, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(idxs[0], QAbstractItemView.ScrollHint.PositionAtCenter)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # ------------------------------------------------------------------
    # copy / paste / clear
    # ------------------------------------------------------------------
    def selection_text(self) -> str:
        """The selected block as tab-separated text (labels and values as shown)."""
        idxs = self.selectedIndexes() or ([self.currentIndex()] if self.currentIndex().isValid()
                                          else [])
        if not idxs:
            return ""
        r0 = min(i.row() for i in idxs)
        r1 = max(i.row() for i in idxs)
        c0 = min(i.column() for i in idxs)
        c1 = max(i.column() for i in idxs)
        chosen = {(i.row(), i.column()) for i in idxs}
        rows = []
        for r in range(r0, r1 + 1):
            row = []
            for c in range(c0, c1 + 1):
                text = ""
                if (r, c) in chosen:
                    text = str(self._model.index(r, c).data(Qt.ItemDataRole.DisplayRole) or "")
                row.append(text)
            rows.append(row)
        return format_clipboard_table(rows)

    def copy_selection(self) -> None:
        text = self.selection_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    def paste_from_clipboard(self) -> list[str]:
        return self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> list[str]:
        """Paste a block at the current cell as one undo step; returns the refusals.

        Totals and labels under the block are skipped (totals are computed);
        an entry that is not a valid number is listed and not applied.
        """
        block = parse_clipboard_table(text)
        if not block:
            self.show_message("剪贴板中没有可粘贴的内容")
            return []
        cur = self.currentIndex()
        if not cur.isValid():
            cur = self.first_editable()
        m = self._model
        doc: ReportDocument = m.doc
        g0 = m.covering(cur.row(), cur.column())
        r0, c0 = (g0.row, g0.col) if g0 else (cur.row(), cur.column())
        states = {}
        errors: list[str] = []
        pasted_totals: dict[str, tuple[str, object]] = {}
        outside = 0
        for i, row in enumerate(block):
            for j, text_ in enumerate(row):
                r, c = r0 + i, c0 + j
                if r >= m.rowCount() or c >= m.columnCount():
                    if text_.strip():
                        outside += 1
                    continue
                g = m.grid_cell(r, c)
                if g is None or g.cell_id is None:
                    continue
                if CELLS[g.cell_id].is_total:
                    # computed, not pasted; compared with the computed sum below
                    value, _raw, err = doc.parse_cell_text(g.cell_id, text_)
                    if text_.strip() and not err and value is not None:
                        pasted_totals[g.cell_id] = (text_.strip(), value)
                    continue
                value, raw, err = doc.parse_cell_text(g.cell_id, text_)
                if err:
                    errors.append(f"“{CELLS[g.cell_id].label}”：{err}")
                    continue
                states[g.cell_id] = (value, raw)
        if states:
            doc.set_cell_states(states, PASTE_LABEL)
        differ = []
        for cid, (shown, value) in pasted_totals.items():
            have = doc.report.values.get(cid)
            if have != value:
                differ.append(f"“{CELLS[cid].label}”粘贴的是 {shown}，各项之和为 "
                              f"{m.index_of(cid).data(Qt.ItemDataRole.DisplayRole) or have}")
        parts = []
        if states:
            parts.append(f"已粘贴 {len(states)} 个单元格")
        if differ:
            parts.append(f"以下 {len(differ)} 个合计与粘贴的各项之和不符，合计按各项之和计算：\n"
                         + "\n".join(differ))
        if errors:
            parts.append(f"以下 {len(errors)} 项不是有效数字，未粘贴：\n" + "\n".join(errors))
        if outside:
            parts.append(f"有 {outside} 项超出表格范围，未粘贴")
        if not parts:
            parts.append("没有可粘贴的单元格（合计栏和标题栏不接受粘贴）")
        self.show_message("；".join(parts), cur if errors or differ else None)
        return errors

    def clear_selection(self) -> None:
        """Empty the selected cells that can be typed into (one undo step)."""
        ids = []
        for i in self.selectedIndexes() or [self.currentIndex()]:
            cid = self._model.cell_id_at(i)
            if cid and not CELLS[cid].is_total:
                ids.append(cid)
        if ids:
            self._model.doc.set_cells({c: None for c in ids}, CLEAR_LABEL)

    # ------------------------------------------------------------------
    # sizing: column widths in the schema's proportions, rows high enough for wrapped labels
    # ------------------------------------------------------------------
    def _min_col_width(self, col: int) -> int:
        fm = QFontMetrics(self._bold_font())
        need = fm.horizontalAdvance("8888888") + 12
        for g in self._model.table.grid:
            if g.col == col and g.colspan == 1 and g.role == "header":
                # header words wrap, but one line should hold at least four characters
                need = max(need, fm.horizontalAdvance(g.text[:4]) + 14)
        return need

    def _bold_font(self) -> QFont:
        f = QFont(self.font())
        f.setBold(True)
        return f

    def fit_columns(self, width: int | None = None) -> None:
        t = self._model.table
        units = list(t.col_widths) if t.col_widths else [1.0] * t.n_cols
        avail = (width if width is not None else self.viewport().width()) - 2
        mins = [self._min_col_width(c) for c in range(t.n_cols)]
        scale = max(avail / sum(units), max(m / u for m, u in zip(mins, units, strict=True)))
        widths = [max(mins[c], int(units[c] * scale)) for c in range(t.n_cols)]
        extra = avail - sum(widths)
        if extra > 0:
            widths[-1] += extra
        for c, w in enumerate(widths):
            self.setColumnWidth(c, w)
        self.fit_rows()

    def fit_rows(self) -> None:
        m = self._model
        fm_plain = QFontMetrics(self.font())
        fm_bold = QFontMetrics(self._bold_font())
        # rows closer together on a small screen (1366×768): table 三 shows most of its rows
        from .windowfit import available
        pad = ROW_PAD_SMALL if available(self).height() < SMALL_SCREEN_HEIGHT else ROW_PAD
        base = fm_plain.height() + pad
        heights = [base] * m.rowCount()
        tall = []
        for r in range(m.rowCount()):
            for c in range(m.columnCount()):
                idx = m.index(r, c)
                text = idx.data(Qt.ItemDataRole.DisplayRole)
                if not text:
                    continue
                rs, cs = self.rowSpan(r, c), self.columnSpan(r, c)
                w = sum(self.columnWidth(c + k) for k in range(cs)) - 10
                fm = fm_bold if isinstance(idx.data(Qt.ItemDataRole.FontRole), QFont) \
                    and idx.data(Qt.ItemDataRole.FontRole).bold() else fm_plain
                h = fm.boundingRect(QRect(0, 0, max(w, 10), 100000),
                                    int(Qt.TextFlag.TextWordWrap), str(text)).height() + pad
                if rs == 1:
                    heights[r] = max(heights[r], h)
                else:
                    tall.append((r, rs, h))
        for r, rs, h in tall:
            have = sum(heights[r:r + rs])
            if have < h:
                add = -(-(h - have) // rs)
                for k in range(rs):
                    heights[r + k] += add
        for r, h in enumerate(heights):
            self.setRowHeight(r, h)

    def preferred_height(self) -> int:
        return sum(self.rowHeight(r) for r in range(self._model.rowCount())) + 2 * self.frameWidth()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        w = self.viewport().width()
        if w != self._fitted_width:
            self._fitted_width = w
            self.fit_columns(w)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fitted_width = -1
            self.fit_columns()


class TablePage(QWidget):
    """A step page for one table: the section heading, the table, a hint, 重新计算合计."""

    def __init__(self, doc: ReportDocument, table_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        table = TABLES[table_id]
        self.model = model_for(doc, table_id, self)
        self.view = ReportTableView(self.model, self)
        heading = QLabel(SECTION_BY_ID[table.section].heading, self)
        f = heading.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        heading.setFont(f)
        hint = QLabel("直接输入数字，回车到下一行、Tab 到右一格；可从 Excel/WPS 复制一块数据后粘贴"
                      "（Ctrl+V）。合计栏（蓝底粗体）自动计算。", self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.recompute_button = QPushButton("重新计算合计(&R)", self)
        self.recompute_button.setToolTip("把本报告所有合计栏改为各项之和（可撤销）")
        self.recompute_button.clicked.connect(doc.recompute_totals)
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.recompute_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(hint)
        # table 三: the 勾稽 state in one line above the table too (the row under the
        # table may be scrolled out of sight)
        self.balance_label: QLabel | None = None
        if isinstance(self.model, T3Model):
            self.balance_label = QLabel(self)
            self.balance_label.setWordWrap(True)
            doc.findingsChanged.connect(self.refresh_balance)
            doc.reportReplaced.connect(self.refresh_balance)
            lay.addWidget(self.balance_label)
            self.refresh_balance()
        lay.addWidget(self.view, 1)
        self._base_point_size = self.view.font().pointSizeF()
        self.zoom = 1.0

    def set_zoom(self, factor: float) -> None:
        """Show the table ``factor`` times its normal size (columns and rows refit)."""
        self.zoom = factor
        f = self.view.font()
        f.setPointSizeF(self._base_point_size * factor)
        self.view.setFont(f)

    def refresh_balance(self) -> None:
        m = self.model
        bad = []
        for col_id, label in T3_COLUMNS:
            ok, diff = m.check_state(col_id)
            if not ok:
                # the same words as the problems list (T3-3): 相差 is a distance
                bad.append(f"{label}列相差 {abs(diff)}" if diff else f"{label}列")
        if bad:
            text = "✗ 勾稽关系（一+二＝三+四）不平：" + "，".join(bad)
            style = "color: #b3261e; font-weight: bold;"
        else:
            text = "✓ 勾稽关系（一+二＝三+四）各列均平衡"
            style = "color: #2e7d32; font-weight: bold;"
        if self.balance_label.text() != text:
            self.balance_label.setText(text)
        if self.balance_label.styleSheet() != style:     # set again, it re-polishes the label
            self.balance_label.setStyleSheet(style)
