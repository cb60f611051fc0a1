"""Reading last year's report from any form it comes in.

:func:`read_file` looks at the file's name *and* its first bytes, because files
travel under the wrong name: a ``.doc`` that is really a web page, a ``.txt``
saved from a browser as HTML, a ``.docx`` that is an old binary document.

=================  ==========================================================
content            read by
=================  ==========================================================
project file       :func:`model.project.load` (``.nianbao``, or JSON marked as one)
zip with word/     :func:`read_docx`
zip with xl/       :func:`read_xlsx`
HTML               :func:`read_html`
other text         :func:`model.importers.text.read_text_file`
OLE (D0CF11E0)     refused: old ``.doc``/``.xls``, or a password-protected file
PDF, RTF, images   refused with a message saying what to do
=================  ==========================================================

Every reader either returns a whole :class:`ImportResult` or raises
:class:`~model.errors.ReadError` with a Chinese message: nothing is half-imported.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import ProjectError, ReadError
from .base import ImportResult, Note
from .docx import read_docx, read_docx_blocks
from .html import read_html, read_html_blocks
from .safety import check_zip, damaged_message, load_bytes
from .xlsx import read_xlsx, read_xlsx_blocks

__all__ = [
    "ImportResult", "Note", "SUPPORTED_SUFFIXES", "FILE_FILTER", "read_file", "read_docx",
    "read_docx_blocks", "read_html", "read_html_blocks", "read_xlsx", "read_xlsx_blocks",
    "sniff",
]

SUPPORTED_SUFFIXES: tuple[str, ...] = (".nianbao", ".docx", ".html", ".htm", ".xlsx", ".txt")
FILE_FILTER = ("年度报告 (*.nianbao *.docx *.html *.htm *.xlsx *.txt);;"
               "Nianbao 项目 (*.nianbao);;Word 文档 (*.docx);;网页 (*.html *.htm);;"
               "Excel 工作簿 (*.xlsx);;文本 (*.txt);;所有文件 (*)")

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"),
                      "EncryptionInfo".encode("utf-16-le"))
_HTML_SNIFF = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|meta|table|div|p|h[1-6]|span|br|title|style|font)\b",
    re.IGNORECASE)

MSG_DOC = "不能直接读取旧版 Word 文档（.doc），请在 Word 或 WPS 中另存为 .docx 后再导入"
MSG_XLS = "不能直接读取旧版 Excel 工作簿（.xls），请在 Excel 或 WPS 中另存为 .xlsx 后再导入"
MSG_ENCRYPTED = ("文件设有打开密码（已加密），无法读取。请在 Word、WPS 或 Excel 中用密码打开，"
                 "取消密码后另存一份再导入")
MSG_PDF = ("不能从 PDF 文件中读取报告。请改用发布时的 Word 文档或网页，"
           "或从 PDF 中复制全部文字粘贴为 .txt 文件后再导入")
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


def _head_text(head: bytes) -> str | None:
    """The first bytes as text, or None when they are clearly binary."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "replace")
    sample = head[:8192]
    if b"\x00" in sample:
        return None
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
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
    """Read a report from a file of any supported kind; raise ReadError with a Chinese message."""
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
        raise ReadError(MSG_PDF + "。")
    if kind == "rtf":
        raise ReadError(MSG_RTF + "。")
    if kind == "image":
        raise ReadError(f"“{name}”是图片，不能从中读取报告。")
    if kind == "binary":
        raise ReadError(f"无法识别“{name}”的文件类型。支持的格式：项目文件（.nianbao）、"
                        "Word 文档（.docx）、网页（.html）、Excel 工作簿（.xlsx）和文本（.txt）。")
    if kind == "zip":
        z = _zip_kind(data, suffix)
        if z == "docx" or (z == "broken" and suffix in (".docx", ".docm", ".dotx")):
            return read_docx(data, name=name)
        if z == "xlsx" or (z == "broken" and suffix in (".xlsx", ".xlsm", ".xltx")):
            return read_xlsx(data, name=name)
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
        return read_html(data, name=name)
    from .text import read_text_file

    return read_text_file(p)


def _read_project(p: Path) -> ImportResult:
    from .. import project

    try:
        report = project.load(p)
    except ProjectError:
        raise
    except ReadError:
        raise
    except Exception:  # noqa: BLE001 - a project file that fails to load is damaged
        raise ReadError(f"项目文件“{p.name}”已损坏，无法读取。") from None
    return ImportResult(report, [], source_format="nianbao", source_name=p.name)

