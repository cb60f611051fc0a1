"""Export through the core, and the 检查与导出 step.

:func:`export_report` asks where to save (Word / PDF / 文本 / 网页 / Excel, from
the ``model.render`` registry), passes the publish-ready gate (the errors are
listed and the clerk must confirm to export anyway), writes the file in a worker
thread with a busy indicator, and offers to open the folder.
:func:`export_all_formats` writes every format into one chosen folder under the
official file names.  :class:`ReviewPage` sums up the findings, previews the
rendered report (HTML) and has the export, export-all and print-preview buttons.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import SIGNAL, QTimer, QUrl, Qt, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton,
    QSplitter, QTabWidget, QTextBrowser, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from model import render
from model.importers import format_names
from model.errors import NianbaoError
from model.findings import Finding, Severity

from . import renderers as _renderers  # registers the PDF format
from .import_dialog import SEVERITY_COLORS, fill_findings_tree, make_findings_tree, run_and_wait
from .settings import Settings

_renderers.register()

EXPORT_ALL_TEXT = "全部格式导出…"
PREVIEW_DEBOUNCE_MS = 400
CHART_HINT_NO_BASELINE = ("没有上年报告，无法对比。可通过“文件 → 导入上年报告”读取上年的报告"
                          f"（{format_names()}）。")
CHART_HINT = "上年与本年的主要数字（申请、办理结果、复议诉讼）。可导出为图片用于汇报材料。"


def _preview_error(exc: Exception) -> str:
    """The preview's Chinese message (a template's RenderError says what it refused)."""
    from .background import default_error
    return str(exc) if isinstance(exc, NianbaoError) else default_error(exc)


def format_buttons() -> dict[str, str]:
    """format id -> the 检查与导出 button's text, from the registry."""
    return {r.id: r.button or f"导出 {r.id.upper()}" for r in render.renderers()}


def format_filters() -> list[tuple[str, str, str]]:
    """(format id, main suffix, file-dialog filter) in the registry's order."""
    return [(r.id, r.suffix, f"{r.label} ({' '.join('*' + s for s in r.suffixes)})")
            for r in render.renderers()]


def default_file_name(report) -> str:
    title = report.title.strip() or "政府信息公开工作年度报告"
    for ch in '\\/:*?"<>|':
        title = title.replace(ch, "_")
    return title


def ask_export_path(parent, doc, fmt: str | None) -> Path | None:
    """The save dialog; returns a path whose suffix is a supported format."""
    filters = format_filters()
    chosen = next((f for f in filters if f[0] == fmt), filters[0])
    folder = doc.path.parent if doc.path is not None else Path.home()
    start = str(folder / (default_file_name(doc.report) + chosen[1]))
    filter_str = ";;".join(f[2] for f in filters)
    from .filedialogs import save_file        # starts in the folder the last export went to
    settings = getattr(parent, "settings", None) or getattr(getattr(parent, "window", lambda: None)(),
                                                            "settings", None)
    path, selected = save_file(parent, "导出报告", start, filter_str, settings, "export", chosen[2])
    if not path:
        return None
    p = Path(path)
    if p.suffix.lower() not in render.FORMATS:
        by_filter = next((f for f in filters if f[2] == selected), chosen)
        p = p.with_name(p.name + by_filter[1])
    return p


class GateDialog(QDialog):
    """The report still has errors: list them; 仍然导出 or 取消."""

    def __init__(self, parent, blockers: list[Finding]) -> None:
        super().__init__(parent)
        self.setWindowTitle("报告还有错误")
        self.resize(720, 420)
        head = QLabel(f"报告还有 {len(blockers)} 处错误，尚不是可以发布的文稿。"
                      "建议先改正；如确需导出草稿（例如送审），可以仍然导出，导出的文稿会标明“草稿”。")
        head.setWordWrap(True)
        self.tree = make_findings_tree()
        fill_findings_tree(self.tree, blockers)
        buttons = QDialogButtonBox()
        self.force_button = buttons.addButton("仍然导出", QDialogButtonBox.AcceptRole)
        self.cancel_button = buttons.addButton("取消", QDialogButtonBox.RejectRole)
        # Enter, or Space on the focused button, cancels: 仍然导出 is never the default
        self.force_button.setAutoDefault(False)
        self.cancel_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(self.tree, 1)
        lay.addWidget(buttons)
        self.cancel_button.setFocus()


def confirm_export_anyway(parent, blockers: list[Finding]) -> bool:
    """Ask whether to export a report that still has errors."""
    return GateDialog(parent, blockers).exec() == QDialog.Accepted


def show_export_done(parent, path: Path) -> None:
    """Tell where the file went; offer to open its folder."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Information)
    box.setWindowTitle("导出完成")
    box.setText(f"已导出到：\n{path}")
    open_button = box.addButton("打开所在文件夹", QMessageBox.ActionRole)
    box.addButton("确定", QMessageBox.AcceptRole)
    box.exec()
    if box.clickedButton() is open_button:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


def show_export_error(parent, message: str) -> None:
    QMessageBox.critical(parent, "导出失败", message)


def settings_for(widget, settings: Settings | None = None) -> Settings:
    """The given settings, else the window's (``MainWindow.settings``), else the user's."""
    if settings is not None:
        return settings
    win = widget.window() if isinstance(widget, QWidget) else None
    found = getattr(win, "settings", None)
    return found if isinstance(found, Settings) else Settings()


def render_options(settings: Settings) -> tuple[Path | None, Path | None]:
    """(template folder, reference DOCX) from the settings, each ``None`` when missing."""
    template_dir = settings.template_folder
    if template_dir is not None and not template_dir.is_dir():
        template_dir = None
    reference = settings.reference_docx
    if reference is not None and not reference.is_file():
        reference = None
    return template_dir, reference


def ask_export_folder(parent, doc) -> Path | None:
    folder = doc.path.parent if doc.path is not None else Path.home()
    chosen = QFileDialog.getExistingDirectory(parent, "全部格式导出到文件夹", str(folder))
    return Path(chosen) if chosen else None


def show_export_all_done(parent, folder: Path, paths: list[Path]) -> None:
    """List what was written; offer to open the folder."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Information)
    box.setWindowTitle("导出完成")
    names = "\n".join(p.name for p in paths)
    box.setText(f"已导出 {len(paths)} 个文件到：\n{folder}\n\n{names}")
    open_button = box.addButton("打开所在文件夹", QMessageBox.ActionRole)
    box.addButton("确定", QMessageBox.AcceptRole)
    box.exec()
    if box.clickedButton() is open_button:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def export_all_formats(parent, doc, settings: Settings | None = None) -> list[Path] | None:
    """Every format into one chosen folder under the official file names; the paths, or ``None``."""
    folder = ask_export_folder(parent, doc)
    if folder is None:
        return None
    report = doc.report.copy()
    try:
        blockers = render.publish_blockers(report)
    except NianbaoError as exc:
        show_export_error(parent, str(exc))
        return None
    if blockers and not confirm_export_anyway(parent, blockers):
        return None
    existing = [folder / render.official_file_name(report, f) for f in render.FORMAT_IDS]
    existing = [p for p in existing if p.exists()]
    if existing:
        answer = QMessageBox.question(
            parent, "覆盖已有文件",
            f"文件夹中已有 {len(existing)} 个同名文件（如“{existing[0].name}”），要覆盖吗？",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer != QMessageBox.Yes:
            return None
    template_dir, reference = render_options(settings_for(parent, settings))

    def work():
        return render.export_all(report, folder, force=bool(blockers), template_dir=template_dir,
                                 reference_docx=reference)

    value, error = run_and_wait(parent, f"正在导出全部格式到“{folder.name or folder}”…", work)
    if error:
        show_export_error(parent, error)
        return None
    paths = value[0]
    show_export_all_done(parent, folder, paths)
    return paths


def export_report(parent, doc, fmt: str | None = None,
                  settings: Settings | None = None) -> Path | None:
    """Export ``doc.report``; the written path, or ``None`` when cancelled or failed."""
    path = ask_export_path(parent, doc, fmt)
    if path is None:
        return None
    report = doc.report.copy()          # the worker gets a snapshot; editing may go on
    try:
        blockers = render.publish_blockers(report)
    except NianbaoError as exc:
        show_export_error(parent, str(exc))
        return None
    force = False
    if blockers:
        if not confirm_export_anyway(parent, blockers):
            return None
        force = True

    template_dir, reference = render_options(settings_for(parent, settings))

    def work():
        return render.export(report, path, force=force, template_dir=template_dir,
                             reference_docx=reference)

    _value, error = run_and_wait(parent, f"正在导出“{path.name}”…", work)
    if error:
        show_export_error(parent, error)
        return None
    show_export_done(parent, path)
    return path


# ---------------------------------------------------------------------------
# 检查与导出
# ---------------------------------------------------------------------------

class ReviewPage(QWidget):
    """Summary of the findings, the HTML preview and the export buttons."""

    activated = Signal(Finding)         # a finding was double-clicked: jump to it
    exported = Signal(Path)
    chart_exported = Signal(Path)
    previewShown = Signal()             # a rendered preview (or its error) is shown

    def __init__(self, doc, parent: QWidget | None = None, settings: Settings | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.settings = settings
        self._preview_dirty = True
        self._summary_dirty = True

        heading = QLabel("检查与导出")
        f = QFont(heading.font())
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        heading.setFont(f)

        self.count_labels: dict[Severity, QLabel] = {}
        counts = QHBoxLayout()
        for sev in Severity:
            lab = QLabel()
            lab.setStyleSheet(f"color: {SEVERITY_COLORS[sev]}; font-weight: bold;")
            self.count_labels[sev] = lab
            counts.addWidget(lab)
            counts.addSpacing(16)
        counts.addStretch(1)
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.export_buttons: dict[str, QPushButton] = {}
        buttons = QHBoxLayout()
        texts = format_buttons()
        for fmt, _suffix, _flt in format_filters():
            b = QPushButton(texts[fmt])
            b.clicked.connect(lambda _=False, fm=fmt: self.export(fm))
            self.export_buttons[fmt] = b
            buttons.addWidget(b)
        self.export_all_button = QPushButton(EXPORT_ALL_TEXT)
        self.export_all_button.setToolTip("把 Word、PDF、网页、Excel、文本一次导出到选定的文件夹，"
                                          "文件名为“机关+年度+政府信息公开工作年度报告”")
        self.export_all_button.clicked.connect(self.export_all)
        buttons.addWidget(self.export_all_button)
        self.print_preview_button = QPushButton("打印预览…")
        self.print_preview_button.setToolTip("按 PDF 的分页预览并打印")
        self.print_preview_button.clicked.connect(self.print_preview)
        buttons.addWidget(self.print_preview_button)
        buttons.addStretch(1)

        self.tree = make_findings_tree()
        self.tree.itemActivated.connect(self._item_activated)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel("全部问题（双击跳到相应位置）："))
        ll.addWidget(self.tree, 1)

        self.preview = QTextBrowser()
        self._preview_job = None            # gui.background.Worker rendering the preview
        self._preview_again = False
        self.preview_busy = QLabel()
        self.preview_busy.setStyleSheet("color: #757575;")
        self.preview_busy.hide()
        self.preview.setOpenExternalLinks(False)
        self.preview.setOpenLinks(False)
        # the chart tab is filled when first shown (QtSvg is loaded then)
        self.chart_tab = QWidget()
        self.chart_view = None
        self.chart_hint = QLabel()
        self.chart_hint.setWordWrap(True)
        self.chart_png_button = QPushButton("导出图表 PNG…")
        self.chart_png_button.setToolTip("把对比图保存为 PNG 图片（2 倍分辨率，白色背景）")
        self.chart_png_button.clicked.connect(self.export_chart_png)
        self._chart_layout = QVBoxLayout(self.chart_tab)
        self._chart_layout.addWidget(self.chart_hint)
        crow = QHBoxLayout()
        crow.addStretch(1)
        crow.addWidget(self.chart_png_button)
        self._chart_layout.addLayout(crow)
        self._chart_dirty = True

        self.tabs = QTabWidget()
        self.tabs.addTab(self.preview, "导出效果预览")
        self.tabs.addTab(self.chart_tab, "与上年对比")
        self.tabs.currentChanged.connect(self._tab_changed)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.preview_busy)
        rl.addWidget(self.tabs, 1)

        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)

        lay = QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addLayout(counts)
        lay.addWidget(self.status)
        lay.addLayout(buttons)
        lay.addWidget(split, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DEBOUNCE_MS)
        self._timer.timeout.connect(self._refresh_visible)
        doc.findingsChanged.connect(self._changed)
        doc.reportReplaced.connect(self._changed)
        self.refresh_summary()

    # ------------------------------------------------------------------
    def _changed(self) -> None:
        self._preview_dirty = True
        self._chart_dirty = True
        if self.isVisible():
            self.refresh_summary()
            self._timer.start()
        else:
            self._summary_dirty = True      # filled when the step is shown again

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._summary_dirty:
            self.refresh_summary()
        self._refresh_visible()

    def _tab_changed(self, _index: int) -> None:
        self._refresh_visible()

    def _refresh_visible(self) -> None:
        """Refresh the shown tab if it is out of date (the hidden one waits until shown)."""
        self._timer.stop()
        if self.tabs.currentWidget() is self.chart_tab:
            if self._chart_dirty or self.chart_view is None:
                self.refresh_chart()
        elif self._preview_dirty:
            self.refresh_preview()

    # ------------------------------------------------------------------
    # 与上年对比
    # ------------------------------------------------------------------
    def chart_svg(self) -> str:
        from model.chart import year_on_year_svg
        return year_on_year_svg(self.doc.report)

    def refresh_chart(self) -> None:
        from .chart import ChartView
        if self.chart_view is None:
            self.chart_view = ChartView()
            self._chart_layout.insertWidget(1, self.chart_view, 1)
        self._chart_dirty = False
        has_base = self.doc.report.baseline is not None
        self.chart_view.set_svg(self.chart_svg())
        self.chart_hint.setText(CHART_HINT if has_base else CHART_HINT_NO_BASELINE)
        self.chart_png_button.setEnabled(has_base)

    def show_chart(self) -> None:
        self.tabs.setCurrentWidget(self.chart_tab)
        self.refresh_chart()

    def export_chart_png(self) -> Path | None:
        """Ask where to save the chart as a PNG, and write it."""
        from .chart import save_chart_png
        report = self.doc.report
        folder = self.doc.path.parent if self.doc.path is not None else Path.home()
        start = str(folder / f"{default_file_name(report)}-与上年对比.png")
        name, _ = QFileDialog.getSaveFileName(self, "导出图表", start, "PNG 图片 (*.png)")
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != ".png":
            path = path.with_name(path.name + ".png")
        try:
            save_chart_png(self.chart_svg(), path)
        except (OSError, ValueError) as exc:
            QMessageBox.critical(self, "导出图表失败", str(exc) if isinstance(exc, OSError)
                                 else "无法生成图表。")
            return None
        self.chart_exported.emit(path)
        win = self.window()
        bar = getattr(win, "statusBar", None)
        if callable(bar):
            bar().showMessage(f"图表已导出到 {path}", 8000)
        return path

    def counts(self) -> dict[Severity, int]:
        out = {s: 0 for s in Severity}
        for fd in self.doc.findings:
            out[fd.severity] += 1
        return out

    def refresh_summary(self) -> None:
        self._summary_dirty = False
        c = self.counts()
        for sev, lab in self.count_labels.items():
            lab.setText(f"{sev.label} {c[sev]}")
        if c[Severity.ERROR]:
            self.status.setText(f"还有 {c[Severity.ERROR]} 处错误，改正后才是可以发布的文稿；"
                                "警告和提示请逐条核对。")
        elif c[Severity.WARNING]:
            self.status.setText("没有错误，可以导出。还有警告，请逐条核对后再发布。")
        else:
            self.status.setText("没有发现问题，可以导出发布。")
        notices = render.export_notices(self.doc.report)
        if notices:
            self.status.setText(" ".join([self.status.text(), *notices]))
        fill_findings_tree(self.tree, self.doc.findings)
        if not self.doc.findings:
            self.tree.addTopLevelItem(QTreeWidgetItem(["", "", "没有发现问题。"]))

    def refresh_preview(self) -> None:
        """Render the preview off the GUI thread (a slow user template never freezes the
        window); the result is shown when it arrives, unless the report changed meanwhile
        (then the newest state is rendered next).  One render runs at a time."""
        self._timer.stop()
        self._preview_dirty = False
        if self._preview_job is not None and self._preview_job.running:
            self._preview_again = True          # rendered again when the one running ends
            return
        self._preview_again = False
        s = settings_for(self, self.settings)
        template_dir = s.template_folder
        if template_dir is not None and not template_dir.is_dir():
            template_dir = None
        report = self.doc.report.copy()        # the worker gets a snapshot; editing goes on
        from .background import start_in_thread
        self.preview_busy.setText("正在生成预览…")
        self.preview_busy.show()

        def work() -> str:
            return render.render(report, "html", template_dir=template_dir)

        self._preview_job = start_in_thread(work, self._preview_done, _preview_error, owner=self)

    def preview_pending(self) -> bool:
        """A preview is being rendered (or waits to be)."""
        return self._preview_job is not None and self._preview_job.running

    def _preview_done(self, html: str | None, error: str | None) -> None:
        self._preview_job = None
        if self._preview_again:
            self.refresh_preview()              # the report changed while this one rendered
            return
        self.preview_busy.hide()
        bar = self.preview.verticalScrollBar()
        pos = bar.value()
        if error is not None or html is None:
            self.preview.setPlainText(f"无法生成预览：{error}")
        else:
            self.preview.setHtml(html)
            bar.setValue(pos)
        self.previewShown.emit()

    def _item_activated(self, item: QTreeWidgetItem) -> None:
        fd = item.data(0, Qt.UserRole)
        if isinstance(fd, Finding):
            self.activated.emit(fd)
            if not self.receivers(SIGNAL("activated(PyObject)")):
                # nobody listens: ask the window directly (MainWindow.jump_to_finding)
                jump = getattr(self.window(), "jump_to_finding", None)
                if callable(jump):
                    jump(fd)

    def export(self, fmt: str) -> Path | None:
        path = export_report(self, self.doc, fmt, self.settings)
        if path is not None:
            self.exported.emit(path)
        return path

    def export_all(self) -> list[Path] | None:
        paths = export_all_formats(self, self.doc, self.settings)
        if paths:
            for p in paths:
                self.exported.emit(p)
        return paths

    def print_preview(self):
        from .print_preview import open_print_preview
        return open_print_preview(self, self.doc)
