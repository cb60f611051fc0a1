"""Figures bound into the text: a field in a section shows a table figure.

A clerk inserts a field instead of typing a number; the section text stores it
as a token ``⟦t3.new.total⟧`` (any canonical cell id, or one of the derived
figures below).  Every export and every narrative rule sees the resolved
number, so the text follows the tables when they change.  Tokens are never
typed by hand: the editor inserts them, and an unknown token is left visible
(``⟦?xyz⟧``) rather than silently dropped.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from . import schema
from .numbers import format_value
from .report import Report

OPEN, CLOSE = "⟦", "⟧"
TOKEN_RE = re.compile(OPEN + r"([A-Za-z0-9_.]+)" + CLOSE)


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str                                   # Chinese, for the insert menu
    value: Callable[[Report], int | Decimal]


def _cell(cid: str) -> Callable[[Report], int | Decimal]:
    return lambda r: r.num(cid)


def _sum(*cids: str) -> Callable[[Report], int | Decimal]:
    return lambda r: sum((r.num(c) for c in cids), 0)


# The figures a clerk most often writes into the text, in menu order.
COMMON: tuple[FieldDef, ...] = (
    FieldDef("t3.new.total", "本年新收政府信息公开申请总数", _cell("t3.new.total")),
    FieldDef("t3.carried_in.total", "上年结转申请数", _cell("t3.carried_in.total")),
    FieldDef("received", "本年新收与上年结转申请合计", _sum(*schema.FIGURES["received"].cells)),
    FieldDef("t3.results_total.total", "本年办理完结申请数（办理结果总计）", _cell("t3.results_total.total")),
    FieldDef("t3.granted.total", "予以公开数", _cell("t3.granted.total")),
    FieldDef("t3.partial.total", "部分公开数", _cell("t3.partial.total")),
    FieldDef("t3.carried_out.total", "结转下年度继续办理数", _cell("t3.carried_out.total")),
    FieldDef("t4.review.total", "行政复议总数", _cell("t4.review.total")),
    FieldDef("suits", "行政诉讼总数", _sum(*schema.FIGURES["suits"].cells)),
    FieldDef("t2.normative.issued", "本年制发行政规范性文件件数", _cell("t2.normative.issued")),
    FieldDef("t2.normative.in_force", "现行有效行政规范性文件件数", _cell("t2.normative.in_force")),
    FieldDef("t2.fees.amount", "行政事业性收费金额（万元）", _cell("t2.fees.amount")),
)
_DERIVED = {f.key: f for f in COMMON}


def field_def(key: str) -> FieldDef | None:
    if key in _DERIVED:
        return _DERIVED[key]
    if key in schema.CELLS:
        return FieldDef(key, schema.CELLS[key].label, _cell(key))
    return None


def token(key: str) -> str:
    return f"{OPEN}{key}{CLOSE}"


def has_fields(text: str) -> bool:
    return OPEN in text


def field_value_text(key: str, report: Report) -> str:
    d = field_def(key)
    if d is None:
        return f"{OPEN}?{key}{CLOSE}"
    return format_value(d.value(report))


def resolve(text: str, report: Report) -> str:
    """The text as it is published: every field replaced by its current figure."""
    if OPEN not in text:
        return text
    return TOKEN_RE.sub(lambda m: field_value_text(m.group(1), report), text)


def resolved_sections(report: Report) -> dict[str, str]:
    return {s: resolve(report.sections.get(s, ""), report) for s in schema.TEXT_SECTIONS}


def fields_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, key) of every field token in ``text``."""
    return [(m.start(), m.end(), m.group(1)) for m in TOKEN_RE.finditer(text)]
