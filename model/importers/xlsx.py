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
"""
from __future__ import annotations

import datetime as _dt
import decimal
import math
import posixpath
import re
from decimal import Decimal
from typing import Literal

from ..errors import ReadError
from ..report import Report
from ..schema import (CELLS, FORMAT_2019, FORMAT_2021, HEADINGS_2019, LEVEL_LABELS, SECTIONS,
                      TEXT_SECTIONS, TIER_LABELS, TITLE_SUFFIX, Level, Tier)
from .base import ImportResult, Note
from .labels import parse_cell
from .blocks import Block, Paragraph, Table
from .safety import Source, check_zip, damaged_message, describe, load_bytes

DATA_SHEET = "数据"
INFO_SHEET = "信息"
COL_ID = "单元格编号"
COL_LABEL = "项目"
COL_VALUE = "数值"

MAX_CELLS = 200_000         # cells of all sheets together (used ranges after merge expansion)
MAX_COLS = 200


# --------------------------------------------------------------------------
# Opening: a small streaming reader of the workbook's XML parts
# --------------------------------------------------------------------------
#
# openpyxl builds a full object model (styles, every merged cell as an object)
# and, to see both a formula and its cached value, has to load the workbook
# twice.  Reading takes only the cell values, the formulas and the merged
# ranges, so the parts are streamed here once with lxml's ``iterparse``
# (entities off, no network, no DTD; each XML part was checked for a DOCTYPE by
# :func:`check_zip` already), sheets parsed only when first used, and every
# part bounded in elements and cells so a hostile sheet fails fast.

MAX_XML_EVENTS = 4_000_000          # parse events in one part
MAX_SHEET_CELLS = 300_000           # non-empty cells in one sheet
MAX_MERGES = 50_000                 # merged ranges in one sheet
MAX_SHARED_STRINGS = 400_000
MAX_SHARED_CHARS = 30_000_000
MAX_SHEETS = 255

_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_RANGE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?$")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_ID = "{" + _REL_NS + "}id"
_STRICT_REL_ID = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _too_big(what: str) -> ReadError:
    return ReadError(f"工作簿中的{what}数量异常，不像是一份年度报告，已拒绝读取。")


class _Sheet:
    """One worksheet: values (as openpyxl's ``data_only`` gives them), formulas, merges."""

    __slots__ = ("title", "state", "path", "cells", "formulas", "merged", "max_row",
                 "max_column", "loaded")

    def __init__(self, title: str, state: str, path: str | None):
        self.title = title
        self.state = state
        self.path = path
        self.cells: dict[tuple[int, int], object] = {}
        self.formulas: dict[tuple[int, int], str] = {}
        self.merged: list[tuple[int, int, int, int]] = []     # min_row, min_col, max_row, max_col
        self.max_row = 0
        self.max_column = 0
        self.loaded = False

    def get(self, row: int, col: int):
        return self.cells.get((row, col))


class _Workbook:
    """The sheets of an .xlsx package, parsed lazily."""

    def __init__(self, data: bytes):
        self.zf = check_zip(data, "xlsx")
        names = self.zf.namelist()
        self.names = set(names)
        self.lower = {n.lower(): n for n in names}
        if "xl/workbook.xml" not in self.names:
            if "word/document.xml" in self.names:
                raise ReadError("这是 Word 文档，不是 Excel 工作簿；请按 .docx 文件导入。")
            raise ReadError(damaged_message("xlsx"))
        self.sheets: list[_Sheet] = []
        self.by_name: dict[str, _Sheet] = {}
        self.date1904 = False
        self._shared: list[str] | None = None
        self._date_styles: set[int] | None = None
        self._rels = self._read_rels("xl/_rels/workbook.xml.rels", "xl")
        self._read_workbook()

    # ---- parts -------------------------------------------------------------
    def _part(self, name: str) -> str | None:
        if name in self.names:
            return name
        return self.lower.get(name.lower())

    def _events(self, name: str, events=("end",)):
        from lxml import etree

        with self.zf.open(name) as fh:
            ctx = etree.iterparse(fh, events=events, resolve_entities=False, no_network=True,
                                  load_dtd=False, huge_tree=False, remove_comments=True,
                                  remove_pis=True)
            for n, item in enumerate(ctx):
                if n > MAX_XML_EVENTS:
                    raise _too_big("元素")
                yield item

    def _read_rels(self, name: str, base: str) -> dict[str, tuple[str, str]]:
        """rId -> (type suffix, part name)."""
        part = self._part(name)
        out: dict[str, tuple[str, str]] = {}
        if part is None:
            return out
        for _, el in self._events(part):
            if _local(el.tag) == "Relationship":
                target = (el.get("Target") or "").replace("\\", "/")
                if el.get("TargetMode") == "External" or not target:
                    continue
                path = target.lstrip("/") if target.startswith("/") else \
                    posixpath.normpath(posixpath.join(base, target))
                out[el.get("Id") or ""] = ((el.get("Type") or "").rpartition("/")[2], path)
                el.clear()
        return out

    def _read_workbook(self) -> None:
        for _, el in self._events("xl/workbook.xml"):
            tag = _local(el.tag)
            if tag == "sheet":
                if len(self.sheets) >= MAX_SHEETS:
                    raise _too_big("工作表")
                name = el.get("name") or f"Sheet{len(self.sheets) + 1}"
                rid = el.get(_REL_ID) or el.get(_STRICT_REL_ID) or el.get("id") or ""
                kind, path = self._rels.get(rid, ("", None))
                if kind and kind != "worksheet":
                    continue                                   # chart sheets, dialogs …
                if path is None:
                    path = self._part(f"xl/worksheets/sheet{len(self.sheets) + 1}.xml")
                sheet = _Sheet(name, el.get("state") or "visible", self._part(path) if path else None)
                if name not in self.by_name:
                    self.sheets.append(sheet)
                    self.by_name[name] = sheet
            elif tag == "workbookPr":
                self.date1904 = (el.get("date1904") or "").lower() in ("1", "true")

    @property
    def sheetnames(self) -> list[str]:
        return [s.title for s in self.sheets]

    @property
    def worksheets(self) -> list[_Sheet]:
        return [self[s.title] for s in self.sheets]

    def __contains__(self, name: str) -> bool:
        return name in self.by_name

    def __getitem__(self, name: str) -> _Sheet:
        sheet = self.by_name[name]
        if not sheet.loaded:
            sheet.loaded = True
            if sheet.path is not None:
                self._read_sheet(sheet)
        return sheet

    # ---- shared strings and styles ------------------------------------------
    def shared(self) -> list[str]:
        if self._shared is None:
            self._shared = []
            part = self._part("xl/sharedStrings.xml") or next(
                (p for k, p in self._rels.values() if k == "sharedStrings" and self._part(p)), None)
            resolved = self._part(part) if part is not None else None
            if resolved is not None:
                self._read_shared(resolved)
        return self._shared

    def _read_shared(self, part: str) -> None:
        chars = 0
        out = self._shared
        assert out is not None
        for _, el in self._events(part):
            if _local(el.tag) != "si":
                continue
            text = _rich_text(el)
            chars += len(text)
            out.append(text)
            if len(out) > MAX_SHARED_STRINGS or chars > MAX_SHARED_CHARS:
                raise _too_big("文字")
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]

    def date_styles(self) -> set[int]:
        """Indexes of the cell formats that show numbers as dates or times."""
        if self._date_styles is None:
            self._date_styles = set()
            part = self._part("xl/styles.xml") or next(
                (self._part(p) for k, p in self._rels.values() if k == "styles" and self._part(p)),
                None)
            if part is not None:
                self._read_styles(part)
        return self._date_styles

    def _read_styles(self, part: str) -> None:
        custom: dict[int, str] = {}
        xfs: list[int] = []
        date_styles = self._date_styles
        assert date_styles is not None
        in_cell_xfs = False
        for ev, el in self._events(part, ("start", "end")):
            tag = _local(el.tag)
            if tag == "cellXfs":
                in_cell_xfs = ev == "start"
            elif ev == "end" and tag == "numFmt":
                try:
                    custom[int(el.get("numFmtId", ""))] = el.get("formatCode") or ""
                except ValueError:
                    pass
            elif ev == "end" and tag == "xf" and in_cell_xfs:
                try:
                    xfs.append(int(el.get("numFmtId") or 0))
                except ValueError:
                    xfs.append(0)
        for i, fid in enumerate(xfs):
            code = custom.get(fid)
            if (fid in _DATE_BUILTINS and code is None) or (code and _is_date_format(code)):
                date_styles.add(i)

    # ---- a worksheet -----------------------------------------------------------
    def _read_sheet(self, sheet: _Sheet) -> None:
        assert sheet.path is not None
        cells, formulas, merged = sheet.cells, sheet.formulas, sheet.merged
        shared_f: dict[str, tuple[str, int, int]] = {}
        row_i = 0
        col_i = 0
        max_r = max_c = 0
        for ev, el in self._events(sheet.path, ("start", "end")):
            tag = _local(el.tag)
            if ev == "start":
                if tag == "row":
                    r = el.get("r")
                    ok = r and r.isascii() and r.isdigit() and len(r) <= 7 and 0 < int(r) <= 1_048_576
                    row_i = int(r) if ok else row_i + 1
                    col_i = 0
                continue
            if tag == "c":
                ref = el.get("r")
                m = _REF.match(ref) if ref else None
                if m:
                    col_i = _col_index(m.group(1))
                    row = int(m.group(2))
                    if row > 0:
                        row_i = row
                else:
                    col_i += 1
                if row_i < 1:
                    row_i = 1
                value, formula = self._cell(el, row_i, col_i, shared_f)
                key = (row_i, col_i)
                if value is not None:
                    cells[key] = value
                if formula is not None:
                    formulas[key] = formula
                if value is not None or formula is not None:
                    if len(cells) + len(formulas) > 2 * MAX_SHEET_CELLS or \
                            len(cells) > MAX_SHEET_CELLS:
                        raise _too_big("单元格")
                    if row_i > max_r:
                        max_r = row_i
                    if col_i > max_c:
                        max_c = col_i
                el.clear()
            elif tag == "row":
                el.clear()
                parent = el.getparent()
                while el.getprevious() is not None:
                    del parent[0]
            elif tag == "mergeCell":
                m = _RANGE.match(el.get("ref") or "")
                if m and m.group(3):
                    c1, r1, c2, r2 = (_col_index(m.group(1)), int(m.group(2)),
                                      _col_index(m.group(3)), int(m.group(4)))
                    merged.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
                    if len(merged) > MAX_MERGES:
                        raise _too_big("合并单元格")
        # merged ranges are clipped to the cells holding something: repeating a text past
        # the last filled row or column adds nothing to read
        sheet.max_row, sheet.max_column = max_r, max_c
        sheet.merged = [(r1, c1, min(r2, max_r), min(c2, max_c)) for r1, c1, r2, c2 in merged
                        if r1 <= max_r and c1 <= max_c]

    def _cell(self, el, row: int, col: int, shared_f: dict) -> tuple[object, str | None]:
        t = el.get("t") or "n"
        v = f = inline = None
        for child in el:
            tag = _local(child.tag)
            if tag == "v":
                v = child.text
            elif tag == "f":
                f = child
            elif tag == "is":
                inline = _rich_text(child)
        formula = None
        if f is not None:
            ftext = (f.text or "").strip()
            si = f.get("si")
            if f.get("t") == "shared" and si is not None:
                if ftext:
                    shared_f[si] = (ftext, row, col)
                elif si in shared_f:
                    f0, r0, c0 = shared_f[si]
                    ftext = _translate(f0, r0, c0, row, col)
            if ftext:
                formula = "=" + ftext
        if t == "inlineStr":
            return inline, formula
        if v is None:
            return None, formula
        if t == "s":
            try:
                return self.shared()[int(v)], formula
            except (ValueError, IndexError):
                return None, formula
        if t in ("str", "e"):
            return v, formula
        if t == "b":
            return v.strip() in ("1", "true"), formula
        if t == "d":
            try:
                return _dt.datetime.fromisoformat(v.strip()), formula
            except (ValueError, TypeError, OverflowError):
                return v, formula
        value = _number(v)
        s = el.get("s")
        if s and isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                is_date = int(s) in self.date_styles()
            except ValueError:
                is_date = False
            if is_date:
                try:
                    value = _from_excel(value, self.date1904)
                except (ValueError, TypeError, OverflowError, ArithmeticError):
                    pass
        return value, formula

    def close(self) -> None:
        self.zf.close()


# number formats that show a date or time (as openpyxl decides it, without importing it:
# openpyxl takes a quarter of a second to import, more than reading a workbook now does)
_DATE_BUILTINS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_FMT_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_FMT_DATE = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_EPOCH_1900 = _dt.datetime(1899, 12, 30)
_EPOCH_1904 = _dt.datetime(1904, 1, 1)


def _is_date_format(code: str) -> bool:
    return _FMT_DATE.search(_FMT_STRIP.sub("", code.split(";")[0])) is not None


def _from_excel(value: float, date1904: bool):
    """An Excel serial date as a datetime (a time of day below 1), like openpyxl's."""
    day, fraction = divmod(value, 1)
    diff = _dt.timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= value < 1 and diff.days == 0:
        return (_dt.datetime.min + diff).time()
    if 0 < value < 60 and not date1904:
        day += 1                                # Excel's 29 February 1900
    return (_EPOCH_1904 if date1904 else _EPOCH_1900) + _dt.timedelta(days=day) + diff


def _rich_text(el) -> str:
    """The text of a shared or inline string: plain ``t`` or rich-text runs (phonetics left out)."""
    parts: list[str] = []
    for child in el:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            for sub in child:
                if _local(sub.tag) == "t":
                    parts.append(sub.text or "")
    return "".join(parts)


def _number(v: str):
    """A ``<v>`` as openpyxl reads it: int when it has no point or exponent, else float;
    text that is no number (or an integer of thousands of digits) stays text."""
    s = v.strip()
    try:
        if "." in s or "e" in s or "E" in s or "n" in s.lower():
            return float(s)
        return int(s)
    except (ValueError, OverflowError):
        return v


def _translate(formula: str, row0: int, col0: int, row: int, col: int) -> str:
    """A shared formula as it reads in another cell of its range."""
    from openpyxl.formula.translate import Translator

    try:
        out = Translator("=" + formula, origin=f"{_col_letters(col0)}{row0}").translate_formula(
            f"{_col_letters(col)}{row}")
    except Exception:
        return ""
    return out[1:] if out.startswith("=") else out


def _check(data: bytes) -> None:
    """Safety checks, and a clear message when the zip is a Word document instead."""
    _Workbook(data).close()


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


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


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


def _col_letters(n: int) -> str:
    s = ""
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


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


# --------------------------------------------------------------------------
# Nianbao's own export
# --------------------------------------------------------------------------

def _header_index(ws) -> tuple[int, dict[str, int]] | None:
    for r in range(1, min(ws.max_row, 5) + 1):
        heads = {}
        for c in range(1, min(ws.max_column, 10) + 1):
            v = ws.get(r, c)
            if isinstance(v, str):
                heads[v.strip()] = c
        if COL_ID in heads and COL_VALUE in heads:
            return r, heads
    return None


def _rows_in_column(ws: _Sheet, col: int, first: int) -> list[int]:
    """The rows at or below ``first`` where column ``col`` holds a value or a formula, in order."""
    rows = {r for (r, c) in ws.cells if c == col and r >= first}
    rows.update(r for (r, c) in ws.formulas if c == col and r >= first)
    return sorted(rows)


def is_native(book: _Book) -> bool:
    return DATA_SHEET in book.wb and _header_index(book.sheet(DATA_SHEET)) is not None


_LEVELS = {**{lvl.value: lvl for lvl in Level}, **{lab: lvl for lvl, lab in LEVEL_LABELS.items()}}
_TIERS = {**{t.value: t for t in Tier}, **{lab: t for t, lab in TIER_LABELS.items()}}
_META_KEYS = {
    "agency": ("机关名称", "机关", "单位名称", "单位", "agency"),
    "year": ("报告年度", "年度", "年份", "year"),
    "level": ("机关类型", "层级", "类型", "level"),
    "tier": ("行政层级", "级别", "tier"),
    "publish_date": ("公开日期", "发布日期", "publish_date"),
    "format": ("格式", "报告格式", "format"),
}


def _parse_date(v) -> _dt.date | None:
    if isinstance(v, _dt.datetime):
        return v.date()
    if isinstance(v, _dt.date):
        return v
    if isinstance(v, str):
        m = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", v)
        if m:
            try:
                return _dt.date(*map(int, m.groups()))
            except ValueError:
                return None
    return None


def read_native(book: _Book, name: str) -> ImportResult:
    """Nianbao's own export, read cell id by cell id."""
    report = Report()
    notes: list[Note] = []
    ws = book.sheet(DATA_SHEET)
    found = _header_index(ws)
    if found is None:
        raise ReadError(damaged_message("xlsx"))
    header_row, heads = found
    c_id, c_val = heads[COL_ID], heads[COL_VALUE]
    seen: set[str] = set()
    for r in _rows_in_column(ws, c_id, header_row + 1):
        cid = ws.get(r, c_id)
        if cid is None:
            continue
        cid = str(cid).strip()
        if not cid:
            continue
        if cid not in CELLS:
            notes.append(Note("unplaced", f"“{DATA_SHEET}”表第 {r} 行的单元格编号“{cid}”不认识，已忽略。"))
            continue
        v = book.value(DATA_SHEET, r, c_val)
        seen.add(cid)
        text = cell_str(v)
        if isinstance(v, _Unresolved):
            notes.append(Note(
                "unplaced",
                f"“{DATA_SHEET}”表第 {r} 行（{CELLS[cid].label}）的公式 {v.formula} 没有保存计算结果，"
                f"也无法重算（{v.why}），请手工填写该数字。", (cid,)))
            report.set(cid, None, text)
            continue
        p = parse_cell(text, CELLS[cid].kind == "decimal")
        if p.error:
            report.set(cid, None, text)
        elif p.blank:
            report.set(cid, None, text if text else None)
        else:
            report.set(cid, p.value)
    missing = [cid for cid in CELLS if cid not in seen]
    if missing:
        notes.append(Note("missing", f"“{DATA_SHEET}”表缺少 {len(missing)} 个单元格，已留空。",
                          tuple(missing)))
    if INFO_SHEET in book.wb:
        _read_info(book.sheet(INFO_SHEET), report, notes)
    else:
        notes.append(Note("meta", f"工作簿没有“{INFO_SHEET}”表，机关名称和年度需要补填。"))
    return ImportResult(report, notes, source_format="xlsx", source_name=name)


def _read_info(ws, report: Report, notes: list[Note]) -> None:
    sections_by_key = {}
    for s in SECTIONS:
        if s.kind == "text":
            for key in (s.id, s.heading, s.short, s.heading.split("、", 1)[-1]):
                sections_by_key[key] = s.id
    for key, heading in HEADINGS_2019.items():
        sections_by_key[heading] = key
    texts: dict[str, list[str]] = {}
    for r in _rows_in_column(ws, 1, 1):
        k = ws.get(r, 1)
        v = ws.get(r, 2)
        if not isinstance(k, str) or v is None or v == "":
            continue
        k = k.strip().rstrip("：:")
        if k in _META_KEYS["agency"]:
            report.agency = str(v).strip()
        elif k in _META_KEYS["year"]:
            m = re.search(r"\d{4}", str(v))
            if m:
                report.year = int(m.group())
        elif k in _META_KEYS["level"]:
            report.level = _LEVELS.get(str(v).strip(), report.level)
        elif k in _META_KEYS["tier"]:
            report.tier = _TIERS.get(str(v).strip(), report.tier)
        elif k in _META_KEYS["publish_date"]:
            report.publish_date = _parse_date(v)
        elif k in _META_KEYS["format"]:
            fmt = str(v).strip()
            if fmt.startswith(FORMAT_2019):
                report.format = FORMAT_2019
            elif fmt.startswith(FORMAT_2021):
                report.format = FORMAT_2021
        elif k in sections_by_key and sections_by_key[k] in TEXT_SECTIONS:
            # a text longer than one cell holds continues on the next rows, same key
            texts.setdefault(sections_by_key[k], []).append(str(v))
    for sid, chunks in texts.items():
        report.sections[sid] = "".join(chunks)
    if not report.agency:
        notes.append(Note("meta", "没有读到机关名称，请补填。"))
    if report.year is None:
        notes.append(Note("meta", "没有读到报告年度，请补填。"))


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
    from .recognise import recognise

    result = recognise(blocks, source_format="xlsx", source_name=name)
    result.notes.extend(book.notes)
    if book.recomputed:
        shown = "、".join(book.recomputed[:8]) + ("等" if len(book.recomputed) > 8 else "")
        result.notes.append(Note(
            "info", f"工作簿中有 {len(book.recomputed)} 个公式没有保存计算结果（{shown}），"
                    "已按公式从表中数字重新计算。"))
    return result
