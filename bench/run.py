"""Every benchmark of the project in one command, run by hand (never as a test):

    uv run python bench/run.py            # all, several rounds each
    uv run python bench/run.py --quick    # fewer rounds, 200 reports in the audit
    uv run python bench/run.py --only rules,readers --markdown

Each measurement runs several rounds; a round is the median of an inner loop.
Printed: the median of the rounds, their spread (min–max), the target, and
whether it is met.  Ratios (our DOCX export vs python-docx and docxtpl, our start-up
vs a bare PySide6 window) are measured side by side in the same run.
The GUI part uses the display in the environment, else Qt's offscreen platform.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

SEEDS = ROOT.parent / "shared" / "seeds"


@dataclass
class Result:
    group: str
    name: str
    rounds: list[float]           # one figure per round (ms, or × for ratios)
    unit: str
    target: float | None          # upper bound, same unit
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.rounds)

    @property
    def ok(self) -> bool | None:
        return None if self.target is None else self.median <= self.target


def inner(fn: Callable[[], object], n: int) -> float:
    """Median wall time of ``n`` calls, in ms."""
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def measure(group: str, name: str, fn: Callable[[], object], *, n: int, rounds: int,
            target: float | None, note: str = "") -> Result:
    fn()                                            # warm-up: imports and caches
    return Result(group, name, [inner(fn, n) for _ in range(rounds)], "ms", target, note)


# --------------------------------------------------------------------------
# the measurements
# --------------------------------------------------------------------------

def bench_rules(rounds: int) -> list[Result]:
    from model import example, rules

    r = example.build()
    text = r.sections["overview"]
    state = {"i": 0}

    def keystroke() -> None:           # a new text each time: no cache hit for the edited section
        state["i"] += 1
        cut = len(text) // 2
        r.sections["overview"] = text[:cut] + chr(0x4E00 + state["i"] % 20000) + text[cut:]
        rules.check(r)

    steady = measure("rules", "full rule pass (example report with baseline)",
                     lambda: rules.check(r), n=300, rounds=rounds, target=1.0)
    typed = measure("rules", "rule pass after a keystroke in 一", keystroke, n=300, rounds=rounds,
                    target=1.0)
    r.sections["overview"] = text
    return [steady, typed]


def _example_bytes() -> dict[str, bytes]:
    from model import example
    from model.render import render

    r = example.build()
    out = {}
    for fmt in ("txt", "html", "docx", "xlsx"):
        v = render(r, fmt)
        out[fmt] = v.encode("utf-8") if isinstance(v, str) else v
    return out


def bench_readers(rounds: int) -> list[Result]:
    from model.importers import read_docx, read_html, read_xlsx
    from model.importers.text import read_text, read_text_file

    data = _example_bytes()
    res = []
    for path in sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []:
        res.append(measure("readers", f"read seed {path.name[:3]} (text)",
                           lambda p=path: read_text_file(p), n=30, rounds=rounds, target=10.0))
    txt = data["txt"].decode("utf-8")
    res.append(measure("readers", "read TXT export (full report)", lambda: read_text(txt),
                       n=30, rounds=rounds, target=20.0))
    res.append(measure("readers", "read HTML export (full report)", lambda: read_html(data["html"]),
                       n=20, rounds=rounds, target=20.0))
    page = ROOT / "tests" / "fixtures" / "import" / "report_page.html"
    if page.exists():
        blob = page.read_bytes()
        res.append(measure("readers", "read agency web page (HTML with page chrome)",
                           lambda: read_html(blob), n=20, rounds=rounds, target=20.0))
    res.append(measure("readers", "read DOCX export (full report)", lambda: read_docx(data["docx"]),
                       n=10, rounds=rounds, target=100.0))
    res.append(measure("readers", "read XLSX export (full report)", lambda: read_xlsx(data["xlsx"]),
                       n=5, rounds=rounds, target=None))
    return res


def bench_exporters(rounds: int) -> list[Result]:
    from bench_render import TARGET_RATIO, docxtpl_reference, docxtpl_template, python_docx_reference

    from model import example
    from model.render import render

    r = example.build()
    res = [
        measure("exporters", "DOCX export", lambda: render(r, "docx"), n=5, rounds=rounds, target=300.0),
        measure("exporters", "TXT export", lambda: render(r, "txt"), n=50, rounds=rounds, target=20.0),
        measure("exporters", "HTML export", lambda: render(r, "html"), n=20, rounds=rounds, target=None),
        measure("exporters", "XLSX export", lambda: render(r, "xlsx"), n=3, rounds=rounds, target=None),
    ]
    base = measure("exporters", "python-docx, cell grid fetched once (reference)",
                   lambda: python_docx_reference(r), n=3, rounds=rounds, target=None)
    res.append(base)
    ratios = [a / b for a, b in zip(res[0].rounds, base.rounds, strict=True)]
    res.append(Result("exporters", "DOCX export ÷ python-docx (same round)", ratios, "×", TARGET_RATIO))
    try:
        import docxtpl  # noqa: F401
    except ImportError:
        return res
    with tempfile.TemporaryDirectory() as tmp:
        template = docxtpl_template(Path(tmp))
        tpl = measure("exporters", "docxtpl, merged template (reference)",
                      lambda: docxtpl_reference(template, r), n=3, rounds=rounds, target=None)
    res.append(tpl)
    ratios = [a / b for a, b in zip(res[0].rounds, tpl.rounds, strict=True)]
    res.append(Result("exporters", "DOCX export ÷ docxtpl (same round)", ratios, "×", TARGET_RATIO))
    return res


def bench_audit(rounds: int, n: int) -> list[Result]:
    import bench_audit as ba

    from model.audit import audit
    from model.roster import read_roster

    with tempfile.TemporaryDirectory(prefix="nianbao-audit-") as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        ba.generate(folder, n)
        roster_path = Path(tmp) / "名录.csv"
        units = ba.write_roster(folder, roster_path)
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            result = audit(folder, roster=read_roster(roster_path), year=2025)
            times.append((time.perf_counter() - t0) * 1000)
        readable = len(result.rows)
    target = 10_000.0 * n / 1000
    return [Result("audit", f"audit of {n} reports + roster of {units} + 重复率 ({readable} read)", times,
                   "ms", target)]


def bench_compare(rounds: int) -> list[Result]:
    import bench_compare as bc

    from model.compare import compare, repeat_rate
    from model.importers import read_file

    with tempfile.TemporaryDirectory(prefix="nianbao-compare-") as tmp:
        a, b = bc.write_pair(Path(tmp))
        this, last = read_file(a).report, read_file(b).report

        def both() -> None:
            compare(read_file(a).report, read_file(b).report)

        return [
            measure("compare", "compare 2025.docx 2024.html (read both + compare)", both, n=10,
                    rounds=rounds, target=300.0),
            measure("compare", "comparison alone (two reports in memory)", lambda: compare(this, last),
                    n=50, rounds=rounds, target=None),
            measure("compare", "重复率 alone (what the audit adds a paired report)",
                    lambda: repeat_rate(this, last), n=200, rounds=rounds, target=None),
        ]


def bench_pdf(rounds: int, n_audit: int) -> list[Result]:
    import bench_pdf as bp

    return bp.bench(rounds) + bp.audit_with_pdfs(n_audit, rounds=min(rounds, 3))


def bench_gui(rounds: int) -> list[Result]:
    import bench_gui as bg

    from model import paths
    res = []
    launches = max(rounds, 7)                             # median of at least 7 launches
    for what, args in (("main window with the example (main.py FILE)", [str(paths.EXAMPLE_REPORT)]),
                       ("start screen (main.py)", [])):
        bare, main = [], []
        code = bg.MAIN.format(root=str(ROOT), args=args)
        bg.launch_once(bg.BARE)                           # warm the file cache
        bg.launch_once(code)
        for _ in range(launches):                         # alternate, so drift hits both alike
            bare.append(bg.launch_once(bg.BARE) * 1000)
            main.append(bg.launch_once(code) * 1000)
        res += [
            Result("gui", f"launch → painted bare PySide6 window (reference for the "
                   f"{what.split(' (')[0]})", bare, "ms", None),
            Result("gui", f"launch → painted {what}", main, "ms", None),
            Result("gui", f"{what} ÷ bare window (same round)",
                   [m / b for m, b in zip(main, bare, strict=True)], "×", 1.5),
        ]
    keys = [bg.bench_keystroke(40) for _ in range(rounds)]
    res.append(Result("gui", "keystroke in a table cell → repainted findings, median",
                      [k["median"] * 1000 for k in keys], "ms", None))
    res.append(Result("gui", "keystroke in a table cell → repainted findings, p95 (60 findings)",
                      [k["p95"] * 1000 for k in keys], "ms", 16.0))
    return res


def bench_pdf_export(rounds: int) -> list[Result]:
    import bench_pdf_export as bp

    bp.pdf_export_ms()                                    # warm-up: Qt, fonts, QtPrintSupport
    bp.print_preview_ms()
    return [
        Result("pdfexport", "PDF export of the example (wall)", [bp.pdf_export_ms() for _ in range(rounds)],
               "ms", bp.PDF_TARGET_MS),
        Result("pdfexport", "PDF export of the example (CPU time)",
               [bp.pdf_export_ms(cpu=True) for _ in range(rounds)], "ms", None),
        Result("pdfexport", "print preview open, every page painted",
               [bp.print_preview_ms() for _ in range(rounds)], "ms", bp.PREVIEW_TARGET_MS),
    ]


# --------------------------------------------------------------------------

def fmt(v: float, unit: str) -> str:
    return f"{v:.2f} ×" if unit == "×" else (f"{v:.3f} ms" if v < 1 else f"{v:.1f} ms")


def print_table(results: list[Result], markdown: bool) -> None:
    if markdown:
        print("| group | measurement | median | spread (min–max of rounds) | target | met |")
        print("|---|---|---|---|---|---|")
    for r in results:
        spread = f"{fmt(min(r.rounds), r.unit)} – {fmt(max(r.rounds), r.unit)}"
        target = "" if r.target is None else f"≤ {fmt(r.target, r.unit)}"
        met = "" if r.ok is None else ("yes" if r.ok else "NO")
        if markdown:
            print(f"| {r.group} | {r.name} | {fmt(r.median, r.unit)} | {spread} | {target} | {met} |")
        else:
            print(f"{r.group:9s} {r.name:52s} {fmt(r.median, r.unit):>11s}  [{spread}]  "
                  f"{target:>12s}  {met}")


GROUPS = ("rules", "readers", "pdf", "exporters", "pdfexport", "compare", "audit", "gui")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="年报的全部性能测试")
    ap.add_argument("--quick", action="store_true", help="fewer rounds, 200 reports in the audit")
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--only", default=",".join(GROUPS), help="comma-separated: " + ",".join(GROUPS))
    ap.add_argument("--audit-reports", type=int, default=None)
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table for bench/README.md")
    args = ap.parse_args(argv)
    rounds = args.rounds or (3 if args.quick else 5)
    n_audit = args.audit_reports or (200 if args.quick else 1000)
    wanted = [g.strip() for g in args.only.split(",") if g.strip()]
    print(f"# Nianbao benchmarks, {date.today()}, Python {platform.python_version()}, "
          f"{platform.machine()}, {__import__('os').cpu_count()} cores; {rounds} rounds each")
    results: list[Result] = []
    runners = {"rules": lambda: bench_rules(rounds), "readers": lambda: bench_readers(rounds),
               "exporters": lambda: bench_exporters(rounds),
               "pdfexport": lambda: bench_pdf_export(rounds),
               "compare": lambda: bench_compare(rounds),
               "pdf": lambda: bench_pdf(rounds, n_audit),
               "audit": lambda: bench_audit(min(rounds, 3), n_audit),
               "gui": lambda: bench_gui(rounds)}
    for g in GROUPS:
        if g in wanted:
            t0 = time.perf_counter()
            group = runners[g]()
            results += group
            print_table(group, False)
            print(f"  ({g}: {time.perf_counter() - t0:.1f} s)", flush=True)
    if args.markdown:
        print()
        print_table(results, True)
    missed = [r for r in results if r.ok is False]
    if missed:
        print(f"\n{len(missed)} target(s) missed: " + "; ".join(r.name for r in missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
