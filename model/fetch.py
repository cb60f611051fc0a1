"""Importing a report straight from its web page (issue 15, part 3).

``fetch_report(url)`` downloads the page with :mod:`urllib` and reads it with
the normal reader dispatch (:func:`model.importers.read_file`): the bytes are
written to a file in a private temporary folder (mode 0700), read, and the
folder deleted.  When the page is only a notice that links the report as an
attachment (``附件：…年度报告.pdf/.docx/.xlsx``) and holds no report table of
its own, the attachment is fetched instead.

Limits, on purpose:

* only ``http://`` and ``https://`` addresses, also after a redirect;
* at most :data:`MAX_REDIRECTS` redirects (a loop stops there);
* :data:`TIMEOUT` seconds for connecting and for each read, and
  :data:`TOTAL_TIME` seconds for the whole download (a server that trickles
  bytes is stopped);
* at most :data:`MAX_BYTES` (a declared ``Content-Length`` above it is refused
  before reading, a body that grows beyond it is cut off and refused);
* the page's encoding: the ``Content-Type`` header's charset when the bytes
  decode with it, else the page's ``<meta charset>``, else UTF-8, else GB18030
  (:func:`model.importers.html.decode_html`);
* one request a page (two when an attachment is followed); no cookies, no
  scripts, nothing else is sent.  System proxy settings are honoured, except
  for the loopback address.

Every failure raises :class:`FetchError` (a :class:`~model.errors.ReadError`)
with a Chinese sentence: offline, a name that does not resolve, a refused
connection, a timeout, an HTTP error, too large, too many redirects.
"""
from __future__ import annotations

import html.parser
import ipaddress
import os
import re
import shutil
import socket
import ssl
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from .errors import ReadError
from .importers.base import ImportResult

MAX_BYTES = 30 * 1024 * 1024
TIMEOUT = 15.0
TOTAL_TIME = 60.0
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
USER_AGENT = "Nianbao/1.0 (annual report checker)"
ATTACHMENT_SUFFIXES = (".docx", ".xlsx", ".pdf", ".doc", ".xls", ".wps", ".et", ".txt")
# what marks the page itself as the report: the first row of table 三
_REPORT_MARKERS = ("本年新收政府信息公开申请数量", "收到和处理政府信息公开申请情况")
_REPORT_WORDS = ("年度报告", "年报")

HTTP_REASONS = {400: "请求有误", 401: "需要登录", 403: "禁止访问", 404: "找不到网页", 410: "网页已删除",
                429: "访问过于频繁", 500: "网站内部错误", 502: "网关错误", 503: "网站暂时无法访问",
                504: "网关超时"}


class FetchError(ReadError):
    """A page could not be fetched; ``str(exc)`` is a Chinese sentence."""


def is_url(text: str) -> bool:
    return text.strip().lower().startswith(("http://", "https://"))


@dataclass
class Fetched:
    url: str                         # after redirects
    data: bytes
    content_type: str = ""           # e.g. text/html
    charset: str | None = None       # from the Content-Type header
    filename: str | None = None      # from Content-Disposition


# --------------------------------------------------------------------------
# Downloading
# --------------------------------------------------------------------------

def _check_url(url: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"只能导入 http:// 或 https:// 开头的网址，“{url}”不是。")
    if not parts.hostname:
        raise FetchError(f"网址“{url}”中没有网站地址（主机名）。")
    return parts


def _ascii_url(url: str) -> str:
    """The address as sent: a Chinese path or query percent-encoded (UTF-8), a Chinese host in IDNA."""
    parts = urllib.parse.urlsplit(url.strip())
    netloc = parts.netloc
    host = parts.hostname or ""
    if not host.isascii():
        try:
            netloc = netloc.replace(host, host.encode("idna").decode("ascii"))
        except UnicodeError:
            raise FetchError(f"网址“{url}”中的网站名称无效。") from None
    safe = "/:@!$&'()*+,;=%~-._"
    return urllib.parse.urlunsplit((parts.scheme, netloc, urllib.parse.quote(parts.path, safe=safe),
                                    urllib.parse.quote(parts.query, safe=safe + "?"), ""))


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS
    max_repeats = 2

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise FetchError(f"网页把请求转到了不支持的地址“{newurl}”（只支持 http:// 和 https://）。")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _opener(host: str) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [_Redirects()]
    if _loopback(host):
        handlers.append(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener(*handlers)


def _network_message(url: str, host: str, reason: object, timeout: float) -> str:
    if isinstance(reason, FetchError):
        return str(reason)
    if isinstance(reason, socket.gaierror):
        return (f"找不到网站“{host}”（域名无法解析）：请检查网址是否正确，或确认本机已经联网。")
    if isinstance(reason, ConnectionRefusedError):
        return f"网站“{host}”拒绝连接：该地址没有提供网页服务，请检查网址（含端口号）。"
    if isinstance(reason, TimeoutError):
        return f"连接网站“{host}”超时（{timeout:g} 秒内没有响应）：网络可能不通或网站太慢，请稍后再试。"
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return f"无法与“{host}”建立安全连接（HTTPS 证书或加密出错）：{reason}。"
    if isinstance(reason, ConnectionResetError):
        return f"网站“{host}”中断了连接，请稍后再试。"
    if isinstance(reason, OSError):
        return (f"无法连接网站“{host}”：本机可能没有联网，或网络不通"
                f"（{reason.strerror or reason}）。")
    return f"无法打开网址“{url}”：{reason}。"


def fetch(url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES,
          total_time: float = TOTAL_TIME) -> Fetched:
    """Download ``url`` within the limits of the module doc; raises :class:`FetchError`."""
    parts = _check_url(url)
    host = parts.hostname or ""
    req = urllib.request.Request(_ascii_url(url), headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    start = time.monotonic()
    try:
        resp = _opener(host).open(req, timeout=timeout)
    except urllib.error.HTTPError as e:
        e.close()
        loc = (e.headers.get("Location") or "") if e.headers is not None else ""
        if 300 <= e.code < 400 and loc and \
                urllib.parse.urlsplit(urllib.parse.urljoin(url, loc)).scheme.lower() not in ("http", "https"):
            raise FetchError(f"网页把请求转到了不支持的地址“{loc}”（只支持 http:// 和 https://）。") from None
        if 300 <= e.code < 400:
            raise FetchError(f"网页重定向次数过多（超过 {MAX_REDIRECTS} 次，可能是循环重定向），"
                             f"无法打开“{url}”。") from None
        reason = HTTP_REASONS.get(e.code, e.reason or "")
        raise FetchError(f"网站返回错误 {e.code}（{reason}），无法打开“{url}”："
                         "请检查网址是否正确。") from None
    except urllib.error.URLError as e:
        raise FetchError(_network_message(url, host, e.reason, timeout)) from None
    except FetchError:
        raise
    except (OSError, ValueError) as e:
        raise FetchError(_network_message(url, host, e, timeout)) from None
    try:
        headers: Message = resp.headers
        length = headers.get("Content-Length")
        if length and length.strip().isdigit() and int(length) > max_bytes:
            raise FetchError(f"网址上的文件太大（{int(length) / 1048576:.1f} MB，上限 "
                             f"{max_bytes / 1048576:g} MB），不像是年度报告，未下载。")
        chunks: list[bytes] = []
        got = 0
        while True:
            if time.monotonic() - start > total_time:
                raise FetchError(f"下载“{url}”超过 {total_time:g} 秒仍未完成，已停止：网站太慢，请稍后再试。")
            try:
                block = resp.read1(CHUNK) if hasattr(resp, "read1") else resp.read(CHUNK)
            except TimeoutError:
                raise FetchError(_network_message(url, host, TimeoutError(), timeout)) from None
            except OSError as e:
                raise FetchError(_network_message(url, host, e, timeout)) from None
            if not block:
                break
            got += len(block)
            if got > max_bytes:
                raise FetchError(f"网址上的文件太大（超过 {max_bytes / 1048576:g} MB），"
                                 "不像是年度报告，已停止下载。")
            chunks.append(block)
        final = resp.geturl() or url
        ctype = headers.get_content_type() if headers.get("Content-Type") else ""
        charset = headers.get_content_charset()
        filename = headers.get_filename()
    finally:
        resp.close()
    return Fetched(final, b"".join(chunks), ctype, charset, filename)


# --------------------------------------------------------------------------
# The page: encoding, attachment links
# --------------------------------------------------------------------------

def decode_page(data: bytes, header_charset: str | None) -> str:
    """The page's text: the header's charset when the bytes decode with it, else
    :func:`model.importers.html.decode_html` (BOM, meta charset, UTF-8, GB18030)."""
    from .importers.html import _norm_encoding, decode_html
    if header_charset and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        enc = _norm_encoding(header_charset)
        if enc:
            try:
                return data.decode(enc)
            except (UnicodeDecodeError, LookupError):
                pass
    return decode_html(data)


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []     # (href, link text, text just before)
        self._text: list[str] = []
        self._open: tuple[str, int] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self._open = (href, len(self._text))

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            href, at = self._open
            before = "".join(self._text[:at])[-40:]
            self.links.append((href, "".join(self._text[at:]).strip(), before))
            self._open = None

    def handle_data(self, data):
        self._text.append(data)

    def text(self) -> str:
        return "".join(self._text)


def _suffix(href: str) -> str:
    path = urllib.parse.urlsplit(href).path
    return os.path.splitext(urllib.parse.unquote(path))[1].lower()


def attachment_link(page: str, base_url: str) -> str | None:
    """The report attached to a notice page, or None when the page is the report itself
    (it holds table 三) or links no document that looks like a report."""
    parser = _Links()
    try:
        parser.feed(page)
        parser.close()
    except (AssertionError, ValueError):      # html.parser on badly broken markup
        pass
    compact = "".join(parser.text().split())
    if any(m in compact for m in _REPORT_MARKERS):
        return None
    best: tuple[int, str] | None = None
    for href, text, before in parser.links:
        suffix = _suffix(href) or os.path.splitext(text)[1].lower()
        if suffix not in ATTACHMENT_SUFFIXES:
            continue
        label = urllib.parse.unquote(href) + text
        score = 0
        if any(w in label for w in _REPORT_WORDS):
            score += 4
        if "附件" in before[-12:] or "附件" in text:
            score += 2
        if suffix in (".docx", ".xlsx", ".txt"):
            score += 1                          # readable as they are
        if score >= 4 and (best is None or score > best[0]):
            best = (score, urllib.parse.urljoin(base_url, href))
    return best[1] if best else None


# --------------------------------------------------------------------------
# Reading what was fetched
# --------------------------------------------------------------------------

_SAFE_NAME = re.compile(r"[^\w.\-\u4e00-\u9fff]+")
_CTYPE_SUFFIX = {"text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt",
                 "application/pdf": ".pdf",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
                 "application/msword": ".doc", "application/vnd.ms-excel": ".xls"}


_KNOWN_SUFFIXES = ATTACHMENT_SUFFIXES + (".html", ".htm", ".xhtml", ".nianbao")


def _file_name(f: Fetched, html: bool) -> str:
    """A safe local name for the download, its suffix from the address or the content type."""
    name = f.filename or os.path.basename(urllib.parse.unquote(urllib.parse.urlsplit(f.url).path))
    name = _SAFE_NAME.sub("_", name).strip("._")[-100:] or "网页"
    suffix = os.path.splitext(name)[1].lower()
    if html:
        return name if suffix in (".html", ".htm") else name + ".html"
    if suffix not in _KNOWN_SUFFIXES:
        name += _CTYPE_SUFFIX.get(f.content_type, "")
    return name


def _is_html(f: Fetched) -> bool:
    if f.content_type in ("text/html", "application/xhtml+xml"):
        return True
    if f.content_type in ("", "application/octet-stream", "text/plain"):
        from .importers import sniff
        return sniff(f.data[:8192], _suffix(f.url)) == "html"
    return False


def read_fetched(f: Fetched) -> ImportResult:
    """Read downloaded bytes with the normal reader dispatch (a private temporary file)."""
    from .importers import read_file
    data = f.data
    html = _is_html(f)
    if html:
        data = b"\xef\xbb\xbf" + decode_page(f.data, f.charset).encode("utf-8")
    folder = tempfile.mkdtemp(prefix="nianbao-url-")          # mode 0700
    try:
        path = Path(folder) / _file_name(f, html)
        path.write_bytes(data)
        res = read_file(path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    res.source_name = f.url
    return res


def fetch_report(url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES,
                 total_time: float = TOTAL_TIME) -> ImportResult:
    """The report at ``url``: the page itself, or the report it links as an attachment."""
    page = fetch(url, timeout=timeout, max_bytes=max_bytes, total_time=total_time)
    if _is_html(page):
        link = attachment_link(decode_page(page.data, page.charset), page.url)
        if link is not None:
            _check_url(link)
            att = fetch(link, timeout=timeout, max_bytes=max_bytes, total_time=total_time)
            res = read_fetched(att)
            res.source_name = att.url
            return res
    return read_fetched(page)
