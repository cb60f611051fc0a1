"""Headings numbered by Word's automatic numbering (issue 10: headings as real reports write them).

Word and WPS offices number headings with a list style: the numeral ``一、`` is drawn by the
program and is not in the paragraph's text.  The reader must read the document as it is
published — ``一、总体情况`` — or a well-made report loses its sections and gets S2 findings.
"""
from __future__ import annotations

import copy
import io
import re

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from model import example, schema
from model.importers import read_file
from model.importers.docx_numbering import format_number
from model.render import render
from model.rules import check

_HEAD1 = re.compile(r"^[一二三四五六七八九十]+、")
_HEAD2 = re.compile(r"^（[一二三四五六七八九十]+）")

LEVELS = (
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="（%2）"/></w:lvl>')


def _numbered(how: str) -> bytes:
    """The example's DOCX export with its 一、 and （一） heads numbered by Word, not typed:
    ``how`` = "direct" (w:numPr on each paragraph) or "style" (a numbered paragraph style)."""
    ours = docx.Document(io.BytesIO(render(example.build(), "docx")))
    d = docx.Document()                 # python-docx's template: it has a numbering part
    body = d.element.body
    for child in list(body):
        body.remove(child)
    for child in ours.element.body:
        body.append(copy.deepcopy(child))
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{LEVELS}'
                                  '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/>'
                               '</w:num>'))
    if how == "style":
        styles = d.styles.element
        for lvl, sid in ((0, "NbHead1"), (1, "NbHead2")):
            styles.append(parse_xml(
                f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{sid}"><w:name w:val="{sid}"/>'
                f'<w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="90"/></w:numPr></w:pPr></w:style>'))
    for p in d.paragraphs:
        level = 0 if _HEAD1.match(p.text) else 1 if _HEAD2.match(p.text) else None
        if level is None or not p.runs:
            continue
        rx = _HEAD1 if level == 0 else _HEAD2
        p.runs[0].text = rx.sub("", p.runs[0].text)
        ppr = p._p.get_or_add_pPr()
        if how == "direct":
            ppr.insert(0, parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
                                    '<w:numId w:val="90"/></w:numPr>'))
        else:
            ppr.insert(0, parse_xml(f'<w:pStyle {nsdecls("w")} w:val="NbHead{level + 1}"/>'))
    assert not any(_HEAD1.match(p.text) for p in d.paragraphs)      # no numeral left in the text
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("how", ["direct", "style"])
def test_headings_numbered_by_word_read_as_published(tmp_path, how):
    want = example.build()
    path = tmp_path / "报告.docx"
    path.write_bytes(_numbered(how))
    got = read_file(path).report
    assert got.structure.headings == [s.heading for s in schema.SECTIONS]
    assert {k: got.values[k] for k in schema.CELL_IDS} == {k: want.values[k] for k in schema.CELL_IDS}
    for sid in schema.TEXT_SECTIONS:
        assert got.sections[sid].split() == want.sections[sid].split(), sid
    assert not [f for f in check(got) if f.rule == "S2"]


def test_number_formats():
    assert [format_number(n, "chineseCounting") for n in (1, 9, 10, 11, 20, 21, 100, 105)] == \
        ["一", "九", "十", "十一", "二十", "二十一", "一百", "一百零五"]
    assert format_number(3, "decimal") == "3" and format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(2, "ideographTraditional") == "乙"
    assert format_number(4, "lowerRoman") == "iv" and format_number(28, "upperLetter") == "BB"
    assert format_number(7, "decimalFullWidth") == "７"
    assert format_number(5, "someFormatNotKnown") == "5"
    assert format_number(999_999, "lowerLetter") == "999999"          # never 38,000 letters


def test_bullets_and_damaged_numbering_add_nothing(tmp_path):
    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>'
        '<w:lvlText w:val="•"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="91"/></w:num>'))
    p = d.add_paragraph("一项工作")
    p._p.get_or_add_pPr().insert(0, parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="91"/></w:numPr>'))
    q = d.add_paragraph("另一项")          # a list that is not there
    q._p.get_or_add_pPr().insert(0, parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="x"/><w:numId w:val="404"/></w:numPr>'))
    path = tmp_path / "b.docx"
    d.save(path)
    from model.importers import read_docx_blocks
    texts = [b.text for b in read_docx_blocks(path) if hasattr(b, "text")]
    assert texts == ["一项工作", "另一项"]


def test_a_list_level_text_past_all_reason_adds_nothing(tmp_path):
    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="92"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="decimal"/><w:lvlText w:val="{"%1" * 5000}"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="92"><w:abstractNumId w:val="92"/></w:num>'))
    for _ in range(200):
        p = d.add_paragraph("一项")
        p._p.get_or_add_pPr().insert(0, parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="92"/></w:numPr>'))
    path = tmp_path / "c.docx"
    d.save(path)
    from model.importers import read_docx_blocks
    assert {b.text for b in read_docx_blocks(path) if hasattr(b, "text")} == {"一项"}
