"""The layout every format shares (model/render/layout.py): title lines, the 落款, blank cells."""
from __future__ import annotations

import io
import re

import pytest

from model import schema
from model.render import NotPublishReady, export, publish_blockers, render
from model.render.context import paragraphs
from model.render.layout import signature_layout, text_width, title_lines
from model.render.sample import sample_report

TITLES = [
    "东湖区商务局2024年政府信息公开工作年度报告",
    "某某市某某区人民政府办公室2024年政府信息公开工作年度报告",
    "某某县市场监督管理局2025年政府信息公开工作年度报告",
    "新疆维吾尔自治区伊犁哈萨克自治州霍城县清水河镇人民政府2024年政府信息公开工作年度报告",
    "中华人民共和国国家发展和改革委员会办公厅2024年政府信息公开工作年度报告",
    "北城街道办事处2024年政府信息公开工作年度报告",
]


@pytest.mark.parametrize("title", TITLES)
def test_title_breaks_at_word_boundaries(title):
    lines = title_lines(title)
    assert "".join(lines) == title
    assert all(text_width(s) <= 20 for s in lines)
    assert lines[-1] not in ("报告", "年度报告", "工作年度报告")
    assert len(lines) == (1 if text_width(title) <= 20 else max(2, len(lines)))
    if len(lines) > 1:
        assert re.match(r"\d{4}年政府信息公开工作年度报告$", lines[-1])   # the agency, then the rest


def test_short_title_is_one_line():
    assert title_lines("某局2024年政府信息公开工作年度报告") == ["某局2024年政府信息公开工作年度报告"]
    assert title_lines("") == []


def test_signature_layout_gbt9704():
    # 署名 longer than the date + 2: 署名 右空二字, the date two characters right of its first character
    sign, when = signature_layout("某某市某某区人民政府办公室", "2025年1月20日")
    assert sign.right == 2 and when.start == sign.start + 2
    assert sign.start + text_width(sign.text) == 26
    # a date longer than that keeps 右空二字 itself, the 署名 moves left to stay two characters before it
    sign, when = signature_layout("东湖区商务局", "2025年12月20日")
    assert when.right == 2 and when.start == sign.start + 2 and sign.right > 2
    assert signature_layout("东湖区商务局", "") == []


def test_level2_heads_with_a_colon():
    got = paragraphs("（一）主动公开：\n（二）依申请公开:\n（三）管理。全年完善制度。\n（四）平台建设；")
    assert [p["kind"] for p in got] == ["h2", "h2", "p", "p"]


# ---------------------------------------------------------------------------
# a blank cell is never published blank
# ---------------------------------------------------------------------------

def _with_blanks():
    r = sample_report()
    r.values["t2.penalty.decisions"] = None
    r.values["t4.review.other"] = None
    return r


def test_blank_cells_block_publishing_until_filled(tmp_path):
    r = _with_blanks()
    blockers = publish_blockers(r)
    blank = [f for f in blockers if f.rule == "C3"]
    assert {c for f in blank for c in f.cells} == {"t2.penalty.decisions", "t4.review.other"}
    assert all("空白" in f.message and "填写 0" in f.message for f in blank)
    with pytest.raises(NotPublishReady, match="空白"):
        export(r, tmp_path / "r.docx")
    # the clerk accepts the 0 by filling it in
    r.values["t2.penalty.decisions"] = 0
    r.values["t4.review.other"] = 0
    r.recompute_totals()
    assert publish_blockers(r) == []
    export(r, tmp_path / "r.docx")


def test_forced_export_prints_blanks_as_0_in_every_format():
    import docx
    from openpyxl import load_workbook
    r = _with_blanks()
    txt = render(r, "txt", draft=True)
    assert "行政处罚\t0\t\t" in txt.split("\n")
    html = render(r, "html", draft=True)
    assert re.search(r'data-cell="t2.penalty.decisions" style="[^"]*">0</td>', html)
    d = docx.Document(io.BytesIO(render(r, "docx", draft=True)))
    for table, tid in zip(d.tables, ("t2", "t3", "t4"), strict=True):
        for g in schema.TABLES[tid].grid:
            if g.cell_id:
                assert table.cell(g.row, g.col).text != "", g.cell_id
    t2 = d.tables[0]
    row = next(rw for rw in t2.rows if rw.cells[0].text == "行政处罚")
    assert row.cells[1].text == "0"
    wb = load_workbook(io.BytesIO(render(r, "xlsx", draft=True)))
    data = {row[0]: row[2] for row in wb["数据"].iter_rows(min_row=2, values_only=True)}
    assert data["t2.penalty.decisions"] == 0 and data["t4.review.other"] == 0
    for cid in schema.CELL_IDS:
        assert data[cid] is not None, cid


def test_review_notices_name_the_blanks():
    from model.render import export_notices
    notes = export_notices(_with_blanks())
    assert any("2 个空白单元格" in n for n in notes)
    r = _with_blanks()
    r.values["t2.penalty.decisions"] = 0
    r.values["t4.review.other"] = 0
    assert not any("空白" in n for n in export_notices(r))


def _titled(title: str):
    from model import example
    m = re.fullmatch(r"(.+?)(\d{4})年政府信息公开工作年度报告", title)
    assert m
    r = example.build()
    r.agency, r.year = m.group(1), int(m.group(2))
    r.publish_date = None           # no 落款: the agency must come from the title itself
    return r


@pytest.mark.parametrize(("title", "fmt"), [
    *((t, f) for t in TITLES for f in ("docx", "html", "txt"))])
def test_a_broken_title_reads_back_as_its_agency_and_year(tmp_path, title, fmt):
    """However the title is broken (DOCX line breaks, the HTML's inline-block lines), the
    importers read the agency and the year back from the title — with no 落款 to fall back on."""
    from model.importers import read_file
    r = _titled(title)
    data = render(r, fmt)
    path = tmp_path / f"报告.{fmt}"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    back = read_file(path).report
    assert (back.agency, back.year) == (r.agency, r.year)

