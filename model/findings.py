"""What a check finds: one :class:`Finding` per problem, stable and ordered, and where it is.

A finding carries its place as data — the meta field, the section, the cells —
so the window and the CLI route it with
:func:`place`, never by reading its message.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from . import schema

#: the report's meta fields a finding can point at (``Finding.field``)
META_FIELDS = ("agency", "year", "level", "tier", "publish_date")


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
    def from_key(cls, key: str) -> Severity:
        return {"error": cls.ERROR, "warning": cls.WARNING, "info": cls.INFO}[key]


@dataclass(frozen=True)
class Finding:
    rule: str                      # "T3-1", "N1", …
    severity: Severity
    message: str                   # Chinese: what is wrong and what it should be
    cells: tuple[str, ...] = ()    # canonical cell ids concerned
    section: str | None = None     # section id ("overview", "other", …) or "title"/"meta"
    field: str | None = None       # the meta field to fix (one of META_FIELDS), if any
    difference: int | None = None  # a balance that fails: by how much (T3-3: 一+二 − 三+四)

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"rule": self.rule, "severity": self.severity.key, "cells": list(self.cells),
                             "section": self.section, "message": self.message}
        for k in ("field", "difference"):
            if getattr(self, k) is not None:
                d[k] = getattr(self, k)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Finding:
        return cls(d["rule"], Severity.from_key(d["severity"]), d["message"],
                   tuple(d.get("cells", ())), d.get("section"), d.get("field"), d.get("difference"))


@dataclass(frozen=True)
class Place:
    """Where a finding is, for routing (``step``) and for people (``where``)."""

    step: str                # "meta", a text section id, a table's section id, or "check"
    where: str               # Chinese: "一、总体情况", "表三", "标题", "基本信息"
    field: str | None        # meta field, when the fix is there
    cells: tuple[str, ...]   # the cells concerned that exist in the schema

    @property
    def table(self) -> str | None:
        """The table id ("t3") whose cells the finding names first, if any."""
        return schema.CELLS[self.cells[0]].table if self.cells else None


def place(f: Finding) -> Place:
    """Where ``f`` belongs: a text section wins (a narrative finding names the text and the
    cells it disagrees with, and is fixed in the text), then the first cell's table, then
    the title or 基本信息."""
    cells = tuple(c for c in f.cells if c in schema.CELLS)
    if f.section in schema.TEXT_SECTIONS:
        return Place(f.section, schema.SECTION_BY_ID[f.section].heading, f.field, cells)
    if cells:
        sec = schema.SECTION_BY_ID[schema.TABLES[schema.CELLS[cells[0]].table].section]
        return Place(sec.id, f"表{sec.number}", f.field, cells)
    if f.section in schema.SECTION_BY_ID:
        sec = schema.SECTION_BY_ID[f.section]
        return Place(sec.id, sec.heading, f.field, cells)
    if f.section == "title":
        return Place("meta", "标题", f.field, cells)
    if f.section == "meta" or f.field is not None:
        return Place("meta", "基本信息", f.field, cells)
    return Place("check", "基本信息", f.field, cells)


def where(f: Finding) -> str:
    """The Chinese place name of ``f`` (CLI, audit summaries)."""
    return place(f).where
