"""Make the page images of the exported PDF shown in the README.

Exports the built-in example report (``model.example``) to PDF with the
project's own Qt renderer (no office suite), and converts every page to
``docs/export-pdf-pageN.png`` with pdftoppm at 60 dpi.

    uv run python docs/make_pdf_images.py

Needs ``pdftoppm`` (poppler-utils) on PATH and fonts-noto-cjk for the Chinese text.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import gui.renderers  # noqa: E402,F401  (registers the PDF format)
from model.example import build  # noqa: E402
from model.render import render  # noqa: E402

DPI = 60


def main() -> int:
    tool = shutil.which("pdftoppm")
    if not tool:
        sys.exit("需要 pdftoppm，请先安装 poppler-utils。")
    for old in DOCS.glob("export-pdf-page*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "example.pdf"
        pdf.write_bytes(render(build(), "pdf"))
        subprocess.run([tool, "-r", str(DPI), "-png", str(pdf), str(Path(tmp) / "p")], check=True)
        pages = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1]))
        for n, png in enumerate(pages, 1):
            shutil.copy(png, DOCS / f"export-pdf-page{n}.png")
            print(DOCS / f"export-pdf-page{n}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
