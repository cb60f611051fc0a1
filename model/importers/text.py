"""Reading a report's text as copied off a web page or saved as ``.txt``.

Lines with a tab, or with at least two ``|`` (ASCII or full-width), are table rows; consecutive rows
form one :class:`Table`.  Blank lines do not end a table (seed 001 has one inside
table 二; seed 002 one after its orphan number line): only a paragraph line does,
and :func:`recognise` reads tables as a stream of rows anyway.  Elsewhere a blank
line is an empty :class:`Paragraph`: in a table written one cell per line
(LibreOffice's text export, many browser copies) it is an empty cell.  Separator lines
(``---------<TAB>---``, ``|---|---|``, ``+----+``) are dropped.  A line whose only text
follows its leading tabs (an indented paragraph) is a paragraph, not a row.
Markdown-style ``| a | b |`` loses its outer pipes.

Bytes are decoded as UTF-8 (with or without BOM), UTF-16/32 with a BOM (or
UTF-16 without one, recognised by its zero bytes), else GB18030 (a superset of
GBK/GB2312).  Files over :data:`MAX_BYTES`, binary files and files without any
report content raise :class:`ReadError` with a Chinese message.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import ReadError
from ..files import read_capped
from .base import ImportResult
from .blocks import Block, Paragraph, Table
from .labels import fold_compat
from .recognise import recognise

__all__ = ["text_to_blocks", "read_text", "read_text_file", "decode_text", "MAX_BYTES"]

MAX_BYTES = 20 * 1024 * 1024

_SEPARATOR = re.compile(r"[\s|+:=_\-｜]*[=_\-]{3,}[\s|+:=_\-｜]*")
_NEWLINES = re.compile(r"\r\n|\r|[\u2028\u2029\x0b\x0c\x85]")


def _split_row(line: str) -> list[str] | None:
    """The cells of a table line, or None when the line is not a table row."""
    if "\t" in line:
        cells = line.split("\t")
    elif line.count("|") + line.count("｜") >= 2:
        s = line.strip().replace("｜", "|")
        if len(s) > 1 and s.startswith("|") and s.endswith("|"):
            s = s[1:-1]
        elif s.startswith("|"):
            s = s[1:]
        cells = s.split("|")
    else:
        return None
    cells = [c.strip() for c in cells]
    filled = [i for i, c in enumerate(cells) if c]
    if len(filled) == 1 and filled[0] == len(cells) - 1 and "\t" in line:
        return None                 # "\t\t正文" is an indented paragraph
    return cells


def text_to_blocks(text: str) -> list[Block]:
    """Plain text → paragraphs and tables (see the module docstring)."""
    text = fold_compat((text or "").lstrip("\ufeff"))
    blocks: list[Block] = []
    table: Table | None = None
    blanks = 0
    for line in _NEWLINES.sub("\n", text).split("\n"):
        s = line.strip()
        if not s:
            if table is None and blocks:
                blanks += 1                 # an empty cell, when a table has one cell a line
            continue
        if _SEPARATOR.fullmatch(s):
            continue
        cells = _split_row(line)
        if cells is None:
            table = None
            blocks.extend(Paragraph("") for _ in range(blanks))
            blanks = 0
            blocks.append(Paragraph(s))
            continue
        blanks = 0
        if not any(cells):
            continue
        if table is None:
            table = Table()
            blocks.append(table)
        table.rows.append(cells)
    return blocks


def read_text(text: str, source_name: str = "") -> ImportResult:
    """Recognise a report in already decoded text."""
    return recognise(text_to_blocks(text), source_format="txt", source_name=source_name)


# --------------------------------------------------------------------------
# Bytes → text
# --------------------------------------------------------------------------

_BAD_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd\ue000-\uf8ff]")


def _junk(name: str) -> ReadError:
    return ReadError(f"文件“{name}”不是文本文件（含有大量二进制或无法显示的字符），"
                     "请选择年度报告的 .txt、.docx、.html 或 .xlsx 文件")


def _looks_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    return None


def decode_text(data: bytes, name: str = "该文件") -> str:
    """Decode a text file's bytes; raises :class:`ReadError` for binary content."""
    text: str | None = None
    if data.startswith(codecs.BOM_UTF8):
        enc = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        enc = "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "utf-16"
    elif b"\x00" in data:
        found = _looks_utf16(data)
        if found is None:
            raise _junk(name)
        enc = found
    else:
        enc = None
    if enc is not None:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            raise ReadError(f"文件“{name}”的编码（{enc.upper()}）有错误，无法读取；"
                            "请用记事本另存为 UTF-8 后再导入") from None
    else:
        for enc in ("utf-8", "gb18030"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            raise ReadError(f"文件“{name}”既不是 UTF-8 也不是 GBK 编码的文本，无法读取；"
                            "请用记事本另存为 UTF-8 后再导入")
    bad = len(_BAD_CHARS.findall(text))
    if bad > max(2, len(text) // 100):
        raise _junk(name)
    return text


def read_text_file(path: str | Path) -> ImportResult:
    """Read a ``.txt`` report file (see the module docstring for encodings and limits)."""
    p = Path(path)
    name = p.name or str(p)
    data = read_capped(p, MAX_BYTES, "年度报告的文本文件")
    text = decode_text(data, name)
    if not text.strip():
        raise ReadError(f"文件“{name}”是空的，没有任何内容")
    return read_text(text, name)
