"""The built-in example report, for an invented agency (青岚县市场监督管理局).

A filled, consistent 2025 report with its 2024 report as the baseline.
``resources/example.nianbao`` is written from here by
``uv run python resources/make_example.py``; a test checks the file is current
and that the example passes every rule.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from .report import Report
from .schema import Level, Tier

AGENCY = "青岚县市场监督管理局"

T3_2025 = {
    # row: (person, business, research, nonprofit, legal, other_org)
    "new": (41, 6, 0, 1, 2, 0),
    "carried_in": (3, 1, 0, 0, 0, 0),
    "granted": (20, 3, 0, 0, 1, 0),
    "partial": (5, 1, 0, 0, 0, 0),
    "denied.third_party": (2, 0, 0, 0, 0, 0),
    "denied.process": (1, 0, 0, 0, 0, 0),
    "unable.not_held": (8, 1, 0, 1, 0, 0),
    "unable.unclear": (2, 0, 0, 0, 0, 0),
    "rejected.complaint": (2, 0, 0, 0, 0, 0),
    "rejected.duplicate": (1, 0, 0, 0, 0, 0),
    "other.no_correction": (1, 0, 0, 0, 0, 0),
    "carried_out": (2, 2, 0, 0, 1, 0),
}

T3_2024 = {
    "new": (33, 4, 0, 0, 1, 0),
    "carried_in": (1, 0, 0, 0, 0, 0),
    "granted": (17, 2, 0, 0, 1, 0),
    "partial": (3, 0, 0, 0, 0, 0),
    "denied.process": (2, 0, 0, 0, 0, 0),
    "unable.not_held": (6, 1, 0, 0, 0, 0),
    "rejected.complaint": (3, 0, 0, 0, 0, 0),
    "carried_out": (3, 1, 0, 0, 0, 0),
}

COLS = ("person", "business", "research", "nonprofit", "legal", "other_org")


def _fill(r: Report, t2: Mapping[str, int], t3: Mapping[str, tuple[int, ...]], t4: Mapping[str, int]) -> None:
    for cid, v in t2.items():
        r.set(cid, v)
    for row, vals in t3.items():
        for col, v in zip(COLS, vals, strict=True):
            r.set(f"t3.{row}.{col}", v)
    for cid, v in t4.items():
        r.set(cid, v)
    # the （七）总计 row is the sum of the result rows
    for col in COLS:
        r.set(f"t3.results_total.{col}", sum(
            r.num(f"t3.{row}.{col}") for row in t3
            if row not in ("new", "carried_in", "carried_out")))
    r.recompute_totals()


def build_2024() -> Report:
    r = Report.zeros(agency=AGENCY, year=2024, level=Level.DEPARTMENT, tier=Tier.COUNTY,
                     publish_date=date(2025, 1, 22))
    _fill(r, {"t2.normative.issued": 2, "t2.normative.repealed": 0, "t2.normative.in_force": 10,
              "t2.licensing.decisions": 1102, "t2.penalty.decisions": 198,
              "t2.coercion.decisions": 11},
          T3_2024,
          {"t4.review.upheld": 1, "t4.review.pending": 1})
    r.sections["overview"] = "\n".join([
        "2024年，县市场监督管理局以提升透明度为目标，依法推进政府信息公开。",
        "（一）主动公开",
        "通过县政府门户网站发布监管动态和抽查结果，制发行政规范性文件 2 件。",
        "（二）依申请公开",
        "全年收到政府信息公开申请 38 件，均在法定期限内答复。",
        "（三）政府信息管理",
        "建立公开属性源头认定机制，拟公开信息一律经保密审查。",
        "（四）政府信息公开平台建设",
        "维护政府网站信息公开专栏，及时更新机构职能和办事指南。",
        "（五）监督保障",
        "把政务公开纳入年度考核，开展业务培训两次。",
    ])
    r.sections["problems"] = "\n".join([
        "上年问题整改情况：上年报告提出的目录更新滞后问题，已通过建立月度核查机制完成整改。",
        "存在的问题：公开内容解读不够通俗，专栏更新不够及时。",
        "改进措施：加强政策解读，建立专栏定期更新机制。",
    ])
    r.sections["other"] = "本年度未收取信息处理费。"
    return r


def build_2025(baseline: Report) -> Report:
    r = Report.zeros(agency=AGENCY, year=2025, level=Level.DEPARTMENT, tier=Tier.COUNTY,
                     publish_date=date(2026, 1, 20))
    _fill(r, {"t2.normative.issued": 3, "t2.normative.repealed": 1, "t2.normative.in_force": 12,
              "t2.licensing.decisions": 1285, "t2.penalty.decisions": 236,
              "t2.coercion.decisions": 18},
          T3_2025,
          {"t4.review.upheld": 2, "t4.review.corrected": 1, "t4.review.pending": 1,
           "t4.suit_direct.upheld": 1})
    r.sections["overview"] = "\n".join([
        "本年度，青岚县市场监督管理局坚持以公开为常态、不公开为例外，围绕优化营商环境和"
        "食品药品安全监管，扎实做好政府信息公开各项工作。",
        "（一）主动公开",
        "依托县政府门户网站和“青岚市场监管”政务新媒体，主动公开行政许可、行政处罚、"
        "双随机抽查结果等信息。全年制发行政规范性文件 3 件，废止 1 件。",
        "（二）依申请公开",
        "全年收到政府信息公开申请 50 件，上年结转 4 件，办结 49 件，结转下年度继续办理 5 件，"
        "全部在法定期限内答复。",
        "（三）政府信息管理",
        "落实公开属性源头认定和保密审查制度，动态更新政府信息公开目录和公开指南。",
        "（四）政府信息公开平台建设",
        "优化政府网站信息公开专栏栏目设置，政务新媒体与网站同步发布重要政策解读。",
        "（五）监督保障",
        "将政务公开纳入科室年度考核，组织全局业务培训三次；全年发生政府信息公开行政复议 4 件、"
        "行政诉讼 1 件。",
    ])
    r.sections["problems"] = "\n".join([
        "（一）上年问题整改情况",
        "针对上年报告指出的政策解读不够通俗、专栏更新不及时等问题，已建立解读材料与文件"
        "同步审签、专栏每周更新制度，问题已完成整改。",
        "（二）存在的主要问题",
        "一是基层所站公开工作力量不足；二是依申请公开答复文书的说理还不够充分。",
        "（三）改进措施",
        "一是加强对基层所站的业务指导和培训；二是制定答复文书范本，提高答复规范化水平。",
    ])
    r.sections["other"] = "本年度未收取信息处理费。本单位无其他需要报告的事项。"
    r.baseline = baseline
    r.baseline_own = True
    return r


def build() -> Report:
    return build_2025(build_2024())
