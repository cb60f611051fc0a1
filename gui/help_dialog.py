"""帮助 → 填报说明 (F1): the official table notes and every rule, generated from the core.

Nothing here is written by hand: the notes come from ``model.schema`` (the
条例 wording of the table's tooltips and the 勾稽关系 of table 三), the rules from
the registry ``model.rules.RULES``, so the page never drifts from the checker.
"""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from model import schema
from model.rules import RULES

TITLE = "填报说明"
#: the table notes shown first, in this order (cell row ids of model.schema.HELP_TEXTS)
NOTE_ROWS = ("denied.security", "denied.internal", "denied.process", "partial", "carried_in")


def help_html() -> str:
    """The page: table notes, then one row per rule (编号 · 严重程度 · 检查什么、为什么)."""
    parts = [f"<h2>{TITLE}</h2>", "<h3>表格填写要点</h3>", "<ul>"]
    parts.append(f"<li><b>表三勾稽关系</b>：{escape(schema.T3_CORNER.strip('（）'))}</li>")
    for row in NOTE_ROWS:
        label = schema.short_label(schema.T3_ROW_BY_ID[row].label)
        parts.append(f"<li><b>{escape(label)}</b>：{escape(schema.HELP_TEXTS[row])}</li>")
    parts.append("</ul>")
    parts.append("<h3>检查规则</h3>"
                 "<p>“错误”表示报告有误，须改正后才能定稿导出；“警告”是审核时会被指出的问题；"
                 "“提示”供核实。</p>")
    parts.append('<table border="1" cellspacing="0" cellpadding="4">'
                 "<tr><th>编号</th><th>规则</th><th>严重程度</th><th>检查什么、为什么</th></tr>")
    for r in RULES.values():
        parts.append(f'<tr><td><a name="{escape(r.id)}"></a>{escape(r.id)}</td><td>{escape(r.title)}</td>'
                     f"<td>{escape(r.severity_label)}</td><td>{escape(r.help)}</td></tr>")
    parts.append("</table>")
    return "\n".join(parts)


class HelpDialog(QDialog):
    """A non-modal window with :func:`help_html`; Esc or 关闭 closes it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setHtml(help_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser)
        lay.addWidget(buttons)
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        w, h = 760, 620
        if screen is not None:
            w, h = min(w, screen.width() - 40), min(h, screen.height() - 80)
        self.resize(w, h)

    def show_rule(self, rule_id: str) -> None:
        """Scroll to one rule's row."""
        self.browser.scrollToAnchor(rule_id)
