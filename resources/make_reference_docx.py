"""Build ``resources/reference.docx``: the styles the DOCX export uses.

Run ``uv run python resources/make_reference_docx.py`` after changing
``model/render/docx_styles.py``.  An office may replace the result with its own
reference document (same style names) to change fonts or letterhead; the
exporter uses only its paragraph styles ``Normal``, ``Title``, ``Heading 1``,
``Heading 2``, ``表格文字``, ``页码`` and falls back to direct formatting for a
missing one.  The body text below only shows the styles: exports drop it.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Pt, RGBColor, Twips  # noqa: E402

from model.paths import REFERENCE_DOCX  # noqa: E402
from model.render import docx_styles as S  # noqa: E402

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_ALIGN = {"both": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(rpr, latin: str, east: str) -> None:
    fonts = rpr.get_or_add_rFonts()
    for a in _THEME_ATTRS:
        fonts.attrib.pop(qn(a), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east)
    fonts.set(qn("w:cs"), latin)


def doc_defaults(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        doc.styles.element.remove(defaults)
    xml = (f'<w:docDefaults xmlns:w="{W_NS}"><w:rPrDefault><w:rPr>'
           f'<w:rFonts w:ascii="{S.LATIN}" w:hAnsi="{S.LATIN}" w:eastAsia="{S.BODY.east}" w:cs="{S.LATIN}"/>'
           f'<w:sz w:val="{round(S.BODY.size * 2)}"/><w:szCs w:val="{round(S.BODY.size * 2)}"/>'
           '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
           '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
           '</w:pPrDefault></w:docDefaults>')
    doc.styles.element.insert(0, parse_xml(xml))


def define(doc, spec: S.StyleSpec) -> None:
    try:
        style = doc.styles[spec.name]
    except KeyError:
        style = doc.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
    el = style.element
    for tag in ("w:pPr", "w:rPr"):
        old = el.find(qn(tag))
        if old is not None:
            el.remove(old)
    if spec.key != "body":
        style.base_style = None if not spec.builtin else doc.styles["Normal"]
    if spec.key in ("title", "h1", "h2"):
        style.next_paragraph_style = doc.styles["Normal"]
    style.quick_style = True
    pf = style.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(spec.space_after)
    if spec.line_exact:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(spec.line_exact)
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.keep_with_next = spec.keep_next
    pf.left_indent = Twips(0)
    pf.right_indent = Twips(0)
    pf.first_line_indent = Twips(round(spec.first_line_chars * spec.size * 20))
    el.pPr.get_or_add_ind().set(qn("w:firstLineChars"), str(spec.first_line_chars * 100))
    if spec.align:
        pf.alignment = _ALIGN[spec.align]
    if spec.outline is not None:
        el.pPr.append(parse_xml(f'<w:outlineLvl xmlns:w="{W_NS}" w:val="{spec.outline}"/>'))
    font = style.font
    font.size = Pt(spec.size)
    font.bold = False
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(el.get_or_add_rPr(), spec.latin, spec.east)


SAMPLE = (
    ("title", "某某机关2025年政府信息公开工作年度报告"),
    ("h1", "一、一级标题（黑体 三号）"),
    ("h2", "（一）二级标题（楷体_GB2312 三号）"),
    ("body", "正文（仿宋_GB2312 三号，固定行距 28.9 磅，首行缩进 2 字符）。本文件只提供样式，"
             "导出时正文内容会被替换；可修改各样式的字体、字号，或在页眉中加入机关版头。"),
    ("table", "表格文字（宋体 五号，居中）"),
    ("pagenum", "— 1 —（页码：宋体 四号）"),
)


def build(path: Path = REFERENCE_DOCX) -> Path:
    doc = docx.Document()
    doc_defaults(doc)
    for spec in S.SPECS:
        define(doc, spec)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    for key, text in SAMPLE:
        doc.add_paragraph(text, style=S.SPEC_BY_KEY[key].name)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Twips(S.PAGE_W), Twips(S.PAGE_H)
    sec.top_margin, sec.bottom_margin = Twips(S.MARGIN_TOP), Twips(S.MARGIN_BOTTOM)
    sec.left_margin, sec.right_margin = Twips(S.MARGIN_LEFT), Twips(S.MARGIN_RIGHT)
    sec.header_distance, sec.footer_distance = Twips(S.HEADER_DIST), Twips(S.FOOTER_DIST)
    props = doc.core_properties
    props.author = "Nianbao"
    props.last_modified_by = "Nianbao"
    props.title = "政府信息公开工作年度报告 参考样式"
    props.comments = "Nianbao 导出 Word 文档所用的样式；机关可换用自己的参考文档。"
    props.created = props.modified = dt.datetime(2025, 1, 1)
    props.revision = 1
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
