"""Screenshots of the 政务公开办 features (issue 15) for the README: the roster's filing
status in the 审核 window and the 与上年对比 view.

Run under a virtual X server with Chinese fonts installed (fonts-noto-cjk)::

    xvfb-run -a -s "-screen 0 1366x768x24" uv run python docs/make_office_screenshots.py

It builds the reviewer's folder of ``docs/make_tool_screenshots.py`` in a temporary
folder, adds one department whose 2025 text is mostly last year's (内容雷同), writes a
roster of the county's units (two that did not file, a short name, an alias, one
department left off the roster), audits the folder with it and saves
``docs/screenshot-roster.png`` (报送情况, missing units first); then opens that
department's report from the roster, its 与上年逐句对比 and saves
``docs/screenshot-compare.png`` (the text side by side) and
``docs/screenshot-compare-cells.png`` (the changed cells with X1 in place).
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs"))

from make_tool_screenshots import DEPARTMENTS, _save, _settle, _wait, build_audit_folder  # noqa: E402

COPIED = "青岚县民政局"


def add_copied_pair(folder: Path) -> None:
    """青岚县民政局: 2024 as published, 2025 mostly the same sentences, a few figures changed."""
    from model import project
    from model.example import build_2024
    from model.render import export
    from model.schema import T3_COLUMNS, t3

    last = build_2024()
    last.agency = COPIED
    last.sections = {k: v.replace("青岚县市场监督管理局", COPIED).replace("县市场监督管理局", "县民政局")
                     for k, v in last.sections.items()}
    this = last.copy()
    this.year, this.baseline, this.structure = 2025, None, None
    if last.publish_date is not None:
        this.publish_date = last.publish_date.replace(year=2026)
    for col, _ in T3_COLUMNS:
        if col == "total":
            continue
        carried = last.num(t3("carried_out", col)) + (1 if col == "person" else 0)     # X1 for 自然人
        moved = carried - last.num(t3("carried_in", col))
        this.set(t3("carried_in", col), carried)
        this.set(t3("granted", col), last.num(t3("granted", col)) + moved + (6 if col == "person" else 0))
    this.set(t3("new", "person"), last.num(t3("new", "person")) + 6)
    this.set("t2.licensing.decisions", last.num("t2.licensing.decisions") + 57)
    this.recompute_totals()
    ov = this.sections["overview"].replace("2024", "2025")
    this.sections["overview"] = ov.replace("。", "。本年度还开展了政务公开专题培训两次。", 1)
    d = folder / "县直部门" / COPIED
    d.mkdir(parents=True, exist_ok=True)
    export(last, d / "2024年度报告.html", force=True)
    project.save(this, d / "2025年度报告.nianbao")
    # the department's own 2025 file of build_audit_folder is replaced by this pair
    for p in (folder / "县直部门").glob(f"{COPIED}2025*"):
        p.unlink()


def write_roster(path: Path) -> None:
    from model.example import build
    rows = [("名称", "层级", "别名"), (build().agency, "部门", "县市场监管局")]
    for agency in DEPARTMENTS:
        if agency == "青岚县应急管理局":
            rows.append(("县应急管理局", "部门", ""))           # a short name: matched, guessed
        elif agency != "青岚县生态环境分局":                    # left off: listed as not on the roster
            rows.append((agency, "部门", ""))
    rows += [("青岚县审计局", "部门", ""), ("青岚县统计局", "部门", "县统计局"),
             ("青岚县人民政府", "本级人民政府", ""), ("白石镇人民政府", "乡镇街道", "白石镇")]
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8-sig")


def main() -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        print("没有图形界面：请在 xvfb-run 下运行（见文件开头的说明）。", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-office-shots-"))
    from PySide6.QtCore import QSettings

    from gui.app import make_app
    app = make_app([sys.argv[0]])

    from gui.audit_view import AuditWindow

    qs = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    folder = tmp / "2025年度报告（收件）"
    folder.mkdir()
    build_audit_folder(folder)
    add_copied_pair(folder)
    roster = tmp / "青岚县应报送单位名录.csv"
    write_roster(roster)

    aw = AuditWindow(None, workers=1, settings=qs)
    aw.resize(1340, 720)             # within a 1366×768 screen, like every other picture
    aw.show()
    if not aw.set_roster(roster):
        return 1
    aw.year_box.setValue(2025)
    _wait(app, aw.finished, lambda: aw.open_folder(folder))
    aw.tabs.setCurrentIndex(4)
    aw.roster_table.selectRow(0)
    _settle(app, 500)
    _save(aw, "roster")

    row = next(i for i in range(aw.roster_proxy.rowCount()) if aw.unit_for_view(i).unit.name == COPIED)
    dlg = aw.open_unit(row, show=False)
    dlg.show()
    _settle(app, 200)
    cw = dlg.open_compare()
    cw.resize(1300, 720)
    cw.tabs.setCurrentIndex(0)
    _settle(app, 500)
    _save(cw, "compare")
    cw.tabs.setCurrentIndex(3)
    cw.changes.resizeRowsToContents()
    _settle(app, 400)
    _save(cw, "compare-cells")
    return 0


if __name__ == "__main__":
    sys.exit(main())
