"""Sheets laid out like the official tables → blocks (merged ranges repeated), and cell text."""
from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import Decimal

from ...errors import ReadError
from ...schema import (HEADINGS_2019, SECTIONS,
                       TITLE_SUFFIX)
from ..base import Note
from ..blocks import Block, Paragraph, Table
from .formula import _Book, _Unresolved
from .ooxml import _col_letters

MAX_CELLS = 200_000         # cells of all sheets together (used ranges after merge expansion)
MAX_COLS = 200


# --------------------------------------------------------------------------
# Cell values as text
# --------------------------------------------------------------------------

def cell_str(v) -> str:
    """How a cell value reads as report text (numbers without float noise)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            return str(v)                   # "inf", "nan": read as text, not a number
        if abs(v) >= 1e16:
            return repr(v)                  # "1e+308", not the float's 309 binary digits
        if v.is_integer():
            return str(int(v))
        d = Decimal(repr(v)).quantize(Decimal("0.000001")).normalize()
        return format(d, "f")
    if isinstance(v, Decimal):
        if not v.is_finite() or v.adjusted() > 30:
            return str(v)                   # "1E+616": no 600-digit text for a bogus figure
        if v == v.to_integral_value():
            return str(int(v))
        return format(v.normalize(), "f")
    if isinstance(v, _dt.datetime):
        return v.date().isoformat() if v.time() == _dt.time() else v.isoformat(sep=" ")
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, _Unresolved):
        return v.formula
    return str(v).strip()


# --------------------------------------------------------------------------
# Sheets laid out like the official tables → blocks
# --------------------------------------------------------------------------

_HEADINGS = tuple(re.sub(r"\s", "", s.heading) for s in SECTIONS) + \
    tuple(re.sub(r"\s", "", h) for h in HEADINGS_2019.values())


def _is_paragraph_row(text: str) -> bool:
    t = re.sub(r"\s", "", text)
    return TITLE_SUFFIX in t or any(t.startswith(h) for h in _HEADINGS) or len(t) > 60


def sheet_grid(book: _Book, name: str) -> list[list[str]]:
    """One sheet as rows of text, merged ranges expanded, trailing blanks cut."""
    ws = book.sheet(name)
    max_row, max_col = ws.max_row, min(ws.max_column, MAX_COLS)
    if max_row * max_col > MAX_CELLS:
        raise ReadError(f"工作表“{name}”过大（{max_row} 行 × {max_col} 列），不像是一份年度报告，"
                        "已拒绝读取。")
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for r1, c1, r2, c2 in ws.merged:
        for r in range(r1, min(r2, max_row) + 1):
            for c in range(c1, min(c2, max_col) + 1):
                merged[(r, c)] = (r1, c1)
    grid: list[list[str]] = []
    for r in range(1, max_row + 1):
        row = []
        for c in range(1, max_col + 1):
            rr, cc = merged.get((r, c), (r, c))
            v = book.value(name, rr, cc)
            if isinstance(v, _Unresolved) and (rr, cc) == (r, c):
                coord = f"{_col_letters(c)}{r}"
                book.notes.append(Note(
                    "unplaced",
                    f"工作表“{name}”单元格 {coord} 的公式 {v.formula} 没有保存计算结果，"
                    f"也无法重算（{v.why}），已按原公式文本读入，请在 Excel 中打开并保存后重新导入，"
                    "或手工填写该数字。"))
            elif (rr, cc) == (r, c) and book.is_recomputed(name, r, c):
                book.recomputed.append(f"{name}!{_col_letters(c)}{r}")
            row.append(cell_str(v))
        while row and not row[-1]:
            row.pop()
        grid.append(row)
    return grid




def grid_blocks(grid: list[list[str]]) -> list[Block]:
    """Split a sheet's rows into paragraphs (title, headings, long text) and tables."""
    blocks: list[Block] = []
    rows: list[list[str]] = []

    def end_table() -> None:
        if rows:
            blocks.append(Table([list(r) for r in rows]))
            rows.clear()

    for row in grid:
        distinct = {v for v in row if v.strip()}
        if not distinct:
            end_table()
            continue
        if len(distinct) == 1:
            text = next(iter(distinct))
            if _is_paragraph_row(text):
                end_table()
                for line in text.splitlines():
                    if line.strip():
                        blocks.append(Paragraph(line.strip()))
                continue
        rows.append(row)
    end_table()
    return blocks


