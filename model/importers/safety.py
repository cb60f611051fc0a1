"""Checks made before any reader opens a file: size, zip bombs, XML entities.

DOCX and XLSX are zip archives of XML parts.  Before python-docx or openpyxl
see one, :func:`check_zip` looks at the archive's directory only (nothing is
extracted): too many members, an absurd unpacked size or compression ratio, or
a member name that climbs out of the archive (``../``, ``/etc/…``) are refused
with a Chinese message.  Python's :mod:`zipfile` never inflates a member past
the size its directory entry declares, so capping the declared sizes caps what
the readers can ever unpack.

Every XML part is then checked for a ``<!DOCTYPE`` in its prologue: OOXML never
needs one, and it is the only way to declare entities (billion laughs,
external entities).  The parsers are safe on their own as well — python-docx's
lxml parser has ``resolve_entities=False``, openpyxl parses worksheets through
defusedxml — so this is a second lock, and it gives the user a clear message.

HTML is never fetched from anywhere: the HTML reader uses the standard
``html.parser``, which knows no DTD entities and loads no resources.
"""
from __future__ import annotations

import io
import math
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from ..errors import ReadError
from ..files import read_capped

MB = 1024 * 1024
MAX_FILE_BYTES = 50 * MB            # the largest file any reader accepts
MAX_MEMBERS = 2000                  # members in a DOCX/XLSX archive
MAX_TOTAL_UNPACKED = 200 * MB       # declared unpacked size of all members together
MAX_RATIO = 200                     # compression ratio above which a big member is a bomb
RATIO_MIN_SIZE = 10 * MB            # … "big" meaning at least this many unpacked bytes
MAX_PROLOGUE = 64 * 1024            # bytes of an XML part read to find its root element

XML_SUFFIXES = (".xml", ".rels", ".vml")

Source = str | os.PathLike | bytes | bytearray | memoryview


def describe(src: Source, default: str = "") -> str:
    """A name for messages and ``ImportResult.source_name``."""
    if isinstance(src, (bytes, bytearray, memoryview)):
        return default
    return Path(src).name


def load_bytes(src: Source) -> bytes:
    """The file's bytes, refusing files over :data:`MAX_FILE_BYTES` before reading them.

    A path is read by :func:`model.files.read_capped`: a folder, FIFO, device or broken link is
    refused before it is opened (issue 14 item 9).
    """
    if isinstance(src, (bytes, bytearray, memoryview)):
        data = bytes(src)
        check_size(len(data))
        return data
    return read_capped(src, MAX_FILE_BYTES, too_large=_too_large)


def _too_large(size: int) -> str:
    return (f"文件太大（{size / MB:.1f} MB），超过了 {MAX_FILE_BYTES // MB} MB 的上限，"
            "不像是一份年度报告，已拒绝读取。")


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise ReadError(_too_large(size))


def _zip_entry_count(data: bytes) -> int | None:
    """Member count from the end-of-central-directory record, before zipfile parses it all."""
    tail_start = max(0, len(data) - (65535 + 22))
    pos = data.rfind(b"PK\x05\x06", tail_start)
    if pos < 0 or pos + 22 > len(data):
        return None
    count = struct.unpack_from("<H", data, pos + 10)[0]
    if count != 0xFFFF:
        return count
    # zip64: the locator sits just before the EOCD record
    loc = pos - 20
    if loc >= 0 and data[loc:loc + 4] == b"PK\x06\x07":
        rec = struct.unpack_from("<Q", data, loc + 8)[0]
        if rec + 40 <= len(data) and data[rec:rec + 4] == b"PK\x06\x06":
            return struct.unpack_from("<Q", data, rec + 32)[0]
    return count


def damaged_message(kind: str) -> str:
    what = {"docx": "有效的 Word 文档（.docx）", "xlsx": "有效的 Excel 工作簿（.xlsx）"}.get(
        kind, "有效的文件")
    return f"文件已损坏或不是{what}，无法读取。请用 Word、WPS 或 Excel 打开确认后重新保存再导入。"


def check_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """Open ``data`` as a zip after checking its directory; refuse bombs and traversal.

    ``kind`` is "docx" or "xlsx" (for messages).  Returns the open ``ZipFile``.
    """
    if not data.startswith(b"PK"):
        raise ReadError(damaged_message(kind))
    count = _zip_entry_count(data)
    if count is not None and count > MAX_MEMBERS:
        raise ReadError(
            f"文件包含 {count} 个内部部件，远多于正常文档（上限 {MAX_MEMBERS}），"
            "可能是恶意构造的压缩包，已拒绝读取。")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError,
            struct.error, NotImplementedError):
        raise ReadError(damaged_message(kind)) from None
    if len(infos) > MAX_MEMBERS:
        raise ReadError(
            f"文件包含 {len(infos)} 个内部部件，远多于正常文档（上限 {MAX_MEMBERS}），"
            "可能是恶意构造的压缩包，已拒绝读取。")
    total = 0
    for info in infos:
        name = info.filename
        _check_member_name(name)
        total += info.file_size
        if total > MAX_TOTAL_UNPACKED:
            raise ReadError(
                f"文件解压后超过 {MAX_TOTAL_UNPACKED // MB} MB，可能是“压缩炸弹”，已拒绝读取。")
        if info.file_size > RATIO_MIN_SIZE:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_RATIO:
                raise ReadError(
                    f"文件内部部件“{name}”的压缩比异常（约 {ratio:.0f}:1），"
                    "可能是“压缩炸弹”，已拒绝读取。")
    for info in infos:
        if info.filename.lower().endswith(XML_SUFFIXES):
            _check_xml_prologue(zf, info, kind)
    return zf


def _check_member_name(name: str) -> None:
    n = name.replace("\\", "/")
    p = PurePosixPath(n)
    if n.startswith("/") or (len(n) > 1 and n[1] == ":") or ".." in p.parts or "\x00" in n:
        raise ReadError(
            f"文件内部含有非法路径“{name}”（试图指向文档以外的位置），可能是恶意文件，已拒绝读取。")


def _check_xml_prologue(zf: zipfile.ZipFile, info: zipfile.ZipInfo, kind: str) -> None:
    """Refuse an XML part that declares a DTD (entities) before its root element."""
    try:
        with zf.open(info) as fh:
            head = fh.read(MAX_PROLOGUE)
    except Exception:  # zlib.error, BadZipFile (CRC), EOFError …: damaged
        raise ReadError(damaged_message(kind)) from None
    if has_doctype(head):
        raise ReadError(
            f"文件内部部件“{info.filename}”含有 DTD/实体声明（<!DOCTYPE>），正常文档不会有，"
            "可能是恶意构造的文件（如“十亿笑”实体攻击），已拒绝读取。")


def has_doctype(head: bytes) -> bool:
    """True when an XML prologue declares a DOCTYPE before the root element.

    Skips the BOM, the XML declaration, processing instructions, comments and
    whitespace; a prologue that is all of these for :data:`MAX_PROLOGUE` bytes
    is treated as hostile too.  UTF-16 parts are checked after decoding.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"
        head = head[2:len(head) - (len(head) % 2)].decode(enc, "replace").encode("utf-8")
    elif head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    i, n = 0, len(head)
    while i < n:
        c = head[i:i + 1]
        if c in (b" ", b"\t", b"\r", b"\n"):
            i += 1
            continue
        if head.startswith(b"<?", i):
            j = head.find(b"?>", i + 2)
            if j < 0:
                return n >= MAX_PROLOGUE
            i = j + 2
            continue
        if head.startswith(b"<!--", i):
            j = head.find(b"-->", i + 4)
            if j < 0:
                return n >= MAX_PROLOGUE
            i = j + 3
            continue
        return head[i:i + 9].upper() == b"<!DOCTYPE" or head.startswith(b"<!ENTITY", i)
    return False


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------

MAX_PDF_UNPACKED = 160 * MB         # all non-image streams of a PDF, inflated
MAX_PDF_STREAM = 64 * MB            # one non-image stream, inflated (a whole CJK font is ~20 MB)
MAX_PDF_CONTENT = 4 * MB           # one page content stream (a dense table page has ~50 KB)
MAX_PDF_CONTENT_TOTAL = 16 * MB    # all of them (a 6-page WPS report has ~160 KB)
MAX_FORM_FANOUT_LOG2 = 16            # forms drawing forms: at most 2**16 drawings in the worst case
_PDF_STREAM_EOL = re.compile(rb"\r?\n")
_DO = re.compile(rb"(?<![A-Za-z0-9])Do(?![A-Za-z0-9])")
_ZLIB_CHUNK = 1 * MB


def _pdf_bomb(what: str) -> ReadError:
    return ReadError(f"这份 PDF 内部的压缩数据解压后{what}，远超正常文档，可能是“压缩炸弹”，已拒绝读取。")


def check_pdf(data: bytes) -> None:
    """Refuse a PDF whose Flate streams inflate past :data:`MAX_PDF_UNPACKED` in all.

    PDFium inflates content streams, fonts and object streams when it loads a page, in this
    process and without a limit of its own, so the streams are inflated here first — in 1 MB
    steps, the output thrown away, so the check itself needs no memory.  Image streams are
    skipped: reading text never decodes them (a scan's pages are tens of MB each).  A stream
    that is itself zlib data (``/Filter [/FlateDecode /FlateDecode]``) is inflated again.

    Two more limits bound what PDFium's page parser is asked to do (it cannot be interrupted):
    page content streams (streams with no ``/Type``, ``/Subtype`` or ``/Length1``) at
    :data:`MAX_PDF_CONTENT` each and :data:`MAX_PDF_CONTENT_TOTAL` in all — 4 MB of drawing
    operators already take PDFium a second or two — and form XObjects that draw other forms:
    the product of their ``Do`` counts (the drawings a page expands to in the worst case) at
    2 ** :data:`MAX_FORM_FANOUT_LOG2`.
    """
    total = 0
    plain_total = 0
    pos = 0
    fanout = 0.0
    while True:
        k = data.find(b"stream", pos)
        if k < 0:
            break
        pos = k + 6
        if data[k - 3:k] == b"end":
            continue
        m = _PDF_STREAM_EOL.match(data, pos)
        if m is None:
            continue
        start = m.end()
        head = data[max(0, start - 600):start]
        obj = head.rfind(b"obj")
        if b"/Image" in head[obj + 3 if obj >= 0 else 0:]:
            continue
        end = data.find(b"endstream", start)
        if end < 0:
            end = len(data)
        body = memoryview(data)[start:end]
        if b"/Form" in head[obj + 3 if obj >= 0 else 0:]:
            draws = [0]

            def count(out: bytes | memoryview, draws: list[int] = draws) -> None:
                draws[0] += len(_DO.findall(out))

            got = _inflated_size(body, total, sink=count)
            if not got:                     # not zlib data: the operators are as they stand
                count(body)
            total += got
            if draws[0] > 1:
                fanout += math.log2(draws[0])
                if fanout > MAX_FORM_FANOUT_LOG2:
                    raise ReadError(
                        "这份 PDF 的表单对象层层嵌套、互相多次引用，展开后的绘图数量极其庞大，"
                        "不像是一份正常文档（可能是恶意构造的文件），已拒绝读取。")
        else:
            own = head[obj + 3 if obj >= 0 else 0:]
            plain = not any(k in own for k in (b"/Type", b"/Subtype", b"/Length1", b"/Length2"))
            got = _inflated_size(body, total, limit=MAX_PDF_CONTENT if plain else MAX_PDF_STREAM)
            total += got
            if plain:
                plain_total += got
                if plain_total > MAX_PDF_CONTENT_TOTAL:
                    raise ReadError(
                        f"这份 PDF 的页面内容解压后超过 {MAX_PDF_CONTENT_TOTAL // MB} MB，"
                        "远多于一份年度报告，已拒绝读取。")
        if total > MAX_PDF_UNPACKED:
            raise _pdf_bomb(f"超过 {MAX_PDF_UNPACKED // MB} MB")


def _inflated_size(chunk: memoryview, before: int, sink: Callable[[bytes], None] | None = None,
                   limit: int = MAX_PDF_STREAM) -> int:
    """How many bytes the zlib data in ``chunk`` inflates to (0 when it is not zlib data);
    ReadError as soon as the limits are passed.  ``sink`` sees the inflated bytes."""
    if len(chunk) < 2 or chunk[0] & 0x0F != 8 or (chunk[0] * 256 + chunk[1]) % 31:
        return 0
    d = zlib.decompressobj()
    size = 0
    inner: zlib._Decompress | None = None
    inner_size = 0
    pos, step = 0, 64 * 1024
    try:
        while pos < len(chunk) or d.unconsumed_tail:
            src = d.unconsumed_tail or chunk[pos:pos + step]
            if not d.unconsumed_tail:
                pos += step
            out = d.decompress(src, _ZLIB_CHUNK)
            if sink is not None and out:
                sink(out)
            if size == 0 and len(out) >= 2 and out[0] & 0x0F == 8 and \
                    (out[0] * 256 + out[1]) % 31 == 0:
                inner = zlib.decompressobj()
            if inner is not None and out:
                try:
                    buf = out
                    while buf:
                        inner_size += len(inner.decompress(buf, _ZLIB_CHUNK))
                        buf = inner.unconsumed_tail
                        if inner_size > MAX_PDF_STREAM:
                            raise _pdf_bomb(f"超过 {MAX_PDF_STREAM // MB} MB（单个数据流）")
                except zlib.error:
                    inner = None
            size += len(out)
            if size > limit:
                raise _pdf_bomb(f"超过 {limit // MB} MB（单个数据流）")
            if before + size + inner_size > MAX_PDF_UNPACKED:
                raise _pdf_bomb(f"超过 {MAX_PDF_UNPACKED // MB} MB")
            if d.eof or (not out and not d.unconsumed_tail and pos >= len(chunk)):
                break
    except zlib.error:
        pass                            # damaged or not zlib after all: PDFium decides
    return size + inner_size
