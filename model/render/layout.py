"""Layout decisions every format shares, in characters (plain functions, no writer).

* :func:`title_lines` — where a long title breaks: at word boundaries (the
  agency, then ``2024年政府信息公开工作年度报告``), never ``报告`` alone.
* :func:`signature_layout` — the 落款 (署名 and 成文日期) per GB/T 9704 §7.3.5:
  the 署名 right with two characters of space (右空二字), the date on the next
  line starting two characters right of the 署名's first character; when the
  date is longer, the date keeps its two characters of right space and the
  署名 moves left accordingly.

Widths are counted in characters of the body font: a CJK or full-width
character is 1, an ASCII character (the date's Arabic digits) is ½.  The DOCX,
HTML, TXT and PDF writers place the lines from these results.
"""
from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..schema import DIVISION_SUFFIXES

LINE_CHARS = 28           # GB/T 9704: 28 characters a line of 三号 in the 156 mm text block
TITLE_CHARS = 20          # 二号 (22 pt) characters in the same 156 mm: 442 pt / 22 pt
SIGN_RIGHT = 2            # 右空二字
DATE_SHIFT = 2            # the date starts two characters right of the 署名's first character


def text_width(text: str) -> float:
    """Width in characters of the body font: ASCII ½, everything else 1."""
    return sum(0.5 if ord(ch) < 0x80 else 1.0 for ch in text)


# --------------------------------------------------------------------------
# the title
# --------------------------------------------------------------------------

# a break may come before the year, and after the administrative units inside an
# agency's name or the fixed phrases of the official title
_YEAR = re.compile(r"\d{4}年(?!度)")
_BREAK_AFTER = re.compile(
    r"政府信息公开(?=工作)|工作(?=年度报告)"
    r"|(?:" + "|".join((*DIVISION_SUFFIXES, "人民政府", "办公室", "委员会")) + r")"
    r"(?=[^\d年）)])"
)
# never a break inside these
_NO_BREAK = re.compile(r"年度报告|\d+年")


def _break_points(title: str) -> tuple[list[int], int | None]:
    inside: set[int] = set()
    for m in _NO_BREAK.finditer(title):
        inside.update(range(m.start() + 1, m.end()))
    year = None
    points = {m.end() for m in _BREAK_AFTER.finditer(title)}
    for m in _YEAR.finditer(title):
        points.add(m.start())
        year = m.start()
    ok = sorted(p for p in points if 0 < p < len(title) and p not in inside)
    return ok, (year if year in ok else None)


def title_lines(title: str, max_chars: float = TITLE_CHARS,
                width: Callable[[str], float] = text_width) -> list[str]:
    """The title as display lines: one line when it fits, else lines broken at word
    boundaries, each at most ``max_chars`` wide where the words allow (``width``: how wide a
    text is, in the unit of ``max_chars``; the PDF pages pass their measured widths).

    The usual break of an official title comes first: the agency, then
    ``2024年政府信息公开工作年度报告`` (a line the importers read back as agency and
    title).  A name too long for one line breaks inside at an administrative unit
    (…省 / …市 / …人民政府), balanced: the longest line as short as it can be.
    ``报告`` or ``年度报告`` never stands alone.
    """
    title = title.strip()
    if not title:
        return []
    total = width(title)
    if total <= max_chars:
        return [title]
    points, year = _break_points(title)
    best: tuple[tuple[float, ...], list[str]] | None = None
    for n in range(max(2, math.ceil(total / max_chars)), len(points) + 2):
        found = _best_with(title, points, year, n, max_chars, width)
        if found is not None and (best is None or found[0] < best[0]):
            best = found
        if best is not None and best[0][0] == 0:
            break
    return best[1] if best is not None else [title]


def _best_with(title: str, points: list[int], year: int | None, n: int, max_chars: float,
               width: Callable[[str], float]) -> tuple[tuple[float, ...], list[str]] | None:
    best: tuple[tuple[float, ...], list[str]] | None = None
    for combo in itertools.combinations(points, n - 1):
        cuts = [0, *combo, len(title)]
        lines = [title[a:b] for a, b in itertools.pairwise(cuts)]
        widths = [width(s) for s in lines]
        over = sum(max(0.0, w - max_chars) for w in widths)
        key = (over, 0 if year in combo or year is None else 1, max(widths), -widths[-1])
        if best is None or key < best[0]:
            best = (key, lines)
    return best


# --------------------------------------------------------------------------
# the 落款
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class SignLine:
    text: str
    start: float          # characters from the left edge of a LINE_CHARS line
    right: float          # characters of space to the right (the right indent)


def signature_layout(agency: str, date_text: str,
                     line_chars: int = LINE_CHARS) -> list[SignLine]:
    """The 落款 lines (署名, then 成文日期); empty when there is no date (no 落款).

    GB/T 9704-2012 §7.3.5.2: 署名 右空二字; the date under it, its first character
    two characters right of the 署名's first; a date longer than that keeps two
    characters of right space and the 署名's right space grows to match.
    """
    agency = agency.strip()
    date_text = date_text.strip()
    if not date_text:
        return []
    d = text_width(date_text)
    if not agency:
        return [SignLine(date_text, line_chars - SIGN_RIGHT - d, SIGN_RIGHT)]
    a = text_width(agency)
    if a >= d + DATE_SHIFT:
        sign_start = line_chars - SIGN_RIGHT - a
    else:
        sign_start = line_chars - SIGN_RIGHT - d - DATE_SHIFT
    sign_start = max(0.0, sign_start)
    date_start = sign_start + DATE_SHIFT
    return [
        SignLine(agency, sign_start, max(0.0, line_chars - sign_start - a)),
        SignLine(date_text, date_start, max(0.0, line_chars - date_start - d)),
    ]


def pad(chars: float) -> str:
    """Spaces ``chars`` characters wide: ideographic spaces, an ASCII space for a half."""
    whole = int(chars)
    return "\u3000" * whole + (" " if chars - whole >= 0.5 else "")


def no_signature_notice(publish_date: object) -> str | None:
    """The 检查与导出 notice when the document will go out without a 落款."""
    if publish_date:
        return None
    return ("未填写发布日期（成文日期），导出的文稿末尾将没有落款（机关署名和日期）。"
            "如需落款，请在基本信息中填写发布日期。")
