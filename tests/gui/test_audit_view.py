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
    assert "与上年对比" in labels and labels[0].startswith("问题")
    text = dlg.tabs.widget(1)
    assert text.isReadOnly()


def test_export_summary(window, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert window.export_summary(out / "审核.xlsx")
    assert window.export_summary(out / "审核.html")
    assert (out / "审核.xlsx").stat().st_size > 0 and "青岚2025.nianbao" in (out / "审核.html").read_text("utf-8")
