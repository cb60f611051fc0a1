"""Dates, read and written once: what a clerk or a spreadsheet writes, and how the report says it.

``parse_date`` reads ``2025-03-04``, ``2025/3/4``, ``2025.3.4``, ``2025年3月4日``,
``20250304`` (full-width digits too; a time after the date is ignored), and
passes ``date``/``datetime`` values through; ``anywhere=True`` finds the date
inside a longer text (``公开日期：2025年1月20日``).  ``format_cn`` writes
``2025年1月20日``, as the report and the findings say a date.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_WHOLE = re.compile(_DATE.pattern + r"(?:[ T].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _make(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def parse_date(value: object, *, anywhere: bool = False) -> date | None:
    """The date ``value`` stands for, or None (never raises)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    t = unicodedata.normalize("NFKC", value).strip()
    m = _DATE.search(t) if anywhere else (_WHOLE.match(t) or _COMPACT.match(t))
    return _make(*m.groups()[:3]) if m else None


def format_cn(d: date) -> str:
    """``2025年1月20日``."""
    return f"{d.year}年{d.month}月{d.day}日"
