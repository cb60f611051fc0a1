"""One atomic writer and one capped reader (issue 13, part 4): every save, export and
reader goes through :mod:`model.files`, so each keeps a symbolic link, the file's mode, and
says a failure in Chinese."""
from __future__ import annotations

import io
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from model import files
from model.cli import main as cli_main
from model.errors import RenderError
from model.example import build
from model.importers import safety
from model.paths import EXAMPLE_REPORT
from model.register import Mapping, RegisterError, save_mapping
from model.render import export

ROOT = Path(__file__).resolve().parents[1]
posix = pytest.mark.skipif(os.name != "posix", reason="symbolic links and modes are POSIX")


def _english(text: str) -> bool:
    """An English OS reason (``No such file or directory``) left in a message."""
    return bool(re.search(r"[A-Za-z]{4,} [a-z]{2,}", text))


@posix
def test_an_export_through_a_symlink_keeps_the_link_and_the_mode(tmp_path):
    real = tmp_path / "共享" / "报告.txt"
    real.parent.mkdir()
    real.write_text("旧的", encoding="utf-8")
    os.chmod(real, 0o640)
    link = tmp_path / "报告.txt"
    link.symlink_to(real)
    export(build(), link, force=True)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "政府信息公开工作年度报告" in real.read_text(encoding="utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert [p.name for p in real.parent.iterdir()] == ["报告.txt"]     # no temp file left


def test_an_export_into_a_missing_folder_is_refused_in_chinese(tmp_path):
    with pytest.raises(RenderError, match="文件夹.*不存在"):
        export(build(), tmp_path / "没有" / "r.txt", force=True)


def test_saving_a_mapping_into_a_missing_folder_is_said_in_chinese(tmp_path):
    with pytest.raises(RegisterError) as exc:
        save_mapping(Mapping(), tmp_path / "没有" / "对应.json")
    assert "不存在" in str(exc.value) and not _english(str(exc.value)), str(exc.value)


def test_compare_html_into_a_missing_folder_is_said_in_chinese(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    code = cli_main(["compare", str(EXAMPLE_REPORT), str(EXAMPLE_REPORT),
                     "--html", str(tmp_path / "没有" / "对照.html")], out, err)
    assert code != 0
    assert "不存在" in err.getvalue() and not _english(err.getvalue()), err.getvalue()


def test_write_file_keeps_a_live_processes_temp_and_removes_a_dead_ones(tmp_path):
    target = tmp_path / "x.txt"
    live_fd, live = files.make_temp(target)          # this process: a save in progress
    os.close(live_fd)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f".x.txt.{files._host_tag()}-{dead}.abc.tmp"
    stale.write_bytes(b"half")
    files.write_file(target, "新的")
    assert target.read_text(encoding="utf-8") == "新的"
    assert Path(live).exists() and not stale.exists()


def test_the_readers_cap_is_the_capped_reader(tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "大.html"
    big.write_bytes(b"<html>" + b"x" * 2000)
    with pytest.raises(safety.ReadError, match="文件太大"):
        safety.load_bytes(big)
    fifo = tmp_path / "管道.docx"
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
        with pytest.raises(safety.ReadError, match="命名管道"):
            safety.load_bytes(fifo)
