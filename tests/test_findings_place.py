"""Findings carry their place: routing reads structure, never the wording of a message."""
from __future__ import annotations

from datetime import date

from model.example import build
from model.findings import Finding, Severity, place, where
from model.rules import check


def test_place_of_each_kind():
    w = Severity.WARNING
    assert place(Finding("N1", w, "x", ("t3.new.total",), "overview")).step == "overview"
    assert where(Finding("N1", w, "x", ("t3.new.total",), "overview")) == "一、总体情况"
    p = place(Finding("T3-1", Severity.ERROR, "x", ("t3.new.total", "t3.new.person"), "requests"))
    assert (p.step, p.where, p.table) == ("requests", "表三", "t3")
    assert place(Finding("S1", w, "x", section="title")).where == "标题"
    assert place(Finding("S8", w, "随便怎么写", section="meta", field="publish_date")).field == "publish_date"
    assert place(Finding("Q", w, "x")).step == "check"


def test_rules_give_meta_findings_their_field_and_t3_3_its_difference():
    r = build()
    r.agency = ""
    r.publish_date = date(r.year + 1, 6, 1)
    r.values["t3.new.person"] += 3
    fs = check(r)
    fields = {f.field for f in fs if f.section == "meta"}
    assert {"agency", "publish_date"} <= fields
    t33 = [f for f in fs if f.rule == "T3-3"]
    assert t33 and all(f.difference == 3 for f in t33)


def test_json_round_trip_keeps_the_place():
    f = Finding("S8", Severity.WARNING, "m", section="meta", field="publish_date")
    assert Finding.from_json(f.to_json()) == f
    g = Finding("T3-3", Severity.ERROR, "m", ("t3.new.person",), "requests", difference=-2)
    assert Finding.from_json(g.to_json()) == g
    assert "field" not in Finding("C1", Severity.ERROR, "m").to_json()


def test_audit_does_not_import_the_cli():
    import ast
    from pathlib import Path
    src = Path(__file__).resolve().parent.parent / "model" / "audit.py"
    names = {n.module for n in ast.walk(ast.parse(src.read_text(encoding="utf-8")))
             if isinstance(n, ast.ImportFrom)}
    assert "cli" not in names and "model.cli" not in names
