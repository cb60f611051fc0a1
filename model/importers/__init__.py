"""Reading last year's report from any form it comes in.

Every reader is declared once, in :data:`READERS`: its kind (``ImportResult.source_format``),
the suffixes it owns, its Chinese label and the module and function that read it.  The
dispatcher, :data:`SUPPORTED_SUFFIXES`, the dialogs' file filter (:data:`FILE_FILTER`), the
labels the GUI shows for a format (:data:`FORMAT_LABELS`) and the CLI's help text
(:func:`suffix_list`) all come from that one list.  A reader's module is imported the first time
a file of its kind is read, so importing this package (the start screen does) loads none of them.

:func:`read_file` looks at the file's name *and* its first bytes, because files
travel under the wrong name: a ``.doc`` that is really a web page, a ``.txt``
saved from a browser as HTML, a ``.docx`` that is an old binary document.

=================  ==========================================================
content            read by
=================  ==========================================================
project file       :func:`model.project.load` (``.nianbao``, or JSON marked as one)
zip with word/     :func:`read_docx`
zip with xl/       :func:`read_xlsx`
%PDF               :func:`model.importers.pdf.read_pdf` (its text layer; a scan is refused)
HTML               :func:`read_html`
other text         :func:`model.importers.text.read_text_file`
OLE (D0CF11E0)     refused: old ``.doc``/``.xls``, or a password-protected file
RTF, images        refused with a message saying what to do
=================  ==========================================================

Every reader either returns a whole :class:`ImportResult` or raises
:class:`~model.errors.ReadError` with a Chinese message: nothing is half-imported.
"""
from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import ProjectError, ReadError
from ..lazyre import lazy

# the start screen imports this package for FILE_FILTER and format_names() before its
# first paint: the result classes (and with them the report and the schema) and the
# byte-level safety checks are imported by the functions that read
if TYPE_CHECKING:  # pragma: no cover
    from .base import ImportResult

__all__ = [
    "ImportResult", "Note", "Reader", "READERS", "SUPPORTED_SUFFIXES", "FILE_FILTER",
    "FORMAT_LABELS", "format_names", "read_file", "read_docx", "read_docx_blocks", "read_html",
    "read_html_blocks", "read_pdf", "read_pdf_blocks", "read_xlsx", "read_xlsx_blocks",
    "reader", "sniff", "suffix_list",
]


class Reader(NamedTuple):
    """One input format: declared once, used by the dispatcher, the dialogs and the CLI."""

    kind: str                       # ImportResult.source_format
    label: str                      # Chinese, as the dialogs and the import summary show it
    suffixes: tuple[str, ...]
    module: str                     # imported on first use
    function: str                   # ``function(path_or_bytes, name=…)`` → ImportResult
    blocks: str = ""                # the function giving the reader's blocks, when it has one

    def load(self) -> Callable[..., ImportResult]:
        return getattr(importlib.import_module(self.module), self.function)

    def load_blocks(self) -> Callable[..., Any]:
        return getattr(importlib.import_module(self.module), self.blocks)

    @property
    def patterns(self) -> str:
        return " ".join("*" + s for s in self.suffixes)


READERS: tuple[Reader, ...] = (
    Reader("nianbao", "年报项目文件", (".nianbao",), "model.importers", "_read_project"),
    Reader("docx", "Word 文档", (".docx",), "model.importers.docx", "read_docx",
           "read_docx_blocks"),
    Reader("html", "网页", (".html", ".htm"), "model.importers.html", "read_html",
           "read_html_blocks"),
    Reader("xlsx", "Excel 表格", (".xlsx",), "model.importers.xlsx", "read_xlsx",
           "read_xlsx_blocks"),
    Reader("pdf", "PDF 文档", (".pdf",), "model.importers.pdf", "read_pdf", "read_pdf_blocks"),
    Reader("txt", "纯文本", (".txt",), "model.importers.text", "read_text_file"),
)
_BY_KIND = {r.kind: r for r in READERS}

SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(s for r in READERS for s in r.suffixes)
FORMAT_LABELS: dict[str, str] = {r.kind: r.label for r in READERS}


def _file_filter() -> str:
    every = " ".join(r.patterns for r in READERS)
    parts = [f"所有报告文件 ({every})"] + [f"{r.label} ({r.patterns})" for r in READERS]
    return ";;".join(parts + ["所有文件 (*)"])


FILE_FILTER = _file_filter()
"""The Qt file-dialog filter every dialog that opens or imports a report uses."""


def format_names(sep: str = "、") -> str:
    """``年报项目文件、Word 文档、网页、…`` for tooltips and hints: every readable kind, once."""
    return sep.join(r.label for r in READERS)


def suffix_list(sep: str = " ") -> str:
    """``.nianbao .docx .html …`` for help texts."""
    return sep.join(SUPPORTED_SUFFIXES)


def reader(kind: str) -> Callable[..., ImportResult]:
    """The read function of one kind (its module imported now)."""
    return _BY_KIND[kind].load()


_LAZY = {r.function: r for r in READERS if r.kind != "nianbao"} | \
    {r.blocks: r for r in READERS if r.blocks}


def __getattr__(attr: str) -> Any:
    """``from model.importers import read_docx`` imports the DOCX reader only then."""
    if attr in ("ImportResult", "Note"):
        from . import base
        return getattr(base, attr)
    r = _LAZY.get(attr)
    if r is None:
        raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
    fn = getattr(importlib.import_module(r.module), attr)
    globals()[attr] = fn
    return fn


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"),
                      "EncryptionInfo".encode("utf-16-le"))
_HTML_SNIFF = lazy(
    rb"<\s*(!doctype\s+html|html|head|body|meta|table|div|p|h[1-6]|span|br|title|style|font)\b",
    re.IGNORECASE)

MSG_DOC = "不能直接读取旧版 Word 文档（.doc），请在 Word 或 WPS 中另存为 .docx 后再导入"
MSG_XLS = "不能直接读取旧版 Excel 工作簿（.xls），请在 Excel 或 WPS 中另存为 .xlsx 后再导入"
MSG_ENCRYPTED = ("文件设有打开密码（已加密），无法读取。请在 Word、WPS 或 Excel 中用密码打开，"
                 "取消密码后另存一份再导入")
MSG_RTF = "不能直接读取 RTF 文档，请在 Word 或 WPS 中另存为 .docx 后再导入"
MSG_WPS = "不能直接读取 WPS 文字（.wps）文档，请在 WPS 中另存为 .docx 后再导入"
MSG_ET = "不能直接读取 WPS 表格（.et）文件，请在 WPS 中另存为 .xlsx 后再导入"


def sniff(head: bytes, suffix: str = "") -> str:
    """What a file is, from its first bytes (and its suffix when the bytes are ambiguous).

    One of "nianbao", "docx", "xlsx", "zip", "html", "txt", "ole", "pdf", "rtf",
    "image", "binary", "empty".
    """
    if not head:
        return "empty"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")):
        return "image"
    text = _head_text(head)
    if text is None:
        return "binary"
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{") and '"nianbao-project"' in text[:2000]:
        return "nianbao"
    if suffix == ".nianbao":
        return "nianbao"
    if _HTML_SNIFF.search(head[:4096]) or _looks_html(text[:4096]):
        if suffix == ".txt" and not _looks_html(text[:4096]) and not _tag_dense(text[:8192]):
            return "txt"            # a text file with a stray <br> or <p in it
        return "html"
    return "txt"


def _tag_dense(text: str) -> bool:
    """Markup on most lines (a page saved under .txt), not a stray tag in text."""
    lines = [x for x in text.splitlines() if x.strip()]
    tagged = sum(1 for x in lines if "<" in x and ">" in x)
    return len(lines) > 0 and tagged * 2 >= len(lines)


def _looks_html(text: str) -> bool:
    low = text.lower()
    return "<html" in low or "<!doctype html" in low or "<table" in low


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)


def _head_text(head: bytes) -> str | None:
    """The first bytes as text, or None when they are clearly binary."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "replace")
    sample = head[:8192]
    if b"\x00" in sample:
        from .text import _looks_utf16     # UTF-16 without a BOM is text (issue 14 item 15)
        enc = _looks_utf16(sample)
        if enc is None:
            return None
        return sample[:len(sample) // 2 * 2].decode(enc, "replace")
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > len(sample) // 20:
        return None
    for enc in ("utf-8", "gb18030"):
        try:
            return sample.decode(enc)
        except UnicodeDecodeError:
            # a multi-byte character cut at the end of the sample is fine
            try:
                return sample[:-3].decode(enc)
            except UnicodeDecodeError:
                continue
    return sample.decode("utf-8", "replace")


def _ole_kind(data: bytes, suffix: str) -> str:
    if any(m in data for m in _ENCRYPTED_MARKERS):
        return MSG_ENCRYPTED
    if suffix in (".xls", ".xlsx", ".xlsm", ".xlt"):
        return MSG_XLS
    if suffix == ".et":
        return MSG_ET
    if suffix == ".wps":
        return MSG_WPS
    if "Workbook".encode("utf-16-le") in data and "WordDocument".encode("utf-16-le") not in data:
        return MSG_XLS
    return MSG_DOC


def _zip_kind(data: bytes, suffix: str) -> str:
    """Which kind of zip this is; the safety checks (bombs, traversal, DTDs) run first."""
    from .safety import check_zip, damaged_message
    guess = "xlsx" if suffix in (".xlsx", ".xlsm", ".xltx") else "docx"
    try:
        zf = check_zip(data, guess)
    except ReadError as exc:
        if str(exc) == damaged_message(guess):
            return "broken"
        raise
    with zf:
        names = set(zf.namelist())
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names:
        return "odf"
    return "zip"


def read_file(path: str | os.PathLike) -> ImportResult:
    """Read a report from a file of any supported kind; raise ReadError with a Chinese message.

    At this boundary the characters no writer can hold are removed, and a report
    that could never be saved as a project file (and so never opened again) is refused.
    """
    from .. import project
    from ..sanitize import clean_report
    from .base import Note

    res = _read_file(path)
    if clean_report(res.report):
        res.notes.append(Note("info", "已去除文中无法写入文档的控制字符（如 U+0001、U+FFFE）。"))
    try:
        project.validate(res.report)
    except ProjectError as exc:
        raise ReadError(f"“{Path(path).name}”无法导入：{str(exc).split('：', 1)[-1]}") from None
    return res


def _read_file(path: str | os.PathLike) -> ImportResult:
    from .safety import load_bytes
    p = Path(path)
    suffix = p.suffix.lower()
    data = load_bytes(p)                 # refuses missing files, folders and > MAX_FILE_BYTES
    kind = sniff(data[:8192], suffix)
    name = p.name
    if kind == "empty":
        raise ReadError(f"文件“{name}”是空的，没有可读取的内容。")
    if kind == "nianbao":
        return _read_project(p)
    if kind == "ole":
        raise ReadError(_ole_kind(data, suffix) + "。")
    if kind == "pdf":
        return reader("pdf")(data, name=name)
    if kind == "rtf":
        raise ReadError(MSG_RTF + "。")
    if kind == "image":
        raise ReadError(f"“{name}”是图片，不能从中读取报告。")
    if kind == "binary":
        kinds = "、".join(f"{r.label}（{'/'.join(r.suffixes)}）" for r in READERS)
        raise ReadError(f"无法识别“{name}”的文件类型。支持的格式：{kinds}。")
    if kind == "zip":
        z = _zip_kind(data, suffix)
        if z == "docx" or (z == "broken" and suffix in (".docx", ".docm", ".dotx")):
            return reader("docx")(data, name=name)
        if z == "xlsx" or (z == "broken" and suffix in (".xlsx", ".xlsm", ".xltx")):
            return reader("xlsx")(data, name=name)
        if z == "odf":
            raise ReadError("不能直接读取 OpenDocument 文件（.odt/.ods），"
                            "请在 WPS、LibreOffice 或 Office 中另存为 .docx 或 .xlsx 后再导入。")
        if z == "broken":
            raise ReadError(f"文件“{name}”已损坏（压缩包不完整），无法读取。")
        raise ReadError(f"“{name}”是一个压缩包，但不是 Word 文档或 Excel 工作簿，无法读取。")
    if suffix in (".docx", ".xlsx") and kind == "txt":
        what = "Word 文档" if suffix == ".docx" else "Excel 工作簿"
        raise ReadError(f"文件已损坏或不是有效的{what}（{suffix}），无法读取。"
                        "请用 Word、WPS 或 Excel 打开确认后重新保存再导入。")
    if kind == "html":
        return reader("html")(data, name=name)
    return reader("txt")(p)


def _read_project(p: Path) -> ImportResult:
    from .. import project
    from .base import ImportResult

    try:
        report = project.load(p)
    except ProjectError:
        raise
    except ReadError:
        raise
    except Exception:  # a project file that fails to load is damaged
        raise ReadError(f"项目文件“{p.name}”已损坏，无法读取。") from None
    return ImportResult(report, [], source_format="nianbao", source_name=p.name)

