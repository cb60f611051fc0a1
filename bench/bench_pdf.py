"""Time the PDF reader (hand-run; not part of the test suite).

    uv run python bench/bench_pdf.py [--rounds N] [--audit N]

Reads, from bytes in memory: the example report drawn as PDF by the tests' PDF maker (ruled
and borderless tables), the example's DOCX export printed by LibreOffice and its HTML export
printed by Chromium (when those are installed; made once, not timed), and the real WPS-made
PDF of ../shared/corpus when present.  Prints the median whole-report time and the median
per page.  Targets (issue 10): ≤ 50 ms a page (median), ≤ 0.5 s a report.

``--audit N`` also times ``model.audit.audit`` over N reports of bench_audit's mixed folder
with every eighth report replaced by a PDF (target: 1,000 reports ≤ 10 s).
"""
from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

CORPUS_PDF = ROOT.parent / "shared" / "corpus" / "huaian-szf-2024.pdf"
PAGE_TARGET_MS = 50.0
REPORT_TARGET_MS = 500.0


def _pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def inputs(work: Path) -> list[tuple[str, bytes]]:
    from model import example
    from model.render import render
    from tests.pdf_maker import report_pdf

    r = example.build()
    txt = render(r, "txt")
    items = [("example drawn (ruled + borderless, radicals)",
              report_pdf(txt, borderless=(0,), radicals={"行": "⾏", "长": "⻓"}))]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        (work / "r.docx").write_bytes(render(r, "docx"))
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{work}/lo",
                        "--convert-to", "pdf", "--outdir", str(work), str(work / "r.docx")],
                       capture_output=True, timeout=300)
        if (work / "r.pdf").exists():
            items.append(("example DOCX → PDF (LibreOffice)", (work / "r.pdf").read_bytes()))
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium:
        (work / "r.html").write_text(render(r, "html"), encoding="utf-8")
        out = work / "r-html.pdf"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        f"--user-data-dir={work}/c", f"--print-to-pdf={out}", (work / "r.html").as_uri()],
                       capture_output=True, timeout=300)
        if out.exists():
            items.append(("example HTML → PDF (Chromium, header/footer)", out.read_bytes()))
    if CORPUS_PDF.exists():
        items.append(("huaian-szf-2024.pdf (WPS, real)", CORPUS_PDF.read_bytes()))
    return items


def bench(rounds: int = 5, n: int = 10):
    """Results for bench/run.py: whole report and per page, for each input."""
    from run import Result, inner

    from model.importers.pdf import read_pdf

    res = []
    with tempfile.TemporaryDirectory(prefix="nianbao-pdf-") as tmp:
        for name, data in inputs(Path(tmp)):
            pages = _pages(data)
            read_pdf(data)                                   # warm-up
            whole = [inner(lambda d=data: read_pdf(d), n) for _ in range(rounds)]
            res.append(Result("pdf", f"read {name}, {pages} pages", whole, "ms", REPORT_TARGET_MS))
            res.append(Result("pdf", "  … per page", [w / pages for w in whole], "ms", PAGE_TARGET_MS))
    return res


def audit_with_pdfs(n: int, rounds: int = 1):
    """Audit of ``n`` reports (bench_audit's mix) with every eighth one a PDF."""
    import bench_audit as ba
    from run import Result

    from model.audit import audit
    from model.render import render
    from tests.pdf_maker import report_pdf

    with tempfile.TemporaryDirectory(prefix="nianbao-audit-pdf-") as tmp:
        folder = Path(tmp)
        ba.generate(folder, n)
        rng = random.Random(10)
        pdfs = 0
        for i, p in enumerate(sorted(folder.iterdir())):
            if i % 8 == 3 and p.suffix in (".html", ".docx", ".txt", ".xlsx"):
                rep = ba.random_report(rng, f"PDF测试{i:04d}局", 2025)
                p.unlink()
                (folder / (p.stem + ".pdf")).write_bytes(report_pdf(render(rep, "txt")))
                pdfs += 1
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            result = audit(folder)
            times.append((time.perf_counter() - t0) * 1000)
    return [Result("pdf", f"audit of {n} reports, {pdfs} of them PDF ({len(result.rows)} read)", times,
                   "ms", 10_000.0 * n / 1000)]


def main(argv: list[str]) -> int:
    from run import print_table

    ap = argparse.ArgumentParser(description="PDF 读取的性能测试")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--audit", type=int, default=0, metavar="N", help="also time an audit of N reports")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args(argv)
    results = bench(args.rounds)
    if args.audit:
        results += audit_with_pdfs(args.audit, rounds=max(1, min(args.rounds, 3)))
    print_table(results, args.markdown)
    print(f"median per page over all inputs: "
          f"{statistics.median(r.median for r in results if 'per page' in r.name):.1f} ms")
    return 0 if all(r.ok is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
