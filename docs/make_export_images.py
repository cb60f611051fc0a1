"""Make the page images of an exported DOCX shown in the README.

Exports the built-in example report (``model.example``) to DOCX, converts it to
PDF with LibreOffice (headless, a private profile), and the pages to PNG with
pdftoppm at 80 dpi.  Keeps ``docs/export-page1.png`` (the first page),
``docs/export-tables-N.png`` (every page holding part of a table) and
``docs/export-pageN.png`` for the last page (the 落款) when it holds no table.  When
Chromium is installed, also ``docs/export-html.png``: the HTML export as a
browser shows it.

    uv run python docs/make_export_images.py

Needs ``libreoffice`` and ``pdftoppm``/``pdftotext`` (poppler-utils) on PATH
and fonts-noto-cjk for the Chinese text; ``chromium`` for the HTML image.
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

from model.render import render  # noqa: E402
from model.example import build  # noqa: E402

TABLE_MARKS = ("第二十条第", "申请人情况", "尚未审结", "本年度办理结果")
DPI = 80


def need(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        sys.exit(f"需要 {tool}，请先安装（libreoffice-writer-nogui、poppler-utils、fonts-noto-cjk）。")
    return path


def main() -> list[Path]:
    lo, ppm, totext = need("libreoffice"), need("pdftoppm"), need("pdftotext")
    made: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        src = t / "export.docx"
        src.write_bytes(render(build(), "docx"))
        subprocess.run([lo, f"-env:UserInstallation={(t / 'profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(t), str(src)],
                       check=True, capture_output=True, timeout=300)
        pdf = t / "export.pdf"
        subprocess.run([ppm, "-r", str(DPI), "-png", str(pdf), str(t / "page")], check=True)
        pages = sorted(t.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        for old in [*DOCS.glob("export-page*.png"), *DOCS.glob("export-tables-*.png")]:
            old.unlink()
        first = DOCS / "export-page1.png"
        shutil.copyfile(pages[0], first)
        made.append(first)
        n = 0
        for i, page in enumerate(pages, 1):
            text = subprocess.run([totext, "-f", str(i), "-l", str(i), "-layout", str(pdf), "-"],
                                  check=True, capture_output=True, text=True).stdout
            text = "".join(text.split())           # a label may wrap inside its cell
            if any(mark in text for mark in TABLE_MARKS):
                n += 1
                dest = DOCS / f"export-tables-{n}.png"
                shutil.copyfile(page, dest)
                made.append(dest)
            elif i == len(pages) and i > 1:
                dest = DOCS / f"export-page{i}.png"
                shutil.copyfile(page, dest)
                made.append(dest)
        browser = shutil.which("chromium") or shutil.which("chromium-browser")
        if browser:
            page = t / "export.html"
            page.write_text(render(build(), "html"), encoding="utf-8")
            dest = DOCS / "export-html.png"
            subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                            "--no-first-run", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync",
                            f"--user-data-dir={t / 'chromium'}", "--window-size=1000,1500",
                            f"--screenshot={dest}", page.as_uri()],
                           check=True, capture_output=True, timeout=120)
            made.append(dest)
    return made


if __name__ == "__main__":
    for p in main():
        print(p.relative_to(ROOT))
