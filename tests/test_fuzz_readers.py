"""Fuzzing the readers: text, HTML, DOCX, XLSX, PDF and the ``read_file`` dispatcher.

Valid documents are made by the exporters (``model.render.render``) from the
example report and from random valid reports, then mutated: truncated, bytes
flipped, table rows shuffled, random Unicode inserted into labels and cells,
numbers replaced by huge or odd ones (``10**40``, ``1e308``, ``NaN``), spans
made absurd (``rowspan="100000"``, ``gridSpan`` 100000, merged ranges over the
whole sheet), nesting made deep and tables made thousands of cells wide or tall.

Every read must end in an :class:`ImportResult` whose cells are all None, a
non-negative int or a Decimal, or in the readers' own :class:`ReadError` with a
Chinese message — never another exception, and never a hang: an interval timer
interrupts a read after :data:`LIMIT_S`, a bound far above any real read so that
a loaded machine cannot trip it (speed budgets live in bench/bench_budgets.py).  The biggest generated
cases are also run under ``tracemalloc`` (peak below :data:`PEAK_MB`).

The normal suite runs a short profile; ``NIANBAO_FUZZ=long`` runs 10,000
examples per reader (see bench/FUZZ.md for the last long run).
"""
from __future__ import annotations

import functools
import io
import os
import random
import re
import signal
import tempfile
import tracemalloc
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from model import schema
from model.errors import ReadError
from model.example import build
from model.importers import ImportResult, read_docx, read_file, read_html, read_xlsx
from model.importers.text import read_text, read_text_file
from model.render import render
from model.report import Report

LONG = os.environ.get("NIANBAO_FUZZ") == "long"
EXAMPLES = 10_000 if LONG else 40
ROUND_TRIPS = 500 if LONG else 8
LIMIT_S = 60.0
PEAK_MB = 200

fuzz = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])

CJK = re.compile(r"[\u4e00-\u9fff]")

# --------------------------------------------------------------------------
# Running one read under a time bound and checking what it gave
# --------------------------------------------------------------------------


class _Hang(BaseException):
    """Raised by the interval timer; a BaseException so no reader's ``except Exception`` eats it."""


def _alarm(signum, frame):
    raise _Hang()


def bounded(fn, *args, limit: float = LIMIT_S, **kw):
    """Call a reader; return its ImportResult or ReadError; fail on anything else or a hang."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        try:
            out = fn(*args, **kw)
        except ReadError as exc:
            out = exc
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Hang:
        pytest.fail(f"{fn.__name__} took longer than {limit} s")
    finally:
        signal.signal(signal.SIGALRM, old)
    check_outcome(out)
    return out


def check_outcome(out) -> None:
    if isinstance(out, ReadError):
        msg = str(out)
        assert msg and CJK.search(msg), f"ReadError without a Chinese message: {msg!r}"
        return
    assert isinstance(out, ImportResult), type(out)
    r = out.report
    assert isinstance(r, Report)
    assert set(r.values) == set(schema.CELL_IDS)
    for cid, v in r.values.items():
        assert v is None or (type(v) is int and v >= 0) or (
            isinstance(v, Decimal) and v.is_finite() and v >= 0), (cid, v)
    for cid, raw in r.raw.items():
        assert cid in schema.CELLS and isinstance(raw, str)
    for sid, text in r.sections.items():
        assert isinstance(text, str), sid
    for note in out.notes:
        assert isinstance(note.message, str) and CJK.search(note.message), note
        assert all(c in schema.CELLS for c in note.cells if not c.startswith("!")), note


def peak_mb(fn, *args, **kw) -> float:
    """Read once under the time bound, then again under tracemalloc; the peak in MB."""
    bounded(fn, *args, **kw)
    tracemalloc.start()
    try:
        bounded(fn, *args, limit=2 * LIMIT_S, **kw)    # tracemalloc slows Python down
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


# --------------------------------------------------------------------------
# Valid documents to start from
# --------------------------------------------------------------------------

_CN_TEXT = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
                   | st.sampled_from("，。；：（）、0123456789 abcXYZ"), max_size=60)


def random_report(rng: random.Random, agency: str = "白鹭县档案馆", year: int = 2024) -> Report:
    """A valid report with random (not necessarily consistent) figures and text."""
    r = Report.zeros(agency=agency, year=year, tier=rng.choice(list(schema.Tier)),
                     level=rng.choice(list(schema.Level)))
    for cid, d in schema.CELLS.items():
        roll = rng.random()
        if roll < 0.1:
            r.set(cid, None)
        elif d.kind == "decimal":
            r.set(cid, Decimal(rng.randint(0, 10**6)) / 100)
        else:
            r.set(cid, rng.choice((0, 1, rng.randint(0, 99), rng.randint(0, 10**6))))
    ex = build()
    r.sections = {k: v.replace(ex.agency, agency) for k, v in ex.sections.items()}
    return r


def _as_bytes(doc) -> bytes:
    return doc if isinstance(doc, bytes) else doc.encode("utf-8")


@functools.cache
def bases(fmt: str) -> tuple:
    """Valid documents of one format: the example and two random reports (one 2019-format)."""
    rng = random.Random(7)
    reports = [build(), random_report(rng), random_report(rng, "黄石镇人民政府", 2019)]
    reports[2].format = schema.FORMAT_2019
    out = []
    for rep in reports:
        try:
            out.append(render(rep, fmt))
        except Exception:  # a format the renderer refuses for 2019 is skipped
            continue
    return tuple(out)


# --------------------------------------------------------------------------
# Mutations
# --------------------------------------------------------------------------

ODD_NUMBERS = (str(10**40), "1e308", "-1e308", "NaN", "nan", "inf", "-inf", "-1", "1.5", "0.000001",
               "１２", "二十", "千亿", "9" * 400, "1" * 5000, "1,000,000", "1e-400", "0x1F", "",
               "　", "—", "/", "３.１４", "-0", "1E+999999999")
UNICODE = st.text(max_size=24) | st.sampled_from(
    ["\u202e", "\ufeff", "\u0000", "\u3000", "\U0001F600", "\ud7ff", "一、总体情况", "七、",
     "第二十条第（一）项", "勾稽关系", "（七）总计", "行政复议", "\r\n", "\t", "|", "｜"])


@st.composite
def mutate_text(draw, doc: str, html: bool = False, max_ops: int = 4) -> str:
    """Text-level mutations of a TXT or HTML document (or an XML part)."""
    for _ in range(draw(st.integers(1, max_ops))):
        ops = ["insert", "delete", "truncate", "shuffle_lines", "dup_lines", "number", "replace"]
        if html:
            ops += ["span", "nest", "wide", "tall", "shuffle_rows"]
        op = draw(st.sampled_from(ops))
        n = len(doc)
        if op == "insert":
            i = draw(st.integers(0, n))
            s = draw(UNICODE)
            doc = doc[:i] + (escape(s) if html and draw(st.booleans()) else s) + doc[i:]
        elif op == "delete" and n:
            i = draw(st.integers(0, n - 1))
            doc = doc[:i] + doc[i + draw(st.integers(1, 200)):]
        elif op == "truncate":
            doc = doc[:draw(st.integers(0, n))]
        elif op in ("shuffle_lines", "dup_lines"):
            lines = doc.split("\n")
            if len(lines) > 1:
                a = draw(st.integers(0, len(lines) - 1))
                b = draw(st.integers(a, min(len(lines), a + 40)))
                part = lines[a:b]
                if op == "shuffle_lines":
                    draw(st.randoms(use_true_random=False)).shuffle(part)
                else:
                    part = part * draw(st.integers(2, 5))
                doc = "\n".join(lines[:a] + part + lines[b:])
        elif op == "number":
            nums = list(re.finditer(r"\d+(?:\.\d+)?", doc))
            if nums:
                m = draw(st.sampled_from(nums))
                doc = doc[:m.start()] + draw(st.sampled_from(ODD_NUMBERS)) + doc[m.end():]
        elif op == "replace" and n:
            i = draw(st.integers(0, n - 1))
            doc = doc[:i] + draw(st.characters()) + doc[i + 1:]
        elif op == "span":
            cells = list(re.finditer(r"<t[dh]\b", doc))
            if cells:
                m = draw(st.sampled_from(cells))
                attr = draw(st.sampled_from(['rowspan="100000"', 'colspan="100000"', 'rowspan="0"',
                                             'colspan="-5"', 'rowspan="9999999999999999999"',
                                             'colspan="3" rowspan="500"', 'rowspan="abc"']))
                doc = doc[:m.end()] + " " + attr + doc[m.end():]
        elif op == "nest":
            i = draw(st.integers(0, n))
            k = draw(st.integers(1, 3000))
            tag = draw(st.sampled_from(["div", "span", "table", "td", "p", "b"]))
            doc = doc[:i] + f"<{tag}>" * k + "深" + f"</{tag}>" * draw(st.integers(0, k)) + doc[i:]
        elif op == "wide":
            cols = draw(st.integers(1, 5000))
            cell = draw(st.sampled_from(["<td>1</td>", "<td></td>", "<td>授予</td>", "<th>x</th>"]))
            doc += "<table><tr>" + cell * cols + "</tr></table>"
        elif op == "tall":
            rows = draw(st.integers(1, 3000))
            doc += "<table>" + "<tr><td>（七）总计</td><td>1</td><td>2</td></tr>" * rows + "</table>"
        elif op == "shuffle_rows":
            rows = re.split(r"(?=<tr\b)", doc)
            if len(rows) > 2:
                head, body = rows[0], rows[1:]
                draw(st.randoms(use_true_random=False)).shuffle(body)
                doc = head + "".join(body)
    return doc


@st.composite
def mutate_bytes(draw, data: bytes, max_ops: int = 3) -> bytes:
    """Byte-level damage: truncation, flipped bytes, junk inserted, ranges duplicated."""
    blob = bytearray(data)
    for _ in range(draw(st.integers(1, max_ops))):
        op = draw(st.sampled_from(["truncate", "flip", "insert", "dup", "zero"]))
        n = len(blob)
        if op == "truncate":
            del blob[draw(st.integers(0, n)):]
        elif op == "flip" and n:
            for _ in range(draw(st.integers(1, 8))):
                i = draw(st.integers(0, n - 1))
                blob[i] ^= draw(st.integers(1, 255))
        elif op == "insert":
            i = draw(st.integers(0, n))
            blob[i:i] = draw(st.binary(max_size=64))
        elif op == "dup" and n:
            a = draw(st.integers(0, n - 1))
            blob[a:a] = blob[a:a + draw(st.integers(1, 4096))]
        elif op == "zero" and n:
            a = draw(st.integers(0, n - 1))
            k = draw(st.integers(1, 512))
            blob[a:a + k] = bytes(len(blob[a:a + k]))
    return bytes(blob)


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def rezip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return out.getvalue()


@st.composite
def mutate_docx_xml(draw, xml: str) -> str:
    """WordprocessingML mutations: text in runs, rows shuffled, spans and nesting absurd."""
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["text", "number", "shuffle_rows", "span", "vmerge", "nest",
                                   "wide", "raw"]))
        if op == "text":
            runs = list(re.finditer(r"<w:t(?: [^>]*)?>", xml))
            if runs:
                m = draw(st.sampled_from(runs))
                xml = xml[:m.end()] + escape(draw(UNICODE)) + xml[m.end():]
        elif op == "number":
            nums = list(re.finditer(r"(?<=>)\d+(?=</w:t>)", xml))
            if nums:
                m = draw(st.sampled_from(nums))
                xml = xml[:m.start()] + escape(draw(st.sampled_from(ODD_NUMBERS))) + xml[m.end():]
        elif op == "shuffle_rows":
            tables = list(re.finditer(r"<w:tbl>.*?</w:tbl>", xml, re.S))
            if tables:
                t = draw(st.sampled_from(tables))
                parts = re.split(r"(?=<w:tr[ >])", t.group())
                head, rows = parts[0], parts[1:]
                if len(rows) > 1:
                    last = rows[-1]
                    cut = last.rfind("</w:tr>") + len("</w:tr>")
                    rows[-1], tail = last[:cut], last[cut:]
                    draw(st.randoms(use_true_random=False)).shuffle(rows)
                    xml = xml[:t.start()] + head + "".join(rows) + tail + xml[t.end():]
        elif op in ("span", "vmerge"):
            cells = list(re.finditer(r"<w:tc>", xml))
            if cells:
                m = draw(st.sampled_from(cells))
                if op == "span":
                    span = draw(st.sampled_from(["100000", "-3", "0", "abc", "99999999999999999999"]))
                    pr = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>'
                else:
                    pr = '<w:tcPr><w:vMerge/></w:tcPr>'
                xml = xml[:m.end()] + pr + xml[m.end():]
        elif op == "nest":
            k = draw(st.integers(1, 400))
            box = "<w:tbl><w:tr><w:tc>" * k + "<w:p><w:r><w:t>深</w:t></w:r></w:p>" + \
                "</w:tc></w:tr></w:tbl>" * k
            i = xml.rfind("</w:body>")
            xml = xml[:i] + box + "<w:p/>" + xml[i:]
        elif op == "wide":
            cols = draw(st.integers(1, 3000))
            rows = draw(st.integers(1, 30))
            text = draw(st.sampled_from(["1", "", "申请人情况", str(10**40)]))
            cell = f"<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"
            tbl = "<w:tbl>" + ("<w:tr>" + cell * cols + "</w:tr>") * rows + "</w:tbl>"
            i = xml.rfind("</w:body>")
            xml = xml[:i] + tbl + "<w:p/>" + xml[i:]
        elif op == "raw":
            xml = draw(mutate_text(xml, max_ops=1))
    return xml


@st.composite
def mutate_sheet_xml(draw, xml: str) -> str:
    """SpreadsheetML mutations: values, rows shuffled, merges and refs absurd, formulas odd."""
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["value", "shuffle_rows", "merge", "far_cell", "formula",
                                   "wide", "raw", "text"]))
        if op == "value":
            vals = list(re.finditer(r"<v>[^<]*</v>", xml))
            if vals:
                m = draw(st.sampled_from(vals))
                xml = xml[:m.start()] + f"<v>{escape(draw(st.sampled_from(ODD_NUMBERS)))}</v>" + \
                    xml[m.end():]
        elif op == "text":
            ts = list(re.finditer(r"<t(?: [^>]*)?>", xml))
            if ts:
                m = draw(st.sampled_from(ts))
                xml = xml[:m.end()] + escape(draw(UNICODE)) + xml[m.end():]
        elif op == "shuffle_rows":
            parts = re.split(r"(?=<row[ >])", xml)
            if len(parts) > 2:
                head, rows = parts[0], parts[1:]
                last = rows[-1]
                cut = last.rfind("</row>") + len("</row>")
                rows[-1], tail = last[:cut], last[cut:]
                draw(st.randoms(use_true_random=False)).shuffle(rows)
                xml = head + "".join(rows) + tail
        elif op == "merge":
            ref = draw(st.sampled_from(["A1:XFD1048576", "B2:B1048576", "A1:ZZ5000", "C3:A1",
                                        "A0:B2", "AAAA1:B2", "A1"]))
            block = f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'
            if "<mergeCells" in xml:
                xml = re.sub(r"(<mergeCells[^>]*>)", rf'\1<mergeCell ref="{ref}"/>', xml, count=1)
            else:
                xml = xml.replace("</sheetData>", "</sheetData>" + block, 1)
        elif op == "far_cell":
            ref = draw(st.sampled_from(["XFD1048576", "A1048576", "XFD1", "A0", "ZZZZ9", "B99999999"]))
            row_number = re.sub(r"\D", "", ref) or "1"
            xml = xml.replace("</sheetData>",
                              f'<row r="{row_number}"><c r="{ref}"><v>1</v></c></row></sheetData>', 1)
        elif op == "formula":
            f = draw(st.sampled_from([
                "SUM(A1:XFD1048576)", "A1*" * 300 + "A1", "(" * 400 + "1" + ")" * 400, "1/0",
                "B2", "SUM(", "'不存在'!A1", "A1+", "1e308*1e308", "SUM(A1:A3)*" + "9" * 30,
                "C2", "-" * 1000 + "1"]))
            vals = list(re.finditer(r"<c r=\"([A-Z]+\d+)\"[^>]*>(?:<v>[^<]*</v>)?</c>", xml))
            if vals:
                m = draw(st.sampled_from(vals))
                xml = xml[:m.start()] + f'<c r="{m.group(1)}"><f>{escape(f)}</f></c>' + \
                    xml[m.end():]
        elif op == "wide":
            cols = draw(st.integers(1, 3000))
            row = "".join(f'<c t="inlineStr"><is><t>{i}</t></is></c>' for i in range(cols))
            xml = xml.replace("</sheetData>", f'<row>{row}</row></sheetData>', 1)
        elif op == "raw":
            xml = draw(mutate_text(xml, max_ops=1))
    return xml


@st.composite
def docx_documents(draw) -> bytes:
    base = draw(st.sampled_from(bases("docx")))
    if draw(st.integers(0, 3)) == 0:
        return draw(mutate_bytes(base))
    members = zip_members(base)
    xml = members["word/document.xml"].decode("utf-8")
    members["word/document.xml"] = draw(mutate_docx_xml(xml)).encode("utf-8", "surrogatepass")
    return rezip(members)


@st.composite
def xlsx_documents(draw) -> bytes:
    base = draw(st.sampled_from(bases("xlsx")))
    if draw(st.integers(0, 3)) == 0:
        return draw(mutate_bytes(base))
    members = zip_members(base)
    if draw(st.booleans()):          # not our export any more: read as a table layout
        wb = members["xl/workbook.xml"].decode("utf-8")
        members["xl/workbook.xml"] = wb.replace('name="数据"', 'name="别的"').encode("utf-8")
    parts = sorted(n for n in members
                   if n.startswith("xl/worksheets/sheet") or n == "xl/sharedStrings.xml")
    for name in draw(st.lists(st.sampled_from(parts), min_size=1, max_size=2, unique=True)):
        xml = members[name].decode("utf-8")
        members[name] = draw(mutate_sheet_xml(xml)).encode("utf-8", "surrogatepass")
    return rezip(members)


@st.composite
def html_documents(draw) -> bytes:
    base = draw(st.sampled_from(bases("html")))
    doc = draw(mutate_text(base, html=True))
    enc = draw(st.sampled_from(["utf-8", "gb18030", "utf-16"]))
    data = doc.encode(enc, "replace") if enc != "utf-8" else doc.encode("utf-8", "surrogatepass")
    return draw(mutate_bytes(data, 1)) if draw(st.integers(0, 4)) == 0 else data


@st.composite
def txt_documents(draw) -> str:
    base = draw(st.sampled_from(bases("txt")))
    return draw(mutate_text(base))


# --------------------------------------------------------------------------
# The fuzz tests, one per reader
# --------------------------------------------------------------------------

@fuzz
@given(txt_documents())
def test_read_text_on_mutated_text(doc):
    bounded(read_text, doc, "报告.txt")


@fuzz
@given(txt_documents(), st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-32"]),
       st.data())
def test_read_text_file_on_mutated_bytes(doc, enc, data):
    raw = doc.encode(enc, "replace") if enc != "utf-8" else doc.encode("utf-8", "surrogatepass")
    if data.draw(st.booleans()):
        raw = data.draw(mutate_bytes(raw))
    path = _scratch() / "报告.txt"
    path.write_bytes(raw)
    bounded(read_text_file, path)


@fuzz
@given(html_documents())
def test_read_html_on_mutated_pages(data):
    bounded(read_html, data, name="网页.html")


@fuzz
@given(docx_documents())
def test_read_docx_on_mutated_documents(data):
    bounded(read_docx, data, name="文档.docx")


@fuzz
@given(xlsx_documents())
def test_read_xlsx_on_mutated_workbooks(data):
    bounded(read_xlsx, data, name="工作簿.xlsx")


# PDF: a small report drawn as raw PDF (ruled table, text layer), its streams left
# uncompressed so that mutations hit the PDF syntax (objects, xref, operators) and not only
# a zlib stream; and the same compressed.

@functools.lru_cache(maxsize=2)
def _small_pdf(compress: bool) -> bytes:
    from tests.pdf_maker import LEFT, PdfMaker

    m = PdfMaker(compress=compress, radicals={"行": "⾏"})
    p = m.page()
    m.text(p, 120, 80, "甲局2024年政府信息公开工作年度报告", 14)
    m.text(p, LEFT, 120, "四、政府信息公开行政复议、行政诉讼情况", 12)
    xs = [LEFT + i * 28 for i in range(16)]
    for top in (150.0, 170.0, 190.0):
        m.line(p, xs[0], top, xs[-1], top)
    for x in xs:
        m.line(p, x, 150.0, x, 190.0)
    for i, x in enumerate(xs[:-1]):
        m.text(p, x + 4, 155.0, "结果" if i % 5 else "行政", 7)
        m.text(p, x + 8, 175.0, f"{i}0", 8)
    return m.build()


@st.composite
def pdf_documents(draw) -> bytes:
    data = _small_pdf(draw(st.booleans()))
    return draw(mutate_bytes(data, max_ops=4))


@fuzz
@given(pdf_documents())
def test_read_pdf_on_mutated_documents(data):
    from model.importers.pdf import read_pdf

    bounded(read_pdf, data, name="文档.pdf")


@st.composite
def any_file(draw) -> tuple[bytes, str]:
    kind = draw(st.sampled_from(["docx", "xlsx", "html", "txt", "nianbao", "pdf", "random"]))
    if kind == "pdf":
        data = draw(pdf_documents())
    elif kind == "docx":
        data = draw(docx_documents())
    elif kind == "xlsx":
        data = draw(xlsx_documents())
    elif kind == "html":
        data = draw(html_documents())
    elif kind == "txt":
        data = draw(txt_documents()).encode("utf-8", "surrogatepass")
    elif kind == "nianbao":
        from model import project
        data = draw(mutate_bytes(project.dumps(build()).encode("utf-8")))
    else:
        data = draw(st.binary(max_size=2000))
    suffix = draw(st.sampled_from([".docx", ".xlsx", ".html", ".htm", ".txt", ".nianbao", ".doc",
                                   ".xls", ".pdf", "", ".DOCX"]))
    return data, suffix


@fuzz
@given(any_file())
def test_read_file_dispatch_on_anything(item):
    data, suffix = item
    path = _scratch() / f"上年报告{suffix}"
    path.write_bytes(data)
    bounded(read_file, path)


@functools.cache
def _scratch() -> Path:
    """One scratch folder for the whole module (hypothesis cannot take function fixtures)."""
    return Path(tempfile.mkdtemp(prefix="nianbao-fuzz-"))


@pytest.fixture(scope="module", autouse=True)
def _cleanup_scratch():
    yield
    import shutil
    if _scratch.cache_info().currsize:
        shutil.rmtree(_scratch(), ignore_errors=True)


# --------------------------------------------------------------------------
# Random valid reports: every export reads back with identical cells
# --------------------------------------------------------------------------

@settings(max_examples=ROUND_TRIPS, deadline=None, derandomize=not LONG,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],   # the seed says it all: no shrinking
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.integers(0, 2**32 - 1), _CN_TEXT, st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=2, max_size=12))
def test_random_valid_reports_round_trip_through_every_reader(seed, text, name):
    rep = random_report(random.Random(seed), agency=name + "局", year=2000 + seed % 100)
    rep.sections["problems"] = (rep.sections["problems"] + "\n" + text).strip()
    readers = {"docx": read_docx, "html": read_html, "xlsx": read_xlsx,
               "txt": lambda d, name: read_text(d, name)}
    for fmt, fn in readers.items():
        doc = render(rep, fmt)
        out = bounded(fn, doc if fmt == "txt" else _as_bytes(doc), name=f"r.{fmt}")
        assert isinstance(out, ImportResult), (fmt, out)
        assert out.report.values == rep.values, fmt
        assert (out.report.agency, out.report.year) == (rep.agency, rep.year), fmt


# --------------------------------------------------------------------------
# The biggest cases, under tracemalloc
# --------------------------------------------------------------------------

def _html_table(rows: int, cols: int, attrs: str = "") -> bytes:
    row = "<tr>" + f"<td{attrs}>1</td>" * cols + "</tr>"
    return ("<html><body><p>甲局2024年政府信息公开工作年度报告</p><table>"
            + row * rows + "</table></body></html>").encode()


BIG_HTML = {
    "rowspan 100000 on every cell": _html_table(200, 8, ' rowspan="100000"'),
    "colspan 100000 on every cell": _html_table(200, 8, ' colspan="100000"'),
    "3000 columns": _html_table(5, 3000),
    "5000 rows": _html_table(5000, 5),
    "divs nested 100000 deep": b"<html><body>" + b"<div>" * 100_000 + b"x" + b"</div>" * 100_000,
    "tables nested 3000 deep": b"<table><tr><td>" * 3000 + b"1" + b"</td></tr></table>" * 3000,
    "one 8 MB paragraph": b"<p>" + "报告".encode() * 1_400_000 + b"</p>",
    # lines broken by <br> before the first heading: each is looked at as a possible title with
    # the lines of its element before it — a bounded look back, not one over the whole element
    "30000 lines broken by <br> before the title": (
        "<html><body><div>" + "<br>".join(f"第{i}行" for i in range(30_000))
        + "</div><h2>一、总体情况</h2><p>正文。</p></body></html>").encode(),
}


@pytest.mark.parametrize("case", sorted(BIG_HTML))
def test_biggest_html_within_time_and_memory(case):
    assert peak_mb(read_html, BIG_HTML[case], name="网页.html") < PEAK_MB


def _docx_with(body: str) -> bytes:
    members = zip_members(bases("docx")[0])
    xml = members["word/document.xml"].decode("utf-8")
    i = xml.rfind("</w:body>")
    members["word/document.xml"] = (xml[:i] + body + "<w:p/>" + xml[i:]).encode("utf-8")
    return rezip(members)


def _w_table(rows: int, cols: int, tcpr: str = "") -> str:
    cell = f"<w:tc>{tcpr}<w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>"
    return "<w:tbl>" + ("<w:tr>" + cell * cols + "</w:tr>") * rows + "</w:tbl>"


BIG_DOCX = {
    "3000 columns": lambda: _docx_with(_w_table(5, 3000)),
    "5000 rows": lambda: _docx_with(_w_table(5000, 4)),
    "gridSpan 100000 everywhere": lambda: _docx_with(
        _w_table(300, 20, '<w:tcPr><w:gridSpan w:val="100000"/></w:tcPr>')),
    "vMerge everywhere": lambda: _docx_with(_w_table(1000, 10, "<w:tcPr><w:vMerge/></w:tcPr>")),
    "tables nested 250 deep": lambda: _docx_with(
        "<w:tbl><w:tr><w:tc>" * 250 + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * 250),
}


@pytest.mark.parametrize("case", sorted(BIG_DOCX))
def test_biggest_docx_within_time_and_memory(case):
    assert peak_mb(read_docx, BIG_DOCX[case](), name="文档.docx") < PEAK_MB


def _xlsx_sheet(rows: int, cols: int, extra: str = "") -> bytes:
    members = zip_members(bases("xlsx")[0])
    wb = members["xl/workbook.xml"].decode("utf-8")
    members["xl/workbook.xml"] = wb.replace('name="数据"', 'name="别的"').encode("utf-8")
    name = sorted(n for n in members if n.startswith("xl/worksheets/sheet"))[0]
    row = "".join(f"<c><v>{10**40}</v></c>" for _ in range(cols))
    body = "".join(f'<row r="{r}">{row}</row>' for r in range(1, rows + 1))
    members[name] = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                     f'spreadsheetml/2006/main"><sheetData>{body}</sheetData>{extra}</worksheet>'
                     ).encode()
    return rezip(members)


def _xlsx_shared(n: int) -> bytes:
    members = zip_members(bases("xlsx")[0])
    members["xl/sharedStrings.xml"] = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "<si><t>申请人情况申请人情况</t></si>" * n + "</sst>").encode()
    return rezip(members)


BIG_XLSX = {
    "50000 cells of 10**40": lambda: _xlsx_sheet(1000, 50),
    "3000 columns": lambda: _xlsx_sheet(5, 3000),
    "400000 cells (refused)": lambda: _xlsx_sheet(4000, 100),
    "merged over the whole sheet": lambda: _xlsx_sheet(
        300, 20, '<mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells>'),
    "50000 merged ranges": lambda: _xlsx_sheet(
        10, 10, "<mergeCells>" + "".join(f'<mergeCell ref="A{i}:B{i}"/>' for i in range(1, 50001))
        + "</mergeCells>"),
    "a huge shared-strings part": lambda: _xlsx_shared(200_000),
}


@pytest.mark.parametrize("case", sorted(BIG_XLSX))
def test_biggest_xlsx_within_time_and_memory(case):
    assert peak_mb(read_xlsx, BIG_XLSX[case](), name="工作簿.xlsx") < PEAK_MB


def test_biggest_text_within_time_and_memory():
    row = "\t".join(["（七）总计"] + ["1"] * 3000)
    text = "甲局2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n" + "\n".join([row] * 50)
    assert peak_mb(read_text, text, "报告.txt") < PEAK_MB


# --------------------------------------------------------------------------
# Regressions found by the fuzzer (each named after what it found)
# --------------------------------------------------------------------------

def test_txt_row_with_a_blank_last_value_and_a_spacer_before_the_first():
    """Found by the round trip (seed 0): a TXT row ``label, "", 1, 1, 0, "", 0, 0, ""`` whose
    total is blank was read one column to the left.  The table's other rows say where its
    value columns end."""
    rep = random_report(random.Random(0), agency="一一局", year=2000)
    assert rep.values["t3.partial.total"] is None and rep.values["t3.partial.person"] == 1
    out = read_text(render(rep, "txt"), "r.txt")
    assert out.report.values == rep.values


def test_a_2019_marker_in_the_prose_does_not_make_the_report_2019_format():
    """Found by the round trip (seed 663298894): ``上一年项目数量`` written in section 五 made
    every reader take a 2021 report for the 2019 format and drop table 二's cells."""
    rep = random_report(random.Random(663298894), agency="矀享仍乕丆局", year=2094)
    rep.sections["problems"] += "\n上一年项目数量"
    for fmt, fn in (("docx", read_docx), ("html", read_html)):
        out = fn(_as_bytes(render(rep, fmt)), name=f"r.{fmt}")
        assert out.report.format == schema.FORMAT_2021 and out.report.values == rep.values, fmt
    assert read_text(render(rep, "txt"), "r.txt").report.values == rep.values


def test_a_count_of_thousands_of_digits_is_unreadable_not_a_crash():
    """Found by the long profile: ``1`` × 5000 in a cell made ``int()`` raise ValueError
    (Python's 4300-digit limit) out of every reader."""
    doc = render(build(), "txt").replace("规章\t0\t0\t0", "规章\t" + "1" * 5000 + "\t0\t0")
    out = bounded(read_text, doc, "报告.txt")
    assert out.report.values["t2.regulation.issued"] is None
    assert out.report.raw["t2.regulation.issued"] == "1" * 5000
    html = _as_bytes(render(build(), "html")).replace(b">1285<", b">" + b"9" * 5000 + b"<")
    assert bounded(read_html, html, name="r.html").report.values["t2.licensing.decisions"] is None


@pytest.mark.parametrize("value,raw", [("1" * 5000, "1" * 5000), ("inf", "inf"), ("NaN", "nan"),
                                       ("1e308", "1e+308"), ("1E+999999999", "inf")])
def test_xlsx_odd_numbers_are_kept_as_text(value, raw):
    """Found by the long profile: ``inf`` and 5000-digit values crashed ``cell_str``."""
    members = zip_members(bases("xlsx")[0])
    data_sheet = next(n for n in members if n.startswith("xl/worksheets/")
                      and b"t2.regulation.issued" in members[n] or _refs_shared(members, n))
    xml = members[data_sheet].decode()
    # the 数据 sheet lists CELL_IDS from row 2: t2.regulation.issued is C2
    xml = re.sub(r'(<c r="C2"[^>]*>)<v>[^<]*</v>', lambda m: m.group(1).replace(' t="n"', "")
                 + f"<v>{value}</v>", xml, count=1)
    members[data_sheet] = xml.encode()
    out = bounded(read_xlsx, rezip(members), name="r.xlsx")
    assert out.report.values["t2.regulation.issued"] is None
    assert out.report.raw["t2.regulation.issued"] == raw


def _refs_shared(members: dict[str, bytes], name: str) -> bool:
    """True for the sheet whose A2 is the shared string ``t2.regulation.issued``."""
    sst = re.findall(rb"<si><t[^>]*>([^<]*)</t></si>", members.get("xl/sharedStrings.xml", b""))
    try:
        idx = sst.index(b"t2.regulation.issued")
    except ValueError:
        return False
    return re.search(rb'<c r="A2"[^>]*t="s"[^>]*><v>%d</v>' % idx, members[name]) is not None


def test_a_span_of_thousands_of_digits_is_capped_not_a_crash():
    """Found by the long profile: ``colspan="1…1"`` (5000 digits) made ``int()`` raise."""
    page = _as_bytes(render(build(), "html")).replace(b"<td", b'<td colspan="' + b"1" * 5000 + b'"', 1)
    check_outcome(bounded(read_html, page, name="r.html"))
    page = _as_bytes(render(build(), "html")).replace(b"<td", b'<td rowspan="' + b"9" * 5000 + b'"', 1)
    check_outcome(bounded(read_html, page, name="r.html"))


@pytest.mark.parametrize("r", ["²", "1" * 5000, "0", "-3", "2000000"])
def test_xlsx_row_numbers_that_are_no_row_numbers(r):
    """``<row r="…">`` with a superscript digit or 5000 digits made ``int()`` raise (and the
    workbook be refused as damaged): such a row is the one after the previous row."""
    members = zip_members(bases("xlsx")[0])
    name = sorted(n for n in members if n.startswith("xl/worksheets/sheet"))[-1]
    members[name] = re.sub(rb'<row r="\d+"', b'<row r="' + r.encode() + b'"',
                           members[name], count=3)
    assert isinstance(bounded(read_xlsx, rezip(members), name="r.xlsx"), ImportResult)


def test_xlsx_merged_range_over_the_whole_sheet_is_fast():
    """openpyxl, which read workbooks before, made an object for every merged position:
    ``A1:XFD1048576`` in a 2 KB file did not finish in 20 s.  The ranges are clipped to
    the cells that hold something."""
    data = BIG_XLSX["merged over the whole sheet"]()
    check_outcome(bounded(read_xlsx, data, name="r.xlsx"))     # its speed: bench/bench_budgets.py
