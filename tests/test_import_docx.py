"""DOCX made by Word-like python-docx, LibreOffice (from HTML and from TXT), and Nianbao."""
from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from model import schema
from model.importers import read_docx, read_docx_blocks
from model.importers.blocks import Paragraph, Table
from model.importers.docx import paragraph_text, table_grid

FIX = Path(__file__).resolve().parent / "fixtures" / "import"
EXPECTED = json.loads((FIX / "expected_2021.json").read_text(encoding="utf-8"))


def _want(cid: str):
    v = EXPECTED["values"][cid]
    return Decimal(v) if isinstance(v, str) else v


def _official_grid(table_id: str, values) -> list[list[str]]:
    """The table as the readers must give it: every merged cell repeated over its span."""
    t = schema.TABLES[table_id]
    rows = []
    for r in range(t.n_rows):
        row = []
        for c in range(t.n_cols):
            g = t.at(r, c)
            row.append(str(values[g.cell_id]) if g.cell_id else g.text)
        rows.append(row)
    return rows


def _tables(blocks):
    return [b for b in blocks if isinstance(b, Table)]


def _paras(blocks):
    return [b.text for b in blocks if isinstance(b, Paragraph)]


# ---- blocks -----------------------------------------------------------------

@pytest.mark.parametrize("name", ["word_like.docx", "lo_from_html.docx"])
def test_merged_cells_are_expanded_onto_the_grid(name):
    tables = _tables(read_docx_blocks(FIX / name))
    assert len(tables) == 3
    for table, tid in zip(tables, ("t2", "t3", "t4"), strict=True):
        # LibreOffice keeps the <br> of the HTML label as a line break inside the cell
        rows = [[c.replace("\n", "") for c in row] for row in table.rows]
        assert rows == _official_grid(tid, EXPECTED["values"]), (name, tid)


def test_word_like_docx_document_order_runs_textbox_and_content_control():
    blocks = read_docx_blocks(FIX / "word_like.docx")
    kinds = [type(b).__name__ for b in blocks]
    paras = _paras(blocks)
    assert paras[0] == f"{EXPECTED['agency']}{EXPECTED['year']}年政府信息公开工作年度报告"
    # a number split over three runs reads whole
    assert "本年度共收到政府信息公开申请7件，均在法定期限内答复。" in paras[4]
    # text boxes are not report text
    assert not any("文本框" in p for p in paras)
    # the content control around section 五 is opened, in place
    i = paras.index("五、存在的主要问题及改进情况")
    assert paras[i + 1:i + 3] == EXPECTED["sections"]["problems"]
    assert paras[i + 3] == "六、其他需要报告的事项"
    # headings and tables interleave in document order
    t_positions = [i for i, k in enumerate(kinds) if k == "Table"]
    for pos, heading in zip(t_positions, ("二、", "三、", "四、"), strict=True):
        assert isinstance(blocks[pos - 1], Paragraph) and blocks[pos - 1].text.startswith(heading)


def test_libreoffice_txt_conversion_gives_tab_rows_as_tables():
    blocks = read_docx_blocks(FIX / "lo_from_txt.docx")
    tables = _tables(blocks)
    assert tables, "tab-separated paragraphs must become table rows"
    rows = [r for t in tables for r in t.rows]
    assert ["行政许可", "1386"] in [[c for c in r if c] for r in rows]
    assert all("\t" not in p for p in _paras(blocks))


def _doc_with(xml_body: str) -> bytes:
    d = docx.Document()
    body = d.element.body
    for el in parse_xml(f'<w:body {nsdecls("w")}>{xml_body}</w:body>').iterchildren():
        body.insert(len(body) - 1, el)          # before sectPr
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _tc(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def test_gridspan_vmerge_and_gridbefore():
    tbl = parse_xml(
        f'<w:tbl {nsdecls("w")}>'
        "<w:tr>" + _tc("A", '<w:vMerge w:val="restart"/>') + _tc("B", '<w:gridSpan w:val="2"/>') + "</w:tr>"
        "<w:tr>" + _tc("", "<w:vMerge/>") + _tc("1") + _tc("2") + "</w:tr>"
        "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>" + _tc("3") + _tc("4") + "</w:tr>"
        "</w:tbl>")
    assert table_grid(tbl) == [["A", "B", "B"], ["A", "1", "2"], ["", "3", "4"]]


def test_paragraph_text_skips_deleted_and_field_codes_and_joins_runs():
    p = parse_xml(
        f'<w:p {nsdecls("w")}><w:r><w:t>共</w:t></w:r><w:r><w:t>3</w:t></w:r>'
        "<w:del><w:r><w:delText>9</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>5</w:t></w:r></w:ins>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        "<w:hyperlink><w:r><w:t>件</w:t></w:r></w:hyperlink></w:p>")
    assert paragraph_text(p) == "共35件"


def test_layout_table_and_nested_tables_become_blocks():
    inner = ("<w:tbl><w:tr>" + _tc("信息内容") + _tc("本年制发件数") + "</w:tr>"
             "<w:tr>" + _tc("规章") + _tc("0") + "</w:tr></w:tbl>")
    outer = (f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>二、主动公开政府信息情况</w:t></w:r></w:p>{inner}"
             "<w:p/></w:tc></w:tr></w:tbl>")
    box = "<w:tbl><w:tr>" + _tc("一个单元格的方框") + "</w:tr></w:tbl>"
    blocks = read_docx_blocks(_doc_with(outer + box))
    assert blocks == [Paragraph("二、主动公开政府信息情况"),
                      Table([["信息内容", "本年制发件数"], ["规章", "0"]]),
                      Paragraph("一个单元格的方框")]


def test_line_break_inside_a_paragraph_splits_it():
    body = '<w:p><w:r><w:t>一、总体情况</w:t><w:br/><w:t>（一）主动公开。</w:t></w:r></w:p>'
    assert _paras(read_docx_blocks(_doc_with(body))) == ["一、总体情况", "（一）主动公开。"]


# ---- end to end ---------------------------------------------------------------

@pytest.mark.parametrize("name", ["word_like.docx", "lo_from_html.docx", "lo_from_txt.docx"])
def test_docx_reads_every_cell_and_the_meta(name):
    result = read_docx(FIX / name)
    r = result.report
    assert result.source_format == "docx" and result.source_name == name
    assert (r.agency, r.year) == (EXPECTED["agency"], EXPECTED["year"])
    for cid in schema.CELL_IDS:
        assert r.values[cid] == _want(cid), cid
    assert r.sections["problems"] == "\n".join(EXPECTED["sections"]["problems"])
    assert r.sections["other"] == "\n".join(EXPECTED["sections"]["other"])
    assert r.sections["overview"].endswith("\n".join(EXPECTED["sections"]["overview"]))
    assert "文本框" not in r.sections["overview"]


def _nianbao_docx(report) -> bytes:
    from model.render import render

    data = render(report, "docx")
    return data if isinstance(data, bytes) else data.encode()


def test_nianbao_docx_round_trip_gives_identical_cells():
    pytest.importorskip("model.render.sample")
    from model.render.sample import sample_report

    report = sample_report()
    result = read_docx(_nianbao_docx(report))
    assert result.report.values == report.values
    assert result.report.agency == report.agency and result.report.year == report.year
    for sid in schema.TEXT_SECTIONS:
        assert result.report.sections[sid].split() == report.sections[sid].split(), sid


def test_2019_format_docx(tmp_path):
    """A 2019-format report as a DOCX (made from the 2019 HTML fixture's tables)."""
    from model.importers import read_html_blocks

    blocks = read_html_blocks(FIX / "report_2019.html")
    d = docx.Document()
    for b in blocks:
        if isinstance(b, Paragraph):
            d.add_paragraph(b.text)
        elif isinstance(b, Table):
            n_cols = max(len(r) for r in b.rows)
            t = d.add_table(rows=len(b.rows), cols=n_cols)
            done = set()
            for i, row in enumerate(b.rows):            # re-merge the repeated texts
                for j, text in enumerate(row):
                    if (i, j) in done:
                        continue
                    j2 = j
                    while j2 + 1 < len(row) and row[j2 + 1] == text and text:
                        j2 += 1
                    cell = t.cell(i, j).merge(t.cell(i, j2)) if j2 > j else t.cell(i, j)
                    cell.text = text
                    done.update((i, k) for k in range(j, j2 + 1))
    path = tmp_path / "2019.docx"
    d.save(path)
    result = read_docx(path)
    assert result.report.format == schema.FORMAT_2019
    for cid, v in EXPECTED["expected_2019"].items():
        assert result.report.values[cid] == v, cid
    assert result.report.values["t2.fees.amount"] is None      # 2019 (八) counts items, not money
    assert any(n.kind == "format" for n in result.notes)


def test_docx_reader_reads_the_fixture_repeatably():
    """(Its speed, target 0.1 s, is measured by bench/bench_budgets.py, not here.)"""
    data = (FIX / "word_like.docx").read_bytes()
    assert read_docx(data).report.values == read_docx(data).report.values


@pytest.mark.seeds
@pytest.mark.parametrize("prefix", ["001", "003"])
def test_seed_text_pasted_into_word_reads_like_the_text(prefix, tmp_path):
    """A seed's text pasted into Word line by line (tabs and ``|`` kept), saved as DOCX."""
    from model.importers.text import read_text_file

    from .conftest import seed_path

    path = seed_path(prefix)
    d = docx.Document()
    for line in path.read_text(encoding="utf-8").splitlines():
        d.add_paragraph(line)
    out = tmp_path / "pasted.docx"
    d.save(out)
    from_docx = read_docx(out).report
    from_text = read_text_file(path).report
    assert from_docx.values == from_text.values
    assert (from_docx.agency, from_docx.year) == (from_text.agency, from_text.year)
