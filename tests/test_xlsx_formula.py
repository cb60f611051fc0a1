"""The XLSX formula evaluator on its own: a stand-in workbook, no zip, no XML."""
from __future__ import annotations

from decimal import Decimal

import pytest

from model.importers.xlsx.formula import _Formula, _FormulaError, _to_decimal, _Unresolved
from model.importers.xlsx.ooxml import _col_index, _col_letters


class Book:
    """What _Formula needs of a workbook: sheet names and cell values by (sheet, row, col)."""

    def __init__(self, sheets: dict[str, dict[str, object]]):
        self.wb = sheets
        self.cells = {(s, int(ref[1:]), _col_index(ref[0])): v
                      for s, cs in sheets.items() for ref, v in cs.items()}

    def value(self, sheet: str, row: int, col: int):
        return self.cells.get((sheet, row, col))


BOOK = Book({"表三": {"B3": 2, "C3": 3.5, "D3": "4", "E3": None, "F3": "说明",
                      "B4": _Unresolved("=X()", "不支持")},
             "其他 表": {"A1": 10}})


def ev(text: str, sheet: str = "表三") -> Decimal:
    return _Formula(text, BOOK, sheet).evaluate()


@pytest.mark.parametrize("text, want", [
    ("1+2*3", "7"), ("(1+2)*3", "9"), ("-B3+10", "8"), ("B3+C3-D3", "1.5"), ("2*B3", "4"),
    ("SUM(B3:F3)", "9.5"), ("SUM(B3,C3,1)", "6.5"), ("sum(B3:D3)/2", "4.75"), ("E3+1", "1"),
    ("'其他 表'!A1+B3", "12"), ("$B$3*2", "4"),
])
def test_what_it_recomputes(text, want):
    assert ev(text) == Decimal(want)


@pytest.mark.parametrize("text, why", [
    ("AVERAGE(B3:C3)", "不支持的函数"), ("SUM(B3:C3", "公式不完整"), ("(1+2", "公式不完整"),
    ("SUM(B3 C3)", "括号不匹配"), ("B3:C3+1", "区域引用"),
    ("缺表!A1", "不存在的工作表"), ("F3+1", "不是数字"), ("B4+1", "无法重算"), ("1 2", "无法重算"),
    ("SUM(A1:ZZ9999)", "区域过大"),
])
def test_what_it_refuses_says_why_in_chinese(text, why):
    with pytest.raises(_FormulaError, match=why):
        ev(text)


def test_cells_as_numbers_and_addresses():
    assert _to_decimal(None, in_range=True) is None and _to_decimal(None, in_range=False) == 0
    assert _to_decimal("说明", in_range=True) is None and _to_decimal(True, in_range=False) == 1
    assert [_col_letters(n) for n in (1, 26, 27, 702, 703)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert all(_col_index(_col_letters(n)) == n for n in range(1, 2000))
