"""Word's automatic numbering, written into the paragraphs it numbers.

A heading numbered by Word or WPS (a list style: ``一、`` ``（一）`` ``1.`` drawn by the
program, not typed) has no numeral in ``word/document.xml``: the paragraph says
``总体情况`` and ``word/numbering.xml`` says how to number it.  The published document shows
``一、总体情况``, so the reader must read it that way too — else a well-made report would be
read as one without numbered headings (rule S2) and its sections would run together.

:func:`apply_numbering` works the numbers out in document order, as Word does (a counter per
list and level, deeper levels restarting when a shallower one counts on, ``w:start`` and
``w:startOverride``), for numbering set on the paragraph (``w:numPr``) or by its paragraph
style (``w:pStyle`` → ``styles.xml``, through ``w:basedOn``), and puts the text (``%1、``
formatted: 一二三, 1 2 3, ①②③, 甲乙丙, a b c, i ii iii …) in a run at the start of the
paragraph.  Bullets and ``none`` levels add nothing.  Parts that cannot be read add nothing
either: numbering is never a reason to refuse a document.
"""
from __future__ import annotations

import re
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
T_P, T_PPR, T_NUMPR, T_ILVL, T_NUMID = W + "p", W + "pPr", W + "numPr", W + "ilvl", W + "numId"
T_VAL = W + "val"
MAX_PART_BYTES = 4 * 1024 * 1024       # numbering.xml / styles.xml unpacked
MAX_LISTS = 5_000                      # w:num and w:abstractNum elements
MAX_STYLE_DEPTH = 20                   # w:basedOn chain
MAX_LEVEL = 9
MAX_LEVEL_TEXT = 40                    # characters of a level's text (``%1、``, ``第%1章``)

_CN_DIGITS = "零一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (as Word's chineseCounting)."""
    if n <= 0:
        return _CN_DIGITS[0]
    if n >= 10_000:
        return str(n)
    out = ""
    units = (("千", 1000), ("百", 100), ("十", 10))
    zero = False
    for name, size in units:
        d, n = divmod(n, size)
        if d:
            if zero:
                out += "零"
                zero = False
            out += ("" if (name == "十" and d == 1 and not out) else _CN_DIGITS[d]) + name
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + _CN_DIGITS[n]
    return out


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += letters
            n -= value
    return out


def _letters(n: int) -> str:
    if not 0 < n <= 780:                        # a … zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz, then digits
        return str(n)
    k, r = divmod(n - 1, 26)
    return chr(ord("a") + r) * (k + 1)          # Word's a … z, aa … zz


def format_number(n: int, fmt: str) -> str:
    """``n`` in Word's number format ``fmt`` (``w:numFmt``); decimal for formats not known."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "ideographDigital",
               "chineseLegalSimplified"):
        text = _chinese(n)
        if fmt == "chineseLegalSimplified":
            text = text.translate(str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟"))
        return text
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)


class _Level:
    __slots__ = ("start", "fmt", "text")

    def __init__(self, start: int, fmt: str, text: str) -> None:
        self.start, self.fmt, self.text = start, fmt, text


def _int(el: Any, default: int) -> int:
    if el is None:
        return default
    v = el.get(T_VAL)
    return int(v) if v is not None and v.lstrip("-").isdigit() and len(v) <= 6 else default


def _levels(abstract: Any) -> dict[int, _Level]:
    out: dict[int, _Level] = {}
    for lvl in abstract.iterchildren(W + "lvl"):
        ilvl = _int_attr(lvl, W + "ilvl", -1)
        if 0 <= ilvl < MAX_LEVEL:
            out.update(_levels_of_one(lvl, ilvl))
    return out


def _int_attr(el: Any, name: str, default: int) -> int:
    v = el.get(name)
    return int(v) if v is not None and v.isdigit() and len(v) <= 6 else default


class Numbering:
    """The lists of ``numbering.xml`` and the numbered paragraph styles of ``styles.xml``."""

    def __init__(self, numbering: Any, styles: Any | None) -> None:
        abstracts: dict[str, dict[int, _Level]] = {}
        self.lists: dict[str, tuple[str, dict[int, _Level], dict[int, int]]] = {}
        count = 0
        for el in numbering.iterchildren(W + "abstractNum"):
            count += 1
            if count > MAX_LISTS:
                break
            abstracts[el.get(W + "abstractNumId") or ""] = _levels(el)
        for el in numbering.iterchildren(W + "num"):
            count += 1
            if count > MAX_LISTS:
                break
            ref = next(el.iterchildren(W + "abstractNumId"), None)
            aid = ref.get(T_VAL) if ref is not None else None
            if aid is None or aid not in abstracts:
                continue
            levels = dict(abstracts[aid])
            starts: dict[int, int] = {}
            for over in el.iterchildren(W + "lvlOverride"):
                ilvl = _int_attr(over, W + "ilvl", -1)
                if not 0 <= ilvl < MAX_LEVEL:
                    continue
                so = next(over.iterchildren(W + "startOverride"), None)
                if so is not None:
                    starts[ilvl] = _int(so, 1)
                lvl = next(over.iterchildren(W + "lvl"), None)
                if lvl is not None:
                    levels.update(_levels_of_one(lvl, ilvl))
            self.lists[el.get(W + "numId") or ""] = (aid, levels, starts)
        self.styles: dict[str, tuple[str | None, str | None, int | None]] = {}
        if styles is not None:
            for st in styles.iterchildren(W + "style"):
                if st.get(W + "type") not in (None, "paragraph"):
                    continue
                sid = st.get(W + "styleId") or ""
                based = next(st.iterchildren(W + "basedOn"), None)
                ppr = next(st.iterchildren(T_PPR), None)
                s_num, s_lvl = _num_pr(ppr)
                self.styles[sid] = (based.get(T_VAL) if based is not None else None, s_num, s_lvl)
        self.counters: dict[str, list[int | None]] = {}     # per abstract list: a counter a level

    def of_style(self, style: str | None) -> tuple[str | None, int | None]:
        """(numId, ilvl) a paragraph style numbers with, through its ``basedOn`` chain."""
        num_id: str | None = None
        ilvl: int | None = None
        seen = 0
        while style is not None and seen < MAX_STYLE_DEPTH:
            seen += 1
            got = self.styles.get(style)
            if got is None:
                break
            based, sn, sl = got
            if num_id is None and sn is not None:
                num_id = sn
            if ilvl is None and sl is not None:
                ilvl = sl
            style = based
        return num_id, ilvl

    def label(self, num_id: str, ilvl: int) -> str:
        """The next number of list ``num_id`` at level ``ilvl``, as its level text writes it."""
        got = self.lists.get(num_id)
        if got is None or num_id == "0":
            return ""
        aid, levels, starts = got
        lvl = levels.get(ilvl)
        if lvl is None or lvl.fmt in ("bullet", "none"):
            return ""
        counters = self.counters.setdefault(aid, [None] * MAX_LEVEL)
        cur = counters[ilvl]
        counters[ilvl] = (starts.get(ilvl, lvl.start) if cur is None else cur + 1)
        for deeper in range(ilvl + 1, MAX_LEVEL):
            counters[deeper] = None

        def one(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            level = levels.get(k)
            if level is None:
                return ""
            value = counters[k]
            if value is None:
                value = starts.get(k, level.start)
            return format_number(value, level.fmt)

        return re.sub(r"%([1-9])", one, lvl.text)


def _levels_of_one(lvl: Any, ilvl: int) -> dict[int, _Level]:
    fmt_el = next(lvl.iterchildren(W + "numFmt"), None)
    text_el = next(lvl.iterchildren(W + "lvlText"), None)
    text = (text_el.get(T_VAL) if text_el is not None else None) or ""
    if len(text) > MAX_LEVEL_TEXT:      # no list numbers a heading with a paragraph of text
        text = ""
    return {ilvl: _Level(_int(next(lvl.iterchildren(W + "start"), None), 1),
                         (fmt_el.get(T_VAL) if fmt_el is not None else None) or "decimal", text)}


def _num_pr(ppr: Any) -> tuple[str | None, int | None]:
    if ppr is None:
        return None, None
    npr = next(ppr.iterchildren(T_NUMPR), None)
    if npr is None:
        return None, None
    nid = next(npr.iterchildren(T_NUMID), None)
    lvl = next(npr.iterchildren(T_ILVL), None)
    return (nid.get(T_VAL) if nid is not None else None,
            _int(lvl, 0) if lvl is not None else None)


def apply_numbering(body: Any, numbering: Numbering) -> None:
    """Put each numbered paragraph's number text at its start (a new ``w:r``), in document order."""
    from lxml import etree

    for p in body.iter(T_P):
        ppr = next(p.iterchildren(T_PPR), None)
        num_id, ilvl = _num_pr(ppr)
        if num_id is None or ilvl is None:
            style_el = next(ppr.iterchildren(W + "pStyle"), None) if ppr is not None else None
            s_num, s_lvl = numbering.of_style(style_el.get(T_VAL) if style_el is not None else None)
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
        if num_id is None:
            continue
        text = numbering.label(num_id, min(max(ilvl or 0, 0), MAX_LEVEL - 1))
        if not text:
            continue
        run = etree.Element(W + "r")
        t = etree.SubElement(run, W + "t")
        t.text = text
        p.insert(1 if ppr is not None else 0, run)
