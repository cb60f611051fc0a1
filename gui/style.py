"""The window's colours, named once (hex strings; ``brush()``/``color()`` make the Qt objects).

Severity colours for text on white (problems panel, lists), light backgrounds for
table cells (changed, total, error, unmapped).  New code takes its colours from
here; the older modules that still define their own are listed in
docs/ARCHITECTURE.md.
"""
from __future__ import annotations

from functools import cache

from PySide6.QtGui import QBrush, QColor

from model.findings import Severity

#: text colour of a finding by severity (problems panel, the step lists)
SEVERITY_TEXT: dict[Severity, str] = {
    Severity.ERROR: "#b3261e",
    Severity.WARNING: "#8a6100",
    Severity.INFO: "#35618f",
}
ERROR_TEXT = "#c62828"            # a message that stops the clerk (status lines, refused rows)
OK_TEXT = "#2e7d32"

CHANGED_BG = "#fff4cc"            # a cell an action is about to change
TOTAL_BG = "#eeeeee"              # a computed total
UNMAPPED_BG = "#fdecea"           # a value that maps to nothing yet


@cache
def color(hex_code: str) -> QColor:
    return QColor(hex_code)


@cache
def brush(hex_code: str) -> QBrush:
    return QBrush(QColor(hex_code))
