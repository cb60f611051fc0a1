"""The year-on-year picture (issue 6, item 5): key figures this year against last year.

``year_on_year_svg(report)`` returns a self-contained SVG (no scripts, no
external references): a grouped bar chart, one group a key figure, one bar a
year, with the values written over the bars, a y axis with round ticks, a
legend and Chinese labels in a font stack with CJK fallbacks.  Without a
baseline it returns a small SVG that says so.  The GUI renders it to PNG with
QtSvg; the audit summary embeds it in HTML.

Every bar is a ``<rect class="bar">`` carrying ``data-series``, ``data-label``
and ``data-value``; its height is ``value / axis_max × plot height``.
"""
from __future__ import annotations

import math
from xml.sax.saxutils import escape, quoteattr

from . import schema
from .report import Report

FONT_FAMILY = ("'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', "
               "'Hiragino Sans GB', 'WenQuanYi Micro Hei', 'SimHei', 'SimSun', sans-serif")
COLORS = ("#9aa5b1", "#2f6db5", "#d08c2b", "#5a9e5a")
NO_BASELINE = "没有上年报告，无法与上年对比。"

PLOT_H = 240
GROUP_W = 92
BAR_W = 28
LEFT, RIGHT, TOP = 64, 24, 56


def key_figures(report: Report) -> list[tuple[str, int]]:
    """(short label, value) of the figures the chart compares, in drawing order."""
    return [(schema.FIGURES[k].label, int(schema.FIGURES[k].value(report.num))) for k in schema.CHART_FIGURES]


def nice_max(v: float) -> tuple[float, float]:
    """(axis maximum, tick step) with 1-2-5 steps, at least ``v``."""
    if v <= 0:
        return 1.0, 1.0
    raw = v / 5
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        step = m * mag
        if step >= raw:
            break
    step = max(step, 1.0)        # counts: never a fractional tick
    return step * math.ceil(v / step), step


def _text(x: float, y: float, s: str, size: int = 12, anchor: str = "middle",
          fill: str = "#222", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}"{extra}>{escape(s)}</text>')


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        *body,
        "</svg>",
    ]) + "\n"


def message_svg(title: str, message: str, width: int = 520, height: int = 160) -> str:
    """The empty state: a titled box with one line of text."""
    body = [_text(width / 2, 36, title, 16, extra=' font-weight="bold"'),
            _text(width / 2, height / 2 + 16, message, 14, fill="#666", extra=' class="empty"')]
    return _svg(width, height, body, title)


def bars_svg(labels: list[str], series: list[tuple[str, list[int]]], *, title: str) -> str:
    """A grouped bar chart: one group a label, one bar a series ``(name, values)``."""
    n_series = max(1, len(series))
    top = max((v for _, vals in series for v in vals), default=0)
    axis_max, step = nice_max(top)
    width = LEFT + GROUP_W * len(labels) + RIGHT
    base_y = TOP + PLOT_H
    height = base_y + 70
    body = [_text(width / 2, 28, title, 16, extra=' font-weight="bold"')]
    # axis and grid
    ticks = int(round(axis_max / step))
    for i in range(ticks + 1):
        v = step * i
        y = base_y - PLOT_H * v / axis_max
        body.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{width - RIGHT}" y2="{y:.1f}" '
                    f'stroke="{"#444" if i == 0 else "#ddd"}" stroke-width="1"/>')
        body.append(_text(LEFT - 6, y + 4, f"{int(v)}", 11, anchor="end", fill="#555"))
    body.append(f'<line x1="{LEFT}" y1="{TOP - 6}" x2="{LEFT}" y2="{base_y}" stroke="#444"/>')
    # bars
    group_bars = BAR_W * n_series + 4 * (n_series - 1)
    for g, label in enumerate(labels):
        gx = LEFT + GROUP_W * g + (GROUP_W - group_bars) / 2
        for s, (name, values) in enumerate(series):
            v = values[g]
            h = PLOT_H * v / axis_max
            x = gx + s * (BAR_W + 4)
            body.append(f'<rect class="bar" x="{x:.1f}" y="{base_y - h:.3f}" width="{BAR_W}" '
                        f'height="{h:.3f}" fill="{COLORS[s % len(COLORS)]}" '
                        f'data-series={quoteattr(name)} data-label={quoteattr(label)} '
                        f'data-value="{v}"/>')
            body.append(_text(x + BAR_W / 2, base_y - h - 4, str(v), 11, fill="#333"))
        body.append(_text(LEFT + GROUP_W * g + GROUP_W / 2, base_y + 20, label, 13))
    # legend
    lx = LEFT
    ly = base_y + 44
    for s, (name, _) in enumerate(series):
        body.append(f'<rect class="legend" x="{lx}" y="{ly}" width="14" height="14" '
                    f'fill="{COLORS[s % len(COLORS)]}"/>')
        body.append(_text(lx + 20, ly + 12, name, 13, anchor="start"))
        lx += 40 + 14 * len(name)
    return _svg(width, height, body, title)


def year_on_year_svg(report: Report) -> str:
    """Key figures of ``report`` against its baseline (last year) as an SVG bar chart."""
    title = f"{report.agency or '本机关'} 主要数字与上年对比"
    if report.baseline is None:
        return message_svg(title, NO_BASELINE)
    this_name = f"{report.year} 年" if report.year is not None else "本年"
    last_year = report.baseline.year if report.baseline.year is not None else (
        report.year - 1 if report.year is not None else None)
    last_name = f"{last_year} 年" if last_year is not None else "上年"
    if last_name == this_name:
        last_name, this_name = "上年", "本年"
    now = key_figures(report)
    before = key_figures(report.baseline)
    return bars_svg([label for label, _ in now],
                    [(last_name, [v for _, v in before]), (this_name, [v for _, v in now])],
                    title=title)
