"""Label normalisation and matching for the importers.

Published reports spell the official labels in many ways: full-width or ASCII
punctuation (``（一）`` / ``(一)``, ``1.`` / ``1. `` / ``1、``), spaces inside labels
(``结果 维持``, ``商业 企业``), curly or straight quotes, and real variants
(``本年度止件数``, ``2.其他法律法规禁止公开``).  Everything here compares labels after
:func:`norm` (width and spaces), splits off the enumerator with :func:`split_enum`
and matches the rest ("core") exactly, by its key (the core without parenthesised
remarks) or, failing both, by similarity.  A difference that survives :func:`norm`
is a *variant* and is reported; a difference of width or spacing is not.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from difflib import SequenceMatcher

from ..numbers import Parsed, parse_amount, parse_count

_WS = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "「": '"', "」": '"',
                         "『": '"', "』": '"', "‘": "'", "’": "'", "〔": "(", "〕": ")",
                         "【": "(", "】": ")"})
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CN_NUM = "一二三四五六七八九十"
_CN_VAL = {c: i + 1 for i, c in enumerate(_CN_NUM)}

_ENUM = re.compile(
    r"^(?:(?P<cn>[" + _CN_NUM + r"]{1,3})[、.,]"
    r"|\((?P<pcn>[" + _CN_NUM + r"]{1,3})\)[、.,]?"
    r"|\((?P<pnum>\d{1,2})\)[、.,]?"
    r"|(?P<num>\d{1,2})(?:[.、,](?!\d)|\)|(?=[\u3400-\u9fff])))"
)
_PARENS = re.compile(r"\([^()]*\)")
_TRAIL = ":;,.。"


# CJK Radicals Supplement code points some PDF makers emit in place of the ordinary
# characters (NFKC folds the Kangxi radicals U+2F00… itself, not these)
_RADICALS = str.maketrans({
    "\u2ea0": "民", "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角", "\u2ed3": "长", "\u2ed4": "门",
    "\u2ed8": "青", "\u2eda": "页", "\u2edb": "风", "\u2edc": "飞", "\u2edd": "食", "\u2ee2": "马",
    "\u2ee4": "鬼", "\u2ee9": "黄", "\u2eea": "黾", "\u2eee": "齿", "\u2ef0": "龙", "\u2ef2": "龟",
    "\u2ebc": "月", "\u2e9d": "月", "\u2ea9": "王", "\u2e9f": "母", "\u2ef3": "龟", "\u2eb3": "罒",
    "\u2ecf": "阝", "\u2ed6": "阝", "\u2ee3": "骨", "\u2ee5": "鱼", "\u2ee6": "鸟", "\u2ee7": "卤",
    "\u2ee8": "麦", "\u2eeb": "斉", "\u2eec": "齐", "\u2eed": "歯", "\u2eef": "竜",
})
_COMPAT = re.compile(r"[\u2e80-\u2fdf\uf900-\ufaff]")


def fold_compat(text: str) -> str:
    """Radical and compatibility code points folded to the ordinary characters
    (``⻓期`` → ``长期``, the Kangxi ``⽅`` → ``方``); other text unchanged."""
    if not text or not _COMPAT.search(text):
        return text
    return _COMPAT.sub(lambda m: unicodedata.normalize("NFKC", m.group(0).translate(_RADICALS)), text)


def norm(text: str) -> str:
    """Width-folded (NFKC), radicals folded, quotes unified, all whitespace removed."""
    if text and len(text) <= _NORM_CACHED_LEN:      # labels and cells repeat from report to report
        return _norm_short(text)
    return _norm(text)


_NORM_CACHED_LEN = 160
_NAME_BRACKETS = str.maketrans({"(": "（", ")": "）"})


def agency_name(text: str) -> str:
    """An agency's name as read from a report: :func:`norm` (no spaces, width folded), with
    its brackets written as Chinese names write them (``中共某某市委办公室（某某市人民政府办公室）``)."""
    return norm(text).translate(_NAME_BRACKETS)


@lru_cache(maxsize=16384)
def _norm_short(text: str) -> str:
    return _norm(text)


def _norm(text: str) -> str:
    t = unicodedata.normalize("NFKC", text or "")
    if _COMPAT.search(t):
        t = t.translate(_RADICALS)
    t = t.translate(_QUOTES)
    return _WS.sub("", t)


def cn_ordinal(s: str) -> int | None:
    """``一`` → 1 … ``十`` → 10, ``十一`` → 11; None otherwise."""
    if not s:
        return None
    if len(s) == 1:
        return _CN_VAL.get(s)
    if s[0] == "十" and len(s) == 2:
        v = _CN_VAL.get(s[1])
        return None if v is None or v == 10 else 10 + v
    if len(s) == 2 and s[1] == "十":
        v = _CN_VAL.get(s[0])
        return None if v is None or v == 10 else v * 10
    return None


def split_enum(n: str) -> tuple[str, int | None, str]:
    """Split a *normalised* label into (kind, number, core).

    kind is ``"cn"`` for ``一、``, ``"pcn"`` for ``(一)``, ``"num"`` for ``1.``,
    ``"pnum"`` for ``(1)`` and ``""`` when there is no enumerator.
    """
    m = _ENUM.match(n)
    if not m:
        return "", None, n.strip(_TRAIL)
    kind = m.lastgroup or ""
    raw = m.group(kind)
    num = cn_ordinal(raw) if kind in ("cn", "pcn") else int(raw)
    core = n[m.end():].strip(_TRAIL)
    return kind, num, core


def core(text: str) -> str:
    """The label without enumerator, width and spaces: ``（一）予以公开`` → ``予以公开``."""
    return split_enum(norm(text))[2]


def key(core_text: str) -> str:
    """A core without parenthesised remarks: ``部分公开(区分处理的…)`` → ``部分公开``."""
    k = core_text
    for _ in range(3):
        k2 = _PARENS.sub("", k)
        if k2 == k:
            break
        k = k2
    return k or core_text


def similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


_REMARK = re.compile(r"^([0-9][0-9,.]*)\s*\((.{1,60})\)$")


def split_remark(text: str) -> tuple[str, str] | None:
    """``22（其中修订16件）`` → (``22``, ``其中修订16件``): a number with a remark after it."""
    m = _REMARK.match(unicodedata.normalize("NFKC", text or "").strip())
    if not m:
        return None
    return m.group(1), m.group(2).strip()


def is_value_like(cell: str) -> bool:
    """A cell that holds (or should hold) a number, as opposed to a label.

    Empty cells, numbers, blank markers (``/`` ``—`` ``无``), Chinese numerals, and
    anything without a Chinese character (``abc``, ``-3``, ``1.5``) are values: a
    label always has Chinese text.
    """
    s = cell.strip()
    if not s or s.isascii():
        return True
    if not has_cjk(s):
        return True
    if parse_cell(s).error is None:
        return True
    return s[0].isdigit() and split_remark(s) is not None


def parse_cell(text: str, decimal: bool = False) -> Parsed:
    """``numbers.parse_amount`` for the fee, ``numbers.parse_count`` for every other cell."""
    return parse_amount(text) if decimal else parse_count(text)


def same_label(found: str, official: str) -> bool:
    """True when ``found`` is ``official`` up to width, spaces, quotes and enumerator style."""
    return core(found) == core(official)


class LabelIndex:
    """Finds which of a set of official labels a found label means.

    ``entries``: (official label, target).  Matching order: exact core, exact key,
    then similarity of keys (≥ ``threshold``, or ≥ ``near`` for a target the caller
    expects next).  Short cores (≤ ``short`` characters) only match exactly, so
    ``其他`` never drifts onto ``其他处理``.
    """

    def __init__(self, entries: list[tuple[str, object]], *, threshold: float = 0.75,
                 near: float = 0.6, short: int = 4):
        self.entries = [(official, target, core(official)) for official, target in entries]
        self.by_core: dict[str, tuple[str, object]] = {}
        self.by_key: dict[str, tuple[str, object]] = {}
        for official, target, c in self.entries:
            self.by_core.setdefault(c, (official, target))
            self.by_key.setdefault(key(c), (official, target))
        self.threshold = threshold
        self.near = near
        self.short = short

    def match(self, found: str, expected: object = None,
              exclude: set | None = None) -> tuple[str, object] | None:
        """(official label, target) for ``found``, or None."""
        c = core(found)
        if not c:
            return None
        hit = self.by_core.get(c) or self.by_key.get(key(c))
        if hit is not None:
            return hit
        if len(c) <= self.short:
            return None
        if len(c) >= 5:                     # a label cut short (wrapped in its cell): a prefix
            pre = [(o, t) for o, t, oc in self.entries if oc.startswith(c) and len(oc) > len(c)
                   and not (exclude and t in exclude and t != expected)]
            if len(pre) == 1 or (pre and any(t == expected for _, t in pre)):
                return next(((o, t) for o, t in pre if t == expected), pre[0])
        k = key(c)
        best: tuple[float, str, object] | None = None
        for official, target, oc in self.entries:
            if exclude and target in exclude and target != expected:
                continue
            ok = key(oc)
            if len(ok) <= self.short:
                continue
            s = similarity(k, ok)
            if k in ok or ok in k:
                s = max(s, 0.8 if min(len(k), len(ok)) >= 4 else s)
            if target == expected:
                s += 0.05
            if best is None or s > best[0]:
                best = (s, official, target)
        if best is None:
            return None
        s, official, target = best
        limit = self.near if target == expected else self.threshold
        if s >= limit:
            return official, target
        return None
