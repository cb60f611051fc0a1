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
import os
import struct
import zipfile
from pathlib import Path, PurePosixPath

from ..errors import ReadError, os_reason
from ..files import check_regular, open_regular

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
    """The file's bytes, refusing files over :data:`MAX_FILE_BYTES` before reading them."""
    if isinstance(src, (bytes, bytearray, memoryview)):
        data = bytes(src)
        check_size(len(data))
        return data
    path = Path(src)
    # a folder, FIFO, device or broken link is refused before it is opened (issue 14 item 9)
    check_size(check_regular(path).st_size)
    try:
        with open_regular(path) as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ReadError(f"无法读取文件“{path.name}”：{os_reason(exc)}") from None
    check_size(len(data))
    return data


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise ReadError(
            f"文件太大（{size / MB:.1f} MB），超过了 {MAX_FILE_BYTES // MB} MB 的上限，"
            "不像是一份年度报告，已拒绝读取。")


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
    except Exception:  # noqa: BLE001 - zlib.error, BadZipFile (CRC), EOFError …: damaged
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
