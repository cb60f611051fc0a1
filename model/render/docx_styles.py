"""The 公文 typography (GB/T 9704-2012, DOMAIN.md §6) as data.

``resources/make_reference_docx.py`` builds ``resources/reference.docx`` from
these specs, and the DOCX writer uses the same specs as direct formatting when
an office's own reference document lacks one of the styles.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

# page: A4 and the GB/T 9704 margins, in twentieths of a point (twips)
MM = 1440 / 25.4
PAGE_W = 11906
PAGE_H = 16838
MARGIN_TOP = round(37 * MM)       # 2098
MARGIN_BOTTOM = round(35 * MM)    # 1984
MARGIN_LEFT = round(28 * MM)      # 1587
MARGIN_RIGHT = round(26 * MM)     # 1474
HEADER_DIST = round(15 * MM)
FOOTER_DIST = round(25 * MM)      # page number sits about 7 mm under the text block
TEXT_WIDTH = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT   # 8845 twips = 156 mm

LATIN = "Times New Roman"
TEXT_HEIGHT = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM  # 12756 twips = 225 mm
LINES = 22                        # GB/T 9704: 22 lines a page …
CHARS = 28                        # … of 28 characters
LINE_PITCH = TEXT_HEIGHT // LINES                  # 579 twips
BODY_LINE = LINE_PITCH / 20       # exact line spacing, pt (28.95): 22 lines a page
# the character grid (w:docGrid w:type="linesAndChars"): Word's pitch is the Normal
# font size plus charSpace/4096 pt, so 28 characters of 三号 fill the 156 mm line
CHAR_PITCH_PT = TEXT_WIDTH / CHARS / 20            # 15.795 pt


@dataclass(frozen=True)
class StyleSpec:
    key: str                      # our name for it
    name: str                     # the style's name in the reference document
    east: str                     # East Asian font (w:rFonts w:eastAsia)
    size: float                   # pt
    latin: str = LATIN
    align: str | None = None      # w:jc value: "both", "center", "left", "right"
    line_exact: float | None = None   # exact line spacing in pt; None: single
    first_line_chars: int = 0     # first-line indent in characters
    space_after: float = 0.0      # pt
    keep_next: bool = False
    outline: int | None = None    # outline level (0 = level 1)
    builtin: bool = True          # a Word built-in style (English name, localised by Word)
    snap: bool = True             # snaps to the document grid (28 characters a line)
    scale: int = 100              # w:w, glyph width in percent (see GRID_SCALE)


# Word and WPS fit every character of the grid's size into one 15.8 pt cell;
# LibreOffice gives a glyph wider than the cell two cells (14 characters a line).
# 98 % wide glyphs (15.7 pt) fit one cell there too; in Word and WPS the cell is
# the same, and the 2 % is invisible.
GRID_SCALE = 98
BODY = StyleSpec("body", "Normal", "仿宋_GB2312", 16, align="both", line_exact=BODY_LINE,
                 first_line_chars=2, scale=GRID_SCALE)
TITLE = StyleSpec("title", "Title", "方正小标宋简体", 22, align="center", line_exact=36,
                  space_after=BODY_LINE, keep_next=True, snap=False)
H1 = StyleSpec("h1", "Heading 1", "黑体", 16, align="both", line_exact=BODY_LINE,
               first_line_chars=2, keep_next=True, outline=0, scale=GRID_SCALE)
H2 = StyleSpec("h2", "Heading 2", "楷体_GB2312", 16, align="both", line_exact=BODY_LINE,
               first_line_chars=2, keep_next=True, outline=1, scale=GRID_SCALE)
TABLE = StyleSpec("table", "表格文字", "宋体", 10.5, align="center", builtin=False, snap=False)
PAGENUM = StyleSpec("pagenum", "页码", "宋体", 14, latin="宋体", builtin=False, snap=False)
# the mark of a forced export, in the header (not a reference style: always direct)
DRAFT = StyleSpec("draft", "草稿标记", "黑体", 16, latin="黑体", align="right", builtin=False,
                  snap=False)

SPECS: tuple[StyleSpec, ...] = (BODY, TITLE, H1, H2, TABLE, PAGENUM)
SPEC_BY_KEY = {s.key: s for s in SPECS}

CHAR_SPACE = math.floor((CHAR_PITCH_PT - BODY.size) * 4096)   # -842: 28 fit, never 27


def char_twips(chars: float, spec: StyleSpec | None = None) -> int:
    """``chars`` characters in twips: grid cells for text on the grid, else the font size.

    Word and WPS use the ``…Chars`` attribute beside it; LibreOffice uses the twips
    and rounds an indent up to whole grid cells, so the twips stay a little (0.8 pt
    a character) under the cells.
    """
    if spec is None or spec.snap:
        return math.floor(chars * (CHAR_PITCH_PT - 0.8) * 20)
    return round(chars * spec.size * 20)


def grid_xml() -> str:
    """The ``w:docGrid`` of the 公文 page: 22 lines of 28 characters."""
    return f'<w:docGrid w:type="linesAndChars" w:linePitch="{LINE_PITCH}" w:charSpace="{CHAR_SPACE}"/>'


# the page-number text around the PAGE field: “— 1 —”
PAGE_PREFIX = "— "
PAGE_SUFFIX = " —"
