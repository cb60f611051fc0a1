"""A structural check of a DOCX package, for every DOCX the test suite makes.

Word repairs (or refuses) a document whose tables or property elements break the
OOXML schema, even when python-docx and LibreOffice read it happily.  The check:

* every ``w:tc`` ends with a ``w:p``;
* the ``gridSpan`` of each row (with ``gridBefore``/``gridAfter``) sums to the
  columns of ``w:tblGrid``; ``w:tblPr`` and ``w:tblGrid`` come first in a table;
* every ``vMerge`` continuation sits under a cell of the same grid column and
  span that starts or continues the merge;
* ``w:tblHeader`` only on leading rows;
* the children of ``pPr``, ``rPr``, ``tcPr``, ``tblPr``, ``tblBorders``,
  ``tcBorders`` and ``sectPr`` in the order of the schema's sequences
  (ECMA-376 Part 1, wml.xsd), in the document, headers, footers and styles.

``conftest.py`` wraps the DOCX writer with :func:`install`, so every DOCX any
test renders is checked; :func:`docx_problems` can be called on any bytes.
"""
from __future__ import annotations

import functools
import io
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# the schema's sequences (elements not listed, e.g. extensions, are not checked)
ORDER: dict[str, tuple[str, ...]] = {
    "pPr": ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
            "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
            "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
            "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
            "rPr", "sectPr", "pPrChange"),
    "rPr": ("ins", "del", "moveFrom", "moveTo",
            "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
            "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
            "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr",
            "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish",
            "oMath", "rPrChange"),
    "tcPr": ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
             "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel",
             "cellMerge", "tcPrChange"),
    "tblPr": ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
              "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
              "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription", "tblPrChange"),
    "tblBorders": ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV"),
    "tcBorders": ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV", "tl2br",
                  "tr2bl"),
    "sectPr": ("headerReference|footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
               "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign",
               "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings",
               "sectPrChange"),
}
_RANK = {parent: {name: i for i, names in enumerate(seq) for name in names.split("|")}
         for parent, seq in ORDER.items()}


def _local(el) -> str:
    tag = el.tag
    return tag[len(W):] if isinstance(tag, str) and tag.startswith(W) else ""


def _val(el, name: str, default: str | None = None) -> str | None:
    return el.get(W + name, default) if el is not None else default


def _int(el, name: str, default: int) -> int:
    v = _val(el, name)
    try:
        return int(v) if v is not None else default
    except ValueError:
        return default


def _order_problems(root, part: str) -> list[str]:
    out = []
    for parent, rank in _RANK.items():
        for el in root.iter(W + parent):
            last, last_name = -1, ""
            for child in el:
                name = _local(child)
                r = rank.get(name)
                if r is None:
                    continue
                if r < last:
                    out.append(f"{part}: <w:{parent}> has <w:{name}> after <w:{last_name}>")
                    break
                last, last_name = r, name
    return out


def _table_problems(tbl, where: str) -> list[str]:
    out = []
    kids = [c for c in tbl if _local(c)]
    names = [_local(c) for c in kids]
    if names[:2] != ["tblPr", "tblGrid"]:
        out.append(f"{where}: a table starts with {names[:2]}, not tblPr, tblGrid")
    grid = tbl.find(W + "tblGrid")
    n_cols = len(grid.findall(W + "gridCol")) if grid is not None else 0
    rows = tbl.findall(W + "tr")
    above: dict[int, tuple[int, bool]] = {}     # grid col -> (span, in a vertical merge) of the row above
    header_done = False
    for ri, tr in enumerate(rows):
        trpr = tr.find(W + "trPr")
        is_header = trpr is not None and trpr.find(W + "tblHeader") is not None \
            and _val(trpr.find(W + "tblHeader"), "val", "true") not in ("0", "false", "off")
        if is_header and header_done:
            out.append(f"{where}: row {ri + 1} repeats as a header row after a body row")
        if not is_header:
            header_done = True
        col = _int(trpr.find(W + "gridBefore") if trpr is not None else None, "val", 0)
        here: dict[int, tuple[int, bool]] = {}
        for ci, tc in enumerate(tr.findall(W + "tc")):
            kids = [c for c in tc if _local(c)]
            if not kids or _local(kids[-1]) != "p":
                out.append(f"{where}: row {ri + 1} cell {ci + 1} does not end with a paragraph")
            pr = tc.find(W + "tcPr")
            span = _int(pr.find(W + "gridSpan") if pr is not None else None, "val", 1)
            vm = pr.find(W + "vMerge") if pr is not None else None
            merged = vm is not None
            if merged and _val(vm, "val", "continue") != "restart":
                got = above.get(col)
                if got is None or got[0] != span or not got[1]:
                    out.append(f"{where}: row {ri + 1} cell {ci + 1} continues a vertical merge "
                               f"that the row above does not start at column {col + 1} with span {span}")
            here[col] = (span, merged)
            col += span
        col += _int(trpr.find(W + "gridAfter") if trpr is not None else None, "val", 0)
        if col != n_cols:
            out.append(f"{where}: row {ri + 1} spans {col} grid columns, tblGrid has {n_cols}")
        above = here
    return out


def docx_problems(data: bytes) -> list[str]:
    """Every structural problem of the package (an empty list when it is sound)."""
    out: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        parts = [n for n in names if n.startswith("word/") and n.endswith(".xml")
                 and (n == "word/document.xml" or n == "word/styles.xml"
                      or n.startswith(("word/header", "word/footer")))]
        if "word/document.xml" not in names:
            return ["no word/document.xml"]
        for name in parts:
            root = etree.fromstring(z.read(name))
            out.extend(_order_problems(root, name))
            for i, tbl in enumerate(root.iter(W + "tbl"), 1):
                out.extend(_table_problems(tbl, f"{name} table {i}"))
    return out


def assert_docx_structure(data: bytes) -> None:
    problems = docx_problems(data)
    assert not problems, "DOCX structure:\n" + "\n".join(problems[:20])


def install() -> None:
    """Check every DOCX the DOCX writer returns (idempotent)."""
    import model.render.docx_writer as writer
    if getattr(writer.write_docx, "_structure_checked", False):
        return
    original = writer.write_docx

    @functools.wraps(original)
    def checked(*args, **kwargs):
        data = original(*args, **kwargs)
        assert_docx_structure(data)
        return data

    checked._structure_checked = True      # type: ignore[attr-defined]
    writer.write_docx = checked
