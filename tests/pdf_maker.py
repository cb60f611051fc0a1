"""A small PDF writer for the tests: text, ruling lines, images, written as raw PDF syntax.

Text uses one Type0 font with ``Identity-H`` encoding and a ``ToUnicode`` map, the way Word,
WPS and LibreOffice write CJK text (the glyphs are not embedded; the reader only needs the
text layer).  ``radicals`` maps characters to the code points some makers emit instead
(``行`` → Kangxi ``⾏`` U+2F8F, ``长`` → ``⻓`` U+2ED3 from the Radicals Supplement), so the text
layer carries them.

:func:`report_pdf` draws a whole report from the project's text export: a title wrapped over
two lines, running headers and ``— N —`` page numbers, paragraphs wrapped and indented, tables
ruled (merged cells drawn without the wall between them, header rows repeated when a table
runs over a page break) or without borders.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field

A4 = (595.0, 842.0)


@dataclass
class Page:
    width: float = A4[0]
    height: float = A4[1]
    ops: list[str] = field(default_factory=list)
    images: list[tuple[str, int, int]] = field(default_factory=list)


class PdfMaker:
    def __init__(self, radicals: dict[str, str] | None = None, compress: bool = True):
        self.pages: list[Page] = []
        self.cids: dict[str, int] = {}
        self.radicals = radicals or {}
        self.compress = compress
        self.extra_objects: list[bytes] = []

    def page(self, width: float = A4[0], height: float = A4[1]) -> Page:
        p = Page(width, height)
        self.pages.append(p)
        return p

    def _cid(self, ch: str) -> int:
        ch = self.radicals.get(ch, ch)
        if ch not in self.cids:
            self.cids[ch] = len(self.cids) + 1
        return self.cids[ch]

    def text(self, p: Page, x: float, top: float, s: str, size: float = 12.0,
             advance: float = 1.0) -> float:
        """Draw ``s`` with its top at ``top`` (from the page's top); return the end x."""
        base = p.height - top - size * 0.88
        codes = "".join(f"{self._cid(c):04X}" for c in s)
        spacing = (advance - 1.0) * size
        p.ops.append(f"BT /F1 {size:.2f} Tf {spacing:.2f} Tc {x:.2f} {base:.2f} Td <{codes}> Tj ET")
        return x + len(s) * size * advance

    def line(self, p: Page, x0: float, top0: float, x1: float, top1: float, w: float = 0.6) -> None:
        p.ops.append(f"{w:.2f} w {x0:.2f} {p.height - top0:.2f} m {x1:.2f} {p.height - top1:.2f} l S")

    def bar(self, p: Page, x: float, top: float, w: float, h: float) -> None:
        """A filled rectangle (a thin one is how browsers draw a cell border)."""
        p.ops.append(f"{x:.2f} {p.height - top - h:.2f} {w:.2f} {h:.2f} re f")

    def image(self, p: Page, x: float, top: float, w: float, h: float) -> None:
        name = f"Im{len(p.images) + 1}"
        p.images.append((name, 8, 8))
        p.ops.append(f"q {w:.2f} 0 0 {h:.2f} {x:.2f} {p.height - top - h:.2f} cm /{name} Do Q")

    # ---- serialisation ------------------------------------------------
    def _stream(self, body: bytes, extra: str = "") -> bytes:
        if self.compress:
            body = zlib.compress(body)
            extra += " /Filter /FlateDecode"
        return f"<< /Length {len(body)}{extra} >>\nstream\n".encode() + body + b"\nendstream"

    def build(self, trailer_extra: str = "") -> bytes:
        objs: list[bytes] = []

        def add(b: bytes | str) -> int:
            objs.append(b.encode() if isinstance(b, str) else b)
            return len(objs)

        catalog = add("")                     # filled below
        pages_id = add("")
        tounicode = add(self._stream(self._cmap().encode()))
        cidfont = add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
                      "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                      "/DW 1000 /CIDToGIDMap /Identity "
                      "/FontDescriptor << /Type /FontDescriptor /FontName /SimSun /Flags 4 "
                      "/FontBBox [0 -141 1000 859] /ItalicAngle 0 /Ascent 859 /Descent -141 "
                      "/CapHeight 700 /StemV 80 >> >>")
        font = add(f"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
                   f"/DescendantFonts [{cidfont} 0 R] /ToUnicode {tounicode} 0 R >>")
        kids = []
        for p in self.pages:
            xobjs = []
            for name, w, h in p.images:
                img = add(self._stream(bytes((i * 37) % 256 for i in range(w * h)),
                                       f" /Type /XObject /Subtype /Image /Width {w} /Height {h} "
                                       "/ColorSpace /DeviceGray /BitsPerComponent 8"))
                xobjs.append(f"/{name} {img} 0 R")
            content = add(self._stream("\n".join(p.ops).encode()))
            res = f"<< /Font << /F1 {font} 0 R >> /XObject << {' '.join(xobjs)} >> >>"
            kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {p.width:.0f} "
                            f"{p.height:.0f}] /Resources {res} /Contents {content} 0 R >>"))
        for extra in self.extra_objects:
            add(extra)
        objs[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
        objs[pages_id - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                              f"/Count {len(kids)} >>").encode()
        return serialise(objs, catalog, trailer_extra)

    def _cmap(self) -> str:
        lines = ["/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
                 "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
                 "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
                 "1 begincodespacerange <0000> <FFFF> endcodespacerange"]
        items = sorted(self.cids.items(), key=lambda kv: kv[1])
        for i in range(0, len(items), 100):
            chunk = items[i:i + 100]
            lines.append(f"{len(chunk)} beginbfchar")
            for ch, cid in chunk:
                lines.append(f"<{cid:04X}> <{ch.encode('utf-16-be').hex().upper()}>")
            lines.append("endbfchar")
        lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
        return "\n".join(lines)


def serialise(objs: list[bytes], root: int, trailer_extra: str = "") -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objs) + 1} /Root {root} 0 R {trailer_extra}>>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


# --------------------------------------------------------------------------
# A whole report, drawn from the text export
# --------------------------------------------------------------------------

LEFT, RIGHT, TOP, BOTTOM = 72.0, 523.0, 80.0, 770.0
BODY = 12.0
CELL = 8.0


def _is_num(s: str) -> bool:
    return bool(s) and s.replace(".", "", 1).isdigit()


@dataclass
class _Layout:
    maker: PdfMaker
    header: str
    page: Page | None = None
    y: float = TOP
    number: int = 0

    browser: bool = False
    pages_total: int = 0

    def new_page(self) -> Page:
        self.page = self.maker.page()
        self.number += 1
        if self.browser:          # a browser's print: date and title above, address and n/N below
            self.maker.text(self.page, 20, 14, "2026/1/20 10:31", 7, 0.55)
            self.maker.text(self.page, 250, 14, self.header, 7)
            self.maker.text(self.page, 20, 824, "file:///D:/公开/年度报告.html", 7, 0.6)
            self.maker.text(self.page, 560, 824, f"{self.number}/{self.pages_total or 3}", 7, 0.55)
        else:                     # a word processor: running header and — N — page numbers
            self.maker.text(self.page, LEFT, 40, self.header, 9)
            self.maker.line(self.page, LEFT, 54, RIGHT, 54, 0.5)
            num = f"— {self.number} —"
            self.maker.text(self.page, (A4[0] - len(num) * 10) / 2, 800, num, 10)
        self.y = TOP
        return self.page

    def need(self, h: float) -> Page:
        if self.page is None or self.y + h > BOTTOM:
            return self.new_page()
        return self.page


def _wrap(text: str, per_line: int) -> list[str]:
    """Lines of at most ``per_line`` characters, the last one never a lone character: without an
    embedded font PDFium has no glyph box for a lone ideograph and leaves it out of the text."""
    per_line = max(per_line, 2)
    parts = [text[i:i + per_line] for i in range(0, len(text), per_line)] or [""]
    if len(parts) > 1 and len(parts[-1]) == 1:
        parts[-2], parts[-1] = parts[-2][:-1], parts[-2][-1] + parts[-1]
    return parts


def _regions(rows: list[list[str]]) -> list[list[int]]:
    """A region id per cell: a blank after a label cell continues it to the right; leading
    blanks continue the cell above (the text export's way of writing merged cells)."""
    n = max(len(r) for r in rows)
    grid = [r + [""] * (n - len(r)) for r in rows]
    ids = [[0] * n for _ in grid]
    nxt = 0
    for r, row in enumerate(grid):
        first = next((c for c, t in enumerate(row) if t), n)
        for c, t in enumerate(row):
            if t:
                ids[r][c] = nxt
                nxt += 1
            elif c < first and r > 0:
                ids[r][c] = ids[r - 1][c]
            elif c > 0 and grid[r][c - 1] is not None and not _is_num(row[c - 1]) and \
                    (row[c - 1] or c > first):
                ids[r][c] = ids[r][c - 1]
            else:
                ids[r][c] = nxt
                nxt += 1
    return ids


def _table(lay: _Layout, rows: list[list[str]], ruled: bool, header_rows: int) -> None:
    m = lay.maker
    n = max(len(r) for r in rows)
    grid = [r + [""] * (n - len(r)) for r in rows]
    label_cols = min((next((c for c, t in enumerate(r) if _is_num(t)), n) for r in grid
                      if any(_is_num(t) for t in r)), default=1)
    total = RIGHT - LEFT
    if label_cols and label_cols < n:
        lw = total * (0.45 if label_cols > 1 else 0.4)
        widths = [lw / label_cols] * label_cols + [(total - lw) / (n - label_cols)] * (n - label_cols)
    else:
        widths = [total / n] * n
    xs = [LEFT]
    for w in widths:
        xs.append(xs[-1] + w)
    ids = _regions(grid)
    first_cell: dict[int, tuple[int, int]] = {}
    span_w: dict[int, float] = {}
    for r in range(len(grid)):
        for c in range(n):
            rid = ids[r][c]
            if rid not in first_cell:
                first_cell[rid] = (r, c)
            if first_cell[rid][0] == r:
                span_w[rid] = span_w.get(rid, 0.0) + widths[c]
    pad = 2.0
    heights = []
    for r, row in enumerate(grid):
        h = 1
        for c, t in enumerate(row):
            rid = ids[r][c]
            if t and first_cell[rid] == (r, c):
                h = max(h, len(_wrap(t, int((span_w[rid] - 2 * pad) // CELL))))
        heights.append(h * (CELL + 2) + 2 * pad)
    if not ruled:
        for r, row in enumerate(grid):
            p = lay.need(heights[r])
            for c, t in enumerate(row):
                if t:
                    m.text(p, xs[c] + pad, lay.y + pad, t, CELL)
            lay.y += heights[r]
        lay.y += 10
        return
    page_rows: list[tuple[Page, list[int], list[float]]] = []
    r = 0
    while r < len(grid):
        p = lay.need(heights[r] * 2)
        top0 = lay.y
        seq: list[int] = []
        tops: list[float] = []
        if page_rows:                              # repeat the header on the new page
            for hr in range(header_rows):
                seq.append(hr)
                tops.append(lay.y)
                lay.y += heights[hr]
        while r < len(grid) and lay.y + heights[r] <= BOTTOM:
            seq.append(r)
            tops.append(lay.y)
            lay.y += heights[r]
            r += 1
        page_rows.append((p, seq, tops))
        # walls: outer border, and between cells of different regions
        bottom = lay.y
        m.line(p, xs[0], top0, xs[-1], top0)
        m.line(p, xs[0], bottom, xs[-1], bottom)
        m.line(p, xs[0], top0, xs[0], bottom)
        m.line(p, xs[-1], top0, xs[-1], bottom)
        drawn: set[int] = set()
        for k, (rr, t0) in enumerate(zip(seq, tops, strict=True)):
            t1 = t0 + heights[rr]
            for c in range(n):
                if c + 1 < n and ids[rr][c] != ids[rr][c + 1]:
                    m.line(p, xs[c + 1], t0, xs[c + 1], t1)
                below = seq[k + 1] if k + 1 < len(seq) else None
                if below is not None and ids[rr][c] != ids[below][c]:
                    m.line(p, xs[c], t1, xs[c + 1], t1)
                rid = ids[rr][c]
                text = grid[first_cell[rid][0]][first_cell[rid][1]]
                repeated_header = rr < header_rows and len(page_rows) > 1
                if text and rid not in drawn and (first_cell[rid] == (rr, c) or
                                                  (repeated_header and first_cell[rid][1] == c)):
                    drawn.add(rid)
                    per = int((span_w.get(rid, widths[c]) - 2 * pad) // CELL)
                    for i, part in enumerate(_wrap(text, per)):
                        m.text(p, xs[c] + pad, t0 + pad + i * (CELL + 2), part, CELL)
    lay.y += 10


def report_pdf(txt: str, *, borderless: tuple[int, ...] = (), radicals: dict[str, str] | None = None,
               header: str = "", browser: bool = False) -> bytes:
    """Draw the report whose text export is ``txt``; tables numbered from 0 in ``borderless``
    are drawn without lines; ``browser``: a browser's print header and footer on every page."""
    maker = PdfMaker(radicals=radicals)
    lines = txt.splitlines()
    title = lines[0].strip()
    lay = _Layout(maker, header or title[:title.find("20")] + "政务公开", browser=browser)
    p = lay.new_page()
    cut = title.find("政府信息公开") + len("政府信息公开")
    for part in (title[:cut], title[cut:]):
        x = (A4[0] - len(part) * 18) / 2
        maker.text(p, x, lay.y, part, 18)
        lay.y += 26
    lay.y += 14
    i, table_no = 1, 0
    while i < len(lines):
        ln = lines[i]
        if "\t" in ln:
            rows = []
            while i < len(lines) and "\t" in lines[i]:
                rows.append(lines[i].split("\t"))
                i += 1
            header_rows = 3 if len(rows[0]) >= 9 else 0
            _table(lay, rows, ruled=table_no not in borderless, header_rows=header_rows)
            table_no += 1
            continue
        i += 1
        t = ln.strip()
        if not t:
            continue
        heading = len(t) <= 30 and not t.endswith("。")
        per = int((RIGHT - LEFT) // BODY)
        parts = _wrap(t, per - 2) if heading else [t[:per - 2]] + _wrap(t[per - 2:], per)
        for k, part in enumerate(parts):
            p = lay.need(BODY + 8)
            x = LEFT + (2 * BODY if k == 0 else 0)
            maker.text(p, x, lay.y, part, BODY)
            lay.y += BODY + 8
    return maker.build()
