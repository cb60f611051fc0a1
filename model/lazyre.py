"""Regular expressions compiled when first used.

Compiling a pattern costs 0.2–0.5 ms.  The modules the window loads before its first paint
(the schema, the number parser, the text sanitizer, the readers' registry) define a dozen
patterns of which the first paint uses none.  ``lazy(pattern, flags)`` stands for
``re.compile(pattern, flags)``: it has the compiled pattern's methods and attributes, and
after the first use they are the compiled pattern's own (no cost per call).
"""
from __future__ import annotations

import re
from typing import Any

_BOUND = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer",
          "pattern", "flags", "groups", "groupindex")


class LazyPattern:
    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self._args = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        # called only until the first use has bound the compiled pattern's methods here
        if name.startswith("__") or name == "_args":
            raise AttributeError(name)
        pattern, flags = self._args
        compiled: re.Pattern[Any] = re.compile(pattern, flags)
        for n in _BOUND:
            setattr(self, n, getattr(compiled, n))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._args[0]!r})"


def lazy(pattern: str | bytes, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)
