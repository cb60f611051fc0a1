"""Reading numbers as clerks and published reports write them.

``parse_count("１,234")`` → 1234; ``parse_count("/")`` → blank; ``parse_count("abc")``
→ an error in Chinese.  ``cn_to_int("三十五")`` → 35 for the narrative rules.
Shared by the GUI's cell editor, every importer and the rules.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from .lazyre import lazy

# the largest count we accept in a cell: beyond this it is junk, not a count
MAX_COUNT = 10**9
MAX_AMOUNT = Decimal("1e12")

BLANK_MARKERS = frozenset({"", "/", "／", "—", "－", "-", "–", "——", "--", "无", "空", "\\"})


class Parsed(NamedTuple):
    value: int | Decimal | None     # None: blank (or unreadable, then error is set)
    blank: bool = False             # a blank or a blank marker (C3)
    error: str | None = None        # Chinese message when the text is not a valid number


def normalize(text: str) -> str:
    """Full-width to half-width, thousands separators and spaces removed."""
    t = unicodedata.normalize("NFKC", text or "")
    t = t.replace("\u3000", " ").strip()
    return t


def _clean_number(t: str) -> str:
    t = t.replace(",", "").replace("，", "").replace(" ", "").replace("\u00a0", "")
    return t


_INT_RE = lazy(r"^[+-]?\d+$")
_DEC_RE = lazy(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def _number_text(text: str | None, units: tuple[str, ...]) -> str | None:
    """``text`` cleaned for parsing, its unit words (``units``, in this order) cut off; None when blank."""
    if text is None:
        return None
    t = normalize(str(text))
    if t in BLANK_MARKERS:
        return None
    c = _clean_number(t)
    for unit in units:
        if c.endswith(unit):
            c = c[: -len(unit)]
    return c


def parse_count(text: str | None) -> Parsed:
    """A count: a non-negative integer."""
    if isinstance(text, str) and len(text) <= 64:    # the same few cell texts in every report
        return _parse_count_short(text)
    return _parse_count(text)


@lru_cache(maxsize=4096)
def _parse_count_short(text: str) -> Parsed:
    return _parse_count(text)          # Parsed is frozen: sharing one result is safe


def _parse_count(text: str | None) -> Parsed:
    c = _number_text(text, ("件", "个", "条", "项", "次"))
    if c is None:
        return Parsed(None, blank=True)
    v: int | None = None
    if _INT_RE.match(c):
        if len(c.lstrip("+-").lstrip("0")) > 12:     # no int() on thousands of digits
            return Parsed(None, error=f"“{_clip(text)}”太大，不像是件数")
        v = int(c)
    elif _DEC_RE.match(c):                            # "12.0" is 12; "1.5" is not a count
        whole, _, frac = c.partition(".")
        if frac.strip("0"):
            if c.startswith("-"):
                return Parsed(None, error=f"“{_clip(text)}”是负数，件数不能为负")
            return Parsed(None, error=f"“{_clip(text)}”不是整数，件数必须是整数")
        if len(whole.lstrip("+-").lstrip("0")) > 12:
            return Parsed(None, error=f"“{_clip(text)}”太大，不像是件数")
        v = int(whole) if whole.strip("+-") else 0
    else:
        v = cn_to_int(c)
        if v is None:
            return Parsed(None, error=f"“{_clip(text)}”不是数字，这里只能填写非负整数")
    # one bound check for every way of writing a count
    if v < 0:
        return Parsed(None, error=f"“{_clip(text)}”是负数，件数不能为负")
    if v > MAX_COUNT:
        return Parsed(None, error=f"“{_clip(text)}”太大，不像是件数")
    return Parsed(v)


def _clip(text: object, n: int = 20) -> str:
    text = str(text)
    return text if len(text) <= n else text[:n] + "…"


def parse_amount(text: str | None) -> Parsed:
    """The fee in 万元: a non-negative decimal with at most 4 decimal places."""
    c = _number_text(text, ("万元", "万"))
    if c is None:
        return Parsed(None, blank=True)
    if not _DEC_RE.match(c):
        return Parsed(None, error=f"“{_clip(text)}”不是数字，收费金额应填写以万元为单位的数字")
    try:
        d = Decimal(c)
    except InvalidOperation:
        return Parsed(None, error=f"“{_clip(text)}”不是数字，收费金额应填写以万元为单位的数字")
    if d < 0:
        return Parsed(None, error=f"“{_clip(text)}”是负数，收费金额不能为负")
    if d > MAX_AMOUNT:
        return Parsed(None, error=f"“{_clip(text)}”太大，不像是以万元为单位的金额")
    if decimal_places(d) > 4:
        return Parsed(None, error=f"“{_clip(text)}”的小数超过 4 位，收费金额（万元）最多保留 4 位小数")
    return Parsed(d)


def decimal_places(d: Decimal) -> int:
    exp = d.normalize().as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def format_value(v: int | Decimal | None) -> str:
    """How a value is written in a table: ``0``, ``12``, ``1.25``; blank as empty."""
    if v is None:
        return ""
    if isinstance(v, Decimal):
        if v == v.to_integral_value():
            return str(int(v))
        return format(v.normalize(), "f")
    return str(v)


# --------------------------------------------------------------------------
# Chinese numerals
# --------------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3,
              "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7,
              "八": 8, "捌": 8, "九": 9, "玖": 9}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "".join(_CN_BIG)


def cn_to_int(s: str) -> int | None:
    """``三十五`` → 35, ``一百零二`` → 102, ``十二`` → 12, ``二〇二四`` → 2024; None if not a numeral."""
    if not s or any(ch not in CN_NUMERAL_CHARS for ch in s):
        return None
    if all(ch in _CN_DIGITS for ch in s):           # digit by digit: 二〇二四
        if len(s) == 1:
            return _CN_DIGITS[s]
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total = 0
    section = 0
    digit: int | None = None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:  # 万 / 亿
            section += digit or 0
            if section == 0:
                return None
            total += section * _CN_BIG[ch]
            section = 0
            digit = None
    section += digit or 0
    return total + section


_NUM_TOKEN = lazy(r"[0-9０-９][0-9０-９,，]*|[" + CN_NUMERAL_CHARS + r"]+")


def read_number(token: str) -> int | None:
    """An Arabic or Chinese numeral token as int (``1,234``, ``３５``, ``三十五``)."""
    t = normalize(token).replace(",", "").replace("，", "")
    if t.isdigit():
        return int(t)
    return cn_to_int(t)
