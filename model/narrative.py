"""Reading the report's own words: the text scanning behind the N and S rules.

Every function here is a pure function of its text arguments and cached, so the
checker can run after every keystroke: only the section being typed in is
scanned again.

Positions: :func:`fold` maps full-width ASCII to half-width one character for
one character, so every span found in the folded text is a valid span of the
original text (the GUI highlights it as is).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from . import schema
from .numbers import read_number
from .schema import Level

# --------------------------------------------------------------------------
# Normalising
# --------------------------------------------------------------------------

# full-width ASCII (！ … ～) to half-width, ideographic space to space: length-preserving
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20
# but keep the Chinese parentheses and punctuation the official forms use
for _ch in "（）：；，！？":
    _FOLD.pop(ord(_ch), None)
_FOLD_TABLE = str.maketrans(_FOLD)


@lru_cache(maxsize=512)
def fold(text: str) -> str:
    """Full-width digits and Latin letters to half-width; same length as ``text``."""
    return (text or "").translate(_FOLD_TABLE)


_WS_RE = re.compile(r"\s+")


@lru_cache(maxsize=512)
def compact(text: str) -> str:
    """Folded, every whitespace removed: for keyword tests and comparisons."""
    return _WS_RE.sub("", fold(text))


# --------------------------------------------------------------------------
# Checklists (S4, S5, S6 and the GUI's checklist share these)
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Aspect:
    key: str
    label: str                     # Chinese label shown in the checklist
    keywords: tuple[str, ...]      # covered when any keyword occurs
    severity: str = "warning"      # "warning" or "info" (how S4/S5 report it)


OVERVIEW_ASPECTS: tuple[Aspect, ...] = (
    Aspect("active", "主动公开", ("主动公开",)),
    Aspect("requests", "依申请公开", ("依申请公开", "申请公开", "依申请", "公开申请")),
    Aspect("management", "政府信息管理", ("信息管理",)),
    Aspect("platform", "政府信息公开平台建设", ("平台", "政府网站", "政务新媒体")),
    Aspect("supervision", "监督保障", ("监督", "保障")),
)
# 各级人民政府 also report 工作考核、社会评议和责任追究结果情况 (30号): all three parts
GOVERNMENT_ASPECT_LABEL = "工作考核、社会评议和责任追究"
GOVERNMENT_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("工作考核", ("考核",)),
    ("社会评议", ("评议",)),
    ("责任追究", ("责任追究", "追责", "问责")),
)

PROBLEM_ASPECTS: tuple[Aspect, ...] = (
    Aspect("problems", "存在的问题",
           ("问题", "不足", "短板", "差距", "有待", "欠缺", "薄弱", "不够", "不到位", "需进一步")),
    Aspect("measures", "改进措施",
           ("改进", "措施", "加强", "提升", "完善", "下一步", "今后", "将进一步", "强化", "提高")),
    Aspect("rectification", "上年问题整改情况",
           ("整改", "上年", "上一年", "去年", "上年度", "上一年度", "前一年"), "info"),
)

OTHER_ASPECTS: tuple[Aspect, ...] = (
    Aspect("fees", "信息处理费收取情况", ()),   # decided by fee_status()
)

CHECKLIST_SECTIONS = ("overview", "problems", "other")   # the sections with a checklist


def _covered(text_c: str, keywords: tuple[str, ...]) -> bool:
    return any(k in text_c for k in keywords)


# --------------------------------------------------------------------------
# Heads with nothing under them (S4, S5, S6 judge what is written under a head)
# --------------------------------------------------------------------------

# a numbered line and its level: 一、 (1) > （一） (2) > 1. (3) > （1） (4)
_NUMBERED_LINE = (
    (1, re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*、(?P<rest>.*)$")),
    (2, re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)](?P<rest>.*)$")),
    (3, re.compile(r"^\s*\d{1,2}\s*[.、．](?!\d)(?P<rest>.*)$")),
    (4, re.compile(r"^\s*[（(]\s*\d{1,2}\s*[）)](?P<rest>.*)$")),
)
_SENTENCE_MARKS = re.compile(r"[。；;！!？?]")
HEAD_MAX_CHARS = 30


def head_level(line: str) -> int | None:
    """The level of a line that is only a numbered head (``（一）主动公开情况``,
    ``二、依申请公开``, ``1.规章：``), None for any other line — one holding a sentence
    (a run-in head such as ``（一）主动公开。本年度…`` is content)."""
    for level, rx in _NUMBERED_LINE:
        m = rx.match(line or "")
        if m:
            rest = m.group("rest").strip()
            if len(rest) <= HEAD_MAX_CHARS and not _SENTENCE_MARKS.search(rest):
                return level
            return None
    return None


@lru_cache(maxsize=256)
def substantive_text(text: str) -> str:
    """``text`` without the heads that have no sentence under them.

    A head is kept when a line of content follows it before the next head of the
    same or a higher level; so ``（一）主动公开`` followed by ``（二）依申请公开``, or a
    section holding nothing but the five heads, covers nothing.
    """
    lines = [ln for ln in (text or "").splitlines() if ln.strip()]
    levels = [head_level(ln) for ln in lines]
    keep = []
    for i, ln in enumerate(lines):
        lv = levels[i]
        if lv is not None:
            has_body = False
            for j in range(i + 1, len(lines)):
                lj = levels[j]
                if lj is None:
                    has_body = True
                    break
                if lj <= lv:
                    break
            if not has_body:
                continue
        keep.append(ln)
    return "\n".join(keep)


@lru_cache(maxsize=256)
def only_heads(text: str) -> bool:
    """Something is written, but nothing except heads with no sentence under them."""
    return not is_empty(text) and is_empty(substantive_text(text))


def emptiness(text: str) -> str:
    """``为空`` or ``只有小标题，小标题下还没有内容`` (for a message), ``""`` otherwise."""
    if is_empty(text):
        return "为空"
    if only_heads(text):
        return "只有小标题，小标题下还没有内容"
    return ""


@lru_cache(maxsize=256)
def _checklist(section_id: str, text: str, government: bool) -> tuple[tuple[str, str, bool, str], ...]:
    # an aspect is covered by what is written, not by a head with nothing under it
    t = compact(substantive_text(text))
    items: list[tuple[str, str, bool, str]] = []
    if section_id == "overview":
        for a in OVERVIEW_ASPECTS:
            items.append((a.key, a.label, _covered(t, a.keywords), a.severity))
        if government:
            ok = all(_covered(t, kws) for _, kws in GOVERNMENT_PARTS)
            items.append(("government", GOVERNMENT_ASPECT_LABEL, ok, "warning"))
    elif section_id == "problems":
        bare = is_bare_none(text)
        for a in PROBLEM_ASPECTS:
            items.append((a.key, a.label, (not bare) and _covered(t, a.keywords), a.severity))
    elif section_id == "other":
        items.append(("fees", OTHER_ASPECTS[0].label, fee_status(text) is not None, "warning"))
    return tuple(items)


def checklist_items(section_id: str, text: str,
                    level: Level | None = None) -> tuple[tuple[str, str, bool, str], ...]:
    """(key, label, covered, severity) for every aspect a text section should cover."""
    return _checklist(section_id, text or "", level is Level.GOVERNMENT)


def missing_government_parts(text: str) -> tuple[str, ...]:
    t = compact(substantive_text(text or ""))
    return tuple(label for label, kws in GOVERNMENT_PARTS if not _covered(t, kws))


_BARE_NONE = frozenset({"无", "暂无", "没有", "无。", "暂无。", "没有。", "无其他需要报告的事项",
                        "无其他需要报告的事项。", "无其他需要报告事项", "无其他需要报告事项。",
                        "本年度无其他需要报告的事项。", "/", "—", "-"})


@lru_cache(maxsize=256)
def is_empty(text: str) -> bool:
    return not compact(text or "")


@lru_cache(maxsize=256)
def is_bare_none(text: str) -> bool:
    """Empty, nothing but ``无`` (or a like phrase), or nothing but heads with no
    sentence under them."""
    t = compact(substantive_text(text or ""))
    return not t or t in _BARE_NONE


# --------------------------------------------------------------------------
# 信息处理费 statements (S6, N5, T3-4)
# --------------------------------------------------------------------------

_CLAUSE_SPLIT = re.compile(r"[。；;！!？?\n]")
_FEE_MENTION = re.compile(r"处理费|信息公开[^。；，,]{0,6}?费|收费|收取[^。；，,]{0,8}?费用")
_FEE_NEGATION = re.compile(
    r"(未|没有|无|不|免|免于|免除)[^。；，,]{0,6}?(收取|产生|收费|收缴|缴纳|征收|收)"
    r"|(未|没有|无|免|免收|免于收取|不收取)[^。；，,]{0,12}?(处理费|收费)"
    r"|(处理费|收费)[^。；，,]{0,10}?(为0(?![\d.])|为零|(?<![\d.])0(\.0+)?(元|万元)|零元|均为0)")
_FEE_COLLECTED = re.compile(r"收取|收费|收缴|缴纳|产生|征收")


@lru_cache(maxsize=256)
def fee_status(text: str) -> str | None:
    """How a text speaks of 信息处理费: ``"none"`` (none collected), ``"collected"``,
    ``"mentioned"`` (named without saying either), or None (not mentioned at all).

    ``未收取信息处理费``, ``没有产生信息公开处理费``, ``信息处理费为0`` are "none".  A head
    with nothing under it (``（一）信息处理费收取情况``) says nothing.
    """
    t = compact(substantive_text(text or ""))
    status: str | None = None
    for clause in _CLAUSE_SPLIT.split(t):
        if not _FEE_MENTION.search(clause):
            continue
        if _FEE_NEGATION.search(clause):
            status = status or "none"
            if status == "mentioned":
                status = "none"
        elif "处理费" in clause and _FEE_COLLECTED.search(clause):
            return "collected"
        elif status is None:
            status = "mentioned"
    return status


def mentions_fee_notice(text: str) -> bool:
    t = compact(text or "")
    return "收费通知" in t or fee_status(text) is not None


# --------------------------------------------------------------------------
# Numbers in the text (N1–N4)
# --------------------------------------------------------------------------

_NUM = r"(?P<num>\d+|[零〇一二两三四五六七八九十百千万]+)"
_CL = r"[^。；;！!？?\n，,]"                       # a character inside one clause
_STOP_WORDS_REQUESTS = ("复议", "诉讼", "许可", "审批", "信访", "举报", "投诉", "政务服务", "事项办理",
                        "结转")   # 含上年度结转申请 34 件: the carried-in count, not a total

_REQ_VERB = r"收到|受理|处理|办理|接收|新收|接到|办结|答复"
_RECEIVE_VERBS = ("收到", "接收", "新收", "接到", "受理")
_REQ_FORWARD = re.compile(
    rf"(?P<verb>{_REQ_VERB}){_CL}{{0,30}}?申请{_CL}{{0,20}}?(?<![\d每第]){_NUM}\s*(?P<approx>余|多)?\s*件")
_REQ_BACKWARD = re.compile(
    rf"申请{_CL}{{0,20}}?(?P<verb>{_REQ_VERB}){_CL}{{0,10}}?(?<![\d每第]){_NUM}\s*(?P<approx>余|多)?\s*件")
_REQ_NONE = re.compile(
    rf"(未|没有|无)\s*(收到|受理|接到|接收|发生|产生|新收)?{_CL}{{0,12}}?"
    r"(依申请公开|公开申请|信息公开申请|申请公开|公开的申请)")

_APPEAL_STOP = ("维持", "纠正", "结果", "审结", "其中", "直接起诉", "复议后")
_REVIEW_COUNT = re.compile(rf"行政复议(?P<gap>{_CL}{{0,12}}?)(?<!\d){_NUM}\s*(件|起|宗|个)")
_SUIT_COUNT = re.compile(rf"行政诉讼(?P<gap>{_CL}{{0,12}}?)(?<!\d){_NUM}\s*(件|起|宗|个)")
_APPEAL_NONE = re.compile(
    rf"(未|没有|无)\s*(发生|收到|产生|涉及|出现|被提起|被申请|接到)?{_CL}{{0,14}}?"
    r"(?P<what>行政复议(?:[、和及与或]\s*行政诉讼)?|行政诉讼)")

_NORM_VERB = r"制发|印发|出台|制定|发布"
_NORM_FORWARD = re.compile(
    rf"(?<![未没])(?P<verb>{_NORM_VERB}){_CL}{{0,20}}?规范性文件{_CL}{{0,6}}?(?<!\d){_NUM}\s*(件|份|个)")
_NORM_BACKWARD = re.compile(
    rf"(?<![未没])(?P<verb>{_NORM_VERB}){_CL}{{0,6}}?(?<!\d){_NUM}\s*(件|份|个){_CL}{{0,10}}?规范性文件")
_NORM_NONE = re.compile(rf"(未|没有)\s*(?:{_NORM_VERB}){_CL}{{0,10}}?规范性文件")
_NORM_STOP = ("废止", "现行有效", "清理", "修订", "解读")


@dataclass(frozen=True)
class Mention:
    """A statement of a count in the text.

    kind: ``requests`` (收到/处理…申请 N 件), ``requests_none`` (未收到…申请),
    ``review`` / ``suit`` (行政复议 / 行政诉讼 N 件, N = 0 for 未发生…),
    ``normative`` (制发…规范性文件 N 件, N = 0 for 未制发…).
    """

    kind: str
    value: int
    start: int
    end: int
    text: str
    received: bool = False     # requests: the verb says "received" (收到/接收/新收/接到/受理)


def _read_num(tok: str) -> int | None:
    return read_number(tok)


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(s < e2 and s2 < e for s2, e2 in spans)


@lru_cache(maxsize=256)
def scan_mentions(text: str) -> tuple[Mention, ...]:
    """Every count statement the N rules compare with the tables, in text order."""
    t = fold(text or "")
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []

    # requests, negated first so 未收到…申请 is never read as a count
    for m in _REQ_NONE.finditer(t):
        if any(w in m.group(0) for w in _STOP_WORDS_REQUESTS):
            continue
        out.append(Mention("requests_none", 0, m.start(), m.end(), m.group(0)))
        taken.append((m.start(), m.end()))
    for rx in (_REQ_FORWARD, _REQ_BACKWARD):
        for m in rx.finditer(t):
            s, e = m.start(), m.end()
            frag = m.group(0)
            if m.group("approx") or any(w in frag for w in _STOP_WORDS_REQUESTS):
                continue
            if s > 0 and t[max(0, s - 2):s].endswith(("未", "没有", "无")):
                continue
            if _overlaps(taken, s, e):
                continue
            v = _read_num(m.group("num"))
            if v is None:
                continue
            ns, ne = m.span("num")
            out.append(Mention("requests", v, ns, ne, frag, m.group("verb") in _RECEIVE_VERBS))
            taken.append((s, e))

    # appeals
    for m in _APPEAL_NONE.finditer(t):
        what = m.group("what")
        kinds = []
        if "行政复议" in what:
            kinds.append("review")
        if "行政诉讼" in what:
            kinds.append("suit")
        for k in kinds:
            out.append(Mention(k, 0, m.start(), m.end(), m.group(0)))
        taken.append((m.start(), m.end()))
    for kind, rx in (("review", _REVIEW_COUNT), ("suit", _SUIT_COUNT)):
        for m in rx.finditer(t):
            gap = m.group("gap")
            if any(w in gap for w in _APPEAL_STOP) or "行政" in gap:
                continue
            if _overlaps(taken, m.start(), m.end()):
                continue
            v = _read_num(m.group("num"))
            if v is None:
                continue
            ns, ne = m.span("num")
            out.append(Mention(kind, v, ns, ne, m.group(0)))

    # 规范性文件
    for m in _NORM_NONE.finditer(t):
        out.append(Mention("normative", 0, m.start(), m.end(), m.group(0)))
        taken.append((m.start(), m.end()))
    for rx in (_NORM_FORWARD, _NORM_BACKWARD):
        for m in rx.finditer(t):
            frag = m.group(0)
            if any(w in frag for w in _NORM_STOP) or _overlaps(taken, m.start(), m.end()):
                continue
            v = _read_num(m.group("num"))
            if v is None:
                continue
            ns, ne = m.span("num")
            out.append(Mention("normative", v, ns, ne, frag))
            taken.append((m.start(), m.end()))

    out.sort(key=lambda x: (x.start, x.end, x.kind))
    return tuple(out)


# --------------------------------------------------------------------------
# Sub-heads (S3)
# --------------------------------------------------------------------------

_CN_HEAD = re.compile(r"^\s*(?P<num>[一二三四五六七八九十]{1,3})、(?P<rest>.*)$")
_SECTION_HEADINGS_C = frozenset(compact(s.heading) for s in schema.SECTIONS) | \
    frozenset(compact(h) for h in schema.HEADINGS_2019.values())


@dataclass(frozen=True)
class SubHead:
    line: str            # the head as written (a run-in head cut at its first 。 or ：)
    start: int           # offset of the head in the section text
    suggestion: str      # the same head with （一） numbering


def _head_part(line: str) -> str | None:
    """The head of a numbered line: the whole line when short, else a short run-in
    head ending at the first ``。`` / ``：`` (the importer cuts sub-heads the same way)."""
    t = line.strip()
    if len(t) <= 30 and "。" not in t:
        return t.rstrip("：:")
    m = re.search(r"[：:。]", t)
    if m and m.start() <= 25:
        return t[:m.start()]
    return None


def subhead_suggestion(line: str) -> str | None:
    """``一、主动公开情况`` → ``（一）主动公开情况``; None when the line is no such head."""
    m = _CN_HEAD.match(line or "")
    if not m:
        return None
    head = _head_part(line)
    if not head or compact(head) in _SECTION_HEADINGS_C:
        return None
    m = _CN_HEAD.match(head)
    if not m or not m.group("rest").strip():
        return None
    return f"（{m.group('num')}）{m.group('rest').strip()}"


@lru_cache(maxsize=256)
def chinese_subheads(text: str) -> tuple[SubHead, ...]:
    """Heads inside a text section numbered ``一、`` ``二、`` (not ``一是``)."""
    out = []
    pos = 0
    for line in (text or "").splitlines(keepends=True):
        sug = subhead_suggestion(line)
        if sug:
            out.append(SubHead(_head_part(line) or line.strip(),
                               pos + (len(line) - len(line.lstrip())), sug))
        pos += len(line)
    return tuple(out)


# --------------------------------------------------------------------------
# Titles, headings, years (S1, S2, X5)
# --------------------------------------------------------------------------

_TITLE_RE = re.compile(r"^(?P<agency>.+?)(?P<year>\d{4})" + re.escape(schema.TITLE_SUFFIX) + r"$")


@lru_cache(maxsize=64)
def parse_title(title: str) -> tuple[str, int] | None:
    """``西工区商务局 2024 年政府信息公开工作年度报告`` → (``西工区商务局``, 2024); None if not
    in the official form (spaces anywhere are allowed)."""
    m = _TITLE_RE.match(compact(title or ""))
    if not m:
        return None
    return m.group("agency"), int(m.group("year"))


@lru_cache(maxsize=64)
def title_year(title: str) -> int | None:
    m = re.search(r"(?<!\d)(\d{4})\s*年", fold(title or ""))
    return int(m.group(1)) if m else None


def heading_key(heading: str) -> str:
    """A heading compared without spaces, width or a trailing colon."""
    return compact(heading).rstrip("：:").replace("(", "（").replace(")", "）")


_YEAR_RE = re.compile(r"(?<![\d〔\[［(（])(?P<y>(?:19|20)\d{2})\s*年")


@lru_cache(maxsize=256)
def year_counts(text: str) -> tuple[tuple[int, int], ...]:
    """How often each year ``YYYY年`` is named in a text, most frequent first."""
    c = Counter(int(m.group("y")) for m in _YEAR_RE.finditer(fold(text or "")))
    return tuple(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


# a mention of last year that is a legitimate back-reference, not a stale copy:
# followed by 度报告 / 年报 / 相比 … or preceded by 较 / 比 / 与 / 同 / 自 / 从 / 于
_BACKREF_AFTER = re.compile(r"^\s*(年?度?\s*(政府信息公开)?(工作)?(年度)?报告"
                            r"|年报|相比|比较|同期|结转|提出|指出|以来|起)")
_BACKREF_BEFORE = ("较", "比", "与", "同", "自", "从", "于", "上年", "上一年", "去年")


@lru_cache(maxsize=256)
def stale_year_mentions(text: str, year: int) -> tuple[tuple[int, int], ...]:
    """Spans of ``{year}年`` in a text, except back-references such as ``2023年度报告中
    提出的问题``, ``较2023年``, ``与2023年相比``, ``2023年结转``.

    A date such as ``2023年12月31日`` in a 2024 report *is* reported: it is nearly always
    the statistics period copied from last year's report.
    """
    t = fold(text or "")
    out = []
    for m in _YEAR_RE.finditer(t):
        if int(m.group("y")) != year:
            continue
        before = t[max(0, m.start() - 4):m.start()]
        if before.rstrip().endswith(_BACKREF_BEFORE):
            continue
        if _BACKREF_AFTER.match(t[m.end():m.end() + 14]):
            continue
        out.append((m.start(), m.end()))
    return tuple(out)


# --------------------------------------------------------------------------
# Similarity to last year's text (X5)
# --------------------------------------------------------------------------

_PUNCT_RE = re.compile(r"[\s，,、：:“”\"‘’'（）()《》〈〉【】\[\]]+")
_DIGITS_RE = re.compile(r"\d+|[零〇一二两三四五六七八九十百千万]+(?=[件条篇份个项次年月日])")
_SENT_SPLIT = re.compile(r"(?<=[。；;！!？?\n])")


@lru_cache(maxsize=256)
def _sentences(text: str) -> tuple[str, ...]:
    t = fold(text or "")
    out = []
    for s in _SENT_SPLIT.split(t):
        s = _DIGITS_RE.sub("#", _PUNCT_RE.sub("", s))
        if s:
            out.append(s)
    return tuple(out)


@lru_cache(maxsize=1024)
def _char_matches(a: str, b: str) -> int:
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return sum(blk.size for blk in sm.get_matching_blocks())


def _quick_matches(a: str, b: str) -> int:
    """An upper bound of the characters two strings can share (difflib's quick_ratio)."""
    return round(SequenceMatcher(None, a, b, autojunk=False).quick_ratio() * (len(a) + len(b)) / 2)


@lru_cache(maxsize=256)
def _aligned(a: str, b: str) -> tuple[int, int, int, tuple[tuple[str, str], ...]]:
    """(characters of a, of b, characters in identical sentences, differing regions)."""
    sa, sb = _sentences(a), _sentences(b)
    la, lb = sum(map(len, sa)), sum(map(len, sb))
    equal = 0
    regions = []
    if la and lb:
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, sa, sb, autojunk=False).get_opcodes():
            if tag == "equal":
                equal += sum(len(s) for s in sa[i1:i2])
            elif tag == "replace":
                regions.append(("".join(sa[i1:i2]), "".join(sb[j1:j2])))
    return la, lb, equal, tuple(regions)


@lru_cache(maxsize=256)
def similarity(a: str, b: str, threshold: float = 0.0) -> float:
    """difflib's ratio of two texts, normalised (no spaces or punctuation, numbers as
    ``#``), computed hierarchically: sentences are aligned first and only the
    sentences that differ are compared character by character, so typing in one
    sentence re-diffs only that sentence.  With a ``threshold``, difflib's
    ``quick_ratio`` bound is tried first and a pair that cannot exceed the threshold
    returns that (lower than threshold) bound without the exact comparison.
    """
    la, lb, matched, regions = _aligned(a, b)
    if not la or not lb:
        return 0.0
    if threshold:
        bound = matched + sum(min(len(x), len(y)) for x, y in regions)
        if 2 * bound / (la + lb) <= threshold:
            return 2 * bound / (la + lb)
        bound = matched + sum(_quick_matches(x, y) for x, y in regions)
        if 2 * bound / (la + lb) <= threshold:
            return 2 * bound / (la + lb)
    for x, y in regions:
        matched += _char_matches(x, y)
    return 2 * matched / (la + lb)


SIMILARITY_THRESHOLD = 0.8


# --------------------------------------------------------------------------
# 字数 (the count a clerk is asked for: every character but white space)
# --------------------------------------------------------------------------

def char_count(text: str) -> int:
    """字数 of a text as Word/WPS count Chinese: every character except white space."""
    return len(_WS_RE.sub("", text or ""))


# --------------------------------------------------------------------------
# 查找/替换 in the section texts (figures bound into the text are never split)
# --------------------------------------------------------------------------

def find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of ``needle`` in ``text``, left to right."""
    out: list[tuple[int, int]] = []
    if not needle:
        return out
    i = (text or "").find(needle)
    while i >= 0:
        out.append((i, i + len(needle)))
        i = text.find(needle, i + len(needle))
    return out


def replace_outside_fields(text: str, needle: str, replacement: str) -> tuple[str, int]:
    """``text`` (as stored: fields as ``⟦key⟧`` tokens) with every ``needle`` outside the
    tokens replaced, and how many were."""
    if not needle or not text:
        return text or "", 0
    from .fields import TOKEN_RE
    parts: list[str] = []
    count = 0
    pos = 0
    for m in TOKEN_RE.finditer(text):
        chunk = text[pos:m.start()]
        count += chunk.count(needle)
        parts.append(chunk.replace(needle, replacement))
        parts.append(m.group(0))
        pos = m.end()
    chunk = text[pos:]
    count += chunk.count(needle)
    parts.append(chunk.replace(needle, replacement))
    return "".join(parts), count
