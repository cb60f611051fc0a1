"""Import from a web page (issue 15, part 3), against a local HTTP server on 127.0.0.1 only:
a report page, a notice page with an attachment link, a redirect loop, a slow server, a
server that trickles, an oversized response, a wrongly declared encoding, 404, a refused
connection, a name that does not resolve; and the CLI ``import URL``."""
from __future__ import annotations

import io
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from model import fetch as F
from model.cli import main
from model.example import build
from model.render import render

REPORT = build()
REPORT_HTML = render(REPORT, "html")
REPORT_DOCX = render(REPORT, "docx")
NOTICE = """<html><head><meta charset="utf-8"><title>通知</title></head><body>
<h1>青岚县市场监督管理局2025年政府信息公开工作年度报告</h1>
<p>发布时间：2026-01-20</p>
<p>附件：<a href="/files/青岚2025年度报告.docx">青岚县市场监督管理局2025年度报告.docx</a></p>
<p><a href="/files/other.pdf">办事指南.pdf</a></p>
</body></html>"""
STOP = threading.Event()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:      # quiet
        pass

    def send(self, code: int, body: bytes, ctype: str, extra: dict | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        p = self.path
        if p == "/report.html":
            self.send(200, REPORT_HTML.encode("utf-8"), "text/html; charset=utf-8")
        elif p == "/gbk.html":
            # the header says utf-8, the page is GBK and its meta says gb2312
            body = REPORT_HTML.replace('charset="utf-8"', 'charset="gb2312"').encode("gbk")
            self.send(200, body, "text/html; charset=utf-8")
        elif p == "/gbk-undeclared.html":
            body = REPORT_HTML.replace('<meta charset="utf-8">', "").encode("gb18030")
            self.send(200, body, "text/html")
        elif p == "/notice.html":
            self.send(200, NOTICE.encode("utf-8"), "text/html; charset=utf-8")
        elif p.startswith("/files/") and p.endswith(".docx"):
            self.send(200, REPORT_DOCX, "application/octet-stream")
        elif p == "/loop":
            self.send(302, b"", "text/plain", {"Location": "/loop2"})
        elif p == "/loop2":
            self.send(302, b"", "text/plain", {"Location": "/loop"})
        elif p == "/to-file":
            self.send(302, b"", "text/plain", {"Location": "file:///etc/passwd"})
        elif p == "/moved":
            self.send(301, b"", "text/plain", {"Location": "/report.html"})
        elif p == "/slow":
            STOP.wait(5)
            self.send(200, b"late", "text/plain")
        elif p == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(100):
                    if STOP.wait(0.05):
                        break
                    self.wfile.write(b"x")
                    self.wfile.flush()
            except OSError:
                pass
        elif p == "/big":
            self.send(200, b"x" * 300_000, "text/html")
        elif p == "/big-undeclared":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"y" * 10_000)
            except OSError:
                pass
        elif p == "/pdf":
            self.send(200, b"%PDF-1.4\n%binary", "application/pdf")
        else:
            self.send(404, "没有这个网页".encode(), "text/plain; charset=utf-8")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    STOP.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    t = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        STOP.set()
        httpd.shutdown()
        httpd.server_close()
        t.join(5)


def test_reads_a_report_page(server):
    res = F.fetch_report(server + "/report.html", timeout=5)
    assert res.source_format == "html"
    assert res.report.agency == REPORT.agency and res.report.year == REPORT.year
    assert res.report.values == REPORT.values
    assert res.source_name == server + "/report.html"


def test_follows_the_attachment_link(server):
    res = F.fetch_report(server + "/notice.html", timeout=5)
    assert res.source_format == "docx"
    assert res.report.values == REPORT.values
    assert res.source_name.endswith(".docx")


def test_attachment_link_only_when_the_page_is_not_the_report():
    assert F.attachment_link(NOTICE, "http://x.test/a/b.html").endswith(".docx")
    page = REPORT_HTML.replace("</body>", '<p>附件：<a href="r.pdf">年度报告.pdf</a></p></body>')
    assert F.attachment_link(page, "http://x.test/") is None
    assert F.attachment_link('<a href="guide.pdf">办事指南</a>', "http://x.test/") is None


def test_follows_a_redirect(server):
    res = F.fetch_report(server + "/moved", timeout=5)
    assert res.report.agency == REPORT.agency


@pytest.mark.parametrize("path, words", [
    ("/loop", "重定向次数过多"),
    ("/to-file", "不支持的地址"),
    ("/nothing-here", "错误 404（找不到网页）"),
    ("/pdf", "PDF"),
])
def test_refusals_are_chinese_sentences(server, path, words):
    with pytest.raises(F.FetchError if path != "/pdf" else F.ReadError, match=words):
        F.fetch_report(server + path, timeout=5)


def test_slow_server_times_out(server):
    with pytest.raises(F.FetchError, match="超时"):
        F.fetch(server + "/slow", timeout=0.3)


def test_trickling_server_is_stopped(server):
    with pytest.raises(F.FetchError, match="已停止"):
        F.fetch(server + "/trickle", timeout=2, total_time=0.3)


def test_oversized_response(server):
    with pytest.raises(F.FetchError, match="太大"):
        F.fetch(server + "/big", max_bytes=100_000)
    with pytest.raises(F.FetchError, match="太大"):
        F.fetch(server + "/big-undeclared", max_bytes=100_000)


def test_wrong_encoding_declared(server):
    res = F.fetch_report(server + "/gbk.html", timeout=5)
    assert res.report.agency == REPORT.agency
    assert res.report.sections["overview"] == REPORT.sections["overview"]
    res = F.fetch_report(server + "/gbk-undeclared.html", timeout=5)
    assert res.report.agency == REPORT.agency


def test_header_charset_wins_when_it_decodes():
    data = "<html><head><meta charset='utf-8'></head><body>中文</body></html>".encode("gbk")
    assert "中文" in F.decode_page(data, "gbk")
    assert "中文" in F.decode_page(data, "utf-8")          # wrong header: falls back


def test_connection_refused():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(F.FetchError, match="拒绝连接"):
        F.fetch(f"http://127.0.0.1:{port}/", timeout=2)


def test_name_that_does_not_resolve(monkeypatch):
    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(F.FetchError, match="域名无法解析.*联网"):
        F.fetch("http://www.example.invalid/report.html", timeout=2)


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/a", "file:///etc/passwd", "javascript:alert(1)",
                                 "http:///nohost"])
def test_only_http_and_https(url):
    with pytest.raises(F.FetchError):
        F.fetch(url)


def test_temporary_files_are_removed(server, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    F.fetch_report(server + "/notice.html", timeout=5)
    assert list(tmp_path.iterdir()) == []


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(list(argv), out, err)
    except SystemExit as e:
        code = e.code
    return code, out.getvalue(), err.getvalue()


def test_cli_import_url(server, tmp_path):
    code, out, err = run("import", server + "/notice.html", "-o", str(tmp_path / "上年.nianbao"))
    assert code == 0, err
    assert "（docx）" in out and REPORT.agency in out
    assert (tmp_path / "上年.nianbao").exists()
    code, out, err = run("import", server + "/nothing-here")
    assert code == 2 and "404" in err and "Traceback" not in err


def test_cli_compare_urls(server):
    code, out, err = run("compare", server + "/report.html", server + "/notice.html")
    assert "重复率 100.0%" in out, err


def test_offline_is_said(monkeypatch):
    import errno

    def unreachable(*args, **kwargs):
        raise OSError(errno.ENETUNREACH, "Network is unreachable")
    monkeypatch.setattr(socket, "create_connection", unreachable)
    with pytest.raises(F.FetchError, match="本机可能没有联网"):
        F.fetch("http://127.0.0.1:9/report.html", timeout=2)
