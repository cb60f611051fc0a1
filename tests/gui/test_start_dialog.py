"""The first screen: new report, last year's report, recent files, the built-in example."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFileDialog, QMessageBox

from gui.settings import Settings, SettingsDialog
from gui.start_dialog import StartDialog, default_year
from model import paths, project
from model.report import Report
from model.schema import Level, Tier

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def settings(tmp_path):
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))


def _dialog(qtbot, settings, recent=(), autosave=None):
    dlg = StartDialog(None, list(recent), autosave, settings)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def _last_year_report() -> Report:
    r = Report.zeros(agency="某某区司法局", year=2024, level=Level.DEPARTMENT, tier=Tier.COUNTY)
    r.values["t3.new.person"] = 6
    r.values["t3.granted.person"] = 4
    r.values["t3.carried_out.person"] = 2
    r.recompute_totals()
    r.sections["problems"] = "存在的问题：……"
    return r


def test_default_year_is_last_calendar_year():
    assert default_year(date(2026, 11, 21)) == 2025
    assert default_year(date(2027, 1, 5)) == 2026


def test_new_report_with_entered_agency_level_year(qtbot, settings):
    settings.default_agency = "某某县农业农村局"
    settings.default_level = Level.GOVERNMENT
    dlg = _dialog(qtbot, settings)
    assert dlg.restore_button is None                  # nothing to recover
    qtbot.mouseClick(dlg.new_button, Qt.LeftButton)
    assert dlg.stack.currentIndex() == 1
    assert dlg.agency_edit.text() == "某某县农业农村局"     # from the settings
    assert Level(dlg.level_combo.currentData()) is Level.GOVERNMENT
    assert dlg.year_spin.value() == date.today().year - 1
    dlg.agency_edit.setText("某某县人民政府")
    dlg.year_spin.setValue(2024)
    dlg.tier_combo.setCurrentIndex(list(Tier).index(Tier.COUNTY))
    qtbot.mouseClick(dlg.create_button, Qt.LeftButton)
    report, path = dlg.result_report()
    assert path is None and dlg.result_kind() == "new"
    assert (report.agency, report.year, report.level, report.tier) == \
        ("某某县人民政府", 2024, Level.GOVERNMENT, Tier.COUNTY)
    assert report.num("t3.new.total") == 0


def test_new_report_needs_an_agency(qtbot, settings):
    dlg = _dialog(qtbot, settings)
    qtbot.mouseClick(dlg.new_button, Qt.LeftButton)
    dlg.agency_edit.setText("   ")
    qtbot.mouseClick(dlg.create_button, Qt.LeftButton)
    assert dlg.result_report() is None
    assert "机关名称" in dlg.new_error.text()
    assert dlg.isVisible()


def test_builtin_example(qtbot, settings, tmp_path, monkeypatch):
    if not paths.EXAMPLE_REPORT.is_file():
        example = tmp_path / "example.nianbao"
        project.save(_last_year_report(), example)
        monkeypatch.setattr(paths, "EXAMPLE_REPORT", example)
    expected = project.load(paths.EXAMPLE_REPORT)
    dlg = _dialog(qtbot, settings)
    qtbot.mouseClick(dlg.example_button, Qt.LeftButton)
    report, path = dlg.result_report()
    assert path is None                        # never save over the shipped example
    assert report.values == expected.values and report.agency == expected.agency


def test_missing_example_is_said(qtbot, settings, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "EXAMPLE_REPORT", tmp_path / "nope.nianbao")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a: warnings.append(text)))
    dlg = _dialog(qtbot, settings)
    qtbot.mouseClick(dlg.example_button, Qt.LeftButton)
    assert dlg.result_report() is None and "内置示例" in warnings[0]


def test_open_recent_project_file(qtbot, settings, tmp_path):
    path = tmp_path / "司法局2024.nianbao"
    project.save(_last_year_report(), path)
    gone = tmp_path / "已删除.nianbao"
    dlg = _dialog(qtbot, settings, recent=[gone, path])
    # missing file greyed (disabled right after the first paint, StartDialog.ready)
    qtbot.waitUntil(lambda: not (dlg.recent_list.item(0).flags() & Qt.ItemIsEnabled))
    dlg.recent_list.setCurrentRow(1)
    assert dlg.open_recent_button.isEnabled()
    qtbot.mouseClick(dlg.open_recent_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dlg.result_report() is not None, timeout=5000)
    report, got_path = dlg.result_report()
    assert got_path == path and report.agency == "某某区司法局"
    assert dlg.result_kind() == "recent" and not dlg.result_modified()


def test_a_missing_recent_file_is_greyed_and_closed_even_before_the_first_paint(
        qtbot, settings, tmp_path):
    gone = tmp_path / "已删除.nianbao"
    dlg = StartDialog(None, [gone], None, settings)       # not shown: nothing has run yet
    qtbot.addWidget(dlg)
    item = dlg.recent_list.item(0)
    grey = dlg.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert item.foreground().color() == grey               # drawn greyed at the first paint
    dlg.recent_list.setCurrentRow(0)                       # what a click would do
    assert not dlg.open_recent_button.isEnabled()
    dlg._recent_activated(item)                            # a double-click
    assert dlg.read_job is None and dlg.result_report() is None
    assert not (item.flags() & Qt.ItemIsEnabled)


def test_start_from_last_years_report(qtbot, settings, tmp_path, monkeypatch):
    last = tmp_path / "上年.nianbao"
    project.save(_last_year_report(), last)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(last), "")))
    dlg = _dialog(qtbot, settings)
    seen = answer_preview(dlg, "next_year")
    qtbot.mouseClick(dlg.next_year_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dlg.result_report() is not None, timeout=5000)
    # what was read was shown first, with the reader's notes
    assert seen["agency"] == "某某区司法局" and seen["notes"] >= 1
    report, path = dlg.result_report()
    assert path is None and dlg.result_modified()
    assert report.year == 2025 and report.agency == "某某区司法局"
    assert report.values["t3.carried_in.person"] == 2 and report.values["t3.carried_in.total"] == 2
    assert report.baseline is not None and report.baseline.year == 2024
    assert report.sections["problems"] == "存在的问题：……"


def answer_preview(dlg, choice: str | None) -> dict:
    """When the import preview shows, note what it shows and press ``choice``'s button
    (None: 取消), with a real mouse click."""
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    seen: dict = {}
    timer = QTimer(dlg)
    timer.setInterval(20)

    def poll():
        pv = dlg.preview_dialog
        if pv is None or not pv.isVisible():
            return
        timer.stop()
        seen["agency"] = pv.agency_label.text()
        seen["notes"] = pv.notes.topLevelItemCount()
        seen["buttons"] = sorted(pv.choice_buttons)
        button = pv.cancel_button if choice is None else pv.choice_buttons[choice]
        QTest.mouseClick(button, Qt.LeftButton)

    timer.timeout.connect(poll)
    timer.start()
    return seen


def test_open_a_published_report_shows_what_was_read(qtbot, settings, tmp_path, monkeypatch):
    from model.render import render
    txt = tmp_path / "去年发布.txt"
    txt.write_text(render(_last_year_report(), "txt"), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(txt), "")))
    dlg = _dialog(qtbot, settings)
    seen = answer_preview(dlg, None)                  # 取消 in the preview: nothing opens
    qtbot.mouseClick(dlg.open_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "buttons" in seen and dlg.isEnabled(), timeout=10000)
    assert dlg.result_report() is None and dlg.isVisible()
    assert seen["buttons"] == ["open"] and seen["agency"] == "某某区司法局"
    seen = answer_preview(dlg, "open")
    qtbot.mouseClick(dlg.open_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dlg.result_report() is not None, timeout=10000)
    report, path = dlg.result_report()
    assert path is None and report.agency == "某某区司法局" and dlg.result_kind() == "open"


def test_a_slow_read_can_be_cancelled(qtbot, settings, tmp_path, monkeypatch):
    import threading

    import gui.import_dialog as imp
    release = threading.Event()
    started = threading.Event()

    def slow(path):
        started.set()
        release.wait(30)
        raise OSError("never used")

    monkeypatch.setattr(imp, "read_report_file", slow)
    path = tmp_path / "慢.docx"
    path.write_bytes(b"")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a: warnings.append(text)))
    dlg = _dialog(qtbot, settings)
    qtbot.mouseClick(dlg.open_button, Qt.LeftButton)
    try:
        qtbot.waitUntil(lambda: dlg.read_job is not None and dlg.read_job.progress is not None
                            and dlg.read_job.progress.isVisible(),
                        timeout=10000)
        from PySide6.QtWidgets import QPushButton
        cancel = [b for b in dlg.read_job.progress.findChildren(QPushButton) if b.text() == "取消"]
        assert cancel, "the busy indicator offers 取消"
        qtbot.mouseClick(cancel[0], Qt.LeftButton)
        qtbot.waitUntil(dlg.isEnabled, timeout=5000)
        assert dlg.result_report() is None and dlg.isVisible() and not warnings
    finally:
        release.set()


def test_unreadable_file_gives_chinese_message(qtbot, settings, tmp_path, monkeypatch):
    bad = tmp_path / "坏.nianbao"
    bad.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(bad), "")))
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a: warnings.append(text)))
    dlg = _dialog(qtbot, settings)
    qtbot.mouseClick(dlg.open_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: bool(warnings), timeout=5000)
    assert "坏.nianbao" in warnings[0] and dlg.result_report() is None
    assert dlg.isEnabled()


def test_settings_roundtrip_and_recent_files(qtbot, settings, tmp_path, monkeypatch):
    for i in range(12):
        settings.add_recent_file(tmp_path / f"{i}.nianbao")
    recent = settings.recent_files()
    assert len(recent) == 10 and recent[0] == tmp_path / "11.nianbao"
    settings.add_recent_file(tmp_path / "5.nianbao")
    assert settings.recent_files()[0] == tmp_path / "5.nianbao" and len(settings.recent_files()) == 10

    ref = tmp_path / "参考.docx"
    ref.write_bytes(b"PK")
    dlg = SettingsDialog(settings)
    qtbot.addWidget(dlg)
    dlg.agency.setText("某某区商务局")
    dlg.level.setCurrentIndex(list(Level).index(Level.TOWNSHIP))
    dlg.reference.edit.setText(str(ref))
    dlg.templates.edit.setText(str(tmp_path / "没有的文件夹"))
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a: warnings.append(text)))
    dlg.accept()
    assert warnings and "模板文件夹" in warnings[0]
    assert settings.default_agency == ""                 # nothing stored on a refused dialog
    dlg.templates.edit.setText(str(tmp_path))
    dlg.accept()
    again = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))
    assert again.default_agency == "某某区商务局"
    assert again.default_level is Level.TOWNSHIP
    assert again.reference_docx == ref and again.template_folder == tmp_path


def test_enter_submits_the_new_report_form(qtbot, settings):
    dlg = _dialog(qtbot, settings)
    qtbot.mouseClick(dlg.new_button, Qt.LeftButton)
    qtbot.waitUntil(dlg.agency_edit.hasFocus)
    dlg.agency_edit.clear()
    from tests.gui.test_text_page import type_text
    type_text(dlg.agency_edit, "某某县人民政府")
    qtbot.keyClick(dlg.agency_edit, Qt.Key_Return)
    assert dlg.result_kind() == "new"
    assert dlg.result_report()[0].agency == "某某县人民政府"


def test_choices_have_access_keys_and_a_visible_focus(qtbot, settings):
    from PySide6.QtWidgets import QApplication
    dlg = _dialog(qtbot, settings)
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)
    for b in (dlg.new_button, dlg.next_year_button, dlg.open_button, dlg.example_button):
        assert "&" in b.text(), b.text()
    # Alt+N opens the new report form, as a click does
    qtbot.keyClick(dlg, Qt.Key_N, Qt.AltModifier)
    qtbot.waitUntil(lambda: dlg.stack.currentIndex() == 1)      # an access key animates a click
    qtbot.keyClick(dlg, Qt.Key_Escape)
    assert dlg.stack.currentIndex() == 0 and dlg.isVisible()
    # the focused choice looks different from the others
    dlg.open_button.setFocus()
    qtbot.waitUntil(dlg.open_button.hasFocus)
    focused = dlg.open_button.grab().toImage()
    dlg.example_button.setFocus()
    qtbot.waitUntil(dlg.example_button.hasFocus)
    unfocused = dlg.open_button.grab().toImage()
    assert focused != unfocused
