"""The authoring window: guided steps on the left, the step's page, the problems below."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow,
                               QMenu, QSplitter, QStackedWidget, QToolBar, QToolButton,
                               QVBoxLayout, QWidget)

from model.errors import NianbaoError
from model.importers import FILE_FILTER, format_names
from model.report import Report
from model.schema import CELLS

from . import early
from .document import STEPS, ReportDocument
from .meta_page import MetaPage
from .settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from model.findings import Finding
    from model.importers.base import ImportResult

    from .problems import ProblemsPanel      # built (and imported) right after the first paint

PROJECT_SUFFIX = ".nianbao"           # = model.project.SUFFIX (that module is imported when needed)

APP_TITLE = "年报 Nianbao"
PROJECT_FILTER = "年报项目文件 (*.nianbao)"
OPEN_FILTER = FILE_FILTER           # one list of readers: model.importers.READERS
IMPORT_FILTER = FILE_FILTER
TABLE_STEPS = {"active": "t2", "requests": "t3", "appeals": "t4"}
ZOOM_KEY = "view/zoom_step"
ZOOM_BASE = 1.1                       # one Ctrl+= step
ZOOM_MIN, ZOOM_MAX = -4, 8
PREFERRED_SIZE = QSize(1440, 920)     # on a screen large enough; else the screen's size
WINDOW_KEY = "main"
PROBLEMS_KEY = "main_problems"        # the problems list: its height, and whether it is shown
TOOLBAR_ICON = 24                     # px: the toolbar's icons (set after the first paint)
TEXT_STEPS = ("overview", "problems", "other")

COLOR_ERR = QColor("#b3261e")
COLOR_WARN = QColor("#8a6100")
COLOR_OK = QColor("#2e7d32")
COLOR_PENDING = QColor("#757575")


def default_year(today: date | None = None) -> int:
    return (today or date.today()).year - 1


class _Pages(dict):
    """Step id → page, each page built on first access."""

    def __init__(self, make):
        super().__init__()
        self._make = make

    def __missing__(self, step_id: str) -> QWidget:
        page = self._make(step_id)
        self[step_id] = page
        return page


class MainWindow(QMainWindow):
    """``MainWindow(doc)``: the whole authoring window over one :class:`ReportDocument`.

    ``settings`` defaults to the user's QSettings; ``autosave_folder`` is where
    the working state is autosaved (the user's data folder by default);
    ``autosave=False`` turns autosave off (tests of other things).
    """

    #: an import finished and was applied or declined ("open", "baseline" or None)
    importFinished = Signal(object)
    #: a read started by :meth:`open_path` has ended (read, failed or cancelled); emitted
    #: before its result is used (gui.app shows the window then, so that it paints the file)
    readEnded = Signal()

    def __init__(self, doc: ReportDocument | None = None, settings: Settings | None = None,
                 autosave_folder: Path | None = None, autosave: bool = True,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc if doc is not None else ReportDocument()
        self.settings = settings if settings is not None else Settings()
        self.autosaver = None
        self._autosave = autosave
        self._autosave_folder = autosave_folder
        self._first_shown = False
        self._first_painted = False
        self._paint_seen = False
        self._painted_calls: list = []  # what waits for the first paint (_when_painted)
        self.read_job = None            # a read under way (gui.background.BackgroundJob)
        if autosave and self.doc.is_modified():
            self._start_autosave()      # recovered or carried-over work: protect it at once

        self._pending_icons: list[tuple[QAction, str]] = []
        self._blank: QIcon | None = None
        self._build_pages()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()

        d = self.doc
        d.findingsChanged.connect(self.refresh_nav)
        d.modifiedChanged.connect(self.update_title)
        d.pathChanged.connect(self.update_title)
        d.metaChanged.connect(self.update_title)
        d.reportReplaced.connect(self.update_title)
        self.refresh_nav()
        self.update_title()
        self.statusBar().showMessage("就绪", 3000)
        self._restore_layout()
        self.show_step("meta")

    # ------------------------------------------------------------------
    # construction
    # ------------------------------------------------------------------
    def _build_pages(self) -> None:
        self.nav = QListWidget(self)
        self.nav.setObjectName("steps")
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setSpacing(2)
        self.nav.setMinimumWidth(200)
        self.nav.setMaximumWidth(280)
        self.stack = QStackedWidget(self)
        # pages are built when first shown, the rest right after the window has painted
        self.pages: dict[str, QWidget] = _Pages(self._make_page)
        for step_id, title in STEPS:
            item = QListWidgetItem(title)
            item.setData(early.USER_ROLE, step_id)
            self.nav.addItem(item)
        self._current_step = STEPS[0][0]
        self.nav.currentRowChanged.connect(self._on_nav_row)

        split = QSplitter()            # horizontal (QSplitter(parent) is matched against Qt enums)
        split.addWidget(self.nav)
        split.addWidget(self.stack)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([220, 1200])
        split.setChildrenCollapsible(False)
        self.splitter = split

        # the problems list under the steps and the page, in a splitter (a dock would take
        # a Qt enum before the first paint: gui.early); F8 or its 收起 button hides it
        self._problems: ProblemsPanel | None = None
        self._problems_height = 0         # its height when it was last hidden
        self.problems_pane = QWidget()
        self.problems_pane.setObjectName("problems")
        head = QHBoxLayout()
        head.setContentsMargins(4, 2, 2, 0)
        head.addWidget(QLabel("问题列表"))
        head.addStretch(1)
        self.problems_close = QToolButton()
        self.problems_close.setText("收起")
        self.problems_close.setAutoRaise(True)
        self.problems_close.setToolTip("收起问题列表（F8 或 视图 → 问题列表 再显示）")
        head.addWidget(self.problems_close)
        pending = QLabel("正在检查…")
        early.set_enum_property(pending, "alignment", early.ALIGN_CENTER)
        pane = QVBoxLayout(self.problems_pane)
        pane.setContentsMargins(0, 0, 0, 0)
        pane.setSpacing(0)
        pane.addLayout(head)
        pane.addWidget(pending, 1)
        outer = QSplitter()
        early.set_enum_property(outer, "orientation", early.VERTICAL)
        outer.addWidget(split)
        outer.addWidget(self.problems_pane)
        outer.setStretchFactor(0, 1)
        outer.setStretchFactor(1, 0)
        outer.setCollapsible(0, False)
        outer.setCollapsible(1, False)
        self.outer_splitter = outer
        self.setCentralWidget(outer)

    @property
    def problems(self) -> ProblemsPanel:
        """The problems panel (built on first use)."""
        if self._problems is None:
            from .problems import ProblemsPanel
            panel = ProblemsPanel(self.doc, self)
            panel.activated.connect(self.jump_to_finding)
            self._problems = panel
            lay = self.problems_pane.layout()
            old = lay.itemAt(1).widget()        # the 正在检查… placeholder
            lay.replaceWidget(old, panel)
            lay.setStretch(1, 1)
            old.deleteLater()
            if not self.problems_pane.isHidden():
                panel.show()                    # at once, laid out (not at the next event)
                lay.activate()
        return self._problems

    def problems_shown(self) -> bool:
        """The problems list is shown (not hidden with F8 or its 收起 button)."""
        return not self.problems_pane.isHidden()

    def show_problems(self, shown: bool = True) -> None:
        """Show or hide the problems list (F8, 视图 → 问题列表, its 收起 button); shown again,
        it has the height it had, or a sixth of the screen."""
        if shown != self.problems_shown():
            split = self.outer_splitter
            if not shown:
                self._problems_height = split.sizes()[1] or self._problems_height
                self.problems_pane.hide()
            else:
                self.problems_pane.show()
                sizes = split.sizes()
                if sizes[1] < self.problems_pane.minimumSizeHint().height():
                    h = self._problems_height or self._default_problems_height()
                    split.setSizes([max(1, sum(sizes) - h), h])
        if self.problems_toggle.isChecked() != shown:
            self.problems_toggle.setChecked(shown)

    def _default_problems_height(self) -> int:
        from .windowfit import available
        # a sixth of a small screen, less of a large one
        return max(100, min(190, available(self).height() // 6))

    def _start_autosave(self) -> None:
        if self._autosave and self.autosaver is None:
            from .autosave import Autosaver
            self.autosaver = Autosaver(self.doc, self._autosave_folder, self)
            self.autosaver.failed.connect(lambda m: self.statusBar().showMessage(m, 10000))

    def _action(self, text: str, slot, shortcut=None, icon: str | None = None,
                tip: str | None = None) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            early.set_keys(a, shortcut)
        if icon is not None:
            # set right after the first paint: QStyle's icons (and enums) cost start-up time;
            # a blank icon of the same size holds the place, so the toolbar does not move
            a.setIcon(self._blank_icon())
            self._pending_icons.append((a, icon))
        if tip:
            a.setStatusTip(tip)
            a.setToolTip(tip)
        a.triggered.connect(slot)
        return a

    def _blank_icon(self) -> QIcon:
        if self._blank is None:
            pm = QPixmap(TOOLBAR_ICON, TOOLBAR_ICON)
            pm.fill(QColor(0, 0, 0, 0))        # transparent
            self._blank = QIcon(pm)
        return self._blank

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.new_action = self._action("新建", self.new_report, K.New, "SP_FileIcon",
                                       "新建一份空白报告")
        self.open_action = self._action("打开…", self.open_dialog, K.Open, "SP_DialogOpenButton",
                                        f"打开年报项目文件，或读取其他格式的报告（{format_names()}）")
        self.save_action = self._action("保存", self.save, K.Save, "SP_DialogSaveButton",
                                        "保存为年报项目文件")
        self.save_as_action = self._action("另存为…", self.save_as, K.SaveAs, None,
                                           "另存为新的年报项目文件")
        self.import_action = self._action("导入上年报告…", self.import_baseline_dialog, None,
                                          "SP_ArrowDown",
                                          "读取上年的报告，用于结转和比较（导入前可预览）")
        self.export_action = self._action("导出…", self.export, "Ctrl+E", "SP_DialogApplyButton",
                                          "导出为 Word、文本、网页或 Excel")
        self.settings_action = self._action("设置…", self.open_settings, K.Preferences, None,
                                            "默认机关、模板文件夹和参考 Word 文档")
        self.quit_action = self._action("退出", self.close, K.Quit, None)
        self.about_action = self._action("关于", self.about, None, None)
        self.help_action = self._action("填报说明", self.show_help, K.HelpContents, None,
                                        "每条检查规则的编号、检查内容和理由，以及表格填写要点")
        self.recompute_action = self._action("重新计算合计", self.doc.recompute_totals, None, None,
                                             "把所有合计栏改为各项之和（可撤销）")
        # fixed labels (the toolbar never moves under the mouse); what would be undone
        # is in the tooltip and the status bar
        stack = self.doc.undo_stack
        self.undo_action = self._action("撤销", stack.undo, K.Undo, "SP_ArrowBack", "撤销")
        self.redo_action = self._action("重做", stack.redo, K.Redo, "SP_ArrowForward", "重做")
        self.undo_action.setShortcuts(QKeySequence.keyBindings(K.Undo))
        redo_keys = QKeySequence.keyBindings(K.Redo)
        for extra in early.keys("Ctrl+Y", "Ctrl+Shift+Z"):
            if extra not in redo_keys:       # Ctrl+Y on every desktop (a key twice is ambiguous)
                redo_keys.append(extra)
        self.redo_action.setShortcuts(redo_keys)
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.undoTextChanged.connect(self._on_undo_text)       # methods: disconnected with
        stack.redoTextChanged.connect(self._on_redo_text)       # the window
        self.undo_action.setEnabled(stack.canUndo())
        self.redo_action.setEnabled(stack.canRedo())
        self.prev_step_action = self._action("上一步", lambda: self.move_step(-1), "Ctrl+PgUp", None,
                                             "转到上一个填写步骤（Ctrl+PgUp）")
        self.next_step_action = self._action("下一步", lambda: self.move_step(1), "Ctrl+PgDown", None,
                                             "转到下一个填写步骤（Ctrl+PgDown）")
        for a in (self.prev_step_action, self.next_step_action):
            self.addAction(a)           # (an action's shortcut works in its whole window)
        self._build_find_zoom_actions()

    # ------------------------------------------------------------------
    # 查找/替换 and zoom
    # ------------------------------------------------------------------
    def _build_find_zoom_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.find_action = self._action("查找…", lambda: self.show_find(False), "Ctrl+F", None,
                                        "在正文各部分中查找（Ctrl+F）")
        self.replace_action = self._action("替换…", lambda: self.show_find(True), "Ctrl+H", None,
                                           "在正文各部分中查找并替换（Ctrl+H）")
        self.zoom_in_action = self._action("放大", lambda: self.zoom_by(1), None, None,
                                           "放大正文和表格（Ctrl+=）")
        self.zoom_out_action = self._action("缩小", lambda: self.zoom_by(-1), None, None,
                                            "缩小正文和表格（Ctrl+-）")
        self.zoom_reset_action = self._action("实际大小", lambda: self.zoom_by(0), "Ctrl+0", None,
                                              "正文和表格恢复为正常大小（Ctrl+0）")
        for action, keys in ((self.zoom_in_action, ["Ctrl+=", "Ctrl++"]),
                             (self.zoom_out_action, ["Ctrl+-"])):
            seqs: list[QKeySequence] = []
            std = K.ZoomIn if action is self.zoom_in_action else K.ZoomOut
            for seq in early.keys(*keys) + QKeySequence.keyBindings(std):
                if seq not in seqs:         # a key twice would be ambiguous
                    seqs.append(seq)
            action.setShortcuts(seqs)
        for a in (self.find_action, self.replace_action, self.zoom_in_action,
                  self.zoom_out_action, self.zoom_reset_action):
            self.addAction(a)
        self._find_dialog = None
        self.zoom_step = 0
        saved = self.settings.qsettings.value(ZOOM_KEY, 0)
        try:
            self.zoom_step = max(ZOOM_MIN, min(ZOOM_MAX, int(saved)))
        except (TypeError, ValueError):
            self.zoom_step = 0

    def zoom_factor(self) -> float:
        return ZOOM_BASE ** self.zoom_step

    def zoom_by(self, delta: int) -> None:
        """Ctrl+= / Ctrl+- one step larger / smaller; 0 (Ctrl+0) back to normal size."""
        step = 0 if delta == 0 else max(ZOOM_MIN, min(ZOOM_MAX, self.zoom_step + delta))
        if step == self.zoom_step and delta != 0:
            return
        self.zoom_step = step
        self.settings.qsettings.setValue(ZOOM_KEY, step)
        for page in list(self.pages.values()):
            if hasattr(page, "set_zoom"):
                page.set_zoom(self.zoom_factor())
        self.statusBar().showMessage(f"显示比例 {round(self.zoom_factor() * 100)}%", 3000)

    def show_find(self, replace: bool) -> None:
        if self._find_dialog is None:
            from .find_replace import FindReplaceDialog
            self._find_dialog = FindReplaceDialog(self)
        self._find_dialog.show_mode(replace)

    @staticmethod
    def _undo_tip(action: QAction, verb: str, text: str) -> None:
        tip = f"{verb}：{text}" if text else verb
        action.setToolTip(tip)
        action.setStatusTip(tip)

    def _on_undo_text(self, text: str) -> None:
        self._undo_tip(self.undo_action, "撤销", text)

    def _on_redo_text(self, text: str) -> None:
        self._undo_tip(self.redo_action, "重做", text)

    def _build_menus(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu("文件(&F)")
        m.addAction(self.new_action)
        m.addAction(self.open_action)
        self.recent_menu = QMenu("最近文件", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        m.addMenu(self.recent_menu)
        m.addSeparator()
        m.addAction(self.save_action)
        m.addAction(self.save_as_action)
        m.addSeparator()
        m.addAction(self.import_action)
        from .url_import import url_import_action
        self.import_url_action = url_import_action(self)
        m.addAction(self.import_url_action)
        m.addAction(self.export_action)
        m.addSeparator()
        m.addAction(self.settings_action)
        m.addSeparator()
        m.addAction(self.quit_action)
        e = mb.addMenu("编辑(&E)")
        e.addAction(self.undo_action)
        e.addAction(self.redo_action)
        e.addSeparator()
        e.addAction(self.find_action)
        e.addAction(self.replace_action)
        e.addSeparator()
        e.addAction(self.recompute_action)
        v = mb.addMenu("视图(&V)")
        toggle = QAction("问题列表", self)
        toggle.setCheckable(True)
        toggle.setChecked(True)
        early.set_keys(toggle, "F8")                  # collapse / show: room for the tables
        toggle.setToolTip("显示或收起问题列表（F8）")
        toggle.setStatusTip("显示或收起问题列表（F8）")
        toggle.toggled.connect(self.show_problems)
        self.problems_close.clicked.connect(lambda: self.show_problems(False))
        self.problems_toggle = toggle
        v.addAction(toggle)
        v.addSeparator()
        v.addAction(self.zoom_in_action)
        v.addAction(self.zoom_out_action)
        v.addAction(self.zoom_reset_action)
        v.addSeparator()
        v.addAction(self.prev_step_action)
        v.addAction(self.next_step_action)
        h = mb.addMenu("帮助(&H)")
        h.addAction(self.help_action)
        h.addAction(self.about_action)
        from .tools import install_tools_menu
        install_tools_menu(self)
        from .print_actions import install_print_actions   # 文件 → 打印预览… / 打印… (Ctrl+P)
        install_print_actions(self)

    def _build_toolbar(self) -> None:
        tb = QToolBar("工具栏", self)
        tb.setObjectName("main_toolbar")
        tb.setMovable(False)
        early.set_enum_property(tb, "toolButtonStyle", early.TEXT_BESIDE_ICON)
        tb.setIconSize(QSize(TOOLBAR_ICON, TOOLBAR_ICON))
        for a in (self.new_action, self.open_action, self.save_action):
            tb.addAction(a)
        tb.addSeparator()
        tb.addAction(self.undo_action)
        tb.addAction(self.redo_action)
        tb.addSeparator()
        tb.addAction(self.import_action)
        tb.addAction(self.export_action)
        self.addToolBar(tb)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.settings.recent_files(existing_only=True)
        if not files:
            a = self.recent_menu.addAction("（没有最近文件）")
            a.setEnabled(False)
            return
        for p in files:
            a = self.recent_menu.addAction(p.name)
            a.setToolTip(str(p))
            a.setStatusTip(str(p))
            a.triggered.connect(lambda _=False, p=p: self.open_path(p))
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("清除列表", self.settings.clear_recent_files)

    def _make_page(self, step_id: str) -> QWidget:
        if step_id == "meta":
            page = MetaPage(self.doc, self)
        elif step_id in TABLE_STEPS:
            from .table_view import TablePage
            page = TablePage(self.doc, TABLE_STEPS[step_id], self)
            page.view.message.connect(self.show_status)
        elif step_id in TEXT_STEPS:
            from .text_page import TextSectionPage
            page = TextSectionPage(self.doc, step_id, self)
            page.activated.connect(self.jump_to_finding)
        elif step_id == "check":
            from .export import ReviewPage
            page = ReviewPage(self.doc, self, settings=self.settings)
            page.activated.connect(self.jump_to_finding)
        else:
            raise KeyError(step_id)
        if self.zoom_step and hasattr(page, "set_zoom"):
            page.set_zoom(self.zoom_factor())
        self.stack.addWidget(page)
        return page

    def _build_remaining_pages(self) -> None:
        """Build one page not yet built per turn of the event loop (after the first paint)."""
        for step_id, _ in STEPS:
            if step_id not in self.pages:
                self.pages[step_id]
                QTimer.singleShot(0, self, self._build_remaining_pages)
                return

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._first_shown:
            self._first_shown = True
            QTimer.singleShot(0, self, self._keep_on_screen)
            # the fallback covers a platform that never paints a window hidden behind others
            QTimer.singleShot(1000, self, self._after_first_paint)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._paint_seen:
            # the deferred work runs right after the first paint has reached the screen
            self._paint_seen = True
            QTimer.singleShot(0, self, self._after_first_paint)

    def _when_painted(self, fn) -> None:
        """``fn()`` now, or right after the first paint if the window has not painted yet."""
        if self._first_painted:
            fn()
        else:
            self._painted_calls.append(fn)

    def _after_first_paint(self) -> None:
        """What the first paint does not need: the check, autosave, the other pages."""
        if self._first_painted:
            return
        self._first_painted = True
        calls, self._painted_calls = self._painted_calls, []
        for fn in calls:
            fn()
        from .app import use_qt_dialogs
        use_qt_dialogs()                       # (a Qt enum: not before the first paint, gui.early)
        from PySide6.QtWidgets import QStyle   # its first touch builds all its enums (≈ 12 ms)
        style = self.style()
        for action, name in self._pending_icons:
            action.setIcon(style.standardIcon(getattr(QStyle.StandardPixmap, name)))
        self._pending_icons.clear()
        _ = self.problems           # built now
        self.doc.ensure_checked()
        self._start_autosave()
        guard = getattr(self, "_file_guard", None)
        if guard is not None:
            guard._later()          # the file's lock and autosave questions (gui.lock_dialog)
        QTimer.singleShot(0, self, self._build_remaining_pages)

    # ------------------------------------------------------------------
    # size, position, splitter and panels: fitted to the screen, remembered
    # ------------------------------------------------------------------
    def _restore_layout(self) -> None:
        from .windowfit import fit_window, restore_shown, restore_splitter, restore_state
        fit_window(self, PREFERRED_SIZE, self.settings, WINDOW_KEY)
        restore_state(self, self.settings, WINDOW_KEY)          # the toolbar
        if not restore_splitter(self.outer_splitter, self.settings, PROBLEMS_KEY):
            h = self._default_problems_height()
            self.outer_splitter.setSizes([max(1, self.height() - h), h])
        restore_splitter(self.splitter, self.settings, WINDOW_KEY)
        if restore_shown(self.settings, PROBLEMS_KEY) is False:
            self.show_problems(False)

    def _save_layout(self) -> None:
        from .windowfit import save_shown, save_splitter, save_state, save_window
        save_window(self, self.settings, WINDOW_KEY)
        save_state(self, self.settings, WINDOW_KEY)
        save_splitter(self.splitter, self.settings, WINDOW_KEY)
        save_splitter(self.outer_splitter, self.settings, PROBLEMS_KEY)
        save_shown(self.problems_pane, self.settings, PROBLEMS_KEY)

    def _keep_on_screen(self) -> None:
        from .windowfit import keep_on_screen
        if not self.isMaximized() and not self.isFullScreen():
            keep_on_screen(self)

    # ------------------------------------------------------------------
    # steps, navigation, title
    # ------------------------------------------------------------------
    def _on_nav_row(self, row: int) -> None:
        if 0 <= row < len(STEPS):
            self._current_step = STEPS[row][0]
            self.stack.setCurrentWidget(self.pages[self._current_step])

    def show_step(self, step_id: str) -> QWidget:
        row = [s for s, _ in STEPS].index(step_id)
        page = self.pages[step_id]
        self.nav.setCurrentRow(row)
        self.stack.setCurrentWidget(page)
        self._current_step = step_id
        return page

    def move_step(self, delta: int) -> None:
        """Ctrl+PgUp / Ctrl+PgDown: the previous / next step."""
        ids = [s for s, _ in STEPS]
        i = ids.index(self._current_step) + delta
        if 0 <= i < len(ids):
            self.show_step(ids[i])

    def current_step(self) -> str:
        return self._current_step

    def refresh_nav(self) -> None:
        for i, (step_id, title) in enumerate(STEPS):
            errors, warnings = self.doc.step_counts(step_id)
            item = self.nav.item(i)
            if self.doc.check_pending:
                text = f"{title}\n    正在检查…"
                color = COLOR_PENDING
            elif errors or warnings:
                parts = []
                if errors:
                    parts.append(f"错误 {errors}")
                if warnings:
                    parts.append(f"警告 {warnings}")
                text = f"{title}\n    " + "，".join(parts)
                color = COLOR_ERR if errors else COLOR_WARN
            else:
                text = f"{title}\n    无问题"
                color = COLOR_OK
            if item.text() != text:             # untouched items are not repainted
                item.setText(text)
                item.setData(early.FOREGROUND_ROLE, color)       # (setForeground: gui.early)
                item.setToolTip(f"{title}：错误 {errors} 项，警告 {warnings} 项")

    def update_title(self, *args) -> None:
        self.setWindowTitle(f"{self.doc.display_name()}[*] — {APP_TITLE}")
        self.setWindowModified(self.doc.is_modified())

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text.replace("\n", "；"), 10000)

    # ------------------------------------------------------------------
    # jumping to a finding
    # ------------------------------------------------------------------
    def jump_to_finding(self, finding: Finding) -> None:
        step = self.doc.step_of_finding(finding)
        page = self.show_step(step)
        if step in TABLE_STEPS:
            tid = TABLE_STEPS[step]
            cells = [c for c in finding.cells if c in CELLS and CELLS[c].table == tid]
            if cells:
                page.view.select_cells(cells)
        elif hasattr(page, "focus_finding"):
            page.focus_finding(finding)
        self.statusBar().showMessage(f"{finding.severity.label} {finding.rule}：{finding.message}",
                                     10000)

    # ------------------------------------------------------------------
    # document life
    # ------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """Ask before unsaved changes are lost; False when the clerk cancels."""
        from PySide6.QtWidgets import QMessageBox   # (not at import: gui.early)
        if not self.doc.is_modified():
            return True
        B = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self, "保存修改",
            f"“{self.doc.display_name()}”有尚未保存的修改。是否保存？",
            B.Save | B.Discard | B.Cancel, B.Save)
        if answer == B.Save:
            return self.save()
        return answer == B.Discard

    def closeEvent(self, event) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self._save_layout()
        if self.autosaver is not None:
            self.autosaver.stop(remove=True)
        self.doc.close_file()                  # the project file's lock (issue 14 item 1)
        event.accept()

    def new_report(self) -> None:
        if not self.maybe_save():
            return
        s = self.settings
        report = Report.zeros(agency=s.default_agency, level=s.default_level,
                              tier=s.default_tier, year=default_year())
        self.doc.replace_report(report, None)
        self.show_step("meta")
        self.statusBar().showMessage("已新建报告，请先填写基本信息", 5000)

    def suggested_name(self) -> str:
        r = self.doc.report
        stem = r.title if (r.agency or r.year) else "政府信息公开工作年度报告"
        folder = self.doc.path.parent if self.doc.path else Path.home()
        return str(folder / f"{stem}{PROJECT_SUFFIX}")

    def save(self) -> bool:
        p = self.doc.path
        if p is None or p.suffix.lower() != PROJECT_SUFFIX:
            return self.save_as()
        return self._save_to(p)

    def save_as(self) -> bool:
        from .filedialogs import save_file
        name, _ = save_file(self, "另存为", self.suggested_name(), PROJECT_FILTER, self.settings,
                            "project")
        if not name:
            return False
        p = Path(name)
        if p.suffix.lower() != PROJECT_SUFFIX:
            p = p.with_name(p.name + PROJECT_SUFFIX)
        return self._save_to(p)

    def _save_to(self, path: Path) -> bool:
        from PySide6.QtWidgets import QMessageBox   # (not at import: gui.early)
        from model.project import ChangedOnDiskError
        try:
            self.doc.save(path)
        except ChangedOnDiskError as exc:      # changed on disk since loaded (issue 14 item 1)
            from .lock_dialog import resolve_changed_on_disk
            return resolve_changed_on_disk(self, exc)
        except (NianbaoError, OSError) as exc:
            msg = str(exc) if isinstance(exc, NianbaoError) else \
                f"无法保存到“{path}”：{exc.strerror or exc}"
            QMessageBox.critical(self, "保存失败", msg)
            return False
        self.settings.add_recent_file(path)
        self.statusBar().showMessage(f"已保存到 {path}", 5000)
        return True

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        from .filedialogs import open_file
        start = self.doc.path.parent if self.doc.path else None
        name = open_file(self, "打开", OPEN_FILTER, self.settings, "open", start)
        if name:
            self.open_path(Path(name), ask=False)

    def open_path(self, path: Path | str, ask: bool = True) -> None:
        """Open a project file, or read any report file (preview before it is applied).

        The file is read off the GUI thread (the busy indicator offers 取消); the
        document is replaced only once the new report has loaded and passed the
        loader's checks (issue 14 items 6 and 9).
        """
        path = Path(path)
        if ask and not self.maybe_save():
            return
        if path.suffix.lower() == PROJECT_SUFFIX:
            self._read(path, self._project_read, "open")
            return
        self.read_report(path, default_choice="open")

    def _project_read(self, path: Path, loaded, error: str | None) -> None:
        if error is not None:
            from PySide6.QtWidgets import QMessageBox   # (not before the first paint: gui.early)
            QMessageBox.warning(self, "无法打开", error)
            self.settings.remove_recent_file(path)
            return
        report, stamp = loaded
        # before the first paint the check waits until the window is shown
        self.doc.replace_report(report, path, check=self._first_painted, stamp=stamp)
        # (the settings file is written then too: a write and a disk flush, 2–4 ms)
        self._when_painted(lambda: self.settings.add_recent_file(path))
        self.statusBar().showMessage(f"已打开 {path.name}", 5000)

    def reading(self) -> bool:
        """A read is under way (a second one waits until it has ended or been cancelled)."""
        return self.read_job is not None

    def _read(self, path: Path, use, kind: str) -> None:
        """Read ``path`` off the GUI thread (gui.background), cancellable; then ``use(path,
        value, error)`` — not called when the clerk cancelled.  ``kind``: "open" reads a
        project file as itself (with its state on disk), else any report file."""
        if self.read_job is not None:
            self.statusBar().showMessage("正在读取另一个文件，请等它读完或取消后再试", 5000)
            return
        from .background import describe_read_error, read_project_file, run_in_background

        self.statusBar().showMessage(f"正在读取 {path.name} …")
        reader = read_project_file
        if kind != "open":              # the preview module, only for other files
            from .import_dialog import read_report_file
            reader = read_report_file

        def work():
            return reader(path)

        def done(value, error: str | None) -> None:
            self.read_job = None
            self.readEnded.emit()
            if value is None and error is None:          # the clerk cancelled the read
                self.statusBar().showMessage(f"已取消读取 {path.name}", 5000)
                self.importFinished.emit(None)
                return
            self.statusBar().clearMessage()
            use(path, value, error)

        self.read_job = run_in_background(self, f"正在读取“{path.name}”…", work, done,
                                          describe_read_error(path), cancellable=True)

    def import_baseline_dialog(self) -> None:
        from .filedialogs import open_file
        start = self.doc.path.parent if self.doc.path else None
        name = open_file(self, "导入上年报告", IMPORT_FILTER, self.settings, "open", start)
        if name:
            self.read_report(Path(name), default_choice="baseline")

    def read_report(self, path: Path, default_choice: str) -> None:
        """Read ``path`` off the GUI thread, preview it, then open it or use it as last year."""

        def use(_path: Path, result: ImportResult | None, error: str | None) -> None:
            from PySide6.QtWidgets import QMessageBox   # (not at import: gui.early)
            if error is not None or result is None:
                QMessageBox.warning(self, "无法读取", error or f"无法读取“{path.name}”")
                self.importFinished.emit(None)
                return
            self.apply_import(result, default_choice)

        self._read(path, use, "report")

    def apply_import(self, result: ImportResult, default_choice: str = "baseline") -> str | None:
        """Show the preview of an import; apply the clerk's choice."""
        from .import_dialog import ImportPreviewDialog
        dlg = ImportPreviewDialog(self, result, default_choice=default_choice)
        dlg.exec()
        choice = dlg.choice()
        name = result.source_name or "所选文件"
        if choice == "open":
            if self.maybe_save():
                self.doc.replace_report(result.report, None)
                self.statusBar().showMessage(f"已读取“{name}”作为本年报告", 5000)
                self.show_step("check" if self.doc.findings else "meta")
            else:
                choice = None
        elif choice == "baseline":
            self.set_baseline_asking(result.report, name)
        else:
            self.statusBar().clearMessage()
        self.importFinished.emit(choice)
        return choice

    def set_baseline_asking(self, last: Report, name: str) -> bool:
        """Use ``last`` as last year's report; ask before carrying balances of another year (X0)."""
        from PySide6.QtWidgets import QMessageBox   # (not at import: gui.early)
        from model.baseline import assess
        verdict = assess(self.doc.report, last)
        confirmed = False
        if verdict.needs_confirmation:
            answer = QMessageBox.question(
                self, "上年报告的年度不符", verdict.question(),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            confirmed = answer == QMessageBox.StandardButton.Yes
        carried = confirmed or not verdict.needs_confirmation
        self.doc.set_baseline(last, confirmed=confirmed)
        text = (f"已把“{name}”设为上年基线：上年结转数已按其“结转下年度继续办理”填入" if carried
                else f"已把“{name}”设为上年基线，仅用于比较：上年结转数未改动")
        if not verdict.agency_ok:
            text += "；注意：它不是本机关的报告"
        self.statusBar().showMessage(text, 8000)
        return carried

    def export(self) -> None:
        from .export import export_report
        export_report(self, self.doc)

    def open_settings(self) -> None:
        from .settings import SettingsDialog
        SettingsDialog(self.settings, self).exec()

    def show_help(self) -> None:
        """帮助 → 填报说明 (F1), generated from the rule registry."""
        from .help_dialog import HelpDialog
        if getattr(self, "help_dialog", None) is None:
            self.help_dialog = HelpDialog(self)
        self.help_dialog.show()
        self.help_dialog.raise_()
        self.help_dialog.activateWindow()
        current = self.problems.current_finding()
        if current is not None:                 # F1 on a problem: its rule's row
            self.help_dialog.show_rule(current.rule)

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox   # (not at import: gui.early)
        QMessageBox.about(
            self, "关于 年报",
            "<p><b>年报 Nianbao</b></p>"
            "<p>政府信息公开工作年度报告的填写与检查工具：按国办公开办函〔2021〕30号格式"
            "填写报告，随时检查表格勾稽关系和正文与表格的一致性，并导出为 Word、文本、网页"
            "或 Excel。</p>")
