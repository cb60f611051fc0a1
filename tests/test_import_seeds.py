"""The five real seeds (../shared/seeds) read by the text importer; skipped when absent."""
from __future__ import annotations

import pytest

from model import schema
from model.importers.base import ImportResult
from model.importers.text import read_text_file
from model.schema import CELL_IDS, SECTIONS, TOTAL_IDS

from tests.conftest import seed_path

pytestmark = pytest.mark.seeds

OFFICIAL_HEADINGS = [s.heading for s in SECTIONS]
T3_COLS = [c for c, _ in schema.T3_COLUMNS]


def read(prefix: str) -> ImportResult:
    return read_text_file(seed_path(prefix))


def unaccounted(res: ImportResult) -> list[str]:
    r = res.report
    noted = {c for n in res.notes if n.kind in ("unplaced", "format") for c in n.cells}
    return [c for c in CELL_IDS if r.values[c] is None and c not in r.raw and c not in noted]


def unplaced(res: ImportResult) -> set[str]:
    return {c for n in res.notes if n.kind == "unplaced" for c in n.cells}


def variants(res: ImportResult) -> list[str]:
    return [n.message for n in res.notes if n.kind == "variant"]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_cell_is_placed_or_listed_unplaced(prefix):
    res = read(prefix)
    assert unaccounted(res) == []
    r = res.report
    assert r.format == schema.FORMAT_2021
    placed = [c for c in CELL_IDS if r.values[c] is not None or c in r.raw]
    assert len(placed) + len(unplaced(res)) == 200
    for cid in TOTAL_IDS:                      # the tables add up (None counts as 0)
        assert r.num(cid) == r.computed_total(cid), cid


def test_seed_000():
    res = read("000")
    r = res.report
    assert (r.agency, r.year) == ("西工区商务局", 2024)
    assert r.structure.title_line == "西工区商务局 2024 年政府信息公开工作年度报告"
    assert r.structure.headings == OFFICIAL_HEADINGS
    assert all(v == 0 for v in r.values.values())
    assert r.raw == {}
    assert r.sections["other"] == "无"
    assert r.sections["problems"].startswith("虽然我局")
    assert "（五）监督保障" in r.structure.subheads["overview"]
    assert r.publish_date is None
    assert res.notes == []


def test_seed_001():
    res = read("001")
    r = res.report
    v = r.values
    assert (r.agency, r.year) == ("西工区人民政府办公室", 2024)
    assert v["t3.new.person"] == 35 and v["t3.new.total"] == 35
    assert v["t3.granted.person"] == 12 and v["t3.granted.total"] == 12
    assert v["t3.denied.third_party.person"] == 1 and v["t3.denied.third_party.total"] == 1
    assert v["t3.denied.process.person"] == 4 and v["t3.denied.process.total"] == 4
    assert v["t3.unable.not_held.person"] == 2 and v["t3.unable.not_held.total"] == 2
    assert v["t3.other.other.person"] == 16 and v["t3.other.other.total"] == 16
    assert v["t3.results_total.person"] == 35 and v["t3.results_total.total"] == 35
    assert v["t3.rejected.confirmation.person"] == 0      # label shifted into column 0
    assert (v["t2.normative.issued"], v["t2.normative.repealed"], v["t2.normative.in_force"]) == (1, 5, 5)
    assert v["t2.fees.amount"] == 0
    assert (v["t4.review.upheld"], v["t4.review.corrected"], v["t4.review.total"]) == (1, 1, 2)
    assert sum(v[c] for c in schema.TABLES["t4"].cell_ids) == 4
    assert ("本年度止件数", "本年废止件数") in r.structure.label_variants
    assert any("本年度止件数" in m for m in variants(res))
    assert unplaced(res) == set()
    assert "30 件" in r.sections["overview"]
    assert r.sections["other"] == "2024年度我办未收取政府信息公开信息处理费。"


def test_seed_002():
    res = read("002")
    r = res.report
    assert (r.agency, r.year) == ("涧西区商务局", 2021)
    assert all(v == 0 for v in r.values.values() if v is not None)
    msgs = " ".join(variants(res))
    assert "2.其他法律法规禁止公开" in msgs and "保留4位小数" in msgs
    found = [f for f, _ in r.structure.label_variants]
    assert "2.其他法律法规禁止公开" in found
    # the first four result rows' numbers are on one orphan line: not guessed
    rows = ("granted", "partial", "denied.secret", "denied.law")
    missing = {schema.t3(row, c) for row in rows for c in T3_COLS}
    assert unplaced(res) == missing
    assert all(r.values[c] is None and c not in r.raw for c in missing)
    assert r.values["t3.denied.security.total"] == 0 and r.values["t3.carried_out.total"] == 0
    # sub-heads 一、二、 inside 一 and 五 are not level-1 headings
    assert r.structure.headings == OFFICIAL_HEADINGS
    assert r.structure.subheads["overview"][0] == "一、主动公开情况"
    assert r.structure.subheads["problems"] == ["一、存在的主要问题", "二、改进情况"]
    assert "一、主动公开情况" in r.sections["overview"].split("\n")
    assert r.sections["problems"].startswith("一、存在的主要问题\n")
    assert r.sections["other"] == "无"


def test_seed_003():
    res = read("003")
    r = res.report
    assert r.structure.title_line is None
    # the year from the opening sentence (现将区商务局2025年…), with a note; "区商务局" is not
    # a whole name, so the agency is left for the user, and S1 still says there is no title
    assert r.agency == "" and r.year == 2025
    meta = [n for n in res.notes if n.kind == "meta"]
    assert len(meta) == 1 and "机关名称" in meta[0].message and "2025" in meta[0].message
    assert "区商务局" in meta[0].message
    assert all(v == 0 for v in r.values.values())         # | tables fully read
    assert unplaced(res) == set()
    assert r.structure.headings == OFFICIAL_HEADINGS
    assert r.sections["other"] == ""
    assert r.sections["problems"].startswith("2025 年,区商务局")


def test_seed_004():
    res = read("004")
    r = res.report
    assert (r.agency, r.year) == ("孟州市商务局", 2024)
    assert r.structure.headings == ["一、总体情况"] + OFFICIAL_HEADINGS
    assert all(v == 0 for v in r.values.values())
    assert "信息处理费" in r.sections["other"]
    assert r.sections["overview"].startswith("2024 年，我局高度重视")
    assert unplaced(res) == set()
