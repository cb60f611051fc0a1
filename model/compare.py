"""Year-on-year comparison of one agency's report with last year's (issue 15, part 2).

``compare(this, last)`` returns a :class:`Comparison`:

* per text section, the **重复率**: the share of this year's text (in
  characters) that sits in sentences repeated *verbatim* from last year's
  report, with each sentence marked repeated or not.  Sentences are compared
  width-folded with white space removed, so a re-wrapped line or a full-width
  comma still counts as the same sentence; a changed figure makes it a new
  sentence (a sentence with 2024's number in it repeated in 2025 is news to a
  reviewer only when the number is the same).  Sentences of fewer than
  :data:`MIN_SENTENCE_CHARS` characters (sub-heads such as ``（一）主动公开``,
  a bare ``无。``; any sub-head line without a full stop) are shown but left
  out of the figure: every report repeats them, and they would make a short
  section look copied;
* every table cell whose value changed, old → new, with the change;
* the carry-over checks X1 (上年结转) and X2 (现行有效件数) as the rules find
  them (:func:`model.rules.check` with last year attached as baseline),
  shown next to the cells they concern;
* one overall 重复率 over all text sections.

Nothing here re-spells a rule: the findings come from :mod:`model.rules` and
the labels from :mod:`model.schema`.  Cost: two splits of three sections and
one rule pass, well under a millisecond; reading the two files dominates.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import schema
from .findings import Finding
from .numbers import format_value
from .report import CellValue, Report

MIN_SENTENCE_CHARS = 8
CARRY_RULES = ("X1", "X2")

# a sentence ends after 。；！？ (full or half width); a line break ends one only after a
# sub-head or before a numbered line — elsewhere it is a re-wrapped line (PDF, web copy)
_END = frozenset("。；;！!？?")
_CLOSERS = frozenset("”’」』）)")
_NUMBERED = re.compile(r"\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、"
                       r"|\d{1,2}[.、．])")
_SUBHEAD = re.compile(r"^\s*[（(][一二三四五六七八九十]{1,3}[）)][^。；;！!？?]{0,30}$")
_DROP = re.compile(r"[\s，,、：:“”\"‘’'（）()《》〈〉【】\[\]。；;！!？?]+")


def sentence_key(text: str) -> str:
    """A sentence as compared: width-folded, without spaces and punctuation."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence of ``text`` (white space at the ends excluded)."""
    text = text or ""
    cuts = [0]
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _END:
            while i + 1 < n and (text[i + 1] in _END or text[i + 1] in _CLOSERS):
                i += 1
            cuts.append(i + 1)
        elif ch == "\n":
            line = text[cuts[-1]:i]
            if not line.strip() or _SUBHEAD.match(line) or _NUMBERED.match(text, i + 1) \
                    or text.startswith("\n", i + 1):
                cuts.append(i + 1)
        i += 1
    cuts.append(n)
    spans = []
    for s, e in zip(cuts, cuts[1:], strict=False):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            spans.append((s, e))
    return spans


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    repeated: bool                   # the same sentence is in last year's section
    counted: bool                    # long enough to count in the 重复率

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "repeated": self.repeated,
                "counted": self.counted}


@dataclass
class SectionComparison:
    section: str                     # section id
    heading: str
    sentences: list[Sentence]        # this year's, in order
    last_sentences: list[Sentence]   # last year's, ``repeated``: still in this year's text
    chars: int                       # counted characters of this year's text
    repeated_chars: int

    @property
    def rate(self) -> float | None:
        """重复率 in %, None when the section has no sentence long enough to count."""
        return None if not self.chars else 100.0 * self.repeated_chars / self.chars

    @property
    def repeated(self) -> int:
        return sum(1 for s in self.sentences if s.repeated and s.counted)

    def to_json(self) -> dict[str, Any]:
        return {"section": self.section, "heading": self.heading, "rate": _round(self.rate),
                "chars": self.chars, "repeated_chars": self.repeated_chars,
                "repeated_sentences": self.repeated,
                "sentences": [s.to_json() for s in self.sentences],
                "last_sentences": [s.to_json() for s in self.last_sentences]}


@dataclass(frozen=True)
class CellChange:
    cell: str
    label: str                       # schema label, e.g. 一、本年新收政府信息公开申请数量·自然人
    table: str                       # 表二 / 表三 / 表四
    old: CellValue
    new: CellValue
    old_raw: str | None = None
    new_raw: str | None = None

    @property
    def delta(self) -> int | Decimal | None:
        if isinstance(self.old, int | Decimal) and isinstance(self.new, int | Decimal):
            return self.new - self.old
        return None

    def shown(self, which: str) -> str:
        v, raw = (self.old, self.old_raw) if which == "old" else (self.new, self.new_raw)
        if v is not None:
            return format_value(v)
        return f"（{raw}）" if raw else "（空）"

    @property
    def delta_text(self) -> str:
        d = self.delta
        if d is None:
            return ""
        return ("+" if d > 0 else "") + format_value(d)

    def to_json(self) -> dict[str, Any]:
        d = self.delta
        return {"cell": self.cell, "label": self.label, "table": self.table,
                "old": _jv(self.old), "new": _jv(self.new), "delta": _jv(d)}


@dataclass
class Comparison:
    this: Report
    last: Report
    sections: list[SectionComparison] = field(default_factory=list)
    changes: list[CellChange] = field(default_factory=list)
    carry: list[Finding] = field(default_factory=list)       # X1 / X2 findings
    unchanged_cells: int = 0

    @property
    def chars(self) -> int:
        return sum(s.chars for s in self.sections)

    @property
    def repeated_chars(self) -> int:
        return sum(s.repeated_chars for s in self.sections)

    @property
    def rate(self) -> float | None:
        """The overall 重复率 in %: repeated characters over all text sections."""
        return None if not self.chars else 100.0 * self.repeated_chars / self.chars

    def carry_for(self, cell: str) -> list[Finding]:
        return [f for f in self.carry if cell in f.cells]

    def section(self, sid: str) -> SectionComparison:
        return next(s for s in self.sections if s.section == sid)

    def to_json(self) -> dict[str, Any]:
        return {
            "this": {"agency": self.this.agency, "year": self.this.year},
            "last": {"agency": self.last.agency, "year": self.last.year},
            "rate": _round(self.rate), "chars": self.chars, "repeated_chars": self.repeated_chars,
            "sections": [s.to_json() for s in self.sections],
            "changes": [c.to_json() for c in self.changes],
            "unchanged_cells": self.unchanged_cells,
            "carry": [f.to_json() for f in self.carry],
        }


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 1)


def _jv(v: Any) -> Any:
    return format_value(v) if isinstance(v, Decimal) else v


def format_rate(rate: float | None) -> str:
    """``37.5%``; ``—`` when there is nothing to compare."""
    return "—" if rate is None else f"{rate:.1f}%"


# --------------------------------------------------------------------------

def _marked(text: str, other_keys: set[str]) -> tuple[list[Sentence], int, int]:
    out: list[Sentence] = []
    chars = repeated = 0
    for s, e in split_sentences(text):
        key = sentence_key(text[s:e])
        counted = len(key) >= MIN_SENTENCE_CHARS and not _SUBHEAD.match(text[s:e])
        rep = bool(key) and key in other_keys
        out.append(Sentence(text[s:e], s, e, rep, counted))
        if counted:
            chars += len(key)
            if rep:
                repeated += len(key)
    return out, chars, repeated


def _keys(text: str) -> set[str]:
    return {sentence_key(text[s:e]) for s, e in split_sentences(text)}


def compare_section(sid: str, this_text: str, last_text: str) -> SectionComparison:
    this_text, last_text = this_text or "", last_text or ""
    sentences, chars, repeated = _marked(this_text, _keys(last_text))
    last_sentences, _, _ = _marked(last_text, _keys(this_text))
    return SectionComparison(sid, schema.SECTION_BY_ID[sid].heading, sentences, last_sentences,
                             chars, repeated)


def repeat_rate(this: Report, last: Report) -> float | None:
    """The overall 重复率 (%) of ``this`` against ``last`` — text only, no rules."""
    chars = repeated = 0
    for sid in schema.TEXT_SECTIONS:
        _, c, r = _marked(this.sections.get(sid, "") or "", _keys(last.sections.get(sid, "") or ""))
        chars += c
        repeated += r
    return None if not chars else 100.0 * repeated / chars


def _table_name(cid: str) -> str:
    d = schema.CELLS[cid]
    return f"表{schema.SECTION_BY_ID[schema.TABLES[d.table].section].number}"


def compare(this: Report, last: Report) -> Comparison:
    """Compare ``this`` year's report with ``last`` year's; neither is modified."""
    from .fields import resolved_sections
    from .rules import check

    res = Comparison(this, last)
    this_text, last_text = resolved_sections(this), resolved_sections(last)
    for sid in schema.TEXT_SECTIONS:
        res.sections.append(compare_section(sid, this_text.get(sid, ""), last_text.get(sid, "")))
    for cid in schema.CELL_IDS:
        old, new = last.values.get(cid), this.values.get(cid)
        old_raw, new_raw = last.raw.get(cid), this.raw.get(cid)
        if old == new and old_raw == new_raw:
            res.unchanged_cells += 1
            continue
        res.changes.append(CellChange(cid, schema.CELLS[cid].label, _table_name(cid), old, new,
                                      old_raw, new_raw))
    view = this.copy()
    _attach(view, last)
    res.carry = [f for f in check(view) if f.rule in CARRY_RULES]
    return res


def _attach(report: Report, last: Report) -> None:
    from .baseline import attach_baseline
    attach_baseline(report, last)


def carry_pairs(c: Comparison) -> list[tuple[str, str, str, str, list[Finding]]]:
    """The cells the carry-over checks look at, for showing them in place:
    (cell id, label, this year's value, last year's value it follows from, findings)."""
    out = []
    for col, _ in schema.T3_COLUMNS:
        cin, cout = schema.t3("carried_in", col), schema.t3("carried_out", col)
        out.append((cin, schema.CELLS[cin].label, _show(c.this, cin),
                    f"上年{schema.CELLS[cout].row_label} {_show(c.last, cout)}", c.carry_for(cin)))
    for row in ("regulation", "normative"):
        cf = f"t2.{row}.in_force"
        out.append((cf, schema.CELLS[cf].label, _show(c.this, cf),
                    f"上年{schema.CELLS[cf].col_label} {_show(c.last, cf)}", c.carry_for(cf)))
    return out


def _show(r: Report, cid: str) -> str:
    v = r.values.get(cid)
    if v is not None:
        return format_value(v)
    raw = r.raw.get(cid)
    return f"（{raw}）" if raw else "（空）"


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

def describe(r: Report) -> str:
    return f"{r.agency or '（机关名称未知）'} {r.year if r.year is not None else '（年度未知）'} 年"


def text_lines(c: Comparison, *, limit: int = 0) -> list[str]:
    """The comparison as Chinese text lines (``limit``: changed cells listed, 0 = all)."""
    lines = [f"== {describe(c.this)} 与 {describe(c.last)} 对比",
             f"  正文重复率（与上年逐句相同的文字所占比例）：{format_rate(c.rate)}"]
    for s in c.sections:
        lines.append(f"  {s.heading}：重复率 {format_rate(s.rate)}（{s.repeated} 句与上年完全相同）")
        for sent in s.sentences:
            if sent.repeated and sent.counted:
                short = sent.text if len(sent.text) <= 60 else sent.text[:60] + "…"
                lines.append(f"    ＝ {short}")
    lines.append(f"  表格：{len(c.changes)} 个单元格有变化，{c.unchanged_cells} 个与上年相同")
    shown = c.changes if not limit else c.changes[:limit]
    for ch in shown:
        d = ch.delta_text
        lines.append(f"    {ch.table} {ch.label}：{ch.shown('old')} → {ch.shown('new')}"
                     + (f"（{d}）" if d else ""))
    if limit and len(c.changes) > limit:
        lines.append(f"    ……另有 {len(c.changes) - limit} 个单元格有变化")
    if c.carry:
        lines.append(f"  与上年衔接（X1/X2）：{len(c.carry)} 项问题")
        for f in c.carry:
            lines.append(f"    [{f.rule}] {f.severity.label}：{f.message}")
    else:
        lines.append("  与上年衔接（X1/X2）：上年结转数和现行有效件数均与上年报告衔接")
    return lines
