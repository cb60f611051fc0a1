"""Project files: one report per ``.nianbao`` file, UTF-8 JSON.

The file carries a format marker and version, the canonical cell ids, the fee
as a decimal string, and last year's report (the baseline) when there is one.
Saving is atomic: a temporary file in the same folder is written, flushed,
fsynced and renamed over the old one, so a crash mid-save leaves the old file
whole.  Loading never writes anything.
"""
from __future__ import annotations

import json
import os
import tempfile
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from . import schema
from .errors import ProjectError
from .files import read_capped
from .report import Report, Structure
from .schema import CELLS, FORMAT_2019, FORMAT_2021, TEXT_SECTIONS, Level, Tier

FORMAT_MARKER = "nianbao-project"
VERSION = 1
SUFFIX = ".nianbao"
MAX_PROJECT_BYTES = 20 * 1024 * 1024
APP_NAME = "Nianbao 年报"


# --------------------------------------------------------------------------
# Report <-> plain data
# --------------------------------------------------------------------------

def report_to_data(report: Report, *, with_baseline: bool = True) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    for cid, d in CELLS.items():
        v = report.values.get(cid)
        if v is None:
            cells[cid] = None
        elif d.kind == "decimal":
            cells[cid] = format(Decimal(v), "f")
        else:
            cells[cid] = int(v)
    data: dict[str, Any] = {
        "agency": report.agency,
        "year": report.year,
        "level": report.level.value,
        "tier": report.tier.value,
        "publish_date": report.publish_date.isoformat() if report.publish_date else None,
        "format": report.format,
        "sections": {s: report.sections.get(s, "") for s in TEXT_SECTIONS},
        "cells": cells,
        "raw": dict(sorted(report.raw.items())),
        "baseline_own": report.baseline_own,
        "structure": None,
    }
    if report.structure is not None:
        st = report.structure
        data["structure"] = {
            "title_line": st.title_line,
            "headings": list(st.headings),
            "subheads": {k: list(v) for k, v in st.subheads.items()},
            "label_variants": [list(p) for p in st.label_variants],
            "unplaced": list(st.unplaced),
        }
    if with_baseline:
        data["baseline"] = (report_to_data(report.baseline, with_baseline=False)
                            if report.baseline is not None else None)
    return data


def _bad(what: str) -> ProjectError:
    return ProjectError(f"项目文件内容有误：{what}。文件没有被修改。")


def _str(d: dict, key: str, default: str = "") -> str:
    v = d.get(key, default)
    if v is None:
        return default
    if not isinstance(v, str):
        raise _bad(f"“{key}”应为文字")
    return v


def report_from_data(d: Any, *, with_baseline: bool = True) -> Report:
    if not isinstance(d, dict):
        raise _bad("报告数据不是对象")
    r = Report()
    r.agency = _str(d, "agency")
    year = d.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)
                             or not 1900 <= year <= 2999):
        raise _bad(f"年度“{year}”无效")
    r.year = year
    try:
        r.level = Level(d.get("level", Level.DEPARTMENT.value))
    except ValueError:
        raise _bad(f"机关层级“{d.get('level')}”无效") from None
    try:
        r.tier = Tier(d.get("tier", Tier.UNKNOWN.value))
    except ValueError:
        raise _bad(f"行政层级“{d.get('tier')}”无效") from None
    pd = d.get("publish_date")
    if pd is not None:
        try:
            r.publish_date = date.fromisoformat(pd)
        except (TypeError, ValueError):
            raise _bad(f"发布日期“{pd}”无效") from None
    fmt = d.get("format", FORMAT_2021)
    if fmt not in (FORMAT_2021, FORMAT_2019):
        raise _bad(f"报告格式“{fmt}”无效")
    r.format = fmt
    sections = d.get("sections", {})
    if not isinstance(sections, dict):
        raise _bad("“sections”应为对象")
    for s in TEXT_SECTIONS:
        v = sections.get(s, "")
        if not isinstance(v, str):
            raise _bad(f"正文“{schema.SECTION_BY_ID[s].heading}”应为文字")
        r.sections[s] = v
    cells = d.get("cells", {})
    if not isinstance(cells, dict):
        raise _bad("“cells”应为对象")
    for cid, v in cells.items():
        if cid not in CELLS:
            raise _bad(f"未知的单元格编号“{cid}”")
        if v is None:
            r.values[cid] = None
        elif CELLS[cid].kind == "decimal":
            if not isinstance(v, (str, int)) or isinstance(v, bool):
                raise _bad(f"{CELLS[cid].label} 的金额应写成数字文字")
            try:
                r.values[cid] = Decimal(str(v))
            except InvalidOperation:
                raise _bad(f"{CELLS[cid].label} 的金额“{v}”不是数字") from None
            if not r.values[cid].is_finite():
                raise _bad(f"{CELLS[cid].label} 的金额“{v}”不是数字")
        else:
            if not isinstance(v, int) or isinstance(v, bool):
                raise _bad(f"{CELLS[cid].label} 应为整数，现为“{v}”")
            r.values[cid] = v
    raw = d.get("raw", {})
    if not isinstance(raw, dict) or any(k not in CELLS or not isinstance(v, str)
                                        for k, v in raw.items()):
        raise _bad("“raw”无效")
    r.raw = dict(raw)
    r.baseline_own = bool(d.get("baseline_own", True))
    st = d.get("structure")
    if st is not None:
        try:
            r.structure = Structure(
                title_line=st.get("title_line"),
                headings=[str(h) for h in st.get("headings", [])],
                subheads={str(k): [str(x) for x in v] for k, v in st.get("subheads", {}).items()},
                label_variants=[(str(a), str(b)) for a, b in st.get("label_variants", [])],
                unplaced=[str(c) for c in st.get("unplaced", []) if c in CELLS],
            )
        except (AttributeError, TypeError, ValueError):
            raise _bad("“structure”无效") from None
    if with_baseline and d.get("baseline") is not None:
        r.baseline = report_from_data(d["baseline"], with_baseline=False)
    return r


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------

def dumps(report: Report) -> str:
    doc = {
        "format": FORMAT_MARKER,
        "version": VERSION,
        "app": APP_NAME,
        "saved_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "report": report_to_data(report),
    }
    return json.dumps(doc, ensure_ascii=False, indent=1)


def loads(text: str, name: str = "项目文件") -> Report:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise ProjectError(f"“{name}”已损坏，无法读取（第 {e.lineno} 行第 {e.colno} 列格式错误）。"
                           "文件没有被修改；如有自动保存或备份，请从中恢复。") from None
    except RecursionError:
        raise ProjectError(f"“{name}”已损坏，无法读取（嵌套过深）。文件没有被修改。") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_MARKER:
        raise ProjectError(f"“{name}”不是年报项目文件（.nianbao）。如果这是已发布的报告，请使用“导入”。")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProjectError(f"“{name}”的格式版本无效，无法读取。文件没有被修改。")
    if version > VERSION:
        raise ProjectError(f"“{name}”由较新版本的年报软件保存（文件格式版本 {version}），"
                           f"当前软件只能读取版本 {VERSION} 及以下。请升级软件后再打开；文件没有被修改。")
    return report_from_data(doc.get("report"))


def load(path: str | os.PathLike) -> Report:
    p = Path(path)
    data = read_capped(p, MAX_PROJECT_BYTES, "项目文件", ProjectError)
    if not data.strip():
        raise ProjectError(f"“{p.name}”是空文件，不是年报项目文件。")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProjectError(f"“{p.name}”不是年报项目文件（不是 UTF-8 文本，可能已损坏或是其他类型的文件）。"
                           "文件没有被修改。") from None
    return loads(text, p.name)


def normal_file_mode() -> int:
    """The mode a new file of the user's gets (0o666 less the umask; 0o644 if unknown)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o644


def atomic_write(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` so that ``path`` is always the old or the new file, whole."""
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp makes the file 0600: give it the mode the user's files get (colleagues on a
        # shared folder can read it), or keep the mode of the file it replaces
        os.chmod(tmp, (p.stat().st_mode & 0o777) if p.exists() else normal_file_mode())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    for stale in folder.glob(f".{p.name}.*.tmp"):   # left behind by a save that was killed
        try:
            stale.unlink()
        except OSError:
            pass
    try:  # make the rename itself durable
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def save(report: Report, path: str | os.PathLike) -> None:
    p = Path(path)
    try:
        atomic_write(p, dumps(report).encode("utf-8"))
    except PermissionError:
        raise ProjectError(f"没有权限写入“{p}”，请另存到其他位置。原文件（如有）未被修改。") from None
    except FileNotFoundError:
        raise ProjectError(f"文件夹“{p.parent}”不存在，无法保存。") from None
    except OSError as e:
        raise ProjectError(f"保存“{p.name}”失败：{e.strerror or e}。原文件（如有）未被修改。") from None
