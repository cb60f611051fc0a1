"""Hostile inputs against the CLI (issue 14): how many were refused cleanly, crashed, hung, damaged.

    uv run python bench/bench_hostile.py [--mutants N]

Part 1 runs every hand-made attack as a real ``main.py`` subprocess (FIFOs,
device links, folders and broken links under report names, project files with
huge or ill-typed values, control characters, template attacks, hostile file
names).  Part 2 mutates the example project file ``N`` times (type swaps, huge
numbers, control characters, deep nesting, long texts) and runs ``check`` and
``render --to x.docx/.xlsx`` on each in-process under an alarm.

A run is *refused cleanly* when it exits 2 with a Chinese message; *accepted*
when it exits 0/1 (the input was fine after all); *crashed* on a traceback or
status 3; *hung* past the timeout; *damaged* when the input changed or a stray
file was left behind.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.paths import EXAMPLE_REPORT  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
TIMEOUT = 120
BAD = "\x01\x07\x1b[31m\ufffe\uffff"


class Tally:
    def __init__(self) -> None:
        self.counts = {k: 0 for k in ("tried", "refused", "accepted", "crashed", "hung", "damaged")}
        self.notes: list[str] = []

    def add(self, kind: str, what: str = "") -> None:
        self.counts["tried"] += 1
        self.counts[kind] += 1
        if kind in ("crashed", "hung", "damaged"):
            self.notes.append(f"{kind}: {what}")


def snapshot(folder: Path) -> dict[str, bytes | None]:
    out: dict[str, bytes | None] = {}
    for p in folder.rglob("*"):
        try:
            out[str(p)] = p.read_bytes() if p.is_file() and not p.is_symlink() else None
        except OSError:
            out[str(p)] = None
    return out


def run_cli(t: Tally, what: str, args: list[str], folder: Path, outputs: tuple[Path, ...] = ()) -> None:
    before = snapshot(folder)
    try:
        proc = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                              text=True, timeout=TIMEOUT, cwd=ROOT,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    except subprocess.TimeoutExpired:
        t.add("hung", what)
        return
    text = proc.stdout + proc.stderr
    after = snapshot(folder)
    for o in outputs:
        after.pop(str(o), None)
    if "Traceback" in text or proc.returncode not in (0, 1, 2):
        t.add("crashed", f"{what}: {proc.returncode} {text[-300:]}")
    elif after != before:
        t.add("damaged", f"{what}: {sorted(set(after) ^ set(before))[:3]}")
    elif proc.returncode == 2 and CJK.search(text):
        t.add("refused")
    elif proc.returncode == 2:
        t.add("crashed", f"{what}: not Chinese: {text[-200:]}")
    else:
        t.add("accepted")


def example() -> dict:
    return json.loads(EXAMPLE_REPORT.read_text(encoding="utf-8"))


def part1(t: Tally, base: Path) -> None:
    d = base / "p1"
    d.mkdir()
    for suf in (".txt", ".nianbao", ".docx", ".html", ".xlsx"):
        if hasattr(os, "mkfifo"):
            os.mkfifo(d / f"fifo{suf}")
            run_cli(t, f"fifo{suf}", ["check", str(d / f"fifo{suf}")], d)
        (d / f"zero{suf}").symlink_to("/dev/zero")
        run_cli(t, f"zero{suf}", ["check", str(d / f"zero{suf}")], d)
        (d / f"dir{suf}").mkdir()
        run_cli(t, f"dir{suf}", ["check", str(d / f"dir{suf}")], d)
        (d / f"broken{suf}").symlink_to(d / "nowhere")
        run_cli(t, f"broken{suf}", ["check", str(d / f"broken{suf}")], d)
    out = d / "o.docx"
    for ref in ("fifo.docx", "zero.docx", "dir.docx", "broken.docx"):
        if (d / ref).exists() or (d / ref).is_symlink():
            run_cli(t, f"reference {ref}", ["render", str(EXAMPLE_REPORT), "--to", str(out), "--force",
                                            "--reference-docx", str(d / ref)], d, (out,))
    run_cli(t, "audit of the hostile folder", ["audit", str(d), "--workers", "1"], d)

    sys.set_int_max_str_digits(0)          # to write the huge numbers; restored below
    huge = {
        "fee 1e100000": ("fee", "1e100000"), "fee 1e999999999": ("fee", "1e999999999"),
        "fee 4000 digits": ("fee", int("9" * 4000)), "count 5000 digits": ("count", int("7" * 5000)),
        "title_line 5": ("title", 5), "section 3.4M": ("section", "字" * 3_400_000),
        "agency list": ("agency", ["x"]), "negative year": ("year", -5),
    }
    for what, (kind, v) in huge.items():
        doc = example()
        r = doc["report"]
        if kind == "fee":
            from model import schema
            r["cells"][next(c for c, dd in schema.CELLS.items() if dd.kind == "decimal")] = v
        elif kind == "count":
            r["cells"]["t3.new.person"] = v
        elif kind == "title":
            r["structure"] = {"title_line": v}
        elif kind == "section":
            r["sections"]["overview"] = v
        elif kind == "agency":
            r["agency"] = v
        else:
            r["year"] = v
        p = d / f"huge-{len(os.listdir(d))}.nianbao"
        p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        for fmt in ("docx", "xlsx"):
            o = d / f"o.{fmt}"
            run_cli(t, f"{what} → {fmt}", ["render", str(p), "--to", str(o), "--force"], d, (o,))
        run_cli(t, f"{what} check", ["check", str(p)], d)
    sys.set_int_max_str_digits(4300)       # the interpreter's default, as a user runs it

    dirty = example()
    dirty["report"]["agency"] += BAD
    for k in dirty["report"]["sections"]:
        dirty["report"]["sections"][k] += BAD
    dp = d / "dirty\x07name.nianbao"
    dp.write_text(json.dumps(dirty, ensure_ascii=False), encoding="utf-8")
    for fmt in ("docx", "xlsx", "txt", "html"):
        o = d / f"d.{fmt}"
        run_cli(t, f"control chars → {fmt}", ["render", str(dp), "--to", str(o), "--force"], d, (o,))
    o = d / "a.xlsx"
    run_cli(t, "audit --out xlsx with control chars", ["audit", str(d), "--out", str(o), "--workers", "1"],
            d, (o,))
    o1, o2 = d / "sum.nianbao", d / "bd.xlsx"
    run_cli(t, "combine --breakdown with control chars",
            ["combine", str(dp), str(EXAMPLE_REPORT), "-o", str(o1), "--breakdown", str(o2)], d, (o1, o2))

    attacks = [
        "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
        "{{ lipsum(1000000) }}", "{{ 7 ** 30000000 }}", "{{ '{:>999999999}'.format('x') }}",
        "{{ '{:>{}}'.format('x', 999999999) }}", "{{ '{0.__class__}'.format_map({'0': 1}) }}",
        "{{ 'x' * 300000000 }}", "{{ range(10**9)|list|length }}", "{{ '%999999999s' % 'x' }}",
        "{{ 'x'|center(999999999) }}", "{{ 'x'.ljust(999999999) }}",
        "{{ ('a' * 100000)|replace('a', 'a' * 100000) }}", "{{ [1]|slice(1000000000)|list }}",
        "{% for i in range(10000) %}{% for j in range(10000) %}xxxxxxxxxxxxxxxxxxxxxxxxxx"
        "{% endfor %}{% endfor %}", "{% extends 'report.txt.j2' %}",
        "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "{% for %}", "{{ nope.nothing }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    ]
    for i, src in enumerate(attacks):
        tpl = base / f"tpl{i}"
        tpl.mkdir()
        (tpl / "report.txt.j2").write_text(src, encoding="utf-8")
        o = base / f"tpl{i}.txt"
        run_cli(t, f"template {src[:40]}", ["render", str(EXAMPLE_REPORT), "--to", str(o), "--force",
                                            "--templates", str(tpl)], tpl, (o,))
    for i, target in enumerate(["/etc/passwd", "/"]):
        tpl = base / f"tpllink{i}"
        tpl.mkdir()
        if target == "/":
            (tpl / "root").symlink_to("/")
            (tpl / "report.txt.j2").write_text('{% include "root/etc/passwd" %}', encoding="utf-8")
        else:
            (tpl / "report.txt.j2").symlink_to(target)
        o = base / f"tpllink{i}.txt"
        run_cli(t, f"template link {target}", ["render", str(EXAMPLE_REPORT), "--to", str(o), "--force",
                                               "--templates", str(tpl)], tpl, (o,))


def _mutate(rng: random.Random, doc: dict) -> None:
    r = doc["report"]
    choices = [
        lambda: r["cells"].__setitem__(
            rng.choice(list(r["cells"])),
            rng.choice([10 ** rng.randint(10, 400), -1, "1e" + str(rng.randint(20, 10**6)),
                        "NaN", "Infinity", [], {}, True, 1.5, "9" * rng.randint(1, 300)])),
        lambda: r.__setitem__("structure", rng.choice([5, "x", [], {"title_line": 5},
                                                       {"headings": [1, 2]}, {"subheads": 3},
                                                       {"label_variants": [[1]]}])),
        lambda: r["sections"].__setitem__(rng.choice(list(r["sections"])),
                                          rng.choice([BAD * 50, 5, None, "字" * rng.choice([10, 250_000])])),
        lambda: r.__setitem__("agency", rng.choice([BAD, 5, ["x"], "甲" * 5000])),
        lambda: r.__setitem__("raw", rng.choice([{"t3.new.person": BAD}, {"nope": "x"}, [], 5])),
        lambda: r.__setitem__("baseline", rng.choice([5, [], {"year": "x"}, {"cells": {"x": 1}}])),
        lambda: r.__setitem__("publish_date", rng.choice([5, "2025-13-40", "x" * 1000])),
        lambda: doc.__setitem__("version", rng.choice([0, 99, "1", None])),
    ]
    for _ in range(rng.randint(1, 3)):
        rng.choice(choices)()


def part2(t: Tally, base: Path, n: int) -> None:
    from model.cli import main
    d = base / "p2"
    d.mkdir()
    rng = random.Random(14)

    def alarm(*_a):
        raise TimeoutError

    signal.signal(signal.SIGALRM, alarm)
    for i in range(n):
        doc = example()
        _mutate(rng, doc)
        p = d / f"m{i}.nianbao"
        p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        runs: list[tuple[list[str], Path | None]] = [
            (["check", str(p)], None),
            (["render", str(p), "--to", str(d / "o.docx"), "--force"], d / "o.docx"),
            (["render", str(p), "--to", str(d / "o.xlsx"), "--force"], d / "o.xlsx")]
        for args, outp in runs:
            before = p.read_bytes()
            out, err = io.StringIO(), io.StringIO()
            signal.alarm(TIMEOUT)
            try:
                code = main(args, out, err)
            except TimeoutError:
                t.add("hung", f"mutant {i} {args[0]}")
                continue
            except BaseException as e:
                t.add("crashed", f"mutant {i} {args[0]}: {type(e).__name__} {e}")
                continue
            finally:
                signal.alarm(0)
            text = out.getvalue() + err.getvalue()
            stray = [x for x in os.listdir(d) if x.endswith(".tmp")]
            if outp is not None and outp.exists():
                outp.unlink()
            if p.read_bytes() != before or stray:
                t.add("damaged", f"mutant {i}: {stray}")
            elif code == 3 or "Traceback" in text:
                t.add("crashed", f"mutant {i} {args[0]}: {text[-200:]}")
            elif code == 2 and CJK.search(text):
                t.add("refused")
            else:
                t.add("accepted")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mutants", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        t1, t2 = Tally(), Tally()
        part1(t1, base)
        part2(t2, base, args.mutants)
    for name, t in (("hand-made attacks (subprocess)", t1),
                    (f"{args.mutants} mutated project files × 3 commands", t2)):
        print(name + ": " + ", ".join(f"{k} {v}" for k, v in t.counts.items()))
        for n in t.notes:
            print("   ", n)
    return 0 if not (t1.notes or t2.notes) else 1


if __name__ == "__main__":
    sys.exit(main())
