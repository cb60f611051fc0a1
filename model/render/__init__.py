"""Publish-ready export: DOCX in the official layout, TXT, HTML and XLSX.

Every format is drawn from one template context (:mod:`.context`): the
wording and order of the document live in Jinja templates under
``templates/`` (a user folder may override them, rendered in the sandbox), the
table labels and layout come from :mod:`model.schema`.

``render(report, "docx")`` returns the document; ``export(report, path)``
checks that the report is publish-ready (no error-level findings), then writes
the file atomically.  Exporting marks nothing as final.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import RenderError, os_reason
from ..files import make_temp, remove_stale_temps
from ..findings import Finding, Severity
from ..report import Report
from .context import build_context

# suffix -> (format id, description for file dialogs)
FORMATS: dict[str, tuple[str, str]] = {
    ".docx": ("docx", "Word 文档"),
    ".txt": ("txt", "纯文本"),
    ".html": ("html", "网页"),
    ".htm": ("html", "网页"),
    ".xlsx": ("xlsx", "Excel 工作簿"),
}
FORMAT_IDS: tuple[str, ...] = ("docx", "txt", "html", "xlsx")


class NotPublishReady(RenderError):
    """The report still has error-level findings; ``findings`` lists them."""

    def __init__(self, findings: list[Finding]):
        self.findings = list(findings)
        lines = [f"报告还有 {len(self.findings)} 处错误，尚不能作为可发布的文稿导出："]
        for f in self.findings:
            lines.append(f"· [{f.rule}] {f.message}")
        lines.append("请先改正这些错误；如确需导出草稿，可选择“仍然导出”（命令行加 --force）。")
        super().__init__("\n".join(lines))


def format_for_path(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = "、".join(FORMATS)
        shown = suffix or "（无扩展名）"
        raise RenderError(f"不支持导出为“{shown}”格式的文件，请使用以下扩展名之一：{known}。")
    return FORMATS[suffix][0]


def render(report: Report, fmt: str, *, template_dir: Path | None = None,
           reference_docx: Path | None = None) -> bytes | str:
    """The report as ``fmt``: ``str`` for "txt"/"html", ``bytes`` for "docx"/"xlsx"."""
    report = _writable(report)
    context = build_context(report)
    if fmt == "txt":
        from .txt import render_txt
        return render_txt(context, template_dir)
    if fmt == "html":
        from .html import render_html
        return render_html(context, template_dir)
    if fmt == "docx":
        from .docx_writer import write_docx
        from .env import render_template
        markup = render_template("docx", context, template_dir)
        return write_docx(markup, context, reference_docx)
    if fmt == "xlsx":
        from .xlsx import write_xlsx
        return write_xlsx(report, context)
    raise RenderError(f"不支持的导出格式“{fmt}”，可用的格式：{'、'.join(FORMAT_IDS)}。")


def _writable(report: Report) -> Report:
    """``report`` as every writer can hold it: no control characters, no text beyond the bounds."""
    from ..sanitize import MAX_SECTION_CHARS, clean_report
    for text in report.sections.values():
        if len(text) > MAX_SECTION_CHARS:
            raise RenderError(f"正文的一部分有 {len(text)} 字，超过每部分 {MAX_SECTION_CHARS} 字的上限，"
                              "无法导出。请删去多余的内容（可能是误粘贴）后再导出。")
    probe = report.copy()
    return probe if clean_report(probe) else report


def publish_blockers(report: Report) -> list[Finding]:
    """The error-level findings that keep the report from being publish-ready."""
    try:
        from ..rules import publish_blockers as _blockers
    except ImportError as exc:
        raise RenderError("检查模块不可用，无法确认报告是否可以发布。") from exc
    return [f for f in _blockers(report) if f.severity is Severity.ERROR]


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise RenderError(f"无法保存到“{path}”：文件夹“{folder}”不存在。")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = make_temp(path)            # named after this process (issue 14 item 14)
    except OSError as exc:
        raise RenderError(f"无法保存到“{path}”：{os_reason(exc)}（请检查文件夹是否可写）。") from exc
    try:
        os.chmod(tmp, (path.stat().st_mode & 0o777) if path.exists() else 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        remove_stale_temps(path)             # left by an export that was killed half-way
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        hint = "文件可能正在被其他程序（如 Word、WPS、Excel）打开" if isinstance(exc, PermissionError) \
            else "请检查磁盘空间和文件夹权限"
        raise RenderError(f"无法保存到“{path}”：{os_reason(exc)}。{hint}。") from exc


def export(report: Report, path: Path, *, force: bool = False, template_dir: Path | None = None,
           reference_docx: Path | None = None) -> list[Finding]:
    """Check, render and write ``report`` to ``path`` (format from the suffix).

    Raises :class:`NotPublishReady` when the report has error-level findings and
    ``force`` is false; with ``force`` it writes anyway and returns them.
    """
    path = Path(path)
    fmt = format_for_path(path)
    try:
        blockers = publish_blockers(report)
    except RenderError:
        if not force:
            raise
        blockers = []
    if blockers and not force:
        raise NotPublishReady(blockers)
    data = render(report, fmt, template_dir=template_dir, reference_docx=reference_docx)
    write_atomic(path, data)
    return blockers


__all__ = ["FORMATS", "FORMAT_IDS", "NotPublishReady", "RenderError", "export", "format_for_path",
           "publish_blockers", "render", "write_atomic"]
