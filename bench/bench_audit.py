"""Time an audit of 1,000 reports (issue 6: target under 10 s on a 2-core machine).

    uv run python bench/bench_audit.py [--n 1000] [--keep DIR] [--compare] [--no-roster]

Generates the folder first (not timed): random valid reports (consistent
tables, the example's text) written as project files and as TXT, HTML, DOCX
and XLSX exports, every tenth agency with its previous year so the cross-year
rules run, plus the seeds from ../shared/seeds when present.  Then times
``model.audit.audit`` over it and prints the figure.  ``--compare`` also times
one worker (serial) and a thread pool of the same size, to show whether
processes beat threads here.

With a roster (issue 15, the default): a roster of every agency in the folder
(some under a short name or an alias, some written with a 区/县 prefix the
reports do not have) plus 5 % units that did not file is written next to the
folder, and the audit runs with it for 2025 — the 重复率 of every paired
report is part of every audit.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import project, schema  # noqa: E402
from model.example import build  # noqa: E402
from model.report import Report  # noqa: E402
from model.schema import Level, Tier  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
PLACES = ("青岚县", "白石县", "云溪区", "松河区", "临川县", "北塘区", "枫林县", "南湖区")
BODIES = ("市场监督管理局", "教育局", "民政局", "财政局", "人力资源和社会保障局", "自然资源局",
          "住房和城乡建设局", "交通运输局", "卫生健康委员会", "应急管理局", "人民政府办公室")
# export formats, weighted like a reviewer's folder: mostly web pages and Word files
FORMATS = ("html", "html", "docx", "docx", "txt", "txt", "xlsx", "nianbao")


def random_report(rng: random.Random, agency: str, year: int) -> Report:
    """A report whose tables are consistent (T3-1..3, T4-1 hold); text from the example."""
    ex = build()
    r = Report.zeros(agency=agency, year=year, tier=Tier.COUNTY,
                     level=Level.GOVERNMENT if agency.endswith("人民政府办公室") else Level.DEPARTMENT)
    from datetime import date
    r.publish_date = date(year + 1, 1, rng.randint(10, 31) if rng.random() < 0.9 else 28)
    if rng.random() < 0.08:
        r.publish_date = date(year + 1, 2, rng.randint(1, 20))      # some are late
    for col in schema.T3_APPLICANT_COLS:
        scale = 12 if col == "person" else 2
        results = 0
        for row in schema.T3_RESULT_ROWS:
            v = rng.choice((0, 0, 0, 1, rng.randint(0, scale)))
            r.set(schema.t3(row, col), v)
            results += v
        out = rng.randint(0, 2)
        cin = rng.randint(0, min(2, results + out))
        r.set(schema.t3("carried_out", col), out)
        r.set(schema.t3("carried_in", col), cin)
        r.set(schema.t3("new", col), results + out - cin)
    for g, _ in schema.T4_GROUPS:
        for c, _ in schema.T4_COLUMNS[:4]:
            r.set(schema.t4(g, c), rng.choice((0, 0, 1, 2)))
    for row in ("regulation", "normative"):
        issued, repealed = (0, 0) if row == "regulation" else (rng.randint(0, 5), rng.randint(0, 2))
        r.set(f"t2.{row}.issued", issued)
        r.set(f"t2.{row}.repealed", repealed)
        r.set(f"t2.{row}.in_force", rng.randint(repealed, 30) if row == "normative" else 0)
    for row in ("licensing", "penalty", "coercion"):
        r.set(f"t2.{row}.decisions", rng.randint(0, 2000))
    r.recompute_totals()
    r.sections = {k: v.replace(ex.agency, agency).replace("2025", str(year))
                  for k, v in ex.sections.items()}
    return r


def write_report(r: Report, path: Path, fmt: str) -> Path:
    from model.render import render
    if fmt == "nianbao":
        p = path.with_suffix(".nianbao")
        project.save(r, p)
        return p
    data = render(r, fmt)
    p = path.with_suffix("." + fmt)
    if isinstance(data, str):
        p.write_text(data, encoding="utf-8")
    else:
        p.write_bytes(data)
    return p


def generate(folder: Path, n: int, seed: int = 6) -> dict[str, int]:
    """``n`` files in ``folder``; returns how many of each kind."""
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    n_seeds = min(len(seeds) * 10, n // 10) if seeds else 0
    for i in range(n_seeds):
        src = seeds[i % len(seeds)]
        shutil.copyfile(src, folder / f"seed_{i:03d}_{src.name}")
        counts["seed"] = counts.get("seed", 0) + 1
    i = 0
    made = n_seeds
    while made < n:
        agency = f"{PLACES[i % len(PLACES)]}{BODIES[(i // len(PLACES)) % len(BODIES)]}"
        if i >= len(PLACES) * len(BODIES):
            agency = f"{agency}{i // (len(PLACES) * len(BODIES)) + 1}所"
        fmt = FORMATS[i % len(FORMATS)]
        this = random_report(rng, agency, 2025)
        if i % 10 == 0 and made + 1 < n:          # a previous-year pair
            last = random_report(rng, agency, 2024)
            for col in schema.T3_APPLICANT_COLS:   # keep X1 quiet and 勾稽关系 whole
                cin = last.num(schema.t3("carried_out", col))
                res = this.num(schema.t3("results_total", col))
                out = this.num(schema.t3("carried_out", col))
                if res + out < cin:
                    out = cin - res
                    this.set(schema.t3("carried_out", col), out)
                this.set(schema.t3("carried_in", col), cin)
                this.set(schema.t3("new", col), res + out - cin)
            this.recompute_totals()
            write_report(last, folder / f"r{i:04d}_2024", fmt)
            counts[fmt] = counts.get(fmt, 0) + 1
            made += 1
        write_report(this, folder / f"r{i:04d}_2025", fmt)
        counts[fmt] = counts.get(fmt, 0) + 1
        made += 1
        i += 1
    return counts


def write_roster(folder: Path, path: Path) -> int:
    """A roster CSV for the 2025 reports of ``folder`` (see the module doc); returns its units."""
    import csv

    from model.audit import list_files
    names = sorted({p.name.split("_")[0] for p in list_files(folder) if p.name.startswith("r")})
    rng = random.Random(15)
    rows = []
    for i, key in enumerate(names):
        k = int(key[1:])
        agency = f"{PLACES[k % len(PLACES)]}{BODIES[(k // len(PLACES)) % len(BODIES)]}"
        if k >= len(PLACES) * len(BODIES):
            agency = f"{agency}{k // (len(PLACES) * len(BODIES)) + 1}所"
        alias = ""
        if i % 7 == 0:
            alias = agency.replace("市场监督管理局", "市场监管局")
        if i % 3 == 0 and agency.endswith("人民政府办公室"):
            agency = agency.replace("人民政府办公室", "政府办公室")      # a variant: matched, guessed
        elif i % 4 == 0:
            agency = agency[:3] + " " + agency[3:]                      # a space: still exact
        level = "本级人民政府" if agency.endswith("人民政府办公室") else "部门"
        rows.append([agency, level, alias])
    for j in range(max(1, len(rows) // 20)):               # units that did not file
        rows.append([f"{PLACES[j % len(PLACES)]}未报送{j}局", "部门", ""])
    rng.shuffle(rows)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["名称", "层级", "别名"])
        w.writerows(rows)
    return len(rows)


def time_audit(folder: Path, workers: int | None, roster_path: Path | None = None) -> tuple[float, object]:
    from model.audit import audit
    from model.roster import read_roster
    t = time.perf_counter()
    roster = read_roster(roster_path) if roster_path is not None else None
    res = audit(folder, workers=workers, roster=roster, year=2025 if roster is not None else None)
    return time.perf_counter() - t, res


def time_threads(folder: Path, workers: int) -> float:
    """The same work with a thread pool, for comparison only."""
    from model import audit as A
    t = time.perf_counter()
    paths = [str(p) for p in A.list_files(folder)]
    with ThreadPoolExecutor(workers) as ex:
        list(ex.map(A._process_chunk, A._chunks(paths, 20)))
    return time.perf_counter() - t


def per_format(folder: Path, k: int = 10) -> None:
    """Reading and checking cost a file, by format (serial, first ``k`` files of each)."""
    from model.audit import _process_one, list_files
    by: dict[str, list[Path]] = {}
    for p in list_files(folder):
        by.setdefault(p.suffix.lower(), []).append(p)
    parts = []
    for suffix, paths in sorted(by.items()):
        t = time.perf_counter()
        for p in paths[:k]:
            _process_one(str(p))
        ms = (time.perf_counter() - t) / min(k, len(paths)) * 1000
        parts.append(f"{suffix} {ms:.0f} 毫秒 × {len(paths)}")
    print("每个文件读取并检查（单进程）：" + "，".join(parts))


def main() -> int:
    ap = argparse.ArgumentParser(description="审核 1000 份报告的耗时")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--keep", metavar="DIR", help="生成到此文件夹并保留")
    ap.add_argument("--compare", action="store_true", help="同时测单进程与线程池")
    ap.add_argument("--no-roster", action="store_true", help="不带名录审核")
    args = ap.parse_args()
    tmp = None
    if args.keep:
        folder = Path(args.keep)
        folder.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="nianbao-bench-")
        folder = Path(tmp.name)
    try:
        if not any(folder.iterdir()):
            t = time.perf_counter()
            counts = generate(folder, args.n)
            print(f"生成 {sum(counts.values())} 个文件（{counts}），用时 {time.perf_counter() - t:.1f} 秒")
        cores = os.cpu_count() or 1
        roster_path = None
        if not args.no_roster:
            roster_path = folder.parent / f"{folder.name}-名录.csv"
            units = write_roster(folder, roster_path)
            print(f"名录 {units} 个单位：{roster_path}")
        secs, res = time_audit(folder, None, roster_path)
        rates = [r.repeat_rate for r in res.rows if r.repeat_rate is not None]
        print(f"审核 {res.files} 个文件（{res.workers} 个进程，{cores} 核）：{secs:.2f} 秒；"
              f"报告 {len(res.rows)} 份，无法读取 {len(res.unreadable)} 个，"
              f"有错误 {res.reports_with_errors} 份，跨年度配对 "
              f"{sum(1 for r in res.rows if r.baseline_file)} 份，算出重复率 {len(rates)} 份")
        if res.roster is not None:
            print(res.roster.summary_text())
            from model import audit as A
            from model.roster import filing_status, read_roster
            t = time.perf_counter()
            A._repeat_rates(res.rows)
            t_rates = time.perf_counter() - t
            t = time.perf_counter()
            filing_status(res, read_roster(roster_path), 2025) if roster_path.exists() else None
            t_roster = time.perf_counter() - t
            print(f"其中：重复率 {len(rates)} 份 {t_rates * 1000:.1f} 毫秒；"
                  f"读名录并对照 {t_roster * 1000:.1f} 毫秒（在上面的总时间之内）")
        print(f"目标 < 10 秒：{'达到' if secs < 10 else '未达到'}")
        if roster_path is not None and not args.keep:
            roster_path.unlink(missing_ok=True)
        per_format(folder)
        if args.compare:
            s1, _ = time_audit(folder, 1)
            print(f"单进程：{s1:.2f} 秒")
            st = time_threads(folder, cores)
            print(f"{cores} 个线程：{st:.2f} 秒")
        return 0
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
