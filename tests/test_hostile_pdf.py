"""Hostile PDFs: each is refused with a Chinese message, in bounded time, without a traceback.

PDFium runs in the reading process and cannot be interrupted, so every case runs in a child
process under a generous timeout (a hang fails the test instead of stopping the suite) and
under an address-space limit (a runaway allocation fails it too).  No timing is asserted.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from tests.pdf_maker import PdfMaker, serialise

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 120
MEMORY_MB = 2048
TITLE = "青岚县市场监督管理局2025年政府信息公开工作年度报告"
CJK = re.compile(r"[\u4e00-\u9fff]")

CHILD = r"""
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({mem} * 1024 * 1024, {mem} * 1024 * 1024))
from model.errors import ReadError
from model.importers import read_file
try:
    r = read_file(sys.argv[1])
    print(json.dumps({{"ok": True, "agency": r.report.agency, "format": r.source_format}}))
except ReadError as exc:
    print(json.dumps({{"ok": False, "msg": str(exc)}}))
"""


def run_child(tmp_path: Path, name: str, data: bytes) -> dict:
    path = tmp_path / name
    path.write_bytes(data)
    p = subprocess.run([sys.executable, "-c", CHILD.format(mem=MEMORY_MB), str(path)], cwd=ROOT,
                       capture_output=True, text=True, timeout=TIMEOUT_S)
    assert "Traceback" not in p.stderr, p.stderr[-2000:]
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


def refused(out: dict, *needles: str) -> str:
    assert out["ok"] is False, out
    msg = out["msg"]
    assert CJK.search(msg), msg
    for n in needles:
        assert n in msg, msg
    return msg


def _one_page(text: str = TITLE) -> PdfMaker:
    m = PdfMaker()
    m.text(m.page(), 72, 80, text, 12)
    return m


def _raw(content: bytes, filters: str = "/FlateDecode", extra_objs: tuple[bytes, ...] = (),
         resources: str = "") -> bytes:
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R {resources}>>".encode(),
            f"<< /Length {len(content)} /Filter {filters} >>\nstream\n".encode() + content + b"\nendstream",
            *extra_objs]
    return serialise(objs, 1)


def _deflate_repeated(unit: bytes, megabytes: int) -> bytes:
    co = zlib.compressobj(9)
    block = unit * (1024 * 1024 // len(unit))
    return b"".join(co.compress(block) for _ in range(megabytes)) + co.flush()


def _forms(n: int, draws_per_form: int) -> bytes:
    """Form i draws form i+1 ``draws_per_form`` times: draws_per_form ** n drawings in all."""
    extra = []
    for i in range(n):
        body = b"0 0 m 10 10 l S" + b" /X0 Do" * draws_per_form * (i < n - 1) + b"\n"
        extra.append(f"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject "
                     f"<< /X0 {5 + i + 1} 0 R >> >> /Length {len(body)} >>\nstream\n".encode()
                     + body + b"\nendstream")
    return _raw(b"/X0 Do\n", filters="[]", extra_objs=tuple(extra),
                resources="/Resources << /XObject << /X0 5 0 R >> >> ")


def test_encrypted_pdf(tmp_path):
    m = _one_page()
    m.extra_objects.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <"
                           + b"22" * 32 + b"> /P -4 >>")
    enc = 8                                  # catalog, pages, cmap, cidfont, font, content, page
    data = m.build(trailer_extra=f"/Encrypt {enc} 0 R /ID [<{'ab' * 16}> <{'ab' * 16}>] ")
    refused(run_child(tmp_path, "加密.pdf", data), "密码")


@pytest.mark.parametrize("how", ["garbage", "truncated", "header_only", "no_xref"])
def test_damaged_pdf(tmp_path, how):
    good = _one_page().build()
    data = {
        "garbage": good[:good.rfind(b"xref")] + b"xref\n0 9\nzzzz 65535 f \ntrailer\n<< /Size 3 >>\n"
                                                  b"startxref\n999999\n%%EOF\n",
        "truncated": good[:len(good) // 2],
        "header_only": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        "no_xref": good[:good.rfind(b"xref")],
    }[how]
    out = run_child(tmp_path, "损坏.pdf", data)
    if out["ok"]:                  # PDFium rebuilt the cross-reference table: the text is read
        assert out["format"] == "pdf"
    else:
        refused(out, "PDF")


def test_huge_page_count(tmp_path):
    m = PdfMaker()
    for _ in range(400):
        m.text(m.page(), 72, 80, TITLE, 12)
    refused(run_child(tmp_path, "四百页.pdf", m.build()), "400 页")
    lying = _one_page().build().replace(b"/Count 1 >>", b"/Count 999999999 >>")
    out = run_child(tmp_path, "谎报页数.pdf", lying)
    assert out["ok"] is True or CJK.search(out["msg"])


def test_compressed_stream_bomb(tmp_path):
    refused(run_child(tmp_path, "炸弹.pdf", _raw(_deflate_repeated(b"\0", 300))), "压缩炸弹")
    inner = _deflate_repeated(b"\0", 300)
    refused(run_child(tmp_path, "双层炸弹.pdf", _raw(zlib.compress(inner, 9),
                                                  filters="[/FlateDecode /FlateDecode]")), "压缩炸弹")


def test_huge_content_stream(tmp_path):
    refused(run_child(tmp_path, "巨大内容.pdf", _raw(_deflate_repeated(b"0 0 m 1 1 l S\n", 20))), "MB")


def test_many_drawing_objects(tmp_path):
    body = b"0 0 m 1 1 l S\n" * 200_000
    refused(run_child(tmp_path, "线条.pdf", _raw(zlib.compress(body))), "图形")


def test_deeply_nested_and_self_referencing_forms(tmp_path):
    out = run_child(tmp_path, "嵌套.pdf", _forms(3000, 1))
    refused(out)                                   # no text: PDFium stops at its nesting limit
    out = run_child(tmp_path, "自引用.pdf", _raw(b"/X0 Do\n", filters="[]", extra_objs=(
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 9 9] /Resources << /XObject << /X0 5 0 R >> >> "
        b"/Length 7 >>\nstream\n/X0 Do\n\nendstream",),
        resources="/Resources << /XObject << /X0 5 0 R >> >> "))
    refused(out)


def test_forms_fanning_out(tmp_path):
    refused(run_child(tmp_path, "扇出.pdf", _forms(30, 2)), "嵌套")


def test_too_many_characters(tmp_path):
    m = PdfMaker()
    p = m.page()
    for i in range(600):
        m.text(p, 5, 5 + i * 1.3, "年报" * 50, 1)
    refused(run_child(tmp_path, "字符.pdf", m.build()), "字符")


def test_scan_and_empty(tmp_path):
    m = PdfMaker()
    p = m.page()
    m.image(p, 0, 0, p.width, p.height)
    refused(run_child(tmp_path, "扫描.pdf", m.build()), "扫描")
    m = PdfMaker()
    m.page()
    refused(run_child(tmp_path, "空白.pdf", m.build()), "没有")
