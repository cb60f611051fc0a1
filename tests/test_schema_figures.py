"""Derived figures are declared once in model.schema; fields, chart, X4 and the CLI read them."""
from __future__ import annotations

from model import fields, rules, schema
from model.chart import key_figures
from model.example import build


def test_suits_is_direct_plus_after_review_everywhere():
    r = build()
    r.set("t4.suit_direct.total", 2)
    r.set("t4.suit_after_review.total", 3)
    suits = schema.FIGURES["suits"]
    assert suits.value(r.num) == 5
    assert dict(key_figures(r))[suits.label] == 5
    assert fields.field_def("suits").value(r) == 5
    assert (suits.full_label, suits.cells) in rules._X4_FIGURES


def test_short_label_strips_numbering_and_note():
    assert schema.short_label("（三）不予公开") == "不予公开"
    assert schema.short_label("1.属于国家秘密") == "属于国家秘密"
    assert schema.short_label("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == "部分公开"
    assert schema.short_label("本年收费金额（单位：万元）") == "本年收费金额"


def test_every_figure_names_real_cells_and_the_lists_name_real_figures():
    for f in schema.FIGURES.values():
        assert f.cells and all(c in schema.CELLS for c in f.cells)
        assert f.label and f.full_label
    for keys in (schema.KEY_FIGURES, schema.CHART_FIGURES, schema.X4_FIGURES):
        assert set(keys) <= set(schema.FIGURES)
    assert set(schema.PREVIEW_CELLS) <= set(schema.CELLS)
    r = build()
    assert schema.figures_sentence(r.num, ("new",)) == f"新收申请 {r.num('t3.new.total')} 件"
