"""Hand-run timing of the text importer: ``uv run python bench/bench_import.py [N]``.

Times :func:`model.importers.text.read_text_file` on every fixture in
``tests/fixtures/*.txt`` and, when ``../shared/seeds`` is present, every seed;
prints the best and median of N runs (default 50) per file.  Target: under 10 ms
per seed.  Exits with status 1 when a seed is over the target.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.importers.text import read_text_file  # noqa: E402

TARGET_MS = 10.0


def time_file(path: Path, runs: int) -> tuple[float, float]:
    read_text_file(path)                      # warm up (imports, regex compilation)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        read_text_file(path)
        times.append((time.perf_counter() - t) * 1000)
    return min(times), statistics.median(times)


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 50
    fixtures = sorted((ROOT / "tests" / "fixtures").glob("*.txt"))
    seeds_dir = ROOT.parent / "shared" / "seeds"
    seeds = sorted(seeds_dir.glob("*.txt")) if seeds_dir.is_dir() else []
    slow = []
    print(f"{'file':40} {'best ms':>8} {'median ms':>10}")
    for kind, paths in (("fixture", fixtures), ("seed", seeds)):
        for p in paths:
            best, med = time_file(p, runs)
            flag = ""
            if kind == "seed" and med > TARGET_MS:
                flag = "  > target"
                slow.append(p.name)
            print(f"{kind + ' ' + p.name:40} {best:8.2f} {med:10.2f}{flag}")
    if not seeds:
        print("(../shared/seeds not present: seeds not timed)")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
