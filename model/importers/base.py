"""What every reader returns: the report it recovered and notes on how it read it."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..report import Report


@dataclass(frozen=True)
class Note:
    """Something the reader wants the user to know (a variant label, an unplaced cell …)."""

    kind: str                       # "variant" | "unplaced" | "missing" | "format" | "meta" | "info"
    message: str                    # Chinese
    cells: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"kind": self.kind, "message": self.message, "cells": list(self.cells)}


@dataclass
class ImportResult:
    report: Report
    notes: list[Note] = field(default_factory=list)
    source_format: str = "txt"      # a READERS kind: "txt" | "docx" | "html" | "xlsx" | "pdf" | "nianbao"
    source_name: str = ""
