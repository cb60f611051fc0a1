"""Screenshots of the 工具 menu's tools for the README: audit, register → table 三, roll-up.

Run under a virtual X server with Chinese fonts installed (fonts-noto-cjk)::

    xvfb-run -a -s "-screen 0 1366x768x24" uv run python docs/make_tool_screenshots.py

It builds, in a temporary folder, a reviewer's folder of invented agencies'
reports (several formats, a pair of years, a damaged file, a late one, wrong
figures) and audits it (``docs/screenshot-audit.png``); opens the case
register of the test fixtures in the register dialog on the built-in example
report (``docs/screenshot-register.png`` the mapping,
``docs/screenshot-register-result.png`` table 三 and the problems); and sums
four departments' reports (``docs/screenshot-combine.png``).  The user's settings are never
touched: they live in the temporary folder for the run.
"""
from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs"
REGISTER = ROOT / "tests" / "fixtures" / "register" / "register_2025.csv"


def _settle(app, ms: int = 400) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def _wait(app, signal, start, timeout_ms: int = 60000) -> None:
    """Call ``start()`` and run the event loop until ``signal`` fires."""
    from PySide6.QtCore import QEventLoop, QTimer
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    start()
    loop.exec()
    signal.disconnect(loop.quit)
    app.processEvents()


def _save(widget, name: str) -> Path:
    path = OUT / f"screenshot-{name}.png"
    if not widget.grab().save(str(path)):
        raise SystemExit(f"无法保存截图 {path}")
    print(f"已保存 {path.relative_to(ROOT)}")
    return path


DEPARTMENTS = ("青岚县教育局", "青岚县民政局", "青岚县财政局", "青岚县自然资源局", "青岚县住房和城乡建设局",
               "青岚县交通运输局", "青岚县农业农村局", "青岚县卫生健康委员会", "青岚县人力资源和社会保障局",
               "青岚县生态环境分局", "青岚县应急管理局")


def _department(agency: str, i: int):
    """An invented department's 2025 report: the example's figures, varied."""
    from model.example import build
    from model.schema import t3, t4
    r = build()
    r.agency, r.baseline = agency, None
    r.set(t3("new", "person"), r.num(t3("new", "person")) + i)
    r.set(t3("granted", "person"), r.num(t3("granted", "person")) + i)
    r.set(t4("review", "upheld"), r.num(t4("review", "upheld")) + i % 3)
    r.recompute_totals()
    return r


def build_audit_folder(folder: Path) -> None:
    from model import project
    from model.example import build, build_2024
    from model.render import export
    from model.schema import t3

    own = folder / build().agency                           # the example agency, two years
    own.mkdir(parents=True, exist_ok=True)
    project.save(build(), own / "2025年度报告.nianbao")
    export(build_2024(), own / "2024年度报告.docx", force=True)      # last year, as published
    kinds = ("docx", "html", "txt", "xlsx", "nianbao")
    for i, agency in enumerate(DEPARTMENTS):
        r = _department(agency, i)
        if i == 1:                                          # a total that does not add up
            r.set(t3("results_total", "person"), r.num(t3("results_total", "person")) + 2)
        if i == 4:                                          # published after 31 January
            r.publish_date = date(2026, 2, 9)
        if i == 6:                                          # the balance of table 三 is off
            r.set(t3("carried_out", "business"), r.num(t3("carried_out", "business")) + 3)
            r.recompute_totals()
        if i == 8:
            r.sections["other"] = ""
        kind = kinds[i % len(kinds)]
        path = folder / "县直部门" / f"{agency}2025年政府信息公开工作年度报告.{kind}"
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "nianbao":
            project.save(r, path)
        else:
            export(r, path, force=True)
    (folder / "县直部门" / "青岚县审计局2025年度报告.docx").write_bytes(b"PK\x03\x04 damaged in transit")
    (folder / "县直部门" / "扫描件.pdf").write_bytes(b"%PDF-1.4\n%scan\n")


def main() -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        print("没有图形界面：请在 xvfb-run 下运行（见文件开头的说明）。", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-tool-shots-"))
    from PySide6.QtCore import QCoreApplication, QEvent, QSettings

    from gui.app import make_app
    app = make_app([sys.argv[0]])
    app.setFont(app.font())

    from gui.audit_view import AuditWindow
    from gui.combine_dialog import CombineDialog
    from gui.document import ReportDocument
    from gui.main_window import MainWindow
    from gui.register_dialog import RegisterDialog
    from gui.settings import Settings
    from model import paths, project

    settings = Settings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    keep = []

    # ---- the audit of a folder
    folder = tmp / "2025年度报告（收件）"
    folder.mkdir()
    build_audit_folder(folder)
    aw = AuditWindow(None, workers=1, settings=settings.qsettings)
    aw.resize(1300, 640)
    aw.show()
    _wait(app, aw.finished, lambda: aw.open_folder(folder))
    aw.table.selectRow(0)
    _settle(app, 500)
    _save(aw, "audit")
    keep.append(aw)

    # ---- the register dialog on the example report
    example = project.load(paths.EXAMPLE_REPORT)
    settings.default_agency = "青岚县人民政府办公室"
    win = MainWindow(ReportDocument(example.copy()), settings, autosave=False)
    pass                            # the window fits itself to the 1366×768 screen
    keep.append(win)
    reg = RegisterDialog(win.doc, settings, win)
    pass                            # the dialog fits itself to the screen
    reg.show()
    _wait(app, reg.registerLoaded, lambda: reg.load_register(REGISTER))
    reg.recompute()
    reg.tabs.setCurrentIndex(1)
    _settle(app, 500)
    _save(reg, "register")
    reg.tabs.setCurrentIndex(2)
    _settle(app, 300)
    _save(reg, "register-result")
    keep.append(reg)

    # ---- the roll-up of three departments
    files = []
    for i, agency in enumerate(DEPARTMENTS[:4]):
        p = tmp / "汇总" / f"{agency}.nianbao"
        p.parent.mkdir(exist_ok=True)
        project.save(_department(agency, i), p)
        files.append(p)
    cd = CombineDialog(win)
    pass                            # the dialog fits itself to the screen
    cd.show()
    _wait(app, cd.filesRead, lambda: cd.add_files(files))
    cd.table.selectRow(0)
    _settle(app, 500)
    _save(cd, "combine")
    keep.append(cd)

    win.doc.undo_stack.setClean()
    for w in keep:
        w.hide()
        w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
