"""Screenshots of the real window, one per step, for the README.

Run under a virtual X server with Chinese fonts installed (fonts-noto-cjk)::

    xvfb-run -a -s "-screen 0 1366x768x24" uv run python docs/make_screenshots.py

at 1366×768, the most common screen of office PCs: the window sizes itself to the
screen as it does for a clerk (``gui.windowfit``).

It opens the start dialog and then the main window on the built-in example
report (``resources/example.nianbao``), visits every step and writes
``docs/screenshot-<step>.png`` (and ``docs/screenshot-start.png``,
``docs/screenshot-import.png``, ``docs/screenshot-overview-field.png`` — figures
bound into the text, with the 插入数字字段 menu open — and
``docs/screenshot-check-chart.png`` — the year-on-year chart).  The user's settings and autosave folder are
never touched: both live in a temporary folder for the run.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs"
SCREEN = (1366, 768)


def _settle(app, ms: int = 400) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def _save(widget, name: str) -> Path:
    path = OUT / f"screenshot-{name}.png"
    if not widget.grab().save(str(path)):
        raise SystemExit(f"无法保存截图 {path}")
    print(f"已保存 {path.relative_to(ROOT)}")
    return path


def _save_screen(app, widget, name: str) -> Path:
    """The screen area of ``widget``'s window, popups included (a grab of the window
    alone would miss an open menu)."""
    path = OUT / f"screenshot-{name}.png"
    win = widget.window()
    geo = win.frameGeometry()
    shot = app.primaryScreen().grabWindow(0, geo.x(), geo.y(), geo.width(), geo.height())
    if shot.isNull() or not shot.save(str(path)):
        raise SystemExit(f"无法保存截图 {path}")
    print(f"已保存 {path.relative_to(ROOT)}")
    return path


def main() -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        print("没有图形界面：请在 xvfb-run 下运行（见文件开头的说明）。", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-shots-"))
    from PySide6.QtCore import QSettings

    from gui.app import make_app
    app = make_app([sys.argv[0]])
    app.setFont(app.font())        # the platform's default (Noto Sans CJK under Xvfb)

    from gui.autosave import AutosaveInfo
    from gui.document import STEPS, ReportDocument
    from gui.import_dialog import ImportPreviewDialog
    from gui.main_window import MainWindow
    from gui.settings import Settings
    from gui.start_dialog import StartDialog
    from model import paths, project
    from model.importers.base import ImportResult

    settings = Settings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    example = project.load(paths.EXAMPLE_REPORT)
    copy_path = tmp / f"{example.agency}{example.year}年报告.nianbao"
    project.save(example, copy_path)
    settings.add_recent_file(copy_path)
    settings.default_agency = example.agency

    # ---- the start dialog, with a recent file and an autosave to offer
    from datetime import datetime
    info = AutosaveInfo(copy_path, tmp / "none.json", datetime(2026, 1, 18, 16, 42),
                        example.agency, example.year, copy_path)
    dlg = StartDialog(None, settings.recent_files(), info, settings)
    dlg.show()
    _settle(app)
    _save(dlg, "start")
    dlg.show_new_form()
    _settle(app, 200)
    _save(dlg, "start-new")
    dlg.close()

    # ---- the main window on the example, every step
    doc = ReportDocument(example.copy(), copy_path)
    win = MainWindow(doc, settings, autosave=False)
    win.show()                      # sized to the screen by the window itself
    _settle(app, 600)
    for step_id, _title in STEPS:
        win.show_step(step_id)
        _settle(app, 700 if step_id == "check" else 300)
        _save(win, step_id)

    # the text step with last year's text beside, when the example has a baseline
    page = win.pages.get("problems")
    if doc.report.baseline is not None and page is not None:
        win.show_step("problems")
        page.baseline_button.setChecked(True)
        _settle(app, 300)
        _save(win, "problems-baseline")
        page.baseline_button.setChecked(False)

    # a number in the text that contradicts table 三: highlighted, listed, counted
    text = doc.report.sections.get("overview", "")
    new_total = doc.report.num("t3.new.total")
    wrong = text.replace(f"申请 {new_total} 件", f"申请 {new_total + 3} 件", 1)
    if wrong != text:
        win.show_step("overview")
        doc.set_section("overview", wrong)
        _settle(app, 500)
        _save(win, "overview-mismatch")
        doc.undo_stack.undo()

    # figures bound into the text: the counts of 申请 as fields, the insert menu open
    from model import fields
    text = doc.report.sections.get("overview", "")
    bound = text
    r = doc.report
    sentence = (f"全年收到政府信息公开申请 {r.num('t3.new.total')} 件，"
                f"上年结转 {r.num('t3.carried_in.total')} 件，"
                f"办结 {r.num('t3.results_total.total')} 件，"
                f"结转下年度继续办理 {r.num('t3.carried_out.total')} 件")
    if sentence in text:
        bound = text.replace(sentence, (
            f"全年收到政府信息公开申请 {fields.token('t3.new.total')} 件，"
            f"上年结转 {fields.token('t3.carried_in.total')} 件，"
            f"办结 {fields.token('t3.results_total.total')} 件，"
            f"结转下年度继续办理 {fields.token('t3.carried_out.total')} 件"), 1)
    if bound != text:
        page = win.show_step("overview")
        doc.set_section("overview", bound)
        _settle(app, 400)
        editor = page.editor
        spans = editor.field_spans()
        cur = editor.textCursor()
        cur.setPosition(spans[-1][1] if spans else 0)
        editor.setTextCursor(cur)
        editor.setFocus()
        _settle(app, 200)
        _save(win, "overview-field")
        button = page.field_button
        page.field_menu.popup(button.mapToGlobal(button.rect().bottomLeft()))
        _settle(app, 400)
        _save_screen(app, win, "overview-field-menu")
        page.field_menu.hide()
        doc.undo_stack.undo()
        doc.undo_stack.clear()          # the next pictures show no pending redo
        _settle(app, 200)

    # the year-on-year chart on 检查与导出
    check = win.show_step("check")
    check.show_chart()
    _settle(app, 500)
    _save(win, "check-chart")
    check.tabs.setCurrentIndex(0)

    # table 三 with the problems panel collapsed (视图 → 问题列表), as on a small screen
    win.show_step("requests")
    win.show_problems(False)
    _settle(app, 300)
    _save(win, "requests-collapsed")
    win.show_problems(True)

    # 查找/替换 over the text sections
    win.show_step("overview")
    win.show_find(True)
    win._find_dialog.find_edit.setText("政府信息")
    win._find_dialog.find_next()
    _settle(app, 300)
    _save_screen(app, win, "find")
    win._find_dialog.close()

    # ---- the import preview, as for 导入上年报告
    base = doc.report.baseline if doc.report.baseline is not None else doc.report
    prev = ImportPreviewDialog(win, ImportResult(base.copy(), [], "docx", "上年报告.docx"))
    prev.show()
    _settle(app)
    _save(prev, "import")
    prev.close()

    win.doc.undo_stack.setClean()
    win._closing_ok = True
    win.close()
    # delete the widgets while Qt is still up, in order (not at interpreter exit)
    from PySide6.QtCore import QCoreApplication, QEvent
    for w in (prev, dlg, win):
        w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
