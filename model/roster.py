"""The roster of units expected to file, and who has filed (issue 15, part 1).

A **roster** (名录) is a CSV or XLSX with a header row and one unit a row:

=============  =============================================================
column         header (any of)
=============  =============================================================
name           名称 / 单位名称 / 机关名称 / 单位 / name
level          层级 / 机关层级 / 类型 / level — 部门, 本级人民政府 (政府), 乡镇街道
               (乡镇, 街道); blank: inferred from the name (schema.level_from_agency)
aliases        别名 / 简称 / aliases — optional, several separated by 、 ， , ； ; or |
=============  =============================================================

It is read with the register's reader (:mod:`model.register`: size cap, the
encodings, the safe XLSX path), so a roster is as safe to open as a register.

:func:`filing_status` puts an :class:`~model.audit.AuditResult` against a
roster for one year and gives one :class:`UnitStatus` a unit: filed or
missing; the publish date against the unit's deadline (the roster's level
decides it, through :meth:`model.report.Report.deadline` — the same deadline
rule S8 uses); errors / warnings / info counted by where they are (表二, 表三,
表四, 正文, 结构); whether the report was paired with last year's; its
重复率.  Reports of the year that match no unit are listed as extras.

Name matching, in this order, each a unique match or none:

1. **exact**: the name or an alias, compared width-folded without white space;
2. **variant** (a guess, said so): both sides reduced to a core — a leading
   place (``云溪区`` / ``青岚县``, or a bare ``区`` / ``县``) and a trailing
   ``人民政府办公室`` / ``人民政府`` / ``政府办公室`` / ``政府`` / ``办公室`` /
   ``办事处`` dropped (a name that would become empty keeps its place);
3. **contained** (a guess, said so): one core contains the other, at least 3
   characters long.

When two roster units fit a report equally, it is matched to neither, and the
extra says which units it could be.
"""
from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import schema
from .errors import NianbaoError
from .findings import Finding, Severity
from .report import Report
from .schema import Level

if TYPE_CHECKING:
    from .audit import AuditResult, AuditRow

MAX_ROSTER_BYTES = 10 * 1024 * 1024

NAME_HEADERS = ("名称", "单位名称", "机关名称", "单位", "机关", "部门名称", "name")
LEVEL_HEADERS = ("层级", "机关层级", "级别", "类型", "level")
ALIAS_HEADERS = ("别名", "简称", "其他名称", "aliases", "alias")
_ALIAS_SPLIT = re.compile(r"[、，,；;|/]+")

LEVEL_WORDS: dict[str, Level] = {
    "部门": Level.DEPARTMENT, "department": Level.DEPARTMENT, "政府部门": Level.DEPARTMENT,
    "本级人民政府": Level.GOVERNMENT, "人民政府": Level.GOVERNMENT, "政府": Level.GOVERNMENT,
    "本级政府": Level.GOVERNMENT, "government": Level.GOVERNMENT,
    "乡镇街道": Level.TOWNSHIP, "乡镇": Level.TOWNSHIP, "街道": Level.TOWNSHIP, "乡镇/街道": Level.TOWNSHIP,
    "township": Level.TOWNSHIP,
}

# where a finding is
PLACES = ("表二", "表三", "表四", "正文", "结构")

# statuses
FILED, MISSING = "filed", "missing"
STATUS_LABELS = {FILED: "已报送", MISSING: "未报送"}
EXACT, VARIANT, CONTAINED = "exact", "variant", "contained"
MATCH_LABELS = {EXACT: "名称一致", VARIANT: "名称写法不同（推测）", CONTAINED: "简称或全称（推测）"}
NO_DATE = "无发布日期"


class RosterError(NianbaoError):
    """A roster cannot be used (unreadable, no name column …)."""


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    name: str
    level: Level
    aliases: tuple[str, ...] = ()
    line: int = 0                     # row number in the roster file (header = 1)


@dataclass
class Roster:
    name: str
    units: list[Unit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # rows skipped, levels inferred …


def _column(headers: list[str], wanted: tuple[str, ...]) -> str | None:
    low = {h.strip().lower(): h for h in headers}
    for w in wanted:
        if w.lower() in low:
            return low[w.lower()]
    return None


def parse_level(text: str) -> Level | None:
    t = norm(text)
    if not t:
        return None
    if t in LEVEL_WORDS:
        return LEVEL_WORDS[t]
    for lv in Level:
        if t in (lv.value, norm(lv.label)):
            return lv
    return None


def roster_from_rows(name: str, headers: list[str], rows: list[dict[str, str]],
                     lines: list[int] | None = None) -> Roster:
    """A :class:`Roster` from a table (header -> cell text a row)."""
    col_name = _column(headers, NAME_HEADERS) or (headers[0] if headers else None)
    if col_name is None:
        raise RosterError(f"“{name}”没有表头，无法读取名录。")
    col_level = _column(headers, LEVEL_HEADERS)
    col_alias = _column(headers, ALIAS_HEADERS)
    out = Roster(name)
    seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        line = lines[i] if lines else i + 2
        unit_name = (row.get(col_name) or "").strip()
        if not unit_name:
            continue
        key = norm(unit_name)
        if key in seen:
            out.notes.append(f"第 {line} 行“{unit_name}”与第 {seen[key]} 行重复，已忽略。")
            continue
        seen[key] = line
        raw_level = (row.get(col_level) or "").strip() if col_level else ""
        level = parse_level(raw_level)
        if level is None:
            level = schema.level_from_agency(unit_name)
            if raw_level:
                out.notes.append(f"第 {line} 行的层级“{raw_level}”无法识别，按名称视为{level.label}。")
        aliases: tuple[str, ...] = ()
        if col_alias:
            aliases = tuple(a.strip() for a in _ALIAS_SPLIT.split(row.get(col_alias) or "") if a.strip())
        out.units.append(Unit(unit_name, level, aliases, line))
    if not out.units:
        raise RosterError(f"“{name}”中没有任何单位名称（名称列：“{col_name}”）。")
    return out


def read_roster(path: str | os.PathLike) -> Roster:
    """Read a CSV or XLSX roster; raises :class:`RosterError` with a Chinese message."""
    from . import register as reg
    from .files import read_capped

    p = Path(path)
    data = read_capped(p, MAX_ROSTER_BYTES, "名录文件", RosterError)
    try:
        if data[:2] == b"PK" or p.suffix.lower() in (".xlsx", ".xlsm"):
            table = reg._read_xlsx(data, p.name)
        elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise RosterError(f"“{p.name}”是旧版 Excel（.xls）文件，"
                              "请在 Excel 或 WPS 中另存为 .xlsx 或 CSV 后再使用。")
        else:
            table = reg.read_csv_text(reg._decode(data, p.name), p.name)
    except reg.RegisterError as e:
        raise RosterError(str(e).replace("申请登记簿", "名录").replace("申请记录", "单位")) from None
    return roster_from_rows(p.name, table.headers, table.rows, table.line_numbers)


# --------------------------------------------------------------------------
# Name matching
# --------------------------------------------------------------------------

_SUFFIXES = ("人民政府办公室", "人民政府办公厅", "政府办公室", "人民政府", "办事处", "办公室", "政府")
_PLACE_ENDS = frozenset("省市州盟区县旗")
_NOT_PLACE = ("场", "政", "域", "委", "级", "直")      # 市场、市政、区域、县委、区级、市直 are not places
_PLACE_MAX = 8


def norm(name: str) -> str:
    """A name width-folded, without white space (the exact comparison)."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())


def core(name: str) -> str:
    """The name without its leading places and its trailing 人民政府/办公室 (see the module doc)."""
    n = norm(name)
    for suf in _SUFFIXES:
        if n.endswith(suf) and len(n) > len(suf):
            n = n[: -len(suf)]
            break
    for _ in range(3):                      # 省, 市, 区/县: at most three places
        cut = next((i for i in range(1, min(len(n), _PLACE_MAX + 1))
                    if n[i - 1] in _PLACE_ENDS and not n[i:].startswith(_NOT_PLACE)), 0)
        if not cut:
            break
        n = n[cut:]
    return n


@dataclass(frozen=True)
class Match:
    unit: Unit | None
    how: str = ""                      # exact / variant / contained; "" when none
    candidates: tuple[str, ...] = ()   # when ambiguous

    @property
    def guessed(self) -> bool:
        return self.unit is not None and self.how != EXACT


class Matcher:
    def __init__(self, roster: Roster):
        self.roster = roster
        self.exact: dict[str, list[Unit]] = {}
        self.cores: dict[str, list[Unit]] = {}
        for u in roster.units:
            for n in (u.name, *u.aliases):
                _add(self.exact, norm(n), u)
                _add(self.cores, core(n), u)

    def match(self, agency: str) -> Match:
        key = norm(agency)
        if not key:
            return Match(None)
        for how, table, k in ((EXACT, self.exact, key), (VARIANT, self.cores, core(agency))):
            hits = table.get(k, [])
            if len(hits) == 1:
                return Match(hits[0], how)
            if len(hits) > 1:
                return Match(None, "", tuple(u.name for u in hits))
        c = core(agency)
        if len(c) < 3:
            return Match(None)
        found: list[Unit] = []
        for k, units in self.cores.items():
            if len(k) >= 3 and (k in c or c in k):
                for u in units:
                    if u not in found:
                        found.append(u)
        if len(found) == 1:
            return Match(found[0], CONTAINED)
        return Match(None, "", tuple(u.name for u in found))


def _add(d: dict[str, list[Unit]], k: str, u: Unit) -> None:
    if k:
        lst = d.setdefault(k, [])
        if u not in lst:
            lst.append(u)


# --------------------------------------------------------------------------
# Filing status
# --------------------------------------------------------------------------

def place(f: Finding) -> str:
    """Where a finding is: 表二 / 表三 / 表四 (by its cells or table section), 正文, 结构."""
    sid = None
    if f.cells and f.cells[0] in schema.CELLS:
        sid = schema.TABLES[schema.CELLS[f.cells[0]].table].section
    elif f.section in schema.SECTION_BY_ID:
        sid = f.section
    if sid is None:
        return "结构"
    if sid in schema.TEXT_SECTIONS:
        return "正文"
    return f"表{schema.SECTION_BY_ID[sid].number}"


def place_counts(findings: Iterable[Finding]) -> dict[str, dict[Severity, int]]:
    out = {p: dict.fromkeys(Severity, 0) for p in PLACES}
    for f in findings:
        out[place(f)][f.severity] += 1
    return out


@dataclass
class UnitStatus:
    unit: Unit
    status: str                          # filed / missing
    row: AuditRow | None = None
    match: str = ""                      # exact / variant / contained
    deadline: date | None = None
    timeliness: str = ""                 # 已按时 / 逾期 N 天 / 无发布日期 ("" when missing)
    days_late: int | None = None
    by_place: dict[str, dict[Severity, int]] = field(default_factory=dict)
    paired: bool = False                 # checked against last year's report
    repeat_rate: float | None = None
    others: list[str] = field(default_factory=list)   # more files of the same unit and year
    unreadable: list[str] = field(default_factory=list)   # missing, but a file named after it was unreadable

    @property
    def guessed(self) -> bool:
        return self.match not in ("", EXACT)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def match_label(self) -> str:
        return MATCH_LABELS.get(self.match, "")

    @property
    def late(self) -> bool:
        return bool(self.days_late)

    def count(self, where: str, sev: Severity) -> int:
        return self.by_place.get(where, {}).get(sev, 0)

    def counts_text(self, where: str) -> str:
        """``错1 警2 提0`` for one place, ``""`` when missing."""
        if self.status == MISSING:
            return ""
        c = self.by_place.get(where, {})
        return "/".join(str(c.get(s, 0)) for s in Severity)

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit.name, "level": self.unit.level.label, "status": self.status,
            "status_label": self.status_label, "file": self.row.file if self.row else None,
            "agency": self.row.agency if self.row else None,
            "match": self.match or None, "guessed": self.guessed,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "publish_date": (self.row.publish_date.isoformat()
                             if self.row is not None and self.row.publish_date else None),
            "timeliness": self.timeliness or None, "days_late": self.days_late,
            "findings": {p: {s.key: self.count(p, s) for s in Severity} for p in PLACES}
            if self.status == FILED else None,
            "paired": self.paired,
            "repeat_rate": None if self.repeat_rate is None else round(self.repeat_rate, 1),
            "other_files": self.others, "unreadable_files": self.unreadable,
        }


@dataclass(frozen=True)
class Extra:
    """A report of the year in the folder that matches no unit of the roster."""

    row: AuditRow
    candidates: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        if self.row.year is None:
            return "报告年度未知"
        if self.candidates:
            return "可能是：" + "、".join(self.candidates) + "（无法确定，请核实）"
        return "名录中没有此单位"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.row.file, "agency": self.row.agency, "year": self.row.year,
                "reason": self.reason}


@dataclass
class FilingStatus:
    roster: Roster
    year: int
    units: list[UnitStatus] = field(default_factory=list)
    extras: list[Extra] = field(default_factory=list)

    @property
    def filed(self) -> int:
        return sum(1 for u in self.units if u.status == FILED)

    @property
    def missing(self) -> int:
        return sum(1 for u in self.units if u.status == MISSING)

    @property
    def late(self) -> int:
        return sum(1 for u in self.units if u.late)

    @property
    def guessed(self) -> int:
        return sum(1 for u in self.units if u.guessed)

    def summary_text(self) -> str:
        return (f"名录 {len(self.units)} 个单位（{self.year} 年度）：已报送 {self.filed} 个，"
                f"未报送 {self.missing} 个，逾期 {self.late} 个，按名称推测匹配 {self.guessed} 个；"
                f"名录外的报告 {len(self.extras)} 份。")

    def to_json(self) -> dict[str, Any]:
        return {"roster": self.roster.name, "year": self.year, "units": [u.to_json() for u in self.units],
                "extras": [e.to_json() for e in self.extras], "filed": self.filed,
                "missing": self.missing, "late": self.late, "notes": self.roster.notes}


def deadline_of(unit: Unit, year: int, publish: date | None) -> tuple[date | None, str, int | None]:
    """(deadline, 已按时 / 逾期 N 天 / 无发布日期, days late) by the unit's level on the roster.

    The deadline is :meth:`Report.deadline` (the one rule S8 uses) and the wording
    :func:`model.audit.timeliness`'s.
    """
    from .audit import timeliness
    stub = Report(agency=unit.name, year=year, level=unit.level, publish_date=publish)
    deadline, when = timeliness(stub)
    if publish is None or deadline is None:
        return deadline, NO_DATE, None
    return deadline, when, max(0, (publish - deadline).days)


def _rank(row: AuditRow) -> tuple:
    """Which of several files of one unit is its report: the fewest errors, a project file, by path."""
    return (row.errors, row.source_format != "nianbao", row.file)


def filing_status(result: AuditResult, roster: Roster, year: int) -> FilingStatus:
    """Every unit of ``roster`` against the reports of ``year`` in ``result``."""
    matcher = Matcher(roster)
    out = FilingStatus(roster, year)
    found: dict[str, list[tuple[AuditRow, str]]] = {}
    for row in result.rows:
        if row.year != year:
            if row.year is None:
                out.extras.append(Extra(row))
            continue
        m = matcher.match(row.agency)
        if m.unit is None:
            out.extras.append(Extra(row, m.candidates))
            continue
        found.setdefault(m.unit.name, []).append((row, m.how))
    for unit in roster.units:
        hits = sorted(found.get(unit.name, []), key=lambda h: _rank(h[0]))
        if not hits:
            deadline, _, _ = deadline_of(unit, year, None)
            names = [norm(n) for n in (unit.name, *unit.aliases) if len(norm(n)) >= 3]
            near = [u.file for u in result.unreadable if any(n in norm(u.file) for n in names)]
            out.units.append(UnitStatus(unit, MISSING, deadline=deadline, unreadable=near))
            continue
        row, how = hits[0]
        deadline, when, late = deadline_of(unit, year, row.publish_date)
        out.units.append(UnitStatus(
            unit, FILED, row, how, deadline, when, late, place_counts(row.findings),
            paired=row.baseline_source != "", repeat_rate=row.repeat_rate,
            others=[h[0].file for h in hits[1:]]))
    return out


# --------------------------------------------------------------------------
# The summary table (the XLSX sheet and the HTML section of model.audit)
# --------------------------------------------------------------------------

STATUS_HEADERS = ("单位", "层级", "状态", "文件", "报告中的机关名称", "名称匹配", "发布日期", "发布期限",
                  "是否按时", *(f"{p}（错/警/提）" for p in PLACES), "与上年配对", "重复率")


def status_cells(u: UnitStatus) -> list[Any]:
    from .compare import format_rate
    r = u.row
    file = r.file if r else ("无法读取：" + "、".join(u.unreadable) if u.unreadable else "")
    return [u.unit.name, u.unit.level.label, u.status_label, file, r.agency if r else "",
            u.match_label, r.publish_date.isoformat() if r is not None and r.publish_date else "",
            u.deadline.isoformat() if u.deadline else "", u.timeliness,
            *(u.counts_text(p) for p in PLACES),
            ("是" if u.paired else "否") if r else "",
            format_rate(u.repeat_rate) if r is not None and u.paired else ""]


EXTRA_HEADERS = ("文件", "机关名称", "年度", "说明")


def extra_cells(e: Extra) -> list[Any]:
    return [e.row.file, e.row.agency or "（未知）", e.row.year if e.row.year is not None else "（未知）",
            e.reason]
