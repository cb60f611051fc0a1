"""The side-by-side HTML of a year-on-year comparison (:mod:`model.compare`), drawn through
the exporters' one Jinja environment (:mod:`.env`): the sandbox and Chinese messages for its
errors, as for every export."""
from __future__ import annotations

from ..compare import Comparison, carry_pairs, describe, format_rate
from . import env

COMPARE_TEMPLATE = "compare.html.j2"
env.TEMPLATE_NAMES.setdefault("compare", COMPARE_TEMPLATE)


def render_html(c: Comparison) -> str:
    """The side-by-side HTML report (templates/compare.html.j2)."""
    ctx = {
        "title": f"{describe(c.this)}与{describe(c.last)}报告对比",
        "this_name": describe(c.this), "last_name": describe(c.last),
        "rate": format_rate(c.rate),
        "sections": [{"heading": s.heading, "rate": format_rate(s.rate), "repeated": s.repeated,
                      "this": s.sentences, "last": s.last_sentences} for s in c.sections],
        "changes": [{"table": ch.table, "label": ch.label, "old": ch.shown("old"), "new": ch.shown("new"),
                     "delta": ch.delta_text,
                     "carry": [f.message for f in c.carry_for(ch.cell)]} for ch in c.changes],
        "unchanged": c.unchanged_cells,
        "carry": [{"cell": cid, "label": label, "this": this, "last": last,
                   "findings": [f"[{f.rule}] {f.message}" for f in fs]}
                  for cid, label, this, last, fs in carry_pairs(c)],
    }
    return env.render_template("compare", ctx)
