"""What the clerk can set, and nothing more: default agency and level, the user
template folder, the reference DOCX — plus the recent files list the window keeps.

Everything is stored with :class:`QSettings` (organisation and application
"Nianbao").  Tests pass their own ``QSettings`` pointing at a temporary INI file,
so they never touch the real user configuration.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
    QWidget,
)

# the start screen reads the settings before its first paint: the schema (and the
# dialog classes whose enums PySide6 builds on first touch) are imported when used
if TYPE_CHECKING:  # pragma: no cover
    from model.schema import Level, Tier

ORGANIZATION = "Nianbao"
APPLICATION = "Nianbao"
MAX_RECENT = 10

_K_AGENCY = "defaults/agency"
_K_LEVEL = "defaults/level"
_K_TIER = "defaults/tier"
_K_TEMPLATES = "paths/template_folder"
_K_REFERENCE = "paths/reference_docx"
_K_RECENT = "recent/files"


class Settings:
    """A typed wrapper over :class:`QSettings`.

    ``Settings()`` uses the user's configuration; ``Settings(QSettings(path,
    QSettings.IniFormat))`` any other store (tests).
    """

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._s = qsettings if qsettings is not None else QSettings(ORGANIZATION, APPLICATION)

    @property
    def qsettings(self) -> QSettings:
        return self._s

    def sync(self) -> None:
        self._s.sync()

    # ---- plain values -------------------------------------------------
    def _str(self, key: str) -> str:
        v = self._s.value(key, "")
        return v if isinstance(v, str) else ""

    @property
    def default_agency(self) -> str:
        return self._str(_K_AGENCY).strip()

    @default_agency.setter
    def default_agency(self, value: str) -> None:
        self._s.setValue(_K_AGENCY, (value or "").strip())

    @property
    def default_level(self) -> Level:
        from model.schema import Level
        try:
            return Level(self._str(_K_LEVEL))
        except ValueError:
            return Level.DEPARTMENT

    @default_level.setter
    def default_level(self, value: Level) -> None:
        from model.schema import Level
        self._s.setValue(_K_LEVEL, Level(value).value)

    @property
    def default_tier(self) -> Tier:
        from model.schema import Tier
        try:
            return Tier(self._str(_K_TIER))
        except ValueError:
            return Tier.UNKNOWN

    @default_tier.setter
    def default_tier(self, value: Tier) -> None:
        from model.schema import Tier
        self._s.setValue(_K_TIER, Tier(value).value)

    def _path(self, key: str) -> Path | None:
        v = self._str(key).strip()
        return Path(v) if v else None

    def _set_path(self, key: str, value: Path | str | None) -> None:
        self._s.setValue(key, str(value) if value else "")

    @property
    def template_folder(self) -> Path | None:
        return self._path(_K_TEMPLATES)

    @template_folder.setter
    def template_folder(self, value: Path | str | None) -> None:
        self._set_path(_K_TEMPLATES, value)

    @property
    def reference_docx(self) -> Path | None:
        return self._path(_K_REFERENCE)

    @reference_docx.setter
    def reference_docx(self, value: Path | str | None) -> None:
        self._set_path(_K_REFERENCE, value)

    # ---- recent files -------------------------------------------------
    def recent_files(self, existing_only: bool = False) -> list[Path]:
        """Most recent first, at most :data:`MAX_RECENT`."""
        raw = self._str(_K_RECENT)
        try:
            items = json.loads(raw) if raw else []
        except ValueError:
            items = []
        out: list[Path] = []
        for it in items if isinstance(items, list) else []:
            if isinstance(it, str) and it:
                p = Path(it)
                if p not in out and (not existing_only or p.is_file()):
                    out.append(p)
        return out[:MAX_RECENT]

    def add_recent_file(self, path: Path | str) -> None:
        p = Path(path).absolute()
        items = [p] + [q for q in self.recent_files() if q != p]
        self._write_recent(items)

    def remove_recent_file(self, path: Path | str) -> None:
        p = Path(path).absolute()
        self._write_recent([q for q in self.recent_files() if q != p])

    def clear_recent_files(self) -> None:
        self._write_recent([])

    def _write_recent(self, items: list[Path]) -> None:
        self._s.setValue(_K_RECENT, json.dumps([str(p) for p in items[:MAX_RECENT]],
                                               ensure_ascii=False))


class _PathField(QWidget):
    """A line edit with a 浏览… button."""

    def __init__(self, value: Path | None, pick, parent=None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(str(value) if value else "")
        self.edit.setClearButtonEnabled(True)
        self.edit.setPlaceholderText("未设置（使用内置）")
        browse = QPushButton("浏览…")
        browse.clicked.connect(lambda: self._browse(pick))
        lay.addWidget(self.edit, 1)
        lay.addWidget(browse)

    def _browse(self, pick) -> None:
        chosen = pick(self, self.edit.text().strip())
        if chosen:
            self.edit.setText(chosen)

    def value(self) -> Path | None:
        t = self.edit.text().strip()
        return Path(t) if t else None


def _pick_folder(parent, start: str) -> str:
    from PySide6.QtWidgets import QFileDialog

    from .filedialogs import localized
    with localized():
        return QFileDialog.getExistingDirectory(parent, "选择模板文件夹", start)


def _pick_docx(parent, start: str) -> str:
    from PySide6.QtWidgets import QFileDialog

    from .filedialogs import localized
    with localized():
        path, _ = QFileDialog.getOpenFileName(parent, "选择参考 Word 文档", start,
                                              "Word 文档 (*.docx)")
    return path


class SettingsDialog(QDialog):
    """设置: default agency and level for new reports, template folder, reference DOCX."""

    def __init__(self, settings: Settings, parent=None) -> None:
        from PySide6.QtWidgets import QDialogButtonBox

        from model.schema import LEVEL_LABELS, TIER_LABELS, Level, Tier
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("设置")
        self.setMinimumWidth(560)

        form = QFormLayout()
        self.agency = QLineEdit(settings.default_agency)
        self.agency.setPlaceholderText("例如：某某区商务局")
        form.addRow("默认机关名称：", self.agency)

        self.level = QComboBox()
        for lv in Level:
            self.level.addItem(LEVEL_LABELS[lv], lv.value)
        self.level.setCurrentIndex(list(Level).index(settings.default_level))
        form.addRow("默认机关类别：", self.level)

        self.tier = QComboBox()
        for t in Tier:
            self.tier.addItem(TIER_LABELS[t], t.value)
        self.tier.setCurrentIndex(list(Tier).index(settings.default_tier))
        form.addRow("默认行政层级：", self.tier)

        self.templates = _PathField(settings.template_folder, _pick_folder)
        form.addRow("自定义模板文件夹：", self.templates)
        self.reference = _PathField(settings.reference_docx, _pick_docx)
        form.addRow("参考 Word 文档：", self.reference)

        hint = QLabel("新建报告时自动填入默认机关名称和类别。参考 Word 文档决定导出的 Word "
                      "文件的字体和页面设置；不设置时使用内置的公文格式。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")

        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(hint)
        lay.addWidget(buttons)

    def problems(self) -> str | None:
        """A Chinese message when a path is set but unusable."""
        folder = self.templates.value()
        if folder is not None and not folder.is_dir():
            return f"模板文件夹“{folder}”不存在，请重新选择或清空。"
        ref = self.reference.value()
        if ref is not None and (not ref.is_file() or ref.suffix.lower() != ".docx"):
            return f"参考 Word 文档“{ref}”不存在或不是 .docx 文件，请重新选择或清空。"
        return None

    def accept(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from model.schema import Level, Tier
        msg = self.problems()
        if msg:
            QMessageBox.warning(self, "设置", msg)
            return
        s = self.settings
        s.default_agency = self.agency.text()
        s.default_level = Level(self.level.currentData())
        s.default_tier = Tier(self.tier.currentData())
        s.template_folder = self.templates.value()
        s.reference_docx = self.reference.value()
        s.sync()
        super().accept()
