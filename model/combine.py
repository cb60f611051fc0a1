"""Roll-up (issue 6, item 2): several agencies' reports of one year summed into one.

``combine(reports)`` sums all 200 cells cell by cell — totals too, so a sum of
consistent reports is consistent and a sum that is not says which input was
wrong — keeps a per-agency breakdown, and runs the rules on the sum.

* A blank cell (``None``) counts as 0 and is noted (which report, which cell,
  and what was typed when it was not a number), so nothing is silently lost.
* The fee (``t2.fees.amount``, 万元) is summed as :class:`~decimal.Decimal`,
  exactly.
* Reports of different years, or of the 2019 and 2021 formats, are refused
  with a :class:`CombineError` naming the files on each side.  A report whose
  year is unknown is refused too: it cannot be placed.
* The sum's agency is given by the caller; its level and tier are the inputs'
  when they all agree (else 部门 / 未指定, or what the caller says).  The sum has
  no text: its sections are empty for the clerk to write.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from . import schema
from .errors import NianbaoError, RenderError
from .findings import Finding
from .report import CellValue, Report
from .schema import CELL_IDS, CELLS, Level, Tier


class CombineError(NianbaoError):
    """The reports cannot be summed (mixed years or formats, nothing to sum)."""


@dataclass(frozen=True)
class Blank:
    """A cell of one input that was blank (or not a number) and was counted as 0."""

    source: str                 # the input's name (file name or agency)
    cell_id: str
    raw: str | None = None      # what was typed, when it was not a clean number

    @property
    def message(self) -> str:
        label = CELLS[self.cell_id].label
        what = f"填写的是“{self.raw}”" if self.raw else "为空"
        return f"{self.source}：{label}（{self.cell_id}）{what}，汇总时按 0 计。"


@dataclass
class CombineResult:
    report: Report                                   # the sum
    names: list[str]                                 # one per input, in order
    agencies: list[str]                              # each input's agency, in order
    breakdown: list[dict[str, CellValue]]            # each input's values, in order
    blanks: list[Blank] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # duplicates, unknown agencies …
    findings: list[Finding] = field(default_factory=list)


def _name(i: int, r: Report, names: Sequence[str] | None) -> str:
    if names is not None:
        return names[i]
    return r.agency or f"第 {i + 1} 份报告"


def _groups(values: list, names: list[str]) -> dict:
    """value -> the names that have it, for a refusal that says which files differ."""
    order: dict = {}
    for v, n in zip(values, names, strict=True):
        order.setdefault(v, []).append(n)
    return order


def _refuse_mixed(reports: Sequence[Report], names: list[str]) -> None:
    unknown = [n for r, n in zip(reports, names, strict=True) if r.year is None]
    if unknown:
        raise CombineError(f"以下报告的年度未知，无法汇总：{'、'.join(unknown)}。"
                           "请先在报告中填写年度。")
    years = _groups([r.year for r in reports], names)
    if len(years) > 1:
        parts = "；".join(f"{'、'.join(ns)} 是 {y} 年" for y, ns in sorted(years.items()))
        raise CombineError(f"所选报告的年度不一致（{parts}），只能汇总同一年度的报告。")
    formats = _groups([r.format for r in reports], names)
    if len(formats) > 1:
        parts = "；".join(f"{'、'.join(ns)} 是 {f} 年格式" for f, ns in sorted(formats.items()))
        raise CombineError(f"所选报告的表格格式不一致（{parts}），2019 年格式与 2021 年格式的"
                           "栏目不同，不能直接相加。")


def combine(reports: Sequence[Report], *, agency: str = "", names: Sequence[str] | None = None,
            level: Level | None = None, tier: Tier | None = None, check: bool = True
            ) -> CombineResult:
    """Sum ``reports`` cell by cell into one report for ``agency``.

    ``names`` label the inputs in messages (file names from the command line);
    by default each input's agency.  Raises :class:`CombineError`.
    """
    reports = list(reports)
    if not reports:
        raise CombineError("没有选择要汇总的报告。")
    if names is not None and len(names) != len(reports):
        raise ValueError("names must match reports")
    labels = [_name(i, r, names) for i, r in enumerate(reports)]
    _refuse_mixed(reports, labels)

    first = reports[0]
    total = Report.zeros(agency=agency, year=first.year, format=first.format)
    total.level = level if level is not None else (
        first.level if all(r.level is first.level for r in reports) else Level.DEPARTMENT)
    total.tier = tier if tier is not None else (
        first.tier if all(r.tier is first.tier for r in reports) else Tier.UNKNOWN)

    blanks: list[Blank] = []
    for cid in CELL_IDS:
        decimal = CELLS[cid].kind == "decimal"
        acc: int | Decimal = Decimal(0) if decimal else 0
        for r, name in zip(reports, labels, strict=True):
            v = r.values.get(cid)
            if v is None:
                blanks.append(Blank(name, cid, r.raw.get(cid)))
                continue
            acc += Decimal(v) if decimal else int(v)
        total.values[cid] = acc

    notes: list[str] = []
    seen: dict[str, str] = {}
    for r, name in zip(reports, labels, strict=True):
        key = "".join(r.agency.split())
        if not key:
            notes.append(f"{name} 没有机关名称，分机关明细中以文件名代替。")
        elif key in seen:
            notes.append(f"{name} 与 {seen[key]} 是同一机关（{r.agency}），其数字被计算了两次，请核实。")
        else:
            seen[key] = name
    if blanks:
        notes.append(f"共有 {len(blanks)} 个单元格为空或不是数字，汇总时按 0 计，请核实（见明细）。")

    result = CombineResult(
        report=total, names=labels,
        agencies=[r.agency or name for r, name in zip(reports, labels, strict=True)],
        breakdown=[dict(r.values) for r in reports], blanks=blanks, notes=notes)
    if check:
        from .rules import check as run_rules
        result.findings = run_rules(total)
    return result


# --------------------------------------------------------------------------
# The breakdown workbook: one row a cell, one column an agency
# --------------------------------------------------------------------------

BREAKDOWN_SHEET = "分机关明细"
BLANKS_SHEET = "空白单元格"


def _table_name(cid: str) -> str:
    return schema.TABLES[CELLS[cid].table].title


def write_breakdown(result: CombineResult, path: str | os.PathLike) -> None:
    """XLSX: sheet 分机关明细 (cell id, table, row, column, each agency, 合计), sheet 空白单元格."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from .files import write_file

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from .sanitize import clean_text

    def txt(v: str) -> str:     # agency and file names may hold control characters (issue 14 item 7)
        return ILLEGAL_CHARACTERS_RE.sub("", clean_text(v))

    wb = Workbook()
    ws = wb.active
    ws.title = BREAKDOWN_SHEET
    heads = ["单元格编号", "表格", "栏目", "列", *(txt(a) for a in result.agencies), "合计"]
    ws.append(heads)
    for c in ws[1]:
        c.font = Font(bold=True)
    for cid in CELL_IDS:
        d = CELLS[cid]
        row: list = [cid, _table_name(cid), d.row_label, d.col_label]
        for values in result.breakdown:
            v = values.get(cid)
            row.append(v)
        v = result.report.values[cid]
        row.append(v)
        ws.append(row)
        if d.kind == "decimal":
            for c in ws[ws.max_row][4:]:
                c.number_format = "0.0000"
    ws.freeze_panes = "E2"
    for j, w in enumerate([26, 28, 40, 14], start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    for j in range(5, len(heads) + 1):
        ws.column_dimensions[get_column_letter(j)].width = 14
    wb2 = wb.create_sheet(BLANKS_SHEET)
    wb2.append(["报告", "单元格编号", "栏目", "填写内容", "说明"])
    for b in result.blanks:
        wb2.append([txt(b.source), b.cell_id, CELLS[b.cell_id].label, txt(b.raw or ""), "按 0 计"])
    buf = io.BytesIO()
    wb.save(buf)
    write_file(Path(path), buf.getvalue(), RenderError)
