"""The 公文 typography (GB/T 9704-2012, DOMAIN.md §6) as data.

``resources/make_reference_docx.py`` builds ``resources/reference.docx`` from
these specs, and the DOCX writer uses the same specs as direct formatting when
an office's own reference document lacks one of the styles.
"""
from __future__ import annotations

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
BODY_LINE = 28.9                  # exact line spacing, pt: 22 lines a page


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


BODY = StyleSpec("body", "Normal", "仿宋_GB2312", 16, align="both", line_exact=BODY_LINE,
                 first_line_chars=2)
TITLE = StyleSpec("title", "Title", "方正小标宋简体", 22, align="center", line_exact=36,
                  space_after=BODY_LINE, keep_next=True)
H1 = StyleSpec("h1", "Heading 1", "黑体", 16, align="both", line_exact=BODY_LINE,
               first_line_chars=2, keep_next=True, outline=0)
H2 = StyleSpec("h2", "Heading 2", "楷体_GB2312", 16, align="both", line_exact=BODY_LINE,
               first_line_chars=2, keep_next=True, outline=1)
TABLE = StyleSpec("table", "表格文字", "宋体", 10.5, align="center", builtin=False)
PAGENUM = StyleSpec("pagenum", "页码", "宋体", 14, builtin=False)

SPECS: tuple[StyleSpec, ...] = (BODY, TITLE, H1, H2, TABLE, PAGENUM)
SPEC_BY_KEY = {s.key: s for s in SPECS}

# the page-number text around the PAGE field: “— 1 —”
PAGE_PREFIX = "— "
PAGE_SUFFIX = " —"
