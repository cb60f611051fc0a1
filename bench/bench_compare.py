"""Time ``compare`` of two reports (issue 15: target ≤ 0.3 s, reading both files included).

    uv run python bench/bench_compare.py [--rounds 20]

Writes the example's 2025 report as DOCX and its 2024 report as HTML (not timed), then
times, each the median of ``--rounds`` runs in this process after one warm-up:
reading both files and comparing them (what ``main.py compare 2025.docx 2024.html``
does after start-up), the comparison alone, the side-by-side HTML, and the 重复率 alone
(what the audit adds for each paired report).  Also one cold run of the CLI as a fresh
process (start-up, imports, reading, comparing, printing).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.compare import compare, repeat_rate  # noqa: E402
from model.example import build, build_2024  # noqa: E402
from model.importers import read_file  # noqa: E402
from model.render import render  # noqa: E402
from model.render.comparison import render_html  # noqa: E402

TARGET_S = 0.3


def write_pair(folder: Path) -> tuple[Path, Path]:
    a, b = folder / "2025.docx", folder / "2024.html"
    this = build()
    this.baseline = None
    a.write_bytes(render(this, "docx"))
    b.write_text(render(build_2024(), "html"), encoding="utf-8")
    return a, b


def median_ms(fn, rounds: int) -> float:
    fn()
    samples = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def measurements(rounds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="nianbao-compare-") as tmp:
        a, b = write_pair(Path(tmp))
        this, last = read_file(a).report, read_file(b).report
        c = compare(this, last)
        def both() -> None:
            compare(read_file(a).report, read_file(b).report)

        return {
            "read both + compare": median_ms(both, rounds),
            "compare alone": median_ms(lambda: compare(this, last), rounds),
            "side-by-side HTML": median_ms(lambda: render_html(c), rounds),
            "重复率 alone": median_ms(lambda: repeat_rate(this, last), rounds),
        }


def cold_cli() -> float:
    with tempfile.TemporaryDirectory(prefix="nianbao-compare-") as tmp:
        a, b = write_pair(Path(tmp))
        t = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "main.py"), "compare", str(a), str(b)],
                       check=False, capture_output=True)
        return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description="两份报告对比的耗时")
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    res = measurements(args.rounds)
    for name, ms in res.items():
        print(f"{name}: {ms:.1f} ms")
    print(f"目标 ≤ {TARGET_S * 1000:.0f} ms（读取两个文件并对比）："
          f"{'达到' if res['read both + compare'] <= TARGET_S * 1000 else '未达到'}")
    print(f"命令行冷启动（新进程，含导入模块）：{cold_cli():.2f} 秒")
    return 0


if __name__ == "__main__":
    sys.exit(main())
