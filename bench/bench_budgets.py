"""The speed budgets that used to be wall-clock asserts inside tests (hand-run, never a test).

    uv run python bench/bench_budgets.py [--runs N]

Each line is one budget that a test used to assert with ``time.perf_counter()``
(the tests still check what the operation gives; a loaded CI machine made the
timings flaky).  Prints the median and the worst of N runs against the budget.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.errors import ReadError  # noqa: E402
from model.importers import read_docx, read_html, read_xlsx  # noqa: E402
from model.importers.docx import read_docx_blocks  # noqa: E402
from model.importers.html import html_text_blocks  # noqa: E402
from model.importers.text import read_text  # noqa: E402
from model.importers.xlsx import read_xlsx_blocks  # noqa: E402

FIX = ROOT / "tests" / "fixtures" / "import"


def _refused(fn: Callable, *args) -> Callable[[], None]:
    def run() -> None:
        try:
            fn(*args)
        except ReadError:
            return
        raise AssertionError(f"{fn.__name__} did not refuse")
    return run


def budgets() -> list[tuple[str, float, Callable[[], object]]]:
    """(what, budget in seconds, the operation)."""
    from tests.test_fuzz_readers import BIG_XLSX
    from tests.test_import_text import fixture_text

    html_page = (FIX / "report_page.html").read_bytes()
    docx = (FIX / "word_like.docx").read_bytes()
    nested = "<div>" * 5000 + "某某局2024年政府信息公开工作年度报告" + "</div>" * 5000 + "<p>一、总体情况</p>"
    body = fixture_text("tab_nonzero.txt")
    para = "本年度我局持续推进政务公开工作，主动公开各类信息，回应社会关切。\n"
    big_text = body.replace("（二）依申请公开\n", "（二）依申请公开\n" + para * 20000)
    merged = BIG_XLSX["merged over the whole sheet"]()
    return [
        ("HTML: the agency page fixture (test_import_html)", 0.020, lambda: read_html(html_page)),
        ("HTML: 5,000 nested <div>, fast path", 2.0, lambda: html_text_blocks(nested, fast=True)),
        ("HTML: 5,000 nested <div>, full parser", 2.0, lambda: html_text_blocks(nested, fast=False)),
        ("DOCX: the Word-like fixture (test_import_docx)", 0.100, lambda: read_docx(docx)),
        ("DOCX: refusing a truncated file (test_import_safety)", 2.0,
         _refused(read_docx_blocks, docx[: len(docx) // 2])),
        ("XLSX: refusing garbage after the zip magic", 2.0, _refused(read_xlsx_blocks, b"PK\x03\x04garbage")),
        ("XLSX: a merged range over the whole sheet (test_fuzz_readers)", 2.0,
         lambda: read_xlsx(merged, name="r.xlsx")),
        ("TXT: 20,000 extra paragraphs, linear (test_import_text)", 10.0, lambda: read_text(big_text)),
    ]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    failed = 0
    for what, budget, fn in budgets():
        fn()                                   # warm-up (imports, caches)
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        med, worst = statistics.median(times), max(times)
        ok = worst <= budget
        failed += not ok
        print(f"{what:66s} median {med * 1000:9.1f} ms  worst {worst * 1000:9.1f} ms  "
              f"budget {budget * 1000:8.0f} ms  {'met' if ok else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
