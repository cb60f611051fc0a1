"""The project's own XLSX layout, described once: its writer (model.render.xlsx) and its reader
(model.importers.xlsx.native) both read it, so a workbook written is a workbook read back.

- sheet ``数据``: one row per canonical cell id under the header ``单元格编号 | 项目 | 数值``;
- sheet ``信息``: ``项目 | 内容`` rows, the meta (labels below; the reader also accepts the
  aliases) and then each text section under its heading, split over rows of at most
  :data:`CELL_TEXT_LIMIT` characters.
"""
from __future__ import annotations

DATA_SHEET = "数据"
INFO_SHEET = "信息"
COL_ID, COL_LABEL, COL_VALUE = "单元格编号", "项目", "数值"
DATA_HEADER = (COL_ID, COL_LABEL, COL_VALUE)
INFO_HEADER = ("项目", "内容")
CELL_TEXT_LIMIT = 32000           # Excel holds 32 767 characters a cell

#: meta field → (the label written, other labels a reader accepts)
META_LABELS: dict[str, tuple[str, ...]] = {
    "agency": ("机关名称", "机关", "单位名称", "单位", "agency"),
    "year": ("报告年度", "年度", "年份", "year"),
    "level": ("机关类型", "层级", "类型", "level"),
    "tier": ("行政层级", "级别", "tier"),
    "publish_date": ("公开日期", "发布日期", "publish_date"),
    "format": ("报告格式", "格式", "format"),
    "title": ("标题",),
}


def meta_label(field: str) -> str:
    """The label the writer puts in ``信息`` for a meta field."""
    return META_LABELS[field][0]
