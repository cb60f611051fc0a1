"""Autosave and crash recovery: written after idle, offered at the next start, restored exactly."""
from __future__ import annotations

import json
from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

import gui.autosave as autosave
from gui.autosave import Autosaver, find_autosave, restore_into
from gui.document import ReportDocument
from gui.settings import Settings
from gui.start_dialog import StartDialog
from model import project
from model.report import Report

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def fast_timers(monkeypatch):
    monkeypatch.setattr(autosave, "IDLE_MS", 50)


@pytest.fixture
def settings(tmp_path):
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))


def _report() -> Report:
    r = Report.zeros(agency="某某镇人民政府", year=2025, publish_date=date(2026, 1, 20))
    r.values["t3.new.person"] = 4
    r.values["t3.granted.person"] = 4
    r.recompute_totals()
    r.sections["overview"] = "（一）主动公开：……"
    base = Report.zeros(agency="某某镇人民政府", year=2024)
    base.sections["problems"] = "上年的问题"
    r.baseline = base
    return r


def _files(folder):
    return sorted(p.name for p in folder.glob("autosave-*")) if folder.is_dir() else []


def test_crash_recovery_restores_exact_report(qtbot, tmp_path, settings):
    folder = tmp_path / "autosave"
    doc = ReportDocument(_report(), path=tmp_path / "镇.nianbao")
    saver = Autosaver(doc, folder)
    assert find_autosave(folder) is None            # nothing unsaved yet
    doc.set_cell_text("t3.new.business", "3")
    doc.set_section("problems", "本年的问题：培训不足。改进措施：加强培训。")
    qtbot.waitUntil(lambda: find_autosave(folder) is not None, timeout=3000)
    expected = doc.report.copy()

    # --- the crash: the window is gone without a clean close
    saver._idle.stop()
    saver._period.stop()
    del saver

    info = find_autosave(folder)
    assert info.agency == "某某镇人民政府" and info.year == 2025
    assert info.original == tmp_path / "镇.nianbao"
    dlg = StartDialog(None, [], info, settings)
    qtbot.addWidget(dlg)
    assert dlg.restore_button is not None and "某某镇人民政府" in dlg.restore_button.description()
    qtbot.mouseClick(dlg.restore_button, Qt.LeftButton)
    report, path = dlg.result_report()
    assert dlg.result_kind() == "restore" and dlg.result_modified()
    assert path == tmp_path / "镇.nianbao"
    assert report.values == expected.values
    assert report.sections == expected.sections
    assert report.publish_date == expected.publish_date
    assert report.baseline.sections == expected.baseline.sections

    # --- the new window takes it over: modified, and the old files go once it has its own
    doc2 = ReportDocument()
    saver2 = Autosaver(doc2, folder)
    restore_into(doc2, dlg.autosave_used(), saver2)
    assert doc2.is_modified()
    assert doc2.report.values == expected.values and doc2.path == tmp_path / "镇.nianbao"
    qtbot.waitUntil(lambda: not info.path.exists() and saver2.path.exists(), timeout=3000)
    assert _files(folder) == sorted([saver2.path.name, saver2.meta_path.name])


def test_saving_or_closing_removes_the_autosave(qtbot, tmp_path):
    folder = tmp_path / "a"
    doc = ReportDocument(_report())
    saver = Autosaver(doc, folder)
    doc.set_cell_text("t3.new.business", "1")
    qtbot.waitUntil(lambda: saver.path.exists(), timeout=3000)
    doc.save(tmp_path / "r.nianbao")
    assert _files(folder) == []
    doc.set_cell_text("t3.new.business", "2")
    qtbot.waitUntil(lambda: saver.path.exists(), timeout=3000)
    saver.stop()
    assert _files(folder) == []
    assert find_autosave(folder) is None


def test_undo_back_to_saved_state_drops_the_autosave(qtbot, tmp_path):
    folder = tmp_path / "a"
    doc = ReportDocument(_report())
    saver = Autosaver(doc, folder)
    doc.set_cell_text("t3.new.business", "1")
    assert saver.save_now()
    assert saver.path.exists()
    doc.undo_stack.undo()
    assert not doc.is_modified()
    assert _files(folder) == []


def test_autosave_written_atomically_as_a_project_file(qtbot, tmp_path):
    folder = tmp_path / "a"
    doc = ReportDocument(_report())
    saver = Autosaver(doc, folder)
    doc.set_meta(agency="某某镇")
    assert saver.save_now()
    assert project.load(saver.path).agency == "某某镇"
    meta = json.loads(saver.meta_path.read_text(encoding="utf-8"))
    assert meta["agency"] == "某某镇" and meta["original"] is None
    assert not list(folder.glob(".*.tmp"))


def test_unwritable_folder_reports_failure(qtbot, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    doc = ReportDocument(_report())
    saver = Autosaver(doc, blocker / "sub")            # a folder under a file: cannot exist
    doc.set_meta(agency="某某镇")
    with qtbot.waitSignal(saver.failed, timeout=3000) as sig:
        pass
    assert sig.args[0].startswith("自动保存失败")
    assert not saver.save_now() and saver.last_error


def test_damaged_autosave_is_refused_with_a_message(qtbot, tmp_path, settings, monkeypatch):
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "autosave-1.nianbao").write_text("{broken", encoding="utf-8")
    (folder / "autosave-1.json").write_text("also broken", encoding="utf-8")
    info = find_autosave(folder)
    assert info is not None and info.agency == ""
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a: warnings.append(text)))
    dlg = StartDialog(None, [], info, settings)
    qtbot.addWidget(dlg)
    qtbot.mouseClick(dlg.restore_button, Qt.LeftButton)
    assert dlg.result_report() is None
    assert warnings and "无法恢复" in warnings[0]
    assert info.path.exists()                            # nothing thrown away


def test_the_window_spells_the_project_suffix_as_the_model_does():
    # gui.autosave (the start screen) and gui.main_window keep their own copy, so that
    # neither imports model.project before the first paint
    from gui.main_window import PROJECT_SUFFIX
    assert autosave.PROJECT_SUFFIX == PROJECT_SUFFIX == project.SUFFIX
