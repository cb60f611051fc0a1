"""read_file: dispatch by suffix and by content; refusals for .doc, encrypted, PDF, unknown."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from model.errors import ReadError
from model.importers import SUPPORTED_SUFFIXES, read_file, sniff
from model.importers.__init__ import OLE_MAGIC

FIX = Path(__file__).resolve().parent / "fixtures" / "import"
EXPECTED = json.loads((FIX / "expected_2021.json").read_text(encoding="utf-8"))


def _copy(tmp_path: Path, fixture: str, as_name: str) -> Path:
    p = tmp_path / as_name
    p.write_bytes((FIX / fixture).read_bytes())
    return p


def _ole(*names: str) -> bytes:
    """An OLE2 compound file header followed by directory entries with these stream names.

    Not a complete compound file: enough for the sniffing (magic + directory names),
    which is all the dispatcher looks at before refusing.
    """
    body = bytearray(OLE_MAGIC + b"\0" * (512 - len(OLE_MAGIC)))
    for n in names:
        entry = n.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64
        body += entry
    body += bytes(range(256)) * 8
    return bytes(body)


def test_supported_suffixes():
    assert set(SUPPORTED_SUFFIXES) == {".nianbao", ".docx", ".html", ".htm", ".xlsx", ".pdf", ".txt"}


@pytest.mark.parametrize("fixture,as_name,fmt", [
    ("word_like.docx", "报告.docx", "docx"),
    ("word_like.docx", "报告.txt", "docx"),              # a .docx renamed
    ("word_like.docx", "报告.doc", "docx"),              # a .docx saved under the old suffix
    ("report_page.html", "报告.htm", "html"),
    ("report_page.html", "报告.doc", "html"),            # "Word" files that are web pages
    ("report_gbk.html", "报告.txt", "html"),             # a .txt that is really HTML
    ("table_layout.xlsx", "报告.xlsx", "xlsx"),
    ("table_layout.xlsx", "报告", "xlsx"),
    ("report_seedlike.txt", "报告.txt", "txt"),
    ("report_seedlike.txt", "报告.text", "txt"),
])
def test_read_file_dispatches_by_content(tmp_path, fixture, as_name, fmt):
    result = read_file(_copy(tmp_path, fixture, as_name))
    assert result.source_format == fmt
    assert result.source_name == as_name
    assert result.report.values["t3.new.total"] == EXPECTED["values"]["t3.new.total"]
    assert result.report.agency == (EXPECTED["agency"] if fmt != "xlsx" else "")


def test_project_file(tmp_path):
    from model import project
    from model.report import Report

    r = Report.zeros(agency="南岭镇人民政府", year=2024)
    r.set("t3.new.person", 4)
    r.recompute_totals()
    p = tmp_path / "上年.nianbao"
    project.save(r, p)
    result = read_file(p)
    assert result.source_format == "nianbao" and result.source_name == "上年.nianbao"
    assert result.report.values == r.values and result.report.agency == "南岭镇人民政府"
    # the same project under a wrong suffix is still recognised by its content
    q = tmp_path / "上年.json"
    q.write_bytes(p.read_bytes())
    assert read_file(q).source_format == "nianbao"


def test_damaged_project_file(tmp_path):
    p = tmp_path / "坏.nianbao"
    p.write_text('{"format": "nianbao-project", "version": 1, "cells": ', encoding="utf-8")
    with pytest.raises(ReadError):
        read_file(p)


def test_old_binary_doc(tmp_path):
    p = tmp_path / "2023年报.doc"
    p.write_bytes(_ole("Root Entry", "WordDocument", "1Table"))
    with pytest.raises(ReadError) as exc:
        read_file(p)
    assert str(exc.value).startswith(
        "不能直接读取旧版 Word 文档（.doc），请在 Word 或 WPS 中另存为 .docx 后再导入")
    # the same bytes named .docx: content wins
    q = tmp_path / "2023年报.docx"
    q.write_bytes(p.read_bytes())
    with pytest.raises(ReadError, match="旧版 Word 文档"):
        read_file(q)


def test_old_binary_xls(tmp_path):
    p = tmp_path / "台账.xls"
    p.write_bytes(_ole("Root Entry", "Workbook"))
    with pytest.raises(ReadError, match=r"旧版 Excel 工作簿（\.xls）.*另存为 \.xlsx"):
        read_file(p)


@pytest.mark.parametrize("name", ["加密.docx", "加密.xlsx"])
def test_password_protected_ooxml(tmp_path, name):
    """Office stores an encrypted .docx/.xlsx as an OLE container holding 'EncryptionInfo' and
    'EncryptedPackage' streams; this fixture has that header and those directory names."""
    p = tmp_path / name
    p.write_bytes(_ole("Root Entry", "EncryptionInfo", "EncryptedPackage"))
    with pytest.raises(ReadError, match="密码"):
        read_file(p)


def test_pdf_rtf_image_empty_and_unknown(tmp_path):
    cases = {
        "年报.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        "年报.rtf": (b"{\\rtf1\\ansi\\deff0 hello}", "RTF"),
        "年报.png": (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "图片"),
        "年报.docx": (b"", "空的"),
        "年报.bin": (bytes(range(256)) * 10, "无法识别"),
    }
    for name, (data, needle) in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(ReadError) as exc:
            read_file(p)
        assert needle in str(exc.value), name


def test_odf_and_foreign_zip(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<x/>")
    p = tmp_path / "年报.odt"
    p.write_bytes(out.getvalue())
    with pytest.raises(ReadError, match="OpenDocument"):
        read_file(p)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("a.jpg", b"\xff\xd8\xff")
    q = tmp_path / "照片.zip"
    q.write_bytes(out.getvalue())
    with pytest.raises(ReadError, match="压缩包"):
        read_file(q)


def test_text_named_docx_is_refused_as_damaged(tmp_path):
    p = tmp_path / "年报.docx"
    p.write_text("这不是 Word 文档，只是一段文字。", encoding="utf-8")
    with pytest.raises(ReadError, match="不是有效的Word 文档|不是有效的 Word 文档"):
        read_file(p)


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="找不到文件"):
        read_file(tmp_path / "无.docx")


@pytest.mark.parametrize("head,suffix,kind", [
    (b"<!DOCTYPE html><html>", ".txt", "html"),
    (b"\xef\xbb\xbf<html><body>", "", "html"),
    ('一、总体情况\n<p>'.encode("gbk"), ".txt", "html"),
    ("一、总体情况\n本年度……".encode("gbk"), ".txt", "txt"),
    ("一、总体情况".encode("utf-16"), ".txt", "txt"),
    (b'{"format": "nianbao-project", "version": 1}', ".json", "nianbao"),
    (b"PK\x03\x04", ".docx", "zip"),
    (OLE_MAGIC, ".doc", "ole"),
    (b"", ".txt", "empty"),
])
def test_sniff(head, suffix, kind):
    assert sniff(head, suffix) == kind


# ---- every export of Nianbao reads back with identical cells ---------------------------

@pytest.mark.parametrize("fmt,suffix", [("docx", ".docx"), ("html", ".html"), ("xlsx", ".xlsx"),
                                        ("txt", ".txt")])
def test_exports_read_back_with_identical_cells(tmp_path, fmt, suffix):
    pytest.importorskip("model.render.sample")
    from model.render import render
    from model.render.sample import sample_report

    report = sample_report()
    data = render(report, fmt)
    p = tmp_path / f"导出{suffix}"
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    result = read_file(p)
    assert result.source_format == fmt
    assert result.report.values == report.values
    assert (result.report.agency, result.report.year) == (report.agency, report.year)


# --------------------------------------------------------------------------
# One registry of readers (issue 10 part 6)
# --------------------------------------------------------------------------

def test_registry_drives_suffixes_filters_labels_and_help():
    from model import cli
    from model.importers import FILE_FILTER, FORMAT_LABELS, READERS, suffix_list

    kinds = [r.kind for r in READERS]
    assert len(set(kinds)) == len(kinds)
    assert SUPPORTED_SUFFIXES == tuple(s for r in READERS for s in r.suffixes)
    for r in READERS:
        assert callable(r.load())
        assert f"{r.label} ({r.patterns})" in FILE_FILTER
        assert FORMAT_LABELS[r.kind] == r.label
        for s in r.suffixes:
            assert "*" + s in FILE_FILTER.split(";;")[0]
    help_text = cli.build_parser().format_help() + cli.build_parser()._subparsers._group_actions[0] \
        .choices["check"].format_help()
    assert suffix_list() in help_text and ".pdf" in help_text


def test_every_dialog_uses_the_registry_filter():
    """The filter string lives in one place; no dialog keeps its own copy."""
    from model.importers import FILE_FILTER

    gui = Path(__file__).resolve().parent.parent / "gui"
    for py in gui.glob("*.py"):
        text = py.read_text(encoding="utf-8")
        assert "*.docx *.html" not in text and "(*.nianbao *.docx" not in text, py.name
    from gui import combine_dialog, import_dialog, main_window, start_dialog

    assert main_window.OPEN_FILTER == main_window.IMPORT_FILTER == FILE_FILTER
    assert start_dialog.OPEN_FILTER == combine_dialog.OPEN_FILTER == FILE_FILTER
    assert import_dialog.SOURCE_FORMATS["pdf"] == "PDF 文档"


def test_importing_the_package_loads_no_reader():
    """The start screen imports model.importers: no reader module (nor pypdfium2, openpyxl,
    python-docx) is loaded until a file of its kind is read."""
    import subprocess
    import sys

    code = ("import sys, model.importers as m\n"
            "print(m.FILE_FILTER[:10])\n"
            "heavy = [k for k in sys.modules if k.startswith(('model.importers.', 'pypdfium2', "
            "'openpyxl', 'docx'))]\n"
            "print(sorted(k for k in heavy if k not in ('model.importers.base', "
            "'model.importers.safety')))\n"
            "from model.importers import read_docx\n"
            "print('model.importers.docx' in sys.modules, 'pypdfium2' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent).stdout.splitlines()
    assert out[1] == "[]"
    assert out[2] == "True False"


def test_pdf_is_read_not_refused(tmp_path):
    from tests.pdf_maker import PdfMaker

    m = PdfMaker()
    p = m.page()
    m.text(p, 100, 80, "南岭镇人民政府2024年政府信息公开工作年度报告", 14)
    m.text(p, 72, 120, "一、总体情况", 12)
    m.text(p, 96, 140, "本年度未收到政府信息公开申请。", 12)
    for name in ("年报.pdf", "年报.txt", "年报"):             # by content, whatever the name
        f = tmp_path / name
        f.write_bytes(m.build())
        result = read_file(f)
        assert result.source_format == "pdf" and result.report.agency == "南岭镇人民政府"
        assert result.report.year == 2024


def test_format_names_lists_every_reader_once():
    from model.importers import READERS, format_names
    names = format_names()
    assert "PDF" in names
    for r in READERS:
        assert names.count(r.label) == 1


def test_no_window_text_lists_the_readable_formats_by_hand():
    """Tooltips and hints name the formats through format_names(), so a new reader shows up."""
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent / "gui"
    for f in root.glob("*.py"):
        text = f.read_text(encoding="utf-8")
        assert "Word、网页" not in text and "项目文件、Word" not in text, f.name
