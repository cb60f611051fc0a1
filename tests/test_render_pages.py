"""The printed page's layout (model/render/pages.py), plain Python with a stand-in font.

The stand-in: a CJK or full-width character is one em, an ASCII one half an em —
what the 公文 fonts measure.  The PDF tests (tests/test_render_pdf.py) check the
same layout drawn with Qt's real metrics.
"""
from __future__ import annotations

from model import example, schema
from model.render import pages as P
from model.render.layout import title_lines
from model.render import render_context
from model.render.env import render_template


def em(style: str, ch: str) -> float:
    return P.SIZES[style] * (0.5 if ord(ch) < 0x80 else 1.0)


def _doc(report=None, draft=False) -> P.Document:
    r = report if report is not None else example.build()
    ctx = render_context(r, draft)
    return P.layout_document(render_template("docx", ctx), ctx, em)


def test_a_full_line_holds_28_characters_and_is_justified():
    text = "政" * 80
    lines = P.grid_paragraph(text, "body", em)
    assert [len(ln.text) for ln in lines] == [26, 28, 26]       # first line indented two characters
    assert abs(lines[0].x - 2 * P.CHAR_PITCH) < 1e-6
    for ln in lines[:-1]:
        # the last character's cell ends at the right edge of the type area
        end = ln.offsets(em)[-1] + em("body", ln.text[-1]) + ln.spacing
        assert abs(end - P.TEXT_W) < 1e-6


def test_justification_never_spreads_a_latin_word():
    text = "全年主动公开信息（含“政策解读”）共计1234条，其中English text 2025-01-01 超长单词" \
           "supercalifragilisticexpialidocious也要处理。"
    for ln in P.grid_paragraph(text, "body", em):
        xs = ln.offsets(em)
        for word in ("English", "2025-01-01", "1234"):
            k = ln.text.find(word)
            if k >= 0:
                natural = sum(em("body", c) + ln.spacing for c in word[:-1])
                assert abs(xs[k + len(word) - 1] - xs[k] - natural) < 1e-6
        if ln.align == "both":
            assert abs(xs[-1] + em("body", ln.text[-1]) + ln.spacing - P.TEXT_W) < 1e-6


def test_22_lines_fill_the_type_area():
    assert P.LINES_PER_PAGE * P.LINE_PITCH <= P.TEXT_H < (P.LINES_PER_PAGE + 1) * P.LINE_PITCH
    assert abs(P.TEXT_W - 156 * P.MM) < 0.1 and abs(P.TEXT_H - 225 * P.MM) < 0.1


def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one():
    text = ("一二三四五六七八九十一二三四五六七八九十一二三四五六七，《八九十》"
            "一二三四五六七八九十一二三四五六七八九十一二三四（五")
    for ln in P.grid_paragraph(text, "body", em, indent_chars=0):
        assert ln.text[0] not in P.NO_LINE_START
        assert ln.text[-1] not in P.NO_LINE_END


def test_numbers_are_not_broken():
    text = "一" * 26 + "12345件"
    lines = P.grid_paragraph(text, "body", em, indent_chars=0)
    assert any("12345" in ln.text for ln in lines)


def test_title_breaks_balanced_at_a_word_boundary_never_leaving_baogao_alone():
    # the PDF breaks its title where every format does (model.render.layout.title_lines)
    lines = P.title_lines("青岚县市场监督管理局2025年政府信息公开工作年度报告", em)
    assert lines == ["青岚县市场监督管理局", "2025年政府信息公开工作年度报告"]
    assert lines == title_lines("青岚县市场监督管理局2025年政府信息公开工作年度报告")
    long_agency = "某某省某某市某某县人民政府办公室政务服务管理局"
    lines = P.title_lines(f"{long_agency}2025年政府信息公开工作年度报告", em)
    assert len(lines) >= 2 and lines[-1] not in ("报告", "告")
    assert all(sum(em("title", c) for c in ln) <= P.TEXT_W for ln in lines)
    assert P.title_lines("短标题", em) == ["短标题"]
    # no word boundary fits: broken by width
    lines = P.title_lines("某" * 30 + "2025年政府信息公开工作年度报告", em)
    assert all(sum(em("title", c) for c in ln) <= P.TEXT_W for ln in lines)


def test_signature_per_gbt9704():
    # 署名 longer than the date: 署名 右空二字, the date starts two characters right of it
    sign, date = P.signature_lines("青岚县市场监督管理局", "2026年1月20日", em)
    two = 2 * P.CHAR_PITCH
    assert abs(sign.x + sign.width - (P.TEXT_W - two)) < 0.01
    assert abs(date.x - (sign.x + two)) < 0.01
    # a date longer than the 署名 keeps two characters of right space; the 署名 moves left
    sign, date = P.signature_lines("某局", "2026年12月20日", em)
    assert abs(date.x + date.width - (P.TEXT_W - two)) < 0.01
    assert abs(date.x - (sign.x + two)) < 0.01


def test_pages_follow_the_rules():
    doc = _doc()
    assert len(doc.pages) >= 4
    for page in doc.pages:
        # lines on the grid, at most 22 a page
        for _line, top in page.lines:
            assert abs(top / P.LINE_PITCH - round(top / P.LINE_PITCH)) < 1e-6
            assert top + P.LINE_PITCH <= P.TEXT_H + 1e-6
        # a head never ends a page
        if page.lines and not page.rows:
            last = page.lines[-1][0]
            assert last.style == "body"
        for tl, rows in page.tables():
            # rows fit the page, header rows first when the table continues
            assert rows[-1].y + tl.row_h[rows[-1].row] <= P.TEXT_H + 1e-6
            body = [r.row for r in rows if r.row >= tl.header_rows]
            if tl.header_rows and body:
                assert [r.row for r in rows[: tl.header_rows]] == list(range(tl.header_rows))


def test_table_three_header_repeats_and_small_groups_stay_whole():
    doc = _doc()
    t3_pages = [(pg, rows) for pg in doc.pages for tl, rows in pg.tables() if tl.view.id == "t3"]
    assert len(t3_pages) >= 2                       # it does not fit on one page
    for _pg, rows in t3_pages:
        assert [r.row for r in rows[:3]] == [0, 1, 2]
    # （四）无法提供 (3 rows) and （五）不予处理 (5 rows) are never cut
    t3 = schema.TABLES["t3"]
    groups = [g for g in t3.grid if g.rowspan > 1 and g.col == 1]
    for g in groups:
        where = {next(i for i, (_p, rows) in enumerate(t3_pages) if r in [x.row for x in rows])
                 for r in range(g.row, g.row + g.rowspan)}
        assert len(where) == 1, g.text


def test_table_two_blocks_keep_caption_header_and_values():
    doc = _doc()
    for pg in doc.pages:
        for tl, rows in pg.tables():
            if tl.view.id != "t2" or not rows:
                continue
            # a page never ends on a caption or a header row
            assert not tl.keep_next[rows[-1].row]


def test_draft_mark():
    assert _doc(draft=True).draft == "草稿"
    assert _doc().draft == ""
    assert _doc(draft="送审稿").draft == "送审稿"


def test_page_numbers():
    assert P.page_number_text(3) == "— 3 —"
    doc = _doc()
    assert [p.outer_right for p in doc.pages[:2]] == [True, False]


def test_a_cut_merged_label_shows_where_it_fits():
    doc = _doc()
    cut = 0
    for tl in {id(tl): tl for pg in doc.pages for tl, _r in pg.tables()}.values():
        for (row, col), pages in tl.text_pages.items():
            cut += 1
            cb = next(c for c in tl.cells if c.row == row and c.col == col)
            need = len(cb.lines) * P.TABLE_LINE + 2 * P.CELL_PAD_Y
            assert pages
            for pg in doc.pages:
                if pg.number in pages:
                    rows = [pr.row for t, rs in pg.tables() if t is tl for pr in rs
                            if row <= pr.row < row + cb.rowspan]
                    if len(pages) > 1 or sum(tl.row_h[r] for r in rows) >= need:
                        assert sum(tl.row_h[r] for r in rows) + 1e-6 >= need
    assert cut >= 1                                  # 三、本年度办理结果 spans two pages


def test_signature_directive_uses_the_shared_layout_when_given():
    ctx = render_context(example.build())
    tables = ctx["tables"]
    blocks = P.parse_markup("#p 正文。\n#signature\n", tables)
    assert [b.kind for b in blocks] == ["p", "signature"]
    # without the shared layout: the 落款 computed here (a blank line, 署名, date)
    items = P.build_items(blocks, em, ctx)
    lines = [it.line for it in items if it.line is not None]
    assert [ln.text for ln in lines] == ["正文。", "青岚县市场监督管理局", "2026年1月20日"]
    assert items[1].kind == "space"
    # with it (the DOCX's right indents, in characters)
    ctx["signature"] = [{"text": "某局", "start": 20.0, "right": 6.0}]
    lines = [it.line for it in P.build_items(blocks, em, ctx) if it.line is not None]
    assert lines[-1].text == "某局"
    assert abs(lines[-1].x + lines[-1].width - (P.TEXT_W - 6 * P.CHAR_PITCH)) < 1e-6
    # no date, no 落款
    ctx.pop("signature")
    ctx["publish_date"] = ""
    assert [it.kind for it in P.build_items(blocks, em, ctx)] == ["line"]


def test_title_uses_the_shared_lines_when_they_are_this_title():
    ctx = {"agency": "", "title_lines": ["甲乙丙丁戊己庚辛壬癸子丑寅卯", "辰巳午未申酉戌亥"]}
    title = "".join(ctx["title_lines"])
    assert P._title_lines(title, ctx, em) == ctx["title_lines"]
    assert P._title_lines(title + "报告", ctx, em) != ctx["title_lines"]


def test_every_part_of_a_cut_group_shows_its_label():
    """三、本年度办理结果 is too tall for one page, so it is cut — but never so that a part is too
    short to hold the label: the rows on either side of the break each carry it (seen on the PDF:
    （一）（二） at a page foot under a blank merged cell)."""
    doc = _doc()
    cut = 0
    for tl in {id(tl): tl for pg in doc.pages for tl, _r in pg.tables()}.values():
        for cb in tl.cells:
            if cb.rowspan < 2 or not cb.lines:
                continue
            span = range(cb.row, cb.row + cb.rowspan)
            on = [pg.number for pg in doc.pages
                  if any(t is tl and pr.row in span for t, rs in pg.tables() for pr in rs)]
            if len(on) < 2:
                continue
            cut += 1
            assert all(tl.shows_text(cb, n) for n in on), (cb.cell["text"], on)
    assert cut >= 1
