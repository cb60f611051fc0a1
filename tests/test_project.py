"""Project files: round trips, atomic saving, and every kind of bad file."""
from __future__ import annotations

import json
import os
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import project, schema
from model.errors import ProjectError
from model.report import Report, Structure
from model.schema import Level, Tier


def filled() -> Report:
    r = Report.zeros(agency="示例县文化和旅游局", year=2024, level=Level.DEPARTMENT, tier=Tier.COUNTY,
                     publish_date=date(2025, 1, 20))
    r.sections["overview"] = "（一）主动公开\n本年度主动公开信息 120 条。"
    r.sections["problems"] = "存在的问题……\n改进措施……"
    r.sections["other"] = "本年度未收取信息处理费。"
    r.set("t3.new.person", 7)
    r.set("t3.granted.person", 5)
    r.set("t3.carried_out.person", 2)
    r.set(schema.FEE_ID, Decimal("1.2500"))
    r.set("t4.review.upheld", None, raw="/")
    r.recompute_totals()
    return r


def test_round_trip_keeps_everything(tmp_path):
    r = filled()
    last = Report.zeros(agency=r.agency, year=2023)
    last.set("t3.carried_out.person", 3)
    r.baseline = last
    r.structure = Structure(title_line="示例县文化和旅游局2024年政府信息公开工作年度报告",
                            headings=["一、总体情况"], label_variants=[("本年度止件数", "本年废止件数")])
    p = tmp_path / "a.nianbao"
    project.save(r, p)
    back = project.load(p)
    assert back.values == r.values
    assert back.raw == {"t4.review.upheld": "/"}
    assert back.sections == r.sections
    assert (back.agency, back.year, back.level, back.tier, back.publish_date) == \
        (r.agency, 2024, Level.DEPARTMENT, Tier.COUNTY, date(2025, 1, 20))
    assert back.baseline is not None and back.baseline.values == last.values
    assert back.structure == r.structure


def test_file_is_utf8_json_with_version_and_canonical_ids(tmp_path):
    p = tmp_path / "a.nianbao"
    project.save(filled(), p)
    doc = json.loads(p.read_text(encoding="utf-8"))
    assert doc["format"] == "nianbao-project" and doc["version"] == project.VERSION
    cells = doc["report"]["cells"]
    assert set(cells) == set(schema.CELL_IDS)
    assert cells[schema.FEE_ID] == "1.2500"          # the fee as a decimal string
    assert cells["t3.new.total"] == 7
    assert "示例县" in p.read_text(encoding="utf-8")   # not \u-escaped


def test_typed_total_that_disagrees_survives(tmp_path):
    r = filled()
    r.set("t3.new.total", 99)
    p = tmp_path / "a.nianbao"
    project.save(r, p)
    assert project.load(p).values["t3.new.total"] == 99


def test_save_is_atomic_when_the_rename_fails(tmp_path, monkeypatch):
    p = tmp_path / "a.nianbao"
    project.save(filled(), p)
    before = p.read_bytes()

    def boom(*a, **k):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", boom)
    r = filled()
    r.agency = "改过的名字"
    with pytest.raises(ProjectError, match="保存.*失败"):
        project.save(r, p)
    assert p.read_bytes() == before
    assert [x.name for x in tmp_path.iterdir()] == ["a.nianbao"]   # no temp file left


def test_save_into_missing_folder_is_a_chinese_error(tmp_path):
    with pytest.raises(ProjectError, match="不存在"):
        project.save(filled(), tmp_path / "nope" / "a.nianbao")


@pytest.mark.parametrize("content, message", [
    (b"", "空文件"),
    (b"   \n", "空文件"),
    (b"{\"format\": \"nianbao-project\", \"version\": 1, \"report\": {", "已损坏"),
    (b"\x00\x01\x02\xff\xfe binary junk \x89PNG", "不是年报项目文件"),
    (b"[1, 2, 3]", "不是年报项目文件"),
    (b"{\"hello\": 1}", "不是年报项目文件"),
    (json.dumps({"format": "nianbao-project", "version": 99, "report": {}}).encode(), "较新版本"),
    (json.dumps({"format": "nianbao-project", "version": "x", "report": {}}).encode(), "版本无效"),
    (json.dumps({"format": "nianbao-project", "version": 1,
                 "report": {"cells": {"t3.new.person": "abc"}}}).encode(), "应为整数"),
    (json.dumps({"format": "nianbao-project", "version": 1,
                 "report": {"cells": {"t9.bogus": 1}}}).encode(), "未知的单元格编号"),
    (json.dumps({"format": "nianbao-project", "version": 1,
                 "report": {"cells": {"t2.fees.amount": "十万"}}}).encode(), "不是数字"),
    (json.dumps({"format": "nianbao-project", "version": 1,
                 "report": {"year": "二〇二四"}}).encode(), "年度"),
    (json.dumps({"format": "nianbao-project", "version": 1,
                 "report": {"level": "emperor"}}).encode(), "层级"),
    ("{\"format\": \"nianbao-project\"}".encode("gbk") + "中文".encode("gbk"), "不是 UTF-8"),
    (b"[" * 100000 + b"]" * 100000, "损坏|不是年报项目文件"),
])
def test_bad_files_give_chinese_errors_and_change_nothing(tmp_path, content, message):
    p = tmp_path / "bad.nianbao"
    p.write_bytes(content)
    with pytest.raises(ProjectError, match=message):
        project.load(p)
    assert p.read_bytes() == content
    assert [x.name for x in tmp_path.iterdir()] == ["bad.nianbao"]


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ProjectError, match="找不到"):
        project.load(tmp_path / "none.nianbao")
    with pytest.raises(ProjectError, match="文件夹"):
        project.load(tmp_path)


def test_large_and_negative_numbers_in_a_project_file_load_and_are_kept(tmp_path):
    doc = {"format": "nianbao-project", "version": 1,
           "report": {"cells": {"t3.new.person": 10**12, "t3.granted.person": -4}}}
    p = tmp_path / "x.nianbao"
    p.write_text(json.dumps(doc), encoding="utf-8")
    r = project.load(p)       # kept as written; rule C1 says what is wrong with it
    assert r.values["t3.new.person"] == 10**12 and r.values["t3.granted.person"] == -4


def test_a_number_beyond_the_cell_bound_is_refused_with_a_chinese_message(tmp_path):
    doc = {"format": "nianbao-project", "version": 1,
           "report": {"cells": {"t3.new.person": 10**30}}}
    p = tmp_path / "x.nianbao"
    p.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ProjectError, match="超出范围"):
        project.load(p)


counts = st.integers(min_value=0, max_value=10**6)
fees = st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_round_trip_random_reports(tmp_path_factory, data):
    r = Report(agency=data.draw(texts), year=data.draw(st.none() | st.integers(1990, 2100)),
               level=data.draw(st.sampled_from(list(Level))), tier=data.draw(st.sampled_from(list(Tier))))
    for cid, d in schema.CELLS.items():
        r.values[cid] = data.draw(st.none() | (fees if d.kind == "decimal" else counts))
    for s in schema.TEXT_SECTIONS:
        r.sections[s] = data.draw(texts)
    p = tmp_path_factory.mktemp("rt") / "r.nianbao"
    project.save(r, p)
    back = project.load(p)
    # what XML cannot hold (control characters, U+FFFE/U+FFFF) is dropped on the way (issue 14 item 7)
    from model.sanitize import clean_text
    assert back.values == r.values and back.agency == clean_text(r.agency)
    assert back.sections == {k: clean_text(v) for k, v in r.sections.items()}


def test_the_stamp_of_a_loaded_file_is_its_state_on_disk_and_hashes_only_when_compared(tmp_path):
    import hashlib
    import subprocess
    import sys
    from pathlib import Path
    p = tmp_path / "r.nianbao"
    project.save(Report(agency="某局", year=2024), p)
    report, stamp = project.load_with_stamp(p)
    assert stamp is not None and stamp.size == p.stat().st_size
    assert stamp == project.DiskStamp.of(p)                  # the same as a fresh read of the file
    assert stamp.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()
    assert hash(stamp) == hash(project.DiskStamp.of(p))
    p.write_bytes(p.read_bytes().replace("某局".encode(), "某厅".encode()))
    os.utime(p, ns=(stamp.mtime_ns, stamp.mtime_ns))          # same time and size, other content
    assert project.DiskStamp.of(p) != stamp and not stamp.same_content(project.DiskStamp.of(p))
    # opening a file does not load hashlib (and OpenSSL): the window's first paint waits for it
    root = Path(__file__).resolve().parents[1]
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from model import project; "
            "r, s = project.load_with_stamp(sys.argv[2]); print('hashlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(root), str(p)], capture_output=True,
                         text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
