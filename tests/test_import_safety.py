"""Damaged inputs and unit tests of the safety checks (size cap, ratio check, DOCTYPE scan).

The hostile files of issue 7 — zip bombs, billion laughs, external entities, path
traversal, a 200 MB file — are proved in one place: ``test_hostile_files.py``.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from model.errors import ReadError
from model.importers import read_docx_blocks, read_xlsx_blocks
from model.importers.safety import check_zip, has_doctype, load_bytes

FIX = Path(__file__).resolve().parent / "fixtures" / "import"

DOC_XML_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                b'<w:body><w:p><w:r><w:t>')


def _docx_bytes() -> bytes:
    return (FIX / "word_like.docx").read_bytes()


def _fast(fn, *args):
    """The refusal (its speed is a budget of bench/bench_budgets.py, not a test)."""
    with pytest.raises(ReadError) as exc:
        fn(*args)
    return str(exc.value)


# ---- files that are not there ------------------------------------------------------

def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ReadError, match="找不到文件"):
        load_bytes(tmp_path / "nope.docx")
    with pytest.raises(ReadError, match="文件夹"):
        load_bytes(tmp_path)


# ---- the ratio check (the bombs themselves: test_hostile_files.py) ---------------------

def _bomb(member_mb: int, name: str = "word/document.xml", extra: dict | None = None) -> bytes:
    """A docx-shaped zip whose one member inflates to ``member_mb`` MB of zeros (streamed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        for k, v in (extra or {}).items():
            zf.writestr(k, v)
        chunk = b"\0" * (1024 * 1024)
        with zf.open(name, "w", force_zip64=True) as fh:
            fh.write(DOC_XML_HEAD)
            for _ in range(member_mb):
                fh.write(chunk)
    return out.getvalue()


def test_single_member_with_absurd_ratio_is_refused():
    data = _bomb(20)             # 20 MB of zeros: under the total cap, over the ratio cap
    msg = _fast(check_zip, data, "docx")
    assert "压缩比异常" in msg


# ---- the DOCTYPE scan ------------------------------------------------------------

@pytest.mark.parametrize("head,expected", [
    (b'<?xml version="1.0"?><w:document/>', False),
    (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c --><!DOCTYPE x []><x/>', True),
    (b"<!-- <!DOCTYPE in a comment> --><root/>", False),
    (b"  <!doctype x><x/>", True),
    ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><x/>'.encode("utf-16"), True),
    (b"<?xml version='1.0'?><root><!DOCTYPE not-here/></root>", False),
])
def test_has_doctype(head, expected):
    assert has_doctype(head) is expected


# ---- damaged files ------------------------------------------------------------

def test_truncated_docx():
    data = _docx_bytes()
    msg = _fast(read_docx_blocks, data[: len(data) // 2])
    assert msg.startswith("文件已损坏或不是有效的 Word 文档")


def test_random_bytes_named_docx(tmp_path):
    import random

    p = tmp_path / "报告.docx"
    p.write_bytes(random.Random(4).randbytes(5000))
    assert _fast(read_docx_blocks, p).startswith("文件已损坏或不是有效的 Word 文档")
    from model.importers import read_file
    with pytest.raises(ReadError, match="已损坏|无法识别"):
        read_file(p)


def test_corrupted_member_data_in_docx():
    """Bytes flipped inside the compressed document.xml: CRC or inflate fails → damaged."""
    data = bytearray(_docx_bytes())
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + min(info.compress_size, 400), 7):
        data[i] ^= 0x5A
    assert _fast(read_docx_blocks, bytes(data)).startswith("文件已损坏")


def test_docx_without_document_part():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        zf.writestr("readme.txt", b"hello")
    assert _fast(read_docx_blocks, out.getvalue()).startswith("文件已损坏")


def test_truncated_and_random_xlsx(tmp_path):
    data = (FIX / "table_layout.xlsx").read_bytes()
    msg = _fast(read_xlsx_blocks, data[:-200])
    assert msg.startswith("文件已损坏或不是有效的 Excel 工作簿")
    assert _fast(read_xlsx_blocks, b"PK\x03\x04garbage").startswith("文件已损坏")


def test_docx_given_to_the_xlsx_reader_and_back():
    assert "Word 文档" in _fast(read_xlsx_blocks, _docx_bytes())
    xlsx = (FIX / "table_layout.xlsx").read_bytes()
    assert "Excel 工作簿" in _fast(read_docx_blocks, xlsx)
