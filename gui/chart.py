"""The year-on-year chart on the 检查与导出 step (``model.chart.year_on_year_svg``).

:class:`ChartView` draws the SVG scaled to fit, keeping its proportions;
:func:`svg_to_image` renders it at 2× on white for the PNG the clerk takes to a
briefing (:func:`save_chart_png`).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

PNG_SCALE = 2.0


def _renderer(svg: str) -> QSvgRenderer:
    r = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not r.isValid():
        raise ValueError("invalid SVG")
    return r


def svg_to_image(svg: str, scale: float = PNG_SCALE) -> QImage:
    """The SVG drawn at ``scale`` × its own size on a white background."""
    r = _renderer(svg)
    size = r.defaultSize()
    w, h = max(1, round(size.width() * scale)), max(1, round(size.height() * scale))
    img = QImage(w, h, QImage.Format.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    r.render(p, QRectF(0, 0, w, h))
    p.end()
    return img


def save_chart_png(svg: str, path: Path | str, scale: float = PNG_SCALE) -> Path:
    """Write the chart as a PNG; raises ``OSError`` with a Chinese message on failure."""
    path = Path(path)
    img = svg_to_image(svg, scale)
    if not img.save(str(path), "PNG"):
        raise OSError(f"无法写入图片文件“{path}”，请检查文件夹是否存在、是否有写入权限。")
    return path


class ChartView(QWidget):
    """Shows one SVG, scaled to the widget and centred, proportions kept."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._svg = ""
        self._renderer: QSvgRenderer | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(self.backgroundRole(), QColor("white"))
        self.setPalette(pal)

    def set_svg(self, svg: str) -> None:
        if svg == self._svg:
            return
        self._svg = svg
        self._renderer = _renderer(svg) if svg else None
        self.updateGeometry()
        self.update()

    def svg(self) -> str:
        return self._svg

    def sizeHint(self) -> QSize:
        if self._renderer is not None:
            return self._renderer.defaultSize()
        return QSize(520, 300)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, 120)

    def paintEvent(self, _event) -> None:
        if self._renderer is None:
            return
        size = self._renderer.defaultSize()
        if size.isEmpty():
            return
        avail = self.rect().adjusted(8, 8, -8, -8)
        scaled = size.scaled(avail.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = avail.x() + (avail.width() - scaled.width()) / 2
        y = avail.y() + (avail.height() - scaled.height()) / 2
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self._renderer.render(p, QRectF(x, y, scaled.width(), scaled.height()))
        p.end()
