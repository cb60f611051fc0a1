"""Reading reports from text: text_to_blocks, the shared recogniser, encodings, bad input.

Fixtures under tests/fixtures/ are invented agencies written in the shapes of the
real seeds (tab-separated with shifted merged cells, ``|``-separated, orphan number
lines, ASCII punctuation and spaced labels, the 2019 format, bad cell values).
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import schema
from model.schema import Level
from model.errors import ReadError
from model.importers import text as text_mod
from model.importers.base import ImportResult
from model.importers.blocks import Paragraph, Table
from model.importers.labels import LabelIndex, core, norm, same_label, split_enum
from model.importers.recognise import match_heading, match_title, parse_date_line, recognise
from model.importers.text import decode_text, read_text, read_text_file, text_to_blocks
from model.schema import CELL_IDS, CELLS, SECTIONS, TOTAL_IDS

FIX = Path(__file__).resolve().parent / "fixtures"
OFFICIAL_HEADINGS = [s.heading for s in SECTIONS]


def fixture_text(name: str) -> str:
    return (FIX / name).read_text(encoding="utf-8")


def noted_cells(res: ImportResult, kinds=("unplaced", "format")) -> set[str]:
    return {c for n in res.notes if n.kind in kinds for c in n.cells}


def unaccounted(res: ImportResult) -> list[str]:
    """Cells neither read (a value, or None with its raw text) nor listed in a note."""
    r = res.report
    noted = noted_cells(res)
    return [c for c in CELL_IDS if r.values[c] is None and c not in r.raw and c not in noted]


def notes_of(res: ImportResult, kind: str):
    return [n for n in res.notes if n.kind == kind]


def assert_totals_consistent(r, skip=()):
    for cid in TOTAL_IDS:
        if cid in skip:
            continue
        assert r.values[cid] == r.computed_total(cid), cid


# --------------------------------------------------------------------------
# text_to_blocks
# --------------------------------------------------------------------------

def test_tab_lines_form_one_table_across_blank_lines_and_separators():
    blocks = text_to_blocks("标题\n\n第二十条\t\t\n信息内容\t本年\n\n行政事业性收费\t0\n"
                            "---------\t---\n\n三、下一节\n")
    assert [type(b) for b in blocks] == [Paragraph, Table, Paragraph]
    assert blocks[1].rows == [["第二十条", "", ""], ["信息内容", "本年"], ["行政事业性收费", "0"]]
    assert blocks[2].text == "三、下一节"


def test_pipe_rows_markdown_pipes_and_full_width_bar():
    blocks = text_to_blocks("| 规章 | 0 | 1 |\n|---|---|---|\n行政许可 ｜ 3 ｜\n第二十条第(一)项 | |||\n")
    assert len(blocks) == 1
    assert blocks[0].rows == [["规章", "0", "1"], ["行政许可", "3", ""], ["第二十条第(一)项", "", "", "", ""]]


def test_a_single_bar_in_prose_keeps_the_line_a_paragraph():
    blocks = text_to_blocks("联系电话：0379-1234567 | 地址：某路1号\n")
    assert blocks == [Paragraph("联系电话：0379-1234567 | 地址：某路1号")]


def test_indented_paragraph_is_not_a_row_and_newlines_and_bom():
    blocks = text_to_blocks("\ufeff第一段\r\n\t\t缩进的正文\r第三段\u2029\t0\t1")
    assert [type(b) for b in blocks] == [Paragraph, Paragraph, Paragraph, Table]
    assert blocks[0].text == "第一段"
    assert blocks[1].text == "缩进的正文"
    assert blocks[3].rows == [["", "0", "1"]]


def test_a_row_of_dash_blanks_is_data_not_a_separator():
    blocks = text_to_blocks("—\t—\t-\n")
    assert blocks[0].rows == [["—", "—", "-"]]


# --------------------------------------------------------------------------
# labels and lines
# --------------------------------------------------------------------------

def test_label_normalisation():
    assert norm("（一） 予以公开") == "(一)予以公开"
    assert split_enum(norm("1. 属于国家秘密")) == ("num", 1, "属于国家秘密")
    assert split_enum(norm("（十二）其他")) == ("pcn", 12, "其他")
    assert split_enum(norm("2024年")) == ("", None, "2024年")
    assert same_label("结果 维持", "结果维持")
    assert same_label("(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)",
                      schema.T3_ROW_BY_ID["partial"].label)
    assert not same_label("本年度止件数", "本年废止件数")
    assert core("3. 危及\"三安全一稳定\"") == core(schema.T3_ROW_BY_ID["denied.security"].label)


def test_label_index_matches_variants_but_not_short_neighbours():
    idx = LabelIndex([(r.label, r.id) for r in schema.T3_ROWS])
    assert idx.match("2.其他法律法规禁止公开")[1] == "denied.law"
    assert idx.match("（二）部分公开")[1] == "partial"
    assert idx.match("3.其他")[1] == "other.other"
    assert idx.match("（六）其他处理") is None
    assert idx.match("完全无关的一行文字内容") is None


@pytest.mark.parametrize("line, sid", [
    ("一、总体情况", "overview"), ("一、 总体情况", "overview"), ("一.总体情况", "overview"),
    ("四、政府信息公开行政复议,行政诉讼情况", "appeals"),
    ("五、政府信息公开工作存在的主要问题及改进情况", "problems"),
    ("其他需要报告的事项", "other"), ("六、其他需要报告的事项：", "other"),
    ("一、主动公开情况", None), ("二、依申请公开情况", None), ("四、政府信息公开平台建设情况", None),
    ("一、存在的主要问题", None), ("二、改进情况", None), ("（一）总体情况", None), ("总体情况", None),
    ("三、总体情况", None),
])
def test_match_heading(line, sid):
    assert match_heading(line) == sid


@pytest.mark.parametrize("line, want", [
    ("西工区商务局 2024 年政府信息公开工作年度报告", ("西工区商务局", 2024)),
    ("《某县人民政府办公室２０２３年度政府信息公开工作年度报告》", ("某县人民政府办公室", 2023)),
    ("某镇人民政府二〇二二年政府信息公开工作年度报告", ("某镇人民政府", 2022)),
    ("2021年政府信息公开工作年度报告", ("", 2021)),
    ("某局政府信息公开工作年度报告", ("某局", None)),
    ("现特向社会公布《某局 2024 年政府信息公开工作年度报告》。", None),
])
def test_match_title(line, want):
    assert match_title(line) == want


@pytest.mark.parametrize("line, want", [
    ("2025年1月20日", (date(2025, 1, 20), False)),
    ("2025 年 1 月 20 日", (date(2025, 1, 20), False)),
    ("二〇二五年一月二十日", (date(2025, 1, 20), False)),
    ("发布日期：2025-01-18 09:00", (date(2025, 1, 18), True)),
    ("发布时间:2025/1/8", (date(2025, 1, 8), True)),
    ("2025年2月30日", None),
    ("本报告统计期限自 2024 年 1 月 1 日起至 2024 年 12 月 31 日止。", None),
])
def test_parse_date_line(line, want):
    assert parse_date_line(line) == want


# --------------------------------------------------------------------------
# Fixtures in the seeds' shapes
# --------------------------------------------------------------------------

ALL_FIXTURES = ["tab_nonzero.txt", "pipe.txt", "orphan.txt", "ascii_spaced.txt",
                "format2019.txt", "bad_values.txt"]


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_every_cell_is_read_or_listed_in_a_note(name):
    res = read_text_file(FIX / name)
    assert res.source_format == "txt" and res.source_name == name
    assert unaccounted(res) == []
    assert res.report.structure is not None
    for n in res.notes:
        assert n.kind in {"variant", "unplaced", "format", "meta", "info"}
        assert all(c in CELLS for c in n.cells)


def test_tab_separated_with_shifted_cells_and_non_zero_figures():
    res = read_text_file(FIX / "tab_nonzero.txt")
    r = res.report
    assert (r.agency, r.year, r.format) == ("东湖区教育局", 2023, "2021")
    assert r.structure.title_line == "东湖区教育局 2023 年政府信息公开工作年度报告"
    assert r.structure.headings == OFFICIAL_HEADINGS
    assert r.structure.subheads["overview"][:2] == ["（一）主动公开", "（二）依申请公开"]
    assert r.publish_date == date(2024, 1, 25)
    assert all(v is not None for v in r.values.values())
    assert r.raw == {}
    v = r.values
    assert (v["t2.normative.issued"], v["t2.normative.repealed"], v["t2.normative.in_force"]) == (3, 1, 12)
    assert v["t2.licensing.decisions"] == 156 and v["t2.coercion.decisions"] == 2
    assert v["t2.fees.amount"] == Decimal("1.2345") and isinstance(v["t2.fees.amount"], Decimal)
    assert v["t3.new.person"] == 20 and v["t3.new.legal"] == 1 and v["t3.new.total"] == 25
    assert v["t3.rejected.confirmation.total"] == 0            # label shifted into column 0
    assert v["t3.other.other.person"] == 1
    assert v["t3.results_total.total"] == 25                    # numbers shifted left
    assert v["t3.carried_out.person"] == 2
    assert [v[c] for c in schema.TABLES["t4"].cell_ids] == [2, 1, 0, 1, 4, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1]
    assert_totals_consistent(r)
    assert r.sections["other"] == "本年度未收取信息处理费。"    # signature and date line removed
    assert r.sections["overview"].startswith("2023 年，东湖区教育局")
    assert "（五）监督保障" in r.sections["overview"].split("\n")
    assert notes_of(res, "unplaced") == [] and notes_of(res, "variant") == []
    assert r.structure.label_variants == []


def test_pipe_separated():
    res = read_text_file(FIX / "pipe.txt")
    r = res.report
    assert (r.agency, r.year) == ("北山县农业农村局", 2022)
    assert r.publish_date == date(2023, 1, 20)
    assert r.structure.headings == OFFICIAL_HEADINGS
    assert r.values["t2.normative.in_force"] == 6 and r.values["t2.licensing.decisions"] == 43
    assert r.values["t3.new.business"] == 1 and r.values["t3.results_total.total"] == 5
    assert r.values["t4.review.corrected"] == 1 and r.values["t4.review.total"] == 1
    assert all(v is not None for v in r.values.values())
    assert_totals_consistent(r)
    assert r.sections["other"] == "本年度未收取信息处理费。"
    assert "发布日期" not in r.sections["other"]


def test_orphan_number_lines():
    res = read_text_file(FIX / "orphan.txt")
    r = res.report
    v = r.values
    # one label-only row followed by exactly its seven numbers: assigned, with a note
    assert [v[schema.t3("granted", c)] for c, _ in schema.T3_COLUMNS] == [3, 1, 0, 0, 0, 0, 4]
    info = [n for n in notes_of(res, "info") if "t3.granted.person" in n.cells]
    assert len(info) == 1 and "单独的一行" in info[0].message
    # three label-only rows and one line of seven numbers: nothing guessed
    unable = [schema.t3(row, c) for row in ("unable.not_held", "unable.needs_creation",
                                            "unable.unclear") for c, _ in schema.T3_COLUMNS]
    assert all(v[c] is None and c not in r.raw for c in unable)
    un = notes_of(res, "unplaced")
    assert len(un) == 1 and set(un[0].cells) == set(unable)
    assert "1 0 0 0 0 0 1" in un[0].message and "无法确定" in un[0].message
    # rows after the orphan line still read in order
    assert v["t3.rejected.complaint.total"] == 0 and v["t3.results_total.total"] == 7
    assert v["t3.partial.person"] == 1


def test_orphan_line_for_two_rows_is_split_in_order():
    rows = [["一、本年新收政府信息公开申请数量", "", "2", "0", "0", "0", "0", "0", "2"],
            ["三、本年度办理结果", "（一）予以公开", "", ""],
            ["", "（二）部分公开", ""],
            ["", "1", "0", "0", "0", "0", "0", "1", "1", "0", "0", "0", "0", "0", "1"],
            ["", "（三）不予公开", "1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"]]
    res = recognise([Paragraph("三、收到和处理政府信息公开申请情况"), Table(rows)])
    v = res.report.values
    assert v["t3.granted.person"] == 1 and v["t3.partial.total"] == 1
    assert v["t3.denied.secret.total"] == 0


def test_orphan_line_without_any_label_row_is_reported():
    res = recognise([Paragraph("三、收到和处理政府信息公开申请情况"),
                     Table([["一、本年新收政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"],
                            ["", "5", "5"]])])
    assert res.report.values["t3.new.total"] == 1
    assert any("5 5" in n.message for n in notes_of(res, "unplaced"))


def test_ascii_punctuation_spaced_labels_variants_and_blanks():
    res = read_text_file(FIX / "ascii_spaced.txt")
    r = res.report
    assert (r.agency, r.year) == ("青石区市场监督管理局", 2022)
    assert r.publish_date == date(2023, 1, 18)
    # every heading found despite spacing and punctuation; texts kept as found
    assert r.structure.headings[0] == "一、 总体情况"
    assert r.structure.headings[3] == "四、政府信息公开行政复议,行政诉讼情况"
    assert len(r.structure.headings) == 6
    assert r.sections["problems"] == "问题:网站栏目更新不及时。改进:明确专人负责。"
    found = dict(r.structure.label_variants)
    assert found["本年度止件数"] == "本年废止件数"
    assert found["2.其他法律法规禁止公开"] == "2.其他法律行政法规禁止公开"
    assert any("保留4位小数" in f for f in found)
    assert len(r.structure.label_variants) == 3       # width and spacing are not variants
    vnotes = notes_of(res, "variant")
    assert len(vnotes) == 3
    fee = next(n for n in vnotes if "保留4位小数" in n.message)
    assert fee.cells == (schema.FEE_ID,)
    rep = next(n for n in vnotes if "本年度止件数" in n.message)
    assert set(rep.cells) == {"t2.regulation.repealed", "t2.normative.repealed"}
    v = r.values
    assert v["t3.denied.law.person"] == 1                     # variant row still placed
    assert v["t2.fees.amount"] == Decimal("0.5")
    # blanks and "/" kept as None with their text, for rule C3
    assert v["t2.regulation.issued"] is None and r.raw["t2.regulation.issued"] == "/"
    assert v["t2.coercion.decisions"] is None and r.raw["t2.coercion.decisions"] == "—"
    assert all(v[schema.t3("carried_in", c)] is None for c, _ in schema.T3_COLUMNS)
    assert r.raw["t3.rejected.publication.business"] == ""
    assert v["t4.review.total"] is None and r.raw["t4.review.total"] == "—"
    assert v["t3.new.legal"] == 1 and v["t3.partial.legal"] == 1


def test_format_2019():
    res = read_text_file(FIX / "format2019.txt")
    r = res.report
    assert r.format == schema.FORMAT_2019
    assert (r.agency, r.year) == ("南湖镇人民政府", 2019)
    assert r.publish_date == date(2020, 1, 20)
    assert r.structure.headings[4] == schema.HEADINGS_2019["problems"]
    assert r.sections["problems"] == "存在信息更新不及时的问题，将加强培训。"
    v = r.values
    fmt = notes_of(res, "format")
    by_cell = {c: n for n in fmt for c in n.cells}
    # 新制作 → issued; 对外公开总数量 is not 现行有效; repealed unknown
    assert v["t2.normative.issued"] == 2 and v["t2.regulation.issued"] == 0
    for cid in ("t2.regulation.repealed", "t2.normative.repealed"):
        assert v[cid] is None and by_cell[cid].message == schema.T2_2019_REPEALED_NOTE
    assert v["t2.normative.in_force"] is None
    assert "规范性文件 15" in by_cell["t2.normative.in_force"].message
    # 处理决定数量 → decisions; fee item counts never become the amount
    assert (v["t2.licensing.decisions"], v["t2.penalty.decisions"], v["t2.coercion.decisions"]) == (30, 12, 2)
    assert v[schema.FEE_ID] is None and schema.FEE_ID not in r.raw
    assert by_cell[schema.FEE_ID].message.startswith(schema.T2_2019_FEES_NOTE)
    assert "其他对外管理服务事项 处理决定数量 4" in " ".join(n.message for n in fmt)
    assert "政府集中采购" in " ".join(n.message for n in fmt)
    # table 三: one （六）其他处理 row → 3.其他, the other two 0, flagged
    assert [v[schema.t3("other.other", c)] for c, _ in schema.T3_COLUMNS] == [1, 1, 0, 0, 0, 0, 2]
    for row in ("other.no_correction", "other.unpaid_fee"):
        assert all(v[schema.t3(row, c)] == 0 for c, _ in schema.T3_COLUMNS)
    assert by_cell["t3.other.unpaid_fee.person"].message == schema.T3_2019_OTHER_NOTE
    assert v["t3.results_total.total"] == 4 and v["t3.carried_out.total"] == 0
    assert_totals_consistent(r)
    assert fmt[0].message.startswith("本报告为 2019 年试行格式")


def test_letters_and_negative_numbers_are_kept_raw():
    res = read_text_file(FIX / "bad_values.txt")
    r = res.report
    want = {"t2.normative.in_force": "x1", "t2.licensing.decisions": "N/A", "t2.fees.amount": "-0.5",
            "t3.new.business": "-3", "t3.granted.person": "abc", "t3.partial.research": "1.5",
            "t3.carried_out.total": "待定", "t4.review.upheld": "x"}
    assert r.raw == want
    assert all(r.values[c] is None for c in want)
    assert r.values["t3.new.person"] == 5 and r.values["t4.review.corrected"] == 0


# --------------------------------------------------------------------------
# Title, headings, sections
# --------------------------------------------------------------------------

def _without_title() -> str:
    lines = fixture_text("tab_nonzero.txt").split("\n")
    return "\n".join(["现将我局2023年政府信息公开工作情况报告如下："]
                     + [x for x in lines if "年度报告" not in x])


def test_no_title_takes_the_year_from_the_opening_line_and_the_agency_from_the_signature():
    res = read_text(_without_title(), "x.txt")
    r = res.report
    assert r.structure.title_line is None and r.agency == "东湖区教育局" and r.year == 2023
    meta = notes_of(res, "meta")
    assert len(meta) == 1 and "落款" in meta[0].message and "2023" in meta[0].message
    assert "未能识别" not in meta[0].message
    # without the signature, "我局" is no name: the agency is left to the user
    text = _without_title().replace("\n东湖区教育局\n", "\n")
    res = read_text(text, "x.txt")
    assert res.report.agency == "" and res.report.year == 2023
    assert "机关名称未能识别" in notes_of(res, "meta")[0].message
    assert r.sections["overview"].startswith("现将我局2023年")   # the preamble is kept
    assert any("并入" in n.message for n in notes_of(res, "info"))
    assert r.values["t3.new.total"] == 25


def test_title_split_over_two_lines_and_missing_year():
    # a line naming only a place above the agency: the first part of the name
    r = read_text("某县\n人民政府办公室\n2023年政府信息公开工作年度报告\n一、总体情况\n正文。").report
    assert r.agency == "某县人民政府办公室" and r.year == 2023
    assert r.structure.title_line == "某县人民政府办公室2023年政府信息公开工作年度报告"
    res = read_text("某县司法局政府信息公开工作年度报告\n一、总体情况\n正文。")
    assert res.report.agency == "某县司法局" and res.report.year is None
    assert any("年度" in n.message for n in notes_of(res, "meta"))


def test_lines_before_the_title_are_noted_lines_after_it_join_the_overview():
    res = read_text("索引号：00123\n发布日期：2024-01-22\n某局2023年政府信息公开工作年度报告\n"
                    "根据条例，编制本报告。\n一、总体情况\n全年公开信息 5 条。")
    r = res.report
    assert r.publish_date == date(2024, 1, 22)
    assert r.sections["overview"] == "根据条例，编制本报告。\n全年公开信息 5 条。"
    info = " ".join(n.message for n in notes_of(res, "info"))
    assert "索引号：00123" in info and "发布日期" not in info


def test_duplicate_heading_and_sub_heads_inside_sections():
    txt = ("某局2024年政府信息公开工作年度报告\n一、总体情况\n一、总体情况\n"
           "一、主动公开情况\n主动公开了信息。\n二、依申请公开情况\n未收到申请。\n"
           "五、存在的主要问题及改进情况\n一、存在的主要问题\n问题。\n二、改进情况\n措施。\n"
           "六、其他需要报告的事项\n(一) 收费：本年度未收取信息处理费。\n")
    r = read_text(txt).report
    assert r.structure.headings == ["一、总体情况", "一、总体情况", OFFICIAL_HEADINGS[4],
                                    OFFICIAL_HEADINGS[5]]
    assert r.structure.subheads == {"overview": ["一、主动公开情况", "二、依申请公开情况"],
                                    "problems": ["一、存在的主要问题", "二、改进情况"],
                                    "other": ["(一) 收费"]}
    assert r.sections["overview"] == "一、主动公开情况\n主动公开了信息。\n二、依申请公开情况\n未收到申请。"
    assert r.sections["problems"] == "一、存在的主要问题\n问题。\n二、改进情况\n措施。"


def test_tables_found_by_content_when_a_heading_is_missing():
    txt = fixture_text("pipe.txt").replace("二、主动公开政府信息情况\n", "")
    res = read_text(txt)
    r = res.report
    assert len(r.structure.headings) == 5
    assert r.values["t2.licensing.decisions"] == 43
    assert "第二十条" not in r.sections["overview"]


def test_text_in_table_sections_is_noted_not_lost():
    txt = fixture_text("pipe.txt").replace("第二十条第(一)项 | |||",
                                           "单位：件，说明：本表据实填写\n第二十条第(一)项 | |||")
    res = read_text(txt)
    assert any("单位：件" in n.message for n in notes_of(res, "info"))
    assert res.report.values["t2.normative.in_force"] == 6


# --------------------------------------------------------------------------
# Other readers' blocks: merged cells repeated (python-docx, expanded HTML)
# --------------------------------------------------------------------------

def test_recognise_blocks_with_repeated_merged_cells():
    corner = schema.T3_CORNER
    t3_rows = [[corner] * 3 + [schema.T3_APPLICANTS] * 7,
               [corner] * 3 + ["自然人"] + [schema.T3_ORGS] * 5 + ["总计"],
               [corner] * 3 + ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
                               "总计"]]
    for row in schema.T3_ROWS:
        vals = ["1", "0", "0", "0", "0", "0", "1"] if row.id in ("new", "granted", "results_total") \
            else ["0"] * 7
        if not row.in_results:
            labels = [row.label] * 3
        elif row.group is None:
            labels = [schema.T3_RESULTS_GROUP, row.label, row.label]
        else:
            labels = [schema.T3_RESULTS_GROUP, row.group, row.label]
        t3_rows.append(labels + vals)
    t2_rows = []
    for b in schema.T2_BLOCKS:
        t2_rows.append([b.caption] * 4)
        span = 3 // len(b.columns)
        t2_rows.append([schema.T2_CONTENT] + [lab for _, lab in b.columns for _ in range(span)])
        for _, lab in b.rows:
            t2_rows.append([lab] + ["2" for _ in b.columns for _ in range(span)])
    t4_rows = [[schema.T4_REVIEW] * 5 + [schema.T4_SUIT] * 10,
               [lab for _, lab in schema.T4_COLUMNS] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
               [lab for _, lab in schema.T4_COLUMNS] * 3,
               ["1", "0", "0", "0", "1"] + ["0"] * 10]
    blocks = [Paragraph("某区某局2024年政府信息公开工作年度报告")]
    for s in SECTIONS:
        blocks.append(Paragraph(s.heading))
        if s.table == "t2":
            blocks.append(Table(t2_rows))
        elif s.table == "t3":
            blocks.append(Table(t3_rows))
        elif s.table == "t4":
            blocks.append(Table(t4_rows))
        else:
            blocks.append(Paragraph(f"{s.short}的内容。"))
    res = recognise(blocks, source_format="docx", source_name="a.docx")
    r = res.report
    assert res.source_format == "docx" and res.source_name == "a.docx"
    assert all(v is not None for v in r.values.values()), [c for c, v in r.values.items() if v is None]
    assert r.values["t2.licensing.decisions"] == 2 and r.values["t2.fees.amount"] == Decimal(2)
    assert r.values["t3.granted.total"] == 1 and r.values["t3.results_total.person"] == 1
    assert r.values["t4.review.total"] == 1
    assert res.notes == [] and r.structure.label_variants == []
    assert r.sections["problems"] == "问题与改进的内容。"


def test_group_and_row_label_in_one_cell_and_header_cells_alone():
    zeros = ["0"] * 7
    rows = [["总计"], ["其他"],
            ["一、本年新收政府信息公开申请数量", "2", "0", "0", "0", "0", "0", "2"],
            ["（三）不予公开 1.属于国家秘密", "1", "0", "0", "0", "0", "0", "1"],
            ["（六）其他处理 3.其他"] + zeros,
            ["（七）总计", "1", "0", "0", "0", "0", "0", "1"]]
    res = recognise([Paragraph("三、收到和处理政府信息公开申请情况"), Table(rows)])
    v = res.report.values
    assert v["t3.new.total"] == 2 and v["t3.denied.secret.total"] == 1
    assert v["t3.other.other.total"] == 0 and v["t3.results_total.total"] == 1
    assert not [n for n in res.notes if n.kind == "info"]


def test_a_row_with_the_wrong_number_of_cells_is_reported_not_guessed():
    res = recognise([Paragraph("三、收到和处理政府信息公开申请情况"),
                     Table([["（一）予以公开", "1", "2", "3"]])])
    assert res.report.values["t3.granted.person"] is None
    un = [n for n in notes_of(res, "unplaced") if "t3.granted.person" in n.cells]
    assert un and "1 2 3" in un[0].message


# --------------------------------------------------------------------------
# Encodings and bad input
# --------------------------------------------------------------------------

def _summary(res: ImportResult):
    r = res.report
    return r.agency, r.year, dict(r.values), r.sections, r.structure.headings


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-16", "utf-16-le"])
def test_encodings(tmp_path, encoding):
    text = fixture_text("tab_nonzero.txt")
    p = tmp_path / f"{encoding}.txt"
    p.write_bytes(text.encode(encoding))
    assert _summary(read_text_file(p)) == _summary(read_text(text))


def test_empty_and_blank_files(tmp_path):
    p = tmp_path / "空.txt"
    p.write_bytes(b"")
    with pytest.raises(ReadError, match="空"):
        read_text_file(p)
    p.write_bytes(b"  \r\n\t\n")
    with pytest.raises(ReadError, match="空"):
        read_text_file(p)


def test_binary_junk(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20)
    with pytest.raises(ReadError, match="不是文本文件"):
        read_text_file(p)
    p.write_bytes(bytes(range(1, 32)) * 50)
    with pytest.raises(ReadError, match="不是文本文件"):
        read_text_file(p)


def test_a_text_without_a_report(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("会议纪要\n今天开会讨论了绿化工作。\n\t甲\t乙\n", encoding="utf-8")
    with pytest.raises(ReadError, match="文件“x.txt”不像是政府信息公开工作年度报告"):
        read_text_file(p)
    with pytest.raises(ReadError, match="不像是"):
        read_text("只有一句话。")


def test_missing_directory_and_too_large(tmp_path, monkeypatch):
    with pytest.raises(ReadError, match="找不到.*nope.txt”"):
        read_text_file(tmp_path / "nope.txt")
    with pytest.raises(ReadError, match="文件夹"):
        read_text_file(tmp_path)
    p = tmp_path / "big.txt"
    p.write_bytes(fixture_text("pipe.txt").encode("utf-8"))
    monkeypatch.setattr(text_mod, "MAX_BYTES", 100)
    with pytest.raises(ReadError, match="太大"):
        read_text_file(p)


def test_decode_undecodable_bytes():
    with pytest.raises(ReadError, match="UTF-8"):
        decode_text(b"\xff\xfe\xfd\x80\x81" * 3 + "正文".encode(), "a.txt")


# --------------------------------------------------------------------------
# Robustness and speed
# --------------------------------------------------------------------------

_WORDS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
          "第二十条第（一）项", "信息内容", "规章", "行政许可", "（一）予以公开", "3.其他", "（六）其他处理",
          "行政复议", "行政诉讼", "0", "1", "/", "", "abc", "-3", "2024年1月2日",
          "某局2024年政府信息公开工作年度报告",
          "（七）总计", "总计", "自然人", "本年新制作数量"]
_cell = st.sampled_from(_WORDS)
_block = st.one_of(st.builds(Paragraph, _cell),
                   st.builds(Table, st.lists(st.lists(_cell, max_size=16), max_size=6)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_block, max_size=25))
def test_recognise_never_crashes_and_accounts_for_every_cell(blocks):
    try:
        res = recognise(blocks)
    except ReadError:
        return
    assert unaccounted(res) == []


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("一二三、（）()1.0 \t|\n年月日规章总计其他报告"
                                        "政府信息公开工作年度-/—"),
               max_size=300))
def test_any_text_reads_or_raises_read_error(text):
    try:
        res = read_text(text)
    except ReadError as e:
        assert "不像是政府信息公开工作年度报告" in str(e)
        return
    assert unaccounted(res) == []


def test_large_input_is_linear():
    body = fixture_text("tab_nonzero.txt")
    para = "本年度我局持续推进政务公开工作，主动公开各类信息，回应社会关切。\n"
    big = body.replace("（二）依申请公开\n", "（二）依申请公开\n" + para * 20000)
    r = read_text(big).report            # its speed (linear, < 10 s): bench/bench_budgets.py
    assert r.values["t3.new.total"] == 25
    assert r.sections["overview"].count("回应社会关切") == 20000


@pytest.mark.parametrize("agency, level", [
    ("示例县人民政府", Level.GOVERNMENT),
    ("示例县青禾镇人民政府", Level.TOWNSHIP),
    ("示例区东门街道办事处", Level.TOWNSHIP),
    ("示例县人民政府办公室", Level.DEPARTMENT),
    ("示例县财政局", Level.DEPARTMENT),
])
def test_level_is_inferred_from_the_agency_name(agency, level):
    text = fixture_text("tab_nonzero.txt")
    first = next(line for line in text.splitlines() if line.strip())
    res = read_text(text.replace(first, f"{agency}2024年政府信息公开工作年度报告", 1))
    assert res.report.agency == agency and res.report.level is level
    assert any(level.label in n.message for n in res.notes) == (level is not Level.DEPARTMENT)


# --------------------------------------------------------------------------
# Real-world shapes, one at a time (the generator in test_import_shapes.py mixes them)
# --------------------------------------------------------------------------

def _tab_report() -> str:
    return fixture_text("tab_nonzero.txt")


@pytest.mark.parametrize("line, want", [
    ("2019年南湖镇人民政府政府信息公开工作年度报告", ("南湖镇人民政府", 2019)),
    ("某县司法局2023年政府信息公开年度报告", ("某县司法局", 2023)),
    ("某县司法局政府信息公开工作2023年度报告", ("某县司法局", 2023)),
    ("## 某县司法局2023年度政府信息公开工作年度报告", ("某县司法局", 2023)),
    ("某县司法局2023年政府信息公开工作年度报告（全文）", ("某县司法局", 2023)),
    ("本溪市人民政府2023年政府信息公开工作年度报告", ("本溪市人民政府", 2023)),   # 本溪 is a city
    ("现将某县司法局2023年政府信息公开工作年度报告", None),
    ("我局2023年政府信息公开工作年度报告", None),
    ("根据《条例》要求，特向社会公布某局2023年政府信息公开工作年度报告", None),
])
def test_title_forms_and_prose_that_is_no_title(line, want):
    assert match_title(line) == want


def test_a_txt_with_a_stray_br_is_read_as_text(tmp_path):
    p = tmp_path / "报告.txt"
    p.write_text(_tab_report().replace("一、总体情况\n", "一、总体情况\n联系电话：0379-1234567<br>\n<p\n", 1),
                 encoding="utf-8")
    from model.importers import read_file, sniff
    assert sniff(p.read_bytes()[:8192], ".txt") == "txt"
    res = read_file(p)
    assert res.source_format == "txt" and res.report.values["t3.new.total"] == 25
    page = "<html><body><p>一、总体情况</p><p>正文</p><br><p>二</p></body></html>"
    assert sniff(page.encode(), ".txt") == "html"        # a page saved as .txt stays a page


def test_remark_in_a_cell_and_a_fee_with_six_decimals():
    text = _tab_report()
    text = text.replace("行政规范性文件\t", "行政规范性文件\t", 1)
    row = next(x for x in text.splitlines() if x.startswith("行政规范性文件\t"))
    cells = row.split("\t")
    cells[1] = f"{cells[1]}（其中修订1件）"
    text = text.replace(row, "\t".join(cells))
    fee = next(x for x in text.splitlines() if x.startswith("行政事业性收费\t"))
    text = text.replace(fee, "行政事业性收费\t24252.311082")
    res = read_text(text)
    r = res.report
    assert r.values["t2.normative.issued"] == int(row.split("\t")[1])
    assert any("其中修订1件" in n.message for n in res.notes)
    assert r.values[schema.FEE_ID] == Decimal("24252.311082")
    from model.rules import check
    rules = {f.rule for f in check(r)}
    assert "C2" in rules and "C1" not in rules


def test_radical_code_points_are_folded():
    """Some PDF makers write ⾏ (U+2F8F) for 行 and ⻔ (U+2ED4) for 门: text copied from them."""
    want = read_text(_tab_report()).report
    res = read_text(_tab_report().replace("行政", "\u2f8f政").replace("门", "\u2ed4"))
    assert res.report.values == want.values
    assert "\u2f8f" not in res.report.sections["overview"] and "\u2ed4" not in res.report.sections["overview"]


def test_heading_wordings_and_renumbering():
    text = _tab_report().replace("五、存在的主要问题及改进情况", "**五、存在的主要问题及整改措施**")
    r = read_text(text).report
    assert r.structure.headings[4] == "五、存在的主要问题及整改措施"
    assert r.sections["problems"]


def test_title_without_agency_or_year_takes_them_from_the_signature_and_the_period():
    text = ("2023年政府信息公开工作年度报告\n一、总体情况\n"
            "本年度报告中所列数据统计期限自2023年1月1日起至12月31日止。\n"
            "六、其他需要报告的事项\n本年度未收取信息处理费。\n东湖区教育局\n2024年1月20日\n")
    res = read_text(text)
    assert res.report.agency == "东湖区教育局" and res.report.year == 2023
    assert "东湖区教育局" not in res.report.sections["other"]
    text = text.replace("2023年政府信息公开工作年度报告", "东湖区教育局政府信息公开工作年度报告")
    res = read_text(text)
    assert res.report.year == 2023
    assert any("统计期限" in n.message for n in res.notes if n.kind == "meta")


def test_headings_without_numerals_are_still_the_sections():
    """Headings whose numerals were lost (a web copy of an auto-numbered Word file): each is its
    section by its words and place, 总体情况 too when it comes first; S2 says the numerals lack."""
    from model import example
    from model.render import render
    from model.rules import check
    want = example.build()
    text = render(want, "txt")
    for s in schema.SECTIONS:
        text = text.replace(s.heading, s.heading.split("、", 1)[1])
    got = read_text(text).report
    assert got.structure.headings == [s.heading.split("、", 1)[1] for s in schema.SECTIONS]
    assert {k: got.values[k] for k in schema.CELL_IDS} == {k: want.values[k] for k in schema.CELL_IDS}
    assert got.sections["overview"].split() == want.sections["overview"].split()
    s2 = [f for f in check(got) if f.rule == "S2"]
    assert len(s2) == 6 and all("缺少序号" in f.message for f in s2)
    # a line 总体情况 later in the text is no heading, nor one before the title (a page's menu)
    r = read_text("某局2024年政府信息公开工作年度报告\n一、总体情况\n总体情况\n正文。").report
    assert r.structure.headings == ["一、总体情况"]
    r = read_text("首页\n总体情况\n某局2024年政府信息公开工作年度报告\n一、总体情况\n正文。").report
    assert r.structure.title_line == "某局2024年政府信息公开工作年度报告"
    assert r.structure.headings == ["一、总体情况"]
