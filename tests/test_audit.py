"""Auditing a folder: every format, a damaged file, a previous-year pair, the seeds."""
from __future__ import annotations

import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from model import audit as audit_mod
from model import project
from model.audit import SHEETS, audit, is_skipped, write_summary
from model.cli import main
from model.example import build, build_2024
from model.render import render
from model.report import Report
from tests.conftest import seed_path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(list(argv), out, err)
    except SystemExit as e:
        code = e.code
    return code, out.getvalue(), err.getvalue()


def other(agency: str, publish: date | None = date(2026, 1, 20)) -> Report:
    r = build()
    r.agency = agency
    r.baseline = None
    r.publish_date = publish
    r.sections = {k: v.replace("青岚县市场监督管理局", agency) for k, v in r.sections.items()}
    return r


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("reports")
    # the previous-year pair, in two formats: 2025 says carried_in 9 persons, 2024 carried out 3
    this = build()
    this.baseline = None
    this.set("t3.carried_in.person", 9)
    this.recompute_totals()
    (root / "青岚").mkdir()
    project.save(this, root / "青岚" / "2025.nianbao")
    write(root / "青岚" / "2024年报告.html", render(build_2024(), "html"))
    # one agency a format
    write(root / "白石县教育局.txt", render(other("白石县教育局"), "txt"))
    write(root / "松河区民政局.docx", render(other("松河区民政局"), "docx"))
    write(root / "临川县财政局.xlsx", render(other("临川县财政局"), "xlsx"))
    project.save(other("北塘区应急管理局", date(2026, 2, 5)), root / "北塘区应急管理局.nianbao")
    project.save(other("<b>枫林县</b>&统计局", None), root / "枫林县统计局.nianbao")
    # what a reviewer's folder also holds
    write(root / "损坏的报告.docx", b"PK\x03\x04this is not a zip at all")
    write(root / "扫描件.pdf", b"%PDF-1.4\n%binary")
    write(root / ".DS_Store", b"\0\0")
    write(root / "~$松河区民政局.docx", b"lock")
    write(root / "临时.tmp", b"x")
    write(root / ".git" / "config", b"x")
    return root


@pytest.fixture(scope="module")
def result(folder):
    return audit(folder, workers=1)


def row(result, file):
    return next(r for r in result.rows if r.file == file)


def test_every_format_is_read_and_skipped_files_are_skipped(result):
    assert {r.file: r.source_format for r in result.rows} == {
        "青岚/2025.nianbao": "nianbao", "青岚/2024年报告.html": "html", "白石县教育局.txt": "txt",
        "松河区民政局.docx": "docx", "临川县财政局.xlsx": "xlsx",
        "北塘区应急管理局.nianbao": "nianbao", "枫林县统计局.nianbao": "nianbao"}
    assert {r.agency for r in result.rows} >= {"白石县教育局", "松河区民政局", "临川县财政局"}
    assert all(r.year in (2024, 2025) for r in result.rows)
    assert result.files == 9


def test_unreadable_files_are_listed_with_the_reason(result):
    reasons = {u.file: u.reason for u in result.unreadable}
    assert set(reasons) == {"损坏的报告.docx", "扫描件.pdf"}
    assert "损坏" in reasons["损坏的报告.docx"] and "PDF" in reasons["扫描件.pdf"]


def test_previous_year_pair_runs_the_cross_year_rules(result):
    r = row(result, "青岚/2025.nianbao")
    assert r.baseline_file == "青岚/2024年报告.html" and r.baseline_source == "folder"
    x1 = [f for f in r.findings if f.rule == "X1"]
    assert x1 and "t3.carried_in.person" in x1[0].cells
    assert r.errors >= 1
    for other_row in result.rows:
        if other_row is not r:
            assert not any(f.rule == "X1" for f in other_row.findings), other_row.file
    assert row(result, "白石县教育局.txt").baseline_file is None


def test_clean_exports_have_no_errors(result):
    for f in ("白石县教育局.txt", "松河区民政局.docx", "临川县财政局.xlsx", "北塘区应急管理局.nianbao"):
        assert row(result, f).errors == 0, (f, [x.message for x in row(result, f).findings])


def test_timeliness(result):
    assert row(result, "白石县教育局.txt").deadline == date(2026, 1, 31)
    assert row(result, "青岚/2025.nianbao").timeliness == "已按时"
    late = row(result, "北塘区应急管理局.nianbao")
    assert late.timeliness == "逾期 5 天" and late.days_late == 5
    assert row(result, "枫林县统计局.nianbao").timeliness == "未知"
    assert result.late == 1


def test_rule_counts_across_the_folder(result):
    counts = {(c.rule, c.severity.key): c for c in result.rule_counts()}
    assert counts[("X1", "error")].reports == 1
    assert counts[("S8", "warning")].reports == 1                    # the late one
    total = sum(c.findings for c in counts.values())
    assert total == sum(len(r.findings) for r in result.rows)


def test_processes_give_the_same_result_and_report_progress(folder, result, monkeypatch):
    monkeypatch.setattr(audit_mod, "SERIAL_BELOW", 2)
    seen = []
    par = audit(folder, workers=2, progress=lambda d, t: seen.append((d, t)))
    assert par.workers == 2
    assert [(r.file, r.findings) for r in par.rows] == [(r.file, r.findings) for r in result.rows]
    assert par.unreadable == result.unreadable
    assert seen[0] == (0, 9) and seen[-1] == (9, 9)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_the_costliest_files_go_to_the_workers_first_and_come_back_in_order():
    """A PDF that comes last in the folder must not be read last (a core would sit idle while
    the other reads it): the workers get the files costliest first, the results keep the order."""
    from concurrent.futures import ThreadPoolExecutor
    handed: list[str] = []
    names = [f"r{i:03d}.{ext}" for i, ext in enumerate(["txt", "nianbao", "html"] * 30 + ["pdf"] * 3)]

    def chunk(paths: list[str]) -> list[str]:
        handed.extend(paths)
        return [p.upper() for p in paths]

    steps: list[int] = []
    with ThreadPoolExecutor(max_workers=1) as ex:
        out = audit_mod._run(chunk, names, ex, 2, steps.append,
                             cost=lambda p: audit_mod._READ_COST[p[p.rindex("."):]])
    assert out == [n.upper() for n in names]
    assert handed[:3] == ["r090.pdf", "r091.pdf", "r092.pdf"]
    assert handed[-1].endswith(".nianbao")
    assert sum(steps) == len(names) and len(steps) > 2


def test_skipped_names():
    for name in (".hidden", "~$a.docx", "a.docx~", "b.TMP", "c.swp", "Thumbs.db"):
        assert is_skipped(name), name
    assert not is_skipped("报告.docx")


def test_summary_xlsx(result, tmp_path):
    from openpyxl import load_workbook
    p = tmp_path / "审核.xlsx"
    write_summary(result, p)
    wb = load_workbook(p)
    assert wb.sheetnames == list(SHEETS)
    reports = list(wb["报告"].iter_rows(min_row=2, values_only=True))
    assert len(reports) == 7
    qing = next(r for r in reports if r[0] == "青岚/2025.nianbao")
    assert qing[1] == "青岚县市场监督管理局" and qing[2] == 2025 and qing[6] >= 1
    assert qing[12] == "青岚/2024年报告.html"
    findings = list(wb["问题"].iter_rows(min_row=2, values_only=True))
    assert len(findings) == sum(len(r.findings) for r in result.rows)
    assert any(f[3] == "X1" and f[4] == "错误" for f in findings)
    unreadable = [r[0] for r in wb["无法读取"].iter_rows(min_row=2, values_only=True)]
    assert unreadable == sorted(["损坏的报告.docx", "扫描件.pdf"])
    assert any(r[0] == "X1" for r in wb["规则统计"].iter_rows(min_row=2, values_only=True))


def test_summary_html_is_escaped_and_has_the_chart(result, tmp_path):
    import xml.etree.ElementTree as ET
    p = tmp_path / "审核.html"
    write_summary(result, p)
    html = p.read_text(encoding="utf-8")
    assert "<b>枫林县</b>" not in html and "&lt;b&gt;枫林县&lt;/b&gt;&amp;统计局" in html
    assert html.count("<svg") == 1 and 'class="bar"' in html
    svg = html[html.index("<svg"):html.index("</svg>") + 6]
    ET.fromstring(svg)
    for h in ("报告", "问题", "规则统计", "无法读取"):
        assert f"<h2>{h}</h2>" in html
    assert "损坏的报告.docx" in html


def test_summary_bad_suffix(result, tmp_path):
    from model.errors import RenderError
    with pytest.raises(RenderError, match=".xlsx"):
        write_summary(result, tmp_path / "a.csv")


def test_seeds_in_the_folder(tmp_path):
    for prefix in ("000", "001", "002", "003", "004"):
        src = seed_path(prefix)
        shutil.copyfile(src, tmp_path / src.name)
    project.save(build(), tmp_path / "example.nianbao")
    res = audit(tmp_path, workers=1)
    assert not res.unreadable and len(res.rows) == 6
    by = {r.file[:3]: r for r in res.rows}
    rules = {k: {f.rule for f in r.findings} for k, r in by.items()}
    assert "N1" in rules["001"] and "T3-5" in rules["001"]
    assert "S2" in rules["004"] and "S1" in rules["003"] and "S3" in rules["002"]
    assert by["001"].agency == "西工区人民政府办公室" and by["001"].year == 2024
    # 003 has no title: the year comes from its opening sentence (with a note), no publish date
    assert by["003"].year == 2025 and by["003"].timeliness == "未知"
    for r in res.rows:
        assert not {"T3-1", "T3-2", "T3-3", "T4-1"} & {f.rule for f in r.findings}, r.file


# ---- command line ----------------------------------------------------------

def test_cli_audit_text_and_exit_status(folder, tmp_path):
    out_file = tmp_path / "s.html"
    code, out, err = run("audit", str(folder), "--out", str(out_file), "--workers", "1")
    assert code == 1                                 # 青岚 2025 has errors
    assert "共 9 个文件" in out and "无法读取（2）" in out and "[X1]" in out
    assert "审核进度" in err and "9/9" in err
    assert out_file.is_file()


def test_cli_audit_clean_folder_exits_0_and_json(tmp_path):
    project.save(other("南湖区教育局"), tmp_path / "a.nianbao")
    code, out, _ = run("audit", str(tmp_path), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["reports"] == 1 and doc["rows"][0]["agency"] == "南湖区教育局"
    assert doc["rows"][0]["errors"] == 0 and doc["unreadable"] == []


def test_cli_audit_missing_folder_and_bad_out(tmp_path):
    code, _, err = run("audit", str(tmp_path / "nope"))
    assert code == 2 and "不存在" in err
    code, _, err = run("audit", str(tmp_path), "--out", str(tmp_path / "a.pdf"))
    assert code == 2 and ".xlsx" in err


def test_summary_html_uses_the_user_template_folder_and_chinese_errors(result, tmp_path, folder):
    """The audit summary goes through the exporters' Jinja environment: a user's audit.html.j2
    wins (extending the project's), and a broken one is a Chinese message, not a traceback."""
    from model.errors import RenderError
    user = tmp_path / "模板"
    user.mkdir()
    (user / "audit.html.j2").write_text(
        '{% extends "nianbao/audit.html.j2" %}{% block title %}本局审核汇总{% endblock %}',
        encoding="utf-8")
    p = tmp_path / "审核.html"
    code, _, err = run("audit", str(folder), "--out", str(p), "--templates", str(user))
    html = p.read_text(encoding="utf-8")
    assert code in (0, 1), err
    assert "本局审核汇总" in html and "<h2>规则统计</h2>" in html
    (user / "audit.html.j2").write_text("{% for %}", encoding="utf-8")
    with pytest.raises(RenderError, match="语法错误"):
        write_summary(result, tmp_path / "b.html", user)
    code, _, err = run("audit", str(folder), "--out", str(tmp_path / "c.html"), "--templates", str(user))
    assert code == 2 and "语法错误" in err and "Traceback" not in err
