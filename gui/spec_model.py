"""One read-only table model for lists of rows, described by a column spec.

Each :class:`Column` says how a row reads in that column (text, tooltip, alignment,
colour); :class:`SpecTableModel` shows any list of rows with any such columns, so
a list view needs a spec, not a hand-written ``QAbstractTableModel``.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from .style import brush


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    tooltip: Callable[[Any], str] | None = None         # default: the text
    right: bool = False                                 # numbers: right-aligned
    foreground: Callable[[Any], str | None] | None = None   # a hex colour, or None


class SpecTableModel(QAbstractTableModel):
    """Rows shown through columns; read-only and selectable."""

    def __init__(self, columns: Sequence[Column] = (), parent: QObject | None = None,
                 row_header: Callable[[int, Any], str] | None = None):
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []
        self._row_header = row_header

    def set_rows(self, rows: Sequence[Any], columns: Sequence[Column] | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if columns is not None:
            self._columns = list(columns)
        self.endResetModel()

    @property
    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].title
        if orientation == Qt.Vertical and 0 <= section < len(self._rows):
            return self._row_header(section, self._rows[section]) if self._row_header else str(section + 1)
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) \
                or not (0 <= index.column() < len(self._columns)):
            return None
        col, row = self._columns[index.column()], self._rows[index.row()]
        if role == Qt.DisplayRole:
            return col.text(row)
        if role == Qt.ToolTipRole:
            return (col.tooltip or col.text)(row)
        if role == Qt.TextAlignmentRole and col.right:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ForegroundRole and col.foreground is not None:
            c = col.foreground(row)
            return brush(c) if c else None
        return None
