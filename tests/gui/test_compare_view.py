"""The 与上年对比 window (issue 15, part 2) and 文件 → 从网址导入 (part 3), driven through
the real widgets: the 工具 menu entry, file choosers, side-by-side text, changed cells,
export; a local HTTP server on 127.0.0.1 for the URL import."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from gui.compare_view import REPEATED_BG, CompareWindow
from gui.main_window import MainWindow
from model import project
from model.example import build, build_2024
from model.render import render
from tests.test_compare import FIRST, pair

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


@pytest.fixture
def files(tmp_path) -> tuple[Path, Path]:
    this, last = pair()
    a, b = tmp_path / "2025.docx", tmp_path / "2024.nianbao"
    a.write_bytes(render(this, "docx"))
    project.save(last, b)
    return a, b


def test_shows_rates_marks_and_changes(qtbot):
    this, last = pair()
    w = CompareWindow(this, last)
    qtbot.addWidget(w)
    c = w.comparison
    assert c is not None
    tabs = [w.tabs.tabText(i) for i in range(w.tabs.count())]
    assert len(tabs) == 5 and tabs[2].endswith("100.0%") and tabs[1].endswith("0.0%")
    assert tabs[3] == f"表格变化（{len(c.changes)}）"
    assert "不衔接" in tabs[4]
    this_view, last_view = w.section_views["overview"]
    html = this_view.toHtml()
    assert REPEATED_BG in html and FIRST[:10] in this_view.toPlainText()
    assert "96 条" in this_view.toPlainText() and "85 条" in last_view.toPlainText()
    assert "正文重复率" in w.summary.text()
    # changed cells, X1 in place
    rows = {w.changes.item(i, 1).text(): i for i in range(w.changes.rowCount())}
    i = rows["一、本年新收政府信息公开申请数量 自然人"]
    assert [w.changes.item(i, j).text() for j in (2, 3, 4)] == ["10", "15", "+5"]
    j = rows["二、上年结转政府信息公开申请数量 自然人"]
    assert "[X1]" in w.changes.item(j, 5).text()
    carry = {w.carry.item(k, 0).text(): w.carry.item(k, 3).text() for k in range(w.carry.rowCount())}
    assert "[X1]" in carry["二、上年结转政府信息公开申请数量 自然人"]
    assert carry["二、上年结转政府信息公开申请数量 商业企业"] == "衔接"


def test_choose_both_files_and_export(qtbot, files, tmp_path, monkeypatch):
    a, b = files
    w = CompareWindow()
    qtbot.addWidget(w)
    assert not w.export_button.isEnabled() and w.tabs.count() == 0
    picks = iter([str(a), str(b)])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a_, **k: (next(picks), "")))
    with qtbot.waitSignal(w.compared, timeout=10000):
        w.this_button.click()
    assert w.comparison is None and "2025.docx" in w.files.text()
    with qtbot.waitSignal(w.compared, timeout=10000):
        w.last_button.click()
    assert w.comparison is not None and w.comparison.last.year == 2024
    out = tmp_path / "对比"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a_, **k: (str(out), "")))
    w.export_button.click()
    page = (tmp_path / "对比.html").read_text("utf-8")
    assert 'class="side"' in page and "已导出" in w.summary.text()


def test_unreadable_file_is_a_message(qtbot, tmp_path, monkeypatch):
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warned.append(a[2])))
    bad = tmp_path / "扫描件.pdf"
    bad.write_bytes(b"%PDF-1.4 binary")
    w = CompareWindow()
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.compared, timeout=10000):
        w.load_file(0, bad)
    assert warned and "PDF" in warned[0] and w.comparison is None


@pytest.fixture
def main_window(qtbot, tmp_path) -> MainWindow:
    from PySide6.QtCore import QSettings

    from gui.document import ReportDocument
    from gui.settings import Settings
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    w = MainWindow(ReportDocument(build()), settings, autosave=False)
    qtbot.addWidget(w)
    return w


def test_tools_menu_opens_the_compare_window(main_window, qtbot):
    assert main_window.compare_action in main_window.tools_menu.actions()
    main_window.compare_action.trigger()
    opened = main_window.compare_windows
    assert len(opened) == 1 and opened[0].isVisible()
    qtbot.addWidget(opened[0])


# ---- 从网址导入 ---------------------------------------------------------------

PAGE = render(build_2024(), "html").encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/2024.html":
            body, code = PAGE, 200
        else:
            body, code = "没有这个网页".encode(), 404
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    t = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        t.join(5)


def test_import_from_url_sets_last_year(main_window, qtbot, server, monkeypatch, tmp_path):
    from gui import import_dialog
    assert main_window.import_url_action in main_window.menuBar().actions()[0].menu().actions()
    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda *a, **k: (server + "/2024.html", True)))
    monkeypatch.setattr(import_dialog.ImportPreviewDialog, "exec", lambda self: 0)
    monkeypatch.setattr(import_dialog.ImportPreviewDialog, "choice", lambda self: "baseline")
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warned.append(a[2])))
    with qtbot.waitSignal(main_window.importFinished, timeout=15000) as sig:
        main_window.import_url_action.trigger()
    assert sig.args == ["baseline"], warned
    base = main_window.doc.report.baseline
    assert base is not None and base.year == 2024 and base.agency == build().agency
    main_window.doc.save(tmp_path / "本年.nianbao")       # nothing left unsaved at teardown


def test_import_from_url_errors_are_messages(main_window, qtbot, server, monkeypatch):
    from gui.url_import import import_url
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warned.append(a[2])))
    assert not import_url(main_window, "ftp://example.org/a.docx")
    assert "不是网址" in warned[-1]
    done = []
    assert import_url(main_window, server + "/none", done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=15000)
    assert done == [None] and "404" in warned[-1]
