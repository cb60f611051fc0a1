"""Issue 14: the hostile tester's attacks on the CLI and the core, each driven as a user hits it.

Every CLI run is a real subprocess (``main.py …``) under an address-space limit
(:data:`MEM_LIMIT`) and a generous timeout (a hang fails the test, no timing
is asserted); each must end with a Chinese message, no traceback, the status
the README documents, and nothing damaged or left behind in the folder.
"""
from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from model import files, project
from model.errors import ProjectError, RenderError, os_reason
from model.paths import EXAMPLE_REPORT
from model.report import Report

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")
TIMEOUT = 300                       # generous (a shared, loaded machine): a hang fails, nothing is timed
MEM_LIMIT = 2 * 1024 ** 3           # address space of a CLI run

posix = pytest.mark.skipif(os.name != "posix", reason="FIFOs, devices and signals are POSIX")


def _limit() -> None:               # pragma: no cover - runs in the child
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (MEM_LIMIT, MEM_LIMIT))
    except (ImportError, ValueError, OSError):
        pass


def cli(*args: str | Path, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run ``main.py ARGS`` as the user does; asserts no traceback and a bounded run."""
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd or ROOT,
                          preexec_fn=_limit if os.name == "posix" else None,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert "Traceback" not in proc.stdout, proc.stdout[-2000:]
    return proc.returncode, proc.stdout, proc.stderr


def refused(code: int, out: str, err: str, status: int = 2) -> str:
    assert code == status, (code, out[-500:], err[-500:])
    text = out + err
    assert CJK.search(text), text
    return text


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def example_data() -> dict:
    return json.loads(EXAMPLE_REPORT.read_text(encoding="utf-8"))


def write_project(path: Path, mutate) -> Path:
    doc = example_data()
    mutate(doc["report"])
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------
# item 9: non-regular files are refused before they are opened
# --------------------------------------------------------------------------

@posix
@pytest.mark.parametrize("name", ["pipe.txt", "pipe.nianbao", "pipe.docx", "pipe.html", "pipe.xlsx"])
def test_a_fifo_is_refused_by_check_without_hanging(tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    text = refused(*cli("check", fifo))
    assert "命名管道" in text
    assert listing(tmp_path) == [name]


@posix
def test_a_fifo_as_reference_docx_last_year_register_and_mapping_is_refused(tmp_path):
    fifo = tmp_path / "ref.docx"
    os.mkfifo(fifo)
    out = tmp_path / "out.docx"
    assert "命名管道" in refused(*cli("render", EXAMPLE_REPORT, "--to", out, "--force",
                                      "--reference-docx", fifo))
    assert "命名管道" in refused(*cli("check", EXAMPLE_REPORT, "--last-year", fifo))
    assert "命名管道" in refused(*cli("register", fifo, "--suggest-mapping"))
    reg = ROOT / "tests" / "fixtures" / "register"
    csv = next(reg.glob("*.csv"))
    assert "命名管道" in refused(*cli("register", csv, "--mapping", fifo, "--year", "2025"))
    assert not out.exists()


@posix
def test_device_links_and_folders_named_like_reports_are_refused(tmp_path):
    (tmp_path / "zero.docx").symlink_to("/dev/zero")
    (tmp_path / "folder.docx").mkdir()
    (tmp_path / "broken.html").symlink_to(tmp_path / "gone.html")
    assert "设备文件" in refused(*cli("check", tmp_path / "zero.docx"))
    assert "文件夹" in refused(*cli("check", tmp_path / "folder.docx"))
    assert "链接已失效" in refused(*cli("check", tmp_path / "broken.html"))
    out = tmp_path / "o.docx"
    text = refused(*cli("render", EXAMPLE_REPORT, "--to", out, "--force", "--reference-docx",
                        tmp_path / "zero.docx"))
    assert "设备文件" in text and not out.exists()


def test_reference_docx_goes_through_the_safe_zip_reader(tmp_path):
    bomb = tmp_path / "styles_bomb.docx"
    with zipfile.ZipFile(ROOT / "resources" / "reference.docx") as src, \
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/styles.xml":
                dst.writestr(info, src.read(info))
        with dst.open("word/styles.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?>')
            chunk = b" " * (1024 * 1024)
            for _ in range(300):
                fh.write(chunk)
    out = tmp_path / "o.docx"
    text = refused(*cli("render", EXAMPLE_REPORT, "--to", out, "--force", "--reference-docx", bomb))
    assert "参考文档" in text and not out.exists()


# --------------------------------------------------------------------------
# item 6: values outside the bounds are refused by the loader
# --------------------------------------------------------------------------

def _fee(v):
    def m(r):
        r["cells"]["t3.fee.amount"] = v
    return m


HUGE_PROJECTS = {
    "fee_1e100000": _fee("1e100000"),
    "fee_1e999999999": _fee("1e999999999"),
    "fee_int_4000_digits": lambda r: r["cells"].__setitem__("t3.fee.amount", "RAW:" + "9" * 4000),
    "count_5000_digits": lambda r: r["cells"].__setitem__("t3.new.person", "RAW:" + "7" * 5000),
    "title_line_5": lambda r: r.__setitem__("structure", {"title_line": 5}),
    "headings_not_list": lambda r: r.__setitem__("structure", {"headings": 5}),
    "section_3_4m": lambda r: r["sections"].__setitem__("overview", "字" * 3_400_000),
    "agency_list": lambda r: r.__setitem__("agency", ["a"]),
}


def _fee_cell() -> str:
    from model import schema
    return next(cid for cid, d in schema.CELLS.items() if d.kind == "decimal")


@pytest.mark.parametrize("case", sorted(HUGE_PROJECTS))
def test_a_project_file_with_values_beyond_the_bounds_is_refused_in_chinese(tmp_path, case):
    doc = example_data()
    fee = _fee_cell()
    rep = doc["report"]
    if case.startswith("fee"):
        rep["cells"].pop("t3.fee.amount", None)
    HUGE_PROJECTS[case](rep)
    if "t3.fee.amount" in rep["cells"]:
        rep["cells"][fee] = rep["cells"].pop("t3.fee.amount")
    text = json.dumps(doc, ensure_ascii=False)
    text = re.sub(r'"RAW:(\d+)"', r"\1", text)          # a bare JSON number of thousands of digits
    p = tmp_path / f"{case}.nianbao"
    p.write_text(text, encoding="utf-8")
    before = p.read_bytes()
    msg = refused(*cli("check", p))
    assert "项目文件" in msg or "内容有误" in msg
    for fmt in ("docx", "xlsx"):
        out = tmp_path / f"o.{fmt}"
        refused(*cli("render", p, "--to", out, "--force"))
        assert not out.exists()
    assert p.read_bytes() == before
    assert listing(tmp_path) == [p.name]


def test_save_and_load_apply_the_same_bounds(tmp_path):
    r = project.load(EXAMPLE_REPORT)
    r.sections["overview"] = "字" * 200_000               # at the bound: saved and opened again
    project.save(r, tmp_path / "ok.nianbao")
    assert project.load(tmp_path / "ok.nianbao").sections["overview"] == r.sections["overview"]
    r.sections["overview"] = "字" * 200_001
    with pytest.raises(ProjectError, match="上限"):
        project.save(r, tmp_path / "no.nianbao")
    r.sections["overview"] = ""
    r.values[_fee_cell()] = Decimal("1e30")
    with pytest.raises(ProjectError, match="超出范围"):
        project.save(r, tmp_path / "no.nianbao")
    assert not (tmp_path / "no.nianbao").exists()
    assert listing(tmp_path) == ["ok.nianbao"]


def test_import_refuses_what_could_never_be_opened(tmp_path):
    """A page whose text no project file can hold is refused, not saved as a file load refuses."""
    src = (ROOT / "tests" / "fixtures" / "import" / "report_seedlike.txt").read_text(encoding="utf-8")
    lines = src.splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.strip().startswith("一、"))
    lines.insert(i + 1, "本年度" * 80_000)           # 240 000 characters in one section
    big = tmp_path / "big.txt"
    big.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "big.nianbao"
    text = refused(*cli("import", big, "-o", out))
    assert "上限" in text and not out.exists()


# --------------------------------------------------------------------------
# items 7 and 8: control characters and huge paragraphs in every writer
# --------------------------------------------------------------------------

BAD = "\x01\x07\x1b[31m\ufffe\uffff"


def _dirty_txt(path: Path) -> Path:
    src = (ROOT / "tests" / "fixtures" / "import" / "report_seedlike.txt").read_text(encoding="utf-8")
    src = src.replace("一、", f"一、{BAD}", 1).replace("年", f"年{BAD}", 3)
    path.write_text(src, encoding="utf-8")
    return path


def _dirty_project(path: Path) -> Path:
    def m(r):
        r["agency"] = r["agency"] + BAD + "\\ud800"
        for k in r["sections"]:
            r["sections"][k] += BAD
    write_project(path, m)
    # a lone surrogate as a JSON escape
    path.write_text(path.read_text(encoding="utf-8").replace("\\\\ud800", "\\ud800"), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "txt", "html"])
def test_control_characters_from_an_import_or_a_project_export_cleanly(tmp_path, fmt):
    for src in (_dirty_txt(tmp_path / "dirty.txt"), _dirty_project(tmp_path / "dirty.nianbao")):
        out = tmp_path / f"{src.stem}-{src.suffix[1:]}.{fmt}"
        code, o, e = cli("render", src, "--to", out, "--force")
        assert code == 0, e
        if fmt in ("docx", "xlsx"):
            with zipfile.ZipFile(out) as zf:
                parts = [zf.read(n) for n in zf.namelist() if n.endswith((".xml", ".rels"))]
        else:
            parts = [out.read_bytes()]
        for data in parts:
            text = data.decode("utf-8")
            assert not re.search("[\x01\x07\x1b\ufffe\uffff]", text)


def test_writers_are_safe_on_their_own(tmp_path):
    from model.render import render
    from model.render.docx_writer import xml_text
    r = project.load(EXAMPLE_REPORT)
    r.agency += BAD + "\ud800"
    r.sections["other"] += BAD + "\ud800"
    r.raw[_fee_cell()] = "无" + BAD
    for fmt in ("docx", "xlsx", "txt", "html"):
        out = render(r, fmt)
        (out.encode("utf-8") if isinstance(out, str) else out)
    with pytest.raises(RenderError, match="上限"):
        xml_text("字" * 3_400_000)
    r.sections["other"] = "字" * 3_400_000
    with pytest.raises(RenderError, match="上限"):
        render(r, "docx")


def test_audit_xlsx_and_combine_breakdown_with_control_characters(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _dirty_project(folder / "bel\x07name.nianbao")
    shutil.copy(EXAMPLE_REPORT, folder / "plain.nianbao")
    out = tmp_path / "audit.xlsx"
    code, o, e = cli("audit", folder, "--out", out, "--workers", "1")
    assert code in (0, 1) and out.is_file(), e
    assert "\x07" not in o and "\\x07" in o
    b = tmp_path / "b.xlsx"
    code, o, e = cli("combine", folder / "bel\x07name.nianbao", folder / "plain.nianbao",
                     "-o", tmp_path / "sum.nianbao", "--breakdown", b, "--agency", "汇总" + BAD)
    assert code in (0, 1) and b.is_file(), e
    assert "\x1b" not in o + e


# --------------------------------------------------------------------------
# item 11: broken pipes and internal errors
# --------------------------------------------------------------------------

def test_check_piped_into_head_ends_quietly(tmp_path):
    files_ = [str(EXAMPLE_REPORT)] * 400
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "check", *files_],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()                     # what `| head -1` does
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait(timeout=TIMEOUT)
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_an_internal_error_exits_3_with_a_chinese_message():
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        import model.rules
        def boom(*a, **k):
            raise RuntimeError("kaboom")
        model.rules.check = boom
        from model.cli import main
        sys.exit(main(["check", {str(EXAMPLE_REPORT)!r}]))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=TIMEOUT, cwd=ROOT)
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr and "内部错误" in proc.stderr


# --------------------------------------------------------------------------
# items 12-13: the template sandbox
# --------------------------------------------------------------------------

TEMPLATE_ATTACKS = {
    "nested_range": "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    "lipsum": "{{ lipsum(1000000) }}",
    "power": "{{ 7 ** 30000000 }}",
    "format_width": "{{ '{:>999999999}'.format('x') }}",
    "format_nested": "{{ '{:>{}}'.format('x', 999999999) }}",
    "format_map": "{{ '{0.__class__}'.format_map({'0': 1}) }}",
    "repeat": "{{ 'x' * 300000000 }}",
    "range_1e9": "{{ range(10**9)|list|length }}",
    "percent_width": "{{ '%999999999s' % 'x' }}",
    "center": "{{ 'x'|center(999999999) }}",
    "str_ljust": "{{ 'x'.ljust(999999999) }}",
    "replace_bomb": "{{ ('a' * 100000)|replace('a', 'a' * 100000) }}",
    "slice": "{{ [1]|slice(1000000000)|list|length }}",
    "output_flood": "{% for i in range(10000) %}{% for j in range(10000) %}"
                    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}",
    "self_extends": "{% extends 'report.txt.j2' %}",
    "recursion": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "syntax": "{% for %}",
    "undefined": "{{ nope.nothing }}",
    "mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
}


@pytest.mark.parametrize("name", sorted(TEMPLATE_ATTACKS))
def test_template_attacks_end_in_a_chinese_render_error(tmp_path, name):
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "report.txt.j2").write_text(TEMPLATE_ATTACKS[name], encoding="utf-8")
    out = tmp_path / "out.txt"
    refused(*cli("render", EXAMPLE_REPORT, "--to", out, "--force", "--templates", tpl))
    assert not out.exists()
    assert listing(tmp_path) == ["tpl", "tpl/report.txt.j2"]


@posix
def test_template_symlinks_out_of_the_folder_are_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER", encoding="utf-8")
    for i, (entry, src) in enumerate([("report.txt.j2", secret),
                                      ("root", Path("/"))]):
        tpl = tmp_path / f"tpl{i}"
        tpl.mkdir()
        (tpl / entry).symlink_to(src)
        if entry == "root":
            (tpl / "report.txt.j2").write_text('{% include "root' + str(secret) + '" %}'
                                               '{% include "root/etc/passwd" %}', encoding="utf-8")
        out = tmp_path / f"out{i}.txt"
        text = refused(*cli("render", EXAMPLE_REPORT, "--to", out, "--force", "--templates", tpl))
        assert "模板文件夹之外" in text and "TOP-SECRET-MARKER" not in text and not out.exists()
    fifo_dir = tmp_path / "tplfifo"
    fifo_dir.mkdir()
    os.mkfifo(fifo_dir / "report.txt.j2")
    assert "命名管道" in refused(*cli("render", EXAMPLE_REPORT, "--to", tmp_path / "f.txt",
                                      "--force", "--templates", fifo_dir))


def test_an_ordinary_user_template_still_renders(tmp_path):
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "report.txt.j2").write_text(
        "{% extends 'nianbao/report.txt.j2' %}{% block title %}自定义：{{ title }}"
        "{% for i in range(3) %}{{ '{:>3}'.format(i) }}{% endfor %}{% endblock %}", encoding="utf-8")
    out = tmp_path / "out.txt"
    code, _o, e = cli("render", EXAMPLE_REPORT, "--to", out, "--force", "--templates", tpl)
    assert code == 0, e
    assert out.is_file()


# --------------------------------------------------------------------------
# items 1 and 14: concurrent saves, symlinks, modes, temporary files
# --------------------------------------------------------------------------

SAVER = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[1])
    from model import project
    r = project.load(sys.argv[2])
    bad = 0
    for i in range(int(sys.argv[4])):
        r.sections["other"] = sys.argv[3] + str(i)
        try:
            project.save(r, sys.argv[2])
        except Exception as e:
            bad += 1
            print("FAIL", e, flush=True)
    print("done", bad, flush=True)
""")


def test_concurrent_saves_never_fail_nor_damage(tmp_path):
    target = tmp_path / "shared.nianbao"
    shutil.copy(EXAMPLE_REPORT, target)
    procs = [subprocess.Popen([sys.executable, "-c", SAVER, str(ROOT), str(target), tag, "150"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
             for tag in ("A", "B", "C")]
    for p in procs:
        out, err = p.communicate(timeout=TIMEOUT * 2)
        assert "done 0" in out, (out[-800:], err[-800:])
    back = project.load(target)                       # whole
    assert re.fullmatch(r"[ABC]149", back.sections["other"])
    assert listing(tmp_path) == ["shared.nianbao"]


@posix
def test_a_save_leaves_another_live_process_temp_file_alone(tmp_path):
    target = tmp_path / "x.nianbao"
    shutil.copy(EXAMPLE_REPORT, target)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        tag = files._host_tag()
        live_tmp = tmp_path / f".x.nianbao.{tag}-{sleeper.pid}.abcd1234.tmp"
        dead_tmp = tmp_path / f".x.nianbao.{tag}-{dead.pid}.abcd1234.tmp"
        foreign = tmp_path / ".x.nianbao.someone.tmp"
        for p in (live_tmp, dead_tmp, foreign):
            p.write_bytes(b"in progress")
        project.save(project.load(target), target)
        assert live_tmp.exists() and foreign.exists()      # not ours to remove
        assert not dead_tmp.exists()                       # left by a killed save: cleaned up
    finally:
        sleeper.kill()
        sleeper.wait()


@posix
def test_saving_a_symlinked_project_keeps_the_link_and_the_mode(tmp_path):
    real = tmp_path / "store" / "real.nianbao"
    real.parent.mkdir()
    shutil.copy(EXAMPLE_REPORT, real)
    os.chmod(real, 0o640)
    link = tmp_path / "link.nianbao"
    link.symlink_to(real)
    r = project.load(link)
    r.sections["other"] = "改过"
    project.save(r, link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert project.load(real).sections["other"] == "改过"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    new = tmp_path / "new.nianbao"
    old_mask = os.umask(0o022)
    try:
        project.save(r, new)
        code, _o, e = cli("audit", real.parent, "--out", tmp_path / "sum.xlsx", "--workers", "1")
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o644          # the user's umask, not 0600
    assert stat.S_IMODE((tmp_path / "sum.xlsx").stat().st_mode) == 0o644, e


KILLED_EXPORT = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, sys.argv[1])
    from pathlib import Path
    from model.files import make_temp
    fd, tmp = make_temp(Path(sys.argv[2]))
    os.write(fd, b"half an export")
    os.kill(os.getpid(), signal.SIGKILL)
""")


@posix
def test_a_temp_file_left_by_a_killed_export_is_removed_by_the_next_export(tmp_path):
    out = tmp_path / "r.docx"
    proc = subprocess.run([sys.executable, "-c", KILLED_EXPORT, str(ROOT), str(out)], timeout=TIMEOUT)
    assert proc.returncode == -signal.SIGKILL
    assert len(list(tmp_path.glob(".r.docx.*.tmp"))) == 1
    code, _o, e = cli("render", EXAMPLE_REPORT, "--to", out, "--force")
    assert code == 0, e
    assert listing(tmp_path) == ["r.docx"]


# --------------------------------------------------------------------------
# items 15-17: UTF-16 without BOM, audit listings, names, OS errors
# --------------------------------------------------------------------------

def test_utf16_text_without_bom_is_read(tmp_path):
    src = (ROOT / "tests" / "fixtures" / "import" / "report_seedlike.txt").read_text(encoding="utf-8")
    for enc in ("utf-16-le", "utf-16-be"):
        p = tmp_path / f"{enc}.txt"
        p.write_bytes(src.encode(enc))
        code, out, err = cli("check", p)
        assert code in (0, 1), err + out
        assert "无法识别" not in out


@posix
def test_audit_lists_every_unreadable_entry_with_its_reason(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE_REPORT, folder / "good.nianbao")
    os.mkfifo(folder / "pipe.txt")
    (folder / "null.docx").symlink_to("/dev/null")
    (folder / "dir.docx").mkdir()
    (folder / "broken.html").symlink_to(folder / "nowhere.html")
    code, out, err = cli("audit", folder, "--workers", "1")
    assert code in (0, 1), err
    assert "无法读取（4）" in out
    for name, why in [("pipe.txt", "命名管道"), ("null.docx", "设备文件"), ("dir.docx", "文件夹"),
                      ("broken.html", "链接已失效")]:
        line = next(ln for ln in out.splitlines() if ln.strip().startswith(name))
        assert why in line, line


def test_a_report_whose_check_crashed_is_not_a_baseline(tmp_path, monkeypatch):
    from model import audit as audit_mod
    from model import rules
    folder = tmp_path / "in"
    folder.mkdir()
    this = project.load(EXAMPLE_REPORT)
    last = this.copy()
    last.year = this.year - 1
    last.baseline = None
    project.save(this, folder / "this.nianbao")
    project.save(last, folder / "last.nianbao")
    real = rules.check

    def check(report):
        if report.year == last.year:
            raise RuntimeError("checker crashed")
        return real(report)
    monkeypatch.setattr(rules, "check", check)
    result = audit_mod.audit(folder, workers=1)
    assert [u.file for u in result.unreadable] == ["last.nianbao"]
    row = next(r for r in result.rows if r.file == "this.nianbao")
    assert row.baseline_file is None


@posix
def test_file_names_cannot_forge_lines_or_reach_the_terminal_raw(tmp_path):
    forged = tmp_path / "a\n== forged.nianbao：甲 2024 年\n  错误 0 项.nianbao"
    shutil.copy(EXAMPLE_REPORT, forged)
    esc = tmp_path / "b\x1b]0;pwned\x07\x1b[2J.nianbao"
    shutil.copy(EXAMPLE_REPORT, esc)
    code, out, err = cli("check", forged, esc)
    assert code in (0, 1)
    assert not any(ln.startswith("== forged") for ln in out.splitlines())
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "\\n== forged" in out and "\\x1b" in out
    code, out, err = cli("audit", tmp_path, "--workers", "1")
    assert not any(ln.lstrip().startswith("== forged") for ln in out.splitlines())
    assert "\x1b" not in out + err


def test_os_errors_are_given_in_chinese(tmp_path):
    folder = tmp_path / "adir.nianbao"
    folder.mkdir()
    code, out, err = cli("import", EXAMPLE_REPORT, "-o", folder)
    text = refused(code, out, err)
    assert "Is a directory" not in text and "文件夹" in text
    for code_name, zh in [("ENOSPC", "磁盘空间已满"), ("EROFS", "只读"), ("ENAMETOOLONG", "太长"),
                          ("ELOOP", "符号链接"), ("EACCES", "没有权限"), ("EISDIR", "文件夹"),
                          ("ENOENT", "不存在")]:
        e = OSError(getattr(errno, code_name), os.strerror(getattr(errno, code_name)))
        assert zh in os_reason(e)
        assert not re.search(r"[A-Za-z]{4,}", os_reason(e))


def test_a_name_too_long_is_refused_in_chinese(tmp_path):
    code, out, err = cli("render", EXAMPLE_REPORT, "--to", tmp_path / ("长" * 200 + ".txt"), "--force")
    text = refused(code, out, err)
    assert "File name too long" not in text and "太长" in text


def test_a_project_save_does_not_leave_a_temp_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "x.nianbao"

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ProjectError, match="磁盘空间已满"):
        project.save(Report.zeros(), target)
    assert listing(tmp_path) == []
