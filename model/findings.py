"""What a check finds: one :class:`Finding` per problem, stable and ordered."""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Severity(IntEnum):
    ERROR = 0
    WARNING = 1
    INFO = 2

    @property
    def label(self) -> str:
        return {0: "错误", 1: "警告", 2: "提示"}[int(self)]

    @property
    def key(self) -> str:
        return {0: "error", 1: "warning", 2: "info"}[int(self)]

    @classmethod
    def from_key(cls, key: str) -> "Severity":
        return {"error": cls.ERROR, "warning": cls.WARNING, "info": cls.INFO}[key]


@dataclass(frozen=True)
class Finding:
    rule: str                      # "T3-1", "N1", …
    severity: Severity
    message: str                   # Chinese: what is wrong and what it should be
    cells: tuple[str, ...] = ()    # canonical cell ids concerned
    section: str | None = None     # section id ("overview", "other", …) or "title"/"meta"

    def to_json(self) -> dict:
        return {"rule": self.rule, "severity": self.severity.key, "cells": list(self.cells),
                "section": self.section, "message": self.message}

    @classmethod
    def from_json(cls, d: dict) -> "Finding":
        return cls(d["rule"], Severity.from_key(d["severity"]), d["message"],
                   tuple(d.get("cells", ())), d.get("section"))
