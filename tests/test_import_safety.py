"""Hostile and damaged inputs: size cap, zip bombs, path traversal, XML entities, broken zips."""
from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from model.errors import ReadError
from model.importers import read_docx_blocks, read_html_blocks, read_xlsx_blocks, safety
from model.importers.safety import check_zip, has_doctype, load_bytes

FIX = Path(__file__).resolve().parent / "fixtures" / "import"

DOC_XML_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                b'<w:body><w:p><w:r><w:t>')
DOC_XML_TAIL = b"</w:t></w:r></w:p></w:body></w:document>"

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "' % i + (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10 + b'">\n'
        for i in range(1, 10))
    + b"]>\n")


def _docx_bytes() -> bytes:
    return (FIX / "word_like.docx").read_bytes()


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == name else src.read(info))
    return out.getvalue()


def _fast(fn, *args, limit: float = 2.0):
    t0 = time.perf_counter()
    with pytest.raises(ReadError) as exc:
        fn(*args)
    assert time.perf_counter() - t0 < limit, "refusal must be fast"
    return str(exc.value)


# ---- size cap ---------------------------------------------------------------

def test_file_over_the_cap_is_refused_before_reading(tmp_path):
    big = tmp_path / "huge.docx"
    with open(big, "wb") as fh:            # sparse: 60 MB on paper, nothing on disk
        fh.truncate(60 * 1024 * 1024)
    msg = _fast(load_bytes, big)
    assert "文件太大" in msg and "50 MB" in msg
    from model.importers import read_file
    assert "文件太大" in _fast(read_file, big)


def test_bytes_over_the_cap_are_refused(monkeypatch):
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ReadError, match="文件太大"):
        load_bytes(b"x" * 1001)
    assert load_bytes(b"x" * 1000) == b"x" * 1000


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ReadError, match="找不到文件"):
        load_bytes(tmp_path / "nope.docx")
    with pytest.raises(ReadError, match="文件夹"):
        load_bytes(tmp_path)


# ---- zip bombs ------------------------------------------------------------

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


@pytest.fixture(scope="module")
def bomb_300mb() -> bytes:
    return _bomb(300)


def test_zip_bomb_300mb_fails_fast(bomb_300mb):
    assert len(bomb_300mb) < 2 * 1024 * 1024          # tiny on disk …
    msg = _fast(read_docx_blocks, bomb_300mb)         # … refused from the directory alone
    assert "压缩炸弹" in msg


def test_zip_bomb_as_xlsx_fails_fast(bomb_300mb, tmp_path):
    p = tmp_path / "bomb.xlsx"
    p.write_bytes(bomb_300mb)
    assert "压缩炸弹" in _fast(read_xlsx_blocks, p)
    from model.importers import read_file
    assert "压缩炸弹" in _fast(read_file, p)


def test_single_member_with_absurd_ratio_is_refused():
    data = _bomb(20)             # 20 MB of zeros: under the total cap, over the ratio cap
    msg = _fast(check_zip, data, "docx")
    assert "压缩比异常" in msg


def test_too_many_members():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for i in range(safety.MAX_MEMBERS + 5):
            zf.writestr(f"word/media/m{i}.bin", b"")
    msg = _fast(read_docx_blocks, out.getvalue())
    assert "内部部件" in msg and str(safety.MAX_MEMBERS) in msg


@pytest.mark.parametrize("name", ["../../evil.xml", "/etc/passwd", "word/../../x.xml",
                                  "C:/Windows/x.xml", "..\\..\\evil.xml"])
def test_path_traversal_member_is_refused(name):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx_bytes())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr(name, b"<x/>")
    msg = _fast(read_docx_blocks, out.getvalue())
    assert "非法路径" in msg


# ---- XML entities -----------------------------------------------------------

def test_billion_laughs_in_document_xml_is_refused():
    bomb = BILLION_LAUGHS + DOC_XML_HEAD.split(b"\n", 1)[1] + b"&lol9;" + DOC_XML_TAIL
    data = _replace_member(_docx_bytes(), "word/document.xml", bomb)
    msg = _fast(read_docx_blocks, data)
    assert "DOCTYPE" in msg and "word/document.xml" in msg


def test_external_entity_in_a_relationship_part_is_refused():
    xxe = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           b"&x;</Relationships>")
    data = _replace_member(_docx_bytes(), "word/_rels/document.xml.rels", xxe)
    assert "DOCTYPE" in _fast(read_docx_blocks, data)


def test_python_docx_parser_does_not_resolve_entities_on_its_own():
    """Second lock: even without our pre-scan, python-docx's parser would not expand entities."""
    from lxml import etree
    from docx.oxml.parser import oxml_parser

    doc = BILLION_LAUGHS + b"<r>&lol9;</r>"
    t0 = time.perf_counter()
    try:
        root = etree.fromstring(doc, oxml_parser)
    except etree.XMLSyntaxError:
        return                                      # refused outright: also safe
    assert time.perf_counter() - t0 < 1
    assert len(etree.tostring(root)) < 1000        # the reference stayed a reference


def test_billion_laughs_in_xlsx_sheet_is_refused():
    import openpyxl

    assert openpyxl.DEFUSEDXML is True              # openpyxl parses sheets with defusedxml
    data = (FIX / "table_layout.xlsx").read_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    body = sheet.split(b"?>", 1)[1] if sheet.startswith(b"<?") else sheet
    data = _replace_member(data, "xl/worksheets/sheet1.xml", BILLION_LAUGHS + body)
    assert "DOCTYPE" in _fast(read_xlsx_blocks, data)


def test_billion_laughs_in_html_is_not_expanded():
    page = (b"<!DOCTYPE html [" + BILLION_LAUGHS.split(b"[", 1)[1].rsplit(b"]", 1)[0] + b"]>"
            b"<html><body><p>\xe7\x94\xb2\xe5\xb1\x802024\xe5\xb9\xb4\xe6\x94\xbf\xe5\xba\x9c"
            b"\xe4\xbf\xa1\xe6\x81\xaf\xe5\x85\xac\xe5\xbc\x80\xe5\xb7\xa5\xe4\xbd\x9c\xe5\xb9\xb4"
            b"\xe5\xba\xa6\xe6\x8a\xa5\xe5\x91\x8a</p><p>&lol9;</p></body></html>")
    t0 = time.perf_counter()
    blocks = read_html_blocks(page)
    assert time.perf_counter() - t0 < 1
    text = "".join(getattr(b, "text", "") for b in blocks)
    assert "lol" * 3 not in text and len(text) < 200


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
