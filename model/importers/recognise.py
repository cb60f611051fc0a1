"""Blocks → report: the one piece of logic every reader (text, DOCX, HTML, XLSX) shares.

:func:`recognise` walks the blocks once, in document order:

- **Title**: the first paragraph before the first heading that reads as a title in any
  form real reports use (:func:`match_title`: agency then year, the year first, ``年度``,
  without 工作, ``…工作YYYY年度报告``, ``《》``, Markdown marks, a trailing （全文）); a
  sentence that ends in 年度报告 is not one.  A title broken over lines is one title: the
  lines of one source paragraph (:attr:`Paragraph.broken`: ``<w:br/>``, ``<br>``) wherever
  the break falls; in text, up to two lines before a title line that is not whole on its own
  (``…人民政府2024年`` / ``政府信息公开工作年度报告``), and a line naming only a place or a
  government above its 办公室 (:func:`_place_piece`); page furniture never (:func:`_title_piece`).
  Without a title in the body, a :class:`TitleHint` (the page's ``<title>``, the DOCX
  properties) gives it; without either, the year comes from the statistics-period
  sentence or the opening lines and the agency from the 落款 or the opening sentence
  where that is a whole name, with a ``meta`` note (and rule S1 still reports it).
- **Headings**: :func:`heading_candidate` matches the official wording (2019 included),
  a near copy (≥ 85 %, a stray character) or the key terms of a heading (…及整改措施,
  …及改进措施); :meth:`_Recogniser.heading` weighs the numeral and the position: the
  official number, or the next number after the last 一、-style line (departments that
  renumber), and never a section already passed except an exact duplicate (S2).
  ``一、主动公开情况`` inside 一 is *not* a heading: it stays in the section text and is
  listed in ``structure.subheads``.  A heading with its first sentence on one line is split.
- **Lines of table sections** become cells: numbers at the end of a line separated by
  spaces (``（一）予以公开 20 3 0 0 1 0 24``), a number glued to its label; blank lines are
  empty cells (LibreOffice's one-cell-per-line text export); page numbers (``— 3 —``),
  running headers (the title again) and URL lines are dropped; a table's first line
  (``行政复议`` alone …) switches to its table when a heading is missing.
- **Tables** are read as a stream of rows, whichever blocks they came in, by content:
  rows are told apart by their labels (matched by :class:`labels.LabelIndex`:
  exact core, key, then similarity and order), never by column position, so
  merged cells repeated (DOCX/HTML) or shifted (text off web pages) read alike.
  The numbers of a row are the cells after its last label; trailing, then leading,
  empty cells are trimmed to the expected count, and a merged value repeated across
  its span is read once.
- **Orphan numbers** (seed 002): rows that carry a label and no number are kept
  pending; the numbers after them are given to them when the counts agree exactly (one
  pending row and seven numbers, two rows and fourteen …; blank lines are cells, or
  dropped when that makes the count right).  A wrapped label's second line carries on
  the row (its variant note withdrawn when the two lines make the official label).
  Otherwise nothing is guessed: the pending rows' cells stay ``None`` and an
  ``unplaced`` note lists them and the numbers.  At the end of a table, rows left
  without numbers and numbers left without rows (all the labels, then all the numbers)
  are placed in the table's fixed row order when the counts agree, with a note; if both
  are left and do not agree, the text is scrambled and every row placed by order alone
  is withdrawn and reported.  Table 三 read in document order whose every row, column
  and 勾稽关系 adds up is read so (labels torn off in PDF text); table 四's pieces are
  reordered only when exactly one order makes every group add up.  Pending rows that no
  number follows were left blank by the author: their cells are ``None`` with
  ``raw = ""`` (rule C3 warns).
- **Cells**: ``numbers.parse_count`` / ``parse_amount``; a blank, ``/``, ``—`` or an
  unreadable text (``abc``, ``-3``) gives ``None`` and the text in ``report.raw``; a
  number with a remark (``22（其中修订16件）``) is the number, the remark a note; a fee
  printed with more than four decimals is kept as printed (rule C2 reports it).
- **2019 format** (DOMAIN.md §3), detected by ``schema.FORMAT_2019_MARKERS``: mapped
  onto 2021 ids with a ``format`` note for everything not carried over.  Its one
  （六）其他处理 row is read as 3.其他 wherever it appears (a 2021–23 report that kept the
  old table), blank or not; the two rows it lacks are 0, with a note.
- **Publish date**: a ``发布日期：…`` line anywhere, else the last line that is only a
  date (``2025年1月20日``); such lines (and a signature line equal to the agency just
  before) are not section text.

Every one of the 200 cells ends up either read (a value, or ``None`` with its raw
text) or listed in an ``unplaced`` / ``format`` note.  A document with no title, no
heading and no table cell raises :class:`ReadError`.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from .. import schema
from ..errors import ReadError
from ..numbers import cn_to_int
from ..report import Report, Structure
from ..schema import CELLS, SECTION_BY_ID, SECTIONS, TABLES, Level
from . import labels as L
from .base import ImportResult, Note
from .blocks import Block, Paragraph, Table, TitleHint

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
# key terms of each level-1 heading, for the wordings real reports use (…及整改措施,
# …及改进措施, the 2019 wording, a stray character): every term of one set must appear
_HEAD_KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "overview": (("总体情况",),),
    "active": (("主动公开", "政府信息"),),
    "requests": (("收到", "处理", "申请"),),
    "appeals": (("行政复议", "行政诉讼"),),
    "problems": (("存在", "问题", "改进"), ("存在", "问题", "整改"), ("存在", "问题", "措施"),
                 ("存在", "不足", "改进"), ("存在", "不足", "整改")),
    "other": (("其他需要报告",), ("其他", "报告", "事项")),
}
# wordings that are headings only at their official number (sub-heads use them too)
_HEAD_KEYS_AT_NUMBER: dict[str, tuple[tuple[str, ...], ...]] = {
    "overview": (("基本情况",), ("总体概况",), ("概述",)),
    "other": (("其他", "事项"),),
}


_HEAD_START = frozenset("一二三四五六七八九十(（#＃*_【")


@dataclass(frozen=True)
class HeadingCandidate:
    sid: str
    kind: str             # enumerator kind ("cn" 一、, "pcn" （一）, "num" 1., "" none)
    num: int | None
    exact: bool           # the official (or 2019) wording up to width and spaces
    similar: bool         # exact, or ≥ 85 % alike with the right numeral


def heading_candidate(text: str, n: str | None = None) -> HeadingCandidate | None:
    """What level-1 heading ``text`` could be, by wording and key terms (position is
    for the caller to weigh); None when it is no heading at all."""
    if not text or len(text) > MAX_HEADING_LEN + 6:
        return None
    first = text.lstrip()[:1]
    if first not in _HEAD_START and len(text) > 20:
        return None                         # a heading starts with its numeral or a mark
    n = L.norm(text) if n is None else n
    if any(c in n for c in "。；;"):
        return None
    n = unmark(n)
    kind, num, c = L.split_enum(n)
    c = unmark(c)
    if not c or len(c) > MAX_HEADING_LEN:
        return None
    sid = _HEAD_CORES.get(c)
    if sid is not None:
        return HeadingCandidate(sid, kind, num, True, True)
    if kind == "cn" and num in _SEC_BY_NUM:
        sid = _SEC_BY_NUM[num]
        if any(L.similarity(c, hc) >= HEADING_SIMILARITY for hc in _HEAD_CORES_BY_SID[sid]):
            return HeadingCandidate(sid, kind, num, False, True)
    if len(c) > 30:
        return None
    for sid, sets in _HEAD_KEYS.items():
        if any(all(k in c for k in terms) for terms in sets):
            return HeadingCandidate(sid, kind, num, False, False)
    if kind == "cn" and len(c) <= 12:
        for sid, sets in _HEAD_KEYS_AT_NUMBER.items():
            if num == _SEC_NUM[sid] and any(all(k in c for k in terms) for terms in sets):
                return HeadingCandidate(sid, kind, num, False, False)
    return None


def match_heading(text: str, n: str | None = None) -> str | None:
    """The section id if ``text`` is one of the six level-1 headings at its official
    number (or without a number, in the official wording), else None.

    ``n``: ``labels.norm(text)`` when the caller has it already.  The recogniser also
    takes renumbered headings and other wordings, by position (see :class:`_Recogniser`)."""
    cand = heading_candidate(text, n)
    if cand is None:
        return None
    if cand.kind == "cn" and cand.num == _SEC_NUM[cand.sid] and (cand.similar or cand.exact):
        return cand.sid
    if cand.kind == "" and cand.exact and len(L.core(text)) >= 6:
        return cand.sid
    return None


# --------------------------------------------------------------------------
# Title and dates
# --------------------------------------------------------------------------

_CN_YEAR = "〇○零一二三四五六七八九"
_Y = r"(?P<year>\d{4}|[" + _CN_YEAR + r"]{4})"
_SUFFIX = r"政府信息公开(?:工作)?(?:的|情况)?(?:年度)?(?:报告|年报)"
# the forms real titles take (after labels.norm and the marks stripped): agency then year
# (年 or 年度), the year first, ``…工作YYYY年度报告``, no year at all; 工作 and 年度 optional
_TITLE_RES = (
    re.compile(r"^(?P<agency>.*?)" + _Y + r"年度?" + _SUFFIX + r"$"),
    re.compile(r"^" + _Y + r"年度?(?P<agency>.+?)" + _SUFFIX + r"$"),
    re.compile(r"^(?P<agency>.+?)政府信息公开(?:工作)?" + _Y + r"年度?(?:工作)?报告$"),
    re.compile(r"^(?P<agency>.*?)" + _SUFFIX + r"$"),
)
# what makes a line prose rather than a title: sentence punctuation, or the words of a
# sentence that mentions the report (现将…, 根据…, 特向社会公布…)
_PROSE = re.compile(r"[，。；;！!？?]|^(?:现将|现就|现向|根据|按照|依据|依照|特此|特向|为了|为进一步|"
                    r"我(?:局|委|办|区|市|县|镇|乡|单位|中心|厅|部|们)|本(?:机关|单位|局|委|办|部门|年度|报告))"
                    r"|公布|发布|印发|如下|编制|"
                    r"下载|附件|点击|查看")
_MARKS = re.compile(r"^(?:[#＃]{1,6}|[*_]{2,3}|【)|(?:[*_]{2,3}|】)$")
MAX_AGENCY_LEN = 40
_TITLE_REMARK = re.compile(r"(?<=报告)[》\"]?\((?:全文|正文|\d{4}年?|[^()]{1,8}版)\)$")


def unmark(text: str) -> str:
    """A line without Markdown heading or bold marks (``## 一、总体情况``, ``**二、…**``)."""
    t = text.strip()
    for _ in range(3):
        t2 = _MARKS.sub("", t).strip()
        if t2 == t:
            break
        t = t2
    return t


def _year(s: str | None) -> int | None:
    if not s:
        return None
    v = int(s) if s.isdigit() else cn_to_int(s.replace("○", "〇"))
    return v if v is not None and 1990 <= v <= 2100 else None


def match_title(text: str, n: str | None = None) -> tuple[str, int | None] | None:
    """(agency, year) when ``text`` is a title line; agency may be "" and year None.

    A sentence that happens to end in 年度报告 is not a title."""
    if len(text) > 90 or ("报告" not in text and "年报" not in text):
        return None
    t = L.norm(unmark(text) if n is None else unmark(n))
    t = _TITLE_REMARK.sub("", t.strip("《》<>\"").rstrip(":")).strip("《》<>\"")
    for rx in _TITLE_RES:
        m = rx.match(t)
        if m:
            break
    else:
        return None
    agency = L.agency_name(m.group("agency").strip("《》<>:,"))
    if agency.endswith("关于"):                 # 某某局关于2024年政府信息公开工作年度报告
        agency = agency[:-2]
    if len(agency) > MAX_AGENCY_LEN or (agency and _PROSE.search(agency)):
        return None
    year = _year(m.groupdict().get("year"))
    if m.groupdict().get("year") and year is None:
        return None
    return agency, year


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
        self.same_para = 0                  # the last lines of preamble from the paragraph being read
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
        self.head_kind: str | None = None           # enumerator of the level-1 headings
        self.last_cn = 0                            # numeral of the last 一、-style line
        self.signature: str | None = None           # the 署名 of the 落款
        self.title_norm: str | None = None
        self.title_hint: str | None = None
        self.title_hint_source = ""
        self.missing_heading: list[str] = []        # table sections entered without a heading

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

    def continued(self, row: _Row, fragment: str) -> None:
        """A wrapped label's second line: when the two lines make the official label,
        the first line's variant note is withdrawn."""
        whole = f"{row.label}{fragment}"
        k = (row.label.strip(), row.official)
        if L.same_label(whole, row.official) and k in self.structure.label_variants:
            self.structure.label_variants.remove(k)
            self.notes = [n for n in self.notes if not (
                n.kind == "variant" and n.message.startswith(f"表格标签“{k[0]}”与规定文字“{k[1]}”"))]
        row.label = whole

    # ---- cells ---------------------------------------------------------
    def put(self, cid: str, text: str) -> None:
        text = text.strip()
        if text.isascii() and text.isdigit() and len(text) <= 9 and CELLS[cid].kind == "int":
            self.report.set(cid, int(text))         # the common case, without parse_count
            self.placed.add(cid)
            return
        decimal = CELLS[cid].kind == "decimal"
        p = L.parse_cell(text, decimal)
        if p.error is not None:
            got = L.split_remark(text)
            if got is not None and L.parse_cell(got[0], decimal).error is None:
                number, remark = got
                self.note("info", f"{CELLS[cid].label}填的是“{text}”，已读为 {number}，"
                          f"括号中的说明“{remark}”未导入表格", [cid])
                text = number
                p = L.parse_cell(text, decimal)
        if p.error is not None and decimal:
            fee = _long_decimal(text)
            if fee is not None:             # kept as printed: rule C2 says it has too many decimals
                self.report.set(cid, fee)
                self.placed.add(cid)
                return
        if p.value is not None:
            self.report.set(cid, p.value)
        else:
            self.report.set(cid, None, raw=text)
        self.placed.add(cid)

    def place_row(self, row: _Row, values: list[str]) -> None:
        for target, text in zip(row.targets, values, strict=False):
            if target.startswith("!"):
                self.dropped.append((row.official, target[1:], text))
            elif target not in self.placed:
                self.put(target, text)
        if row.key == _MERGED_OTHER:
            self.t3.merged_placed()

    # ---- blocks --------------------------------------------------------
    def run(self, blocks: list[Block]) -> None:
        for b in blocks:
            if isinstance(b, Paragraph):
                if not b.broken:
                    self.same_para = 0
                self.paragraph(b.text or "")
            elif isinstance(b, TitleHint):
                if self.title_hint is None and match_title(b.text) is not None:
                    self.title_hint, self.title_hint_source = b.text.strip(), b.source
            elif isinstance(b, Table):
                for row in b.rows:
                    self.row(["" if c is None else str(c).strip() for c in row])
        self.close_table()

    def start_section(self, sid: str, text: str) -> None:
        self.close_table()
        self.structure.headings.append(text)
        self.section = sid
        kind, num, _ = L.split_enum(L.norm(unmark(text)))
        if self.head_kind is None:
            self.head_kind = kind
        if kind == "cn" and num is not None:
            self.last_cn = num
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
            self.same_para += 1
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
                self.signature = lines.pop()
            elif lines and (not self.title_found or not self.report.agency) and _agency_like(lines[-1]):
                self.signature = lines.pop()
        return True

    def try_title(self, text: str, n: str | None = None) -> bool:
        if self.title_found or self.section is not None:
            return False
        got = match_title(text, n)
        line = text.strip()
        used = 0                            # lines before this one that are part of the title
        linked = min(self.same_para, len(self.preamble), 3)
        if linked:
            # one paragraph of the source broken by line breaks: its lines are one title
            joined = match_title("".join(self.preamble[-linked:]) + line)
            if joined is not None and (_whole_title(joined) or not _whole_title(got)):
                got, used = joined, linked
        if not used and not _whole_title(got) and (got is not None or not _agency_like(line)):
            # a title broken over lines (a Word line break, a copied page): the lines before
            # complete it — ``…人民政府2024年`` / ``政府信息公开工作年度报告``, the agency alone
            # on the line before the year, a name broken over two lines above it
            for k in (1, 2):
                pieces = self.preamble[-k:] if len(self.preamble) >= k else []
                if not pieces or not all(_title_piece(p) for p in pieces):
                    break
                text_ = "".join(pieces) + line
                if text_.count("信息公开") > 1:   # a column's name above the title, not a piece
                    break
                joined = match_title(text_)
                if _whole_title(joined):
                    got, used = joined, k
                    break
        if got is None:
            return False
        if _whole_title(got):
            # a line that names only a place (``广东省广州市``) just above: the first part of a
            # name broken at an administrative unit
            while used < 2 and len(self.preamble) > used and (
                    _place_piece(self.preamble[-1 - used])
                    or (_GENERIC_UNIT.match(got[0]) and _title_piece(self.preamble[-1 - used])
                        and _UNIT_OF.search(L.norm(self.preamble[-1 - used])))):
                whole = match_title("".join(self.preamble[-used - 1:]) + line)
                if whole is None or not _whole_title(whole):
                    break
                got, used = whole, used + 1
        agency, year = got
        if used:
            line = "".join(self.preamble[-used:]) + line
            del self.preamble[-used:]
        self.structure.title_line = line
        self.title_norm = L.norm(unmark(line))
        self.before_title, self.preamble = self.preamble, []
        self.report.agency = agency
        self.report.year = year
        self.title_found = True
        return True

    def heading(self, text: str, n: str | None = None) -> str | None:
        """The section ``text`` starts, by wording and position (see :func:`heading_candidate`)."""
        cand = heading_candidate(text, n)
        if cand is None:
            return None
        pos = _SEC_NUM[cand.sid]
        cur = _SEC_NUM[self.section] if self.section else 0
        if cand.kind == "cn":
            if cand.num == pos and (cand.exact or cand.similar):
                return cand.sid                         # duplicates included: S2 reports them
            if pos > cur and cand.num in (pos, self.last_cn + 1):
                return cand.sid                         # another wording, or renumbered
            return None
        if cand.kind == "":
            if cand.exact and (len(L.core(text)) >= 6
                               or (self.section is None and self.title_found and pos == 1)):
                return cand.sid                         # 总体情况 unnumbered: first after the title
            return None
        if self.section is None and cand.sid == "overview" and cand.num == 1:
            return cand.sid                             # （一）总体情况: headings numbered （一）…
        if cand.kind == self.head_kind and pos > cur and cand.num in (pos, self.last_cn + 1):
            return cand.sid
        return None

    def furniture(self, t: str, n: str) -> bool:
        """Page numbers, running headers and browser headers inside the text."""
        if _PAGE_NUMBER.fullmatch(n):
            return True
        if self.title_norm and len(n) <= 90 and L.norm(unmark(t)) == self.title_norm:
            return True
        return _URL_LINE.match(n) is not None

    def paragraph(self, text: str) -> None:
        t = text.strip()
        if not t:
            if self.proc is not None:
                self.proc.blank()
            return
        n = L.norm(t) if len(t) <= 90 else None
        if n is not None:
            sid = self.heading(t, n)
            if sid is not None:
                self.start_section(sid, unmark(t))
                return
            if self.try_title(t, n) or self.date_line(t, n):
                return
            if self.furniture(t, n):
                return
        if self.title_found or self.section is not None:
            m = _HEAD_THEN_TEXT.match(t)
            if m:
                sid = self.heading(m.group(1))
                if sid is not None:           # "五、存在的主要问题及改进情况 2022年，…": split
                    self.start_section(sid, unmark(m.group(1)))
                    self.paragraph(m.group(2))
                    return
        sec = SECTION_BY_ID.get(self.section) if self.section else None
        if n is not None and (sec is None or sec.kind != "table") and self.section is not None:
            start = _table_start(n)
            if start is not None and _SEC_NUM[start] > _SEC_NUM[self.section]:
                sec = SECTION_BY_ID[start]      # a table whose heading is missing: its own section
                self.close_table()
                self.section = start
                self.missing_heading.append(start)
        if sec is not None and sec.kind == "table":
            cells = _line_cells(t) if len(t) <= 200 else [t]
            kind = _table_kind(cells) if len(t) <= 120 else None
            proc = self.proc_for(kind) if kind else (self.proc or self.proc_for(sec.table))
            if proc is not None:
                self.switch(proc)
                if len(t) <= 120 and proc.feed(cells):
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
            sid = self.heading(only)
            if sid is not None:
                self.start_section(sid, unmark(only))
                return
            if self.try_title(only):
                return
            if len(only) <= 90 and self.furniture(only, L.norm(only)):
                return
        kind = _table_kind(nonempty)
        proc = self.proc_for(kind) if kind is not None else None
        if proc is None and self.proc is None and self.section is not None:
            sec = SECTION_BY_ID[self.section]
            if sec.kind == "table":
                proc = self.proc_for(sec.table)
        if proc is not None:
            self.switch(proc)
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
        kind, num, _ = L.split_enum(L.norm(t[:12]))
        if kind not in ("cn", "pcn"):
            return
        if kind == "cn" and num is not None and len(t) <= 30:
            self.last_cn = num
        head = None
        if len(t) <= 30 and "。" not in t:
            head = t
        else:
            m = re.search(r"[：:]", t)
            if m and m.start() <= 25:
                head = t[:m.start()]
        if head and self.section is not None:
            head = head.strip().rstrip("：:")
            self.structure.subheads.setdefault(self.section, []).append(head)

    # ---- the end -------------------------------------------------------
    def finish(self) -> ImportResult:
        r = self.report
        if not self.title_found and self.title_hint is not None:
            got = match_title(self.title_hint)
            if got is not None:
                self.structure.title_line = self.title_hint
                r.agency, r.year = got
                self.title_found = True
                self.note("info", f"正文中没有标题行，标题“{self.title_hint}”取自"
                          f"{self.title_hint_source or '文件'}")
        for sid in self.missing_heading:
            self.note("info", f"没有找到标题“{SECTION_BY_ID[sid].heading}”，其后的表格已按内容识别")
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
            self._meta_without_title(form)
            if not r.agency:
                return
        elif not r.agency and self.signature and _agency_like(self.signature):
            r.agency = L.agency_name(self.signature)
            self.note("meta", f"标题“{self.structure.title_line}”中没有机关名称，"
                      f"已按落款定为“{r.agency}”，请核对")
        elif not r.agency:
            self.note("meta", f"标题“{self.structure.title_line}”中没有机关名称，请在基本信息中填写")
        if r.agency:
            level = schema.level_from_agency(r.agency)
            if level is not Level.DEPARTMENT:
                r.level = level
                self.note("meta", f"按机关名称“{r.agency}”识别为“{level.label}”"
                          "（影响发布期限等规则），如有不符请在基本信息中修改")
        if r.year is None and self.title_found:
            m = _STAT_PERIOD.search(" ".join(self.text["overview"][:12]))
            if m and _year(m.group(1)):
                r.year = _year(m.group(1))
                self.note("meta", f"标题“{self.structure.title_line}”中没有报告年度，已按统计期限"
                          f"“{_clip(m.group(0), 30)}”定为 {r.year} 年，请核对")
            else:
                self.note("meta", f"标题“{self.structure.title_line}”中没有报告年度，请在基本信息中填写")

    def _meta_without_title(self, form: str) -> None:
        """No title: the year from the statistics period or the opening lines, the agency
        from the 落款 or the opening sentence where that is reliable; one note says which."""
        r = self.report
        lines = self.text["overview"][:12]
        sample = self.first_text or ""
        head = " ".join(lines)
        said: list[str] = []
        m = _STAT_PERIOD.search(head)
        if m and _year(m.group(1)):
            r.year = _year(m.group(1))
            said.append(f"报告年度按统计期限“{_clip(m.group(0), 30)}”定为 {r.year} 年")
        else:
            m = _OPENING_YEAR.search(sample) or next(
                (x for x in (_LEAD_YEAR.match(t) for t in lines[:3]) if x), None)
            if m and _year(m.group("year")):
                r.year = _year(m.group("year"))
                said.append(f"报告年度按开头的“{_clip(m.group(0), 30)}”定为 {r.year} 年")
        opening = _OPENING_YEAR.search(sample)
        guess = opening.group("agency").strip() if opening else ""
        if self.signature and _agency_like(self.signature):
            r.agency = L.agency_name(self.signature)
            said.append(f"机关名称按落款定为“{r.agency}”")
        elif guess and _agency_like(guess) and not _partial_name(guess):
            r.agency = L.agency_name(guess)
            said.append(f"机关名称按开头的句子定为“{r.agency}”")
        missing = [w for w, v in (("机关名称", r.agency), ("报告年度", r.year)) if not v]
        msg = f"没有找到标题行（应为“{form}”）"
        if said:
            msg += "；" + "，".join(said) + "，请核对"
        if missing:
            msg += f"；{'和'.join(missing)}未能识别，请在基本信息中填写"
            if not r.agency and guess:
                msg += f"（机关名称可能是“{guess}”）"
        self.note("meta", msg + "。")

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
# a level-1 heading with the first sentence of its section on the same line
_HEAD_THEN_TEXT = re.compile(r"^((?:[#＃]+\s*)?[一二三四五六七八九十]{1,2}[、.．][^\s。，,；;]{3,40}?)"
                             r"(?:\s+|[：:])(\S.*)$")
_GLUED = re.compile(r"^(.*[\u3400-\u9fff”\"）)])(\d[\d,]{0,14}(?:\.\d{1,12})?)$")
# the statistics-period sentence: 本年度报告中所列数据统计期限自2024年1月1日起至12月31日止
_STAT_PERIOD = re.compile(r"统计(?:期限|时限|时间|区间|范围|周期|口径)?[^。\d]{0,8}"
                          r"(\d{4})\s*年\s*1\s*月\s*1\s*日")
_OPENING_YEAR = re.compile(r"现将(?P<agency>[^，。,；;：:]{2,30}?)\s*(?P<year>\d{4})\s*年度?")
_LEAD_YEAR = re.compile(r"^(?P<year>\d{4})\s*年度?\s*[，,]")
_PARTIAL_NAME = re.compile(r"^(?:[我该]|本(?:机关|单位|局|委|办|部门)|[区县市镇乡省街])")


def _partial_name(name: str) -> bool:
    """``我局``, ``本单位``, ``区商务局``: not a whole agency name (``本溪市…`` is one)."""
    return _PARTIAL_NAME.match(L.norm(name)) is not None
# page furniture inside the text: "— 3 —", "-3-", "第 3 页 共 6 页", "3/6页"; a URL line
_PAGE_NUMBER = re.compile(r"[-—–~]+\d{1,4}[-—–~]+|第\d{1,4}页(?:共\d{1,4}页)?|\d{1,4}/\d{1,4}页?"
                          r"|共\d{1,4}页第\d{1,4}页")
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$|^\d{4}/\d{1,2}/\d{1,2}(?:上午|下午)?\d{1,2}:\d{2}")
_AGENCY_END = re.compile(r"(?:局|委员会|委|办公室|办|人民政府|政府|办事处|管委会|管理委员会|中心|厅|部|署|院|"
                         r"所|站|队|会|处|室|集团|公司|法院|检察院|分局|支队|大队)$")
_LONG_DECIMAL = re.compile(r"^\d{1,12}\.\d{5,12}$")


_CAPTION_LINE = re.compile(r"^第二十条第\(?[一二三四五六七八九十]+\)?项$")
_T3_CORNER_START = L.norm("（本列数据的勾稽关系")


def _table_start(n: str) -> str | None:
    """The table section a normalised line opens, when it is unmistakably a table's first
    cell (a caption of 表二, the corner cell of 表三)."""
    if _CAPTION_LINE.match(n):
        return "active"
    if n.startswith(_T3_CORNER_START):
        return "requests"
    return None


def _whole_title(got: tuple[str, int | None] | None) -> bool:
    """A title match that names an agency (no stray digits in it) and a year."""
    return got is not None and bool(got[0]) and got[1] is not None and not re.search(r"\d", got[0])


# a line that may be one piece of a title broken over lines: short, no sentence or page-chrome
# punctuation, no words of a web page's furniture
_NOT_TITLE_PIECE = re.compile(r"[。，,；;：:！!？?|｜>»/·]|网站|首页|位置|索引|来源|浏览|打印|关闭|"
                              r"字号|分享|时间|日期|报告")
# an agency named only by the office of a government (``办公室``): the line above names whose
_GENERIC_UNIT = re.compile(r"^(?:人民政府|政府|管委会|管理委员会)?(?:办公室|办公厅|办)$")
_UNIT_OF = re.compile(r"(?:人民政府|政府|管委会|管理委员会|委员会)$")
_PLACE_END = re.compile("(?:" + "|".join(schema.DIVISION_SUFFIXES) + ")$")


def _title_piece(line: str) -> bool:
    t = L.norm(unmark(line))
    return 0 < len(t) <= 40 and not _NOT_TITLE_PIECE.search(t) and not _PROSE.search(t)


def _place_piece(line: str) -> bool:
    """A short line naming only a place: ``广东省``, ``广州市天河区``."""
    t = L.norm(unmark(line))
    return 2 <= len(t) <= 20 and _title_piece(line) and not re.search(r"\d", t) and \
        _PLACE_END.search(t) is not None and L.has_cjk(t)


def _agency_like(line: str) -> bool:
    """A line that could be an agency's name (the 署名 of the 落款)."""
    t = L.norm(line)
    return 3 <= len(t) <= 30 and not re.search(r"[。，,；;：:！!？?\d]", t) and \
        _AGENCY_END.search(t) is not None


def _long_decimal(text: str) -> Decimal | None:
    """A fee printed with more than four decimals, as printed (rule C2 reports it)."""
    t = L.norm(text)
    for unit in ("万元", "万"):
        t = t.removesuffix(unit)
    t = t.replace(",", "")
    if not _LONG_DECIMAL.match(t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:        # pragma: no cover - the pattern admits only decimals
        return None


def _line_cells(t: str) -> list[str]:
    """A line of a table section as cells: the numbers at its end, separated by spaces
    (``（一）予以公开 20 3 0 0 1 0 24``), each a cell after one label cell."""
    tokens = t.split()
    if len(tokens) == 1:
        m = _GLUED.match(t)
        return [m.group(1), m.group(2)] if m else [t]
    if not tokens:
        return [t]
    i = len(tokens)
    while i > 0 and L.is_value_like(tokens[i - 1]):
        i -= 1
    if i == len(tokens):
        if L.core(tokens[0]) == L.norm(schema.T2_CONTENT):
            return tokens               # 信息内容 本年制发件数 …: a header row
        return [t]
    label = " ".join(tokens[:i])
    values = tokens[i:]
    m = _GLUED.match(label) if label else None
    if m and len(values) >= 1:              # "1.属于国家秘密0 0 0 …": the first number glued on
        label, values = m.group(1), [m.group(2), *values]
    return ([label] if label else []) + values


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
    if len(nonempty) == 1 and j in _T4_MARKS:
        return "t4"                     # 行政复议 alone on its line (one cell per line)
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

    def blank(self) -> None:                    # a blank line: an empty cell
        grid = getattr(self, "grid", None)
        if grid is not None:
            grid.blank()


class _Grid:
    """Rows with their numbers, label-only rows and orphan number lines of one table.

    A label row and the numbers after it are paired when their counts agree (blank
    lines of a one-cell-per-line table are blank cells; a double-spaced copy's blank
    lines are dropped when that makes the count right).  Rows left without numbers and
    numbers left without a row are kept to the end of the table: labels torn off their
    numbers (all the labels, then all the numbers, as PDF text gives them) are placed in
    the table's fixed row order when the counts agree, with a note; else the rows were
    left blank by the author and the numbers are reported.
    """

    def __init__(self, rec: _Recogniser, table: str):
        self.rec = rec
        self.table = table
        self.pending: list[_Row] = []
        self.orphans: list[str] = []
        self.blank_rows: list[_Row] = []        # label rows no numbers followed
        self.loose: list[list[str]] = []        # number lines no label row took
        self.line: list[str] = []               # the orphan line being read
        self.apart: list[tuple[str, str, list[str]]] = []   # rows whose numbers had a line apart
        self.paired: list[_Row] = []            # rows given the numbers on the lines after them
        self.trouble = False                    # numbers that could not be matched to their rows

    def complete(self, row: _Row, values: list[str]) -> None:
        self.flush()
        self.rec.place_row(row, values)

    def label_only(self, row: _Row) -> None:
        if self.orphans:
            self.flush()
        self.pending.append(row)

    def orphan(self, values: list[str], continued: bool = False) -> None:
        self.orphans.extend(values)
        if not continued:               # not the numbers after a wrapped label's second line
            self.line.append(" ".join(values))

    def blank(self) -> None:
        if self.pending or self.orphans:
            self.orphans.append("")

    def flush(self) -> None:
        rows, vals = self.pending, self.orphans
        self.pending, self.orphans, lines = [], [], self.line
        self.line = []
        rec = self.rec
        title = _TABLE_TITLES[self.table]
        if not any(vals):
            self.blank_rows.extend(rows)
            return
        if not rows:
            if not _all_blank(vals):        # a row of placeholders (— /) under a group row: none
                self.loose.append(strip_edges(vals))
            return
        need = sum(len(r.targets) for r in rows)
        names = "”“".join(r.label for r in rows)
        got = _fit_many(vals, need, len(rows) == 1)
        if got is not None:
            i = 0
            for row in rows:
                rec.place_row(row, got[i:i + len(row.targets)])
                i += len(row.targets)
            self.paired.extend(rows)
            if len(lines) == 1 and len(lines[0].split()) > 1:
                self.apart.append((names, _show(strip_edges(vals)),
                                   [c for r in rows for c in r.targets if not c.startswith("!")]))
            return
        filled = [v for v in vals if v]
        before = self.blank_rows
        if before and sum(len(r.targets) for r in before) + need == len(filled):
            self.blank_rows = []            # all the labels first, then all the numbers
            self.loose.append(filled)
            self.blank_rows = before + rows
            return
        cells = [c for r in rows for c in r.targets if not c.startswith("!")]
        shown = _show(strip_edges(vals))
        self.trouble = True
        rec.note("unplaced", f"{title}“{names}”这 {len(rows)} 行没有数字，其后单独一行的 "
                 f"{len([v for v in vals if v])} 个数字（{shown}）无法确定属于哪一行，这几行未导入，"
                 "请核对后填写", cells)

    def close(self, order: list[_Row] | None = None) -> None:
        """The end of the table: rows and numbers left over (see the class docstring).

        ``order``: the table's rows nobody read, in their fixed order, for numbers that
        came without any label at all (table 三 only, where the sums can confirm it)."""
        self.flush()
        rows, loose = self.blank_rows, self.loose
        self.blank_rows, self.loose = [], []
        rec = self.rec
        title = _TABLE_TITLES[self.table]
        if self.apart:
            apart, self.apart = self.apart, []
            shown = "；".join(f"“{names}”：{vals}" for names, vals, _ in apart[:4])
            more = f"等 {len(apart)} 处" if len(apart) > 4 else ""
            rec.note("info", f"{title}中这些行的数字在标签之后单独的一行（{shown}{more}），"
                     "已按顺序归入这几行，请核对", [c for _, _, cells in apart for c in cells])
        if loose:
            flat = [v for line in loose for v in line]
            target = rows or order or []
            need = sum(len(r.targets) for r in target)
            if target and need == len(flat) and (rows or _sums_hold(target, flat)):
                i = 0
                for row in target:
                    rec.place_row(row, flat[i:i + len(row.targets)])
                    i += len(row.targets)
                names = "”“".join(r.label for r in target[:3]) + ("”等" if len(target) > 3 else "”")
                check = _sums_note(target, flat)
                rec.note("info", f"{title}中“{names} {len(target)} 行的标签与数字分开排列，"
                         f"已按表格规定的行序把 {len(flat)} 个数字依次归入这些行（推断）{check}，请核对",
                         [c for r in target for c in r.targets if not c.startswith("!")])
                return
            for line in loose:
                rec.note("unplaced", f"{title}中有一行没有标签的数字（{_show(line)}），"
                         "无法确定属于哪一行，未导入，请核对")
            if rows:                            # rows without numbers and numbers without rows:
                self.scrambled(rows)            # the text is scrambled; nothing is guessed
                return
        if rows and self.trouble:               # rows whose numbers went astray, not blank ones
            cells = [c for r in rows for c in r.targets if not c.startswith("!")]
            names = "”“".join(r.label for r in rows[:4]) + ("”等" if len(rows) > 4 else "”")
            rec.note("unplaced", f"{title}中“{names} {len(rows)} 行没有读到数字（表中有对不上行的数字），"
                     "未导入，请对照原表填写", cells)
            return
        for row in rows:                         # left blank by the author
            rec.place_row(row, [""] * len(row.targets))

    def scrambled(self, rows: list[_Row]) -> None:
        """Undo what was paired by order alone; report those rows and the empty ones."""
        rec = self.rec
        undo = [*self.paired, *rows]
        self.paired = []
        cells = [c for r in undo for c in r.targets if not c.startswith("!")]
        for cid in cells:
            rec.report.set(cid, None)
            rec.placed.discard(cid)
        rec.notes = [n for n in rec.notes if not (n.kind == "info" and set(n.cells) & set(cells))]
        names = "”“".join(r.label for r in undo[:4]) + ("”等" if len(undo) > 4 else "”")
        rec.note("unplaced", f"{_TABLE_TITLES[self.table]}中“{names} {len(undo)} 行的标签与数字分开排列，"
                 "无法一一对应（很可能是从 PDF 复制的文字，次序已乱），这几行未导入，请对照原表填写", cells)


def _fit_many(vals: list[str], need: int, one: bool) -> list[str] | None:
    """``need`` values out of an orphan run that may hold blank lines."""
    if len(vals) == need:
        return vals
    if one:
        got = fit(vals, need)
        if got is not None:
            return got
    edges = strip_edges(vals)
    if len(edges) == need:
        return edges
    filled = [v for v in vals if v]
    if len(filled) == need:
        return filled
    return None


def _sums_hold(rows: list[_Row], flat: list[str]) -> bool:
    """Every 表三 row of ``flat`` adds up (总计 = the six applicant columns)."""
    i = 0
    for row in rows:
        vals = flat[i:i + len(row.targets)]
        i += len(row.targets)
        if row.table != "t3" or len(vals) != 7:
            return False
        nums = [L.parse_cell(v).value for v in vals]
        got = [v for v in nums if v is not None]
        if len(got) != 7 or sum(got[:6]) != got[6]:
            return False
    return True


def _sums_note(rows: list[_Row], flat: list[str]) -> str:
    if not rows or rows[0].table != "t3":
        return ""
    return "，各行合计相符" if _sums_hold(rows, flat) else "，但有的行合计不符，很可能放错了行"


# ---- table 二 --------------------------------------------------------------

_CAPTION = re.compile(r"第二十条第\(?([一二三四五六七八九十]+)\)?项")
_T2_BLOCK_OF_ROW = {"regulation": "一", "normative": "一", "licensing": "五",
                    "penalty": "六", "coercion": "六", "fees": "八",
                    "other_services": "五", "procurement": "九"}


def _caption_item(caption: str) -> str:
    m = _CAPTION.search(L.norm(caption))
    assert m is not None, caption
    return m.group(1)


_T2_2021_COLS: dict[str, tuple[tuple[str, str], ...]] = {
    _caption_item(b.caption): b.columns for b in schema.T2_BLOCKS}
_T2_2019_COLS: dict[str, list[tuple[str, str | None]]] = {
    "一": [(m.label, m.target) for m in schema.T2_2019_COLUMNS_1],
    "五": [(m.label, m.target) for m in schema.T2_2019_COLUMNS_DECISIONS],
    "六": [(m.label, m.target) for m in schema.T2_2019_COLUMNS_DECISIONS],
    "八": [(m.label, None) for m in schema.T2_2019_COLUMNS_DECISIONS[:2]],
    "九": [("采购项目数量", None), ("采购总金额", None)],
}
_T2_COLUMN_CORES = frozenset(
    [L.core(label) for b in schema.T2_BLOCKS for _, label in b.columns]
    + [L.core(label) for cols in _T2_2019_COLS.values() for label, _ in cols])
_T2_2019_DROPPED = dict(zip(("other_services", "procurement"), schema.T2_2019_DROPPED_ROWS, strict=True))


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
        if not has_vals and len(labels) == 1 and L.core(labels[0]) in _T2_COLUMN_CORES:
            return True                 # a column header on its own line (one cell per line)
        lab = labels[-1]
        hit = self.index.match(lab)
        if hit is None:
            if has_vals and self.grid.pending and _fragment(lab):
                self.grid.orphan(strip_edges(values))   # the end of a wrapped label, then numbers
                return True
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
                if _caption_item(b.caption) == block for rid, _ in b.rows]
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
        self.grid.close()


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
_MERGED_OTHER = "other.merged"
_T3_ALIASES: list[tuple[str, object]] = [("（七）合计", "results_total")]
_INNER_ENUM = re.compile(r"(?:\d{1,2}[.、．]|[（(][一二三四五六七八九十]{1,2}[)）])(?=[\u3400-\u9fff])")


def _all_blank(values: list[str]) -> bool:
    return all(L.parse_cell(v).blank for v in values)


def _fragment(lab: str, longest: int = 24) -> bool:
    """The second line of a wrapped label (no enumerator, short)."""
    n = L.norm(lab)
    return len(n) <= longest and not L.split_enum(n)[0]


def _tail_label(lab: str) -> str | None:
    """The last enumerated part of a label cell holding a group and a row label."""
    starts = [m.start() for m in _INNER_ENUM.finditer(lab)]
    starts = [i for i in starts if i > 0]
    return lab[starts[-1]:].strip() if starts else None


class _Stream(_Grid):
    """A :class:`_Grid` that also keeps every number of the table in document order."""

    def __init__(self, rec: _Recogniser, table: str):
        super().__init__(rec, table)
        self.stream: list[str] = []

    def complete(self, row: _Row, values: list[str]) -> None:
        self.stream.extend(values)
        super().complete(row, values)

    def orphan(self, values: list[str], continued: bool = False) -> None:
        self.stream.extend(values)
        super().orphan(values, continued)


_T3_ROWS_2019 = [r.id for r in schema.T3_ROWS if r.id not in ("other.no_correction", "other.unpaid_fee")]


def _consistent(rows: list[str], nums: list[int]) -> bool:
    """Numbers laid on ``rows`` (7 a row) make a table 三 whose every row, column and
    勾稽关系 adds up: the proof that the order of the rows was read right."""
    grid = {rid: nums[i * 7:(i + 1) * 7] for i, rid in enumerate(rows)}
    if any(sum(v[:6]) != v[6] for v in grid.values()):
        return False
    results = [r for r in rows if schema.T3_ROW_BY_ID[r].is_result]
    for c in range(7):
        total = grid["results_total"][c]
        if sum(grid[r][c] for r in results) != total:
            return False
        if grid["new"][c] + grid["carried_in"][c] != total + grid["carried_out"][c]:
            return False
    return True


class _T3(_Proc):
    def __init__(self, rec: _Recogniser):
        self.rec = rec
        self.ends = {}
        self.grid: _Stream = _Stream(rec, "t3")
        self.index = L.LabelIndex([(r.label, r.id) for r in schema.T3_ROWS] + _T3_ALIASES)
        self.last = -1
        self.seen: set[str] = set()
        self.merged: _Row | None = None
        self.in_header = False
        self.wrapped: _Row | None = None            # the last row, when its label looked cut short

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
            self.in_header = True
            return True
        header, self.in_header = self.in_header, False
        lab = labels[-1]
        if self.wrapped is not None and len(labels) == 1 and _fragment(lab, 40):
            row, self.wrapped = self.wrapped, None      # the rest of a wrapped label
            self.rec.continued(row, lab)
            if has_vals:
                if row in self.grid.pending:
                    self.grid.orphan(strip_edges(values), continued=True)
                    return True
            else:
                return True
        self.wrapped = None
        expected = _T3_ORDER[self.last + 1] if self.last + 1 < len(_T3_ORDER) else None
        hit = None
        tail = _tail_label(lab)         # "（三）不予公开 1.属于国家秘密" in one cell
        if tail is not None:
            hit = self.index.match(tail, expected, exclude=self.seen)
            lab = tail if hit is not None else lab
        if hit is None:
            hit = self.index.match(lab, expected, exclude=self.seen)
        title = _TABLE_TITLES["t3"]
        if hit is None:
            c = L.core(lab)
            if c in _T3_GROUP_CORES and has_vals and _all_blank(values):
                has_vals = False            # a group row with placeholders (— or /) in its cells
            if c == _T3_OTHER_CORE and has_vals:
                self.merged_other(lab, values)
                return True
            if c == _T3_OTHER_CORE and "other.other" not in self.seen:
                # the 2019 template's one （六） row, or the group cell of the 2021 one: which,
                # the next row tells (a sub-row 1./2./3. or not)
                self.merged = _Row("t3", _MERGED_OTHER, lab, schema.T3_ROW_BY_ID["other.other"].label,
                                   [schema.t3("other.other", c) for c in _T3_COLS])
                self.grid.label_only(self.merged)
                return True
            if c in _T3_GROUP_CORES and not has_vals:
                self.grid.flush()           # a group row ends the numbers of the row before
                return True
            if has_vals and self.grid.pending and _fragment(lab):
                self.grid.orphan(strip_edges(values))   # the end of a wrapped label, then numbers
                return True
            if has_vals:
                self.grid.flush()
                self.rec.note("info", f"{title}中无法识别的行“{lab}”（{_show(strip_edges(values))}）未导入")
                return True
            return False
        official, rid = hit
        rid = str(rid)
        if not has_vals and rid in _T3_HEADER_ROWS and (self.last < _T3_POS["granted"] or header):
            self.in_header = header
            return True                 # a header cell "总计" / "其他" on its own (or repeated)
        if self.merged is not None:
            if rid.startswith("other."):        # it was the group cell of the sub-rows
                for rows in (self.grid.pending, self.grid.blank_rows):
                    if self.merged in rows:
                        rows.remove(self.merged)
            self.merged = None
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
        if not L.same_label(lab, official) and not L.same_label(tail or lab, official):
            self.wrapped = row
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
        row = _Row("t3", _MERGED_OTHER, lab, schema.T3_ROW_BY_ID["other.other"].label,
                   ids["other.other"])
        self.grid.complete(row, fitted)

    def merged_placed(self) -> None:
        """The 2019 （六） row was read into 3.其他: 1. and 2. are 0, with a note."""
        ids = {r: [schema.t3(r, c) for c in _T3_COLS]
               for r in ("other.no_correction", "other.unpaid_fee", "other.other")}
        self.seen.update(ids)
        self.last = max(self.last, _T3_POS["other.other"])
        for r in ("other.no_correction", "other.unpaid_fee"):
            for cid in ids[r]:
                if cid not in self.rec.placed:
                    self.rec.report.set(cid, 0)
                    self.rec.placed.add(cid)
        self.rec.note("format", schema.T3_2019_OTHER_NOTE,
                      [c for r in ids.values() for c in r])

    def flush(self) -> None:
        order = [_Row("t3", r.id, r.label, r.label, [schema.t3(r.id, c) for c in _T3_COLS])
                 for r in schema.T3_ROWS if r.id not in self.seen
                 and not any(schema.t3(r.id, c) in self.rec.placed for c in _T3_COLS)]
        self.grid.close(order)
        self.in_order()

    def in_order(self) -> None:
        """Labels torn from their numbers so that some rows could not be read (text taken
        off a PDF, where a merged label cell's text lands after the numbers): when the
        table's numbers, in document order, are exactly its rows' worth and every row,
        column and 勾稽关系 adds up laid in the fixed row order, they are read so, with a
        note.  Otherwise nothing is guessed."""
        rec = self.rec
        ids = TABLES["t3"].cell_ids
        if all(c in rec.placed for c in ids) or not self.grid.stream:
            return
        vals = [v for v in self.grid.stream if v]
        self.grid.stream = []
        nums = [L.parse_cell(v).value for v in vals]
        if any(not isinstance(v, int) for v in nums):
            return
        ints = [int(v) for v in nums if v is not None]
        for rows in (_T3_ORDER, _T3_ROWS_2019):
            if len(ints) == 7 * len(rows) and _consistent(rows, ints):
                break
        else:
            return
        title = _TABLE_TITLES["t3"]
        rec.notes = [n for n in rec.notes if not (
            n.kind in ("unplaced", "variant", "info") and (
                any(c.startswith("t3.") for c in n.cells) or n.message.startswith(title)))]
        for c in ids:
            rec.placed.discard(c)
            rec.noted.discard(c)
        for i, rid in enumerate(rows):
            for j, col in enumerate(_T3_COLS):
                rec.put(schema.t3(rid, col), vals[i * 7 + j])
        if rows is _T3_ROWS_2019:
            self.merged_placed()
        rec.note("info", f"{title}的标签与数字错开了（从 PDF 等复制的文字常见），已按表格规定的行序把 "
                 f"{len(rows)} 行数字依次读入（推断）：各行、各列合计和勾稽关系都相符，请核对", list(ids))


# ---- table 四 --------------------------------------------------------------

_T4_HEADER_WORDS = tuple(L.norm(x) for x in (
    schema.T4_REVIEW, schema.T4_SUIT, *[g for _, g in schema.T4_GROUPS],
    *[c for _, c in schema.T4_COLUMNS]))


def _t4_adds_up(vals: list[str]) -> bool:
    nums = [L.parse_cell(v).value for v in vals]
    if len(nums) != 15 or any(not isinstance(v, int) for v in nums):
        return True                     # blanks or text: rule C3/C1 speaks, not this check
    ints = [int(v) for v in nums if v is not None]
    return all(sum(ints[g * 5:g * 5 + 4]) == ints[g * 5 + 4] for g in range(3))


class _T4(_Proc):
    def __init__(self, rec: _Recogniser):
        self.rec = rec
        self.ends = {}
        self.rows: list[list[str]] = []
        self.runs: list[list[str] | None] = []
        self.done = False

    def blank(self) -> None:
        if self.rows:
            self.rows.append([""])

    def feed(self, cells: list[str]) -> bool:
        labels, values = split_row(cells)
        if any(values):
            self.rows.append(values)
            if not self.runs or self.runs[-1] is None:
                self.runs.append([])
            run = self.runs[-1]
            assert run is not None
            run.extend(v for v in values if v)
            return True
        joined = L.norm("".join(labels))
        header = any(w in joined for w in _T4_HEADER_WORDS)
        if header and self.runs and self.runs[-1] is not None:
            self.runs.append(None)          # header words between numbers: a new run
        return header

    @staticmethod
    def untangle(vals: list[str], pieces: list[list[str] | None]) -> list[str] | None:
        """Numbers in pieces between header words (text taken off a PDF lays them out by
        position): when the order read breaks 总计 = the four results, the one order of the
        pieces that makes all three groups add up; None when several do (the order cannot
        be known); the order read when none does (the report's own error, for T4-1)."""
        runs = [r for r in pieces if r]
        if len(runs) < 2 or len(runs) > 7 or _t4_adds_up(vals):
            return vals
        found: set[tuple[str, ...]] = set()
        for perm in itertools.permutations(runs):
            flat = tuple(v for r in perm for v in r)
            if len(flat) == 15 and _t4_adds_up(list(flat)):
                found.add(flat)
                if len(found) > 1:
                    return None
        return list(found.pop()) if found else vals

    def flush(self) -> None:
        rows, self.rows = self.rows, []
        runs, self.runs = self.runs, []
        if not rows:
            return
        ids = list(TABLES["t4"].cell_ids)
        if len(rows) == 1:
            vals = fit(rows[0], len(ids))
        else:
            vals = [v for r in rows for v in strip_edges(r)]
            if len(vals) != len(ids):       # one cell per line, a blank line for an empty cell
                flat = strip_edges([v for r in rows for v in (r if len(r) > 1 else r[:1])])
                vals = flat if len(flat) == len(ids) else None
        shown = _show([v for r in rows for v in strip_edges(r)])
        if self.done:
            self.rec.note("info", f"{_TABLE_TITLES['t4']}的数字出现了不止一次，后面的（{shown}）未导入")
            return
        if vals is not None:
            got = self.untangle(vals, runs)
            if got is None:
                self.rec.note("unplaced", f"{_TABLE_TITLES['t4']}的数字（{shown}）分成几段排列，按顺序读则"
                              "合计不符，又无法唯一确定各段的位置，未导入，请对照原表填写",
                              [c for c in ids if c not in self.rec.placed])
                return
            if got != vals:
                self.rec.note("info", f"{_TABLE_TITLES['t4']}的数字分成几段排列（{shown}），已按唯一能使"
                              "各组合计相符的顺序读入（推断），请核对", ids)
            vals = got
        if vals is None:
            self.rec.note("unplaced", f"{_TABLE_TITLES['t4']}的数字（{shown}）与应有的 15 栏"
                          "对不上，未导入，请核对", [c for c in ids if c not in self.rec.placed])
            return
        self.done = True
        for cid, text in zip(ids, vals, strict=True):
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
