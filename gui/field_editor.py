"""The section editor: plain text with figures bound to the tables (``model.fields``).

The report stores a field as a token (``⟦t3.new.total⟧``) in the section text;
the editor shows it as the figure itself, on a light-blue background, with a
tooltip naming it.  The editor's plain text is therefore the *resolved* text —
what every export publishes and what ``rules.text_number_mismatches`` measures
its spans in.

A field is one run of characters whose char format carries its key, a serial
number (so two adjacent fields stay two) and the figure it showed.  It behaves
as one thing: Backspace/Delete remove it whole, a selection that touches it
takes it whole, the cursor does not stop inside it, and text typed next to it
never becomes part of it.  :meth:`FieldEditor.token_text` turns the content back
into the report's text; a field whose characters were damaged some other way
falls back to plain text, so nothing the clerk sees is ever lost.

Undo/redo keys act on the document's undo stack (one history for the whole
report); copying gives the figures as plain text (and the fields themselves to
a paste in another section editor).
"""
from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData, Qt
from PySide6.QtGui import QColor, QKeySequence, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QToolTip

from model import fields

FIELD_KEY = int(QTextFormat.Property.UserProperty) + 1
FIELD_ID = int(QTextFormat.Property.UserProperty) + 2
FIELD_TEXT = int(QTextFormat.Property.UserProperty) + 3
FIELD_BACKGROUND = QColor("#d7e8fb")
FIELD_FOREGROUND = QColor("#0d3c78")
MIME_SECTION = "application/x-nianbao-section-text"

_serial = itertools.count(1)

# Unit of content, for diffing the editor against the report:
#   ("c", ch)            a plain character ("\n" between paragraphs)
#   ("f", key, shown)    an intact field showing ``shown``
#   ("d", ch)            a character of a damaged field (shown as a field, stored as text)
Unit = tuple


def field_tooltip(key: str) -> str:
    d = fields.field_def(key)
    name = d.label if d is not None else f"未知字段 {key}"
    return f"{name}（随表格自动更新）"


def token_units(text: str, value_of: Callable[[str], str]) -> list[Unit]:
    """The units of a section text as stored in the report (tokens resolved)."""
    out: list[Unit] = []
    pos = 0
    for s, e, key in fields.fields_in(text):
        out.extend(("c", ch) for ch in text[pos:s])
        out.append(("f", key, value_of(key)))
        pos = e
    out.extend(("c", ch) for ch in text[pos:])
    return out


def _unit_len(u: Unit) -> int:
    return len(u[2]) if u[0] == "f" else 1


class FieldEditor(QPlainTextEdit):
    """Plain-text section editor with atomic bound figures.

    ``value_of(key) -> str`` gives the figure a field shows (set by the page).
    ``spans`` are (start, end, message) ranges in the shown text that the page
    highlights; their message is the tooltip there.
    """

    def __init__(self, undo_stack, value_of: Callable[[str], str] | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self._stack = undo_stack
        self.value_of: Callable[[str], str] = value_of or (lambda key: fields.token(key))
        self.spans: list[tuple[int, int, str]] = []
        self._atomic = False
        self._damaged = False
        self._last_pos = 0
        self._snapping = False
        self.setUndoRedoEnabled(False)
        self.cursorPositionChanged.connect(self._snap_cursor)

    # ------------------------------------------------------------------
    # formats
    # ------------------------------------------------------------------
    @staticmethod
    def plain_format() -> QTextCharFormat:
        return QTextCharFormat()

    @staticmethod
    def field_format(key: str, shown: str) -> QTextCharFormat:
        f = QTextCharFormat()
        f.setBackground(FIELD_BACKGROUND)
        f.setForeground(FIELD_FOREGROUND)
        f.setProperty(FIELD_KEY, key)
        f.setProperty(FIELD_ID, next(_serial))
        f.setProperty(FIELD_TEXT, shown)
        return f

    # ------------------------------------------------------------------
    # reading the content
    # ------------------------------------------------------------------
    def _runs(self, start: int = 0, end: int | None = None):
        """(position, text, field) runs of the content; ``field`` is (id, key, shown) or None.

        Paragraph breaks are plain runs ``"\\n"``.  With ``start``/``end`` the
        runs are clipped to that range (a clipped field has ``whole=False``).
        """
        doc = self.document()
        if end is None:
            end = doc.characterCount() - 1
        block = doc.findBlock(start)
        first = True
        while block.isValid() and block.position() <= end:
            if not first:
                p = block.position() - 1
                if start <= p < end:
                    yield p, "\n", None
            first = False
            for it in block:
                frag = it.fragment()
                if not frag.isValid():
                    continue
                fp, ft = frag.position(), frag.text()
                fe = fp + len(ft)
                if fe <= start or fp >= end:
                    continue
                fmt = frag.charFormat()
                info = None
                if fmt.hasProperty(FIELD_ID):
                    info = (fmt.property(FIELD_ID), fmt.property(FIELD_KEY),
                            fmt.property(FIELD_TEXT), fp, fe)
                s, e = max(fp, start), min(fe, end)
                yield s, ft[s - fp:e - fp], info
            block = block.next()

    def _grouped(self, start: int = 0, end: int | None = None):
        """Runs with the fragments of one field joined: (pos, text, field_or_None, intact)."""
        pending = None            # [pos, text, info]
        for pos, text, info in self._runs(start, end):
            if pending is not None and info is not None and pending[2] is not None \
                    and pending[2][0] == info[0] and pending[0] + len(pending[1]) == pos:
                pending[1] += text
                continue
            if pending is not None:
                yield self._close(pending)
            pending = [pos, text, info]
        if pending is not None:
            yield self._close(pending)

    @staticmethod
    def _close(p):
        pos, text, info = p
        intact = info is not None and text == info[2]
        return pos, text, info, intact

    def units(self) -> list[Unit]:
        out: list[Unit] = []
        for _pos, text, info, intact in self._grouped():
            if info is None:
                out.extend(("c", ch) for ch in text)
            elif intact:
                out.append(("f", info[1], text))
            else:
                out.extend(("d", ch) for ch in text)
        return out

    def token_text(self, start: int = 0, end: int | None = None) -> str:
        """The content as the report stores it: every intact field as its token.

        A field whose characters no longer match the figure it showed (broken
        apart by an edit) is kept as the plain text that is left of it.
        """
        parts = []
        damaged = False
        for _pos, text, info, intact in self._grouped(start, end):
            parts.append(fields.token(info[1]) if intact else text)
            damaged = damaged or (info is not None and not intact)
        if start == 0 and end is None:
            self._damaged = damaged
        return "".join(parts)

    def has_damaged_fields(self) -> bool:
        """Whether the last full :meth:`token_text` met a broken field."""
        return self._damaged

    def shown_text(self) -> str:
        """The content as shown (fields as figures), paragraphs joined by ``\\n``."""
        parts = []
        block = self.document().firstBlock()
        while block.isValid():
            parts.append(block.text())
            block = block.next()
        return "\n".join(parts)

    def field_spans(self) -> list[tuple[int, int, str]]:
        """(start, end, key) of every intact field in the shown text."""
        return [(pos, pos + len(text), info[1])
                for pos, text, info, intact in self._grouped() if intact]

    def field_at(self, pos: int, inside_only: bool = False) -> tuple[int, int, str] | None:
        """The field whose characters include position ``pos`` (start ≤ pos < end);
        with ``inside_only``, the field that has ``pos`` strictly inside it."""
        doc = self.document()
        block = doc.findBlock(pos)
        if not block.isValid():
            return None
        lo = block.position()
        hi = lo + block.length() - 1
        for fpos, text, info, intact in self._grouped(lo, hi):
            if info is None or not intact:
                continue
            s, e = fpos, fpos + len(text)
            if inside_only:
                if s < pos < e:
                    return s, e, info[1]
            elif s <= pos < e:
                return s, e, info[1]
        return None

    # ------------------------------------------------------------------
    # writing the content
    # ------------------------------------------------------------------
    def _insert_units(self, cur: QTextCursor, units: list[Unit]) -> None:
        plain = self.plain_format()
        run: list[str] = []
        for u in units:
            if u[0] == "f":
                if run:
                    cur.insertText("".join(run), plain)
                    run = []
                cur.insertText(u[2], self.field_format(u[1], u[2]))
            else:
                run.append(u[1])
        if run:
            cur.insertText("".join(run), plain)
        # what is typed next is never part of a field
        cur.setCharFormat(plain)

    def set_token_text(self, text: str) -> None:
        """Show the report's ``text``, changing only what differs (cursor kept)."""
        new = token_units(text or "", self.value_of)
        old = self.units()
        if new == old:
            return
        n = min(len(old), len(new))
        p = 0
        while p < n and old[p] == new[p]:
            p += 1
        s = 0
        while s < n - p and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
            s += 1
        start = sum(_unit_len(u) for u in old[:p])
        old_len = sum(_unit_len(u) for u in old)
        old_end = old_len - sum(_unit_len(u) for u in old[len(old) - s:])
        mid = new[p:len(new) - s]
        mid_len = sum(_unit_len(u) for u in mid)
        new_len = old_len - (old_end - start) + mid_len

        pos = self.textCursor().position()
        self._snapping = True
        try:
            c = QTextCursor(self.document())
            c.setPosition(start)
            c.setPosition(old_end, QTextCursor.MoveMode.KeepAnchor)
            c.beginEditBlock()
            c.removeSelectedText()
            self._insert_units(c, mid)
            c.endEditBlock()
        finally:
            self._snapping = False
        if pos <= start:
            new_pos = pos
        elif pos >= old_end:
            new_pos = pos + new_len - old_len
        else:
            new_pos = start + mid_len
        cur = self.textCursor()
        cur.setPosition(max(0, min(new_pos, new_len)))
        self.setTextCursor(cur)
        self._last_pos = cur.position()

    def insert_field(self, key: str) -> None:
        """Insert a field at the cursor (replacing the selection), as one undo step."""
        cur = self.textCursor()
        self._expand_to_fields(cur)
        shown = self.value_of(key)
        self._atomic = True
        cur.beginEditBlock()
        if cur.hasSelection():
            cur.removeSelectedText()
        cur.insertText(shown, self.field_format(key, shown))
        cur.setCharFormat(self.plain_format())
        cur.endEditBlock()
        self._atomic = False
        self.setTextCursor(cur)
        self._last_pos = cur.position()

    def insert_plain(self, text: str, atomic: bool = False) -> None:
        """Insert plain text at the cursor (replacing the selection, fields taken whole)."""
        cur = self.textCursor()
        self._expand_to_fields(cur)
        self._atomic = atomic
        try:
            cur.insertText(text, self.plain_format())
        finally:
            self._atomic = False
        self.setTextCursor(cur)
        self._last_pos = cur.position()

    def take_atomic(self) -> bool:
        """True while the current change is a whole-field edit (its own undo step)."""
        return self._atomic

    # ------------------------------------------------------------------
    # atomic behaviour
    # ------------------------------------------------------------------
    def _expand_to_fields(self, cur: QTextCursor) -> None:
        """Grow a selection so that it takes every field it touches whole."""
        if not cur.hasSelection():
            return
        s, e = cur.selectionStart(), cur.selectionEnd()
        f = self.field_at(s)
        if f is not None:
            s = min(s, f[0])
        f = self.field_at(e - 1)
        if f is not None:
            e = max(e, f[1])
        anchor_first = cur.anchor() <= cur.position()
        cur.setPosition(s if anchor_first else e)
        cur.setPosition(e if anchor_first else s, QTextCursor.MoveMode.KeepAnchor)

    def _remove_field(self, span: tuple[int, int, str]) -> None:
        cur = self.textCursor()
        cur.setPosition(span[0])
        cur.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        self._atomic = True
        cur.removeSelectedText()
        self._atomic = False
        cur.setCharFormat(self.plain_format())
        self.setTextCursor(cur)
        self._last_pos = cur.position()

    _NAVIGATION = {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
                   Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
                   Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta,
                   Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Backtab}

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Undo):
            self._stack.undo()
            return
        if event.matches(QKeySequence.StandardKey.Redo):
            self._stack.redo()
            return
        if event.matches(QKeySequence.StandardKey.Copy) \
                or event.matches(QKeySequence.StandardKey.SelectAll) \
                or event.key() in self._NAVIGATION:
            super().keyPressEvent(event)
            return
        cur = self.textCursor()
        key = event.key()
        plain_mods = not (event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                               | Qt.KeyboardModifier.AltModifier))
        if cur.hasSelection():
            self._expand_to_fields(cur)
            self.setTextCursor(cur)
        elif key == Qt.Key.Key_Backspace and plain_mods:
            pos = cur.position()
            span = self.field_at(pos - 1) if pos > 0 else None
            if span is not None and span[1] == pos:
                self._remove_field(span)
                return
        elif key == Qt.Key.Key_Delete and plain_mods:
            span = self.field_at(cur.position())
            if span is not None and span[0] == cur.position():
                self._remove_field(span)
                return
        text = event.text()
        if text and text.isprintable() and plain_mods:
            cur = self.textCursor()
            cur.insertText(text, self.plain_format())
            self.setTextCursor(cur)
            self.ensureCursorVisible()
            return
        if not self.textCursor().hasSelection():
            self.setCurrentCharFormat(self.plain_format())
        super().keyPressEvent(event)

    def inputMethodEvent(self, event) -> None:
        if event.commitString():
            cur = self.textCursor()
            if cur.hasSelection():
                self._expand_to_fields(cur)
                self.setTextCursor(cur)
            self.setCurrentCharFormat(self.plain_format())
        super().inputMethodEvent(event)

    def _snap_cursor(self) -> None:
        """Never leave the cursor inside a field: step over it in the direction of travel."""
        cur = self.textCursor()
        pos = cur.position()
        if self._snapping or cur.hasSelection():
            self._last_pos = pos
            return
        span = self.field_at(pos, inside_only=True)
        if span is not None:
            target = span[0] if pos < self._last_pos else span[1]
            if pos == self._last_pos:
                target = span[0] if pos - span[0] < span[1] - pos else span[1]
            self._snapping = True
            try:
                cur.setPosition(target)
                self.setTextCursor(cur)
            finally:
                self._snapping = False
            pos = target
        self._last_pos = pos

    # ------------------------------------------------------------------
    # clipboard and drag-and-drop
    # ------------------------------------------------------------------
    def createMimeDataFromSelection(self) -> QMimeData:
        cur = self.textCursor()
        md = QMimeData()
        text = cur.selectedText().replace("\u2029", "\n")
        md.setText(text)
        md.setData(MIME_SECTION, self.token_text(cur.selectionStart(),
                                                 cur.selectionEnd()).encode("utf-8"))
        return md

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasFormat(MIME_SECTION) or source.hasText()

    def insertFromMimeData(self, source: QMimeData) -> None:
        cur = self.textCursor()
        self._expand_to_fields(cur)
        if source.hasFormat(MIME_SECTION):
            text = bytes(source.data(MIME_SECTION).data()).decode("utf-8", "replace")
            units = token_units(text, self.value_of)
        else:
            text = source.text().replace("\r\n", "\n").replace("\r", "\n")
            units = [("c", ch) for ch in text]
        cur.beginEditBlock()
        if cur.hasSelection():
            cur.removeSelectedText()
        self._insert_units(cur, units)
        cur.endEditBlock()
        self.setTextCursor(cur)
        self.ensureCursorVisible()

    # ------------------------------------------------------------------
    # tooltips
    # ------------------------------------------------------------------
    def span_at(self, pos: int) -> tuple[int, int, str] | None:
        for s, e, msg in self.spans:
            if s <= pos < e:
                return s, e, msg
        return None

    def tooltip_at(self, pos: int) -> str | None:
        span = self.span_at(pos)
        if span is not None:
            return span[2]
        f = self.field_at(pos)
        if f is None and pos > 0:
            f = self.field_at(pos - 1)
        if f is not None:
            return field_tooltip(f[2])
        return None

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = self.cursorForPosition(event.pos()).position()
            tip = self.tooltip_at(pos)
            if tip is not None:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)
