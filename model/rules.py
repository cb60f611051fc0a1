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

from . import fields
from . import narrative as nv
from . import schema
from .findings import Finding, Severity
from .numbers import decimal_places, format_value, parse_amount, parse_count
from .report import Report
from .schema import CELLS, CELL_IDS, FEE_ID, SECTION_BY_ID, SECTIONS, TEXT_SECTIONS, Level

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class RuleInfo:
    id: str
    title: str


RULES: dict[str, RuleInfo] = {r.id: r for r in (
    RuleInfo("C1", "数值须为非负整数"),
    RuleInfo("C2", "收费金额格式与量级"),
    RuleInfo("C3", "空白单元格按 0 计"),
    RuleInfo("T3-1", "表三各行总计"),
    RuleInfo("T3-2", "表三（七）总计"),
    RuleInfo("T3-3", "表三勾稽关系"),
    RuleInfo("T3-4", "逾期未缴费须说明信息处理费"),
    RuleInfo("T3-5", "“其他”处理占比过高"),
    RuleInfo("T4-1", "表四各组总计"),
    RuleInfo("T2-1", "无规章制定权却填有规章"),
    RuleInfo("X1", "上年结转与上年报告不符"),
    RuleInfo("X2", "现行有效件数与上年不衔接"),
    RuleInfo("X3", "上年尚未审结的复议诉讼"),
    RuleInfo("X4", "关键数据变化异常"),
    RuleInfo("X5", "正文与上年雷同"),
    RuleInfo("N1", "正文申请件数与表三不符"),
    RuleInfo("N2", "正文是否收到申请与表三不符"),
    RuleInfo("N3", "正文复议诉讼件数与表四不符"),
    RuleInfo("N4", "正文规范性文件件数与表二不符"),
    RuleInfo("N5", "收费情况未在第六部分说明"),
    RuleInfo("S1", "标题、机关名称与年度"),
    RuleInfo("S2", "六个一级标题"),
    RuleInfo("S3", "段内小标题编号"),
    RuleInfo("S4", "总体情况应涵盖的方面"),
    RuleInfo("S5", "存在的主要问题及改进情况"),
    RuleInfo("S6", "其他需要报告的事项"),
    RuleInfo("S7", "表格标签与规定文字不一致"),
    RuleInfo("S8", "发布日期超过法定期限"),
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
_SUIT_TOTALS = (schema.t4("suit_direct", "total"), schema.t4("suit_after_review", "total"))

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
            section: str | None = None, offset: int = 0) -> None:
        if section is None:
            section = _CELL_SECTION[cells[0]] if cells else "meta"
        sec = section
        in_table = cells and _CELL_SECTION.get(cells[0]) == sec
        cell_pos = _CELL_INDEX[cells[0]] if in_table else -1
        key = (_SECTION_INDEX.get(sec, 99), cell_pos, offset, _RULE_INDEX[rule], len(self.items))
        self.items.append((key, Finding(rule, sev, msg, tuple(cells), section)))

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
    """The error-level findings: a report with any of these is not publish-ready."""
    return [f for f in check(report) if f.severity is Severity.ERROR]


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
        out.add("S1", ERROR, "未填写机关名称，请在基本信息中填写", section="meta")
    if r.year is None:
        out.add("S1", ERROR, "未填写报告年度，请在基本信息中填写", section="meta")
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
                        section="meta")
    if r.publish_date is not None:
        deadline = r.deadline()
        if deadline is not None and r.publish_date > deadline:
            who = "本级人民政府" if r.level is Level.GOVERNMENT else "政府部门等"
            out.add("S8", WARNING,
                    f"发布日期 {_date(r.publish_date)} 晚于法定期限 {_date(deadline)}"
                    f"（条例第四十九条：{who}应于 {_date(deadline)} 前公布上一年度报告）",
                    section="meta")


def _date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


_OFFICIAL_TITLE_FORM = f"{{机关名称}}YYYY{schema.TITLE_SUFFIX}"


def _structure_rules(r: Report, out: _Out) -> None:
    st = r.structure
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
                    section="title")
    # ---- S2: the six headings
    _headings_rule(r, out)
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


def _headings_rule(r: Report, out: _Out) -> None:
    expected: dict[str, str] = {}     # heading key -> section id
    for s in SECTIONS:
        expected[nv.heading_key(s.heading)] = s.id
    if r.format == schema.FORMAT_2019:
        for sid, h in schema.HEADINGS_2019.items():
            expected[nv.heading_key(h)] = sid
    found: list[str] = []             # section ids in document order
    unknown: list[tuple[str, str]] = []   # (heading, section it stands in: the one before it)
    last = "title"
    for h in r.structure.headings:
        key = nv.heading_key(h)
        sid = expected.get(key)
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
        p = parse_amount(text) if d.kind == "decimal" else parse_count(text)
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
    for col, c_new, c_in, c_res, c_out in _T3_BALANCE:
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
                    (c_new, c_in, c_res, c_out))
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
        out.add("T3-5", INFO, f"“{schema.T3_ROW_BY_ID[d.row].group} {d.row_label}”有 {n(other)} 件，占“{CELLS[res_tot].row_label}”{n(res_tot)} 件的 "
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
        out.add("S4", WARNING, f"“{_heading('overview')}”为空，应叙述主动公开、依申请公开、政府信息管理、"
                "政府信息公开平台建设、监督保障等情况", section="overview")
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
        out.add("S5", WARNING, f"“{_heading('problems')}”为空或只写“无”，应写明存在的主要问题和改进措施",
                section="problems")
    else:
        for key, label, ok, sev in nv.checklist_items("problems", pr):
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
        shown = "为空" if nv.is_empty(ot) else f"只写了“{ot.strip()}”"
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
    out = []
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
_X4_FIGURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (_label(_T3("new", "total")), (_T3("new", "total"),)),
    (_label(_T3("granted", "total")), (_T3("granted", "total"),)),
    (_label(_T3("results_total", "total")), (_T3("results_total", "total"),)),
    (_label(schema.t4("review", "total")), (schema.t4("review", "total"),)),
    (f"{schema.T4_SUIT}总计（{'＋'.join(CELLS[c].row_label for c in _SUIT_TOTALS)}）", _SUIT_TOTALS),
    (_label("t2.licensing.decisions"), ("t2.licensing.decisions",)),
    (_label("t2.penalty.decisions"), ("t2.penalty.decisions",)),
    (_label("t2.coercion.decisions"), ("t2.coercion.decisions",)),
)
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
    n, bn = r.num, b.num
    # X1
    sev = ERROR if r.baseline_own else WARNING
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
            out.add("X2", WARNING, f"{_label(c_f)}应为 {want}（上年{CELLS[c_f].col_label} {bn(c_f)} ＋ "
                    f"{CELLS[c_i].col_label} {n(c_i)} − {CELLS[c_r].col_label} {n(c_r)}），现为 {n(c_f)}",
                    (c_f, c_i, c_r))
    # X3
    for g, glabel in schema.T4_GROUPS:
        p = schema.t4(g, "pending")
        if bn(p) > 0:
            out.add("X3", INFO, f"上年报告{glabel}“{CELLS[p].col_label}”{bn(p)} 件，请核实其本年审结结果已计入"
                    f"本年表四（{'、'.join(CELLS[schema.t4(g, c)].col_label for c in ('upheld', 'corrected', 'other'))}）"
                    f"或仍计为{CELLS[p].col_label}", (schema.t4(g, "total"),))
    # X4
    for label, cells in _X4_FIGURES:
        cur = sum(n(c) for c in cells)
        prev = sum(bn(c) for c in cells)
        if x4_flags(int(prev), int(cur)):
            out.add("X4", INFO, f"{label}由上年的 {prev} 变为 {cur}，变化超过 {X4_FACTOR} 倍，请核实", cells)
    # X5
    for sid in TEXT_SECTIONS:
        text = r.sections.get(sid, "") or ""
        prev = b.sections.get(sid, "") or ""
        long_enough = min(len(nv.compact(text)), len(nv.compact(prev))) >= X5_MIN_CHARS
        ratio = nv.similarity(text, prev, nv.SIMILARITY_THRESHOLD) if long_enough else 0.0
        if ratio > nv.SIMILARITY_THRESHOLD:
            out.add("X5", WARNING, f"“{_heading(sid)}”与上年报告相似度约 {round(ratio * 100)}%，"
                    "请根据本年实际情况撰写，避免内容雷同", section=sid)
        if r.year is not None:
            spans = nv.stale_year_mentions(text, r.year - 1)
            if spans:
                out.add("X5", WARNING, f"“{_heading(sid)}”中仍有上年年份“{r.year - 1}年”（{len(spans)} 处），"
                        "请核实是否沿用了上年报告的内容", section=sid, offset=spans[0][0])
