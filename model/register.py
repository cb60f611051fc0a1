"""Case register → table 三 (issue 6, item 3).

A register is a CSV (UTF-8 with or without BOM, or GBK/GB18030; comma, tab or
semicolon separated) or an XLSX (first sheet) with a header row and one
application a row.  A :class:`Mapping` names the columns and maps each
column's values onto the schema: applicant types onto
``schema.T3_APPLICANT_COLS``, results onto ``schema.T3_RESULT_ROWS``, status
values onto ``finished`` / ``open``.  It is saved as JSON and reused next year.

How :func:`compute_t3` counts, kept simple on purpose:

* A row received in the year counts in ``new`` under its applicant column.
* A row received before the year counts as carried in (the register lists
  last year's unfinished applications that were handled this year).  When a
  baseline is given, ``carried_in`` is the baseline's ``carried_out`` and a
  difference from the register is listed; without one, ``carried_in`` is
  the register's count.  When a *finished date* column is mapped, a row
  finished before the year is an earlier year's and is skipped.
* A row is **finished** when its status maps to ``finished``; **open** when it
  maps to ``open``.  A blank status (or no status column) means finished
  when a result is filled in, open when not.  A finished date after the year
  makes the row open at year end.
* Finished rows count in their result row; open rows in ``carried_out``.
* A row received after the year is not counted (listed as information).
* A value that maps to nothing, an unreadable date, a finished row without
  a result: listed with its row number, column and value, never guessed,
  and the row is left out of the cells that value decides.
* Totals (the 总计 column and （七）总计) are computed from the counted cells.
"""
from __future__ import annotations

import csv
import io
import json
import os
import unicodedata
from collections.abc import Iterable, Mapping as MappingABC
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import schema
from .dates import parse_date
from .errors import NianbaoError, ReadError
from .changes import Change, set_cells
from .files import read_capped
from .report import Report
from .schema import T3_APPLICANT_COLS, T3_RESULT_ROWS, t3

MAX_REGISTER_BYTES = 50 * 1024 * 1024
FINISHED, OPEN = "finished", "open"
STATUS_LABELS = {FINISHED: "已办结", OPEN: "结转下年度继续办理"}
ROLES = ("received", "applicant", "result", "status", "finished")
ROLE_LABELS = {"received": "收到日期", "applicant": "申请人类型", "result": "办理结果",
               "status": "办理状态（办结或结转）", "finished": "办结日期"}

# problem kinds; BLOCKING kinds leave the table incomplete
UNMAPPED, MISSING, BAD_DATE, OUT_OF_YEAR, CARRIED_IN = (
    "unmapped", "missing", "bad_date", "out_of_year", "carried_in")
BLOCKING = frozenset({UNMAPPED, MISSING, BAD_DATE})


class RegisterError(NianbaoError):
    """A register or a mapping file cannot be used (unreadable, wrong columns …)."""


# --------------------------------------------------------------------------
# Reading a register
# --------------------------------------------------------------------------

@dataclass
class Register:
    name: str
    headers: list[str]
    rows: list[dict[str, str]]          # header -> cell text (stripped), one per application
    line_numbers: list[int]             # the file's row number of each row (header = 1)

    def sample_values(self, limit: int = 200) -> dict[str, list[str]]:
        """Distinct non-blank values of each column, in first-seen order (at most ``limit``)."""
        out: dict[str, list[str]] = {h: [] for h in self.headers}
        seen: dict[str, set[str]] = {h: set() for h in self.headers}
        for row in self.rows:
            for h in self.headers:
                v = row.get(h, "")
                if v and v not in seen[h] and len(out[h]) < limit:
                    seen[h].add(v)
                    out[h].append(v)
        return out


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat(" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _table(name: str, rows: Iterable[list[str]]) -> Register:
    header: list[str] | None = None
    out: list[dict[str, str]] = []
    lines: list[int] = []
    for i, raw in enumerate(rows, start=1):
        cells = [_cell_text(c) for c in raw]
        if not any(cells):
            continue
        if header is None:
            header = [c.lstrip("\ufeff") for c in cells]
            while header and not header[-1]:
                header.pop()
            blanks = [j + 1 for j, h in enumerate(header) if not h]
            if blanks:
                raise RegisterError(f"“{name}”的表头第 {blanks[0]} 列没有列名，请给每一列起一个名称。")
            dup = sorted({h for h in header if header.count(h) > 1})
            if dup:
                raise RegisterError(f"“{name}”的表头有重复的列名：{'、'.join(dup)}，请改为不同的名称。")
            continue
        out.append({h: (cells[j] if j < len(cells) else "") for j, h in enumerate(header)})
        lines.append(i)
    if header is None:
        raise RegisterError(f"“{name}”是空的，没有表头和申请记录。")
    return Register(name, header, out, lines)


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise RegisterError(f"“{name}”的文字编码无法识别（不是 UTF-8，也不是 GBK），"
                            "请在 Excel 或 WPS 中另存为“CSV UTF-8”后再导入。") from None


def read_csv_text(text: str, name: str = "登记簿") -> Register:
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as e:
        raise RegisterError(f"“{name}”不是有效的 CSV 文件：{e}。") from None
    return _table(name, rows)


def read_register(path: str | os.PathLike) -> Register:
    """Read a CSV or XLSX register; raises :class:`RegisterError` in Chinese."""
    p = Path(path)
    data = read_capped(p, MAX_REGISTER_BYTES, "登记簿文件", RegisterError)
    if data[:2] == b"PK" or p.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(data, p.name)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise RegisterError(f"“{p.name}”是旧版 Excel（.xls）文件，"
                            "请在 Excel 或 WPS 中另存为 .xlsx 或 CSV 后再导入。")
    return read_csv_text(_decode(data, p.name), p.name)


def _read_xlsx(data: bytes, name: str) -> Register:
    """Through the importers' safe reader (zip checks, bounded parser), as any workbook."""
    from .importers.xlsx import read_xlsx_rows
    try:
        rows = read_xlsx_rows(data)
    except ReadError as e:
        raise RegisterError(f"“{name}”无法作为申请登记簿读取：{e}") from None
    return _table(name, rows)


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------

# parse_date (imported above from model.dates) reads every date a clerk or a spreadsheet writes


# --------------------------------------------------------------------------
# Mapping
# --------------------------------------------------------------------------

def norm(value: str) -> str:
    """Register values are compared width-folded, without spaces."""
    return "".join(unicodedata.normalize("NFKC", value or "").split())


@dataclass
class Mapping:
    columns: dict[str, str | None] = field(default_factory=lambda: dict.fromkeys(ROLES))
    applicant: dict[str, str] = field(default_factory=dict)   # value -> applicant column id
    result: dict[str, str] = field(default_factory=dict)      # value -> result row id
    status: dict[str, str] = field(default_factory=dict)      # value -> "finished" | "open"

    def column(self, role: str) -> str | None:
        return self.columns.get(role) or None

    def lookup(self, kind: str, value: str) -> str | None:
        table: dict[str, str] = getattr(self, kind)
        key = norm(value)
        for k, v in table.items():
            if norm(k) == key:
                return v
        return None

    def to_json(self) -> dict[str, Any]:
        return {"columns": {r: self.columns.get(r) for r in ROLES}, "applicant": dict(self.applicant),
                "result": dict(self.result), "status": dict(self.status)}

    @classmethod
    def from_json(cls, d: Any, name: str = "对应关系文件") -> Mapping:
        def bad(what: str) -> RegisterError:
            return RegisterError(f"{name}内容有误：{what}。")
        if not isinstance(d, dict):
            raise bad("应为 JSON 对象")
        cols = d.get("columns")
        if not isinstance(cols, dict):
            raise bad("缺少“columns”（各列对应哪一项）")
        m = cls()
        for role in ROLES:
            v = cols.get(role)
            if v is not None and not isinstance(v, str):
                raise bad(f"“columns.{role}”应为列名")
            m.columns[role] = v or None
        unknown = sorted(set(cols) - set(ROLES))
        if unknown:
            raise bad(f"“columns”中有不认识的项：{'、'.join(unknown)}（可用：{'、'.join(ROLES)}）")
        for role in ("received", "applicant"):
            if not m.columns[role]:
                raise bad(f"没有指定“{ROLE_LABELS[role]}”所在的列（columns.{role}）")
        if not m.columns["result"] and not m.columns["status"]:
            raise bad("“办理结果”和“办理状态”至少要指定一列")
        allowed = {"applicant": set(T3_APPLICANT_COLS), "result": set(T3_RESULT_ROWS),
                   "status": {FINISHED, OPEN}}
        for kind, ok in allowed.items():
            table = d.get(kind, {})
            if not isinstance(table, dict):
                raise bad(f"“{kind}”应为“登记簿中的值: 对应项”的对象")
            for k, v in table.items():
                if v not in ok:
                    raise bad(f"“{kind}”中“{k}”对应的“{v}”不是有效的项（可用：{'、'.join(sorted(ok))}）")
            setattr(m, kind, {str(k): v for k, v in table.items()})
        return m


def load_mapping(path: str | os.PathLike) -> Mapping:
    p = Path(path)
    data = read_capped(p, MAX_REGISTER_BYTES, "对应关系文件", RegisterError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RegisterError(f"对应关系文件“{p.name}”不是 UTF-8 文本。") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise RegisterError(f"对应关系文件“{p.name}”不是有效的 JSON"
                            f"（第 {e.lineno} 行第 {e.colno} 列）。") from None
    return Mapping.from_json(data, f"对应关系文件“{p.name}”")


def save_mapping(mapping: Mapping, path: str | os.PathLike) -> None:
    from .files import write_file
    write_file(Path(path), json.dumps(mapping.to_json(), ensure_ascii=False, indent=1) + "\n", RegisterError)


def check_columns(mapping: Mapping, register: Register) -> None:
    """Every mapped column exists in the register's header."""
    missing = [f"{ROLE_LABELS[r]}“{c}”" for r in ROLES if (c := mapping.column(r))
               and c not in register.headers]
    if missing:
        raise RegisterError(f"登记簿“{register.name}”中没有对应关系指定的列：{'、'.join(missing)}。"
                            f"登记簿的列有：{'、'.join(register.headers)}。")


# --------------------------------------------------------------------------
# Suggesting a mapping from the official labels
# --------------------------------------------------------------------------

COLUMN_KEYWORDS: dict[str, tuple[str, ...]] = {
    "finished": ("办结日期", "答复日期", "办结时间", "答复时间", "完成日期", "结案日期"),
    "received": ("收到日期", "收件日期", "受理日期", "申请日期", "登记日期", "收到时间", "申请时间",
                 "受理时间", "日期"),
    "applicant": ("申请人类型", "申请人类别", "申请人性质", "申请人身份", "申请主体", "主体类型",
                  "申请人"),
    "result": ("办理结果", "答复结果", "处理结果", "答复类型", "办理情况", "结果"),
    "status": ("办理状态", "是否办结", "办结情况", "状态", "结转"),
}

APPLICANT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "person": ("个人", "公民", "群众"),
    "business": ("企业", "公司"),
    "research": ("科研", "研究", "高校", "大学", "学院"),
    "nonprofit": ("公益", "协会", "基金会", "社会组织"),
    "legal": ("律师", "律所", "法律服务"),
    "other_org": ("其他组织", "其他"),
}

RESULT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "granted": ("全部公开", "同意公开"),
    "denied.secret": ("国家秘密", "涉密"),
    "denied.law": ("法律行政法规禁止", "法律法规禁止"),
    "denied.security": ("三安全一稳定",),
    "denied.third_party": ("第三方",),
    "denied.internal": ("内部事务",),
    "denied.process": ("过程性",),
    "denied.enforcement": ("执法案卷",),
    "denied.inquiry": ("行政查询",),
    "unable.not_held": ("不掌握", "信息不存在"),
    "unable.needs_creation": ("另行制作", "没有现成"),
    "unable.unclear": ("仍不明确", "内容不明确"),
    "rejected.complaint": ("信访", "举报", "投诉"),
    "rejected.duplicate": ("重复申请",),
    "rejected.publication": ("公开出版物", "出版物"),
    "rejected.excessive": ("大量反复",),
    "rejected.confirmation": ("确认或重新出具", "重新出具"),
    "other.no_correction": ("逾期不补正", "不补正"),
    "other.unpaid_fee": ("缴纳费用", "未缴费", "收费通知"),
}

STATUS_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (OPEN, ("未办结", "未完成", "办理中", "在办", "结转", "延期", "待")),
    (FINISHED, ("已办结", "办结", "已答复", "答复", "完成", "已处理", "结案")),
)


def _core(label: str) -> str:
    """An official label without its numbering and its parenthetical note."""
    return norm(schema.short_label(label))


def _unique(hits: set[str]) -> str | None:
    return next(iter(hits)) if len(hits) == 1 else None


def suggest_applicant(value: str) -> str | None:
    v = norm(value)
    exact = {c for c, label in schema.T3_COLUMNS if c != "total" and norm(label) == v}
    if exact:
        return _unique(exact)
    return _unique({c for c, kws in APPLICANT_KEYWORDS.items() if any(k in v for k in kws)})


def suggest_result(value: str) -> str | None:
    v = norm(value)
    rows = [schema.T3_ROW_BY_ID[r] for r in T3_RESULT_ROWS]
    exact = {r.id for r in rows if v in (norm(r.label), _core(r.label))}
    if exact:
        return _unique(exact)
    contains = {r.id for r in rows if len(v) >= 2 and (_core(r.label) in v or v in _core(r.label))}
    if contains:
        return _unique(contains)
    return _unique({r for r, kws in RESULT_KEYWORDS.items() if any(norm(k) in v for k in kws)})


def suggest_status(value: str) -> str | None:
    v = norm(value)
    for status, kws in STATUS_KEYWORDS:
        if any(k in v for k in kws):
            return status
    return None


def suggest_mapping(headers: list[str], sample_values: MappingABC[str, list[str]]) -> dict[str, Any]:
    """A mapping to start from (JSON shape of :meth:`Mapping.to_json`), plus ``unmatched``.

    Columns are found by keywords in the header; values by the official labels
    (exact, then by keyword).  A value that matches no item, or more than one,
    is left out and listed under ``unmatched`` for the clerk to decide.
    """
    columns: dict[str, str | None] = dict.fromkeys(ROLES)
    used: set[str] = set()
    for role in ("finished", "received", "applicant", "result", "status"):
        for kw in COLUMN_KEYWORDS[role]:
            hit = next((h for h in headers if h not in used and kw in norm(h)), None)
            if hit is not None:
                columns[role] = hit
                used.add(hit)
                break
    out: dict[str, Any] = {"columns": {r: columns[r] for r in ROLES}, "applicant": {}, "result": {},
                           "status": {}, "unmatched": {"applicant": [], "result": [], "status": []}}
    for kind, fn in (("applicant", suggest_applicant), ("result", suggest_result),
                     ("status", suggest_status)):
        col = columns[kind]
        if col is None:
            continue
        for value in sample_values.get(col, []):
            target = fn(value)
            if target is None:
                out["unmatched"][kind].append(value)
            else:
                out[kind][value] = target
    return out


# --------------------------------------------------------------------------
# Computing table 三
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    row: int | None          # the register's row number (header = 1); None for a whole-table note
    column: str              # the register's column name, or a cell label
    value: str
    kind: str                # unmapped | missing | bad_date | out_of_year | carried_in
    message: str             # Chinese

    @property
    def blocking(self) -> bool:
        return self.kind in BLOCKING

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "kind": self.kind,
                "message": self.message}


def compute_t3(register: Register, mapping: Mapping, year: int,
               baseline: Report | None = None) -> tuple[dict[str, int], list[Problem]]:
    """All 175 cells of table 三 from the register, and what could not be placed."""
    check_columns(mapping, register)
    values: dict[str, int] = {t3(r.id, c): 0 for r in schema.T3_ROWS for c, _ in schema.T3_COLUMNS}
    problems: list[Problem] = []
    register_carried_in = dict.fromkeys(T3_APPLICANT_COLS, 0)
    start, end = date(year, 1, 1), date(year, 12, 31)
    # both are required roles: check_columns has refused a mapping without them
    c_recv, c_app = mapping.column("received") or "", mapping.column("applicant") or ""
    c_res, c_stat, c_fin = mapping.column("result"), mapping.column("status"), mapping.column("finished")
    later = 0

    def problem(line: int, col: str | None, value: str, kind: str, msg: str) -> None:
        # ``col`` is None only on branches its role's column makes unreachable
        problems.append(Problem(line, col or "", value, kind, f"第 {line} 行“{col or ''}”{msg}"))

    for row, line in zip(register.rows, register.line_numbers, strict=True):
        received_text = row.get(c_recv, "")
        received = parse_date(received_text)
        if received is None:
            if received_text:
                problem(line, c_recv, received_text, BAD_DATE,
                        f"的“{received_text}”不是可识别的日期（例如 {year}-03-15），此行未计入。")
            else:
                problem(line, c_recv, "", MISSING, "为空，不知道何时收到，此行未计入。")
            continue
        if received > end:
            later += 1
            continue
        finished_on: date | None = None
        if c_fin:
            ft = row.get(c_fin, "")
            finished_on = parse_date(ft)
            if ft and finished_on is None:
                problem(line, c_fin, ft, BAD_DATE, f"的“{ft}”不是可识别的日期，按办理状态计。")
            if finished_on is not None and finished_on < start:
                continue        # finished in an earlier year: not this year's business
        app_text = row.get(c_app, "")
        col = mapping.lookup("applicant", app_text) if app_text else None
        if col is None:
            if app_text:
                problem(line, c_app, app_text, UNMAPPED,
                        f"的“{app_text}”没有对应到任何申请人类型，此行未计入，请在对应关系中补充。")
            else:
                problem(line, c_app, "", MISSING, "为空，不知道申请人类型，此行未计入。")
            continue
        if received < start:
            register_carried_in[col] += 1
        else:
            values[t3("new", col)] += 1

        # finished or open at the end of the year
        result_text = row.get(c_res, "") if c_res else ""
        status_text = row.get(c_stat, "") if c_stat else ""
        state: str | None
        if status_text:
            state = mapping.lookup("status", status_text)
            if state is None:
                problem(line, c_stat, status_text, UNMAPPED,
                        f"的“{status_text}”没有对应到“已办结”或“结转”，此行的办理结果未计入。")
                continue
        else:
            state = FINISHED if result_text else OPEN
        if finished_on is not None and finished_on > end:
            state = OPEN
        if state == OPEN:
            values[t3("carried_out", col)] += 1
            continue
        if not result_text:
            problem(line, c_res or ROLE_LABELS["result"], "", MISSING,
                    "为空，但此申请已办结，办理结果未计入。")
            continue
        result_row = mapping.lookup("result", result_text)
        if result_row is None:
            problem(line, c_res, result_text, UNMAPPED,
                    f"的“{result_text}”没有对应到任何办理结果，此行的办理结果未计入，请在对应关系中补充。")
            continue
        values[t3(result_row, col)] += 1

    if later:
        problems.append(Problem(None, c_recv, "", OUT_OF_YEAR,
                                f"有 {later} 件申请在 {year} 年 12 月 31 日以后收到，不计入 {year} 年度。"))
    if baseline is not None:
        for col in T3_APPLICANT_COLS:
            want = int(baseline.num(t3("carried_out", col)))
            values[t3("carried_in", col)] = want
            have = register_carried_in[col]
            if have != want:
                label = dict(schema.T3_COLUMNS)[col]
                problems.append(Problem(
                    None, label, str(have), CARRIED_IN,
                    f"{label}：登记簿中 {year} 年以前收到、本年仍在办理的申请 {have} 件，"
                    f"上年报告“{schema.T3_ROW_BY_ID['carried_out'].label}”为 {want} 件；"
                    "“上年结转”按上年报告填写，请核实登记簿。"))
    else:
        for col in T3_APPLICANT_COLS:
            values[t3("carried_in", col)] = register_carried_in[col]

    for col in T3_APPLICANT_COLS:
        values[t3("results_total", col)] = sum(values[t3(r, col)] for r in T3_RESULT_ROWS)
    for r in schema.T3_ROWS:
        values[t3(r.id, "total")] = sum(values[t3(r.id, c)] for c in T3_APPLICANT_COLS)
    return values, problems


def t3_change(report: Report, values: MappingABC[str, int], name: str) -> Change:
    """The change applying a register's table 三 to ``report``: the cells that differ, set as
    clean numbers (raw text cleared), totals as computed.  The window pushes it as one undo
    step; ``register --into`` applies the same change."""
    return set_cells(report, {cid: (v, None) for cid, v in values.items()},
                     f"从登记表“{name}”生成表三", recompute=False)


def apply_t3(report: Report, values: MappingABC[str, int], name: str = "登记簿") -> Change:
    """Put computed table 三 values into ``report`` (clearing any raw text there)."""
    change = t3_change(report, values, name)
    change.apply(report)
    return change


# --------------------------------------------------------------------------
# What the window's register dialog decides (the dialog only shows it)
# --------------------------------------------------------------------------

#: the roles a mapping must give a column before table 三 can be computed
REQUIRED_ROLES = ("received", "applicant")
#: the value kinds a mapping translates, with their Chinese titles
VALUE_KINDS = {"applicant": "申请人类型", "result": "办理结果", "status": "办理状态"}
SUGGEST = {"applicant": suggest_applicant, "result": suggest_result, "status": suggest_status}


def missing_roles(mapping: Mapping) -> list[str]:
    """The Chinese names of what the mapping still lacks (empty: table 三 can be computed)."""
    missing = [ROLE_LABELS[r] for r in REQUIRED_ROLES if not mapping.column(r)]
    if not mapping.column("result") and not mapping.column("status"):
        missing.append(f"{ROLE_LABELS['result']}或{ROLE_LABELS['status']}")
    return missing


def value_counts(register: Register) -> dict[str, dict[str, int]]:
    """header → {distinct non-blank value → how many rows hold it}, in first-seen order."""
    out: dict[str, dict[str, int]] = {}
    for h in register.headers:
        c: dict[str, int] = {}
        for row in register.rows:
            v = row.get(h, "")
            if v:
                c[v] = c.get(v, 0) + 1
        out[h] = c
    return out


def merge_mapping(remembered: Mapping | None, suggested: MappingABC[str, Any]) -> Mapping:
    """The mapping to start from: a remembered one's columns (else the suggested columns), and
    for each value kind the suggested values overridden by the remembered ones."""
    m = Mapping()
    m.columns = dict(remembered.columns) if remembered is not None else dict(suggested["columns"])
    for kind in VALUE_KINDS:
        table = dict(suggested[kind])
        if remembered is not None:
            table.update(getattr(remembered, kind))
        setattr(m, kind, table)
    return m


def suggest_new_values(mapping: Mapping, kind: str, values: Iterable[str], seen: set[str]) -> None:
    """Give each value not ``seen`` before, and not mapped, its suggestion (once: ``seen`` grows)."""
    table: dict[str, str] = getattr(mapping, kind)
    for v in values:
        if v not in seen:
            seen.add(v)
            if mapping.lookup(kind, v) is None:
                target = SUGGEST[kind](v)
                if target is not None:
                    table[v] = target


def set_value_target(mapping: Mapping, kind: str, value: str, target: str | None) -> None:
    """Map ``value`` (compared width-folded, without spaces) to ``target``; None unmaps it."""
    table: dict[str, str] = getattr(mapping, kind)
    for k in [k for k in table if norm(k) == norm(value)]:
        del table[k]
    if target is not None:
        table[value] = target


def unmapped_values(mapping: Mapping, counts: MappingABC[str, MappingABC[str, int]], kind: str) -> list[str]:
    col = mapping.column(kind)
    if not col:
        return []
    return [v for v in counts.get(col, {}) if mapping.lookup(kind, v) is None]


def missing_columns(mapping: Mapping, headers: list[str]) -> list[str]:
    """The columns a (loaded) mapping names that the register does not have."""
    return [c for r in ROLES if (c := mapping.column(r)) and c not in headers]


def result_label(row_id: str) -> str:
    """``（三）不予公开·1.属于国家秘密``."""
    r = schema.T3_ROW_BY_ID[row_id]
    return f"{r.group}·{r.label}" if r.group else r.label


def value_choices(kind: str) -> list[tuple[str, str]]:
    """(target, Chinese label) a value of ``kind`` can be mapped to."""
    if kind == "applicant":
        labels = dict(schema.T3_COLUMNS)
        return [(c, labels[c] if c == "person" else f"{schema.T3_ORGS}·{labels[c]}")
                for c in T3_APPLICANT_COLS]
    if kind == "result":
        return [(r, result_label(r)) for r in T3_RESULT_ROWS]
    return [(FINISHED, STATUS_LABELS[FINISHED]), (OPEN, STATUS_LABELS[OPEN])]


def summary(values: MappingABC[str, int], year: int, current: MappingABC[str, object]) -> str:
    """``2025 年：新收申请 … 件，…；应用后表三有 N 个单元格会改变。``"""
    changed = sum(1 for c, x in values.items() if current.get(c) != x)
    figures = schema.figures_sentence(lambda c: values[c], ("new", "carried_in", "results", "carried_out"))
    return f"{year} 年：{figures}；应用后表三有 {changed} 个单元格会改变。"
