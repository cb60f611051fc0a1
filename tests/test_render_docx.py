"""DOCX export: the 公文 page, East Asian fonts, the official merged tables, page numbers."""
from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from docx.shared import Mm

from model import schema
from model.errors import RenderError
from model.render import docx_styles as S
from model.render import render
from model.render.docx_writer import write_docx
from model.render.sample import sample_report
from model.report import Report

from .test_render_txt import reports

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def sample_docx() -> bytes:
    return render(sample_report(), "docx")


@pytest.fixture(scope="module")
def document(sample_docx):
    return docx.Document(io.BytesIO(sample_docx))


def _tables(document):
    return document.element.body.findall(qn("w:tbl"))


def spans_of(tbl) -> set[tuple[int, int, int, int]]:
    """(row, col, rowspan, colspan) of every cell, rebuilt from gridSpan/vMerge."""
    starts: dict[tuple[int, int], list[int]] = {}
    open_at: dict[int, tuple[int, int]] = {}
    for r, tr in enumerate(tbl.findall(qn("w:tr"))):
        c = 0
        for tc in tr.findall(qn("w:tc")):
            pr = tc.find(qn("w:tcPr"))
            gs = pr.find(qn("w:gridSpan"))
            span = int(gs.get(qn("w:val"))) if gs is not None else 1
            vm = pr.find(qn("w:vMerge"))
            if vm is not None and vm.get(qn("w:val")) != "restart":
                starts[open_at[c]][0] += 1
            else:
                starts[(r, c)] = [1, span]
                open_at[c] = (r, c)
            c += span
    return {(r, c, rs, cs) for (r, c), (rs, cs) in starts.items()}


# ---------------------------------------------------------------------------
# page
# ---------------------------------------------------------------------------

def test_page_a4_and_gbt9704_margins(document):
    sec = document.sections[-1]
    assert abs(sec.page_width - Mm(210)) < Mm(0.5)
    assert abs(sec.page_height - Mm(297)) < Mm(0.5)
    for got, mm in ((sec.top_margin, 37), (sec.bottom_margin, 35), (sec.left_margin, 28),
                    (sec.right_margin, 26)):
        assert abs(got - Mm(mm)) < Mm(0.1)
    assert len(document.sections) == 1


def test_page_number_field_alternating_corners(document, sample_docx):
    sec = document.sections[-1]
    assert document.settings.odd_and_even_pages_header_footer
    with zipfile.ZipFile(io.BytesIO(sample_docx)) as z:
        assert b"evenAndOddHeaders" in z.read("word/settings.xml")
    aligns = {}
    for name, footer in (("odd", sec.footer), ("even", sec.even_page_footer)):
        el = footer._element
        instr = "".join(t.text for t in el.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        assert [f.get(qn("w:fldCharType")) for f in el.iter(qn("w:fldChar"))] == \
            ["begin", "separate", "end"]
        text = "".join(t.text for t in el.iter(qn("w:t")))
        assert text == "— 1 —"
        for r in el.iter(qn("w:r")):
            assert r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia")) == "宋体"
        aligns[name] = el.find(f"{qn('w:p')}/{qn('w:pPr')}/{qn('w:jc')}").get(qn("w:val"))
    assert aligns == {"odd": "right", "even": "left"}
    style = document.styles["页码"]
    assert style.font.size.pt == 14


# ---------------------------------------------------------------------------
# fonts and styles
# ---------------------------------------------------------------------------

def test_styles_carry_east_asian_fonts(document):
    for spec in S.SPECS:
        style = document.styles[spec.name]
        fonts = style.element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == spec.east, spec.name
        assert fonts.get(qn("w:eastAsiaTheme")) is None
        assert style.font.size.pt == spec.size
    normal = document.styles["Normal"].paragraph_format
    assert normal.line_spacing.pt == pytest.approx(S.BODY_LINE)
    assert 28 <= normal.line_spacing.pt <= 29
    ind = document.styles["Normal"].element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert document.styles["Title"].paragraph_format.alignment == 1   # centred


def test_every_run_has_an_east_asian_font(document):
    runs = list(document.element.body.iter(qn("w:r")))
    assert len(runs) > 250
    for r in runs:
        if r.find(qn("w:t")) is None:
            continue
        fonts = r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts is not None and fonts.get(qn("w:eastAsia"))


def test_paragraph_styles(document):
    paras = document.paragraphs
    assert paras[0].style.name == "Title"
    assert paras[0].text == "东湖区商务局\n2024年政府信息公开工作年度报告"   # a balanced break
    h1 = [p.text for p in paras if p.style.name == "Heading 1"]
    assert h1 == [s.heading for s in schema.SECTIONS]
    h2 = [p.text for p in paras if p.style.name == "Heading 2"]
    assert h2[0] == "（一）主动公开" and len(h2) == 5
    fonts = {p.style.name: p.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) for p in paras if p.runs}
    assert fonts["Title"] == "方正小标宋简体"
    assert fonts["Heading 1"] == "黑体"
    assert fonts["Heading 2"] == "楷体_GB2312"
    assert fonts["Normal"] == "仿宋_GB2312"


# ---------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("index,tid", [(0, "t2"), (1, "t3"), (2, "t4")])
def test_tables_have_the_official_merges(document, index, tid):
    tbl = _tables(document)[index]
    tdef = schema.TABLES[tid]
    want = {(g.row, g.col, g.rowspan, g.colspan) for g in tdef.grid}
    assert spans_of(tbl) == want
    assert len(tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))) == tdef.n_cols


def test_t3_and_t4_merged_header_cells(document):
    t3, t4 = _tables(document)[1], _tables(document)[2]
    first = t3.findall(qn("w:tr"))[0].findall(qn("w:tc"))
    corner = first[0].find(qn("w:tcPr"))
    assert corner.find(qn("w:gridSpan")).get(qn("w:val")) == "3"
    assert corner.find(qn("w:vMerge")).get(qn("w:val")) == "restart"
    assert first[1].find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}").get(qn("w:val")) == "7"
    group = t3.findall(qn("w:tr"))[5].findall(qn("w:tc"))[0]       # 三、本年度办理结果
    assert group.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}").get(qn("w:val")) == "restart"
    assert "".join(t.text for t in group.iter(qn("w:t"))) == schema.T3_RESULTS_GROUP
    top = t4.findall(qn("w:tr"))[0].findall(qn("w:tc"))
    assert [tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}").get(qn("w:val")) for tc in top] == ["5", "10"]


def test_tables_fit_the_text_block_and_repeat_headers(document):
    for tbl, tid in zip(_tables(document), ("t2", "t3", "t4"), strict=True):
        tdef = schema.TABLES[tid]
        widths = [int(g.get(qn("w:w"))) for g in tbl.find(qn("w:tblGrid"))]
        assert sum(widths) == S.TEXT_WIDTH
        assert abs(S.TEXT_WIDTH - Mm(156).twips) < 3
        rows = tbl.findall(qn("w:tr"))
        for i, tr in enumerate(rows):
            pr = tr.find(qn("w:trPr"))
            assert pr.find(qn("w:cantSplit")) is not None
            assert (pr.find(qn("w:tblHeader")) is not None) == (i < tdef.header_rows)


def test_table_values_centred_and_labels_exact(document):
    r = sample_report()
    t3 = docx.table.Table(_tables(document)[1], document)
    for ri, row in enumerate(t3.rows):
        for ci, cell in enumerate(row.cells):
            g = schema.TABLES["t3"].at(ri, ci)
            want = g.text if g.cell_id is None else str(r.values[g.cell_id])
            assert cell.text == want
            if g.cell_id is not None:
                assert cell.paragraphs[0].paragraph_format.alignment == 1
    fonts = {r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia"))
             for r in _tables(document)[1].iter(qn("w:r"))}
    assert fonts == {"宋体"}
    assert 10.5 <= document.styles["表格文字"].font.size.pt <= 12


# ---------------------------------------------------------------------------
# the reference document
# ---------------------------------------------------------------------------

def _strip_styles(src: Path, dest: Path, names: tuple[str, ...]) -> None:
    d = docx.Document(str(src))
    for name in names:
        el = d.styles[name].element
        el.getparent().remove(el)
    d.save(str(dest))


def test_missing_styles_fall_back_to_direct_formatting(tmp_path):
    from model.paths import REFERENCE_DOCX
    ref = tmp_path / "office.docx"
    _strip_styles(REFERENCE_DOCX, ref, ("Title", "Heading 1", "表格文字", "页码"))
    out = docx.Document(io.BytesIO(render(sample_report(), "docx", reference_docx=ref)))
    title = out.paragraphs[0]
    assert title.style.name == "Normal"
    assert title.paragraph_format.alignment == 1
    rpr = title.runs[0]._r.rPr
    assert rpr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert rpr.sz_val.pt == 22
    h1 = out.paragraphs[1]
    assert h1.text == "一、总体情况"
    assert h1.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    cell = out.tables[1].rows[3].cells[3]
    assert cell.paragraphs[0].runs[0]._r.rPr.sz_val.pt == 10.5
    footer = out.sections[-1].footer._element
    assert {r.find(f"{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val")) for r in footer.iter(qn("w:r"))} == {"28"}


def test_reference_fonts_come_from_the_office_styles(tmp_path):
    from model.paths import REFERENCE_DOCX
    d = docx.Document(str(REFERENCE_DOCX))
    d.styles["Normal"].element.rPr.rFonts.set(qn("w:eastAsia"), "方正仿宋_GBK")
    ref = tmp_path / "office.docx"
    d.save(str(ref))
    out = docx.Document(io.BytesIO(render(sample_report(), "docx", reference_docx=ref)))
    body = [p for p in out.paragraphs if p.style.name == "Normal" and p.runs]
    assert body and all(p.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正仿宋_GBK" for p in body)


def test_bad_reference_is_a_render_error(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(RenderError, match="不是有效的 Word 文档"):
        render(sample_report(), "docx", reference_docx=bad)
    with pytest.raises(RenderError, match="找不到参考文档"):
        render(sample_report(), "docx", reference_docx=tmp_path / "none.docx")


def test_markup_errors_are_reported():
    from model.render.context import build_context
    ctx = build_context(sample_report())
    with pytest.raises(RenderError, match="无法识别"):
        write_docx("#title x\n#heading y\n", ctx)
    with pytest.raises(RenderError, match="t9"):
        write_docx("#table t9\n", ctx)
    plain = docx.Document(io.BytesIO(write_docx("#title 标题\n一段正文\n#pagebreak\n#right 落款\n", ctx)))
    assert [p.text for p in plain.paragraphs] == ["标题", "一段正文", "", "落款"]


def test_text_is_kept_and_control_characters_dropped():
    r = Report.zeros(agency="东湖区<商务局>&", year=2024)
    r.sections["other"] = "本年度未收取\x07信息处理费\t（见附件）。"
    out = docx.Document(io.BytesIO(render(r, "docx")))
    texts = [p.text for p in out.paragraphs]
    assert texts[0].replace("\n", "") == "东湖区<商务局>&2024年政府信息公开工作年度报告"
    assert "本年度未收取信息处理费\t（见附件）。" in texts


# ---------------------------------------------------------------------------
# reading back and opening in LibreOffice
# ---------------------------------------------------------------------------

def test_docx_reads_back_through_the_docx_importer(tmp_path):
    try:
        from model.importers.docx import read_docx
        import model.importers.recognise  # noqa: F401
    except ImportError:
        pytest.skip("the DOCX importer's recogniser is not there yet")
    r = sample_report()
    p = tmp_path / "r.docx"
    p.write_bytes(render(r, "docx"))
    back = read_docx(p).report
    assert back.values == r.values
    for sid in schema.TEXT_SECTIONS:
        assert back.sections[sid] == r.sections[sid]


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_to_pdf(tmp_path, sample_docx):
    src = tmp_path / "report.docx"
    src.write_bytes(sample_docx)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["libreoffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "report.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        pages = int(next(ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")))
        assert 3 <= pages <= 6
        assert "595" in next(ln for ln in info.splitlines() if ln.startswith("Page size:"))


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(reports())
def test_docx_round_trip_random(tmp_path, r):
    try:
        from model.importers.docx import read_docx
        import model.importers.recognise  # noqa: F401
    except ImportError:
        pytest.skip("the DOCX importer's recogniser is not there yet")
    p = tmp_path / "r.docx"
    p.write_bytes(render(r, "docx"))
    back = read_docx(p).report
    assert back.values == r.values
    for sid in schema.TEXT_SECTIONS:
        assert back.sections[sid] == r.sections[sid]
    assert (back.agency, back.year) == (r.agency, r.year)


# ---------------------------------------------------------------------------
# the structural check (tests/docx_structure.py) every DOCX of the suite passes
# ---------------------------------------------------------------------------

def _with_document(data: bytes, edit) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "word/document.xml":
                blob = edit(blob.decode("utf-8")).encode("utf-8")
            dst.writestr(info, blob)
    return out.getvalue()


def _nth_replace(text: str, old: str, new: str, n: int) -> str:
    at = -1
    for _ in range(n):
        at = text.index(old, at + 1)
    return text[:at] + new + text[at + len(old):]


def test_every_docx_of_the_suite_is_checked():
    import model.render.docx_writer as writer
    assert getattr(writer.write_docx, "_structure_checked", False)


def test_structure_check_passes_the_exports(sample_docx):
    from .docx_structure import docx_problems
    assert docx_problems(sample_docx) == []
    draft = render(sample_report(), "docx", draft=True)
    assert docx_problems(draft) == []


@pytest.mark.parametrize("edit, problem", [
    (lambda x: x.replace("<w:vAlign w:val=\"center\"/></w:tcPr><w:p>", "<w:vAlign w:val=\"center\"/>"
                         "</w:tcPr><w:p>", 1).replace("</w:p></w:tc>", "</w:p><w:tbl/></w:tc>", 1),
     "does not end with a paragraph"),
    (lambda x: x.replace('<w:gridSpan w:val="4"/>', '<w:gridSpan w:val="3"/>', 1), "grid columns"),
    (lambda x: x.replace('<w:vMerge w:val="restart"/>', "", 1), "continues a vertical merge"),
    (lambda x: _nth_replace(x, "<w:cantSplit/></w:trPr>", "<w:cantSplit/><w:tblHeader/></w:trPr>", 2),
     "header row after a body row"),
    (lambda x: x.replace("<w:keepNext/><w:keepLines/>", "<w:keepLines/><w:keepNext/>", 1),
     "<w:keepNext> after <w:keepLines>"),
    (lambda x: x.replace('<w:tcW w:w="', '<w:vAlign w:val="top"/><w:tcW w:w="', 1),
     "<w:tcW> after <w:vAlign>"),
    (lambda x: x.replace("<w:pgSz ", '<w:docGrid w:linePitch="1"/><w:pgSz ', 1),
     "<w:pgSz> after <w:docGrid>"),
])
def test_structure_check_finds_broken_packages(sample_docx, edit, problem):
    from .docx_structure import docx_problems
    broken = _with_document(sample_docx, edit)
    assert broken != sample_docx
    assert any(problem in p for p in docx_problems(broken)), docx_problems(broken)


# ---------------------------------------------------------------------------
# issue 11: the page grid, heads and tables kept together, title, 落款, package
# ---------------------------------------------------------------------------

def _zip_text(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode("utf-8")


def _ppr_has(p, tag: str) -> bool:
    ppr = p.find(qn("w:pPr"))
    return ppr is not None and ppr.find(qn(tag)) is not None


def test_character_grid_22_lines_of_28(document):
    sect = document.element.body.find(qn("w:sectPr"))
    grid = sect.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    pitch, space = int(grid.get(qn("w:linePitch"))), int(grid.get(qn("w:charSpace")))
    text_h = S.PAGE_H - S.MARGIN_TOP - S.MARGIN_BOTTOM
    assert 22 * pitch <= text_h < 23 * pitch
    # Word's character pitch: the Normal size plus charSpace/4096 pt; 28 fit the line, 29 do not
    char_pt = document.styles["Normal"].font.size.pt + space / 4096
    assert 28 * char_pt * 20 <= S.TEXT_WIDTH < 29 * char_pt * 20
    normal = document.styles["Normal"].paragraph_format
    assert round(normal.line_spacing.pt * 20) == pitch


def test_level2_heads_ending_in_a_colon_are_heads():
    r = sample_report()
    r.sections["overview"] = ("总体情况。\n（一）主动公开：\n全年主动公开信息。\n"
                              "（二）依申请公开:\n全年收到申请。")
    d = docx.Document(io.BytesIO(render(r, "docx")))
    heads = [p for p in d.paragraphs if p.text in ("（一）主动公开：", "（二）依申请公开:")]
    assert len(heads) == 2
    for p in heads:
        assert p.style.name == "Heading 2" and _ppr_has(p._p, "w:keepNext")
        assert p.style.font.name is None or True
        assert _east_asia(p.style) == "楷体_GB2312"


def _east_asia(style):
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    return rfonts.get(qn("w:eastAsia"))


def test_every_head_keeps_with_next_even_when_the_office_style_does_not(tmp_path):
    ref = tmp_path / "office.docx"
    d = docx.Document(str(S_REF()))
    for name in ("Heading 1", "Heading 2", "Title"):
        d.styles[name].paragraph_format.keep_with_next = False
    d.save(str(ref))
    out = docx.Document(io.BytesIO(render(sample_report(), "docx", reference_docx=ref)))
    heads = [p for p in out.paragraphs if p.style.name in ("Title", "Heading 1", "Heading 2")]
    assert len(heads) > 8
    assert all(_ppr_has(p._p, "w:keepNext") for p in heads)


def S_REF():
    from model.paths import REFERENCE_DOCX
    return REFERENCE_DOCX


def _rows_kept(tbl) -> list[bool]:
    out = []
    for tr in tbl.findall(qn("w:tr")):
        paras = tr.findall(f"{qn('w:tc')}/{qn('w:p')}")
        kept = [_ppr_has(p, "w:keepNext") for p in paras]
        assert all(kept) or not any(kept), "a row's paragraphs agree"
        out.append(all(kept))
    return out


def test_table_two_captions_and_header_rows_keep_with_their_figures(document):
    tbl = _tables(document)[0]
    kept = _rows_kept(tbl)
    tdef = schema.TABLES["t2"]
    roles = {}
    for g in tdef.grid:
        roles.setdefault(g.row, set()).add(g.role)
    for r in range(tdef.n_rows):
        if roles[r] & {"caption", "header"}:
            assert kept[r], r
    assert not kept[-1]
    for tr in tbl.findall(qn("w:tr")):
        assert tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None


def test_merged_groups_of_table_three_are_never_cut(document):
    tbl = _tables(document)[1]
    kept = _rows_kept(tbl)
    tdef = schema.TABLES["t3"]
    for g in tdef.grid:
        if g.rowspan > 1:
            for r in range(g.row, g.row + g.rowspan - 1):
                assert kept[r], (g.text, r)
    group = next(g for g in tdef.grid if g.text == schema.T3_RESULTS_GROUP)
    assert all(kept[group.row:group.row + group.rowspan - 1])
    assert all(kept[:tdef.header_rows])
    assert not kept[-1]


def test_title_breaks_at_a_word_boundary(document):
    title = document.paragraphs[0]
    assert title.text == "东湖区商务局\n2024年政府信息公开工作年度报告"
    assert len(title._p.findall(f".//{qn('w:br')}")) == 1


def test_signature_block_follows_gbt9704(document):
    from model.render.layout import signature_layout
    paras = document.paragraphs
    sign, when = paras[-2], paras[-1]
    assert (sign.text, when.text) == ("东湖区商务局", "2025年1月20日")
    assert paras[-3].text == ""                          # one blank line after the text
    want = signature_layout("东湖区商务局", "2025年1月20日")
    for p, line in zip((sign, when), want, strict=True):
        ind = p._p.find(f"{qn('w:pPr')}/{qn('w:ind')}")
        assert p._p.find(f"{qn('w:pPr')}/{qn('w:jc')}").get(qn("w:val")) == "right"
        assert int(ind.get(qn("w:rightChars"))) == round(line.right * 100)
    # the date is longer than the 署名 minus two: it keeps 右空二字, the 署名 moves left
    assert want[1].right == 2 and want[1].start == want[0].start + 2
    assert _ppr_has(paras[-3]._p, "w:keepNext") and _ppr_has(sign._p, "w:keepNext")


def test_no_publish_date_means_no_signature_and_a_notice():
    from model.render import export_notices
    r = sample_report()
    r.publish_date = None
    d = docx.Document(io.BytesIO(render(r, "docx")))
    assert d.paragraphs[-1].text != "东湖区商务局"
    assert any("没有落款" in n for n in export_notices(r))
    assert export_notices(sample_report()) == []


def test_package_is_the_exports_own(sample_docx):
    import datetime as dt
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    data = render(sample_report(), "docx")
    after = dt.datetime.now(dt.UTC)
    props = docx.Document(io.BytesIO(data)).core_properties
    created = props.created if props.created.tzinfo else props.created.replace(tzinfo=dt.UTC)
    assert before <= created <= after and props.modified == props.created
    assert props.title == "东湖区商务局2024年政府信息公开工作年度报告" and props.author == "东湖区商务局"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        settings = z.read("word/settings.xml").decode()
        app = z.read("docProps/app.xml").decode()
        fonts = z.read("word/fontTable.xml").decode()
        parts = [z.read(n).decode() for n in names
                 if n in ("word/document.xml", "word/styles.xml") or n.startswith("word/footer")]
    assert not [n for n in names if "thumbnail" in n or n.startswith("customXml")
                or "stylesWithEffects" in n or n == "docProps/custom.xml"]
    assert 'w:eastAsia="zh-CN"' in settings and "<w:themeFontLang" in settings
    assert "attachedTemplate" not in settings
    assert "<Application>Nianbao</Application>" in app
    used = set()
    import re
    for text in parts:
        for attrs in re.findall(r"<w:rFonts ([^>]*)/>", text):
            used.update(re.findall(r'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"', attrs))
    listed = set(re.findall(r'<w:font w:name="([^"]+)"', fonts))
    assert used and used <= listed
    assert {"仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"} <= listed


def test_office_reference_leftovers_are_dropped(tmp_path):
    ref = tmp_path / "python-docx-default.docx"
    docx.Document().save(str(ref))          # a template with a thumbnail, custom XML, …
    with zipfile.ZipFile(ref) as z:
        assert any("thumbnail" in n for n in z.namelist())
    data = render(sample_report(), "docx", reference_docx=ref)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
    assert not [n for n in names if "thumbnail" in n or n.startswith("customXml")
                or "stylesWithEffects" in n]
    assert 'w:eastAsia="zh-CN"' in _zip_text(data, "word/settings.xml")


def test_page_number_digits_in_songti(sample_docx):
    for name in ("word/footer1.xml", "word/footer2.xml"):
        xml = _zip_text(sample_docx, name)
        assert 'w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"' in xml


def test_reference_docx_is_clean():
    from model.paths import REFERENCE_DOCX
    with zipfile.ZipFile(REFERENCE_DOCX) as z:
        names = set(z.namelist())
        core = z.read("docProps/core.xml").decode()
    assert names == {"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
                     "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml",
                     "word/settings.xml", "word/fontTable.xml"}
    assert "Nianbao" in core and "python-docx" not in core


def test_forced_export_is_marked_draft(tmp_path):
    from model.render import export
    r = sample_report()
    r.values["t3.new.total"] = 99                # an error: only a forced export writes it
    path = tmp_path / "草稿.docx"
    assert export(r, path, force=True)
    data = path.read_bytes()
    d = docx.Document(io.BytesIO(data))
    sec = d.sections[-1]
    for header in (sec.header, sec.even_page_header):
        assert "草稿" in [p.text for p in header.paragraphs]
    props = d.core_properties
    assert props.content_status == "草稿" and props.keywords == "草稿" and "草稿" in props.title
    clean = docx.Document(io.BytesIO(render(sample_report(), "docx"))).sections[-1]
    assert all(not p.text for p in clean.header.paragraphs)


def test_pages_in_libreoffice_keep_groups_and_signature(tmp_path, sample_docx):
    lo, totext = shutil.which("libreoffice") or shutil.which("soffice"), shutil.which("pdftotext")
    if not lo or not totext:
        pytest.skip("LibreOffice or pdftotext is not installed")
    from model.example import build
    src = tmp_path / "example.docx"
    src.write_bytes(render(build(), "docx"))
    subprocess.run([lo, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "example.pdf"
    text = subprocess.run([totext, "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = text.split("\f")
    squash = [p.replace(" ", "") for p in pages]
    # every row of 三、本年度办理结果 is on the page that holds its label
    first = next(i for i, p in enumerate(squash) if "（一）予以公开" in p)
    for label in ("（一）予以公开", "1.属于国家秘密", "2.重复申请", "3.其他", "（七）总计"):
        assert label in squash[first], label
    # 28 characters on a full line of body text
    body = [ln.strip() for p in pages for ln in p.splitlines()]
    assert max(len(ln.replace(" ", "")) for ln in body if "，" in ln) == 28
    # the title breaks before the year; the 落款 stays on the page of the last text
    top = [ln.strip() for ln in pages[0].splitlines() if ln.strip()]
    assert top[:2] == ["青岚县市场监督管理局", "2025 年政府信息公开工作年度报告"]
    last = [p for p in squash if p.strip()][-1]
    assert "2026年1月20日" in last and "本年度未收取信息处理费" in last


def test_reference_docx_is_what_the_builder_makes(tmp_path):
    """resources/reference.docx is regenerated from docx_styles (make_reference_docx.py)."""
    import importlib.util

    from model.paths import REFERENCE_DOCX
    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("make_reference_docx",
                                                  root / "resources" / "make_reference_docx.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = mod.build(tmp_path / "reference.docx")
    with zipfile.ZipFile(out) as a, zipfile.ZipFile(REFERENCE_DOCX) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        for name in a.namelist():
            assert a.read(name) == b.read(name), name
