"""The export formats the gui package adds to ``model.render``: the PDF, drawn by Qt.

Importing this module loads no Qt (the start-up of the window and of the CLI
stays light); Qt is loaded when a PDF is first rendered, with an offscreen
QGuiApplication when there is no display (``gui.pdf_render.ensure_app``).
``main.py`` and the window import it; ``model/`` never does.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from model import render
from model.report import Report


def _render_pdf(report: Report, context: dict[str, Any], template_dir: Path | None = None,
                reference_docx: Path | None = None) -> bytes:
    from .pdf_render import render_pdf
    return render_pdf(context, template_dir)


PDF = render.Renderer("pdf", (".pdf",), "PDF 文档", _render_pdf, "导出 PDF", 15)


def register() -> None:
    """Register the PDF renderer (idempotent)."""
    if render.RENDERERS.get("pdf") is not PDF:
        render.register_renderer(PDF)


register()
