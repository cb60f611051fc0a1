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
    for tbl, tid in zip(_tables(document), ("t2", "t3", "t4")):
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
