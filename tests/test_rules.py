"""The rules engine: every rule triggered once and kept quiet once, on an invented report."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from model import rules, schema
from model.findings import Severity
from model.report import Report, Structure
from model.rules import RULES, check, publish_blockers, section_checklist, text_number_mismatches
from model.schema import CELLS, Level, Tier

AGENCY = "示例县文化和旅游局"

OVERVIEW = (
    "2024年，示例县文化和旅游局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。\n"
    "（一）主动公开。全年通过县政府网站主动公开政府信息 236 条，制发行政规范性文件 2 件。\n"
    "（二）依申请公开。全年共收到政府信息公开申请 12 件，均已按时答复。\n"
    "（三）政府信息管理。建立健全信息发布审核机制，严格落实保密审查。\n"
    "（四）政府信息公开平台建设。持续优化信息公开专栏，用好政务新媒体。\n"
    "（五）监督保障。主动接受社会监督。全年发生政府信息公开行政复议 1 件，未发生行政诉讼。"
)
PROBLEMS = (
    "存在的主要问题：一是部分信息更新不够及时；二是政策解读形式较为单一。\n"
    "改进措施：下一步将加强信息发布时效管理，丰富政策解读形式。\n"
    "上年报告提出的问题已全部整改到位。"
)
OTHER = "本年度未收取信息处理费。"


def _fill(r: Report, row: str, **cols: int) -> None:
    for col, v in cols.items():
        r.values[schema.t3(row, col)] = v


def valid_report(**kw) -> Report:
    """A filled, consistent report for an invented agency that passes every rule."""
    r = Report.zeros(agency=AGENCY, year=2024, level=Level.DEPARTMENT, tier=Tier.COUNTY, **kw)
    r.sections = {"overview": OVERVIEW, "problems": PROBLEMS, "other": OTHER}
    r.values["t2.normative.issued"] = 2
    r.values["t2.normative.repealed"] = 1
    r.values["t2.normative.in_force"] = 8
    r.values["t2.licensing.decisions"] = 120
    r.values["t2.penalty.decisions"] = 35
    _fill(r, "new", person=10, business=2)
    _fill(r, "carried_in", person=1)
    _fill(r, "granted", person=6, business=1)
    _fill(r, "partial", person=2)
    _fill(r, "unable.not_held", person=1)
    _fill(r, "rejected.duplicate", business=1)
    _fill(r, "other.other", person=1)
    _fill(r, "carried_out", person=1)
    r.values["t4.review.upheld"] = 1
    r.recompute_totals()
    r.publish_date = date(2025, 1, 20)
    return r


def rules_of(findings, rule=None):
    return [f for f in findings if rule is None or f.rule == rule]


def only(findings, rule):
    got = rules_of(findings, rule)
    assert got, f"{rule} not found in {[f.rule for f in findings]}"
    return got


def none_of(findings, rule):
    assert not rules_of(findings, rule), [f.message for f in rules_of(findings, rule)]


# --------------------------------------------------------------------------
# the valid report and the API
# --------------------------------------------------------------------------

def test_valid_report_is_clean():
    r = valid_report()
    assert r.num("t3.results_total.total") == 12
    assert check(r) == []


def test_valid_report_clean_with_baseline_and_structure():
    r = valid_report()
    base = Report.zeros(agency=AGENCY, year=2023, tier=Tier.COUNTY)
    base.values["t3.carried_out.person"] = 1
    base.values["t3.carried_out.total"] = 1
    base.values["t2.normative.in_force"] = 7
    base.values["t2.licensing.decisions"] = 100
    base.values["t2.penalty.decisions"] = 30
    base.values["t3.new.total"] = 9
    base.values["t3.granted.total"] = 5
    base.values["t3.results_total.total"] = 9
    base.sections = {"overview": "全年围绕文旅工作开展公开，网站栏目持续完善。", "problems": "人员力量不足。",
                     "other": "无其他需要报告的事项，全年未产生信息处理费。"}
    r.baseline = base
    r.structure = Structure(title_line=f"{AGENCY} 2024 年政府信息公开工作年度报告",
                            headings=[s.heading for s in schema.SECTIONS])
    assert check(r) == []


def test_rules_registry_complete():
    want = {"C1", "C2", "C3", "T3-1", "T3-2", "T3-3", "T3-4", "T3-5", "T4-1", "T2-1",
            "X0", "X1", "X2", "X3", "X4", "X5", "N1", "N2", "N3", "N4", "N5",
            "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8"}
    assert set(RULES) == want
    for rid, info in RULES.items():
        assert info.id == rid and info.title
        assert any("\u4e00" <= ch <= "\u9fff" for ch in info.title)


def test_publish_blockers_are_the_errors():
    r = valid_report()
    r.values["t3.new.total"] = 99             # T3-1 / T3-3 errors
    r.sections["other"] = "无"                 # S6 warning
    blockers = publish_blockers(r)
    assert blockers and all(f.severity is Severity.ERROR for f in blockers)
    assert {f.rule for f in blockers} >= {"T3-1", "T3-3"}
    assert "S6" not in {f.rule for f in blockers}
    assert publish_blockers(valid_report()) == []


def test_ordering_is_stable_and_by_position():
    r = valid_report()
    r.agency = ""
    r.values["t3.granted.person"] = 9          # T3-1 on granted, T3-2 and T3-3 on person
    r.values["t4.review.total"] = 5             # T4-1
    r.sections["other"] = "无"                  # S6
    r.sections["overview"] += "\n一、主动公开情况"  # S3
    a, b = check(r), check(r)
    assert a == b
    ids = [f.rule for f in a]
    assert ids[0] == "S1"                                      # meta first
    assert ids.index("S3") < ids.index("T3-1") < ids.index("T4-1") < ids.index("S6")
    t3 = [f for f in a if f.rule.startswith("T3")]
    order = {c: i for i, c in enumerate(schema.CELL_IDS)}
    positions = [order[f.cells[0]] for f in t3]
    assert positions == sorted(positions)
    assert check(r.copy()) == a


# --------------------------------------------------------------------------
# C1 – C3
# --------------------------------------------------------------------------

def test_c1_unreadable_raw_and_negative():
    r = valid_report()
    r.set("t3.new.business", None, raw="abc")
    r.set("t3.new.research", None, raw="-3")
    r.values["t3.granted.legal"] = -1
    f = only(check(r), "C1")
    assert {x.cells[0] for x in f} == {"t3.new.business", "t3.new.research", "t3.granted.legal"}
    assert all(x.severity is Severity.ERROR for x in f)
    assert any("abc" in x.message and "商业企业" in x.message for x in f)
    # the unreadable cells are not also reported as blanks
    for x in rules_of(check(r), "C3"):
        assert "t3.new.business" not in x.cells


def test_c1_fraction_count_and_clean_raw():
    r = valid_report()
    r.set("t3.new.legal", None, raw="1.5")
    assert only(check(r), "C1")[0].cells == ("t3.new.legal",)
    r = valid_report()
    r.set("t3.new.person", 10, raw="１０")     # a clean number kept as typed: no finding
    none_of(check(r), "C1")


def test_c2_decimals_and_magnitude():
    r = valid_report()
    r.values[schema.FEE_ID] = Decimal("1.23456")
    f = only(check(r), "C2")
    assert f[0].severity is Severity.ERROR and "1.2346" in f[0].message
    r.values[schema.FEE_ID] = Decimal("12000")
    f = only(check(r), "C2")
    assert f[0].severity is Severity.INFO and "1.2" in f[0].message
    r.values[schema.FEE_ID] = Decimal("1.2345")
    none_of(check(r), "C2")


def test_c3_blanks_listed_in_one_finding_per_table():
    r = valid_report()
    r.values["t3.denied.secret.person"] = None
    r.values["t3.denied.law.person"] = None
    r.values["t4.review.other"] = None
    f = only(check(r), "C3")
    assert len(f) == 2
    assert f[0].cells == ("t3.denied.secret.person", "t3.denied.law.person")
    assert f[0].severity is Severity.WARNING and "按 0 计" in f[0].message
    assert f[1].cells == ("t4.review.other",)
    none_of(check(valid_report()), "C3")


def test_c3_many_blanks_all_cells_listed():
    r = Report(agency=AGENCY, year=2024)       # every cell blank
    f = only(check(r), "C3")
    assert sum(len(x.cells) for x in f) == len(schema.CELL_IDS)
    assert len(f) == 3


# --------------------------------------------------------------------------
# T3 / T4 / T2
# --------------------------------------------------------------------------

def test_t3_1_row_total_message():
    r = valid_report()
    r.values["t3.new.total"] = 10
    f = only(check(r), "T3-1")[0]
    assert f.cells[0] == "t3.new.total"
    assert f.message.startswith(CELLS["t3.new.total"].row_label)
    assert f.message == "一、本年新收政府信息公开申请数量 总计应为 12（自然人至其他六列之和），现为 10"
    assert f.severity is Severity.ERROR


def test_t3_2_column_total_message():
    r = valid_report()
    r.values["t3.results_total.person"] = 8
    f = [x for x in only(check(r), "T3-2")]
    assert len(f) == 1
    assert f[0].message.startswith("（七）总计 自然人列应为 10（各分项之和），现为 8")


def test_t3_3_balance_message():
    r = valid_report()
    r.values["t3.carried_out.person"] = 3
    r.values["t3.carried_out.total"] = 3
    f = [x for x in only(check(r), "T3-3")]
    assert [x.cells[0] for x in f] == ["t3.new.person", "t3.new.total"]
    assert "相差 2" in f[0].message and "应为 1" in f[0].message and "现为 3" in f[0].message
    none_of(check(valid_report()), "T3-3")


def test_t3_3_results_exceed_input():
    r = valid_report()
    r.values["t3.new.person"] = 5
    r.values["t3.new.total"] = 7
    f = only(check(r), "T3-3")[0]
    assert "多" in f.message


def test_t3_4_unpaid_fee_needs_statement():
    r = valid_report()
    _fill(r, "other.unpaid_fee", person=1)
    _fill(r, "other.other", person=0)
    r.recompute_totals()
    r.sections["other"] = "本年度无其他需要报告的事项。"
    only(check(r), "T3-4")
    r.sections["other"] = "本年度发出收费通知 1 份，申请人逾期未缴纳，未收取信息处理费。"
    none_of(check(r), "T3-4")


def test_t3_5_other_share():
    r = valid_report()
    _fill(r, "granted", person=2)
    _fill(r, "other.other", person=5)
    r.recompute_totals()
    f = only(check(r), "T3-5")[0]
    assert f.severity is Severity.INFO and "5 件" in f.message and "12 件" in f.message
    none_of(check(valid_report()), "T3-5")


def test_t4_1_group_total():
    r = valid_report()
    r.values["t4.suit_direct.pending"] = 2
    f = only(check(r), "T4-1")[0]
    assert f.cells[0] == "t4.suit_direct.total"
    assert "未经复议直接起诉 总计应为 2" in f.message and "现为 0" in f.message
    none_of(check(valid_report()), "T4-1")


@pytest.mark.parametrize("tier,level,fires", [
    (Tier.COUNTY, Level.DEPARTMENT, True),
    (Tier.CITY, Level.TOWNSHIP, True),
    (Tier.CITY, Level.DEPARTMENT, False),
    (Tier.UNKNOWN, Level.DEPARTMENT, False),
])
def test_t2_1_rulemaking_power(tier, level, fires):
    r = valid_report()
    r.tier, r.level = tier, level
    r.values["t2.regulation.issued"] = 1
    r.values["t2.regulation.in_force"] = 1
    got = rules_of(check(r), "T2-1")
    assert bool(got) == fires
    if fires:
        assert got[0].severity is Severity.WARNING


# --------------------------------------------------------------------------
# X1 – X5
# --------------------------------------------------------------------------

def _with_baseline(r: Report) -> Report:
    base = r.copy()
    base.year = r.year - 1
    base.sections = {"overview": "去年的总体情况完全是另一番内容，和今年没有相同的句子可言。",
                     "problems": "去年的问题是人手不足。", "other": "去年未收取信息处理费。"}
    r.baseline = base
    return r


def test_x1_carried_in_vs_last_year():
    r = _with_baseline(valid_report())
    none_of(check(r), "X1")
    r.baseline.values["t3.carried_out.person"] = 2
    f = only(check(r), "X1")[0]
    assert f.severity is Severity.ERROR and f.cells == ("t3.carried_in.person",)
    assert "应为 2" in f.message and "现为 1" in f.message
    r.baseline_own = False
    assert only(check(r), "X1")[0].severity is Severity.WARNING


def test_x2_in_force_continuity():
    r = _with_baseline(valid_report())
    r.baseline.values["t2.normative.in_force"] = 7      # 7 + 2 - 1 = 8
    none_of(check(r), "X2")
    r.baseline.values["t2.normative.in_force"] = 5
    f = only(check(r), "X2")[0]
    assert "应为 6" in f.message and "现为 8" in f.message


def test_x3_pending_appeals_last_year():
    r = _with_baseline(valid_report())
    none_of(check(r), "X3")
    r.baseline.values["t4.suit_after_review.pending"] = 1
    f = only(check(r), "X3")[0]
    assert f.severity is Severity.INFO and "复议后起诉" in f.message


def test_x4_big_changes():
    assert rules.x4_flags(10, 120)
    assert rules.x4_flags(0, 10)
    assert rules.x4_flags(100, 0)
    assert not rules.x4_flags(1, 6)
    assert not rules.x4_flags(0, 4)
    assert not rules.x4_flags(30, 120)
    r = _with_baseline(valid_report())
    none_of(check(r), "X4")
    r.baseline.values["t2.licensing.decisions"] = 10
    f = only(check(r), "X4")[0]
    assert f.cells == ("t2.licensing.decisions",) and "120" in f.message


def test_x5_similar_text():
    r = _with_baseline(valid_report())
    none_of(check(r), "X5")
    r.baseline.sections["overview"] = OVERVIEW.replace("2024", "2023").replace("236", "198")
    f = only(check(r), "X5")[0]
    assert f.section == "overview" and "相似度" in f.message


def test_x5_stale_year():
    r = _with_baseline(valid_report())
    r.sections["problems"] = PROBLEMS + "本报告统计期限为 2023 年 1 月 1 日至 2023 年 12 月 31 日。"
    f = only(check(r), "X5")[0]
    assert f.section == "problems" and "2023年" in f.message and "2 处" in f.message
    r.sections["problems"] = PROBLEMS + "对2023年度报告中提出的问题已整改，与2023年相比答复更及时。"
    none_of(check(r), "X5")


def test_x_rules_need_a_baseline():
    r = valid_report()
    r.sections["problems"] += "2023年12月31日"
    assert not [f for f in check(r) if f.rule.startswith("X")]


# --------------------------------------------------------------------------
# N1 – N5
# --------------------------------------------------------------------------

def test_n1_request_count_mismatch():
    r = valid_report()
    r.sections["overview"] = OVERVIEW.replace("收到政府信息公开申请 12 件", "收到政府信息公开申请 15 件")
    f = only(check(r), "N1")[0]
    assert f.section == "overview" and "15" in f.message and "12" in f.message
    spans = text_number_mismatches(r, "overview")
    assert len(spans) == 1
    s, e, msg = spans[0]
    assert r.sections["overview"][s:e] == "15" and msg == f.message
    # new + carried_in is accepted as well
    r.sections["overview"] = OVERVIEW.replace("收到政府信息公开申请 12 件", "共办理政府信息公开申请 13 件")
    none_of(check(r), "N1")


def test_n1_chinese_numerals():
    r = valid_report()
    r.sections["overview"] = OVERVIEW.replace("收到政府信息公开申请 12 件", "收到政府信息公开申请三十五件")
    f = only(check(r), "N1")[0]
    assert "35" in f.message
    (s, e, _), = text_number_mismatches(r, "overview")
    assert r.sections["overview"][s:e] == "三十五"
    r.sections["overview"] = OVERVIEW.replace("收到政府信息公开申请 12 件", "收到政府信息公开申请十二件")
    none_of(check(r), "N1")


def test_n1_seed_001_wording():
    r = valid_report()
    _fill(r, "new", person=35, business=0)
    _fill(r, "carried_in", person=0)
    _fill(r, "granted", person=12, business=0)
    _fill(r, "partial", person=0)
    _fill(r, "denied.third_party", person=1)
    _fill(r, "denied.process", person=4)
    _fill(r, "unable.not_held", person=2)
    _fill(r, "rejected.duplicate", business=0)
    _fill(r, "other.other", person=16)
    _fill(r, "carried_out", person=0)
    r.recompute_totals()
    r.sections["overview"] = ("（二）依申请公开：本年度，共处理区政府（区政府办公室）"
                              "依申请公开政府信息 30 件，"
                              "均予以及时答复。主动公开、信息管理、平台、监督均正常。")
    f = only(check(r), "N1")[0]
    assert "30" in f.message and "35" in f.message
    only(check(r), "T3-5")


def test_n1_ignores_other_kinds_of_application():
    r = valid_report()
    r.sections["overview"] += "全年受理行政许可申请 300 件，收到行政复议申请 1 件。"
    none_of(check(r), "N1")


def test_n2_none_received_but_table_has_requests():
    r = valid_report()
    r.sections["overview"] = OVERVIEW.replace("全年共收到政府信息公开申请 12 件，均已按时答复",
                                              "本年度未收到政府信息公开申请")
    f = only(check(r), "N2")[0]
    assert "12" in f.message
    none_of(check(r), "N1")


def test_n2_text_received_but_table_zero():
    r = Report.zeros(agency=AGENCY, year=2024)
    r.sections = {"overview": OVERVIEW, "problems": PROBLEMS, "other": OTHER}
    r.values["t2.normative.issued"] = 2
    r.values["t4.review.upheld"] = r.values["t4.review.total"] = 1
    f = check(r)
    msg = only(f, "N2")[0].message
    assert "收到申请 12 件" in msg and "总计为 0" in msg
    none_of(f, "N1")
    r.sections["overview"] = OVERVIEW.replace("全年共收到政府信息公开申请 12 件",
                                              "全年没有收到政府信息公开申请")
    none_of(check(r), "N2")


def test_n3_appeals():
    r = valid_report()
    none_of(check(r), "N3")
    r.sections["overview"] = OVERVIEW.replace("行政复议 1 件", "行政复议 2 件")
    f = only(check(r), "N3")[0]
    assert "2" in f.message and f.cells == ("t4.review.total",)
    r.sections["overview"] = OVERVIEW.replace("全年发生政府信息公开行政复议 1 件，未发生行政诉讼",
                                              "全年未发生政府信息公开行政复议、行政诉讼")
    f = only(check(r), "N3")
    assert [x.cells for x in f] == [("t4.review.total",)]
    r.values["t4.suit_direct.upheld"] = r.values["t4.suit_direct.total"] = 1
    assert len(only(check(r), "N3")) == 2


def test_n3_breakdown_is_not_a_total():
    r = valid_report()
    r.sections["overview"] += "其中行政复议结果维持 1 件。"
    none_of(check(r), "N3")


def test_n4_normative_documents():
    r = valid_report()
    none_of(check(r), "N4")
    r.sections["overview"] = OVERVIEW.replace("制发行政规范性文件 2 件", "印发行政规范性文件 3 件")
    f = only(check(r), "N4")[0]
    assert "3" in f.message and f.cells == ("t2.normative.issued",)
    r.sections["overview"] = OVERVIEW.replace("制发行政规范性文件 2 件", "未制发行政规范性文件")
    only(check(r), "N4")


def test_n5_fee_statements():
    r = valid_report()
    r.values[schema.FEE_ID] = Decimal("1.5")
    none_of(check(r), "N5")                    # 六 speaks of 收费
    r.sections["other"] = "本年度无其他需要报告的事项。"
    only(check(r), "N5")
    r = valid_report()
    r.sections["overview"] += "全年收取信息处理费 200 元。"
    only(check(r), "N5")
    r.sections["other"] = "本年度收取信息处理费 200 元。"
    none_of(check(r), "N5")


# --------------------------------------------------------------------------
# S1 – S8
# --------------------------------------------------------------------------

def _structured(r: Report, title: str | None = None, headings=None) -> Report:
    default_title = f"{AGENCY}2024年政府信息公开工作年度报告"
    r.structure = Structure(title_line=title if title is not None else default_title,
                            headings=list(headings) if headings is not None
                            else [s.heading for s in schema.SECTIONS])
    return r


def test_s1_meta_missing():
    r = valid_report()
    none_of(check(r), "S1")
    r.agency, r.year = "", None
    f = only(check(r), "S1")
    assert len(f) == 2 and all(x.section == "meta" and x.severity is Severity.ERROR for x in f)


def test_s1_title():
    r = _structured(valid_report())
    none_of(check(r), "S1")
    r.structure.title_line = None
    f = only(check(r), "S1")[0]
    assert f.section == "title" and f.severity is Severity.ERROR and "未找到报告标题" in f.message
    r.structure.title_line = f"{AGENCY}政府信息公开工作报告（2024年）"
    f = only(check(r), "S1")[0]
    assert f.severity is Severity.WARNING and r.title in f.message
    r.structure.title_line = f"{AGENCY} 2023 年政府信息公开工作年度报告"
    f = only(check(r), "S1")
    assert len(f) == 1 and "2023" in f[0].message and "2024" in f[0].message


def test_s1_text_years():
    r = valid_report()
    r.sections["overview"] = OVERVIEW.replace("2024年", "2022年") + "2022年全年工作平稳。"
    f = only(check(r), "S1")[0]
    assert f.severity is Severity.WARNING and "2022" in f.message


def test_s2_headings():
    r = _structured(valid_report())
    none_of(check(r), "S2")
    heads = [s.heading for s in schema.SECTIONS]
    r = _structured(valid_report(), headings=[heads[0]] + heads)
    f = only(check(r), "S2")
    assert len(f) == 1 and "出现了 2 次" in f[0].message and f[0].section == "overview"
    r = _structured(valid_report(), headings=heads[:4] + heads[5:])
    f = only(check(r), "S2")
    assert len(f) == 1 and "缺少" in f[0].message and heads[4] in f[0].message
    r = _structured(valid_report(), headings=[heads[1], heads[0]] + heads[2:])
    f = only(check(r), "S2")
    assert len(f) == 1 and "之前" in f[0].message
    assert all(x.severity is Severity.ERROR for x in f)


def test_s2_spaces_and_2019_heading():
    heads = [s.heading.replace("、", "、 ") for s in schema.SECTIONS]
    none_of(check(_structured(valid_report(), headings=heads)), "S2")
    heads = [s.heading for s in schema.SECTIONS]
    heads[4] = schema.HEADINGS_2019["problems"]
    r = _structured(valid_report(), headings=heads)
    f = only(check(r), "S2")
    assert len(f) == 1 and f[0].severity is Severity.WARNING
    assert schema.HEADINGS_2019["problems"] in f[0].message and f[0].section == "problems"
    r.format = schema.FORMAT_2019
    none_of(check(r), "S2")


def test_s2_headings_without_their_numerals_are_one_warning_each():
    """A report whose headings lost their numerals (a web copy of an auto-numbered Word file):
    one warning a heading, naming the numeral — not a missing and an extra heading each."""
    heads = [s.heading.split("、", 1)[1] for s in schema.SECTIONS]
    f = only(check(_structured(valid_report(), headings=heads)), "S2")
    assert len(f) == 6 and all(x.severity is Severity.WARNING for x in f)
    assert [x.section for x in f] == [s.id for s in schema.SECTIONS]
    assert "缺少序号" in f[0].message and "“一、总体情况”" in f[0].message


def test_s2_heading_wording_variant():
    heads = [s.heading for s in schema.SECTIONS]
    heads[4] = heads[4].replace("及", "和")
    f = only(check(_structured(valid_report(), headings=heads)), "S2")
    assert len(f) == 1 and f[0].severity is Severity.WARNING and "不一致" in f[0].message
    heads[4] = "五、附件"
    f = only(check(_structured(valid_report(), headings=heads)), "S2")
    assert len(f) == 1 and f[0].severity is Severity.ERROR and "缺少" in f[0].message
    assert "找到的是“五、附件”" in f[0].message


def test_s2_subheads_and_extra_heading():
    heads = [s.heading for s in schema.SECTIONS]
    r = _structured(valid_report(),
                    headings=heads[:1] + ["一、主动公开情况", "二、依申请公开情况"] + heads[1:])
    none_of(check(r), "S2")
    r = _structured(valid_report(), headings=heads + ["七、附件"])
    assert "七、附件" in only(check(r), "S2")[0].message


def test_s2_skipped_without_structure():
    none_of(check(valid_report()), "S2")


def test_s3_subheads():
    r = valid_report()
    r.sections["problems"] = ("一、存在的主要问题\n人员不足，信息更新不够及时。\n二、改进情况\n"
                              "下一步将加强培训。上年问题已整改。")
    f = only(check(r), "S3")[0]
    assert f.section == "problems" and "（一）存在的主要问题" in f.message and "（二）改进情况" in f.message
    r.sections["problems"] = "一是人员不足，信息更新不够及时；二是下一步将加强培训。上年问题已整改。"
    none_of(check(r), "S3")


def test_s4_aspects():
    r = valid_report()
    r.sections["overview"] = "本年度依申请公开工作平稳，监督有力。"
    f = only(check(r), "S4")[0]
    assert "主动公开" in f.message and "政府信息管理" in f.message and "依申请公开" not in f.message
    r = valid_report()
    r.level = Level.GOVERNMENT
    f = only(check(r), "S4")[0]
    assert "工作考核" in f.message
    r.sections["overview"] += "开展工作考核和社会评议，落实责任追究。"
    none_of(check(r), "S4")


def test_s5_problems():
    r = valid_report()
    r.sections["problems"] = "无"
    f = only(check(r), "S5")
    assert len(f) == 1 and f[0].severity is Severity.WARNING
    r.sections["problems"] = "存在信息更新不够及时的问题。"
    f = only(check(r), "S5")
    assert {x.severity for x in f} == {Severity.WARNING, Severity.INFO}
    assert any("改进措施" in x.message for x in f)
    r.sections["problems"] = "存在信息更新不够及时的问题。下一步将加强培训。"
    f = only(check(r), "S5")
    assert len(f) == 1 and f[0].severity is Severity.INFO and "整改" in f[0].message


def test_s6_other():
    r = valid_report()
    for text in ("", "无", "  无。 "):
        r.sections["other"] = text
        assert len(only(check(r), "S6")) == 1
    r.sections["other"] = "本年度无其他需要报告的事项。"
    assert "信息处理费" in only(check(r), "S6")[0].message
    for text in ("本年度没有产生信息公开处理费。", "2024年度我办未收取政府信息公开信息处理费。"):
        r.sections["other"] = text
        none_of(check(r), "S6")


def test_s7_label_variants():
    r = _structured(valid_report())
    r.structure.label_variants = [("本年度止件数", "本年废止件数")]
    f = only(check(r), "S7")[0]
    assert f.severity is Severity.INFO and f.section == "active" and "本年度止件数" in f.message
    none_of(check(_structured(valid_report())), "S7")


def test_s8_deadline():
    r = valid_report()
    r.publish_date = date(2025, 2, 5)
    f = only(check(r), "S8")[0]
    assert "2025年1月31日" in f.message
    r.level = Level.GOVERNMENT
    r.sections["overview"] += "开展工作考核和社会评议，落实责任追究。"
    none_of(check(r), "S8")
    r.publish_date = date(2025, 4, 1)
    only(check(r), "S8")


# --------------------------------------------------------------------------
# checklists
# --------------------------------------------------------------------------

def test_section_checklist():
    items = section_checklist("overview", OVERVIEW)
    assert [label for label, _ in items] == ["主动公开", "依申请公开", "政府信息管理",
                                             "政府信息公开平台建设", "监督保障"]
    assert all(ok for _, ok in items)
    assert not any(ok for _, ok in section_checklist("overview", ""))
    assert section_checklist("problems", PROBLEMS) == [("存在的问题", True), ("改进措施", True),
                                                       ("上年问题整改情况", True)]
    assert section_checklist("other", "无") == [("信息处理费收取情况", False)]
    assert section_checklist("other", OTHER) == [("信息处理费收取情况", True)]
    assert len(section_checklist("overview", OVERVIEW, Level.GOVERNMENT)) == 6


# --------------------------------------------------------------------------
# any report: no crash, deterministic
# --------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_VALUES = st.one_of(st.none(), st.integers(-3, 60), st.decimals("-1", "20000", places=5,
                                                                  allow_nan=False, allow_infinity=False))
_TEXT = st.text(alphabet="收到申请未处理件行政复议诉讼规范性文件制发信息处理费无一二三十、，。\n 0123456789",
                max_size=80)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.dictionaries(st.sampled_from(schema.CELL_IDS), _VALUES, max_size=40),
       texts=st.tuples(_TEXT, _TEXT, _TEXT), with_base=st.booleans())
def test_any_report_checks_deterministically(cells, texts, with_base):
    r = valid_report()
    for cid, v in cells.items():
        r.values[cid] = v
    r.sections = dict(zip(schema.TEXT_SECTIONS, texts, strict=True))
    if with_base:
        r.baseline = valid_report()
    a = check(r)
    assert a == check(r)
    for f in a:
        assert f.rule in RULES and f.message
        assert f.section is not None
        assert all(c in CELLS for c in f.cells)
    for sid in schema.TEXT_SECTIONS:
        for s, e, msg in text_number_mismatches(r, sid):
            assert 0 <= s < e <= len(r.sections[sid]) and msg


def test_c3_tells_unread_cells_apart_from_blanks():
    r = valid_report()
    r.structure = Structure(title_line=r.title, headings=[s.heading for s in schema.SECTIONS],
                            unplaced=["t3.granted.person"])
    r.set("t3.granted.person", None)
    r.set("t3.partial.person", None, raw="/")
    c3 = [f for f in check(r) if f.rule == "C3"]
    assert len(c3) == 2
    unread = next(f for f in c3 if "未能从原文读出" in f.message)
    blank = next(f for f in c3 if "空白" in f.message)
    assert unread.cells == ("t3.granted.person",) and blank.cells == ("t3.partial.person",)


def test_rules_registry_declares_severity_and_help():
    for info in RULES.values():
        assert info.severities and info.help and any("\u4e00" <= ch <= "\u9fff" for ch in info.help)


def test_findings_have_a_severity_their_rule_declares():
    from model.example import build
    r = build()
    r.agency = ""
    r.values["t3.new.person"] = 99
    r.values["t2.fees.amount"] = None
    r.sections["other"] = "无"
    r.baseline.year = r.year
    for f in check(r) + check(valid_report()):
        assert f.severity in RULES[f.rule].severities, f


def test_x2_never_asks_for_a_negative_count():
    r = _with_baseline(valid_report())
    r.baseline.values["t2.normative.in_force"] = 0
    r.values["t2.normative.issued"] = 0
    r.values["t2.normative.repealed"] = 1
    f = only(check(r), "X2")[0]
    assert "应为 -" not in f.message and "对不上" in f.message and "＝ -1" in f.message


def test_x4_change_from_zero_is_not_a_multiple():
    r = _with_baseline(valid_report())
    r.baseline.values["t2.licensing.decisions"] = 0
    f = only(check(r), "X4")[0]
    assert "倍" not in f.message and "由上年的 0 变为 120" in f.message


def test_sections_holding_only_heads_are_found():
    from model import narrative as nv
    r = valid_report()
    r.sections["overview"] = "\n".join(f"（{n}）{a.label}" for n, a in
                                       zip("一二三四五", nv.OVERVIEW_ASPECTS, strict=True))
    r.sections["problems"] = "（一）存在的主要问题\n（二）改进措施\n（三）上年度问题整改情况"
    r.sections["other"] = "（一）信息处理费收取情况"
    got = {f.rule: f.message for f in check(r) if f.rule in ("S4", "S5", "S6")}
    assert set(got) == {"S4", "S5", "S6"}
    for rule in ("S4", "S5", "S6"):
        assert "只有小标题" in got[rule], got[rule]
