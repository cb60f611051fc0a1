"""The headless engine: ``check``, ``import`` and ``render`` from the command line.

``uv run main.py check FILE… [--last-year FILE] [--json]``
``uv run main.py import FILE [-o OUT.nianbao] [--json]``
``uv run main.py render FILE --to OUT.docx|OUT.txt|OUT.html|OUT.xlsx [--force]``

Exit status: 0 when no file has errors, 1 when a report has error-level
findings (or ``render`` refused to write), 2 when a file cannot be read or the
arguments are wrong.  Plain Python: no Qt is loaded.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from . import schema
from .errors import NianbaoError
from .findings import Finding, Severity
from .importers.base import ImportResult
from .numbers import format_value
from .report import Report

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2
COMMANDS = ("check", "import", "render")


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese errors and exit status 2."""

    def error(self, message: str) -> None:  # noqa: D401
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNREADABLE, f"参数错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="main.py", description="年报 Nianbao：政府信息公开工作年度报告的编写与检查。"
                "不带参数运行时打开窗口。")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    c = sub.add_parser("check", help="检查一份或多份报告，按严重程度列出问题")
    c.add_argument("files", nargs="+", metavar="FILE", help="项目文件或已发布的报告（.nianbao .txt .docx .html .xlsx）")
    c.add_argument("--last-year", metavar="FILE", help="上年报告，用于跨年度核对（X1–X5）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")
    i = sub.add_parser("import", help="读取一份报告，显示读到的内容")
    i.add_argument("file", metavar="FILE")
    i.add_argument("-o", "--output", metavar="OUT.nianbao", help="另存为项目文件")
    i.add_argument("--json", action="store_true", help="以 JSON 输出")
    r = sub.add_parser("render", help="导出为 DOCX / TXT / HTML / XLSX")
    r.add_argument("file", metavar="FILE")
    r.add_argument("--to", required=True, metavar="OUT", help="输出文件，格式由扩展名决定")
    r.add_argument("--force", action="store_true", help="报告仍有错误时也导出")
    r.add_argument("--templates", metavar="DIR", help="用户模板文件夹（覆盖内置模板）")
    r.add_argument("--reference-docx", metavar="FILE", help="参考样式 DOCX（字体、页眉等）")
    r.add_argument("--last-year", metavar="FILE", help="上年报告，用于跨年度核对")
    return p


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------

def read_any(path: str | Path) -> ImportResult:
    from .importers import read_file
    return read_file(Path(path))


def attach_baseline(report: Report, last: Report) -> None:
    """Use ``last`` as the baseline of ``report`` for the cross-year rules."""
    base = last.copy()
    base.baseline = None
    report.baseline = base
    report.baseline_own = (last.format == schema.FORMAT_2021 and bool(report.agency)
                           and _same_agency(report.agency, last.agency))


def _same_agency(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return "".join(s.split())
    return norm(a) == norm(b)


# --------------------------------------------------------------------------
# JSON shapes (documented in the README)
# --------------------------------------------------------------------------

def _json_value(v: int | Decimal | None) -> int | str | None:
    if isinstance(v, Decimal):
        return format_value(v)
    return v


def meta_json(r: Report) -> dict:
    return {
        "agency": r.agency, "year": r.year, "level": r.level.value, "level_label": r.level.label,
        "tier": r.tier.value, "format": r.format,
        "publish_date": r.publish_date.isoformat() if r.publish_date else None,
        "title": r.structure.title_line if r.structure is not None else r.title,
        "has_baseline": r.baseline is not None,
    }


def result_json(res: ImportResult, findings: list[Finding] | None, file: str) -> dict:
    r = res.report
    out = {
        "file": file,
        "source_format": res.source_format,
        "meta": meta_json(r),
        "sections": {s: r.sections.get(s, "") for s in schema.TEXT_SECTIONS},
        "cells": {cid: _json_value(r.values[cid]) for cid in schema.CELL_IDS},
        "raw": dict(r.raw),
        "notes": [n.to_json() for n in res.notes],
    }
    if findings is not None:
        out["findings"] = [f.to_json() for f in findings]
    return out


# --------------------------------------------------------------------------
# Text output
# --------------------------------------------------------------------------

def _where(f: Finding) -> str:
    if f.cells:
        d = schema.CELLS.get(f.cells[0])
        if d is not None:
            sec = schema.SECTION_BY_ID[schema.TABLES[d.table].section]
            return f"表{sec.number}"
    if f.section in schema.SECTION_BY_ID:
        return schema.SECTION_BY_ID[f.section].heading
    if f.section == "title":
        return "标题"
    return "基本信息"


def describe(r: Report) -> str:
    agency = r.agency or "（机关名称未知）"
    year = f"{r.year} 年" if r.year is not None else "（年度未知）"
    return f"{agency} {year}（{r.level.label}，{r.format} 年格式）"


def print_findings(findings: list[Finding], out: TextIO) -> None:
    if not findings:
        out.write("  没有发现问题。\n")
        return
    for sev in Severity:
        group = [f for f in findings if f.severity is sev]
        if not group:
            continue
        out.write(f"  {sev.label}（{len(group)}）\n")
        for f in group:
            out.write(f"    [{f.rule}] {_where(f)}：{f.message}\n")


def print_notes(res: ImportResult, out: TextIO) -> None:
    if res.notes:
        out.write(f"  读取说明（{len(res.notes)}）\n")
        for n in res.notes:
            out.write(f"    - {n.message}\n")


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------

def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .rules import check

    last: Report | None = None
    if args.last_year:
        try:
            last = read_any(args.last_year).report
        except NianbaoError as e:
            err.write(f"无法读取上年报告“{args.last_year}”：{e}\n")
            return EXIT_UNREADABLE
    status = EXIT_OK
    results = []
    for i, name in enumerate(args.files):
        try:
            res = read_any(name)
        except NianbaoError as e:
            status = EXIT_UNREADABLE
            if args.json:
                results.append({"file": name, "error": str(e)})
            else:
                out.write(f"{'' if i == 0 else chr(10)}== {name}\n  无法读取：{e}\n")
            continue
        if last is not None:
            attach_baseline(res.report, last)
        findings = check(res.report)
        if any(f.severity is Severity.ERROR for f in findings) and status == EXIT_OK:
            status = EXIT_ERRORS
        if args.json:
            results.append(result_json(res, findings, name))
        else:
            counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
            out.write(f"{'' if i == 0 else chr(10)}== {name}：{describe(res.report)}\n")
            out.write("  " + "，".join(f"{s.label} {counts[s]} 项" for s in Severity) + "\n")
            print_findings(findings, out)
    if args.json:
        json.dump(results[0] if len(results) == 1 else results, out, ensure_ascii=False, indent=1)
        out.write("\n")
    return status


def _table_lines(r: Report) -> list[str]:
    lines = []
    for t in ("t2", "t3", "t4"):
        table = schema.TABLES[t]
        lines.append(f"  {table.title}")
        row_key = None
        parts: list[str] = []
        for cid in table.cell_ids:
            d = schema.CELLS[cid]
            if d.row != row_key:
                if parts:
                    lines.append("    " + "  ".join(parts))
                parts = [f"{d.row_label}："]
                row_key = d.row
            v = r.values[cid]
            shown = format_value(v) if v is not None else ("（" + r.raw[cid] + "）" if cid in r.raw else "—")
            parts.append(f"{d.col_label} {shown}")
        if parts:
            lines.append("    " + "  ".join(parts))
    return lines


def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        res = read_any(args.file)
    except NianbaoError as e:
        err.write(f"无法读取“{args.file}”：{e}\n")
        return EXIT_UNREADABLE
    if args.output:
        from .project import save
        try:
            save(res.report, args.output)
        except NianbaoError as e:
            err.write(f"{e}\n")
            return EXIT_UNREADABLE
    if args.json:
        json.dump(result_json(res, None, args.file), out, ensure_ascii=False, indent=1)
        out.write("\n")
        return EXIT_OK
    r = res.report
    out.write(f"== {args.file}（{res.source_format}）：{describe(r)}\n")
    if r.structure is not None:
        out.write(f"  标题：{r.structure.title_line or '（未找到）'}\n")
    for s in schema.TEXT_SECTIONS:
        text = r.sections.get(s, "")
        short = text.replace("\n", " ")
        if len(short) > 60:
            short = short[:60] + "…"
        out.write(f"  {schema.SECTION_BY_ID[s].heading}（{len(text)} 字）：{short or '（空）'}\n")
    out.writelines(line + "\n" for line in _table_lines(r))
    print_notes(res, out)
    if args.output:
        out.write(f"已保存为项目文件：{args.output}\n")
    return EXIT_OK


def cmd_render(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .render import NotPublishReady, export

    try:
        res = read_any(args.file)
        if args.last_year:
            attach_baseline(res.report, read_any(args.last_year).report)
    except NianbaoError as e:
        err.write(f"无法读取：{e}\n")
        return EXIT_UNREADABLE
    try:
        blockers = export(res.report, Path(args.to), force=args.force,
                          template_dir=Path(args.templates) if args.templates else None,
                          reference_docx=Path(args.reference_docx) if args.reference_docx else None)
    except NotPublishReady as e:
        err.write("报告仍有错误，未导出（确需导出请加 --force）：\n")
        print_findings(e.findings, err)
        return EXIT_ERRORS
    except NianbaoError as e:
        err.write(f"导出失败：{e}\n")
        return EXIT_UNREADABLE
    if blockers:
        err.write(f"注意：报告仍有 {len(blockers)} 项错误，已按 --force 导出，不是可发布的定稿：\n")
        print_findings(blockers, err)
    out.write(f"已导出：{args.to}\n")
    return EXIT_OK


def main(argv: Sequence[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(list(argv))
    handler = {"check": cmd_check, "import": cmd_import, "render": cmd_render}[args.command]
    return handler(args, out, err)
