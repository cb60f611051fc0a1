"""Reading a report from an Excel workbook (.xlsx).

Two shapes are read:

- **Nianbao's own export**: a sheet ``数据`` with the columns 单元格编号 / 项目 /
  数值 holding every canonical cell id, and a sheet ``信息`` with the meta (and
  the text sections when present).  Read exactly, cell id by cell id.
- **A sheet laid out like the official table** (labels in the first columns,
  merged header cells), the tables 二/三/四 on one sheet or several: every
  visible sheet is turned into blocks, merged ranges repeating their text over
  every position they cover, and :func:`recognise` finds the tables by header.

Formulas whose values were never cached (a workbook written by a program and
never opened in Excel: openpyxl's ``data_only=True`` gives ``None``) are not
read as blank: simple formulas (``=SUM(B3:H3)``, ``=B3+C3-D3``, ``=2*B3``,
references to other sheets) are recomputed from the sheet; anything else is
kept as its formula text, which the checker reports as not a number, and a note
names the cell.

The parts are streamed once with lxml (entities off, no network, no DTD), after
every XML part was checked for DTDs (:mod:`.safety`); sheets are parsed only when
used, and every part is bounded in elements and cells.

The package: :mod:`.ooxml` (the stream reader), :mod:`.formula` (values and the
formula evaluator), :mod:`.sheets` (sheet → blocks), :mod:`.native` (the
project's own layout); this module holds the entry points.
"""
from __future__ import annotations

from typing import Literal

from ...errors import ReadError
from ..base import ImportResult, Note
from ..blocks import Block, Table
from ..safety import Source, damaged_message, describe, load_bytes
from .formula import _Book, _FormulaError, _Unresolved
from ...xlsx_layout import COL_ID, COL_LABEL, COL_VALUE, DATA_SHEET, INFO_SHEET
from .native import is_native, read_native
from .ooxml import _Sheet, _Workbook
from .sheets import MAX_CELLS, MAX_COLS, cell_str, grid_blocks, sheet_grid

__all__ = ["COL_ID", "COL_LABEL", "COL_VALUE", "DATA_SHEET", "INFO_SHEET", "cell_str", "grid_blocks",
           "read_xlsx", "read_xlsx_blocks", "read_xlsx_rows", "sheet_grid", "_Book", "_FormulaError",
           "_Sheet", "_Unresolved", "_Workbook"]


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------

def _book(src: Source) -> _Book:
    data = load_bytes(src)
    with _guard():
        return _Book(data)


class _guard:
    """Anything but a ReadError raised while the (lazily parsed) workbook is read means a
    damaged file: XML syntax errors, a failed CRC or inflate, a part that is not there."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb) -> Literal[False]:
        if exc is None or isinstance(exc, ReadError):
            return False
        if isinstance(exc, RecursionError):
            raise ReadError("工作簿中的公式嵌套过深，无法读取。") from None
        if isinstance(exc, MemoryError):
            raise ReadError("工作簿太大，内存不足，无法读取。") from None
        if isinstance(exc, Exception):
            raise ReadError(damaged_message("xlsx")) from None
        return False


def read_xlsx_blocks(src: Source) -> list[Block]:
    """The blocks of every visible sheet, in order (for a workbook laid out like the tables)."""
    book = _book(src)
    with _guard():
        try:
            return _blocks(book)
        finally:
            book.wb.close()


def _blocks(book: _Book) -> list[Block]:
    blocks: list[Block] = []
    total = 0
    for meta in book.wb.sheets:
        if meta.state != "visible":
            continue
        ws = book.sheet(meta.title)
        total += ws.max_row * min(ws.max_column, MAX_COLS)
        if total > MAX_CELLS:
            raise ReadError("工作簿过大，不像是一份年度报告，已拒绝读取。")
        blocks.extend(grid_blocks(sheet_grid(book, ws.title)))
    return blocks


def read_xlsx_rows(src: Source, *, max_cells: int = MAX_CELLS) -> list[list[str]]:
    """The first worksheet as rows of cell text (a register of applications, one a row).

    The same zip checks, bounded parser and formula recomputation as an import;
    raises :class:`ReadError` in Chinese.
    """
    book = _book(src)
    with _guard():
        try:
            if not book.wb.sheets:
                raise ReadError("工作簿中没有工作表。")
            title = book.wb.sheets[0].title
            ws = book.sheet(title)
            if ws.max_row * max(ws.max_column, 1) > max_cells:
                raise ReadError(f"工作表“{title}”过大（{ws.max_row} 行 × {ws.max_column} 列），已拒绝读取。")
            return [[cell_str(book.value(title, r, c)) for c in range(1, ws.max_column + 1)]
                    for r in range(1, ws.max_row + 1)]
        finally:
            book.wb.close()


def read_xlsx(src: Source, *, name: str | None = None) -> ImportResult:
    """Read a workbook into an :class:`ImportResult` (raises :class:`ReadError`)."""
    name = name or describe(src, "工作簿.xlsx")
    book = _book(src)
    with _guard():
        try:
            if is_native(book):
                return read_native(book, name)
            blocks = _blocks(book)
        finally:
            book.wb.close()
    if not any(isinstance(b, Table) for b in blocks):
        raise ReadError("工作簿中没有找到任何表格数据，不像是一份年度报告。")
    from ..recognise import recognise

    result = recognise(blocks, source_format="xlsx", source_name=name)
    result.notes.extend(book.notes)
    if book.recomputed:
        shown = "、".join(book.recomputed[:8]) + ("等" if len(book.recomputed) > 8 else "")
        result.notes.append(Note(
            "info", f"工作簿中有 {len(book.recomputed)} 个公式没有保存计算结果（{shown}），"
                    "已按公式从表中数字重新计算。"))
    return result

