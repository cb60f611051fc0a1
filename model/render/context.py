"""The one template context every format is rendered from.

Templates get the report's meta, the six sections in official order (headings
from :mod:`model.schema`), the text sections split into paragraphs, and the
tables as the schema's grids filled with the report's values.  Table labels
come from the schema only: a template places a table, it never spells one.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from .. import fields, schema
from ..numbers import format_value
from ..report import Report
from . import layout

# a level-2 head on a line of its own: （一）主动公开情况
_SUBHEAD = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_SUBHEAD_MAX = 40


def one_line(text: str | None) -> str:
    """Meta text (agency, title) on one line: line breaks become spaces."""
    return " ".join(part.strip() for part in (text or "").splitlines() if part.strip())


def paragraphs(text: str | None) -> list[dict[str, str]]:
    """A text section as paragraphs: one per non-empty line, stripped.

    ``kind`` is ``"h2"`` for a short line that starts with （一）… and does not
    end a sentence (a level-2 head, also when it ends in a colon: ``（一）主动公开：``),
    ``"p"`` otherwise.
    """
    out: list[dict[str, str]] = []
    for line in (text or "").splitlines():
        t = line.strip()
        if not t:
            continue
        kind = "p"
        if _SUBHEAD.match(t) and len(t) <= _SUBHEAD_MAX and not t.endswith(("。", "；", ";")):
            kind = "h2"
        out.append({"kind": kind, "text": t})
    return out


def title(agency: str, year: int | None) -> str:
    """The official title; without a year, no dangling “年” (it would read back as the agency)."""
    if year is None:
        return agency + schema.TITLE_SUFFIX.removeprefix("年")
    return schema.title_for(agency, year)


def _date_cn(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


class TableView:
    """One schema table filled with a report's values, in the shapes writers need."""

    def __init__(self, tdef: schema.TableDef, report: Report, fill_blanks: bool = False):
        self.id = tdef.id
        self.title = tdef.title
        self.n_rows = tdef.n_rows
        self.n_cols = tdef.n_cols
        self.header_rows = tdef.header_rows
        self.label_cols = tdef.label_cols
        total = sum(tdef.col_widths) or 1.0
        self.col_widths = [w / total for w in tdef.col_widths]
        self.col_percents = [round(100 * w, 2) for w in self.col_widths]
        # matrix: text at the top-left position of each grid cell, "" elsewhere (TXT layout)
        self.matrix: list[list[str]] = [[""] * tdef.n_cols for _ in range(tdef.n_rows)]
        # rows: the grid cells that start in each row, left to right (HTML layout)
        self.rows: list[list[dict[str, Any]]] = [[] for _ in range(tdef.n_rows)]
        # cover: (row, col) -> the cell dict whose area covers it (DOCX layout)
        self.cover: dict[tuple[int, int], dict[str, Any]] = {}
        values = report.values
        for g in sorted(tdef.grid, key=lambda g: (g.row, g.col)):
            if g.cell_id is not None:
                # a document that goes out (a forced draft: the export gate stops the others)
                # prints a blank as the 0 the checker counts; a preview shows it blank
                v = values.get(g.cell_id)
                text = format_value(0 if v is None and fill_blanks else v)
            else:
                text = g.text
            align = "center"
            if g.role == "label" and tdef.id == "t3" and g.rowspan == 1:
                align = "left"
            c = {
                "row": g.row, "col": g.col, "rowspan": g.rowspan, "colspan": g.colspan,
                "text": text, "role": g.role, "cell_id": g.cell_id,
                "header": g.row < tdef.header_rows or g.role in ("header", "caption"),
                "align": align,
            }
            self.matrix[g.row][g.col] = text
            self.rows[g.row].append(c)
            for r in range(g.row, g.row + g.rowspan):
                for k in range(g.col, g.col + g.colspan):
                    self.cover[(r, k)] = c

    @property
    def head(self) -> list[list[dict[str, Any]]]:
        return self.rows[: self.header_rows]

    @property
    def body(self) -> list[list[dict[str, Any]]]:
        return self.rows[self.header_rows:]

    @property
    def tsv(self) -> list[str]:
        return ["\t".join(row) for row in self.matrix]


DRAFT_MARK = "草稿"


def build_context(report: Report, draft: bool = False) -> dict[str, Any]:
    """The template context; ``draft``: a forced export past errors, marked 草稿, whose
    blank cells print as 0 (nothing goes out with an empty number cell)."""
    tables = {tid: TableView(tdef, report, fill_blanks=draft) for tid, tdef in schema.TABLES.items()}
    sections = []
    for s in schema.SECTIONS:
        text = fields.resolve(report.sections.get(s.id, ""), report) if s.kind == "text" else ""
        sections.append({
            "id": s.id, "number": s.number, "heading": s.heading, "kind": s.kind,
            "short": s.short, "table": tables[s.table] if s.table else None,
            "table_id": s.table or "", "text": text or "", "paragraphs": paragraphs(text),
        })
    agency = one_line(report.agency)
    full_title = title(agency, report.year)
    date_text = _date_cn(report.publish_date)
    return {
        "title": full_title,
        "title_lines": layout.title_lines(full_title),
        # the 落款 (GB/T 9704 §7.3.5): right indent in characters; ``pad``: the spaces
        # that start it at its column of a 28-character line (plain text)
        "signature": [{"text": s.text, "start": s.start, "right": s.right, "pad": layout.pad(s.start)}
                      for s in layout.signature_layout(agency, date_text)],
        "draft": bool(draft),
        "draft_mark": DRAFT_MARK if draft else "",
        "agency": agency,
        "year": report.year if report.year is not None else "",
        "level": report.level.label,
        "tier": report.tier.label,
        "publish_date": date_text,
        "format": report.format,
        "sections": sections,
        "section": {s["id"]: s for s in sections},
        "tables": tables,
    }


def export_notices(report: Report) -> list[str]:
    """What the 检查与导出 step tells the clerk about the exported document's look
    (not findings of the report itself): e.g. no publish date means no 落款."""
    out = []
    blanks = sum(1 for cid in schema.CELL_IDS if report.values.get(cid) is None)
    if blanks:
        out.append(f"表格中还有 {blanks} 个空白单元格，发布的表格不能留空：请逐一填写（确为 0 的填写 0），"
                   "否则导出时会作为错误列出。")
    notice = layout.no_signature_notice(report.publish_date)
    if notice:
        out.append(notice)
    return out
