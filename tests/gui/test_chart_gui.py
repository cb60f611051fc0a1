"""The year-on-year chart on the 检查与导出 step: drawn, follows edits, empty state, PNG."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox

from gui.chart import ChartView, save_chart_png, svg_to_image
from gui.document import ReportDocument
from gui.export import ReviewPage
from gui.settings import Settings
from model.chart import NO_BASELINE, year_on_year_svg
from model.report import Report

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _report(with_baseline: bool = True) -> Report:
    r = Report.zeros(agency="某某县水利局", year=2025)
    r.values["t3.new.person"] = 12
    r.values["t3.granted.person"] = 12
    r.values["t4.review.upheld"] = 2
    r.recompute_totals()
    if with_baseline:
        b = Report.zeros(agency="某某县水利局", year=2024)
        b.values["t3.new.person"] = 30
        b.values["t3.granted.person"] = 30
        b.recompute_totals()
        r.baseline = b
    return r


@pytest.fixture
def review(qtbot, tmp_path):
    def make(report: Report) -> ReviewPage:
        doc = ReportDocument(report)
        s = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        page = ReviewPage(doc, settings=s)
        qtbot.addWidget(page)
        page.resize(1100, 700)
        page.show()
        qtbot.waitExposed(page)
        page.show_chart()
        return page
    return make


def _non_white(img: QImage) -> int:
    img = img.convertToFormat(QImage.Format.Format_RGB32)
    n = 0
    for y in range(0, img.height(), 3):
        for x in range(0, img.width(), 3):
            if img.pixelColor(x, y) != QColor("white"):
                n += 1
    return n


def test_chart_shown_with_baseline(qtbot, review):
    page = review(_report())
    svg = page.chart_view.svg()
    assert 'class="bar"' in svg
    assert 'data-series="2024 年"' in svg and 'data-series="2025 年"' in svg
    assert page.chart_png_button.isEnabled()
    # what the widget paints is not blank
    assert _non_white(page.chart_view.grab().toImage()) > 100


def test_empty_state_without_baseline(qtbot, review):
    page = review(_report(with_baseline=False))
    assert NO_BASELINE in page.chart_view.svg()
    assert 'class="bar"' not in page.chart_view.svg()
    assert not page.chart_png_button.isEnabled()
    assert "导入上年报告" in page.chart_hint.text()
    # setting a baseline brings the chart (debounced)
    page.doc.set_baseline(_report().baseline)
    qtbot.waitUntil(lambda: 'class="bar"' in page.chart_view.svg(), timeout=3000)
    assert page.chart_png_button.isEnabled()


def test_chart_follows_table_edit(qtbot, review):
    page = review(_report())
    assert 'data-value="12"' in page.chart_view.svg()
    page.doc.set_cells({"t3.new.person": 77, "t3.granted.person": 77})
    qtbot.waitUntil(lambda: 'data-value="77"' in page.chart_view.svg(), timeout=3000)


def test_export_chart_png(qtbot, review, tmp_path, monkeypatch):
    page = review(_report())
    target = tmp_path / "对比图"                       # the suffix is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "PNG 图片 (*.png)")))
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda *a, **k: pytest.fail(f"unexpected error box {a[1:]}")))
    with qtbot.waitSignal(page.chart_exported) as sig:
        path = page.export_chart_png()
    assert path == target.with_name("对比图.png") == sig.args[0]
    img = QImage(str(path))
    assert not img.isNull()
    svg_size = ChartView()
    svg_size.set_svg(year_on_year_svg(page.doc.report))
    assert img.width() == 2 * svg_size.sizeHint().width()
    assert img.height() == 2 * svg_size.sizeHint().height()
    assert img.pixelColor(1, 1) == QColor("white")         # white background
    assert _non_white(img) > 500                           # bars, axes and labels drawn


def test_export_chart_png_cancelled(qtbot, review, monkeypatch):
    page = review(_report())
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert page.export_chart_png() is None


def test_export_chart_png_unwritable(qtbot, review, tmp_path, monkeypatch):
    page = review(_report())
    bad = tmp_path / "没有这个文件夹" / "图.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(bad), "")))
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a, **k: shown.append(a[2])))
    assert page.export_chart_png() is None
    assert shown and "无法写入" in shown[0]


def test_svg_to_image_and_save(tmp_path):
    svg = year_on_year_svg(_report())
    img = svg_to_image(svg, scale=1.0)
    assert img.width() > 300 and _non_white(img) > 200
    p = save_chart_png(svg, tmp_path / "a.png")
    assert Path(p).stat().st_size > 1000
    with pytest.raises(ValueError):
        svg_to_image("<not svg")
