"""One self-contained HTML page for the agency's website (inline CSS, no external files)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .env import render_template


def render_html(context: dict[str, Any], template_dir: Path | None = None) -> str:
    return render_template("html", context, template_dir)
