"""The PDF reader: PDFs of the project's own exports (LibreOffice, Chromium), PDFs drawn here
(ruled and borderless tables, a title on two lines, running headers, page numbers, radicals,
a browser's print header and footer), a scan, a table cut off at the page edge, and the real
WPS-made PDF of the shared corpus."""
from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from model import project
from model.errors import ReadError
from model.importers import read_file
from model.importers import pdf as P
from model.importers.blocks import Paragraph, Table
from model.render import render
from tests.pdf_maker import LEFT, PdfMaker, report_pdf

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "resources" / "example.nianbao"
CORPUS = ROOT.parent / "shared" / "corpus"
RADICALS = {"行": "⾏", "长": "⻓", "门": "⻔", "见": "⻅"}     # Kangxi 行, Supplement 长 门 见


@pytest.fixture(scope="module")
def example():
    return project.load(EXAMPLE)


@pytest.fixture(scope="module")
def example_txt(example) -> str:
    return render(example, "txt")


def _same_report(got, want) -> None:
    diff = {k: (want.values[k], got.values[k]) for k in want.values if got.values[k] != want.values[k]}
    assert diff == {}
    assert (got.agency, got.year) == (want.agency, want.year)


def _texts(blocks) -> list[str]:
    return [b.text for b in blocks if isinstance(b, Paragraph)]


# --------------------------------------------------------------------------
# PDFs drawn here
# --------------------------------------------------------------------------

def test_drawn_report_ruled_tables_radicals_headers_page_numbers(tmp_path, example, example_txt):
    """Table 二 without borders, 三 and 四 ruled with merged cells, 三 over a page break with
    its header repeated; Kangxi and Supplement radicals in the text layer; a running header
    and ``— N —`` on every page; the title wrapped over two lines."""
    data = report_pdf(example_txt, borderless=(0,), radicals=RADICALS)
    assert "⾏".encode("utf-16-be").hex().upper().encode() in zlib_inflate_all(data)
    path = tmp_path / "年报.pdf"
    path.write_bytes(data)
    result = read_file(path)
    assert result.source_format == "pdf" and result.source_name == "年报.pdf"
    _same_report(result.report, example)
    assert result.report.publish_date == example.publish_date

    blocks = P.read_pdf_blocks(data)
    texts = _texts(blocks)
    assert texts[0] == "青岚县市场监督管理局2025年政府信息公开工作年度报告"      # two lines joined
    assert not any("— " in t or "政务公开" == t[-4:] for t in texts)          # no furniture
    every = "".join(texts) + "".join(c for b in blocks if isinstance(b, Table) for r in b.rows for c in r)
    assert not any(0x2E80 <= ord(c) <= 0x2FDF for c in every)                # radicals folded
    assert "行政许可" in every and "门户网站" in every
    t3 = next(b for b in blocks if isinstance(b, Table) and any("予以公开" in c for r in b.rows for c in r))
    heads = [i for i, r in enumerate(t3.rows) if "自然人" in r]
    assert heads == [1, 2]                                 # the header repeated on page 2 is dropped
    assert sum(1 for r in t3.rows if any("总计" in c for c in r[:3]) and r[-1].isdigit()) == 1


def test_borderless_and_browser_print_furniture(example, example_txt):
    data = report_pdf(example_txt, borderless=(0, 2), browser=True)
    blocks = P.read_pdf_blocks(data)
    texts = _texts(blocks)
    assert not any("file://" in t or "2026/1/20" in t or "/3" in t[-3:] for t in texts)
    t4 = [b for b in blocks if isinstance(b, Table) and any("行政复议" in c for r in b.rows for c in r)]
    assert t4 and max(len(r) for r in t4[0].rows) == 15          # columns from the number row
    _same_report(P.read_pdf(data).report, example)


def test_fold_text():
    assert P.fold_text("⾏政许可 ⻓期 部⻔ ⻅面 ⺠生") == "行政许可 长期 部门 见面 民生"
    assert P.fold_text("（一）１２３") == "（一）１２３"            # widths are the recogniser's business
    assert P.fold_text("\uf900") == "豈"


def test_scan_is_refused_with_what_to_do(tmp_path):
    m = PdfMaker()
    for _ in range(3):
        p = m.page()
        m.image(p, 0, 0, p.width, p.height)
    path = tmp_path / "扫描件.pdf"
    path.write_bytes(m.build())
    with pytest.raises(ReadError) as exc:
        read_file(path)
    msg = str(exc.value)
    assert "扫描" in msg and "Word" in msg and ".txt" in msg


def test_table_cut_off_at_page_edge_is_reported_not_guessed(example_txt):
    """Table 四 drawn wider than the page: the columns past the edge are not read, the cells are
    missing with a note, and nothing is filled in."""
    m = PdfMaker()
    p = m.page()
    m.text(p, 120, 80, "青岚县市场监督管理局2025年政府信息公开工作年度报告", 14)
    m.text(p, LEFT, 120, "四、政府信息公开行政复议、行政诉讼情况", 12)
    values = "2 1 0 1 4 1 0 0 0 1 0 0 0 0 0".split()
    xs = [LEFT + i * 40 for i in range(16)]                  # 72 … 672: past the 595 pt page
    top, bottom = 150.0, 170.0
    m.line(p, xs[0], top, xs[-1], top)
    m.line(p, xs[0], bottom, xs[-1], bottom)
    for x in xs:
        m.line(p, x, top, x, bottom)
    for x, v in zip(xs, values, strict=False):
        m.text(p, x + 14, top + 5, v + " ", 9)
    result = P.read_pdf(m.build())
    notes = [n for n in result.notes if n.kind == "missing" and "截断" in n.message]
    assert notes, result.notes
    r = result.report
    for cid in ("t4.suit_after_review.pending", "t4.suit_after_review.total"):   # past the edge
        assert r.values[cid] is None and cid in notes[0].cells
    assert r.values["t4.suit_after_review.upheld"] == 0                            # on the page
    assert r.values["t4.review.upheld"] == 2


def test_paragraph_over_a_page_break_and_split_label_joined():
    prev = [["三、本年度办理结果", "（四）无", "1.本机关不掌握相关政府信息", "746", "12", "0"]]
    nxt = [["", "法提供", "2.没有现成信息需要另行制作", "11", "0", "0"],
           ["", "法提供", "3.补正后申请内容仍不明确", "1", "0", "0"],
           ["", "（五）不予处理", "1.信访举报投诉类申请", "56", "6", "0"]]
    body = P._continue_table(prev, [], nxt)
    assert prev[0][1] == "（四）无法提供"
    assert [r[1] for r in body] == ["（四）无法提供", "（四）无法提供", "（五）不予处理"]
    assert [r[0] for r in body] == ["三、本年度办理结果"] * 3

    m = PdfMaker()
    long = "这是一段很长的正文，" * 8
    p1 = m.page()
    m.text(p1, LEFT + 24, 700, long[:35], 12)
    m.text(p1, LEFT, 720, long[35:72], 12)
    m.text(p1, LEFT, 740, long[72:109], 12)                   # runs to the margin at the page end
    m.text(p1, 280, 800, "- 1 -", 10)
    p2 = m.page()
    m.text(p2, LEFT, 80, long[109:], 12)
    m.text(p2, LEFT + 24, 100, "另起一段的文字。", 12)
    m.text(p2, 280, 800, "- 2 -", 10)
    texts = _texts(P.read_pdf_blocks(m.build()))
    assert texts == [long, "另起一段的文字。"]


# --------------------------------------------------------------------------
# The project's own exports, printed to PDF by LibreOffice and Chromium
# --------------------------------------------------------------------------

def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice is not installed")
def test_docx_export_printed_by_libreoffice_reads_back(tmp_path, example):
    docx = tmp_path / "年报.docx"
    docx.write_bytes(render(example, "docx"))
    subprocess.run([_soffice(), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=180)
    result = read_file(tmp_path / "年报.pdf")
    assert result.source_format == "pdf"
    _same_report(result.report, example)
    assert result.report.publish_date == example.publish_date
    assert not [n for n in result.notes if n.kind in ("unplaced", "missing")]


@pytest.mark.skipif(_chromium() is None, reason="Chromium is not installed")
@pytest.mark.parametrize("header_footer", [False, True])
def test_html_export_printed_by_chromium_reads_back(tmp_path, example, header_footer):
    page = tmp_path / "年报.html"
    page.write_text(render(example, "html"), encoding="utf-8")
    out = tmp_path / "年报.pdf"
    args = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path}/c",
            f"--print-to-pdf={out}", page.as_uri()]
    if not header_footer:
        args.insert(-1, "--no-pdf-header-footer")
    subprocess.run(args, check=True, capture_output=True, timeout=180)
    result = read_file(out)
    _same_report(result.report, example)
    texts = _texts(P.read_pdf_blocks(out))
    assert not any("file://" in t for t in texts)


# --------------------------------------------------------------------------
# The real PDF of the corpus
# --------------------------------------------------------------------------

def test_corpus_huaian_pdf_reads_its_truth():
    case_file = CORPUS / "cases.json"
    if not case_file.is_file():
        pytest.skip("../shared/corpus is not present in this checkout")
    case = next(c for c in json.loads(case_file.read_text(encoding="utf-8"))["cases"]
                if c["file"].endswith(".pdf"))
    result = read_file(CORPUS / case["file"])
    r = result.report
    wrong = {}
    for cid, want in case["cells"].items():
        got = r.values.get(cid)
        if (None if got is None else Decimal(str(got))) != Decimal(str(want)):
            wrong[cid] = (got, want)
    assert wrong == {}
    for k, want in case.get("meta", {}).items():
        assert str(getattr(r, k)) == str(want)


def zlib_inflate_all(data: bytes) -> bytes:
    import re
    import zlib

    out = b""
    for m in re.finditer(rb"stream\n(.*?)\nendstream", data, re.S):
        try:
            out += zlib.decompress(m.group(1))
        except zlib.error:
            pass
    return out


def test_heading_after_a_full_line_is_not_swallowed():
    """A paragraph whose last line happens to reach the margin, then a heading that is not
    indented: the heading still starts a section."""
    m = PdfMaker()
    p = m.page()
    m.text(p, 120, 80, "南岭镇人民政府2024年政府信息公开工作年度报告", 14)
    full = "本年度按照要求认真做好政府信息公开工作并及时更新公开目录。"      # 30 chars: to the margin
    m.text(p, LEFT + 24, 120, full[:35], 12)
    m.text(p, LEFT, 140, (full * 2)[:37], 12)
    m.text(p, LEFT, 160, "二、主动公开政府信息情况", 12)
    m.text(p, LEFT, 180, "（一）主动公开规章情况在下表中列出，全年未制发规章，现行有效规章为零件。", 12)
    texts = _texts(P.read_pdf_blocks(m.build()))
    assert "二、主动公开政府信息情况" in texts


def test_row_broken_over_a_page_break_is_one_row():
    """WPS lets a row break across pages: the label's first part on one page, the rest and the
    numbers on the next.  It is read as one row; a merged label spanning rows is not merged."""
    prev = [["三、本年度办理结果", "（一）予以公开", "（一）予以公开", "20", "3", "0"],
            ["三、本年度办理结果", "（二）部分公开（区分处理的，只计这一",
             "（二）部分公开（区分处理的，只计这一", "", "", ""]]
    nxt = [["", "情形，不计其他情形）", "情形，不计其他情形）", "5", "1", "0"],
           ["", "（三）不予公开", "1.属于国家秘密", "0", "0", "0"]]
    body = P._continue_table(prev, [], nxt)
    whole = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert prev[-1] == ["三、本年度办理结果", whole, whole, "5", "1", "0"]
    assert body == [["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "0", "0", "0"]]


def test_borderless_table_with_a_wrapped_label(example):
    """Table 三 without borders, its long label wrapped onto a second line above the numbers."""
    m = PdfMaker()
    p = m.page()
    m.text(p, 120, 60, "南岭镇人民政府2024年政府信息公开工作年度报告", 14)
    m.text(p, LEFT, 100, "三、收到和处理政府信息公开申请情况", 12)
    xs = [LEFT + 200 + i * 36 for i in range(7)]
    y = 130.0

    def row(label: str, values: list[str], wrap: int = 0) -> None:
        nonlocal y
        if wrap:
            m.text(p, LEFT, y, label[:wrap], 8)
            y += 10
            label = label[wrap:]
        m.text(p, LEFT, y, label, 8)
        for x, v in zip(xs, values, strict=True):
            m.text(p, x, y, v + " ", 8)
        y += 14

    row("一、本年新收政府信息公开申请数量", ["4", "1", "0", "0", "0", "0", "5"])
    row("（一）予以公开", ["2", "1", "0", "0", "0", "0", "3"])
    row("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ["1", "0", "0", "0", "0", "0", "1"],
        wrap=16)
    blocks = P.read_pdf_blocks(m.build())
    rows = [r for b in blocks if isinstance(b, Table) for r in b.rows]
    whole = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert [whole, "1", "0", "0", "0", "0", "0", "1"] in rows
    r = P.read_pdf(m.build()).report
    assert r.values["t3.partial.person"] == 1 and r.values["t3.granted.total"] == 3


def test_pdfs_read_from_several_threads_at_once(example, example_txt):
    """The combine dialog reads its files on Qt's thread pool; PDFium is not thread-safe, so the
    reader serialises its calls — every read still gives the whole report."""
    from concurrent.futures import ThreadPoolExecutor

    data = report_pdf(example_txt, borderless=(0,))
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: P.read_pdf(data), range(8)))
    for res in results:
        _same_report(res.report, example)


def test_numbers_stacked_in_one_ruled_cell_are_not_run_together():
    """Columns ruled but no lines between the rows: numbers in one grid cell must not read as
    one number (20 and 3 are not 203).  With two such columns the rows are split at the lines;
    with one, the cell stays unreadable rather than guessed."""
    m = PdfMaker()
    p = m.page()
    for x in (100, 200, 300, 400):
        m.line(p, x, 100, x, 160)
    m.line(p, 100, 100, 400, 100)
    m.line(p, 100, 160, 400, 160)
    m.text(p, 110, 110, "予以公开", 9)
    m.text(p, 110, 130, "部分公开", 9)
    m.text(p, 210, 110, "20", 9)
    m.text(p, 210, 130, "3 ", 9)
    m.text(p, 310, 110, "24", 9)
    m.text(p, 310, 130, "5 ", 9)
    grid = P.extract_pages(m.build())[0].grids[0]
    assert grid.rows == [["予以公开", "20", "24"], ["部分公开", "3", "5"]]

    m = PdfMaker()
    p = m.page()
    for x in (100, 200, 300):
        m.line(p, x, 100, x, 160)
    m.line(p, 100, 100, 300, 100)
    m.line(p, 100, 160, 300, 160)
    m.text(p, 110, 110, "予以公开", 9)
    m.text(p, 110, 130, "部分公开", 9)
    m.text(p, 210, 110, "20", 9)
    m.text(p, 210, 130, "3 ", 9)
    grid = P.extract_pages(m.build())[0].grids[0]
    assert grid.rows == [["予以公开部分公开", "20 3"]]
