"""Hostile files (issue 7 item 3): the one place that proves each is refused safely.

For DOCX and XLSX (and HTML where the attack applies to it):

- a zip bomb (one member of 300 MB of zeros; and many members each under the
  ratio check that together pass the unpacked-size cap),
- an XML entity expansion ("billion laughs"),
- an external entity (``<!ENTITY x SYSTEM "file:///etc/passwd">``) and an
  external DTD — the content of /etc/passwd never appears in any result,
- a path-traversal member name inside the zip,
- a 200 MB file (sparse, so the test is fast),

each read through the reader and through :func:`read_file` as the user would,
and each must be refused within :data:`LIMIT_S` seconds with a Chinese message,
with a ``tracemalloc`` peak under :data:`PEAK_MB`, and with nothing written:
the folder the file is in, the working directory (a fresh one) and a private temp directory
(``tempfile.tempdir`` and ``TMPDIR`` pointed at it) are the same before and
after.  HTML is never refused for entities — ``html.parser``/libxml2's HTML
mode know no DTD entities — so for HTML the test is that nothing is expanded
or fetched.

Damaged (not hostile) files and the unit tests of the checks themselves are in
``test_import_safety.py``.
"""
from __future__ import annotations

import io
import os
import re
import tempfile
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from model.errors import ReadError
from model.importers import read_docx, read_file, read_html, read_xlsx, safety
from model.importers.text import read_text_file

FIX = Path(__file__).resolve().parent / "fixtures" / "import"
LIMIT_S = 3.0
PEAK_MB = 100
CJK = re.compile(r"[\u4e00-\u9fff]")

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

BILLION_LAUGHS_DTD = (
    '<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">'
              for i in range(1, 10)))
XXE_DTD = '<!ENTITY x SYSTEM "file:///etc/passwd">'


def _passwd_markers() -> list[str]:
    try:
        lines = Path("/etc/passwd").read_text(errors="replace").splitlines()
    except OSError:
        return ["root:x:0:0"]
    return [ln for ln in lines[:3] if ln.strip()] or ["root:x:0:0"]


# --------------------------------------------------------------------------
# Building the hostile files
# --------------------------------------------------------------------------

def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return out.getvalue()


def _base(kind: str) -> dict[str, bytes]:
    return _members(FIX / ("word_like.docx" if kind == "docx" else "table_layout.xlsx"))


def _main_part(kind: str) -> str:
    return "word/document.xml" if kind == "docx" else "xl/worksheets/sheet1.xml"


def _doc_with_entity(kind: str, dtd: str, ref: str) -> bytes:
    """The main part rewritten to declare ``dtd`` and use ``ref`` in its text."""
    m = _base(kind)
    if kind == "docx":
        body = (f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [{dtd}]>'
                f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>甲局2024年政府信息公开工作年度报告'
                f"</w:t></w:r></w:p><w:p><w:r><w:t>{ref}</w:t></w:r></w:p></w:body></w:document>")
    else:
        body = (f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [{dtd}]>'
                f'<worksheet xmlns="{S_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is>'
                f"<t>{ref}</t></is></c></row></sheetData></worksheet>")
    m[_main_part(kind)] = body.encode("utf-8")
    return _zip(m)


def _external_dtd(kind: str) -> bytes:
    m = _base(kind)
    part = _main_part(kind)
    xml = m[part].decode("utf-8")
    root = "w:document" if kind == "docx" else "worksheet"
    xml = re.sub(r"^(<\?xml[^>]*\?>)?", lambda g: (g.group(0) or "")
                 + f'<!DOCTYPE {root} SYSTEM "file:///etc/passwd">', xml, count=1)
    m[part] = xml.encode("utf-8")
    return _zip(m)


def _bomb(kind: str, member_mb: int = 300) -> bytes:
    """A package whose main part inflates to ``member_mb`` MB of zeros (written streamed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, content in _base(kind).items():
            if name != _main_part(kind):
                zf.writestr(name, content)
        chunk = b"\0" * (1024 * 1024)
        with zf.open(_main_part(kind), "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?>')
            for _ in range(member_mb):
                fh.write(chunk)
    return out.getvalue()


def _many_small_bombs(kind: str) -> bytes:
    """30 members of 9 MB each: every one under the ratio check, 270 MB together."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, content in _base(kind).items():
            zf.writestr(name, content)
        chunk = b" " * (1024 * 1024)
        for i in range(30):
            with zf.open(f"{'word' if kind == 'docx' else 'xl'}/media/pad{i}.xml", "w") as fh:
                for _ in range(9):
                    fh.write(chunk)
    return out.getvalue()


def _traversal(kind: str, name: str) -> bytes:
    m = _base(kind)
    m[name] = b"<evil/>"
    return _zip(m)


TRAVERSAL_NAMES = ["../../nianbao_evil.xml", "/tmp/nianbao_evil.xml", "word/../../nianbao_evil.xml",
                   "..\\..\\nianbao_evil.xml", "C:/nianbao_evil.xml"]


def _hostile_zip(kind: str, attack: str) -> bytes:
    if attack == "zip bomb":
        return _bomb(kind)
    if attack == "many small bombs":
        return _many_small_bombs(kind)
    if attack == "billion laughs":
        return _doc_with_entity(kind, BILLION_LAUGHS_DTD, "&lol9;")
    if attack == "external entity":
        return _doc_with_entity(kind, XXE_DTD, "&x;")
    if attack == "external DTD":
        return _external_dtd(kind)
    if attack.startswith("path traversal"):
        return _traversal(kind, TRAVERSAL_NAMES[int(attack.rsplit(" ", 1)[1])])
    raise AssertionError(attack)


ZIP_ATTACKS = ["zip bomb", "many small bombs", "billion laughs", "external entity", "external DTD",
               *[f"path traversal {i}" for i in range(len(TRAVERSAL_NAMES))]]
EXPECTED = {"zip bomb": "压缩炸弹", "many small bombs": "压缩炸弹", "billion laughs": "DOCTYPE",
            "external entity": "DOCTYPE", "external DTD": "DOCTYPE", "path traversal": "非法路径"}


# --------------------------------------------------------------------------
# Watching a read: time, memory, nothing written
# --------------------------------------------------------------------------

def _snapshot(*folders: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if d not in (".git", ".venv", "__pycache__", ".hypothesis",
                                                    ".pytest_cache", ".ruff_cache")]
            for f in files:
                p = os.path.join(root, f)
                try:
                    st = os.stat(p)
                except OSError:
                    continue
                out[p] = (st.st_size, st.st_mtime_ns)
    return out


@pytest.fixture
def watch(tmp_path, monkeypatch):
    """Run a read and check: refused with a Chinese message, fast, small, nothing written."""
    private_tmp = tmp_path / "private_tmp"
    private_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    monkeypatch.setenv("TMPDIR", str(private_tmp))
    user_dir = tmp_path / "用户选择的文件夹"
    user_dir.mkdir()
    cwd = tmp_path / "cwd"                  # a working directory nobody else writes to
    cwd.mkdir()
    monkeypatch.chdir(cwd)

    def run(fn, *args, refused: bool = True, **kw):
        watched = (user_dir, private_tmp, Path.cwd())
        before = _snapshot(*watched)
        tracemalloc.start()
        try:
            try:
                out = fn(*args, **kw)
            except ReadError as exc:
                out = exc
            peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        finally:
            tracemalloc.stop()
        assert peak < PEAK_MB, f"peak {peak:.0f} MB"
        assert _snapshot(*watched) == before, "a file was written or changed"
        for name in ("nianbao_evil.xml",):
            assert not (tmp_path.parent / name).exists() and not (Path("/tmp") / name).exists()
        if refused:
            assert isinstance(out, ReadError), f"not refused: {out!r}"
            assert CJK.search(str(out)), str(out)
        text = repr(out) if not isinstance(out, ReadError) else str(out)
        for line in _passwd_markers():
            assert line not in text, "the content of /etc/passwd reached the result"
        return out

    run.dir = user_dir
    return run


# --------------------------------------------------------------------------
# DOCX and XLSX
# --------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@pytest.mark.parametrize("attack", ZIP_ATTACKS)
def test_hostile_package_is_refused(kind, attack, watch):
    data = _hostile_zip(kind, attack)
    want = EXPECTED[attack.rsplit(" ", 1)[0] if attack.startswith("path") else attack]
    reader = read_docx if kind == "docx" else read_xlsx
    assert want in str(watch(reader, data))                       # bytes, as a caller has them
    path = watch.dir / f"上年报告.{kind}"
    path.write_bytes(data)
    assert want in str(watch(read_file, path))                    # a file the user picked
    wrong = watch.dir / f"上年报告.{'xlsx' if kind == 'docx' else 'docx'}"
    wrong.write_bytes(data)                                       # …under the other name
    assert want in str(watch(read_file, wrong))


def test_zip_bombs_are_small_on_disk():
    assert len(_bomb("docx")) < 2 * 1024 * 1024
    assert len(_many_small_bombs("xlsx")) < 2 * 1024 * 1024


def test_too_many_members_is_refused(watch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for i in range(safety.MAX_MEMBERS + 5):
            zf.writestr(f"word/media/m{i}.bin", b"")
    msg = str(watch(read_docx, out.getvalue()))
    assert "内部部件" in msg and str(safety.MAX_MEMBERS) in msg


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_the_parsers_do_not_resolve_entities_on_their_own(kind, monkeypatch):
    """Second lock behind the DOCTYPE pre-scan: with the scan switched off, the readers'
    own XML parsers neither expand nor fetch entities (the part is refused as damaged or
    read with the references left unexpanded)."""
    from model.importers import docx, xlsx
    from model.importers.xlsx import ooxml

    module, reader = (docx, docx.read_docx_blocks) if kind == "docx" else \
        (ooxml, xlsx.read_xlsx_blocks)
    monkeypatch.setattr(module, "check_zip", _check_zip_without_prescan)
    for attack in ("billion laughs", "external entity", "external DTD"):
        data = _hostile_zip(kind, attack)
        try:
            blocks = reader(data)
        except ReadError:
            continue
        text = repr(blocks)
        assert "lol" * 3 not in text and not any(m in text for m in _passwd_markers())


def _check_zip_without_prescan(data: bytes, kind: str) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------

_TITLE = "甲局2024年政府信息公开工作年度报告"


@pytest.mark.parametrize("dtd,ref", [(BILLION_LAUGHS_DTD, "&lol9;"), (XXE_DTD, "&x;"),
                                     ('<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;', "&x;")])
def test_html_entities_are_never_expanded_or_fetched(dtd, ref, watch):
    page = (f"<!DOCTYPE html [{dtd}]><html><body><p>{_TITLE}</p><p>一、总体情况</p>"
            f"<p>{ref}</p><table><tr><td>{ref}</td><td>1</td></tr></table></body></html>")
    for data in (page.encode("utf-8"), page.encode("gb18030")):
        out = watch(read_html, data, refused=False)
        if not isinstance(out, ReadError):
            text = repr(out.report)
            assert "lol" * 3 not in text
        path = watch.dir / "上年报告.html"
        path.write_bytes(data)
        watch(read_file, path, refused=False)


def test_html_external_dtd_and_resources_are_not_loaded(watch):
    page = ('<!DOCTYPE html SYSTEM "file:///etc/passwd"><html><head>'
            '<link rel="stylesheet" href="file:///etc/passwd"><script src="file:///etc/passwd"></script>'
            f'</head><body><iframe src="file:///etc/passwd"></iframe><p>{_TITLE}</p>'
            '<img src="file:///etc/passwd"><p>一、总体情况</p><p>正文。</p></body></html>')
    out = watch(read_html, page.encode(), refused=False)
    assert not isinstance(out, ReadError) and out.report.agency == "甲局"


# --------------------------------------------------------------------------
# A 200 MB file, of every kind
# --------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".html", ".txt", ".nianbao", ".htm", ""])
def test_200mb_file_is_refused_before_reading(suffix, watch):
    path = watch.dir / f"巨大{suffix}"
    with open(path, "wb") as fh:           # sparse: 200 MB on paper, nothing on disk
        fh.write(b"PK\x03\x04" if suffix in (".docx", ".xlsx") else b"<html>")
        fh.truncate(200 * 1024 * 1024)
    msg = str(watch(read_file, path))
    assert "文件太大" in msg and "200.0 MB" in msg
    reader = {".docx": read_docx, ".xlsx": read_xlsx, ".html": read_html, ".htm": read_html,
              ".txt": read_text_file}.get(suffix)
    if reader is not None:
        assert "太大" in str(watch(reader, path))


def test_bytes_over_the_cap_are_refused(watch, monkeypatch):
    """Bytes handed over by a caller are capped too (checked before any parsing)."""
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 1000)
    assert "文件太大" in str(watch(read_docx, b"PK\x03\x04" + b"x" * 1001))


# --------------------------------------------------------------------------
# Parts too big to parse (under the bomb checks): refused before a parser sees them
# --------------------------------------------------------------------------

def test_oversized_document_part_is_refused_before_parsing(watch, monkeypatch):
    """A document.xml compressed just under the ratio check could still be tens of MB of
    XML: the main part's unpacked size is capped before lxml builds a tree."""
    from model.importers import docx

    data = (FIX / "word_like.docx").read_bytes()
    size = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size
    monkeypatch.setattr(docx, "MAX_BODY_BYTES", size - 1)
    assert "文档正文部分" in str(watch(read_docx, data))
    monkeypatch.setattr(docx, "MAX_BODY_BYTES", size)
    assert watch(read_docx, data, refused=False).report.agency


def test_page_with_absurdly_many_elements_is_refused(watch, monkeypatch):
    """More tags than MAX_NODES allows: refused with a message (a page with more than twice
    as many ``<`` is parsed event by event and stopped at the limit, not built first)."""
    from model.importers import html

    monkeypatch.setattr(html, "MAX_NODES", 1000)
    page = f"<html><body><p>{_TITLE}</p>" + "<b>x</b>" * 3000 + "</body></html>"
    assert "元素数量异常" in str(watch(read_html, page.encode()))
