"""Build ``resources/reference.docx``: the styles the DOCX export uses.

Run ``uv run python resources/make_reference_docx.py`` after changing
``model/render/docx_styles.py``.  An office may replace the result with its own
reference document (same style names) to change fonts or letterhead; the
exporter uses only its paragraph styles ``Normal``, ``Title``, ``Heading 1``,
``Heading 2``, ``表格文字``, ``页码`` and falls back to direct formatting for a
missing one.  The body text below only shows the styles: exports drop it.

The package is written part by part from scratch (no other program's template):
styles, settings (East Asian layout, theme language zh-CN), the font table of
the fonts the styles name, the 公文 page with its 22 × 28 character grid, and
the document properties.  Nothing else: no theme, numbering, thumbnail or
custom XML left over from another product.
"""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from model.paths import REFERENCE_DOCX  # noqa: E402
from model.render import docx_styles as S  # noqa: E402
from model.render.docx_writer import font_table_xml  # noqa: E402

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
STAMP = "2025-01-01T00:00:00Z"      # the reference's own date (exports write their own)

# style ids: Word's own for the built-in styles, ASCII ids for ours
STYLE_IDS = {"body": "Normal", "title": "Title", "h1": "Heading1", "h2": "Heading2",
             "table": "TableText", "pagenum": "PageNumberText"}
# Word spells the built-in heading names in lower case in the file
FILE_NAMES = {"Heading 1": "heading 1", "Heading 2": "heading 2"}
REFERENCE_SPECS = (S.BODY, S.TITLE, S.H1, S.H2, S.TABLE, S.PAGENUM)


def _ppr(spec: S.StyleSpec) -> str:
    parts = ["<w:pPr>"]
    if spec.keep_next:
        parts.append("<w:keepNext/>")
    if spec.outline is not None:
        parts.append("<w:keepLines/>")
    if not spec.snap:
        parts.append('<w:snapToGrid w:val="0"/>')
    if spec.line_exact:
        line = f'w:line="{round(spec.line_exact * 20)}" w:lineRule="exact"'
    else:
        line = 'w:line="240" w:lineRule="auto"'
    parts.append(f'<w:spacing w:before="0" w:after="{round(spec.space_after * 20)}" {line}/>')
    chars = spec.first_line_chars
    parts.append(f'<w:ind w:left="0" w:right="0" w:firstLineChars="{chars * 100}" '
                 f'w:firstLine="{S.char_twips(chars, spec)}"/>')
    if spec.align:
        parts.append(f'<w:jc w:val="{spec.align}"/>')
    if spec.outline is not None:
        parts.append(f'<w:outlineLvl w:val="{spec.outline}"/>')
    parts.append("</w:pPr>")
    return "".join(parts)


def _rpr(spec: S.StyleSpec) -> str:
    latin, east = quoteattr(spec.latin), quoteattr(spec.east)
    size = round(spec.size * 2)
    snap = "" if spec.snap else '<w:snapToGrid w:val="0"/>'
    scale = f'<w:w w:val="{spec.scale}"/>' if spec.scale != 100 else ""
    return (f"<w:rPr><w:rFonts w:ascii={latin} w:hAnsi={latin} w:eastAsia={east} w:cs={latin}/>"
            f'{snap}<w:color w:val="000000"/>{scale}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>')


def styles_xml() -> str:
    body = S.BODY
    out = [XML_HEAD, f'<w:styles xmlns:w="{W_NS}">',
           "<w:docDefaults><w:rPrDefault><w:rPr>"
           f'<w:rFonts w:ascii="{S.LATIN}" w:hAnsi="{S.LATIN}" w:eastAsia="{body.east}" w:cs="{S.LATIN}"/>'
           f'<w:kern w:val="2"/><w:sz w:val="{round(body.size * 2)}"/>'
           f'<w:szCs w:val="{round(body.size * 2)}"/>'
           '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
           '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
           "</w:pPrDefault></w:docDefaults>"]
    for spec in REFERENCE_SPECS:
        sid = STYLE_IDS[spec.key]
        default = ' w:default="1"' if spec.key == "body" else ""
        out.append(f'<w:style w:type="paragraph"{default} w:styleId="{sid}">'
                   f'<w:name w:val={quoteattr(FILE_NAMES.get(spec.name, spec.name))}/>')
        if spec.key != "body" and spec.builtin:
            out.append('<w:basedOn w:val="Normal"/>')
        if spec.key in ("title", "h1", "h2"):
            out.append('<w:next w:val="Normal"/>')
        if spec.outline is not None:
            out.append(f'<w:uiPriority w:val="{9 + spec.outline}"/>')
        out.append("<w:qFormat/>")
        out.append(_ppr(spec))
        out.append(_rpr(spec))
        out.append("</w:style>")
    out.append('<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
               '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
               "<w:unhideWhenUsed/></w:style>"
               '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
               '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
               '<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
               '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
               '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
               "</w:tblCellMar></w:tblPr></w:style>"
               '<w:style w:type="numbering" w:default="1" w:styleId="NoList">'
               '<w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/>'
               "<w:unhideWhenUsed/></w:style>")
    out.append("</w:styles>")
    return "".join(out)


def settings_xml() -> str:
    return (XML_HEAD + f'<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/>'
            '<w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/>'
            f'<w:drawingGridVerticalSpacing w:val="{S.LINE_PITCH}"/>'
            '<w:characterSpacingControl w:val="compressPunctuation"/>'
            "<w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/>"
            "<w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:useFELayout/>"
            '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
            'w:val="15"/></w:compat>'
            '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
            '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>')


SAMPLE = (
    ("title", "某某机关2025年政府信息公开工作年度报告"),
    ("h1", "一、一级标题（黑体 三号）"),
    ("h2", "（一）二级标题（楷体_GB2312 三号）"),
    ("body", "正文（仿宋_GB2312 三号，固定行距 28.95 磅，每页 22 行、每行 28 字，首行缩进 2 字符）。"
             "本文件只提供样式，导出时正文内容会被替换；可修改各样式的字体、字号，或在页眉中加入机关版头。"),
    ("table", "表格文字（宋体 五号，居中）"),
    ("pagenum", "— 1 —（页码：宋体 四号）"),
)


def document_xml() -> str:
    paras = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{STYLE_IDS[key]}"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>' for key, text in SAMPLE)
    sect = (f'<w:sectPr><w:pgSz w:w="{S.PAGE_W}" w:h="{S.PAGE_H}"/>'
            f'<w:pgMar w:top="{S.MARGIN_TOP}" w:right="{S.MARGIN_RIGHT}" w:bottom="{S.MARGIN_BOTTOM}" '
            f'w:left="{S.MARGIN_LEFT}" w:header="{S.HEADER_DIST}" w:footer="{S.FOOTER_DIST}" w:gutter="0"/>'
            f'<w:cols w:space="425"/>{S.grid_xml()}</w:sectPr>')
    return (XML_HEAD + f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
            f"<w:body>{paras}{sect}</w:body></w:document>")


def core_xml() -> str:
    return (XML_HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            "<dc:title>政府信息公开工作年度报告 参考样式</dc:title><dc:creator>Nianbao</dc:creator>"
            "<dc:description>Nianbao 导出 Word 文档所用的样式；机关可换用自己的参考文档。</dc:description>"
            "<cp:lastModifiedBy>Nianbao</cp:lastModifiedBy><cp:revision>1</cp:revision>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{STAMP}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{STAMP}</dcterms:modified>'
            "</cp:coreProperties>")


APP = (XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
       'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
       "<Application>Nianbao</Application><DocSecurity>0</DocSecurity></Properties>")
CONTENT_TYPES = (
    XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.'
    'core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'extended-properties+xml"/></Types>')
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OD = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = (
    XML_HEAD + f'<Relationships xmlns="{RELS_NS}">'
    f'<Relationship Id="rId1" Type="{OD}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{OD}/extended-properties" Target="docProps/app.xml"/></Relationships>')
DOCUMENT_RELS = (
    XML_HEAD + f'<Relationships xmlns="{RELS_NS}">'
    f'<Relationship Id="rId1" Type="{OD}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{OD}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rId3" Type="{OD}/fontTable" Target="fontTable.xml"/></Relationships>')


def reference_fonts() -> list[str]:
    names: dict[str, None] = {}
    for spec in REFERENCE_SPECS:
        names.setdefault(spec.latin, None)
        names.setdefault(spec.east, None)
    return list(names)


def build(path: Path = REFERENCE_DOCX) -> Path:
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "docProps/core.xml": core_xml(),
        "docProps/app.xml": APP,
        "word/document.xml": document_xml(),
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/styles.xml": styles_xml(),
        "word/settings.xml": settings_xml(),
        "word/fontTable.xml": font_table_xml(reference_fonts()).decode("utf-8"),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    return path


if __name__ == "__main__":
    print(build())
