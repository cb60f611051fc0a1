"""DOCX in the official layout, from the line markup ``templates/report.docx.j2`` renders.

The markup is one directive a line::

    #title 标题        #h1 一级标题      #h2 二级标题      #p 正文段落
    #right 右对齐段落   #blank 空行       #pagebreak 分页   #table t3

A line without a directive is a body paragraph.  Tables are drawn from the
schema's grids (``gridSpan``/``vMerge`` merges, header rows repeated, rows not
split) — the template only says where.

Styles come from the reference document (``resources/reference.docx`` or an
office's own): its paragraph styles ``Normal``, ``Title``, ``Heading 1``,
``Heading 2``, ``表格文字`` and ``页码`` are used when present; a missing style is
replaced by direct formatting from :mod:`.docx_styles`.  Nothing else in the
reference is relied on: its body is dropped, the page is set to A4 with the
GB/T 9704 margins and the footers are replaced by the page numbers.  Every run
carries its East Asian font (``w:rFonts w:eastAsia``), read from its style.

Paragraphs and tables are written as XML text and parsed once, which keeps a
full export well under python-docx's own cell-by-cell speed.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Twips
from lxml import etree

from ..errors import RenderError
from ..paths import REFERENCE_DOCX
from . import docx_styles as S
from .context import TableView

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_BAD = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_DIRECTIVE = re.compile(r"#([a-z0-9]+)(?:[ \t](.*))?$")
DIRECTIVES = ("title", "h1", "h2", "p", "right", "blank", "pagebreak", "table")


def xml_text(text: str) -> str:
    """Text with the characters XML 1.0 cannot hold removed, escaped for an element.

    A paragraph beyond :data:`model.sanitize.MAX_SECTION_CHARS` is refused (libxml2
    cannot hold a text node of millions of characters).
    """
    from ..sanitize import MAX_SECTION_CHARS
    if len(text) > MAX_SECTION_CHARS:
        raise RenderError(f"有一段文字长达 {len(text)} 字，超过 {MAX_SECTION_CHARS} 字的上限，"
                          "无法写入 Word 文档。请删去多余的内容后再导出。")
    return escape(_XML_BAD.sub("", text))


# --------------------------------------------------------------------------
# the reference document
# --------------------------------------------------------------------------

_reference_cache: dict[tuple[str, int, int], bytes] = {}


def _reference_bytes(path: Path) -> bytes:
    # the same safe reading as every import: regular files only, size cap, zip checks (issue 14 item 10)
    from ..errors import ReadError
    from ..files import check_regular, read_capped
    from ..importers.safety import MAX_FILE_BYTES, check_zip
    st = check_regular(path, "参考文档", RenderError)
    key = (str(path), st.st_mtime_ns, st.st_size)
    data = _reference_cache.get(key)
    if data is None:
        data = read_capped(path, MAX_FILE_BYTES, "参考文档", RenderError)
        try:
            check_zip(data, "docx").close()
        except ReadError as exc:
            raise RenderError(f"参考文档“{path.name}”无法使用：{exc}") from None
        _reference_cache.clear()
        _reference_cache[key] = data
    return data


def open_reference(path: Path | None) -> docx.document.Document:
    path = Path(path) if path is not None else REFERENCE_DOCX
    data = _reference_bytes(path)
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError,
            etree.XMLSyntaxError) as exc:
        raise RenderError(f"参考文档“{path.name}”不是有效的 Word 文档（.docx），"
                          "请换用正确的参考文档或恢复默认。") from exc


# --------------------------------------------------------------------------
# styles: the reference's, or direct formatting when one is missing
# --------------------------------------------------------------------------

@dataclass
class _Style:
    spec: S.StyleSpec
    style_id: str | None          # None: the reference lacks it, format directly
    east: str                     # East Asian font put on every run

    def ppr(self, align: str | None = None, left: int | None = None,
            right: int | None = None, first_line: bool = True) -> str:
        """``<w:pPr>`` in schema order: pStyle, keepNext, spacing, ind, jc, outlineLvl."""
        sp = self.spec
        parts = ["<w:pPr>"]
        if self.style_id is not None:
            parts.append(f"<w:pStyle w:val={quoteattr(self.style_id)}/>")
            ind = []
            if left is not None:
                ind.append(f'w:left="{left}"')
            if right is not None:
                ind.append(f'w:right="{right}"')
            if not first_line:
                ind.append('w:firstLineChars="0" w:firstLine="0"')
            if ind:
                parts.append(f"<w:ind {' '.join(ind)}/>")
            if align:
                parts.append(f'<w:jc w:val="{align}"/>')
        else:
            if sp.keep_next:
                parts.append("<w:keepNext/>")
            if sp.line_exact:
                line = f'w:line="{round(sp.line_exact * 20)}" w:lineRule="exact"'
            else:
                line = 'w:line="240" w:lineRule="auto"'
            parts.append(f'<w:spacing w:before="0" w:after="{round(sp.space_after * 20)}" {line}/>')
            chars = sp.first_line_chars if first_line else 0
            parts.append(f'<w:ind w:left="{left or 0}" w:right="{right or 0}" '
                         f'w:firstLineChars="{chars * 100}" '
                         f'w:firstLine="{round(chars * sp.size * 20)}"/>')
            a = align or sp.align
            if a:
                parts.append(f'<w:jc w:val="{a}"/>')
            if sp.outline is not None:
                parts.append(f'<w:outlineLvl w:val="{sp.outline}"/>')
        parts.append("</w:pPr>")
        return "".join(parts)

    def rpr(self) -> str:
        east = quoteattr(self.east)
        if self.style_id is not None:
            return f'<w:rPr><w:rFonts w:eastAsia={east} w:hint="eastAsia"/></w:rPr>'
        latin = quoteattr(self.spec.latin)
        size = round(self.spec.size * 2)
        return (f"<w:rPr><w:rFonts w:ascii={latin} w:hAnsi={latin} w:eastAsia={east} "
                f'w:cs={latin} w:hint="eastAsia"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
                "</w:rPr>")


def _east_font(style: Any, doc: Any) -> str | None:
    seen = 0
    while style is not None and seen < 20:
        rpr = style.element.rPr
        if rpr is not None and rpr.rFonts is not None:
            v = rpr.rFonts.get(qn("w:eastAsia"))
            if v:
                return v
        style = style.base_style
        seen += 1
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return fonts.get(qn("w:eastAsia"))
    return None


def resolve_styles(doc: Any) -> dict[str, _Style]:
    out: dict[str, _Style] = {}
    for spec in S.SPECS:
        try:
            style = doc.styles[spec.name]
        except KeyError:
            style = None
        if style is not None and style.type != WD_STYLE_TYPE.PARAGRAPH:
            style = None
        if style is None:
            out[spec.key] = _Style(spec, None, spec.east)
        else:
            out[spec.key] = _Style(spec, style.style_id, _east_font(style, doc) or spec.east)
    return out


# --------------------------------------------------------------------------
# paragraphs and tables as XML text
# --------------------------------------------------------------------------

def _runs(st: _Style, text: str) -> str:
    rpr = st.rpr()
    text = _XML_BAD.sub("", text)
    if not text:
        return ""
    pieces = text.split("\t")
    inner = "<w:tab/>".join(f'<w:t xml:space="preserve">{escape(p)}</w:t>' for p in pieces)
    return f"<w:r>{rpr}{inner}</w:r>"


def _para(st: _Style, text: str, **ppr: Any) -> str:
    return f"<w:p>{st.ppr(**ppr)}{_runs(st, text)}</w:p>"


_BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
_CELL_MARGIN = 57          # 1 mm left and right: 15 narrow columns in table 四 need it


def column_widths(view: TableView, total: int = S.TEXT_WIDTH) -> list[int]:
    widths = [int(total * w) for w in view.col_widths]
    widths[-1] += total - sum(widths)
    return widths


def table_xml(view: TableView, st: _Style) -> str:
    widths = column_widths(view)
    total = sum(widths)
    out = [
        "<w:tbl><w:tblPr>",
        f'<w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>',
        "<w:tblBorders>",
        *(f"<w:{side} {_BORDER}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV")),
        "</w:tblBorders>",
        '<w:tblLayout w:type="fixed"/>',
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{_CELL_MARGIN}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{_CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>',
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/>',
        "</w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    empty_p = {align: f"<w:p>{st.ppr(align=align)}</w:p>" for align in ("center", "left")}
    cover = view.cover
    for r in range(view.n_rows):
        out.append("<w:tr><w:trPr><w:cantSplit/>")
        if r < view.header_rows:
            out.append("<w:tblHeader/>")
        out.append("</w:trPr>")
        c = 0
        while c < view.n_cols:
            cell = cover[(r, c)]
            span = cell["colspan"]
            width = sum(widths[cell["col"]:cell["col"] + span])
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>')
            if span > 1:
                out.append(f'<w:gridSpan w:val="{span}"/>')
            starts = cell["row"] == r
            if cell["rowspan"] > 1:
                out.append('<w:vMerge w:val="restart"/>' if starts else "<w:vMerge/>")
            out.append('<w:vAlign w:val="center"/></w:tcPr>')
            align = cell["align"]
            if starts and cell["text"]:
                out.append(_para(st, cell["text"], align=align))
            else:
                out.append(empty_p[align])
            out.append("</w:tc>")
            c += span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _footer_xml(st: _Style, odd: bool) -> str:
    rpr = st.rpr()
    one_char = round(S.PAGENUM.size * 20)
    ppr = st.ppr(align="right", right=one_char, first_line=False) if odd \
        else st.ppr(align="left", left=one_char, first_line=False)

    def run(inner: str) -> str:
        return f"<w:r>{rpr}{inner}</w:r>"
    return (f'<w:ftr xmlns:w="{W_NS}"><w:p>{ppr}'
            + run(f'<w:t xml:space="preserve">{escape(S.PAGE_PREFIX)}</w:t>')
            + run('<w:fldChar w:fldCharType="begin"/>')
            + run('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
            + run('<w:fldChar w:fldCharType="separate"/>')
            + run("<w:t>1</w:t>")
            + run('<w:fldChar w:fldCharType="end"/>')
            + run(f'<w:t xml:space="preserve">{escape(S.PAGE_SUFFIX)}</w:t>')
            + "</w:p></w:ftr>")


def _fill_footer(footer: Any, xml: str) -> None:
    footer.is_linked_to_previous = False
    el = footer._element
    for child in list(el):
        el.remove(child)
    for child in parse_xml(xml):
        el.append(child)


# --------------------------------------------------------------------------
# the whole document
# --------------------------------------------------------------------------

def body_xml(markup: str, context: dict[str, Any], styles: dict[str, _Style]) -> list[str]:
    tables: dict[str, TableView] = context["tables"]
    parts: list[str] = []
    for lineno, raw in enumerate(markup.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            parts.append(_para(styles["body"], line))
            continue
        m = _DIRECTIVE.match(line)
        if not m or m.group(1) not in DIRECTIVES:
            raise RenderError(f"Word 模板生成的第 {lineno} 行无法识别：“{line[:40]}”。"
                              f"每行应以 {'、'.join('#' + d for d in DIRECTIVES)} 之一开头。")
        d, arg = m.group(1), (m.group(2) or "").strip()
        if d == "title":
            parts.append(_para(styles["title"], arg, first_line=False))
        elif d in ("h1", "h2"):
            parts.append(_para(styles[d], arg))
        elif d == "p":
            parts.append(_para(styles["body"], arg))
        elif d == "right":
            parts.append(_para(styles["body"], arg, align="right", first_line=False))
        elif d == "blank":
            parts.append(f"<w:p>{styles['body'].ppr()}</w:p>")
        elif d == "pagebreak":
            parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        else:  # table
            if arg not in tables:
                raise RenderError(f"Word 模板第 {lineno} 行要放置的表格“{arg}”不存在，"
                                  f"可用的表格：{'、'.join(tables)}。")
            parts.append(table_xml(tables[arg], styles["table"]))
    return parts


def write_docx(markup: str, context: dict[str, Any], reference: Path | None = None) -> bytes:
    doc = open_reference(reference)
    styles = resolve_styles(doc)
    parts = body_xml(markup, context, styles)

    body = doc.element.body
    sect = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not sect:
            body.remove(child)
    if sect is None:
        sect = parse_xml(f'<w:sectPr xmlns:w="{W_NS}"/>')
        body.append(sect)
    new = parse_xml(f'<w:body xmlns:w="{W_NS}">{"".join(parts)}</w:body>')
    for child in list(new):
        sect.addprevious(child)

    section = doc.sections[-1]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Twips(S.PAGE_W)
    section.page_height = Twips(S.PAGE_H)
    section.top_margin = Twips(S.MARGIN_TOP)
    section.bottom_margin = Twips(S.MARGIN_BOTTOM)
    section.left_margin = Twips(S.MARGIN_LEFT)
    section.right_margin = Twips(S.MARGIN_RIGHT)
    section.header_distance = Twips(S.HEADER_DIST)
    section.footer_distance = Twips(S.FOOTER_DIST)
    section.gutter = Twips(0)

    pn = styles["pagenum"]
    _fill_footer(section.footer, _footer_xml(pn, odd=True))
    _fill_footer(section.even_page_footer, _footer_xml(pn, odd=False))
    if section.different_first_page_header_footer:
        _fill_footer(section.first_page_footer, _footer_xml(pn, odd=True))
    doc.settings.odd_and_even_pages_header_footer = True

    props = doc.core_properties
    props.title = context["title"]
    props.author = context["agency"]
    props.last_modified_by = context["agency"]
    props.subject = "政府信息公开工作年度报告"
    props.comments = ""
    props.keywords = ""

    buf = io.BytesIO()
    try:
        doc.save(buf)
    except (ValueError, etree.LxmlError) as exc:
        raise RenderError(f"无法生成 Word 文档：{exc}。") from exc
    return buf.getvalue()
