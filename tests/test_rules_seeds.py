"""What the checker says about the five real seeds (DOMAIN.md §5).

Runs through the text importer; skipped when ../shared/seeds is absent, or while the
text importer (model/importers/text.py) is not there yet.
"""
from __future__ import annotations

import pytest

from model.findings import Severity
from model.rules import check
from tests.conftest import seed_path

text_importer = pytest.importorskip("model.importers.text")


def _check(prefix: str):
    res = text_importer.read_text_file(seed_path(prefix))
    return res.report, check(res.report)


def _rules(findings, rule):
    return [f for f in findings if f.rule == rule]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_tables_consistent_on_every_seed(prefix):
    _, found = _check(prefix)
    for rule in ("T3-1", "T3-2", "T3-3", "T4-1", "C1"):
        assert not _rules(found, rule), [f.message for f in _rules(found, rule)]


def test_seed_000():
    _, found = _check("000")
    s5 = _rules(found, "S5")
    assert s5 and any("整改" in f.message for f in s5)
    assert _rules(found, "S6")
    assert not _rules(found, "N1") and not _rules(found, "N2")


def test_seed_001():
    report, found = _check("001")
    n1 = _rules(found, "N1")
    assert len(n1) == 1 and n1[0].section == "overview"
    assert "30" in n1[0].message and "35" in n1[0].message
    t35 = _rules(found, "T3-5")
    assert len(t35) == 1 and "16" in t35[0].message
    assert not _rules(found, "N3") and not _rules(found, "N4")
    assert not _rules(found, "S6")               # 六 states the fee correctly
    text = report.sections["overview"]
    from model.rules import text_number_mismatches
    (s, e, _), = text_number_mismatches(report, "overview")
    assert text[s:e] == "30"


def test_seed_002():
    _, found = _check("002")
    s3 = _rules(found, "S3")
    assert {f.section for f in s3} == {"overview", "problems"}
    assert _rules(found, "S6")
    assert not _rules(found, "S2")
    assert not _rules(found, "N2")               # 未收到…申请, and the table says 0


def test_seed_003():
    _, found = _check("003")
    s1 = [f for f in _rules(found, "S1") if f.section == "title"]
    assert s1 and s1[0].severity is Severity.ERROR
    assert _rules(found, "S6")
    s4 = _rules(found, "S4")
    assert s4 and "主动公开" in s4[0].message


def test_seed_004():
    _, found = _check("004")
    s2 = _rules(found, "S2")
    assert len(s2) == 1 and s2[0].severity is Severity.ERROR and "2 次" in s2[0].message
    assert not _rules(found, "S6")
    assert not _rules(found, "N2")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_order_stable_on_seeds(prefix):
    report, found = _check(prefix)
    assert check(report) == found
