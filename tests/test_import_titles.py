"""A title broken over lines, as real files break it (issue 10: titles as real reports write them).

Word and web pages break a long title with a line break inside one paragraph (``<w:br/>``,
``<br>``): wherever the break falls, even inside a word, the lines are one title.  A text file
has no paragraphs: there the lines before a title line complete it when the title line alone is
not a whole title (``…人民政府2024年`` / ``政府信息公开工作年度报告``), or when they name only a
place (``广东省广州市`` above ``天河区人民政府办公室``) or a government above its office.  Page
furniture above a title is never taken into the name.
"""
from __future__ import annotations

import io
import itertools

import docx
import pytest

from model.importers import read_file
from model.importers.text import read_text

AGENCIES = ["广东省广州市天河区人民政府办公室", "江苏省淮安市人民政府", "国家税务总局上海市浦东新区税务局",
            "北城街道办事处"]
BODY = "一、总体情况\n本年度，我单位扎实做好政府信息公开工作。\n二、主动公开政府信息情况\n"


def _title(agency: str, year: int = 2024) -> str:
    return f"{agency}{year}年政府信息公开工作年度报告"


def _splits(title: str, lines: int) -> list[list[str]]:
    """Every way to break ``title`` into ``lines`` lines (no line only ``告`` or ``报告``)."""
    out = []
    for cuts in itertools.combinations(range(2, len(title) - 1), lines - 1):
        parts = [title[a:b] for a, b in itertools.pairwise([0, *cuts, len(title)])]
        if not any(p in ("告", "报告") for p in parts):
            out.append(parts)
    return out


def _docx(parts: list[str]) -> bytes:
    d = docx.Document()
    p = d.add_paragraph()
    for i, part in enumerate(parts):
        run = p.add_run(part)
        if i < len(parts) - 1:
            run.add_break()
    for line in BODY.strip().split("\n"):
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _html(parts: list[str]) -> str:
    return ("<html><head><meta charset='utf-8'></head><body>"
            "<div class='nav'>首页 &gt; 政务公开 &gt; 政府信息公开年报</div>"
            f"<h1>{'<br>'.join(parts)}</h1>"
            + "".join(f"<p>{line}</p>" for line in BODY.strip().split("\n")) + "</body></html>")


@pytest.mark.parametrize("agency", AGENCIES)
@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_a_title_broken_anywhere_inside_one_paragraph_is_one_title(tmp_path, agency, fmt):
    title = _title(agency)
    cases = _splits(title, 2) + _splits(title, 3)[::7]
    wrong = []
    for i, parts in enumerate(cases):
        path = tmp_path / f"r{i}.{fmt}"
        if fmt == "docx":
            path.write_bytes(_docx(parts))
        else:
            path.write_text(_html(parts), encoding="utf-8")
        r = read_file(path).report
        if (r.agency, r.year) != (agency, 2024) or r.structure.title_line != title:
            wrong.append((parts, r.agency, r.year))
    assert not wrong, wrong[:5]


_TIANHE = AGENCIES[0]


@pytest.mark.parametrize(("lines", "agency"), [
    (["江苏省淮安市人民政府2024年", "政府信息公开工作年度报告"], "江苏省淮安市人民政府"),
    (["江苏省淮安市人民政府2024年度", "政府信息公开工作报告"], "江苏省淮安市人民政府"),
    (["江苏省淮安市人民政府2024年政府信息公", "开工作年度报告"], "江苏省淮安市人民政府"),
    (["江苏省淮安市人民政府20", "24年政府信息公开工作年度报告"], "江苏省淮安市人民政府"),
    (["广东省广州市", "天河区人民政府办公室", "2024年政府信息公开工作年度报告"], _TIANHE),
    (["广东省", "广州市天河区人民政府办公室2024年政府信息公开工作年度报告"], _TIANHE),
    (["广州市天河区人民政府", "办公室", "2024年政府信息公开工作年度报告"], "广州市天河区人民政府办公室"),
    (["国家税务总局上海市", "浦东新区税务局2024年政府信息公开工作年度报告"], AGENCIES[2]),
    (["某某县人民政府办公室、某某县政务服务中心", "2024年政府信息公开工作年度报告"],
     "某某县人民政府办公室、某某县政务服务中心"),
])
def test_a_text_files_title_on_several_lines(lines, agency):
    r = read_text("\n".join(lines) + "\n" + BODY).report
    assert (r.agency, r.year) == (agency, 2024)
    assert r.structure.title_line == "".join(lines)


@pytest.mark.parametrize(("above", "title", "agency"), [
    ("广州市天河区人民政府门户网站", "天河区商务局2024年政府信息公开工作年度报告", "天河区商务局"),
    ("政府信息公开专栏", "天河区商务局2024年政府信息公开工作年度报告", "天河区商务局"),
    ("索引号：11440106MB2C90610L/2025-00012", "天河区商务局2024年政府信息公开工作年度报告", "天河区商务局"),
    ("发布时间 2025-01-20", "天河区商务局2024年政府信息公开工作年度报告", "天河区商务局"),
])
def test_furniture_above_a_title_is_not_part_of_the_name(above, title, agency):
    r = read_text(f"{above}\n{title}\n{BODY}").report
    assert (r.agency, r.year) == (agency, 2024)


def test_a_column_name_above_a_title_without_agency_is_not_the_agency():
    r = read_text("政府信息公开\n2024年政府信息公开工作年度报告\n" + BODY).report
    assert r.year == 2024 and "信息公开" not in r.agency


@pytest.mark.parametrize(("title", "agency"), [
    ("中共某某市委办公室（某某市人民政府办公室）2024年政府信息公开工作年度报告",
     "中共某某市委办公室（某某市人民政府办公室）"),
    ("中共某某市委办公室(某某市人民政府办公室)2024年政府信息公开工作年度报告",
     "中共某某市委办公室（某某市人民政府办公室）"),
    ("某某市商务局关于2024年政府信息公开工作年度报告", "某某市商务局"),
    ("某某市商务局关于2024年度政府信息公开工作的年度报告", "某某市商务局"),
    ("某某市商务局2024年政府信息公开工作情况报告", "某某市商务局"),
    ("某某市商务局2024年政府信息公开年报", "某某市商务局"),
])
def test_title_wordings_real_reports_use(title, agency):
    """Names keep their Chinese brackets; 关于…, …的年度报告, …情况报告 and …年报 are titles too
    (rule S1 still says they are not the official form)."""
    from model.rules import check
    r = read_text(title + "\n" + BODY).report
    assert (r.agency, r.year) == (agency, 2024)
    s1 = [f for f in check(r) if f.rule == "S1"]
    if "政府信息公开工作年度报告" not in title:
        assert any("不是规定格式" in f.message for f in s1)


def test_a_sentence_about_the_report_is_no_title():
    for line in ("现将本机关2024年政府信息公开工作情况报告如下", "根据条例编制2024年政府信息公开工作情况报告",
                 "特向社会公布某某局2024年政府信息公开年报"):
        r = read_text(line + "\n" + BODY).report
        assert r.structure.title_line is None, line


@pytest.mark.parametrize("fmt", ["docx", "html", "txt", "xlsx"])
def test_a_name_with_brackets_reads_back_as_written(tmp_path, fmt):
    from model import example
    from model.render import render
    r = example.build()
    r.agency = "中共某某县委办公室（某某县人民政府办公室）"
    data = render(r, fmt)
    path = tmp_path / f"r.{fmt}"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    assert read_file(path).report.agency == r.agency
