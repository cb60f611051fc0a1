"""The year-on-year chart: a self-contained SVG with bars proportional to the figures."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from model import schema
from model.chart import NO_BASELINE, bars_svg, key_figures, nice_max, year_on_year_svg
from model.example import build

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def bars(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//s:rect[@class='bar']", NS)


def test_chart_has_two_bars_per_key_figure_with_the_values():
    r = build()
    root = parse(year_on_year_svg(r))
    bs = bars(root)
    figures = key_figures(r)
    assert len(bs) == 2 * len(figures) == 18
    this = {b.get("data-label"): int(b.get("data-value")) for b in bs if b.get("data-series") == "2025 年"}
    last = {b.get("data-label"): int(b.get("data-value")) for b in bs if b.get("data-series") == "2024 年"}
    assert this["新收申请"] == r.values["t3.new.total"] == 50
    assert last["新收申请"] == r.baseline.values["t3.new.total"] == 38
    assert this["予以公开"] == 24 and this["部分公开"] == 6
    assert this["不予公开"] == 3 and this["无法提供"] == 12 and this["不予处理"] == 3
    assert this["行政复议"] == 4 and this["行政诉讼"] == 1


def test_bar_heights_are_proportional_to_values():
    root = parse(year_on_year_svg(build()))
    ratios = set()
    for b in bars(root):
        v, h = int(b.get("data-value")), float(b.get("height"))
        if v == 0:
            assert h == 0
        else:
            assert h > 0
            ratios.add(round(h / v, 3))
    assert len(ratios) == 1
    # bars stand on one baseline
    assert len({round(float(b.get("y")) + float(b.get("height")), 2) for b in bars(root)}) == 1


def test_legend_labels_and_cjk_font():
    svg = year_on_year_svg(build())
    root = parse(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "2024 年" in texts and "2025 年" in texts
    assert len(root.findall(".//s:rect[@class='legend']", NS)) == 2
    assert "主要数字与上年对比" in root.find("s:title", NS).text
    font = root.get("font-family")
    assert "Noto Sans CJK SC" in font and "Microsoft YaHei" in font and font.endswith("sans-serif")
    assert "<script" not in svg and "href" not in svg          # self-contained


def test_no_baseline_says_so():
    r = build()
    r.baseline = None
    root = parse(year_on_year_svg(r))
    assert not bars(root)
    assert any(t.text == NO_BASELINE for t in root.iter("{http://www.w3.org/2000/svg}text"))


def test_agency_name_is_escaped():
    r = build()
    r.agency = "<某&局>"
    root = parse(year_on_year_svg(r))
    assert root.find("s:title", NS).text.startswith("<某&局>")


def test_all_zero_figures_draw_flat_bars():
    r = build()
    for cid in schema.CELL_IDS:
        r.values[cid] = 0
    root = parse(year_on_year_svg(r))
    zero = [b for b in bars(root) if b.get("data-series") == "2025 年"]
    assert zero and all(float(b.get("height")) == 0 for b in zero)


@pytest.mark.parametrize("v, top, step",
                         [(0, 1, 1), (3, 3, 1), (50, 50, 10), (51, 60, 20), (1285, 1500, 500)])
def test_axis_maximum_is_round(v, top, step):
    assert nice_max(v) == (top, step)


def test_bars_svg_generic_series():
    root = parse(bars_svg(["甲", "乙"], [("上年", [1, 2]), ("本年", [4, 0])], title="t"))
    assert [int(b.get("data-value")) for b in bars(root)] == [1, 4, 2, 0]
