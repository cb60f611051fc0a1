"""Reading a report from a web page as agencies publish it.

The page is decoded (BOM, then ``<meta charset>``, else UTF-8, else GB18030),
parsed with the standard :mod:`html.parser` into a small tree, and walked into
:mod:`blocks`:

- navigation and page chrome are dropped twice over: whole elements that are
  chrome (``nav``, ``footer``, ``aside``, ``script``, forms, and elements whose
  class or id says menu / breadcrumb / footer …), then everything before the
  report's title (or its first heading) and from the first footer line
  (版权所有, ICP备, 打印本页, 上一篇 …) after the report;
- tables are expanded onto their grid: ``rowspan``/``colspan`` repeat the cell's
  text over every position it covers; ``&nbsp;`` and empty cells read as "";
  ``<br>`` and ``<p>`` inside a cell become line breaks;
- a table holding another table is a layout table: its contents stand in the
  document as blocks.  So is a single-cell table.

Nothing is ever fetched: images, styles, scripts and frames are ignored, and
``html.parser`` knows only the HTML character references (no DTD entities).
"""
from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from ..errors import ReadError
from ..schema import SECTIONS, TITLE_SUFFIX
from .base import ImportResult
from .blocks import Block, Paragraph, Table, TitleHint
from .safety import Source, describe, load_bytes

# --------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""")
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "euc-cn", "hz-gb-2312"}


def _norm_encoding(name: str) -> str | None:
    n = name.strip().lower()
    if n in _GB_FAMILY or n.startswith("gb"):
        return "gb18030"          # a superset of GB2312/GBK: pages labelled GB2312 use GBK chars
    try:
        return codecs.lookup(n).name
    except LookupError:
        return None


def decode_html(data: bytes) -> str:
    """The page's text: BOM, then a declared charset, else UTF-8, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    head = data[:4096]
    declared = None
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if m:
        declared = _norm_encoding(m.group(1).decode("ascii", "ignore"))
    tried = []
    for enc in (declared, "utf-8", "gb18030"):
        if enc and enc not in tried:
            tried.append(enc)
            try:
                return data.decode(enc)
            except (UnicodeDecodeError, LookupError):
                continue
    return data.decode(declared or "gb18030", "replace")


# --------------------------------------------------------------------------
# A small, tolerant tree
# --------------------------------------------------------------------------

class _El:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag = tag
        self.attrs = attrs
        self.children: list[_El | str] = []


_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr", "keygen"})
# elements whose content is never report text
_DROP = frozenset({"script", "style", "noscript", "template", "head", "title", "nav", "footer",
                   "aside", "form", "select", "option", "button", "iframe", "frame", "frameset",
                   "svg", "math", "object", "embed", "canvas", "video", "audio", "map",
                   "textarea", "label", "dialog", "menu"})
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp"})
_CHROME_TOKENS = frozenset({
    "nav", "navbar", "navigation", "menu", "menubar", "topmenu", "mainmenu", "submenu",
    "footer", "foot", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "sidebar", "share",
    "bdshare", "copyright", "toolbar", "topbar", "daohang", "weizhi", "dqwz", "banquan",
    "fenxiang",
})
_CLASS_SPLIT = re.compile(r"[\s_\-]+")
# closing one of these implicitly closes open inline elements; opening one closes an open <p>
_BLOCK = frozenset({"p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4",
                    "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "blockquote",
                    "pre", "center", "address", "figure", "figcaption", "hr", "fieldset"})
MAX_TREE_DEPTH = 200
MAX_COLSPAN = 64
MAX_NODES = 500_000


def _is_chrome(tag: str, attrs: dict[str, str]) -> bool:
    if tag in _DROP:
        return True
    if "hidden" in attrs:
        return True
    style = attrs.get("style", "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    for key in ("class", "id", "role"):
        val = attrs.get(key)
        if not val:
            continue
        low = val.lower()
        if low in _CHROME_TOKENS:
            return True
        for token in _CLASS_SPLIT.split(low):
            if token in _CHROME_TOKENS:
                return True
    return False


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _El("#root", {})
        self.stack: list[_El] = [self.root]
        self.nodes = 0

    # ---- helpers
    def _close_to(self, tags: frozenset[str] | set[str], stop: frozenset[str]) -> bool:
        """Pop up to and including the nearest open element in ``tags``, not crossing ``stop``."""
        for i in range(len(self.stack) - 1, 0, -1):
            t = self.stack[i].tag
            if t in tags:
                del self.stack[i:]
                return True
            if t in stop:
                return False
        return False

    def handle_starttag(self, tag: str, attrs_list) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ReadError("网页结构过于庞大（元素数量异常），不像是一份年度报告，已拒绝读取。")
        attrs = {k.lower(): (v or "") for k, v in attrs_list}
        if tag in ("td", "th"):
            self._close_to({"td", "th"}, frozenset({"tr", "table"}))
        elif tag == "tr":
            self._close_to({"tr"}, frozenset({"table"}))
        elif tag in ("thead", "tbody", "tfoot"):
            self._close_to({"thead", "tbody", "tfoot"}, frozenset({"table"}))
        elif tag == "li":
            self._close_to({"li"}, frozenset({"ul", "ol", "table", "td", "th"}))
        elif tag in ("dt", "dd"):
            self._close_to({"dt", "dd"}, frozenset({"dl", "table", "td", "th"}))
        elif tag == "option":
            self._close_to({"option"}, frozenset({"select"}))
        if tag in _BLOCK:
            self._close_to({"p"}, frozenset({"td", "th", "table", "div", "li", "body"}))
        el = _El(tag, attrs)
        if tag in _VOID:
            self.stack[-1].children.append(el)
            return
        if len(self.stack) >= MAX_TREE_DEPTH:
            # absurdly deep: keep the text, flatten the structure
            if tag in ("br", "p", "div", "tr"):
                self.stack[-1].children.append(_El("br", {}))
            return
        self.stack[-1].children.append(el)
        self.stack.append(el)

    def handle_startendtag(self, tag: str, attrs_list) -> None:
        self.handle_starttag(tag, attrs_list)
        if tag not in _VOID and self.stack[-1].tag == tag and len(self.stack) > 1:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            if tag == "br":                 # </br> is read as <br> by browsers
                self.stack[-1].children.append(_El("br", {}))
            return
        if tag == "table":
            self._close_to({"table"}, frozenset())
        elif tag in ("td", "th", "tr", "thead", "tbody", "tfoot", "caption"):
            self._close_to({tag}, frozenset({"table"}))
        elif tag == "p":
            if not self._close_to({"p"}, frozenset({"td", "th", "table"})):
                self.stack[-1].children.append(_El("p", {}))   # a stray </p>: an empty paragraph
        else:
            # a stray end tag never closes the table cell it stands in
            self._close_to({tag}, frozenset({"td", "th", "table"}))

    def handle_data(self, data: str) -> None:
        if data:
            self.stack[-1].children.append(data)


def parse_tree(text: str, *, fast: bool = True) -> _El:
    """The page as a small tree.

    libxml2's HTML parser (through lxml, a python-docx dependency) builds the
    tree in C when it is available — ``no_network`` on, no DTD loading, no
    entity substitution beyond the HTML character references — and it is copied
    into :class:`_El` nodes with the same limits as :class:`_TreeBuilder`
    (element count, depth); else the standard :mod:`html.parser` feeds
    :class:`_TreeBuilder`.
    """
    if fast:
        root = _lxml_tree(text)
        if root is not None:
            return root
        root = _lxml_events(text)           # deeper than libxml2 builds trees: its events
        if root is not None:
            return root
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def _lxml_tree(text: str) -> _El | None:
    try:
        from lxml import etree
    except ImportError:                         # pragma: no cover - lxml ships with python-docx
        return None
    if text.count("<") > 2 * MAX_NODES:
        return None                         # the event path stops at MAX_NODES, before a huge tree
    parser = etree.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True,
                              remove_pis=True, recover=True, huge_tree=False,
                              default_doctype=False)
    try:
        top = etree.fromstring(text.encode("utf-8", "surrogatepass"), parser)
    except (etree.LxmlError, ValueError, UnicodeError):
        return None
    if any(e.level_name == "FATAL" for e in parser.error_log):
        return None                         # e.g. nesting past libxml2's depth limit
    root = _El("#root", {})
    if top is None:
        return root
    tops = [*reversed(list(top.itersiblings(preceding=True))), top, *top.itersiblings()]
    return _copy_tree(tops, root)           # None: left to _TreeBuilder


def _lxml_events(text: str) -> _El | None:
    """libxml2's parse events (C speed, no depth limit) fed into :class:`_TreeBuilder`."""
    try:
        from lxml import etree
    except ImportError:                         # pragma: no cover
        return None
    target = _LxmlTarget()
    parser = etree.HTMLParser(target=target, encoding="utf-8", no_network=True,
                              remove_comments=True, remove_pis=True, recover=True,
                              huge_tree=False, default_doctype=False)
    try:
        parser.feed(text.encode("utf-8", "surrogatepass"))
        return parser.close()
    except (etree.LxmlError, ValueError, UnicodeError):
        return None


class _LxmlTarget:
    def __init__(self) -> None:
        self.builder = _TreeBuilder()

    def start(self, tag, attrib) -> None:
        if isinstance(tag, str):
            self.builder.handle_starttag(tag.lower(), list(attrib.items()))

    def end(self, tag) -> None:
        if isinstance(tag, str) and tag.lower() not in _VOID:
            self.builder.handle_endtag(tag.lower())

    def data(self, data: str) -> None:
        self.builder.handle_data(data)

    def close(self) -> _El:
        return self.builder.root


_TAIL = object()

# :class:`_TreeBuilder` closes elements a browser would close implicitly.  libxml2 does
# most of that itself; where it has not (the page is broken in a way it repairs
# differently), the tree is not copied but built from libxml2's events by _TreeBuilder,
# so both paths give the same tree.  Bits: an open element an opening tag would close.
_CELL, _TR, _SECT, _LI, _DT, _OPT, _P = 1, 2, 4, 8, 16, 32, 64
_SECTIONS = frozenset({"thead", "tbody", "tfoot"})
_CLOSES: dict[str, int] = {"td": _CELL, "th": _CELL, "tr": _TR, "thead": _SECT, "tbody": _SECT,
                           "tfoot": _SECT, "li": _LI, "dt": _DT, "dd": _DT, "option": _OPT}
for _t in _BLOCK:
    _CLOSES[_t] = _CLOSES.get(_t, 0) | _P
# (bits an element opens, bits it ends: a stop of _TreeBuilder's search)
_SCOPE: dict[str, tuple[int, int]] = {}


def _scope(tag: str) -> tuple[int, int]:
    got = _SCOPE.get(tag)
    if got is None:
        opens = ends = 0
        if tag in ("td", "th"):
            opens |= _CELL
            ends |= _LI | _DT | _P
        if tag == "tr":
            opens |= _TR
            ends |= _CELL
        if tag == "table":
            ends |= _CELL | _TR | _SECT | _LI | _DT | _P
        if tag in _SECTIONS:
            opens |= _SECT
        if tag == "li":
            opens |= _LI
            ends |= _P
        if tag in ("ul", "ol"):
            ends |= _LI
        if tag in ("dt", "dd"):
            opens |= _DT
        if tag == "dl":
            ends |= _DT
        if tag == "option":
            opens |= _OPT
        if tag == "select":
            ends |= _OPT
        if tag == "p":
            opens |= _P
        if tag in ("div", "body"):
            ends |= _P
        got = _SCOPE[tag] = (opens, ends)
    return got


def _copy_tree(tops: list, root: _El) -> _El | None:
    """Copy an lxml tree into :class:`_El` nodes, iteratively (a deep page cannot exhaust
    the stack).  None when :class:`_TreeBuilder` would build a different tree (see above)
    or the page is nested past :data:`MAX_TREE_DEPTH`."""
    nodes = 0
    stack: list = [(top, root, 1, 0) for top in reversed(tops)]
    while stack:
        item = stack.pop()
        if item[0] is _TAIL:
            item[1].children.append(item[2])
            continue
        el, parent, depth, state = item
        tag = el.tag
        if el.tail:
            stack.append((_TAIL, parent, el.tail))
        if not isinstance(tag, str):
            continue                            # a comment or PI left over: its tail is kept
        nodes += 1
        if nodes > MAX_NODES:
            raise ReadError("网页结构过于庞大（元素数量异常），不像是一份年度报告，已拒绝读取。")
        tag = tag.lower()
        if state & _CLOSES.get(tag, 0) or depth >= MAX_TREE_DEPTH:
            return None
        attrib = el.attrib
        node = _El(tag, {k.lower(): (v or "") for k, v in attrib.items()} if attrib else {})
        parent.children.append(node)
        if tag in _VOID:
            continue
        opens, ends = _scope(tag)
        state = (state & ~ends) | opens
        if el.text:
            node.children.append(el.text)
        for child in reversed(el):
            stack.append((child, node, depth + 1, state))
    return root


# --------------------------------------------------------------------------
# Tree → blocks
# --------------------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r\f\v\u00a0\u200b\ufeff]+")


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip(" \u3000")


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.after_br = False               # a <br> since the block began: the text continues it

    def flush(self, br: bool = False) -> None:
        """The text so far as a paragraph; ``br``: it ends at a line break inside its block."""
        if self.buf:
            text = _clean("".join(self.buf))
            self.buf.clear()
            if text:
                self.blocks.append(Paragraph(text, broken=self.after_br))
                self.after_br = br
                return
        if not br:
            self.after_br = False

    def walk(self, el: _El) -> None:
        # iterative, so a deep page cannot exhaust the stack
        stack: list[tuple[_El, int]] = [(el, 0)]
        while stack:
            node, i = stack.pop()
            if i == 0 and node is not el:
                if _is_chrome(node.tag, node.attrs):
                    continue
                if node.tag == "br":
                    self.flush(br=True)
                    continue
                if node.tag == "hr":
                    self.flush()
                    continue
                if node.tag == "table":
                    self.flush()
                    self.table(node)
                    continue
                if node.tag in _BLOCK or node.tag in ("td", "th", "tr", "caption", "body"):
                    self.flush()
            if i < len(node.children):
                stack.append((node, i + 1))
                child = node.children[i]
                if isinstance(child, str):
                    self.buf.append(child)
                else:
                    stack.append((child, 0))
            else:
                if node.tag in _BLOCK or node.tag in ("td", "th", "tr", "caption"):
                    self.flush()

    def table(self, tbl: _El) -> None:
        rows = _table_rows(tbl)
        cells = [c for r in rows for c in r]
        nested = any(_contains(c, "table") for c in cells)
        caption = next((c for c in tbl.children if isinstance(c, _El) and c.tag == "caption"),
                       None)
        if caption is not None:
            text = cell_text(caption)
            if text:
                self.blocks.append(Paragraph(text))
        if nested or len(cells) == 1:
            for c in cells:
                self.walk(c)
                self.flush()
            return
        if not cells:
            return
        self.blocks.append(Table(table_grid(rows)))


def _table_rows(tbl: _El) -> list[list[_El]]:
    """The table's own rows (not those of nested tables), each a list of its td/th."""
    rows: list[list[_El]] = []

    def visit(el: _El) -> None:
        for c in el.children:
            if not isinstance(c, _El) or c.tag == "table":
                continue
            if c.tag == "tr":
                rows.append([td for td in c.children if isinstance(td, _El)
                             and td.tag in ("td", "th")])
            elif c.tag in ("thead", "tbody", "tfoot") or c.tag not in ("td", "th", "caption"):
                visit(c)

    visit(tbl)
    return rows


def _contains(el: _El, tag: str) -> bool:
    stack = [el]
    while stack:
        node = stack.pop()
        for c in node.children:
            if isinstance(c, _El):
                if c.tag == tag:
                    return True
                stack.append(c)
    return False


def _span(el: _El, name: str, cap: int) -> int:
    raw = el.attrs.get(name)
    if raw is None:
        return 1
    m = re.match(r"\s*(\d+)", raw)
    if not m:
        return 1
    digits = m.group(1).lstrip("0") or "0"
    v = int(digits) if len(digits) <= 9 else cap     # thousands of digits: int() refuses
    if v == 0 and name == "rowspan":
        return cap          # rowspan="0": to the end of the table
    return max(1, min(v, cap))


def cell_text(el: _El) -> str:
    """A cell's text; ``<br>``, ``<p>`` and other blocks inside it become line breaks."""
    kids = el.children
    if all(type(k) is str for k in kids):      # the common cell: text only
        return _clean("".join(k for k in kids if isinstance(k, str)))
    lines: list[str] = []
    buf: list[str] = []

    def brk() -> None:
        t = _clean("".join(buf))
        buf.clear()
        if t:
            lines.append(t)

    stack: list[tuple[_El, int]] = [(el, 0)]
    while stack:
        node, i = stack.pop()
        if i == 0 and node is not el:
            if node.tag in _RAW_TEXT or node.tag in ("script", "style", "noscript", "template"):
                continue
            if node.tag in ("br", "hr"):
                brk()
                continue
            if node.tag in _BLOCK:
                brk()
        if i < len(node.children):
            stack.append((node, i + 1))
            child = node.children[i]
            if isinstance(child, str):
                buf.append(child)
            else:
                stack.append((child, 0))
        elif node.tag in _BLOCK:
            brk()
    brk()
    return "\n".join(lines)


def table_grid(rows: list[list[_El]]) -> list[list[str]]:
    """Rows of cell text with rowspan/colspan expanded (each covered position repeats the text)."""
    n_rows = len(rows)
    grid: list[list[str | None]] = [[] for _ in range(n_rows)]
    for r, cells in enumerate(rows):
        c = 0
        for td in cells:
            row = grid[r]
            while c < len(row) and row[c] is not None:
                c += 1
            text = cell_text(td)
            colspan = _span(td, "colspan", MAX_COLSPAN)
            rowspan = _span(td, "rowspan", n_rows - r)
            rowspan = min(rowspan, n_rows - r)
            for rr in range(r, r + rowspan):
                target = grid[rr]
                if len(target) < c + colspan:
                    target.extend([None] * (c + colspan - len(target)))
                for cc in range(c, c + colspan):
                    target[cc] = text
            c += colspan
    return [[("" if v is None else v) for v in row] for row in grid]


# --------------------------------------------------------------------------
# Where the report starts and ends on the page
# --------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u3000]+")
# lines that end the report wherever they appear (site footers)
_FOOTER_STRONG = re.compile(r"版权所有|Copyright|©|ICP备|ICP证|网站标识码|公网安备", re.IGNORECASE)
# lines that end it once section 六 has begun (page furniture after the article)
_FOOTER_WEAK = re.compile(
    r"主办单位|承办单位|主办：|承办：|技术支持|联系我们|网站地图|网站声明|隐私声明|打印本页|"
    r"【打印】|\[打印\]|关闭窗口|【关闭】|\[关闭\]|上一篇|下一篇|相关链接|相关文章|相关阅读|"
    r"扫一扫|分享到|返回顶部|【字体")
# page furniture lines dropped wherever they are
_CHROME_LINE = re.compile(
    r"^(【?字[体号][:：]?\s*[【\[]?大|当前位置|您现在的位置|您的位置|首页\s*[>＞»/]|"
    r"浏览次数|访问量|阅读次数|【打印】|打印本页|关闭窗口|分享到|收藏本页)")
_HEADING_FIRST = re.sub(r"\s", "", SECTIONS[0].heading)
_HEADING_LAST = re.sub(r"\s", "", SECTIONS[-1].heading)
MAX_TITLE_CHARS = 80


def _squash(text: str) -> str:
    return _SPACES.sub("", text).replace("．", "、").replace(".", "、", 1)


TITLE_LINES = 3                 # a title broken over more lines than this is no title


def _line_start(blocks: list[Block], i: int) -> int:
    """The first block of the element ``blocks[i]`` belongs to (lines broken by ``<br>``), at
    most :data:`TITLE_LINES` lines back (a page of a thousand ``<br>`` lines stays linear)."""
    stop = max(0, i - TITLE_LINES + 1)
    while i > stop:
        b = blocks[i]
        if not (isinstance(b, Paragraph) and b.broken and isinstance(blocks[i - 1], Paragraph)):
            break
        i -= 1
    return i


def _whole_line(blocks: list[Block], i: int) -> Block:
    """``blocks[i]`` with the lines before it of the same element (a title broken by <br>)."""
    b = blocks[i]
    start = _line_start(blocks, i)
    if start == i:
        return b
    return Paragraph("".join(p.text for p in blocks[start:i + 1] if isinstance(p, Paragraph)))


def _is_title(b: Block) -> bool:
    if not isinstance(b, Paragraph):
        return False
    t = _squash(b.text)
    if len(t) > MAX_TITLE_CHARS or _CHROME_LINE.search(b.text):
        return False
    if TITLE_SUFFIX in t:
        return True
    from .recognise import match_title

    return match_title(b.text) is not None


def trim_page(blocks: list[Block]) -> list[Block]:
    """Drop navigation before the report and footer chrome after it.

    The report starts at its title line (the last one before the first heading
    ``一、总体情况``, so a breadcrumb or a "related articles" list repeating the
    title does not count; a title broken by ``<br>`` from its first line), else at
    that heading; a page with neither is kept
    whole.  It ends at the first site-footer line.
    """
    heading = next((i for i, b in enumerate(blocks) if isinstance(b, Paragraph)
                    and _squash(b.text).startswith(_HEADING_FIRST)), None)
    limit = heading if heading is not None else len(blocks)
    start = next((i for i in range(limit - 1, -1, -1) if _is_title(_whole_line(blocks, i))), None)
    if start is None:
        start = heading if heading is not None else 0
    else:
        start = _line_start(blocks, start)
    kept: list[Block] = []
    in_last = False
    for b in blocks[start:]:
        if isinstance(b, Paragraph):
            text = b.text.strip()
            if kept and len(text) <= 120 and (
                    _FOOTER_STRONG.search(text)
                    or (in_last and len(text) <= 40 and _FOOTER_WEAK.search(text))):
                break
            if _CHROME_LINE.search(text):
                continue
            if _squash(text).startswith(_HEADING_LAST):
                in_last = True
        kept.append(b)
    return kept


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------

_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|--|—|－|-)\s*")


def page_title(root: _El) -> str | None:
    """The report's title from the page's ``<title>`` (site names after ``_`` / ``-`` / ``|``
    cut off), when it is one."""
    from .recognise import match_title

    stack: list[_El] = [root]
    seen = 0
    while stack and seen < 2000:
        node = stack.pop()
        seen += 1
        if node.tag == "title":
            text = _clean("".join(c for c in node.children if isinstance(c, str)))
            for part in [text, *_TITLE_SPLIT.split(text)]:
                if part and match_title(part) is not None:
                    return part
            return None
        if node.tag == "body":
            continue
        stack.extend(reversed([c for c in node.children if isinstance(c, _El)]))
    return None


def html_text_blocks(text: str, *, trim: bool = True, fast: bool = True) -> list[Block]:
    """Blocks of an already decoded page (``fast=False``: the pure-Python parser); the
    page's ``<title>`` comes first as a :class:`TitleHint` when it is a report title."""
    root = parse_tree(text, fast=fast)
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    blocks = trim_page(walker.blocks) if trim else walker.blocks
    title = page_title(root)
    if title is not None:
        blocks.insert(0, TitleHint(title, "网页标题（<title>）"))
    return blocks


def read_html_blocks(src: Source, *, trim: bool = True) -> list[Block]:
    """The blocks of an HTML page (path or bytes), page chrome removed when ``trim``."""
    data = load_bytes(src)
    return html_text_blocks(decode_html(data), trim=trim)


def read_html(src: Source, *, name: str | None = None) -> ImportResult:
    """Read a saved web page into an :class:`ImportResult` (raises :class:`ReadError`)."""
    from .recognise import recognise

    blocks = read_html_blocks(src)
    return recognise(blocks, source_format="html", source_name=name or describe(src, "网页.html"))
