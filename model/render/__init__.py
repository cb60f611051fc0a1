"""Publish-ready export: DOCX in the official layout, PDF, TXT, HTML and XLSX.

Every format is drawn from one template context (:mod:`.context`): the
wording and order of the document live in Jinja templates under
``templates/`` (a user folder may override them, rendered in the sandbox), the
table labels and layout come from :mod:`model.schema`.

Formats are a registry: each :class:`Renderer` declares once its id, file
suffixes, Chinese label, button text and render function; ``FORMATS``,
``FORMAT_IDS``, the window's file-dialog filters and export buttons and the CLI's
help are derived from it.  DOCX, TXT, HTML and XLSX are plain Python and
registered here; the PDF is drawn by Qt, so ``gui/renderers.py`` registers it
(``main.py`` and the window load it; ``model/`` never imports Qt).

``render(report, "docx")`` returns the document; ``export(report, path)``
checks that the report is publish-ready (no error-level findings), then writes
the file atomically; ``export_all`` writes every format into one folder under
the official file names.  A forced export (past errors) is marked as a draft
(``context["draft"]``).  Exporting marks nothing as final.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import RenderError
from ..files import write_file
from ..findings import Finding, Severity
from ..report import Report
from .context import DRAFT_MARK, build_context, export_notices
from .context import title as official_title

# render(report, context, template_dir=..., reference_docx=...) -> bytes | str
RenderFunction = Callable[..., "bytes | str"]


@dataclass(frozen=True)
class Renderer:
    """One export format, declared once."""
    id: str                           # "docx"
    suffixes: tuple[str, ...]         # (".docx",): the first is the one written
    label: str                        # file-dialog name: "Word 文档"
    render: RenderFunction
    button: str = ""                  # the 检查与导出 step's button: "导出 Word"
    order: int = 100                  # place in menus and lists

    @property
    def suffix(self) -> str:
        return self.suffixes[0]


RENDERERS: dict[str, Renderer] = {}
# derived from RENDERERS (kept up to date by register_renderer):
FORMATS: dict[str, tuple[str, str]] = {}          # suffix -> (format id, label)
FORMAT_IDS: tuple[str, ...] = ()

# formats drawn outside model/: what to say when one is asked for but not registered
NOT_LOADED = {
    ".pdf": "导出 PDF 需要由 Qt 绘制页面，当前运行方式没有加载 PDF 导出组件"
            "（请用 uv run main.py render … 运行，或在窗口中导出）。",
}


def register_renderer(renderer: Renderer) -> None:
    """Add (or replace) a format; FORMATS and FORMAT_IDS follow."""
    global FORMAT_IDS
    for s in renderer.suffixes:
        if not s.startswith(".") or s != s.lower():
            raise ValueError(f"suffix must be lower case with a dot: {s!r}")
    RENDERERS[renderer.id] = renderer
    ordered = sorted(RENDERERS.values(), key=lambda r: r.order)
    FORMATS.clear()
    for r in ordered:
        for s in r.suffixes:
            FORMATS[s] = (r.id, r.label)
    FORMAT_IDS = tuple(r.id for r in ordered)


def renderers() -> list[Renderer]:
    """The registered formats in their order."""
    return sorted(RENDERERS.values(), key=lambda r: r.order)


def renderer_for(fmt: str) -> Renderer:
    r = RENDERERS.get(fmt)
    if r is None:
        if "." + fmt in NOT_LOADED:
            raise RenderError(NOT_LOADED["." + fmt])
        raise RenderError(f"不支持的导出格式“{fmt}”，可用的格式：{'、'.join(FORMAT_IDS)}。")
    return r


def _render_txt(report: Report, context: dict[str, Any], template_dir: Path | None = None,
                reference_docx: Path | None = None) -> str:
    from .txt import render_txt
    return render_txt(context, template_dir)


def _render_html(report: Report, context: dict[str, Any], template_dir: Path | None = None,
                 reference_docx: Path | None = None) -> str:
    from .html import render_html
    return render_html(context, template_dir)


def _render_docx(report: Report, context: dict[str, Any], template_dir: Path | None = None,
                 reference_docx: Path | None = None) -> bytes:
    from .docx_writer import write_docx
    from .env import render_template
    markup = render_template("docx", context, template_dir)
    return write_docx(markup, context, reference_docx)


def _render_xlsx(report: Report, context: dict[str, Any], template_dir: Path | None = None,
                 reference_docx: Path | None = None) -> bytes:
    from .xlsx import write_xlsx
    return write_xlsx(report, context)


register_renderer(Renderer("docx", (".docx",), "Word 文档", _render_docx, "导出 Word", 10))
register_renderer(Renderer("txt", (".txt",), "纯文本", _render_txt, "导出文本", 20))
register_renderer(Renderer("html", (".html", ".htm"), "网页", _render_html, "导出网页", 30))
register_renderer(Renderer("xlsx", (".xlsx",), "Excel 工作簿", _render_xlsx, "导出 Excel", 40))


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
        if suffix in NOT_LOADED:
            raise RenderError(NOT_LOADED[suffix])
        known = "、".join(FORMATS)
        shown = suffix or "（无扩展名）"
        raise RenderError(f"不支持导出为“{shown}”格式的文件，请使用以下扩展名之一：{known}。")
    return FORMATS[suffix][0]


def render_context(report: Report, draft: bool | str = False) -> dict[str, Any]:
    """The template context; ``draft`` (true, or the mark's text) marks a forced export:
    ``context["draft"]`` is then true and ``context["draft_mark"]`` the mark (草稿)."""
    context = build_context(report, draft=bool(draft))
    mark = draft if isinstance(draft, str) and draft else (DRAFT_MARK if draft else "")
    context["draft"] = bool(draft)
    context["draft_mark"] = mark
    return context


def render(report: Report, fmt: str, *, template_dir: Path | None = None,
           reference_docx: Path | None = None, draft: bool | str = False) -> bytes | str:
    """The report as ``fmt``: ``str`` for "txt"/"html", ``bytes`` for "docx"/"xlsx"/"pdf"."""
    renderer = renderer_for(fmt)
    report = _writable(report)
    context = render_context(report, draft)
    return renderer.render(report, context, template_dir=template_dir, reference_docx=reference_docx)


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
    """Write an export atomically (:func:`model.files.write_file`); a failure is a RenderError."""
    write_file(path, data, RenderError)


def _gate(report: Report, force: bool) -> tuple[list[Finding], bool]:
    """(the errors, whether the document goes out as a draft): a forced export past errors, or
    one whose errors could not be checked, is a draft."""
    try:
        blockers = publish_blockers(report)
    except RenderError:
        if not force:
            raise
        return [], True
    if blockers and not force:
        raise NotPublishReady(blockers)
    return blockers, bool(blockers)


def export(report: Report, path: Path, *, force: bool = False, template_dir: Path | None = None,
           reference_docx: Path | None = None) -> list[Finding]:
    """Check, render and write ``report`` to ``path`` (format from the suffix).

    Raises :class:`NotPublishReady` when the report has error-level findings and
    ``force`` is false; with ``force`` it writes anyway (marked as a draft) and
    returns them.
    """
    path = Path(path)
    fmt = format_for_path(path)
    blockers, draft = _gate(report, force)
    data = render(report, fmt, template_dir=template_dir, reference_docx=reference_docx, draft=draft)
    write_atomic(path, data)
    return blockers


def official_file_name(report: Report, fmt: str) -> str:
    """``{机关}{YYYY}年政府信息公开工作年度报告.docx``: the official title, safe as a file name."""
    from .context import one_line
    name = official_title(one_line(report.agency), report.year)
    for ch in '\\/:*?"<>|\t\r\n':
        name = name.replace(ch, "_")
    name = name.strip(" .") or "政府信息公开工作年度报告"
    return name + renderer_for(fmt).suffix


def export_all(report: Report, folder: Path, *, force: bool = False, template_dir: Path | None = None,
               reference_docx: Path | None = None,
               formats: tuple[str, ...] | None = None) -> tuple[list[Path], list[Finding]]:
    """Every format (or ``formats``) into ``folder`` under the official file names.

    One publish-ready gate for all; every file is rendered before the first is
    written, so a failing format leaves the folder as it was.  Returns the
    written paths and, with ``force``, the errors exported past.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise RenderError(f"文件夹“{folder}”不存在，请先建立或另选一个文件夹。")
    blockers, draft = _gate(report, force)
    ids = formats if formats is not None else FORMAT_IDS
    outputs: list[tuple[Path, bytes | str]] = []
    for fmt in ids:
        data = render(report, fmt, template_dir=template_dir, reference_docx=reference_docx,
                      draft=draft)
        outputs.append((folder / official_file_name(report, fmt), data))
    for path, data in outputs:
        write_atomic(path, data)
    return [p for p, _ in outputs], blockers


__all__ = ["DRAFT_MARK", "FORMATS", "FORMAT_IDS", "NotPublishReady", "RENDERERS", "RenderError",
           "Renderer", "export", "export_all", "export_notices", "format_for_path", "official_file_name",
           "publish_blockers", "register_renderer", "render", "render_context", "renderer_for",
           "renderers", "write_atomic"]
