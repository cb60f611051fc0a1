"""The import preview: what was read, the notes and findings, and the clerk's choice."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gui.import_dialog import ImportPreviewDialog, read_file_async
from model import project
from model.importers.base import ImportResult, Note
from model.report import Report

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _result() -> ImportResult:
    r = Report.zeros(agency="某某区文化和旅游局", year=2024)
    r.values["t3.new.person"] = 35
    r.values["t3.granted.person"] = 35
    r.recompute_totals()
    r.values["t4.review.upheld"] = 1
    r.values["t4.review.total"] = 1
    r.sections["overview"] = "本年度共处理政府信息公开申请 30 件。" + "主动公开工作稳步推进。" * 80
    r.sections["other"] = "无"
    notes = [Note("variant", "“本年度止件数”按“本年废止件数”读取", ("t2.normative.repealed",)),
             Note("unplaced", "第 3 行的数字无法归入表格，已忽略")]
    return ImportResult(r, notes, source_format="docx", source_name="上年报告.docx")


def _dialog(qtbot, result=None):
    dlg = ImportPreviewDialog(None, result or _result())
    qtbot.addWidget(dlg)
    return dlg


def test_preview_shows_meta_figures_notes_and_findings(qtbot):
    dlg = _dialog(qtbot)
    assert dlg.agency_label.text() == "某某区文化和旅游局"
    assert "2024" in dlg.year_label.text()
    assert "2021" in dlg.format_label.text() and "Word" in dlg.format_label.text()
    figures = {dlg.figures.topLevelItem(i).data(0, Qt.UserRole): dlg.figures.topLevelItem(i).text(1)
               for i in range(dlg.figures.topLevelItemCount())}
    assert figures["t3.new.total"] == "35"
    assert figures["t3.results_total.total"] == "35"
    assert figures["t3.carried_out.total"] == "0"
    assert figures["t4.review.total"] == "1"
    notes = [dlg.notes.topLevelItem(i).text(1) for i in range(dlg.notes.topLevelItemCount())]
    assert notes == ["“本年度止件数”按“本年废止件数”读取", "第 3 行的数字无法归入表格，已忽略"]
    assert "读取说明（2）" == dlg.tabs.tabText(0)
    rules = {dlg.findings_tree.topLevelItem(i).text(1)
             for i in range(dlg.findings_tree.topLevelItemCount())}
    assert {"N1", "S6"} <= rules                      # 30 in the text vs 35; 六 is 无
    # the long text is abridged
    shown = dlg.section_views["overview"].toPlainText()
    assert shown.startswith("本年度共处理政府信息公开申请 30 件。") and "此处只显示开头" in shown


@pytest.mark.parametrize("button, choice", [("open_button", "open"),
                                            ("baseline_button", "baseline"),
                                            ("cancel_button", None)])
def test_choice(qtbot, button, choice):
    dlg = _dialog(qtbot)
    dlg.show()
    qtbot.mouseClick(getattr(dlg, button), Qt.LeftButton)
    assert not dlg.isVisible()
    assert dlg.choice() == choice


def test_unknown_agency_and_year_are_said(qtbot):
    res = _result()
    res.report.agency = ""
    res.report.year = None
    dlg = _dialog(qtbot, res)
    assert "未读到机关名称" in dlg.agency_label.text()
    assert "未读到年度" in dlg.year_label.text()


def test_read_file_async_reads_project_and_reports_errors(qtbot, tmp_path):
    r = _result().report
    path = tmp_path / "上年.nianbao"
    project.save(r, path)
    got = []
    read_file_async(None, path, lambda res, err: got.append((res, err)))
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    res, err = got[0]
    assert err is None and res.report.values == r.values and res.report.agency == r.agency

    got.clear()
    read_file_async(None, tmp_path / "没有这个文件.docx", lambda res, err: got.append((res, err)))
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    res, err = got[0]
    assert res is None and "没有这个文件.docx" in err


@pytest.mark.seeds
def test_seed_001_preview_shows_its_findings_and_notes(qtbot):
    from model.importers import read_file
    from tests.conftest import seed_path
    result = read_file(seed_path("001"))
    dlg = _dialog(qtbot, result)
    assert "西工区人民政府办公室" in dlg.agency_label.text()
    rules = {dlg.findings_tree.topLevelItem(i).text(1)
             for i in range(dlg.findings_tree.topLevelItemCount())}
    assert "N1" in rules and "T3-5" in rules
    notes = " ".join(dlg.notes.topLevelItem(i).text(1) for i in range(dlg.notes.topLevelItemCount()))
    assert "本年度止件数" in notes
