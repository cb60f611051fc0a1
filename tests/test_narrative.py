"""Text scanning for the narrative and structure rules."""
from __future__ import annotations

import pytest

from model import narrative as nv
from model.schema import Level


def test_fold_keeps_length_and_positions():
    s = "收到申请３５件（Ａ）：　好"
    f = nv.fold(s)
    assert len(f) == len(s)
    assert "35" in f and "（" in f and "：" in f


@pytest.mark.parametrize("text,want", [
    ("本年度未收取信息处理费。", "none"),
    ("2024年度我办未收取政府信息公开信息处理费。", "none"),
    ("按照国办函〔2020〕109号规定收费标准，本年度没有产生信息公开处理费。", "none"),
    ("本年度信息处理费收费金额为0。", "none"),
    ("本年度免收信息处理费。", "none"),
    ("本年度收取信息处理费 200 元。", "collected"),
    ("全年收取信息处理费200元，已上缴财政。", "collected"),
    ("信息处理费按规定执行。", "mentioned"),
    ("无", None),
    ("", None),
    ("本年度无其他需要报告的事项。", None),
])
def test_fee_status(text, want):
    assert nv.fee_status(text) == want


def _kinds(text):
    return [(m.kind, m.value) for m in nv.scan_mentions(text)]


def test_scan_requests():
    assert _kinds("本年度，共处理区政府（区政府办公室）依申请公开政府信息 30 件，均予以及时答复。") == [
        ("requests", 30)]
    assert _kinds("全年共收到政府信息公开申请三十五件。") == [("requests", 35)]
    assert _kinds("依申请公开方面本年共受理１２件。") == [("requests", 12)]
    m, = nv.scan_mentions("共收到政府信息公开申请 12 件")
    assert m.received
    m, = nv.scan_mentions("共办理政府信息公开申请 12 件")
    assert not m.received


def test_scan_requests_carried_over_count_is_not_a_request_total():
    """The huaian 2024 PDF: ``答复 3050 件（含上年度结转申请 34 件…）`` — 34 is the carried-in
    count, not a total of requests; N1 must not compare it with table 三's totals."""
    text = ("全市共受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件，"
            "另有 103 件顺延到下年度答复）")
    assert ("requests", 34) not in _kinds(text)
    assert ("requests", 3119) in _kinds(text)


@pytest.mark.parametrize("text", [
    "2024 年，我局没有收到依申请公开事项。",
    "2021年未收到依申请公开事项申请。",
    "本年度未收到政府信息公开申请。",
])
def test_scan_requests_none(text):
    assert _kinds(text) == [("requests_none", 0)]


@pytest.mark.parametrize("text", [
    "全年受理行政许可申请 300 件。",
    "收到行政复议申请 1 件。",
    "共收到申请 30 余件。",
    "答复率达到 100%。",
    "全年未发生违规公开涉密信息情况。",
    "认真办理每一件申请。",
])
def test_scan_requests_ignored(text):
    assert not [k for k in _kinds(text) if k[0].startswith("requests")]


def test_scan_appeals():
    assert _kinds("全年发生政府信息公开行政复议 2 件、行政诉讼 1 件。") == [("review", 2), ("suit", 1)]
    assert sorted(_kinds("全年未发生政府信息公开行政复议、行政诉讼。")) == [("review", 0), ("suit", 0)]
    assert _kinds("未发生行政诉讼。") == [("suit", 0)]
    assert _kinds("其中行政复议结果维持 1 件。") == []


def test_scan_normative():
    assert _kinds("全年制发行政规范性文件 2 件。") == [("normative", 2)]
    assert _kinds("印发1件行政规范性文件。") == [("normative", 1)]
    assert _kinds("本年未制发规范性文件。") == [("normative", 0)]
    assert _kinds("废止规范性文件 3 件。") == []
    assert _kinds("发布区政府及区政府办公室文件 18 份。") == []


def test_mention_spans_point_at_the_number():
    text = "（二）依申请公开：收到政府信息公开申请 三十五 件。"
    m, = nv.scan_mentions(text)
    assert text[m.start:m.end] == "三十五"


def test_chinese_subheads():
    text = ("一、存在的主要问题\n一是人手不足。\n二、改进情况\n二是加强培训。\n"
            "三、加强组织领导。我局成立了领导小组，统一部署。")
    heads = nv.chinese_subheads(text)
    assert [h.suggestion for h in heads] == ["（一）存在的主要问题", "（二）改进情况", "（三）加强组织领导"]
    assert text[heads[1].start:].startswith("二、改进情况")
    assert heads[2].line == "三、加强组织领导"
    assert nv.subhead_suggestion("一、主动公开情况：") == "（一）主动公开情况"
    assert nv.subhead_suggestion("一是加强领导") is None
    # an official heading left in the text is S2's business, not a sub-head
    assert nv.chinese_subheads("一、总体情况\n正文") == ()
    # a long numbered sentence is not a head
    assert nv.chinese_subheads("一、" + "很长的一句话" * 10) == ()


def test_parse_title():
    assert nv.parse_title("西工区商务局 2024 年政府信息公开工作年度报告") == ("西工区商务局", 2024)
    assert nv.parse_title("涧西区商务局2021年政府信息公开工作年度报告") == ("涧西区商务局", 2021)
    assert nv.parse_title("区商务局政府信息公开工作报告") is None
    assert nv.title_year("某局政府信息公开工作报告（2023 年）") == 2023


def test_year_counts_skip_document_numbers():
    text = "2024年，按照国办函〔2020〕109号要求……2024 年 12 月 31 日。2023年结转。"
    assert nv.year_counts(text) == ((2024, 2), (2023, 1))


def test_stale_year_mentions():
    # 自… is a back-reference
    assert len(nv.stale_year_mentions("自 2023 年 1 月 1 日至 2023 年 12 月 31 日止", 2023)) == 1
    assert len(nv.stale_year_mentions("统计期限为 2023 年 1 月 1 日至 2023 年 12 月 31 日", 2023)) == 2
    assert nv.stale_year_mentions("对2023年度报告中提出的问题进行整改", 2023) == ()
    assert nv.stale_year_mentions("与2023年相比", 2023) == ()
    assert nv.stale_year_mentions("较2023年增长", 2023) == ()


def test_similarity():
    a = ("我局高度重视政府信息公开工作，健全工作机制，落实审查制度。全年公开信息 120 条。"
         "通过门户网站和政务新媒体及时发布信息，回应社会关切。")
    b = a.replace("120", "98")
    assert nv.similarity(a, a) == pytest.approx(1.0)
    assert nv.similarity(a, b) == pytest.approx(1.0)       # only numbers changed
    c = "今年重点推进基层政务公开标准化规范化建设，编制公开事项目录，组织业务培训两次。"
    assert nv.similarity(a, c) < 0.5
    assert nv.similarity(a, c, 0.8) <= 0.8                  # bound path
    d = a.replace("健全工作机制", "完善工作制度")            # one sentence edited
    assert 0.8 < nv.similarity(a, d) < 1.0
    assert nv.similarity("", a) == 0.0


def test_checklist_items():
    items = nv.checklist_items("overview", "主动公开、依申请公开、信息管理、平台、监督", Level.GOVERNMENT)
    assert [k for k, *_ in items] == ["active", "requests", "management", "platform", "supervision",
                                      "government"]
    assert items[-1][2] is False
    assert nv.missing_government_parts("开展考核") == ("社会评议", "责任追究")
    assert [ok for _, _, ok, _ in nv.checklist_items("problems", "无")] == [False, False, False]
    assert nv.checklist_items("active", "x") == ()


@pytest.mark.parametrize("text,bare", [
    ("", True), ("无", True), (" 无。 ", True), ("暂无", True),
    ("本年度未收取信息处理费。", False),
])
def test_is_bare_none(text, bare):
    assert nv.is_bare_none(text) is bare


FIVE_HEADS = "\n".join(f"（{n}）{a.label}" for n, a in zip("一二三四五", nv.OVERVIEW_ASPECTS, strict=True))


def test_head_level():
    assert nv.head_level("（一）主动公开情况") == 2
    assert nv.head_level("二、依申请公开") == 1
    assert nv.head_level("1.规章：") == 3
    assert nv.head_level("（1）政府网站") == 4
    assert nv.head_level("（一）主动公开。本年度主动公开信息 100 条。") is None   # run-in head: content
    assert nv.head_level("本年度主动公开信息 100 条") is None
    assert nv.head_level("2024年，本机关……") is None


def test_heads_with_nothing_under_them_cover_nothing():
    assert nv.only_heads(FIVE_HEADS)
    assert nv.substantive_text(FIVE_HEADS) == ""
    assert not any(ok for _, _, ok, _ in nv.checklist_items("overview", FIVE_HEADS))
    assert nv.is_bare_none(FIVE_HEADS)
    assert nv.emptiness(FIVE_HEADS).startswith("只有小标题")
    # content under one head covers that aspect (the head's words count with it)
    text = FIVE_HEADS.replace("（二）依申请公开", "（二）依申请公开\n全年办理 30 件，均按时答复。")
    covered = {k: ok for k, _, ok, _ in nv.checklist_items("overview", text)}
    assert covered == {"active": False, "requests": True, "management": False, "platform": False,
                       "supervision": False}
    assert not nv.only_heads(text) and not nv.is_bare_none(text)


def test_a_head_over_sub_heads_with_content_keeps_its_words():
    text = "（一）主动公开\n1.规章\n本年度未制定规章。\n（二）依申请公开"
    sub = nv.substantive_text(text)
    assert "主动公开" in sub and "1.规章" in sub and "依申请公开" not in sub


def test_problems_heads_only_and_fee_head_only():
    heads = "（一）存在的主要问题\n（二）改进措施\n（三）上年度问题整改情况"
    assert [ok for _, _, ok, _ in nv.checklist_items("problems", heads)] == [False, False, False]
    assert nv.fee_status("（一）信息处理费收取情况") is None
    assert nv.fee_status("（一）信息处理费收取情况\n本年度未收取信息处理费。") == "none"


def test_char_count():
    assert nv.char_count("") == 0
    assert nv.char_count("本年度未收取信息处理费。") == 12
    assert nv.char_count("（一）主动公开\n  共 120 条。") == 13


def test_find_and_replace_leave_fields_whole():
    assert nv.find_all("公开申请，申请", "申请") == [(2, 4), (5, 7)]
    assert nv.find_all("abc", "") == []
    text = "收到申请⟦t3.new.total⟧件，申请均已答复。"
    new, n = nv.replace_outside_fields(text, "申请", "政府信息公开申请")
    assert n == 2 and "⟦t3.new.total⟧" in new and new.count("政府信息公开申请") == 2
    assert nv.replace_outside_fields(text, "t3", "x") == (text, 0)
