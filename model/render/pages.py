"""The printed page, as plain data: what goes where on which A4 page.

The PDF export and the printer draw the same pages; both need the layout
decided once, outside the drawing code.  This module is plain Python: it gets
character widths from a ``measure(style, char) -> points`` callback (Qt's font
metrics, in ``gui/pdf_render.py``) and returns :class:`Page` objects holding
positioned lines and table cells in points from the top-left corner of the
type area.  The drawing code only paints them.

The layout is the DOCX's (``docx_styles``, GB/T 9704-2012, DOMAIN.md §6):

* A4, margins 37/35/28/26 mm; a type area of 156 × 225 mm.
* A grid of 22 lines × 28 characters: body, level-1 and level-2 heads sit on
  lines ``BODY_LINE`` apart, every character advances ``TEXT_WIDTH / 28``
  (a CJK character exactly one cell; Latin letters and digits their own width
  minus the same small squeeze), full lines justified, first lines indented two
  characters; Chinese line-breaking rules (no line starts with ，。、） or ends
  with （《“).
* The title (小标宋 二号) in balanced lines broken at word boundaries, never
  ``报告`` alone.
* Tables from the schema grid (the same merged cells as the DOCX and HTML),
  header rows repeated at the top of every page the table continues on, a row
  never split, a vertically merged group (``三、本年度办理结果``,
  ``（四）无法提供``) kept on one page when it fits on one, its label repeated when
  it cannot.
* Heads keep with the next line, no single first or last line of a paragraph
  alone on a page, the 落款 laid out as GB/T 9704 §7.3.5.2 says: the 署名 two
  characters from the right, the date under it starting two characters to the
  right of the 署名's first character, or with two characters of right space
  itself when it is the longer one (the 署名 then moves left).
* ``— N —`` page numbers in 宋体 四号 at the outer corner, 7 mm under the type
  area: odd pages right, even pages left, one character in from the edge.

Pagination is greedy with penalties: when an item does not fit, the page
ends at the cheapest break between the page's first item and the one that
overflowed (latest among equals); a break inside a merged group, between a
head and its text, or after a paragraph's first line costs more than a plain one.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import docx_styles as S
from . import layout
from .context import TableView
from .markup import Block, parse_markup

MM = 72 / 25.4
PAGE_W = S.PAGE_W / 20
PAGE_H = S.PAGE_H / 20
MARGIN_TOP = S.MARGIN_TOP / 20
MARGIN_BOTTOM = S.MARGIN_BOTTOM / 20
MARGIN_LEFT = S.MARGIN_LEFT / 20
MARGIN_RIGHT = S.MARGIN_RIGHT / 20
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT          # 442.25 pt = 156 mm
TEXT_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM          # 637.8 pt = 225 mm
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH = S.BODY_LINE                              # 28.9 pt: 22 lines fill the type area
CHAR_PITCH = TEXT_W / CHARS_PER_LINE                  # 15.79 pt
TITLE_LINE = S.TITLE.line_exact or 36.0
TABLE_LINE = 13.5                                     # 五号 single spacing
CELL_PAD_X = 57 / 20                                  # 1 mm, as the DOCX cells
CELL_PAD_Y = 3.0
PAGENUM_GAP = 7 * MM                                  # GB/T 9704: 一字线 7 mm under the type area

# font size of each style, pt
SIZES: dict[str, float] = {s.key: s.size for s in S.SPECS}
GRID_STYLES = ("body", "h1", "h2")

Measure = Callable[[str, str], float]                 # (style key, one character) -> advance, pt

# Chinese line-breaking rules (行首/行尾禁则)
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…—·%‰,.;:?!)]}")
NO_LINE_END = set("（《「『【〔〈“‘([{")
_UNIT = re.compile(r"[A-Za-z0-9\uff10-\uff19.,%‰+\-/_@#&'*]+|\s+|.", re.S)


# penalties for a page break before an item
P_FREE = 0
P_WIDOW = 50           # first or last line of a paragraph alone
P_GROUP = 200          # inside a vertically merged group of a table (per level)
P_BLOCK = 120          # inside a 表二 block (caption, header and values)
P_KEEP = 1000          # after a head, inside the title, before the 落款's second line
P_NEVER = 100000       # between a table's header rows, header and first row


# --------------------------------------------------------------------------
# the markup (templates/report.docx.j2, the same as the DOCX)
# --------------------------------------------------------------------------

# Block and parse_markup live in .markup (shared with the DOCX writer)


# --------------------------------------------------------------------------
# lines
# --------------------------------------------------------------------------

@dataclass
class Line:
    """One line of text: ``spacing`` is added after every character's own advance, and
    ``extra`` (justification) after each character whose index is in ``gaps``."""
    style: str
    text: str
    x: float                          # from the left of the type area, pt
    spacing: float = 0.0
    width: float = 0.0
    align: str = "left"
    extra: float = 0.0
    gaps: frozenset[int] = frozenset()

    def offsets(self, measure: Measure) -> list[float]:
        """Where each character starts, from the left of the type area."""
        out = []
        x = self.x
        for i, ch in enumerate(self.text):
            out.append(x)
            x += measure(self.style, ch) + self.spacing + (self.extra if i in self.gaps else 0.0)
        return out


_WORD_CHAR = re.compile(r"[A-Za-z0-9\uff10-\uff19.,%‰+\-/_@#&'*]")


def justify_gaps(text: str) -> frozenset[int]:
    """Indices after which justification may add space: not inside a Latin word or number."""
    return frozenset(i for i in range(len(text) - 1)
                     if not (_WORD_CHAR.match(text[i]) and _WORD_CHAR.match(text[i + 1])))


def units(text: str) -> list[str]:
    """Break opportunities: a CJK character each, a Latin word or number whole, spaces."""
    return _UNIT.findall(text)


def text_width(text: str, style: str, measure: Measure, spacing: float = 0.0) -> float:
    return sum(measure(style, ch) + spacing for ch in text)


def break_lines(text: str, style: str, measure: Measure, width: float, first_indent: float = 0.0,
                spacing: float = 0.0) -> list[tuple[str, float]]:
    """``text`` broken into lines no wider than ``width`` (the first ``first_indent`` narrower).

    Returns ``(line text, natural width)``; a line never starts with a closing mark or ends
    with an opening one, a Latin word or number is not broken unless longer than a line.
    """
    lines: list[tuple[str, float]] = []
    cur: list[tuple[str, float]] = []
    used = 0.0
    avail = width - first_indent

    def flush() -> None:
        nonlocal cur, avail, used
        while cur and cur[-1][0].isspace():
            cur.pop()
        lines.append(("".join(u for u, _ in cur), sum(w for _, w in cur)))
        cur = []
        used = 0.0
        avail = width

    def unit_width(u: str) -> float:
        return sum(measure(style, ch) for ch in u) + spacing * len(u)

    pending = [(u, unit_width(u)) for u in units(text)]
    i = 0
    while i < len(pending):
        u, w = pending[i]
        if not cur and u.isspace():
            i += 1
            continue
        if used + w <= avail + 1e-6:
            cur.append((u, w))
            used += w
            i += 1
            continue
        if not cur:
            # a unit longer than a whole line: split it by characters
            piece, pw = "", 0.0
            for ch in u:
                cw = measure(style, ch) + spacing
                if piece and pw + cw > avail + 1e-6:
                    break
                piece += ch
                pw += cw
            cur.append((piece, pw))
            pending[i] = (u[len(piece):], w - pw)
            flush()
            continue
        if u.isspace():
            flush()
            i += 1
            continue
        # 禁则: pull the last unit down with a closing mark, push an opening mark down
        carry: list[tuple[str, float]] = []
        if u[0] in NO_LINE_START and len(cur) > 1:
            carry.insert(0, cur.pop())
        while len(cur) > 1 and cur[-1][0][-1] in NO_LINE_END:
            carry.insert(0, cur.pop())
        flush()
        cur = carry
        used = sum(x for _, x in cur)
    if cur or not lines:
        flush()
    return lines


def grid_paragraph(text: str, style: str, measure: Measure, *, indent_chars: int = 2,
                   justify: bool = True) -> list[Line]:
    """A body or head paragraph on the character grid."""
    squeeze = CHAR_PITCH - SIZES[style]           # every character advances one grid cell
    indent = indent_chars * CHAR_PITCH
    out: list[Line] = []
    broken = break_lines(text, style, measure, TEXT_W, indent, squeeze)
    for n, (t, w) in enumerate(broken):
        x = indent if n == 0 else 0.0
        last = n == len(broken) - 1
        gaps = justify_gaps(t) if justify and not last else frozenset()
        extra = (TEXT_W - x - w) / len(gaps) if gaps else 0.0
        if gaps and extra <= CHAR_PITCH:            # a line that would gape stays ragged
            out.append(Line(style, t, x, squeeze, TEXT_W - x, "both", extra, gaps))
        else:
            out.append(Line(style, t, x, squeeze, w, "left"))
    return out


def title_lines(title: str, measure: Measure, width: float = TEXT_W) -> list[str]:
    """The title broken where every format breaks it (:func:`.layout.title_lines`), measured
    with the real widths of the title font; by width when no word boundary fits."""
    lines = layout.title_lines(title, width, lambda s: sum(measure("title", ch) for ch in s))
    if all(sum(measure("title", ch) for ch in ln) <= width for ln in lines):
        return lines
    # no word boundary works: break by width, never leaving 报告 alone
    out = [t for t, _ in break_lines(title, "title", measure, width)]
    if len(out) > 1 and len(out[-1]) <= 2 and len(out[-2]) > 2:
        out[-1] = out[-2][-2:] + out[-1]
        out[-2] = out[-2][:-2]
    return out


def signature_lines(agency: str, date: str, measure: Measure) -> list[Line]:
    """The 落款 (GB/T 9704 §7.3.5.2): 署名 右空二字, the date two characters right of its start."""
    squeeze = CHAR_PITCH - SIZES["body"]
    ws = text_width(agency, "body", measure, squeeze)
    wd = text_width(date, "body", measure, squeeze)
    two = 2 * CHAR_PITCH
    x_sign = min(TEXT_W - two - ws, TEXT_W - two - wd - two)
    return [Line("body", agency, max(0.0, x_sign), squeeze, ws, "right"),
            Line("body", date, max(0.0, x_sign) + two, squeeze, wd, "right")]


def context_signature(context: dict[str, Any], measure: Measure) -> list[Line]:
    """The 落款 for ``#signature``: the shared layout's lines (``context["signature"]``: text and
    right indent in characters, as the DOCX places them), else :func:`signature_lines`; none
    without a date."""
    squeeze = CHAR_PITCH - SIZES["body"]
    shared = context.get("signature")
    if isinstance(shared, list):
        out = []
        for ln in shared:
            text = str(ln.get("text", ""))
            w = text_width(text, "body", measure, squeeze)
            right = float(ln.get("right", 2)) * CHAR_PITCH
            out.append(Line("body", text, max(0.0, TEXT_W - right - w), squeeze, w, "right"))
        return out
    date = context.get("publish_date") or ""
    if not date:
        return []
    agency = context.get("agency") or ""
    if not agency:
        return [right_line(date, measure)]
    return signature_lines(agency, date, measure)


def right_line(text: str, measure: Measure) -> Line:
    squeeze = CHAR_PITCH - SIZES["body"]
    w = text_width(text, "body", measure, squeeze)
    return Line("body", text, max(0.0, TEXT_W - 2 * CHAR_PITCH - w), squeeze, w, "right")


# --------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------

@dataclass
class CellBox:
    cell: dict[str, Any]
    row: int
    col: int
    rowspan: int
    colspan: int
    lines: list[tuple[str, float]]    # (text, natural width)
    align: str
    header: bool


@dataclass
class TableLayout:
    view: TableView
    col_x: list[float]                # left edge of each column, plus the right edge
    row_h: list[float]
    cells: list[CellBox]
    header_rows: int
    keep_next: list[bool]             # a body row that should stay with the next one (表二 caption)
    depth: list[int]                  # merged groups a break before this row would cut
    # a merged cell cut by a page break: the pages whose part of it shows its text
    # (every part the text fits in; the largest part when it fits in none)
    text_pages: dict[tuple[int, int], set[int]] = field(default_factory=dict)

    def shows_text(self, cell: CellBox, page: int) -> bool:
        pages = self.text_pages.get((cell.row, cell.col))
        return pages is None or page in pages

    @property
    def header_height(self) -> float:
        return sum(self.row_h[: self.header_rows])


def layout_table(view: TableView, measure: Measure, width: float = TEXT_W) -> TableLayout:
    widths = [width * w for w in view.col_widths]
    col_x = [0.0]
    for w in widths:
        col_x.append(col_x[-1] + w)
    row_h = [TABLE_LINE + 2 * CELL_PAD_Y] * view.n_rows
    cells: list[CellBox] = []
    for row in view.rows:
        for c in row:
            cw = col_x[c["col"] + c["colspan"]] - col_x[c["col"]] - 2 * CELL_PAD_X
            lines = break_lines(c["text"], "table", measure, cw) if c["text"] else []
            cells.append(CellBox(c, c["row"], c["col"], c["rowspan"], c["colspan"], lines,
                                 c["align"], bool(c["header"])))
    for cb in cells:
        if cb.rowspan == 1:
            need = len(cb.lines) * TABLE_LINE + 2 * CELL_PAD_Y
            row_h[cb.row] = max(row_h[cb.row], need)
    for cb in sorted(cells, key=lambda c: c.rowspan):
        if cb.rowspan > 1:
            need = len(cb.lines) * TABLE_LINE + 2 * CELL_PAD_Y
            have = sum(row_h[cb.row:cb.row + cb.rowspan])
            if need > have:
                extra = (need - have) / cb.rowspan
                for r in range(cb.row, cb.row + cb.rowspan):
                    row_h[r] += extra
    # a break inside a merged group costs more, but only for a group that fits on a page
    # with the repeated header: one that cannot is cut at its inner groups instead, and
    # never so near its top or its foot that a part is too short to hold the group's label
    # (三、本年度办理结果 over （一）（二） alone would leave those rows without it)
    head = sum(row_h[: view.header_rows])
    depth = [0] * (view.n_rows + 1)
    for cb in cells:
        if cb.rowspan < 2:
            continue
        end = cb.row + cb.rowspan
        if head + sum(row_h[cb.row:end]) <= TEXT_H:
            for r in range(cb.row + 1, end):
                depth[r] += 1
            continue
        need = len(cb.lines) * TABLE_LINE + 2 * CELL_PAD_Y
        for r in range(cb.row + 1, end):
            if sum(row_h[cb.row:r]) + 1e-6 < need or sum(row_h[r:end]) + 1e-6 < need:
                depth[r] += 1
    keep_next = [False] * view.n_rows
    for r, row in enumerate(view.rows):
        if r >= view.header_rows and row and all(c["role"] in ("caption", "header") for c in row):
            keep_next[r] = True
    return TableLayout(view, col_x, row_h, cells, view.header_rows, keep_next, depth)


# --------------------------------------------------------------------------
# pagination
# --------------------------------------------------------------------------

@dataclass
class Item:
    kind: str                         # "line" | "title" | "row" | "space" | "pagebreak"
    height: float
    penalty: int = P_FREE
    grid: bool = False                # starts on the line grid
    line: Line | None = None
    table: TableLayout | None = None
    row: int = -1


@dataclass
class PlacedRow:
    table: TableLayout
    row: int
    y: float


@dataclass
class Page:
    number: int
    lines: list[tuple[Line, float]] = field(default_factory=list)   # (line, top y)
    rows: list[PlacedRow] = field(default_factory=list)
    title_lines: list[tuple[Line, float]] = field(default_factory=list)

    def tables(self) -> list[tuple[TableLayout, list[PlacedRow]]]:
        """The table rows on this page grouped by table, in order."""
        out: list[tuple[TableLayout, list[PlacedRow]]] = []
        for pr in self.rows:
            if out and out[-1][0] is pr.table:
                out[-1][1].append(pr)
            else:
                out.append((pr.table, [pr]))
        return out

    @property
    def outer_right(self) -> bool:
        return self.number % 2 == 1


@dataclass
class Document:
    pages: list[Page]
    title: str
    agency: str
    draft: str                        # "" or the mark: 草稿 / 送审稿


def _title_lines(text: str, context: dict[str, Any], measure: Measure) -> list[str]:
    """The shared title lines (``context["title_lines"]``, as the DOCX breaks them) when they are
    this title's and fit, else :func:`title_lines` with the real widths."""
    shared = context.get("title_lines")
    if isinstance(shared, list) and shared and "".join(shared) == text and all(
            text_width(t, "title", measure) <= TEXT_W for t in shared):
        return [str(t) for t in shared]
    return title_lines(text, measure)


def _signature_items(lines: list[Line], items: list[Item]) -> None:
    """Lines of a 落款 after the text: together, and with the text's last line."""
    prev_blank = bool(items) and items[-1].kind == "space"
    for n, ln in enumerate(lines):
        pen = P_KEEP if (n or prev_blank) else P_WIDOW
        items.append(Item("line", LINE_PITCH, pen, True, ln))


def build_items(blocks: list[Block], measure: Measure, context: dict[str, Any]) -> list[Item]:
    items: list[Item] = []
    keep = False                       # the previous block asked to keep with the next
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "title":
            for n, t in enumerate(_title_lines(b.text, context, measure)):
                w = text_width(t, "title", measure)
                line = Line("title", t, (TEXT_W - w) / 2, 0.0, w, "center")
                items.append(Item("title", TITLE_LINE, P_KEEP if n else P_FREE, False, line))
            items.append(Item("space", LINE_PITCH * 0.5, P_KEEP))
            keep = True
        elif b.kind in ("h1", "h2", "p"):
            style = "body" if b.kind == "p" else b.kind
            lines = grid_paragraph(b.text, style, measure)
            n_lines = len(lines)
            for n, ln in enumerate(lines):
                if n == 0:
                    pen = P_KEEP if keep else P_FREE
                elif b.kind != "p":
                    pen = P_KEEP
                elif n == 1 or n == n_lines - 1:
                    pen = P_WIDOW
                else:
                    pen = P_FREE
                items.append(Item("line", LINE_PITCH, pen, True, ln))
            keep = b.kind != "p"
        elif b.kind == "blank":
            items.append(Item("space", LINE_PITCH, P_WIDOW, True))
            keep = False
        elif b.kind == "right":
            run = [b]
            while i + 1 < len(blocks) and blocks[i + 1].kind == "right":
                i += 1
                run.append(blocks[i])
            if len(run) == 2:
                lines = signature_lines(run[0].text, run[1].text, measure)
            else:
                lines = [right_line(r.text, measure) for r in run]
            _signature_items(lines, items)
            keep = False
        elif b.kind == "signature":
            lines = context_signature(context, measure)
            if lines:
                items.append(Item("space", LINE_PITCH, P_KEEP, True))     # one blank line before
                _signature_items(lines, items)
            keep = False
        elif b.kind == "pagebreak":
            items.append(Item("pagebreak", 0.0))
            keep = False
        elif b.kind == "table" and b.table is not None:
            tl = layout_table(b.table, measure)
            for r in range(tl.view.n_rows):
                if r == 0:
                    pen = P_KEEP if keep else P_FREE
                elif r <= tl.header_rows:
                    pen = P_NEVER
                else:
                    pen = P_GROUP * tl.depth[r]
                    if tl.keep_next[r - 1]:
                        pen += P_KEEP
                    elif tl.header_rows == 0 and not tl.keep_next[r]:
                        pen += P_BLOCK        # 表二: a block's values stay together
                items.append(Item("row", tl.row_h[r], pen, r == 0, table=tl, row=r))
            keep = False
        i += 1
    return items


def _snap(y: float) -> float:
    k = math.ceil(y / LINE_PITCH - 1e-6)
    return k * LINE_PITCH


def _continues_table(items: list[Item], start: int) -> float:
    """The height of the repeated header when a page starts inside a table's body."""
    it = items[start]
    if it.kind == "row" and it.table is not None and it.row >= it.table.header_rows > 0:
        return it.table.header_height
    return 0.0


def _page_end(items: list[Item], start: int) -> tuple[int, int]:
    """(end, next start) of the page that begins at ``start``."""
    y = _continues_table(items, start)
    j = start
    while j < len(items):
        it = items[j]
        if it.kind == "pagebreak":
            return j, j + 1
        if it.kind == "space" and j == start:
            j += 1                        # dropped at the top of a page
            continue
        top = _snap(y) if it.grid else y
        if top + it.height > TEXT_H + 1e-6 and j > start:
            best = j
            for k in range(j, start, -1):
                if items[k].penalty < items[best].penalty:
                    best = k
            # a break before a table row moves the repeated header along: recheck nothing else
            return best, best
        y = top + it.height
        j += 1
    return j, j


def paginate(items: list[Item]) -> list[Page]:
    pages: list[Page] = []
    start = 0
    while start < len(items) or not pages:
        end, nxt = _page_end(items, start) if start < len(items) else (start, start)
        page = Page(len(pages) + 1)
        y = 0.0
        first = items[start] if start < end else None
        if first is not None and first.kind == "row" and first.table is not None \
                and first.row >= first.table.header_rows > 0:
            for r in range(first.table.header_rows):
                page.rows.append(PlacedRow(first.table, r, y))
                y += first.table.row_h[r]
        for it in items[start:end]:
            if it.kind == "space" and not page.lines and not page.rows and not page.title_lines:
                continue                  # no blank line at the top of a page
            top = _snap(y) if it.grid else y
            if it.kind == "title" and it.line is not None:
                page.title_lines.append((it.line, top))
            elif it.kind == "line" and it.line is not None:
                page.lines.append((it.line, top))
            elif it.kind == "row" and it.table is not None:
                page.rows.append(PlacedRow(it.table, it.row, top))
            y = top + it.height
        pages.append(page)
        if nxt <= start:
            nxt = start + 1               # never loop: an item taller than a page goes alone
        start = nxt
        if start >= len(items):
            break
    return pages


def _place_split_labels(pages: list[Page]) -> None:
    parts: dict[tuple[int, int, int], list[tuple[int, float]]] = {}
    tables: dict[int, TableLayout] = {}
    for page in pages:
        for tl, placed in page.tables():
            tables[id(tl)] = tl
            on_page = {pr.row for pr in placed}
            for cb in tl.cells:
                if cb.rowspan < 2:
                    continue
                rows = [r for r in range(cb.row, cb.row + cb.rowspan) if r in on_page]
                if rows:
                    parts.setdefault((id(tl), cb.row, cb.col), []).append(
                        (page.number, sum(tl.row_h[r] for r in rows)))
    for (tid, row, col), frags in parts.items():
        if len(frags) < 2:
            continue
        tl = tables[tid]
        cb = next(c for c in tl.cells if c.row == row and c.col == col)
        need = len(cb.lines) * TABLE_LINE + 2 * CELL_PAD_Y
        fits = {n for n, h in frags if h + 1e-6 >= need}
        tl.text_pages[(row, col)] = fits or {max(frags, key=lambda f: f[1])[0]}


def layout_document(markup: str, context: dict[str, Any], measure: Measure) -> Document:
    """The whole document, paginated."""
    blocks = parse_markup(markup, context["tables"])
    items = build_items(blocks, measure, context)
    pages = paginate(items)
    _place_split_labels(pages)
    draft = context.get("draft")
    mark = str(context.get("draft_mark") or (draft if isinstance(draft, str) else "")
               or ("草稿" if draft else ""))
    return Document(pages, context.get("title", ""), context.get("agency", ""), mark)


def page_number_text(n: int) -> str:
    return f"{S.PAGE_PREFIX}{n}{S.PAGE_SUFFIX}"
