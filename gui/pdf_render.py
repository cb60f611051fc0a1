"""PDF export and printing: the pages of :mod:`model.render.pages` painted with Qt.

Why QPainter and not QTextDocument + QPdfWriter: QTextDocument repeats a
table's header rows (``setHeaderRowCount``), but it splits rows across pages,
has no keep-with-next for heads, no widow control, no character grid (it
cannot set 28 characters a line), no way to keep a merged group on one page,
and its page numbers are centred.  Drawing the pages ourselves gives the
official page exactly — the 22 × 28 grid, heads that never end a page, rows
never split, ``— N —`` at the outer corner, the 落款 of GB/T 9704 — and the
layout is decided in plain Python (``model/render/pages.py``, testable without
Qt); this module only measures characters and paints.  The same painting code
draws into a :class:`QPdfWriter` (the PDF) and a :class:`QPrinter` (打印 and
打印预览), so the paper looks exactly like the PDF.

The text stays text: Qt embeds every font it uses as a subset (CID TrueType,
``FontFile2``), so the PDF is selectable and searchable.  Qt's ToUnicode maps
name the lowest code point that shares a glyph, which for CJK fonts is often a
Kangxi radical (⼯ U+2F2F for 工): :func:`fix_to_unicode` rewrites those entries
in place to the ideograph (NFKC), so copying or searching ``工作`` works.

Fonts: the DOCX's East Asian fonts (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体,
宋体) when installed, else the usual substitutes (仿宋 / FangSong / STFangsong …),
else Noto Serif CJK SC (仿宋, 宋体, 楷体; 小标宋 as its bold) and Noto Sans CJK SC
(黑体), else whatever family Qt resolves.
"""
from __future__ import annotations

import bisect
import os
import re
import sys
from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF
from PySide6.QtGui import (
    QColor, QFont, QFontDatabase, QFontMetricsF, QGuiApplication, QPageLayout, QPageSize, QPainter,
    QPagedPaintDevice, QPdfWriter, QPen, QRawFont,
)

from model.errors import RenderError
from model.render import docx_styles as S
from model.render import pages as P

PDF_RESOLUTION = 1200
CREATOR = "年报 Nianbao"

_KINDS: dict[str, tuple[str, ...]] = {
    "fangsong": ("仿宋_GB2312", "仿宋", "FangSong", "FangSong_GB2312", "STFangsong", "华文仿宋",
                 "Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "Noto Serif SC"),
    "hei": ("黑体", "SimHei", "STHeiti", "华文黑体", "Noto Sans CJK SC", "Source Han Sans SC",
            "Source Han Sans CN", "Noto Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei"),
    "kai": ("楷体_GB2312", "楷体", "KaiTi", "KaiTi_GB2312", "STKaiti", "华文楷体", "AR PL UKai CN",
            "AR PL KaitiM GB", "Noto Serif CJK SC", "Source Han Serif SC", "Noto Serif SC"),
    "xbs": ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "华文中宋", "STZhongsong",
            "Noto Serif CJK SC", "Source Han Serif SC", "Noto Serif SC"),
    "song": ("宋体", "SimSun", "NSimSun", "STSong", "华文宋体", "Noto Serif CJK SC",
             "Source Han Serif SC", "Noto Serif SC"),
}
_TRUE_XBS = ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "华文中宋", "STZhongsong")
# style key -> the DOCX style it follows; "mark" is the 草稿 mark (黑体)
_STYLE_SPEC = {**{s.key: s for s in S.SPECS}, "mark": S.H1}
DRAFT_COLOR = QColor(200, 30, 30)
WATERMARK_COLOR = QColor(0, 0, 0, 28)


def ensure_app() -> None:
    """An application object for fonts and painting; offscreen when there is no display."""
    from PySide6.QtCore import QCoreApplication
    app = QCoreApplication.instance()
    if app is not None:
        if not isinstance(app, QGuiApplication):
            raise RenderError("导出 PDF 需要图形组件（QGuiApplication），当前程序只启动了核心组件。")
        return
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                 or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    global _APP
    # a QApplication (not only a QGuiApplication), so widgets may follow in the same process
    from PySide6.QtWidgets import QApplication
    _APP = QApplication(["nianbao"])


_APP: QGuiApplication | None = None


def _kind(east: str) -> str:
    if "仿宋" in east:
        return "fangsong"
    if "黑" in east:
        return "hei"
    if "楷" in east:
        return "kai"
    if "标宋" in east or "中宋" in east:
        return "xbs"
    return "song"


@lru_cache(maxsize=16)
def resolve_family(east: str) -> tuple[str, bool]:
    """(installed family for the DOCX font ``east``, bold) — see the module docstring."""
    kind = _kind(east)
    installed = set(QFontDatabase.families())
    for fam in (east, *_KINDS[kind]):
        if fam in installed:
            return fam, kind == "xbs" and fam not in _TRUE_XBS
    return QFont().defaultFamily(), kind == "xbs"


def style_font(style: str, point_size: float | None = None) -> QFont:
    spec = _STYLE_SPEC[style]
    fam, bold = resolve_family(spec.east)
    f = QFont(fam)
    f.setHintingPreference(QFont.PreferNoHinting)
    f.setKerning(False)
    if bold:
        f.setWeight(QFont.Bold)
    if point_size is None:
        f.setPixelSize(1000)
    else:
        f.setPointSizeF(point_size)
    return f


class QtMeasure:
    """Character advances in points, from unhinted metrics at 1000 px (device independent)."""

    def __init__(self) -> None:
        self._metrics = {key: QFontMetricsF(style_font(key)) for key in _STYLE_SPEC}
        self._cache: dict[tuple[str, str], float] = {}

    def __call__(self, style: str, ch: str) -> float:
        try:
            return self._cache[(style, ch)]
        except KeyError:
            size = P.SIZES.get(style, _STYLE_SPEC[style].size)
            w = self._cache[(style, ch)] = self._metrics[style].horizontalAdvance(ch) * size / 1000
            return w


_measure: QtMeasure | None = None


def measure() -> QtMeasure:
    global _measure
    if _measure is None:
        _measure = QtMeasure()
    return _measure


def layout(context: dict[str, Any], template_dir: Path | None = None) -> P.Document:
    """The paginated document for ``context`` (the DOCX template's markup)."""
    from model.render.env import render_template
    ensure_app()
    markup = render_template("docx", context, template_dir)
    return P.layout_document(markup, context, measure())


# --------------------------------------------------------------------------
# painting
# --------------------------------------------------------------------------

class _Painter:
    def __init__(self, painter: QPainter, resolution: float):
        self.p = painter
        self.k = resolution / 72.0
        self._fonts: dict[tuple[str, float], QFont] = {}

    def font(self, style: str) -> QFont:
        size = P.SIZES.get(style, _STYLE_SPEC[style].size)
        key = (style, size)
        f = self._fonts.get(key)
        if f is None:
            f = style_font(style, size)
            self._fonts[key] = f
        return f

    def text(self, style: str, text: str, x: float, baseline: float) -> None:
        """A run at its natural advances (table cells, page numbers)."""
        self.p.setFont(self.font(style))
        self.p.drawText(QPointF(x * self.k, baseline * self.k), text)

    def pt(self, x: float, y: float) -> QPointF:
        return QPointF(x * self.k, y * self.k)


def _baseline(top: float, line_h: float, size: float) -> float:
    """Baseline that centres a CJK em box (0.88 em above, 0.12 em below) in the line."""
    return top + (line_h - size) / 2 + 0.88 * size


def _paint_line(dp: _Painter, line: P.Line, top: float, line_h: float, m: QtMeasure) -> None:
    """One line, every character placed where the layout put it (grid pitch, justification)."""
    size = P.SIZES[line.style]
    dp.p.setFont(dp.font(line.style))
    k = dp.k
    y = (P.MARGIN_TOP + _baseline(top, line_h, size)) * k
    draw = dp.p.drawText
    for ch, x in zip(line.text, line.offsets(m), strict=True):
        if not ch.isspace():
            draw(QPointF((P.MARGIN_LEFT + x) * k, y), ch)


def _paint_rows(dp: _Painter, tl: P.TableLayout, placed: list[P.PlacedRow], page: int) -> None:
    rows = {pr.row: pr.y for pr in placed}
    x0, y0 = P.MARGIN_LEFT, P.MARGIN_TOP
    pen = QPen(QColor(0, 0, 0))
    pen.setWidthF(0.5 * dp.k)
    dp.p.setPen(pen)
    for cb in tl.cells:
        span = [r for r in range(cb.row, cb.row + cb.rowspan) if r in rows]
        if not span:
            continue
        # a merged cell is drawn over its consecutive rows on this page
        top = rows[span[0]]
        bottom = rows[span[-1]] + tl.row_h[span[-1]]
        left = tl.col_x[cb.col]
        right = tl.col_x[cb.col + cb.colspan]
        dp.p.drawRect(QRectF(dp.pt(x0 + left, y0 + top), dp.pt(x0 + right, y0 + bottom)))
        if not cb.lines or not tl.shows_text(cb, page):
            continue
        block = len(cb.lines) * P.TABLE_LINE
        ty = top + max(P.CELL_PAD_Y, (bottom - top - block) / 2)
        for text, w in cb.lines:
            if cb.align == "left":
                tx = left + P.CELL_PAD_X
            else:
                tx = left + (right - left - w) / 2
            dp.text("table", text, x0 + tx, y0 + _baseline(ty, P.TABLE_LINE, P.SIZES["table"]))
            ty += P.TABLE_LINE


def _paint_page_number(dp: _Painter, page: P.Page, m: QtMeasure) -> None:
    text = P.page_number_text(page.number)
    size = P.SIZES["pagenum"]
    w = sum(m("pagenum", ch) for ch in text)
    top = P.MARGIN_TOP + P.TEXT_H + P.PAGENUM_GAP
    if page.outer_right:
        x = P.MARGIN_LEFT + P.TEXT_W - size - w
    else:
        x = P.MARGIN_LEFT + size
    dp.text("pagenum", text, x, top + 0.88 * size)


def _paint_draft(dp: _Painter, mark: str, m: QtMeasure) -> None:
    size = P.SIZES["h1"]
    w = sum(m("mark", ch) for ch in mark)
    dp.p.save()
    dp.p.setPen(DRAFT_COLOR)
    dp.text("mark", mark, P.MARGIN_LEFT + P.TEXT_W - w, P.MARGIN_TOP - 12 * P.MM + 0.88 * size)
    # a light diagonal watermark over the type area
    dp.p.setPen(WATERMARK_COLOR)
    big = style_font("mark", 96)
    dp.p.setFont(big)
    dp.p.translate(dp.pt(P.PAGE_W / 2, P.PAGE_H / 2))
    dp.p.rotate(-35)
    fm = QFontMetricsF(big, dp.p.device())
    dp.p.drawText(QPointF(-fm.horizontalAdvance(mark) / 2, fm.ascent() / 3), mark)
    dp.p.restore()


def paint_document(device: QPagedPaintDevice, doc: P.Document, resolution: float,
                   painter: QPainter | None = None) -> None:
    """Paint every page of ``doc`` on ``device`` (a QPdfWriter or a QPrinter in full-page mode)."""
    own = painter is None
    p = painter or QPainter()
    if own and not p.begin(device):
        raise RenderError("无法开始绘制页面（打印机或 PDF 文件不可用）。")
    try:
        p.setRenderHint(QPainter.TextAntialiasing, True)
        dp = _Painter(p, resolution)
        m = measure()
        for n, page in enumerate(doc.pages):
            if n:
                device.newPage()
            # in reading order (top to bottom), so the text reads back in order
            drawables: list[tuple[float, int, Callable[[], None]]] = []
            for line, top in page.title_lines:
                drawables.append((top, 0, partial(_paint_line, dp, line, top, P.TITLE_LINE, m)))
            for line, top in page.lines:
                drawables.append((top, 0, partial(_paint_line, dp, line, top, P.LINE_PITCH, m)))
            for tl, placed in page.tables():
                drawables.append((placed[0].y, 1, partial(_paint_rows, dp, tl, placed, page.number)))
            for _y, _kind, draw in sorted(drawables, key=lambda d: (d[0], d[1])):
                p.setPen(QColor(0, 0, 0))
                draw()
            _paint_page_number(dp, page, m)
            if doc.draft:
                _paint_draft(dp, doc.draft, m)
    finally:
        if own:
            p.end()


def document_title(doc: P.Document) -> str:
    return f"{doc.title}（{doc.draft}）" if doc.draft else doc.title


def a4_layout() -> QPageLayout:
    return QPageLayout(QPageSize(QPageSize.A4), QPageLayout.Portrait, QMarginsF(0, 0, 0, 0),
                       QPageLayout.Point)


def pdf_bytes(doc: P.Document) -> bytes:
    buf = QByteArray()
    dev = QBuffer(buf)
    dev.open(QIODevice.WriteOnly)
    writer = QPdfWriter(dev)
    writer.setResolution(PDF_RESOLUTION)
    writer.setPageLayout(a4_layout())
    writer.setTitle(document_title(doc))
    writer.setAuthor(doc.agency)
    writer.setCreator(CREATOR)
    paint_document(writer, doc, PDF_RESOLUTION)
    del writer                      # flushes the file
    dev.close()
    data = bytes(buf.data())
    fixes = glyph_fixes(to_unicode_codes(data), drawn_characters(doc), list(_STYLE_SPEC))
    return tag_subset_names(fix_to_unicode(data, fixes))


def render_pdf(context: dict[str, Any], template_dir: Path | None = None) -> bytes:
    """The report as a PDF (bytes)."""
    return pdf_bytes(layout(context, template_dir))


# --------------------------------------------------------------------------
# ToUnicode: the characters drawn, not others that share their glyphs
# --------------------------------------------------------------------------

_BFRANGE = re.compile(rb"beginbfrange\n(.*?)endbfrange", re.S)
_HEX4 = re.compile(rb"<([0-9A-Fa-f]{4})>")


def _range_destinations(line: bytes) -> tuple[bytes, bytes] | None:
    """(head, the part holding destination code points) of one bfrange line, None for a linear range."""
    if b"[" in line:
        head, _, rest = line.partition(b"[")
        return head + b"[", rest
    toks = _HEX4.findall(line)
    if len(toks) == 3 and toks[0] == toks[1]:      # one glyph: <g> <g> <unicode>
        head, _, last = line.rpartition(b"<")
        return head, b"<" + last
    return None                                       # a linear range: left as Qt wrote it


def to_unicode_codes(pdf: bytes) -> set[int]:
    """Every BMP code point the PDF's ToUnicode maps name."""
    out: set[int] = set()
    for m in _BFRANGE.finditer(pdf):
        for ln in m.group(1).split(b"\n"):
            parts = _range_destinations(ln)
            if parts is not None:
                out.update(int(h, 16) for h in _HEX4.findall(parts[1]))
    return out


def fix_to_unicode(pdf: bytes, fixes: dict[int, int]) -> bytes:
    """Rewrite code points in the ToUnicode maps (same length: no offset changes)."""
    if not fixes:
        return pdf

    def hex_fix(m: re.Match[bytes]) -> bytes:
        to = fixes.get(int(m.group(1), 16))
        return b"<%04X>" % to if to is not None else m.group(0)

    def line_fix(ln: bytes) -> bytes:
        parts = _range_destinations(ln)
        return ln if parts is None else parts[0] + _HEX4.sub(hex_fix, parts[1])

    def section_fix(m: re.Match[bytes]) -> bytes:
        body = b"\n".join(line_fix(ln) for ln in m.group(1).split(b"\n"))
        return b"beginbfrange\n" + body + b"endbfrange"
    out = _BFRANGE.sub(section_fix, pdf)
    if len(out) != len(pdf):          # cannot happen (4 hex digits for 4), but never corrupt a file
        return pdf
    return out


_BASEFONT = re.compile(rb"/BaseFont /([A-Za-z0-9_.\-]+)")
_FONTNAME = re.compile(rb"/FontName /([A-Z]{6})\+([A-Za-z0-9_.\-]+)")
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) n")


def tag_subset_names(pdf: bytes) -> bytes:
    """Put the subset tag Qt gives ``/FontName`` (``QMBAAA+…``) on ``/BaseFont`` too, as the
    PDF spec asks of a subset (preflight tools and ``pdffonts`` read it there); the
    cross-reference table is rewritten for the shifted offsets.  Unchanged when the file is
    not laid out as Qt writes it."""
    tags = {name: tag for tag, name in _FONTNAME.findall(pdf)}
    start = pdf.rfind(b"\nstartxref\n")
    xref = pdf.rfind(b"\nxref\n", 0, start)
    if not tags or start < 0 or xref < 0:
        return pdf
    body = pdf[: xref + 1]
    pieces: list[bytes] = []
    inserts: list[int] = []
    last = 0
    for m in _BASEFONT.finditer(body):
        tag = tags.get(m.group(1))
        if tag is None:
            continue
        pieces += [body[last:m.start(1)], tag + b"+"]
        last = m.start(1)
        inserts.append(m.start(1))
    if not inserts:
        return pdf
    pieces.append(body[last:])
    grow = len(next(iter(tags.values()))) + 1

    def shift(m: re.Match[bytes]) -> bytes:
        off = int(m.group(1))
        return b"%010d %s n" % (off + grow * bisect.bisect_left(inserts, off), m.group(2))
    table = _XREF_ENTRY.sub(shift, pdf[xref + 1:start + 1])
    new_body = b"".join(pieces)
    tail = pdf[start + 1:]
    sx = re.match(rb"startxref\n(\d+)", tail)
    if sx is None or int(sx.group(1)) != xref + 1:
        return pdf
    return new_body + table + b"startxref\n%d" % len(new_body) + tail[sx.end():]


def glyph_fixes(codes: set[int], drawn: set[str], styles: list[str]) -> dict[int, int]:
    """For a code point Qt chose but the document never drew, the drawn character of the same glyph.

    Qt names the lowest code point of a glyph: the Kangxi radical ⼯ for 工, the radical ⻘ for
    青, the traditional 戶 for 户 in a simplified-Chinese font.
    """
    need = [u for u in codes if 0x20 < u <= 0xFFFF and chr(u) not in drawn]
    if not need:
        return {}
    fixes: dict[int, int] = {}
    for fam in dict.fromkeys(resolve_family(_STYLE_SPEC[s].east) for s in styles):
        glyph = _glyph_lookup(*fam)
        by_glyph: dict[int, str] = {}
        for ch in sorted(drawn):
            g = glyph(ch)
            if g:
                by_glyph.setdefault(g, ch)
        for u in need:
            if u not in fixes:
                g = glyph(chr(u))
                if g in by_glyph:
                    fixes[u] = ord(by_glyph[g])
    return fixes


@lru_cache(maxsize=16)
def _glyph_lookup(family: str, bold: bool):
    """A cached ``char -> glyph index`` (0 when the font lacks it) for one installed font."""
    f = QFont(family)
    f.setPixelSize(16)
    if bold:
        f.setWeight(QFont.Bold)
    raw = QRawFont.fromFont(f)
    cache: dict[str, int] = {}

    def glyph(ch: str) -> int:
        g = cache.get(ch)
        if g is None:
            idx = raw.glyphIndexesForString(ch) if raw.isValid() else []
            g = idx[0] if len(idx) == 1 else 0
            cache[ch] = g
        return g
    return glyph


def drawn_characters(doc: P.Document) -> set[str]:
    chars: set[str] = set(doc.draft)
    for page in doc.pages:
        for line, _ in (*page.title_lines, *page.lines):
            chars.update(line.text)
        chars.update(P.page_number_text(page.number))
        for tl, _rows in page.tables():
            for cb in tl.cells:
                for text, _w in cb.lines:
                    chars.update(text)
    return chars
