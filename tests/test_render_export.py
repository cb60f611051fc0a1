"""export(): formats from the suffix, the publish-ready gate, atomic writes, user templates."""
from __future__ import annotations

import io

import docx
import pytest

from model.errors import RenderError
from model.findings import Severity
from model.render import FORMATS, NotPublishReady, export, format_for_path, render
from model.render.sample import sample_report


def _broken():
    r = sample_report()
    r.values["t3.new.total"] += 1          # T3-1: the row total no longer sums
    return r


def test_formats_table():
    # the PDF is registered by gui/renderers.py (when a test has imported it)
    assert {k: v[0] for k, v in FORMATS.items() if v[0] != "pdf"} == {
        ".docx": "docx", ".txt": "txt", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}
    assert all(v[1] for v in FORMATS.values())
    assert format_for_path("a/B.DOCX") == "docx"
    with pytest.raises(RenderError, match="不支持导出为“.odt”"):
        format_for_path("x.odt")
    with pytest.raises(RenderError, match="无扩展名"):
        format_for_path("x")


@pytest.mark.parametrize("suffix", [".docx", ".txt", ".html", ".htm", ".xlsx"])
def test_export_each_format(tmp_path, suffix):
    p = tmp_path / f"报告{suffix}"
    assert export(sample_report(), p) == []
    data = p.read_bytes()
    assert data
    if suffix in (".docx", ".xlsx"):
        assert data[:2] == b"PK"
    else:
        assert "东湖区商务局2024年政府信息公开工作年度报告" in data.decode("utf-8")
    assert [q.name for q in tmp_path.iterdir()] == [p.name]        # no temp file left


def test_gate_refuses_a_report_with_errors(tmp_path):
    p = tmp_path / "r.docx"
    with pytest.raises(NotPublishReady) as info:
        export(_broken(), p)
    exc = info.value
    assert isinstance(exc, RenderError)
    assert {f.rule for f in exc.findings} >= {"T3-1"}
    assert all(f.severity is Severity.ERROR for f in exc.findings)
    msg = str(exc)
    assert "尚不能作为可发布的文稿导出" in msg and "[T3-1]" in msg and "--force" in msg
    assert not p.exists()


def test_force_writes_and_returns_the_blockers(tmp_path):
    p = tmp_path / "r.txt"
    found = export(_broken(), p, force=True)
    assert "T3-1" in {f.rule for f in found}
    assert p.read_text("utf-8").count("一、本年新收政府信息公开申请数量") == 1


def test_export_replaces_atomically(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("旧内容", "utf-8")
    export(sample_report(), p)
    assert p.read_text("utf-8").startswith("东湖区商务局")
    assert len(list(tmp_path.iterdir())) == 1


def test_failed_render_leaves_the_old_file(tmp_path):
    p = tmp_path / "r.docx"
    p.write_bytes(b"old")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"junk")
    with pytest.raises(RenderError):
        export(sample_report(), p, reference_docx=bad)
    assert p.read_bytes() == b"old"


def test_missing_folder(tmp_path):
    with pytest.raises(RenderError, match="不存在"):
        export(sample_report(), tmp_path / "nope" / "r.txt")


# ---------------------------------------------------------------------------
# user templates
# ---------------------------------------------------------------------------

def test_user_template_overrides(tmp_path):
    (tmp_path / "report.txt.j2").write_text("本机关专用：{{ title }}\n{{ section.other.text }}\n", "utf-8")
    text = render(sample_report(), "txt", template_dir=tmp_path)
    assert text == ("本机关专用：东湖区商务局2024年政府信息公开工作年度报告\n"
                    "本年度未收取信息处理费。无其他需要报告的事项。\n")
    # formats without a user template still use the project's own
    assert render(sample_report(), "html", template_dir=tmp_path).startswith("<!DOCTYPE html>")


def test_user_docx_template(tmp_path):
    (tmp_path / "report.docx.j2").write_text(
        "#title {{ title }}\n#h1 {{ section.requests.heading }}\n#table t3\n#right {{ agency }}\n", "utf-8")
    d = docx.Document(io.BytesIO(render(sample_report(), "docx", template_dir=tmp_path)))
    assert [p.text.replace("\n", "") for p in d.paragraphs] == [
        "东湖区商务局2024年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况", "东湖区商务局"]
    assert len(d.tables) == 1


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__ }}",
    "{{ title.__class__.__subclasses__() }}",
    "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ tables.t3.__init__.__globals__ }}",
])
def test_sandbox_blocks_unsafe_templates(tmp_path, source):
    (tmp_path / "report.txt.j2").write_text(source, "utf-8")
    with pytest.raises(RenderError) as info:
        render(sample_report(), "txt", template_dir=tmp_path)
    msg = str(info.value)
    assert "模板" in msg and ("安全沙箱" in msg or "没有的名称" in msg)


def test_user_template_errors_are_chinese(tmp_path):
    (tmp_path / "report.txt.j2").write_text("{{ titel }}", "utf-8")
    with pytest.raises(RenderError, match="报告中没有的名称.*titel"):
        render(sample_report(), "txt", template_dir=tmp_path)
    (tmp_path / "report.txt.j2").write_text("{% for x in %}", "utf-8")
    with pytest.raises(RenderError, match="第 1 行有语法错误"):
        render(sample_report(), "txt", template_dir=tmp_path)
    with pytest.raises(RenderError, match="模板文件夹.*不存在"):
        render(sample_report(), "txt", template_dir=tmp_path / "none")


def test_user_html_template_is_autoescaped(tmp_path):
    (tmp_path / "report.html.j2").write_text("<p>{{ section.other.text }}</p>", "utf-8")
    r = sample_report()
    r.sections["other"] = "<script>x()</script>"
    assert render(r, "html", template_dir=tmp_path) == "<p>&lt;script&gt;x()&lt;/script&gt;</p>"


def test_unknown_format():
    with pytest.raises(RenderError, match="不支持的导出格式"):
        render(sample_report(), "odt")


def test_user_template_extends_the_project_one(tmp_path):
    (tmp_path / "report.html.j2").write_text(
        '{% extends "nianbao/report.html.j2" %}{% block before %}<header>东湖区商务局门户</header>'
        '{% endblock %}', "utf-8")
    html = render(sample_report(), "html", template_dir=tmp_path)
    assert 0 < html.index("<header>东湖区商务局门户</header>") < html.index("<article")
    assert ">三、收到和处理政府信息公开申请情况</h2>" in html
    (tmp_path / "report.txt.j2").write_text('{% extends "report.txt.j2" %}', "utf-8")
    with pytest.raises(RenderError, match="引用了自身"):
        render(sample_report(), "txt", template_dir=tmp_path)


def test_publish_date_is_signed_and_read_back_in_every_format():
    """The signature block (agency, date) closes the document; readers take the date back."""
    from datetime import date

    from model.example import build
    from model.importers import read_docx, read_html, read_xlsx
    from model.importers.text import read_text

    r = build()
    assert r.publish_date == date(2026, 1, 20)
    txt = render(r, "txt")
    # GB/T 9704 §7.3.5 on a 28-character line: 署名 右空二字, the date two characters further right
    assert txt.rstrip().endswith("\u3000" * 16 + "青岚县市场监督管理局\n" + "\u3000" * 18 + "2026年1月20日")
    for res in (read_text(txt), read_docx(render(r, "docx")), read_html(render(r, "html").encode()),
                read_xlsx(render(r, "xlsx"))):
        assert res.report.publish_date == date(2026, 1, 20)
        assert res.report.sections["other"] == r.sections["other"]


@pytest.mark.parametrize("source", [
    "{% include '../../../../../../etc/passwd' %}",
    "{% include '/etc/passwd' %}",
    "{% import '../../../../../../etc/passwd' as p %}",
    "{{ lipsum.__globals__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ self._TemplateReference__context }}",
])
def test_sandbox_blocks_file_access_and_globals(tmp_path, source):
    (tmp_path / "report.txt.j2").write_text(source, "utf-8")
    with pytest.raises(RenderError) as info:
        render(sample_report(), "txt", template_dir=tmp_path)
    msg = str(info.value)
    assert "模板" in msg and "root:" not in msg
    assert ("安全沙箱" in msg) or ("找不到自定义模板" in msg)
