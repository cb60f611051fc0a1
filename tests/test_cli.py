"""The headless engine from the command line: check, import, render."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from model import project
from model.cli import main
from model.example import build, build_2024
from tests.conftest import seed_path

ROOT = Path(__file__).resolve().parent.parent


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(list(argv), out, err)
    except SystemExit as e:      # argparse errors
        code = e.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def example(tmp_path) -> Path:
    p = tmp_path / "example.nianbao"
    project.save(build(), p)
    return p


@pytest.fixture
def broken_total(tmp_path) -> Path:
    r = build()
    r.set("t3.results_total.person", 30)     # typed total that disagrees with its rows
    p = tmp_path / "wrong.nianbao"
    project.save(r, p)
    return p


def test_check_clean_report_exits_0(example):
    code, out, _ = run("check", str(example))
    assert code == 0, out
    assert "青岚县市场监督管理局 2025 年" in out
    assert "错误 0 项" in out


def test_check_report_with_errors_exits_1_and_says_what_it_should_be(broken_total):
    code, out, _ = run("check", str(broken_total))
    assert code == 1
    assert "T3-2" in out and "应为 42" in out and "现为 30" in out
    assert out.index("错误（") < out.index("[T3-2]")


def test_check_unreadable_file_exits_2(tmp_path, example):
    bad = tmp_path / "bad.nianbao"
    bad.write_bytes(b"\x00\x01garbage")
    code, out, _ = run("check", str(example), str(bad))
    assert code == 2
    assert "无法读取" in out and "bad.nianbao" in out


def test_check_json_shape(broken_total):
    code, out, _ = run("check", str(broken_total), "--json")
    assert code == 1
    doc = json.loads(out)
    assert set(doc) >= {"meta", "sections", "cells", "findings", "notes"}
    assert doc["meta"]["agency"] == "青岚县市场监督管理局" and doc["meta"]["year"] == 2025
    assert doc["cells"]["t3.results_total.person"] == 30 and len(doc["cells"]) == 200
    f = next(f for f in doc["findings"] if f["rule"] == "T3-2")
    assert set(f) >= {"rule", "severity", "cells", "message"} and f["severity"] == "error"
    assert "t3.results_total.person" in f["cells"]


def test_check_several_files_json_is_a_list(example, broken_total):
    code, out, _ = run("check", str(example), str(broken_total), "--json")
    assert code == 1
    doc = json.loads(out)
    assert [d["file"] for d in doc] == [str(example), str(broken_total)]


def test_check_last_year_runs_cross_year_rules(tmp_path):
    this = build()
    this.baseline = None
    this.set("t3.carried_in.person", 9)
    this.recompute_totals()
    p, last = tmp_path / "this.nianbao", tmp_path / "last.nianbao"
    project.save(this, p)
    project.save(build_2024(), last)
    code, out, _ = run("check", str(p))
    assert "X1" not in out
    code, out, _ = run("check", str(p), "--last-year", str(last))
    assert "[X1]" in out and code == 1


def test_import_prints_what_was_read_and_saves(example, tmp_path):
    out_file = tmp_path / "copy.nianbao"
    code, out, _ = run("import", str(example), "-o", str(out_file))
    assert code == 0
    assert "一、总体情况" in out and "（七）总计" in out
    assert project.load(out_file).values == project.load(example).values


def test_import_json(example):
    code, out, _ = run("import", str(example), "--json")
    doc = json.loads(out)
    assert code == 0 and doc["cells"]["t3.new.total"] == 50 and "findings" not in doc
    assert doc["sections"]["other"].startswith("本年度未收取信息处理费")


def test_bad_arguments_exit_2_in_chinese():
    code, _, _ = run("check")
    assert code == 2
    code, _, _ = run("render", "x.nianbao")
    assert code == 2


def test_main_py_runs_as_a_script(example):
    """The README's command line, as a user types it."""
    res = subprocess.run([sys.executable, "main.py", "check", str(example)], cwd=ROOT,
                         capture_output=True, timeout=120)
    assert res.returncode == 0
    assert "青岚县市场监督管理局" in res.stdout.decode("utf-8")


@pytest.mark.parametrize("prefix, expected", [
    ("001", "[N1]"), ("004", "[S2]"), ("003", "[S1]"), ("000", "[S6]"), ("002", "[S3]")])
def test_check_seeds(prefix, expected):
    path = seed_path(prefix)
    code, out, _ = run("check", str(path))
    assert expected in out
    for rule in ("[T3-1]", "[T3-2]", "[T3-3]", "[T4-1]"):
        assert rule not in out


def test_check_rules_lists_the_registry_in_a_real_process():
    from model.rules import RULES
    res = subprocess.run([sys.executable, "main.py", "check", "--rules", "--json"], cwd=ROOT,
                         capture_output=True, timeout=120)
    assert res.returncode == 0
    listed = json.loads(res.stdout.decode("utf-8"))
    assert [d["rule"] for d in listed] == list(RULES)
    assert all(d["help"] == RULES[d["rule"]].help for d in listed)
    code, out, _ = run("check", "--rules")
    assert code == 0 and "[X0]" in out and "[T3-3] 表三勾稽关系（错误）" in out
    code, _, err = run("check")
    assert code == 2 and "--rules" in err
