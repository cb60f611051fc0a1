"""Reading a report published as PDF (made by Word, WPS, LibreOffice or a browser's print).

**Why pypdfium2.**  It binds Google's PDFium, the engine Chrome prints and shows PDFs with, and
ships it as a binary wheel for every platform (nothing to compile, no system library), so the
CI, the Windows build and a user's ``uv sync`` get the same engine.  It gives exactly the two
things a report needs — every character with its box and the path objects (ruling lines and
rectangles) that draw the tables — and does so in C: reading a six-page report takes a few tens
of milliseconds.  pdfplumber gives the same two things but sits on pdfminer.six, a pure-Python
parser some ten to fifty times slower (hundreds of milliseconds a page), and brings pdfminer's
own decoders, which are harder to bound on hostile files.  PDFium runs in this process, so
everything asked of it is bounded here (see *Refused* below).

**What is read.**

- *Characters* with their loose boxes (the font's ascent to descent), in page space turned
  top-down.  Compatibility code points some PDF makers emit for ordinary ideographs are folded
  (Kangxi radicals ``⾏`` and CJK compatibility ideographs through NFKC, the CJK Radicals
  Supplement ``⻓⻔⻚`` … through :data:`RADICALS_SUPPLEMENT`, which NFKC leaves alone); widths
  (full-width digits, ``（）``) are left as printed: the recogniser folds them when it matches.
  Characters outside the page's visible box are not read (a table cut off at the page edge is
  reported, never completed from invisible text).
- *Ruling lines*: stroked path segments and thin filled rectangles, horizontal or vertical,
  merged when collinear.  Connected lines with at least two of each direction are a ruled table:
  the distinct line positions give the grid, a missing wall between two grid cells merges them
  (merged header cells, a label spanning rows), and a merged cell's text is repeated over every
  grid position it covers — the shape the DOCX and HTML readers give.
- *Tables across pages*: a table that ends a page and one that starts the next with the same
  columns are one table; header rows repeated at the top of the next page are dropped, and a
  merged cell split by the page break (``（四）无`` / ``法提供``) is joined when the joined text is
  an official label; a label cell merged down over the break carries its text onto the rows of
  the next page, and a row broken by the break (label above, rest and numbers below) is one row.
- *Tables without borders*: consecutive lines whose pieces stand an em or more apart are rows;
  the columns are where the pieces of the rows holding numbers sit, and a line holding only a
  piece of a wrapped label joins the row above or below when the joined text is an official
  label.
- *Paragraphs*: a line continues the one above when that one runs to the right margin and this
  one is not indented (a paragraph running over a page break included) — unless it opens a
  heading (``二、…``).  Lines at the top of the first page in the title's size (or centred) are
  joined (a title wrapped over two lines).
- *Page furniture* is dropped: page numbers (``— 3 —``, ``- 3 -``, ``第3页``, ``第 3 页 共 6 页``,
  ``3/6``), lines in the top or bottom margin that repeat on most pages (running headers and
  footers, digits ignored), and a browser's print header and footer (date and time, address).

The blocks go to :func:`~model.importers.recognise.recognise` like every other reader's, with
``source_format="pdf"``.

**Refused with a Chinese message** (:class:`~model.errors.ReadError`): a PDF without a text layer
(a scan), an encrypted PDF that needs a password, a damaged file PDFium cannot repair, more than
:data:`MAX_PAGES` pages, more characters or drawing objects than any report has, streams that
inflate past :data:`~model.importers.safety.MAX_PDF_UNPACKED` (checked before PDFium sees the
file), page content streams and form XObjects that would keep PDFium's page parser busy for long
(see :func:`~model.importers.safety.check_pdf`), and a file that takes longer than
:data:`TIME_BUDGET` seconds (checked between pages, objects and characters).  A page PDFium
cannot load is skipped with a note; a page without text but with images is noted as a scan.
PDFium is not thread-safe, so one lock serialises its use within the process.
"""
from __future__ import annotations

import bisect
import ctypes
import re
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter

from ..errors import ReadError
from . import labels as L
from .base import ImportResult, Note
from .blocks import Block, Paragraph, Table
from .safety import Source, check_pdf, describe, load_bytes

__all__ = ["read_pdf", "read_pdf_blocks", "fold_text", "RADICALS_SUPPLEMENT", "MSG_SCAN"]

MAX_PAGES = 300                 # a report runs to 5–40 pages; a 300-page PDF is something else
MAX_CHARS_PAGE = 40_000         # characters on one page (a dense A4 page has about 3,000)
MAX_CHARS = 600_000             # characters in the whole file
MAX_OBJECTS_PAGE = 20_000       # drawing objects on one page, form contents included
MAX_SEGMENTS_PAGE = 200_000     # path segments looked at on one page
MAX_FORM_DEPTH = 12             # form XObjects nested deeper than this are not walked
TIME_BUDGET = 20.0              # seconds for the whole file (a report takes well under one)
SCAN_MIN_CHARS = 20             # fewer visible characters than this in the file: a scan

MSG_SCAN = ("这份 PDF 没有文字层，是扫描或拍照得到的图片，无法从中读取文字。"
            "请改用发布时的 Word 文档或网页版本导入，或把报告的文字复制粘贴为 .txt 文件后再导入。")
MSG_NO_TEXT = ("这份 PDF 里没有任何可以读取的文字，无法从中读取报告。"
               "请改用发布时的 Word 文档或网页版本导入，或把报告的文字复制粘贴为 .txt 文件后再导入。")
MSG_OBJECTS = "这份 PDF 的一页上图形对象过多，远多于正常文档，不像是一份年度报告，已拒绝读取。"
MSG_PASSWORD = ("这份 PDF 设有打开密码（已加密），无法读取。请用密码打开后另存一份不加密的 PDF，"
                "或改用发布时的 Word 文档或网页版本导入。")
MSG_SECURITY = ("这份 PDF 使用了不支持的加密方式，无法读取。请改用发布时的 Word 文档或网页版本导入。")
MSG_DAMAGED = ("PDF 文件已损坏（文件结构不完整或无法修复），无法读取。请重新下载该文件，"
               "或改用发布时的 Word 文档或网页版本导入。")
MSG_TIME = (f"这份 PDF 的内容过于复杂，{TIME_BUDGET:.0f} 秒内没有读完，已停止读取。"
            "它不像是一份年度报告；请改用发布时的 Word 文档或网页版本导入。")

# CJK Radicals Supplement (U+2E80–U+2EFF) → the ideograph each stands for.  NFKC folds only
# U+2E9F and U+2EF3; PDF makers (WPS among them) emit these for 长 门 页 见 车 … when a font maps
# the glyph to the radical.  Kangxi radicals (U+2F00–U+2FDF) are folded by NFKC.
RADICALS_SUPPLEMENT: dict[str, str] = {
    "⺀": "冫", "⺁": "厂", "⺂": "乛", "⺃": "乚", "⺄": "乙", "⺅": "亻", "⺆": "冂", "⺇": "几",
    "⺈": "刀", "⺉": "刂", "⺊": "卜", "⺋": "卩", "⺌": "小", "⺍": "小", "⺎": "兀", "⺏": "尣",
    "⺐": "尢", "⺑": "尢", "⺒": "巳", "⺓": "幺", "⺔": "彑", "⺕": "彐", "⺖": "忄", "⺗": "心",
    "⺘": "扌", "⺙": "攵", "⺛": "旡", "⺜": "日", "⺝": "月", "⺞": "歺", "⺟": "母", "⺠": "民",
    "⺡": "氵", "⺢": "氺", "⺣": "灬", "⺤": "爫", "⺥": "爫", "⺦": "丬", "⺧": "牛", "⺨": "犭",
    "⺩": "王", "⺪": "疋", "⺫": "目", "⺬": "示", "⺭": "礻", "⺮": "竹", "⺯": "糸", "⺰": "纟",
    "⺱": "网", "⺲": "罒", "⺳": "网", "⺴": "网", "⺵": "网", "⺶": "羊", "⺷": "羊", "⺸": "羊",
    "⺹": "老", "⺺": "肀", "⺻": "聿", "⺼": "月", "⺽": "臼", "⺾": "艹", "⺿": "艹", "⻀": "艹",
    "⻁": "虎", "⻂": "衤", "⻃": "西", "⻄": "西", "⻅": "见", "⻆": "角", "⻇": "角", "⻈": "讠",
    "⻉": "贝", "⻊": "足", "⻋": "车", "⻌": "辶", "⻍": "辶", "⻎": "辶", "⻏": "阝", "⻐": "钅",
    "⻑": "長", "⻒": "長", "⻓": "长", "⻔": "门", "⻕": "门", "⻖": "阝", "⻗": "雨", "⻘": "青",
    "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食", "⻞": "食", "⻟": "饣", "⻠": "饣",
    "⻡": "首", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟", "⻧": "卤", "⻨": "麦",
    "⻩": "黄", "⻪": "黾", "⻫": "齐", "⻬": "齐", "⻭": "齿", "⻮": "齿", "⻯": "龙", "⻰": "龙",
    "⻱": "龟", "⻲": "龟", "⻳": "龟",
}


def fold_char(ch: str) -> str:
    """One character with compatibility ideographs and radicals folded to ordinary ones."""
    o = ord(ch)
    if 0x2E80 <= o <= 0x2EFF:
        return RADICALS_SUPPLEMENT.get(ch, ch)
    if 0x2F00 <= o <= 0x2FDF or 0xF900 <= o <= 0xFAFF or 0x2F800 <= o <= 0x2FA1F:
        return unicodedata.normalize("NFKC", ch)
    return ch


def fold_text(text: str) -> str:
    """:func:`fold_char` over a string (widths left as they are)."""
    return "".join(fold_char(c) if 0x2E80 <= ord(c) <= 0x2FDF or ord(c) >= 0xF900 else c
                   for c in text)


# --------------------------------------------------------------------------
# Geometry
# --------------------------------------------------------------------------

class Char:
    """One character: its box in top-down page space, its centre (worked out once: the grid and
    line code asks for it hundreds of thousands of times a report) and its font size."""
    __slots__ = ("c", "x0", "x1", "top", "bottom", "size", "cx", "cy")

    def __init__(self, c: str, x0: float, x1: float, top: float, bottom: float, size: float) -> None:
        self.c, self.x0, self.x1, self.top, self.bottom, self.size = c, x0, x1, top, bottom, size
        self.cx = (x0 + x1) / 2
        self.cy = (top + bottom) / 2

    def __repr__(self) -> str:
        return (f"Char({self.c!r}, {self.x0:.1f}, {self.x1:.1f}, {self.top:.1f}, {self.bottom:.1f}, "
                f"{self.size})")


@dataclass(slots=True)
class Line:
    chars: list[Char]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str = ""
    chunks: list[tuple[float, float, str]] = field(default_factory=list)

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Grid:
    """A ruled table on one page: its grid rows (merged cells repeated) and its geometry."""
    rows: list[list[str]]
    xs: list[float]
    top: float
    bottom: float
    cut: bool = False               # the table runs off the page


@dataclass
class PageContent:
    number: int                     # 1-based
    width: float
    height: float
    lines: list[Line]
    grids: list[Grid]
    chars: int
    clipped: int = 0                # characters outside the visible page
    images: int = 0
    damaged: bool = False           # PDFium could not load the page


class _Clock:
    def __init__(self, budget: float):
        self.deadline = time.monotonic() + budget

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise ReadError(MSG_TIME)


TOL = 2.0                           # points: lines this close are one line
A4_W, A4_H = 595.0, 842.0


def _chunk_gap(size: float) -> float:
    return max(1.0 * size, 6.0)


_BY_X0 = attrgetter("x0")


def _make_line(chars: list[Char]) -> Line:
    chars.sort(key=_BY_X0)
    first = chars[0]
    if len(chars) > 2:
        sizes = [ch.size for ch in chars]
        size = first.size if sizes.count(first.size) == len(sizes) else Counter(sizes).most_common(1)[0][0]
    else:
        size = max(ch.size for ch in chars)
    chunks: list[tuple[float, float, str]] = []
    buf: list[str] = []
    c0 = first.x0
    x1, top, bottom = first.x1, first.top, first.bottom
    prev: Char | None = None
    for ch in chars:
        if prev is not None:
            if ch.x1 > x1:
                x1 = ch.x1
            if ch.top < top:
                top = ch.top
            if ch.bottom > bottom:
                bottom = ch.bottom
            gap = ch.x0 - prev.x1
            big = prev.size if prev.size > ch.size else ch.size
            if gap > _chunk_gap(big if big > 1.0 else 1.0):
                chunks.append((c0, prev.x1, "".join(buf).strip()))
                buf, c0 = [], ch.x0
            elif gap > 0.2 * max(ch.size, 1.0) and (prev.c.isascii() or ch.c.isascii()) \
                    and buf and buf[-1] != " ":
                buf.append(" ")
        buf.append(ch.c)
        prev = ch
    chunks.append((c0, prev.x1 if prev else c0, "".join(buf).strip()))
    ln = Line(chars, first.x0, x1, top, bottom, size)
    ln.chunks = [c for c in chunks if c[2]]
    ln.text = "  ".join(c[2] for c in ln.chunks)
    return ln


_BY_CY_X0 = attrgetter("cy", "x0")


def group_lines(chars: list[Char]) -> list[Line]:
    """Characters → lines, top to bottom; a character joins the line its middle falls in."""
    if not chars:
        return []
    chars = sorted(chars, key=_BY_CY_X0)
    lines: list[list[Char]] = []
    lo = hi = 0.0
    for ch in chars:
        cy = ch.cy
        if lines and lo <= cy <= hi:
            lines[-1].append(ch)
            continue
        lines.append([ch])
        h = ch.bottom - ch.top
        h = 0.35 * (h if h > 1.0 else 1.0)
        lo, hi = cy - h, cy + h
    return [_make_line(cs) for cs in lines]


def _join_lines(lines: list[str]) -> str:
    out = ""
    for t in lines:
        if out and out[-1].isascii() and out[-1].isalnum() and t[:1].isascii() and t[:1].isalpha():
            out += " "
        out += t
    return out


def cell_text(chars: list[Char], lines_of: Callable[[], list[Line]] | None = None) -> str:
    """The text of a table cell: its lines joined (a wrapped label is one label).

    ``lines_of``: the cell's lines when they are already grouped (``group_lines(chars)``)."""
    if len(chars) <= 12:                # a number or a short label on one line: no line objects
        lo = min(ch.cy for ch in chars)
        hi = max(ch.cy for ch in chars)
        if hi - lo <= 0.35 * min(ch.bottom - ch.top for ch in chars):
            chars = sorted(chars, key=lambda ch: ch.x0)
            out = [chars[0].c]
            for a, b in zip(chars, chars[1:], strict=False):
                if b.x0 - a.x1 > 0.2 * max(b.size, 1.0) and (a.c.isascii() or b.c.isascii()):
                    out.append(" ")
                out.append(b.c)
            return "".join(out).strip()
    lines = [ln.text.replace("  ", " ") for ln in (lines_of() if lines_of else group_lines(chars))]
    if len(lines) > 1 and sum(1 for t in lines if L.is_value_like(t)) > 1:
        # numbers on lines of their own (a table drawn without lines between its rows): never
        # run them together into one number; the recogniser reports the cell as unreadable
        return " ".join(lines).strip()
    return _join_lines(lines).strip()


# --------------------------------------------------------------------------
# Ruling lines → grids
# --------------------------------------------------------------------------

Seg = tuple[float, float, float]        # (position, start, end): y, x0, x1 or x, y0, y1


def _merge(segs: list[Seg]) -> list[Seg]:
    """Collinear segments that touch or overlap → one; positions within TOL are one position."""
    segs.sort()
    rows: list[list[Seg]] = []
    for s in segs:
        if rows and abs(s[0] - rows[-1][0][0]) <= TOL:
            rows[-1].append(s)
        else:
            rows.append([s])
    out: list[Seg] = []
    for group in rows:
        pos = sum(g[0] for g in group) / len(group)
        spans = sorted((g[1], g[2]) for g in group)
        a, b = spans[0]
        for s0, s1 in spans[1:]:
            if s0 <= b + TOL:
                b = max(b, s1)
            else:
                out.append((pos, a, b))
                a, b = s0, s1
        out.append((pos, a, b))
    return out


def _cluster(values: list[float], tol: float = TOL * 1.5) -> list[float]:
    values = sorted(values)
    out: list[list[float]] = []
    for v in values:
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


class _UF:
    def __init__(self, n: int):
        self.p = list(range(n))

    def find(self, a: int) -> int:
        while self.p[a] != a:
            self.p[a] = self.p[self.p[a]]
            a = self.p[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)


def _components(hs: list[Seg], vs: list[Seg]) -> list[tuple[list[Seg], list[Seg]]]:
    n = len(hs)
    uf = _UF(n + len(vs))
    for j, (x, y0, y1) in enumerate(vs):
        for i, (y, x0, x1) in enumerate(hs):
            if x0 - TOL <= x <= x1 + TOL and y0 - TOL <= y <= y1 + TOL:
                uf.union(i, n + j)
    groups: dict[int, tuple[list[Seg], list[Seg]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(uf.find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(uf.find(n + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _by_position(segs: list[Seg], positions: list[float]) -> list[list[tuple[float, float]]]:
    """The spans of the segments at each grid position (a segment belongs to its nearest)."""
    out: list[list[tuple[float, float]]] = [[] for _ in positions]
    for pos, a, b in segs:
        k = bisect.bisect_left(positions, pos)
        near = min((j for j in (k - 1, k) if 0 <= j < len(positions)),
                   key=lambda j: abs(positions[j] - pos))
        if abs(positions[near] - pos) <= TOL * 1.5:
            out[near].append((a, b))
    return out


def _covers(spans: list[tuple[float, float]], at: float) -> bool:
    return any(a - TOL <= at <= b + TOL for a, b in spans)


def _split_unruled_rows(roots: list[int], buckets: dict[int, list[Char]],
                        lines_of: Callable[[int], list[Line]], uf: _UF, r: int, nc: int, nr: int
                        ) -> list[list[str]] | None:
    """A grid row holding several table rows (no lines drawn between them): when at least two
    of its cells hold one number per line, on the same lines, the row is split at those lines
    and every cell's lines go to the row they sit on.  None when the row is one row."""
    def single_row(k: int) -> bool:
        return all(uf.find(rr * nc + c) != k for rr in (r - 1, r + 1) if 0 <= rr < nr
                   for c in range(nc))

    def several_lines(k: int) -> bool:
        cs = buckets.get(k) or []
        return bool(cs) and max(c.cy for c in cs) - min(c.cy for c in cs) > 0.6 * (cs[0].bottom - cs[0].top)

    if sum(1 for k in dict.fromkeys(roots) if several_lines(k)) < 2:
        return None                     # the common case: one line a cell
    bands: list[float] | None = None
    numeric = 0
    for k in dict.fromkeys(roots):
        lines = lines_of(k)
        if len(lines) >= 2 and all(L.is_value_like(ln.text) for ln in lines) and single_row(k):
            mids = [ln.cy for ln in lines]
            if bands is None:
                bands = mids
            elif len(mids) != len(bands) or any(abs(a - b) > 0.5 * lines[0].size
                                                for a, b in zip(mids, bands, strict=True)):
                return None
            numeric += 1
    if bands is None or numeric < 2:
        return None
    out = [[""] * nc for _ in bands]
    for c, k in enumerate(roots):
        for ln in lines_of(k):
            j = min(range(len(bands)), key=lambda i: abs(bands[i] - ln.cy))
            out[j][c] = _join_lines([out[j][c], ln.text]) if out[j][c] else ln.text
    return out


def build_grids(hs: list[Seg], vs: list[Seg], chars: list[Char], width: float, height: float
                ) -> tuple[list[Grid], list[Char]]:
    """The ruled tables on a page and the characters outside them."""
    grids: list[tuple[float, Grid]] = []
    free = list(chars)
    for ch_, cv in _components(hs, vs):
        xs = _cluster([v[0] for v in cv])
        ys = _cluster([h[0] for h in ch_])
        if len(xs) < 2 or len(ys) < 2:
            continue
        x_lo, x_hi, y_lo, y_hi = xs[0], xs[-1], ys[0], ys[-1]
        inside: list[Char] = []
        rest: list[Char] = []
        for one in free:
            (inside if x_lo <= one.cx <= x_hi and y_lo <= one.cy <= y_hi else rest).append(one)
        free = rest
        nr, nc = len(ys) - 1, len(xs) - 1
        uf = _UF(nr * nc)
        v_at = _by_position(cv, xs)
        h_at = _by_position(ch_, ys)
        for r in range(nr):
            ym = (ys[r] + ys[r + 1]) / 2
            for c in range(nc):
                xm = (xs[c] + xs[c + 1]) / 2
                if c + 1 < nc and not _covers(v_at[c + 1], ym):
                    uf.union(r * nc + c, r * nc + c + 1)
                if r + 1 < nr and not _covers(h_at[r + 1], xm):
                    uf.union(r * nc + c, (r + 1) * nc + c)
        buckets: dict[int, list[Char]] = {}
        for one in inside:
            ci = min(max(bisect.bisect_right(xs, one.cx) - 1, 0), nc - 1)
            ri = min(max(bisect.bisect_right(ys, one.cy) - 1, 0), nr - 1)
            buckets.setdefault(uf.find(ri * nc + ci), []).append(one)
        grouped: dict[int, list[Line]] = {}

        def lines_of(k: int, buckets: dict[int, list[Char]] = buckets,
                     grouped: dict[int, list[Line]] = grouped) -> list[Line]:
            got = grouped.get(k)
            if got is None:
                got = grouped[k] = group_lines(buckets.get(k, []))
            return got

        text = {k: cell_text(v, partial(lines_of, k)) for k, v in buckets.items()}
        rows: list[list[str]] = []
        for r in range(nr):
            roots = [uf.find(r * nc + c) for c in range(nc)]
            rows.extend(_split_unruled_rows(roots, buckets, lines_of, uf, r, nc, nr)
                        or [[text.get(k, "") for k in roots]])
        cut = x_lo <= TOL or x_hi >= width - TOL or y_lo <= TOL or y_hi >= height - TOL
        grids.append((y_lo, Grid(rows, xs, y_lo, y_hi, cut)))
    grids.sort(key=lambda g: g[0])
    return [g for _, g in grids], free


# --------------------------------------------------------------------------
# PDFium
# --------------------------------------------------------------------------

def _open(data: bytes, name: str):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            raise ReadError(MSG_PASSWORD) from None
        if code == raw.FPDF_ERR_SECURITY:
            raise ReadError(MSG_SECURITY) from None
        raise ReadError(MSG_DAMAGED) from None


def _page_chars(raw, tp, box: tuple[float, float, float, float], clock: _Clock
                ) -> tuple[list[Char], int]:
    """Visible characters in top-down page space, and how many fell outside the page."""
    left, bottom, right, top = box
    n = raw.FPDFText_CountChars(tp)
    if n > MAX_CHARS_PAGE:
        raise ReadError(f"这份 PDF 的一页上有 {n} 个字符，远多于正常文档（上限 {MAX_CHARS_PAGE}），"
                        "不像是一份年度报告，已拒绝读取。")
    rect = raw.FS_RECTF()
    out: list[Char] = []
    clipped = 0
    loose, fsize, fmatrix = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetFontSize, raw.FPDFText_GetMatrix
    m = raw.FS_MATRIX()
    origin = raw.FPDFText_GetCharOrigin
    ox, oy = ctypes.c_double(), ctypes.c_double()
    box_m, box_ox, box_oy = ctypes.byref(m), ctypes.byref(ox), ctypes.byref(oy)
    codes = _page_codes(raw, tp, n)
    last = (-1.0, -1.0, 1.0)            # raw font size, baseline, scale of the character before
    size_r, size_of = -1.0, -1.0        # the rounded size, for the size it was rounded from
    glyph: dict[int, str | None] = {}   # code point → the character kept (None: not a character)
    loose_bottom = loose_top = float("nan")     # the loose box of the character before
    y0 = y1 = size = 0.0
    lo_x, hi_x, lo_y, hi_y = left - 0.5, right + 0.5, bottom - 0.5, top + 0.5
    for i in range(max(n, 0)):
        if i % 4096 == 4095:
            clock.check()
        u = codes[i]
        # spaces (and the spaces and line ends PDFium generates) are not characters here
        if u <= 32 or u == 0x3000 or u == 0xA0 or u == 0xFFFE or u == 0xFFFF:
            continue
        if u in glyph:
            ch = glyph[u]
        else:
            ch = _glyph(u)
            glyph[u] = ch
        if ch is None or not loose(tp, i, rect):
            continue
        x0, x1 = rect.left, rect.right
        if rect.bottom != loose_bottom or rect.top != loose_top:
            # a loose box of another height or place: another font, size or baseline (the
            # loose box is the font's ascent and descent at the size, on the baseline); the
            # same box as the character before means the same size and baseline as it
            loose_bottom, loose_top = rect.bottom, rect.top
            raw_size = fsize(tp, i)
            have_origin = origin(tp, i, box_ox, box_oy)
            base = oy.value
            if raw_size != last[0] or base != last[1]:
                # the text matrix scales the font size (WPS writes Tf 319 in a 0.05 matrix); it
                # is read again when the size or the baseline changes
                scale = abs(m.a * m.d - m.b * m.c) ** 0.5 if fmatrix(tp, i, box_m) else 1.0
                last = (raw_size, base, scale)
            size = raw_size * last[2]
            if 0.5 <= size <= 400 and have_origin:
                # the box from the baseline and the size: a glyph's own box is as flat as ``一``
                y0, y1 = base - 0.14 * size, base + 0.86 * size
            else:
                y0, y1 = rect.bottom, rect.top
                size = max(y1 - y0, 1.0)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        if not (lo_x <= cx <= hi_x and lo_y <= cy <= hi_y):
            clipped += 1
            continue
        if size != size_of:
            size_of, size_r = size, round(size, 1)
        out.append(Char(ch, x0 - left, x1 - left, top - y1, top - y0, size_r))
    return out, clipped


def _glyph(u: int) -> str | None:
    """The character kept for code point ``u`` (radicals folded), or None for control and other
    non-characters."""
    try:
        ch = chr(u)
    except ValueError:
        return None
    if unicodedata.category(ch)[0] == "C":
        return None
    return fold_char(ch) if 0x2E80 <= u <= 0x2FDF or u >= 0xF900 else ch


def _page_codes(raw, tp, n: int) -> list[int]:
    """Every character's code point, in one call when the page is all in the BMP."""
    if n <= 0:
        return []
    buf = (ctypes.c_ushort * (n + 1))()
    got = raw.FPDFText_GetText(tp, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    units = list(buf[:max(got - 1, 0)])
    if len(units) == n and not any(0xD800 <= u <= 0xDFFF for u in units):
        return units
    return [raw.FPDFText_GetUnicode(tp, i) for i in range(n)]      # surrogate pairs: one by one


def _mul(m1: tuple, m2: tuple) -> tuple:
    """m1 then m2 (PDF order: a point is transformed by m1, then by m2)."""
    a, b, c, d, e, f = m1
    A, B, C, D, E, F = m2
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _page_segments(raw, page, box: tuple[float, float, float, float], clock: _Clock
                   ) -> tuple[list[Seg], list[Seg], int]:
    """Horizontal and vertical ruling segments (top-down page space) and the image count."""
    left, _bottom, _right, top = box
    hs: list[Seg] = []
    vs: list[Seg] = []
    counts = {"objects": 0, "segments": 0, "images": 0}
    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    px = ctypes.c_float()
    py = ctypes.c_float()
    mtx = raw.FS_MATRIX()
    bmtx = ctypes.byref(mtx)

    def add(xa: float, ya: float, xb: float, yb: float) -> None:
        xa, xb = xa - left, xb - left
        ya, yb = top - ya, top - yb
        if abs(ya - yb) <= TOL and abs(xa - xb) > TOL:
            hs.append(((ya + yb) / 2, min(xa, xb), max(xa, xb)))
        elif abs(xa - xb) <= TOL and abs(ya - yb) > TOL:
            vs.append(((xa + xb) / 2, min(ya, yb), max(ya, yb)))

    bfill, bstroke, bpx, bpy = (ctypes.byref(fill), ctypes.byref(stroke), ctypes.byref(px),
                                ctypes.byref(py))
    bl, bb, br, bt = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    bounds = (ctypes.byref(bl), ctypes.byref(bb), ctypes.byref(br), ctypes.byref(bt))

    def path(obj, m: tuple | None, top_level: bool) -> None:
        """``m``: the object's full matrix; None for a page-level object (read when needed)."""
        n = raw.FPDFPath_CountSegments(obj)
        if n <= 0:
            return
        counts["segments"] += n
        if counts["segments"] > MAX_SEGMENTS_PAGE:
            raise ReadError("这份 PDF 的一页上图形线条过多，远多于正常文档，不像是一份年度报告，已拒绝读取。")
        if not raw.FPDFPath_GetDrawMode(obj, bfill, bstroke):
            return
        stroked, filled = bool(stroke.value), fill.value != 0
        if not stroked and not filled:
            return
        boxed = top_level and n <= 5 and raw.FPDFPageObj_GetBounds(obj, *bounds)
        if boxed:
            # a line or a rectangle, the common case: its box says it all (no segment walk).  A
            # box this thin is a horizontal or vertical rule whatever the object's matrix.
            x0, y0, x1, y1 = bl.value, bb.value, br.value, bt.value
            w, h = x1 - x0, y1 - y0
            if w <= 2 * TOL or h <= 2 * TOL:
                if w > h:
                    add(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2)
                elif h > w:
                    add((x0 + x1) / 2, y0, (x0 + x1) / 2, y1)
                return
        if m is None:
            m = (mtx.a, mtx.b, mtx.c, mtx.d, mtx.e, mtx.f) if raw.FPDFPageObj_GetMatrix(obj, bmtx) \
                else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        a, b, c, d, e, f = m
        if boxed and b == 0 and c == 0:
            x0, y0, x1, y1 = bl.value, bb.value, br.value, bt.value
            if stroked and n >= 4:
                add(x0, y0, x1, y0)
                add(x0, y1, x1, y1)
                add(x0, y0, x0, y1)
                add(x1, y0, x1, y1)
            if n >= 4:
                return
        subpaths: list[list[tuple[float, float]]] = []
        for i in range(n):
            s = raw.FPDFPath_GetPathSegment(obj, i)
            if not s or not raw.FPDFPathSegment_GetPoint(s, bpx, bpy):
                continue
            x, y = px.value, py.value
            pt = (a * x + c * y + e, b * x + d * y + f)
            t = raw.FPDFPathSegment_GetType(s)
            if t == raw.FPDF_SEGMENT_MOVETO or not subpaths:
                subpaths.append([pt])
            else:
                subpaths[-1].append(pt)
                if raw.FPDFPathSegment_GetClose(s):
                    subpaths[-1].append(subpaths[-1][0])
        for sp in subpaths:
            if len(sp) < 2:
                continue
            xs_ = [p[0] for p in sp]
            ys_ = [p[1] for p in sp]
            w, h = max(xs_) - min(xs_), max(ys_) - min(ys_)
            if filled and (w <= 2 * TOL or h <= 2 * TOL):       # a thin filled rectangle: a rule
                if w > h:
                    my = (max(ys_) + min(ys_)) / 2
                    add(min(xs_), my, max(xs_), my)
                elif h > w:
                    mx = (max(xs_) + min(xs_)) / 2
                    add(mx, min(ys_), mx, max(ys_))
                continue
            if stroked:
                for (xa, ya), (xb, yb) in zip(sp, sp[1:], strict=False):
                    add(xa, ya, xb, yb)

    def walk(container, is_form: bool, m: tuple, depth: int) -> None:
        count = raw.FPDFFormObj_CountObjects(container) if is_form else \
            raw.FPDFPage_CountObjects(container)
        for i in range(max(count, 0)):
            counts["objects"] += 1
            if counts["objects"] > MAX_OBJECTS_PAGE:
                raise ReadError(MSG_OBJECTS)
            if counts["objects"] % 2048 == 0:
                clock.check()
            obj = raw.FPDFFormObj_GetObject(container, i) if is_form else \
                raw.FPDFPage_GetObject(container, i)
            if not obj:
                continue
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                counts["images"] += 1
                continue
            if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
                continue
            if kind == raw.FPDF_PAGEOBJ_PATH and depth == 0:
                path(obj, None, True)       # its matrix is the page's: read only when needed
                continue
            own = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
            if raw.FPDFPageObj_GetMatrix(obj, bmtx):
                own = (mtx.a, mtx.b, mtx.c, mtx.d, mtx.e, mtx.f)
            full = _mul(own, m)
            if kind == raw.FPDF_PAGEOBJ_PATH:
                path(obj, full, False)
            elif depth < MAX_FORM_DEPTH:
                walk(obj, True, full, depth + 1)

    if raw.FPDFPage_CountObjects(page.raw) > MAX_OBJECTS_PAGE:
        raise ReadError(MSG_OBJECTS)
    walk(page.raw, False, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0)
    return _merge(hs), _merge(vs), counts["images"]


_PDFIUM = threading.Lock()       # PDFium is not thread-safe: one document at a time per process


def extract_pages(data: bytes, name: str = "", budget: float = TIME_BUDGET) -> list[PageContent]:
    """Every page's lines and ruled tables; ReadError for what cannot or must not be read."""
    check_pdf(data)
    with _PDFIUM:
        return _extract_pages(data, name, budget)


def _extract_pages(data: bytes, name: str, budget: float) -> list[PageContent]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    clock = _Clock(budget)
    doc = _open(data, name)
    try:
        n = len(doc)
        if n > MAX_PAGES:
            raise ReadError(f"这份 PDF 有 {n} 页，远多于一份年度报告（上限 {MAX_PAGES} 页），已拒绝读取。")
        if n <= 0:
            raise ReadError(MSG_DAMAGED)
        pages: list[PageContent] = []
        total = 0
        for i in range(n):
            clock.check()
            try:
                page = doc[i]
            except pdfium.PdfiumError:            # a damaged page: the rest is still read
                pages.append(PageContent(i + 1, A4_W, A4_H, [], [], 0, damaged=True))
                continue
            try:
                tp = page.get_textpage()
                try:
                    width, height = page.get_size()
                    r = raw.FS_RECTF()
                    if raw.FPDF_GetPageBoundingBox(page.raw, r) and r.right > r.left and r.top > r.bottom:
                        box = (r.left, r.bottom, r.right, r.top)
                    else:
                        box = (0.0, 0.0, width, height)
                    width, height = box[2] - box[0], box[3] - box[1]
                    chars, clipped = _page_chars(raw, tp.raw, box, clock)
                finally:
                    tp.close()
                total += len(chars)
                if total > MAX_CHARS:
                    raise ReadError(f"这份 PDF 的文字超过 {MAX_CHARS} 个字符，远多于一份年度报告，"
                                    "已拒绝读取。")
                hs, vs, images = _page_segments(raw, page, box, clock)
            finally:
                page.close()
            clock.check()
            grids, free = build_grids(hs, vs, chars, width, height)
            pages.append(PageContent(i + 1, width, height, group_lines(free), grids, len(chars),
                                     clipped, images))
        if all(p.damaged for p in pages):
            raise ReadError(MSG_DAMAGED)
        return pages
    except pdfium.PdfiumError:
        raise ReadError(MSG_DAMAGED) from None
    finally:
        doc.close()


# --------------------------------------------------------------------------
# Page furniture
# --------------------------------------------------------------------------

_PAGE_NO = re.compile(
    r"^[\-—–－_~·•.\s]*(?:第\s*)?[0-9０-９]{1,4}(?:\s*页)?(?:\s*[,，/／]?\s*共\s*[0-9０-９]{1,4}\s*页)?"
    r"[\-—–－_~·•.\s]*$|^(?:page|第)?\s*[0-9]{1,4}\s*(?:/|of|／)\s*[0-9]{1,4}\s*页?$", re.IGNORECASE)
_DECORATED = re.compile(r"[\-—–－_~·•页/／]")
_BROWSER = re.compile(r"^\d{2,4}[/\-.]\d{1,2}[/\-.]\d{1,2}(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
                      r"|^\d{1,2}[/\-.]\d{1,2}[/\-.]\d{2,4},?\s*\d{1,2}:\d{2}"
                      r"|(?:https?|file)://|^www\.|\.(?:html?|shtml|jsp|aspx?|php)\b", re.IGNORECASE)
_DIGITS = re.compile(r"[0-9０-９]+")
BAND = 0.085                    # top and bottom margins: this share of the page height


def _in_band(ln: Line, page: PageContent) -> bool:
    return ln.bottom <= page.height * BAND or ln.top >= page.height * (1 - BAND)


def _is_page_number(text: str, page: PageContent, outermost: bool) -> bool:
    t = text.strip()
    if not _PAGE_NO.match(t):
        return False
    if _DECORATED.search(t):
        return True
    digits = _DIGITS.findall(t)
    return outermost and len(digits) == 1 and int(unicodedata.normalize("NFKC", digits[0])) in (
        page.number, page.number - 1, page.number + 1)


def drop_furniture(pages: list[PageContent]) -> None:
    """Remove page numbers, running headers/footers and browser print lines, in place."""
    masked: Counter[str] = Counter()
    for p in pages:
        seen = {_DIGITS.sub("#", L.norm(ln.text)) for ln in p.lines if _in_band(ln, p)}
        masked.update(seen)
    many = max(2, (len(pages) + 1) // 2)
    for p in pages:
        keep: list[Line] = []
        last = len(p.lines) - 1
        for k, ln in enumerate(p.lines):
            in_band = _in_band(ln, p)
            outer = k == 0 or k == last
            if (in_band or outer) and _is_page_number(ln.text, p, outer and in_band):
                continue
            if in_band:
                if len(pages) > 1 and masked[_DIGITS.sub("#", L.norm(ln.text))] >= many:
                    continue
                if any(_BROWSER.search(c[2]) for c in ln.chunks) or \
                        (len(ln.chunks) > 1 and _is_page_number(ln.chunks[-1][2], p, True)):
                    continue
            keep.append(ln)
        p.lines = keep


# --------------------------------------------------------------------------
# Pages → blocks
# --------------------------------------------------------------------------

@dataclass
class _Item:
    page: PageContent
    top: float
    line: Line | None = None
    grid: Grid | None = None


_KNOWN: set[str] | None = None


def _known_labels() -> set[str]:
    """Every official row/column label, as :func:`labels.core` gives it."""
    global _KNOWN
    if _KNOWN is None:
        from .. import schema

        found: set[str] = set()
        for value in vars(schema).values():
            for s in _strings(value, 0):
                c = L.core(s)
                if 2 <= len(c) <= 40:
                    found.add(c)
        _KNOWN = found
    return _KNOWN


def _strings(v: object, depth: int):
    if depth > 4:
        return
    if isinstance(v, str):
        if L.has_cjk(v) and len(v) <= 60:
            yield v
    elif isinstance(v, dict):
        for x in list(v.keys()) + list(v.values()):
            yield from _strings(x, depth + 1)
    elif isinstance(v, (list, tuple, set, frozenset)):
        for x in v:
            yield from _strings(x, depth + 1)
    elif hasattr(v, "__dataclass_fields__"):
        for k in v.__dataclass_fields__:
            yield from _strings(getattr(v, k, None), depth + 1)


def _same_columns(a: Grid, b: Grid) -> bool:
    if len(a.xs) != len(b.xs):
        return abs(a.xs[0] - b.xs[0]) <= 3 * TOL and abs(a.xs[-1] - b.xs[-1]) <= 3 * TOL and \
            bool(a.rows and b.rows) and len(a.rows[-1]) == len(b.rows[0])
    return all(abs(x - y) <= 3 * TOL for x, y in zip(a.xs, b.xs, strict=True))


def _continue_table(prev: list[list[str]], head: list[list[str]], nxt: list[list[str]]
                    ) -> list[list[str]]:
    """``nxt`` (the table's part on the next page) without repeated header rows, with a merged
    cell that the page break split joined to its first part."""
    k = 0
    while k < len(nxt) and k < len(head) and nxt[k] == head[k] and any(nxt[k]):
        k += 1
    body = [list(r) for r in nxt[k:]]
    if not body or not prev or len(prev[-1]) != len(body[0]):
        return body
    last = prev[-1]
    known = _known_labels()
    joined_cols: list[int] = []
    for c, (a, b) in enumerate(zip(last, body[0], strict=True)):
        if not a or not b or L.is_value_like(a) or L.is_value_like(b):
            continue
        joined = a + b
        if L.core(joined) in known and L.core(a) not in known and L.core(b) not in known:
            joined_cols.append(c)
            for row in body:                 # the continuation cell repeats down its span
                if row[c] == b:
                    row[c] = joined
                else:
                    break
            for row in reversed(prev):
                if row[c] == a:
                    row[c] = joined
                else:
                    break
    if joined_cols and _split_row(prev, body, joined_cols):
        body.pop(0)
        last = prev[-1]
        if not body:
            return body
    # a label cell merged down over the page break shows its text on the first page only
    first_value = next((i for i, t in enumerate(last) if t and L.is_value_like(t)), len(last))
    for c in range(first_value):
        a = last[c]
        if not a or body[0][c]:
            continue
        for row in body:
            if row[c] or not any(row):
                break
            row[c] = a
    return body


def _split_row(prev: list[list[str]], body: list[list[str]], joined_cols: list[int]) -> bool:
    """One row broken by the page break (its label's first part above, the rest and perhaps
    the numbers below): make ``prev[-1]`` the whole row and say so.  Only when each joined label
    covers that one row on both pages and no two different texts would meet in a cell."""
    last, first = prev[-1], body[0]
    for c in joined_cols:
        if (len(prev) > 1 and prev[-2][c] == last[c]) or (len(body) > 1 and body[1][c] == first[c]):
            return False                    # a cell spanning rows: a merged label, not a split row
    merged = []
    for a, b in zip(last, first, strict=True):
        if a == b or not b:
            merged.append(a)
        elif not a:
            merged.append(b)
        else:
            return False
    prev[-1] = merged
    return True


def _is_row(ln: Line) -> bool:
    return len(ln.chunks) >= 2


def _borderless(lines: list[Line]) -> list[list[str]]:
    """Lines with gaps → rows of cells.  The columns are where the pieces of the rows holding
    numbers sit (a header wider than its column must not merge two columns); the pieces of
    the other rows go to the column they start in."""
    def columns(rows: list[Line]) -> list[list[float]]:
        spans = sorted([x0, x1] for ln in rows for x0, x1, _t in ln.chunks)
        cols: list[list[float]] = []
        for sp in spans:
            if cols and sp[0] <= cols[-1][1]:
                cols[-1][1] = max(cols[-1][1], sp[1])
            else:
                cols.append(list(sp))
        return cols

    valued = [ln for ln in lines if any(L.is_value_like(t) for _a, _b, t in ln.chunks[1:])
              or (len(ln.chunks) > 2 and all(L.is_value_like(t) for _a, _b, t in ln.chunks))]
    cols = columns(valued or lines)
    rows: list[list[str]] = []
    for ln in lines:
        row = [""] * len(cols)
        for x0, x1, t in ln.chunks:
            mid = (x0 + x1) / 2
            j = next((i for i, c in enumerate(cols) if c[0] <= mid <= c[1]), -1)
            if j < 0:
                j = max((i for i, c in enumerate(cols) if c[0] <= x0 + TOL), default=0)
            row[j] = (row[j] + " " + t).strip() if row[j] else t
        rows.append(row)
    return rows


def _label_piece(ln: Line, row: Line) -> bool:
    """A one-piece line inside a table without borders that is part of a wrapped label: short,
    not a sentence or a heading, close below the row before it and starting in its columns."""
    t = ln.text.strip()
    return (len(ln.chunks) == 1 and 0 < len(t) <= 30 and not L.is_value_like(t)
            and t[-1] not in "。：:" and not _HEAD_START.match(t)
            and ln.top - row.bottom <= 1.2 * max(ln.size, 1.0)
            and row.x0 - 2 * TOL <= ln.x0 <= row.x1)


def _join_label_pieces(rows: list[list[str]]) -> list[list[str]]:
    """A row holding only a piece of label text joins the row below or above it when the joined
    text is an official label (``（二）部分公开（区分处理的，只计这一情`` + ``形，不计其他情形）``);
    otherwise it stays a row of its own, for the recogniser to place or report."""
    known = _known_labels()
    out: list[list[str]] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        cells = [(c, t) for c, t in enumerate(row) if t]
        if len(cells) == 1 and not L.is_value_like(cells[0][1]):
            c, t = cells[0]
            nxt = rows[i + 1] if i + 1 < len(rows) else None
            if nxt is not None and nxt[c] and L.core(t + nxt[c]) in known:
                nxt = list(nxt)
                nxt[c] = t + nxt[c]
                rows = rows[:i + 1] + [nxt] + rows[i + 2:]
                i += 1
                continue
            if out and out[-1][c] and L.core(out[-1][c] + t) in known:
                out[-1] = list(out[-1])
                out[-1][c] = out[-1][c] + t
                i += 1
                continue
        out.append(row)
        i += 1
    return out


def _body_metrics(pages: list[PageContent]) -> tuple[float, float, float]:
    """Body font size, left margin and right margin of the text lines."""
    sizes: Counter[float] = Counter()
    lefts: Counter[int] = Counter()
    rights: list[float] = []
    for p in pages:
        for ln in p.lines:
            sizes[ln.size] += len(ln.chars)
    body = sizes.most_common(1)[0][0] if sizes else 12.0
    for p in pages:
        for ln in p.lines:
            if abs(ln.size - body) <= 0.6:
                lefts[round(ln.x0)] += 1
                rights.append(ln.x1)
    left = 72.0
    if lefts:
        many = max(2, sum(lefts.values()) // 20)
        left = float(min((k for k, v in lefts.items() if v >= many), default=min(lefts)))
    rights.sort()
    right = rights[int(len(rights) * 0.9)] if rights else 500.0
    return body, left, right


def pages_to_blocks(pages: list[PageContent]) -> list[Block]:
    """The pages' tables and lines → paragraphs and tables, in reading order."""
    body, left, right = _body_metrics(pages)
    items: list[_Item] = []
    for p in pages:
        page_items = [_Item(p, ln.top, line=ln) for ln in p.lines]
        page_items += [_Item(p, g.top, grid=g) for g in p.grids]
        page_items.sort(key=lambda it: it.top)
        items.extend(page_items)

    blocks: list[Block] = []
    para: list[str] = []
    para_line: Line | None = None
    para_page: PageContent | None = None
    title_zone = True
    last_grid: Grid | None = None
    last_table: Table | None = None
    head_rows: list[list[str]] = []
    row_run: list[Line] = []

    def flush_para() -> None:
        nonlocal para, para_line
        if para:
            blocks.append(Paragraph(_join_lines(para)))
        para, para_line = [], None

    def flush_rows() -> None:
        nonlocal row_run
        tail: list[Line] = []
        while row_run and not _is_row(row_run[-1]):
            tail.insert(0, row_run.pop())           # label pieces after the last row: text
        if row_run:
            if any(L.is_value_like(c[2]) for ln in row_run for c in ln.chunks[1:]):
                blocks.append(Table(_join_label_pieces(_borderless(row_run))))
            else:
                for ln in row_run:
                    blocks.append(Paragraph(" ".join(c[2] for c in ln.chunks)))
        for ln in tail:
            blocks.append(Paragraph(ln.text))
        row_run = []

    for idx, it in enumerate(items):
        if it.grid is not None:
            flush_para()
            flush_rows()
            g = it.grid
            first_on_page = idx == 0 or items[idx - 1].page is not it.page
            if last_table is not None and last_grid is not None and first_on_page \
                    and blocks and blocks[-1] is last_table and _same_columns(last_grid, g):
                last_table.rows.extend(_continue_table(last_table.rows, head_rows, g.rows))
            else:
                last_table = Table([list(r) for r in g.rows])
                blocks.append(last_table)
                head_rows = [list(r) for r in g.rows[:3]]
            last_grid = g
            title_zone = False
            continue
        ln = it.line
        assert ln is not None
        if _is_row(ln) and not (title_zone and it.page.number == 1 and _centred(ln, it.page, left, right)):
            flush_para()
            row_run.append(ln)
            continue
        if row_run and _label_piece(ln, row_run[-1]):
            row_run.append(ln)              # a wrapped label inside a table without borders
            continue
        flush_rows()
        text = ln.text
        if para_line is not None and para_page is not None:
            same_page = para_page is it.page
            pitch_ok = (ln.top - para_line.bottom) <= 1.6 * max(ln.size, 1.0) if same_page else True
            if title_zone and it.page.number == 1 and same_page and pitch_ok \
                    and abs(ln.size - para_line.size) <= 0.6 and ln.size >= body - 0.1 \
                    and (ln.size >= body * 1.15 or (_centred(para_line, it.page, left, right)
                                                    and _centred(ln, it.page, left, right))):
                para.append(text)
                para_line = ln
                continue
            runs_on = para_line.x1 >= right - 1.5 * max(para_line.size, 1.0)
            indented = ln.x0 > left + 0.8 * max(ln.size, 1.0)
            if runs_on and not indented and pitch_ok and abs(ln.size - para_line.size) <= 0.6 \
                    and not _centred(para_line, it.page, left, right) \
                    and not _starts_heading(text, para[-1]):
                para.append(text)
                para_line, para_page = ln, it.page
                continue
        flush_para()
        if not _centred(ln, it.page, left, right) and ln.size < body * 1.15:
            title_zone = False
        para, para_line, para_page = [text], ln, it.page
    flush_para()
    flush_rows()
    return blocks


_HEAD_START = re.compile(r"^\s*[一二三四五六七八九十]{1,2}\s*[、.．]")
_SUB_START = re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]{1,2}\s*[）)]")


def _starts_heading(text: str, before: str) -> bool:
    """A line that opens ``一、…`` (or ``（一）…`` after a finished sentence) starts a paragraph
    even when the line above runs to the margin: a heading must never be swallowed."""
    if _HEAD_START.match(text):
        return True
    return bool(_SUB_START.match(text)) and before.rstrip()[-1:] in "。：:；;！!？?"


def _centred(ln: Line, page: PageContent, left: float, right: float) -> bool:
    mid = (ln.x0 + ln.x1) / 2
    return abs(mid - page.width / 2) <= 1.5 * max(ln.size, 1.0) and ln.x0 > left + 1.5 * ln.size \
        and ln.x1 < right - ln.size


# --------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------

def _notes(pages: list[PageContent]) -> list[str]:
    out: list[str] = []
    cut = [p.number for p in pages if p.clipped or any(g.cut for g in p.grids)]
    if cut:
        out.append("第 " + "、".join(map(str, cut)) + " 页的内容超出了页面边缘（表格被截断），"
                   "超出部分没有读取，也没有补猜；对应的单元格按缺失处理，请对照原件核实。")
    damaged = [p.number for p in pages if p.damaged]
    if damaged:
        out.append("第 " + "、".join(map(str, damaged)) + " 页已损坏，无法读取，其中的内容缺失。")
    scans = [p.number for p in pages if p.chars == 0 and p.images]
    if scans:
        out.append("第 " + "、".join(map(str, scans)) + " 页没有文字层（是扫描图片），其中的内容没有读取。")
    return out


def read_pdf_blocks(src: Source, budget: float = TIME_BUDGET) -> list[Block]:
    """The blocks of a PDF (for tests and tools); ReadError as :func:`read_pdf`."""
    return _blocks(load_bytes(src), describe(src), budget)[0]


def _blocks(data: bytes, name: str, budget: float) -> tuple[list[Block], list[PageContent]]:
    pages = extract_pages(data, name, budget)
    if sum(p.chars for p in pages) < SCAN_MIN_CHARS:
        raise ReadError(MSG_SCAN if any(p.images for p in pages) else MSG_NO_TEXT)
    drop_furniture(pages)
    return pages_to_blocks(pages), pages


def read_pdf(src: Source, *, name: str | None = None, budget: float = TIME_BUDGET) -> ImportResult:
    """Read a report from a PDF's text layer; ReadError with a Chinese message otherwise."""
    from .recognise import recognise

    data = load_bytes(src)
    name = name or describe(src, "文档.pdf")
    blocks, pages = _blocks(data, name, budget)
    result = recognise(blocks, source_format="pdf", source_name=name)
    for msg in _notes(pages):
        missing = tuple(cid for cid, v in result.report.values.items() if v is None)
        result.notes.append(Note("missing", msg, missing))
    return result
