"""XLSX of the figures (openpyxl).

Sheets, in this order (the layout of ``数据`` and ``信息`` is a stable contract
the XLSX reader relies on):

* one sheet per table — ``二、主动公开``, ``三、依申请公开``, ``四、复议诉讼`` —
  laid out like the official table: row 1 the section heading, the schema grid
  from row 2 with its merged cells, labels, values, thin borders; a total is a
  ``=SUM(…)`` formula when the report's total agrees with its components,
  otherwise the report's own figure (so an inconsistent report is not silently
  corrected).
* ``数据`` — row 1 the header ``单元格编号 | 项目 | 数值``; from row 2 one row per
  cell in :data:`model.schema.CELL_IDS` order: canonical id, label, value as a
  number (int, the fee a decimal number), empty for a blank, or the original
  text (a string) when the report kept one in ``raw``. Never a formula.
* ``信息`` — two columns, row 1 the header ``项目 | 内容``, then one row per
  item, keyed by its Chinese name in column A: ``机关名称``, ``报告年度`` (int),
  ``机关类型`` (``schema.LEVEL_LABELS``), ``行政层级`` (``schema.TIER_LABELS``),
  ``公开日期`` (``YYYY-MM-DD`` text, empty when unknown), ``报告格式``
  (``2021``/``2019``), ``标题``; then the three text sections keyed by their
  official heading (``一、总体情况``, ``五、存在的主要问题及改进情况``,
  ``六、其他需要报告的事项``) with the full text.  A text longer than one Excel
  cell holds (32 000 characters) continues on the following rows with the same
  key, to be joined in order.
"""
from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .. import schema
from ..report import Report
from ..sanitize import clean_text
from .context import TableView

DATA_SHEET = "数据"
INFO_SHEET = "信息"
DATA_HEADER = ("单元格编号", "项目", "数值")
INFO_HEADER = ("项目", "内容")
TABLE_SHEETS = {s.table: f"{s.number}、{s.short}" for s in schema.SECTIONS if s.table}
GRID_ROW0 = 2                     # the grid starts on this sheet row (row 1 is the heading)
CELL_TEXT_LIMIT = 32000           # Excel holds 32 767 characters a cell
_WIDTH_SCALE = {"t2": 10.0, "t3": 11.0, "t4": 9.0}

_thin = Side(style="thin", color="000000")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_FONT = Font(name="宋体", size=10.5)
_HEAD_FONT = Font(name="黑体", size=12)
_BOLD = Font(name="宋体", size=10.5, bold=True)
_INT_FORMAT = "0"
_FEE_FORMAT = "0.00##"


def _text(v: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", clean_text(v))


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = _text(value)
        cell.data_type = "s"          # a text that starts with "=" stays text, never a formula
    else:
        cell.value = value
    return cell


def _coord(slot: schema.GridCell) -> str:
    return f"{get_column_letter(slot.col + 1)}{slot.row + GRID_ROW0}"


def _sum_formula(tdef: schema.TableDef, components: tuple[str, ...]) -> str:
    slots = [tdef.slot(c) for c in components]
    rows = {s.row for s in slots}
    cols = sorted(s.col for s in slots)
    if len(rows) == 1 and cols == list(range(cols[0], cols[0] + len(cols))):
        return f"=SUM({_coord(slots[0])}:{_coord(slots[-1])})"
    srows = sorted(s.row for s in slots)
    if len({s.col for s in slots}) == 1 and srows == list(range(srows[0], srows[0] + len(srows))):
        return f"=SUM({_coord(slots[0])}:{_coord(slots[-1])})"
    return "=SUM(" + ",".join(_coord(s) for s in slots) + ")"


def _formula_ok(report: Report, cid: str) -> bool:
    d = schema.CELLS[cid]
    v = report.values.get(cid)
    if v is None or cid in report.raw:
        return False
    if any(report.values.get(c) is None for c in d.components):
        return False
    return v == report.computed_total(cid)


def _table_sheet(wb: Workbook, report: Report, tdef: schema.TableDef) -> None:
    ws = wb.create_sheet(TABLE_SHEETS[tdef.id])
    view = TableView(tdef, report)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=tdef.n_cols)
    head = _put(ws, 1, 1, tdef.title)
    head.font = _HEAD_FONT
    head.alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[1].height = 24
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    # borders and font on every grid position, merged or not
    for r in range(tdef.n_rows):
        for c in range(tdef.n_cols):
            cell = ws.cell(row=r + GRID_ROW0, column=c + 1)
            cell.border = _BORDER
            cell.font = _FONT
            cell.alignment = center
    for g in tdef.grid:
        row, col = g.row + GRID_ROW0, g.col + 1
        if g.rowspan > 1 or g.colspan > 1:
            ws.merge_cells(start_row=row, start_column=col,
                           end_row=row + g.rowspan - 1, end_column=col + g.colspan - 1)
        if g.cell_id is None:
            cell = _put(ws, row, col, g.text)
            if view.cover[(g.row, g.col)]["align"] == "left":
                cell.alignment = left
            continue
        cid = g.cell_id
        d = schema.CELLS[cid]
        v = report.values.get(cid)
        if d.is_total and _formula_ok(report, cid):
            cell = _put(ws, row, col, _sum_formula(tdef, d.components))
            cell.data_type = "f"
        elif v is None:
            cell = _put(ws, row, col, report.raw.get(cid) or None)
        else:
            cell = _put(ws, row, col, v)
        cell.number_format = _FEE_FORMAT if d.kind == "decimal" else _INT_FORMAT
    scale = _WIDTH_SCALE.get(tdef.id, 10.0)
    for c, w in enumerate(tdef.col_widths):
        ws.column_dimensions[get_column_letter(c + 1)].width = round(w * scale, 1)
    for r in range(tdef.header_rows):
        ws.row_dimensions[r + GRID_ROW0].height = 30
    if tdef.header_rows:
        ws.freeze_panes = ws.cell(row=tdef.header_rows + GRID_ROW0, column=1)
    ws.print_options.horizontalCentered = True
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if tdef.n_cols > 4 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if tdef.header_rows:
        ws.print_title_rows = f"{GRID_ROW0}:{GRID_ROW0 + tdef.header_rows - 1}"


def _data_sheet(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet(DATA_SHEET)
    for c, h in enumerate(DATA_HEADER, 1):
        _put(ws, 1, c, h).font = _BOLD
    for i, cid in enumerate(schema.CELL_IDS, 2):
        d = schema.CELLS[cid]
        _put(ws, i, 1, cid)
        _put(ws, i, 2, d.label)
        v = report.values.get(cid)
        if v is None:
            raw = report.raw.get(cid)
            if raw:
                _put(ws, i, 3, raw)
        else:
            _put(ws, i, 3, v).number_format = _FEE_FORMAT if d.kind == "decimal" else _INT_FORMAT
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 14
    ws.freeze_panes = "A2"


def _info_sheet(wb: Workbook, report: Report, context: dict[str, Any]) -> None:
    ws = wb.create_sheet(INFO_SHEET)
    for c, h in enumerate(INFO_HEADER, 1):
        _put(ws, 1, c, h).font = _BOLD
    rows: list[tuple[str, Any]] = [
        ("机关名称", report.agency or ""),
        ("报告年度", report.year),
        ("机关类型", report.level.label),
        ("行政层级", report.tier.label),
        ("公开日期", report.publish_date.isoformat() if report.publish_date else ""),
        ("报告格式", report.format),
        ("标题", context["title"]),
    ]
    for sid in schema.TEXT_SECTIONS:
        text = context["section"][sid]["text"]
        heading = schema.SECTION_BY_ID[sid].heading
        chunks = [text[i:i + CELL_TEXT_LIMIT] for i in range(0, len(text), CELL_TEXT_LIMIT)] or [""]
        rows.extend((heading, chunk) for chunk in chunks)
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, (label, value) in enumerate(rows, 2):
        _put(ws, i, 1, label)
        _put(ws, i, 2, value).alignment = wrap
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 100
    ws.freeze_panes = "A2"


def write_xlsx(report: Report, context: dict[str, Any]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for tid in ("t2", "t3", "t4"):
        _table_sheet(wb, report, schema.TABLES[tid])
    _data_sheet(wb, report)
    _info_sheet(wb, report, context)
    wb.active = 0
    props = wb.properties
    props.title = _text(context["title"])
    props.creator = _text(report.agency or "")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
