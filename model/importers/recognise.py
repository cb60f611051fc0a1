"""Blocks → report: the one piece of logic every reader (text, DOCX, HTML, XLSX) shares.

:func:`recognise` walks the blocks once, in document order:

- **Title**: the first paragraph before the first heading that reads
  ``{机关名称}{YYYY}年政府信息公开工作年度报告`` (spaces, full-width digits, ``年度``,
  ``《》`` tolerated; an agency alone on the line before a year-only title is joined).
- **Headings**: a paragraph (or a one-cell row) that is one of the six level-1
  headings up to width, spaces and punctuation, the 2019 heading of 五 included,
  or one character-similar (≥ 85 %) with the right numeral, starts a section.
  ``一、主动公开情况`` inside 一 is *not* a heading (not the official text): it stays
  in the section text and is listed in ``structure.subheads``.
- **Tables** are read as a stream of rows, whichever blocks they came in, by content:
  rows are told apart by their labels (matched by :class:`labels.LabelIndex`:
  exact core, key, then similarity and order), never by column position, so
  merged cells repeated (DOCX/HTML) or shifted (text off web pages) read alike.
  The numbers of a row are the cells after its last label; trailing, then leading,
  empty cells are trimmed to the expected count, and a merged value repeated across
  its span is read once.
- **Orphan numbers** (seed 002): rows that carry a label and no number are kept
  pending; a following line of numbers without a label is given to them only when
  the counts agree exactly (one pending row and seven numbers, two rows and
  fourteen …), with an ``info`` note.  Otherwise nothing is guessed: the pending
  rows' cells stay ``None`` and an ``unplaced`` note lists them and the numbers.
  Pending rows that no orphan line follows were left blank by the author: their
  cells are ``None`` with ``raw = ""`` (rule C3 warns).
- **Cells**: ``numbers.parse_count`` / ``parse_amount``; a blank, ``/``, ``—`` or an
  unreadable text (``abc``, ``-3``) gives ``None`` and the text in ``report.raw``.
- **2019 format** (DOMAIN.md §3), detected by ``schema.FORMAT_2019_MARKERS``: mapped
  onto 2021 ids with a ``format`` note for everything not carried over.
- **Publish date**: a ``发布日期：…`` line anywhere, else the last line that is only a
  date (``2025年1月20日``); such lines (and a signature line equal to the agency just
  before) are not section text.

Every one of the 200 cells ends up either read (a value, or ``None`` with its raw
text) or listed in an ``unplaced`` / ``format`` note.  A document with no title, no
heading and no table cell raises :class:`ReadError`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .. import schema
from ..errors import ReadError
from ..numbers import cn_to_int
from ..report import Report, Structure
from ..schema import CELLS, SECTION_BY_ID, SECTIONS, TABLES, Level
from . import labels as L
from .base import ImportResult, Note
from .blocks import Block, Paragraph, Table

__all__ = ["recognise", "match_heading", "match_title", "parse_date_line"]

# --------------------------------------------------------------------------
# Headings
# --------------------------------------------------------------------------

_SEC_NUM: dict[str, int] = {s.id: i + 1 for i, s in enumerate(SECTIONS)}
_SEC_BY_NUM: dict[int, str] = {i + 1: s.id for i, s in enumerate(SECTIONS)}
_HEAD_CORES: dict[str, str] = {}
_HEAD_CORES_BY_SID: dict[str, list[str]] = {s.id: [] for s in SECTIONS}
for _s in SECTIONS:
    _c = L.core(_s.heading)
    _HEAD_CORES[_c] = _s.id
    _HEAD_CORES_BY_SID[_s.id].append(_c)
for _sid, _h in schema.HEADINGS_2019.items():
    _c = L.core(_h)
    _HEAD_CORES[_c] = _sid
    _HEAD_CORES_BY_SID[_sid].append(_c)

MAX_HEADING_LEN = 45
HEADING_SIMILARITY = 0.85


def match_heading(text: str, n: str | None = None) -> str | None:
    """The section id if ``text`` is one of the six level-1 headings, else None.

    ``n``: ``labels.norm(text)`` when the caller has it already."""
    if not text or len(text) > MAX_HEADING_LEN:
        return None
    kind, num, c = L.split_enum(L.norm(text) if n is None else n)
    sid = _HEAD_CORES.get(c)
    if sid is not None:
        if kind == "cn" and num == _SEC_NUM[sid]:
            return sid
        if kind == "" and len(c) >= 6:
            return sid
        return None
    if kind == "cn" and num in _SEC_BY_NUM:
        sid = _SEC_BY_NUM[num]
        if any(L.similarity(c, hc) >= HEADING_SIMILARITY for hc in _HEAD_CORES_BY_SID[sid]):
            return sid
    return None


# --------------------------------------------------------------------------
# Title and dates
# --------------------------------------------------------------------------

_CN_YEAR = "〇○零一二三四五六七八九"
_TITLE_RE = re.compile(
    r"^[《<]?(?P<agency>.*?)(?:(?P<year>\d{4}|[" + _CN_YEAR + r"]{4})年度?)?"
    + re.escape(L.norm(schema.TITLE_SUFFIX[1:])) + r"[》>]?$")


def _year(s: str | None) -> int | None:
    if not s:
        return None
    v = int(s) if s.isdigit() else cn_to_int(s.replace("○", "〇"))
    return v if v is not None and 1990 <= v <= 2100 else None


def match_title(text: str, n: str | None = None) -> tuple[str, int | None] | None:
    """(agency, year) when ``text`` is a title line; agency may be "" and year None."""
    if len(text) > 80 or "报告" not in text:
        return None
    m = _TITLE_RE.match(L.norm(text) if n is None else n)
    if not m:
        return None
    agency = m.group("agency").strip("《》<>:,")
    return agency, _year(m.group("year"))


_DATE_NUM = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日|(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DATE_CN = re.compile(r"([" + _CN_YEAR + r"]{4})年([一二三四五六七八九十]{1,3})月"
                      r"([一二三四五六七八九十]{1,3})日")
_DATE_LABEL = re.compile(r"^(?:发布|印发|成文|公开|公布|生成)?(?:日期|时间)[:]")


def _mkdate(y, m, d) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except (TypeError, ValueError):
        return None


def _find_date(n: str, whole: bool) -> date | None:
    for rx in (_DATE_NUM, _DATE_CN):
        m = rx.fullmatch(n) if whole else rx.search(n)
        if not m:
            continue
        g = m.groups()
        if rx is _DATE_NUM:
            y, mo, d = (g[0], g[1], g[2]) if g[0] else (g[3], g[4], g[5])
            return _mkdate(y, mo, d)
        return _mkdate(_year(g[0]), cn_to_int(g[1]), cn_to_int(g[2]))
    return None


_DATE_HINT = re.compile(r"日|时间|\d\s*[-/.]\s*\d")


def parse_date_line(text: str, n: str | None = None) -> tuple[date, bool] | None:
    """(date, labelled) when the line is ``发布日期：…`` (labelled) or only a date."""
    if len(text) > 60 or not _DATE_HINT.search(text):
        return None
    n = L.norm(text) if n is None else n
    m = _DATE_LABEL.match(n)
    if m:
        d = _find_date(n[m.end():], whole=False)
        return (d, True) if d else None
    d = _find_date(n.rstrip("。"), whole=True)
    return (d, False) if d else None


# --------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------

def split_row(cells: list[str]) -> tuple[list[str], list[str]]:
    """(label cells, value cells): values are the cells after the last label that
    comes before the first non-empty number-like cell."""
    n = len(cells)
    first_val = n
    for i, c in enumerate(cells):
        if c and L.is_value_like(c):
            first_val = i
            break
    idx = [i for i in range(first_val) if cells[i]]
    if not idx:
        return [], list(cells)
    return [cells[i] for i in idx], list(cells[idx[-1] + 1:])


def strip_edges(values: list[str]) -> list[str]:
    a, b = 0, len(values)
    while a < b and not values[a]:
        a += 1
    while b > a and not values[b - 1]:
        b -= 1
    return values[a:b]


def fit(values: list[str], n: int, end: int | None = None) -> list[str] | None:
    """Exactly ``n`` values: trailing, then leading empties trimmed; a value repeated
    across a merged span read once.  None when the row cannot give ``n`` values.

    ``end``: where (an index into ``values``) the value columns of this table are known
    to end, from the rows read before; when a row has empties at both ends (a blank
    in its last column and a spacer before its first), it decides which are the spacers.
    """
    got = fit_span(values, n, end)
    return None if got is None else got[0]


def fit_span(values: list[str], n: int, end: int | None = None
             ) -> tuple[list[str], int, int] | None:
    """:func:`fit`, with the slice ``values[a:b]`` the values were taken from."""
    a, b = 0, len(values)
    while b - a > n and not values[b - 1]:
        b -= 1
    while b - a > n and not values[a]:
        a += 1
    if end is not None and b - a == n and b != end and n <= end <= len(values) and \
            not any(values[end:]) and not any(values[:end - n]):
        a, b = end - n, end                 # the reading the table's other rows agree with
    v = values[a:b]
    if len(v) == n:
        return v, a, b
    if n and len(v) > n and len(v) % n == 0:
        k = len(v) // n
        groups = [v[i * k:(i + 1) * k] for i in range(n)]
        if all(len(set(g)) == 1 for g in groups):
            return [g[0] for g in groups], a, b
    return None


def _show(values: list[str]) -> str:
    return " ".join(v if v else "（空）" for v in values)


@dataclass
class _Row:
    table: str
    key: str                      # row id ("granted", "normative") for order and duplicates
    label: str                    # as found
    official: str
    targets: list[str]            # cell ids; "!<column label>" for a dropped 2019 column


# --------------------------------------------------------------------------
# The recogniser
# --------------------------------------------------------------------------

_TABLE_TITLES = {t: f"“{TABLES[t].title}”表" for t in TABLES}


class _Recogniser:
    def __init__(self, source_format: str, source_name: str, is2019: bool):
        self.report = Report()
        self.structure = Structure()
        self.report.structure = self.structure
        self.source_format = source_format
        self.source_name = source_name
        self.is2019 = is2019
        if is2019:
            self.report.format = schema.FORMAT_2019
        self.notes: list[Note] = []
        self.placed: set[str] = set()
        self.noted: set[str] = set()
        self.section: str | None = None
        self.preamble: list[str] = []
        self.before_title: list[str] = []
        self.text: dict[str, list[str]] = {s.id: [] for s in SECTIONS}
        self.unused: dict[str, list[str]] = {}
        self.title_found = False
        self.date_labelled = False
        self.variants_seen: set[tuple[str, str]] = set()
        self.dropped: list[tuple[str, str, str]] = []   # (row label, column label, text)
        self.t2 = _T2(self)
        self.t3 = _T3(self)
        self.t4 = _T4(self)
        self.proc: _Proc | None = None
        self.first_text: str | None = None

    # ---- notes ---------------------------------------------------------
    def note(self, kind: str, message: str, cells=()) -> None:
        cells = tuple(cells)
        if kind in ("unplaced", "format"):
            self.noted.update(cells)
        self.notes.append(Note(kind, message, cells))

    def variant(self, found: str, official: str, cells) -> None:
        k = (found.strip(), official)
        if k in self.variants_seen:
            return
        self.variants_seen.add(k)
        self.structure.label_variants.append(k)
        self.note("variant", f"表格标签“{k[0]}”与规定文字“{official}”不一致，已按“{official}”识别", cells)

    # ---- cells ---------------------------------------------------------
    def put(self, cid: str, text: str) -> None:
        text = text.strip()
        if text.isascii() and text.isdigit() and len(text) <= 9 and CELLS[cid].kind == "int":
            self.report.set(cid, int(text))         # the common case, without parse_count
            self.placed.add(cid)
            return
        p = L.parse_cell(text, CELLS[cid].kind == "decimal")
        if p.value is not None:
            self.report.set(cid, p.value)
        else:
            self.report.set(cid, None, raw=text)
        self.placed.add(cid)

    def place_row(self, row: _Row, values: list[str]) -> None:
        for target, text in zip(row.targets, values):
            if target.startswith("!"):
                self.dropped.append((row.official, target[1:], text))
            elif target not in self.placed:
                self.put(target, text)

    # ---- blocks --------------------------------------------------------
    def run(self, blocks: list[Block]) -> None:
        for b in blocks:
            if isinstance(b, Paragraph):
                self.paragraph(b.text or "")
            elif isinstance(b, Table):
                for row in b.rows:
                    self.row(["" if c is None else str(c).strip() for c in row])
        self.close_table()

    def start_section(self, sid: str, text: str) -> None:
        self.close_table()
        self.structure.headings.append(text)
        self.section = sid
        if SECTION_BY_ID[sid].kind == "table":
            self.proc = self.proc_for(SECTION_BY_ID[sid].table)

    def proc_for(self, table: str | None) -> _Proc | None:
        return {"t2": self.t2, "t3": self.t3, "t4": self.t4}.get(table or "")

    def close_table(self) -> None:
        if self.proc is not None:
            self.proc.flush()
        self.proc = None

    def switch(self, proc: _Proc) -> None:
        if proc is not self.proc:
            self.close_table()
            self.proc = proc

    def add_text(self, line: str) -> None:
        if self.first_text is None:
            self.first_text = line
        if self.section is None:
            self.preamble.append(line)
        else:
            self.text[self.section].append(line)

    def date_line(self, text: str, n: str | None = None) -> bool:
        got = parse_date_line(text, n)
        if got is None:
            return False
        d, labelled = got
        if labelled:
            if not self.date_labelled:
                self.report.publish_date = d
                self.date_labelled = True
        else:
            if not self.date_labelled:
                self.report.publish_date = d
            lines = self.text[self.section] if self.section else self.preamble
            if lines and self.report.agency and L.norm(lines[-1]) == L.norm(self.report.agency):
                lines.pop()
        return True

    def try_title(self, text: str, n: str | None = None) -> bool:
        if self.title_found or self.section is not None:
            return False
        got = match_title(text, n)
        if got is None:
            return False
        agency, year = got
        line = text.strip()
        if not agency and self.preamble:
            prev = self.preamble[-1]
            if len(prev) <= 30 and not re.search(r"[。，,；;：:]", prev):
                agency = L.norm(prev)
                line = f"{prev}{line}"
                self.preamble.pop()
        self.structure.title_line = line
        self.before_title, self.preamble = self.preamble, []
        self.report.agency = agency
        self.report.year = year
        self.title_found = True
        return True

    def paragraph(self, text: str) -> None:
        t = text.strip()
        if not t:
            return
        n = L.norm(t) if len(t) <= 80 else None
        if n is not None:
            sid = match_heading(t, n)
            if sid is not None:
                self.start_section(sid, t)
                return
            if self.try_title(t, n) or self.date_line(t, n):
                return
        sec = SECTION_BY_ID.get(self.section) if self.section else None
        if sec is not None and sec.kind == "table":
            proc = self.proc or self.proc_for(sec.table)
            self.switch(proc)
            if len(t) <= 60 and proc.feed([t]):
                return
            self.unused.setdefault(sec.id, []).append(t)
            return
        self.close_table()
        self.add_text(t)
        if self.section in schema.TEXT_SECTIONS:
            self.subhead(t)

    def row(self, cells: list[str]) -> None:
        nonempty = [c for c in cells if c]
        if not nonempty:
            return
        if len(nonempty) == 1:
            only = nonempty[0]
            sid = match_heading(only)
            if sid is not None:
                self.start_section(sid, only)
                return
            if self.try_title(only):
                return
        kind = _table_kind(nonempty)
        if kind is not None:
            self.switch(self.proc_for(kind))
        elif self.proc is None and self.section is not None:
            sec = SECTION_BY_ID[self.section]
            if sec.kind == "table":
                self.switch(self.proc_for(sec.table))
        if self.proc is not None and self.proc.feed(cells):
            return
        line = " ".join(nonempty)
        if self.section is not None and SECTION_BY_ID[self.section].kind == "table":
            self.unused.setdefault(self.section, []).append(line)
        else:
            self.add_text(line)

    def subhead(self, t: str) -> None:
        if t[0] not in _SUBHEAD_START:
            return
        kind, _, _ = L.split_enum(L.norm(t[:12]))
        if kind not in ("cn", "pcn"):
            return
        head = None
        if len(t) <= 30 and "。" not in t:
            head = t
        else:
            m = re.search(r"[：:]", t)
            if m and m.start() <= 25:
                head = t[:m.start()]
        if head:
            head = head.strip().rstrip("：:")
            self.structure.subheads.setdefault(self.section, []).append(head)

    # ---- the end -------------------------------------------------------
    def finish(self) -> ImportResult:
        r = self.report
        # text sections
        if self.before_title:
            self.note("info", f"标题之前的文字未导入：“{_clip(' / '.join(self.before_title))}”")
        if self.preamble:
            self.text["overview"][:0] = self.preamble
            first = SECTION_BY_ID["overview"].heading
            self.note("info", f"标题之后、“{first}”之前的文字已并入“{first}”，请核对："
                      f"“{_clip(' '.join(self.preamble))}”")
        for sid in schema.TEXT_SECTIONS:
            r.sections[sid] = "\n".join(self.text[sid])
        for sid, lines in self.unused.items():
            self.note("info", f"“{SECTION_BY_ID[sid].heading}”中表格以外的文字未导入："
                      f"“{_clip(' / '.join(lines))}”")
        if self.is2019:
            self._finish_2019()
        # meta
        self._meta_notes()
        # cells neither read nor noted
        for t, td in TABLES.items():
            missing = [c for c in td.cell_ids if c not in self.placed and c not in self.noted]
            if not missing:
                continue
            if len(missing) == len(td.cell_ids):
                msg = f"没有找到{_TABLE_TITLES[t]}，表中 {len(missing)} 个单元格未导入，请填写"
            else:
                names = "、".join(CELLS[c].label for c in missing[:6])
                more = f"等 {len(missing)} 个单元格" if len(missing) > 6 else ""
                msg = f"{_TABLE_TITLES[t]}中没有读到以下单元格的数字，请核对后填写：{names}{more}"
            self.note("unplaced", msg, missing)
        if not self.title_found and not self.structure.headings and not self.placed:
            name = self.source_name or "该文件"
            raise ReadError(f"文件“{name}”不像是政府信息公开工作年度报告："
                            "没有找到任何标准标题或表格")
        self.structure.unplaced = [c for c in schema.CELL_IDS
                                   if r.values[c] is None and c not in r.raw and c in self.noted]
        return ImportResult(r, self.notes, self.source_format, self.source_name)

    def _meta_notes(self) -> None:
        r = self.report
        form = schema.title_for("{机关名称}", None).replace("年", "YYYY年", 1)
        if not self.title_found:
            hint = ""
            sample = self.first_text or ""
            m = re.search(r"(\d{4})\s*年", " ".join(self.text["overview"][:3]) or sample)
            if m and _year(m.group(1)):
                hint += f"正文提到“{m.group(1)}年”，报告年度可能是 {m.group(1)} 年。"
            m = re.search(r"现将(.{2,30}?)\s*\d{4}\s*年", sample)
            if m:
                hint += f"机关名称可能是“{m.group(1).strip()}”。"
            self.note("meta", f"没有找到标题行（应为“{form}”），机关名称和报告年度未能识别，"
                      f"请在基本信息中填写。{hint}")
            return
        if not r.agency:
            self.note("meta", f"标题“{self.structure.title_line}”中没有机关名称，请在基本信息中填写")
        else:
            level = schema.level_from_agency(r.agency)
            if level is not Level.DEPARTMENT:
                r.level = level
                self.note("meta", f"按机关名称“{r.agency}”识别为“{level.label}”"
                          "（影响发布期限等规则），如有不符请在基本信息中修改")
        if r.year is None:
            self.note("meta", f"标题“{self.structure.title_line}”中没有报告年度，请在基本信息中填写")

    def _finish_2019(self) -> None:
        self.notes.insert(0, Note("format", "本报告为 2019 年试行格式（国办公开办函〔2019〕60号），"
                                  "已按 2021 年格式的栏目转换，请核对转换说明"))
        rep = ["t2.regulation.repealed", "t2.normative.repealed"]
        self.note("format", schema.T2_2019_REPEALED_NOTE, rep)
        total = next(m for m in schema.T2_2019_COLUMNS_1 if m.label == "对外公开总数量")
        seen = "；".join(f"{row} {text or '（空）'}" for row, col, text in self.dropped
                        if col == total.label)
        self.note("format", total.note + (f"（原表“{total.label}”：{seen}）" if seen else ""),
                  ["t2.regulation.in_force", "t2.normative.in_force"])
        fee_row = schema.T2_BLOCKS[3].rows[0][1]
        fees = [f"{col} {text or '（空）'}" for row, col, text in self.dropped if row == fee_row]
        self.note("format", schema.T2_2019_FEES_NOTE + (f"（原表：{'；'.join(fees)}）" if fees else ""),
                  [schema.FEE_ID])
        rest = [f"{row} {col} {text or '（空）'}" for row, col, text in self.dropped
                if row != fee_row and col != total.label]
        if rest:
            self.note("format", "2019 年格式中以下栏目在 2021 年格式中没有对应，未导入："
                      + "；".join(rest))


_SUBHEAD_START = frozenset("一二三四五六七八九十(（")


def _clip(s: str, n: int = 80) -> str:
    return s if len(s) <= n else s[:n] + "…"


_T2_MARK = L.norm("第二十条")
_T3_MARKS = tuple(L.norm(x) for x in ("勾稽关系", schema.T3_APPLICANTS))
_T3_FIRST = L.core(schema.T3_ROWS[0].label)
_T4_MARKS = (L.norm(schema.T4_REVIEW), L.norm(schema.T4_SUIT))


def _table_kind(nonempty: list[str]) -> str | None:
    j = L.norm("".join(nonempty))
    if _T2_MARK in j or j.startswith(L.norm(schema.T2_CONTENT)):
        return "t2"
    if any(m in j for m in _T3_MARKS) or L.core(nonempty[0]).startswith(_T3_FIRST):
        return "t3"
    if all(m in j for m in _T4_MARKS):
        return "t4"
    return None


# --------------------------------------------------------------------------
# Table readers
# --------------------------------------------------------------------------

class _Proc:
    # where the value columns end (an index into the row's cells), by number of values,
    # learnt from rows whose first and last values are both filled in
    ends: dict[int, int]

    def feed(self, cells: list[str]) -> bool:   # True when the row was used
        raise NotImplementedError

    def fit_row(self, cells: list[str], values: list[str], n: int) -> list[str] | None:
        """:func:`fit` for a row whose ``values`` are the tail of ``cells``."""
        ends = self.ends
        offset = len(cells) - len(values)
        known = ends.get(n)
        got = fit_span(values, n, None if known is None else known - offset)
        if got is None:
            return None
        fitted, a, b = got
        if b - a == n and values[a] and values[b - 1]:
            ends[n] = offset + b
        return fitted

    def flush(self) -> None:
        raise NotImplementedError


class _Grid:
    """Rows with their numbers, label-only rows and orphan number lines of one table."""

    def __init__(self, rec: _Recogniser, table: str):
        self.rec = rec
        self.table = table
        self.pending: list[_Row] = []
        self.orphans: list[str] = []

    def complete(self, row: _Row, values: list[str]) -> None:
        self.flush()
        self.rec.place_row(row, values)

    def label_only(self, row: _Row) -> None:
        if self.orphans:
            self.flush()
        self.pending.append(row)

    def orphan(self, values: list[str]) -> None:
        self.orphans.extend(values)

    def flush(self) -> None:
        rows, vals = self.pending, self.orphans
        self.pending, self.orphans = [], []
        rec = self.rec
        title = _TABLE_TITLES[self.table]
        if not rows and not vals:
            return
        if not vals:
            for row in rows:                         # left blank by the author
                rec.place_row(row, [""] * len(row.targets))
            return
        if not rows:
            rec.note("unplaced", f"{title}中有一行没有标签的数字（{_show(vals)}），"
                     "无法确定属于哪一行，未导入，请核对")
            return
        need = sum(len(r.targets) for r in rows)
        names = "”“".join(r.label for r in rows)
        if need == len(vals):
            i = 0
            for row in rows:
                rec.place_row(row, vals[i:i + len(row.targets)])
                i += len(row.targets)
            rec.note("info", f"{title}“{names}”的数字在单独的一行（{_show(vals)}），"
                     "已按顺序归入这几行，请核对", [c for r in rows for c in r.targets
                                              if not c.startswith("!")])
            return
        cells = [c for r in rows for c in r.targets if not c.startswith("!")]
        rec.note("unplaced", f"{title}“{names}”这 {len(rows)} 行没有数字，其后单独一行的 "
                 f"{len(vals)} 个数字（{_show(vals)}）无法确定属于哪一行，这几行未导入，请核对后填写",
                 cells)


# ---- table 二 --------------------------------------------------------------

_CAPTION = re.compile(r"第二十条第\(?([一二三四五六七八九十]+)\)?项")
_T2_BLOCK_OF_ROW = {"regulation": "一", "normative": "一", "licensing": "五",
                    "penalty": "六", "coercion": "六", "fees": "八",
                    "other_services": "五", "procurement": "九"}
_T2_2021_COLS: dict[str, tuple[tuple[str, str], ...]] = {
    _CAPTION.search(L.norm(b.caption)).group(1): b.columns for b in schema.T2_BLOCKS}
_T2_2019_COLS: dict[str, list[tuple[str, str | None]]] = {
    "一": [(m.label, m.target) for m in schema.T2_2019_COLUMNS_1],
    "五": [(m.label, m.target) for m in schema.T2_2019_COLUMNS_DECISIONS],
    "六": [(m.label, m.target) for m in schema.T2_2019_COLUMNS_DECISIONS],
    "八": [(m.label, None) for m in schema.T2_2019_COLUMNS_DECISIONS[:2]],
    "九": [("采购项目数量", None), ("采购总金额", None)],
}
_T2_2019_DROPPED = dict(zip(("other_services", "procurement"), schema.T2_2019_DROPPED_ROWS))


class _T2(_Proc):
    def __init__(self, rec: _Recogniser):
        self.rec = rec
        self.ends = {}
        self.grid = _Grid(rec, "t2")
        entries: list[tuple[str, object]] = []
        for b in schema.T2_BLOCKS:
            entries += [(label, rid) for rid, label in b.rows]
        entries += [(m.label, m.target) for m in schema.T2_2019_ROWS_1]
        entries += [(label, rid) for rid, label in _T2_2019_DROPPED.items()]
        self.index = L.LabelIndex(entries)
        self.official_2021 = {rid: label for b in schema.T2_BLOCKS for rid, label in b.rows}
        self.block: str | None = None
        self.header: dict[str, list[tuple[str, str | None]]] = {}   # block -> 2019 columns by header
        self.seen: set[str] = set()

    def feed(self, cells: list[str]) -> bool:
        labels, values = split_row(cells)
        has_vals = any(values)
        if not labels:
            if not has_vals:
                return False
            self.grid.orphan(strip_edges(values))
            return True
        joined = L.norm("".join(labels))
        m = _CAPTION.search(joined)
        if m:
            self.grid.flush()
            self.block = m.group(1)
            return True
        if L.core(labels[0]) == L.norm(schema.T2_CONTENT):
            self.read_header(labels[1:])
            return True
        lab = labels[-1]
        hit = self.index.match(lab)
        if hit is None:
            if has_vals:
                self.rec.note("info", f"{_TABLE_TITLES['t2']}中无法识别的行“{lab}”"
                              f"（{_show(strip_edges(values))}）未导入")
                return True
            return False
        official, rid = hit
        rid = str(rid)
        block = _T2_BLOCK_OF_ROW[rid]
        if rid in self.seen:
            self.rec.note("info", f"{_TABLE_TITLES['t2']}中“{lab}”出现了不止一次，"
                          f"后一行（{_show(strip_edges(values))}）未导入")
            return True
        self.seen.add(rid)
        if self.rec.is2019:
            cols = self.header.get(block) or _T2_2019_COLS[block]
            targets = [f"t2.{rid}.{t}" if t and rid not in _T2_2019_DROPPED else "!" + label
                       for label, t in cols]
        else:
            if rid in _T2_2019_DROPPED:
                self.rec.note("info", f"{_TABLE_TITLES['t2']}中的“{lab}”是 2019 年格式的栏目，"
                              f"2021 年格式没有，未导入（{_show(strip_edges(values))}）")
                return True
            targets = [f"t2.{rid}.{c}" for c, _ in _T2_2021_COLS[block]]
            off = self.official_2021[rid]
            if not L.same_label(lab, off):
                self.rec.variant(lab, off, targets)
            official = off
        row = _Row("t2", rid, lab, official, targets)
        if not has_vals:
            self.grid.label_only(row)
            return True
        fitted = self.fit_row(cells, values, len(targets))
        if fitted is None:
            self.grid.flush()
            self.rec.note("unplaced", f"{_TABLE_TITLES['t2']}“{lab}”一行的数字（{_show(values)}）"
                          f"与应有的 {len(targets)} 栏对不上，未导入，请核对",
                          [t for t in targets if not t.startswith("!")])
            return True
        self.grid.complete(row, fitted)
        return True

    def read_header(self, labels: list[str]) -> None:
        heads: list[str] = []
        for h in labels:                    # a merged header repeated over its span: once
            if not heads or L.norm(heads[-1]) != L.norm(h):
                heads.append(h)
        block = self.block
        if block is None:
            return
        if self.rec.is2019:
            known = {L.core(label): (label, t) for label, t in _T2_2019_COLS.get(block, [])}
            cols = [known.get(L.core(h)) for h in heads]
            if cols and all(cols) and len(cols) == len(known):
                self.header[block] = [c for c in cols if c]
            return
        official = _T2_2021_COLS.get(block)
        if not official:
            return
        rows = [rid for b in schema.T2_BLOCKS
                if _CAPTION.search(L.norm(b.caption)).group(1) == block for rid, _ in b.rows]
        for i, h in enumerate(heads[:len(official)]):
            col, olabel = official[i]
            if L.same_label(h, olabel):
                continue
            best = max(official, key=lambda o: L.similarity(L.key(L.core(h)), L.key(L.core(o[1]))))
            if L.key(L.core(h)) == L.key(L.core(best[1])) or L.similarity(
                    L.core(h), L.core(best[1])) >= 0.6:
                col, olabel = best
            if not L.same_label(h, olabel):
                self.rec.variant(h, olabel, [f"t2.{rid}.{col}" for rid in rows])

    def flush(self) -> None:
        self.grid.flush()


# ---- table 三 --------------------------------------------------------------

_T3_ORDER = [r.id for r in schema.T3_ROWS]
_T3_POS = {rid: i for i, rid in enumerate(_T3_ORDER)}
_T3_COLS = [c for c, _ in schema.T3_COLUMNS]
_T3_TOTAL_HEAD = L.norm(schema.T3_COLUMNS[-1][1])
_T3_HEADER_MARKS = tuple(L.norm(x) for x in (
    "勾稽关系", schema.T3_APPLICANTS, schema.T3_ORGS, *[label for _, label in schema.T3_COLUMNS[:5]]))
_T3_GROUP_CORES = {L.core(g) for g in (schema.T3_RESULTS_GROUP, schema.T3_GROUP_DENIED,
                                         schema.T3_GROUP_UNABLE, schema.T3_GROUP_REJECTED,
                                         schema.T3_GROUP_OTHER)}
_T3_OTHER_CORE = L.core(schema.T3_GROUP_OTHER)
_T3_HEADER_ROWS = ("results_total", "other.other")
_INNER_ENUM = re.compile(r"(?:\d{1,2}[.、．]|[（(][一二三四五六七八九十]{1,2}[)）])(?=[\u3400-\u9fff])")


def _tail_label(lab: str) -> str | None:
    """The last enumerated part of a label cell holding a group and a row label."""
    starts = [m.start() for m in _INNER_ENUM.finditer(lab)]
    starts = [i for i in starts if i > 0]
    return lab[starts[-1]:].strip() if starts else None


class _T3(_Proc):
    def __init__(self, rec: _Recogniser):
        self.rec = rec
        self.ends = {}
        self.grid = _Grid(rec, "t3")
        self.index = L.LabelIndex([(r.label, r.id) for r in schema.T3_ROWS])
        self.last = -1
        self.seen: set[str] = set()

    def feed(self, cells: list[str]) -> bool:
        labels, values = split_row(cells)
        has_vals = any(values)
        if not labels:
            if not has_vals:
                return False
            self.grid.orphan(strip_edges(values))
            return True
        joined = L.norm("".join(labels))
        if any(m in joined for m in _T3_HEADER_MARKS):
            last = max((i for i, c in enumerate(cells) if c), default=None)
            if last is not None and L.norm(cells[last]) == _T3_TOTAL_HEAD:
                self.ends[len(_T3_COLS)] = last + 1     # the 总计 column ends the values
            return True
        lab = labels[-1]
        expected = _T3_ORDER[self.last + 1] if self.last + 1 < len(_T3_ORDER) else None
        hit = self.index.match(lab, expected, exclude=self.seen)
        if hit is None:                 # "（三）不予公开 1.属于国家秘密" in one cell
            tail = _tail_label(lab)
            if tail is not None:
                hit = self.index.match(tail, expected, exclude=self.seen)
                lab = tail if hit is not None else lab
        title = _TABLE_TITLES["t3"]
        if hit is None:
            c = L.core(lab)
            if c == _T3_OTHER_CORE and has_vals:
                self.merged_other(lab, values)
                return True
            if c in _T3_GROUP_CORES and not has_vals:
                return True
            if has_vals:
                self.grid.flush()
                self.rec.note("info", f"{title}中无法识别的行“{lab}”（{_show(strip_edges(values))}）未导入")
                return True
            return False
        official, rid = hit
        rid = str(rid)
        if not has_vals and rid in _T3_HEADER_ROWS and self.last < _T3_POS["granted"]:
            return True                 # a header cell "总计" / "其他" on its own
        targets = [schema.t3(rid, c) for c in _T3_COLS]
        if rid in self.seen:
            self.rec.note("info", f"{title}中“{lab}”出现了不止一次，后一行"
                          f"（{_show(strip_edges(values))}）未导入")
            return True
        self.seen.add(rid)
        self.last = _T3_POS[rid]
        if not L.same_label(lab, official):
            self.rec.variant(lab, official, targets)
        row = _Row("t3", rid, lab, official, targets)
        if not has_vals:
            self.grid.label_only(row)
            return True
        fitted = self.fit_row(cells, values, len(targets))
        if fitted is None:
            self.grid.flush()
            self.rec.note("unplaced", f"{title}“{lab}”一行的数字（{_show(values)}）与应有的 7 栏"
                          "对不上，未导入，请核对", targets)
            return True
        self.grid.complete(row, fitted)
        return True

    def merged_other(self, lab: str, values: list[str]) -> None:
        """The 2019 table's single （六）其他处理 row: → 3.其他, the two others 0."""
        ids = {r: [schema.t3(r, c) for c in _T3_COLS]
               for r in ("other.no_correction", "other.unpaid_fee", "other.other")}
        fitted = fit(values, 7)
        if fitted is None or "other.other" in self.seen:
            self.grid.flush()
            self.rec.note("unplaced", f"{_TABLE_TITLES['t3']}“{lab}”一行的数字（{_show(values)}）"
                          "未能读入，请核对", ids["other.other"])
            return
        self.seen.update(ids)
        self.last = _T3_POS["other.other"]
        row = _Row("t3", "other.other", lab, schema.T3_ROW_BY_ID["other.other"].label,
                   ids["other.other"])
        self.grid.complete(row, fitted)
        for r in ("other.no_correction", "other.unpaid_fee"):
            for cid in ids[r]:
                if cid not in self.rec.placed:
                    self.rec.report.set(cid, 0)
                    self.rec.placed.add(cid)
        self.rec.note("format", schema.T3_2019_OTHER_NOTE,
                      [c for r in ids.values() for c in r])

    def flush(self) -> None:
        self.grid.flush()


# ---- table 四 --------------------------------------------------------------

_T4_HEADER_WORDS = tuple(L.norm(x) for x in (
    schema.T4_REVIEW, schema.T4_SUIT, *[g for _, g in schema.T4_GROUPS],
    *[c for _, c in schema.T4_COLUMNS]))


class _T4(_Proc):
    def __init__(self, rec: _Recogniser):
        self.rec = rec
        self.ends = {}
        self.rows: list[list[str]] = []
        self.done = False

    def feed(self, cells: list[str]) -> bool:
        labels, values = split_row(cells)
        if any(values):
            self.rows.append(values)
            return True
        joined = L.norm("".join(labels))
        return any(w in joined for w in _T4_HEADER_WORDS)

    def flush(self) -> None:
        rows, self.rows = self.rows, []
        if not rows:
            return
        ids = list(TABLES["t4"].cell_ids)
        if len(rows) == 1:
            vals = fit(rows[0], len(ids))
        else:
            vals = [v for r in rows for v in strip_edges(r)]
            vals = vals if len(vals) == len(ids) else None
        shown = _show([v for r in rows for v in strip_edges(r)])
        if self.done:
            self.rec.note("info", f"{_TABLE_TITLES['t4']}的数字出现了不止一次，后面的（{shown}）未导入")
            return
        if vals is None:
            self.rec.note("unplaced", f"{_TABLE_TITLES['t4']}的数字（{shown}）与应有的 15 栏"
                          "对不上，未导入，请核对", [c for c in ids if c not in self.rec.placed])
            return
        self.done = True
        for cid, text in zip(ids, vals):
            self.rec.put(cid, text)


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------

_MARKERS_2019 = tuple(L.norm(m) for m in schema.FORMAT_2019_MARKERS)
_HINTS_2019 = re.compile("|".join(re.escape(m[:4]) for m in schema.FORMAT_2019_MARKERS))


def _detect_2019(blocks: list[Block]) -> bool:
    """A 2019 marker in a table, or in a line of a table section (a caption on its own line).

    Not in the text sections: a report may well write 上一年项目数量 in its prose."""
    section = None
    for b in blocks:
        if isinstance(b, Paragraph):
            t = b.text or ""
            sid = match_heading(t.strip()) if len(t) <= MAX_HEADING_LEN + 10 else None
            if sid is not None:
                section = sid
                continue
            if section is not None and SECTION_BY_ID[section].kind != "table":
                continue
            texts = [t]
        elif isinstance(b, Table):
            texts = [str(c) for row in b.rows for c in row if c]
        else:
            continue
        for t in texts:
            if len(t) > 200 or not _HINTS_2019.search(t):
                continue
            n = L.norm(t)
            if any(m in n for m in _MARKERS_2019):
                return True
    return False


def recognise(blocks: list[Block], *, source_format: str = "txt",
              source_name: str = "") -> ImportResult:
    """Turn a reader's blocks into a report with notes (see the module docstring).

    Raises :class:`ReadError` when the blocks hold no report at all (no title, no
    level-1 heading, no table cell).
    """
    rec = _Recogniser(source_format, source_name, _detect_2019(blocks))
    rec.run(blocks)
    return rec.finish()
