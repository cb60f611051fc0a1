"""A filled, consistent example report for an invented agency.

Used by the rendering tests, ``bench/bench_render.py`` and
``docs/make_export_images.py`` so the exported document shows real figures.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from .. import schema
from ..report import Report

OVERVIEW = """\
2024年，东湖区商务局坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，围绕区委、区政府中心工作，不断提升政务公开质量，保障人民群众的知情权、参与权和监督权。
（一）主动公开
全年通过区政府门户网站主动公开政府信息186条，其中机构职能、政策文件、财政预决算、行政执法等信息72条。制发行政规范性文件2件，废止1件。
（二）依申请公开
本年度共收到政府信息公开申请33件，上年结转3件，均在法定期限内答复，无超期答复情况。
（三）政府信息管理
严格落实信息发布“三审三校”制度，对拟公开信息进行保密审查，全年未发生泄密事件。
（四）政府信息公开平台建设
持续优化门户网站政务公开专栏，及时更新政策文件、办事指南等栏目内容，利用微信公众号发布信息58条。
（五）监督保障
将政府信息公开工作纳入年度目标考核，组织政务公开业务培训2次，本年度未发生责任追究情况。"""

PROBLEMS = """\
一是部分栏目信息更新不够及时；二是政策解读形式较为单一。针对上年度存在的信息发布审核流程不够规范的问题，我局已修订信息发布审核制度，问题已整改到位。
下一步，我局将加强栏目日常维护，明确专人负责更新；丰富政策解读形式，推出图解、视频等解读产品，提升政务公开实效。"""

OTHER = "本年度未收取信息处理费。无其他需要报告的事项。"


def sample_report() -> Report:
    r = Report.zeros(agency="东湖区商务局", year=2024, level=schema.Level.DEPARTMENT,
                     tier=schema.Tier.COUNTY, publish_date=date(2025, 1, 20))
    r.sections = {"overview": OVERVIEW, "problems": PROBLEMS, "other": OTHER}
    v = r.values
    v.update({
        "t2.regulation.issued": 0, "t2.regulation.repealed": 0, "t2.regulation.in_force": 0,
        "t2.normative.issued": 2, "t2.normative.repealed": 1, "t2.normative.in_force": 9,
        "t2.licensing.decisions": 1268, "t2.penalty.decisions": 37, "t2.coercion.decisions": 2,
        "t2.fees.amount": Decimal("3.2545"),
    })
    t3 = {
        "new": dict(person=24, business=5, research=1, nonprofit=1, legal=2),
        "carried_in": dict(person=2, business=1),
        "granted": dict(person=12, business=3, research=1),
        "partial": dict(person=3, legal=1),
        "denied.third_party": dict(person=1),
        "denied.process": dict(business=1),
        "unable.not_held": dict(person=4, legal=1),
        "unable.unclear": dict(person=1),
        "rejected.duplicate": dict(person=1),
        "other.other": dict(nonprofit=1, person=1),
    }
    for row, cols in t3.items():
        for col, n in cols.items():
            v[schema.t3(row, col)] = n
    r.recompute_totals()
    for col in schema.T3_APPLICANT_COLS:
        left = r.num(schema.t3("new", col)) + r.num(schema.t3("carried_in", col))
        v[schema.t3("carried_out", col)] = left - r.num(schema.t3("results_total", col))
    v.update({
        "t4.review.upheld": 1, "t4.review.corrected": 1, "t4.review.pending": 1,
        "t4.suit_direct.upheld": 1,
    })
    r.recompute_totals()
    return r
