"""Nianbao's own export: the sheet ``数据`` (cell id, label, value) and ``信息`` (meta, text)."""
from __future__ import annotations

import datetime as _dt
import re

from ...dates import parse_date
from ...errors import ReadError
from ...report import Report
from ...schema import (CELLS, FORMAT_2019, FORMAT_2021, HEADINGS_2019, LEVEL_LABELS, SECTIONS,
                       TEXT_SECTIONS, TIER_LABELS, Level, Tier)
from ..base import ImportResult, Note
from ..safety import damaged_message
from .formula import _Book, _Unresolved
from .ooxml import _Sheet
from .sheets import cell_str

from ...xlsx_layout import COL_ID, COL_VALUE, DATA_SHEET, INFO_SHEET, META_LABELS


# --------------------------------------------------------------------------
# Nianbao's own export
# --------------------------------------------------------------------------

def _header_index(ws) -> tuple[int, dict[str, int]] | None:
    for r in range(1, min(ws.max_row, 5) + 1):
        heads = {}
        for c in range(1, min(ws.max_column, 10) + 1):
            v = ws.get(r, c)
            if isinstance(v, str):
                heads[v.strip()] = c
        if COL_ID in heads and COL_VALUE in heads:
            return r, heads
    return None


def _rows_in_column(ws: _Sheet, col: int, first: int) -> list[int]:
    """The rows at or below ``first`` where column ``col`` holds a value or a formula, in order."""
    rows = {r for (r, c) in ws.cells if c == col and r >= first}
    rows.update(r for (r, c) in ws.formulas if c == col and r >= first)
    return sorted(rows)


def is_native(book: _Book) -> bool:
    return DATA_SHEET in book.wb and _header_index(book.sheet(DATA_SHEET)) is not None


_LEVELS = {**{lvl.value: lvl for lvl in Level}, **{lab: lvl for lvl, lab in LEVEL_LABELS.items()}}
_TIERS = {**{t.value: t for t in Tier}, **{lab: t for t, lab in TIER_LABELS.items()}}
_META_KEYS = {k: v for k, v in META_LABELS.items() if k != "title"}


def _parse_date(v) -> _dt.date | None:
    return parse_date(v, anywhere=True)


def read_native(book: _Book, name: str) -> ImportResult:
    """Nianbao's own export, read cell id by cell id."""
    report = Report()
    notes: list[Note] = []
    ws = book.sheet(DATA_SHEET)
    found = _header_index(ws)
    if found is None:
        raise ReadError(damaged_message("xlsx"))
    header_row, heads = found
    c_id, c_val = heads[COL_ID], heads[COL_VALUE]
    seen: set[str] = set()
    for r in _rows_in_column(ws, c_id, header_row + 1):
        cid = ws.get(r, c_id)
        if cid is None:
            continue
        cid = str(cid).strip()
        if not cid:
            continue
        if cid not in CELLS:
            notes.append(Note("unplaced", f"“{DATA_SHEET}”表第 {r} 行的单元格编号“{cid}”不认识，已忽略。"))
            continue
        v = book.value(DATA_SHEET, r, c_val)
        seen.add(cid)
        text = cell_str(v)
        if isinstance(v, _Unresolved):
            notes.append(Note(
                "unplaced",
                f"“{DATA_SHEET}”表第 {r} 行（{CELLS[cid].label}）的公式 {v.formula} 没有保存计算结果，"
                f"也无法重算（{v.why}），请手工填写该数字。", (cid,)))
            report.set(cid, None, text)
            continue
        p = CELLS[cid].parse(text)
        if p.error:
            report.set(cid, None, text)
        elif p.blank:
            report.set(cid, None, text if text else None)
        else:
            report.set(cid, p.value)
    missing = [cid for cid in CELLS if cid not in seen]
    if missing:
        notes.append(Note("missing", f"“{DATA_SHEET}”表缺少 {len(missing)} 个单元格，已留空。",
                          tuple(missing)))
    if INFO_SHEET in book.wb:
        _read_info(book.sheet(INFO_SHEET), report, notes)
    else:
        notes.append(Note("meta", f"工作簿没有“{INFO_SHEET}”表，机关名称和年度需要补填。"))
    return ImportResult(report, notes, source_format="xlsx", source_name=name)


def _read_info(ws, report: Report, notes: list[Note]) -> None:
    sections_by_key = {}
    for s in SECTIONS:
        if s.kind == "text":
            for key in (s.id, s.heading, s.short, s.heading.split("、", 1)[-1]):
                sections_by_key[key] = s.id
    for key, heading in HEADINGS_2019.items():
        sections_by_key[heading] = key
    texts: dict[str, list[str]] = {}
    for r in _rows_in_column(ws, 1, 1):
        k = ws.get(r, 1)
        v = ws.get(r, 2)
        if not isinstance(k, str) or v is None or v == "":
            continue
        k = k.strip().rstrip("：:")
        if k in _META_KEYS["agency"]:
            report.agency = str(v).strip()
        elif k in _META_KEYS["year"]:
            m = re.search(r"\d{4}", str(v))
            if m:
                report.year = int(m.group())
        elif k in _META_KEYS["level"]:
            report.level = _LEVELS.get(str(v).strip(), report.level)
        elif k in _META_KEYS["tier"]:
            report.tier = _TIERS.get(str(v).strip(), report.tier)
        elif k in _META_KEYS["publish_date"]:
            report.publish_date = _parse_date(v)
        elif k in _META_KEYS["format"]:
            fmt = str(v).strip()
            if fmt.startswith(FORMAT_2019):
                report.format = FORMAT_2019
            elif fmt.startswith(FORMAT_2021):
                report.format = FORMAT_2021
        elif k in sections_by_key and sections_by_key[k] in TEXT_SECTIONS:
            # a text longer than one cell holds continues on the next rows, same key
            texts.setdefault(sections_by_key[k], []).append(str(v))
    for sid, chunks in texts.items():
        report.sections[sid] = "".join(chunks)
    if not report.agency:
        notes.append(Note("meta", "没有读到机关名称，请补填。"))
    if report.year is None:
        notes.append(Note("meta", "没有读到报告年度，请补填。"))


