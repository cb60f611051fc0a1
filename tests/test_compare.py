"""Year-on-year comparison (issue 15, part 2): two years of one unit with known repeated
sentences and changed cells, through the model, the CLI (text, --json, --html) and real files."""
from __future__ import annotations

import html as htmlmod
import io
import json
from pathlib import Path

import pytest

from model import project, schema
from model.compare import MIN_SENTENCE_CHARS, compare, repeat_rate, sentence_key, split_sentences
from model.cli import main
from model.render import render
from model.report import Report

AGENCY = "青岚县统计局"
# sentence 1 and 3 are repeated verbatim (3 re-wrapped and with a half-width comma), 2 changed
FIRST = "本局坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开。"
OVERVIEW_2024 = ("（一）主动公开\n" + FIRST +
                 "全年主动公开政府信息 85 条。\n"
                 "（二）依申请公开\n本局进一步规范依申请公开工作流程，做到依法、按时答复。")
OVERVIEW_2025 = ("（一）主动公开\n" + FIRST +
                 "全年主动公开政府信息 96 条。\n"
                 "（二）依申请公开\n本局进一步规范依申请公开工作流程,做到依法、\n按时答复。"
                 "本年度新建了申请登记台账，逐件跟踪办理进度。")
PROBLEMS_2024 = "一是公开内容还不够全面。二是解读形式较为单一。下一步将加强培训，丰富解读形式。"
PROBLEMS_2025 = "一是政策解读的及时性有待提高。下一步将建立解读与文件同步起草机制。"
OTHER = "本年度未收取信息处理费。"


def pair() -> tuple[Report, Report]:
    last = Report.zeros(agency=AGENCY, year=2024)
    last.sections = {"overview": OVERVIEW_2024, "problems": PROBLEMS_2024, "other": OTHER}
    last.set("t3.new.person", 10)
    last.set("t3.granted.person", 8)
    last.set("t3.carried_out.person", 2)
    last.set("t2.normative.in_force", 12)
    last.recompute_totals()
    this = Report.zeros(agency=AGENCY, year=2025)
    this.sections = {"overview": OVERVIEW_2025, "problems": PROBLEMS_2025, "other": OTHER}
    this.set("t3.new.person", 15)
    this.set("t3.carried_in.person", 1)          # last year carried out 2: X1
    this.set("t3.granted.person", 16)
    this.set("t2.normative.in_force", 12)
    this.recompute_totals()
    return this, last


def test_sentence_split_and_key():
    text = "第一句。第二句；\n  第三句没有句号\n"
    assert [text[s:e] for s, e in split_sentences(text)] == ["第一句。", "第二句；", "第三句没有句号"]
    assert sentence_key("做到依法, 按时\n答复。") == sentence_key("做到依法，按时答复。")


def test_section_rates_and_marks():
    this, last = pair()
    c = compare(this, last)
    ov = c.section("overview")
    marked = [(s.text, s.repeated, s.counted) for s in ov.sentences]
    assert ("（一）主动公开", True, False) in marked                   # a sub-head never counts
    assert marked[1] == (FIRST, True, True)
    assert marked[2] == ("全年主动公开政府信息 96 条。", False, True)     # the number changed
    assert marked[4][1] is True                                         # re-wrapped, same words
    assert marked[5][1] is False                                        # new this year
    counted = [sentence_key(s.text) for s in ov.sentences if s.counted]
    repeated = [sentence_key(s.text) for s in ov.sentences if s.counted and s.repeated]
    assert ov.rate == pytest.approx(100 * sum(map(len, repeated)) / sum(map(len, counted)))
    assert c.section("problems").rate == 0.0
    # 本年度未收取信息处理费 is 10 characters: counted, repeated
    assert c.section("other").rate == 100.0
    assert len(sentence_key(OTHER)) >= MIN_SENTENCE_CHARS
    # last year's side marks what is still there
    assert [s.repeated for s in c.section("problems").last_sentences] == [False, False, False]
    assert c.rate == pytest.approx(100 * c.repeated_chars / c.chars)
    assert repeat_rate(this, last) == pytest.approx(c.rate)


def test_identical_report_is_100_percent_and_empty_is_none():
    this, last = pair()
    assert repeat_rate(last, last) == 100.0
    empty = Report.zeros(agency=AGENCY, year=2025)
    assert repeat_rate(empty, last) is None
    assert compare(empty, last).rate is None


def test_changed_cells_and_carry_over_in_place():
    this, last = pair()
    c = compare(this, last)
    changed = {ch.cell: ch for ch in c.changes}
    assert changed["t3.new.person"].old == 10 and changed["t3.new.person"].new == 15
    assert changed["t3.new.person"].delta == 5 and changed["t3.new.person"].delta_text == "+5"
    assert changed["t3.carried_out.person"].delta_text == "-2"
    assert changed["t3.new.person"].table == "表三"
    assert changed["t3.new.person"].label == schema.CELLS["t3.new.person"].label
    assert "t2.normative.in_force" not in changed
    assert c.unchanged_cells + len(c.changes) == len(schema.CELL_IDS)
    x1 = c.carry_for("t3.carried_in.person")
    assert [f.rule for f in x1] == ["X1"] and "应为 2" in x1[0].message
    assert all(f.rule in ("X1", "X2") for f in c.carry)
    # the inputs are not changed
    assert this.baseline is None


def _write_pair(tmp_path: Path) -> tuple[Path, Path]:
    this, last = pair()
    a = tmp_path / "2025.docx"
    a.write_bytes(render(this, "docx"))
    b = tmp_path / "2024.html"
    b.write_text(render(last, "html"), encoding="utf-8")
    return a, b


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(list(argv), out, err)
    except SystemExit as e:
        code = e.code
    return code, out.getvalue(), err.getvalue()


def test_cli_compare_text_from_docx_and_html(tmp_path):
    a, b = _write_pair(tmp_path)
    code, out, err = run("compare", str(a), str(b))
    assert code == 1, err                       # X1 is an error for the agency's own report
    assert f"{AGENCY} 2025 年 与 {AGENCY} 2024 年 对比" in out
    assert "六、其他需要报告的事项：重复率 100.0%" in out
    assert "五、存在的主要问题及改进情况：重复率 0.0%" in out
    assert "＝ 本局坚持以公开为常态" in out
    assert "一、本年新收政府信息公开申请数量 自然人：10 → 15（+5）" in out
    assert "[X1]" in out


def test_cli_compare_json_and_html(tmp_path):
    a, b = _write_pair(tmp_path)
    out_html = tmp_path / "对比.html"
    code, out, _ = run("compare", str(a), str(b), "--json", "--html", str(out_html))
    doc = json.loads(out)
    assert doc["this"]["year"] == 2025 and doc["last"]["year"] == 2024
    secs = {s["section"]: s for s in doc["sections"]}
    assert secs["other"]["rate"] == 100.0 and secs["problems"]["rate"] == 0.0
    assert any(ch["cell"] == "t3.new.person" and ch["delta"] == 5 for ch in doc["changes"])
    assert {f["rule"] for f in doc["carry"]} == {"X1"}
    page = out_html.read_text(encoding="utf-8")
    assert page.count('class="side"') == 3
    assert '<span class="rep">本局坚持以公开为常态' in page
    assert '<span class="short">（一）主动公开</span>' in page       # repeated, but a sub-head: not marked
    assert "全年主动公开政府信息 96 条。" in page
    assert "衔接" in page and "应为 2" in htmlmod.unescape(page)


def test_cli_compare_project_files_and_unreadable(tmp_path):
    this, last = pair()
    project.save(this, tmp_path / "a.nianbao")
    project.save(last, tmp_path / "b.nianbao")
    code, out, _ = run("compare", str(tmp_path / "a.nianbao"), str(tmp_path / "b.nianbao"))
    assert "重复率" in out
    (tmp_path / "扫描件.pdf").write_bytes(b"%PDF-1.4 binary")
    code, out, err = run("compare", str(tmp_path / "a.nianbao"), str(tmp_path / "没有.docx"))
    assert code == 2 and "无法读取" in err and "Traceback" not in err


def test_html_escapes_report_text(tmp_path):
    this, last = pair()
    this.sections["other"] = "<script>alert(1)</script>本年度未收取信息处理费。"
    from model.render.comparison import render_html
    page = render_html(compare(this, last))
    assert "<script>alert" not in page and "&lt;script&gt;" in page
