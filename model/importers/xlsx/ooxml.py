"""The OOXML stream reader: the parts of an .xlsx package, streamed once with lxml.

Values (as openpyxl's ``data_only`` gives them), formulas and merged ranges of
each sheet, parsed lazily and bounded in events, cells and merges; shared
strings, date styles and cell addressing.
"""
from __future__ import annotations

import datetime as _dt
import posixpath
import re

from ...errors import ReadError
from ..safety import check_zip, damaged_message


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


_LOCAL: dict[str, str] = {}


def _local(tag) -> str:
    """``{ns}c`` → ``c``; every event asks, for a handful of distinct tags (kept, at most 4,096)."""
    got = _LOCAL.get(tag) if isinstance(tag, str) else ""
    if got is None:
        got = tag.rpartition("}")[2]
        if len(_LOCAL) < 4096:
            _LOCAL[tag] = got
    return got


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




def _col_letters(n: int) -> str:
    s = ""
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n
