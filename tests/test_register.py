"""Case register → table 三: reading, mapping, counting, and what cannot be placed."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from model import project, schema
from model.cli import main
from model.example import build_2024
from model.register import (BAD_DATE, CARRIED_IN, OUT_OF_YEAR, UNMAPPED, Mapping, RegisterError,
                            compute_t3, load_mapping, parse_date, read_register, save_mapping,
                            suggest_mapping)
from model.report import Report
from model.rules import check

REG = Path(__file__).resolve().parent / "fixtures" / "register"
CSV = REG / "register_2025.csv"
GBK = REG / "register_2025_gbk.csv"
MAP = REG / "mapping_2025.json"
t3 = schema.t3


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(list(argv), out, err)
    except SystemExit as e:
        code = e.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def computed():
    return compute_t3(read_register(CSV), load_mapping(MAP), 2025)


def test_reads_utf8_bom_and_gbk_tab_separated_alike():
    a, b = read_register(CSV), read_register(GBK)
    assert a.headers[:3] == ["序号", "收到日期", "申请人类型"]     # BOM stripped
    assert len(a.rows) == 16 and a.rows == b.rows
    assert a.line_numbers[0] == 2 and a.rows[0]["办理结果"] == "予以公开"


def test_reads_xlsx_with_real_dates(tmp_path):
    from datetime import datetime

    from openpyxl import Workbook
    src = read_register(CSV)
    wb = Workbook()
    ws = wb.active
    ws.append(src.headers)
    for row in src.rows:
        cells = [row[h] for h in src.headers]
        d = parse_date(cells[1])
        cells[1] = datetime(d.year, d.month, d.day) if d else cells[1]
        cells[0] = int(cells[0])
        ws.append(cells)
    p = tmp_path / "登记簿.xlsx"
    wb.save(p)
    reg = read_register(p)
    assert reg.rows[0]["收到日期"] == "2024-12-20" and reg.rows[0]["序号"] == "1"
    assert compute_t3(reg, load_mapping(MAP), 2025) == compute_t3(read_register(CSV), load_mapping(MAP), 2025)


def test_counts_new_carried_results_and_open(computed):
    v, _ = computed
    assert v[t3("new", "person")] == 7 and v[t3("new", "legal")] == 1 and v[t3("new", "total")] == 11
    assert v[t3("carried_in", "person")] == 1 and v[t3("carried_in", "business")] == 1   # received in 2024
    assert v[t3("granted", "person")] == 2 and v[t3("granted", "research")] == 1
    assert v[t3("partial", "total")] == 2
    assert v[t3("denied.enforcement", "legal")] == 1 and v[t3("unable.unclear", "person")] == 1
    assert v[t3("carried_out", "person")] == 1 and v[t3("carried_out", "business")] == 1
    # totals computed from the counted cells
    assert v[t3("results_total", "person")] == 6 and v[t3("results_total", "total")] == 10
    assert len(v) == 175


def test_values_that_map_nowhere_are_listed_never_guessed(computed):
    v, problems = computed
    unmapped = {(p.row, p.column, p.value) for p in problems if p.kind == UNMAPPED}
    assert unmapped == {(9, "申请人类型", "法人"), (10, "办理结果", "不予公开")}
    bad = [p for p in problems if p.kind == BAD_DATE]
    assert [(p.row, p.value) for p in bad] == [(15, "2025-13-01")]
    assert any(p.kind == OUT_OF_YEAR and "1 件" in p.message for p in problems)
    assert all(p.message.startswith("第 ") for p in problems if p.row is not None)
    # 法人 is in no column; 不予公开 is in no result row: the table does not balance, and says so
    assert sum(v[t3(r, "total")] for r in schema.T3_RESULT_ROWS) == 10
    report = Report.zeros(year=2025)
    for cid, x in v.items():
        report.set(cid, x)
    assert any(f.rule == "T3-3" for f in check(report))


def test_mapping_the_missing_values_balances_the_table(tmp_path):
    m = load_mapping(MAP)
    m.applicant["法人"] = "other_org"
    m.result["不予公开"] = "denied.internal"
    p = tmp_path / "map.json"
    save_mapping(m, p)
    v, problems = compute_t3(read_register(CSV), load_mapping(p), 2025)
    assert not [x for x in problems if x.blocking and x.kind == UNMAPPED]
    for col, _ in schema.T3_COLUMNS:
        assert v[t3("new", col)] + v[t3("carried_in", col)] == \
            v[t3("results_total", col)] + v[t3("carried_out", col)]


def test_carried_in_comes_from_the_baseline_and_a_difference_is_listed(computed):
    last = build_2024()          # carried_out: person 3, business 1
    v, problems = compute_t3(read_register(CSV), load_mapping(MAP), 2025, baseline=last)
    assert v[t3("carried_in", "person")] == 3 and v[t3("carried_in", "business")] == 1
    diff = [p for p in problems if p.kind == CARRIED_IN]
    assert len(diff) == 1 and "自然人" in diff[0].message and "1 件" in diff[0].message \
        and "3 件" in diff[0].message


def test_finished_date_column_moves_rows_between_years(tmp_path):
    text = ("收到日期,申请人,结果,办结日期\n"
            "2024-03-01,自然人,予以公开,2024-03-20\n"     # finished last year: not this year's
            "2024-12-30,自然人,予以公开,2025-01-10\n"     # carried in, finished this year
            "2025-12-20,企业,予以公开,2026-01-08\n")       # finished after year end: carried out
    p = tmp_path / "r.csv"
    p.write_text(text, encoding="utf-8")
    reg = read_register(p)
    sug = suggest_mapping(reg.headers, reg.sample_values())
    assert sug["columns"]["finished"] == "办结日期" and sug["columns"]["received"] == "收到日期"
    assert sug["columns"]["applicant"] == "申请人" and sug["columns"]["result"] == "结果"
    m = Mapping.from_json(sug)
    v, problems = compute_t3(reg, m, 2025)
    assert not problems
    assert v[t3("carried_in", "person")] == 1 and v[t3("granted", "person")] == 1
    assert v[t3("new", "business")] == 1 and v[t3("carried_out", "business")] == 1
    assert v[t3("granted", "business")] == 0


def test_suggest_mapping_uses_the_official_labels():
    reg = read_register(CSV)
    s = suggest_mapping(reg.headers, reg.sample_values())
    assert s["columns"] == {"received": "收到日期", "applicant": "申请人类型", "result": "办理结果",
                            "status": "办理状态", "finished": None}
    assert s["applicant"]["自然人"] == "person" and s["applicant"]["律师事务所"] == "legal"
    assert s["result"]["信访举报投诉类申请"] == "rejected.complaint"
    assert s["result"]["属于行政执法案卷"] == "denied.enforcement"
    assert s["status"] == {"已办结": "finished", "办理中": "open", "结转下年度": "open"}
    # 法人 fits no applicant column; 不予公开 fits eight rows: neither is guessed
    assert s["unmatched"] == {"applicant": ["法人"], "result": ["不予公开"], "status": []}
    # with the two filled in by hand, the suggestion is a valid mapping equal to the fixture's
    assert Mapping.from_json(s).to_json() == load_mapping(MAP).to_json()


@pytest.mark.parametrize("doc, words", [
    ({}, "columns"),
    ({"columns": {"applicant": "申请人类型"}}, "收到日期"),
    ({"columns": {"received": "a", "applicant": "b", "result": "c"}, "result": {"x": "granted.all"}},
     "granted.all"),
    ({"columns": {"received": "a", "applicant": "b", "result": "c", "when": "d"}}, "when"),
])
def test_bad_mappings_are_refused_in_chinese(doc, words):
    with pytest.raises(RegisterError, match=words):
        Mapping.from_json(doc)


def test_mapping_naming_a_missing_column_says_which(tmp_path):
    m = load_mapping(MAP)
    m.columns["status"] = "状态栏"
    with pytest.raises(RegisterError, match="状态栏"):
        compute_t3(read_register(CSV), m, 2025)


@pytest.mark.parametrize("data, words", [
    (b"", "\u7a7a"),                                        # 空
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
    (b"PK\x03\x04broken", "Excel"),
    (b"\xff\xfe\xfa\xfb\x80\x81", "编码"),
])
def test_unreadable_registers_say_why(tmp_path, data, words):
    p = tmp_path / "r.csv"
    p.write_bytes(data)
    with pytest.raises(RegisterError, match=words):
        read_register(p)


def test_parse_date_forms():
    from datetime import date
    for text in ("2025-03-04", "2025/3/4", "2025.3.4", "2025年3月4日", "20250304", "2025-03-04 09:30:00"):
        assert parse_date(text) == date(2025, 3, 4), text
    for text in ("", "3/4/2025", "2025-02-30", "昨天"):
        assert parse_date(text) is None


# ---- command line ----------------------------------------------------------

def test_cli_suggest_mapping_prints_json():
    code, out, _ = run("register", str(CSV), "--suggest-mapping")
    assert code == 0
    doc = json.loads(out)
    assert doc["columns"]["received"] == "收到日期" and doc["unmatched"]["applicant"] == ["法人"]


def test_cli_writes_a_new_project_and_exits_1_on_problems(tmp_path):
    out_file = tmp_path / "2025.nianbao"
    code, out, _ = run("register", str(CSV), "--mapping", str(MAP), "--year", "2025", "-o", str(out_file))
    assert code == 1
    assert "第 9 行" in out and "法人" in out and "不予公开" in out
    r = project.load(out_file)
    assert r.year == 2025 and r.values[t3("new", "total")] == 11


def test_cli_into_existing_with_last_year(tmp_path):
    last, this = tmp_path / "2024.nianbao", tmp_path / "2025.nianbao"
    project.save(build_2024(), last)
    target = build_2024().next_year()
    target.sections["other"] = "本年度未收取信息处理费。"
    project.save(target, this)
    m = load_mapping(MAP)
    m.applicant["法人"] = "other_org"
    m.result["不予公开"] = "denied.internal"
    mp = tmp_path / "map.json"
    save_mapping(m, mp)
    code, out, _ = run("register", str(CSV), "--mapping", str(mp), "--year", "2025",
                       "--last-year", str(last), "--into", str(this))
    r = project.load(this)
    assert r.values[t3("carried_in", "person")] == 3          # from last year's carried_out
    assert r.values[t3("new", "other_org")] == 1
    assert r.sections["other"] == "本年度未收取信息处理费。"     # the rest of the report kept
    assert r.baseline is not None and r.baseline.year == 2024
    # what is left to check: the carried_in difference, the 2026 row and the bad date (blocking)
    assert code == 1 and "2025-13-01" in out and "上年结转" in out and "“法人”" not in out


def test_cli_refuses_without_mapping_or_year_and_on_wrong_year(tmp_path):
    code, _, err = run("register", str(CSV))
    assert code == 2 and "--mapping" in err
    other = tmp_path / "2024.nianbao"
    project.save(build_2024(), other)
    code, _, err = run("register", str(CSV), "--mapping", str(MAP), "--year", "2025", "--into", str(other))
    assert code == 2 and "2024" in err
    code, _, err = run("register", str(tmp_path / "none.csv"), "--suggest-mapping")
    assert code == 2 and "找不到" in err


def test_fixture_copied_with_another_name_reads_the_same(tmp_path):
    p = tmp_path / "登记簿 2025.txt"          # the suffix does not decide: content does
    shutil.copyfile(CSV, p)
    assert read_register(p).rows == read_register(CSV).rows


@pytest.mark.parametrize("attack, why", [("billion laughs", "DOCTYPE"), ("zip bomb", "压缩炸弹"),
                                         ("path traversal 0", "非法路径")])
def test_hostile_xlsx_register_is_refused_by_the_import_safety_checks(tmp_path, attack, why):
    """`register` reads XLSX through the importers' safe reader: the same zip and XML checks."""
    from tests.test_hostile_files import _hostile_zip
    p = tmp_path / "登记簿.xlsx"
    p.write_bytes(_hostile_zip("xlsx", attack))
    with pytest.raises(RegisterError) as exc:
        read_register(p)
    assert "申请登记簿" in str(exc.value) and why in str(exc.value)
    out, err = io.StringIO(), io.StringIO()
    assert main(["register", str(p), "--suggest-mapping"], out, err) == 2
    assert "Traceback" not in err.getvalue() and "申请登记簿" in err.getvalue()


def test_xlsx_register_formulas_never_cached_are_recomputed(tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "收到日期", "申请人类型", "办理结果"])
    ws.append(["=1+0", "2025-03-01", "自然人", "予以公开"])
    p = tmp_path / "登记簿.xlsx"
    wb.save(p)                                   # openpyxl writes formulas without cached values
    assert read_register(p).rows[0]["序号"] == "1"


def test_what_the_dialog_decides_lives_in_the_core():
    from model.register import (merge_mapping, missing_roles, set_value_target, summary, t3_change,
                                value_counts)
    reg = read_register(CSV)
    counts = value_counts(reg)
    assert sum(counts["申请人类型"].values()) == sum(1 for r in reg.rows if r["申请人类型"])
    assert missing_roles(Mapping()) == ["收到日期", "申请人类型", "办理结果或办理状态（办结或结转）"]
    remembered = Mapping()
    remembered.columns = dict.fromkeys(remembered.columns)
    remembered.applicant = {"法人": "business"}
    m = merge_mapping(remembered, {"columns": {"received": "收到日期"}, "applicant": {"法人": "other_org",
                                   "自然人": "person"}, "result": {}, "status": {}})
    assert m.applicant == {"法人": "business", "自然人": "person"} and m.column("received") is None
    set_value_target(m, "applicant", "法 人", None)         # width- and space-folded
    assert m.lookup("applicant", "法人") is None
    values, _ = compute_t3(reg, load_mapping(MAP), 2025)
    r = Report.zeros(year=2025)
    change = t3_change(r, values, "登记簿.csv")
    assert change.text == "从登记表“登记簿.csv”生成表三" and not change.recompute
    assert set(change.cells) == {c for c, v in values.items() if v != 0}
    assert summary(values, 2025, r.values).startswith("2025 年：新收申请 ")
