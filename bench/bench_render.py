"""Time the exports (run by hand: ``uv run python bench/bench_render.py``).

Targets (issue 3): a full DOCX export under 300 ms, a TXT export under 20 ms,
and the DOCX export no slower than 2x python-docx alone building and saving a
document with the same paragraphs and tables (merged cells included), measured
in the same run.  Prints the median of several runs after a warm-up.
"""
from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import docx  # noqa: E402

from model import schema  # noqa: E402
from model.numbers import format_value  # noqa: E402
from model.render import render  # noqa: E402
from model.render.context import paragraphs  # noqa: E402
from model.render.sample import sample_report  # noqa: E402

RUNS = 15


def python_docx_alone(report, merge: bool = True) -> bytes:
    """The same content built the plain python-docx way: add paragraphs, add tables, merge, fill."""
    d = docx.Document()
    d.add_paragraph(report.title, style="Title")
    for s in schema.SECTIONS:
        d.add_paragraph(s.heading, style="Heading 1")
        if s.kind == "text":
            for p in paragraphs(report.sections[s.id]):
                d.add_paragraph(p["text"], style="Heading 2" if p["kind"] == "h2" else None)
            continue
        tdef = schema.TABLES[s.table]
        table = d.add_table(rows=tdef.n_rows, cols=tdef.n_cols)
        table.style = "Table Grid"
        for g in tdef.grid:
            cell = table.cell(g.row, g.col)
            if merge and (g.rowspan > 1 or g.colspan > 1):
                cell = cell.merge(table.cell(g.row + g.rowspan - 1, g.col + g.colspan - 1))
            cell.text = g.text if g.cell_id is None else format_value(report.values[g.cell_id])
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def timed(fn, runs: int = RUNS) -> float:
    fn()                                   # warm-up: imports, caches
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> int:
    r = sample_report()
    docx_ms = timed(lambda: render(r, "docx"))
    txt_ms = timed(lambda: render(r, "txt"), runs=50)
    html_ms = timed(lambda: render(r, "html"), runs=50)
    xlsx_ms = timed(lambda: render(r, "xlsx"), runs=5)
    base_ms = timed(lambda: python_docx_alone(r))
    flat_ms = timed(lambda: python_docx_alone(r, merge=False), runs=5)
    ratio = docx_ms / base_ms
    rows = [
        ("DOCX export", docx_ms, "< 300 ms", docx_ms < 300),
        ("TXT export", txt_ms, "< 20 ms", txt_ms < 20),
        ("HTML export", html_ms, "", True),
        ("XLSX export", xlsx_ms, "", True),
        ("python-docx alone, same tables", base_ms, "", True),
        ("  (for scale: same, without merges)", flat_ms, "", True),
    ]
    for name, ms, target, ok in rows:
        print(f"{name:34s} {ms:8.1f} ms  {target:10s} {'' if not target else ('ok' if ok else 'MISSED')}")
    print(f"{'DOCX export / python-docx alone':34s} {ratio:8.2f} x   <= 2x       {'ok' if ratio <= 2 else 'MISSED'}")
    return 0 if (docx_ms < 300 and txt_ms < 20 and ratio <= 2) else 1


if __name__ == "__main__":
    sys.exit(main())
