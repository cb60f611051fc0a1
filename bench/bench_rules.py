"""Time the checker (hand-run, not a test): ``uv run python bench/bench_rules.py``.

Prints the median time of a full ``check()`` pass on a typical filled report
(an invented agency, with text sections of real-report length and a baseline),
in three situations:

* steady: nothing changed since the last pass (every text result cached);
* keystroke: one character typed into 一、总体情况 before each pass (that section
  is scanned again, the others come from the cache) — what the GUI does;
* cold: every cache cleared before each pass (the first check after opening).

The target is a steady / keystroke pass under 1 ms.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import narrative as nv  # noqa: E402
from model import rules  # noqa: E402
from model.report import Report  # noqa: E402
from tests.test_rules import OVERVIEW, PROBLEMS, valid_report  # noqa: E402

RUNS = 400


def typical() -> Report:
    """The tests' valid report with longer text and last year's report as baseline."""
    r = valid_report()
    filler = ("我局坚持以公开为常态、不公开为例外，围绕群众关切及时发布政策文件、工作动态和办事指南，"
              "进一步规范信息发布审核流程，确保发布信息准确、及时、安全。")
    r.sections["overview"] = OVERVIEW + "\n" + filler * 6
    r.sections["problems"] = PROBLEMS + "\n" + filler * 2
    base = r.copy()
    base.year = 2023
    base.sections = {k: v.replace("2024", "2023") for k, v in r.sections.items()}
    r.baseline = base
    return r


def _clear_caches() -> None:
    for name in dir(nv):
        fn = getattr(nv, name)
        if hasattr(fn, "cache_clear"):
            fn.cache_clear()


def _time(report: Report, before=None) -> float:
    samples = []
    for i in range(RUNS):
        if before:
            before(i)
        t0 = time.perf_counter()
        rules.check(report)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1000


def main() -> None:
    r = typical()
    findings = rules.check(r)
    steady = _time(r)
    base_text = r.sections["overview"]

    def type_char(i: int) -> None:
        # a new text every time (no cache hit for the edited section), typed mid-text
        cut = len(base_text) // 2
        r.sections["overview"] = base_text[:cut] + chr(0x4E00 + i) + base_text[cut:]

    keystroke = _time(r, type_char)
    r.sections["overview"] = base_text
    cold = _time(r, lambda i: _clear_caches())
    print(f"findings on the typical report: {len(findings)} ({', '.join(f.rule for f in findings)})")
    print(f"check() median over {RUNS} runs: steady {steady:.3f} ms, "
          f"keystroke {keystroke:.3f} ms, cold {cold:.3f} ms")


if __name__ == "__main__":
    main()
