"""汇总多个机关的报告 in the window: read in the background, refuse a mix, open or save the sum."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox

from gui.combine_dialog import CombineDialog, CombineInputsModel, read_inputs
from gui.document import ReportDocument
from gui.main_window import MainWindow
from gui.settings import Settings
from model import project
from model.combine import BREAKDOWN_SHEET
from model.example import build
from model.importers import read_file
from model.render import export
from model.schema import CELL_IDS, t3

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _report(agency: str, bump: int, year: int = 2025):
    r = build()
    r.agency, r.year = agency, year
    r.set(t3("new", "person"), r.num(t3("new", "person")) + bump)
    r.set(t3("granted", "person"), r.num(t3("granted", "person")) + bump)
    r.recompute_totals()
    return r


@pytest.fixture
def files(tmp_path) -> list[Path]:
    a = tmp_path / "甲局.nianbao"
    project.save(_report("青岚县甲局", 1), a)
    b = tmp_path / "乙局.nianbao"
    project.save(_report("青岚县乙局", 5), b)
    c = tmp_path / "丙局.txt"
    export(_report("青岚县丙局", 2), c, force=True)
    return [a, b, c]


@pytest.fixture
def window(qtbot, tmp_path) -> MainWindow:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.default_agency = "青岚县人民政府办公室"
    w = MainWindow(ReportDocument(build()), settings, autosave=False)
    qtbot.addWidget(w)
    return w


@pytest.fixture
def dialog(qtbot, window) -> CombineDialog:
    d = CombineDialog(window)
    qtbot.addWidget(d)
    return d


def _add(qtbot, d: CombineDialog, paths) -> None:
    with qtbot.waitSignal(d.filesRead, timeout=20000):
        d.add_files(paths)


def test_inputs_model_passes_qtmodeltester(qtmodeltester, files, tmp_path):
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"PK\x03\x04broken")
    model = CombineInputsModel()
    model.add(read_inputs(files + [bad]))
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    assert model.index(3, 5).data().startswith("无法读取：")
    model.remove_rows([0, 2])
    qtmodeltester.check(model)
    assert [it.path.name for it in model.items] == ["乙局.nianbao", "坏.docx"]


def test_three_reports_sum_cell_by_cell_and_open_in_window(qtbot, dialog, window, files, monkeypatch):
    _add(qtbot, dialog, files)
    assert dialog.model.rowCount() == 3
    assert [dialog.model.index(i, 1).data() for i in range(3)] == ["青岚县甲局", "青岚县乙局", "青岚县丙局"]
    assert dialog.model.index(2, 4).data() == "纯文本"
    assert dialog.result is not None and dialog.refusal is None
    assert dialog.agency_edit.text() == "青岚县人民政府办公室"
    assert "汇总 3 份 2025 年报告" in dialog.status.text()
    assert dialog.open_button.isEnabled()

    inputs = [read_file(p).report for p in files]
    # the per-agency key figures, the sum last
    fig = dialog.figures
    assert fig.rowCount() == 4 and fig.verticalHeaderItem(3).text() == "合计"
    assert [int(fig.item(i, 0).text()) for i in range(3)] == [r.num(t3("new", "total")) for r in inputs]
    assert int(fig.item(3, 0).text()) == sum(r.num(t3("new", "total")) for r in inputs)
    # the window's report is modified: opening the sum asks first (here: discard)
    window.doc.set_cell_text(t3("new", "business"), "7")
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Discard))
    assert dialog.open_in_window()
    assert len(asked) == 1
    doc = window.doc
    assert doc.report.agency == "青岚县人民政府办公室" and doc.report.year == 2025
    for cid in CELL_IDS:
        assert doc.report.values[cid] == sum(r.num(cid) for r in inputs), cid
    assert doc.is_modified() and doc.path is None
    assert doc.undo_stack.count() == 0


def test_open_cancelled_keeps_the_report(qtbot, dialog, window, files, monkeypatch):
    _add(qtbot, dialog, files[:2])
    window.doc.set_cell_text(t3("new", "business"), "7")
    before = window.doc.report
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Cancel))
    assert not dialog.open_in_window()
    assert window.doc.report is before


def test_mixed_year_is_refused_with_the_message(qtbot, dialog, files, tmp_path):
    old = tmp_path / "丁局2024.nianbao"
    project.save(_report("青岚县丁局", 0, year=2024), old)
    _add(qtbot, dialog, files[:2] + [old])
    assert dialog.result is None
    assert "年度不一致" in dialog.refusal and "丁局2024.nianbao 是 2024 年" in dialog.refusal
    assert dialog.status.text() == f"不能汇总：{dialog.refusal}"
    assert not dialog.open_button.isEnabled() and not dialog.save_button.isEnabled()
    assert not dialog.breakdown_button.isEnabled()
    # removing the odd one out makes the sum possible again
    dialog.table.selectRow(2)
    dialog.remove_selected()
    assert dialog.result is not None and dialog.open_button.isEnabled()


def test_unreadable_file_is_listed_not_summed(qtbot, dialog, files, tmp_path):
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"PK\x03\x04broken")
    _add(qtbot, dialog, files[:2] + [bad])
    assert dialog.model.rowCount() == 3
    assert dialog.result is not None and len(dialog.result.names) == 2
    assert "另有 1 个文件无法读取" in dialog.status.text()
    # the same file again is not listed twice
    _add(qtbot, dialog, [files[0]])
    assert dialog.model.rowCount() == 3


def test_save_project_and_breakdown(qtbot, dialog, files, tmp_path, monkeypatch):
    _add(qtbot, dialog, files)
    dialog.agency_edit.setText("青岚县汇总")
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out / "汇总"), "")))
    dialog.save_button.click()
    saved = project.load(out / "汇总.nianbao")
    assert saved.agency == "青岚县汇总" and saved.cells_equal(dialog.result.report)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out / "明细.xlsx"), "")))
    dialog.breakdown_button.click()
    ws = load_workbook(out / "明细.xlsx")[BREAKDOWN_SHEET]
    heads = [c.value for c in ws[1]]
    assert heads[4:] == ["青岚县甲局", "青岚县乙局", "青岚县丙局", "合计"]
    assert "已保存分机关明细" in dialog.status.text()


def test_add_button_uses_the_file_dialog(qtbot, dialog, files, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(p) for p in files[:2]], "")))
    with qtbot.waitSignal(dialog.filesRead, timeout=20000):
        dialog.add_button.click()
    assert dialog.model.rowCount() == 2 and dialog.result is not None
