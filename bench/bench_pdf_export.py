"""Time the PDF export and the print preview (run by hand: ``uv run python bench/bench_pdf_export.py``).

Targets (issue 11): the PDF export of the example ≤ 300 ms; the print preview
open (dialog shown and every page painted) ≤ 0.5 s.  Both after a warm-up (Qt,
the fonts and QtPrintSupport loaded); the first, cold figures are printed too.
Uses the display in the environment, else Qt's offscreen platform.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PDF_TARGET_MS = 300.0
PREVIEW_TARGET_MS = 500.0


def _app():
    from PySide6.QtWidgets import QApplication
    return QApplication.instance() or QApplication(["bench"])


def pdf_export_ms(cpu: bool = False) -> float:
    """One PDF export of the example (layout, painting, font subsets, ToUnicode), ms.

    ``cpu``: the process's CPU time instead of wall time (less sensitive to a loaded machine).
    """
    import gui.renderers  # noqa: F401
    from model import example
    from model.render import render
    r = example.build()
    clock = time.process_time if cpu else time.perf_counter
    t0 = clock()
    data = render(r, "pdf")
    ms = (clock() - t0) * 1000
    assert data.startswith(b"%PDF")
    return ms


def print_preview_ms() -> float:
    """打印预览 from the call until the dialog is shown with every page painted, ms.

    Includes laying the pages out and the publish-ready check (for the 草稿 mark).
    """
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    from gui.document import ReportDocument
    from gui.print_preview import open_print_preview
    from model import example
    app = _app()
    doc = ReportDocument(example.build())
    t0 = time.perf_counter()
    dlg = open_print_preview(None, doc)
    assert dlg is not None
    preview = dlg.findChild(QPrintPreviewWidget)
    while not (dlg.isVisible() and preview.pageCount() > 0):
        QCoreApplication.processEvents()
    app.processEvents()
    ms = (time.perf_counter() - t0) * 1000
    dlg.close()
    dlg.deleteLater()
    app.processEvents()
    return ms


def run(n: int = 9) -> dict[str, list[float]]:
    _app()
    cold_pdf = pdf_export_ms()
    cold_preview = print_preview_ms()
    return {"pdf_cold": [cold_pdf], "preview_cold": [cold_preview],
            "pdf": [pdf_export_ms() for _ in range(n)],
            "pdf_cpu": [pdf_export_ms(cpu=True) for _ in range(n)],
            "preview": [print_preview_ms() for _ in range(n)]}


def main() -> int:
    res = run()
    pdf, prev = statistics.median(res["pdf"]), statistics.median(res["preview"])
    print(f"PDF export of the example: median {pdf:.1f} ms (min {min(res['pdf']):.1f}, "
          f"max {max(res['pdf']):.1f}; first, cold {res['pdf_cold'][0]:.1f} ms), "
          f"target ≤ {PDF_TARGET_MS:.0f} ms: {'ok' if pdf <= PDF_TARGET_MS else 'MISSED'}")
    print(f"PDF export of the example, CPU time: median {statistics.median(res['pdf_cpu']):.1f} ms")
    print(f"print preview open: median {prev:.1f} ms (min {min(res['preview']):.1f}, "
          f"max {max(res['preview']):.1f}; first, cold {res['preview_cold'][0]:.1f} ms), "
          f"target ≤ {PREVIEW_TARGET_MS:.0f} ms: {'ok' if prev <= PREVIEW_TARGET_MS else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
