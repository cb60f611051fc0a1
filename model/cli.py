"""The headless engine: ``check``, ``import`` and ``render`` from the command line.

``uv run main.py check FILE… [--last-year FILE] [--json]``
``uv run main.py import FILE [-o OUT.nianbao] [--json]``
``uv run main.py render FILE --to OUT.docx|OUT.pdf|OUT.txt|OUT.html|OUT.xlsx [--force]``
``uv run main.py render FILE --all [--out-dir DIR] [--force]`` (every format, official file names)
``uv run main.py audit FOLDER [--out REPORT.xlsx|REPORT.html] [--json]``
``uv run main.py combine FILE… -o SUM.nianbao [--agency 名称] [--breakdown BREAKDOWN.xlsx]``
``uv run main.py register REGISTER.csv --mapping MAP.json --year 2025 [--last-year FILE]
[-o OUT.nianbao] [--into EXISTING.nianbao]`` (or ``--suggest-mapping``)
``uv run main.py compare THIS LAST [--html OUT.html] [--json]`` (issue 15; ``audit`` also takes
``--roster 名录.csv --year YYYY``, ``import`` and ``compare`` also take http(s) addresses)

Exit status: 0 when no file has errors, 1 when a report has error-level
findings (or ``render`` refused to write), 2 when a file cannot be read or the
arguments are wrong, 3 on an internal error (a defect: a Chinese message, never a
traceback).  A closed output pipe (``check … | head``) ends the run quietly.
File names are printed with control characters escaped (:func:`_n`), and
nothing written reaches the terminal as a control sequence (:class:`_SafeStream`).
Plain Python: no Qt is loaded.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import NoReturn, TextIO

from . import schema
from .baseline import BaselineCheck, attach_baseline
from .errors import NianbaoError
from .findings import Finding, Severity
from .findings import where as _where
from .importers import suffix_list
from .importers.base import ImportResult
from .numbers import format_value
from .report import Report
from .sanitize import terminal_name as _n

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE, EXIT_INTERNAL = 0, 1, 2, 3
COMMANDS = ("check", "import", "render", "audit", "combine", "register", "compare")


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix if prefix is not None else "用法：")


class _Parser(argparse.ArgumentParser):
    """argparse speaking Chinese: headings, help option, errors; exit status 2 on bad arguments."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNREADABLE, f"参数错误：{_zh(message)}\n")


_ARGPARSE_ZH = (
    ("the following arguments are required: ", "缺少参数："),
    ("unrecognized arguments: ", "无法识别的参数："),
    ("expected one argument", "需要一个值"),
    ("invalid choice: ", "无效的选择："),
    ("choose from ", "可选："),
    ("argument ", "参数 "),
    ("invalid int value: ", "不是整数："),
)


def _zh(message: str) -> str:
    for en, zh in _ARGPARSE_ZH:
        message = message.replace(en, zh)
    return message


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="main.py", description="年报 Nianbao：政府信息公开工作年度报告的编写与检查。"
                "不带参数运行时打开窗口。")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    c = sub.add_parser("check", help="检查一份或多份报告，按严重程度列出问题")
    c.add_argument("files", nargs="*", metavar="FILE", help=f"项目文件或已发布的报告（{suffix_list()}）")
    c.add_argument("--last-year", metavar="FILE", help="上年报告，用于跨年度核对（X0–X5）")
    c.add_argument("--rules", action="store_true", help="列出全部检查规则（编号、严重程度、说明）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")
    i = sub.add_parser("import", help="读取一份报告，显示读到的内容")
    i.add_argument("file", metavar="FILE|URL",
                   help=f"报告文件（{suffix_list()}），或报告网页的网址（http:// 或 https://）")
    i.add_argument("-o", "--output", metavar="OUT.nianbao", help="另存为项目文件")
    i.add_argument("--json", action="store_true", help="以 JSON 输出")
    from .render import renderers
    names = " / ".join(x.id.upper() for x in renderers())
    suffixes = "、".join(x.suffix for x in renderers())
    r = sub.add_parser("render", help=f"导出为 {names}")
    r.add_argument("file", metavar="FILE")
    dest = r.add_mutually_exclusive_group(required=True)
    dest.add_argument("--to", metavar="OUT", help=f"输出文件，格式由扩展名决定（{suffixes}）")
    dest.add_argument("--all", action="store_true",
                      help=f"一次导出全部格式（{names}），使用规范文件名“机关+年度+政府信息公开工作年度报告”")
    r.add_argument("--out-dir", metavar="DIR", help="--all 的输出文件夹（默认：FILE 所在文件夹）")
    r.add_argument("--force", action="store_true", help="报告仍有错误时也导出")
    r.add_argument("--templates", metavar="DIR", help="用户模板文件夹（覆盖内置模板）")
    r.add_argument("--reference-docx", metavar="FILE", help="参考样式 DOCX（字体、页眉等）")
    r.add_argument("--last-year", metavar="FILE", help="上年报告，用于跨年度核对")
    a = sub.add_parser("audit", help="审核一个文件夹中的全部报告（含子文件夹），汇总问题")
    a.add_argument("folder", metavar="FOLDER", help="存放报告的文件夹")
    a.add_argument("--out", metavar="REPORT.xlsx|REPORT.html", help="把审核结果写成 Excel 或网页")
    a.add_argument("--json", action="store_true", help="以 JSON 输出")
    a.add_argument("--workers", type=int, metavar="N", help="并行进程数（默认：全部处理器核心）")
    a.add_argument("--templates", metavar="DIR", help="自定义模板文件夹（其中的 audit.html.j2 用于网页汇总）")
    a.add_argument("--roster", metavar="名录.csv|名录.xlsx",
                   help="应报送单位名录（名称、层级、别名），列出报送情况")
    a.add_argument("--year", type=int, metavar="YYYY",
                   help="与 --roster 一起：报告年度（默认：文件夹中最新的年度）")
    m = sub.add_parser("combine", help="把同一年度多个机关的报告表格相加，生成汇总报告")
    m.add_argument("files", nargs="+", metavar="FILE", help="要汇总的报告（同一年度、同一格式）")
    m.add_argument("-o", "--output", required=True, metavar="SUM.nianbao", help="汇总结果项目文件")
    m.add_argument("--agency", default="", metavar="名称", help="汇总报告的机关名称")
    m.add_argument("--level", choices=[lv.value for lv in schema.Level],
                   help="汇总报告的机关层级（默认：与各报告相同）")
    m.add_argument("--breakdown", metavar="BREAKDOWN.xlsx", help="分机关明细表（机关 × 单元格）")
    m.add_argument("--json", action="store_true", help="以 JSON 输出")
    g = sub.add_parser("register", help="由申请登记簿（CSV/XLSX）计算表三")
    g.add_argument("register", metavar="REGISTER", help="申请登记簿（.csv 或 .xlsx），每行一件申请")
    g.add_argument("--mapping", metavar="MAP.json", help="列与取值的对应关系文件")
    g.add_argument("--suggest-mapping", action="store_true",
                   help="按官方栏目名称推荐对应关系，以 JSON 输出，作为对应关系文件的起点")
    g.add_argument("--year", type=int, metavar="YYYY", help="报告年度")
    g.add_argument("--last-year", metavar="FILE", help="上年报告：“上年结转”取自其“结转下年度继续办理”")
    g.add_argument("-o", "--output", metavar="OUT.nianbao", help="保存为项目文件")
    g.add_argument("--confirm-last-year", action="store_true",
                   help="上年报告不是 YYYY−1 年的报告时，仍按其填入“上年结转”")
    g.add_argument("--into", metavar="EXISTING.nianbao",
                   help="写入已有项目文件的表三（未给 -o 时覆盖该文件）")
    g.add_argument("--json", action="store_true", help="以 JSON 输出")
    _add_compare_parser(sub)
    return p


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------

def read_any(path: str | Path) -> ImportResult:
    from .importers import read_file
    return read_file(Path(path))


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
            out.write(f"    [{f.rule}] {_where(f)}：{_n(f.message)}\n")


def print_notes(res: ImportResult, out: TextIO) -> None:
    if res.notes:
        out.write(f"  读取说明（{len(res.notes)}）\n")
        for n in res.notes:
            out.write(f"    - {_n(n.message)}\n")


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------

def print_rules(out: TextIO, as_json: bool) -> None:
    from .rules import RULES
    if as_json:
        json.dump([{"rule": r.id, "title": r.title, "severities": [sv.key for sv in r.severities],
                    "help": r.help} for r in RULES.values()], out, ensure_ascii=False, indent=1)
        out.write("\n")
        return
    for r in RULES.values():
        out.write(f"[{r.id}] {r.title}（{r.severity_label}）\n    {r.help}\n")


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .rules import check

    if args.rules:
        print_rules(out, args.json)
        return EXIT_OK
    if not args.files:
        err.write("参数错误：请给出要检查的报告文件（或用 --rules 列出全部规则）。\n")
        return EXIT_UNREADABLE

    last: Report | None = None
    if args.last_year:
        try:
            last = read_any(args.last_year).report
        except NianbaoError as e:
            err.write(f"无法读取上年报告“{_n(args.last_year)}”：{_n(e)}\n")
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
                out.write(f"{'' if i == 0 else chr(10)}== {_n(name)}\n  无法读取：{_n(e)}\n")
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
            out.write(f"{'' if i == 0 else chr(10)}== {_n(name)}：{_n(describe(res.report))}\n")
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


def _read_file_or_url(name: str) -> ImportResult:
    """A report from a file, or from its web page when ``name`` is an http(s) address (model.fetch)."""
    from .fetch import fetch_report, is_url
    if is_url(name):
        return fetch_report(name)
    return read_any(name)


def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        res = _read_file_or_url(args.file)
    except NianbaoError as e:
        err.write(f"无法读取“{_n(args.file)}”：{_n(e)}\n")
        return EXIT_UNREADABLE
    if args.output:
        from .project import save
        try:
            save(res.report, args.output)
        except NianbaoError as e:
            err.write(f"{_n(e)}\n")
            return EXIT_UNREADABLE
    if args.json:
        json.dump(result_json(res, None, args.file), out, ensure_ascii=False, indent=1)
        out.write("\n")
        return EXIT_OK
    r = res.report
    out.write(f"== {_n(args.file)}（{res.source_format}）：{_n(describe(r))}\n")
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
        out.write(f"已保存为项目文件：{_n(args.output)}\n")
    return EXIT_OK


def cmd_render(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .render import NotPublishReady, export, export_all

    if args.out_dir and not args.all:
        err.write("--out-dir 只用于 --all（一次导出全部格式）；导出单个文件请用 --to 指定文件名。\n")
        return EXIT_UNREADABLE
    try:
        res = read_any(args.file)
        if args.last_year:
            attach_baseline(res.report, read_any(args.last_year).report)
    except NianbaoError as e:
        err.write(f"无法读取：{_n(e)}\n")
        return EXIT_UNREADABLE
    templates = Path(args.templates) if args.templates else None
    reference = Path(args.reference_docx) if args.reference_docx else None
    try:
        if args.all:
            folder = Path(args.out_dir) if args.out_dir else Path(args.file).parent
            written, blockers = export_all(res.report, folder, force=args.force, template_dir=templates,
                                           reference_docx=reference)
        else:
            blockers = export(res.report, Path(args.to), force=args.force, template_dir=templates,
                              reference_docx=reference)
            written = [Path(args.to)]
    except NotPublishReady as e:
        err.write("报告仍有错误，未导出（确需导出请加 --force）：\n")
        print_findings(e.findings, err)
        return EXIT_ERRORS
    except NianbaoError as e:
        err.write(f"导出失败：{_n(e)}\n")
        return EXIT_UNREADABLE
    if blockers:
        err.write(f"注意：报告仍有 {len(blockers)} 项错误，已按 --force 导出为草稿（文档带“草稿”标记），"
                  "不是可发布的定稿：\n")
        print_findings(blockers, err)
    for path in written:
        out.write(f"已导出：{_n(path)}\n")
    return EXIT_OK


# --------------------------------------------------------------------------
# audit / combine / register (issue 6)
# --------------------------------------------------------------------------

def _progress_writer(err: TextIO):
    """A progress line on stderr: rewritten in place on a terminal, a few lines otherwise."""
    tty = hasattr(err, "isatty") and err.isatty()
    last = [-1]

    def progress(done: int, total: int) -> None:
        if total <= 0:
            return
        pct = done * 100 // total
        if tty:
            if pct != last[0] or done == total:
                err.write(f"\r审核进度：{pct:3d}%（{done}/{total} 个文件）")
                if done == total:
                    err.write("\n")
                err.flush()
        elif pct // 25 != last[0] // 25 or (done == total and last[0] != 100):
            err.write(f"审核进度：{pct}%（{done}/{total} 个文件）\n")
        last[0] = pct
    return progress


def cmd_audit(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .audit import audit, summary_text, write_json, write_summary

    folder = Path(args.folder)
    if not folder.is_dir():
        err.write(f"文件夹“{_n(folder)}”不存在或不是文件夹。\n")
        return EXIT_UNREADABLE
    if args.out and Path(args.out).suffix.lower() not in (".xlsx", ".html", ".htm"):
        err.write(f"无法按“{_n(args.out)}”的扩展名输出审核结果：请使用 .xlsx 或 .html。\n")
        return EXIT_UNREADABLE
    if args.workers is not None and args.workers < 1:
        err.write("--workers 至少为 1。\n")
        return EXIT_UNREADABLE
    roster = None
    if args.roster:
        from .roster import read_roster
        try:
            roster = read_roster(args.roster)
        except NianbaoError as e:
            err.write(f"{e}\n")
            return EXIT_UNREADABLE
    elif args.year is not None:
        err.write("参数错误：--year 须与 --roster 一起使用。\n")
        return EXIT_UNREADABLE
    result = audit(folder, workers=args.workers, progress=_progress_writer(err), roster=roster,
                   year=args.year)
    if args.out:
        try:
            write_summary(result, args.out, args.templates)
        except NianbaoError as e:
            err.write(f"{_n(e)}\n")
            return EXIT_UNREADABLE
    if args.json:
        write_json(result, out)
    else:
        out.write(f"== 审核 {_n(folder)}\n  {summary_text(result)}\n")
        for row in result.rows:
            who = f"{row.agency or '（机关名称未知）'} {row.year if row.year is not None else '（年度未知）'}"
            rate = f"，重复率 {row.repeat_rate:.1f}%" if row.repeat_rate is not None else ""
            out.write(f"  {_n(row.file)}：{_n(who)}，错误 {row.errors}，警告 {row.warnings}，"
                      f"提示 {row.infos}，{row.timeliness}{rate}\n")
        if result.roster is not None:
            _print_roster(result.roster, out)
        counts = result.rule_counts()
        if counts:
            out.write("  按规则统计：\n")
            for c in counts:
                out.write(f"    [{c.rule}] {c.severity.label} {c.findings} 项，涉及 {c.reports} 份报告\n")
        if result.unreadable:
            out.write(f"  无法读取（{len(result.unreadable)}）：\n")
            for u in result.unreadable:
                out.write(f"    {_n(u.file)}：{_n(u.reason)}\n")
        if args.out:
            out.write(f"已写出审核结果：{_n(args.out)}\n")
    return EXIT_ERRORS if result.has_errors else EXIT_OK


def cmd_combine(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .combine import combine, write_breakdown
    from .project import save

    reports = []
    for name in args.files:
        try:
            reports.append(read_any(name).report)
        except NianbaoError as e:
            err.write(f"无法读取“{_n(name)}”：{_n(e)}\n没有生成汇总。\n")
            return EXIT_UNREADABLE
    try:
        res = combine(reports, agency=args.agency, names=[Path(f).name for f in args.files],
                      level=schema.Level(args.level) if args.level else None)
        if args.breakdown:
            write_breakdown(res, args.breakdown)
        save(res.report, args.output)
    except NianbaoError as e:
        err.write(f"{_n(e)}\n")
        return EXIT_UNREADABLE
    if args.json:
        doc = result_json(ImportResult(res.report, source_format="nianbao"), res.findings, args.output)
        doc["inputs"] = [{"file": f, "agency": a} for f, a in zip(args.files, res.agencies, strict=False)]
        doc["blanks"] = [{"source": b.source, "cell": b.cell_id, "raw": b.raw} for b in res.blanks]
        doc["combine_notes"] = res.notes
        json.dump(doc, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        r = res.report
        out.write(f"== 汇总 {len(reports)} 份报告：{describe(r)}\n")
        for f, a in zip(args.files, res.agencies, strict=False):
            out.write(f"  - {_n(f)}（{_n(a)}）\n")
        out.write(f"  {schema.figures_sentence(r.num, ('new', 'results', 'review'))}\n")
        for note in res.notes:
            out.write(f"  注意：{note}\n")
        for b in res.blanks[:20]:
            out.write(f"    {b.message}\n")
        if len(res.blanks) > 20:
            out.write(f"    ……另有 {len(res.blanks) - 20} 个空白单元格，见分机关明细。\n")
        counts = {sv: sum(1 for f in res.findings if f.severity is sv) for sv in Severity}
        out.write("  汇总报告检查：" + "，".join(f"{sv.label} {counts[sv]} 项" for sv in Severity) + "\n")
        print_findings(res.findings, out)
        out.write(f"已保存汇总报告：{_n(args.output)}\n")
        if args.breakdown:
            out.write(f"已写出分机关明细：{_n(args.breakdown)}\n")
    return EXIT_ERRORS if any(f.severity is Severity.ERROR for f in res.findings) else EXIT_OK


def cmd_register(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .project import load, save
    from .register import apply_t3, compute_t3, load_mapping, read_register, suggest_mapping

    try:
        reg = read_register(args.register)
    except NianbaoError as e:
        err.write(f"{_n(e)}\n")
        return EXIT_UNREADABLE
    if args.suggest_mapping:
        json.dump(suggest_mapping(reg.headers, reg.sample_values()), out, ensure_ascii=False, indent=1)
        out.write("\n")
        return EXIT_OK
    if not args.mapping or args.year is None:
        err.write("参数错误：请用 --mapping 指定对应关系文件、用 --year 指定报告年度"
                  "（可先用 --suggest-mapping 生成对应关系）。\n")
        return EXIT_UNREADABLE
    try:
        mapping = load_mapping(args.mapping)
        last = read_any(args.last_year).report if args.last_year else None
        target: Report | None = load(args.into) if args.into else None
        # as in the window: last year's report given, else the one the project file carries
        base = last if last is not None else (target.baseline if target is not None else None)
        values, problems = compute_t3(reg, mapping, args.year, baseline=base)
    except NianbaoError as e:
        err.write(f"{_n(e)}\n")
        return EXIT_UNREADABLE
    if target is not None and target.year not in (None, args.year):
        err.write(f"“{args.into}”是 {target.year} 年的报告，与 --year {args.year} 不一致，未写入。\n")
        return EXIT_UNREADABLE
    if last is not None:
        verdict = BaselineCheck(args.year, last.year, (target or last).agency, last.agency, last.format)
        for f in verdict.findings():
            err.write(f"[{f.rule}] {f.message}\n")
        if verdict.needs_confirmation and not args.confirm_last_year:
            err.write("未按上年报告填入“上年结转”，也未写入任何文件；确认无误请加 --confirm-last-year。\n")
            return EXIT_UNREADABLE
    dest = args.output or args.into
    if dest:
        if target is None:
            target = last.next_year() if last is not None else Report.zeros(year=args.year)
            target.year = args.year
            if last is not None:
                target.baseline_own = attach_baseline(target, last).own
        elif last is not None:
            attach_baseline(target, last)
        target.year = args.year
        apply_t3(target, values)
        try:
            save(target, dest)
        except NianbaoError as e:
            err.write(f"{_n(e)}\n")
            return EXIT_UNREADABLE
    blocking = [p for p in problems if p.blocking]
    if args.json:
        json.dump({"year": args.year, "cells": values, "problems": [p.to_json() for p in problems],
                   "output": dest}, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        out.write(f"== 登记簿 {_n(args.register)}：{len(reg.rows)} 件申请，{args.year} 年度表三\n")
        for row in schema.T3_ROWS:
            if values[schema.t3(row.id, "total")] or not row.is_result:
                cells = "  ".join(f"{label} {values[schema.t3(row.id, c)]}" for c, label in schema.T3_COLUMNS)
                out.write(f"  {row.label}：{cells}\n")
        if problems:
            out.write(f"  需要核实（{len(problems)}）：\n")
            for p in problems:
                out.write(f"    - {p.message}\n")
        else:
            out.write("  登记簿中的每个值都已对应。\n")
        if dest:
            out.write(f"已写入表三：{_n(dest)}\n")
    return EXIT_ERRORS if blocking else EXIT_OK


# --------------------------------------------------------------------------
# roster status and compare (issue 15)
# --------------------------------------------------------------------------

def _print_roster(st, out: TextIO) -> None:
    from .roster import MISSING, PLACES
    out.write(f"  报送情况：{st.summary_text()}\n")
    for u in st.units:
        if u.status == MISSING:
            near = f"（文件夹中有无法读取的文件：{'、'.join(u.unreadable)}）" if u.unreadable else ""
            out.write(f"    {u.unit.name}（{u.unit.level.label}）：未报送，期限 {u.deadline}{near}\n")
            continue
        guess = f"，{u.match_label}：报告写作“{u.row.agency}”" if u.guessed else ""
        where = "，".join(f"{p} {u.counts_text(p)}" for p in PLACES)
        rate = f"，重复率 {u.repeat_rate:.1f}%" if u.repeat_rate is not None else ""
        paired = "已与上年配对" if u.paired else "未与上年配对"
        out.write(f"    {u.unit.name}（{u.unit.level.label}）：已报送 {_n(u.row.file)}{guess}，"
                  f"{u.timeliness}，问题（错/警/提）{where}，{paired}{rate}\n")
    if st.extras:
        out.write(f"  名录外的报告（{len(st.extras)}）：\n")
        for e in st.extras:
            out.write(f"    {_n(e.row.file)}：{e.row.agency or '（机关名称未知）'}，{e.reason}\n")
    for note in st.roster.notes:
        out.write(f"  名录：{note}\n")


def _add_compare_parser(sub) -> None:
    c = sub.add_parser("compare", help="把一份报告与同一机关上年的报告对比：重复率、变化的单元格、与上年衔接")
    c.add_argument("this", metavar="本年报告", help="本年报告（任何能读取的格式，或网址）")
    c.add_argument("last", metavar="上年报告", help="上年报告（任何能读取的格式，或网址）")
    c.add_argument("--html", metavar="OUT.html", help="把对比写成左右对照的网页")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")


def cmd_compare(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .compare import compare, text_lines
    from .render.comparison import render_html
    reports = []
    for name in (args.this, args.last):
        try:
            reports.append(_read_file_or_url(name).report)
        except NianbaoError as e:
            err.write(f"无法读取“{name}”：{e}\n")
            return EXIT_UNREADABLE
    c = compare(reports[0], reports[1])
    if args.html:
        from .files import write_file
        try:
            write_file(Path(args.html), render_html(c))
        except NianbaoError as e:
            err.write(f"{e}\n")
            return EXIT_UNREADABLE
    if args.json:
        json.dump(c.to_json(), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        out.writelines(line + "\n" for line in text_lines(c))
        if args.html:
            out.write(f"已写出对照网页：{args.html}\n")
    return EXIT_ERRORS if any(f.severity is Severity.ERROR for f in c.carry) else EXIT_OK


class _SafeStream:
    """A text stream that lets no control sequence through (ESC, BEL, lone surrogates …).

    Newlines, carriage returns (the progress line) and tabs pass; everything else
    that :func:`model.sanitize.terminal_name` escapes is escaped here too.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, s: str) -> int:
        if _UNSAFE.search(s):
            s = _UNSAFE.sub(lambda m: _n(m.group(0)), s)
        return self._stream.write(s)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _quiet_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the interpreter's final flush is quiet."""
    import os
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run one command; never ends in a traceback (internal errors exit with status 3)."""
    real_out = out or sys.stdout
    real_err = err or sys.stderr
    safe_out: TextIO = _SafeStream(real_out)  # type: ignore[assignment]
    safe_err: TextIO = _SafeStream(real_err)  # type: ignore[assignment]
    try:
        args = build_parser().parse_args(list(argv))
        handler = {"check": cmd_check, "import": cmd_import, "render": cmd_render, "audit": cmd_audit,
                   "combine": cmd_combine, "register": cmd_register,
                   "compare": cmd_compare}[args.command]
        status = handler(args, safe_out, safe_err)
        real_out.flush()
        return status
    except BrokenPipeError:
        # the reader of our output went away (``check … | head``): stop quietly
        if out is None:
            _quiet_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        _write_safely(real_err, "\n已中断。\n")
        return 130
    except MemoryError:
        _write_safely(real_err, "内部错误：内存不足，无法完成。请关闭其他程序后重试，或分批处理文件。\n")
        return EXIT_INTERNAL
    except RecursionError:
        _write_safely(real_err, "内部错误：数据嵌套过深，无法完成。请把所用的文件反馈给开发者。\n")
        return EXIT_INTERNAL
    except NianbaoError as e:           # a Chinese message a command did not catch
        _write_safely(real_err, f"{_n(e)}\n")
        return EXIT_UNREADABLE
    except Exception as e:
        _write_safely(real_err, f"内部错误：程序遇到了意外的问题（{type(e).__name__}），未能完成。"
                                "这是程序的缺陷，不是您的文件有误；请把所用的命令和文件反馈给开发者。\n")
        return EXIT_INTERNAL


def _write_safely(stream: TextIO, text: str) -> None:
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):
        pass
