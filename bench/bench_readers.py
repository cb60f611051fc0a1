"""Time each reader on a full report (hand-run; not part of the test suite).

    uv run python bench/bench_readers.py [--runs N]

Reads Nianbao's own exports of the sample report (DOCX, HTML, XLSX, TXT) and the
real-world-shaped import fixtures (Word-like and LibreOffice DOCX, an agency web
page with chrome, a table-layout XLSX with uncached formulas, seed-like TXT), each
from bytes already in memory, and prints the median and best time per file.
Targets (issue 4): DOCX < 100 ms, HTML and TXT < 20 ms.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.importers import read_docx, read_html, read_xlsx  # noqa: E402
from model.importers.text import read_text  # noqa: E402

FIX = ROOT / "tests" / "fixtures" / "import"
TARGET_MS = {"docx": 100.0, "html": 20.0, "txt": 20.0, "xlsx": None}


def _readers():
    def txt(data: bytes):
        return read_text(data.decode("utf-8"))

    return {"docx": read_docx, "html": read_html, "xlsx": read_xlsx, "txt": txt}


def _inputs() -> list[tuple[str, str, bytes]]:
    items: list[tuple[str, str, bytes]] = []
    try:
        from model.render import render
        from model.render.sample import sample_report

        report = sample_report()
        for fmt in ("docx", "html", "xlsx", "txt"):
            data = render(report, fmt)
            items.append((fmt, f"Nianbao 导出 .{fmt}",
                          data if isinstance(data, bytes) else data.encode("utf-8")))
    except Exception as exc:  # the renderer is optional for this bench
        print(f"(Nianbao exports skipped: {exc})")
    for name, fmt in (("word_like.docx", "docx"), ("lo_from_html.docx", "docx"),
                      ("lo_from_txt.docx", "docx"), ("report_page.html", "html"),
                      ("report_gbk.html", "html"), ("table_layout.xlsx", "xlsx"),
                      ("report_seedlike.txt", "txt")):
        p = FIX / name
        if p.exists():
            items.append((fmt, name, p.read_bytes()))
    return items


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    readers = _readers()
    print(f"{'file':28} {'fmt':5} {'KB':>6} {'median ms':>10} {'best ms':>8}  target")
    worst_ok = True
    for fmt, name, data in _inputs():
        fn = readers[fmt]
        fn(data)                                   # warm-up: imports, caches
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            fn(data)
            times.append((time.perf_counter() - t0) * 1000)
        med, best = statistics.median(times), min(times)
        target = TARGET_MS[fmt]
        verdict = "-" if target is None else ("ok" if med < target else f"OVER {target:.0f}")
        worst_ok &= target is None or med < target
        print(f"{name:28} {fmt:5} {len(data) / 1024:6.1f} {med:10.1f} {best:8.1f}  {verdict}")
    return 0 if worst_ok else 1


if __name__ == "__main__":
    sys.exit(main())
