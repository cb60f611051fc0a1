"""Guards against a Qt binding that corrupts the interpreter.

PySide6 6.12.0 on Python 3.11 drops a reference to ``None`` on every call that
returns nothing; after a few thousand calls the process dies with
``none_dealloc``.  pyproject.toml pins a version without the bug; this test
fails if a future upgrade brings such a bug back.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QObject


def test_calls_into_qt_do_not_leak_references_to_none_or_bools():
    o = QObject()
    before = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    for _ in range(500):
        o.setObjectName("x")
        o.blockSignals(False)
        o.signalsBlocked()
    after = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    assert all(abs(a - b) < 50 for a, b in zip(before, after, strict=True)), (before, after)
