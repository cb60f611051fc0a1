"""PDF export (gui/pdf_render.py): the example drawn by Qt, read back with pdfium.

The PDF's text layer has the title, every heading, the page numbers and every
cell value; its fonts are embedded subsets; A4 pages; title and author in its
properties; a forced export is marked 草稿; the CLI makes it headless in a fresh
process with no display.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

import gui.renderers  # noqa: F401  (registers the PDF format, as main.py does)
from model import example, render, schema
from model.numbers import format_value
from model.render.context import paragraphs

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "resources" / "example.nianbao"


@pytest.fixture(scope="module")
def report(qapp):
    # qapp: pytest-qt's QApplication, so the GUI tests that may follow find one
    return example.build()


@pytest.fixture(autouse=True)
def _app(qapp):
    return qapp


@pytest.fixture(scope="module")
def pdf_path(report, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "报告.pdf"
    render.export(report, path)
    return path


@pytest.fixture(scope="module")
def pages_text(pdf_path) -> list[str]:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pdf_is_registered_and_renders_bytes(report):
    assert render.FORMATS[".pdf"][0] == "pdf"
    data = render.render(report, "pdf")
    assert isinstance(data, bytes) and data.startswith(b"%PDF-")


def test_text_has_title_headings_and_body(report, pages_text):
    flat = _flat("".join(pages_text))
    assert _flat(report.title) in flat
    for s in schema.SECTIONS:
        assert _flat(s.heading) in flat, s.heading
    for text in report.sections.values():
        for p in paragraphs(text):
            assert _flat(p["text"]) in flat, p["text"]
    # the 落款
    assert _flat(report.agency) in _flat(pages_text[-1])
    d = report.publish_date
    assert f"{d.year}年{d.month}月{d.day}日" in _flat(pages_text[-1])


def test_no_radical_stands_in_for_an_ideograph(pages_text):
    """Qt's ToUnicode names ⼯ (U+2F2F) for 工 and ⻘ for 青; the export rewrites them."""
    text = "".join(pages_text)
    assert not [ch for ch in text if 0x2E80 <= ord(ch) <= 0x2FDF or 0xF900 <= ord(ch) <= 0xFAFF]
    assert "政府信息公开工作" in _flat(text) and "青岚县" in text


def test_every_page_has_its_number(pages_text):
    for n, text in enumerate(pages_text, 1):
        assert re.search(rf"—\s*{n}\s*—", text), n


def test_page_numbers_at_the_outer_corners(pdf_path):
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            width, _h = page.get_size()
            tp = page.get_textpage()
            text = tp.get_text_range()
            k = text.rfind("—")
            left, bottom, right, _top = tp.get_charbox(k)
            assert bottom < 90                       # under the type area (35 mm = 99 pt)
            if (i + 1) % 2:
                assert left > width * 0.75           # odd pages: right
            else:
                assert right < width * 0.3           # even pages: left
    finally:
        pdf.close()


def test_every_cell_value_in_table_order(report, pages_text):
    numbers = re.findall(r"\d+(?:\.\d+)?", "\n".join(pages_text))
    want = []
    for tdef in schema.TABLES.values():
        for g in sorted(tdef.grid, key=lambda g: (g.row, g.col)):
            if g.cell_id is not None:
                want.append(format_value(report.values.get(g.cell_id)))
    assert len(want) >= 200 - 20
    # every value appears, in the tables' reading order
    it = iter(numbers)
    missing = [v for v in want if not any(n == v for n in it)]
    assert not missing


def test_a4_pages_and_page_count(report, pdf_path):
    from gui.pdf_render import layout
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        n = len(pdf)
        for i in range(n):
            w, h = pdf[i].get_size()
            assert abs(w - 595.3) < 1 and abs(h - 841.9) < 1
    finally:
        pdf.close()
    assert n == len(layout(render.render_context(report)).pages)
    assert 4 <= n <= 7


def test_metadata(report, pdf_path):
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        meta = pdf.get_metadata_dict()
    finally:
        pdf.close()
    assert meta["Title"] == report.title
    assert meta["Author"] == report.agency


def test_fonts_are_embedded_subsets(pdf_path):
    raw = pdf_path.read_bytes()
    descriptors = raw.count(b"/Type /FontDescriptor")
    embedded = len(re.findall(rb"/FontFile[23]\b", raw))
    assert descriptors >= 2 and embedded == descriptors
    # subsets: each font program is a small fraction of a CJK font (~16 MB)
    sizes = [int(m) for m in re.findall(rb"/Length1 (\d+)", raw)]
    assert sizes and max(sizes) < 1_000_000
    assert len(raw) < 1_000_000
    # named as subsets (ABCDEF+Name) where readers look: /BaseFont and /FontName
    base = re.findall(rb"/BaseFont /(\S+)", raw)
    assert base and all(re.match(rb"[A-Z]{6}\+", b) for b in base)


def test_cross_reference_table_points_at_every_object(pdf_path):
    """The subset-tag rewrite shifts objects; every xref entry must still find its object."""
    raw = pdf_path.read_bytes()
    start = int(re.search(rb"startxref\n(\d+)", raw[-64:]).group(1))
    assert raw[start:start + 5] == b"xref\n"
    first, count = map(int, re.match(rb"xref\n(\d+) (\d+)\n", raw[start:]).groups())
    entries = re.findall(rb"(\d{10}) (\d{5}) ([nf])", raw[start:start + 40 + 20 * count])
    assert len(entries) == count
    for num, (off, _gen, kind) in enumerate(entries, first):
        if kind == b"n":
            assert raw[int(off):].startswith(b"%d 0 obj" % num), num


def test_a_forced_export_is_marked_as_a_draft(tmp_path):
    r = example.build()
    r.values["t3.new.total"] += 1                 # T3-1: a total that does not sum
    path = tmp_path / "草稿.pdf"
    with pytest.raises(render.NotPublishReady):
        render.export(r, path)
    assert render.export(r, path, force=True)
    pdf = pdfium.PdfDocument(str(path))
    try:
        assert "草稿" in pdf.get_metadata_dict()["Title"]
        assert all("草稿" in pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def test_reads_back_to_the_same_cells_through_the_pdf_reader(report, pdf_path):
    from model import importers
    readers = getattr(importers, "READERS", ())
    if not any(".pdf" in getattr(rd, "suffixes", ()) for rd in readers):
        pytest.skip("model.importers has no PDF reader yet")
    back = importers.read_file(pdf_path).report
    assert back.agency == report.agency and back.year == report.year
    diff = {c: (report.values.get(c), back.values.get(c)) for c in schema.CELLS
            if report.values.get(c) != back.values.get(c)}
    assert not diff


def _headless_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def test_cli_makes_a_pdf_headless(tmp_path):
    out = tmp_path / "报告.pdf"
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "render", str(EXAMPLE), "--to", str(out)],
                          capture_output=True, text=True, encoding="utf-8", env=_headless_env(),
                          timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "已导出" in proc.stdout
    assert out.read_bytes().startswith(b"%PDF-")


def test_cli_exports_every_format_with_official_names(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "render", str(EXAMPLE), "--all",
                           "--out-dir", str(tmp_path)],
                          capture_output=True, text=True, encoding="utf-8", env=_headless_env(),
                          timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    base = "青岚县市场监督管理局2025年政府信息公开工作年度报告"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        base + s for s in (".docx", ".html", ".pdf", ".txt", ".xlsx"))
    assert proc.stdout.count("已导出") == 5


def test_cli_without_the_pdf_renderer_says_so_in_chinese(tmp_path):
    """model/cli.py alone (no gui): a clear sentence, not a traceback."""
    code = ("import sys; from model.cli import main; "
            f"sys.exit(main(['render', {str(EXAMPLE)!r}, '--to', {str(tmp_path / 'x.pdf')!r}]))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                          env=_headless_env(), cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    assert "PDF" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_cli_out_dir_needs_all(tmp_path, capsys):
    from model.cli import main
    assert main(["render", str(EXAMPLE), "--to", str(tmp_path / "a.docx"), "--out-dir", str(tmp_path)]) == 2
    assert "--all" in capsys.readouterr().err


def test_export_all_refuses_errors_and_writes_nothing(tmp_path):
    r = example.build()
    r.values["t3.new.total"] += 1
    with pytest.raises(render.NotPublishReady):
        render.export_all(r, tmp_path)
    assert list(tmp_path.iterdir()) == []
    paths, blockers = render.export_all(r, tmp_path, force=True)
    assert blockers and len(paths) == len(render.FORMAT_IDS)
    assert all(p.exists() for p in paths)


def test_export_all_into_a_missing_folder(tmp_path):
    with pytest.raises(render.RenderError, match="不存在"):
        render.export_all(example.build(), tmp_path / "nope")


def test_official_file_name_is_safe():
    r = example.build()
    r.agency = "某某/县:局"
    assert render.official_file_name(r, "pdf") == "某某_县_局2025年政府信息公开工作年度报告.pdf"


def test_post_processing_leaves_other_files_alone():
    from gui.pdf_render import fix_to_unicode, tag_subset_names
    odd = b"%PDF-1.4\n1 0 obj\n<< /BaseFont /Foo >>\nendobj\n"
    assert tag_subset_names(odd) == odd
    assert fix_to_unicode(odd, {0x2F2F: 0x5DE5}) == odd
    cmap = (b"beginbfrange\n<0001> <0001> <2F2F>\n<0002> <0003> [<2EC4> <0041> ]\n"
            b"<0004> <000F> <2F00>\nendbfrange")       # a linear range stays as it is
    assert fix_to_unicode(cmap, {0x2F2F: 0x5DE5, 0x2EC4: 0x9752, 0x2F00: 0x4E00}) == (
        b"beginbfrange\n<0001> <0001> <5DE5>\n<0002> <0003> [<9752> <0041> ]\n"
        b"<0004> <000F> <2F00>\nendbfrange")


def test_the_windows_html_preview_draws_the_title_on_the_shared_lines():
    """The 检查与导出 step previews the HTML export in a QTextBrowser (seen at 1366×768: the
    preview is about 620 px wide): the title should be drawn on the lines every format shares,
    never with 告 alone on the second line."""
    width = 620
    from PySide6.QtWidgets import QTextBrowser

    from model.render.layout import title_lines
    r = example.build()
    view = QTextBrowser()
    view.resize(width, 400)
    view.setHtml(render.render(r, "html"))
    doc = view.document()
    doc.setTextWidth(view.viewport().width())
    want = title_lines(render.official_title(r.agency, r.year))
    blk = doc.begin()
    while blk.isValid() and want[0] not in blk.text():
        blk = blk.next()
    assert blk.isValid()
    lay = blk.layout()
    got = [blk.text()[lay.lineAt(i).textStart():][:lay.lineAt(i).textLength()].strip("\u2028 ")
           for i in range(lay.lineCount())]
    assert got == want


@pytest.mark.parametrize("agency", ["东湖区商务局", "某某市某某区人民政府办公室", "北城街道办事处"])
def test_a_broken_title_reads_back_from_the_pdf(tmp_path, agency):
    """The PDF draws the title on two lines; the PDF reader joins them back to the agency and
    the year (with no 落款 to fall back on)."""
    from model.importers import read_file
    r = example.build()
    r.agency, r.year, r.publish_date = agency, 2024, None
    path = tmp_path / "报告.pdf"
    path.write_bytes(render.render(r, "pdf"))
    back = read_file(path).report
    assert (back.agency, back.year) == (agency, 2024)
