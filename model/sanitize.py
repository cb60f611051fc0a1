"""Text that every writer can hold: control characters removed, lengths bounded.

A report's text arrives from imported pages and files and from project files.
XML 1.0 (DOCX, XLSX) cannot hold the C0 control characters other than tab,
newline and carriage return, the non-characters U+FFFE/U+FFFF, nor lone
surrogates (which also cannot be encoded as UTF-8).  :func:`clean_text` removes
them; it is applied where text enters (import, project load) and again by
every writer on its own.  :func:`terminal_name` is a file name safe to print:
a name with a newline cannot forge a line and no escape sequence reaches the
terminal.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .lazyre import lazy

if TYPE_CHECKING:
    from .report import Report

# what XML 1.0 and UTF-8 cannot hold
_BAD = lazy("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# what must not reach a terminal: every C0/C1 control, DEL, and the line/paragraph separators
_TERMINAL_BAD = lazy("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")

# the bounds of a report's text (the loader, the importers, the save and the writers use them)
MAX_SECTION_CHARS = 200_000         # one text section (the longest real one is under 20 000)
MAX_SHORT_CHARS = 2_000             # agency, title, a heading, a cell's raw text
MAX_LIST_ITEMS = 500                # headings, subheads, label variants


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    if not text:
        return text
    return _BAD.sub("", text)


def has_bad(text: str) -> bool:
    return bool(text) and _BAD.search(text) is not None


def clean_report(report: Report) -> int:
    """Remove unwritable characters from every text of ``report`` (and its baseline), in place.

    Returns how many texts were changed.
    """
    changed = 0

    def fix(s: str) -> str:
        nonlocal changed
        if s and _BAD.search(s):
            changed += 1
            return _BAD.sub("", s)
        return s

    seen: set[int] = set()
    r: Report | None = report
    while r is not None and id(r) not in seen:
        seen.add(id(r))
        r.agency = fix(r.agency)
        for k, v in list(r.sections.items()):
            r.sections[k] = fix(v)
        for k, v in list(r.raw.items()):
            r.raw[k] = fix(v)
        st = r.structure
        if st is not None:
            if isinstance(st.title_line, str):
                st.title_line = fix(st.title_line)
            st.headings = [fix(h) for h in st.headings]
            st.subheads = {k: [fix(x) for x in v] for k, v in st.subheads.items()}
            st.label_variants = [(fix(a), fix(b)) for a, b in st.label_variants]
        r = r.baseline
    return changed


def terminal_name(name: object) -> str:
    """``name`` printable on one terminal line: control characters shown as ``\\xNN`` escapes."""
    s = str(name)
    if not _TERMINAL_BAD.search(s):
        return s

    def esc(m: re.Match[str]) -> str:
        c = ord(m.group(0))
        if c == 0x0A:
            return "\\n"
        if c == 0x0D:
            return "\\r"
        if c == 0x09:
            return "\\t"
        return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
    return _TERMINAL_BAD.sub(esc, s)
