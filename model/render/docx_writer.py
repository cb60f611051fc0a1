"""DOCX in the official layout, from the line markup ``templates/report.docx.j2`` renders.

The markup is one directive a line::

    #title 标题        #h1 一级标题      #h2 二级标题      #p 正文段落
    #right 右对齐段落   #blank 空行       #pagebreak 分页   #table t3
    #signature 落款（空一行，署名和成文日期，GB/T 9704 §7.3.5；没有日期时不写）

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

The page is the 公文 grid: 22 lines of 28 characters (``w:docGrid`` of type
``linesAndChars``).  Heads keep with the next paragraph; in a table the header
and caption rows and every row of a vertically merged group but its last keep
with the next row, and no row splits, so a head never ends a page and a group
label (``三、本年度办理结果``) is never cut.  The title breaks at a word boundary
and the 落款 follows GB/T 9704 §7.3.5 (both from :mod:`.layout`).  A forced
export (``context["draft"]``) has ``草稿`` in its headers and properties.  The
package is the export's own: created/modified now, the theme language zh-CN,
a font table of the fonts used, no thumbnail, custom XML or template leftovers
of the reference.

Paragraphs and tables are written as XML text and the document part is parsed
once with them in place, which keeps a full export well under python-docx's own
speed.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Twips
from lxml import etree

from ..errors import RenderError
from ..paths import REFERENCE_DOCX
from . import docx_styles as S
from . import layout
from .context import TableView, one_line
from .markup import parse_markup

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_BAD = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PSTYLE_END = re.compile(r"^(<w:p><w:pPr>(?:<w:pStyle [^>]*/>)?)")


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
            right: int | None = None, first_line: bool = True, keep_next: bool = False,
            right_chars: float | None = None) -> str:
        """``<w:pPr>`` in schema order: pStyle, keepNext, keepLines, snapToGrid, spacing,
        ind, jc, outlineLvl.

        Heads always keep with the next paragraph (even when an office's reference
        style forgets it); the title and table text do not snap to the character grid
        (a 二号 or 五号 character would take whole grid cells).  ``right_chars``: a
        right indent in characters (the 落款).
        """
        sp = self.spec
        keep = keep_next or sp.keep_next
        parts = ["<w:pPr>"]
        if self.style_id is not None:
            parts.append(f"<w:pStyle w:val={quoteattr(self.style_id)}/>")
        if keep:
            parts.append("<w:keepNext/>")
        if sp.outline is not None:
            parts.append("<w:keepLines/>")
        if not sp.snap:
            parts.append('<w:snapToGrid w:val="0"/>')
        if self.style_id is None:
            if sp.line_exact:
                line = f'w:line="{round(sp.line_exact * 20)}" w:lineRule="exact"'
            else:
                line = 'w:line="240" w:lineRule="auto"'
            parts.append(f'<w:spacing w:before="0" w:after="{round(sp.space_after * 20)}" {line}/>')
        ind = []
        if self.style_id is None or left is not None:
            ind.append(f'w:left="{left or 0}"')
        if right_chars is not None:
            ind.append(f'w:rightChars="{round(right_chars * 100)}" '
                       f'w:right="{S.char_twips(right_chars, sp)}"')
        elif self.style_id is None or right is not None:
            ind.append(f'w:right="{right or 0}"')
        if self.style_id is None or not first_line:
            chars = sp.first_line_chars if first_line else 0
            ind.append(f'w:firstLineChars="{chars * 100}" w:firstLine="{S.char_twips(chars, sp)}"')
        if ind:
            parts.append(f"<w:ind {' '.join(ind)}/>")
        a = align or (sp.align if self.style_id is None else None)
        if a:
            parts.append(f'<w:jc w:val="{a}"/>')
        if self.style_id is None and sp.outline is not None:
            parts.append(f'<w:outlineLvl w:val="{sp.outline}"/>')
        parts.append("</w:pPr>")
        return "".join(parts)

    def rpr(self) -> str:
        """``<w:rPr>`` in schema order: rFonts, snapToGrid, w, sz, szCs."""
        east = quoteattr(self.east)
        snap = "" if self.spec.snap else '<w:snapToGrid w:val="0"/>'
        if self.style_id is None and self.spec.scale != 100:
            snap += f'<w:w w:val="{self.spec.scale}"/>'
        if self.style_id is not None and self.spec.latin == S.LATIN:
            return f'<w:rPr><w:rFonts w:eastAsia={east} w:hint="eastAsia"/>{snap}</w:rPr>'
        latin = quoteattr(self.spec.latin)
        fonts = (f"<w:rFonts w:ascii={latin} w:hAnsi={latin} w:eastAsia={east} "
                 f'w:cs={latin} w:hint="eastAsia"/>')
        if self.style_id is not None:
            return f"<w:rPr>{fonts}{snap}</w:rPr>"
        size = round(self.spec.size * 2)
        return f'<w:rPr>{fonts}{snap}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'


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


def keep_rows(view: TableView) -> set[int]:
    """Rows kept on the page of the next row (their paragraphs keep with next).

    The header rows and every caption/header row (表二's ``第二十条第（一）项`` and
    ``信息内容`` rows stay with their figures), and every row inside a vertically
    merged group but its last (``三、本年度办理结果``, ``（四）无法提供`` are never cut
    by a page break); the last row of the table is never kept.
    """
    keep: set[int] = set(range(view.header_rows))
    for r, row in enumerate(view.rows):
        if any(c["role"] in ("caption", "header") for c in row):
            keep.add(r)
    for cell in view.cover.values():
        if cell["rowspan"] > 1:
            keep.update(range(cell["row"], cell["row"] + cell["rowspan"] - 1))
    keep.discard(view.n_rows - 1)
    return keep


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
    empty_p = {(align, keep): f"<w:p>{st.ppr(align=align, keep_next=keep)}</w:p>"
               for align in ("center", "left") for keep in (False, True)}
    cover = view.cover
    keeps = keep_rows(view)
    for r in range(view.n_rows):
        keep = r in keeps
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
                out.append(_para(st, cell["text"], align=align, keep_next=keep))
            else:
                out.append(empty_p[(align, keep)])
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


def _draft_header_xml(st: _Style, mark: str) -> str:
    return (f'<w:hdr xmlns:w="{W_NS}"><w:p>{st.ppr(first_line=False)}'
            f'<w:r>{st.rpr()}<w:t xml:space="preserve">{escape(mark)}</w:t></w:r></w:p></w:hdr>')


def _mark_header(header: Any, xml: str) -> None:
    """Put the draft mark first in a header, keeping what an office's letterhead has."""
    if header.is_linked_to_previous:
        header.is_linked_to_previous = False
        el = header._element
        for child in list(el):
            el.remove(child)
    el = header._element
    new = list(parse_xml(xml))
    for child in reversed(new):
        el.insert(0, child)


def _fill_footer(footer: Any, xml: str) -> None:
    footer.is_linked_to_previous = False
    el = footer._element
    for child in list(el):
        el.remove(child)
    for child in parse_xml(xml):
        el.append(child)


def title_xml(st: _Style, text: str) -> str:
    """The title in one paragraph, broken into balanced lines at word boundaries."""
    lines = layout.title_lines(one_line(text))
    runs = []
    rpr = st.rpr()
    for i, line in enumerate(lines):
        br = "<w:br/>" if i else ""
        runs.append(f'<w:r>{rpr}{br}<w:t xml:space="preserve">{xml_text(line)}</w:t></w:r>')
    return f"<w:p>{st.ppr(first_line=False)}{''.join(runs)}</w:p>"


def signature_xml(st: _Style, context: dict[str, Any]) -> list[str]:
    """The 落款: a blank line, then 署名 and 成文日期 right-aligned with the right
    indents of :func:`.layout.signature_layout` (kept together, and with the text)."""
    lines = context.get("signature") or []
    if not lines:
        return []
    out = [f"<w:p>{st.ppr(keep_next=True)}</w:p>"]
    for i, ln in enumerate(lines):
        out.append(_para(st, ln["text"], align="right", first_line=False, right_chars=ln["right"],
                         keep_next=i < len(lines) - 1))
    return out


# --------------------------------------------------------------------------
# the whole document
# --------------------------------------------------------------------------

def body_xml(markup: str, context: dict[str, Any], styles: dict[str, _Style]) -> list[str]:
    tables: dict[str, TableView] = context["tables"]
    parts: list[str] = []
    for block in parse_markup(markup, tables, "Word 模板"):
        d, arg = block.kind, block.text
        if d == "title":
            parts.append(title_xml(styles["title"], arg))
        elif d in ("h1", "h2"):
            parts.append(_para(styles[d], arg))
        elif d == "p":
            parts.append(_para(styles["body"], arg))
        elif d == "right":
            parts.append(_para(styles["body"], arg, align="right", first_line=False))
        elif d == "signature":
            sign = signature_xml(styles["body"], context)
            if sign and parts and parts[-1].startswith("<w:p>") and "<w:keepNext/>" not in parts[-1]:
                parts[-1] = _PSTYLE_END.sub(r"\1<w:keepNext/>", parts[-1], count=1)
            parts.extend(sign)
        elif d == "blank":
            parts.append(f"<w:p>{styles['body'].ppr()}</w:p>")
        elif d == "pagebreak":
            parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        elif block.table is not None:
            parts.append(table_xml(block.table, styles["table"]))
    return parts


# --------------------------------------------------------------------------
# the package: grid, draft mark, fonts, properties
# --------------------------------------------------------------------------

# w:sectPr children after w:docGrid (CT_SectPr sequence)
_AFTER_GRID = ("printerSettings", "sectPrChange")
# w:settings children after w:themeFontLang (CT_Settings sequence)
_AFTER_THEME_LANG = ("clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
                     "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
                     "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol",
                     "listSeparator")
# what a reference written by another program leaves behind (it is not ours to publish)
_LEFTOVER_SETTINGS = ("attachedTemplate", "docVars", "rsids")


def _insert_before(parent: Any, el: Any, later: tuple[str, ...]) -> None:
    for child in parent:
        if child.tag in {qn("w:" + t) for t in later}:
            child.addprevious(el)
            return
    parent.append(el)


def _normal_size(doc: Any) -> float:
    try:
        size = doc.styles["Normal"].font.size
    except KeyError:
        size = None
    return size.pt if size is not None else S.BODY.size


def _set_grid(sect: Any, body_size: float) -> None:
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    char_space = math.floor((S.CHAR_PITCH_PT - body_size) * 4096)
    grid = parse_xml(f'<w:docGrid xmlns:w="{W_NS}" w:type="linesAndChars" '
                     f'w:linePitch="{S.LINE_PITCH}" w:charSpace="{char_space}"/>')
    _insert_before(sect, grid, _AFTER_GRID)


def _clean_settings(settings: Any) -> None:
    el = settings.element
    for name in _LEFTOVER_SETTINGS:
        for old in el.findall(qn("w:" + name)):
            el.remove(old)
    lang = el.find(qn("w:themeFontLang"))
    if lang is None:
        lang = parse_xml(f'<w:themeFontLang xmlns:w="{W_NS}"/>')
        _insert_before(el, lang, _AFTER_THEME_LANG)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


# what Word needs to find a font or its stand-in: (altName, panose1, charset, family, pitch)
_FONT_FACTS: dict[str, tuple[str, str, str, str, str]] = {
    "Times New Roman": ("", "02020603050405020304", "00", "roman", "variable"),
    "宋体": ("SimSun", "02010600030101010101", "86", "auto", "variable"),
    "黑体": ("SimHei", "02010609060101010101", "86", "modern", "fixed"),
    "仿宋_GB2312": ("仿宋", "02010609030101010101", "86", "modern", "fixed"),
    "仿宋": ("FangSong", "02010609060101010101", "86", "modern", "fixed"),
    "楷体_GB2312": ("楷体", "02010609030101010101", "86", "modern", "fixed"),
    "楷体": ("KaiTi", "02010609060101010101", "86", "modern", "fixed"),
    "方正小标宋简体": ("宋体", "02000000000000000000", "86", "auto", "variable"),
}
_FONT_ATTRS = tuple(qn("w:" + a) for a in ("ascii", "hAnsi", "eastAsia", "cs"))


def fonts_used(*elements: Any) -> list[str]:
    """Every font named by a ``w:rFonts`` in the given parts, in first-seen order."""
    seen: dict[str, None] = {}
    for el in elements:
        for f in el.iter(qn("w:rFonts")):
            for a in _FONT_ATTRS:
                v = f.get(a)
                if v:
                    seen.setdefault(v, None)
    return list(seen)


def font_table_xml(names: list[str]) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<w:fonts xmlns:w="{W_NS}">']
    for name in names:
        alt, panose, charset, family, pitch = _FONT_FACTS.get(
            name, ("", "", "86" if any(ord(ch) > 0x7F for ch in name) else "00", "auto", "variable"))
        out.append(f"<w:font w:name={quoteattr(name)}>")
        if alt:
            out.append(f"<w:altName w:val={quoteattr(alt)}/>")
        if panose:
            out.append(f'<w:panose1 w:val="{panose}"/>')
        out.append(f'<w:charset w:val="{charset}"/><w:family w:val="{family}"/>'
                   f'<w:pitch w:val="{pitch}"/></w:font>')
    out.append("</w:fonts>")
    return "".join(out).encode("utf-8")


def app_xml(agency: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            "<Application>Nianbao</Application><DocSecurity>0</DocSecurity>"
            f"<Company>{xml_text(agency)}</Company></Properties>").encode()


# parts of the document a reference from another program may carry: its data store
# (custom XML) and Word 2010's copy of the styles, both about content we drop
_LEFTOVER_PARTS = (RT.CUSTOM_XML,
                   "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects")


def _clean_package(doc: Any, context: dict[str, Any], fonts: list[str]) -> None:
    """Fonts, properties and parts that are this export's own, nothing left from elsewhere."""
    pkg = doc.part.package
    for rel in list(pkg.rels.values()):
        if rel.reltype in (RT.THUMBNAIL, RT.CUSTOM_PROPERTIES):
            del pkg.rels[rel.rId]
        elif rel.reltype == RT.EXTENDED_PROPERTIES and not rel.is_external:
            rel.target_part._blob = app_xml(context["agency"])
    for rel in list(doc.part.rels.values()):
        if rel.reltype in _LEFTOVER_PARTS:
            del doc.part.rels[rel.rId]
    table = next((r.target_part for r in doc.part.rels.values()
                  if r.reltype == RT.FONT_TABLE and not r.is_external), None)
    blob = font_table_xml(fonts)
    if table is None:
        table = Part(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, blob, pkg)
        doc.part.relate_to(table, RT.FONT_TABLE)
    else:
        table._blob = blob


def _set_properties(doc: Any, context: dict[str, Any], draft: bool) -> None:
    props = doc.core_properties
    mark = context.get("draft_mark") or "草稿"
    props.title = f"{context['title']}（{mark}）" if draft else context["title"]
    props.author = context["agency"]
    props.last_modified_by = context["agency"]
    props.subject = "政府信息公开工作年度报告"
    props.comments = f"{mark}：导出时报告仍有错误，不是可以发布的文稿。" if draft else ""
    props.keywords = mark if draft else ""
    props.content_status = mark if draft else ""
    props.category = ""
    props.revision = 1
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now
    el = props._element
    for old in el.findall(qn("cp:lastPrinted")):
        el.remove(old)


_BODY_MARK = "NIANBAO-BODY"


def _with_body(doc: Any, sect: Any, body: str) -> Any:
    """The document with ``body`` (paragraph and table XML) before its ``sectPr``.

    The whole document part is parsed once with the new body in place: moving a
    separately parsed body into the reference's tree makes lxml walk every element
    again, which took a third of the export.
    """
    root = doc.element
    if root.nsmap.get("w") != W_NS:           # an odd prefix: move the parsed elements instead
        for child in list(parse_xml(f'<w:body xmlns:w="{W_NS}">{body}</w:body>')):
            sect.addprevious(child)
        return doc
    sect.addprevious(etree.Comment(_BODY_MARK))
    xml = etree.tostring(root, encoding="unicode").replace(f"<!--{_BODY_MARK}-->", body, 1)
    part = doc.part
    part._element = parse_xml(xml)
    return part.document


def write_docx(markup: str, context: dict[str, Any], reference: Path | None = None) -> bytes:
    doc = open_reference(reference)
    styles = resolve_styles(doc)
    parts = body_xml(markup, context, styles)
    draft = bool(context.get("draft"))

    body = doc.element.body
    sect = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not sect:
            body.remove(child)
    if sect is None:
        sect = parse_xml(f'<w:sectPr xmlns:w="{W_NS}"/>')
        body.append(sect)
    doc = _with_body(doc, sect, "".join(parts))
    body = doc.element.body
    sect = body.find(qn("w:sectPr"))

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
    _set_grid(sect, _normal_size(doc))

    pn = styles["pagenum"]
    _fill_footer(section.footer, _footer_xml(pn, odd=True))
    _fill_footer(section.even_page_footer, _footer_xml(pn, odd=False))
    if section.different_first_page_header_footer:
        _fill_footer(section.first_page_footer, _footer_xml(pn, odd=True))
    if draft:
        mark = _draft_header_xml(_Style(S.DRAFT, None, S.DRAFT.east), context.get("draft_mark") or "草稿")
        headers = [section.header, section.even_page_header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        for h in headers:
            _mark_header(h, mark)
    doc.settings.odd_and_even_pages_header_footer = True
    _clean_settings(doc.settings)

    hf = [h._element for h in (section.header, section.even_page_header, section.first_page_header,
                               section.footer, section.even_page_footer, section.first_page_footer)
          if not h.is_linked_to_previous]
    _clean_package(doc, context, fonts_used(doc.styles.element, body, *hf))
    _set_properties(doc, context, draft)

    buf = io.BytesIO()
    try:
        doc.save(buf)
    except (ValueError, etree.LxmlError) as exc:
        raise RenderError(f"无法生成 Word 文档：{exc}。") from exc
    return buf.getvalue()
