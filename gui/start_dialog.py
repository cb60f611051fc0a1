"""The first screen: what would you like to do?

Big buttons with a line of explanation each — restore autosaved work (when a
crash left some), start a new report, start from last year's report, open a
file, open the built-in example — and the recent files beside.  After
``exec()``, :meth:`StartDialog.result_report` gives ``(report, path)`` or ``None``.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QComboBox, QCommandLinkButton, QDialog, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSpinBox,
    QStackedWidget, QVBoxLayout, QWidget,
)

from model import paths
from model.importers import FILE_FILTER, format_names

from . import early
from .autosave import PROJECT_SUFFIX, AutosaveInfo
from .settings import Settings

# Before its first paint the start screen touches neither PySide6's ``Qt`` namespace
# (gui.early) nor QMessageBox / QFileDialog, nor the project files module and the
# schema: they are needed once the clerk acts, and are loaded right after the first
# paint (:meth:`StartDialog.ready`).
if TYPE_CHECKING:  # pragma: no cover
    from model.report import Report

PATH_ROLE = early.USER_ROLE         # a recent file's path
FOREGROUND_ROLE = early.FOREGROUND_ROLE

OPEN_FILTER = FILE_FILTER           # one list of readers: model.importers.READERS

FIRST_YEAR = 2019

FOCUS_STYLE = ("QCommandLinkButton:focus, QPushButton:focus { border: 2px solid #1565c0;"
               " border-radius: 3px; }")

# the preview's button for each way of starting
NEXT_YEAR_CHOICE = ("next_year", "从这份报告开始本年报告(&S)",
                    "沿用机关信息和正文草稿，结转上年数字，开始新一年的报告。")
OPEN_CHOICE = ("open", "打开(&O)", "打开读到的报告，继续编辑和检查。")


def default_year(today: date | None = None) -> int:
    """Reports are written in January for the year just ended."""
    return (today or date.today()).year - 1


def _big_button(title: str, description: str) -> QCommandLinkButton:
    b = QCommandLinkButton(title, description)
    b.setAutoDefault(False)          # Enter in the new-report form submits the form
    b.setMinimumHeight(64)
    b.setIconSize(QSize(0, 0))
    return b


class StartDialog(QDialog):
    """Choose how to start; the dialog loads the report itself."""

    def __init__(self, parent: QWidget | None, recent_files: list[Path],
                 autosave: AutosaveInfo | None, settings: Settings | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else Settings()
        self.autosave = autosave
        self.recent_files = [Path(p) for p in recent_files]
        self._result: tuple[Report, Path | None] | None = None
        self._kind: str | None = None
        self._busy = False
        self.read_job = None            # the read under way (gui.background.BackgroundJob)
        self.preview_dialog = None      # the preview being shown
        self.setWindowTitle("年报 — 开始")
        self._ready = False
        self._painted = False
        self._unavailable: list[QListWidgetItem] = []    # greyed out in ready()

        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_choices())
        self.new_form: QWidget | None = None            # built in ready()
        lay = QVBoxLayout(self)
        lay.addWidget(self.stack)
        # the choice under the keyboard is plainly marked
        self.setStyleSheet(FOCUS_STYLE)
        from .windowfit import fit_window
        fit_window(self, QSize(900, 600))

    # ------------------------------------------------------------------
    # layout
    # ------------------------------------------------------------------
    def _build_choices(self) -> QWidget:
        page = QWidget()
        title = QLabel("政府信息公开工作年度报告")
        f = QFont(title.font())
        f.setPointSizeF(f.pointSizeF() * 1.6)
        f.setBold(True)
        title.setFont(f)
        sub = QLabel("填写、检查并导出本机关的年度报告。请选择如何开始：")
        sub.setWordWrap(True)

        col = QVBoxLayout()
        col.addWidget(title)
        col.addWidget(sub)
        col.addSpacing(8)

        self.restore_button: QCommandLinkButton | None = None
        if self.autosave is not None:
            self.restore_button = _big_button(
                "恢复自动保存的工作(&R)",
                "上次没有正常关闭。恢复：" + self.autosave.describe())
            self.restore_button.clicked.connect(self.choose_restore)
            col.addWidget(self.restore_button)

        self.new_button = _big_button("新建报告(&N)", "填写机关名称、类别和年度，从空白表格开始。")
        self.new_button.clicked.connect(self.show_new_form)
        self.next_year_button = _big_button(
            "从上年报告开始(&L)",
            f"选择上年的报告（{format_names()}），沿用机关信息和正文草稿，"
            "自动结转上年数字。")
        self.next_year_button.clicked.connect(self.choose_next_year)
        self.open_button = _big_button(
            "打开文件(&O)", "打开保存过的年报项目文件（.nianbao），或读取一份已发布的报告进行检查。")
        self.open_button.clicked.connect(self.choose_open)
        self.example_button = _big_button("打开内置示例(&E)", "一份填好的示例报告，先看看软件怎么用。")
        self.example_button.clicked.connect(self.choose_example)
        for b in (self.new_button, self.next_year_button, self.open_button, self.example_button):
            col.addWidget(b)
        col.addStretch(1)

        right = QVBoxLayout()
        right.addWidget(QLabel("最近打开的文件（双击打开）："))
        self.recent_list = QListWidget()
        self.recent_list.setWordWrap(True)
        # an item that cannot be opened is drawn in the disabled colour now and disabled
        # in ready() (its flags are Qt enums)
        grey = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        for p in self.recent_files:
            exists = p.is_file()
            item = QListWidgetItem(f"{p.name}\n{p.parent}" + ("" if exists else "（文件已不存在）"))
            item.setData(PATH_ROLE, str(p))
            item.setToolTip(str(p))
            if not exists:
                item.setData(FOREGROUND_ROLE, grey)
                self._unavailable.append(item)
            self.recent_list.addItem(item)
        if not self.recent_files:
            item = QListWidgetItem("（还没有最近文件）")
            item.setData(FOREGROUND_ROLE, grey)
            self._unavailable.append(item)
            self.recent_list.addItem(item)
        self.recent_list.itemActivated.connect(self._recent_activated)
        right.addWidget(self.recent_list, 1)
        self.open_recent_button = QPushButton("打开所选文件(&P)")
        self.open_recent_button.clicked.connect(self.choose_recent)
        self.open_recent_button.setEnabled(False)
        self.recent_list.currentItemChanged.connect(
            lambda cur, _prev: self.open_recent_button.setEnabled(self._openable(cur)))
        cancel = QPushButton("退出(&Q)")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.open_recent_button)
        row.addStretch(1)
        row.addWidget(cancel)
        right.addLayout(row)

        lay = QHBoxLayout(page)
        lay.addLayout(col, 3)
        lay.addSpacing(12)
        lay.addLayout(right, 2)
        return page

    def _openable(self, item: QListWidgetItem | None) -> bool:
        self.ready()
        from PySide6.QtCore import Qt
        return item is not None and bool(item.data(PATH_ROLE)) and bool(item.flags() & Qt.ItemIsEnabled)

    # ------------------------------------------------------------------
    # after the first paint
    # ------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        # the fallback covers a platform that never paints a window hidden behind others
        QTimer.singleShot(1000, self, self.ready)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self.ready)

    def ready(self) -> None:
        """What the first paint does not need, done right after it — and by every action
        that needs it, should the clerk be quicker: Qt's own dialogs, the recent files
        that cannot be opened disabled, the new-report form, the project files module."""
        if self._ready:
            return
        self._ready = True
        from PySide6.QtCore import Qt

        from model import project  # noqa: F401  (every choice reads or makes a report)

        from .app import use_qt_dialogs
        use_qt_dialogs()
        for item in self._unavailable:
            item.setFlags(Qt.NoItemFlags if item.data(PATH_ROLE) is None
                          else item.flags() & ~Qt.ItemIsEnabled)
        self.new_form = self._build_new_form()
        self.stack.addWidget(self.new_form)

    def _build_new_form(self) -> QWidget:
        from model.schema import LEVEL_LABELS, TIER_LABELS, Level, Tier
        page = QWidget()
        title = QLabel("新建报告")
        f = QFont(title.font())
        f.setPointSizeF(f.pointSizeF() * 1.4)
        f.setBold(True)
        title.setFont(f)

        form = QFormLayout()
        self.agency_edit = QLineEdit(self.settings.default_agency)
        self.agency_edit.setPlaceholderText("例如：某某区商务局")
        form.addRow("机关名称：", self.agency_edit)
        self.level_combo = QComboBox()
        for lv in Level:
            self.level_combo.addItem(LEVEL_LABELS[lv], lv.value)
        self.level_combo.setCurrentIndex(list(Level).index(self.settings.default_level))
        form.addRow("机关类别：", self.level_combo)
        self.tier_combo = QComboBox()
        for t in Tier:
            self.tier_combo.addItem(TIER_LABELS[t], t.value)
        self.tier_combo.setCurrentIndex(list(Tier).index(self.settings.default_tier))
        form.addRow("行政层级：", self.tier_combo)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(FIRST_YEAR, date.today().year + 1)
        self.year_spin.setValue(default_year())
        self.year_spin.setSuffix(" 年")
        form.addRow("报告年度：", self.year_spin)

        hint = QLabel("机关类别决定公布期限：部门 1 月 31 日前，本级人民政府 3 月 31 日前。"
                      "行政层级决定能否制定规章。这些都可以稍后在“基本信息”中修改。")
        hint.setWordWrap(True)
        self.new_error = QLabel("")
        self.new_error.setStyleSheet("color: #c62828;")

        self.create_button = QPushButton("创建报告(&C)")
        self.create_button.setDefault(True)
        self.agency_edit.returnPressed.connect(self.create_new)
        self.create_button.clicked.connect(self.create_new)
        back = QPushButton("返回(&B)")
        back.setAutoDefault(False)
        back.clicked.connect(lambda: self.stack.setCurrentIndex(0))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(back)
        row.addWidget(self.create_button)

        lay = QVBoxLayout(page)
        lay.addWidget(title)
        lay.addLayout(form)
        lay.addWidget(hint)
        lay.addWidget(self.new_error)
        lay.addStretch(1)
        lay.addLayout(row)
        return page

    # ------------------------------------------------------------------
    # results
    # ------------------------------------------------------------------
    def result_report(self) -> tuple[Report, Path | None] | None:
        return self._result

    def result_kind(self) -> str | None:
        """"restore" | "new" | "next_year" | "open" | "recent" | "example", None when cancelled."""
        return self._kind

    def result_modified(self) -> bool:
        """Whether the report exists nowhere on disk yet as it is (recovered work, a
        report carried over from last year): the window should mark it unsaved."""
        return self._kind in ("restore", "next_year") or (
            self._kind == "open" and self._result is not None and self._result[1] is None)

    def autosave_used(self) -> AutosaveInfo | None:
        """The autosave that was restored (hand it to ``Autosaver.adopt``)."""
        return self.autosave if self._kind == "restore" else None

    def _finish(self, kind: str, report: Report, path: Path | None) -> None:
        self._kind = kind
        self._result = (report, path)
        self.accept()

    def reject(self) -> None:
        if self.stack.currentIndex() != 0:      # Esc in the form: back to the choices
            self.stack.setCurrentIndex(0)
            self.new_button.setFocus()
            return
        super().reject()

    def _fail(self, message: str) -> None:
        self.ready()
        from PySide6.QtWidgets import QMessageBox
        QMessageBox.warning(self, "无法打开", message)

    # ------------------------------------------------------------------
    # choices
    # ------------------------------------------------------------------
    def show_new_form(self) -> None:
        self.ready()
        self.stack.setCurrentIndex(1)
        self.agency_edit.setFocus()

    def create_new(self) -> None:
        from model.report import Report
        from model.schema import Level, Tier
        agency = self.agency_edit.text().strip()
        if not agency:
            self.new_error.setText("请填写机关名称，例如“某某区商务局”。")
            self.agency_edit.setFocus()
            return
        report = Report.zeros(agency=agency, level=Level(self.level_combo.currentData()),
                              tier=Tier(self.tier_combo.currentData()), year=self.year_spin.value())
        self._finish("new", report, None)

    def choose_restore(self) -> None:
        self.ready()
        if self.autosave is None:
            return
        report, error = self._read_and_wait("正在读取自动保存的工作…", self.autosave.load)
        if error is not None:
            self._fail(f"自动保存的工作无法恢复：{error}")
            return
        if report is not None:                  # None: 取消
            self._finish("restore", report, self.autosave.original)

    def choose_example(self) -> None:
        self.ready()
        from model import project
        path = Path(paths.EXAMPLE_REPORT)
        report, error = self._read_and_wait("正在打开内置示例…", lambda: project.load(path))
        if error is not None:
            self._fail(f"内置示例无法打开：{error}")
            return
        if report is None:                      # 取消
            return
        # the example is a template: never overwrite the one shipped with the program
        self._finish("example", report, None)

    def _read_and_wait(self, label: str, fn):
        """``fn()`` off the GUI thread (gui.background, 取消 stops waiting): (value, error)."""
        from .background import run_and_wait
        return run_and_wait(self, label, fn, cancellable=True)

    def _recent_activated(self, item: QListWidgetItem) -> None:
        if self._openable(item):
            self.open_path(Path(item.data(PATH_ROLE)), kind="recent")

    def choose_recent(self) -> None:
        item = self.recent_list.currentItem()
        if item is not None:
            self._recent_activated(item)

    def choose_open(self) -> None:
        self.ready()
        from .filedialogs import open_file
        path = open_file(self, "打开报告", OPEN_FILTER, self.settings, "open", self._start_folder())
        if path:
            self.open_path(Path(path), kind="open")

    def choose_next_year(self) -> None:
        self.ready()
        from .filedialogs import open_file
        path = open_file(self, "选择上年的报告", OPEN_FILTER, self.settings, "open",
                         self._start_folder())
        if not path:
            return

        def use(result) -> None:
            new = result.report.next_year()
            if new.year is None:
                new.year = default_year()
            if not new.agency:
                new.agency = self.settings.default_agency
            from model.baseline import assess      # rule X0: the one baseline policy
            new.baseline_own = assess(new, result.report).own
            self._finish("next_year", new, None)

        self._load(Path(path), use, preview=NEXT_YEAR_CHOICE)

    def open_path(self, path: Path, kind: str = "open") -> None:
        """Open a project file as itself, or any other report file as a new report
        (after the preview of what was read)."""
        self.ready()
        is_project = path.suffix.lower() == PROJECT_SUFFIX

        def use(result) -> None:
            self._finish(kind, result.report, path if is_project else None)

        self._load(path, use, preview=None if is_project else OPEN_CHOICE)

    def _load(self, path: Path, use, preview: tuple[str, str, str] | None) -> None:
        """Read ``path`` off the GUI thread (取消 stops waiting), show what was read
        with the reader's notes (``preview``: the button that accepts it), then ``use``."""
        if self._busy:
            return
        self._busy = True
        self.setEnabled(False)
        from .import_dialog import read_file_async

        def finished(result, error):
            self._busy = False
            self.setEnabled(True)
            self.read_job = None
            if error:
                self._fail(error)
                return
            if result is None:              # cancelled
                return
            if preview is not None:
                from .import_dialog import ImportPreviewDialog
                dlg = ImportPreviewDialog(self, result, default_choice=preview[0],
                                          choices=(preview,))
                self.preview_dialog = dlg
                dlg.exec()
                self.preview_dialog = None
                if dlg.choice() != preview[0]:
                    return
            use(result)

        self.read_job = read_file_async(self, path, finished)

    def _start_folder(self) -> str:
        for p in self.recent_files:
            if p.parent.is_dir():
                return str(p.parent)
        return str(Path.home())
