"""Reading a report from a DOCX made by Word, WPS, LibreOffice or Nianbao.

Only the main part (``word/document.xml``) is parsed, with lxml (entities off,
no DTD, no network) after the package passed :func:`check_zip`.  The body is
walked in document order (paragraphs and tables interleaved, content controls
opened), giving :mod:`blocks`; :func:`recognise` does the rest.

- A paragraph's text joins all its runs, so a number split across runs (``1``
  ``2`` → ``12``) reads whole; hyperlinks, insertions and smart tags are read,
  deleted text, field instructions and text boxes / drawings are not.
- Tables are read from the XML itself, one ``w:tc`` at a time, so a merged cell
  is seen once (python-docx's ``row.cells`` repeats it) and then expanded onto the
  grid: ``w:gridSpan`` fills the columns it spans, a ``w:vMerge`` continuation
  repeats the text of the cell above, ``w:gridBefore`` leaves leading columns empty.
- A table holding another table (a layout table wrapping the report), or a
  single-cell box, is not a data table: its contents are emitted as blocks.
"""
from __future__ import annotations

from ..errors import ReadError
from .base import ImportResult
from .blocks import Block, Paragraph, Table, TitleHint
from .docx_numbering import MAX_PART_BYTES as MAX_NUMBERING_BYTES
from .docx_numbering import Numbering, apply_numbering
from .safety import Source, check_zip, damaged_message, describe, load_bytes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

T_P = W + "p"
T_TBL = W + "tbl"
T_TR = W + "tr"
T_TC = W + "tc"
T_SDT = W + "sdt"
T_SDTCONTENT = W + "sdtContent"
T_CUSTOMXML = W + "customXml"
T_T = W + "t"
T_TAB = W + "tab"
T_BR = W + "br"
T_CR = W + "cr"
T_NBHYPHEN = W + "noBreakHyphen"
T_SOFTHYPHEN = W + "softHyphen"
T_SYM = W + "sym"
T_VAL = W + "val"

# subtrees whose text is not part of the paragraph
_SKIP = frozenset({
    W + "del", W + "moveFrom", W + "instrText", W + "delText", W + "drawing", W + "pict",
    W + "object", W + "txbxContent", W + "pPr", W + "rPr", W + "fldData",
    W + "footnoteReference", W + "endnoteReference", W + "commentReference",
    MC + "Fallback",
})
# wrappers whose children stand in the body/cell like their own children
_WRAPPERS = frozenset({T_SDT, T_SDTCONTENT, T_CUSTOMXML, W + "ins", W + "moveTo",
                       MC + "AlternateContent", MC + "Choice"})

MAX_DEPTH = 40              # nested tables deeper than this are read as text only
MAX_GRID_COLS = 64          # a gridSpan beyond this is clamped
MAX_BODY_BYTES = 40 * 1024 * 1024   # word/document.xml unpacked (a long report is ~1 MB)


_OFFICE_DOCUMENT = "/officeDocument"


def _main_part(zf, names: set[str]) -> str:
    """The main document part named by the package relationships (``word/document.xml``)."""
    if "_rels/.rels" in names:
        from lxml import etree

        try:
            rels = etree.fromstring(zf.read("_rels/.rels"), _parser())
        except Exception:  # unreadable relationships: use the usual name
            return "word/document.xml"
        for rel in rels:
            if str(rel.get("Type", "")).endswith(_OFFICE_DOCUMENT) and \
                    rel.get("TargetMode") != "External":
                target = str(rel.get("Target", "")).lstrip("/")
                if target in names:
                    return target
    return "word/document.xml"


def _parser():
    from lxml import etree

    # no entities, no DTD, no network; libxml2's default limits (depth, text size) kept
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


MAX_CORE_BYTES = 256 * 1024
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


def _core_title(zf, names: set[str]) -> str | None:
    """``dc:title`` of ``docProps/core.xml`` (the title Word keeps in the file's properties)."""
    if "docProps/core.xml" not in names:
        return None
    try:
        if zf.getinfo("docProps/core.xml").file_size > MAX_CORE_BYTES:
            return None
        from lxml import etree

        root = etree.fromstring(zf.read("docProps/core.xml"), _parser())
    except Exception:  # unreadable properties are no reason to refuse the file
        return None
    el = root.find(_DC_TITLE) if root is not None else None
    text = "".join(el.itertext()).strip() if el is not None else ""
    return text or None


def _docx_bytes_to_body(data: bytes, props: dict | None = None):
    """Parse the main document part (after the safety checks) and return ``w:body``;
    ``props["title"]``: the title in the document's properties, when asked for.

    Only ``word/document.xml`` is read: styles, numbering, settings and the rest of the
    package hold no report text, and loading them all (python-docx) took most of the time.
    """
    zf = check_zip(data, "docx")
    try:
        names = set(zf.namelist())
        if "word/document.xml" not in names:
            if "xl/workbook.xml" in names:
                raise ReadError("这是 Excel 工作簿，不是 Word 文档；请按 .xlsx 文件导入。")
            raise ReadError(damaged_message("docx"))
        from lxml import etree

        part = _main_part(zf, names)
        size = zf.getinfo(part).file_size
        if size > MAX_BODY_BYTES:
            raise ReadError(f"文档正文部分解压后约 {size // (1024 * 1024)} MB，远大于一份年度报告"
                            f"（上限 {MAX_BODY_BYTES // (1024 * 1024)} MB），已拒绝读取。")
        if props is not None:
            props["title"] = _core_title(zf, names)
        try:
            root = etree.fromstring(zf.read(part), _parser())
        except ReadError:
            raise
        except Exception:  # XML syntax, CRC, inflate errors: a damaged file
            raise ReadError(damaged_message("docx")) from None
        body = root.find(W + "body") if root is not None else None
        if body is None:
            raise ReadError(damaged_message("docx"))
        numbering = _numbering(zf, names)
        if numbering is not None:
            apply_numbering(body, numbering)
    finally:
        zf.close()
    return body


def _small_part(zf, names: set[str], name: str):
    """A small XML part parsed, or None (absent, too large, unreadable)."""
    from lxml import etree

    if name not in names or zf.getinfo(name).file_size > MAX_NUMBERING_BYTES:
        return None
    try:
        return etree.fromstring(zf.read(name), _parser())
    except Exception:  # a part that cannot be read adds nothing (see docx_numbering)
        return None


def _numbering(zf, names: set[str]) -> Numbering | None:
    """Word's list numbering (``numbering.xml`` and the numbered styles), when the file has any."""
    root = _small_part(zf, names, "word/numbering.xml")
    if root is None:
        return None
    return Numbering(root, _small_part(zf, names, "word/styles.xml"))


def read_docx_blocks(src: Source) -> list[Block]:
    """The blocks of a DOCX file (path or bytes), in document order."""
    data = load_bytes(src)
    props: dict = {}
    body = _docx_bytes_to_body(data, props)
    blocks: list[Block] = []
    if props.get("title"):
        blocks.append(TitleHint(props["title"], "文档属性中的标题"))
    _walk_container(body, blocks, 0)
    return _tabbed_paragraphs_to_tables(blocks)


def _tabbed_paragraphs_to_tables(blocks: list[Block]) -> list[Block]:
    """Paragraphs holding tab- or ``|``-separated cells (a text table pasted into Word, or a
    TXT converted by LibreOffice) are read as table rows, the same way the text reader does."""
    from .text import text_to_blocks

    out: list[Block] = []
    run: list[Paragraph] = []

    def end_run() -> None:
        if run:
            if any("\t" in p.text or "|" in p.text or "｜" in p.text for p in run):
                out.extend(text_to_blocks("\n".join(p.text for p in run)))
            else:
                out.extend(run)
            run.clear()

    for b in blocks:
        if isinstance(b, Paragraph):
            run.append(b)
        else:
            end_run()
            out.append(b)
    end_run()
    return out


def read_docx(src: Source, *, name: str | None = None) -> ImportResult:
    """Read a DOCX file into an :class:`ImportResult` (raises :class:`ReadError`)."""
    from .recognise import recognise

    blocks = read_docx_blocks(src)
    return recognise(blocks, source_format="docx", source_name=name or describe(src, "文档.docx"))


# --------------------------------------------------------------------------
# Walking the body
# --------------------------------------------------------------------------

def _children(el):
    """Body-level children with content controls and other wrappers opened."""
    for child in el.iterchildren():
        tag = child.tag
        if tag in _WRAPPERS:
            if tag == T_SDT:
                for sub in child.iterchildren(T_SDTCONTENT):
                    yield from _children(sub)
            elif tag == MC + "AlternateContent":
                choice = next(child.iterchildren(MC + "Choice"), None)
                if choice is not None:
                    yield from _children(choice)
            else:
                yield from _children(child)
        else:
            yield child


def _walk_container(el, out: list[Block], depth: int) -> None:
    for child in _children(el):
        if child.tag == T_P:
            # a manual line break inside a paragraph starts a new line of the report
            first = True
            for line in paragraph_text(child).split("\n"):
                if line.strip():
                    out.append(Paragraph(line.strip(), broken=not first))
                    first = False
        elif child.tag == T_TBL:
            _emit_table(child, out, depth)


def _emit_table(tbl, out: list[Block], depth: int) -> None:
    tcs = [tc for tr in _rows(tbl) for tc in _cells(tr)]
    nested = depth < MAX_DEPTH and any(
        True for tc in tcs for _ in tc.iter(T_TBL))
    if nested or len(tcs) == 1:
        # a layout table or a one-cell box: its contents stand in the document
        for tc in tcs:
            _walk_container(tc, out, depth + 1)
        return
    out.append(Table(table_grid(tbl)))


def _rows(tbl):
    return [tr for tr in _children(tbl) if tr.tag == T_TR]


def _cells(tr):
    return [tc for tc in _children(tr) if tc.tag == T_TC]


T_TRPR, T_TCPR = W + "trPr", W + "tcPr"
T_GRIDBEFORE, T_GRIDSPAN, T_VMERGE = W + "gridBefore", W + "gridSpan", W + "vMerge"


def _prop(el, pr_tag: str, tag: str):
    """The ``tag`` child of ``el``'s ``pr_tag`` child (``w:tcPr/w:gridSpan``), or None."""
    pr = next(el.iterchildren(pr_tag), None)
    return None if pr is None else next(pr.iterchildren(tag), None)


def _int_attr(el, pr_tag: str, tag: str, default: int) -> int:
    found = _prop(el, pr_tag, tag)
    if found is None:
        return default
    try:
        return int(found.get(T_VAL, default))
    except (TypeError, ValueError):
        return default


def table_grid(tbl) -> list[list[str]]:
    """The table as rows of strings, merged cells repeated over the grid positions they cover."""
    grid: list[list[str]] = []
    for tr in _rows(tbl):
        row: list[str] = []
        before = min(max(_int_attr(tr, T_TRPR, T_GRIDBEFORE, 0), 0), MAX_GRID_COLS)
        row.extend([""] * before)
        for tc in _cells(tr):
            span = min(max(_int_attr(tc, T_TCPR, T_GRIDSPAN, 1), 1), MAX_GRID_COLS)
            vmerge = _prop(tc, T_TCPR, T_VMERGE)
            col = len(row)
            if vmerge is not None and vmerge.get(T_VAL, "continue") != "restart" and grid:
                above = grid[-1]
                text = above[col] if col < len(above) else cell_text(tc)
            else:
                text = cell_text(tc)
            row.extend([text] * span)
        grid.append(row)
    return grid


def cell_text(tc) -> str:
    """A cell's text: its paragraphs joined by newlines (nested tables read as text)."""
    parts: list[str] = []
    _cell_parts(tc, parts, 0)
    return "\n".join(p for p in parts if p.strip()).strip()


def _cell_parts(el, parts: list[str], depth: int) -> None:
    for child in _children(el):
        if child.tag == T_P:
            parts.append(paragraph_text(child))
        elif child.tag == T_TBL and depth < MAX_DEPTH:
            for tr in _rows(child):
                for tc in _cells(tr):
                    _cell_parts(tc, parts, depth + 1)


def paragraph_text(p) -> str:
    """A paragraph's text with all its runs joined; text boxes and deletions left out."""
    out: list[str] = []
    stack = [iter(p.iterchildren())]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == T_T:
            if el.text:
                out.append(el.text)
        elif tag == T_TAB:
            out.append("\t")
        elif tag in (T_BR, T_CR):
            out.append("\n")
        elif tag == T_NBHYPHEN:
            out.append("-")
        elif tag == T_SOFTHYPHEN:
            continue
        elif tag == MC + "AlternateContent":
            choice = next(el.iterchildren(MC + "Choice"), None)
            if choice is not None:
                stack.append(iter(choice.iterchildren()))
        elif tag == T_P:    # a paragraph inside something we did not skip: keep it apart
            out.append("\n")
            stack.append(iter(el.iterchildren()))
        else:
            stack.append(iter(el.iterchildren()))
    return "".join(out).strip("\n")
