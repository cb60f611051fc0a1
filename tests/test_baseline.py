"""Rule X0, one baseline policy: the CLI (a real process), the audit and the core agree."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from model import project
from model.cli import main
from model.baseline import assess, attach_baseline, baseline_change, same_agency
from model.example import build, build_2024
from model.findings import Severity
from model.rules import check

ROOT = Path(__file__).resolve().parent.parent
AGENCY = "青岚县市场监督管理局"


def this_year(**meta):
    r = build()
    r.baseline = None
    for k, v in meta.items():
        setattr(r, k, v)
    return r


def x0(findings):
    return [f for f in findings if f.rule == "X0"]


def x1_severities(findings):
    return {f.severity for f in findings if f.rule == "X1"}


CASES = {
    # name: (this year's meta, last year's meta) — build() is 2025, build_2024() is 2024
    "previous_year": ({}, {}),
    "same_year": ({}, {"year": 2025}),
    "other_agency": ({}, {"agency": "白石县教育局"}),
    "empty_name": ({"agency": ""}, {}),
}


def pair(case: str):
    mine, theirs = CASES[case]
    last = build_2024()
    for k, v in theirs.items():
        setattr(last, k, v)
    return this_year(**mine), last


def test_previous_year_same_agency_is_quiet_and_own():
    r, last = pair("previous_year")
    v = assess(r, last)
    assert v.year_ok and v.agency_ok and v.own and not v.needs_confirmation
    attach_baseline(r, last)
    assert x0(check(r)) == [] and r.baseline_own


def test_same_year_says_so_names_both_and_needs_confirmation():
    r, last = pair("same_year")
    v = assess(r, last)
    assert not v.year_ok and v.needs_confirmation and not v.own
    attach_baseline(r, last)
    [f] = x0(check(r))
    assert f.severity is Severity.WARNING
    assert "2025年" in f.message and "应为 2024 年" in f.message and "同一年度" in f.message
    assert f.message.count(AGENCY) == 2


def test_other_agency_says_so_and_x1_is_only_a_warning():
    r, last = pair("other_agency")
    last.values["t3.carried_out.person"] = 7       # disagrees with this year's carried_in
    attach_baseline(r, last)
    [f] = x0(check(r))
    assert "白石县教育局" in f.message and AGENCY in f.message and "不是同一机关" in f.message
    assert x1_severities(check(r)) == {Severity.WARNING}


def test_empty_name_cannot_be_compared_so_is_not_held_against():
    r, last = pair("empty_name")
    last.values["t3.carried_out.person"] = 7
    attach_baseline(r, last)
    assert x0(check(r)) == []
    assert x1_severities(check(r)) == {Severity.ERROR}
    assert same_agency("", "某局") and same_agency("某 局", "某局") and not same_agency("甲局", "乙局")


def test_balances_from_another_year_are_carried_only_when_confirmed():
    r, last = pair("same_year")
    last.values["t3.carried_out.person"] = 7
    assert baseline_change(r, last).cells == {}
    assert baseline_change(r, last, confirmed=True).cells["t3.carried_in.person"] == 7
    r2, last2 = pair("previous_year")
    last2.values["t3.carried_out.person"] = 7
    attach_baseline(r2, last2, carry=True)
    assert r2.values["t3.carried_in.person"] == 7
    assert r2.values["t3.carried_in.total"] == sum(
        r2.num(f"t3.carried_in.{c}") for c in ("person", "business", "research", "nonprofit",
                                                "legal", "other_org"))


def test_cli_check_last_year_applies_x0_to_every_case(tmp_path):
    """One real `check --last-year` process: the four cases give the core's verdicts."""
    last = build_2024()
    last.values["t3.carried_out.person"] = 7
    last_path = tmp_path / "last.nianbao"
    project.save(last, last_path)
    # one last-year file for all four: the cases differ in this year's report instead
    this = {"previous_year": this_year(), "same_year": this_year(year=2024),
            "other_agency": this_year(agency="白石县教育局"), "empty_name": this_year(agency="")}
    files = []
    for case, r in this.items():
        p = tmp_path / f"{case}.nianbao"
        project.save(r, p)
        files.append(str(p))
    res = subprocess.run([sys.executable, "main.py", "check", *files, "--last-year", str(last_path),
                          "--json"], cwd=ROOT, capture_output=True, timeout=120)
    docs = {Path(d["file"]).stem: d for d in json.loads(res.stdout.decode("utf-8"))}
    rules = {k: [f for f in d["findings"] if f["rule"] in ("X0", "X1")] for k, d in docs.items()}
    assert [f["rule"] for f in rules["previous_year"]] == ["X1"]
    assert rules["previous_year"][0]["severity"] == "error"
    assert [f["rule"] for f in rules["empty_name"]] == ["X1"]
    assert rules["empty_name"][0]["severity"] == "error"
    [same] = [f for f in rules["same_year"] if f["rule"] == "X0"]
    assert "同一年度" in same["message"] and "2024年" in same["message"]
    assert {f["severity"] for f in rules["same_year"] if f["rule"] == "X1"} == {"warning"}
    [other] = [f for f in rules["other_agency"] if f["rule"] == "X0"]
    assert "白石县教育局" in other["message"] and AGENCY in other["message"]
    assert {f["severity"] for f in rules["other_agency"] if f["rule"] == "X1"} == {"warning"}


def test_cli_register_refuses_balances_of_another_year_unless_confirmed(tmp_path):
    reg = tmp_path / "reg.csv"
    reg.write_text("收到日期,申请人类型,办理结果\n2025-03-01,自然人,予以公开\n", encoding="utf-8")
    mapping = tmp_path / "map.json"
    out = io.StringIO()
    assert main(["register", str(reg), "--suggest-mapping"], out, io.StringIO()) == 0
    mapping.write_text(out.getvalue(), encoding="utf-8")
    last = build_2024()
    last.year = 2025                                  # same year as the register's
    last_path = tmp_path / "last.nianbao"
    project.save(last, last_path)
    out = tmp_path / "out.nianbao"
    base = [sys.executable, "main.py", "register", str(reg), "--mapping", str(mapping),
            "--year", "2025", "--last-year", str(last_path), "-o", str(out)]
    res = subprocess.run(base, cwd=ROOT, capture_output=True, timeout=120)
    err = res.stderr.decode("utf-8")
    assert res.returncode == 2 and "[X0]" in err and "--confirm-last-year" in err
    assert not out.exists()
    err2 = io.StringIO()
    assert main([*base[2:], "--confirm-last-year"], io.StringIO(), err2) in (0, 1), err2.getvalue()
    written = project.load(out)
    assert written.baseline is not None and not written.baseline_own


@pytest.mark.parametrize("case", list(CASES))
def test_audit_and_cli_use_the_same_decision(case):
    """model.audit pairs by agency and year, then attaches through model.baseline."""
    from model import audit
    assert audit.attach_baseline is attach_baseline
    r, last = pair(case)
    attach_baseline(r, last)
    assert r.baseline_own == assess(r, last).own


def test_x1_severity_follows_the_agency_typed_after_the_import():
    """The window imports last year's report into a report without an agency, then the clerk
    types an agency that is not last year's: X0 says so and X1 is only a warning from then on."""
    r, last = pair("empty_name")
    last.values["t3.carried_out.person"] = 7
    attach_baseline(r, last)
    assert x1_severities(check(r)) == {Severity.ERROR}
    r.agency = "白石县教育局"
    assert x0(check(r)) and x1_severities(check(r)) == {Severity.WARNING}
