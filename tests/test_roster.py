"""The roster and filing status (issue 15, part 1): a roster with aliases, a folder with a
missing unit, a late one, a guessed name, and a report not on the roster."""
from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from model import project
from model.audit import ROSTER_SHEETS, audit, render_html, write_summary
from model.cli import main
from model.errors import NianbaoError
from model.example import build, build_2024
from model.findings import Finding, Severity
from model.render import render
from model.roster import (FILED, MISSING, Matcher, RosterError, core, place,
                          read_roster, roster_from_rows)
from model.schema import Level

ROSTER_CSV = """名称,层级,别名
青岚县市场监督管理局,部门,县市场监管局
白石县教育局,部门,
松河区 民政局,部门,区民政局、民政局
云溪区人民政府,本级人民政府,
北塘街道办事处,乡镇街道,
"""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(list(argv), out, err)
    except SystemExit as e:
        code = e.code
    return code, out.getvalue(), err.getvalue()


def unit_report(agency: str, publish: date | None, *, level: Level = Level.DEPARTMENT):
    r = build()
    r.agency, r.baseline, r.publish_date, r.level = agency, None, publish, level
    r.sections = {k: v.replace("青岚县市场监督管理局", agency) for k, v in r.sections.items()}
    return r


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("district")
    # on time, exact name, with last year in the folder (paired; 重复率)
    this = build()
    this.baseline = None
    project.save(this, root / "青岚2025.nianbao")
    (root / "青岚2024.html").write_text(render(build_2024(), "html"), encoding="utf-8")
    # late: published 2026-02-10, deadline 2026-01-31
    (root / "白石县教育局.txt").write_text(render(unit_report("白石县教育局", date(2026, 2, 10)), "txt"),
                                       encoding="utf-8")
    # a name variant: 松河区民政局 written without the space on the roster, plus 人民政府 suffix cases
    (root / "民政.docx").write_bytes(render(unit_report("松河区民政局", date(2026, 1, 20)), "docx"))
    # the 本级人民政府 published on 3 March: on time for it (3月31日), late for a department
    project.save(unit_report("云溪区人民政府办公室", date(2026, 3, 3), level=Level.GOVERNMENT),
                 root / "云溪.nianbao")
    # not on the roster
    project.save(unit_report("临川县财政局", date(2026, 1, 20)), root / "临川.nianbao")
    # 北塘街道办事处 is missing: its file is damaged
    (root / "北塘街道办事处2025年报告.docx").write_bytes(b"PK\x03\x04 damaged")
    return root


@pytest.fixture(scope="module")
def roster_file(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("roster") / "名录.csv"
    p.write_text(ROSTER_CSV, encoding="utf-8-sig")
    return p


@pytest.fixture(scope="module")
def status(folder, roster_file):
    return audit(folder, workers=1, roster=read_roster(roster_file), year=2025).roster


def unit(status, name):
    return next(u for u in status.units if u.unit.name == name)


def test_reads_roster_with_levels_and_aliases(roster_file):
    r = read_roster(roster_file)
    assert [u.name for u in r.units] == ["青岚县市场监督管理局", "白石县教育局", "松河区 民政局",
                                         "云溪区人民政府", "北塘街道办事处"]
    assert r.units[0].aliases == ("县市场监管局",)
    assert r.units[2].aliases == ("区民政局", "民政局")
    assert [u.level for u in r.units] == [Level.DEPARTMENT, Level.DEPARTMENT, Level.DEPARTMENT,
                                          Level.GOVERNMENT, Level.TOWNSHIP]


def test_reads_xlsx_roster_and_infers_a_blank_level(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["单位名称", "类型", "简称"])
    ws.append(["白石镇人民政府", None, "白石镇"])
    ws.append(["青岚县教育局", "部门", None])
    ws.append(["青岚县教育局", "部门", None])
    wb.save(tmp_path / "名录.xlsx")
    r = read_roster(tmp_path / "名录.xlsx")
    assert [(u.name, u.level) for u in r.units] == [("白石镇人民政府", Level.TOWNSHIP),
                                                    ("青岚县教育局", Level.DEPARTMENT)]
    assert r.units[0].aliases == ("白石镇",)
    assert any("重复" in n for n in r.notes)


@pytest.mark.parametrize("content, words", [
    (b"", "是空的"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "旧版 Excel"),
    (b"PK\x03\x04broken", "不是有效的 Excel"),
])
def test_bad_roster_is_a_chinese_message(tmp_path, content, words):
    p = tmp_path / "名录.csv"
    p.write_bytes(content)
    with pytest.raises(RosterError, match=words):
        read_roster(p)


def test_missing_roster_file_is_a_chinese_message(tmp_path):
    with pytest.raises(NianbaoError, match="找不到名录文件"):
        read_roster(tmp_path / "没有.csv")


def test_name_cores():
    assert core("青岚县市场监督管理局") == "市场监督管理局"
    assert core("县市场监管局") == "市场监管局"
    assert core("区教育局") == core("云溪区教育局") == "教育局"
    assert core("云溪区人民政府") == core("云溪区人民政府办公室") == core("云溪区 政府") == "云溪区"
    assert core("青岚县白石镇人民政府") == core("白石镇") == "白石镇"


def test_matching_exact_alias_variant_and_ambiguous():
    r = roster_from_rows("名录", ["名称", "别名"], [
        {"名称": "青岚县市场监督管理局", "别名": "县市场监管局"},
        {"名称": "青岚县教育局", "别名": ""},
        {"名称": "白石县教育局", "别名": ""},
        {"名称": "云溪区人民政府", "别名": ""},
    ])
    m = Matcher(r)
    assert m.match("青岚县 市场监督管理局").how == "exact"
    hit = m.match("县市场监管局")
    assert hit.unit.name == "青岚县市场监督管理局" and not hit.guessed
    hit = m.match("云溪区人民政府办公室")
    assert hit.unit.name == "云溪区人民政府" and hit.guessed and hit.how == "variant"
    both = m.match("区教育局")                    # two 教育局 on the roster: never guessed
    assert both.unit is None and set(both.candidates) == {"青岚县教育局", "白石县教育局"}
    assert m.match("某某公司").unit is None


def test_status_filed_missing_late_and_guessed(status):
    assert status.year == 2025
    q = unit(status, "青岚县市场监督管理局")
    assert q.status == FILED and q.row.file == "青岚2025.nianbao" and q.match == "exact"
    assert q.timeliness == "已按时" and q.paired and q.repeat_rate is not None
    late = unit(status, "白石县教育局")
    assert late.status == FILED and late.days_late == 10 and late.timeliness == "逾期 10 天"
    assert late.deadline == date(2026, 1, 31) and not late.paired and late.repeat_rate is None
    # the roster name has a space; the report has none: still an exact match
    assert unit(status, "松河区 民政局").match == "exact"
    gov = unit(status, "云溪区人民政府")
    assert gov.status == FILED and gov.guessed and gov.match_label.endswith("（推测）")
    assert gov.deadline == date(2026, 3, 31) and gov.timeliness == "已按时"
    miss = unit(status, "北塘街道办事处")
    assert miss.status == MISSING and miss.row is None and miss.deadline == date(2026, 1, 31)
    assert miss.unreadable == ["北塘街道办事处2025年报告.docx"]
    assert unit(status, "白石县教育局").unreadable == []
    assert [e.row.agency for e in status.extras] == ["临川县财政局"]
    assert status.extras[0].reason == "名录中没有此单位"
    assert (status.filed, status.missing, status.late) == (4, 1, 1)


def test_findings_counted_by_place(status):
    late = unit(status, "白石县教育局")
    # S8 (publish date) is a structure/meta finding
    assert late.count("结构", Severity.WARNING) == 1
    assert late.counts_text("表三") == "0/0/0"
    assert place(Finding("T3-1", Severity.ERROR, "", ("t3.new.total",), "requests")) == "表三"
    assert place(Finding("X2", Severity.WARNING, "", ("t2.normative.in_force",), "active")) == "表二"
    assert place(Finding("T4-1", Severity.ERROR, "", ("t4.review.total",), "appeals")) == "表四"
    assert place(Finding("X5", Severity.WARNING, "", (), "overview")) == "正文"
    assert place(Finding("S2", Severity.ERROR, "", (), "meta")) == "结构"
    assert place(Finding("S1", Severity.ERROR, "", (), "title")) == "结构"


def test_roster_deadline_follows_the_roster_level(folder, tmp_path):
    """On a roster saying 部门, a report published on 3 March is late, whatever the report says."""
    p = tmp_path / "r.csv"
    p.write_text("名称,层级\n云溪区人民政府办公室,部门\n", encoding="utf-8")
    st = audit(folder, workers=1, roster=read_roster(p), year=2025).roster
    u = st.units[0]
    assert u.match == "exact" and u.deadline == date(2026, 1, 31) and u.days_late == 31


def test_cli_audit_with_roster(folder, roster_file, tmp_path):
    out_x = tmp_path / "审核.xlsx"
    code, out, err = run("audit", str(folder), "--roster", str(roster_file), "--year", "2025",
                         "--workers", "1", "--out", str(out_x))
    assert code == 0, err
    assert "未报送 1 个" in out and "北塘街道办事处（乡镇街道）：未报送" in out
    assert "有无法读取的文件：北塘街道办事处2025年报告.docx" in out
    assert "白石县教育局（部门）：已报送 白石县教育局.txt，逾期 10 天" in out
    assert "名称写法不同（推测）：报告写作“云溪区人民政府办公室”" in out
    assert "临川.nianbao：临川县财政局，名录中没有此单位" in out
    wb = load_workbook(out_x, read_only=True)
    assert wb.sheetnames[:2] == list(ROSTER_SHEETS)
    rows = [list(r) for r in wb[ROSTER_SHEETS[0]].iter_rows(values_only=True)]
    assert rows[0][-1] == "重复率" and rows[0][2] == "状态"
    by = {r[0]: r for r in rows[1:]}
    assert by["北塘街道办事处"][2] == "未报送" and by["北塘街道办事处"][3].startswith("无法读取：")
    assert by["青岚县市场监督管理局"][-2] == "是" and by["青岚县市场监督管理局"][-1].endswith("%")
    assert by["白石县教育局"][8] == "逾期 10 天"
    report_rows = [list(r) for r in wb["报告"].iter_rows(values_only=True)]
    assert report_rows[0][-1] == "重复率"
    extras = [list(r) for r in wb[ROSTER_SHEETS[1]].iter_rows(values_only=True)]
    assert extras[1][1] == "临川县财政局"


def test_cli_audit_roster_json_and_html(folder, roster_file, tmp_path):
    code, out, _ = run("audit", str(folder), "--roster", str(roster_file), "--workers", "1", "--json")
    doc = json.loads(out)
    assert doc["roster"]["year"] == 2025              # the latest year in the folder
    units = {u["unit"]: u for u in doc["roster"]["units"]}
    assert units["北塘街道办事处"]["status"] == "missing"
    assert units["白石县教育局"]["days_late"] == 10
    assert units["云溪区人民政府"]["guessed"] is True
    assert units["青岚县市场监督管理局"]["findings"]["表四"]["info"] == 1
    html_path = tmp_path / "审核.html"
    res = audit(folder, workers=1, roster=read_roster(roster_file), year=2025)
    write_summary(res, html_path)
    page = html_path.read_text(encoding="utf-8")
    assert 'id="roster"' in page and "北塘街道办事处" in page and 'class="missing' in page
    assert "名录外的报告" in page and "临川县财政局" in page
    assert "<script" not in render_html(res)


def test_cli_bad_roster_and_year_without_roster(folder, tmp_path):
    bad = tmp_path / "坏.csv"
    bad.write_bytes(b"")
    code, _, err = run("audit", str(folder), "--roster", str(bad))
    assert code == 2 and "是空的" in err and "Traceback" not in err
    code, _, err = run("audit", str(folder), "--year", "2025")
    assert code == 2 and "--roster" in err
