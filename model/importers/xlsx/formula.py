"""The workbook's values, and a tiny formula evaluator for formulas never cached.

:class:`_Book` gives each cell's cached value, else recomputes a simple formula
(numbers, references, ranges, ``+ - * /``, ``SUM``) with :class:`_Formula`, else an
:class:`_Unresolved` that keeps the formula text.  Tested on its own in
``tests/test_xlsx_formula.py``.
"""
from __future__ import annotations

import decimal
import re
from decimal import Decimal

from ..base import Note
from ..labels import parse_cell
from .ooxml import _col_index, _Sheet, _Workbook


class _Book:
    """The workbook's values and formulas, read once; uncached formulas recomputed on demand."""

    def __init__(self, data: bytes):
        self.wb = _Workbook(data)
        self.notes: list[Note] = []
        self.recomputed: list[str] = []         # "sheet!A1" of formulas recomputed here
        self._evaluating: set[tuple[str, int, int]] = set()
        self._memo: dict[tuple[str, int, int], object] = {}

    @property
    def sheetnames(self) -> list[str]:
        return self.wb.sheetnames

    def sheet(self, name: str) -> _Sheet:
        return self.wb[name]

    def value(self, sheet: str, row: int, col: int):
        """The cell's value: cached, else recomputed from its formula, else an _Unresolved."""
        ws = self.wb[sheet]
        v = ws.cells.get((row, col))
        if v is not None:
            return v
        formula = ws.formulas.get((row, col))
        if formula is None:
            return None
        key = (sheet, row, col)
        if key in self._memo:
            return self._memo[key]
        if key in self._evaluating:
            raise _FormulaError("循环引用")
        self._evaluating.add(key)
        result: Decimal | _Unresolved
        try:
            result = _Formula(formula[1:], self, sheet).evaluate()
        except _FormulaError as exc:
            result = _Unresolved(formula, str(exc))
        except RecursionError:
            result = _Unresolved(formula, "公式嵌套过深")
        except decimal.DecimalException:
            result = _Unresolved(formula, "计算结果超出范围")
        finally:
            self._evaluating.discard(key)
        self._memo[key] = result
        return result

    def is_recomputed(self, sheet: str, row: int, col: int) -> bool:
        return (sheet, row, col) in self._memo


class _Unresolved:
    """A formula we could not recompute: its text stands in the cell, with a note."""

    def __init__(self, formula: str, why: str):
        self.formula = formula
        self.why = why

    def __str__(self) -> str:
        return self.formula


class _FormulaError(Exception):
    pass


# --------------------------------------------------------------------------
# A tiny formula evaluator: numbers, references, ranges, + - * /, SUM
# --------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<num>\d+(?:\.\d+)?)
    | (?P<ref>(?:(?:'(?:[^']|'')+'|[^\s'!:()+\-*/,=<>&^%"]+)!)?\$?[A-Za-z]{1,3}\$?\d+
        (?::\$?[A-Za-z]{1,3}\$?\d+)?)
    | (?P<func>[A-Za-z][A-Za-z0-9.]*)\s*\(
    | (?P<op>[-+*/(),])
    )""", re.VERBOSE)
_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
MAX_RANGE_CELLS = 10_000




class _Formula:
    def __init__(self, text: str, book: _Book, sheet: str):
        self.book = book
        self.sheet = sheet
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise _FormulaError("公式含有无法重算的部分")
            kind = m.lastgroup
            assert kind is not None         # every alternative of _TOKEN is a named group
            self.tokens.append((kind, m.group(kind)))
            pos = m.end()
            while pos < len(text) and text[pos].isspace():
                pos += 1
        self.i = 0

    def evaluate(self) -> Decimal:
        v = self._expr()
        if self.i != len(self.tokens):
            raise _FormulaError("公式含有无法重算的部分")
        if isinstance(v, list):
            if len(v) != 1:
                raise _FormulaError("区域引用不能直接作为数值")
            v = v[0]
        return v

    # ---- grammar
    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        tok = self._peek()
        if tok is None:
            raise _FormulaError("公式不完整")
        self.i += 1
        return tok

    def _expr(self):
        v = self._term()
        while (tok := self._peek()) and tok[0] == "op" and tok[1] in "+-":
            self.i += 1
            rhs = self._scalar(self._term())
            v = self._scalar(v) + rhs if tok[1] == "+" else self._scalar(v) - rhs
        return v

    def _term(self):
        v = self._unary()
        while (tok := self._peek()) and tok[0] == "op" and tok[1] in "*/":
            self.i += 1
            rhs = self._scalar(self._unary())
            if tok[1] == "*":
                v = self._scalar(v) * rhs
            else:
                if rhs == 0:
                    raise _FormulaError("除数为零")
                v = self._scalar(v) / rhs
        return v

    def _unary(self):
        tok = self._peek()
        if tok and tok[0] == "op" and tok[1] in "+-":
            self.i += 1
            v = self._scalar(self._unary())
            return -v if tok[1] == "-" else v
        return self._atom()

    def _atom(self):
        kind, text = self._take()
        if kind == "num":
            return Decimal(text)
        if kind == "ref":
            return self._ref(text)
        if kind == "func":
            name = text.upper()
            if name not in ("SUM",):
                raise _FormulaError(f"不支持的函数 {text}")
            args = []
            if not (self._peek() == ("op", ")")):
                args.append(self._expr())
                while self._peek() == ("op", ","):
                    self.i += 1
                    args.append(self._expr())
            if self._take() != ("op", ")"):
                raise _FormulaError("括号不匹配")
            total = Decimal(0)
            for a in args:
                for x in (a if isinstance(a, list) else [a]):
                    total += x
            return total
        if (kind, text) == ("op", "("):
            v = self._expr()
            if self._take() != ("op", ")"):
                raise _FormulaError("括号不匹配")
            return v
        raise _FormulaError("公式含有无法重算的部分")

    def _scalar(self, v) -> Decimal:
        if isinstance(v, list):
            if len(v) != 1:
                raise _FormulaError("区域引用不能直接参与运算")
            return v[0]
        return v

    def _ref(self, text: str):
        sheet = self.sheet
        if "!" in text:
            name, text = text.rsplit("!", 1)
            if name.startswith("'"):
                name = name[1:-1].replace("''", "'")
            sheet = name
        if sheet not in self.book.wb:
            raise _FormulaError(f"引用了不存在的工作表“{sheet}”")
        parts = text.split(":")
        m1, m2 = _CELL.fullmatch(parts[0]), _CELL.fullmatch(parts[-1])
        if m1 is None or m2 is None:
            raise _FormulaError("公式引用了无法识别的单元格")
        (c1, r1), (c2, r2) = m1.groups(), m2.groups()
        col1, col2 = sorted((_col_index(c1), _col_index(c2)))
        row1, row2 = sorted((int(r1), int(r2)))
        if (col2 - col1 + 1) * (row2 - row1 + 1) > MAX_RANGE_CELLS:
            raise _FormulaError("引用区域过大")
        out: list[Decimal] = []
        for r in range(row1, row2 + 1):
            for c in range(col1, col2 + 1):
                v = self.book.value(sheet, r, c)
                d = _to_decimal(v, in_range=len(parts) > 1)
                if d is not None:
                    out.append(d)
        if len(parts) == 1:
            return out[0] if out else Decimal(0)
        return out


def _to_decimal(v, *, in_range: bool) -> Decimal | None:
    """A referenced cell as a number, Excel-style: blank is 0, text is skipped in SUM ranges."""
    if v is None:
        return None if in_range else Decimal(0)
    if isinstance(v, _Unresolved):
        raise _FormulaError(f"引用的单元格公式也无法重算（{v.why}）")
    if isinstance(v, bool):
        return Decimal(int(v))
    if isinstance(v, (int, Decimal)):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(repr(v))
    if isinstance(v, str):
        p = parse_cell(v, decimal=True)
        if p.value is not None:
            return Decimal(p.value)
        if p.blank:
            return None if in_range else Decimal(0)
        if in_range:
            return None
        raise _FormulaError(f"引用的单元格不是数字（“{v}”）")
    raise _FormulaError("引用的单元格不是数字")


