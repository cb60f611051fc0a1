"""Plain text laid out like the reports' web pages (the seeds): title, headings,
paragraphs separated by blank lines, tables as tab-separated rows of the
official grid (each label at its merged cell's top-left position)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .env import render_template

_MANY_BLANKS = re.compile(r"\n{3,}")


def render_txt(context: dict[str, Any], template_dir: Path | None = None) -> str:
    text = render_template("txt", context, template_dir)
    text = _MANY_BLANKS.sub("\n\n", text).strip("\n")
    return text + "\n"
