"""A reviewer's audit of a folder of reports (issue 6, item 1).

``audit(folder)`` reads every report in the folder and its sub-folders, in any
format the importers read, pairs each report with the same agency's report of
the previous year when the folder has one (the cross-year rules X1–X5 then
run), checks each, and returns one :class:`AuditRow` a report, every finding,
counts by rule across the folder, and the files that could not be read with
the reason.  An unreadable file never stops the run.

Decisions, documented:

* **Recursive**: sub-folders are searched (reviewers sort reports by district
  or by month).  Hidden files and folders (``.name``), Office lock files
  (``~$name``), editor backups (``name~``) and temporary files (``.tmp``,
  ``.swp``, ``.part``, ``.crdownload``) are skipped; every other file is given
  to the importers, so a scanned PDF or a picture in the folder is listed as
  unreadable with the importer's reason.
* **Pairing**: agencies are compared with all white space removed.  When the
  folder holds the agency's report of ``year - 1`` it becomes the baseline
  (``attach_baseline``), replacing the baseline a project file may carry —
  the reviewer checks against what was published.  When the folder holds the
  same agency and year twice (a DOCX and an HTML of one report), the
  baseline is the project file if there is one, else the first by path.
* **Parallelism**: reading and checking are pure Python, so threads do not
  help (the GIL); a :class:`~concurrent.futures.ProcessPoolExecutor` with
  chunked ``map`` is used when the folder has more than
  :data:`SERIAL_BELOW` files and more than one worker is available (see
  ``bench/bench_audit.py`` for the measurement).  Worker processes start by
  ``fork`` when no Qt is loaded, otherwise by ``spawn`` (forking a process
  that runs Qt threads is unsafe).  The workers get the files costliest first
  (PDF, then DOCX and XLSX, … by kind and size; :data:`_READ_COST`) in chunks
  of at most 32, so the cores finish together; the results keep the folder's
  order.
* **Work split**: a worker reads a file and checks it as it stands (with the
  baseline a project file carries); the parent then pairs the reports and
  re-checks, in process, only those that got a previous year from the
  folder.  Checking costs well under a millisecond a report against tens of
  milliseconds for reading a DOCX or XLSX, so nothing is sent back to the
  workers.
* **Progress**: ``progress(done, total)`` counts files read and checked;
  ``total`` is the number of files and never changes during a run.
* **重复率 and roster** (issue 15): every report with a previous year gets its
  重复率 (:func:`model.compare.repeat_rate`, sentences repeated verbatim);
  with a ``roster`` the result carries :func:`model.roster.filing_status`
  (who filed, who is missing, deadlines by the roster's level), and the
  summaries get its sheets / section first.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .baseline import agency_key, attach_baseline
from .errors import NianbaoError, RenderError
from .findings import Finding, Severity
from .findings import where as _where
from .report import Report

if TYPE_CHECKING:
    from .roster import FilingStatus, Roster

Progress = Callable[[int, int], None]

SERIAL_BELOW = 24          # folders with fewer files are audited in this process
SKIP_SUFFIXES = (".tmp", ".temp", ".swp", ".swo", ".part", ".crdownload", ".lock", ".bak")
SHEETS = ("报告", "问题", "规则统计", "无法读取")
ROSTER_SHEETS = ("报送情况", "名录外的报告")      # first, when the audit had a roster

ON_TIME = "已按时"
UNKNOWN = "未知"


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------

@dataclass
class AuditRow:
    """One report of the folder and what the checker found in it."""

    file: str                           # path relative to the audited folder, with "/"
    agency: str
    year: int | None
    level: str                          # Level label: 部门 / 本级人民政府 / 乡镇街道
    format: str                         # "2021" or "2019"
    source_format: str                  # "nianbao" | "txt" | "docx" | "html" | "xlsx"
    publish_date: date | None
    deadline: date | None
    timeliness: str                     # 已按时 / 逾期 N 天 / 未知
    findings: list[Finding] = field(default_factory=list)
    baseline_file: str | None = None    # the folder's previous-year report used as baseline
    baseline_source: str = ""           # "folder" | "project" | ""
    notes: int = 0                      # reading notes (variants, unplaced cells …)
    repeat_rate: float | None = None    # 重复率 % against the previous year (model.compare), paired only
    report: Report | None = field(default=None, repr=False, compare=False)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    @property
    def infos(self) -> int:
        return self.count(Severity.INFO)

    @property
    def days_late(self) -> int | None:
        if self.publish_date is None or self.deadline is None:
            return None
        return max(0, (self.publish_date - self.deadline).days)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file, "agency": self.agency, "year": self.year, "level": self.level,
            "format": self.format, "source_format": self.source_format,
            "errors": self.errors, "warnings": self.warnings, "infos": self.infos,
            "publish_date": self.publish_date.isoformat() if self.publish_date else None,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "timeliness": self.timeliness, "baseline_file": self.baseline_file,
            "notes": self.notes,
            "repeat_rate": None if self.repeat_rate is None else round(self.repeat_rate, 1),
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass(frozen=True)
class Unreadable:
    file: str
    reason: str                         # Chinese, from the importer

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "reason": self.reason}


@dataclass(frozen=True)
class RuleCount:
    rule: str
    severity: Severity
    findings: int                       # how many findings across the folder
    reports: int                        # in how many reports

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity.key, "findings": self.findings,
                "reports": self.reports}


@dataclass
class AuditResult:
    folder: Path
    rows: list[AuditRow] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1
    roster: FilingStatus | None = None  # the roster's units against the folder (model.roster)

    @property
    def files(self) -> int:
        return len(self.rows) + len(self.unreadable)

    @property
    def has_errors(self) -> bool:
        return any(r.errors for r in self.rows)

    @property
    def reports_with_errors(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    @property
    def late(self) -> int:
        return sum(1 for r in self.rows if r.days_late)

    def rule_counts(self) -> list[RuleCount]:
        """Findings counted by (rule, severity), most frequent first."""
        n: dict[tuple[str, Severity], int] = {}
        reports: dict[tuple[str, Severity], set[int]] = {}
        for i, row in enumerate(self.rows):
            for f in row.findings:
                key = (f.rule, f.severity)
                n[key] = n.get(key, 0) + 1
                reports.setdefault(key, set()).add(i)
        out = [RuleCount(rule, sev, n[(rule, sev)], len(reports[(rule, sev)])) for rule, sev in n]
        out.sort(key=lambda c: (c.severity, -c.reports, -c.findings, c.rule))
        return out

    def to_json(self) -> dict[str, Any]:
        out = {
            "folder": str(self.folder), "files": self.files, "reports": len(self.rows),
            "reports_with_errors": self.reports_with_errors, "late": self.late,
            "rows": [r.to_json() for r in self.rows],
            "rule_counts": [c.to_json() for c in self.rule_counts()],
            "unreadable": [u.to_json() for u in self.unreadable],
        }
        if self.roster is not None:
            out["roster"] = self.roster.to_json()
        return out


# --------------------------------------------------------------------------
# Finding the files
# --------------------------------------------------------------------------

def is_skipped(name: str) -> bool:
    """Hidden, lock, backup and temporary files are not reports."""
    low = name.lower()
    return (name.startswith(".") or name.startswith("~$") or name.endswith("~")
            or low.endswith(SKIP_SUFFIXES) or low in ("thumbs.db", "desktop.ini"))


def list_files(folder: Path) -> list[Path]:
    """Every candidate file under ``folder`` (recursive), sorted by relative path."""
    from .importers import SUPPORTED_SUFFIXES

    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        # a folder named like a report (x.docx) is listed as unreadable, not walked into
        reportish = [d for d in dirnames if Path(d).suffix.lower() in SUPPORTED_SUFFIXES
                     and not is_skipped(d)]
        found.extend(Path(dirpath) / d for d in reportish)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in reportish)
        for name in filenames:
            if not is_skipped(name):
                # FIFOs, devices and broken links are kept: the reader refuses them with the reason
                found.append(Path(dirpath) / name)
    found.sort(key=lambda p: p.relative_to(folder).as_posix())
    return found


# --------------------------------------------------------------------------
# The two steps a worker runs
# --------------------------------------------------------------------------

@dataclass
class _Read:
    path: str
    report: Report | None = None
    source_format: str = ""
    notes: int = 0
    error: str | None = None
    findings: list[Finding] | str | None = None     # str: the checker failed on this report


def _read_one(path: str) -> _Read:
    from .importers import read_file
    try:
        res = read_file(Path(path))
    except NianbaoError as e:
        return _Read(path, error=str(e))
    except RecursionError:
        return _Read(path, error="文件结构嵌套过深，无法读取。")
    except MemoryError:
        return _Read(path, error="文件太大，内存不足，无法读取。")
    except Exception as e:
        return _Read(path, error=f"读取时出现意外错误（{type(e).__name__}：{e}），请把此文件反馈给开发者。")
    return _Read(path, res.report, res.source_format, len(res.notes))


def _check_one(report: Report) -> list[Finding] | str:
    from .rules import check
    try:
        return check(report)
    except Exception as e:
        return f"检查时出现意外错误（{type(e).__name__}：{e}），请把此文件反馈给开发者。"


def _process_one(path: str) -> _Read:
    rd = _read_one(path)
    if rd.report is not None:
        rd.findings = _check_one(rd.report)
    return rd


def _process_chunk(paths: list[str]) -> list[_Read]:
    return [_process_one(p) for p in paths]


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _mp_context() -> multiprocessing.context.BaseContext:
    if sys.platform != "win32" and "PySide6" not in sys.modules:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


# how long a file of each kind takes to read and check, roughly (bench/README.md): the order in
# which the workers get them, so that the slow ones do not come last and leave a core idle
_READ_COST = {".pdf": 8.0, ".docx": 4.0, ".xlsx": 4.0, ".html": 3.0, ".htm": 3.0, ".txt": 1.0,
              ".nianbao": 0.5}


def _cost(path: str) -> tuple[float, int]:
    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0
    return _READ_COST.get(os.path.splitext(path)[1].lower(), 2.0), size


def _run(fn: Callable[[list], list], items: list, executor: Executor | None, workers: int,
         step: Callable[[int], None], cost: Callable[[Any], Any] | None = None) -> list:
    """``fn`` over ``items`` in chunks, calling ``step(n)`` as chunks finish; the results in the
    order of ``items``.  With an executor and ``cost``, the costliest items are handed out first
    and the chunks are small enough that the cores finish together."""
    if executor is None:
        out = []
        for chunk in _chunks(items, 8):
            out.extend(fn(chunk))
            step(len(chunk))
        return out
    order = list(range(len(items)))
    if cost is not None:
        costs = [cost(it) for it in items]
        order.sort(key=lambda i: costs[i], reverse=True)
    size = max(1, min(32, len(items) // (workers * 12) or 1))
    results: list[Any] = [None] * len(items)
    at = 0
    for res in executor.map(fn, _chunks([items[i] for i in order], size)):
        for r in res:
            results[order[at]] = r
            at += 1
        step(len(res))
    return results


# --------------------------------------------------------------------------
# The audit
# --------------------------------------------------------------------------

def timeliness(report: Report) -> tuple[date | None, str]:
    """(deadline, 已按时 / 逾期 N 天 / 未知) for the report's publish date."""
    deadline = report.deadline()
    if deadline is None or report.publish_date is None:
        return deadline, UNKNOWN
    late = (report.publish_date - deadline).days
    return deadline, ON_TIME if late <= 0 else f"逾期 {late} 天"


def _pair(reads: list[_Read]) -> dict[str, _Read]:
    """path -> the read of the same agency's previous-year report in the folder."""
    by_key: dict[tuple[str, int], _Read] = {}
    for rd in reads:
        r = rd.report
        if r is None or r.year is None or not agency_key(r.agency):
            continue
        key = (agency_key(r.agency), r.year)
        have = by_key.get(key)
        if have is None or (rd.source_format == "nianbao" and have.source_format != "nianbao"):
            by_key[key] = rd
    pairs: dict[str, _Read] = {}
    for rd in reads:
        r = rd.report
        if r is None or r.year is None or not agency_key(r.agency):
            continue
        last = by_key.get((agency_key(r.agency), r.year - 1))
        if last is not None and last is not rd:
            pairs[rd.path] = last
    return pairs


def audit(folder: str | os.PathLike, *, workers: int | None = None,
          progress: Progress | None = None, roster: Roster | None = None,
          year: int | None = None) -> AuditResult:
    """Audit every report under ``folder``; see the module docstring for the decisions.

    ``workers``: number of processes (default: all cores; 1 = in this process).
    ``roster`` (with ``year``, default: the latest year in the folder): the units
    expected to file, put against the reports in ``result.roster``
    (:func:`model.roster.filing_status`).
    Raises :class:`NotADirectoryError` with a Chinese message when ``folder``
    is not a folder; everything else that goes wrong is listed in the result.
    """
    start = time.perf_counter()
    root = Path(folder)
    if not root.is_dir():
        raise NotADirectoryError(f"文件夹“{root}”不存在或不是文件夹。")
    paths = list_files(root)
    rel = {str(p): p.relative_to(root).as_posix() for p in paths}
    n = len(paths)
    done = 0

    def step(k: int) -> None:
        nonlocal done
        done += k
        if progress is not None:
            progress(done, n)

    if progress is not None:
        progress(0, n)
    cores = os.cpu_count() or 1
    workers = max(1, workers if workers is not None else cores)
    parallel = workers > 1 and n >= SERIAL_BELOW
    result = AuditResult(root, workers=workers if parallel else 1)
    executor: ProcessPoolExecutor | None = None
    try:
        if parallel:
            executor = ProcessPoolExecutor(max_workers=min(workers, max(1, n // 8)),
                                           mp_context=_mp_context())
        reads: list[_Read] = _run(_process_chunk, [str(p) for p in paths], executor, workers, step,
                                  cost=_cost)
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    ok = [rd for rd in reads if rd.report is not None]
    # a report whose check crashed is listed as unreadable: never another file's baseline
    pairs = _pair([rd for rd in ok if not isinstance(rd.findings, str)])
    for rd in ok:
        last = pairs.get(rd.path)
        if last is not None and rd.report is not None and last.report is not None:
            attach_baseline(rd.report, last.report)
            rd.findings = _check_one(rd.report)

    for rd in reads:
        if rd.report is None:
            result.unreadable.append(Unreadable(rel[rd.path], rd.error or "无法读取。"))
    for rd in ok:
        found = rd.findings or []
        if isinstance(found, str):
            result.unreadable.append(Unreadable(rel[rd.path], found))
            continue
        r = rd.report
        assert r is not None
        deadline, when = timeliness(r)
        last = pairs.get(rd.path)
        result.rows.append(AuditRow(
            file=rel[rd.path], agency=r.agency, year=r.year, level=r.level.label, format=r.format,
            source_format=rd.source_format, publish_date=r.publish_date, deadline=deadline,
            timeliness=when, findings=list(found),
            baseline_file=rel[last.path] if last is not None else None,
            baseline_source="folder" if last is not None else ("project" if r.baseline else ""),
            notes=rd.notes, report=r))
    result.unreadable.sort(key=lambda u: u.file)
    _repeat_rates(result.rows)
    if roster is not None:
        from .roster import filing_status
        years = [r.year for r in result.rows if r.year is not None]
        result.roster = filing_status(result, roster, year if year is not None else max(years, default=0))
    result.seconds = time.perf_counter() - start
    return result


def _repeat_rates(rows: list[AuditRow]) -> None:
    """重复率 of every report that has a previous year (from the folder or its project file)."""
    from .compare import repeat_rate
    for row in rows:
        r = row.report
        if r is not None and r.baseline is not None:
            row.repeat_rate = repeat_rate(r, r.baseline)


# --------------------------------------------------------------------------
# Summaries: XLSX and HTML
# --------------------------------------------------------------------------

REPORT_HEADERS = ("文件", "机关名称", "年度", "机关层级", "报告格式", "文件类型", "错误", "警告", "提示",
                  "发布日期", "发布期限", "是否按时", "上年报告（跨年度核对）", "重复率")
FINDING_HEADERS = ("文件", "机关名称", "年度", "规则", "严重程度", "位置", "说明")
RULE_HEADERS = ("规则", "严重程度", "问题数", "涉及报告数")
UNREADABLE_HEADERS = ("文件", "原因")


def _report_cells(r: AuditRow) -> list[Any]:
    return [r.file, r.agency or "（未知）", r.year if r.year is not None else "（未知）", r.level,
            f"{r.format} 年格式", r.source_format, r.errors, r.warnings, r.infos,
            r.publish_date.isoformat() if r.publish_date else "",
            r.deadline.isoformat() if r.deadline else "", r.timeliness, r.baseline_file or "",
            _rate(r.repeat_rate)]


def _rate(v: float | None) -> str:
    from .compare import format_rate
    return "" if v is None else format_rate(v)


def _finding_rows(result: AuditResult) -> Iterator[list[Any]]:
    for r in result.rows:
        for f in r.findings:
            yield [r.file, r.agency, r.year if r.year is not None else "", f.rule, f.severity.label,
                   _where(f), f.message]


def summary_text(result: AuditResult) -> str:
    """One Chinese sentence on the whole folder."""
    text = (f"共 {result.files} 个文件：读取报告 {len(result.rows)} 份，"
            f"无法读取 {len(result.unreadable)} 个；有错误的报告 {result.reports_with_errors} 份，"
            f"逾期发布 {result.late} 份。")
    if result.roster is not None:
        text += result.roster.summary_text()
    return text


def _sanitize_xlsx(v: Any) -> Any:
    """Text that Excel would read as a formula is written as text; control characters are dropped."""
    if isinstance(v, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        from .sanitize import clean_text
        v = ILLEGAL_CHARACTERS_RE.sub("", clean_text(v))
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@"):
        return "'" + v
    return v


def write_xlsx(result: AuditResult, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    sheets = [
        (SHEETS[0], REPORT_HEADERS, (_report_cells(r) for r in result.rows),
         (36, 28, 8, 12, 12, 10, 6, 6, 6, 12, 12, 12, 36, 8)),
        (SHEETS[1], FINDING_HEADERS, _finding_rows(result), (36, 28, 8, 8, 10, 30, 90)),
        (SHEETS[2], RULE_HEADERS, ([c.rule, c.severity.label, c.findings, c.reports]
                                   for c in result.rule_counts()), (10, 10, 10, 12)),
        (SHEETS[3], UNREADABLE_HEADERS, ([u.file, u.reason] for u in result.unreadable), (40, 90)),
    ]
    if result.roster is not None:
        from .roster import EXTRA_HEADERS, STATUS_HEADERS, extra_cells, status_cells
        sheets.insert(0, (ROSTER_SHEETS[0], STATUS_HEADERS, (status_cells(u) for u in result.roster.units),
                          (30, 12, 8, 30, 28, 18, 12, 12, 12, 12, 12, 12, 12, 12, 10, 8)))
        sheets.insert(1, (ROSTER_SHEETS[1], EXTRA_HEADERS, (extra_cells(e) for e in result.roster.extras),
                          (36, 28, 8, 50)))
    bold = Font(bold=True)
    for i, (title, headers, rows, widths) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        ws.append(list(headers))
        for c in ws[1]:
            c.font = bold
        for row in rows:
            ws.append([_sanitize_xlsx(v) for v in row])
        ws.freeze_panes = "A2"
        for j, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = w
    _atomic_save(path, wb.save)


def _atomic_save(path: Path, writer: Callable[[Any], None]) -> None:
    import io

    from .files import write_file
    buf = io.BytesIO()
    writer(buf)
    write_file(path, buf.getvalue(), RenderError)


def folder_chart_svg(result: AuditResult) -> str | None:
    """Key figures summed over the reports that have a previous year, this year vs last year."""
    from .chart import bars_svg, key_figures
    paired = [r.report for r in result.rows if r.report is not None and r.report.baseline is not None]
    if not paired:
        return None
    labels = [label for label, _ in key_figures(paired[0])]
    this = [0] * len(labels)
    last = [0] * len(labels)
    for rep in paired:
        for i, (_, v) in enumerate(key_figures(rep)):
            this[i] += v
        assert rep.baseline is not None
        for i, (_, v) in enumerate(key_figures(rep.baseline)):
            last[i] += v
    return bars_svg(labels, [("上年", last), ("本年", this)],
                    title=f"有上年报告可比的 {len(paired)} 份报告：主要数字合计与上年对比")


AUDIT_TEMPLATE = "audit.html.j2"


def render_html(result: AuditResult, template_dir: Path | None = None) -> str:
    """The HTML summary, through the exporters' one Jinja environment (model.render.env): the
    user template folder over the project's, the sandbox, and Chinese messages for its errors."""
    from markupsafe import Markup

    from .render import env
    env.TEMPLATE_NAMES.setdefault("audit", AUDIT_TEMPLATE)     # the summary is one more template
    chart = folder_chart_svg(result)
    ctx = {
        "folder": str(result.folder),
        "summary": summary_text(result),
        "report_headers": REPORT_HEADERS,
        "reports": [{"cells": _report_cells(r), "errors": r.errors, "late": bool(r.days_late)}
                    for r in result.rows],
        "finding_headers": FINDING_HEADERS,
        "findings": [{"cells": cells, "severity": cells[4]} for cells in _finding_rows(result)],
        "rule_headers": RULE_HEADERS,
        "rules": [[c.rule, c.severity.label, c.findings, c.reports] for c in result.rule_counts()],
        "unreadable_headers": UNREADABLE_HEADERS,
        "unreadable": [[u.file, u.reason] for u in result.unreadable],
        # built by model.chart, every text in it escaped; the XML declaration is dropped inline
        "chart": Markup(chart.split("?>", 1)[1].lstrip()) if chart else None,
        "roster": _roster_ctx(result),
    }
    return env.render_template("audit", ctx, template_dir)


def _roster_ctx(result: AuditResult) -> dict[str, Any] | None:
    if result.roster is None:
        return None
    from .roster import EXTRA_HEADERS, STATUS_HEADERS, extra_cells, status_cells
    st = result.roster
    return {"summary": st.summary_text(), "year": st.year, "headers": STATUS_HEADERS,
            "units": [{"cells": status_cells(u), "status": u.status, "late": u.late, "guessed": u.guessed}
                      for u in st.units],
            "extra_headers": EXTRA_HEADERS, "extras": [extra_cells(e) for e in st.extras]}


def write_html(result: AuditResult, path: Path, template_dir: Path | None = None) -> None:
    html = render_html(result, template_dir)
    _atomic_save(path, lambda buf: buf.write(html.encode("utf-8")))


def write_summary(result: AuditResult, path: str | os.PathLike,
                  template_dir: str | os.PathLike | None = None) -> None:
    """Write the summary as XLSX or HTML, by the suffix of ``path`` (HTML: ``template_dir``
    may hold an ``audit.html.j2`` of the user's, as for the exports)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".xlsx":
        write_xlsx(result, p)
    elif suffix in (".html", ".htm"):
        write_html(result, p, Path(template_dir) if template_dir is not None else None)
    else:
        raise RenderError(f"无法按“{p.name}”的扩展名输出审核结果：请使用 .xlsx 或 .html。")


def write_json(result: AuditResult, out: Any) -> None:
    json.dump(result.to_json(), out, ensure_ascii=False, indent=1)
    out.write("\n")


def iter_findings(result: AuditResult) -> Iterable[tuple[AuditRow, Finding]]:
    for r in result.rows:
        for f in r.findings:
            yield r, f
