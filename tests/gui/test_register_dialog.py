"""从申请登记表生成表三 in the window: map columns and values, list what fits nowhere, apply, undo."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from gui.document import ReportDocument
from gui.register_dialog import (ProblemsModel, RegisterDialog, RegisterPreviewModel, T3ResultModel,
                                 remembered_mapping)
from gui.settings import Settings
from model.example import build
from model.register import compute_t3, load_mapping, read_register
from model.schema import t3

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def reg_dir(fixtures_dir) -> Path:
    return fixtures_dir / "register"


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def doc() -> ReportDocument:
    return ReportDocument(build())


def _dialog(qtbot, doc, settings, path) -> RegisterDialog:
    d = RegisterDialog(doc, settings)
    qtbot.addWidget(d)
    with qtbot.waitSignal(d.registerLoaded, timeout=20000):
        d.load_register(path)
    d.recompute()
    return d


@pytest.fixture
def dialog(qtbot, doc, settings, reg_dir) -> RegisterDialog:
    return _dialog(qtbot, doc, settings, reg_dir / "register_2025.csv")


def test_models_pass_qtmodeltester(qtmodeltester, reg_dir, doc):
    reg = read_register(reg_dir / "register_2025.csv")
    preview = RegisterPreviewModel(limit=5)
    qtmodeltester.check(preview)
    preview.set_register(reg)
    qtmodeltester.check(preview)
    assert preview.rowCount() == 5 and preview.columnCount() == len(reg.headers)
    assert preview.headerData(0, Qt.Vertical) == "2"          # the file's row number (header = 1)
    assert preview.headerData(1, Qt.Horizontal) == "收到日期"
    values, problems = compute_t3(reg, load_mapping(reg_dir / "mapping_2025.json"), 2025,
                                  baseline=doc.report.baseline)
    result = T3ResultModel()
    qtmodeltester.check(result)
    result.set_values(values, dict(doc.report.values))
    qtmodeltester.check(result)
    pm = ProblemsModel()
    pm.set_problems(problems)
    qtmodeltester.check(pm)
    assert pm.rowCount() == len(problems) > 0


def test_prefilled_from_suggestions_and_shows_rows(dialog):
    assert dialog.preview_model.rowCount() == 16
    assert "共 16 条记录" in dialog.preview_note.text()
    cols = {r: b.currentData() for r, b in dialog.column_boxes.items()}
    assert cols == {"received": "收到日期", "applicant": "申请人类型", "result": "办理结果",
                    "status": "办理状态", "finished": None}
    # official labels and keywords are suggested; what matches nothing stays unmapped
    assert dialog.mapping.lookup("applicant", "自然人") == "person"
    assert dialog.mapping.lookup("result", "信访举报投诉类申请") == "rejected.complaint"
    assert dialog.mapping.lookup("status", "结转下年度") == "open"
    assert "法人" in dialog.unmapped_values("applicant")
    t = dialog.value_tables["applicant"]
    row = next(i for i in range(t.rowCount()) if t.item(i, 0).text() == "法人")
    assert t.cellWidget(row, 2).currentData() is None and t.item(row, 1).text() == "1"


def test_unmapped_value_is_listed_then_mapping_it_counts_it(dialog, qtbot):
    msgs = [p.message for p in dialog.problems]
    assert any("“法人”没有对应到任何申请人类型" in m for m in msgs)
    assert any("2025-13-01" in m for m in msgs)           # a date that is no date
    assert dialog.values is not None and "未能完整计入" in dialog.message
    before = dialog.values[t3("new", "business")]
    with qtbot.waitSignal(dialog.computed):
        dialog.set_value_target("applicant", "法人", "business")
    assert not any("法人" in p.message for p in dialog.problems)
    assert dialog.values[t3("new", "business")] == before + 1
    assert "法人" not in dialog.unmapped_values("applicant")


def test_missing_required_column_is_said(dialog, qtbot):
    with qtbot.waitSignal(dialog.computed):
        dialog.set_column("applicant", None)
    assert dialog.values is None and not dialog.apply_button.isEnabled()
    assert "申请人类型" in dialog.message
    with qtbot.waitSignal(dialog.computed):
        dialog.set_column("applicant", "申请人类型")
    assert dialog.values is not None and dialog.apply_button.isEnabled()


def test_apply_is_one_undo_step_on_table_three_only_and_undo_restores(dialog, doc, monkeypatch):
    dialog.set_value_target("applicant", "法人", "business")
    dialog.recompute()
    before_values, before_raw = dict(doc.report.values), dict(doc.report.raw)
    steps = doc.undo_stack.count()
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes))
    assert dialog.apply()
    assert len(asked) == 1                    # the bad date is still there: the clerk confirmed
    assert doc.undo_stack.count() == steps + 1
    for cid, v in dialog.values.items():
        assert doc.report.values[cid] == v, cid
    changed = {c for c in before_values if doc.report.values[c] != before_values[c]}
    assert changed and all(c.startswith("t3.") for c in changed)
    # carried_in comes from the baseline's carried_out
    base = doc.report.baseline
    assert doc.report.values[t3("carried_in", "person")] == base.num(t3("carried_out", "person"))
    doc.undo_stack.undo()
    assert doc.report.values == before_values and doc.report.raw == before_raw


def test_apply_declined_changes_nothing(dialog, doc, monkeypatch):
    before = dict(doc.report.values)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    assert not dialog.apply()
    assert doc.report.values == before and doc.undo_stack.count() == 0


def test_mapping_is_remembered_for_next_year(dialog, doc, settings, reg_dir, qtbot, monkeypatch):
    dialog.set_value_target("applicant", "法人", "business")
    dialog.set_value_target("result", "予以公开", "granted")
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    assert dialog.apply()
    m = remembered_mapping(settings.qsettings, dialog.register.headers)
    assert m is not None and m.lookup("applicant", "法人") == "business"
    again = _dialog(qtbot, ReportDocument(build()), settings, reg_dir / "register_2025.csv")
    assert again.remembered and again.mapping.lookup("applicant", "法人") == "business"
    assert "法人" not in again.unmapped_values("applicant")


def test_xlsx_and_gbk_registers(qtbot, doc, settings, reg_dir, tmp_path):
    csv_reg = read_register(reg_dir / "register_2025.csv")
    wb = Workbook()
    ws = wb.active
    ws.append(csv_reg.headers)
    for row in csv_reg.rows:
        ws.append([row[h] for h in csv_reg.headers])
    wb.save(tmp_path / "登记表.xlsx")
    x = _dialog(qtbot, doc, settings, tmp_path / "登记表.xlsx")
    g = _dialog(qtbot, doc, settings, reg_dir / "register_2025_gbk.csv")
    c = _dialog(qtbot, doc, settings, reg_dir / "register_2025.csv")
    assert x.values == c.values == g.values and x.values is not None


def test_unreadable_register_is_said(qtbot, doc, settings, tmp_path, monkeypatch):
    bad = tmp_path / "登记表.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a workbook")
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warned.append(a[2])))
    d = RegisterDialog(doc, settings)
    qtbot.addWidget(d)
    with qtbot.waitSignal(d.registerLoaded, timeout=20000):
        d.load_register(bad)
    assert warned and "不是有效的 Excel" in warned[0]
    assert d.register is None and not d.apply_button.isEnabled() and "不是有效的 Excel" in d.message


def test_mapping_file_round_trip(dialog, reg_dir, tmp_path):
    assert dialog.load_mapping_file(reg_dir / "mapping_2025.json")
    # a loaded mapping is taken as it is: 法人 stays unmapped, 予以公开 maps as the file says
    assert dialog.mapping.lookup("result", "予以公开") == "granted"
    assert "法人" in dialog.unmapped_values("applicant")
    dialog.recompute()
    reg = read_register(reg_dir / "register_2025.csv")
    want, _ = compute_t3(reg, load_mapping(reg_dir / "mapping_2025.json"), 2025,
                         baseline=dialog.doc.report.baseline)
    assert dialog.values == want
    assert dialog.save_mapping_file(tmp_path / "m.json")
    assert load_mapping(tmp_path / "m.json").to_json() == dialog.mapping.to_json()


def test_dialog_and_cli_into_make_the_same_change(dialog, doc, reg_dir, tmp_path, monkeypatch):
    """应用到本报告 and `register --into` both apply model.register.t3_change: same cells."""
    import json
    import subprocess
    import sys

    from model import project
    from model.register import t3_change
    dialog.set_value_target("applicant", "法人", "business")
    dialog.recompute()
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps(dialog.mapping.to_json(), ensure_ascii=False), encoding="utf-8")
    into = tmp_path / "本年.nianbao"
    project.save(doc.report, into)
    expected = t3_change(doc.report, dialog.values, "x").cells
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    assert dialog.apply()
    root = Path(__file__).resolve().parents[2]
    res = subprocess.run([sys.executable, "main.py", "register", str(reg_dir / "register_2025.csv"),
                          "--mapping", str(mapping), "--year", str(dialog.year_spin.value()),
                          "--into", str(into)], cwd=root, capture_output=True, timeout=120)
    assert res.returncode in (0, 1), res.stderr.decode("utf-8")
    written = project.load(into)
    assert written.values == doc.report.values and written.raw == doc.report.raw
    assert expected and all(doc.report.values[c] == v for c, (v, _) in expected.items())
