"""XLSX of the figures (openpyxl).

Sheets, in this order (the layout of ``数据`` and ``信息`` is a stable contract
the XLSX reader relies on):

* one sheet per table — ``二、主动公开``, ``三、依申请公开``, ``四、复议诉讼`` —
  laid out like the official table: row 1 the section heading, the schema grid
  from row 2 with its merged cells, labels, values, thin borders; a total is a
  ``=SUM(…)`` formula when the report's total agrees with its components,
  otherwise the report's own figure (so an inconsistent report is not silently
  corrected).  A formula carries its computed value (``<v>``, written into the
  sheet XML after openpyxl saves), so a viewer that does not calculate shows the
  totals.  The sheet is protected without a password: labels and formulas are
  locked, the figures are open and validated (whole numbers ≥ 0; the fee ≥ 0
  with at most 4 decimals).  Footer: ``第 N 页，共 M 页``.
* ``数据`` — row 1 the header ``单元格编号 | 项目 | 数值``; from row 2 one row per
  cell in :data:`model.schema.CELL_IDS` order: canonical id, label, value as a
  number (int, the fee a decimal number), empty for a blank, or the original
  text (a string) when the report kept one in ``raw``. Never a formula.  In a
  forced draft (marked 草稿 in the headers and properties) a blank is 0, as in
  every other format: nothing goes out with an empty number cell.
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
import re
import zipfile
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .. import schema
from ..report import Report
from ..numbers import parse_amount, parse_count
from ..xlsx_layout import CELL_TEXT_LIMIT, DATA_HEADER, DATA_SHEET, INFO_HEADER, INFO_SHEET, meta_label
from .context import DRAFT_MARK, TableView
from ..sanitize import clean_text

TABLE_SHEETS = {s.table: f"{s.number}、{s.short}" for s in schema.SECTIONS if s.table}
GRID_ROW0 = 2                     # the grid starts on this sheet row (row 1 is the heading)
_WIDTH_SCALE = {"t2": 10.0, "t3": 11.0, "t4": 9.0}

_thin = Side(style="thin", color="000000")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_FONT = Font(name="宋体", size=10.5)
_HEAD_FONT = Font(name="黑体", size=12)
_BOLD = Font(name="宋体", size=10.5, bold=True)
_INT_FORMAT = "0"
_FEE_FORMAT = "0.00##"
_UNLOCKED = Protection(locked=False)
FOOTER = "第 &P 页，共 &N 页"


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


def _shown(report: Report, cid: str, fill: bool) -> int | Decimal | str | None:
    """What a number cell shows: the value; for a blank, the text kept in ``raw``, or in
    a forced draft (``fill``) the 0 the checker counts unless the text is a bad entry —
    nothing goes out with an empty number cell, and the export gate stops the rest."""
    v = report.values.get(cid)
    if v is not None:
        return v
    raw = report.raw.get(cid)
    if not fill:
        return raw or None
    d = schema.CELLS[cid]
    if raw and (parse_amount(raw) if d.kind == "decimal" else parse_count(raw)).error:
        return raw
    return 0


def _formula_ok(report: Report, cid: str, fill: bool) -> bool:
    d = schema.CELLS[cid]
    v = _shown(report, cid, fill)
    if v is None or isinstance(v, str) or cid in report.raw:
        return False
    if any(_shown(report, c, fill) is None or isinstance(_shown(report, c, fill), str)
           for c in d.components):
        return False
    return v == report.computed_total(cid)


def _count_rule(ws: Any) -> DataValidation:
    """Whole numbers ≥ 0 (the counts)."""
    dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=False)
    dv.error = "件数须为 0 或正整数。"
    dv.errorTitle = "数值不符合要求"
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    return dv


def _fee_rule(coord: str) -> DataValidation:
    """≥ 0 with at most 4 decimals: a custom rule (a decimal rule cannot count places)."""
    dv = DataValidation(type="custom", formula1=f"AND(ISNUMBER({coord}),{coord}>=0,"
                                                f"ROUND({coord},4)={coord})", allow_blank=False)
    dv.error = "收费金额须为 0 或正数（单位：万元），最多保留 4 位小数。"
    dv.errorTitle = "数值不符合要求"
    dv.showErrorMessage = True
    return dv


def _page_setup(ws: Any, draft: bool) -> None:
    ws.oddFooter.center.text = FOOTER
    ws.evenFooter.center.text = FOOTER
    if draft:
        for hf in (ws.oddHeader, ws.evenHeader):
            hf.right.text = DRAFT_MARK
            hf.right.size = 16
            hf.right.font = "黑体,Regular"


def _table_sheet(wb: Workbook, report: Report, tdef: schema.TableDef,
                 cached: dict[str, dict[str, Any]], draft: bool = False) -> None:
    ws = wb.create_sheet(TABLE_SHEETS[tdef.id])
    view = TableView(tdef, report, fill_blanks=draft)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=tdef.n_cols)
    head = _put(ws, 1, 1, f"{tdef.title}（{DRAFT_MARK}）" if draft else tdef.title)
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
    counts = _count_rule(ws)
    formulas = cached.setdefault(ws.title, {})
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
        if d.is_total and _formula_ok(report, cid, draft):
            cell = _put(ws, row, col, _sum_formula(tdef, d.components))
            cell.data_type = "f"
            formulas[cell.coordinate] = _shown(report, cid, draft)
        else:
            cell = _put(ws, row, col, _shown(report, cid, draft))
            cell.protection = _UNLOCKED
            if d.kind == "decimal":
                fee = _fee_rule(cell.coordinate)
                ws.add_data_validation(fee)
                fee.add(cell.coordinate)
            else:
                counts.add(cell.coordinate)
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
    _page_setup(ws, draft)
    # labels and formulas are protected, the figures stay editable (no password)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _data_sheet(wb: Workbook, report: Report, draft: bool = False) -> None:
    ws = wb.create_sheet(DATA_SHEET)
    for c, h in enumerate(DATA_HEADER, 1):
        _put(ws, 1, c, h).font = _BOLD
    for i, cid in enumerate(schema.CELL_IDS, 2):
        d = schema.CELLS[cid]
        _put(ws, i, 1, cid)
        _put(ws, i, 2, d.label)
        v = _shown(report, cid, draft)
        if isinstance(v, str):
            _put(ws, i, 3, v)
        elif v is not None:
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
        (meta_label("agency"), report.agency or ""),
        (meta_label("year"), report.year),
        (meta_label("level"), report.level.label),
        (meta_label("tier"), report.tier.label),
        (meta_label("publish_date"), report.publish_date.isoformat() if report.publish_date else ""),
        (meta_label("format"), report.format),
        (meta_label("title"), context["title"]),
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


_FORMULA_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v\s*/?>(?:</v>)?</c>')


def _cache_values(data: bytes, sheets: dict[str, dict[str, Any]], names: list[str]) -> bytes:
    """Write each formula's computed value beside it (``<v>``), so a viewer that does
    not calculate still shows the totals; openpyxl writes formulas without one."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    by_part = {f"xl/worksheets/sheet{i}.xml": sheets.get(name, {}) for i, name in enumerate(names, 1)}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            values = by_part.get(info.filename)
            if values:
                def fill(m: re.Match[str], values: dict[str, Any] = values) -> str:
                    v = values.get(m.group(1))
                    if v is None:
                        return m.group(0)
                    shown = format(v, "f") if isinstance(v, Decimal) else str(v)
                    return f'<c r="{m.group(1)}"{m.group(2)}><f>{m.group(3)}</f><v>{shown}</v></c>'
                blob = _FORMULA_CELL.sub(fill, blob.decode("utf-8")).encode("utf-8")
            dst.writestr(info, blob)
    return out.getvalue()


def write_xlsx(report: Report, context: dict[str, Any]) -> bytes:
    draft = bool(context.get("draft"))
    wb = Workbook()
    wb.remove(wb.active)
    cached: dict[str, dict[str, Any]] = {}
    for tid in ("t2", "t3", "t4"):
        _table_sheet(wb, report, schema.TABLES[tid], cached, draft)
    _data_sheet(wb, report, draft)
    _info_sheet(wb, report, context)
    for ws in wb.worksheets[len(TABLE_SHEETS):]:
        _page_setup(ws, draft)
    wb.active = 0
    props = wb.properties
    props.title = _text(f"{context['title']}（{DRAFT_MARK}）" if draft else context["title"])
    props.creator = _text(report.agency or "")
    props.lastModifiedBy = _text(report.agency or "")
    props.subject = "政府信息公开工作年度报告"
    if draft:
        props.keywords = DRAFT_MARK
        props.contentStatus = DRAFT_MARK
        props.description = f"{DRAFT_MARK}：导出时报告仍有错误，不是可以发布的文稿。"
    buf = io.BytesIO()
    wb.save(buf)
    return _cache_values(buf.getvalue(), cached, wb.sheetnames)
