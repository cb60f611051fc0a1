"""The 基本信息 step: agency, level, tier, year, publish date, with their findings."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QSpinBox, QVBoxLayout,
                               QWidget)

from typing import TYPE_CHECKING

from model.schema import LEVEL_LABELS, TIER_LABELS, Level, Tier

from . import early
from .document import ReportDocument

if TYPE_CHECKING:  # pragma: no cover
    from model.findings import Finding

YEAR_MIN = 2019            # the first year of the current regulation's reports
YEAR_MAX = 2100
NO_YEAR = YEAR_MIN - 1     # shown as 未填写
FORM_MAX_WIDTH = 760


class MetaPage(QWidget):
    def __init__(self, doc: ReportDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        heading = QLabel("基本信息", self)
        f = heading.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        heading.setFont(f)

        self.agency = QLineEdit(self)
        self.agency.setPlaceholderText("例如：某某区商务局")
        self.agency.textEdited.connect(lambda t: self.doc.set_meta(agency=t.strip()))

        self.level = QComboBox(self)
        for lv in Level:
            self.level.addItem(LEVEL_LABELS[lv], lv)
        self.level.setToolTip("本级人民政府的报告应于次年 3 月 31 日前公布，部门和乡镇街道于 1 月 31 日前")
        self.level.activated.connect(lambda i: self.doc.set_meta(level=self.level.itemData(i)))

        self.tier = QComboBox(self)
        for t in Tier:
            self.tier.addItem(TIER_LABELS[t], t)
        self.tier.setToolTip("只有省级和设区的市级人民政府（及其部门起草）可以制定规章")
        self.tier.activated.connect(lambda i: self.doc.set_meta(tier=self.tier.itemData(i)))

        self.year = QSpinBox(self)
        self.year.setRange(NO_YEAR, YEAR_MAX)
        self.year.setSpecialValueText("未填写")
        self.year.setSuffix(" 年")
        self.year.valueChanged.connect(self._year_changed)

        self.has_date = QCheckBox("已确定", self)
        self.publish_date = QDateEdit(self)
        self.publish_date.setCalendarPopup(True)
        self.publish_date.setDisplayFormat("yyyy年M月d日")
        self.publish_date.dateChanged.connect(self._date_changed)
        self.has_date.toggled.connect(self._date_changed)
        date_row = QHBoxLayout()
        date_row.addWidget(self.has_date)
        date_row.addWidget(self.publish_date, 1)

        self.title_label = QLabel(self)
        self.title_label.setWordWrap(True)
        early.set_enum_property(self.title_label, "textInteractionFlags", early.SELECTABLE_BY_MOUSE)
        self.deadline_label = QLabel(self)
        self.baseline_label = QLabel(self)
        self.baseline_label.setWordWrap(True)

        form = QFormLayout()
        form.addRow("机关名称：", self.agency)
        form.addRow("机关类别：", self.level)
        form.addRow("行政层级：", self.tier)
        form.addRow("报告年度：", self.year)
        form.addRow("公开日期：", date_row)
        form.addRow("报告标题：", self.title_label)
        form.addRow("法定公开期限：", self.deadline_label)
        form.addRow("上年报告：", self.baseline_label)

        self.findings_list = QListWidget(self)
        self.findings_list.setWordWrap(True)

        form_box = QWidget(self)
        form_box.setLayout(form)
        form_box.setMaximumWidth(FORM_MAX_WIDTH)
        lay = QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addWidget(form_box)
        lay.addWidget(QLabel("本页的检查结果：", self))
        lay.addWidget(self.findings_list, 1)

        doc.metaChanged.connect(self.refresh)
        doc.reportReplaced.connect(self.refresh)
        doc.findingsChanged.connect(self.refresh_findings)
        self.refresh()

    # ------------------------------------------------------------------
    def _year_changed(self, v: int) -> None:
        if self._syncing:
            return
        self.doc.set_meta(year=None if v == NO_YEAR else v)

    def _date_changed(self, *args) -> None:
        if self._syncing:
            return
        self.publish_date.setEnabled(self.has_date.isChecked())
        d = self.publish_date.date().toPython() if self.has_date.isChecked() else None
        self.doc.set_meta(publish_date=d)

    _syncing = False

    def refresh(self) -> None:
        r = self.doc.report
        self._syncing = True
        try:
            if self.agency.text().strip() != r.agency:
                self.agency.setText(r.agency)
            self.level.setCurrentIndex(self.level.findData(r.level))
            self.tier.setCurrentIndex(self.tier.findData(r.tier))
            self.year.setValue(NO_YEAR if r.year is None else r.year)
            self.has_date.setChecked(r.publish_date is not None)
            self.publish_date.setEnabled(r.publish_date is not None)
            if r.publish_date is not None:
                self.publish_date.setDate(QDate(r.publish_date))
            elif r.year is not None:
                self.publish_date.setDate(QDate(r.year + 1, 1, 15))
            else:
                self.publish_date.setDate(QDate(date.today()))
        finally:
            self._syncing = False
        self.title_label.setText(r.title)
        dl = r.deadline()
        self.deadline_label.setText(f"{dl.year}年{dl.month}月{dl.day}日前" if dl
                                    else "填写报告年度后显示")
        b = r.baseline
        if b is None:
            self.baseline_label.setText("未导入（可用“文件 → 导入上年报告”导入，用于结转和比较）")
        else:
            self.baseline_label.setText(f"{b.agency or '（机关未知）'}"
                                        f"{b.year if b.year is not None else '（年度未知）'}年报告")
        self.refresh_findings()

    def refresh_findings(self) -> None:
        self.findings_list.clear()
        fs = self.doc.findings_for_step("meta")
        if fs:
            from .problems import SEVERITY_COLORS
        for f in fs:
            item = QListWidgetItem(f"【{f.severity.label} {f.rule}】{f.message}")
            item.setData(early.FOREGROUND_ROLE, SEVERITY_COLORS[f.severity])
            item.setData(early.USER_ROLE, f)
            self.findings_list.addItem(item)
        if not fs:
            self.findings_list.addItem("没有发现问题。")

    def focus_finding(self, finding: Finding) -> None:
        """Put the cursor in the field a finding concerns."""
        from model.findings import place
        editor = {"publish_date": self.publish_date, "year": self.year, "tier": self.tier,
                  "level": self.level}.get(place(finding).field or "", self.agency)
        editor.setFocus()
        for i in range(self.findings_list.count()):
            if self.findings_list.item(i).data(early.USER_ROLE) == finding:
                self.findings_list.setCurrentRow(i)
