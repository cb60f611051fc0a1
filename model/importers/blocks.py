"""The neutral document shape every reader produces before recognition.

A reader (text, DOCX, HTML, XLSX) turns its input into a flat list of blocks in
document order: paragraphs of text and tables as rows of cell strings (merged
cells repeated or shifted as the source has them).  :func:`recognise` in
``recognise.py`` turns blocks into a report, so every format is read by one
piece of logic.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Paragraph:
    text: str
    # the line continues the paragraph of the line before it: the source broke one paragraph
    # (a Word line break ``<w:br/>``, an HTML ``<br>``) — a title broken over lines is one title
    broken: bool = False


@dataclass
class Table:
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class TitleHint:
    """The report's title as the file states it outside its body: a web page's
    ``<title>``, a DOCX's core properties.  Used only when the body has no title."""

    text: str
    source: str = ""                # Chinese: "网页标题", "文档属性"


Block = Paragraph | Table | TitleHint
