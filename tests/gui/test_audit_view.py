"""The 审核 view: audit a folder off the GUI thread, sort, filter, open one, export."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gui.audit_view import COL_ERRORS, AuditTableModel, AuditWindow
from model import project
from model.audit import audit
from model.example import build, build_2024

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def folder(tmp_path) -> Path:
    wrong = build()
    wrong.baseline = None
    wrong.set("t3.carried_in.person", 9)
    wrong.recompute_totals()
    project.save(wrong, tmp_path / "青岚2025.nianbao")
    project.save(build_2024(), tmp_path / "青岚2024.nianbao")
    late = build()
    late.agency, late.baseline, late.publish_date = "白石县教育局", None, date(2026, 2, 3)
    project.save(late, tmp_path / "白石.nianbao")
    (tmp_path / "坏文件.docx").write_bytes(b"PK\x03\x04broken")
    return tmp_path


@pytest.fixture
def window(qtbot, folder) -> AuditWindow:
    w = AuditWindow(workers=1)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.finished, timeout=30000):
        assert w.open_folder(folder)
    return w


def test_model_passes_qtmodeltester(qtmodeltester, folder):
    model = AuditTableModel()
    model.set_result(audit(folder, workers=1))
    qtmodeltester.check(model)
    assert model.rowCount() == 3


def test_filter_proxy_passes_qtmodeltester(qtmodeltester, window):
    window.filter_edit.setText("青岚")
    qtmodeltester.check(window.proxy)
    window.show_rule("X1")
    qtmodeltester.check(window.proxy)


def test_lists_reports_with_counts_and_unreadable(window):
    assert window.proxy.rowCount() == 3
    assert window.unreadable.rowCount() == 1 and window.unreadable.item(0, 0).text() == "坏文件.docx"
    assert "无法读取 1 个" in window.summary.text()
    # sorted by errors, most first: the 2025 report with X1 on top
    top = window.row_for_view(0)
    assert top.file == "青岚2025.nianbao" and top.errors > 0
    assert window.proxy.index(0, COL_ERRORS).data() == str(top.errors)


def test_sort_and_filter(window):
    window.table.sortByColumn(0, Qt.AscendingOrder)
    files = [window.row_for_view(i).file for i in range(window.proxy.rowCount())]
    assert files == sorted(files)
    window.filter_edit.setText("白石")
    assert window.proxy.rowCount() == 1 and window.row_for_view(0).agency == "白石县教育局"
    window.filter_edit.clear()
    window.kind_box.setCurrentIndex(window.kind_box.findData("late"))
    assert [window.row_for_view(i).file for i in range(window.proxy.rowCount())] == ["白石.nianbao"]
    window.kind_box.setCurrentIndex(window.kind_box.findData("errors"))
    assert all(window.row_for_view(i).errors for i in range(window.proxy.rowCount()))
    assert window.proxy.rowCount() == 1


def test_open_one_read_only_with_findings_and_chart(window, qtbot):
    dlg = window.open_report(0, show=False)
    qtbot.addWidget(dlg)
    row = window.row_for_view(0)
    assert dlg.findings.topLevelItemCount() == len(row.findings)
    rules = {dlg.findings.topLevelItem(i).text(1) for i in range(dlg.findings.topLevelItemCount())}
    assert "X1" in rules
    labels = [dlg.tabs.tabText(i) for i in range(dlg.tabs.count())]
    assert labels[:2] == [f"问题（{len(row.findings)}）", "主要数字"]
    assert "与上年对比" in labels and dlg.chart is not None and dlg.chart.renderer().isValid()
    figures = dlg.tabs.widget(1)
    assert figures.columnCount() == 2                   # this year and last year
    new_total = figures.item(0, 0).text()
    assert new_total == str(row.report.num("t3.new.total"))
    text = dlg.tabs.widget(2)
    assert text.isReadOnly() and text.toPlainText() == row.report.sections["overview"]


def test_open_one_without_previous_year_has_no_chart(window, qtbot):
    window.filter_edit.setText("白石")
    dlg = window.open_report(0, show=False)
    qtbot.addWidget(dlg)
    labels = [dlg.tabs.tabText(i) for i in range(dlg.tabs.count())]
    assert "与上年对比" not in labels and dlg.chart is None
    assert dlg.tabs.widget(1).columnCount() == 1


def test_rule_counts_and_folder_chart(window):
    result = window.result
    counts = result.rule_counts()
    assert window.rules.rowCount() == len(counts) > 0
    assert [window.rules.item(i, 0).text() for i in range(len(counts))] == [c.rule for c in counts]
    x1 = next(i for i, c in enumerate(counts) if c.rule == "X1")
    assert window.rules.item(x1, 1).text()                  # the rule's title
    # double-clicking a rule lists the reports that have it
    window.rules.cellDoubleClicked.emit(x1, 0)
    assert window.tabs.currentIndex() == 0 and window.kind_box.currentData() == "rule:X1"
    assert [window.row_for_view(i).file for i in range(window.proxy.rowCount())] == ["青岚2025.nianbao"]
    window.kind_box.setCurrentIndex(0)
    assert window.proxy.rowCount() == 3
    assert window.tabs.tabText(1) == f"按规则统计（{len(counts)}）"
    # the 2025 report has its 2024 report in the folder: the chart is drawn
    assert window.chart is not None and window.chart.renderer().isValid()


def test_progress_and_stop(qtbot, folder, monkeypatch):
    """The worker reports progress through plain state; 停止 ends the run with a message."""
    import threading
    import time

    import gui.audit_view as av

    started = threading.Event()

    def slow_audit(folder, workers=None, progress=None):
        for i in range(100000):
            progress(i % 10, 10)
            started.set()
            time.sleep(0.002)
        raise AssertionError("never stopped")

    monkeypatch.setattr(av, "audit", slow_audit)
    w = AuditWindow(workers=1)
    qtbot.addWidget(w)
    assert w.open_folder(folder) and w.busy
    assert not w.open_folder(folder)                    # one audit at a time
    assert started.wait(10)
    qtbot.waitUntil(lambda: w.progress.maximum() == 10, timeout=5000)
    with qtbot.waitSignal(w.finished, timeout=10000):
        w.stop_button.click()
    assert not w.busy and w.summary.text() == "已停止审核。" and w.open_button.isEnabled()
    assert w.progress.isHidden() and w.result is None


def test_not_a_folder_is_said(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warned.append(a[2])))
    w = AuditWindow(workers=1)
    qtbot.addWidget(w)
    assert not w.open_folder(tmp_path / "没有")
    assert warned and "不存在或不是文件夹" in warned[0] and not w.busy


def test_open_button_and_export_button_use_dialogs(qtbot, folder, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QFileDialog
    qs = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder)))
    w = AuditWindow(workers=1, settings=qs)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.finished, timeout=30000):
        w.open_button.click()
    assert w.proxy.rowCount() == 3 and qs.value("audit/folder") == str(folder)
    out = tmp_path / "导出"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out / "结果"), "网页 (*.html)")))
    w.export_button.click()
    assert "青岚2025.nianbao" in (out / "结果.html").read_text("utf-8")


def test_export_summary(window, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert window.export_summary(out / "审核.xlsx")
    assert window.export_summary(out / "审核.html")
    assert (out / "审核.xlsx").stat().st_size > 0
    assert "青岚2025.nianbao" in (out / "审核.html").read_text("utf-8")


# ---- the roster and 重复率 (issue 15) --------------------------------------------

ROSTER = "名称,层级,别名\n青岚县市场监督管理局,部门,县市场监管局\n区教育局,部门,\n松河区民政局,部门,\n"


@pytest.fixture
def roster_file(tmp_path) -> Path:
    p = tmp_path / "名录" / "名录.csv"
    p.parent.mkdir()
    p.write_text(ROSTER, encoding="utf-8")
    return p


def test_repeat_rate_column(window):
    from gui.audit_view import COL_RATE
    rows = {window.row_for_view(i).file: i for i in range(window.proxy.rowCount())}
    paired = window.proxy.index(rows["青岚2025.nianbao"], COL_RATE).data()
    assert paired.endswith("%")
    assert window.proxy.index(rows["白石.nianbao"], COL_RATE).data() == ""
    assert window.model.headerData(COL_RATE, Qt.Horizontal) == "重复率"


def test_roster_chosen_after_the_audit(window, roster_file, qtmodeltester):
    assert window.set_roster(roster_file)
    assert window.tabs.currentIndex() == 4
    st = window.result.roster
    assert st is not None and (st.filed, st.missing) == (2, 1)
    qtmodeltester.check(window.roster_proxy)
    # sorted with the missing first
    first = window.unit_for_view(0)
    assert first.unit.name == "松河区民政局" and first.status == "missing"
    assert window.roster_proxy.index(0, 2).data() == "未报送"
    assert "未报送 1" in window.tabs.tabText(4)
    assert "名录 3 个单位" in window.summary.text()
    # a guessed name says so
    edu = next(i for i in range(window.roster_proxy.rowCount())
               if window.unit_for_view(i).unit.name == "区教育局")
    assert window.roster_proxy.index(edu, 5).data() == "名称写法不同（推测）"
    assert "白石县教育局" in window.roster_proxy.index(edu, 5).data(Qt.ToolTipRole)
    assert window.roster_proxy.index(edu, 8).data() == "逾期 3 天"


def test_roster_search_filter_and_sort(window, roster_file, qtbot):
    window.set_roster(roster_file)
    window.unit_search.setText("民政")
    assert window.roster_proxy.rowCount() == 1 and window.unit_for_view(0).unit.name == "松河区民政局"
    window.unit_search.clear()
    window.unit_search.setText("白石")          # the report's agency name finds its unit
    assert [window.unit_for_view(i).unit.name for i in range(window.roster_proxy.rowCount())] == ["区教育局"]
    window.unit_search.clear()
    for key, names in (("missing", ["松河区民政局"]), ("late", ["区教育局"]), ("guessed", ["区教育局"]),
                       ("filed", ["区教育局", "青岚县市场监督管理局"]), ("unpaired", ["区教育局"])):
        window.status_box.setCurrentIndex(window.status_box.findData(key))
        got = sorted(window.unit_for_view(i).unit.name for i in range(window.roster_proxy.rowCount()))
        assert got == sorted(names), key
    window.status_box.setCurrentIndex(0)
    from gui.audit_view import RCOL_RATE, RCOL_UNIT
    window.roster_table.sortByColumn(RCOL_UNIT, Qt.AscendingOrder)
    names = [window.unit_for_view(i).unit.name for i in range(3)]
    assert names == sorted(names)
    window.roster_table.sortByColumn(RCOL_RATE, Qt.DescendingOrder)
    assert window.unit_for_view(0).unit.name == "青岚县市场监督管理局"
    from gui.audit_view import RCOL_PLACES
    window.roster_table.sortByColumn(RCOL_PLACES[-1], Qt.DescendingOrder)     # 结构: S8 of the late one
    assert window.unit_for_view(0).unit.name == "区教育局"
    assert window.unit_for_view(2).status == "missing"


def test_roster_before_the_audit_and_export(qtbot, folder, roster_file, tmp_path):
    w = AuditWindow(workers=1)
    qtbot.addWidget(w)
    assert w.set_roster(roster_file) and "3 个单位" in w.roster_button.text()
    w.year_box.setValue(2025)
    with qtbot.waitSignal(w.finished, timeout=30000):
        assert w.open_folder(folder)
    assert w.result.roster is not None and w.result.roster.year == 2025
    assert w.tabs.currentIndex() == 4 and w.roster_model.rowCount() == 3
    out = tmp_path / "导出"
    out.mkdir()
    assert w.export_summary(out / "审核.html")
    page = (out / "审核.html").read_text("utf-8")
    assert 'id="roster"' in page and "松河区民政局" in page
    # another year: nobody filed for 2024 but 青岚
    w.year_box.setValue(2024)
    assert w.result.roster.year == 2024 and w.result.roster.filed == 1


def test_bad_roster_is_a_message(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warned.append(a[2])))
    bad = tmp_path / "名录.csv"
    bad.write_bytes(b"")
    w = AuditWindow(workers=1)
    qtbot.addWidget(w)
    assert not w.set_roster(bad)
    assert warned and "是空的" in warned[0] and w.roster is None


def test_roster_button_uses_a_file_dialog(window, roster_file, monkeypatch):
    from PySide6.QtWidgets import QFileDialog
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(roster_file), "")))
    window.roster_button.click()
    assert window.roster is not None and window.roster_model.rowCount() == 3


def test_open_unit_and_compare_from_the_detail(window, roster_file, qtbot):
    window.set_roster(roster_file)
    assert window.open_unit(0, show=False) is None               # the missing unit has no report
    i = next(i for i in range(window.roster_proxy.rowCount())
             if window.unit_for_view(i).unit.name == "青岚县市场监督管理局")
    dlg = window.open_unit(i, show=False)
    qtbot.addWidget(dlg)
    assert dlg.compare_button is not None and "重复率" in dlg.compare_button.text()
    dlg.compare_button.click()
    cw = dlg.compare_window
    qtbot.addWidget(cw)
    assert cw.comparison is not None and cw.isVisible()
    assert cw.comparison.this.year == 2025 and cw.comparison.last.year == 2024
    assert "青岚2024.nianbao" in cw.files.text()
    assert cw in window.compare_windows              # kept by the audit window, not the dialog
    dlg.close()
    assert cw.isVisible()
    # a report without a previous year has no comparison button
    window.filter_edit.setText("白石")
    plain = window.open_report(0, show=False)
    qtbot.addWidget(plain)
    assert plain.compare_button is None


def test_every_roster_column_shows_at_1366(window, roster_file, qtbot):
    """At 1366×768 (the audit window sized to the screen's 1366 px) the 报送情况 table shows
    every column, the 重复率 at its end included: no horizontal scrolling to see a unit's row."""
    from PySide6.QtGui import QFont
    font = QFont(window.font())
    font.setPixelSize(15)               # the screenshots' font (Noto Sans CJK at 1366×768, 100 %)
    window.setFont(font)
    window.resize(1340, 700)
    window.show()
    qtbot.waitExposed(window)
    assert window.set_roster(roster_file)
    t = window.roster_table
    qtbot.waitUntil(lambda: t.viewport().width() > 0)
    shown = [c for c in range(t.model().columnCount()) if not t.isColumnHidden(c)]
    widths = {window.roster_model.headerData(c, Qt.Horizontal): t.columnWidth(c) for c in shown}
    assert sum(widths.values()) <= t.viewport().width(), widths
    assert not t.horizontalScrollBar().isVisible()
