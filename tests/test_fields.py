"""Figures bound into the text resolve to the current table figures."""
from __future__ import annotations

from decimal import Decimal

from model import fields
from model.example import build


def test_field_resolves_to_the_figure_and_follows_a_table_edit():
    r = build()
    r.sections["overview"] = (f"全年收到申请 {fields.token('t3.new.total')} 件，"
                              f"行政诉讼 {fields.token('suits')} 件。")
    assert fields.resolve(r.sections["overview"], r) == "全年收到申请 50 件，行政诉讼 1 件。"
    r.set("t3.new.person", 45)
    r.recompute_totals()
    assert fields.resolve(r.sections["overview"], r) == "全年收到申请 54 件，行政诉讼 1 件。"


def test_any_cell_id_is_a_field_and_fee_is_formatted():
    r = build()
    r.set("t2.fees.amount", Decimal("1.2500"))
    assert fields.resolve(fields.token("t2.fees.amount"), r) == "1.25"
    assert fields.resolve(fields.token("t3.denied.process.person"), r) == "1"


def test_unknown_field_stays_visible():
    r = build()
    assert fields.resolve("共 ⟦t9.nothing⟧ 件", r) == "共 ⟦?t9.nothing⟧ 件"


def test_text_without_fields_is_returned_unchanged():
    r = build()
    text = r.sections["problems"]
    assert fields.resolve(text, r) is text
    assert fields.resolved_sections(r)["problems"] == text


def test_fields_in_reports_positions():
    text = "甲⟦t3.new.total⟧乙⟦received⟧"
    assert fields.fields_in(text) == [(1, 15, "t3.new.total"), (16, 26, "received")]
    assert [f.key for f in fields.COMMON][:2] == ["t3.new.total", "t3.carried_in.total"]


def test_exports_and_rules_see_the_resolved_figure():
    from model.render import render
    from model.rules import check

    r = build()
    r.sections["overview"] = r.sections["overview"].replace("收到政府信息公开申请 50 件",
                                                            "收到政府信息公开申请 ⟦t3.new.total⟧ 件")
    assert "⟦" in r.sections["overview"]
    for fmt in ("txt", "html"):
        out = render(r, fmt)
        assert "收到政府信息公开申请 50 件" in out and "⟦" not in out
    assert not [f for f in check(r) if f.rule.startswith("N")]
    r.set("t3.new.person", 45)          # the table changes: the text follows, the rules stay quiet
    r.recompute_totals()
    r.set("t3.carried_out.person", 6)
    r.recompute_totals()
    assert "收到政府信息公开申请 54 件" in render(r, "txt")
    assert not [f for f in check(r) if f.rule == "N1"]


def test_docx_and_xlsx_carry_the_figure_not_the_token(tmp_path):
    from model.importers import read_file
    from model.render import export

    r = build()
    r.sections["other"] = "本年度未收取信息处理费。行政复议 ⟦t4.review.total⟧ 件。"
    for suffix in (".docx", ".xlsx"):
        p = tmp_path / f"r{suffix}"
        export(r, p, force=True)
        back = read_file(p).report
        assert "行政复议 4 件" in back.sections["other"] and "⟦" not in back.sections["other"]
