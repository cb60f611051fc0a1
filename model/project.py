"""Project files: one report per ``.nianbao`` file, UTF-8 JSON.

The file carries a format marker and version, the canonical cell ids, the fee
as a decimal string, and last year's report (the baseline) when there is one.
Saving is atomic: a temporary file in the same folder is written, flushed,
fsynced and renamed over the old one, so a crash mid-save leaves the old file
whole (:func:`model.files.atomic_write`: a symbolic link stays a link, the mode
is kept, only this save's temporary file is cleaned up).  Loading never writes
anything.

Load and save apply the same bounds (:func:`validate`): every cell within the
bound of its kind (:data:`CELL_BOUNDS`), every text within
:mod:`model.sanitize`'s lengths, the whole file under :data:`MAX_PROJECT_BYTES`;
so whatever the program saves it can open again, and an import that could never
be saved is refused.  Control characters are removed on load.

:func:`load_with_stamp` also returns the file's :class:`DiskStamp`; a save given
``expect=`` that stamp refuses (:class:`ChangedOnDiskError`) when another
program or instance has replaced the file since it was loaded.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sized
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from . import schema
from .errors import ProjectError, os_reason
from .files import atomic_write, fingerprint, read_capped
from .sanitize import MAX_LIST_ITEMS, MAX_SECTION_CHARS, MAX_SHORT_CHARS, clean_text
from .report import Report, Structure
from .schema import CELLS, FORMAT_2019, FORMAT_2021, TEXT_SECTIONS, Level, Tier

FORMAT_MARKER = "nianbao-project"
VERSION = 1
SUFFIX = ".nianbao"
MAX_PROJECT_BYTES = 20 * 1024 * 1024
APP_NAME = "Nianbao 年报"

# the largest value of each cell kind (schema.CellDef.kind) the rules and every exporter handle;
# totals and combined reports stay far below
CELL_BOUNDS: dict[str, int | Decimal] = {"int": 10**12, "decimal": Decimal(10**12)}
MAX_DECIMAL_PLACES = 10          # more places than any exporter shows; rule C-checks flag over 4
_MAX_NUMBER_TEXT = 40           # characters of a number written in a project file


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
        "agency": clean_text(report.agency),
        "year": report.year,
        "level": report.level.value,
        "tier": report.tier.value,
        "publish_date": report.publish_date.isoformat() if report.publish_date else None,
        "format": report.format,
        "sections": {s: clean_text(report.sections.get(s, "")) for s in TEXT_SECTIONS},
        "cells": cells,
        "raw": {k: clean_text(v) for k, v in sorted(report.raw.items())},
        "baseline_own": report.baseline_own,
        "structure": None,
    }
    if report.structure is not None:
        st = report.structure
        data["structure"] = {
            "title_line": clean_text(st.title_line) if isinstance(st.title_line, str) else None,
            "headings": [clean_text(h) for h in st.headings],
            "subheads": {clean_text(k): [clean_text(x) for x in v] for k, v in st.subheads.items()},
            "label_variants": [[clean_text(a), clean_text(b)] for a, b in st.label_variants],
            "unplaced": list(st.unplaced),
        }
    if with_baseline:
        data["baseline"] = (report_to_data(report.baseline, with_baseline=False)
                            if report.baseline is not None else None)
    return data


def _bad(what: str) -> ProjectError:
    return ProjectError(f"项目文件内容有误：{what}。文件没有被修改。")


def _str(d: dict, key: str, default: str = "", limit: int = MAX_SHORT_CHARS) -> str:
    v = d.get(key, default)
    if v is None:
        return default
    if not isinstance(v, str):
        raise _bad(f"“{key}”应为文字")
    if len(v) > limit:
        raise _bad(f"“{key}”太长（{len(v)} 字，上限 {limit} 字）")
    return clean_text(v)


def _text(v: Any, what: str, limit: int = MAX_SHORT_CHARS) -> str:
    if not isinstance(v, str):
        raise _bad(f"{what}应为文字")
    if len(v) > limit:
        raise _bad(f"{what}太长（{len(v)} 字，上限 {limit} 字）")
    return clean_text(v)


def _list(v: Any, what: str) -> list:
    if not isinstance(v, list):
        raise _bad(f"{what}应为列表")
    if len(v) > MAX_LIST_ITEMS:
        raise _bad(f"{what}项数太多（{len(v)} 项，上限 {MAX_LIST_ITEMS} 项）")
    return v


def _decimal(cid: str, v: Any) -> Decimal:
    label = CELLS[cid].label
    if not isinstance(v, (str, int)) or isinstance(v, bool):
        raise _bad(f"{label} 的金额应写成数字文字")
    text = v if isinstance(v, str) else None
    if isinstance(v, int):
        if v.bit_length() > 64:
            raise _bad(f"{label} 的金额超出范围（上限 {CELL_BOUNDS['decimal']}）")
        text = str(v)
    assert text is not None
    if len(text) > _MAX_NUMBER_TEXT:
        raise _bad(f"{label} 的金额“{text[:20]}…”超出范围（上限 {CELL_BOUNDS['decimal']}）")
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise _bad(f"{label} 的金额“{text}”不是数字") from None
    if not d.is_finite():
        raise _bad(f"{label} 的金额“{text}”不是数字")
    exp = d.as_tuple().exponent
    if not isinstance(exp, int) or abs(exp) > _MAX_NUMBER_TEXT or d.adjusted() > 15:
        raise _bad(f"{label} 的金额“{text}”超出范围（上限 {CELL_BOUNDS['decimal']}）")
    return d


def _cell_error(cid: str, v: Any) -> str | None:
    """Why ``v`` is outside the bounds of cell ``cid``, or None."""
    d = CELLS[cid]
    bound = CELL_BOUNDS[d.kind]
    if d.kind == "decimal":
        if not isinstance(v, Decimal) or not v.is_finite():
            return f"{d.label} 的金额不是数字"
        if abs(v) > bound:
            return f"{d.label} 的金额 {v} 超出范围（绝对值上限 {bound} 万元）"
        exp = v.normalize().as_tuple().exponent
        if isinstance(exp, int) and -exp > MAX_DECIMAL_PLACES:
            return f"{d.label} 的金额 {v} 小数超过 {MAX_DECIMAL_PLACES} 位"
        return None
    if not isinstance(v, int) or isinstance(v, bool):
        return f"{d.label} 应为整数"
    if abs(v) > bound:     # a negative count is kept: rule C1 names it
        shown = str(v) if v.bit_length() < 128 else "（位数过多）"
        return f"{d.label} 的数值 {shown} 超出范围（绝对值上限 {bound}）"
    return None


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
        r.sections[s] = _text(v, f"正文“{schema.SECTION_BY_ID[s].heading}”", MAX_SECTION_CHARS)
    cells = d.get("cells", {})
    if not isinstance(cells, dict):
        raise _bad("“cells”应为对象")
    for cid, v in cells.items():
        if cid not in CELLS:
            raise _bad(f"未知的单元格编号“{cid}”")
        if v is None:
            r.values[cid] = None
        elif CELLS[cid].kind == "decimal":
            r.values[cid] = _decimal(cid, v)
        else:
            if not isinstance(v, int) or isinstance(v, bool):
                raise _bad(f"{CELLS[cid].label} 应为整数，现为“{str(v)[:20]}”")
            r.values[cid] = v
        if r.values[cid] is not None:
            why = _cell_error(cid, r.values[cid])
            if why is not None:
                raise _bad(why)
    raw = d.get("raw", {})
    if not isinstance(raw, dict) or any(k not in CELLS or not isinstance(v, str)
                                        for k, v in raw.items()):
        raise _bad("“raw”无效")
    r.raw = {k: _text(v, f"{CELLS[k].label} 的原文") for k, v in raw.items()}
    r.baseline_own = bool(d.get("baseline_own", True))
    st = d.get("structure")
    if st is not None:
        if not isinstance(st, dict):
            raise _bad("“structure”无效")
        title = st.get("title_line")
        subheads = st.get("subheads", {})
        if not isinstance(subheads, dict) or len(subheads) > MAX_LIST_ITEMS:
            raise _bad("“structure.subheads”无效")
        try:
            r.structure = Structure(
                title_line=None if title is None else _text(title, "“structure.title_line”"),
                headings=[_text(h, "“structure.headings”的一项")
                          for h in _list(st.get("headings", []), "“structure.headings”")],
                subheads={_text(k, "“structure.subheads”的键"):
                          [_text(x, "“structure.subheads”的一项") for x in _list(v, "“structure.subheads”")]
                          for k, v in subheads.items()},
                label_variants=[(_text(a, "“structure.label_variants”的一项"),
                                 _text(b, "“structure.label_variants”的一项"))
                                for a, b in _list(st.get("label_variants", []),
                                                  "“structure.label_variants”")],
                unplaced=[c for c in _list(st.get("unplaced", []), "“structure.unplaced”")
                          if isinstance(c, str) and c in CELLS],
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


class _NumberTooLong(ValueError):
    pass


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_NUMBER_TEXT:
        raise _NumberTooLong(text)
    return int(text)


def loads(text: str, name: str = "项目文件") -> Report:
    try:
        doc = json.loads(text, parse_int=_parse_int)
    except _NumberTooLong as e:
        raise ProjectError(f"“{name}”内容有误：其中有一个 {len(str(e))} 位的数字，超出了任何单元格的范围。"
                           "文件没有被修改。") from None
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


class DiskStamp:
    """The state of a project file on disk when it was loaded or saved: its time, its size
    and the SHA-256 of its content.  A stamp made from the bytes just read or written works
    the digest out when it is first compared, not when the file is opened (hashlib loads
    OpenSSL: ≈ 6 ms before the window's first paint)."""

    __slots__ = ("mtime_ns", "size", "_sha256", "_data")

    def __init__(self, mtime_ns: int, size: int, sha256: str | None = None,
                 data: bytes | None = None) -> None:
        if sha256 is None and data is None:
            raise ValueError("a stamp needs the content's digest or the content")
        self.mtime_ns = mtime_ns
        self.size = size
        self._sha256 = sha256
        self._data = data

    @property
    def sha256(self) -> str:
        if self._sha256 is None:
            import hashlib
            self._sha256 = hashlib.sha256(self._data or b"").hexdigest()
            self._data = None
        return self._sha256

    @classmethod
    def of(cls, path: str | os.PathLike) -> DiskStamp | None:
        """The file's state now (None when it does not exist or cannot be read)."""
        fp = fingerprint(path)
        return cls(*fp) if fp is not None else None

    @classmethod
    def of_bytes(cls, path: str | os.PathLike, data: bytes) -> DiskStamp | None:
        """The state of ``path`` whose content is known to be ``data`` (no second read)."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        return cls(st.st_mtime_ns, st.st_size, data=data)

    def _key(self) -> tuple[int, int, str]:
        return (self.mtime_ns, self.size, self.sha256)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DiskStamp):
            return NotImplemented
        return (self.mtime_ns, self.size) == (other.mtime_ns, other.size) \
            and self.sha256 == other.sha256

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"DiskStamp(mtime_ns={self.mtime_ns}, size={self.size}, sha256={self.sha256!r})"

    def same_content(self, other: DiskStamp | None) -> bool:
        return other is not None and other.size == self.size and other.sha256 == self.sha256


class ChangedOnDiskError(ProjectError):
    """The project file was changed (or removed) by someone else since it was loaded."""

    def __init__(self, path: Path, now: DiskStamp | None):
        self.path = path
        self.now = now
        if now is None:
            what = "已被删除或移走"
        else:
            when = datetime.fromtimestamp(now.mtime_ns / 1e9).strftime("%Y-%m-%d %H:%M:%S")
            what = f"已在 {when} 被其他程序或另一个年报窗口修改"
        super().__init__(f"“{path.name}”在打开之后{what}。直接保存会覆盖那边的修改。"
                         "请选择另存为其他文件、重新载入磁盘上的版本，或确认覆盖。")


def _load_bytes(p: Path) -> tuple[Report, bytes]:
    data = read_capped(p, MAX_PROJECT_BYTES, "项目文件", ProjectError)
    raw = data
    if not data.strip():
        raise ProjectError(f"“{p.name}”是空文件，不是年报项目文件。")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProjectError(f"“{p.name}”不是年报项目文件（不是 UTF-8 文本，可能已损坏或是其他类型的文件）。"
                           "文件没有被修改。") from None
    return loads(text, p.name), raw


def load(path: str | os.PathLike) -> Report:
    return _load_bytes(Path(path))[0]


def load_with_stamp(path: str | os.PathLike) -> tuple[Report, DiskStamp | None]:
    """The report and the state of the file it was read from (for :func:`save`'s ``expect``)."""
    p = Path(path)
    report, raw = _load_bytes(p)
    return report, DiskStamp.of_bytes(p, raw)


def validate(report: Report, name: str = "报告") -> None:
    """Refuse (ProjectError) a report :func:`load` would refuse: the one bound for load and save."""
    seen: set[int] = set()
    r: Report | None = report
    while r is not None and id(r) not in seen:
        seen.add(id(r))
        for cid, v in r.values.items():
            if cid in CELLS and v is not None:
                why = _cell_error(cid, v)
                if why is not None:
                    raise ProjectError(f"{name}无法保存为项目文件：{why}。")
        for sid, text in r.sections.items():
            if len(text) > MAX_SECTION_CHARS:
                heading = schema.SECTION_BY_ID[sid].heading if sid in schema.SECTION_BY_ID else sid
                raise ProjectError(f"{name}无法保存为项目文件：正文“{heading}”有 {len(text)} 字，"
                                   f"超过每部分 {MAX_SECTION_CHARS} 字的上限。")
        if len(r.agency) > MAX_SHORT_CHARS:
            raise ProjectError(f"{name}无法保存为项目文件：机关名称太长。")
        if any(len(v) > MAX_SHORT_CHARS for v in r.raw.values()):
            raise ProjectError(f"{name}无法保存为项目文件：某个单元格的原文太长。")
        st = r.structure
        if st is not None:
            if st.title_line is not None and (not isinstance(st.title_line, str)
                                              or len(st.title_line) > MAX_SHORT_CHARS):
                raise ProjectError(f"{name}无法保存为项目文件：标题太长或无效。")
            lists: list[Sized] = [st.headings, st.label_variants, st.unplaced, list(st.subheads)]
            lists += list(st.subheads.values())
            if any(len(x) > MAX_LIST_ITEMS for x in lists):
                raise ProjectError(f"{name}无法保存为项目文件：文档结构的项数太多。")
            texts = list(st.headings) + [a for pair in st.label_variants for a in pair]
            texts += [x for v in st.subheads.values() for x in v]
            if any(len(x) > MAX_SHORT_CHARS for x in texts):
                raise ProjectError(f"{name}无法保存为项目文件：文档结构中的某个标题太长。")
        r = r.baseline


def encode(report: Report) -> bytes:
    """The bytes :func:`save` writes; refuses (ProjectError) what :func:`load` could not open again."""
    validate(report)
    data = dumps(report).encode("utf-8", "replace")
    if len(data) > MAX_PROJECT_BYTES:
        raise ProjectError(f"报告太大（{len(data) / (1024 * 1024):.1f} MB），超过项目文件 "
                           f"{MAX_PROJECT_BYTES // (1024 * 1024)} MB 的上限，无法保存。")
    return data


def save(report: Report, path: str | os.PathLike, *, expect: DiskStamp | None = None,
         check_disk: bool = False) -> DiskStamp | None:
    """Write ``report`` to ``path``; returns the new file's :class:`DiskStamp`.

    With ``check_disk`` the file on disk must still be ``expect`` (the state it was
    loaded in; ``None``: the file must not exist yet) — else
    :class:`ChangedOnDiskError` and nothing is written.
    """
    p = Path(path)
    data = encode(report)
    if check_disk:
        now = DiskStamp.of(p)
        if expect is None:
            if now is not None:
                raise ChangedOnDiskError(p, now)
        elif now is None or (now != expect and not expect.same_content(now)):
            raise ChangedOnDiskError(p, now)
    try:
        atomic_write(p, data)
    except PermissionError:
        raise ProjectError(f"没有权限写入“{p}”，请另存到其他位置。原文件（如有）未被修改。") from None
    except FileNotFoundError:
        raise ProjectError(f"文件夹“{p.parent}”不存在，无法保存。") from None
    except OSError as e:
        raise ProjectError(f"保存“{p.name}”失败：{os_reason(e)}。原文件（如有）未被修改。") from None
    return DiskStamp.of_bytes(p, data)
