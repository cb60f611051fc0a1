"""HTML as agencies publish it: page chrome, rowspan/colspan, GBK, &nbsp;, 2019 format, seeds."""
from __future__ import annotations

import html as htmllib
import json
import time
from decimal import Decimal
from pathlib import Path

import pytest

from model import schema
from model.importers import read_html, read_html_blocks
from model.importers.blocks import Paragraph, Table
from model.importers.html import decode_html, html_text_blocks, trim_page

from .conftest import seed_path

FIX = Path(__file__).resolve().parent / "fixtures" / "import"
EXPECTED = json.loads((FIX / "expected_2021.json").read_text(encoding="utf-8"))
TITLE = f"{EXPECTED['agency']}{EXPECTED['year']}年政府信息公开工作年度报告"


def _want(cid: str):
    v = EXPECTED["values"][cid]
    return Decimal(v) if isinstance(v, str) else v


def _paras(blocks):
    return [b.text for b in blocks if isinstance(b, Paragraph)]


def _tables(blocks):
    return [b for b in blocks if isinstance(b, Table)]


# ---- page chrome ------------------------------------------------------------------

@pytest.mark.parametrize("name", ["report_page.html", "report_gbk.html"])
def test_navigation_and_footer_are_dropped(name):
    blocks = read_html_blocks(FIX / name)
    paras = _paras(blocks)
    assert paras[0] == TITLE
    text = "\n".join(paras)
    for chrome in ("首页", "办事服务", "当前位置", "无障碍", "分享到", "打印本页", "版权所有",
                   "网站标识码", "上一篇", "字体", "浏览次数", "document.write", "color: red",
                   "法定主动公开内容", "新闻中心"):
        assert chrome not in text, chrome
    assert paras[-2:] == [EXPECTED["agency"], "2025年1月20日"]
    # the navigation tables are gone: only the three report tables remain
    assert len(_tables(blocks)) == 3


def test_gbk_page_reads_like_the_utf8_page():
    assert read_html_blocks(FIX / "report_gbk.html") == read_html_blocks(FIX / "report_page.html")


def test_rowspan_colspan_nbsp_and_br_in_cells():
    t3 = _tables(read_html_blocks(FIX / "report_page.html"))[1]
    assert len(t3.rows) == schema.TABLES["t3"].n_rows
    assert all(len(r) == 10 for r in t3.rows)
    assert t3.rows[0][:3] == [schema.T3_CORNER] * 3                 # rowspan=3 colspan=3
    assert [r[0] for r in t3.rows[:3]] == [schema.T3_CORNER] * 3
    assert t3.rows[0][3:] == [schema.T3_APPLICANTS] * 7
    assert t3.rows[1][4:9] == [schema.T3_ORGS] * 5
    results = [r[0] for r in t3.rows[5:28]]
    assert results == [schema.T3_RESULTS_GROUP] * 22 + [schema.T3_ROWS[-1].label]   # rowspan=22
    secret = t3.rows[7]
    assert secret[1] == schema.T3_GROUP_DENIED and secret[3] == ""  # &nbsp; → empty
    assert t3.rows[6][1] == "（二）部分公开\n（区分处理的，只计这一情形，不计其他情形）"   # <br>


@pytest.mark.parametrize("name", ["report_page.html", "report_2019.html"])
def test_libxml2_and_pure_python_parsers_agree(name):
    text = decode_html((FIX / name).read_bytes())
    assert html_text_blocks(text, fast=True) == html_text_blocks(text, fast=False)


def test_trim_page_keeps_whole_documents_without_title():
    blocks = [Paragraph("二、主动公开政府信息情况"), Table([["a", "1"]])]
    assert trim_page(blocks) == blocks
    # a breadcrumb repeating the title does not count as the start
    blocks = [Paragraph(f"首页 > 年报 > {TITLE}"), Paragraph(TITLE), Paragraph("一、总体情况")]
    assert trim_page(blocks) == blocks[1:]


def test_chrome_by_class_and_hidden_elements():
    page = f"""<body><div id="breadcrumb">首页 &gt; 年报</div><h2>{TITLE}</h2>
    <div style="display: none">隐藏的文字</div><ul class="sub-menu"><li>菜单</li></ul>
    <p>一、总体情况</p><p>正文。</p><div class="bdshare">分享</div><p>六、其他需要报告的事项</p>
    <p>无。</p><div>联系我们</div><p>站点说明</p></body>"""
    assert _paras(html_text_blocks(page)) == [TITLE, "一、总体情况", "正文。",
                                              "六、其他需要报告的事项", "无。"]


@pytest.mark.parametrize("fast", [True, False])
def test_malformed_html_unclosed_cells_and_stray_tags(fast):
    page = ("<table><tr><td>信息内容<td>本年制发件数</div><tr><td>规章<td>0</table>"
            "<p>after</p></p><p>x</table>y")
    blocks = html_text_blocks(page, trim=False, fast=fast)
    assert blocks[0] == Table([["信息内容", "本年制发件数"], ["规章", "0"]])
    assert _paras(blocks) == ["after", "x", "y"] or _paras(blocks) == ["after", "xy"]


def test_spans_are_clamped_and_rowspan_zero_runs_to_the_end():
    page = ('<table><tr><td rowspan="0">A</td><td colspan="100000">B</td></tr>'
            "<tr><td>1</td></tr><tr><td>2</td></tr></table>")
    t = html_text_blocks(page, trim=False)[0]
    assert [r[0] for r in t.rows] == ["A", "A", "A"]
    assert len(t.rows[0]) <= 1 + 64 and t.rows[1][:2] == ["A", "1"]


@pytest.mark.parametrize("fast", [True, False])
def test_deeply_nested_page_does_not_crash(fast):
    page = "<div>" * 5000 + TITLE + "</div>" * 5000 + "<p>一、总体情况</p>"
    t0 = time.perf_counter()
    paras = _paras(html_text_blocks(page, fast=fast))
    assert time.perf_counter() - t0 < 2
    assert TITLE in paras[0]


# ---- decoding --------------------------------------------------------------------

def test_decode_html_charsets():
    text = "<p>政府信息公开</p>"
    assert decode_html(b"\xef\xbb\xbf" + text.encode()) == text
    assert decode_html(text.encode("utf-16")) == text
    assert decode_html(b'<meta charset="gb2312">' + text.encode("gbk")).endswith(text)
    # GBK without any declaration: utf-8 fails, gb18030 reads it
    assert decode_html(text.encode("gbk")) == text
    # declared utf-8 but saved as GBK (a common CMS mistake)
    assert decode_html(b'<meta charset="utf-8">' + text.encode("gbk")).endswith(text)
    # a GBK-only character (not in GB2312) on a page labelled GB2312
    assert decode_html(b'<meta http-equiv="Content-Type" content="text/html; charset=GB2312">'
                       + "镕".encode("gbk")).endswith("镕")


# ---- end to end ---------------------------------------------------------------------

@pytest.mark.parametrize("name", ["report_page.html", "report_gbk.html"])
def test_html_page_reads_every_cell(name):
    result = read_html(FIX / name)
    r = result.report
    assert result.source_format == "html" and result.source_name == name
    assert (r.agency, r.year) == (EXPECTED["agency"], EXPECTED["year"])
    for cid in schema.CELL_IDS:
        if cid == "t3.denied.secret.person":
            # published as &nbsp;: a blank, kept as such (rule C3 warns), not silently 0
            assert r.values[cid] is None and r.raw.get(cid) == ""
        else:
            assert r.values[cid] == _want(cid), cid
    assert r.sections["problems"] == "\n".join(EXPECTED["sections"]["problems"])
    assert r.sections["other"] == "\n".join(EXPECTED["sections"]["other"])
    found = [v[0] for v in r.structure.label_variants]
    assert "本年度止件数" in found


def test_2019_format_page():
    result = read_html(FIX / "report_2019.html")
    r = result.report
    assert r.format == schema.FORMAT_2019
    assert (r.agency, r.year) == (EXPECTED["agency_2019"], EXPECTED["year_2019"])
    for cid, v in EXPECTED["expected_2019"].items():
        assert r.values[cid] == v, cid
    assert r.values["t2.fees.amount"] is None
    assert r.sections["problems"].startswith("公开内容还不够全面")


def _seed_as_page(text: str) -> str:
    """A seed's text as an agency page would carry it: <p> lines and <table> rows, with chrome."""
    out = ['<html><head><meta charset="utf-8"></head><body>',
           '<div class="nav">首页 | 政务公开 | 年报</div>']
    rows: list[list[str]] = []

    def flush():
        if rows:
            out.append("<table border=1>" + "".join(
                "<tr>" + "".join(f"<td>{htmllib.escape(c) or '&nbsp;'}</td>" for c in r) + "</tr>"
                for r in rows) + "</table>")
            rows.clear()

    for line in text.splitlines():
        if "\t" in line or "|" in line:
            cells = line.split("\t") if "\t" in line else line.strip().strip("|").split("|")
            rows.append([c.strip() for c in cells])
        elif line.strip() and not set(line.strip()) <= set("-| "):
            flush()
            out.append(f"<p>{htmllib.escape(line.strip())}</p>")
    flush()
    out.append('<div class="footer">版权所有 某某区人民政府</div></body></html>')
    return "\n".join(out)


@pytest.mark.seeds
@pytest.mark.parametrize("prefix", ["000", "001", "004"])
def test_seed_through_html_reads_like_the_text(prefix):
    from model.importers.text import read_text_file

    path = seed_path(prefix)
    page = _seed_as_page(path.read_text(encoding="utf-8"))
    from_html = read_html(page.encode("utf-8")).report
    from_text = read_text_file(path).report
    assert from_html.values == from_text.values
    assert (from_html.agency, from_html.year) == (from_text.agency, from_text.year)


@pytest.mark.seeds
def test_seed_001_figures_through_html():
    page = _seed_as_page(seed_path("001").read_text(encoding="utf-8"))
    r = read_html(page.encode("gbk").replace(b'charset="utf-8"', b'charset="gbk"')).report
    assert r.values["t3.new.total"] == 35 and r.values["t3.results_total.total"] == 35
    assert r.values["t3.other.other.person"] == 16
    assert (r.values["t4.review.upheld"], r.values["t4.review.total"]) == (1, 2)


def test_nianbao_html_round_trip_gives_identical_cells():
    pytest.importorskip("model.render.sample")
    from model.render import render
    from model.render.sample import sample_report

    report = sample_report()
    data = render(report, "html")
    result = read_html(data if isinstance(data, bytes) else data.encode("utf-8"))
    assert result.report.values == report.values
    assert (result.report.agency, result.report.year) == (report.agency, report.year)
