"""HTML export: one self-contained page, semantic tables with the official spans, escaped text."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from model import schema
from model.render import render
from model.render.sample import sample_report


class _Cells(HTMLParser):
    """Collects the tables' cells as (table index, row index, tag, attrs, text)."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[tuple[str, dict, str]]]] = []
        self.cell = None
        self.in_head = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = [tag, dict(attrs), ""]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell:
            self.tables[-1][-1].append(tuple(self.cell))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[2] += data


def _parse(html):
    p = _Cells()
    p.feed(html)
    return p.tables


def test_self_contained_page():
    html = render(sample_report(), "html")
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in html
    assert "<title>东湖区商务局2024年政府信息公开工作年度报告</title>" in html
    assert "@page { size: A4" in html and "@media print" in html
    assert "FangSong" in html and "Noto Serif CJK SC" in html and "serif;" in html
    assert not re.search(r"<(link|script)\b|src=", html)
    for s in schema.SECTIONS:
        assert re.search(rf'<h2 style="[^"]*">{s.heading}</h2>', html)
    assert re.search(r'<h3 style="[^"]*楷体[^"]*">（一）主动公开</h3>', html)


def test_tables_have_official_spans_and_values():
    r = sample_report()
    html = render(r, "html")
    tables = _parse(html)
    assert len(tables) == 3
    for rows, tid in zip(tables, ("t2", "t3", "t4"), strict=True):
        tdef = schema.TABLES[tid]
        assert len(rows) == tdef.n_rows
        by_row = {}
        for g in tdef.grid:
            by_row.setdefault(g.row, []).append(g)
        for ri, cells in enumerate(rows):
            grid = sorted(by_row[ri], key=lambda g: g.col)
            assert len(cells) == len(grid)
            for (tag, attrs, text), g in zip(cells, grid, strict=True):
                assert int(attrs.get("rowspan", 1)) == g.rowspan
                assert int(attrs.get("colspan", 1)) == g.colspan
                if g.cell_id:
                    assert tag == "td" and attrs["data-cell"] == g.cell_id
                    assert text == str(r.values[g.cell_id])
                else:
                    assert tag == "th" and text == g.text
    assert html.count("<thead>") == 2            # 三 and 四 have header rows; 二 has captions
    assert re.search('<th rowspan="3" colspan="3" scope="colgroup" style="[^"]*">' + schema.T3_CORNER, html)
    assert re.search('<th colspan="10" scope="colgroup" style="[^"]*">行政诉讼</th>', html)


def test_text_is_escaped():
    r = sample_report()
    r.sections["other"] = "<script>alert('x')</script> & 其他"
    r.agency = "<b>局</b>"
    html = render(r, "html")
    assert "<script>" not in html and "<b>局" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; 其他" in html
    assert "&lt;b&gt;局&lt;/b&gt;" in html


def test_html_reads_back(tmp_path):
    try:
        from model.importers import read_file
        import model.importers.html
        import model.importers.recognise  # noqa: F401
    except ImportError:
        import pytest
        pytest.skip("the HTML importer is not there yet")
    r = sample_report()
    p = tmp_path / "r.html"
    p.write_text(render(r, "html"), "utf-8")
    back = read_file(p).report
    assert back.values == r.values
    assert back.sections == r.sections
    assert (back.agency, back.year) == (r.agency, r.year)


# ---------------------------------------------------------------------------
# issue 11: a body that survives a CMS (which drops <style>), scopes, caption, draft
# ---------------------------------------------------------------------------

def _article(html: str) -> str:
    start = html.index("<article")
    return html[start:html.index("</article>") + len("</article>")]


def test_article_carries_inline_styles_only():
    html = render(sample_report(), "html")
    art = _article(html)
    assert "<style" not in art and "class=\"grid" in art
    for tag in ("table", "th", "td", "p", "h1", "h2", "h3"):
        for m in re.finditer(rf"<{tag}\b([^>]*)>", art):
            assert 'style="' in m.group(1), (tag, m.group(0))
    # gridlines and alignment on every cell, without any stylesheet
    for m in re.finditer(r"<t[hd]\b[^>]*style=\"([^\"]*)\"", art):
        assert "border: 1px solid #000" in m.group(1) and "text-align:" in m.group(1)
    assert re.search(r'<table class="grid t3" style="[^"]*border-collapse: collapse', art)


def test_page_styles_never_reach_the_host_page():
    html = render(sample_report(), "html")
    css = html[html.index("<style>") + 7:html.index("</style>")]
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    selectors = re.findall(r"([^{}]+)\{", css)
    for sel in selectors:
        sel = sel.strip()
        if sel.startswith("@"):
            continue
        for one in sel.split(","):
            one = one.strip()
            assert one in ("html", "body") or one.startswith(".nianbao-report"), one


def test_caption_and_group_scopes():
    html = render(sample_report(), "html")
    for tid in ("t2", "t3", "t4"):
        heading = schema.SECTION_BY_ID[schema.TABLES[tid].section].heading
        assert re.search(rf'<table class="grid {tid}"[^>]*>\s*<caption[^>]*>'
                         rf"<h2[^>]*>{heading}</h2></caption>", html)
    assert re.search(r'<th class="label center" rowspan="22" scope="rowgroup" style="[^"]*">'
                     r'三、本年度办理结果</th>', html)
    assert re.search(r'<th class="label center" rowspan="3" scope="rowgroup" style="[^"]*">'
                     r"（四）无法提供</th>", html)
    assert re.search(r'<th colspan="7" scope="colgroup" style="[^"]*">申请人情况</th>', html)
    assert re.search(r'<th rowspan="2" scope="col" style="[^"]*">自然人</th>', html)


def test_signature_right_aligned_inline():
    html = render(sample_report(), "html")
    sign = re.findall(r'<p style="([^"]*)">(东湖区商务局|2025年1月20日)</p>', html)
    assert [t for _, t in sign] == ["东湖区商务局", "2025年1月20日"]
    assert all("text-align: right" in st for st, _ in sign)
    assert "padding-right: 4.5em" in sign[0][0] and "padding-right: 2.0em" in sign[1][0]


def test_draft_is_marked():
    html = render(sample_report(), "html", draft=True)
    assert "<title>（草稿）" in html and '<meta name="keywords" content="草稿">' in html
    assert re.search(r'<p class="draft" style="[^"]*">草稿：', _article(html))
    assert "草稿" not in render(sample_report(), "html")
