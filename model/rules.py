"""The checker: every rule of DOMAIN.md §4 that one report (and its baseline) allows.

``check(report)`` runs the full pass and returns :class:`Finding` items in a
stable order: title and meta first, then sections and tables in document order
(cells in schema order, text findings by their place in the text), then rule id.
It is cheap enough to run after every keystroke: table rules are a few hundred
additions over lists precomputed at import time, and every text-derived result
comes from the cached pure functions of :mod:`model.narrative`.

Labels in messages always come from :mod:`model.schema`.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from functools import lru_cache

import copy

from . import baseline as bl
from . import fields
from . import narrative as nv
from . import schema
from .findings import Finding, Severity
from .dates import format_cn
from .numbers import decimal_places, format_value
from .report import Report, Structure
from .schema import CELLS, CELL_IDS, FEE_ID, SECTION_BY_ID, SECTIONS, TEXT_SECTIONS, Level

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class RuleInfo:
    """One rule, declared once: the checker, the CLI's ``check --rules`` and 帮助 → 填报说明 read it."""

    id: str
    title: str                            # short Chinese title
    severities: tuple[Severity, ...]      # the severities its findings can have
    help: str                             # Chinese: what it checks and why

    @property
    def severity_label(self) -> str:
        return " / ".join(s.label for s in self.severities)


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO
RULES: dict[str, RuleInfo] = {r.id: r for r in (
    RuleInfo("C1", "数值须为非负整数", (_E,),
             "表格中的件数、项数都应是不小于 0 的整数；写成文字、小数或负数的单元格无法计入合计。"),
    RuleInfo("C2", "收费金额格式与量级", (_E, _I),
             "“本年收费金额（单位：万元）”应为不小于 0、最多 4 位小数的数；金额达到 1 亿元（10000 万元）"
             "或以上时提示核实是否误按“元”填写。"),
    RuleInfo("C3", "空白单元格按 0 计", (_W,),
             "应填数字处为空白、“/”或“—”时按 0 计算，请填写 0，以免读者误以为漏填。"),
    RuleInfo("T3-1", "表三各行总计", (_E,),
             "表三每一行的“总计”应等于自然人与各类法人或其他组织六列之和。"),
    RuleInfo("T3-2", "表三（七）总计", (_E,),
             "每一列的“（七）总计”应等于（一）至（六）各项办理结果之和；每件申请只计一个办理结果。"),
    RuleInfo("T3-3", "表三勾稽关系", (_E,),
             "表三每一列：“一、本年新收”加“二、上年结转”，应等于“（七）总计”加“四、结转下年度继续办理”"
             "（国办格式注明的勾稽关系）。"),
    RuleInfo("T3-4", "逾期未缴费须说明信息处理费", (_W,),
             "表三有“申请人逾期未按收费通知要求缴纳费用”的件数时，第六部分应说明信息处理费的收取或"
             "收费通知情况（国办函〔2020〕109号）。"),
    RuleInfo("T3-5", "“其他”处理占比过高", (_I,),
             "“（六）其他处理·3.其他”超过办理结果总数的 30% 时，请核实能否归入具体情形，或在正文中说明。"),
    RuleInfo("T4-1", "表四各组总计", (_E,),
             "行政复议、未经复议直接起诉、复议后起诉三组，每组“总计”应等于结果维持、结果纠正、"
             "其他结果、尚未审结之和。"),
    RuleInfo("T2-1", "无规章制定权却填有规章", (_W,),
             "县级及以下机关（及其部门）没有规章制定权，表二“规章 本年制发件数”一般应为 0。"),
    RuleInfo("X0", "上年报告的年度与机关", (_W,),
             "作为上年基线的应是本机关上一年度的报告：年度不是本年 − 1 时予以指出，未经确认不按其填入"
             "“上年结转”；机关不同时也予以指出。"),
    RuleInfo("X1", "上年结转与上年报告不符", (_E, _W),
             "本年“二、上年结转”每一列应等于上年报告“四、结转下年度继续办理”；上年报告是本机关的 2021 "
             "年格式报告时为错误，否则为警告。"),
    RuleInfo("X2", "现行有效件数与上年不衔接", (_W,),
             "规章、行政规范性文件的“现行有效件数”应等于上年现行有效件数加本年制发、减本年废止。"),
    RuleInfo("X3", "上年尚未审结的复议诉讼", (_I,),
             "上年报告有“尚未审结”的行政复议或诉讼时，提醒核实其本年审结结果已计入本年表四。"),
    RuleInfo("X4", "关键数据变化异常", (_I,),
             "新收申请、予以公开、办理结果总计、行政复议、行政诉讼等主要数字与上年相比变化超过 5 倍时，"
             "提示核实（数字较小时不提示）。"),
    RuleInfo("X5", "正文与上年雷同", (_W,),
             "正文某一部分与上年报告高度相似，或仍写着上一年的年份时提示：国办要求避免年度报告内容雷同。"),
    RuleInfo("N1", "正文申请件数与表三不符", (_W,),
             "正文中收到、受理、办理申请的件数，应与表三的本年新收、新收加上年结转或办理结果总计之一相符。"),
    RuleInfo("N2", "正文是否收到申请与表三不符", (_W,),
             "正文说未收到申请而表三有新收申请，或反之。"),
    RuleInfo("N3", "正文复议诉讼件数与表四不符", (_W,),
             "正文中行政复议、行政诉讼的件数（或“未发生”）应与表四的总计相符。"),
    RuleInfo("N4", "正文规范性文件件数与表二不符", (_W,),
             "正文中制发行政规范性文件的件数应与表二“行政规范性文件 本年制发件数”相符。"),
    RuleInfo("N5", "收费情况未在第六部分说明", (_W,),
             "表二有行政事业性收费金额，或正文说收取了信息处理费时，第六部分应予说明。"),
    RuleInfo("S1", "标题、机关名称与年度", (_E, _W),
             "应有标题“{机关名称}YYYY年政府信息公开工作年度报告”，并填写机关名称和报告年度；"
             "标题和正文中的年度应与报告年度一致。"),
    RuleInfo("S2", "六个一级标题", (_E,),
             "正文应依次有且只有国办格式规定的六个一级标题，不缺、不重复、不颠倒。"),
    RuleInfo("S3", "段内小标题编号", (_W,),
             "各部分内的小标题应使用（一）（二）……编号，不要使用与一级标题相同的“一、二、”。"),
    RuleInfo("S4", "总体情况应涵盖的方面", (_W,),
             "“一、总体情况”应写明主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障"
             "五个方面，每个小标题下都要有内容。"),
    RuleInfo("S5", "存在的主要问题及改进情况", (_W,),
             "“五、存在的主要问题及改进情况”不能为空或只写“无”，应写明问题和改进措施，小标题下要有内容。"),
    RuleInfo("S6", "其他需要报告的事项", (_W,),
             "“六、其他需要报告的事项”不能为空或只写“无”，并应说明信息处理费的收取情况。"),
    RuleInfo("S7", "表格标签与规定文字不一致", (_I,),
             "导入的报告中表格标签与国办格式的规定文字不同；已按规定文字识别，导出时一律使用规定文字。"),
    RuleInfo("S8", "发布日期超过法定期限", (_W,),
             "条例第四十九条：政府部门等应于每年 1 月 31 日前、本级人民政府应于 3 月 31 日前"
             "公布上一年度报告。"),
)}
_RULE_INDEX = {rid: i for i, rid in enumerate(RULES)}

# ---- positions for ordering ------------------------------------------------
_SECTION_INDEX: dict[str, int] = {"title": 0, "meta": 1}
for _i, _s in enumerate(SECTIONS):
    _SECTION_INDEX[_s.id] = 2 + _i
_CELL_INDEX = {cid: i for i, cid in enumerate(CELL_IDS)}
_CELL_SECTION = {cid: schema.TABLES[d.table].section for cid, d in CELLS.items()}

# ---- precomputed per-schema lists -----------------------------------------
_T3 = schema.t3
_T3_COLS = tuple(c for c, _ in schema.T3_COLUMNS)
_T3_ROW_TOTALS = tuple((_T3(r.id, "total"), CELLS[_T3(r.id, "total")].components)
                       for r in schema.T3_ROWS)
# the total column's cell (（七）总计 总计) is stored with its row components; its column
# sum over the result rows is checked here as well
_T3_COL_TOTALS = tuple((_T3("results_total", c), tuple(_T3(rid, c) for rid in schema.T3_RESULT_ROWS))
                       for c in _T3_COLS)
_T3_BALANCE = tuple((c, _T3("new", c), _T3("carried_in", c), _T3("results_total", c),
                     _T3("carried_out", c)) for c in _T3_COLS)
_T4_TOTALS = tuple((schema.t4(g, "total"), CELLS[schema.t4(g, "total")].components)
                   for g, _ in schema.T4_GROUPS)
_FIRST_APPLICANT = CELLS[_T3("new", schema.T3_APPLICANT_COLS[0])].col_label
_LAST_APPLICANT = CELLS[_T3("new", schema.T3_APPLICANT_COLS[-1])].col_label
_APPLICANT_SUM = (f"{_FIRST_APPLICANT}至{_LAST_APPLICANT}"
                  f"{'〇一二三四五六七八九'[len(schema.T3_APPLICANT_COLS)]}列之和")
_T4_PART_LABELS = "、".join(CELLS[c].col_label for c in _T4_TOTALS[0][1])
_SUIT_TOTALS = schema.FIGURES["suits"].cells

# every label printed in a table → the section of that table (for S7)
_LABEL_SECTION: dict[str, str] = {}
for _t in schema.TABLES.values():
    for _g in _t.grid:
        if _g.text:
            _LABEL_SECTION.setdefault(nv.compact(_g.text), _t.section)
for _d in CELLS.values():
    _sec = schema.TABLES[_d.table].section
    _LABEL_SECTION.setdefault(nv.compact(_d.row_label), _sec)
    _LABEL_SECTION.setdefault(nv.compact(_d.col_label), _sec)


def _label(cid: str) -> str:
    return CELLS[cid].label


def _fmt(v) -> str:
    return format_value(v)


def _heading(section_id: str) -> str:
    return SECTION_BY_ID[section_id].heading


class _Out:
    """Collects findings with their sort keys."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[tuple[tuple, Finding]] = []

    def add(self, rule: str, sev: Severity, msg: str, cells: tuple[str, ...] = (),
            section: str | None = None, offset: int | None = None, *, field: str | None = None,
            difference: int | None = None) -> None:
        if section is None:
            section = _CELL_SECTION[cells[0]] if cells else "meta"
        sec = section
        in_table = cells and _CELL_SECTION.get(cells[0]) == sec
        cell_pos = _CELL_INDEX[cells[0]] if in_table else -1
        key = (_SECTION_INDEX.get(sec, 99), cell_pos, offset or 0, _RULE_INDEX[rule], len(self.items))
        self.items.append((key, Finding(rule, sev, msg, tuple(cells), section, field, difference)))

    def sorted(self) -> list[Finding]:
        self.items.sort(key=lambda kv: kv[0])
        return [f for _, f in self.items]


# ==========================================================================
# Public API
# ==========================================================================

def _published_view(report: Report) -> Report:
    """The report as it is published: bound fields (model.fields) resolved to figures.

    Only copies when a section holds a field, so the usual pass costs nothing.
    """
    base = report.baseline
    if base is not None and any(fields.has_fields(t) for t in base.sections.values()):
        base = copy.copy(base)
        base.sections = fields.resolved_sections(base)
    if base is report.baseline and not any(fields.has_fields(t) for t in report.sections.values()):
        return report
    view = copy.copy(report)
    view.sections = fields.resolved_sections(report)
    view.baseline = base
    return view


def check(report: Report) -> list[Finding]:
    """The full pass over one report (and its baseline when set)."""
    report = _published_view(report)
    out = _Out()
    _meta_rules(report, out)
    if report.structure is not None:
        _structure_rules(report, out)
    _cell_rules(report, out)
    _table_rules(report, out)
    _text_rules(report, out)
    _number_rules(report, out)
    if report.baseline is not None:
        _baseline_rules(report, out)
    return out.sorted()


def publish_blockers(report: Report) -> list[Finding]:
    """The error-level findings: a report with any of these is not publish-ready.

    Besides the errors of :func:`check`, a blank number cell blocks publishing: the
    checker reads it as 0 (C3, a warning while editing), but a published table never
    shows an empty cell.  The clerk accepts the 0 by filling it in (or types the true
    figure); a forced draft prints the remaining blanks as 0.
    """
    out = _Out()
    flagged: set[str] = set()
    for f in check(report):
        if f.severity is Severity.ERROR:
            out.items.append(((len(out.items),), f))
            if f.rule == "C1":
                flagged.update(f.cells)
    blanks: dict[str, list[str]] = {}
    for cid in CELL_IDS:
        if report.values.get(cid) is None and cid not in flagged:
            blanks.setdefault(CELLS[cid].table, []).append(cid)
    for table, ids in blanks.items():
        sec = schema.TABLES[table].section
        out.add("C3", ERROR, f"“{_heading(sec)}”表中有 {len(ids)} 个空白单元格，发布的表格不能留空："
                f"确为 0 的请填写 0，否则请填写实际数字：{_names(ids)}", tuple(ids))
    return [f for _, f in out.items]


def section_checklist(section_id: str, text: str, level: Level | None = None) -> list[tuple[str, bool]]:
    """(Chinese label, covered?) for the aspects a text section should cover.

    The same keyword logic as S4/S5/S6.  ``level`` = :attr:`Level.GOVERNMENT` adds
    工作考核、社会评议和责任追究 to ``overview``.
    """
    return [(label, ok) for _, label, ok, _ in nv.checklist_items(section_id, text, level)]


def text_number_mismatches(report: Report, section_id: str) -> list[tuple[int, int, str]]:
    """(start, end, message) spans in a section's text whose numbers contradict the
    tables (rules N1–N4), for highlighting."""
    return [(s, e, msg) for s, e, _, msg, _ in _number_mismatches(_published_view(report), section_id)]


# ==========================================================================
# Meta and structure: S1, S2, S7, S8
# ==========================================================================

def _meta_rules(r: Report, out: _Out) -> None:
    if not (r.agency or "").strip():
        out.add("S1", ERROR, "未填写机关名称，请在基本信息中填写", section="meta", field="agency")
    if r.year is None:
        out.add("S1", ERROR, "未填写报告年度，请在基本信息中填写", section="meta", field="year")
    else:
        counts: dict[int, int] = {}
        for sid in TEXT_SECTIONS:
            for y, n in nv.year_counts(r.sections.get(sid, "") or ""):
                counts[y] = counts.get(y, 0) + n
        if counts:
            top, n_top = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            own = counts.get(r.year, 0)
            if top != r.year and n_top >= 2 and n_top > own:
                out.add("S1", WARNING,
                        f"报告年度为 {r.year} 年，但正文多次写的是 {top} 年（{n_top} 处，"
                        f"{r.year} 年只有 {own} 处），请核实年度或正文是否沿用了其他年份的内容",
                        section="meta", field="year")
    if r.publish_date is not None:
        deadline = r.deadline()
        if deadline is not None and r.publish_date > deadline:
            who = "本级人民政府" if r.level is Level.GOVERNMENT else "政府部门等"
            out.add("S8", WARNING,
                    f"发布日期 {_date(r.publish_date)} 晚于法定期限 {_date(deadline)}"
                    f"（条例第四十九条：{who}应于 {_date(deadline)} 前公布上一年度报告）",
                    section="meta", field="publish_date")


_date = format_cn


_OFFICIAL_TITLE_FORM = f"{{机关名称}}YYYY{schema.TITLE_SUFFIX}"


def _structure_rules(r: Report, out: _Out) -> None:
    st = r.structure
    assert st is not None
    # ---- S1: the title line
    if st.title_line is None or not st.title_line.strip():
        out.add("S1", ERROR, f"未找到报告标题（应为“{_OFFICIAL_TITLE_FORM}”），"
                "机关名称和年度无法从标题识别，请在基本信息中填写", section="title")
    else:
        title = st.title_line.strip()
        parsed = nv.parse_title(title)
        want = r.title if (r.agency and r.year is not None) else _OFFICIAL_TITLE_FORM
        if parsed is None:
            out.add("S1", WARNING, f"标题“{title}”不是规定格式，应为“{want}”", section="title")
        ty = parsed[1] if parsed else nv.title_year(title)
        if ty is not None and r.year is not None and ty != r.year:
            out.add("S1", WARNING, f"标题中的年度为 {ty} 年，与报告年度 {r.year} 年不一致",
                    section="title", field="year")
    # ---- S2: the six headings
    _headings_rule(r, st, out)
    # ---- S7: label variants found on import
    for found, official in st.label_variants:
        sec = _LABEL_SECTION.get(nv.compact(official))
        out.add("S7", INFO, f"表格标签“{found}”与规定文字“{official}”不一致，已按规定文字识别，"
                "导出时使用规定文字", section=sec)




def _numeral(h: str) -> str:
    k = nv.heading_key(h)
    i = k.find("、")
    return k[:i] if 0 < i <= 3 else ""


HEADING_SIMILARITY = 0.85


@lru_cache(maxsize=128)
def _unnumbered_heading(key: str) -> str | None:
    """The section whose official heading this is, but for its numeral (``总体情况``)."""
    if _numeral(key):
        return None
    for s in SECTIONS:
        official = nv.heading_key(s.heading)
        if official.endswith(key) and official[:-len(key)].rstrip("、") == _numeral(official):
            return s.id
    return None


@lru_cache(maxsize=128)
def _variant_heading(key: str) -> str | None:
    """The section a heading stands for when its wording differs from the official one:
    the same numeral and ≥ 85 % alike, or the 2019 heading (read as a variant in a 2021
    report); None otherwise."""
    num = _numeral(key)
    if not num:
        return None
    core = key[len(num) + 1:]
    for s in SECTIONS:
        if s.number != num:
            continue
        if key == nv.heading_key(schema.HEADINGS_2019.get(s.id, "")):
            return s.id
        official = nv.heading_key(s.heading)[len(num) + 1:]
        if SequenceMatcher(None, core, official, autojunk=False).ratio() >= HEADING_SIMILARITY:
            return s.id
    return None


def _headings_rule(r: Report, st: Structure, out: _Out) -> None:
    expected: dict[str, str] = {}     # heading key -> section id
    for s in SECTIONS:
        expected[nv.heading_key(s.heading)] = s.id
    if r.format == schema.FORMAT_2019:
        for sid_2019, h in schema.HEADINGS_2019.items():
            expected[nv.heading_key(h)] = sid_2019
    found: list[str] = []             # section ids in document order
    unknown: list[tuple[str, str]] = []   # (heading, section it stands in: the one before it)
    last = "title"
    for h in st.headings:
        key = nv.heading_key(h)
        sid: str | None = expected.get(key)
        if sid is None:
            sid = _unnumbered_heading(key)
            if sid is not None:
                out.add("S2", WARNING, f"一级标题“{h.strip()}”缺少序号，应为“{_heading(sid)}”",
                        section=sid)
        if sid is None:
            sid = _variant_heading(key)
            if sid is not None:
                out.add("S2", WARNING, f"一级标题“{h.strip()}”与规定文字“{_heading(sid)}”不一致，"
                        "应使用规定的标题", section=sid)
        if sid is None:
            unknown.append((h.strip(), last))
        else:
            found.append(sid)
            last = sid
    seen_numerals = {SECTION_BY_ID[sid].number for sid in found}
    counts: dict[str, int] = {}
    for sid in found:
        counts[sid] = counts.get(sid, 0) + 1
    for s in SECTIONS:
        n = counts.get(s.id, 0)
        if n > 1:
            out.add("S2", ERROR, f"一级标题“{s.heading}”出现了 {n} 次，应只出现一次", section=s.id)
        elif n == 0:
            alike = [u for u, _ in unknown if _numeral(u) == s.number]
            extra = f"，找到的是“{alike[0]}”" if alike else ""
            out.add("S2", ERROR, f"缺少一级标题“{s.heading}”{extra}", section=s.id)
    # unknown headings: a numeral already used by an official heading is a sub-head (S3's
    # business); one standing in for a missing heading was named above
    missing_numerals = {s.number for s in SECTIONS if counts.get(s.id, 0) == 0}
    for u, where in unknown:
        num = _numeral(u)
        if num in seen_numerals or num in missing_numerals:
            continue
        out.add("S2", ERROR, f"多出一级标题“{u}”，报告只应有规定的六个一级标题", section=where)
    # order of first occurrences
    firsts: list[str] = []
    for sid in found:
        if sid not in firsts:
            firsts.append(sid)
    best = -1
    for sid in firsts:
        i = _SECTION_INDEX[sid]
        if i < best:
            after = next(x for x in firsts if _SECTION_INDEX[x] == best)
            out.add("S2", ERROR, f"一级标题“{_heading(sid)}”应在“{_heading(after)}”之前",
                    section=sid)
        else:
            best = i


# ==========================================================================
# Cells: C1, C2, C3
# ==========================================================================

def _cell_rules(r: Report, out: _Out) -> None:
    values = r.values
    raw = r.raw
    bad_raw: set[str] = set()
    for cid, text in raw.items():
        d = CELLS.get(cid)
        if d is None:
            continue
        p = d.parse(text)
        if p.error:
            bad_raw.add(cid)
            out.add("C1", ERROR, f"{d.label}：{p.error}", (cid,))
    blanks: dict[str, list[str]] = {}
    for cid in CELL_IDS:
        v = values.get(cid)
        if v is None:
            if cid not in bad_raw:
                blanks.setdefault(CELLS[cid].table, []).append(cid)
            continue
        if v < 0:
            if cid not in bad_raw:
                what = "收费金额" if cid == FEE_ID else "件数"
                out.add("C1", ERROR, f"{_label(cid)} 为 {_fmt(v)}，{what}不能为负数，应为 0 或正数",
                        (cid,))
        elif cid != FEE_ID and not isinstance(v, int) and v != int(v):
            out.add("C1", ERROR, f"{_label(cid)} 为 {_fmt(v)}，件数必须是整数", (cid,))
    fee = values.get(FEE_ID)
    if fee is not None and fee >= 0:
        dfee = fee if isinstance(fee, Decimal) else Decimal(str(fee))
        if decimal_places(dfee) > 4:
            out.add("C2", ERROR, f"{_label(FEE_ID)} 为 {_fmt(dfee)}，最多保留 4 位小数，"
                    f"应为 {_fmt(dfee.quantize(Decimal('0.0001')))}", (FEE_ID,))
        if dfee >= 10000:
            out.add("C2", INFO, f"{_label(FEE_ID)} 为 {_fmt(dfee)} 万元（1 亿元以上），可能误按元填写；"
                    f"如原数以元计，应填 {_fmt((dfee / 10000).quantize(Decimal('0.0001')).normalize())}",
                    (FEE_ID,))
    unread = set(r.structure.unplaced) if r.structure is not None else set()
    for table, ids in blanks.items():
        sec = schema.TABLES[table].section
        missing = [c for c in ids if c in unread]
        blank = [c for c in ids if c not in unread]
        if missing:
            out.add("C3", WARNING, f"“{_heading(sec)}”表中有 {len(missing)} 个单元格导入时未能从原文读出数字"
                    f"（见读取说明），已按 0 计，请对照原报告填写：{_names(missing)}", tuple(missing))
        if blank:
            out.add("C3", WARNING, f"“{_heading(sec)}”表中有空白或“/”“—”的单元格，已按 0 计，"
                    f"如确为 0 请填写 0：{_names(blank)}", tuple(blank))


def _names(ids: list[str]) -> str:
    names = "、".join(_label(c) for c in ids[:5])
    return names + (f"等 {len(ids)} 处" if len(ids) > 5 else "")


# ==========================================================================
# Tables: T3-1 … T3-5, T4-1, T2-1
# ==========================================================================

def _table_rules(r: Report, out: _Out) -> None:
    v = r.values

    def n(cid):
        x = v[cid]
        return 0 if x is None else x

    for tot, comps in _T3_ROW_TOTALS:
        want = sum(n(c) for c in comps)
        have = n(tot)
        if have != want:
            out.add("T3-1", ERROR, f"{_label(tot)}应为 {_fmt(want)}（{_APPLICANT_SUM}），现为 {_fmt(have)}",
                    (tot,) + comps)
    for tot, comps in _T3_COL_TOTALS:
        want = sum(n(c) for c in comps)
        have = n(tot)
        if have != want:
            out.add("T3-2", ERROR, f"{CELLS[tot].row_label} {CELLS[tot].col_label}列应为 {_fmt(want)}"
                    f"（各分项之和），现为 {_fmt(have)}", (tot,) + comps)
    for _col, c_new, c_in, c_res, c_out in _T3_BALANCE:
        left = n(c_new) + n(c_in)
        right = n(c_res) + n(c_out)
        if left != right:
            d_new, d_in, d_res, d_out = CELLS[c_new], CELLS[c_in], CELLS[c_res], CELLS[c_out]
            need_out = left - n(c_res)
            if need_out >= 0:
                fix = f"若办理结果无误，“{d_out.row_label}”应为 {need_out}（现为 {n(c_out)}）"
            else:
                fix = f"办理结果比收到和结转的申请还多 {-need_out} 件，请核对办理结果和收到的申请数"
            out.add("T3-3", ERROR,
                    f"{d_new.col_label}列勾稽关系不平：“{d_new.row_label}”{n(c_new)} ＋ “{d_in.row_label}”"
                    f"{n(c_in)} ＝ {left}，“{d_res.row_label}”{n(c_res)} ＋ “{d_out.row_label}”"
                    f"{n(c_out)} ＝ {right}，相差 {abs(left - right)}；{fix}",
                    (c_new, c_in, c_res, c_out), difference=int(left - right))
    # T3-4
    unpaid = _T3("other.unpaid_fee", "total")
    if n(unpaid) > 0 and not nv.mentions_fee_notice(r.sections.get("other", "") or ""):
        out.add("T3-4", WARNING, f"表三“{CELLS[unpaid].row_label}”有 {n(unpaid)} 件，"
                f"但“{_heading('other')}”未说明信息处理费或收费通知情况，请补充", (unpaid,))
    # T3-5
    other = _T3("other.other", "total")
    res_tot = _T3("results_total", "total")
    if n(res_tot) > 0 and n(other) * 10 > n(res_tot) * 3:
        d = CELLS[other]
        out.add("T3-5", INFO, f"“{schema.T3_ROW_BY_ID[d.row].group} {d.row_label}”有 {n(other)} 件，"
                f"占“{CELLS[res_tot].row_label}”{n(res_tot)} 件的 "
                f"{round(n(other) * 100 / n(res_tot))}%（超过 30%），请核实能否归入具体情形，"
                "或在正文中说明", (other,))
    # T4-1
    for tot, comps in _T4_TOTALS:
        want = sum(n(c) for c in comps)
        have = n(tot)
        if have != want:
            out.add("T4-1", ERROR, f"{_label(tot)}应为 {want}（{_T4_PART_LABELS}之和），现为 {have}",
                    (tot,) + comps)
    # T2-1
    reg = "t2.regulation.issued"
    if n(reg) > 0 and (r.tier.has_rulemaking_power is False or r.level is Level.TOWNSHIP):
        who = r.level.label if r.level is Level.TOWNSHIP else r.tier.label
        out.add("T2-1", WARNING, f"{_label(reg)} 为 {n(reg)}，但{who}机关没有规章制定权"
                "（规章只能由省级和设区的市级人民政府制定），请核实是否应填入“"
                f"{CELLS['t2.normative.issued'].row_label}”", (reg,))


# ==========================================================================
# Text sections: S3, S4, S5, S6
# ==========================================================================

def _text_rules(r: Report, out: _Out) -> None:
    secs = r.sections
    # S3
    for sid in TEXT_SECTIONS:
        text = secs.get(sid, "") or ""
        heads = [(h.line, h.suggestion, h.start) for h in nv.chinese_subheads(text)]
        if r.structure is not None:
            known = {nv.compact(h[0]) for h in heads}
            for line in r.structure.subheads.get(sid, ()):
                sug = nv.subhead_suggestion(line)
                if sug and nv.compact(line) not in known:
                    heads.append((line.strip(), sug, 0))
                    known.add(nv.compact(line))
        if heads:
            listed = "；".join(f"“{a}”→“{b}”" for a, b, _ in heads)
            out.add("S3", WARNING, f"“{_heading(sid)}”中的小标题应使用（一）（二）…编号，"
                    f"不用一、二、（一、二、是一级标题的编号）：{listed}", section=sid,
                    offset=min(h[2] for h in heads))
    # S4
    ov = secs.get("overview", "") or ""
    if nv.is_bare_none(ov):
        out.add("S4", WARNING, f"“{_heading('overview')}”{nv.emptiness(ov) or '为空'}，应叙述主动公开、"
                "依申请公开、政府信息管理、政府信息公开平台建设、监督保障等情况", section="overview")
    else:
        items = nv.checklist_items("overview", ov, r.level)
        missing = [label for key, label, ok, _ in items if not ok and key != "government"]
        if missing:
            out.add("S4", WARNING, f"“{_heading('overview')}”未写到：{'、'.join(missing)}"
                    "（应分别叙述这几个方面的情况）", section="overview")
        if any(key == "government" and not ok for key, _, ok, _ in items):
            parts = "、".join(nv.missing_government_parts(ov))
            out.add("S4", WARNING, f"本级人民政府的“{_heading('overview')}”还应说明"
                    f"{nv.GOVERNMENT_ASPECT_LABEL}结果情况，未写到：{parts}", section="overview")
    # S5
    pr = secs.get("problems", "") or ""
    if nv.is_bare_none(pr):
        out.add("S5", WARNING, f"“{_heading('problems')}”{nv.emptiness(pr) or '为空或只写“无”'}，"
                "应写明存在的主要问题和改进措施", section="problems")
    else:
        for key, label, ok, _sev in nv.checklist_items("problems", pr):
            if ok:
                continue
            if key == "rectification":
                out.add("S5", INFO, f"“{_heading('problems')}”未说明{label}"
                        "（审阅时通常要求说明上年报告所提问题的整改落实情况）", section="problems")
            else:
                out.add("S5", WARNING, f"“{_heading('problems')}”未写明{label}", section="problems")
    # S6
    ot = secs.get("other", "") or ""
    if nv.is_bare_none(ot):
        shown = nv.emptiness(ot) or f"只写了“{ot.strip()}”"
        out.add("S6", WARNING, f"“{_heading('other')}”{shown}，应至少说明信息处理费收取情况，"
                "如“本年度未收取信息处理费。”", section="other")
    elif nv.fee_status(ot) is None:
        out.add("S6", WARNING, f"“{_heading('other')}”未说明信息处理费收取情况"
                "（国办函〔2020〕109号），如“本年度未收取信息处理费。”", section="other")


# ==========================================================================
# Numbers in the text: N1 … N5
# ==========================================================================

def _number_mismatches(r: Report, sid: str) -> list[tuple[int, int, str, str, tuple[str, ...]]]:
    """(start, end, rule, message, cells) for every count in a section's text that the
    tables contradict."""
    text = r.sections.get(sid, "") or ""
    mentions = nv.scan_mentions(text)
    if not mentions:
        return []
    n = r.num
    new_c, in_c, res_c = _T3("new", "total"), _T3("carried_in", "total"), _T3("results_total", "total")
    new, carried, res = n(new_c), n(in_c), n(res_c)
    out: list[tuple[int, int, str, str, tuple[str, ...]]] = []
    unread = set(r.structure.unplaced) if r.structure is not None else set()   # the reader could not read
    for m in mentions:
        frag = m.text.strip()
        if m.kind in ("review", "suit") and unread & set(schema.TABLES["t4"].cell_ids):
            continue
        if m.kind.startswith("requests") and unread & {new_c, in_c, res_c}:
            continue
        if m.kind == "requests_none":
            if new > 0:
                out.append((m.start, m.end, "N2", f"正文称未收到申请（“{frag}”），但表三"
                            f"“{CELLS[new_c].row_label}”总计为 {new}", (new_c,)))
        elif m.kind == "requests":
            if m.received and m.value > 0 and new == 0:
                out.append((m.start, m.end, "N2", f"正文称收到申请 {m.value} 件（“{frag}”），但表三"
                            f"“{CELLS[new_c].row_label}”总计为 0", (new_c,)))
            elif m.value not in (new, new + carried, res):
                out.append((m.start, m.end, "N1",
                            f"正文写的 {m.value} 件（“{frag}”）与表三不符：“{CELLS[new_c].row_label}”"
                            f"总计为 {new}，加上“{CELLS[in_c].row_label}”为 {new + carried}，"
                            f"“{CELLS[res_c].row_label}”为 {res}", (new_c, in_c, res_c)))
        elif m.kind == "review":
            tot = schema.t4("review", "total")
            if m.value != n(tot):
                out.append((m.start, m.end, "N3", f"正文写{CELLS[tot].row_label} {m.value} 件（“{frag}”），"
                            f"但表四“{_label(tot)}”为 {n(tot)}", (tot,)))
        elif m.kind == "suit":
            suits = sum(n(c) for c in _SUIT_TOTALS)
            if m.value != suits:
                parts = "＋".join(f"“{_label(c)}”{n(c)}" for c in _SUIT_TOTALS)
                out.append((m.start, m.end, "N3", f"正文写{schema.T4_SUIT} {m.value} 件（“{frag}”），"
                            f"但表四{schema.T4_SUIT}共 {suits} 件（{parts}）", _SUIT_TOTALS))
        elif m.kind == "normative":
            c = "t2.normative.issued"
            if m.value != n(c):
                out.append((m.start, m.end, "N4", f"正文写制发规范性文件 {m.value} 件（“{frag}”），"
                            f"但表二“{_label(c)}”为 {n(c)}", (c,)))
    return out


def _number_rules(r: Report, out: _Out) -> None:
    for sid in TEXT_SECTIONS:
        for s, _e, rule, msg, cells in _number_mismatches(r, sid):
            out.add(rule, WARNING, msg, cells, section=sid, offset=s)
    # N5
    six = r.sections.get("other", "") or ""
    st6 = nv.fee_status(six)
    fee = r.num(FEE_ID)
    if fee > 0 and st6 is None:
        out.add("N5", WARNING, f"表二“{_label(FEE_ID)}”为 {_fmt(fee)}，但“{_heading('other')}”"
                "未说明收费情况，请补充", (FEE_ID,), section="other")
    if st6 != "collected":
        for sid in TEXT_SECTIONS:
            if sid != "other" and nv.fee_status(r.sections.get(sid, "") or "") == "collected":
                out.add("N5", WARNING, f"“{_heading(sid)}”称收取了信息处理费，但“{_heading('other')}”"
                        "未写明收取情况，请在第六部分说明", section="other")
                break


# ==========================================================================
# Against last year's report: X1 … X5
# ==========================================================================

# X4: the figures compared with last year
_X4_FIGURES: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (schema.FIGURES[k].full_label, schema.FIGURES[k].cells) for k in schema.X4_FIGURES)
X4_MIN = 10
X4_FACTOR = 5


def x4_flags(prev: int, cur: int) -> bool:
    """Whether a key figure moved more than ×5 (or below ×0.2) against last year.

    Both sides get +1 before the ratio, so a change from or to 0 is measured too
    (0 → 10 is ×11), and nothing is flagged unless the larger side is at least
    ``X4_MIN`` (10): small counts swing with a single application, and a reviewer
    does not ask about 1 → 6.
    """
    hi, lo = max(prev, cur), min(prev, cur)
    return hi >= X4_MIN and (hi + 1) > X4_FACTOR * (lo + 1)


# X5 compares sections of at least this many characters: a one-line statement such as
# 本年度未收取信息处理费。 is expected to read the same every year
X5_MIN_CHARS = 40


def _baseline_rules(r: Report, out: _Out) -> None:
    b = r.baseline
    assert b is not None
    n, bn = r.num, b.num
    # X0 (decided now, so that editing the agency or year later is seen)
    verdict = bl.assess(r, b)
    for f in verdict.findings():
        out.add(f.rule, f.severity, f.message, f.cells, f.section, field=f.field)
    # X1: an error only against the agency's own 2021-format report of the year before
    sev = ERROR if (r.baseline_own and verdict.own) else WARNING
    for col in _T3_COLS:
        c_in, c_out = _T3("carried_in", col), _T3("carried_out", col)
        if n(c_in) != bn(c_out):
            out.add("X1", sev, f"{_label(c_in)}应为 {bn(c_out)}（上年报告“{CELLS[c_out].row_label}”"
                    f"{CELLS[c_out].col_label}），现为 {n(c_in)}", (c_in,))
    # X2
    for row in ("regulation", "normative"):
        c_f, c_i, c_r = f"t2.{row}.in_force", f"t2.{row}.issued", f"t2.{row}.repealed"
        want = bn(c_f) + n(c_i) - n(c_r)
        if n(c_f) != want:
            sums = (f"上年{CELLS[c_f].col_label} {bn(c_f)} ＋ {CELLS[c_i].col_label} {n(c_i)} − "
                    f"{CELLS[c_r].col_label} {n(c_r)}")
            if want < 0:       # no count can be negative: the figures themselves disagree
                msg = (f"{_label(c_f)}的数字对不上：{sums} ＝ {want}，废止的比上年现行有效的与"
                       f"本年新增的还多，请核对上年数字和本年{CELLS[c_i].col_label}、{CELLS[c_r].col_label}")
            else:
                msg = f"{_label(c_f)}应为 {want}（{sums}），现为 {n(c_f)}"
            out.add("X2", WARNING, msg, (c_f, c_i, c_r))
    # X3
    for g, glabel in schema.T4_GROUPS:
        p = schema.t4(g, "pending")
        if bn(p) > 0:
            ended = "、".join(CELLS[schema.t4(g, c)].col_label for c in ("upheld", "corrected", "other"))
            out.add("X3", INFO, f"上年报告{glabel}“{CELLS[p].col_label}”{bn(p)} 件，"
                    f"请核实其本年审结结果已计入本年表四（{ended}）"
                    f"或仍计为{CELLS[p].col_label}", (schema.t4(g, "total"),))
    # X4
    for label, cells in _X4_FIGURES:
        cur = sum(n(c) for c in cells)
        prev = sum(bn(c) for c in cells)
        if x4_flags(int(prev), int(cur)):
            how = "变化很大" if min(prev, cur) == 0 else f"变化超过 {X4_FACTOR} 倍"
            out.add("X4", INFO, f"{label}由上年的 {prev} 变为 {cur}，{how}，请核实", cells)
    # X5
    for sid in TEXT_SECTIONS:
        text = r.sections.get(sid, "") or ""
        before = b.sections.get(sid, "") or ""
        long_enough = min(len(nv.compact(text)), len(nv.compact(before))) >= X5_MIN_CHARS
        ratio = nv.similarity(text, before, nv.SIMILARITY_THRESHOLD) if long_enough else 0.0
        if ratio > nv.SIMILARITY_THRESHOLD:
            out.add("X5", WARNING, f"“{_heading(sid)}”与上年报告相似度约 {round(ratio * 100)}%，"
                    "请根据本年实际情况撰写，避免内容雷同", section=sid)
        if r.year is not None:
            spans = nv.stale_year_mentions(text, r.year - 1)
            if spans:
                out.add("X5", WARNING, f"“{_heading(sid)}”中仍有上年年份“{r.year - 1}年”（{len(spans)} 处），"
                        "请核实是否沿用了上年报告的内容", section=sid, offset=spans[0][0])
