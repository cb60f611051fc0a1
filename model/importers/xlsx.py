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

openpyxl parses worksheets through defusedxml (installed), and every XML part
is checked for DTDs first (:mod:`.safety`).
"""
from __future__ import annotations

import datetime as _dt
import io
import re
from decimal import Decimal

from .. import numbers
from ..errors import ReadError
from ..report import Report
from ..schema import (CELLS, FORMAT_2019, FORMAT_2021, HEADINGS_2019, LEVEL_LABELS, SECTIONS,
                      TEXT_SECTIONS, TIER_LABELS, TITLE_SUFFIX, Level, Tier)
from .base import ImportResult, Note
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
# Opening
# --------------------------------------------------------------------------

def _open(data: bytes, *, data_only: bool):
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only, read_only=False)
    except ReadError:
        raise
    except Exception:  # noqa: BLE001 - anything openpyxl raises means a damaged workbook
        raise ReadError(damaged_message("xlsx")) from None


def _check(data: bytes) -> None:
    """Safety checks, and a clear message when the zip is a Word document instead."""
    zf = check_zip(data, "xlsx")
    names = set(zf.namelist())
    zf.close()
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise ReadError("这是 Word 文档，不是 Excel 工作簿；请按 .docx 文件导入。")
        raise ReadError(damaged_message("xlsx"))


class _Book:
    """The workbook as formulas and, when some cell is a formula, as cached values too."""

    def __init__(self, data: bytes):
        self.formulas = _open(data, data_only=False)
        # formula cells per sheet: (row, col) -> formula text
        self.formula_cells: dict[str, dict[tuple[int, int], str]] = {}
        for ws in self.formulas.worksheets:
            if ws.max_row * min(ws.max_column, MAX_COLS) > MAX_CELLS:
                raise ReadError(f"工作表“{ws.title}”过大（{ws.max_row} 行 × {ws.max_column} 列），"
                                "不像是一份年度报告，已拒绝读取。")
            found = {}
            for row in ws.iter_rows():
                for c in row:
                    f = _formula_text(c.value)
                    if f is not None:
                        found[(c.row, c.column)] = f
            self.formula_cells[ws.title] = found
        has_formulas = any(self.formula_cells.values())
        self.values = _open(data, data_only=True) if has_formulas else self.formulas
        self.notes: list[Note] = []
        self.recomputed: list[str] = []         # "sheet!A1" of formulas recomputed here
        self._evaluating: set[tuple[str, int, int]] = set()
        self._memo: dict[tuple[str, int, int], object] = {}

    def value(self, sheet: str, row: int, col: int):
        """The cell's value: cached, else recomputed from its formula, else an _Unresolved."""
        formula = self.formula_cells.get(sheet, {}).get((row, col))
        if formula is None:
            return self.values[sheet].cell(row=row, column=col).value
        v = self.values[sheet].cell(row=row, column=col).value
        if v is not None:
            return v
        key = (sheet, row, col)
        if key in self._memo:
            return self._memo[key]
        if key in self._evaluating:
            raise _FormulaError("循环引用")
        self._evaluating.add(key)
        try:
            result = _Formula(formula[1:], self, sheet).evaluate()
        except _FormulaError as exc:
            result = _Unresolved(formula, str(exc))
        except RecursionError:
            result = _Unresolved(formula, "公式嵌套过深")
        finally:
            self._evaluating.discard(key)
        self._memo[key] = result
        return result

    def is_recomputed(self, sheet: str, row: int, col: int) -> bool:
        return (sheet, row, col) in self._memo


def _formula_text(v) -> str | None:
    if isinstance(v, str) and v.startswith("=") and len(v) > 1:
        return v
    text = getattr(v, "text", None)          # ArrayFormula / DataTableFormula
    if isinstance(text, str) and text.startswith("="):
        return text
    return None


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
        if sheet not in self.book.values.sheetnames:
            raise _FormulaError(f"引用了不存在的工作表“{sheet}”")
        parts = text.split(":")
        (c1, r1) = _CELL.fullmatch(parts[0]).groups()
        (c2, r2) = _CELL.fullmatch(parts[-1]).groups()
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
        p = numbers.parse_amount(v)
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
        if v.is_integer():
            return str(int(v))
        d = Decimal(repr(v)).quantize(Decimal("0.000001")).normalize()
        return format(d, "f")
    if isinstance(v, Decimal):
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
    ws = book.values[name]
    max_row, max_col = ws.max_row, min(ws.max_column, MAX_COLS)
    if max_row * max_col > MAX_CELLS:
        raise ReadError(f"工作表“{name}”过大（{max_row} 行 × {max_col} 列），不像是一份年度报告，"
                        "已拒绝读取。")
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, min(rng.max_row, max_row) + 1):
            for c in range(rng.min_col, min(rng.max_col, max_col) + 1):
                merged[(r, c)] = (rng.min_row, rng.min_col)
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
            v = ws.cell(row=r, column=c).value
            if isinstance(v, str):
                heads[v.strip()] = c
        if COL_ID in heads and COL_VALUE in heads:
            return r, heads
    return None


def is_native(book: _Book) -> bool:
    return DATA_SHEET in book.values.sheetnames and \
        _header_index(book.values[DATA_SHEET]) is not None


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
    ws = book.values[DATA_SHEET]
    header_row, heads = _header_index(ws)
    c_id, c_val = heads[COL_ID], heads[COL_VALUE]
    seen: set[str] = set()
    for r in range(header_row + 1, ws.max_row + 1):
        cid = ws.cell(row=r, column=c_id).value
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
        parser = numbers.parse_amount if CELLS[cid].kind == "decimal" else numbers.parse_count
        p = parser(text)
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
    if INFO_SHEET in book.values.sheetnames:
        _read_info(book.values[INFO_SHEET], report, notes)
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
    for r in range(1, ws.max_row + 1):
        k = ws.cell(row=r, column=1).value
        v = ws.cell(row=r, column=2).value
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
    _check(data)
    try:
        return _Book(data)
    except ReadError:
        raise
    except Exception:  # noqa: BLE001 - a workbook openpyxl opened but cannot walk is damaged
        raise ReadError(damaged_message("xlsx")) from None


def read_xlsx_blocks(src: Source) -> list[Block]:
    """The blocks of every visible sheet, in order (for a workbook laid out like the tables)."""
    return _blocks(_book(src))


def _blocks(book: _Book) -> list[Block]:
    blocks: list[Block] = []
    total = 0
    for ws in book.values.worksheets:
        if ws.sheet_state != "visible":
            continue
        total += ws.max_row * min(ws.max_column, MAX_COLS)
        if total > MAX_CELLS:
            raise ReadError("工作簿过大，不像是一份年度报告，已拒绝读取。")
        blocks.extend(grid_blocks(sheet_grid(book, ws.title)))
    return blocks


def read_xlsx(src: Source, *, name: str | None = None) -> ImportResult:
    """Read a workbook into an :class:`ImportResult` (raises :class:`ReadError`)."""
    name = name or describe(src, "工作簿.xlsx")
    book = _book(src)
    try:
        if is_native(book):
            return read_native(book, name)
        blocks = _blocks(book)
    except RecursionError:
        raise ReadError("工作簿中的公式嵌套过深，无法读取。") from None
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
