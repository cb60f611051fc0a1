"""The line markup the document templates render (templates/report.docx.j2), read once.

Each line of the rendered template is a paragraph of body text, or a directive
``#name argument``: the DOCX writer and the page layout of the PDF and print
(:mod:`.pages`) both take the document from :func:`parse_markup`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import RenderError
from .context import TableView

DIRECTIVES = ("title", "h1", "h2", "p", "right", "signature", "blank", "pagebreak", "table")
_DIRECTIVE = re.compile(r"#([a-z0-9]+)(?:[ \t](.*))?$")


@dataclass
class Block:
    kind: str                         # one of DIRECTIVES
    text: str = ""
    table: TableView | None = None


def parse_markup(markup: str, tables: dict[str, TableView], what: str = "模板") -> list[Block]:
    """The rendered template as blocks; ``what`` names the template in the Chinese errors."""
    out: list[Block] = []
    for lineno, raw in enumerate(markup.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            out.append(Block("p", line))
            continue
        m = _DIRECTIVE.match(line)
        if not m or m.group(1) not in DIRECTIVES:
            raise RenderError(f"{what}生成的第 {lineno} 行无法识别：“{line[:40]}”。"
                              f"每行应以 {'、'.join('#' + d for d in DIRECTIVES)} 之一开头。")
        d, arg = m.group(1), (m.group(2) or "").strip()
        if d == "table":
            if arg not in tables:
                raise RenderError(f"{what}第 {lineno} 行要放置的表格“{arg}”不存在，"
                                  f"可用的表格：{'、'.join(tables)}。")
            out.append(Block("table", arg, tables[arg]))
        else:
            out.append(Block(d, arg))
    return out
